// SPDX-License-Identifier: Apache-2.0
#include "expr/cast.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "columnar/builder.h"
#include "common/ascii.h"
#include "expr/cast_internal.h"
#include "expr/functions/kernel.h"
#include "types/datetime.h"
#include "types/number_format.h"
#include "types/time_zone.h"

namespace sluice::expr {

namespace {

bool IsDatetime(TypeId id) {
  return id == TypeId::kDate || id == TypeId::kTimestamp || id == TypeId::kTimestampNtz;
}

}  // namespace

bool CanCast(const TypePtr& from, const TypePtr& to, bool ansi) {
  const TypeId f = from->id();
  const TypeId t = to->id();
  if (from->Equals(*to) || f == TypeId::kNull) {
    return true;
  }
  if (t == TypeId::kString) {
    return f != TypeId::kVariant || !ansi;
  }
  if (f == TypeId::kString) {
    return t == TypeId::kBinary || t == TypeId::kBoolean || to->is_numeric() || IsDatetime(t);
  }
  switch (t) {
    case TypeId::kBoolean:
      return from->is_numeric() || (!ansi && (IsDatetime(f)));
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal:
      return from->is_numeric() || f == TypeId::kBoolean || f == TypeId::kTimestamp ||
             (!ansi && f == TypeId::kDate && t != TypeId::kDecimal);
    case TypeId::kBinary:
      return !ansi && from->is_integral();
    case TypeId::kDate:
      return f == TypeId::kTimestamp || f == TypeId::kTimestampNtz;
    case TypeId::kTimestamp:
      return f == TypeId::kDate || f == TypeId::kTimestampNtz || from->is_numeric() ||
             (!ansi && f == TypeId::kBoolean);
    case TypeId::kTimestampNtz:
      return f == TypeId::kDate || f == TypeId::kTimestamp;
    case TypeId::kArray:
      return f == TypeId::kArray && CanCast(from->element_type(), to->element_type(), ansi);
    case TypeId::kMap:
      return f == TypeId::kMap && CanCast(from->key_type(), to->key_type(), ansi) &&
             CanCast(from->value_type(), to->value_type(), ansi);
    case TypeId::kStruct: {
      if (f != TypeId::kStruct || from->num_fields() != to->num_fields()) {
        return false;
      }
      for (int i = 0; i < from->num_fields(); ++i) {
        if (!CanCast(from->field(i).type, to->field(i).type, ansi)) {
          return false;
        }
      }
      return true;
    }
    default:
      return false;
  }
}

namespace internal {

std::string_view TrimForCast(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && static_cast<unsigned char>(text[begin]) <= ' ') {
    ++begin;
  }
  while (end > begin && static_cast<unsigned char>(text[end - 1]) <= ' ') {
    --end;
  }
  return text.substr(begin, end - begin);
}

std::optional<int64_t> ParseIntegral(std::string_view text) {
  text = TrimForCast(text);
  if (text.empty()) {
    return std::nullopt;
  }
  size_t pos = 0;
  const bool negative = text[0] == '-';
  if (text[0] == '-' || text[0] == '+') {
    pos = 1;
  }
  if (pos == text.size()) {
    return std::nullopt;
  }
  // Accumulate negatively so that Long.MIN_VALUE parses.
  int64_t value = 0;
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  size_t digits = 0;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '.') {
      break;
    }
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    const int digit = c - '0';
    if (value < kMin / 10 || value * 10 < kMin + digit) {
      return std::nullopt;
    }
    value = value * 10 - digit;
    ++digits;
  }
  if (pos < text.size()) {
    // A fraction: digits only, dropped (Spark's UTF8String.toLong).
    for (size_t i = pos + 1; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') {
        return std::nullopt;
      }
    }
    if (digits == 0 && pos + 1 == text.size()) {
      return std::nullopt;
    }
  }
  if (!negative) {
    if (value == kMin) {
      return std::nullopt;
    }
    value = -value;
  }
  return value;
}

std::optional<double> ParseDouble(std::string_view text) {
  text = TrimForCast(text);
  if (text.empty()) {
    return std::nullopt;
  }
  std::string lower = ToLowerAscii(text);
  std::string_view body = lower;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "inf" || body == "infinity") {
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
  if (body == "nan") {
    return std::numeric_limits<double>::quiet_NaN();
  }
  // Java's Double.parseDouble: an optional d/f suffix; no hex, no other words.
  if (!body.empty() && (body.back() == 'd' || body.back() == 'f')) {
    body.remove_suffix(1);
  }
  if (body.empty()) {
    return std::nullopt;
  }
  bool mantissa_digit = false;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c >= '0' && c <= '9') {
      mantissa_digit = true;
    } else if (c == 'e') {
      break;
    } else if (c != '.') {
      return std::nullopt;
    }
  }
  if (!mantissa_digit) {
    return std::nullopt;
  }
  std::string copy(body);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

