// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sluice::stream {

/// When micro-batches run (Spark's Trigger).
struct Trigger {
  enum class Kind : uint8_t {
    kProcessingTime,  // interval 0 = the default: the next batch as soon as one ends
    kOnce,            // one batch of everything available, then stop
    kAvailableNow,    // everything available at start, in rate-limited batches, then stop
  };
  Kind kind = Kind::kProcessingTime;
  int64_t interval_ms = 0;

  static Trigger Default() { return Trigger{}; }
  static Trigger ProcessingTime(int64_t interval_ms) {
    return Trigger{Kind::kProcessingTime, interval_ms};
  }
  /// Parses Spark's interval text: "2 seconds", "500 milliseconds", "1 minute",
  /// "interval 10 seconds", or a bare number of milliseconds. kInvalidArgument otherwise.
  static Result<Trigger> ProcessingTime(std::string_view interval);
  static Trigger Once() { return Trigger{Kind::kOnce, 0}; }
  static Trigger AvailableNow() { return Trigger{Kind::kAvailableNow, 0}; }

  /// True for the triggers that stop by themselves once the input is drained.
  bool terminates() const { return kind != Kind::kProcessingTime; }
  /// "ProcessingTime(2000)", "Once", "AvailableNow".
  std::string ToString() const;
};

/// Parses a duration such as "10 seconds", "1 minute", "250 ms", "2 hours" into
/// milliseconds (Spark's CalendarInterval text without months). kInvalidArgument
/// otherwise.
Result<int64_t> ParseDurationMs(std::string_view text);

}  // namespace sluice::stream
