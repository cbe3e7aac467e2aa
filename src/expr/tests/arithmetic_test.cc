// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "expr/tests/test_util.h"

namespace sluice::expr {
namespace {

using testing::DecLit;
using testing::DoubleLit;
using testing::EvalOne;
using testing::IntLit;
using testing::Lit;
using testing::LongLit;
using testing::NullLit;
using testing::StrLit;

std::string TypeOf(std::string_view name, std::vector<ExprPtr> args) {
  Result<ExprPtr> bound = testing::Bind(name, std::move(args));
  return bound.ok() ? (*bound)->type()->ToString() : bound.status().message();
}

TEST(ArithmeticTest, IntegerArithmeticWrapsLikeJava) {
  EXPECT_EQ(EvalOne("+", {IntLit(1), IntLit(2)}), "3");
  EXPECT_EQ(EvalOne("+", {IntLit(2147483647), IntLit(1)}), "-2147483648");
  EXPECT_EQ(EvalOne("*", {LongLit(4611686018427387904), LongLit(2)}), "-9223372036854775808");
  EXPECT_EQ(EvalOne("-", {IntLit(5), LongLit(7)}), "-2");
  EXPECT_EQ(TypeOf("+", {IntLit(1), LongLit(2)}), "bigint");
  EXPECT_EQ(EvalOne("+", {IntLit(1), NullLit()}), "NULL");
}

TEST(ArithmeticTest, AnsiOverflowRaisesArithmeticOverflow) {
  EXPECT_EQ(EvalOne("+", {IntLit(2147483647), IntLit(1)}, true),
            "ERROR: [ARITHMETIC_OVERFLOW] integer overflow. Use 'try_add' to tolerate overflow "
            "and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" "
            "to bypass this error.");
  EXPECT_EQ(EvalOne("try_add", {IntLit(2147483647), IntLit(1)}, true), "NULL");
  EXPECT_EQ(EvalOne("try_add", {IntLit(2147483647), IntLit(1)}), "NULL");
  EXPECT_EQ(EvalOne("try_add", {IntLit(1), IntLit(2)}), "3");
}

TEST(ArithmeticTest, DivisionReturnsDoubleAndNullOnZero) {
  EXPECT_EQ(EvalOne("/", {IntLit(3), IntLit(2)}), "1.5");
  EXPECT_EQ(EvalOne("/", {IntLit(1), IntLit(0)}), "NULL");
  EXPECT_EQ(EvalOne("/", {DoubleLit(1.0), DoubleLit(0.0)}), "NULL");
  EXPECT_EQ(EvalOne("/", {IntLit(1), IntLit(0)}, true).substr(0, 23), "ERROR: [DIVIDE_BY_ZERO]");
  EXPECT_EQ(EvalOne("try_divide", {IntLit(1), IntLit(0)}, true), "NULL");
  EXPECT_EQ(EvalOne("/", {StrLit("3"), IntLit(2)}), "1.5");
}

TEST(ArithmeticTest, RemainderDivAndPmod) {
  EXPECT_EQ(EvalOne("%", {IntLit(-7), IntLit(3)}), "-1");
  EXPECT_EQ(EvalOne("mod", {IntLit(7), IntLit(0)}), "NULL");
  EXPECT_EQ(EvalOne("%", {DoubleLit(5.5), IntLit(2)}), "1.5");
  EXPECT_EQ(EvalOne("div", {IntLit(7), IntLit(2)}), "3");
  EXPECT_EQ(EvalOne("div", {IntLit(-7), IntLit(2)}), "-3");
  EXPECT_EQ(TypeOf("div", {IntLit(7), IntLit(2)}), "bigint");
  EXPECT_EQ(EvalOne("pmod", {IntLit(10), IntLit(3)}), "1");
  EXPECT_EQ(EvalOne("pmod", {IntLit(-10), IntLit(3)}), "2");
  EXPECT_EQ(EvalOne("%", {IntLit(-2147483647 - 1), IntLit(-1)}), "0");
}

TEST(ArithmeticTest, DecimalArithmeticFollowsDecimalPrecision) {
  EXPECT_EQ(EvalOne("+", {DecLit("1.10", 3, 2), DecLit("2.205", 4, 3)}), "3.305");
  EXPECT_EQ(TypeOf("+", {DecLit("1.10", 3, 2), DecLit("2.205", 4, 3)}), "decimal(5,3)");
  EXPECT_EQ(EvalOne("*", {DecLit("1.10", 3, 2), DecLit("2.205", 4, 3)}), "2.42550");
  EXPECT_EQ(EvalOne("/", {DecLit("1", 1, 0), DecLit("3", 1, 0)}), "0.333333");
  EXPECT_EQ(TypeOf("/", {DecLit("1", 1, 0), DecLit("3", 1, 0)}), "decimal(7,6)");
  EXPECT_EQ(EvalOne("/", {DecLit("2", 1, 0), DecLit("3", 1, 0)}), "0.666667");
  EXPECT_EQ(EvalOne("+", {IntLit(1), DecLit("0.5", 2, 1)}), "1.5");
  // An integer literal counts as the narrowest decimal holding it (Spark's
  // literalPickMinimumPrecision): 3 is decimal(1,0), -250 decimal(3,0).
  EXPECT_EQ(EvalOne("/", {DecLit("1.0", 2, 1), IntLit(3)}), "0.333333");
  EXPECT_EQ(TypeOf("/", {DecLit("1.0", 2, 1), IntLit(3)}), "decimal(7,6)");
  EXPECT_EQ(TypeOf("*", {DecLit("1.5", 4, 1), IntLit(-250)}), "decimal(8,1)");
  EXPECT_EQ(EvalOne("/", {IntLit(1), DecLit("3.0", 2, 1)}), "0.333333");
  EXPECT_EQ(EvalOne("%", {DecLit("7.5", 2, 1), DecLit("2", 1, 0)}), "1.5");
  EXPECT_EQ(EvalOne("/", {DecLit("1", 1, 0), DecLit("0", 1, 0)}), "NULL");
  EXPECT_EQ(EvalOne("+", {DecLit("1.5", 2, 1), DoubleLit(1.0)}), "2.5");
}

TEST(ArithmeticTest, DecimalOverflowIsNullOrOutOfRange) {
  const std::string big = std::string(38, '9');
  EXPECT_EQ(EvalOne("+", {DecLit(big, 38, 0), DecLit(big, 38, 0)}), "NULL");
  EXPECT_EQ(EvalOne("+", {DecLit(big, 38, 0), DecLit(big, 38, 0)}, true).substr(0, 34),
            "ERROR: [NUMERIC_VALUE_OUT_OF_RANGE");
  // A product of two 38-digit operands needs the 256-bit intermediate.
  EXPECT_EQ(EvalOne("*", {DecLit("12345678901234567890.1234567890", 38, 10),
                          DecLit("98765432109876543210.9876543210", 38, 10)}),
            "NULL");
  EXPECT_EQ(EvalOne("*", {DecLit("1234567890.1234567890", 38, 10),
                          DecLit("9876543210.9876543210", 38, 10)}),
            "12193263113702179522.374638");
}

TEST(ArithmeticTest, DateArithmeticAddsDays) {
  EXPECT_EQ(EvalOne("+", {Lit(MakeDateScalar(19753)), IntLit(1)}), "2024-02-01");
  EXPECT_EQ(EvalOne("-", {Lit(MakeDateScalar(19753)), IntLit(31)}), "2023-12-31");
}

TEST(ArithmeticTest, NonNumericOperandsAreRejected) {
  Result<ExprPtr> bound = testing::Bind("+", {IntLit(1), Lit(MakeBooleanScalar(true))});
  ASSERT_FALSE(bound.ok());
  EXPECT_NE(bound.status().message().find("[DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE]"),
            std::string::npos);
}

TEST(ArithmeticTest, UnaryAndRounding) {
  EXPECT_EQ(EvalOne("negative", {IntLit(5)}), "-5");
  EXPECT_EQ(EvalOne("negative", {IntLit(-2147483647 - 1)}), "-2147483648");
  EXPECT_EQ(EvalOne("positive", {IntLit(5)}), "5");
  EXPECT_EQ(EvalOne("abs", {IntLit(-5)}), "5");
  EXPECT_EQ(EvalOne("abs", {DecLit("-1.50", 3, 2)}), "1.50");
  EXPECT_EQ(EvalOne("round", {DoubleLit(2.5)}), "3.0");
  EXPECT_EQ(EvalOne("round", {DoubleLit(2.675), IntLit(2)}), "2.68");
  EXPECT_EQ(EvalOne("round", {DoubleLit(-2.5)}), "-3.0");
  EXPECT_EQ(EvalOne("bround", {DoubleLit(2.5)}), "2.0");
  EXPECT_EQ(EvalOne("bround", {DoubleLit(-3.5)}), "-4.0");
  EXPECT_EQ(EvalOne("round", {IntLit(125), IntLit(-1)}), "130");
  EXPECT_EQ(EvalOne("bround", {IntLit(125), IntLit(-1)}), "120");
  EXPECT_EQ(EvalOne("round", {DecLit("1.245", 4, 3), IntLit(2)}), "1.25");
  EXPECT_EQ(TypeOf("round", {DecLit("1.245", 4, 3), IntLit(2)}), "decimal(4,2)");
  EXPECT_EQ(EvalOne("round", {DecLit("12.5", 3, 1), IntLit(-1)}), "10");
  EXPECT_EQ(EvalOne("ceil", {DoubleLit(-0.1)}), "0");
  EXPECT_EQ(EvalOne("ceil", {DoubleLit(5.0)}), "5");
  EXPECT_EQ(EvalOne("floor", {DoubleLit(-0.1)}), "-1");
  EXPECT_EQ(EvalOne("ceiling", {DecLit("1.21", 3, 2)}), "2");
  EXPECT_EQ(TypeOf("floor", {DecLit("1.21", 3, 2)}), "decimal(2,0)");
  EXPECT_EQ(EvalOne("floor", {IntLit(5)}), "5");
}

TEST(ArithmeticTest, MathFunctions) {
  EXPECT_EQ(EvalOne("sqrt", {IntLit(4)}), "2.0");
  EXPECT_EQ(EvalOne("sqrt", {IntLit(-1)}), "NaN");
  EXPECT_EQ(EvalOne("pow", {IntLit(2), IntLit(10)}), "1024.0");
  EXPECT_EQ(EvalOne("power", {IntLit(2), DoubleLit(-1)}), "0.5");
  EXPECT_EQ(EvalOne("exp", {IntLit(0)}), "1.0");
  EXPECT_EQ(EvalOne("ln", {IntLit(1)}), "0.0");
  EXPECT_EQ(EvalOne("ln", {IntLit(0)}), "NULL");
  EXPECT_EQ(EvalOne("log", {IntLit(10), IntLit(100)}), "2.0");
  EXPECT_EQ(EvalOne("log", {IntLit(-1), IntLit(100)}), "NULL");
  EXPECT_EQ(EvalOne("log10", {IntLit(10)}), "1.0");
  EXPECT_EQ(EvalOne("log2", {IntLit(2)}), "1.0");
  EXPECT_EQ(EvalOne("sign", {IntLit(-40)}), "-1.0");
  EXPECT_EQ(EvalOne("signum", {DoubleLit(0.0)}), "0.0");
  EXPECT_EQ(EvalOne("greatest", {IntLit(10), IntLit(9), IntLit(2), NullLit()}), "10");
  EXPECT_EQ(EvalOne("least", {IntLit(10), IntLit(9), IntLit(2), NullLit()}), "2");
  EXPECT_EQ(EvalOne("least", {IntLit(10), DoubleLit(9.5)}), "9.5");
  EXPECT_EQ(EvalOne("greatest", {NullLit(IntType()), NullLit(IntType())}), "NULL");
}

TEST(ArithmeticTest, RandIsUniformAndSeedable) {
  ExprPtr seeded = testing::MustBind("rand", {IntLit(42)});
  ASSERT_NE(seeded, nullptr);
  EXPECT_FALSE(seeded->IsDeterministic());
  BatchPtr batch = testing::MakeBatch({testing::Ints({1, 2, 3, 4})});
  std::vector<std::string> values = testing::Eval(seeded, batch);
  ASSERT_EQ(values.size(), 4u);
  for (const std::string& value : values) {
    const double d = std::stod(value);
    EXPECT_GE(d, 0.0);
    EXPECT_LT(d, 1.0);
  }
  EXPECT_NE(values[0], values[1]);
}

}  // namespace
}  // namespace sluice::expr
