// SPDX-License-Identifier: Apache-2.0
#include "stream/trigger.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <optional>

#include "common/ascii.h"

namespace sluice::stream {

namespace {

/// Milliseconds per unit, by Spark's unit names (singular and plural, any case).
std::optional<double> UnitMillis(std::string_view unit) {
  std::string lower = ToLowerAscii(unit);
  if (!lower.empty() && lower.back() == 's' && lower != "ms" && lower != "s") {
    lower.pop_back();
  }
  if (lower == "ms" || lower == "millisecond" || lower == "milli")
    return 1.0;
  if (lower == "microsecond" || lower == "us")
    return 0.001;
  if (lower == "s" || lower == "second" || lower == "sec")
    return 1000.0;
  if (lower == "m" || lower == "minute" || lower == "min")
    return 60000.0;
  if (lower == "h" || lower == "hour")
    return 3600000.0;
  if (lower == "d" || lower == "day")
    return 86400000.0;
  if (lower == "week")
    return 7 * 86400000.0;
  return std::nullopt;
}

}  // namespace

Result<int64_t> ParseDurationMs(std::string_view text) {
  auto invalid = [&] {
    return Status::InvalidArgument(fmt::format(
        "Invalid interval '{}': expected a number and a unit, e.g. '10 seconds'", text));
  };
  std::string_view rest = TrimAscii(text);
  if (rest.size() >= 8 && EqualsIgnoreCase(rest.substr(0, 8), "interval")) {
    rest = TrimAscii(rest.substr(8));
  }
  if (rest.empty()) {
    return invalid();
  }
  double total = 0;
  bool any = false;
  while (!rest.empty()) {
    size_t n = 0;
    while (n < rest.size() &&
           (std::isdigit(static_cast<unsigned char>(rest[n])) || rest[n] == '.')) {
      ++n;
    }
    if (n == 0) {
      return invalid();
    }
    double value = 0;
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + n, value);
    if (ec != std::errc() || ptr != rest.data() + n) {
      return invalid();
    }
    rest = TrimAscii(rest.substr(n));
    size_t u = 0;
    while (u < rest.size() && std::isalpha(static_cast<unsigned char>(rest[u]))) {
      ++u;
    }
    if (u == 0) {
      if (any || !rest.empty()) {
        return invalid();
      }
      total += value;  // a bare number: milliseconds
      any = true;
      break;
    }
    std::optional<double> millis = UnitMillis(rest.substr(0, u));
    if (!millis.has_value()) {
      return invalid();
    }
    total += value * *millis;
    any = true;
    rest = TrimAscii(rest.substr(u));
  }
  if (total < 0) {
    return invalid();
  }
  return static_cast<int64_t>(total);
}

Result<Trigger> Trigger::ProcessingTime(std::string_view interval) {
  SLUICE_ASSIGN_OR_RETURN(int64_t ms, ParseDurationMs(interval));
  return ProcessingTime(ms);
}

std::string Trigger::ToString() const {
  switch (kind) {
    case Kind::kProcessingTime:
      return fmt::format("ProcessingTime({})", interval_ms);
    case Kind::kOnce:
      return "Once";
    case Kind::kAvailableNow:
      return "AvailableNow";
  }
  return "";
}

}  // namespace sluice::stream
