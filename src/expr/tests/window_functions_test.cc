// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "expr/function.h"
#include "expr/tests/more_test_util.h"

namespace sluice::expr {
namespace {

using test_util::Cells;

// Binds window function `name` over `args` and runs it over one partition whose peer
// groups start at `peers`.
std::string RunWindow(std::string_view name, const std::vector<ExprPtr>& args,
                      const std::vector<VectorPtr>& values, const std::vector<int64_t>& peers) {
  const FunctionEntry* entry = FunctionRegistry::Default().Find(name);
  if (entry == nullptr || entry->kind != FunctionKind::kWindow) {
    return "not a window function";
  }
  BindContext bind;
  bind.call_sql = std::string(name);
  Result<BoundWindowFunction> function = entry->window(args, bind);
  if (!function.ok()) {
    return function.status().ToString();
  }
  WindowPartition partition{values, static_cast<int64_t>(peers.size()), peers};
  Result<VectorPtr> result = function->evaluate(partition, EvalContext{});
  if (!result.ok()) {
    return result.status().ToString();
  }
  EXPECT_TRUE((*result)->type()->Equals(*function->return_type));
  return Cells(*result);
}

// Spark docs: VALUES ('A1', 2), ('A1', 1), ('A2', 3), ('A1', 1) ordered by the number;
// partition A1 holds 1, 1, 2 (peer groups start at rows 0, 0, 2).
const std::vector<int64_t> kPeers = {0, 0, 2};

TEST(WindowFunctionsTest, RankingFunctionsFollowPeerGroups) {
  EXPECT_EQ(RunWindow("row_number", {}, {}, kPeers), "1 | 2 | 3");
  EXPECT_EQ(RunWindow("rank", {}, {}, kPeers), "1 | 1 | 3");
  EXPECT_EQ(RunWindow("dense_rank", {}, {}, kPeers), "1 | 1 | 2");
  EXPECT_EQ(RunWindow("percent_rank", {}, {}, kPeers), "0.0 | 0.0 | 1.0");
  EXPECT_EQ(RunWindow("cume_dist", {}, {}, kPeers),
            "0.6666666666666666 | 0.6666666666666666 | 1.0");
  EXPECT_EQ(RunWindow("percent_rank", {}, {}, {0}), "0.0");
  EXPECT_NE(RunWindow("rank", {Expression::Literal(MakeIntScalar(1))}, {}, kPeers)
                .find("[WRONG_NUM_ARGS"),
            std::string::npos);
}

TEST(WindowFunctionsTest, NtileSpreadsTheRemainderOverTheFirstBuckets) {
  std::vector<int64_t> peers = {0, 1, 2, 3, 4};
  EXPECT_EQ(RunWindow("ntile", {Expression::Literal(MakeIntScalar(2))}, {MakeIntScalar(2)}, peers),
            "1 | 1 | 1 | 2 | 2");
  EXPECT_EQ(RunWindow("ntile", {Expression::Literal(MakeIntScalar(3))}, {MakeIntScalar(3)}, peers),
            "1 | 1 | 2 | 2 | 3");
  EXPECT_EQ(RunWindow("ntile", {Expression::Literal(MakeIntScalar(8))}, {MakeIntScalar(8)}, peers),
            "1 | 2 | 3 | 4 | 5");
  EXPECT_NE(RunWindow("ntile", {Expression::Literal(MakeIntScalar(0))}, {MakeIntScalar(0)}, peers)
                .find("VALUE_OUT_OF_RANGE"),
            std::string::npos);
}

TEST(WindowFunctionsTest, LagAndLeadWithOffsetsAndDefaults) {
  VectorPtr x = test_util::Ints({1, 1, 2});
  ExprPtr column = Expression::Column(0, IntType());
  EXPECT_EQ(RunWindow("lag", {column}, {x}, kPeers), "NULL | 1 | 1");
  EXPECT_EQ(RunWindow("lead", {column}, {x}, kPeers), "1 | 2 | NULL");
  EXPECT_EQ(RunWindow("lead",
                      {column, Expression::Literal(MakeIntScalar(2)),
                       Expression::Literal(MakeIntScalar(0))},
                      {x, MakeIntScalar(2), MakeIntScalar(0)}, kPeers),
            "2 | 0 | 0");
  EXPECT_EQ(RunWindow("lag", {column, Expression::Literal(MakeIntScalar(-1))},
                      {x, MakeIntScalar(-1)}, kPeers),
            "1 | 2 | NULL");
  EXPECT_NE(RunWindow("lag", {column, column}, {x, x}, kPeers).find("NON_FOLDABLE"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice::expr
