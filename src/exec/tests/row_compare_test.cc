// SPDX-License-Identifier: Apache-2.0
#include "exec/row_compare.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "columnar/builder.h"

namespace sluice::exec {
namespace {

/// Random key columns with many ties; each is built with `kPad` extra leading rows and
/// sliced past them, so every fast path reads through a non-zero offset.
class Keys {
 public:
  static constexpr int64_t kPad = 3;

  explicit Keys(uint64_t seed) : random_(seed) {}

  /// A column of `type` with `n` rows, a null with chance `null_share`.
  VectorPtr Make(const TypePtr& type, int64_t n, double null_share) {
    auto builder = VectorBuilder::Make(type);
    for (int64_t i = 0; i < n + kPad; ++i) {
      if (Chance(null_share)) {
        builder->AppendNull();
        continue;
      }
      AppendRandom(builder.get());
    }
    return builder->Finish()->Slice(kPad, n);
  }

 private:
  bool Chance(double share) {
    return std::uniform_real_distribution<double>(0, 1)(random_) < share;
  }
  int64_t Below(int64_t n) { return std::uniform_int_distribution<int64_t>(0, n - 1)(random_); }

  double RandomDouble() {
    static const double kSpecial[] = {std::numeric_limits<double>::quiet_NaN(),
                                      -std::numeric_limits<double>::quiet_NaN(),
                                      std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity(),
                                      0.0,
                                      -0.0,
                                      std::numeric_limits<double>::denorm_min(),
                                      -std::numeric_limits<double>::max()};
    if (Chance(0.3))
      return kSpecial[Below(8)];
    return static_cast<double>(Below(41) - 20) / 4;
  }

  void AppendRandom(VectorBuilder* builder) {
    switch (builder->type()->id()) {
      case TypeId::kBoolean:
        static_cast<BooleanBuilder*>(builder)->Append(Chance(0.5));
        break;
      case TypeId::kByte:
        static_cast<Int8Builder*>(builder)->Append(static_cast<int8_t>(Below(256) - 128));
        break;
      case TypeId::kShort:
        static_cast<Int16Builder*>(builder)->Append(static_cast<int16_t>(Below(7) - 3));
        break;
      case TypeId::kInt:
      case TypeId::kDate:
        static_cast<Int32Builder*>(builder)->Append(Chance(0.1)
                                                        ? std::numeric_limits<int32_t>::min()
                                                        : static_cast<int32_t>(Below(50) - 25));
        break;
      case TypeId::kLong:
      case TypeId::kTimestamp:
        static_cast<Int64Builder*>(builder)->Append(
            Chance(0.1) ? std::numeric_limits<int64_t>::max() : Below(2000) - 1000);
        break;
      case TypeId::kFloat:
        static_cast<FloatBuilder*>(builder)->Append(static_cast<float>(RandomDouble()));
        break;
      case TypeId::kDouble:
        static_cast<DoubleBuilder*>(builder)->Append(RandomDouble());
        break;
      case TypeId::kDecimal: {
        Int128 value = Below(100) - 50;
        if (Chance(0.2))
          value *= static_cast<Int128>(1) << 80;
        static_cast<DecimalBuilder*>(builder)->Append(value);
        break;
      }
      case TypeId::kString:
      case TypeId::kBinary: {
        // Shared prefixes longer than a word, embedded zero bytes, non-ASCII bytes.
        static const std::string kPieces[] = {"",         "a",        std::string("\0", 1),
                                              "abcdefgh", "\xc3\xa9", "z"};
        std::string value;
        for (int64_t parts = Below(4); parts > 0; --parts)
          value += kPieces[Below(6)];
        static_cast<StringBuilder*>(builder)->Append(value);
        break;
      }
      default:
        ADD_FAILURE() << "no random values for " << builder->type()->ToString();
        builder->AppendNull();
    }
  }

