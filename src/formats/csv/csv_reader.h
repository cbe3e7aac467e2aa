// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "formats/csv/csv_options.h"
#include "formats/parse_mode.h"
#include "types/data_type.h"

namespace sluice::csv {

/// Receives each finished batch; a non-OK Status stops the decoder.
using BatchCallback = std::function<Status(BatchPtr)>;

/// Turns CSV text into batches of `schema` with the semantics of Spark's CSV source.
/// Columns map to fields by position; a string field named `columnNameOfCorruptRecord`
/// takes no field and receives the raw text of malformed records instead. A record is
/// malformed when it has fewer or more fields than the other columns, or when a field
/// cannot be converted to its column's type; the mode decides what happens to it
/// (PERMISSIVE keeps it with nulls where fields were missing or bad, DROPMALFORMED drops
/// it, FAILFAST stops with kParseError naming its line, byte offset and column).
///
/// Feed it whole records, in order, in as many chunks as convenient. Single-threaded.
class CsvDecoder {
 public:
  /// Checks the schema: primitive types only, the corrupt-record column a string.
  static Result<std::unique_ptr<CsvDecoder>> Make(SchemaPtr schema, CsvReadOptions options);
  ~CsvDecoder();
  CsvDecoder(const CsvDecoder&) = delete;
  CsvDecoder& operator=(const CsvDecoder&) = delete;

  /// Decodes `chunk`, which must end at a record boundary; the first record of the first
  /// chunk is the header when the options say so. Calls `emit` for every full batch.
  Status Decode(std::string_view chunk, const BatchCallback& emit);
  /// Emits the rows not yet emitted, if any.
  Status Flush(const BatchCallback& emit);

  const ReadStats& stats() const;
  const SchemaPtr& schema() const;

 private:
  class Impl;
  explicit CsvDecoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Reads all of `data`. With a null `schema` the schema comes from InferCsvSchema (typed
/// when `options.infer_schema`, otherwise all strings named from the header or _c0, _c1,
/// ...). Returns at least one batch (an empty one when there are no rows) so the schema
/// is always known; every batch but the last holds `options.batch_rows` rows.
Result<std::vector<BatchPtr>> ReadCsv(std::string_view data, SchemaPtr schema,
                                      const CsvReadOptions& options, ReadStats* stats = nullptr);

/// Reads the local file at `path` with ReadCsv.
Result<std::vector<BatchPtr>> ReadCsvFile(const std::string& path, SchemaPtr schema,
                                          const CsvReadOptions& options,
                                          ReadStats* stats = nullptr);

}  // namespace sluice::csv
