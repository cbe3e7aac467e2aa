// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "sluice/dataframe.h"
#include "stream/progress.h"
#include "stream/streaming_query.h"

/// Structured Streaming (PySpark's DataStreamReader, DataStreamWriter, StreamingQuery,
/// StreamingQueryManager).
namespace sluice {

using stream::StreamingQueryProgress;
using stream::StreamingQueryStatus;
/// Spark's StreamingQueryListener (onQueryStarted, onQueryProgress, onQueryIdle,
/// onQueryTerminated as OnQueryStarted...): subclass it and override what you need.
using stream::StreamingQueryListener;

/// When micro-batches run: Trigger::ProcessingTime("2 seconds"), Trigger::Once(),
/// Trigger::AvailableNow(); the default runs the next batch as soon as one ends.
class Trigger {
 public:
  static Trigger Default() { return Trigger(); }
  /// Spark's interval text ("2 seconds", "500 milliseconds"); a bad text makes start()
  /// fail.
  static Trigger ProcessingTime(std::string_view interval);
  static Trigger ProcessingTime(int64_t interval_ms);
  static Trigger Once();
  static Trigger AvailableNow();

  enum class Kind : uint8_t { kProcessingTime, kOnce, kAvailableNow };
  Kind kind() const { return kind_; }
  int64_t interval_ms() const { return interval_ms_; }
  /// The interval text of ProcessingTime(text), parsed by start().
  const std::string& interval_text() const { return interval_text_; }

 private:
  Kind kind_ = Kind::kProcessingTime;
  int64_t interval_ms_ = 0;
  std::string interval_text_;
};

/// spark.readStream.
class DataStreamReader {
 public:
  explicit DataStreamReader(std::shared_ptr<api_internal::SessionState> session)
      : session_(std::move(session)) {}
  /// "json", "csv", "parquet", "text", "delta", "rate", ...
  DataStreamReader& format(std::string_view format);
  DataStreamReader& option(std::string_view key, std::string_view value);
  DataStreamReader& options(const std::map<std::string, std::string>& options);
  /// The schema in DDL (required by the file formats).
  DataStreamReader& schema(std::string_view ddl);
  /// A streaming DataFrame over the source; `path` is the directory (files) or the
  /// table root (delta); sources such as rate take none.
  DataFrame load(std::string_view path = "");
  /// A Delta catalog table as a streaming source (its location from DESCRIBE DETAIL).
  DataFrame table(std::string_view name);
  DataFrame json(std::string_view path) { return format("json").load(path); }
  DataFrame csv(std::string_view path) { return format("csv").load(path); }
  DataFrame parquet(std::string_view path) { return format("parquet").load(path); }
  DataFrame text(std::string_view path) { return format("text").load(path); }

 private:
  std::shared_ptr<api_internal::SessionState> session_;
  std::string format_;
  std::vector<std::pair<std::string, std::string>> options_;
  std::string schema_;
};

/// A running (or ended) streaming query; copies share it. Safe for concurrent use.
class StreamingQuery {
 public:
  explicit StreamingQuery(std::shared_ptr<stream::StreamingQuery> query)
      : query_(std::move(query)) {}
  /// The id kept across restarts from the same checkpoint.
  std::string id() const;
  /// The id of this run.
  std::string runId() const;
  /// queryName, or "" when none was given.
  std::string name() const;
  bool isActive() const;
  StreamingQueryStatus status() const;
  std::optional<StreamingQueryProgress> lastProgress() const;
  std::vector<StreamingQueryProgress> recentProgress() const;
  /// Stops the query (a running batch finishes first) and waits for its thread.
  void stop();
  /// Waits for the query to end; with a timeout, returns false when it still runs.
  /// Returns the query's failure as the error.
  Result<bool> awaitTermination(std::optional<int64_t> timeout_ms = std::nullopt);
  /// Waits until all data available now is processed (for tests).
  Status processAllAvailable();
  /// The failure that ended the query, OK otherwise.
  Status exception() const;

  const std::shared_ptr<stream::StreamingQuery>& handle() const { return query_; }

 private:
  std::shared_ptr<stream::StreamingQuery> query_;
};

/// The callback of foreachBatch: the batch's rows as a DataFrame, and the batch id.
using ForeachBatchFunction = std::function<Status(const DataFrame& batch, int64_t batch_id)>;

/// df.writeStream.
class DataStreamWriter {
 public:
  explicit DataStreamWriter(DataFrame input) : input_(std::move(input)) {}
  /// "delta", "memory", "console", "foreachBatch" (set by foreachBatch()).
  DataStreamWriter& format(std::string_view format);
  /// "append" (default), "complete", "update".
  DataStreamWriter& outputMode(std::string_view mode);
  DataStreamWriter& option(std::string_view key, std::string_view value);
  DataStreamWriter& options(const std::map<std::string, std::string>& options);
  DataStreamWriter& partitionBy(const std::vector<std::string>& columns);
  DataStreamWriter& queryName(std::string_view name);
  DataStreamWriter& trigger(const Trigger& trigger);
  /// trigger(processingTime="2 seconds").
  DataStreamWriter& trigger(std::string_view processing_time);
  /// Runs `function` on every micro-batch (the session's SQL can query the DataFrame
  /// while the call lasts; the rows are dropped after it).
  DataStreamWriter& foreachBatch(ForeachBatchFunction function);
  /// Starts the query; `path` is the Delta table root (or option("path")).
  Result<StreamingQuery> start(std::string_view path = "");
  /// Starts the query writing to the catalog table `name` (created on the first batch).
  Result<StreamingQuery> toTable(std::string_view name);

 private:
  Result<StreamingQuery> Start(std::string path, std::string table);
  DataFrame input_;
  std::string format_;
  std::string output_mode_ = "append";
  std::vector<std::pair<std::string, std::string>> options_;
  std::vector<std::string> partition_by_;
  std::string query_name_;
  Trigger trigger_;
  ForeachBatchFunction foreach_batch_;
};

/// spark.streams.
class StreamingQueryManager {
 public:
  explicit StreamingQueryManager(std::shared_ptr<api_internal::SessionState> session)
      : session_(std::move(session)) {}
  /// The session's queries that are still running.
  std::vector<StreamingQuery> active() const;
  /// The active query with this id, if any.
  std::optional<StreamingQuery> get(std::string_view id) const;
  /// Adds a listener to every query started from now on (called on the queries'
  /// threads).
  void addListener(std::shared_ptr<StreamingQueryListener> listener);

 private:
  std::shared_ptr<api_internal::SessionState> session_;
};

}  // namespace sluice
