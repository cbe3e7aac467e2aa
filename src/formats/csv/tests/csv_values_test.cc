// SPDX-License-Identifier: Apache-2.0
#include "formats/csv/csv_values.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace sluice::csv::internal {
namespace {

TEST(CsvValuesTest, IntegersFollowJavaParseInt) {
  int32_t value = 0;
  EXPECT_TRUE(ParseJavaInt("42", &value));
  EXPECT_EQ(value, 42);
  EXPECT_TRUE(ParseJavaInt("+7", &value));
  EXPECT_EQ(value, 7);
  EXPECT_TRUE(ParseJavaInt("-2147483648", &value));
  EXPECT_EQ(value, std::numeric_limits<int32_t>::min());
  EXPECT_TRUE(ParseJavaInt("007", &value));
  EXPECT_EQ(value, 7);
  EXPECT_FALSE(ParseJavaInt("2147483648", &value));  // overflow
  EXPECT_FALSE(ParseJavaInt(" 1", &value));          // no trimming
  EXPECT_FALSE(ParseJavaInt("1 ", &value));
  EXPECT_FALSE(ParseJavaInt("", &value));
  EXPECT_FALSE(ParseJavaInt("+", &value));
  EXPECT_FALSE(ParseJavaInt("+-1", &value));
  EXPECT_FALSE(ParseJavaInt("1.0", &value));
  EXPECT_FALSE(ParseJavaInt("1e3", &value));
}

TEST(CsvValuesTest, NarrowAndWideIntegersCheckTheirRange) {
  int8_t byte = 0;
  EXPECT_TRUE(ParseJavaInt("-128", &byte));
  EXPECT_EQ(byte, -128);
  EXPECT_FALSE(ParseJavaInt("128", &byte));
  int16_t short_value = 0;
  EXPECT_TRUE(ParseJavaInt("32767", &short_value));
  EXPECT_FALSE(ParseJavaInt("32768", &short_value));
  int64_t long_value = 0;
  EXPECT_TRUE(ParseJavaInt("9223372036854775807", &long_value));
  EXPECT_EQ(long_value, std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(ParseJavaInt("9223372036854775808", &long_value));
}

TEST(CsvValuesTest, DoublesFollowJavaParseDouble) {
  double value = 0;
  EXPECT_TRUE(ParseJavaDouble("1.5", &value));
  EXPECT_EQ(value, 1.5);
  EXPECT_TRUE(ParseJavaDouble(" 2.5\t", &value));  // Java trims
  EXPECT_EQ(value, 2.5);
  EXPECT_TRUE(ParseJavaDouble("1.", &value));
  EXPECT_EQ(value, 1.0);
  EXPECT_TRUE(ParseJavaDouble(".5", &value));
  EXPECT_EQ(value, 0.5);
  EXPECT_TRUE(ParseJavaDouble("+1e3", &value));
  EXPECT_EQ(value, 1000.0);
  EXPECT_TRUE(ParseJavaDouble("-1E-2", &value));
  EXPECT_EQ(value, -0.01);
  EXPECT_TRUE(ParseJavaDouble("3d", &value));
  EXPECT_EQ(value, 3.0);
  EXPECT_TRUE(ParseJavaDouble("2.5F", &value));
  EXPECT_EQ(value, 2.5);
  EXPECT_TRUE(ParseJavaDouble("0x1.8p1", &value));
  EXPECT_EQ(value, 3.0);
  EXPECT_TRUE(ParseJavaDouble("-0", &value));
  EXPECT_TRUE(std::signbit(value));
  EXPECT_TRUE(ParseJavaDouble("NaN", &value));
  EXPECT_TRUE(std::isnan(value));
  EXPECT_TRUE(ParseJavaDouble("-Infinity", &value));
  EXPECT_EQ(value, -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(ParseJavaDouble("1e400", &value));  // overflow is infinity in Java
  EXPECT_EQ(value, std::numeric_limits<double>::infinity());
  EXPECT_TRUE(ParseJavaDouble("-1e-400", &value));  // underflow is zero
  EXPECT_EQ(value, 0.0);
  EXPECT_TRUE(std::signbit(value));

  for (const char* bad : {"", ".", "e3", "1e", "1e+", "inf", "nan", "Inf", "1,5", "0x1.8", "1f2",
                          "--1", "1.5.2", "ff"}) {
    EXPECT_FALSE(ParseJavaDouble(bad, &value)) << bad;
  }
}

TEST(CsvValuesTest, DoubleExponentsBeyondAnIntAreNoError) {
  // Unlike new BigDecimal(s), Double.parseDouble saturates huge exponents.
  double value = 0;
  EXPECT_TRUE(ParseJavaDouble("1e99999999999", &value));
  EXPECT_EQ(value, std::numeric_limits<double>::infinity());
  EXPECT_TRUE(ParseJavaDouble("-1e-99999999999", &value));
  EXPECT_EQ(value, 0.0);
  EXPECT_TRUE(std::signbit(value));
  EXPECT_TRUE(ParseJavaDouble("0e99999999999", &value));
  EXPECT_EQ(value, 0.0);
  int64_t precision = 0;
  int64_t scale = 0;
  EXPECT_FALSE(BigDecimalShape("1e99999999999", &precision, &scale));
  // One sign only, before the digits.
  EXPECT_FALSE(ParseJavaDouble("+-1", &value));
  EXPECT_FALSE(ParseJavaDouble("-+1e3", &value));
}

TEST(CsvValuesTest, FloatsRoundOnceToFloat) {
  float value = 0;
  EXPECT_TRUE(ParseJavaFloat("0.1", &value));
  EXPECT_EQ(value, 0.1f);
  EXPECT_TRUE(ParseJavaFloat("1e39", &value));
  EXPECT_EQ(value, std::numeric_limits<float>::infinity());
  EXPECT_FALSE(ParseJavaFloat("x", &value));
}

TEST(CsvValuesTest, BooleansIgnoreCaseOnly) {
  bool value = false;
  EXPECT_TRUE(ParseJavaBoolean("TrUe", &value));
  EXPECT_TRUE(value);
  EXPECT_TRUE(ParseJavaBoolean("FALSE", &value));
  EXPECT_FALSE(value);
  EXPECT_FALSE(ParseJavaBoolean(" true", &value));
  EXPECT_FALSE(ParseJavaBoolean("1", &value));
  EXPECT_FALSE(ParseJavaBoolean("yes", &value));
}

TEST(CsvValuesTest, BigDecimalShapeMatchesJava) {
  int64_t precision = 0;
  int64_t scale = 0;
  ASSERT_TRUE(BigDecimalShape("92233720368547758070", &precision, &scale));
  EXPECT_EQ(precision, 20);
  EXPECT_EQ(scale, 0);
  ASSERT_TRUE(BigDecimalShape("-12.345", &precision, &scale));
  EXPECT_EQ(precision, 5);
  EXPECT_EQ(scale, 3);
  ASSERT_TRUE(BigDecimalShape("1e3", &precision, &scale));
  EXPECT_EQ(precision, 1);
  EXPECT_EQ(scale, -3);
  ASSERT_TRUE(BigDecimalShape("1.5e1", &precision, &scale));
  EXPECT_EQ(precision, 2);
  EXPECT_EQ(scale, 0);
  ASSERT_TRUE(BigDecimalShape("0.00", &precision, &scale));
  EXPECT_EQ(precision, 1);
  EXPECT_EQ(scale, 2);
  ASSERT_TRUE(BigDecimalShape("000123", &precision, &scale));
  EXPECT_EQ(precision, 3);
  EXPECT_EQ(scale, 0);
  EXPECT_FALSE(BigDecimalShape("1,000", &precision, &scale));
  EXPECT_FALSE(BigDecimalShape(" 1", &precision, &scale));
  EXPECT_FALSE(BigDecimalShape(".", &precision, &scale));
  EXPECT_FALSE(BigDecimalShape("1e", &precision, &scale));
  EXPECT_FALSE(BigDecimalShape("NaN", &precision, &scale));
}

}  // namespace
}  // namespace sluice::csv::internal
