// SPDX-License-Identifier: Apache-2.0
#include "expr/type_coercion.h"

#include <gtest/gtest.h>

namespace sluice::expr {
namespace {

std::string Name(const TypePtr& type) {
  return type == nullptr ? "none" : type->ToString();
}

TEST(TypeCoercionTest, WiderCommonTypeWidensNumbersAndDatetimes) {
  EXPECT_EQ(Name(WiderCommonType(IntType(), LongType(), false)), "bigint");
  EXPECT_EQ(Name(WiderCommonType(IntType(), DecimalType(5, 2), false)), "decimal(12,2)");
  EXPECT_EQ(Name(WiderCommonType(IntType(), DoubleType(), false)), "double");
  EXPECT_EQ(Name(WiderCommonType(DecimalType(5, 2), DoubleType(), false)), "double");
  EXPECT_EQ(Name(WiderCommonType(DateType(), TimestampType(), false)), "timestamp");
  EXPECT_EQ(Name(WiderCommonType(NullType(), StringType(), false)), "string");
  EXPECT_EQ(Name(WiderCommonType(StringType(), IntType(), false)), "string");
  EXPECT_EQ(Name(WiderCommonType(BooleanType(), IntType(), false)), "none");
  EXPECT_EQ(Name(WiderCommonType({ByteType(), ShortType(), FloatType()}, false)), "float");
  EXPECT_EQ(Name(WiderCommonType(ArrayType(IntType()), ArrayType(LongType()), false)),
            "array<bigint>");
  EXPECT_EQ(Name(WiderCommonType(StructType({MakeField("a", IntType())}),
                                 StructType({MakeField("A", DoubleType())}), false)),
            "struct<a:double>");
}

TEST(TypeCoercionTest, ComparisonTypeCastsStringToTheOtherSide) {
  EXPECT_EQ(Name(ComparisonType(StringType(), IntType(), false)), "int");
  EXPECT_EQ(Name(ComparisonType(LongType(), StringType(), false)), "bigint");
  EXPECT_EQ(Name(ComparisonType(StringType(), DecimalType(10, 2), false)), "double");
  EXPECT_EQ(Name(ComparisonType(StringType(), DateType(), false)), "date");
  EXPECT_EQ(Name(ComparisonType(StringType(), TimestampType(), false)), "timestamp");
  EXPECT_EQ(Name(ComparisonType(DateType(), TimestampType(), false)), "timestamp");
  EXPECT_EQ(Name(ComparisonType(IntType(), DecimalType(5, 2), false)), "decimal(12,2)");
  EXPECT_EQ(Name(ComparisonType(IntType(), BinaryType(), false)), "none");
}

TEST(TypeCoercionTest, ArithmeticResultTypeFollowsDecimalPrecision) {
  EXPECT_EQ(Name(ArithmeticResultType('+', IntType(), LongType())), "bigint");
  EXPECT_EQ(Name(ArithmeticResultType('/', IntType(), IntType())), "double");
  EXPECT_EQ(Name(ArithmeticResultType('%', ShortType(), ByteType())), "smallint");
  EXPECT_EQ(Name(ArithmeticResultType('+', DecimalType(10, 2), DecimalType(5, 3))),
            "decimal(12,3)");
  EXPECT_EQ(Name(ArithmeticResultType('*', DecimalType(10, 2), DecimalType(5, 3))),
            "decimal(16,5)");
  EXPECT_EQ(Name(ArithmeticResultType('/', DecimalType(10, 2), DecimalType(5, 3))),
            "decimal(19,8)");
  EXPECT_EQ(Name(ArithmeticResultType('*', DecimalType(38, 10), DecimalType(38, 10))),
            "decimal(38,6)");
  EXPECT_EQ(Name(ArithmeticResultType('/', DecimalType(38, 18), DecimalType(38, 18))),
            "decimal(38,6)");
  EXPECT_EQ(Name(ArithmeticResultType('+', IntType(), DecimalType(5, 2))), "decimal(13,2)");
  EXPECT_EQ(Name(ArithmeticResultType('%', DecimalType(10, 2), DecimalType(5, 3))), "decimal(5,3)");
  EXPECT_EQ(Name(ArithmeticResultType('+', DoubleType(), DecimalType(5, 2))), "double");
  EXPECT_EQ(Name(ArithmeticResultType('+', StringType(), IntType())), "none");
}

}  // namespace
}  // namespace sluice::expr
