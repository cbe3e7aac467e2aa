// SPDX-License-Identifier: Apache-2.0
#include "types/time_zone.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <utility>

#include "types/datetime.h"

namespace sluice {

namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kSecondsPerDay = 86400;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) {
    --q;
  }
  return q;
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// Reads Java's ZoneOffset.of forms: +h, +hh, +hh:mm, +hhmm, +hh:mm:ss, +hhmmss.
bool ParseSignedOffset(std::string_view text, int32_t* seconds) {
  if (text.size() < 2 || (text[0] != '+' && text[0] != '-')) {
    return false;
  }
  const int sign = text[0] == '-' ? -1 : 1;
  std::string digits;
  std::string_view rest = text.substr(1);
  const bool colons = rest.find(':') != std::string_view::npos;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (IsDigit(rest[i])) {
      digits += rest[i];
    } else if (!(colons && rest[i] == ':' && (i == 2 || i == 5))) {
      return false;
    }
  }
  if (colons && rest.size() != 5 && rest.size() != 8) {
    return false;
  }
  if (digits.size() == 1) {
    digits = "0" + digits;
  }
  if (digits.size() != 2 && digits.size() != 4 && digits.size() != 6) {
    return false;
  }
  int fields[3] = {0, 0, 0};
  for (size_t i = 0; i < digits.size() / 2; ++i) {
    fields[i] = (digits[2 * i] - '0') * 10 + (digits[2 * i + 1] - '0');
  }
  const int32_t total = fields[0] * 3600 + fields[1] * 60 + fields[2];
  if (fields[1] > 59 || fields[2] > 59 || total > 18 * 3600) {
    return false;
  }
  *seconds = sign * total;
  return true;
}

// Java's ZoneId.SHORT_IDS, which Spark applies to session and function zone names.
const std::map<std::string_view, std::string_view>& ShortIds() {
  static const auto* ids = new std::map<std::string_view, std::string_view>{
      {"ACT", "Australia/Darwin"},
      {"AET", "Australia/Sydney"},
      {"AGT", "America/Argentina/Buenos_Aires"},
      {"ART", "Africa/Cairo"},
      {"AST", "America/Anchorage"},
      {"BET", "America/Sao_Paulo"},
      {"BST", "Asia/Dhaka"},
      {"CAT", "Africa/Harare"},
      {"CNT", "America/St_Johns"},
      {"CST", "America/Chicago"},
      {"CTT", "Asia/Shanghai"},
      {"EAT", "Africa/Addis_Ababa"},
      {"ECT", "Europe/Paris"},
      {"EST", "-05:00"},
      {"HST", "-10:00"},
      {"IET", "America/Indiana/Indianapolis"},
      {"IST", "Asia/Kolkata"},
      {"JST", "Asia/Tokyo"},
      {"MIT", "Pacific/Apia"},
      {"MST", "-07:00"},
      {"NET", "Asia/Yerevan"},
      {"NST", "Pacific/Auckland"},
      {"PLT", "Asia/Karachi"},
      {"PNT", "America/Phoenix"},
      {"PRT", "America/Puerto_Rico"},
      {"PST", "America/Los_Angeles"},
      {"SST", "Pacific/Guadalcanal"},
      {"VST", "Asia/Ho_Chi_Minh"},
  };
  return *ids;
}

int DayOfWeekSunday0(int64_t days) {
  return static_cast<int>(((days + 4) % 7 + 7) % 7);
}

