// SPDX-License-Identifier: Apache-2.0
#include "formats/json/json_options.h"

#include <fmt/format.h>
#include <strings.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace sluice::json {
namespace {

bool EqualsIgnoreCase(const std::string& a, const char* b) {
  return strcasecmp(a.c_str(), b) == 0;
}

Result<bool> ParseBool(const std::string& name, const std::string& value) {
  if (EqualsIgnoreCase(value, "true")) {
    return true;
  }
  if (EqualsIgnoreCase(value, "false")) {
    return false;
  }
  return Status::InvalidArgument(fmt::format("{}: expected true or false, got '{}'", name, value));
}

}  // namespace

Result<JsonReadOptions> JsonReadOptions::FromOptions(
    const std::vector<std::pair<std::string, std::string>>& options) {
  JsonReadOptions result;
  for (const auto& [name, value] : options) {
    if (EqualsIgnoreCase(name, "mode")) {
      auto mode = ParseModeFromString(value);
      if (!mode.ok()) {
        return Status::InvalidArgument(fmt::format(
            "option mode: expected PERMISSIVE, DROPMALFORMED or FAILFAST, got '{}'", value));
      }
      result.mode = *mode;
    } else if (EqualsIgnoreCase(name, "columnNameOfCorruptRecord")) {
      result.column_name_of_corrupt_record = value;
    } else if (EqualsIgnoreCase(name, "timestampFormat")) {
      result.timestamp_format = value;
    } else if (EqualsIgnoreCase(name, "timestampNTZFormat")) {
      result.timestamp_ntz_format = value;
    } else if (EqualsIgnoreCase(name, "dateFormat")) {
      result.date_format = value;
    } else if (EqualsIgnoreCase(name, "primitivesAsString")) {
      SLUICE_ASSIGN_OR_RETURN(result.primitives_as_string,
                              ParseBool("option primitivesAsString", value));
    } else if (EqualsIgnoreCase(name, "prefersDecimal")) {
      SLUICE_ASSIGN_OR_RETURN(result.prefers_decimal, ParseBool("option prefersDecimal", value));
    } else if (EqualsIgnoreCase(name, "samplingRatio")) {
      char* end = nullptr;
      errno = 0;
      const double ratio = std::strtod(value.c_str(), &end);
      if (value.empty() || end != value.c_str() + value.size() || errno != 0 ||
          !std::isfinite(ratio) || ratio <= 0.0 || ratio > 1.0) {
        return Status::InvalidArgument(
            fmt::format("option samplingRatio: expected a number in (0, 1], got '{}'", value));
      }
      result.sampling_ratio = ratio;
    }
    // Anything else is ignored, as Spark ignores options it does not know.
  }
  return result;
}

}  // namespace sluice::json
