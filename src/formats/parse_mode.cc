// SPDX-License-Identifier: Apache-2.0
#include "formats/parse_mode.h"

#include <fmt/format.h>
#include <strings.h>

#include <string>

namespace sluice {

Result<ParseMode> ParseModeFromString(std::string_view name) {
  const std::string text(name);
  if (strcasecmp(text.c_str(), "PERMISSIVE") == 0) {
    return ParseMode::kPermissive;
  }
  if (strcasecmp(text.c_str(), "DROPMALFORMED") == 0) {
    return ParseMode::kDropMalformed;
  }
  if (strcasecmp(text.c_str(), "FAILFAST") == 0) {
    return ParseMode::kFailFast;
  }
  return Status::InvalidArgument(
      fmt::format("mode: expected PERMISSIVE, DROPMALFORMED or FAILFAST, got '{}'", text));
}

std::string_view ParseModeName(ParseMode mode) {
  switch (mode) {
    case ParseMode::kPermissive:
      return "PERMISSIVE";
    case ParseMode::kDropMalformed:
      return "DROPMALFORMED";
    case ParseMode::kFailFast:
      return "FAILFAST";
  }
  return "?";
}

}  // namespace sluice
