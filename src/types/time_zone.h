// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sluice {

/// A time zone as Java's ZoneId: an IANA region read from the system's TZif files
/// (/usr/share/zoneinfo, or $TZDIR), with the POSIX TZ footer for instants past the
/// file's table, or a fixed offset ("UTC", "Z", "+02:00", "-0530", "GMT+2", "UTC-08:00").
/// Immutable and thread-safe; Find() caches one instance per name.
class TimeZone {
 public:
  /// Returns the zone named `name`; kInvalidArgument ("[INVALID_TIMEZONE] ...") when it
  /// is neither a known region nor an offset.
  static Result<std::shared_ptr<const TimeZone>> Find(std::string_view name);
  /// Returns the UTC zone.
  static std::shared_ptr<const TimeZone> Utc();

  /// The zone's name as given.
  const std::string& name() const { return name_; }
  /// True for a zone whose offset never changes.
  bool is_fixed() const { return transitions_.empty() && !has_rule_; }

  /// Returns the offset from UTC, in seconds, in effect at `utc_seconds`.
  int32_t OffsetAt(int64_t utc_seconds) const;
  /// Converts an instant (micros since the epoch, UTC) to local civil micros.
  int64_t UtcToLocal(int64_t utc_micros) const;
  /// Converts local civil micros to an instant with Java's ZonedDateTime.ofLocal rules:
  /// in an overlap the earlier offset wins, in a gap the time moves forward by the gap.
  int64_t LocalToUtc(int64_t local_micros) const;

  /// One transition of a POSIX TZ rule (Mm.w.d, Jn or n), with its local time of day.
  struct RuleDate {
    char kind = 'M';  // 'M', 'J' (1..365, no Feb 29) or 'D' (0..365)
    int month = 0;
    int week = 0;
    int weekday = 0;
    int day = 0;
    int32_t time_seconds = 7200;
  };

  /// Use Find(); public for make_shared.
  explicit TimeZone(std::string name) : name_(std::move(name)) {}

 private:
  friend class TimeZoneLoader;

  int32_t RuleOffsetAt(int64_t utc_seconds) const;

  std::string name_;
  // The TZif table: transition instants (seconds) and the offset after each.
  std::vector<int64_t> transitions_;
  std::vector<int32_t> offsets_after_;
  int32_t initial_offset_ = 0;  // before the first transition (or the fixed offset)
  // The POSIX footer, for instants after the last transition.
  bool has_rule_ = false;
  int32_t std_offset_ = 0;
  int32_t dst_offset_ = 0;
  bool has_dst_ = false;
  RuleDate dst_start_;
  RuleDate dst_end_;
};

using TimeZonePtr = std::shared_ptr<const TimeZone>;

/// Parses a fixed-offset zone id ("Z", "UTC", "GMT", "UT", "+02:00", "+2", "-0530",
/// "GMT+2", "UTC-08:00", "+01:30:15") into seconds east of UTC. False otherwise.
bool ParseFixedZoneOffset(std::string_view name, int32_t* offset_seconds);

}  // namespace sluice
