// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "common/status.h"
#include "formats/json/json_options.h"
#include "formats/parse_mode.h"
#include "types/data_type.h"

namespace sluice::json {

/// Returns OK when `text` is exactly one valid JSON value (RFC 8259, surrounding white
/// space allowed), kParseError otherwise. Checks every token, unlike the lazy decoder.
Status ValidateJson(std::string_view text);

/// Decodes JSON records into batches of a fixed schema, with the semantics of Spark's
/// JSON data source (see README.md): each line of NDJSON is a record; a top-level array
/// of objects gives one row per element; malformed records are handled by
/// JsonReadOptions::mode and the corrupt-record column. The output schema is the given
/// one made nullable throughout, as Spark reads it. Single-threaded.
class JsonDecoder {
 public:
  /// kInvalidArgument when the schema has a map whose key is not a string, when the
  /// corrupt-record column is not a string, or when a format pattern does not compile.
  static Result<std::unique_ptr<JsonDecoder>> Make(SchemaPtr schema, JsonReadOptions options);

  ~JsonDecoder();
  JsonDecoder(const JsonDecoder&) = delete;
  JsonDecoder& operator=(const JsonDecoder&) = delete;

  /// Decodes newline-delimited JSON ("\n", "\r\n" or "\r" end a line; blank lines are
  /// skipped) and calls `emit` with every batch of options.batch_rows rows (fewer when
  /// they took options.batch_bytes of input), then with
  /// the remaining rows: when it returns OK, every row of `data` has been emitted.
  /// `data` needs no padding: it is read in place except its last lines (at least
  /// SIMDJSON_PADDING bytes), which are copied. In FAILFAST the error names the 1-based
  /// line and the byte offset of the record within `data`.
  Status DecodeNdjson(std::string_view data, const std::function<Status(BatchPtr)>& emit);

  /// Decodes one whole message (e.g. a Kafka value) as one record, newlines included,
  /// into the pending rows; Flush() returns them. Blank messages give no row. Returns
  /// kResourceExhausted, decoding nothing, once the pending rows hold
  /// JsonReadOptions::batch_bytes: Flush() first.
  Status DecodeRecord(std::string_view document);

  /// Returns the rows decoded by DecodeRecord since the last Flush, or nullptr when none.
  BatchPtr Flush();

  const ReadStats& stats() const;
  /// The schema of the emitted batches (the given one, nullable throughout).
  const SchemaPtr& schema() const;

  class Impl;

 private:
  explicit JsonDecoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Decodes NDJSON `data` into batches. A null `schema` is inferred first
/// (InferJsonSchema with the same options).
Result<std::vector<BatchPtr>> ReadJson(std::string_view data, SchemaPtr schema,
                                       const JsonReadOptions& options);

/// Reads the NDJSON file at `path` (through LocalFileSystem) as ReadJson does.
Result<std::vector<BatchPtr>> ReadJsonFile(const std::string& path, SchemaPtr schema,
                                           const JsonReadOptions& options);

}  // namespace sluice::json
