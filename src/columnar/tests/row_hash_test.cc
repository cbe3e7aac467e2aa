// SPDX-License-Identifier: Apache-2.0
#include "columnar/row_hash.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>

#include "columnar/builder.h"
#include "columnar/tests/columnar_test_util.h"

namespace sluice {
namespace {

using testing::Longs;
using testing::Nulls;
using testing::Strings;
using testing::Variants;

VectorPtr Doubles(const std::vector<double>& values) {
  DoubleBuilder builder(DoubleType());
  for (double value : values) {
    builder.Append(value);
  }
  return builder.Finish();
}

std::vector<uint64_t> Hash(const std::vector<VectorPtr>& columns, int64_t rows) {
  std::vector<uint64_t> hashes(static_cast<size_t>(rows));
  HashRows(columns, rows, hashes.data());
  return hashes;
}

/// Builds array<long> rows; nullopt is a null list, and null elements are nullopt too.
VectorPtr LongLists(const std::vector<std::optional<std::vector<std::optional<int64_t>>>>& rows) {
  ArrayBuilder builder(ArrayType(LongType()));
  auto* element = static_cast<Int64Builder*>(builder.element());
  for (const auto& row : rows) {
    if (!row) {
      builder.AppendNull();
      continue;
    }
    for (const auto& value : *row) {
      if (value) {
        element->Append(*value);
      } else {
        element->AppendNull();
      }
    }
    builder.Append();
  }
  return builder.Finish();
}

TEST(RowHashTest, EqualValuesHashEqualRegardlessOfOffset) {
  VectorPtr left = Longs({5, 7, std::nullopt, 9});
  VectorPtr right = Longs({1, 2, 3, 9, 7, 5})->Slice(3, 3);  // 9 7 5
  EXPECT_EQ(HashValue(*left, 0), HashValue(*right, 2));
  EXPECT_EQ(HashValue(*left, 1), HashValue(*right, 1));
  EXPECT_EQ(HashValue(*left, 3), HashValue(*right, 0));
  EXPECT_NE(HashValue(*left, 0), HashValue(*left, 1));
  EXPECT_TRUE(ValuesEqual(*left, 3, *right, 0));
  EXPECT_FALSE(ValuesEqual(*left, 0, *right, 0));
  // HashRows over a slice agrees with HashValue row by row.
  std::vector<uint64_t> hashes = Hash({right}, 3);
  for (int64_t i = 0; i < 3; ++i) {
    EXPECT_EQ(hashes[i], HashValue(*right, i)) << i;
  }
}

TEST(RowHashTest, NullsHashToOneValueAndEqualEachOther) {
  VectorPtr longs = Longs({std::nullopt, 0});
  VectorPtr strings = Strings({"", std::nullopt});
  EXPECT_EQ(HashValue(*longs, 0), HashValue(*strings, 1));
  EXPECT_NE(HashValue(*longs, 0), HashValue(*longs, 1));      // null vs 0
  EXPECT_NE(HashValue(*strings, 1), HashValue(*strings, 0));  // null vs ""
  EXPECT_TRUE(ValuesEqual(*longs, 0, *Longs({std::nullopt}), 0));
  EXPECT_FALSE(ValuesEqual(*longs, 0, *longs, 1));
  EXPECT_FALSE(ValuesEqual(*longs, 1, *longs, 0));
  // The vectorized path with nulls agrees with HashValue.
  std::vector<uint64_t> hashes = Hash({longs}, 2);
  EXPECT_EQ(hashes[0], HashValue(*longs, 0));
  EXPECT_EQ(hashes[1], HashValue(*longs, 1));
}

TEST(RowHashTest, FloatsAreNormalizedAsSpark) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double other_nan = std::bit_cast<double>(uint64_t{0x7FF0000000000123});
  const double negative_nan = -nan;
  VectorPtr doubles = Doubles({0.0, -0.0, nan, other_nan, negative_nan, 1.0, -1.0});
  ASSERT_TRUE(std::isnan(other_nan));
  EXPECT_EQ(HashValue(*doubles, 0), HashValue(*doubles, 1));
  EXPECT_TRUE(ValuesEqual(*doubles, 0, *doubles, 1));
  for (int64_t i = 3; i <= 4; ++i) {
    EXPECT_EQ(HashValue(*doubles, 2), HashValue(*doubles, i)) << i;
    EXPECT_TRUE(ValuesEqual(*doubles, 2, *doubles, i)) << i;
  }
  EXPECT_FALSE(ValuesEqual(*doubles, 2, *doubles, 5));
  EXPECT_FALSE(ValuesEqual(*doubles, 5, *doubles, 6));
  EXPECT_NE(HashValue(*doubles, 5), HashValue(*doubles, 6));
  EXPECT_NE(HashValue(*doubles, 0), HashValue(*doubles, 2));
  std::vector<uint64_t> hashes = Hash({doubles}, 7);
  EXPECT_EQ(hashes[0], hashes[1]);
  EXPECT_EQ(hashes[2], hashes[3]);
  EXPECT_EQ(hashes[2], hashes[4]);

