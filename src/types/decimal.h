// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

/// The unscaled value of a decimal(p,s) with p <= 38: value = unscaled / 10^s.
using Int128 = __int128;

/// Returns 10^exponent for 0 <= exponent <= 38.
Int128 PowerOfTen(int exponent);

/// The pieces of a decimal literal in the syntax of Java's BigDecimal(String).
struct DecimalLiteral {
  bool negative = false;
  std::string_view integer_digits;   // the digits before the point, maybe empty
  std::string_view fraction_digits;  // the digits after the point, maybe empty
  std::string_view exponent_digits;  // the digits after 'e'/'E' and its sign; empty if none
  int64_t exponent = 0;              // the signed value of the exponent, 0 if none
};

/// Splits `text` in Java BigDecimal(String) syntax, [+-] digits [. digits] [(e|E) [+-]
/// digits] with at least one mantissa digit on either side of the point, into `*out`.
/// Returns false (leaving `*out` unspecified) when `text` is not such a literal or the
/// exponent's magnitude is beyond an int, as Java rejects it. The views point into `text`.
bool ScanDecimalLiteral(std::string_view text, DecimalLiteral* out);

/// The magnitude of `literal` rounded to `places` fraction digits: `*integer` holds its
/// integer digits without leading zeros ("0" at least), `*fraction` exactly `places`
/// digits. Rounds half up (Java's String.format), or half even when `half_even`
/// (DecimalFormat's default). The sign is left to the caller.
void RoundDecimalLiteral(const DecimalLiteral& literal, int places, bool half_even,
                         std::string* integer, std::string* fraction);

/// Parses a decimal literal ("-12.345", "1e3", "0.5E-2", leading '+' allowed) into the
/// unscaled value of decimal(precision, scale), rounding extra fraction digits half-up
/// like Java's BigDecimal.setScale(scale, HALF_UP). Returns false when `text` is not a
/// number or the value does not fit in `precision` digits.
bool ParseDecimal(std::string_view text, int precision, int scale, Int128* unscaled);

/// Returns the plain string of unscaled/10^scale: "123.45", "-0.05", "7" (scale 0);
/// never an exponent, as Spark's Decimal.toString.
std::string FormatDecimal(Int128 unscaled, int scale);

/// Returns how many decimal digits |value| has (1 for 0).
int DecimalDigits(Int128 value);

}  // namespace sluice
