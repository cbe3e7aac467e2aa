// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "columnar/batch.h"
#include "common/file_system.h"
#include "common/result.h"
#include "formats/option_map.h"
#include "stream/sink.h"
#include "stream/source.h"
#include "types/data_type.h"

/// Sources and sinks by format name, from Spark's DataStreamReader/Writer settings.
namespace sluice::stream {

/// readStream.format(format).options(options).schema(schema).load(path).
struct SourceSpec {
  /// "json", "csv", "parquet", "text", "delta", "kafka", "rate", "memory" (lower case).
  std::string format;
  /// Options as given (names are matched ignoring case, as Spark's CaseInsensitiveMap).
  OptionList options;
  /// The user's schema (required by the file formats; nullptr otherwise).
  SchemaPtr schema;
  /// load(path): a directory for files, a table root for delta.
  std::string path;
  FileSystem* fs = nullptr;  // nullptr: LocalFileSystem::Default()
};

/// The callback of foreachBatch: the batch's rows and its id.
using ForeachBatchFunction = std::function<Status(
    const SchemaPtr& schema, const std::vector<BatchPtr>& batches, int64_t batch_id)>;

/// writeStream.format(format).options(options).partitionBy(...).start(path).
struct SinkSpec {
  /// "delta", "console", "memory", "foreachBatch" (compared ignoring case).
  std::string format;
  OptionList options;
  std::vector<std::string> partition_by;
  /// start(path): the Delta table root.
  std::string path;
  /// queryName: the memory sink's table name.
  std::string query_name;
  /// foreachBatch only.
  ForeachBatchFunction foreach_batch;
  FileSystem* fs = nullptr;
};

/// Makes a source; kInvalidArgument naming the format or option that is wrong
/// (an unknown format, a missing schema, a bad option value).
Result<std::unique_ptr<StreamSource>> MakeSource(const SourceSpec& spec);
/// Makes a sink; kInvalidArgument as above.
Result<std::unique_ptr<StreamSink>> MakeSink(const SinkSpec& spec);

}  // namespace sluice::stream
