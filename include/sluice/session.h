// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "sluice/dataframe.h"

namespace sluice {

namespace engine {
class Session;
}  // namespace engine

class DataStreamReader;
class StreamingQueryManager;

/// How a session opens (the builder's settings).
struct SessionOptions {
  /// Where managed tables and the catalog live.
  std::string warehouse_dir = "sluice-warehouse";
  /// Threads per query; 0 = the number of cores.
  int num_threads = 0;
  /// Initial settings, e.g. {"spark.sql.session.timeZone", "UTC"}.
  std::map<std::string, std::string> settings;
};

/// spark.read: a batch read of files or a Delta table.
class DataFrameReader {
 public:
  explicit DataFrameReader(std::shared_ptr<api_internal::SessionState> session)
      : session_(std::move(session)) {}
  /// "delta", "json", "csv", "parquet" (lower case; default "delta").
  DataFrameReader& format(std::string_view format);
  DataFrameReader& option(std::string_view key, std::string_view value);
  DataFrameReader& options(const std::map<std::string, std::string>& options);
  /// The schema in DDL ("id BIGINT, name STRING").
  DataFrameReader& schema(std::string_view ddl);
  /// Reads the files or Delta table at `path`. Delta reads take the options versionAsOf
  /// and timestampAsOf. Files are read through the SQL path reference (json.`path`)
  /// when neither a schema nor options are given, else loaded into memory when this
  /// is called (with the format's reader options and the given schema).
  DataFrame load(std::string_view path);
  DataFrame table(std::string_view name);
  DataFrame json(std::string_view path) { return format("json").load(path); }
  DataFrame csv(std::string_view path) { return format("csv").load(path); }
  DataFrame parquet(std::string_view path) { return format("parquet").load(path); }
  DataFrame delta(std::string_view path) { return format("delta").load(path); }

 private:
  std::shared_ptr<api_internal::SessionState> session_;
  std::string format_ = "delta";
  std::vector<std::pair<std::string, std::string>> options_;
  std::string schema_;
};

/// spark.conf: runtime settings (SET key = value).
class RuntimeConfig {
 public:
  explicit RuntimeConfig(std::shared_ptr<api_internal::SessionState> session)
      : session_(std::move(session)) {}
  Status set(std::string_view key, std::string_view value);
  /// The value, or "" when unset.
  std::string get(std::string_view key) const;

 private:
  std::shared_ptr<api_internal::SessionState> session_;
};

/// The entry point (PySpark's SparkSession): a handle over an engine session; copies
/// share it. Like a Spark session's SQL calls, use it from one thread at a time
/// (streaming queries run on their own threads).
class Session {
 public:
  class Builder {
   public:
    Builder& warehouse(std::string_view dir);
    Builder& config(std::string_view key, std::string_view value);
    Builder& threads(int num_threads);
    /// Accepted for familiarity; the name is not used.
    Builder& appName(std::string_view name);
    /// Opens a new session (there is no global session to reuse).
    Result<Session> getOrCreate();

   private:
    SessionOptions options_;
  };

  static Builder builder() { return Builder(); }
  static Result<Session> Open(SessionOptions options);

  /// Runs SQL. A query returns a lazy DataFrame; any other statement (DDL, INSERT,
  /// SET, SHOW, DESCRIBE) runs now, as in Spark, and its rows come back as a DataFrame.
  Result<DataFrame> sql(std::string_view text);
  DataFrameReader read() const { return DataFrameReader(state_); }
  DataStreamReader readStream() const;
  /// A catalog table or a temporary view (createOrReplaceTempView).
  DataFrame table(std::string_view name) const;
  /// range(end) / range(start, end, step): one BIGINT column "id".
  DataFrame range(int64_t end) const { return range(0, end, 1); }
  DataFrame range(int64_t start, int64_t end, int64_t step = 1) const;
  /// A DataFrame over rows in memory (a temporary relation of the engine session).
  DataFrame createDataFrame(SchemaPtr schema, std::vector<BatchPtr> batches) const;
  RuntimeConfig conf() const { return RuntimeConfig(state_); }
  StreamingQueryManager streams() const;
  /// The engine session underneath.
  engine::Session& engine() const;

  /// Internal: the handle of a session's shared state.
  static Session FromState(std::shared_ptr<api_internal::SessionState> state) {
    return Session(std::move(state));
  }
  const std::shared_ptr<api_internal::SessionState>& state() const { return state_; }

 private:
  explicit Session(std::shared_ptr<api_internal::SessionState> state) : state_(std::move(state)) {}
  std::shared_ptr<api_internal::SessionState> state_;
};

}  // namespace sluice
