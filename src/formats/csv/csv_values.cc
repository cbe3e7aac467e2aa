// SPDX-License-Identifier: Apache-2.0
#include "formats/csv/csv_values.h"

#include <charconv>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <system_error>

#include "common/ascii.h"
#include "types/decimal.h"

namespace sluice::csv::internal {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

template <typename T>
bool ParseIntegral(std::string_view text, T* out) {
  if (text.empty()) {
    return false;
  }
  // Java takes a leading '+', std::from_chars does not; a sign must be followed by a digit.
  if (text[0] == '+' || text[0] == '-') {
    if (text.size() < 2 || !IsDigit(text[1])) {
      return false;
    }
    if (text[0] == '+') {
      text.remove_prefix(1);
    }
  }
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) {
    return false;
  }
  *out = value;
  return true;
}

/// Parses an unsigned run of decimal digits into `*out`, saturating at a large bound.
int64_t SaturatingExponent(std::string_view digits, bool negative) {
  int64_t value = 0;
  for (char c : digits) {
    value = value * 10 + (c - '0');
    if (value > 1'000'000'000) {
      value = 1'000'000'000;
      break;
    }
  }
  return negative ? -value : value;
}

/// The checked pieces of a Java floating-point literal without sign and suffix.
struct FloatLiteral {
  bool hex = false;
  std::string_view body;  // what std::from_chars reads: digits, point, exponent
  int64_t magnitude = 0;  // decimal (or binary, for hex) exponent of the leading digit
  bool all_zero_mantissa = true;
};

/// Java's decimal floating-point form, unsigned: digits [. digits] [(e|E) [+-] digits].
/// The same shape as BigDecimal's, but not types' ScanDecimalLiteral: the caller has taken
/// the sign already (so "+-1" must fail here), and an exponent beyond an int is no error
/// for Double.parseDouble ("1e9999999999" is infinity) while BigDecimal rejects it.
bool ScanDecimal(std::string_view text, FloatLiteral* literal) {
  size_t pos = 0;
  const size_t int_begin = pos;
  while (pos < text.size() && IsDigit(text[pos])) {
    ++pos;
  }
  const size_t int_end = pos;
  size_t frac_begin = pos;
  size_t frac_end = pos;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    frac_begin = pos;
    while (pos < text.size() && IsDigit(text[pos])) {
      ++pos;
    }
    frac_end = pos;
  }
  if (int_end == int_begin && frac_end == frac_begin) {
    return false;
  }
  int64_t exponent = 0;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    bool negative = false;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      negative = text[pos] == '-';
      ++pos;
    }
    const size_t exp_begin = pos;
    while (pos < text.size() && IsDigit(text[pos])) {
      ++pos;
    }
    if (pos == exp_begin) {
      return false;
    }
    exponent = SaturatingExponent(text.substr(exp_begin, pos - exp_begin), negative);
  }
  if (pos != text.size()) {
    return false;
  }
  literal->body = text;
  for (size_t i = int_begin; i < int_end; ++i) {
    if (text[i] != '0') {
      literal->all_zero_mantissa = false;
      literal->magnitude = static_cast<int64_t>(int_end - i) - 1 + exponent;
      return true;
    }
  }
  for (size_t i = frac_begin; i < frac_end; ++i) {
    if (text[i] != '0') {
      literal->all_zero_mantissa = false;
      literal->magnitude = -static_cast<int64_t>(i - frac_begin) - 1 + exponent;
      return true;
    }
  }
  return true;
}

