// SPDX-License-Identifier: Apache-2.0
#include "expr/evaluator.h"

#include <gtest/gtest.h>

#include "expr/tests/test_util.h"

namespace sluice::expr {
namespace {

using testing::Bools;
using testing::Cells;
using testing::Col;
using testing::Eval;
using testing::IntLit;
using testing::Ints;
using testing::MakeBatch;
using testing::MustBind;
using testing::NullLit;
using testing::StrLit;

TEST(EvaluatorTest, ColumnIsReturnedAndLiteralIsBroadcast) {
  BatchPtr batch = MakeBatch({Ints({1, std::nullopt, 3})});
  EXPECT_EQ(Eval(Col(batch, 0), batch), (std::vector<std::string>{"1", "NULL", "3"}));
  EXPECT_EQ(Eval(IntLit(7), batch), (std::vector<std::string>{"7", "7", "7"}));
  EXPECT_EQ(Eval(NullLit(), batch), (std::vector<std::string>{"NULL", "NULL", "NULL"}));
}

TEST(EvaluatorTest, AndOrFollowThreeValuedLogic) {
  const std::optional<bool> n;
  BatchPtr batch = MakeBatch({Bools({true, true, true, false, false, false, n, n, n}),
                              Bools({true, false, n, true, false, n, true, false, n})});
  ExprPtr a = Col(batch, 0);
  ExprPtr b = Col(batch, 1);
  EXPECT_EQ(Eval(Expression::And(a, b), batch),
            (std::vector<std::string>{"true", "false", "NULL", "false", "false", "false", "NULL",
                                      "false", "NULL"}));
  EXPECT_EQ(Eval(Expression::Or(a, b), batch),
            (std::vector<std::string>{"true", "true", "true", "true", "false", "NULL", "true",
                                      "NULL", "NULL"}));
}

TEST(EvaluatorTest, AndSkipsRightSideWhereLeftIsFalse) {
  // c1 / c0 in ANSI mode raises on zero, but only rows with c0 != 0 reach it.
  BatchPtr batch = MakeBatch({Ints({0, 2, 0}), Ints({5, 4, 3})});
  ExprPtr nonzero = MustBind("!=", {Col(batch, 0), IntLit(0)});
  ExprPtr ratio =
      MustBind(">", {MustBind("/", {Col(batch, 1), Col(batch, 0)}, true), testing::DoubleLit(1.0)});
  EvalContext ansi;
  ansi.ansi = true;
  EXPECT_EQ(Eval(Expression::And(nonzero, ratio), batch, ansi),
            (std::vector<std::string>{"false", "true", "false"}));
}

TEST(EvaluatorTest, CaseEvaluatesEachBranchOnItsRowsOnly) {
  BatchPtr batch = MakeBatch({Ints({0, 4, std::nullopt, 8})});
  ExprPtr x = Col(batch, 0);
  ExprPtr is_zero = MustBind("=", {x, IntLit(0)});
  ExprPtr quotient = MustBind("div", {IntLit(16), x}, true);
  ExprPtr with_else = Expression::Case(
      {is_zero, Expression::Cast(IntLit(-1), LongType(), false), quotient}, true, LongType());
  EvalContext ansi;
  ansi.ansi = true;
  EXPECT_EQ(Eval(with_else, batch, ansi), (std::vector<std::string>{"-1", "4", "NULL", "2"}));
  ExprPtr no_else = Expression::Case({is_zero, StrLit("zero")}, false, StringType());
  EXPECT_EQ(Eval(no_else, batch), (std::vector<std::string>{"zero", "NULL", "NULL", "NULL"}));
}

TEST(EvaluatorTest, EvaluateConstantGivesOneRow) {
  ExprPtr sum = MustBind("+", {IntLit(2), IntLit(3)});
  Result<VectorPtr> value = EvaluateConstant(*sum, {});
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(Cells(**value), (std::vector<std::string>{"5"}));
}

TEST(EvaluatorTest, FilterBatchKeepsTrueRowsAndDropsNulls) {
  BatchPtr batch = MakeBatch({Ints({1, 2, 3, 4})});
  Result<BatchPtr> filtered = FilterBatch(*batch, *Bools({true, std::nullopt, false, true}));
  ASSERT_TRUE(filtered.ok());
  EXPECT_EQ((*filtered)->num_rows(), 2);
  EXPECT_EQ(Cells(*(*filtered)->column(0)), (std::vector<std::string>{"1", "4"}));
  Result<BatchPtr> all = FilterBatch(*batch, *Bools({true, true, true, true}));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)->num_rows(), 4);
}

TEST(EvaluatorTest, CastOfColumnUsesContextMode) {
  BatchPtr batch = MakeBatch({testing::Strings({"12", " 7 ", "x"})});
  ExprPtr cast = Expression::Cast(Col(batch, 0), IntType(), false);
  EXPECT_EQ(Eval(cast, batch), (std::vector<std::string>{"12", "7", "NULL"}));
  EvalContext ansi;
  ansi.ansi = true;
  std::vector<std::string> error = Eval(cast, batch, ansi);
  ASSERT_EQ(error.size(), 1u);
  EXPECT_EQ(error[0].rfind("ERROR: [CAST_INVALID_INPUT] The value 'x' of the type \"STRING\" "
                           "cannot be cast to \"INT\" because it is malformed.",
                           0),
            0u)
      << error[0];
  ExprPtr try_cast = Expression::Cast(Col(batch, 0), IntType(), true);
  EXPECT_EQ(Eval(try_cast, batch, ansi), (std::vector<std::string>{"12", "7", "NULL"}));
}

}  // namespace
}  // namespace sluice::expr
