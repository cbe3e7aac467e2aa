// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "formats/option_map.h"
#include "formats/parse_mode.h"

namespace sluice::json {

/// Options of the JSON reader and schema inference, with the meaning of Spark's JSON
/// data source options of the same name.
struct JsonReadOptions {
  /// What to do with malformed records (`mode`).
  ParseMode mode = ParseMode::kPermissive;
  /// The string column that receives the raw text of malformed records in PERMISSIVE
  /// mode (`columnNameOfCorruptRecord`); inference adds it when it meets one.
  std::string column_name_of_corrupt_record = std::string(kDefaultCorruptRecordColumn);
  /// Java DateTimeFormatter patterns (`timestampFormat`, `timestampNTZFormat`,
  /// `dateFormat`). Unset means Spark's lenient default parsing (sluice::ParseTimestamp,
  /// ParseTimestampNtz, ParseDate).
  std::optional<std::string> timestamp_format;
  std::optional<std::string> timestamp_ntz_format;
  std::optional<std::string> date_format;
  /// Inference: every primitive value is inferred as string (`primitivesAsString`).
  bool primitives_as_string = false;
  /// Inference: floating-point numbers (and numeric strings) become decimals when they
  /// fit (`prefersDecimal`).
  bool prefers_decimal = false;
  /// Inference: the fraction of records looked at, in (0, 1] (`samplingRatio`).
  double sampling_ratio = 1.0;
  /// Rows per emitted batch (sluice's own; no Spark option).
  int64_t batch_rows = kDefaultBatchRows;
  /// A batch is also emitted once its rows took this many input bytes, so that no
  /// buffer of a batch nears the 2 GiB its int32 offsets can address (sluice's own).
  int64_t batch_bytes = int64_t{256} << 20;

  /// Builds options from Spark's option names (case-insensitive): mode,
  /// columnNameOfCorruptRecord, timestampFormat, timestampNTZFormat, dateFormat,
  /// primitivesAsString, prefersDecimal, samplingRatio. Unknown names are ignored, as
  /// Spark does; a bad value is kInvalidArgument naming the option.
  static Result<JsonReadOptions> FromOptions(const OptionList& options);
};

/// Options of the JSON writer (Spark's write.json / to_json defaults).
struct JsonWriteOptions {
  /// Leave out null fields of structs (`ignoreNullFields`, default true).
  bool ignore_null_fields = true;
  /// Patterns for timestamps, timestamp_ntz and dates (`timestampFormat`,
  /// `timestampNTZFormat`, `dateFormat`).
  std::string timestamp_format = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
  std::string timestamp_ntz_format = "yyyy-MM-dd'T'HH:mm:ss.SSS";
  std::string date_format = "yyyy-MM-dd";
};

}  // namespace sluice::json
