// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <cmath>

#include "expr/tests/test_util.h"

namespace sluice::expr {
namespace {

using testing::Col;
using testing::DecLit;
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

TEST(ComparisonTest, OperatorsCompareNumbersAcrossTypes) {
  EXPECT_EQ(EvalOne("=", {IntLit(1), LongLit(1)}), "true");
  EXPECT_EQ(EvalOne("==", {IntLit(1), DoubleLit(1.5)}), "false");
  EXPECT_EQ(EvalOne("<", {IntLit(1), DecLit("1.01", 3, 2)}), "true");
  EXPECT_EQ(EvalOne(">=", {LongLit(5), IntLit(5)}), "true");
  EXPECT_EQ(EvalOne("!=", {IntLit(5), IntLit(6)}), "true");
  EXPECT_EQ(EvalOne("<>", {IntLit(5), IntLit(5)}), "false");
  EXPECT_EQ(EvalOne(">", {IntLit(5), NullLit()}), "NULL");
}

TEST(ComparisonTest, StringComparedWithNumberCastsTheString) {
  EXPECT_EQ(EvalOne("=", {StrLit("1"), IntLit(1)}), "true");
  EXPECT_EQ(EvalOne("=", {StrLit(" 1 "), IntLit(1)}), "true");
  EXPECT_EQ(EvalOne("=", {StrLit("abc"), IntLit(1)}), "NULL");
  EXPECT_EQ(EvalOne("<", {StrLit("1.5"), DecLit("1.6", 2, 1)}), "true");
}

TEST(ComparisonTest, StringsCompareAsUtf8Bytes) {
  EXPECT_EQ(EvalOne("<", {StrLit("a"), StrLit("b")}), "true");
  EXPECT_EQ(EvalOne("<", {StrLit("Z"), StrLit("a")}), "true");
  EXPECT_EQ(EvalOne("<", {StrLit("z"), StrLit("\xc3\xa9")}), "true");
  EXPECT_EQ(EvalOne("<", {StrLit("ab"), StrLit("abc")}), "true");
}

TEST(ComparisonTest, NanEqualsNanAndIsLargest) {
  const double nan = std::nan("");
  EXPECT_EQ(EvalOne("=", {DoubleLit(nan), DoubleLit(nan)}), "true");
  EXPECT_EQ(EvalOne(">", {DoubleLit(nan), DoubleLit(INFINITY)}), "true");
  EXPECT_EQ(EvalOne("=", {DoubleLit(-0.0), DoubleLit(0.0)}), "true");
}

TEST(ComparisonTest, NullSafeEqualTreatsNullsAsValues) {
  EXPECT_EQ(EvalOne("<=>", {NullLit(), NullLit()}), "true");
  EXPECT_EQ(EvalOne("<=>", {IntLit(1), NullLit()}), "false");
  EXPECT_EQ(EvalOne("<=>", {IntLit(1), IntLit(1)}), "true");
}

TEST(ComparisonTest, ComparisonOfIncompatibleTypesIsABindError) {
  Result<ExprPtr> bound = testing::Bind("=", {IntLit(1), Lit(MakeBooleanScalar(true))});
  // int vs boolean has no common type in Spark.
  EXPECT_FALSE(bound.ok());
  EXPECT_NE(bound.status().message().find("[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES]"),
            std::string::npos);
}

TEST(ComparisonTest, InFollowsSparkNullSemantics) {
  EXPECT_EQ(EvalOne("in", {IntLit(1), IntLit(1), IntLit(2)}), "true");
  EXPECT_EQ(EvalOne("in", {IntLit(3), IntLit(1), IntLit(2)}), "false");
  EXPECT_EQ(EvalOne("in", {IntLit(3), IntLit(1), NullLit()}), "NULL");
  EXPECT_EQ(EvalOne("in", {IntLit(1), IntLit(1), NullLit()}), "true");
  EXPECT_EQ(EvalOne("in", {NullLit(IntType()), IntLit(1)}), "NULL");
  EXPECT_EQ(EvalOne("in", {StrLit("b"), StrLit("a"), StrLit("b")}), "true");
  EXPECT_EQ(EvalOne("in", {IntLit(2), LongLit(2), DoubleLit(3.0)}), "true");
}

TEST(ComparisonTest, InOverColumnsAndConstantLists) {
  BatchPtr batch = MakeBatch({Ints({1, 2, 3, std::nullopt}), Ints({9, 2, 9, 9})});
  ExprPtr constant = MustBind("in", {Col(batch, 0), IntLit(3), IntLit(1)});
  EXPECT_EQ(Eval(constant, batch), (std::vector<std::string>{"true", "false", "true", "NULL"}));
  ExprPtr per_row = MustBind("in", {Col(batch, 0), Col(batch, 1), IntLit(1)});
  EXPECT_EQ(Eval(per_row, batch), (std::vector<std::string>{"true", "true", "false", "NULL"}));
}

TEST(ComparisonTest, NullAndNanTests) {
  EXPECT_EQ(EvalOne("isnull", {NullLit()}), "true");
  EXPECT_EQ(EvalOne("isnull", {IntLit(1)}), "false");
  EXPECT_EQ(EvalOne("isnotnull", {IntLit(1)}), "true");
  EXPECT_EQ(EvalOne("isnan", {DoubleLit(std::nan(""))}), "true");
  EXPECT_EQ(EvalOne("isnan", {NullLit(DoubleType())}), "false");
  EXPECT_EQ(EvalOne("isnan", {IntLit(1)}), "false");
  EXPECT_EQ(EvalOne("nanvl", {DoubleLit(std::nan("")), DoubleLit(123.0)}), "123.0");
  EXPECT_EQ(EvalOne("nanvl", {DoubleLit(1.0), DoubleLit(123.0)}), "1.0");
  EXPECT_EQ(EvalOne("nanvl", {NullLit(DoubleType()), DoubleLit(123.0)}), "NULL");
}

}  // namespace
}  // namespace sluice::expr
