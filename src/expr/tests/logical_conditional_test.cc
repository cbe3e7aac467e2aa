// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "expr/tests/test_util.h"

namespace sluice::expr {
namespace {

using testing::Col;
using testing::DoubleLit;
using testing::Eval;
using testing::EvalOne;
using testing::IntLit;
using testing::Ints;
using testing::Lit;
using testing::LongLit;
using testing::MakeBatch;
using testing::MustBind;
using testing::NullLit;
using testing::StrLit;

ExprPtr B(bool value) {
  return Lit(MakeBooleanScalar(value));
}

TEST(LogicalConditionalTest, NotAndBitwise) {
  EXPECT_EQ(EvalOne("not", {B(true)}), "false");
  EXPECT_EQ(EvalOne("!", {NullLit(BooleanType())}), "NULL");
  EXPECT_FALSE(testing::Bind("not", {IntLit(1)}).ok());
  EXPECT_EQ(EvalOne("&", {IntLit(3), IntLit(5)}), "1");
  EXPECT_EQ(EvalOne("|", {IntLit(3), IntLit(5)}), "7");
  EXPECT_EQ(EvalOne("^", {IntLit(3), IntLit(5)}), "6");
  EXPECT_EQ(EvalOne("~", {IntLit(0)}), "-1");
  EXPECT_EQ(EvalOne("&", {IntLit(3), LongLit(5)}), "1");
  EXPECT_EQ(EvalOne("shiftleft", {IntLit(2), IntLit(1)}), "4");
  EXPECT_EQ(EvalOne("shiftleft", {IntLit(1), IntLit(33)}), "2");
  EXPECT_EQ(EvalOne("shiftright", {IntLit(4), IntLit(1)}), "2");
  EXPECT_EQ(EvalOne("shiftright", {IntLit(-4), IntLit(1)}), "-2");
  EXPECT_EQ(EvalOne("shiftrightunsigned", {IntLit(-4), IntLit(28)}), "15");
  EXPECT_EQ(EvalOne("bit_count", {IntLit(0)}), "0");
  EXPECT_EQ(EvalOne("bit_count", {IntLit(7)}), "3");
  EXPECT_EQ(EvalOne("bit_count", {IntLit(-1)}), "64");
  EXPECT_EQ(EvalOne("bit_count", {B(true)}), "1");
}

TEST(LogicalConditionalTest, CoalesceNvlAndIf) {
  EXPECT_EQ(EvalOne("coalesce", {NullLit(), IntLit(1), NullLit()}), "1");
  EXPECT_EQ(EvalOne("coalesce", {NullLit(), NullLit()}), "NULL");
  EXPECT_EQ(EvalOne("coalesce", {NullLit(), IntLit(1), DoubleLit(2.5)}), "1.0");
  EXPECT_EQ(EvalOne("nvl", {NullLit(), StrLit("x")}), "x");
  EXPECT_EQ(EvalOne("ifnull", {IntLit(1), IntLit(2)}), "1");
  EXPECT_EQ(EvalOne("nvl2", {NullLit(), IntLit(2), IntLit(1)}), "1");
  EXPECT_EQ(EvalOne("nvl2", {IntLit(0), IntLit(2), IntLit(1)}), "2");
  EXPECT_EQ(EvalOne("if", {B(true), IntLit(1), IntLit(2)}), "1");
  EXPECT_EQ(EvalOne("if", {NullLit(BooleanType()), IntLit(1), IntLit(2)}), "2");
  EXPECT_EQ(EvalOne("if", {B(true), IntLit(1), StrLit("a")}), "1");
  EXPECT_EQ(EvalOne("nullif", {IntLit(2), IntLit(2)}), "NULL");
  EXPECT_EQ(EvalOne("nullif", {IntLit(2), IntLit(3)}), "2");
  EXPECT_EQ(EvalOne("nullif", {StrLit("1"), IntLit(1)}), "NULL");
  EXPECT_EQ(EvalOne("nullif", {IntLit(2), NullLit()}), "2");
}

TEST(LogicalConditionalTest, IfAndCoalesceEvaluateLazily) {
  // ANSI division by zero only raises where the row reaches the division.
  BatchPtr batch = MakeBatch({Ints({0, 2, std::nullopt})});
  ExprPtr x = Col(batch, 0);
  EvalContext ansi;
  ansi.ansi = true;
  ExprPtr guarded = MustBind(
      "if", {MustBind("=", {x, IntLit(0)}), IntLit(-1), MustBind("div", {IntLit(8), x}, true)});
  EXPECT_EQ(Eval(guarded, batch, ansi), (std::vector<std::string>{"-1", "4", "NULL"}));
  ExprPtr fallback = MustBind("coalesce", {x, MustBind("div", {IntLit(1), IntLit(0)}, true)});
  BatchPtr no_nulls = MakeBatch({Ints({1, 2})});
  EXPECT_EQ(
      Eval(MustBind("coalesce", {Col(no_nulls, 0), MustBind("div", {IntLit(1), IntLit(0)}, true)}),
           no_nulls, ansi),
      (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(Eval(fallback, batch, ansi)[0].substr(0, 23), "ERROR: [DIVIDE_BY_ZERO]");
}

TEST(LogicalConditionalTest, TypeofNamesTheArgumentType) {
  EXPECT_EQ(EvalOne("typeof", {IntLit(1)}), "int");
  EXPECT_EQ(EvalOne("typeof", {NullLit()}), "void");
  EXPECT_EQ(EvalOne("typeof", {testing::DecLit("1.5", 2, 1)}), "decimal(2,1)");
  BatchPtr batch = MakeBatch({Ints({1, 2})});
  EXPECT_EQ(Eval(MustBind("typeof", {Col(batch, 0)}), batch),
            (std::vector<std::string>{"int", "int"}));
}

TEST(LogicalConditionalTest, AssertTrue) {
  EXPECT_EQ(EvalOne("assert_true", {B(true)}), "NULL");
  EXPECT_EQ(EvalOne("assert_true", {B(false)}),
            "ERROR: [USER_RAISED_EXCEPTION] 'false' is not true!");
  EXPECT_EQ(EvalOne("assert_true", {B(false), StrLit("boom")}),
            "ERROR: [USER_RAISED_EXCEPTION] boom");
}

}  // namespace
}  // namespace sluice::expr
