// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>

namespace sluice::csv::internal {

// Spark's CSV source converts text with the JVM's parsers (`"12".toInt`, `.toDouble`,
// `.toBoolean`, `new BigDecimal(s)`); these functions accept exactly what those accept,
// ASCII digits only.

/// Java's Byte/Short/Integer/Long.parseXxx: optional '+' or '-', then one or more digits;
/// no white space; false when out of range.
bool ParseJavaInt(std::string_view text, int8_t* out);
bool ParseJavaInt(std::string_view text, int16_t* out);
bool ParseJavaInt(std::string_view text, int32_t* out);
bool ParseJavaInt(std::string_view text, int64_t* out);

/// Java's Double.parseDouble / Float.parseFloat: surrounding bytes <= ' ' are ignored;
/// optional sign; "NaN", "Infinity", decimal ("1", "1.", ".5", "1e-3") or hexadecimal
/// ("0x1.8p1") forms, optionally ending with one of f, F, d, D. Overflow gives an
/// infinity, underflow zero, as in Java. The float version rounds once, to float.
bool ParseJavaDouble(std::string_view text, double* out);
bool ParseJavaFloat(std::string_view text, float* out);

/// Scala's String.toBoolean: "true" or "false" in any letter case, nothing else.
bool ParseJavaBoolean(std::string_view text, bool* out);

/// The precision and scale of `new java.math.BigDecimal(text)`; false when Java would
/// reject the text. Precision counts the digits of the unscaled value without leading
/// zeros (1 for zero); scale may be negative ("1e3" has scale -3).
bool BigDecimalShape(std::string_view text, int64_t* precision, int64_t* scale);

/// Whether `c` is white space to Java's String.trim (any byte <= ' ').
inline bool IsJavaWhitespace(char c) {
  return static_cast<unsigned char>(c) <= ' ';
}

}  // namespace sluice::csv::internal
