// SPDX-License-Identifier: Apache-2.0
// Literals: numbers, strings, typed literals (DATE '...', X'...') and intervals, which
// are normalized into months, days and microseconds as Spark's CalendarInterval.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ascii.h"
#include "sql/parser_internal.h"
#include "types/datetime.h"

namespace sluice::sql::internal {
namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// Returns the singular upper-case unit of an interval unit word ("hours" -> "HOUR"), or
/// empty when `word` is not one.
std::string UnitOf(std::string_view word) {
  static constexpr std::string_view kUnits[] = {
      "YEAR", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND"};
  for (std::string_view unit : kUnits) {
    if (EqualsIgnoreCase(word, unit) ||
        (word.size() == unit.size() + 1 && EqualsIgnoreCase(word.substr(0, unit.size()), unit) &&
         LowerAscii(word.back()) == 's')) {
      return std::string(unit);
    }
  }
  return std::string();
}

/// A number of one unit: sign, whole part and up to 6 fraction digits (as micros of 1).
struct UnitValue {
  bool negative = false;
  int64_t whole = 0;
  int64_t fraction_micros = 0;  // 0..999999: the fraction times 10^6
  bool has_fraction = false;
};

/// Parses "[+-]digits[.digits]" at text[*pos].
bool ParseUnitValue(std::string_view text, size_t* pos, bool allow_sign, UnitValue* value) {
  size_t i = *pos;
  if (allow_sign && i < text.size() && (text[i] == '+' || text[i] == '-')) {
    value->negative = text[i] == '-';
    ++i;
  }
  const size_t digits_start = i;
  while (i < text.size() && IsDigit(text[i])) {
    if (__builtin_mul_overflow(value->whole, 10, &value->whole) ||
        __builtin_add_overflow(value->whole, text[i] - '0', &value->whole)) {
      return false;
    }
    ++i;
  }
  bool any_digit = i > digits_start;
  if (i < text.size() && text[i] == '.') {
    ++i;
    int64_t scale = 100000;
    while (i < text.size() && IsDigit(text[i])) {
      value->fraction_micros += (text[i] - '0') * scale;
      scale /= 10;
      value->has_fraction = true;
      any_digit = true;
      ++i;
    }
  }
  *pos = i;
  return any_digit;
}

bool AddChecked(int64_t* total, int64_t amount, int64_t multiplier) {
  int64_t product = 0;
  return !__builtin_mul_overflow(amount, multiplier, &product) &&
         !__builtin_add_overflow(*total, product, total);
}

/// Adds `value` of `unit` to the interval being built (months and days as int64 until
/// the end, where they must fit int32).
bool AddUnit(const std::string& unit, const UnitValue& value, int64_t* months, int64_t* days,
             int64_t* micros) {
  const int64_t sign = value.negative ? -1 : 1;
  const int64_t whole = sign * value.whole;
  if (value.has_fraction && unit != "SECOND") {
    return false;
  }
  if (unit == "YEAR") {
    return AddChecked(months, whole, 12);
  }
  if (unit == "MONTH") {
    return AddChecked(months, whole, 1);
  }
  if (unit == "WEEK") {
    return AddChecked(days, whole, 7);
  }
  if (unit == "DAY") {
    return AddChecked(days, whole, 1);
  }
  if (unit == "HOUR") {
    return AddChecked(micros, whole, kMicrosPerHour);
  }
  if (unit == "MINUTE") {
    return AddChecked(micros, whole, kMicrosPerMinute);
  }
  if (unit == "SECOND") {
    return AddChecked(micros, whole, kMicrosPerSecond) &&
           AddChecked(micros, sign * value.fraction_micros, 1);
  }
  if (unit == "MILLISECOND") {
    return AddChecked(micros, whole, 1000);
  }
  if (unit == "MICROSECOND") {
    return AddChecked(micros, whole, 1);
  }
  return false;
}

bool Finish(int64_t months, int64_t days, int64_t micros, IntervalValue* value) {
  if (months < INT32_MIN || months > INT32_MAX || days < INT32_MIN || days > INT32_MAX) {
    return false;
  }
  value->months = static_cast<int32_t>(months);
  value->days = static_cast<int32_t>(days);
  value->micros = micros;
  return true;
}

/// "1 day 2 hours", "interval -3 minutes 1.5 seconds".
bool ParseMultiUnitString(std::string_view text, IntervalValue* value) {
  size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && IsSpace(text[i])) {
      ++i;
    }
  };
  skip_space();
  if (text.size() - i >= 8 && EqualsIgnoreCase(text.substr(i, 8), "interval") &&
      (text.size() - i == 8 || IsSpace(text[i + 8]))) {
    i += 8;
  }
  int64_t months = 0;
  int64_t days = 0;
  int64_t micros = 0;
  bool any = false;
  while (true) {
    skip_space();
    if (i >= text.size()) {
      break;
    }
    UnitValue unit_value;
    if (!ParseUnitValue(text, &i, true, &unit_value)) {
      return false;
    }
    skip_space();
    const size_t unit_start = i;
    while (i < text.size() &&
           ((text[i] >= 'a' && text[i] <= 'z') || (text[i] >= 'A' && text[i] <= 'Z'))) {
      ++i;
    }
    const std::string unit = UnitOf(text.substr(unit_start, i - unit_start));
    if (unit.empty() || !AddUnit(unit, unit_value, &months, &days, &micros)) {
      return false;
    }
    any = true;
  }
  return any && Finish(months, days, micros, value);
}

