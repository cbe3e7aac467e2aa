// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace sluice {

/// What a reader does with a malformed record: Spark's `mode` option.
enum class ParseMode : uint8_t {
  /// Keep the record: fields that could not be read become null, and the raw record
  /// goes to the corrupt-record column when the schema has one (the default).
  kPermissive,
  /// Drop the record.
  kDropMalformed,
  /// Stop with an error naming the record's line and byte offset.
  kFailFast,
};

/// Parses Spark's names, case-insensitively: PERMISSIVE, DROPMALFORMED, FAILFAST.
Result<ParseMode> ParseModeFromString(std::string_view name);
std::string_view ParseModeName(ParseMode mode);

/// Spark's default name of the corrupt-record column (`columnNameOfCorruptRecord`).
inline constexpr std::string_view kDefaultCorruptRecordColumn = "_corrupt_record";

/// Counts what a reader saw, for progress reports and tests.
struct ReadStats {
  int64_t records = 0;            // records read, malformed ones included
  int64_t malformed_records = 0;  // records with at least one malformed field or bad syntax
  int64_t dropped_records = 0;    // malformed records left out (DROPMALFORMED)
};

}  // namespace sluice