bool IsLeap(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

// The day number of a POSIX rule date in `year`.
int64_t RuleDay(const TimeZone::RuleDate& rule, int64_t year) {
  const int64_t jan1 = DaysFromCivil(year, 1, 1);
  if (rule.kind == 'J') {
    return jan1 + rule.day - 1 + (IsLeap(year) && rule.day >= 60 ? 1 : 0);
  }
  if (rule.kind == 'D') {
    return jan1 + rule.day;
  }
  const int64_t first = DaysFromCivil(year, rule.month, 1);
  int day = 1 + (rule.weekday - DayOfWeekSunday0(first) + 7) % 7 + (rule.week - 1) * 7;
  while (day > DaysInMonth(year, rule.month)) {
    day -= 7;
  }
  return first + day - 1;
}

// A cursor over a POSIX TZ string ("CET-1CEST,M3.5.0,M10.5.0/3").
class PosixParser {
 public:
  explicit PosixParser(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  bool Consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool Name() {
    if (Consume('<')) {
      const size_t end = text_.find('>', pos_);
      if (end == std::string_view::npos) {
        return false;
      }
      pos_ = end + 1;
      return true;
    }
    const size_t start = pos_;
    while (pos_ < text_.size() && ((text_[pos_] >= 'A' && text_[pos_] <= 'Z') ||
                                   (text_[pos_] >= 'a' && text_[pos_] <= 'z'))) {
      ++pos_;
    }
    return pos_ - start >= 3;
  }
  bool HasNumber() const {
    return pos_ < text_.size() &&
           (IsDigit(text_[pos_]) || text_[pos_] == '+' || text_[pos_] == '-');
  }
  // [+-]h[h[h]][:mm[:ss]] as seconds.
  bool Time(int32_t* seconds) {
    int sign = 1;
    if (Consume('-')) {
      sign = -1;
    } else {
      Consume('+');
    }
    int32_t total = 0;
    for (int part = 0; part < 3; ++part) {
      if (part > 0 && !Consume(':')) {
        break;
      }
      int value = 0;
      const size_t start = pos_;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) {
        value = value * 10 + (text_[pos_++] - '0');
      }
      if (pos_ == start) {
        return false;
      }
      total += value * (part == 0 ? 3600 : part == 1 ? 60 : 1);
    }
    *seconds = sign * total;
    return true;
  }
  bool Number(int* value) {
    const size_t start = pos_;
    *value = 0;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) {
      *value = *value * 10 + (text_[pos_++] - '0');
    }
    return pos_ > start;
  }
  bool Rule(TimeZone::RuleDate* rule) {
    if (Consume('M')) {
      rule->kind = 'M';
      if (!Number(&rule->month) || !Consume('.') || !Number(&rule->week) || !Consume('.') ||
          !Number(&rule->weekday) || rule->month < 1 || rule->month > 12 || rule->week < 1 ||
          rule->week > 5 || rule->weekday > 6) {
        return false;
      }
    } else if (Consume('J')) {
      rule->kind = 'J';
      if (!Number(&rule->day) || rule->day < 1 || rule->day > 365) {
        return false;
      }
    } else {
      rule->kind = 'D';
      if (!Number(&rule->day) || rule->day > 365) {
        return false;
      }
    }
    rule->time_seconds = 7200;
    if (Consume('/')) {
      return Time(&rule->time_seconds);
    }
    return true;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

uint32_t ReadU32(const std::string& data, size_t pos) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(data[pos])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(data[pos + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(data[pos + 2])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(data[pos + 3]));
}

int64_t ReadI64(const std::string& data, size_t pos) {
  const uint64_t high = ReadU32(data, pos);
  const uint64_t low = ReadU32(data, pos + 4);
  return static_cast<int64_t>((high << 32) | low);
}

std::string ZoneInfoDir() {
  const char* dir = std::getenv("TZDIR");
  return dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo";
}

bool IsSafeRegionName(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsDigit(c) || c == '/' || c == '_' ||
           c == '-' || c == '+';
  });
}

}  // namespace

bool ParseFixedZoneOffset(std::string_view name, int32_t* offset_seconds) {
  if (name == "Z" || name == "UTC" || name == "GMT" || name == "UT") {
    *offset_seconds = 0;
    return true;
  }
  for (std::string_view prefix : {"UTC", "GMT", "UT"}) {
    if (name.size() > prefix.size() && name.substr(0, prefix.size()) == prefix &&
        (name[prefix.size()] == '+' || name[prefix.size()] == '-')) {
      return ParseSignedOffset(name.substr(prefix.size()), offset_seconds);
    }
  }
  return ParseSignedOffset(name, offset_seconds);
}

