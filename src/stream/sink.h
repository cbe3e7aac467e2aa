// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/file_system.h"
#include "common/result.h"
#include "common/thread_pool.h"
#include "types/data_type.h"

/// The streaming sink interface: the exactly-once hinge. A sink is idempotent per batch
/// id, so a batch re-run after a crash writes nothing twice.
namespace sluice::stream {

/// Spark's output modes.
enum class OutputMode : uint8_t {
  kAppend,    // only new rows (the default)
  kComplete,  // the whole result table every trigger
  kUpdate,    // rows that changed since the last trigger
};

/// Parses "append" | "complete" | "update" (ignoring case); kInvalidArgument otherwise.
Result<OutputMode> ParseOutputMode(std::string_view text);
/// "Append", "Complete", "Update" (as Spark prints them in commitInfo and progress).
std::string_view OutputModeName(OutputMode mode);

/// What a sink needs at start.
struct SinkContext {
  /// The query's id: stable across restarts (the Delta sink's txn appId).
  std::string query_id;
  std::string query_name;
  OutputMode output_mode = OutputMode::kAppend;
  /// The checkpoint directory (for sinks that keep their own metadata there).
  std::string checkpoint_dir;
  FileSystem* fs = nullptr;
  /// Worker threads the sink may use inside AddBatch (e.g. to encode files in
  /// parallel); nullptr: none.
  ThreadPool* pool = nullptr;
};

/// One streaming sink. Called from one query's driver thread.
class StreamSink {
 public:
  virtual ~StreamSink() = default;

  /// The description in progress JSON (sink.description), e.g. "DeltaSink[file:/t]",
  /// "MemorySink", "ForeachBatchSink", "org.apache.spark.sql.execution.streaming.ConsoleTable$".
  virtual std::string Description() const = 0;
  /// Called once before the first batch. kInvalidArgument for an output mode the sink
  /// does not support.
  virtual Status Open(const SinkContext& context) {
    (void)context;
    return Status::Ok();
  }
  /// Writes the output of micro-batch `batch_id` (`schema` also when `data` is empty).
  /// When `batch_id` was already written (a re-run after a crash), writes nothing and
  /// returns OK. In complete mode `data` is the whole result and replaces the previous.
  virtual Status AddBatch(int64_t batch_id, const SchemaPtr& schema,
                          const std::vector<BatchPtr>& data) = 0;
  /// Sink-specific progress metrics (sink.metrics).
  virtual std::map<std::string, std::string> Metrics() { return {}; }
  /// The query is stopping.
  virtual void Stop() {}
};

}  // namespace sluice::stream