  FloatBuilder floats(FloatType());
  floats.Append(0.0f);
  floats.Append(-0.0f);
  floats.Append(std::numeric_limits<float>::quiet_NaN());
  floats.Append(std::bit_cast<float>(uint32_t{0xFFC00001}));
  VectorPtr float_vector = floats.Finish();
  EXPECT_EQ(HashValue(*float_vector, 0), HashValue(*float_vector, 1));
  EXPECT_EQ(HashValue(*float_vector, 2), HashValue(*float_vector, 3));
  EXPECT_TRUE(ValuesEqual(*float_vector, 2, *float_vector, 3));
  EXPECT_FALSE(ValuesEqual(*float_vector, 0, *float_vector, 2));
}

TEST(RowHashTest, StringsHashTheirBytes) {
  // Every length from 0 to 40 crosses the 8-byte, 4-byte and 1-byte steps.
  std::vector<std::optional<std::string>> values;
  for (int length = 0; length <= 40; ++length) {
    values.push_back(std::string(static_cast<size_t>(length), 'x'));
  }
  values.push_back(std::string("ab\0c", 4));
  values.push_back(std::string("ab\0d", 4));
  VectorPtr strings = Strings(values);
  std::set<uint64_t> distinct;
  for (int64_t i = 0; i < strings->length(); ++i) {
    distinct.insert(HashValue(*strings, i));
  }
  EXPECT_EQ(distinct.size(), values.size());

  VectorPtr again = Strings({"zzz", std::string(17, 'x'), "tail"})->Slice(1, 2);
  EXPECT_EQ(HashValue(*again, 0), HashValue(*strings, 17));
  EXPECT_TRUE(ValuesEqual(*again, 0, *strings, 17));
  EXPECT_FALSE(ValuesEqual(*again, 0, *strings, 16));

  StringBuilder binary(BinaryType());
  binary.Append(std::string(17, 'x'));
  EXPECT_EQ(HashValue(*binary.Finish(), 0), HashValue(*strings, 17));
}

TEST(RowHashTest, CombiningColumnsIsOrderDependent) {
  VectorPtr a = Longs({1, 2, std::nullopt, 3});
  VectorPtr b = Longs({2, 1, 3, std::nullopt});
  std::vector<uint64_t> hashes = Hash({a, b}, 4);
  EXPECT_NE(hashes[0], hashes[1]);  // (1, 2) vs (2, 1)
  EXPECT_NE(hashes[2], hashes[3]);  // (null, 3) vs (3, null)
  EXPECT_EQ(Hash({b, a}, 4)[1], hashes[0]);
  EXPECT_FALSE(RowsEqual({a, b}, 0, {a, b}, 1));
  EXPECT_TRUE(RowsEqual({a, b}, 0, {b, a}, 1));
  EXPECT_TRUE(RowsEqual({a, b}, 2, {Longs({std::nullopt}), Longs({3})}, 0));
  EXPECT_FALSE(RowsEqual({a, b}, 2, {Longs({std::nullopt}), Longs({std::nullopt})}, 0));

  // A string column after a long column, with the long sliced.
  VectorPtr keys = Longs({9, 1, 1})->Slice(1, 2);
  VectorPtr names = Strings({"x", "x"});
  std::vector<uint64_t> pair = Hash({keys, names}, 2);
  EXPECT_EQ(pair[0], pair[1]);
  EXPECT_NE(pair[0], HashValue(*keys, 0));

  // No key columns: one group.
  std::vector<uint64_t> global = Hash({}, 3);
  EXPECT_EQ(global[0], global[1]);
  EXPECT_EQ(global[1], global[2]);
  EXPECT_TRUE(RowsEqual({}, 0, {}, 5));
}

TEST(RowHashTest, NestedValues) {
  // [1, 2], [1, 2] (sliced elsewhere), [], null, [null], [2, 1], [1, 2, null]
  VectorPtr lists =
      LongLists({std::vector<std::optional<int64_t>>{1, 2}, std::vector<std::optional<int64_t>>{},
                 std::nullopt, std::vector<std::optional<int64_t>>{std::nullopt},
                 std::vector<std::optional<int64_t>>{2, 1},
                 std::vector<std::optional<int64_t>>{1, 2, std::nullopt}});
  VectorPtr other =
      LongLists({std::vector<std::optional<int64_t>>{7}, std::vector<std::optional<int64_t>>{1, 2}})
          ->Slice(1, 1);
  EXPECT_TRUE(ValuesEqual(*lists, 0, *other, 0));
  EXPECT_EQ(HashValue(*lists, 0), HashValue(*other, 0));
  std::set<uint64_t> distinct;
  for (int64_t i = 0; i < lists->length(); ++i) {
    distinct.insert(HashValue(*lists, i));
    for (int64_t j = 0; j < lists->length(); ++j) {
      EXPECT_EQ(ValuesEqual(*lists, i, *lists, j), i == j) << i << " " << j;
    }
  }
  EXPECT_EQ(distinct.size(), 6u);

  // A null struct differs from a struct of nulls; slices of structs compare by row.
  TypePtr type = StructType({MakeField("k", LongType()), MakeField("v", StringType())});
  StructBuilder builder(type);
  auto* k = static_cast<Int64Builder*>(builder.child(0));
  auto* v = static_cast<StringBuilder*>(builder.child(1));
  builder.AppendNull();
  k->AppendNull();
  v->AppendNull();
  builder.Append();
  k->Append(1);
  v->Append("a");
  builder.Append();
  k->Append(1);
  v->Append("a");
  builder.Append();
  VectorPtr structs = builder.Finish();
  EXPECT_FALSE(ValuesEqual(*structs, 0, *structs, 1));
  EXPECT_NE(HashValue(*structs, 0), HashValue(*structs, 1));
  VectorPtr tail = structs->Slice(2, 1);
  EXPECT_TRUE(ValuesEqual(*structs, 2, *tail, 0));
  EXPECT_TRUE(ValuesEqual(*structs, 3, *tail, 0));
  EXPECT_EQ(HashValue(*structs, 2), HashValue(*tail, 0));
  EXPECT_FALSE(ValuesEqual(*structs, 1, *tail, 0));
  // Through HashRows (the row-at-a-time path) with the slice offset.
  std::vector<uint64_t> hashes = Hash({structs->Slice(1, 3)}, 3);
  EXPECT_EQ(hashes[1], hashes[2]);
  EXPECT_NE(hashes[0], hashes[1]);

  // Maps: same entries in the same order.
  MapBuilder maps(MapType(StringType(), LongType()));
  auto* keys = static_cast<StringBuilder*>(maps.keys());
  auto* values = static_cast<Int64Builder*>(maps.values());
  keys->Append("a");
  values->Append(1);
  maps.Append();
  keys->Append("a");
  values->AppendNull();
  maps.Append();
  keys->Append("a");
  values->Append(1);
  maps.Append();
  maps.Append();  // {}
  VectorPtr map_vector = maps.Finish();
  EXPECT_TRUE(ValuesEqual(*map_vector, 0, *map_vector, 2));
  EXPECT_EQ(HashValue(*map_vector, 0), HashValue(*map_vector, 2));
  EXPECT_FALSE(ValuesEqual(*map_vector, 0, *map_vector, 1));
  EXPECT_NE(HashValue(*map_vector, 0), HashValue(*map_vector, 1));
  EXPECT_FALSE(ValuesEqual(*map_vector, 0, *map_vector, 3));
}

TEST(RowHashTest, OtherPrimitives) {
  BooleanBuilder booleans(BooleanType());
  booleans.Append(true);
  booleans.Append(false);
  booleans.Append(true);
  VectorPtr b = booleans.Finish();
  EXPECT_EQ(HashValue(*b, 0), HashValue(*b, 2));
  EXPECT_NE(HashValue(*b, 0), HashValue(*b, 1));
  EXPECT_FALSE(ValuesEqual(*b, 0, *b, 1));

  DecimalBuilder decimals(DecimalType(38, 2));
  decimals.Append(Int128{12345});
  decimals.Append(Int128{12345} + (Int128{1} << 64));
  decimals.Append(Int128{12345});
  decimals.Append(-Int128{12345});
  VectorPtr d = decimals.Finish();
  EXPECT_EQ(HashValue(*d, 0), HashValue(*d, 2));
  EXPECT_NE(HashValue(*d, 0), HashValue(*d, 1));
  EXPECT_NE(HashValue(*d, 0), HashValue(*d, 3));
  EXPECT_TRUE(ValuesEqual(*d, 0, *d, 2));
  EXPECT_FALSE(ValuesEqual(*d, 0, *d, 1));

  Int32Builder dates(DateType());
  dates.Append(19723);
  dates.Append(19724);
  VectorPtr dv = dates.Finish();
  std::vector<uint64_t> hashes = Hash({dv}, 2);
  EXPECT_NE(hashes[0], hashes[1]);
  EXPECT_EQ(hashes[0], HashValue(*dv, 0));
}

TEST(RowHashTest, VariantsCompareTheirBytes) {
  VectorPtr left = Variants({R"({"a":1,"b":[2]})", "1", std::nullopt, R"("x")"});
  VectorPtr right = Variants(
      {"0", R"({"a":1,"b":[2]})", "1", std::nullopt, "1.0", R"("y")", R"({"b":[2],"a":1})"});
  EXPECT_TRUE(ValuesEqual(*left, 0, *right, 1));
  EXPECT_EQ(HashValue(*left, 0), HashValue(*right, 1));
  EXPECT_TRUE(ValuesEqual(*left, 1, *right, 2));
  EXPECT_EQ(HashValue(*left, 1), HashValue(*right, 2));
  EXPECT_TRUE(ValuesEqual(*left, 2, *right, 3));  // null = null
  EXPECT_EQ(HashValue(*left, 2), HashValue(*right, 3));
  // Different values, and 1 (int8) against 1.0 (decimal): different bytes.
  EXPECT_FALSE(ValuesEqual(*left, 1, *right, 0));
  EXPECT_FALSE(ValuesEqual(*left, 1, *right, 4));
  EXPECT_FALSE(ValuesEqual(*left, 3, *right, 5));
  EXPECT_NE(HashValue(*left, 3), HashValue(*right, 5));
  EXPECT_FALSE(ValuesEqual(*left, 2, *right, 2));  // null != 1
  // The same fields in another document order: another dictionary, so other bytes.
  EXPECT_FALSE(ValuesEqual(*left, 0, *right, 6));
  // Column-at-a-time hashing agrees with HashValue, also through a slice.
  VectorPtr slice = right->Slice(1, 3);
  const std::vector<uint64_t> hashes = Hash({slice}, 3);
  for (int64_t i = 0; i < 3; ++i) {
    EXPECT_EQ(hashes[i], HashValue(*slice, i)) << i;
  }
  EXPECT_EQ(hashes[0], HashValue(*left, 0));
}

TEST(RowHashTest, VoidColumnsHashAsNulls) {
  VectorPtr nulls = Nulls(3);
  VectorPtr longs = Longs({std::nullopt, 1, std::nullopt});
  const std::vector<uint64_t> hashes = Hash({nulls}, 3);
  EXPECT_EQ(hashes[0], HashValue(*longs, 0));
  EXPECT_EQ(hashes[1], hashes[0]);
  EXPECT_EQ(HashValue(*nulls->Slice(1, 2), 1), hashes[0]);
  EXPECT_TRUE(ValuesEqual(*nulls, 0, *nulls, 2));
  EXPECT_TRUE(RowsEqual({nulls, longs}, 0, {nulls, longs}, 2));
  EXPECT_FALSE(RowsEqual({nulls, longs}, 0, {nulls, longs}, 1));
}

TEST(RowHashTest, SequentialKeysSpreadOverBuckets) {
  // A hash table takes the low bits: sequential keys must fill 1024 buckets evenly
  // (each gets 64 of 65536 keys on average) and never collide in 64 bits.
  Int64Builder builder(LongType());
  constexpr int64_t kKeys = 65536;
  for (int64_t i = 0; i < kKeys; ++i) {
    builder.Append(i * 1024);  // multiples of the table size are the usual worst case
  }
  VectorPtr keys = builder.Finish();
  std::vector<uint64_t> hashes = Hash({keys}, kKeys);
  std::unordered_set<uint64_t> distinct(hashes.begin(), hashes.end());
  EXPECT_EQ(static_cast<int64_t>(distinct.size()), kKeys);
  std::vector<int> buckets(1024, 0);
  for (uint64_t hash : hashes) {
    ++buckets[hash & 1023];
  }
  const auto [low, high] = std::minmax_element(buckets.begin(), buckets.end());
  EXPECT_GT(*low, 30);
  EXPECT_LT(*high, 110);
}

}  // namespace
}  // namespace sluice
