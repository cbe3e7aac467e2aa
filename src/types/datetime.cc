// SPDX-License-Identifier: Apache-2.0
#include "types/datetime.h"

#include <fmt/format.h>

#include <array>
#include <cstddef>
#include <utility>

#include "common/ascii.h"

namespace sluice {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;
constexpr int32_t kMaxOffsetSeconds = 18 * 3600;

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kDayNames = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

/// Splits micros since the epoch into the day number and the microsecond of that day,
/// without overflowing at the int64 extremes.
void SplitMicros(int64_t micros, int64_t* days, int64_t* micros_of_day) {
  int64_t remainder = micros % kMicrosPerDay;
  int64_t quotient = micros / kMicrosPerDay;
  if (remainder < 0) {
    remainder += kMicrosPerDay;
    --quotient;
  }
  *days = quotient;
  *micros_of_day = remainder;
}

bool IsLeapYear(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int64_t year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

/// Howard Hinnant's days_from_civil, on 64 bits so callers can range-check the result.
int64_t DaysFromCivil64(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

void CivilFromDays64(int64_t days, int64_t* year, int* month, int* day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;
  *day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = year_of_era + era * 400 + (*month <= 2 ? 1 : 0);
}

/// Monday is 0, as java.time.DayOfWeek.ordinal(); 1970-01-01 was a Thursday.
int DayOfWeek(int64_t days) {
  return static_cast<int>(((days + 3) % 7 + 7) % 7);
}

/// Spark trims bytes for which UTF8String.isWhitespaceOrISOControl holds.
bool IsTrimmable(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte <= 0x20 || byte == 0x7F;
}

std::string_view TrimSpark(std::string_view text) {
  while (!text.empty() && IsTrimmable(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && IsTrimmable(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

/// Java's String.trim(): strips chars <= ' '.
std::string_view TrimJava(std::string_view text) {
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= ' ') {
    text.remove_prefix(1);
  }
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ') {
    text.remove_suffix(1);
  }
  return text;
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

/// Appends `value` (>= 0) zero-padded to `width` digits.
void AppendPadded(std::string* out, int64_t value, int width) {
  char buffer[24];
  int count = 0;
  do {
    buffer[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (int i = count; i < width; ++i) {
    out->push_back('0');
  }
  while (count > 0) {
    out->push_back(buffer[--count]);
  }
}

int CountDigits(int64_t value) {
  int digits = 1;
  while (value >= 10) {
    value /= 10;
    ++digits;
  }
  return digits;
}

/// The year as java.time's "uuuu" prints it (SignStyle.EXCEEDS_PAD, width 4).
void AppendYearExceedsPad(std::string* out, int64_t year, int width) {
  const int64_t magnitude = year < 0 ? -year : year;
  if (year < 0) {
    out->push_back('-');
  } else if (CountDigits(magnitude) > width) {
    out->push_back('+');
  }
  AppendPadded(out, magnitude, width);
}

/// Appends "yyyy-MM-dd".
void AppendDate(std::string* out, int64_t days) {
  int64_t year = 0;
  int month = 0;
  int day = 0;
  CivilFromDays64(days, &year, &month, &day);
  AppendYearExceedsPad(out, year, 4);
  out->push_back('-');
  AppendPadded(out, month, 2);
  out->push_back('-');
  AppendPadded(out, day, 2);
}

// ---------------------------------------------------------------------------------------
// Zones for CAST(string AS TIMESTAMP): what java.time.ZoneId.of accepts, without a time
// zone database (so only fixed offsets).

/// Parses ZoneOffset.of's forms: "Z", "+h", "+hh", "+hhmm", "+hh:mm", "+hhmmss",
/// "+hh:mm:ss".
bool ParseZoneOffsetId(std::string_view id, int32_t* offset_seconds) {
  if (id == "Z") {
    *offset_seconds = 0;
    return true;
  }
  if (id.size() < 2 || (id[0] != '+' && id[0] != '-')) {
    return false;
  }
  auto two = [&](size_t pos, int* value) {
    if (!IsDigit(id[pos]) || !IsDigit(id[pos + 1])) {
      return false;
    }
    *value = (id[pos] - '0') * 10 + (id[pos + 1] - '0');
    return true;
  };
  int hours = 0;
  int minutes = 0;
  int seconds = 0;
  switch (id.size()) {
    case 2:
      if (!IsDigit(id[1])) {
        return false;
      }
      hours = id[1] - '0';
      break;
    case 3:
      if (!two(1, &hours)) {
        return false;
      }
      break;
    case 5:
      if (!two(1, &hours) || !two(3, &minutes)) {
        return false;
      }
      break;
    case 6:
      if (!two(1, &hours) || id[3] != ':' || !two(4, &minutes)) {
        return false;
      }
      break;
    case 7:
      if (!two(1, &hours) || !two(3, &minutes) || !two(5, &seconds)) {
        return false;
      }
      break;
    case 9:
      if (!two(1, &hours) || id[3] != ':' || !two(4, &minutes) || id[6] != ':' ||
          !two(7, &seconds)) {
        return false;
      }
      break;
    default:
      return false;
  }
  if (hours > 18 || minutes > 59 || seconds > 59) {
    return false;
  }
  const int32_t total = hours * 3600 + minutes * 60 + seconds;
  if (total > kMaxOffsetSeconds) {
    return false;
  }
  *offset_seconds = id[0] == '-' ? -total : total;
  return true;
}

/// Spark's DateTimeUtils.getZoneId on a trimmed zone text: normalizes "+h:" and ":m" at the
/// end, then ZoneId.of with SHORT_IDS. Region ids other than fixed ones are not supported.
bool ParseZoneId(std::string_view text, int32_t* offset_seconds) {
  // Room for the two one-character insertions the normalization may make.
  char buffer[64];
  if (text.size() + 2 > sizeof(buffer)) {
    return false;
  }
  size_t size = text.size();
  text.copy(buffer, size);
  // replaceFirst("(\\+|\\-)(\\d):", "$10$2:")
  for (size_t i = 0; i + 2 < size; ++i) {
    if ((buffer[i] == '+' || buffer[i] == '-') && IsDigit(buffer[i + 1]) && buffer[i + 2] == ':') {
      for (size_t k = size; k > i + 1; --k) {
        buffer[k] = buffer[k - 1];
      }
      buffer[i + 1] = '0';
      ++size;
      break;
    }
  }
  // replaceFirst("(\\+|\\-)(\\d\\d):(\\d)$", "$1$2:0$3")
  if (size >= 5 && (buffer[size - 5] == '+' || buffer[size - 5] == '-') &&
      IsDigit(buffer[size - 4]) && IsDigit(buffer[size - 3]) && buffer[size - 2] == ':' &&
      IsDigit(buffer[size - 1])) {
    buffer[size] = buffer[size - 1];
    buffer[size - 1] = '0';
    ++size;
  }
  std::string_view id(buffer, size);
  // ZoneId.SHORT_IDS entries with fixed offsets.
  if (id == "EST") {
    *offset_seconds = -5 * 3600;
    return true;
  }
  if (id == "MST") {
    *offset_seconds = -7 * 3600;
    return true;
  }
  if (id == "HST") {
    *offset_seconds = -10 * 3600;
    return true;
  }
  if (id.size() <= 1 || id[0] == '+' || id[0] == '-') {
    return ParseZoneOffsetId(id, offset_seconds);
  }
  if (id == "UTC" || id == "GMT" || id == "UT" || id == "Etc/UTC" || id == "Etc/GMT") {
    *offset_seconds = 0;
    return true;
  }
  for (std::string_view prefix : {std::string_view("UTC"), std::string_view("GMT")}) {
    if (id.size() > 3 && id.substr(0, 3) == prefix && (id[3] == '+' || id[3] == '-')) {
      return ParseZoneOffsetId(id.substr(3), offset_seconds);
    }
  }
  if (id.size() > 2 && id.substr(0, 2) == "UT" && (id[2] == '+' || id[2] == '-')) {
    return ParseZoneOffsetId(id.substr(2), offset_seconds);
  }
  return false;
}

/// Combines a validated local date-time and an offset into micros; false on overflow.
bool ToMicros(int64_t days, int64_t micros_of_day, int64_t offset_seconds, int64_t* micros) {
  const __int128 total = static_cast<__int128>(days) * kMicrosPerDay + micros_of_day -
                         static_cast<__int128>(offset_seconds) * kMicrosPerSecond;
  if (total > INT64_MAX || total < INT64_MIN) {
    return false;
  }
  *micros = static_cast<int64_t>(total);
  return true;
}

/// The pieces of a string Spark's parseTimestampString accepted.
struct TimestampParts {
  int64_t year = 1;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int micros = 0;
  bool has_zone = false;
  int32_t offset_seconds = 0;
};

/// Spark's DateTimeUtils.parseTimestampString followed by LocalDate.of / LocalTime.of
/// validation. Time-only inputs ("10:11:12", "T10:11") need the current date, which a
/// deterministic engine does not use, so they are rejected.
bool ParseTimestampParts(std::string_view text, TimestampParts* parts) {
  auto valid_digits = [](int segment, int digits) {
    return segment == 6 || (segment == 0 && digits >= 4 && digits <= 6) ||
           (segment == 7 && digits <= 2) ||
           (segment != 0 && segment != 6 && segment != 7 && digits > 0 && digits <= 2);
  };
  const std::string_view trimmed = TrimSpark(text);
  if (trimmed.empty()) {
    return false;
  }
  std::array<int64_t, 9> segments = {1, 1, 1, 0, 0, 0, 0, 0, 0};
  int i = 0;
  int64_t value = 0;
  int digits = 0;
  int fraction_digits = 0;
  int64_t year_sign = 1;
  std::string_view zone;
  bool has_zone = false;
  size_t j = 0;
  if (trimmed[0] == '-' || trimmed[0] == '+') {
    year_sign = trimmed[0] == '-' ? -1 : 1;
    j = 1;
  }
  auto close_segment = [&](int segment) {
    if (!valid_digits(segment, digits)) {
      return false;
    }
    segments[segment] = value;
    value = 0;
    digits = 0;
    return true;
  };
  for (; j < trimmed.size(); ++j) {
    const char b = trimmed[j];
    if (IsDigit(b)) {
      if (i == 6) {
        ++fraction_digits;
      }
      // Six fraction digits are kept (the rest truncated); other segments with more than
      // six digits are rejected below, so `value` stays bounded.
      if (digits < (i == 6 ? 6 : 9)) {
        value = value * 10 + (b - '0');
      }
      ++digits;
      continue;
    }
    if (i < 2) {
      if (b != '-' || !close_segment(i)) {
        return false;  // includes time-only "hh:mm" and "T..." inputs
      }
      ++i;
    } else if (i == 2) {
      if ((b != ' ' && b != 'T') || !close_segment(i)) {
        return false;
      }
      ++i;
    } else if (i == 3 || i == 4) {
      if (b != ':' || !close_segment(i)) {
        return false;
      }
      ++i;
    } else if (i == 5 || i == 6) {
      if (b == '.' && i == 5) {
        if (!close_segment(i)) {
          return false;
        }
        ++i;
      } else {
        if (!close_segment(i)) {
          return false;
        }
        i = 7;
        zone = trimmed.substr(j);
        has_zone = true;
        break;
      }
    } else {
      return false;
    }
  }
  if (!close_segment(i)) {
    return false;
  }
  for (; fraction_digits < 6; ++fraction_digits) {
    segments[6] *= 10;
  }
  parts->has_zone = has_zone;
  parts->offset_seconds = 0;
  if (has_zone && !ParseZoneId(TrimJava(zone), &parts->offset_seconds)) {
    return false;
  }
  parts->year = segments[0] * year_sign;
  if (segments[1] < 1 || segments[1] > 12 || segments[2] < 1 ||
      segments[2] > DaysInMonth(parts->year, static_cast<int>(segments[1])) || segments[3] > 23 ||
      segments[4] > 59 || segments[5] > 59) {
    return false;
  }
  parts->month = static_cast<int>(segments[1]);
  parts->day = static_cast<int>(segments[2]);
  parts->hour = static_cast<int>(segments[3]);
  parts->minute = static_cast<int>(segments[4]);
  parts->second = static_cast<int>(segments[5]);
  parts->micros = static_cast<int>(segments[6]);
  return true;
}

bool PartsToMicros(const TimestampParts& parts, int64_t offset_seconds, int64_t* micros) {
  const int64_t days = DaysFromCivil64(parts.year, parts.month, parts.day);
  const int64_t micros_of_day =
      (parts.hour * 3600LL + parts.minute * 60LL + parts.second) * kMicrosPerSecond + parts.micros;
  return ToMicros(days, micros_of_day, offset_seconds, micros);
}

}  // namespace

int32_t DaysFromCivil(int64_t year, int month, int day) {
  return static_cast<int32_t>(DaysFromCivil64(year, month, day));
}

void CivilFromDays(int32_t days, int64_t* year, int* month, int* day) {
  CivilFromDays64(days, year, month, day);
}

std::string FormatDate(int32_t days) {
  std::string out;
  out.reserve(12);
  AppendDate(&out, days);
  return out;
}

std::string FormatTimestamp(int64_t micros) {
  int64_t days = 0;
  int64_t micros_of_day = 0;
  SplitMicros(micros, &days, &micros_of_day);
  std::string out;
  out.reserve(28);
  AppendDate(&out, days);
  out.push_back(' ');
  const int64_t fraction = micros_of_day % kMicrosPerSecond;
  const int64_t seconds = micros_of_day / kMicrosPerSecond;
  AppendPadded(&out, seconds / 3600, 2);
  out.push_back(':');
  AppendPadded(&out, seconds / 60 % 60, 2);
  out.push_back(':');
  AppendPadded(&out, seconds % 60, 2);
  if (fraction != 0) {
    out.push_back('.');
    int width = 6;
    int64_t trimmed = fraction;
    while (trimmed % 10 == 0) {
      trimmed /= 10;
      --width;
    }
    AppendPadded(&out, trimmed, width);
  }
  return out;
}

bool ParseDate(std::string_view text, int32_t* days) {
  // Spark's DateTimeUtils.stringToDate.
  const std::string_view trimmed = TrimSpark(text);
  if (trimmed.empty()) {
    return false;
  }
  std::array<int64_t, 3> segments = {1, 1, 1};
  int64_t sign = 1;
  int i = 0;
  int64_t value = 0;
  int digits = 0;
  size_t j = 0;
  auto valid_digits = [](int segment, int count) {
    return (segment == 0 && count >= 4 && count <= 7) || (segment != 0 && count > 0 && count <= 2);
  };
  if (trimmed[0] == '-' || trimmed[0] == '+') {
    sign = trimmed[0] == '-' ? -1 : 1;
    j = 1;
  }
  while (j < trimmed.size() && i < 3 && trimmed[j] != ' ' && trimmed[j] != 'T') {
    const char b = trimmed[j];
    if (i < 2 && b == '-') {
      if (!valid_digits(i, digits)) {
        return false;
      }
      segments[i] = value;
      value = 0;
      digits = 0;
      ++i;
    } else if (IsDigit(b)) {
      if (digits < 8) {  // more digits fail valid_digits below; keep `value` bounded
        value = value * 10 + (b - '0');
      }
      ++digits;
    } else {
      return false;
    }
    ++j;
  }
  if (!valid_digits(i, digits)) {
    return false;
  }
  if (i < 2 && j < trimmed.size()) {
    return false;  // "yyyy" and "yyyy-[m]m" must be the whole input
  }
  segments[i] = value;
  const int64_t year = sign * segments[0];
  if (segments[1] < 1 || segments[1] > 12 || segments[2] < 1 ||
      segments[2] > DaysInMonth(year, static_cast<int>(segments[1]))) {
    return false;
  }
  const int64_t result =
      DaysFromCivil64(year, static_cast<int>(segments[1]), static_cast<int>(segments[2]));
  if (result < INT32_MIN || result > INT32_MAX) {
    return false;
  }
  *days = static_cast<int32_t>(result);
  return true;
}

bool ParseTimestamp(std::string_view text, int64_t* micros) {
  TimestampParts parts;
  if (!ParseTimestampParts(text, &parts)) {
    return false;
  }
  return PartsToMicros(parts, parts.offset_seconds, micros);
}

bool ParseTimestampNtz(std::string_view text, int64_t* micros) {
  TimestampParts parts;
  if (!ParseTimestampParts(text, &parts) || parts.has_zone) {
    return false;
  }
  return PartsToMicros(parts, 0, micros);
}

// ---------------------------------------------------------------------------------------
// DateTimePattern

namespace {

using Token = DateTimePattern::Token;
using Kind = DateTimePattern::Token::Kind;

/// Whether the token is a number of exactly two digits, which a preceding variable-width
/// number leaves room for (java.time's adjacent value parsing).
bool IsFixedWidthNumber(const Token& token) {
  switch (token.kind) {
    case Kind::kYear:
    case Kind::kMonth:
    case Kind::kDay:
    case Kind::kHour24:
    case Kind::kHour12:
    case Kind::kMinute:
    case Kind::kSecond:
    case Kind::kQuarter:
    case Kind::kHour24From1:
    case Kind::kHour12From0:
      return token.width == 2;
    default:
      return false;
  }
}

/// What a parse has read so far. Plain values: copied to back out of an optional section.
struct ParsedFields {
  int64_t year = 1970;
  int64_t month = 1;
  int64_t day = 1;
  int64_t hour24 = -1;
  int64_t hour12 = -1;
  int64_t ampm = -1;
  int64_t minute = 0;
  int64_t second = 0;
  int64_t micros = 0;
  int32_t offset_seconds = 0;
  int64_t day_of_year = -1;
  int64_t quarter = -1;
};

class PatternParser {
 public:
  PatternParser(const std::vector<Token>& tokens, std::string_view text)
      : tokens_(tokens), text_(text) {}

  bool Run(ParsedFields* fields) {
    size_t pos = 0;
    if (!ParseRange(0, tokens_.size(), &pos, fields)) {
      return false;
    }
    return pos == text_.size();
  }

 private:
  /// Returns the index of the kOptionalEnd matching the kOptionalStart at `start`.
  size_t MatchingEnd(size_t start) const {
    int depth = 0;
    for (size_t t = start; t < tokens_.size(); ++t) {
      if (tokens_[t].kind == Kind::kOptionalStart) {
        ++depth;
      } else if (tokens_[t].kind == Kind::kOptionalEnd && --depth == 0) {
        return t;
      }
    }
    return tokens_.size();
  }

  bool ParseRange(size_t begin, size_t end, size_t* pos, ParsedFields* fields) const {
    for (size_t t = begin; t < end; ++t) {
      const Token& token = tokens_[t];
      if (token.kind == Kind::kOptionalStart) {
        const size_t section_end = MatchingEnd(t);
        size_t section_pos = *pos;
        ParsedFields section_fields = *fields;
        if (ParseRange(t + 1, section_end, &section_pos, &section_fields)) {
          *pos = section_pos;
          *fields = section_fields;
        }
        t = section_end;
        continue;
      }
      if (token.kind == Kind::kOptionalEnd) {
        continue;
      }
      if (!ParseToken(t, pos, fields)) {
        return false;
      }
    }
    return true;
  }

  /// How many digits the two-digit numbers right after token `t` need.
  int ReservedWidth(size_t t) const {
    int reserved = 0;
    for (size_t next = t + 1; next < tokens_.size() && IsFixedWidthNumber(tokens_[next]); ++next) {
      reserved += 2;
    }
    return reserved;
  }

  /// Reads an unsigned number of min..max digits, leaving room for adjacent numbers.
  bool ParseNumber(size_t t, int min_width, int max_width, size_t* pos, int64_t* value,
                   int* count) const {
    size_t available = 0;
    while (*pos + available < text_.size() && IsDigit(text_[*pos + available])) {
      ++available;
    }
    int take = static_cast<int>(available < 19 ? available : 19);
    if (min_width != max_width) {
      take -= ReservedWidth(t);
    }
    if (take > max_width) {
      take = max_width;
    }
    if (take < min_width) {
      return false;
    }
    int64_t result = 0;
    for (int k = 0; k < take; ++k) {
      result = result * 10 + (text_[*pos + k] - '0');
    }
    *pos += static_cast<size_t>(take);
    *value = result;
    *count = take;
    return true;
  }

  bool ParseYear(size_t t, int width, size_t* pos, int64_t* year) const {
    int64_t value = 0;
    int count = 0;
    if (width == 2) {
      if (!ParseNumber(t, 2, 2, pos, &value, &count)) {
        return false;
      }
      *year = 2000 + value;
      return true;
    }
    bool negative = false;
    bool positive = false;
    if (*pos < text_.size() && (text_[*pos] == '-' || text_[*pos] == '+')) {
      negative = text_[*pos] == '-';
      positive = !negative;
      if (positive && width < 4) {
        return false;  // SignStyle.NORMAL rejects '+' when parsing strictly
      }
      ++*pos;
    }
    // Up to 10 digits: enough for any year that fits a timestamp or date.
    if (!ParseNumber(t, width, width > 10 ? width : 10, pos, &value, &count)) {
      return false;
    }
    if (negative && value == 0) {
      return false;
    }
    if (width >= 4 && !negative && (positive != (count > width))) {
      return false;  // EXCEEDS_PAD: '+' exactly when more digits than the width
    }
    *year = negative ? -value : value;
    return true;
  }

  /// Matches one of `names` case-insensitively (full names, or their first `length`
  /// letters when `length` > 0); returns its index or -1.
  template <size_t N>
  int ParseName(const std::array<std::string_view, N>& names, size_t length, size_t* pos) const {
    for (size_t k = 0; k < N; ++k) {
      const std::string_view name = length > 0 ? names[k].substr(0, length) : names[k];
      if (EqualsIgnoreCase(text_.substr(*pos, name.size()), name)) {
        *pos += name.size();
        return static_cast<int>(k);
      }
    }
    return -1;
  }

  bool ParseTwoDigits(size_t* pos, int* value) const {
    if (*pos + 2 > text_.size() || !IsDigit(text_[*pos]) || !IsDigit(text_[*pos + 1])) {
      return false;
    }
    *value = (text_[*pos] - '0') * 10 + (text_[*pos + 1] - '0');
    *pos += 2;
    return true;
  }

  /// java.time's OffsetIdPrinterParser.parse for one of its patterns.
  bool ParseOffsetPattern(std::string_view no_offset_text, bool colon, bool minutes_required,
                          bool parse_minutes, bool parse_seconds, bool seconds_required,
                          size_t* pos, int32_t* offset) const {
    if (*pos >= text_.size()) {
      return false;
    }
    if (EqualsIgnoreCase(text_.substr(*pos, no_offset_text.size()), no_offset_text)) {
      *pos += no_offset_text.size();
      *offset = 0;
      return true;
    }
    const char sign = text_[*pos];
    if (sign != '+' && sign != '-') {
      return false;
    }
    size_t cursor = *pos + 1;
    int hours = 0;
    int minutes = 0;
    int seconds = 0;
    if (!ParseTwoDigits(&cursor, &hours)) {
      return false;
    }
    auto optional_part = [&](bool required, int* value) {
      size_t attempt = cursor;
      if (colon) {
        if (attempt >= text_.size() || text_[attempt] != ':') {
          return !required;
        }
        ++attempt;
      }
      if (!ParseTwoDigits(&attempt, value) || *value > 59) {
        *value = 0;
        return !required;
      }
      cursor = attempt;
      return true;
    };
    if (parse_minutes) {
      if (!optional_part(minutes_required, &minutes)) {
        return false;
      }
      if (parse_seconds && !optional_part(seconds_required, &seconds)) {
        return false;
      }
    }
    if (hours > 23) {
      return false;
    }
    const int32_t total = hours * 3600 + minutes * 60 + seconds;
    if (total > kMaxOffsetSeconds) {
      return false;
    }
    *offset = sign == '-' ? -total : total;
    *pos = cursor;
    return true;
  }

  bool ParseOffset(const Token& token, size_t* pos, int32_t* offset) const {
    const char letter = token.literal.empty() ? 'X' : token.literal[0];
    const int width = token.width;
    if (letter == 'Z') {
      if (width <= 3) {
        return ParseOffsetPattern("+0000", false, true, true, false, false, pos, offset);
      }
      if (width == 5) {
        return ParseOffsetPattern("Z", true, true, true, true, false, pos, offset);
      }
      // ZZZZ: localized "GMT", "GMT+8", "GMT+08:00", "GMT-08:00:30".
      if (!EqualsIgnoreCase(text_.substr(*pos, 3), "GMT")) {
        return false;
      }
      size_t cursor = *pos + 3;
      *offset = 0;
      if (cursor < text_.size() && (text_[cursor] == '+' || text_[cursor] == '-')) {
        const char sign = text_[cursor++];
        int hours = 0;
        int digits = 0;
        while (digits < 2 && cursor < text_.size() && IsDigit(text_[cursor])) {
          hours = hours * 10 + (text_[cursor++] - '0');
          ++digits;
        }
        if (digits == 0 || hours > 23) {
          return false;
        }
        int minutes = 0;
        int seconds = 0;
        if (cursor < text_.size() && text_[cursor] == ':') {
          ++cursor;
          if (!ParseTwoDigits(&cursor, &minutes) || minutes > 59) {
            return false;
          }
          if (cursor < text_.size() && text_[cursor] == ':') {
            ++cursor;
            if (!ParseTwoDigits(&cursor, &seconds) || seconds > 59) {
              return false;
            }
          }
        }
        const int32_t total = hours * 3600 + minutes * 60 + seconds;
        if (total > kMaxOffsetSeconds) {
          return false;
        }
        *offset = sign == '-' ? -total : total;
      }
      *pos = cursor;
      return true;
    }
    const bool lower = letter == 'x';
    switch (width) {
      case 1:  // +HHmm
        return ParseOffsetPattern(lower ? "+00" : "Z", false, false, true, false, false, pos,
                                  offset);
      case 2:  // +HHMM
        return ParseOffsetPattern(lower ? "+0000" : "Z", false, true, true, false, false, pos,
                                  offset);
      case 3:  // +HH:MM
        return ParseOffsetPattern(lower ? "+00:00" : "Z", true, true, true, false, false, pos,
                                  offset);
      case 4:  // +HHMMss
        return ParseOffsetPattern(lower ? "+0000" : "Z", false, true, true, true, false, pos,
                                  offset);
      default:  // +HH:MM:ss
        return ParseOffsetPattern(lower ? "+00:00" : "Z", true, true, true, true, false, pos,
                                  offset);
    }
  }

  bool ParseToken(size_t t, size_t* pos, ParsedFields* fields) const {
    const Token& token = tokens_[t];
    int64_t value = 0;
    int count = 0;
    const int min_width = token.width == 2 ? 2 : 1;
    const int max_width = token.width == 2 ? 2 : 10;
    switch (token.kind) {
      case Kind::kLiteral:
        if (!EqualsIgnoreCase(text_.substr(*pos, token.literal.size()), token.literal)) {
          return false;
        }
        *pos += token.literal.size();
        return true;
      case Kind::kYear:
        return ParseYear(t, token.width, pos, &fields->year);
      case Kind::kMonth:
        return ParseNumber(t, min_width, max_width, pos, &fields->month, &count);
      case Kind::kMonthName: {
        const int month = ParseName(kMonthNames, token.width == 3 ? 3 : 0, pos);
        if (month < 0) {
          return false;
        }
        fields->month = month + 1;
        return true;
      }
      case Kind::kDay:
        return ParseNumber(t, min_width, max_width, pos, &fields->day, &count);
      case Kind::kHour24:
        return ParseNumber(t, min_width, max_width, pos, &fields->hour24, &count);
      case Kind::kHour12:
        return ParseNumber(t, min_width, max_width, pos, &fields->hour12, &count);
      case Kind::kAmPm:
        if (EqualsIgnoreCase(text_.substr(*pos, 2), "AM")) {
          fields->ampm = 0;
        } else if (EqualsIgnoreCase(text_.substr(*pos, 2), "PM")) {
          fields->ampm = 1;
        } else {
          return false;
        }
        *pos += 2;
        return true;
      case Kind::kMinute:
        return ParseNumber(t, min_width, max_width, pos, &fields->minute, &count);
      case Kind::kSecond:
        return ParseNumber(t, min_width, max_width, pos, &fields->second, &count);
      case Kind::kFraction: {
        // Spark parses S..S as 1 to width digits (createBuilderWithVarLengthSecondFraction).
        if (!ParseNumber(t, 1, token.width, pos, &value, &count)) {
          return false;
        }
        for (; count < 6; ++count) {
          value *= 10;
        }
        for (; count > 6; --count) {
          value /= 10;
        }
        fields->micros = value;
        return true;
      }
      case Kind::kDayOfWeek:
        // Matched, not checked against the date.
        return ParseName(kDayNames, token.width <= 3 ? 3 : 0, pos) >= 0;
      case Kind::kOffset:
        return ParseOffset(token, pos, &fields->offset_seconds);
      case Kind::kZoneName:
        for (std::string_view name : {"UTC", "GMT", "UT", "Z"}) {
          if (EqualsIgnoreCase(text_.substr(*pos, name.size()), name)) {
            *pos += name.size();
            fields->offset_seconds = 0;
            return true;
          }
        }
        return false;
      case Kind::kDayOfYear:
        return ParseNumber(t, token.width, token.width == 1 ? 3 : token.width, pos,
                           &fields->day_of_year, &count);
      case Kind::kQuarter:
        if (token.width >= 3) {
          if (token.width > 3 || *pos >= text_.size() ||
              (text_[*pos] != 'Q' && text_[*pos] != 'q')) {
            return false;
          }
          ++*pos;
        }
        return ParseNumber(t, token.width == 2 ? 2 : 1, token.width == 2 ? 2 : 1, pos,
                           &fields->quarter, &count);
      case Kind::kHour24From1:
        if (!ParseNumber(t, min_width, max_width, pos, &value, &count) || value < 1 || value > 24) {
          return false;
        }
        fields->hour24 = value % 24;
        return true;
      case Kind::kHour12From0:
        if (!ParseNumber(t, min_width, max_width, pos, &value, &count) || value > 11) {
          return false;
        }
        fields->hour12 = value == 0 ? 12 : value;
        return true;
      case Kind::kOptionalStart:
      case Kind::kOptionalEnd:
        return true;
    }
    return false;
  }

  const std::vector<Token>& tokens_;
  std::string_view text_;
};

/// Checks the parsed fields as java.time's STRICT resolver would and returns the day number
/// and the microsecond of the day.
bool ResolveFields(const ParsedFields& parsed, int64_t* days, int64_t* micros_of_day) {
  ParsedFields fields = parsed;
  if (fields.day_of_year >= 0) {
    const int64_t length = IsLeapYear(fields.year) ? 366 : 365;
    if (fields.day_of_year < 1 || fields.day_of_year > length) {
      return false;
    }
    int64_t year = 0;
    int month = 0;
    int day = 0;
    CivilFromDays64(DaysFromCivil64(fields.year, 1, 1) + fields.day_of_year - 1, &year, &month,
                    &day);
    if ((parsed.month != 1 && parsed.month != month) || (parsed.day != 1 && parsed.day != day)) {
      return false;
    }
    fields.month = month;
    fields.day = day;
  }
  if (fields.quarter >= 0 &&
      (fields.quarter < 1 || fields.quarter > 4 || (fields.month - 1) / 3 + 1 != fields.quarter)) {
    return false;
  }
  // Years beyond this cannot be a timestamp; they also keep the day arithmetic exact.
  if (fields.year < -300000 || fields.year > 300000 || fields.month < 1 || fields.month > 12 ||
      fields.day < 1 || fields.day > DaysInMonth(fields.year, static_cast<int>(fields.month))) {
    return false;
  }
  int64_t hour = 0;
  if (fields.hour24 >= 0) {
    if (fields.hour24 > 23) {
      return false;
    }
    hour = fields.hour24;
  } else if (fields.hour12 >= 0) {
    if (fields.hour12 < 1 || fields.hour12 > 12) {
      return false;
    }
    hour = fields.hour12 % 12 + (fields.ampm == 1 ? 12 : 0);
  } else if (fields.ampm == 1) {
    hour = 12;
  }
  if (fields.minute > 59 || fields.second > 59) {
    return false;
  }
  *days =
      DaysFromCivil64(fields.year, static_cast<int>(fields.month), static_cast<int>(fields.day));
  *micros_of_day =
      (hour * 3600 + fields.minute * 60 + fields.second) * kMicrosPerSecond + fields.micros;
  return true;
}

Status PatternError(std::string_view pattern, size_t position, std::string_view what) {
  return Status::InvalidArgument(
      fmt::format("datetime pattern \"{}\": {} at position {}", pattern, what, position));
}

}  // namespace

Result<DateTimePattern> DateTimePattern::Compile(std::string_view pattern) {
  DateTimePattern compiled;
  compiled.pattern_ = std::string(pattern);
  std::vector<Token>& tokens = compiled.tokens_;
  auto append_literal = [&tokens](std::string_view text) {
    if (!tokens.empty() && tokens.back().kind == Token::Kind::kLiteral) {
      tokens.back().literal += text;
      return;
    }
    Token token;
    token.kind = Token::Kind::kLiteral;
    token.literal = std::string(text);
    tokens.push_back(std::move(token));
  };
  int depth = 0;
  size_t pos = 0;
  while (pos < pattern.size()) {
    const char c = pattern[pos];
    if (c == '\'') {
      if (pos + 1 < pattern.size() && pattern[pos + 1] == '\'') {
        append_literal("'");
        pos += 2;
        continue;
      }
      // Quoted text up to the closing quote; '' inside stands for one quote.
      std::string text;
      size_t cursor = pos + 1;
      bool closed = false;
      while (cursor < pattern.size()) {
        if (pattern[cursor] == '\'') {
          if (cursor + 1 < pattern.size() && pattern[cursor + 1] == '\'') {
            text.push_back('\'');
            cursor += 2;
            continue;
          }
          closed = true;
          break;
        }
        text.push_back(pattern[cursor++]);
      }
      if (!closed) {
        return PatternError(pattern, pos, "unterminated quote");
      }
      if (!text.empty()) {
        append_literal(text);
      }
      pos = cursor + 1;
      continue;
    }
    if (c == '[') {
      Token token;
      token.kind = Token::Kind::kOptionalStart;
      tokens.push_back(std::move(token));
      ++depth;
      ++pos;
      continue;
    }
    if (c == ']') {
      if (depth == 0) {
        return PatternError(pattern, pos, "']' without '['");
      }
      Token token;
      token.kind = Token::Kind::kOptionalEnd;
      tokens.push_back(std::move(token));
      --depth;
      ++pos;
      continue;
    }
    if (c == '{' || c == '}' || c == '#') {
      return PatternError(pattern, pos, fmt::format("reserved character '{}'", c));
    }
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      append_literal(std::string_view(&pattern[pos], 1));
      ++pos;
      continue;
    }
    size_t run = 1;
    while (pos + run < pattern.size() && pattern[pos + run] == c) {
      ++run;
    }
    const int count = static_cast<int>(run);
    Token token;
    token.width = count;
    int max_count = 2;
    switch (c) {
      case 'y':
        token.kind = Token::Kind::kYear;
        max_count = 10;
        break;
      case 'M':
      case 'L':
        token.kind = count <= 2 ? Token::Kind::kMonth : Token::Kind::kMonthName;
        max_count = 4;
        break;
      case 'D':
        token.kind = Token::Kind::kDayOfYear;
        max_count = 3;
        break;
      case 'Q':
        token.kind = Token::Kind::kQuarter;
        max_count = 4;
        break;
      case 'k':
        token.kind = Token::Kind::kHour24From1;
        break;
      case 'K':
        token.kind = Token::Kind::kHour12From0;
        break;
      case 'd':
        token.kind = Token::Kind::kDay;
        break;
      case 'H':
        token.kind = Token::Kind::kHour24;
        break;
      case 'h':
        token.kind = Token::Kind::kHour12;
        break;
      case 'a':
        token.kind = Token::Kind::kAmPm;
        max_count = 1;
        break;
      case 'm':
        token.kind = Token::Kind::kMinute;
        break;
      case 's':
        token.kind = Token::Kind::kSecond;
        break;
      case 'S':
        token.kind = Token::Kind::kFraction;
        max_count = 9;
        break;
      case 'E':
        token.kind = Token::Kind::kDayOfWeek;
        max_count = 4;
        break;
      case 'X':
      case 'x':
      case 'Z':
        token.kind = Token::Kind::kOffset;
        token.literal = std::string(1, c);
        max_count = 5;
        break;
      case 'z':
        token.kind = Token::Kind::kZoneName;
        max_count = 4;
        break;
      default:
        return PatternError(pattern, pos, fmt::format("unsupported pattern letter '{}'", c));
    }
    if (count > max_count) {
      return PatternError(pattern, pos, fmt::format("too many pattern letters '{}'", c));
    }
    tokens.push_back(std::move(token));
    pos += run;
  }
  if (depth != 0) {
    return PatternError(pattern, pattern.size(), "'[' without ']'");
  }
  return compiled;
}

bool DateTimePattern::ParseTimestamp(std::string_view text, int64_t* micros) const {
  ParsedFields fields;
  if (!PatternParser(tokens_, text).Run(&fields)) {
    return false;
  }
  int64_t days = 0;
  int64_t micros_of_day = 0;
  if (!ResolveFields(fields, &days, &micros_of_day)) {
    return false;
  }
  return ToMicros(days, micros_of_day, fields.offset_seconds, micros);
}

bool DateTimePattern::ParseDate(std::string_view text, int32_t* days) const {
  ParsedFields fields;
  if (!PatternParser(tokens_, text).Run(&fields)) {
    return false;
  }
  int64_t day_number = 0;
  int64_t micros_of_day = 0;
  if (!ResolveFields(fields, &day_number, &micros_of_day) || day_number < INT32_MIN ||
      day_number > INT32_MAX) {
    return false;
  }
  *days = static_cast<int32_t>(day_number);
  return true;
}

namespace {

/// Formats a UTC date-time: the day number and the microsecond of that day.
std::string FormatTokens(const std::vector<Token>& tokens, int64_t days, int64_t micros_of_day) {
  int64_t year = 0;
  int month = 0;
  int day = 0;
  CivilFromDays64(days, &year, &month, &day);
  const int64_t seconds_of_day = micros_of_day / kMicrosPerSecond;
  const int64_t fraction = micros_of_day % kMicrosPerSecond;
  const int64_t hour = seconds_of_day / 3600;
  std::string out;
  out.reserve(32);
  for (const Token& token : tokens) {
    const int width = token.width;
    switch (token.kind) {
      case Kind::kLiteral:
        out += token.literal;
        break;
      case Kind::kYear:
        if (width == 2) {
          AppendPadded(&out, (year < 0 ? -year : year) % 100, 2);
        } else if (width >= 4) {
          AppendYearExceedsPad(&out, year, width);
        } else {
          if (year < 0) {
            out.push_back('-');
          }
          AppendPadded(&out, year < 0 ? -year : year, width);
        }
        break;
      case Kind::kMonth:
        AppendPadded(&out, month, width);
        break;
      case Kind::kMonthName:
        out += width == 3 ? kMonthNames[month - 1].substr(0, 3) : kMonthNames[month - 1];
        break;
      case Kind::kDay:
        AppendPadded(&out, day, width);
        break;
      case Kind::kHour24:
        AppendPadded(&out, hour, width);
        break;
      case Kind::kHour12:
        AppendPadded(&out, hour % 12 == 0 ? 12 : hour % 12, width);
        break;
      case Kind::kAmPm:
        out += hour < 12 ? "AM" : "PM";
        break;
      case Kind::kMinute:
        AppendPadded(&out, seconds_of_day / 60 % 60, width);
        break;
      case Kind::kSecond:
        AppendPadded(&out, seconds_of_day % 60, width);
        break;
      case Kind::kFraction: {
        // The first `width` digits of the nine-digit nano-of-second.
        char digits[9];
        int64_t nanos = fraction * 1000;
        for (int k = 8; k >= 0; --k) {
          digits[k] = static_cast<char>('0' + nanos % 10);
          nanos /= 10;
        }
        out.append(digits, static_cast<size_t>(width));
        break;
      }
      case Kind::kDayOfWeek: {
        const std::string_view name = kDayNames[DayOfWeek(days)];
        out += width <= 3 ? name.substr(0, 3) : name;
        break;
      }
      case Kind::kOffset: {
        const char letter = token.literal.empty() ? 'X' : token.literal[0];
        if (letter == 'X' || (letter == 'Z' && width == 5)) {
          out.push_back('Z');
        } else if (letter == 'Z') {
          out += width == 4 ? "GMT" : "+0000";
        } else {
          static constexpr std::array<std::string_view, 5> kZero = {"+00", "+0000", "+00:00",
                                                                    "+0000", "+00:00"};
          out += kZero[static_cast<size_t>(width - 1)];
        }
        break;
      }
      case Kind::kZoneName:
        out += width == 4 ? "Coordinated Universal Time" : "UTC";
        break;
      case Kind::kDayOfYear:
        AppendPadded(&out, days - DaysFromCivil64(year, 1, 1) + 1, width);
        break;
      case Kind::kQuarter: {
        const int quarter = (month - 1) / 3 + 1;
        static constexpr std::array<std::string_view, 4> kQuarterNames = {
            "1st quarter", "2nd quarter", "3rd quarter", "4th quarter"};
        if (width == 3) {
          out.push_back('Q');
        }
        if (width == 4) {
          out += kQuarterNames[static_cast<size_t>(quarter - 1)];
        } else {
          AppendPadded(&out, quarter, width == 3 ? 1 : width);
        }
        break;
      }
      case Kind::kHour24From1:
        AppendPadded(&out, hour == 0 ? 24 : hour, width);
        break;
      case Kind::kHour12From0:
        AppendPadded(&out, hour % 12, width);
        break;
      case Kind::kOptionalStart:
      case Kind::kOptionalEnd:
        break;
    }
  }
  return out;
}

}  // namespace

std::string DateTimePattern::FormatTimestamp(int64_t micros) const {
  int64_t days = 0;
  int64_t micros_of_day = 0;
  SplitMicros(micros, &days, &micros_of_day);
  return FormatTokens(tokens_, days, micros_of_day);
}

std::string DateTimePattern::FormatDate(int32_t days) const {
  return FormatTokens(tokens_, days, 0);
}

}  // namespace sluice