  std::mt19937_64 random_;
};

/// The order CompareRows (the per-value reference) gives, ties in row order.
std::vector<int64_t> ReferenceOrder(const std::vector<VectorPtr>& keys,
                                    const std::vector<SortOrder>& orders) {
  std::vector<int64_t> order(keys[0]->length());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = static_cast<int64_t>(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return CompareRows(keys, a, keys, b, orders) < 0; });
  return order;
}

/// Checks SortRows's count of leading keys each sorted row shares with the row before.
void ExpectEqualKeysLikeReference(const std::vector<VectorPtr>& keys,
                                  const std::vector<SortOrder>& orders) {
  std::vector<uint32_t> equal_keys;
  const std::vector<int64_t> order = SortRows(keys, orders, -1, &equal_keys);
  ASSERT_EQ(equal_keys.size(), order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    uint32_t expected = 0;
    while (i > 0 && expected < keys.size() &&
           CompareRows({keys[expected]}, order[i - 1], {keys[expected]}, order[i],
                       {orders[expected]}) == 0) {
      ++expected;
    }
    ASSERT_EQ(equal_keys[i], expected) << "position " << i << " of " << order.size();
  }
}

const std::vector<SortOrder> kAllOrders = {
    {true, true}, {true, false}, {false, true}, {false, false}};

/// Sorts random columns of `types` in every direction for key 0 and checks the order.
void ExpectSortsLikeReference(const std::vector<TypePtr>& types, int64_t n, double null_share) {
  Keys random(n * 31 + static_cast<int64_t>(types.size()));
  std::vector<VectorPtr> keys;
  for (const TypePtr& type : types)
    keys.push_back(random.Make(type, n, null_share));
  for (size_t o = 0; o < kAllOrders.size(); ++o) {
    std::vector<SortOrder> orders;
    for (size_t k = 0; k < types.size(); ++k)
      orders.push_back(kAllOrders[(o + k) % kAllOrders.size()]);
    const std::vector<int64_t> expected = ReferenceOrder(keys, orders);
    EXPECT_EQ(SortRows(keys, orders), expected)
        << types[0]->ToString() << " keys=" << types.size() << " n=" << n << " order=" << o
        << " nulls=" << null_share;
    ExpectEqualKeysLikeReference(keys, orders);
    // A top-N selects the same first rows.
    for (int64_t limit : {int64_t{0}, int64_t{3}, n / 10, n / 2}) {
      const std::vector<int64_t> first(expected.begin(),
                                       expected.begin() + std::min<int64_t>(limit, n));
      EXPECT_EQ(SortRows(keys, orders, limit), first)
          << types[0]->ToString() << " keys=" << types.size() << " n=" << n << " limit=" << limit;
    }
  }
}

TEST(RowCompareTest, SortRowsOrdersEachFixedWidthTypeLikeCompareRows) {
  const std::vector<TypePtr> types = {BooleanType(),   ByteType(),        ShortType(),  IntType(),
                                      LongType(),      FloatType(),       DoubleType(), DateType(),
                                      TimestampType(), DecimalType(38, 2)};
  for (const TypePtr& type : types) {
    for (int64_t n : {0, 1, 7, 300, 3000}) {  // below and above the radix sort's threshold
      ExpectSortsLikeReference({type}, n, 0.0);
      ExpectSortsLikeReference({type}, n, 0.2);
    }
  }
}

TEST(RowCompareTest, SortRowsOrdersStringsByBytesPastTheirPrefixWord) {
  for (int64_t n : {5, 200, 2000}) {
    ExpectSortsLikeReference({StringType()}, n, 0.0);
    ExpectSortsLikeReference({BinaryType()}, n, 0.1);
    ExpectSortsLikeReference({StringType(), LongType()}, n, 0.1);
    ExpectSortsLikeReference({IntType(), StringType(), DoubleType()}, n, 0.1);
  }
}

TEST(RowCompareTest, SortRowsOrdersStringsPastThePrefixTheyAllShare) {
  // Every value starts with a long common prefix; one is exactly that prefix.
  const std::string common = "https://www.example.com/";
  const std::vector<std::string> tails = {"",
                                          "b",
                                          "ab",
                                          "abcdefghijklmnopq",
                                          "abcdefghijklmnopr",
                                          std::string("a\0", 2),
                                          "\xff",
                                          "abcdefghijklmnop"};
  auto builder = VectorBuilder::Make(StringType());
  Keys random(21);
  for (int i = 0; i < 1200; ++i) {
    if (i % 17 == 5) {
      builder->AppendNull();
    } else {
      static_cast<StringBuilder*>(builder.get())->Append(common + tails[(i * 7) % tails.size()]);
    }
  }
  const std::vector<VectorPtr> keys = {builder->Finish()->Slice(2, 1100),
                                       random.Make(IntType(), 1100, 0.1)};
  for (const SortOrder& order : kAllOrders) {
    const std::vector<SortOrder> orders = {order, {true, false}};
    EXPECT_EQ(SortRows(keys, orders), ReferenceOrder(keys, orders));
    ExpectEqualKeysLikeReference(keys, orders);
    const std::vector<int64_t> expected = ReferenceOrder(keys, orders);
    EXPECT_EQ(SortRows(keys, orders, 20),
              std::vector<int64_t>(expected.begin(), expected.begin() + 20));
  }
}

TEST(RowCompareTest, SortRowsOrdersEmptyStringsWithoutData) {
  // Only empty strings and nulls: the vector may have no data bytes at all.
  auto builder = VectorBuilder::Make(StringType());
  for (int i = 0; i < 40; ++i) {
    if (i % 3 == 0) {
      builder->AppendNull();
    } else {
      static_cast<StringBuilder*>(builder.get())->Append("");
    }
  }
  Keys random(3);
  const std::vector<VectorPtr> keys = {builder->Finish(), random.Make(LongType(), 40, 0.0)};
  for (const SortOrder& order : kAllOrders) {
    const std::vector<SortOrder> orders = {order, {false, true}};
    EXPECT_EQ(SortRows(keys, orders), ReferenceOrder(keys, orders));
  }
}

TEST(RowCompareTest, SortRowsOrdersSeveralKeysWithinAndBeyondTheEncodedWords) {
  for (int64_t n : {9, 1500}) {
    ExpectSortsLikeReference({ShortType(), DoubleType()}, n, 0.0);
    ExpectSortsLikeReference({ShortType(), DoubleType()}, n, 0.3);
    // Three nullable longs need six words: the last keys are compared on ties.
    ExpectSortsLikeReference({ShortType(), LongType(), LongType()}, n, 0.2);
    ExpectSortsLikeReference({DecimalType(20, 0), DecimalType(20, 0), ByteType()}, n, 0.2);
    ExpectSortsLikeReference({BooleanType(), FloatType(), IntType(), LongType()}, n, 0.0);
    // Five nullable doubles: more words than pack into a record.
    ExpectSortsLikeReference(std::vector<TypePtr>(5, DoubleType()), n, 0.2);
  }
}

TEST(RowCompareTest, SortRowsFallsBackToTheComparatorForNestedKeys) {
  Keys random(7);
  const TypePtr type = StructType({MakeField("x", LongType()), MakeField("y", StringType())});
  VectorPtr x = random.Make(LongType(), 100, 0.1);
  VectorPtr y = random.Make(StringType(), 100, 0.1);
  auto key = std::make_shared<const Vector>(type, 100, 0, nullptr, nullptr, nullptr,
                                            std::vector<VectorPtr>{x, y});
  const std::vector<VectorPtr> keys = {key, random.Make(IntType(), 100, 0.0)};
  for (const SortOrder& order : kAllOrders) {
    const std::vector<SortOrder> orders = {order, {false, false}};
    EXPECT_EQ(SortRows(keys, orders), ReferenceOrder(keys, orders));
    ExpectEqualKeysLikeReference(keys, orders);
    const std::vector<int64_t> expected = ReferenceOrder(keys, orders);
    EXPECT_EQ(SortRows(keys, orders, 5),
              std::vector<int64_t>(expected.begin(), expected.begin() + 5));
  }
}

TEST(RowCompareTest, RowComparatorAgreesWithCompareRows) {
  Keys random(11);
  const std::vector<TypePtr> types = {BooleanType(),      DoubleType(), StringType(),
                                      DecimalType(10, 1), FloatType(),  TimestampType()};
  std::vector<VectorPtr> keys;
  for (const TypePtr& type : types)
    keys.push_back(random.Make(type, 200, 0.2));
  std::vector<SortOrder> orders;
  for (size_t k = 0; k < types.size(); ++k)
    orders.push_back(kAllOrders[k % kAllOrders.size()]);
  const RowComparator comparator(types, orders);
  for (int64_t a = 0; a < 200; ++a) {
    for (int64_t b = 0; b < 200; b += 7) {
      ASSERT_EQ(comparator.Compare(keys, a, keys, b), CompareRows(keys, a, keys, b, orders))
          << a << " " << b;
    }
  }
}

/// Checks SelectRowsBefore against CompareRows for each bound row of `bound_keys`.
void ExpectSelectsLikeReference(const std::vector<VectorPtr>& keys,
                                const std::vector<VectorPtr>& bound_keys,
                                const std::vector<SortOrder>& orders) {
  std::vector<TypePtr> types;
  for (const VectorPtr& key : keys)
    types.push_back(key->type());
  const RowComparator comparator(types, orders);
  for (int64_t bound = 0; bound < bound_keys[0]->length(); ++bound) {
    std::vector<int64_t> expected;
    for (int64_t row = 0; row < keys[0]->length(); ++row) {
      if (CompareRows(keys, row, bound_keys, bound, orders) < 0)
        expected.push_back(row);
    }
    std::vector<int64_t> selected;
    SelectRowsBefore(keys, keys[0]->length(), bound_keys, bound, comparator, &selected);
    ASSERT_EQ(selected, expected) << types[0]->ToString() << " bound " << bound;
  }
}

TEST(RowCompareTest, SelectRowsBeforeKeepsRowsSortingBeforeTheBound) {
  Keys random(5);
  for (const TypePtr& type : {LongType(), DoubleType(), FloatType(), IntType(), ShortType(),
                              ByteType(), StringType(), BooleanType(), DecimalType(12, 3)}) {
    for (double null_share : {0.0, 0.25}) {
      const std::vector<VectorPtr> keys = {random.Make(type, 500, null_share)};
      // The bounds include nulls (the bound column always may have some).
      const std::vector<VectorPtr> bounds = {random.Make(type, 12, 0.25)};
      for (const SortOrder& order : kAllOrders)
        ExpectSelectsLikeReference(keys, bounds, {order});
    }
  }
}

TEST(RowCompareTest, SelectRowsBeforeComparesLaterKeysOnTies) {
  Keys random(9);
  const std::vector<VectorPtr> keys = {random.Make(ShortType(), 400, 0.2),
                                       random.Make(StringType(), 400, 0.2)};
  const std::vector<VectorPtr> bounds = {random.Make(ShortType(), 10, 0.2),
                                         random.Make(StringType(), 10, 0.2)};
  for (const SortOrder& order : kAllOrders)
    ExpectSelectsLikeReference(keys, bounds, {order, {false, true}});
}

}  // namespace
}  // namespace sluice::exec