/// Parses `text` as the fields from `from` to `to` of a unit-to-unit interval:
/// YEAR TO MONTH "y-m"; day-time "d h:m:s.f" (the fields between from and to).
bool ParseUnitToUnitString(std::string_view text, std::string_view from, std::string_view to,
                           IntervalValue* value) {
  size_t i = 0;
  while (i < text.size() && IsSpace(text[i])) {
    ++i;
  }
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  int64_t months = 0;
  int64_t days = 0;
  int64_t micros = 0;
  if (from == "YEAR" && to == "MONTH") {
    UnitValue years;
    UnitValue month_value;
    if (!ParseUnitValue(text, &i, false, &years) || years.has_fraction || i >= text.size() ||
        text[i] != '-') {
      return false;
    }
    ++i;
    if (!ParseUnitValue(text, &i, false, &month_value) || month_value.has_fraction ||
        month_value.whole > 11 || !AddChecked(&months, years.whole, 12) ||
        !AddChecked(&months, month_value.whole, 1)) {
      return false;
    }
  } else {
    static constexpr std::string_view kFields[] = {"DAY", "HOUR", "MINUTE", "SECOND"};
    static constexpr int64_t kLimits[] = {0, 23, 59, 59};
    int first = -1;
    int last = -1;
    for (int f = 0; f < 4; ++f) {
      first = kFields[f] == from ? f : first;
      last = kFields[f] == to ? f : last;
    }
    if (first < 0 || last <= first) {
      return false;
    }
    for (int f = first; f <= last; ++f) {
      if (f > first) {
        const char separator = f == 1 ? ' ' : ':';
        if (i >= text.size() || text[i] != separator) {
          return false;
        }
        ++i;
      }
      UnitValue field;
      if (!ParseUnitValue(text, &i, false, &field) || (field.has_fraction && f != 3) ||
          (f > first && field.whole > kLimits[f])) {
        return false;
      }
      if (!AddUnit(std::string(kFields[f]), field, &months, &days, &micros)) {
        return false;
      }
    }
  }
  while (i < text.size() && IsSpace(text[i])) {
    ++i;
  }
  if (i != text.size()) {
    return false;
  }
  if (negative) {
    months = -months;
    days = -days;
    micros = -micros;
  }
  return Finish(months, days, micros, value);
}

Status InvalidTypedLiteral(std::string_view type, std::string_view text,
                           const SourcePosition& position) {
  return Status::ParseError("[INVALID_TYPED_LITERAL] The value of the typed literal \"" +
                            std::string(type) + "\" is invalid: '" + std::string(text) +
                            "'. SQLSTATE: 42604 " + PositionSuffix(position));
}

}  // namespace

bool ParseIntervalString(std::string_view text, std::string_view from, std::string_view to,
                         IntervalValue* value) {
  if (from.empty()) {
    return ParseMultiUnitString(text, value);
  }
  return ParseUnitToUnitString(text, from, to, value);
}

Result<ParsedExprPtr> Parser::ParseLiteral() {
  const Token& token = Peek();
  ParsedExprPtr expr = MakeExpr(ExprKind::kLiteral, token.position);
  if (token.kind == TokenKind::kNumber) {
    expr->literal_kind = token.number_kind;
    expr->text = std::string(token.text);
    Next();
  } else if (token.kind == TokenKind::kString) {
    expr->literal_kind = LiteralKind::kString;
    SLUICE_ASSIGN_OR_RETURN(expr->text, ParseStringLiteral());
  } else if (IsKeyword(token, "NULL")) {
    expr->literal_kind = LiteralKind::kNull;
    Next();
  } else if (IsKeyword(token, "TRUE") || IsKeyword(token, "FALSE")) {
    expr->literal_kind = LiteralKind::kBoolean;
    expr->text = ToLowerAscii(token.text);
    Next();
  } else {
    return Error();
  }
  return expr;
}

