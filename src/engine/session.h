// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "sql/binder.h"
#include "stream/factory.h"
#include "stream/streaming_query.h"
#include "stream/trigger.h"

/// The SQL entry point: a session over a warehouse, as a SparkSession is. The CLI, the
/// sqllogictest runner, the HTTP server and the streaming engine all go through it.
namespace sluice::engine {

struct SessionOptions {
  /// Where managed tables and the catalog live (`--warehouse`, default ./sluice-warehouse).
  std::string warehouse_dir = "sluice-warehouse";
  /// Threads working on a query, the calling thread included; 0 = the number of cores.
  int num_threads = 0;
  /// Initial settings (SET key = value), e.g. {"spark.sql.session.timeZone", "UTC"}.
  std::map<std::string, std::string> settings;
};

/// The result of one statement. Queries, SHOW, DESCRIBE and EXPLAIN return rows; DDL and
/// DML return an empty schema (Spark returns no rows for them) except where Spark
/// returns a row (INSERT/CTAS return num_affected_rows, num_inserted_rows in Databricks).
struct QueryResult {
  SchemaPtr schema;
  std::vector<BatchPtr> batches;
  /// The statement kind as a short word: "query", "insert", "create table", "set", ...
  std::string statement;
  int64_t num_rows() const;
  /// True for statements whose output is a result set (queries, SHOW, DESCRIBE, EXPLAIN).
  bool has_rows = false;
  /// For queries: whether the output order is defined by an ORDER BY (the test runner's
  /// `nosort` relies on it only then).
  bool ordered = false;
};

/// How a streaming query writes (DataStreamWriter's settings).
struct StreamWriteSpec {
  /// format, options (checkpointLocation may be given here too, as in Spark),
  /// partitionBy, the path of start(path), queryName, the foreachBatch callback.
  stream::SinkSpec sink;
  /// outputMode: "append" (default), "complete", "update".
  std::string output_mode = "append";
  stream::Trigger trigger;
  /// checkpointLocation; when empty, option("checkpointLocation"); when that is empty
  /// too, the memory and console sinks get a temporary directory and others fail.
  std::string checkpoint_location;
  /// toTable(name): write to this catalog table (created at start when missing, with
  /// the query's schema, sink.partition_by and the properties and comment below)
  /// instead of a path.
  std::string table;
  std::vector<std::pair<std::string, std::string>> table_properties;
  std::string table_comment;
  /// The engine keeps the checkpoint under the table (`<table>/_checkpoint`) when none
  /// is given: streaming tables of SQL pipelines.
  bool managed_checkpoint = false;
};

/// A SQL session: current database, settings, and the engine's thread pool. Not safe for
/// concurrent use (one statement at a time), like a Spark session's SQL calls from one
/// thread; open one per connection.
class Session {
 public:
  static Result<std::unique_ptr<Session>> Open(SessionOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Runs one statement. Errors carry Spark's error class first in the message
  /// ("[TABLE_OR_VIEW_NOT_FOUND] ...") and a StatusCode: kParseError for syntax,
  /// kBindError for analysis errors, kNotFound for missing tables/databases,
  /// kAlreadyExists, kInvalidArgument for runtime data errors (ANSI casts), ...
  Result<QueryResult> Execute(std::string_view sql);
  /// Runs every statement of a script in order, stopping at the first error; returns
  /// the results of all statements that ran.
  Result<std::vector<QueryResult>> ExecuteScript(std::string_view sql);

  /// Returns `result` as Spark shows it: every timestamp (also inside structs, arrays
  /// and maps) turned into the wall-clock time of spark.sql.session.timeZone
  /// (timestamp_ntz, as CAST(ts AS TIMESTAMP_NTZ)), so printers need no zone. A result
  /// without timestamps comes back unchanged.
  Result<QueryResult> InSessionTimeZone(QueryResult result) const;

  /// Registers rows under a temporary name that queries of this session resolve before
  /// the catalog (a DataFrame's createOrReplaceTempView of in-memory rows). Replaces a
  /// relation of the same name.
  void RegisterTempRelation(const std::string& name,
                            std::shared_ptr<const sql::InMemoryRelation> data);
  void DropTempRelation(const std::string& name);

  /// Starts a streaming query. `query_sql` is a query whose FROM items name the streaming
  /// sources by the keys of `sources` (e.g. "SELECT * FROM src_0 WHERE x > 1"); each
  /// micro-batch runs it with those names bound to the batch's rows. A memory sink's
  /// table becomes queryable by its queryName in this session. Errors: bad options,
  /// an unsupported operation for the output mode (Spark's messages), an incompatible
  /// or locked checkpoint.
  Result<std::shared_ptr<stream::StreamingQuery>> StartStream(
      std::string_view query_sql, std::vector<std::pair<std::string, stream::SourceSpec>> sources,
      StreamWriteSpec write);
  /// Runs a pipeline script: every statement but CREATE STREAMING TABLE runs as usual,
  /// in order; each streaming table is created when missing and its query started with
  /// `trigger`, its checkpoint kept under the table. With a terminating trigger
  /// (availableNow, once) each query runs to its end before the next starts, so a
  /// downstream table reads everything its upstream wrote; otherwise the queries keep
  /// running and are returned (upstream first).
  Result<std::vector<std::shared_ptr<stream::StreamingQuery>>> StartPipeline(
      std::string_view script, stream::Trigger trigger);
  /// Adds a listener to every streaming query this session starts from now on
  /// (spark.streams.addListener).
  void AddStreamingListener(std::shared_ptr<stream::StreamingQueryListener> listener);
  /// The queries started by this session that are still running (spark.streams.active).
  std::vector<std::shared_ptr<stream::StreamingQuery>> ActiveStreams() const;

  /// The current value of a setting (as SET shows it), or "" when unset.
  std::string GetSetting(std::string_view key) const;
  const std::string& current_database() const;
  const std::string& warehouse_dir() const;

 private:
  Session();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::engine
