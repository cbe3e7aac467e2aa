// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/file_system.h"
#include "common/result.h"
#include "expr/function.h"
#include "formats/option_map.h"
#include "sql/ast.h"
#include "sql/logical_plan.h"

namespace sluice::sql {

/// Rows held in memory under a name: a memory sink's table, a micro-batch's input, a
/// foreachBatch DataFrame. The binder reads them as a ValuesNode.
struct InMemoryRelation {
  SchemaPtr schema;
  std::vector<BatchPtr> batches;
};

/// A table name resolved by the session's catalog.
struct ResolvedTable {
  /// The name as Spark prints it: `spark_catalog`.`default`.`orders` is shown as
  /// `default`.`orders`.
  std::string display_name;
  /// The Delta table root.
  std::string table_root;
  /// When set, the name stands for these rows instead of a Delta table.
  std::shared_ptr<const InMemoryRelation> data;
};

/// What the binder asks of the catalog. Implemented by the engine.
class TableResolver {
 public:
  virtual ~TableResolver() = default;
  /// Resolves `[db.]table`. kNotFound with Spark's [TABLE_OR_VIEW_NOT_FOUND] text.
  virtual Result<ResolvedTable> ResolveTable(const QualifiedName& name) = 0;
  /// Reads a batch table function whose rows come from outside the binder's modules:
  /// read_kafka (`function`, lower case) with its arguments resolved to the Kafka
  /// source's options. The default has no such functions and fails with
  /// [UNRESOLVABLE_TABLE_VALUED_FUNCTION].
  virtual Result<std::shared_ptr<const InMemoryRelation>> ReadTableFunction(
      std::string_view function, const OptionList& options);
};

/// Settings the binder reads.
struct BinderOptions {
  bool ansi = false;
  std::string time_zone = "UTC";
  /// The query's start (current_timestamp()), micros since the epoch.
  int64_t now_micros = 0;
  FileSystem* fs = nullptr;  // nullptr: LocalFileSystem::Default()
};

/// The result of binding a query.
struct BoundQuery {
  PlanPtr plan;
  /// True when the query's output order is defined by its ORDER BY.
  bool ordered = false;
};

/// Resolves parsed queries into logical plans: names against the catalog and the
/// query's scopes, functions against the registry, Spark's type coercion and output
/// column names. Errors are kBindError (kNotFound for tables) with Spark's error class
/// first: [UNRESOLVED_COLUMN.WITH_SUGGESTION], [AMBIGUOUS_REFERENCE],
/// [UNRESOLVED_ROUTINE], [DATATYPE_MISMATCH.*], [MISSING_AGGREGATION], ...
class Binder {
 public:
  Binder(TableResolver& resolver, BinderOptions options);
  ~Binder();

  Result<BoundQuery> BindQuery(const QueryNode& query);
  /// Binds an expression over the columns of `schema` (no aggregates), e.g. a
  /// DataFrame filter string.
  Result<expr::ExprPtr> BindExpression(const ParsedExpr& expr, const SchemaPtr& schema);
  /// Returns the snapshot of a table reference (kNamed or kPath delta) with its time
  /// travel applied, for DDL and DESCRIBE.
  Result<delta::SnapshotPtr> LoadTable(const TableRef& table, std::string* display_name);
  /// Resolves a table reference to its Delta table root (the table need not exist for
  /// a delta.`path`).
  Result<ResolvedTable> ResolveTableRoot(const TableRef& table);

  const expr::EvalContext& eval_context() const { return eval_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  expr::EvalContext eval_;
};

/// Spark's name for an unaliased select item: `a`, `(a + 1)`, `count(1)`, `sum(x)`,
/// `CAST(x AS INT)`, `upper(name)`.
std::string PrettyName(const ParsedExpr& expr);

}  // namespace sluice::sql