Result<ParsedExprPtr> Parser::ParseTypedLiteral() {
  const Token& type = Next();
  ParsedExprPtr expr = MakeExpr(ExprKind::kLiteral, type.position);
  SLUICE_ASSIGN_OR_RETURN(expr->text, ParseStringLiteral());
  std::string type_name(type.text);
  for (char& c : type_name) {
    c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  if (type_name == "DATE") {
    expr->literal_kind = LiteralKind::kDate;
    int32_t days = 0;
    if (!ParseDate(expr->text, &days)) {
      return InvalidTypedLiteral(type_name, expr->text, type.position);
    }
  } else if (type_name == "TIMESTAMP_NTZ") {
    expr->literal_kind = LiteralKind::kTimestampNtz;
    int64_t micros = 0;
    if (!ParseTimestampNtz(expr->text, &micros)) {
      return InvalidTypedLiteral(type_name, expr->text, type.position);
    }
  } else if (type_name == "X") {
    expr->literal_kind = LiteralKind::kBinary;
    for (char c : expr->text) {
      if (!(IsDigit(c) || (LowerAscii(c) >= 'a' && LowerAscii(c) <= 'f'))) {
        return InvalidTypedLiteral(type_name, expr->text, type.position);
      }
    }
  } else {
    expr->literal_kind = LiteralKind::kTimestamp;
  }
  return expr;
}

Result<ParsedExprPtr> Parser::ParseInterval() {
  const Token& keyword = Next();
  ParsedExprPtr expr = MakeExpr(ExprKind::kInterval, keyword.position);
  // INTERVAL '1 day 2 hours': the whole interval in one string.
  if (Peek().kind == TokenKind::kString &&
      !(Peek(1).kind == TokenKind::kIdentifier && !UnitOf(Peek(1).text).empty())) {
    SLUICE_ASSIGN_OR_RETURN(std::string text, ParseStringLiteral());
    if (!ParseIntervalString(text, "", "", &expr->interval)) {
      return InvalidTypedLiteral("INTERVAL", text, keyword.position);
    }
    return expr;
  }
  int64_t months = 0;
  int64_t days = 0;
  int64_t micros = 0;
  bool first = true;
  while (true) {
    // A value: [+|-] (number | string), then a unit word.
    size_t ahead = (PeekOp("-") || PeekOp("+")) ? 1 : 0;
    const TokenKind value_kind = Peek(ahead).kind;
    const bool has_value = value_kind == TokenKind::kNumber || value_kind == TokenKind::kString;
    if (!has_value || UnitOf(Peek(ahead + 1).kind == TokenKind::kIdentifier ? Peek(ahead + 1).text
                                                                            : std::string_view())
                          .empty()) {
      if (first) {
        return has_value ? SyntaxErrorAt(Peek(ahead + 1)) : SyntaxErrorAt(Peek(ahead));
      }
      break;
    }
    const bool outer_negative = PeekOp("-");
    if (ahead > 0) {
      Next();
    }
    const Token& value_token = Next();
    const std::string value_text =
        value_token.kind == TokenKind::kString ? value_token.value : std::string(value_token.text);
    const std::string unit = UnitOf(Next().text);
    if (first && PeekKeyword("TO")) {
      Next();
      if (Peek().kind != TokenKind::kIdentifier || UnitOf(Peek().text).empty()) {
        return Error();
      }
      const std::string to = UnitOf(Next().text);
      if (!ParseIntervalString(value_text, unit, to, &expr->interval)) {
        return InvalidTypedLiteral("INTERVAL", value_text, keyword.position);
      }
      if (outer_negative) {
        expr->interval.months = -expr->interval.months;
        expr->interval.days = -expr->interval.days;
        expr->interval.micros = -expr->interval.micros;
      }
      return expr;
    }
    first = false;
    UnitValue unit_value;
    size_t i = 0;
    if (!ParseUnitValue(value_text, &i, true, &unit_value) || i != value_text.size()) {
      return InvalidTypedLiteral("INTERVAL", value_text, keyword.position);
    }
    unit_value.negative = unit_value.negative != outer_negative;
    if (!AddUnit(unit, unit_value, &months, &days, &micros)) {
      return InvalidTypedLiteral("INTERVAL", value_text + " " + unit, keyword.position);
    }
  }
  if (!Finish(months, days, micros, &expr->interval)) {
    return InvalidTypedLiteral("INTERVAL", std::string(keyword.text), keyword.position);
  }
  return expr;
}

}  // namespace sluice::sql::internal
