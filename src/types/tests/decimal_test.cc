// SPDX-License-Identifier: Apache-2.0
#include "types/decimal.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice {
namespace {

/// Parses or fails the test; returns the unscaled value.
Int128 Parse(std::string_view text, int precision, int scale) {
  Int128 unscaled = 12345;  // a sentinel the parser must overwrite
  EXPECT_TRUE(ParseDecimal(text, precision, scale, &unscaled)) << text;
  return unscaled;
}

bool Rejects(std::string_view text, int precision, int scale) {
  Int128 unscaled = 0;
  return !ParseDecimal(text, precision, scale, &unscaled);
}

Int128 MaxOf38Digits() {
  return PowerOfTen(38) - 1;
}

TEST(DecimalTest, PowersOfTen) {
  EXPECT_TRUE(PowerOfTen(0) == 1);
  EXPECT_TRUE(PowerOfTen(1) == 10);
  EXPECT_TRUE(PowerOfTen(18) == 1'000'000'000'000'000'000LL);
  EXPECT_TRUE(PowerOfTen(19) == PowerOfTen(18) * 10);
  EXPECT_EQ(FormatDecimal(PowerOfTen(38), 0), "1" + std::string(38, '0'));
}

TEST(DecimalTest, DecimalDigits) {
  EXPECT_EQ(DecimalDigits(0), 1);
  EXPECT_EQ(DecimalDigits(9), 1);
  EXPECT_EQ(DecimalDigits(10), 2);
  EXPECT_EQ(DecimalDigits(-999), 3);
  EXPECT_EQ(DecimalDigits(-1000), 4);
  EXPECT_EQ(DecimalDigits(MaxOf38Digits()), 38);
  EXPECT_EQ(DecimalDigits(-MaxOf38Digits()), 38);
  EXPECT_EQ(DecimalDigits(PowerOfTen(38)), 39);
}

TEST(DecimalTest, FormatPlain) {
  EXPECT_EQ(FormatDecimal(12345, 2), "123.45");
  EXPECT_EQ(FormatDecimal(-5, 2), "-0.05");
  EXPECT_EQ(FormatDecimal(7, 0), "7");
  EXPECT_EQ(FormatDecimal(-7, 0), "-7");
  EXPECT_EQ(FormatDecimal(0, 0), "0");
  EXPECT_EQ(FormatDecimal(0, 3), "0.000");
  EXPECT_EQ(FormatDecimal(100, 2), "1.00");
  EXPECT_EQ(FormatDecimal(1, 5), "0.00001");
  EXPECT_EQ(FormatDecimal(-123456, 3), "-123.456");
  EXPECT_EQ(FormatDecimal(MaxOf38Digits(), 0), std::string(38, '9'));
  EXPECT_EQ(FormatDecimal(-MaxOf38Digits(), 0), "-" + std::string(38, '9'));
  EXPECT_EQ(FormatDecimal(MaxOf38Digits(), 38), "0." + std::string(38, '9'));
  EXPECT_EQ(FormatDecimal(-MaxOf38Digits(), 10),
            "-" + std::string(28, '9') + "." + std::string(10, '9'));
}

TEST(DecimalTest, ParsePlainNumbers) {
  EXPECT_TRUE(Parse("123.45", 5, 2) == 12345);
  EXPECT_TRUE(Parse("-12.345", 5, 3) == -12345);
  EXPECT_TRUE(Parse("+1.5", 2, 1) == 15);
  EXPECT_TRUE(Parse("123", 5, 2) == 12300);
  EXPECT_TRUE(Parse("0", 1, 0) == 0);
  EXPECT_TRUE(Parse("-0", 1, 0) == 0);
  EXPECT_TRUE(Parse("007", 1, 0) == 7);
  EXPECT_TRUE(Parse(".5", 1, 1) == 5);
  EXPECT_TRUE(Parse("5.", 1, 0) == 5);
  EXPECT_TRUE(Parse("0.001", 2, 2) == 0);
}

TEST(DecimalTest, ParseExponents) {
  EXPECT_TRUE(Parse("1e3", 4, 0) == 1000);
  EXPECT_TRUE(Parse("1E+3", 4, 0) == 1000);
  EXPECT_TRUE(Parse("0.5E-2", 3, 3) == 5);
  EXPECT_TRUE(Parse("1.23e1", 3, 1) == 123);
  EXPECT_TRUE(Parse("-2.5e-1", 2, 2) == -25);
  EXPECT_TRUE(Parse("1e37", 38, 0) == PowerOfTen(37));
  EXPECT_TRUE(Parse("1E-40", 38, 0) == 0);
  EXPECT_TRUE(Parse("0e999999", 1, 0) == 0);
  EXPECT_TRUE(Rejects("1e38", 38, 0));
  EXPECT_TRUE(Rejects("1e2147483647", 38, 0));
  EXPECT_TRUE(Rejects("1e99999999999", 38, 0));
}

TEST(DecimalTest, RoundsHalfUp) {
  EXPECT_TRUE(Parse("0.125", 3, 2) == 13);
  EXPECT_TRUE(Parse("-0.125", 3, 2) == -13);
  EXPECT_TRUE(Parse("0.124", 3, 2) == 12);
  EXPECT_TRUE(Parse("-0.1249999", 3, 2) == -12);
  EXPECT_TRUE(Parse("0.135", 3, 2) == 14);
  EXPECT_TRUE(Parse("2.5", 1, 0) == 3);
  EXPECT_TRUE(Parse("-2.5", 1, 0) == -3);
  EXPECT_TRUE(Parse("0.5", 1, 0) == 1);
  EXPECT_TRUE(Parse("0.49", 1, 0) == 0);
  EXPECT_TRUE(Parse("5e-1", 1, 0) == 1);
  EXPECT_TRUE(Parse("0.0000000000000000000000000000000000000000000000000000000000000009", 10, 5) ==
              0);
  EXPECT_TRUE(Parse("1.99999999999999999999999999999999999999999999", 2, 1) == 20);
}

TEST(DecimalTest, PrecisionOverflow) {
  const std::string max38(38, '9');
  EXPECT_TRUE(Parse(max38, 38, 0) == MaxOf38Digits());
  EXPECT_TRUE(Parse("-" + max38, 38, 0) == -MaxOf38Digits());
  EXPECT_TRUE(Rejects("1" + std::string(38, '0'), 38, 0));
  EXPECT_TRUE(Rejects(max38 + ".5", 38, 0));  // rounds up to 39 digits
  EXPECT_TRUE(Parse(max38 + ".4", 38, 0) == MaxOf38Digits());
  EXPECT_TRUE(Rejects("12345", 4, 0));
  EXPECT_TRUE(Rejects("100", 4, 2));
  EXPECT_TRUE(Parse("99.99", 4, 2) == 9999);
  EXPECT_TRUE(Rejects("9.995", 3, 2));  // 10.00 needs four digits
  EXPECT_TRUE(Rejects("1", 38, 38));
  EXPECT_TRUE(Parse("0." + max38, 38, 38) == MaxOf38Digits());
  EXPECT_TRUE(Rejects(std::string(60, '9'), 38, 0));
  EXPECT_TRUE(Parse(std::string(60, '0') + "1", 1, 0) == 1);
}

TEST(DecimalTest, RejectsNonNumbers) {
  for (std::string_view text : {"", "abc", "-", "+", ".", "1e", "1e+", "e5", "1.2.3", "1,5", "--1",
                                "+-1", " 1", "1 ", "0x10", "1e5.5", "NaN", "Infinity", "1f"}) {
    EXPECT_TRUE(Rejects(text, 10, 2)) << text;
  }
}

TEST(DecimalTest, ScanDecimalLiteral) {
  DecimalLiteral literal;
  ASSERT_TRUE(ScanDecimalLiteral("-012.340", &literal));
  EXPECT_TRUE(literal.negative);
  EXPECT_EQ(literal.integer_digits, "012");
  EXPECT_EQ(literal.fraction_digits, "340");
  EXPECT_EQ(literal.exponent_digits, "");
  EXPECT_EQ(literal.exponent, 0);

  ASSERT_TRUE(ScanDecimalLiteral("+.5E-07", &literal));
  EXPECT_FALSE(literal.negative);
  EXPECT_EQ(literal.integer_digits, "");
  EXPECT_EQ(literal.fraction_digits, "5");
  EXPECT_EQ(literal.exponent_digits, "07");
  EXPECT_EQ(literal.exponent, -7);

  ASSERT_TRUE(ScanDecimalLiteral("7.e+3", &literal));
  EXPECT_EQ(literal.integer_digits, "7");
  EXPECT_EQ(literal.fraction_digits, "");
  EXPECT_EQ(literal.exponent, 3);

  // The exponent may be anything an int holds, with any number of leading zeros.
  ASSERT_TRUE(ScanDecimalLiteral("1e2147483647", &literal));
  EXPECT_EQ(literal.exponent, 2147483647);
  ASSERT_TRUE(ScanDecimalLiteral("1e-2147483647", &literal));
  EXPECT_EQ(literal.exponent, -2147483647);
  ASSERT_TRUE(ScanDecimalLiteral("1e000000000000012", &literal));
  EXPECT_EQ(literal.exponent, 12);
  EXPECT_FALSE(ScanDecimalLiteral("1e2147483648", &literal));
  EXPECT_FALSE(ScanDecimalLiteral("1e-2147483648", &literal));
  EXPECT_FALSE(ScanDecimalLiteral("1e99999999999999999999", &literal));

  for (std::string_view text : {"", "abc", "-", "+", ".", "1e", "1e+", "e5", "1.2.3", "1,5", "--1",
                                "+-1", " 1", "1 ", "0x10", "1e5.5", "NaN", "Infinity", "1f"}) {
    EXPECT_FALSE(ScanDecimalLiteral(text, &literal)) << text;
  }
}

TEST(DecimalTest, ParseFormatRoundTrip) {
  for (std::string_view text : {"0.00", "1.50", "-0.05", "123456789012345678.90", "-99.99"}) {
    EXPECT_EQ(FormatDecimal(Parse(text, 20, 2), 2), text);
  }
}

}  // namespace
}  // namespace sluice
