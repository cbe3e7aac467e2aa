// SPDX-License-Identifier: Apache-2.0
#pragma once

// simdjson helpers private to formats/json. Include only from this module's .cc files.

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "formats/json/json_text.h"

namespace sluice::json::internal {

namespace od = simdjson::ondemand;

/// The deepest nesting accepted, as Jackson's default StreamReadConstraints (1000).
inline constexpr int kMaxNestingDepth = 1000;

/// Reads `value` completely, checking every token (On-Demand only checks what is read).
/// Returns SUCCESS or the first error; DEPTH_ERROR past kMaxNestingDepth.
simdjson::error_code ValidateValue(od::value value, int depth);

/// How AppendCompactJson writes numbers.
enum class NumberText : uint8_t {
  /// As written in the input.
  kAsWritten,
  /// As Jackson's generator re-emits what its parser read (Spark's copyCurrentStructure
  /// for a non-string value read into a string column): integers keep their digits ("-0"
  /// is "0"); a number with a fraction or exponent is a double written as Java's
  /// Double.toString ("1.50" is "1.5", "1e5" is "100000.0"). A float past the double
  /// range (Jackson writes "Infinity", quoted) keeps its text.
  kJavaDouble,
};

/// Appends `value` as compact JSON, as Jackson's copyCurrentStructure does for a
/// non-string value read into a string column: no insignificant white space, strings
/// re-escaped, numbers per `numbers`.
simdjson::error_code AppendCompactJson(od::value value, std::string* out, int depth,
                                       NumberText numbers = NumberText::kAsWritten);

/// Returns whether a document was read to its end (nothing follows its value).
template <typename Doc>
bool AtEnd(Doc& doc) {
  const char* location = nullptr;
  return doc.current_location().get(location) == simdjson::OUT_OF_BOUNDS;
}

/// Returns the number token `raw` (from raw_json_token) without trailing white space.
inline std::string_view NumberToken(std::string_view raw) {
  return TrimRightSpace(raw);
}

/// Calls `fn(base, size, offset)` on regions that together cover `data`, each starting
/// at a line start, each followed by at least SIMDJSON_PADDING readable bytes: the bulk
/// of `data` in place, and its last lines copied into `*tail` (padded). Only the tail
/// (the last lines, at least SIMDJSON_PADDING bytes) is copied. `offset` is where the
/// region starts in `data`.
template <typename Fn>
Status ForEachPaddedRegion(std::string_view data, std::string* tail, Fn&& fn) {
  size_t cut = 0;
  if (data.size() > simdjson::SIMDJSON_PADDING) {
    // The last line terminator with at least SIMDJSON_PADDING bytes after it.
    size_t i = data.size() - simdjson::SIMDJSON_PADDING;
    while (i > 0) {
      --i;
      if (data[i] == '\n' || data[i] == '\r') {
        cut = i + 1;
        break;
      }
    }
  }
  if (cut > 0) {
    SLUICE_RETURN_IF_ERROR(fn(data.data(), cut, size_t{0}));
  }
  const size_t rest = data.size() - cut;
  tail->clear();
  tail->reserve(rest + simdjson::SIMDJSON_PADDING);
  tail->append(data.data() + cut, rest);
  tail->append(simdjson::SIMDJSON_PADDING, ' ');
  if (rest > 0) {
    SLUICE_RETURN_IF_ERROR(fn(static_cast<const char*>(tail->data()), rest, cut));
  }
  return Status::Ok();
}

}  // namespace sluice::json::internal
