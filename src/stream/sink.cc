// SPDX-License-Identifier: Apache-2.0
#include "stream/sink.h"

#include <fmt/format.h>

#include "common/ascii.h"

namespace sluice::stream {

Result<OutputMode> ParseOutputMode(std::string_view text) {
  if (EqualsIgnoreCase(text, "append")) {
    return OutputMode::kAppend;
  }
  if (EqualsIgnoreCase(text, "complete")) {
    return OutputMode::kComplete;
  }
  if (EqualsIgnoreCase(text, "update")) {
    return OutputMode::kUpdate;
  }
  return Status::InvalidArgument(fmt::format(
      "Unknown output mode {}. Accepted output modes are 'append', 'complete', 'update'", text));
}

std::string_view OutputModeName(OutputMode mode) {
  switch (mode) {
    case OutputMode::kAppend:
      return "Append";
    case OutputMode::kComplete:
      return "Complete";
    case OutputMode::kUpdate:
      return "Update";
  }
  return "Append";
}

}  // namespace sluice::stream
