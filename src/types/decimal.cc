// SPDX-License-Identifier: Apache-2.0
#include "types/decimal.h"

#include <array>
#include <cstddef>
#include <string>

#include "common/check.h"

namespace sluice {
namespace {

using UInt128 = unsigned __int128;

constexpr std::array<Int128, 39> MakePowersOfTen() {
  std::array<Int128, 39> powers{};
  powers[0] = 1;
  for (size_t i = 1; i < powers.size(); ++i) {
    powers[i] = powers[i - 1] * 10;
  }
  return powers;
}

constexpr std::array<Int128, 39> kPowersOfTen = MakePowersOfTen();

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

Int128 PowerOfTen(int exponent) {
  SLUICE_DCHECK(exponent >= 0 && exponent <= 38, "PowerOfTen({})", exponent);
  return kPowersOfTen[exponent];
}

bool ScanDecimalLiteral(std::string_view text, DecimalLiteral* out) {
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    negative = text[pos] == '-';
    ++pos;
  }
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
  size_t exponent_begin = pos;
  size_t exponent_end = pos;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    bool exponent_negative = false;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      exponent_negative = text[pos] == '-';
      ++pos;
    }
    exponent_begin = pos;
    while (pos < text.size() && IsDigit(text[pos])) {
      exponent = exponent * 10 + (text[pos] - '0');
      if (exponent > INT32_MAX) {
        return false;  // Java's BigDecimal rejects exponents beyond an int
      }
      ++pos;
    }
    if (pos == exponent_begin) {
      return false;
    }
    exponent_end = pos;
    if (exponent_negative) {
      exponent = -exponent;
    }
  }
  if (pos != text.size()) {
    return false;
  }
  out->negative = negative;
  out->integer_digits = text.substr(int_begin, int_end - int_begin);
  out->fraction_digits = text.substr(frac_begin, frac_end - frac_begin);
  out->exponent_digits = text.substr(exponent_begin, exponent_end - exponent_begin);
  out->exponent = exponent;
  return true;
}

bool ParseDecimal(std::string_view text, int precision, int scale, Int128* unscaled) {
  DecimalLiteral literal;
  if (!ScanDecimalLiteral(text, &literal)) {
    return false;
  }
  const bool negative = literal.negative;
  const int64_t exponent = literal.exponent;

  // The mantissa digits, read as one sequence, with the point after `int_len` of them.
  const int64_t int_len = static_cast<int64_t>(literal.integer_digits.size());
  const int64_t num_digits = int_len + static_cast<int64_t>(literal.fraction_digits.size());
  auto digit_at = [&](int64_t index) -> int {
    return index < int_len ? literal.integer_digits[index] - '0'
                           : literal.fraction_digits[index - int_len] - '0';
  };
  // Digit i has weight 10^(int_len - 1 - i + exponent); those with weight >= 10^-scale are
  // kept, which are the first `keep` digits.
  const int64_t keep = int_len + exponent + scale;
  Int128 value = 0;
  const int64_t taken = keep < num_digits ? keep : num_digits;
  for (int64_t i = 0; i < taken; ++i) {
    if (value >= kPowersOfTen[37]) {
      return false;  // another digit makes 39 or more, beyond any precision
    }
    value = value * 10 + digit_at(i);
  }
  if (keep > num_digits && value != 0) {
    const int64_t zeros = keep - num_digits;
    if (zeros > 38 || DecimalDigits(value) + zeros > 38) {
      return false;
    }
    value *= kPowersOfTen[zeros];
  }
  if (keep >= 0 && keep < num_digits && digit_at(keep) >= 5) {
    ++value;  // HALF_UP: the first dropped digit decides, away from zero
  }
  if (DecimalDigits(value) > precision && value != 0) {
    return false;
  }
  *unscaled = negative ? -value : value;
  return true;
}

std::string FormatDecimal(Int128 unscaled, int scale) {
  SLUICE_DCHECK(scale >= 0 && scale <= 38, "FormatDecimal scale {}", scale);
  const bool negative = unscaled < 0;
  UInt128 magnitude =
      negative ? UInt128(0) - static_cast<UInt128>(unscaled) : static_cast<UInt128>(unscaled);
  char digits[48];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + static_cast<int>(magnitude % 10));
    magnitude /= 10;
  } while (magnitude != 0);
  // digits[] holds the number backwards; pad so at least one digit precedes the point.
  while (count <= scale) {
    digits[count++] = '0';
  }
  std::string out;
  out.reserve(static_cast<size_t>(count) + 2);
  if (negative) {
    out.push_back('-');
  }
  for (int i = count - 1; i >= 0; --i) {
    out.push_back(digits[i]);
    if (i == scale && scale > 0) {
      out.push_back('.');
    }
  }
  return out;
}

int DecimalDigits(Int128 value) {
  UInt128 magnitude =
      value < 0 ? UInt128(0) - static_cast<UInt128>(value) : static_cast<UInt128>(value);
  int digits = 1;
  while (magnitude >= 10) {
    magnitude /= 10;
    ++digits;
  }
  return digits;
}

void RoundDecimalLiteral(const DecimalLiteral& literal, int places, bool half_even,
                         std::string* integer, std::string* fraction) {
  std::string digits = std::string(literal.integer_digits) + std::string(literal.fraction_digits);
  int64_t point = static_cast<int64_t>(literal.integer_digits.size()) + literal.exponent;
  // At least one integer digit and `places` + 1 fraction digits.
  while (point <= 0) {
    digits.insert(digits.begin(), '0');
    ++point;
  }
  while (static_cast<int64_t>(digits.size()) < point + places + 1) {
    digits.push_back('0');
  }
  const size_t cut = static_cast<size_t>(point + places);
  std::string kept = digits.substr(0, cut);
  const char next = digits[cut];
  bool up = next >= '5';
  if (half_even && next == '5') {
    const bool rest = digits.find_first_not_of('0', cut + 1) != std::string::npos;
    const bool odd = !kept.empty() && (kept.back() - '0') % 2 == 1;
    up = rest || odd;
  }
  if (up) {
    int i = static_cast<int>(kept.size()) - 1;
    while (i >= 0 && kept[i] == '9') {
      kept[i--] = '0';
    }
    if (i >= 0) {
      ++kept[i];
    } else {
      kept.insert(kept.begin(), '1');
      ++point;
    }
  }
  *integer = kept.substr(0, static_cast<size_t>(point));
  const size_t first = integer->find_first_not_of('0');
  *integer = first == std::string::npos ? "0" : integer->substr(first);
  *fraction = kept.substr(static_cast<size_t>(point));
}

}  // namespace sluice
