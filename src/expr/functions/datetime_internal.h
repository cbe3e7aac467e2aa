// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "expr/function.h"
#include "types/time_zone.h"

/// Pieces shared by the date/time function files (functions/datetime*.cc).
namespace sluice::expr::datetime {

inline constexpr int64_t kMicrosPerSecond = 1000000;
inline constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

inline int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
inline int64_t FloorMod(int64_t a, int64_t b) {
  return a - FloorDiv(a, b) * b;
}

/// Zones named per row (from_utc_timestamp's argument), remembering the last lookup.
class ZoneCache {
 public:
  /// The zone named `name`, or nullptr when there is none.
  const TimeZone* Get(std::string_view name) {
    if (zone_ == nullptr || name != name_) {
      Result<TimeZonePtr> found = TimeZone::Find(name);
      name_ = std::string(name);
      zone_ = found.ok() ? *found : nullptr;
      if (zone_ == nullptr) {
        return nullptr;
      }
    }
    return zone_.get();
  }

 private:
  std::string name_;
  TimeZonePtr zone_;
};

/// The session zone of `ctx`.
Result<TimeZonePtr> SessionZone(const EvalContext& ctx);

/// What a date/time function expects of an argument; Bind checks the argument and
/// chooses the type it is cast to.
enum class Arg : uint8_t { kDate, kTimestamp, kInt, kLong, kString, kDecimalSeconds };
/// Checks argument `index` against `kind` and returns the type to cast it to.
Result<TypePtr> ExpectArg(const BindContext& ctx, const std::vector<ExprPtr>& args, int index,
                          Arg kind);
/// Checks the argument count is within [min, max].
Status CheckArity(std::string_view name, const std::vector<ExprPtr>& args, size_t min, size_t max);

/// Registers the parsing and formatting functions (datetime_format.cc).
void RegisterDatetimeFormatFunctions(FunctionRegistry& registry);
/// Registers add_interval and window (datetime_window.cc).
void RegisterDatetimeWindowFunctions(FunctionRegistry& registry);
/// Binds the sliding_window generator (datetime_window.cc).
Result<BoundGenerator> BindSlidingWindow(const std::vector<ExprPtr>& args, const BindContext& ctx);

}  // namespace sluice::expr::datetime
