// SPDX-License-Identifier: Apache-2.0
#include "exec/group_table.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "columnar/builder.h"
#include "columnar/row_hash.h"

namespace sluice::exec {
namespace {

using Columns = std::vector<VectorPtr>;

template <typename Builder, typename T>
VectorPtr Make(TypePtr type, const std::vector<std::optional<T>>& values) {
  Builder builder(std::move(type));
  for (const auto& value : values) {
    if (value) {
      builder.Append(*value);
    } else {
      builder.AppendNull();
    }
  }
  return builder.Finish();
}

VectorPtr Longs(const std::vector<std::optional<int64_t>>& values) {
  return Make<Int64Builder>(LongType(), values);
}
VectorPtr Doubles(const std::vector<std::optional<double>>& values) {
  return Make<DoubleBuilder>(DoubleType(), values);
}
VectorPtr Strings(const std::vector<std::optional<std::string>>& values) {
  return Make<StringBuilder>(StringType(), values);
}

/// Random columns of many key types, `rows` long, from a small domain so that keys
/// repeat: long, int, double (with -0.0, NaNs of two bit patterns), boolean, decimal,
/// string and struct<long, double> (null structs and null fields), each with nulls.
Columns RandomColumns(std::mt19937_64& rng, int64_t rows) {
  const double nan2 = std::bit_cast<double>(uint64_t{0x7FF8000000000123ULL});
  const double doubles[] = {0.0, -0.0, 1.5, std::nan(""), nan2, -2.0};
  Int64Builder longs(LongType());
  Int32Builder ints(IntType());
  DoubleBuilder dbls(DoubleType());
  BooleanBuilder bools(BooleanType());
  DecimalBuilder decimals(DecimalType(30, 2));
  StringBuilder strings(StringType());
  StructBuilder structs(StructType({MakeField("a", LongType()), MakeField("b", DoubleType())}));
  auto* struct_a = static_cast<Int64Builder*>(structs.child(0));
  auto* struct_b = static_cast<DoubleBuilder*>(structs.child(1));
  auto null = [&rng] { return rng() % 7 == 0; };
  for (int64_t i = 0; i < rows; ++i) {
    null() ? longs.AppendNull() : longs.Append(static_cast<int64_t>(rng() % 5) - 2);
    null() ? ints.AppendNull() : ints.Append(static_cast<int32_t>(rng() % 3));
    null() ? dbls.AppendNull() : dbls.Append(doubles[rng() % 6]);
    null() ? bools.AppendNull() : bools.Append(rng() % 2 == 0);
    null() ? decimals.AppendNull()
           : decimals.Append((static_cast<Int128>(rng() % 3) << 70) - static_cast<Int128>(1));
    null() ? strings.AppendNull() : strings.Append(std::string(rng() % 3, 'x'));
    if (null()) {
      structs.AppendNull();
    } else {
      null() ? struct_a->AppendNull() : struct_a->Append(static_cast<int64_t>(rng() % 2));
      null() ? struct_b->AppendNull() : struct_b->Append(doubles[rng() % 6]);
      structs.Append();
    }
  }
  return {longs.Finish(),    ints.Finish(),    dbls.Finish(),   bools.Finish(),
          decimals.Finish(), strings.Finish(), structs.Finish()};
}

Columns Pick(const Columns& all, const std::vector<int>& which, int64_t offset, int64_t length) {
  Columns picked;
  for (int c : which) {
    picked.push_back(all[c]->Slice(offset, length));
  }
  return picked;
}

/// Inserts `batches` into a table and checks the ids against a brute-force grouping
/// by RowsEqual: dense, in order of first appearance, equal exactly for equal rows;
/// then checks KeyColumns holds each group's key.
void CheckAgainstReference(const std::vector<Columns>& batches) {
  GroupTable table;
  std::vector<Columns> first_batch;  // per group: the batch and row that opened it
  std::vector<int64_t> first_row;
  for (const Columns& batch : batches) {
    const int64_t rows = batch[0]->length();
    std::vector<int64_t> ids(static_cast<size_t>(rows));
    ASSERT_TRUE(table.FindOrInsert(batch, rows, ids.data()).ok());
    for (int64_t r = 0; r < rows; ++r) {
      int64_t expected = -1;
      for (size_t g = 0; g < first_row.size(); ++g) {
        if (RowsEqual(batch, r, first_batch[g], first_row[g])) {
          expected = static_cast<int64_t>(g);
          break;
        }
      }
      if (expected < 0) {
        expected = static_cast<int64_t>(first_row.size());
        first_batch.push_back(batch);
        first_row.push_back(r);
      }
      ASSERT_EQ(ids[r], expected) << "row " << r;
    }
  }
  ASSERT_EQ(table.num_groups(), static_cast<int64_t>(first_row.size()));
  auto keys = table.KeyColumns(static_cast<int>(batches[0].size()));
  ASSERT_TRUE(keys.ok());
  for (size_t g = 0; g < first_row.size(); ++g) {
    EXPECT_TRUE(RowsEqual(*keys, static_cast<int64_t>(g), first_batch[g], first_row[g])) << g;
  }
  EXPECT_GT(table.memory_bytes(), 0);
}

TEST(GroupTableTest, GroupsMatchRowsEqualForEveryKeyShape) {
  std::mt19937_64 rng(42);
  const std::vector<std::vector<int>> shapes = {{0}, {1},    {2},       {3},    {4},    {5},
                                                {6}, {0, 2}, {1, 3, 4}, {6, 0}, {0, 5}, {2, 6, 3}};
  for (const auto& shape : shapes) {
    SCOPED_TRACE(::testing::Message() << "shape starting with column " << shape[0]);
    std::vector<Columns> batches;
    for (int b = 0; b < 3; ++b) {
      Columns all = RandomColumns(rng, 300);
      // Slices with offsets, and one batch whose columns have no nulls at the front.
      batches.push_back(Pick(all, shape, b * 7, 200));
    }
    CheckAgainstReference(batches);
  }
}

TEST(GroupTableTest, ChoosesPackedLayoutForFixedWidthKeys) {
  std::mt19937_64 rng(1);
  Columns all = RandomColumns(rng, 10);
  std::vector<int64_t> ids(10);
  GroupTable packed;
  ASSERT_TRUE(packed.FindOrInsert(Pick(all, {0, 2, 6}, 0, 10), 10, ids.data()).ok());
  EXPECT_EQ(packed.layout(), GroupTable::Layout::kPacked);
  GroupTable generic;
  ASSERT_TRUE(generic.FindOrInsert(Pick(all, {0, 5}, 0, 10), 10, ids.data()).ok());
  EXPECT_EQ(generic.layout(), GroupTable::Layout::kGeneric);
  GroupTable none;
  ASSERT_TRUE(none.FindOrInsert({}, 10, ids.data()).ok());
  EXPECT_EQ(none.layout(), GroupTable::Layout::kNoKeys);
  EXPECT_EQ(none.num_groups(), 1);
  EXPECT_EQ(ids, std::vector<int64_t>(10, 0));
}

TEST(GroupTableTest, SingleLongKeyWithNullsAcrossGrowth) {
  // Enough distinct keys to grow the slot array several times; nulls form one group.
  GroupTable table;
  const int64_t rows = 5000;
  std::vector<std::optional<int64_t>> values;
  for (int64_t i = 0; i < rows; ++i) {
    values.push_back(i % 10 == 3 ? std::nullopt : std::optional<int64_t>((i * 7919) % 3001 - 1500));
  }
  VectorPtr keys = Longs(values);
  std::vector<int64_t> ids(rows);
  ASSERT_TRUE(table.FindOrInsert({keys}, rows, ids.data()).ok());
  ASSERT_TRUE(table.FindOrInsert({keys->Slice(1000, 2000)}, 2000, ids.data()).ok());
  auto columns = table.KeyColumns(1);
  ASSERT_TRUE(columns.ok());
  const Vector& stored = *(*columns)[0];
  for (int64_t r = 0; r < 2000; ++r) {
    EXPECT_TRUE(ValuesEqual(stored, ids[r], *keys, 1000 + r)) << r;
  }
  EXPECT_EQ(stored.null_count(), 1);
}

TEST(GroupTableTest, FloatKeysAreNormalized) {
  GroupTable table;
  VectorPtr keys = Doubles({-0.0, 0.0, std::nan(""), -std::nan(""), std::nullopt, 1.0});
  std::vector<int64_t> ids(6);
  ASSERT_TRUE(table.FindOrInsert({keys}, 6, ids.data()).ok());
  EXPECT_EQ(ids, (std::vector<int64_t>{0, 0, 1, 1, 2, 3}));
  auto columns = table.KeyColumns(1);
  ASSERT_TRUE(columns.ok());
  const Vector& stored = *(*columns)[0];
  EXPECT_FALSE(std::signbit(stored.Value<double>(0)));  // 0.0, not -0.0
  EXPECT_TRUE(std::isnan(stored.Value<double>(1)));
  EXPECT_TRUE(stored.IsNull(2));
}

TEST(GroupTableTest, MergeThroughKeyColumnsMapsEqualGroups) {
  std::mt19937_64 rng(7);
  for (const std::vector<int>& shape : std::vector<std::vector<int>>{{0}, {6, 1}, {5, 2}}) {
    Columns left = Pick(RandomColumns(rng, 200), shape, 0, 200);
    Columns right = Pick(RandomColumns(rng, 200), shape, 0, 200);
    GroupTable a;
    GroupTable b;
    std::vector<int64_t> ids(200);
    ASSERT_TRUE(a.FindOrInsert(left, 200, ids.data()).ok());
    ASSERT_TRUE(b.FindOrInsert(right, 200, ids.data()).ok());
    auto b_keys = b.KeyColumns(static_cast<int>(shape.size()));
    ASSERT_TRUE(b_keys.ok());
    std::vector<int64_t> map(static_cast<size_t>(b.num_groups()));
    ASSERT_TRUE(a.FindOrInsert(*b_keys, b.num_groups(), map.data()).ok());
    auto a_keys = a.KeyColumns(static_cast<int>(shape.size()));
    ASSERT_TRUE(a_keys.ok());
    for (int64_t g = 0; g < b.num_groups(); ++g) {
      EXPECT_TRUE(RowsEqual(*a_keys, map[g], *b_keys, g)) << g;
    }
  }
}

TEST(GroupTableTest, StringKeysGroupByBytes) {
  GroupTable table;
  VectorPtr keys = Strings({"a", std::nullopt, "", "a", std::nullopt, ""});
  std::vector<int64_t> ids(6);
  ASSERT_TRUE(table.FindOrInsert({keys}, 6, ids.data()).ok());
  EXPECT_EQ(ids, (std::vector<int64_t>{0, 1, 2, 0, 1, 2}));
}

TEST(GroupTableTest, StringKeysOfEveryLengthGroupByBytes) {
  // Lengths 0 to 40 cover the short (overlapping loads) and long hashing and compare
  // paths; keys differ in one byte at any position, and slices move the offsets.
  std::mt19937_64 rng(3);
  std::vector<Columns> batches;
  for (int b = 0; b < 3; ++b) {
    std::vector<std::optional<std::string>> values;
    for (int i = 0; i < 400; ++i) {
      if (rng() % 17 == 0) {
        values.push_back(std::nullopt);
        continue;
      }
      std::string value(rng() % 41, 'a');
      if (!value.empty() && rng() % 2 == 0) {
        value[rng() % value.size()] = 'b';
      }
      values.push_back(value);
    }
    batches.push_back({Strings(values)->Slice(b, 390)});
  }
  CheckAgainstReference(batches);
  // With a second key column the generic layout compares column by column.
  std::vector<Columns> pairs;
  for (const Columns& batch : batches) {
    std::vector<std::optional<int64_t>> longs;
    for (int64_t i = 0; i < batch[0]->length(); ++i) {
      longs.push_back(static_cast<int64_t>(rng() % 2));
    }
    pairs.push_back({batch[0], Longs(longs)});
  }
  CheckAgainstReference(pairs);
}

}  // namespace
}  // namespace sluice::exec
