// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "exec/tests/test_util.h"

namespace sluice::exec {
namespace {

using sql::BoundType;
using sql::FrameType;
using testing::Cell;
using testing::Col;
using testing::LongBatch;
using testing::RunBoth;

constexpr Cell kNull = std::nullopt;

// (p, o, v), in two batches.
sql::PlanPtr Data() {
  return testing::Values(
      {LongBatch({"p", "o", "v"}, {{1, 2, 20}, {2, 5, 1}, {1, 1, 10}}),
       LongBatch({"p", "o", "v"}, {{kNull, 1, 100}, {1, 3, kNull}, {1, 2, 30}})});
}

sql::WindowCall Ranking(const std::string& name, std::vector<expr::ExprPtr> args = {}) {
  const expr::FunctionEntry* entry = expr::FunctionRegistry::Default().Find(name);
  EXPECT_NE(entry, nullptr) << name;
  auto bound = entry->window(args, expr::BindContext{});
  EXPECT_TRUE(bound.ok()) << bound.status().ToString();
  sql::WindowCall call;
  call.window_function = *bound;
  call.args = std::move(args);
  call.partition_by = {Col(0)};
  call.order_by = {sql::SortKey{Col(1), true, true}};
  call.frame_type = FrameType::kRange;
  call.frame_end.type = BoundType::kCurrentRow;
  call.display = name;
  return call;
}

sql::WindowCall Sum(FrameType type, sql::FrameBoundSpec start, sql::FrameBoundSpec end,
                    bool ordered = true) {
  sql::AggregateCall aggregate = testing::Aggregate("sum", {Col(2)});
  sql::WindowCall call;
  call.aggregate = aggregate.function;
  call.args = aggregate.args;
  call.partition_by = {Col(0)};
  if (ordered)
    call.order_by = {sql::SortKey{Col(1), true, true}};
  call.frame_type = type;
  call.frame_start = start;
  call.frame_end = end;
  call.display = "sum";
  return call;
}

std::vector<std::string> RunWindow(std::vector<sql::WindowCall> calls) {
  auto child = Data();
  std::vector<Field> fields = child->schema()->fields();
  for (const auto& call : calls) {
    TypePtr type =
        call.window_function ? call.window_function->return_type : call.aggregate->return_type;
    fields.push_back(MakeField(call.display, type));
  }
  auto node = std::make_shared<sql::WindowNode>(MakeSchema(fields), child, std::move(calls));
  return testing::RunBothOrdered(node);
}

TEST(WindowTest, RankingFunctionsSeePeerGroups) {
  EXPECT_EQ(RunWindow({Ranking("row_number"), Ranking("rank"), Ranking("dense_rank")}),
            (std::vector<std::string>{"1|2|20|2|2|2", "2|5|1|1|1|1", "1|1|10|1|1|1",
                                      "NULL|1|100|1|1|1", "1|3|NULL|4|4|3", "1|2|30|3|2|2"}));
}

TEST(WindowTest, LagReadsThePreviousRowOfThePartition) {
  EXPECT_EQ(RunWindow({Ranking("lag", {Col(2)})}),
            (std::vector<std::string>{"1|2|20|10", "2|5|1|NULL", "1|1|10|NULL", "NULL|1|100|NULL",
                                      "1|3|NULL|30", "1|2|30|20"}));
}

TEST(WindowTest, AggregateOverWholePartition) {
  EXPECT_EQ(RunWindow({Sum(FrameType::kRows, {BoundType::kUnboundedPreceding},
                           {BoundType::kUnboundedFollowing}, false)}),
            (std::vector<std::string>{"1|2|20|60", "2|5|1|1", "1|1|10|60", "NULL|1|100|100",
                                      "1|3|NULL|60", "1|2|30|60"}));
}

TEST(WindowTest, RunningAggregateIncludesPeers) {
  EXPECT_EQ(RunWindow({Sum(FrameType::kRange, {BoundType::kUnboundedPreceding},
                           {BoundType::kCurrentRow})}),
            (std::vector<std::string>{"1|2|20|60", "2|5|1|1", "1|1|10|10", "NULL|1|100|100",
                                      "1|3|NULL|60", "1|2|30|60"}));
}

TEST(WindowTest, RowsFrameWithOffsets) {
  // Sorted p=1: (1,10) (2,20) (2,30) (3,NULL): one preceding through the current row.
  EXPECT_EQ(
      RunWindow({Sum(FrameType::kRows, {BoundType::kPreceding, 1}, {BoundType::kCurrentRow})}),
      (std::vector<std::string>{"1|2|20|30", "2|5|1|1", "1|1|10|10", "NULL|1|100|100",
                                "1|3|NULL|30", "1|2|30|50"}));
  // An empty frame (two to three following of the last rows) sums to null.
  EXPECT_EQ(
      RunWindow({Sum(FrameType::kRows, {BoundType::kFollowing, 2}, {BoundType::kFollowing, 3})}),
      (std::vector<std::string>{"1|2|20|NULL", "2|5|1|NULL", "1|1|10|30", "NULL|1|100|NULL",
                                "1|3|NULL|NULL", "1|2|30|NULL"}));
}

TEST(WindowTest, RunningSumOverALargePartitionIsLinear) {
  std::vector<std::vector<Cell>> rows;
  for (int64_t i = 0; i < 20000; ++i)
    rows.push_back({0, 19999 - i, 19999 - i});
  auto child = testing::LongValues({"p", "o", "v"}, rows);
  std::vector<Field> fields = child->schema()->fields();
  fields.push_back(MakeField("sum", LongType()));
  auto node = std::make_shared<sql::WindowNode>(
      MakeSchema(fields), child,
      std::vector<sql::WindowCall>{
          Sum(FrameType::kRows, {BoundType::kUnboundedPreceding}, {BoundType::kPreceding, 1})});
  auto result = testing::Run(node);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->size(), 20000u);
  EXPECT_EQ((*result)[19999], "0|0|0|NULL");
  EXPECT_EQ((*result)[0], "0|19999|19999|" + std::to_string(int64_t{19998} * 19999 / 2));
}

TEST(WindowTest, RangeFrameWithOffsetsCoversKeysWithinTheOffset) {
  // Partition 1's keys are 1, 2, 2, 3: RANGE 1 PRECEDING takes both 2s from a 2 or a 3.
  EXPECT_EQ(
      RunWindow({Sum(FrameType::kRange, {BoundType::kPreceding, 1}, {BoundType::kCurrentRow})}),
      (std::vector<std::string>{"1|2|20|60", "2|5|1|1", "1|1|10|10", "NULL|1|100|100",
                                "1|3|NULL|50", "1|2|30|60"}));
}

TEST(WindowTest, RangeFrameWithOffsetsNeedsOneOrderKey) {
  auto child = Data();
  std::vector<Field> fields = child->schema()->fields();
  fields.push_back(MakeField("sum", LongType()));
  sql::WindowCall call =
      Sum(FrameType::kRange, {BoundType::kPreceding, 1}, {BoundType::kCurrentRow});
  call.order_by.push_back(sql::SortKey{Col(2), true, true});
  auto node = std::make_shared<sql::WindowNode>(MakeSchema(fields), child,
                                                std::vector<sql::WindowCall>{call});
  Result<std::vector<BatchPtr>> result = ExecuteToBatches(node, {});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("RANGE_FRAME_MULTI_ORDER"), std::string::npos);
}

}  // namespace
}  // namespace sluice::exec
