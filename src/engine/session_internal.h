// SPDX-License-Identifier: Apache-2.0
#pragma once

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

/// Resolves table names through the catalog and the session's current database.
class CatalogResolver final : public sql::TableResolver {
 public:
  CatalogResolver(catalog::Catalog& catalog, const std::string& current_database)
      : catalog_(catalog), current_database_(current_database) {}
  Result<sql::ResolvedTable> ResolveTable(const sql::QualifiedName& name) override;

 private:
  catalog::Catalog& catalog_;
  const std::string& current_database_;
};

struct Session::Impl {
  SessionOptions options;
  std::unique_ptr<catalog::Catalog> catalog;
  std::unique_ptr<ThreadPool> pool;
  std::map<std::string, std::string> settings;
  std::string current_database = std::string(catalog::kDefaultDatabase);

  /// Runs one parsed statement.
  Result<QueryResult> Run(const sql::Statement& statement);

  // Settings (session.cc).
  std::string Setting(std::string_view key) const;
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
