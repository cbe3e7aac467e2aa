// SPDX-License-Identifier: Apache-2.0
#include "types/number_format.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

namespace sluice {
namespace {

TEST(NumberFormatTest, SpecialDoubles) {
  EXPECT_EQ(FormatDouble(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(FormatDouble(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(FormatDouble(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(FormatDouble(0.0), "0.0");
  EXPECT_EQ(FormatDouble(-0.0), "-0.0");
}

TEST(NumberFormatTest, PlainNotationRange) {
  EXPECT_EQ(FormatDouble(1.0), "1.0");
  EXPECT_EQ(FormatDouble(-1.0), "-1.0");
  EXPECT_EQ(FormatDouble(100.0), "100.0");
  EXPECT_EQ(FormatDouble(0.1), "0.1");
  EXPECT_EQ(FormatDouble(0.5), "0.5");
  EXPECT_EQ(FormatDouble(0.001), "0.001");
  EXPECT_EQ(FormatDouble(0.00123), "0.00123");
  EXPECT_EQ(FormatDouble(-0.001), "-0.001");
  EXPECT_EQ(FormatDouble(1.5), "1.5");
  EXPECT_EQ(FormatDouble(123.456), "123.456");
  EXPECT_EQ(FormatDouble(1234567.0), "1234567.0");
  EXPECT_EQ(FormatDouble(9999999.0), "9999999.0");
  EXPECT_EQ(FormatDouble(9999999.5), "9999999.5");
  EXPECT_EQ(FormatDouble(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(FormatDouble(2.0 / 3.0), "0.6666666666666666");
  EXPECT_EQ(FormatDouble(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatDouble(static_cast<double>(1.1f)), "1.100000023841858");
}

TEST(NumberFormatTest, ScientificNotationOutsideRange) {
  EXPECT_EQ(FormatDouble(1e7), "1.0E7");
  EXPECT_EQ(FormatDouble(-1e7), "-1.0E7");
  EXPECT_EQ(FormatDouble(12345678.0), "1.2345678E7");
  EXPECT_EQ(FormatDouble(123456789.0), "1.23456789E8");
  EXPECT_EQ(FormatDouble(1e-4), "1.0E-4");
  EXPECT_EQ(FormatDouble(-1e-4), "-1.0E-4");
  EXPECT_EQ(FormatDouble(0.000999), "9.99E-4");
  EXPECT_EQ(FormatDouble(1.234e-5), "1.234E-5");
  EXPECT_EQ(FormatDouble(1e23), "1.0E23");
  EXPECT_EQ(FormatDouble(2e23), "2.0E23");
  EXPECT_EQ(FormatDouble(1e100), "1.0E100");
  EXPECT_EQ(FormatDouble(std::numeric_limits<double>::max()), "1.7976931348623157E308");
  EXPECT_EQ(FormatDouble(std::numeric_limits<double>::min()), "2.2250738585072014E-308");
}

TEST(NumberFormatTest, OneDigitValuesPreferCloserTwoDigitForm) {
  // Java picks the closest decimal of length 1 or 2: Double.MIN_VALUE is "4.9E-324".
  EXPECT_EQ(FormatDouble(std::numeric_limits<double>::denorm_min()), "4.9E-324");
  EXPECT_EQ(FormatFloat(std::numeric_limits<float>::denorm_min()), "1.4E-45");
  // When the one-digit form is exact, it stays.
  EXPECT_EQ(FormatDouble(5e-5), "5.0E-5");
  EXPECT_EQ(FormatDouble(3.0), "3.0");
}

TEST(NumberFormatTest, Floats) {
  EXPECT_EQ(FormatFloat(1.0f), "1.0");
  EXPECT_EQ(FormatFloat(0.1f), "0.1");
  EXPECT_EQ(FormatFloat(1.1f), "1.1");
  EXPECT_EQ(FormatFloat(1.0f / 3.0f), "0.33333334");
  EXPECT_EQ(FormatFloat(3.14159f), "3.14159");
  EXPECT_EQ(FormatFloat(16777216.0f), "1.6777216E7");
  EXPECT_EQ(FormatFloat(1e10f), "1.0E10");
  EXPECT_EQ(FormatFloat(1e-4f), "1.0E-4");
  EXPECT_EQ(FormatFloat(std::numeric_limits<float>::max()), "3.4028235E38");
  EXPECT_EQ(FormatFloat(-0.0f), "-0.0");
  EXPECT_EQ(FormatFloat(std::numeric_limits<float>::quiet_NaN()), "NaN");
  EXPECT_EQ(FormatFloat(-std::numeric_limits<float>::infinity()), "-Infinity");
}

// Every output must read back as the same value and follow Java's layout.
TEST(NumberFormatTest, RoundTripsAndLayoutOverManyBitPatterns) {
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 20000; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    double value = 0;
    std::memcpy(&value, &state, sizeof(value));
    if (!std::isfinite(value)) {
      continue;
    }
    const std::string text = FormatDouble(value);
    std::string parsable = text;
    const size_t e = parsable.find('E');
    if (e != std::string::npos) {
      parsable[e] = 'e';
    }
    double back = 0;
    auto result = std::from_chars(parsable.data(), parsable.data() + parsable.size(), back);
    ASSERT_EQ(result.ec, std::errc()) << text;
    ASSERT_EQ(back, value) << text;
    const size_t dot = text.find('.');
    ASSERT_NE(dot, std::string::npos) << text;
    ASSERT_LT(dot + 1, text.size()) << text;
    const double magnitude = std::fabs(value);
    const bool plain = magnitude >= 1e-3 && magnitude < 1e7;
    ASSERT_EQ(e == std::string::npos, plain) << text;
  }
}

}  // namespace
}  // namespace sluice
