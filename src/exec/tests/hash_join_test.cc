// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "exec/tests/test_util.h"

namespace sluice::exec {
namespace {

using sql::JoinKind;
using testing::Cell;
using testing::Col;
using testing::Compare;
using testing::Lit;
using testing::LongBatch;
using testing::RunBoth;
using testing::Sorted;

constexpr Cell kNull = std::nullopt;

sql::PlanPtr Left() {
  // Two batches so that probes run on several threads.
  return testing::Values({LongBatch({"id", "lk"}, {{1, 1}, {2, 2}, {3, kNull}}),
                          LongBatch({"id", "lk"}, {{4, 4}, {5, 2}})});
}

sql::PlanPtr Right() {
  return testing::Values({LongBatch({"rk", "rv"}, {{1, 10}, {2, 20}, {2, 21}}),
                          LongBatch({"rk", "rv"}, {{kNull, 30}, {7, 70}})});
}

std::shared_ptr<sql::JoinNode> Join(JoinKind kind, bool build_left, bool null_safe = false,
                                    expr::ExprPtr residual = nullptr) {
  auto left = Left();
  auto right = Right();
  std::vector<Field> fields = left->schema()->fields();
  if (kind != JoinKind::kLeftSemi && kind != JoinKind::kLeftAnti) {
    for (const Field& f : right->schema()->fields())
      fields.push_back(f);
  }
  auto join = std::make_shared<sql::JoinNode>(MakeSchema(fields), left, right, kind);
  if (kind != JoinKind::kCross) {
    join->left_keys = {Col(1)};
    join->right_keys = {Col(0)};
    join->null_safe = {null_safe};
  }
  join->residual = std::move(residual);
  join->build_left = build_left;
  return join;
}

/// Runs the join building either side, single- and multi-threaded; all four must agree.
std::vector<std::string> RunJoin(JoinKind kind, bool null_safe = false,
                                 expr::ExprPtr residual = nullptr) {
  auto right_built = Sorted(RunBoth(Join(kind, false, null_safe, residual)));
  auto left_built = Sorted(RunBoth(Join(kind, true, null_safe, residual)));
  EXPECT_EQ(right_built, left_built);
  return right_built;
}

const std::vector<std::string> kInner = {"1|1|1|10", "2|2|2|20", "2|2|2|21", "5|2|2|20",
                                         "5|2|2|21"};

std::vector<std::string> With(std::vector<std::string> rows, std::vector<std::string> more) {
  rows.insert(rows.end(), more.begin(), more.end());
  return Sorted(rows);
}

TEST(HashJoinTest, InnerJoinNeverMatchesNullKeys) {
  EXPECT_EQ(RunJoin(JoinKind::kInner), Sorted(kInner));
}

TEST(HashJoinTest, NullSafeKeysMatchNulls) {
  EXPECT_EQ(RunJoin(JoinKind::kInner, true), With(kInner, {"3|NULL|NULL|30"}));
}

TEST(HashJoinTest, LeftJoinKeepsUnmatchedLeftRows) {
  EXPECT_EQ(RunJoin(JoinKind::kLeft), With(kInner, {"3|NULL|NULL|NULL", "4|4|NULL|NULL"}));
}

TEST(HashJoinTest, RightJoinKeepsUnmatchedRightRows) {
  EXPECT_EQ(RunJoin(JoinKind::kRight), With(kInner, {"NULL|NULL|NULL|30", "NULL|NULL|7|70"}));
}

TEST(HashJoinTest, FullJoinKeepsBothSides) {
  EXPECT_EQ(RunJoin(JoinKind::kFull), With(kInner, {"3|NULL|NULL|NULL", "4|4|NULL|NULL",
                                                    "NULL|NULL|NULL|30", "NULL|NULL|7|70"}));
}

TEST(HashJoinTest, SemiAndAntiJoins) {
  EXPECT_EQ(RunJoin(JoinKind::kLeftSemi), (std::vector<std::string>{"1|1", "2|2", "5|2"}));
  EXPECT_EQ(RunJoin(JoinKind::kLeftAnti), (std::vector<std::string>{"3|NULL", "4|4"}));
}

TEST(HashJoinTest, ResidualFiltersCandidatesBeforeOuterRowsAreDecided) {
  auto residual = Compare(">", Col(3), Lit(20));
  EXPECT_EQ(RunJoin(JoinKind::kInner, false, residual),
            (std::vector<std::string>{"2|2|2|21", "5|2|2|21"}));
  EXPECT_EQ(RunJoin(JoinKind::kLeft, false, residual),
            (std::vector<std::string>{"1|1|NULL|NULL", "2|2|2|21", "3|NULL|NULL|NULL",
                                      "4|4|NULL|NULL", "5|2|2|21"}));
  EXPECT_EQ(RunJoin(JoinKind::kLeftAnti, false, residual),
            (std::vector<std::string>{"1|1", "3|NULL", "4|4"}));
}

TEST(HashJoinTest, CrossJoinPairsEveryRow) {
  auto rows = RunJoin(JoinKind::kCross);
  EXPECT_EQ(rows.size(), 25u);
  EXPECT_EQ(rows.front(), "1|1|1|10");
}

TEST(HashJoinTest, NestedLoopInnerJoinWithResidualOnly) {
  auto join = Join(JoinKind::kInner, false, false, Compare("<", Col(0), Col(2)));
  join->left_keys.clear();
  join->right_keys.clear();
  join->null_safe.clear();
  EXPECT_EQ(Sorted(RunBoth(join)),
            (std::vector<std::string>{"1|1|2|20", "1|1|2|21", "1|1|7|70", "2|2|7|70", "3|NULL|7|70",
                                      "4|4|7|70", "5|2|7|70"}));
}

TEST(HashJoinTest, EmptyBuildSide) {
  auto left = Left();
  auto empty = std::make_shared<sql::ValuesNode>(Right()->schema(), std::vector<BatchPtr>{});
  std::vector<Field> fields = left->schema()->fields();
  for (const Field& f : empty->schema()->fields())
    fields.push_back(f);
  auto join = std::make_shared<sql::JoinNode>(MakeSchema(fields), left, empty, JoinKind::kLeft);
  join->left_keys = {Col(1)};
  join->right_keys = {Col(0)};
  join->null_safe = {false};
  EXPECT_EQ(RunBoth(join).size(), 5u);
  auto inner = std::make_shared<sql::JoinNode>(*join);
  inner->join_kind = JoinKind::kInner;
  EXPECT_TRUE(RunBoth(inner).empty());
}

TEST(HashJoinTest, BuildSideOverMemoryLimitFails) {
  ExecOptions options;
  options.memory_limit_bytes = 64;
  auto result = ExecuteToBatches(Join(JoinKind::kInner, false), options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(result.status().message().find("HashJoin"), std::string::npos);
}

}  // namespace
}  // namespace sluice::exec