/// Reads TZif files and POSIX rules into a TimeZone.
class TimeZoneLoader {
 public:
  static bool LoadPosixRule(std::string_view rule, TimeZone* zone) {
    PosixParser parser(rule);
    int32_t std_west = 0;
    if (!parser.Name() || !parser.Time(&std_west)) {
      return false;
    }
    zone->std_offset_ = -std_west;
    zone->has_rule_ = true;
    if (parser.AtEnd()) {
      return true;
    }
    if (!parser.Name()) {
      return false;
    }
    zone->has_dst_ = true;
    zone->dst_offset_ = zone->std_offset_ + 3600;
    if (parser.HasNumber()) {
      int32_t dst_west = 0;
      if (!parser.Time(&dst_west)) {
        return false;
      }
      zone->dst_offset_ = -dst_west;
    }
    if (parser.AtEnd()) {  // POSIX's default: the US rules
      zone->dst_start_ = {'M', 3, 2, 0, 0, 7200};
      zone->dst_end_ = {'M', 11, 1, 0, 0, 7200};
      return true;
    }
    return parser.Consume(',') && parser.Rule(&zone->dst_start_) && parser.Consume(',') &&
           parser.Rule(&zone->dst_end_) && parser.AtEnd();
  }

  static bool LoadTzif(const std::string& data, TimeZone* zone) {
    if (data.size() < 44 || data.compare(0, 4, "TZif") != 0) {
      return false;
    }
    size_t pos = 0;
    const bool v2 = data[4] != '\0';
    if (v2) {  // skip the 32-bit block
      size_t skip = 0;
      if (!BlockSize(data, 0, 4, &skip)) {
        return false;
      }
      pos = skip;
    }
    const int width = v2 ? 8 : 4;
    size_t block_end = 0;
    if (!BlockSize(data, pos, width, &block_end)) {
      return false;
    }
    const uint32_t timecnt = ReadU32(data, pos + 32);
    const uint32_t typecnt = ReadU32(data, pos + 36);
    if (typecnt == 0) {
      return false;
    }
    size_t cursor = pos + 44;
    const size_t times_at = cursor;
    const size_t indices_at = times_at + static_cast<size_t>(timecnt) * width;
    const size_t types_at = indices_at + timecnt;
    std::vector<int32_t> type_offsets(typecnt);
    for (uint32_t i = 0; i < typecnt; ++i) {
      type_offsets[i] = static_cast<int32_t>(ReadU32(data, types_at + 6 * i));
    }
    zone->initial_offset_ = type_offsets[0];
    for (uint32_t i = 0; i < timecnt; ++i) {
      const int64_t at = width == 8 ? ReadI64(data, times_at + 8 * i)
                                    : static_cast<int32_t>(ReadU32(data, times_at + 4 * i));
      const uint8_t index = static_cast<uint8_t>(data[indices_at + i]);
      if (index >= typecnt) {
        return false;
      }
      zone->transitions_.push_back(at);
      zone->offsets_after_.push_back(type_offsets[index]);
    }
    if (v2 && block_end < data.size() && data[block_end] == '\n') {
      const size_t end = data.find('\n', block_end + 1);
      if (end != std::string::npos && end > block_end + 1) {
        TimeZone rule_zone("");
        if (LoadPosixRule(std::string_view(data).substr(block_end + 1, end - block_end - 1),
                          &rule_zone)) {
          zone->has_rule_ = true;
          zone->std_offset_ = rule_zone.std_offset_;
          zone->dst_offset_ = rule_zone.dst_offset_;
          zone->has_dst_ = rule_zone.has_dst_;
          zone->dst_start_ = rule_zone.dst_start_;
          zone->dst_end_ = rule_zone.dst_end_;
        }
      }
    }
    return true;
  }

 private:
  // The end of the header + data block at `pos` whose times are `width` bytes.
  static bool BlockSize(const std::string& data, size_t pos, int width, size_t* end) {
    if (data.size() < pos + 44 || data.compare(pos, 4, "TZif") != 0) {
      return false;
    }
    const uint64_t isutcnt = ReadU32(data, pos + 20);
    const uint64_t isstdcnt = ReadU32(data, pos + 24);
    const uint64_t leapcnt = ReadU32(data, pos + 28);
    const uint64_t timecnt = ReadU32(data, pos + 32);
    const uint64_t typecnt = ReadU32(data, pos + 36);
    const uint64_t charcnt = ReadU32(data, pos + 40);
    const uint64_t size =
        timecnt * (width + 1) + typecnt * 6 + charcnt + leapcnt * (width + 4) + isstdcnt + isutcnt;
    if (data.size() < pos + 44 + size) {
      return false;
    }
    *end = pos + 44 + size;
    return true;
  }
};

