// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "columnar/batch.h"
#include "common/status.h"

namespace sluice::engine {
class Session;
}  // namespace sluice::engine

namespace sluice::cli {

/// Which version of a Delta table to read: the latest (neither set), a version
/// (versionAsOf), or the version a timestamp selects (timestampAsOf: "yyyy-MM-dd",
/// "yyyy-MM-dd HH:mm:ss[.SSS]" or ISO-8601, read as UTC).
struct TableVersion {
  std::optional<int64_t> version;
  std::string timestamp;  // "" for none
};

/// What `sluice cat` and `sluice infer-schema` read and how.
struct FileRequest {
  std::string path;
  std::string format;      // "json", "csv", "parquet", or "" to choose by the extension
  std::string schema_ddl;  // "" to infer
  std::string mode;        // "" for the reader's default (PERMISSIVE)
  std::vector<std::pair<std::string, std::string>> options;  // Spark reader options
  TableVersion at;                                           // for a Delta table directory only
};

/// How `sluice cat` prints.
struct OutputRequest {
  int64_t limit = 20;
  int truncate = 20;
  std::string output = "table";  // table, json, csv
};

/// Prints the rows of a file or of a Delta table directory (one with a `_delta_log`),
/// Spark show()-style or as JSON/CSV lines.
Status RunCat(const FileRequest& request, const OutputRequest& output);
/// Prints rows of `schema` as `output` asks (the first output.limit rows).
Status PrintBatches(const SchemaPtr& schema, const std::vector<BatchPtr>& batches,
                    const OutputRequest& output);
/// Prints the DDL of the inferred schema (and the printSchema() tree when `tree`).
Status RunInferSchema(const FileRequest& request, bool tree);
/// Prints a Parquet file's schema: the Parquet message type and the sluice DDL.
Status RunParquetSchema(const std::string& path);
/// Prints a Parquet file's footer: writer, key-value metadata, schema, and per row
/// group every column chunk's type, codec, encodings, sizes and statistics.
Status RunParquetMeta(const std::string& path);
/// Whether `sluice cat` reads `request` as a Delta table (`*is_delta`): a directory is
/// one when it has a `_delta_log`, otherwise kNotFound "not a Delta table"; a version or
/// timestamp on anything else is kInvalidArgument.
Status CheckDeltaPath(const FileRequest& request, bool* is_delta);
/// Prints the rows of a Delta table at `at`, read through delta::Scan.
Status RunDeltaCat(const std::string& path, const TableVersion& at, const OutputRequest& output);
/// Prints the commits of a Delta table, newest first, at most `limit` (DESCRIBE HISTORY).
Status RunDeltaHistory(const std::string& path, std::optional<int64_t> limit,
                       const OutputRequest& output);
/// Prints a Delta table's details at `at` (DESCRIBE DETAIL).
Status RunDeltaDetail(const std::string& path, const TableVersion& at, const OutputRequest& output);
/// Prints the live files of a Delta table at `at`: path, partition values, size,
/// modification time, numRecords (from stats) and deletion vector cardinality.
Status RunDeltaFiles(const std::string& path, const TableVersion& at, const OutputRequest& output);
/// Runs the example pipeline (examples/pipelines/files_to_delta.sql, embedded) over the
/// embedded sample orders written as three files under `dir` (replaced), into a
/// warehouse under `dir`, with Trigger.AvailableNow; prints the batches and two queries.
Status RunDemo(const std::string& dir, int64_t limit);
/// Runs `sql` in `session` and prints it and at most `limit` rows of its result as a table.
Status PrintQuery(engine::Session& session, const std::string& sql, int64_t limit);

/// What `sluice kafka serve` runs.
struct KafkaServeRequest {
  /// `--port N`: also listen on 127.0.0.1:N, forwarding to the first broker (-1: none).
  int port = -1;
  /// `--brokers N`: brokers of the mock cluster.
  int brokers = 1;
  /// `--topic name:partitions`, created at start.
  std::vector<std::string> topics;
  /// `--ready-file PATH`: receives the bootstrap servers once the broker is ready.
  std::string ready_file;
};
/// Runs an in-process Kafka-protocol broker (librdkafka's mock cluster) until SIGINT or
/// SIGTERM; prints `sluice kafka serve: bootstrap.servers=...` once ready. Returns 0 on
/// a clean stop, 1 when it cannot start.
int RunKafkaServe(const KafkaServeRequest& request);

/// What `sluice gen orders` generates and where it sends it.
struct GenOrdersRequest {
  /// `--bootstrap HOST:PORT`: produce to this cluster ("" with --files: files only).
  std::string bootstrap;
  std::string topic = "orders";
  /// `--rate N`: events per second; 0 as fast as possible.
  double rate = 1000;
  /// `--duration S` and `--count N`: stop at whichever comes first (neither: at SIGINT).
  std::optional<double> duration_s;
  std::optional<int64_t> count;
  /// `--late`, `--duplicates`, `--malformed`: percentages of events.
  double late_pct = 0;
  double duplicate_pct = 0;
  double malformed_pct = 0;
  uint64_t seed = 1;
  /// `--start-time`: the first event's time, ISO-8601 ("" = now).
  std::string start_time;
  /// `--files DIR`: also write the events as NDJSON files there.
  std::string files_dir;
  /// `--file-events N`: events per file at most (a file is also closed every second).
  int64_t file_events = 10000;
  /// `--partitions N`: send order_id % N's partition instead of the key hash (0: off).
  int32_t partitions = 0;
};
/// Runs `sluice gen orders`: kafka::OrderGenerator's events produced with key order_id,
/// and/or written as NDJSON files; prints a summary. Returns 0, or 1 on an error.
int RunGenOrders(const GenOrdersRequest& request);

}  // namespace sluice::cli
