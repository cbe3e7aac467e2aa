// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sluice {

// Dates are days since 1970-01-01 (int32); timestamps are microseconds since
// 1970-01-01T00:00:00Z (int64), both on the proleptic Gregorian calendar, as in Spark 3+.
// The session time zone is UTC: a timestamp without an offset is read as UTC.

/// Returns the day number of a civil date (no range check on the inputs).
int32_t DaysFromCivil(int64_t year, int month, int day);
/// Splits a day number into its civil date.
void CivilFromDays(int32_t days, int64_t* year, int* month, int* day);

/// Returns "2024-01-31" (years beyond 9999 get a '+', negative years a '-', as Spark).
std::string FormatDate(int32_t days);
/// Returns Spark's cast-to-string form in UTC: "2024-01-31 10:00:00", with the fraction
/// only when non-zero and without trailing zeros ("2024-01-31 10:00:00.5").
std::string FormatTimestamp(int64_t micros);

/// Parses a date the way Spark's CAST(string AS DATE) does: "yyyy", "yyyy-[m]m",
/// "yyyy-[m]m-[d]d", optionally followed by 'T' or ' ' and anything. Surrounding
/// white space is allowed. Returns false on anything else.
bool ParseDate(std::string_view text, int32_t* days);
/// Parses a timestamp the way Spark's CAST(string AS TIMESTAMP) does: a date as above,
/// then optionally 'T' or ' ' and "[h]h:[m]m[:[s]s[.fraction]]" (up to 6 fraction
/// digits kept, more are truncated), then an optional zone: "Z", "UTC", "+hh", "+hh:mm",
/// "+hhmm", "-...". No zone means UTC. Returns false on anything else.
bool ParseTimestamp(std::string_view text, int64_t* micros);
/// As ParseTimestamp, but a zone in the text is an error (TIMESTAMP_NTZ).
bool ParseTimestampNtz(std::string_view text, int64_t* micros);

/// A Java DateTimeFormatter pattern as Spark uses for `timestampFormat` / `dateFormat`:
/// letters y (year), M or L (month, MM or MMM/MMMM names), d, D (day of year), Q
/// (quarter), H, k (1-24), h with a, K (0-11), m, s, S (fraction,
/// 1-9 digits), E (day-of-week name, skipped when parsing), X/x/Z (offset), z (zone
/// name UTC/GMT/Z), 'literal' text, '' for a quote, and [optional] sections.
class DateTimePattern {
 public:
  /// Compiles `pattern`; kInvalidArgument names the position of an unsupported letter.
  static Result<DateTimePattern> Compile(std::string_view pattern);

  /// Parses the whole of `text` as a timestamp; fields not in the pattern default to
  /// 1970-01-01 00:00:00, and no offset means UTC. Returns false on a mismatch.
  bool ParseTimestamp(std::string_view text, int64_t* micros) const;
  /// Parses the whole of `text` as a date. Returns false on a mismatch.
  bool ParseDate(std::string_view text, int32_t* days) const;
  /// Formats in UTC; an offset letter prints "Z" (X) or "+00:00" (xxx / ZZZZZ) forms.
  std::string FormatTimestamp(int64_t micros) const;
  std::string FormatDate(int32_t days) const;

  const std::string& pattern() const { return pattern_; }

  /// One compiled element; public so the implementation can build them.
  struct Token {
    enum class Kind : uint8_t {
      kLiteral,
      kYear,
      kMonth,
      kMonthName,
      kDay,
      kHour24,
      kHour12,
      kAmPm,
      kMinute,
      kSecond,
      kFraction,
      kDayOfWeek,
      kOffset,
      kZoneName,
      kOptionalStart,
      kOptionalEnd,
      kDayOfYear,
      kQuarter,
      kHour24From1,  // k: 1-24
      kHour12From0,  // K: 0-11
    };
    Kind kind = Kind::kLiteral;
    int width = 0;        // how many pattern letters
    std::string literal;  // for kLiteral; for kOffset the letter ('X', 'x' or 'Z')
  };

 private:
  std::string pattern_;
  std::vector<Token> tokens_;
};

}  // namespace sluice