/// Java's hexadecimal form after "0x": hexdigits [. hexdigits] (p|P) [+-] digits.
bool ScanHex(std::string_view text, FloatLiteral* literal) {
  size_t pos = 0;
  size_t digits = 0;
  while (pos < text.size() && IsHexDigit(text[pos])) {
    ++pos;
    ++digits;
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && IsHexDigit(text[pos])) {
      ++pos;
      ++digits;
    }
  }
  if (digits == 0 || pos >= text.size() || (text[pos] != 'p' && text[pos] != 'P')) {
    return false;
  }
  ++pos;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    negative = text[pos] == '-';
    ++pos;
  }
  const size_t exp_begin = pos;
  while (pos < text.size() && IsDigit(text[pos])) {
    ++pos;
  }
  if (pos == exp_begin || pos != text.size()) {
    return false;
  }
  literal->hex = true;
  literal->body = text;
  literal->magnitude = SaturatingExponent(text.substr(exp_begin), negative);
  literal->all_zero_mantissa = false;
  for (char c : text.substr(0, text.find_first_of("pP"))) {
    if (c != '0' && c != '.') {
      return true;
    }
  }
  literal->all_zero_mantissa = true;
  return true;
}

template <typename T>
bool ParseFloating(std::string_view text, T* out) {
  while (!text.empty() && IsJavaWhitespace(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && IsJavaWhitespace(text.back())) {
    text.remove_suffix(1);
  }
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text == "NaN") {
    *out = std::numeric_limits<T>::quiet_NaN();
    return true;
  }
  if (text == "Infinity") {
    *out = negative ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
    return true;
  }
  if (!text.empty()) {
    const char last = text.back();
    if (last == 'f' || last == 'F' || last == 'd' || last == 'D') {
      text.remove_suffix(1);
    }
  }
  FloatLiteral literal;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    if (!ScanHex(text.substr(2), &literal)) {
      return false;
    }
  } else if (!ScanDecimal(text, &literal)) {
    return false;
  }
  T value{};
  const char* end = literal.body.data() + literal.body.size();
  auto [ptr, ec] =
      std::from_chars(literal.body.data(), end, value,
                      literal.hex ? std::chars_format::hex : std::chars_format::general);
  if (ec == std::errc::result_out_of_range) {
    value = (!literal.all_zero_mantissa && literal.magnitude > 0)
                ? std::numeric_limits<T>::infinity()
                : T{0};
  } else if (ec != std::errc() || ptr != end) {
    return false;
  }
  *out = negative ? -value : value;
  return true;
}

}  // namespace

bool ParseJavaInt(std::string_view text, int8_t* out) {
  return ParseIntegral(text, out);
}
bool ParseJavaInt(std::string_view text, int16_t* out) {
  return ParseIntegral(text, out);
}
bool ParseJavaInt(std::string_view text, int32_t* out) {
  return ParseIntegral(text, out);
}
bool ParseJavaInt(std::string_view text, int64_t* out) {
  return ParseIntegral(text, out);
}

bool ParseJavaDouble(std::string_view text, double* out) {
  return ParseFloating(text, out);
}

bool ParseJavaFloat(std::string_view text, float* out) {
  return ParseFloating(text, out);
}

bool ParseJavaBoolean(std::string_view text, bool* out) {
  if (EqualsIgnoreCase(text, "true")) {
    *out = true;
    return true;
  }
  if (EqualsIgnoreCase(text, "false")) {
    *out = false;
    return true;
  }
  return false;
}

bool BigDecimalShape(std::string_view text, int64_t* precision, int64_t* scale) {
  DecimalLiteral literal;
  // More than 10 exponent digits are rejected, leading zeros included (Java skips those).
  if (!ScanDecimalLiteral(text, &literal) || literal.exponent_digits.size() > 10) {
    return false;
  }
  int64_t significant = 0;
  bool leading = true;
  for (std::string_view digits : {literal.integer_digits, literal.fraction_digits}) {
    for (char c : digits) {
      if (leading && c == '0') {
        continue;
      }
      leading = false;
      ++significant;
    }
  }
  *precision = significant == 0 ? 1 : significant;
  *scale = static_cast<int64_t>(literal.fraction_digits.size()) - literal.exponent;
  return true;
}

}  // namespace sluice::csv::internal
