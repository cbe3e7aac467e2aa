// SPDX-License-Identifier: Apache-2.0
#include "types/number_format.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <system_error>

namespace sluice {
namespace {

/// The decimal digits (no leading or trailing zeros, at least one digit) and the exponent
/// of a finite non-zero value: value = 0.d1d2d3... * 10^point, i.e. the decimal point
/// sits after `point` digits.
struct Decimal {
  char digits[32];
  int num_digits = 0;
  int point = 0;
};

/// Splits the scientific text of std::to_chars ("d.dddde+xx") into digits and point.
void SplitScientific(std::string_view text, Decimal* out) {
  size_t pos = 0;
  if (pos < text.size() && text[pos] == '-') {
    ++pos;
  }
  out->num_digits = 0;
  while (pos < text.size() && text[pos] != 'e') {
    if (text[pos] != '.') {
      out->digits[out->num_digits++] = text[pos];
    }
    ++pos;
  }
  int exponent = 0;
  if (pos < text.size()) {
    ++pos;  // 'e'
    if (text[pos] == '+') {
      ++pos;
    }
    std::from_chars(text.data() + pos, text.data() + text.size(), exponent);
  }
  while (out->num_digits > 1 && out->digits[out->num_digits - 1] == '0') {
    --out->num_digits;
  }
  out->point = exponent + 1;
}

/// Finds Java's digits for a finite non-zero |value|: the shortest that round-trip, except
/// that when one digit suffices Java picks the closest decimal of one or two digits
/// (so Double.MIN_VALUE is 4.9E-324, not 5.0E-324).
template <typename T>
void JavaDigits(T value, Decimal* out) {
  char buffer[64];
  auto result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  SplitScientific(std::string_view(buffer, result.ptr - buffer), out);
  if (out->num_digits != 1) {
    return;
  }
  auto two =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific, 1);
  T round_trip{};
  auto parsed = std::from_chars(buffer, two.ptr, round_trip);
  if (parsed.ec != std::errc() || round_trip != value) {
    return;
  }
  Decimal candidate;
  SplitScientific(std::string_view(buffer, two.ptr - buffer), &candidate);
  if (candidate.num_digits == 2) {
    *out = candidate;
  }
}

template <typename T>
std::string FormatJava(T value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value < 0 ? "-Infinity" : "Infinity";
  }
  std::string out;
  if (std::signbit(value)) {
    out.push_back('-');
  }
  if (value == 0) {
    out += "0.0";
    return out;
  }
  Decimal decimal;
  JavaDigits(std::fabs(value), &decimal);
  std::string_view digits(decimal.digits, decimal.num_digits);
  // Java uses plain notation for 10^-3 <= |v| < 10^7, i.e. -2 <= point <= 7.
  if (decimal.point >= -2 && decimal.point <= 7) {
    if (decimal.point <= 0) {
      out += "0.";
      out.append(-decimal.point, '0');
      out += digits;
    } else if (decimal.point >= decimal.num_digits) {
      out += digits;
      out.append(decimal.point - decimal.num_digits, '0');
      out += ".0";
    } else {
      out += digits.substr(0, decimal.point);
      out.push_back('.');
      out += digits.substr(decimal.point);
    }
    return out;
  }
  out.push_back(digits[0]);
  out.push_back('.');
  if (digits.size() > 1) {
    out += digits.substr(1);
  } else {
    out.push_back('0');
  }
  out.push_back('E');
  char exponent[16];
  auto end = std::to_chars(exponent, exponent + sizeof(exponent), decimal.point - 1).ptr;
  out.append(exponent, end);
  return out;
}

}  // namespace

std::string FormatDouble(double value) {
  return FormatJava(value);
}

std::string FormatFloat(float value) {
  return FormatJava(value);
}

}  // namespace sluice
