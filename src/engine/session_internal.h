// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/thread_pool.h"
#include "engine/session.h"
#include "exec/executor.h"
#include "sql/ast.h"
#include "sql/binder.h"

namespace sluice::engine {

/// Settings with their defaults (SET shows these names).
inline constexpr std::string_view kTimeZoneKey = "spark.sql.session.timeZone";
inline constexpr std::string_view kAnsiKey = "spark.sql.ansi.enabled";
inline constexpr std::string_view kShufflePartitionsKey = "spark.sql.shuffle.partitions";
inline constexpr std::string_view kMemoryLimitKey = "sluice.sql.memoryLimit";
inline constexpr std::string_view kSpillDirKey = "sluice.sql.spillDir";
inline constexpr std::string_view kPartitionOverwriteModeKey =
    "spark.sql.sources.partitionOverwriteMode";

/// Produces the rows of a temporary relation when a query names it (a memory sink's
/// table returns its latest snapshot).
using TempRelationProvider = std::function<std::shared_ptr<const sql::InMemoryRelation>()>;
/// Temporary relations by lower-cased name.
using TempRelations = std::map<std::string, TempRelationProvider>;

/// Resolves table names through the session's temporary relations (single-part names,
/// which shadow tables as Spark's temp views do), then the catalog and the session's
/// current database.
class CatalogResolver final : public sql::TableResolver {
 public:
  CatalogResolver(catalog::Catalog& catalog, const std::string& current_database,
                  const TempRelations* temps = nullptr)
      : catalog_(catalog), current_database_(current_database), temps_(temps) {}
  Result<sql::ResolvedTable> ResolveTable(const sql::QualifiedName& name) override;
  /// read_kafka: stream::ReadKafka's records (streaming.cc).
  Result<std::shared_ptr<const sql::InMemoryRelation>> ReadTableFunction(
      std::string_view function, const OptionList& options) override;

 private:
  catalog::Catalog& catalog_;
  const std::string& current_database_;
  const TempRelations* temps_;
};

/// A streaming table's query, rewritten to read its sources by generated names.
struct StreamingTablePlan {
  std::string table;  // `db`.`name` as written
  std::shared_ptr<const sql::QueryNode> query;
  std::vector<std::pair<std::string, stream::SourceSpec>> sources;
  StreamWriteSpec write;
};

struct Session::Impl {
  SessionOptions options;
  std::unique_ptr<catalog::Catalog> catalog;
  std::unique_ptr<ThreadPool> pool;
  std::map<std::string, std::string> settings;
  std::string current_database = std::string(catalog::kDefaultDatabase);
  TempRelations temp_relations;
  /// current_timestamp() for the statements run while set: a micro-batch's
  /// batchTimestampMs, so a re-run batch computes what its first attempt did.
  std::optional<int64_t> fixed_now_micros;
  /// Streaming queries this session started.
  std::vector<std::shared_ptr<stream::StreamingQuery>> queries;
  std::vector<std::shared_ptr<stream::StreamingQueryListener>> listeners;

  /// Runs one parsed statement.
  Result<QueryResult> Run(const sql::Statement& statement);

  // Settings (session.cc).
  std::string Setting(std::string_view key) const;
  /// `sql` with ${...} references replaced (Spark's spark.sql.variable.substitute).
  std::string Substitute(std::string_view sql) const;
  sql::BinderOptions MakeBinderOptions() const;
  exec::ExecOptions MakeExecOptions(const expr::EvalContext& eval) const;
  Result<QueryResult> RunSet(const sql::Statement& statement);

  // Queries (session.cc).
  /// Binds, optimizes and runs a query.
  Result<QueryResult> RunQuery(const sql::QueryNode& query);
  /// Binds and optimizes a query (for INSERT/CTAS/EXPLAIN).
  Result<sql::BoundQuery> PlanQuery(const sql::QueryNode& query, sql::Binder& binder);

  // DDL and DML (ddl.cc).
  Result<QueryResult> RunCreateTable(const sql::Statement& statement);
  Result<QueryResult> RunInsert(const sql::Statement& statement);
  Result<QueryResult> RunDropTable(const sql::Statement& statement);
  Result<QueryResult> RunAlterTable(const sql::Statement& statement);
  Result<QueryResult> RunDatabaseStatement(const sql::Statement& statement);

  // Streaming (streaming.cc).
  /// Starts `query` (whose FROM items name the sources by the keys of `sources`).
  Result<std::shared_ptr<stream::StreamingQuery>> StartStreamingQuery(
      std::shared_ptr<const sql::QueryNode> query,
      std::vector<std::pair<std::string, stream::SourceSpec>> sources, StreamWriteSpec write);
  /// Returns the location of catalog table `name` ([db.]table), creating it with `schema`
  /// (nullable), partitioning, properties and comment when it does not exist.
  Result<std::string> EnsureStreamingTable(
      const std::string& name, const SchemaPtr& schema,
      const std::vector<std::string>& partition_by,
      const std::vector<std::pair<std::string, std::string>>& properties,
      const std::string& comment);
  /// Plans CREATE STREAMING TABLE: sources for its STREAM refs, the table sink.
  Result<StreamingTablePlan> PlanStreamingTable(const sql::Statement& statement);
  Result<QueryResult> RunCreateStreamingTable(const sql::Statement& statement);

  // SHOW / DESCRIBE / EXPLAIN (describe.cc).
  Result<QueryResult> RunShow(const sql::Statement& statement);
  Result<QueryResult> RunDescribe(const sql::Statement& statement);
  Result<QueryResult> RunExplain(const sql::Statement& statement);
};

/// One row of a string result set; an empty optional is NULL.
using StringRow = std::vector<std::optional<std::string>>;
/// A result set of string columns named `columns`.
QueryResult StringRows(const std::vector<std::string>& columns, const std::vector<StringRow>& rows);
/// A result without rows (DDL, DML, SET of nothing).
QueryResult NoRows(std::string statement);

}  // namespace sluice::engine
