// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "exec/tests/test_util.h"

namespace sluice::exec {
namespace {

using testing::Cell;
using testing::LongBatch;
using testing::RunBoth;
using testing::Sorted;

constexpr Cell kNull = std::nullopt;

sql::PlanPtr First() {
  return testing::Values({LongBatch({"a", "b"}, {{1, 1}, {1, 1}, {1, 1}, {2, kNull}}),
                          LongBatch({"a", "b"}, {{2, kNull}, {3, 3}, {kNull, kNull}})});
}

sql::PlanPtr Second() {
  return testing::Values({LongBatch({"x", "y"}, {{1, 1}, {2, kNull}, {kNull, kNull}}),
                          LongBatch({"x", "y"}, {{1, 1}, {4, 4}})});
}

std::vector<std::string> SetOp(sql::SetOperation op, bool all) {
  auto first = First();
  auto node = std::make_shared<sql::SetOpNode>(first->schema(),
                                               std::vector<sql::PlanPtr>{first, Second()}, op, all);
  return Sorted(RunBoth(node));
}

TEST(SetOpsTest, UnionDistinctTreatsNullsAsEqual) {
  EXPECT_EQ(SetOp(sql::SetOperation::kUnion, false),
            (std::vector<std::string>{"1|1", "2|NULL", "3|3", "4|4", "NULL|NULL"}));
}

TEST(SetOpsTest, UnionOfThreeInputs) {
  auto first = First();
  auto node = std::make_shared<sql::SetOpNode>(
      first->schema(),
      std::vector<sql::PlanPtr>{first, Second(), testing::LongValues({"p", "q"}, {{9, 9}})},
      sql::SetOperation::kUnion, false);
  EXPECT_EQ(RunBoth(node).size(), 6u);
}

TEST(SetOpsTest, IntersectDistinctAndAll) {
  EXPECT_EQ(SetOp(sql::SetOperation::kIntersect, false),
            (std::vector<std::string>{"1|1", "2|NULL", "NULL|NULL"}));
  EXPECT_EQ(SetOp(sql::SetOperation::kIntersect, true),
            (std::vector<std::string>{"1|1", "1|1", "2|NULL", "NULL|NULL"}));
}

TEST(SetOpsTest, ExceptDistinctAndAll) {
  EXPECT_EQ(SetOp(sql::SetOperation::kExcept, false), (std::vector<std::string>{"3|3"}));
  EXPECT_EQ(SetOp(sql::SetOperation::kExcept, true),
            (std::vector<std::string>{"1|1", "2|NULL", "3|3"}));
}

TEST(SetOpsTest, ExceptWithEmptySecondInputDeduplicates) {
  auto first = First();
  auto empty = std::make_shared<sql::ValuesNode>(Second()->schema(), std::vector<BatchPtr>{});
  auto node = std::make_shared<sql::SetOpNode>(
      first->schema(), std::vector<sql::PlanPtr>{first, empty}, sql::SetOperation::kExcept, false);
  EXPECT_EQ(RunBoth(node).size(), 4u);
}

}  // namespace
}  // namespace sluice::exec
