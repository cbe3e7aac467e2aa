// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "exec/tests/test_util.h"

namespace sluice::exec {
namespace {

using testing::Col;
using testing::Compare;
using testing::Lit;
using testing::LongBatch;
using testing::LongValues;
using testing::RunBoth;
using testing::Values;

sql::PlanPtr Numbers(int64_t count, int64_t batch_rows) {
  std::vector<BatchPtr> batches;
  for (int64_t start = 0; start < count; start += batch_rows) {
    std::vector<std::vector<testing::Cell>> rows;
    for (int64_t i = start; i < std::min(count, start + batch_rows); ++i) {
      rows.push_back({i, i % 3 == 0 ? std::nullopt : testing::Cell(i * 10)});
    }
    batches.push_back(LongBatch({"id", "v"}, rows));
  }
  return Values(std::move(batches));
}

TEST(BasicOperatorsTest, ValuesComeBackInOrder) {
  auto rows = testing::RunBothOrdered(LongValues({"a", "b"}, {{1, 2}, {std::nullopt, 4}}));
  EXPECT_EQ(rows, (std::vector<std::string>{"1|2", "NULL|4"}));
}

TEST(BasicOperatorsTest, FilterKeepsRowsWherePredicateIsTrueNotNull) {
  auto plan = std::make_shared<sql::FilterNode>(Numbers(10, 3), Compare(">", Col(1), Lit(40)));
  EXPECT_EQ(RunBoth(plan), (std::vector<std::string>{"5|50", "7|70", "8|80"}));
}

TEST(BasicOperatorsTest, ProjectComputesExpressionsUnderOutputNames) {
  SchemaPtr schema = MakeSchema({MakeField("v", LongType()), MakeField("big", BooleanType())});
  auto plan = std::make_shared<sql::ProjectNode>(
      schema, Numbers(4, 2), std::vector<expr::ExprPtr>{Col(1), Compare(">=", Col(0), Lit(2))});
  EXPECT_EQ(RunBoth(plan),
            (std::vector<std::string>{"NULL|false", "10|false", "20|true", "NULL|true"}));
}

TEST(BasicOperatorsTest, LimitAndOffsetOnOrderedInput) {
  auto plan = std::make_shared<sql::LimitNode>(Numbers(100, 7), 3, 5);
  auto rows = testing::Run(plan);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{"5|50", "6|NULL", "7|70"}));
}

TEST(BasicOperatorsTest, LimitAcrossThreadsReturnsExactlyLimitRows) {
  ThreadPool pool(3);
  ExecOptions options;
  options.pool = &pool;
  auto plan = std::make_shared<sql::LimitNode>(Numbers(1000, 10), 25, 0);
  auto rows = testing::Run(plan, options);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->size(), 25u);
}

TEST(BasicOperatorsTest, OffsetWithoutLimitSkipsRows) {
  auto plan = std::make_shared<sql::LimitNode>(Numbers(5, 2), std::nullopt, 3);
  auto rows = testing::Run(plan);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (std::vector<std::string>{"3|NULL", "4|40"}));
}

TEST(BasicOperatorsTest, UnionAllConcatenatesInputsUnderFirstNames) {
  auto left = LongValues({"a"}, {{1}, {2}});
  auto right = LongValues({"b"}, {{3}});
  auto plan = std::make_shared<sql::SetOpNode>(
      left->schema(), std::vector<sql::PlanPtr>{left, right}, sql::SetOperation::kUnion, true);
  EXPECT_EQ(RunBoth(plan), (std::vector<std::string>{"1", "2", "3"}));
}

TEST(BasicOperatorsTest, EmptyInputGivesNoRows) {
  SchemaPtr schema = MakeSchema({MakeField("a", LongType())});
  auto empty = std::make_shared<sql::ValuesNode>(schema, std::vector<BatchPtr>{});
  auto plan = std::make_shared<sql::FilterNode>(empty, Compare(">", Col(0), Lit(1)));
  EXPECT_TRUE(RunBoth(plan).empty());
}

TEST(BasicOperatorsTest, ConsumerErrorStopsTheQuery) {
  Status status = ExecutePlan(Numbers(10, 2), {},
                              [](BatchPtr) { return Status::InvalidArgument("consumer says no"); });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sluice::exec
