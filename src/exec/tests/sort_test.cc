// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <filesystem>

#include "exec/tests/test_util.h"

namespace sluice::exec {
namespace {

using testing::Cell;
using testing::Col;
using testing::LongBatch;
using testing::RunBothOrdered;

constexpr Cell kNull = std::nullopt;

sql::PlanPtr Sort(sql::PlanPtr child, std::vector<sql::SortKey> keys) {
  return std::make_shared<sql::SortNode>(std::move(child), std::move(keys));
}

sql::SortKey Key(int column, bool ascending, bool nulls_first, TypePtr type = LongType()) {
  return sql::SortKey{Col(column, std::move(type)), ascending, nulls_first};
}

sql::PlanPtr Pairs() {
  return testing::Values({LongBatch({"a", "b"}, {{2, 1}, {kNull, 5}, {1, 9}}),
                          LongBatch({"a", "b"}, {{2, kNull}, {1, 3}, {2, 7}})});
}

TEST(SortTest, MultipleKeysWithDirectionsAndNullPlacement) {
  auto rows = RunBothOrdered(Sort(Pairs(), {Key(0, true, true), Key(1, false, false)}));
  EXPECT_EQ(rows, (std::vector<std::string>{"NULL|5", "1|9", "1|3", "2|7", "2|1", "2|NULL"}));
  rows = RunBothOrdered(Sort(Pairs(), {Key(0, false, false), Key(1, true, true)}));
  EXPECT_EQ(rows, (std::vector<std::string>{"2|NULL", "2|1", "2|7", "1|3", "1|9", "NULL|5"}));
}

TEST(SortTest, DoublesPutNaNLastAndStringsCompareBytes) {
  SchemaPtr schema = MakeSchema({MakeField("d", DoubleType()), MakeField("s", StringType())});
  BatchBuilder builder(schema);
  const std::vector<std::pair<double, std::string>> values = {
      {std::nan(""), "b"}, {1.5, "\xc3\xa9"}, {-0.0, "a"}, {-2.0, "z"}, {0.0, "B"}};
  for (const auto& [d, s] : values) {
    static_cast<DoubleBuilder*>(builder.column(0))->Append(d);
    static_cast<StringBuilder*>(builder.column(1))->Append(s);
  }
  builder.column(0)->AppendNull();
  builder.column(1)->AppendNull();
  auto values_plan = testing::Values({builder.Finish()});
  auto by_double = RunBothOrdered(Sort(values_plan, {Key(0, true, false, DoubleType())}));
  ASSERT_EQ(by_double.size(), 6u);
  EXPECT_EQ(by_double[0], "-2.0|z");
  EXPECT_EQ(by_double[3], "1.5|\xc3\xa9");
  EXPECT_EQ(by_double[4], "NaN|b");
  EXPECT_EQ(by_double[5], "NULL|NULL");
  auto by_string = RunBothOrdered(Sort(values_plan, {Key(1, true, true, StringType())}));
  EXPECT_EQ(by_string, (std::vector<std::string>{"NULL|NULL", "0.0|B", "-0.0|a", "NaN|b", "-2.0|z",
                                                 "1.5|\xc3\xa9"}));
}

sql::PlanPtr Shuffled(int64_t count, int64_t batch_rows) {
  std::vector<BatchPtr> batches;
  for (int64_t start = 0; start < count; start += batch_rows) {
    std::vector<std::vector<Cell>> rows;
    for (int64_t i = start; i < std::min(count, start + batch_rows); ++i) {
      rows.push_back({(i * 7919) % count, i % 10 == 0 ? kNull : Cell(i)});
    }
    batches.push_back(LongBatch({"k", "v"}, rows));
  }
  return testing::Values(std::move(batches));
}

TEST(SortTest, TopNKeepsFirstRowsAfterOffset) {
  auto sort = Sort(Shuffled(1000, 64), {Key(0, false, true)});
  auto plan = std::make_shared<sql::LimitNode>(sort, 3, 2);
  auto rows = RunBothOrdered(plan);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].substr(0, 4), "997|");
  EXPECT_EQ(rows[2].substr(0, 4), "995|");
}

TEST(SortTest, TopNOverManyBatchesSkipsRowsBelowTheKeptOnes) {
  // Past the first compaction, rows that cannot enter the top N are dropped on arrival.
  auto sort = Sort(Shuffled(50000, 1000), {Key(0, false, true)});
  auto plan = std::make_shared<sql::LimitNode>(sort, 5, 0);
  auto rows = RunBothOrdered(plan);
  ASSERT_EQ(rows.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(rows[i].substr(0, 6), std::to_string(49999 - i) + "|");
  }
}

TEST(SortTest, TopNOnASecondColumnKeepsTheRightRows) {
  // The key is not the first data column: the early drop must read the key columns.
  auto sort = Sort(Shuffled(50000, 1000), {Key(1, false, false)});
  auto plan = std::make_shared<sql::LimitNode>(sort, 5, 0);
  auto rows = RunBothOrdered(plan);
  ASSERT_EQ(rows.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    const std::string row = rows[i];
    EXPECT_EQ(row.substr(row.find('|') + 1), std::to_string(49999 - i)) << row;
  }
}

