// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "exec/tests/test_util.h"

namespace sluice::exec {
namespace {

using testing::Aggregate;
using testing::Cell;
using testing::Col;
using testing::Compare;
using testing::Lit;
using testing::LongBatch;
using testing::RunBoth;
using testing::Sorted;

sql::PlanPtr Data(int64_t count, int64_t batch_rows) {
  std::vector<BatchPtr> batches;
  for (int64_t start = 0; start < count; start += batch_rows) {
    std::vector<std::vector<Cell>> rows;
    for (int64_t i = start; i < std::min(count, start + batch_rows); ++i) {
      rows.push_back({i % 5 == 4 ? std::nullopt : Cell(i % 5), i});
    }
    batches.push_back(LongBatch({"k", "v"}, rows));
  }
  return testing::Values(std::move(batches));
}

sql::PlanPtr AggregatePlan(sql::PlanPtr child, std::vector<expr::ExprPtr> groups,
                           std::vector<sql::AggregateCall> calls) {
  std::vector<Field> fields;
  for (size_t i = 0; i < groups.size(); ++i) {
    fields.push_back(MakeField("g" + std::to_string(i), groups[i]->type()));
  }
  for (const auto& call : calls)
    fields.push_back(MakeField(call.display, call.function.return_type));
  return std::make_shared<sql::AggregateNode>(MakeSchema(fields), std::move(child),
                                              std::move(groups), std::move(calls));
}

TEST(HashAggregateTest, GroupsWithNullKeyAcrossThreads) {
  auto plan = AggregatePlan(
      Data(1000, 64), {Col(0)},
      {Aggregate("count", {Col(1)}), Aggregate("sum", {Col(1)}), Aggregate("max", {Col(1)})});
  auto rows = Sorted(RunBoth(plan));
  EXPECT_EQ(rows, (std::vector<std::string>{"0|200|99500|995", "1|200|99700|996", "2|200|99900|997",
                                            "3|200|100100|998", "NULL|200|100300|999"}));
}

TEST(HashAggregateTest, GlobalAggregateOverEmptyInputGivesOneRow) {
  SchemaPtr schema = MakeSchema({MakeField("v", LongType())});
  auto empty = std::make_shared<sql::ValuesNode>(schema, std::vector<BatchPtr>{});
  auto plan = AggregatePlan(empty, {}, {Aggregate("count", {Col(0)}), Aggregate("sum", {Col(0)})});
  EXPECT_EQ(RunBoth(plan), (std::vector<std::string>{"0|NULL"}));
}

TEST(HashAggregateTest, GroupedAggregateOverEmptyInputGivesNoRows) {
  SchemaPtr schema = MakeSchema({MakeField("v", LongType())});
  auto empty = std::make_shared<sql::ValuesNode>(schema, std::vector<BatchPtr>{});
  auto plan = AggregatePlan(empty, {Col(0)}, {Aggregate("count", {Col(0)})});
  EXPECT_TRUE(RunBoth(plan).empty());
}

TEST(HashAggregateTest, FilterClauseSkipsRows) {
  auto call = Aggregate("count", {Col(1)});
  call.filter = Compare(">=", Col(1), Lit(990));
  auto plan = AggregatePlan(Data(1000, 100), {}, {std::move(call), Aggregate("count", {Col(1)})});
  EXPECT_EQ(RunBoth(plan), (std::vector<std::string>{"10|1000"}));
}

TEST(HashAggregateTest, DistinctWithoutAggregates) {
  auto plan = AggregatePlan(Data(50, 7), {Col(0)}, {});
  EXPECT_EQ(Sorted(RunBoth(plan)), (std::vector<std::string>{"0", "1", "2", "3", "NULL"}));
}

TEST(HashAggregateTest, CountDistinctMergesAcrossThreads) {
  auto plan = AggregatePlan(Data(1000, 10), {}, {Aggregate("count", {Col(0)}, true)});
  EXPECT_EQ(RunBoth(plan), (std::vector<std::string>{"4"}));
}

TEST(HashAggregateTest, OverMemoryLimitFailsWithLimitError) {
  ExecOptions options;
  options.memory_limit_bytes = 1000;
  auto plan = AggregatePlan(Data(10000, 1000), {Col(1)}, {Aggregate("count", {Col(1)})});
  auto result = ExecuteToBatches(plan, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(result.status().message(),
            "[SLUICE_MEMORY_LIMIT] HashAggregate needs more than the query memory limit of 1000 "
            "bytes; raise sluice.sql.memoryLimit");
}

}  // namespace
}  // namespace sluice::exec