Result<std::shared_ptr<const TimeZone>> TimeZone::Find(std::string_view name) {
  static std::mutex mutex;
  static auto* cache = new std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>>();
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache->find(name);
    if (it != cache->end()) {
      return it->second;
    }
  }
  auto zone = std::make_shared<TimeZone>(std::string(name));
  int32_t fixed = 0;
  std::string_view region = name;
  auto short_id = ShortIds().find(name);
  if (short_id != ShortIds().end()) {
    region = short_id->second;
  }
  if (ParseFixedZoneOffset(region, &fixed)) {
    zone->initial_offset_ = fixed;
  } else {
    bool loaded = false;
    if (IsSafeRegionName(region)) {
      std::ifstream file(ZoneInfoDir() + "/" + std::string(region), std::ios::binary);
      if (file) {
        std::string data((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        loaded = TimeZoneLoader::LoadTzif(data, zone.get());
      }
    }
    if (!loaded) {
      return Status::InvalidArgument(
          fmt::format("[INVALID_TIMEZONE] The timezone: {} is invalid. The timezone must be "
                      "either a region-based zone ID or a zone offset. Region IDs must have the "
                      "form 'area/city', such as 'America/Los_Angeles'. Zone offsets must be in "
                      "the format '(+|-)HH', '(+|-)HH:mm' or '(+|-)HH:mm:ss', e.g '-08', '+01:00' "
                      "or '-13:33:33', and must be in the range from -18:00 to +18:00. 'Z' and "
                      "'UTC' are accepted as synonyms for '+00:00'.",
                      name));
    }
  }
  std::lock_guard<std::mutex> lock(mutex);
  auto [it, inserted] = cache->emplace(std::string(name), std::move(zone));
  return it->second;
}

std::shared_ptr<const TimeZone> TimeZone::Utc() {
  static const auto* utc = new std::shared_ptr<const TimeZone>(std::make_shared<TimeZone>("UTC"));
  return *utc;
}

int32_t TimeZone::RuleOffsetAt(int64_t utc_seconds) const {
  if (!has_dst_) {
    return std_offset_;
  }
  int64_t year = 0;
  int month = 0;
  int day = 0;
  CivilFromDays(static_cast<int32_t>(FloorDiv(utc_seconds + std_offset_, kSecondsPerDay)), &year,
                &month, &day);
  const int64_t start =
      RuleDay(dst_start_, year) * kSecondsPerDay + dst_start_.time_seconds - std_offset_;
  const int64_t end =
      RuleDay(dst_end_, year) * kSecondsPerDay + dst_end_.time_seconds - dst_offset_;
  bool dst = false;
  if (start < end) {
    dst = utc_seconds >= start && utc_seconds < end;
  } else {
    dst = !(utc_seconds >= end && utc_seconds < start);
  }
  return dst ? dst_offset_ : std_offset_;
}

int32_t TimeZone::OffsetAt(int64_t utc_seconds) const {
  if (transitions_.empty()) {
    return has_rule_ ? RuleOffsetAt(utc_seconds) : initial_offset_;
  }
  if (utc_seconds < transitions_.front()) {
    return initial_offset_;
  }
  if (utc_seconds >= transitions_.back() && has_rule_) {
    return RuleOffsetAt(utc_seconds);
  }
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds);
  return offsets_after_[(it - transitions_.begin()) - 1];
}

int64_t TimeZone::UtcToLocal(int64_t utc_micros) const {
  if (is_fixed()) {
    return utc_micros + int64_t{initial_offset_} * kMicrosPerSecond;
  }
  return utc_micros + int64_t{OffsetAt(FloorDiv(utc_micros, kMicrosPerSecond))} * kMicrosPerSecond;
}

int64_t TimeZone::LocalToUtc(int64_t local_micros) const {
  if (is_fixed()) {
    return local_micros - int64_t{initial_offset_} * kMicrosPerSecond;
  }
  const int64_t local = FloorDiv(local_micros, kMicrosPerSecond);
  const int32_t before = OffsetAt(local - kSecondsPerDay);
  const int32_t after = OffsetAt(local + kSecondsPerDay);
  int32_t chosen = before;
  if (OffsetAt(local - before) == before) {
    chosen = before;  // valid (in an overlap the earlier offset wins)
  } else if (OffsetAt(local - after) == after) {
    chosen = after;
  }  // else a gap: the offset before it moves the time forward by the gap
  return local_micros - int64_t{chosen} * kMicrosPerSecond;
}

}  // namespace sluice