std::optional<bool> ParseBoolean(std::string_view text) {
  const std::string lower = ToLowerAscii(TrimForCast(text));
  if (lower == "t" || lower == "true" || lower == "y" || lower == "yes" || lower == "1") {
    return true;
  }
  if (lower == "f" || lower == "false" || lower == "n" || lower == "no" || lower == "0") {
    return false;
  }
  return std::nullopt;
}

bool RescaleDecimal(Int128 value, int from_scale, int to_precision, int to_scale, Int128* out) {
  if (to_scale >= from_scale) {
    const int up = to_scale - from_scale;
    if (DecimalDigits(value) + up > kMaxDecimalPrecision + 1 && value != 0) {
      return false;
    }
    if (up > kMaxDecimalPrecision) {
      if (value != 0) {
        return false;
      }
    } else {
      value *= PowerOfTen(up);
    }
  } else {
    const int down = from_scale - to_scale;
    if (down > kMaxDecimalPrecision) {
      value = 0;
    } else {
      const Int128 divisor = PowerOfTen(down);
      Int128 quotient = value / divisor;
      const Int128 remainder = value % divisor;
      const Int128 twice = (remainder < 0 ? -remainder : remainder) * 2;
      if (twice >= divisor) {
        quotient += value < 0 ? -1 : 1;  // HALF_UP: away from zero
      }
      value = quotient;
    }
  }
  if (DecimalDigits(value) > to_precision) {
    return false;
  }
  *out = value;
  return true;
}

double DecimalToDouble(Int128 unscaled, int scale) {
  const std::string text = FormatDecimal(unscaled, scale);
  return std::strtod(text.c_str(), nullptr);
}

Result<int64_t> UtcToSession(int64_t utc_micros, const EvalContext& ctx) {
  if (ctx.time_zone == "UTC") {
    return utc_micros;
  }
  SLUICE_ASSIGN_OR_RETURN(TimeZonePtr zone, TimeZone::Find(ctx.time_zone));
  return zone->UtcToLocal(utc_micros);
}

Result<int64_t> SessionToUtc(int64_t local_micros, const EvalContext& ctx) {
  if (ctx.time_zone == "UTC") {
    return local_micros;
  }
  SLUICE_ASSIGN_OR_RETURN(TimeZonePtr zone, TimeZone::Find(ctx.time_zone));
  return zone->LocalToUtc(local_micros);
}

std::string SqlValue(std::string_view text, TypeId id) {
  switch (id) {
    case TypeId::kString:
      return fmt::format("'{}'", text);
    case TypeId::kByte:
      return fmt::format("{}Y", text);
    case TypeId::kShort:
      return fmt::format("{}S", text);
    case TypeId::kLong:
      return fmt::format("{}L", text);
    case TypeId::kDouble:
      return fmt::format("{}D", text);
    case TypeId::kDecimal:
      return fmt::format("{}BD", text);
    case TypeId::kDate:
      return fmt::format("DATE '{}'", text);
    case TypeId::kTimestamp:
      return fmt::format("TIMESTAMP '{}'", text);
    case TypeId::kTimestampNtz:
      return fmt::format("TIMESTAMP_NTZ '{}'", text);
    default:
      return std::string(text);
  }
}

Status CastInvalidInput(std::string_view value, const TypePtr& from, const TypePtr& to) {
  return Status::InvalidArgument(fmt::format(
      "[CAST_INVALID_INPUT] The value {} of the type \"{}\" cannot be cast to \"{}\" because "
      "it is malformed. Correct the value as per the syntax, or change its target type. Use "
      "`try_cast` to tolerate malformed input and return NULL instead. If necessary set "
      "\"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
      SqlValue(value, from->id()), from->ToDdl(), to->ToDdl()));
}

Status CastOverflow(std::string_view value, const TypePtr& from, const TypePtr& to) {
  return Status::InvalidArgument(fmt::format(
      "[CAST_OVERFLOW] The value {} of the type \"{}\" cannot be cast to \"{}\" due to an "
      "overflow. Use `try_cast` to tolerate overflow and return NULL instead. If necessary "
      "set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
      SqlValue(value, from->id()), from->ToDdl(), to->ToDdl()));
}

Status NumericOutOfRange(std::string_view value, int precision, int scale) {
  return Status::InvalidArgument(fmt::format(
      "[NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION] {} cannot be represented as Decimal({}, "
      "{}). If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error, "
      "and return NULL instead.",
      value, precision, scale));
}

}  // namespace internal

}  // namespace sluice::expr