TEST(SortTest, SpillsSortedRunsPastMemoryLimitAndMergesThem) {
  const std::string spill_dir = ::testing::TempDir() + "/exec_sort_spill";
  std::filesystem::remove_all(spill_dir);
  std::filesystem::create_directories(spill_dir);
  ExecOptions options;
  options.memory_limit_bytes = 64 << 10;
  options.spill_dir = spill_dir;
  auto plan = Sort(Shuffled(20000, 500), {Key(0, true, true)});
  ExecMetrics metrics;
  auto batches = ExecuteToBatches(plan, options, &metrics);
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  EXPECT_GT(metrics.bytes_spilled, 0);
  auto rows = testing::RowStrings(*batches);
  ASSERT_EQ(rows.size(), 20000u);
  for (int64_t i = 0; i < 20000; ++i) {
    ASSERT_EQ(rows[i].substr(0, rows[i].find('|')), std::to_string(i));
  }
  EXPECT_EQ(RunBothOrdered(plan, options), rows);
  EXPECT_TRUE(std::filesystem::is_empty(spill_dir));
}

/// Batches of (string, double, long) rows with nulls, NaN, -0.0 and shared prefixes.
sql::PlanPtr MixedRows(int64_t count, int64_t batch_rows) {
  SchemaPtr schema = MakeSchema(
      {MakeField("s", StringType()), MakeField("d", DoubleType()), MakeField("v", LongType())});
  std::vector<BatchPtr> batches;
  for (int64_t start = 0; start < count; start += batch_rows) {
    BatchBuilder builder(schema);
    for (int64_t i = start; i < std::min(count, start + batch_rows); ++i) {
      const int64_t h = (i * 7919) % 101;
      if (h % 9 == 0) {
        builder.column(0)->AppendNull();
      } else {
        static_cast<StringBuilder*>(builder.column(0))->Append("prefix__" + std::to_string(h % 7));
      }
      if (h % 11 == 0) {
        builder.column(1)->AppendNull();
      } else {
        const double d = h % 5 == 0 ? std::nan("") : (h % 3 == 0 ? -0.0 : (h % 13) - 6.0);
        static_cast<DoubleBuilder*>(builder.column(1))->Append(d);
      }
      static_cast<Int64Builder*>(builder.column(2))->Append(i);
    }
    batches.push_back(builder.Finish());
  }
  return testing::Values(std::move(batches));
}

TEST(SortTest, SpilledRunsOfStringAndDoubleKeysMergeLikeTheInMemorySort) {
  const std::string spill_dir = ::testing::TempDir() + "/exec_sort_spill_mixed";
  std::filesystem::remove_all(spill_dir);
  std::filesystem::create_directories(spill_dir);
  auto plan = Sort(MixedRows(6000, 300), {Key(0, false, false, StringType()),
                                          Key(1, true, true, DoubleType()), Key(2, false, true)});
  auto in_memory = ExecuteToBatches(plan, ExecOptions{});
  ASSERT_TRUE(in_memory.ok()) << in_memory.status().ToString();
  ExecOptions options;
  options.memory_limit_bytes = 64 << 10;
  options.spill_dir = spill_dir;
  ExecMetrics metrics;
  auto spilled = ExecuteToBatches(plan, options, &metrics);
  ASSERT_TRUE(spilled.ok()) << spilled.status().ToString();
  EXPECT_GT(metrics.bytes_spilled, 0);
  const std::vector<std::string> rows = testing::RowStrings(*in_memory);
  ASSERT_EQ(rows.size(), 6000u);
  EXPECT_EQ(rows.front().substr(0, 9), "prefix__6");
  EXPECT_EQ(rows.back().substr(0, 5), "NULL|");
  EXPECT_EQ(testing::RowStrings(*spilled), rows);
  EXPECT_TRUE(std::filesystem::is_empty(spill_dir));
}

TEST(SortTest, EmptyInputSortsToNothing) {
  SchemaPtr schema = MakeSchema({MakeField("a", LongType())});
  auto empty = std::make_shared<sql::ValuesNode>(schema, std::vector<BatchPtr>{});
  EXPECT_TRUE(RunBothOrdered(Sort(empty, {Key(0, true, true)})).empty());
}

TEST(SortTest, LimitAboveSortWithLargeLimitKeepsOrder) {
  auto sort = Sort(Shuffled(300, 16), {Key(0, true, true)});
  auto plan = std::make_shared<sql::LimitNode>(sort, 200000, 295);
  auto rows = RunBothOrdered(plan);
  ASSERT_EQ(rows.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(rows[i].substr(0, rows[i].find('|')), std::to_string(295 + i));
  }
}

}  // namespace
}  // namespace sluice::exec
