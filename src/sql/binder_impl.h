// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sql/binder.h"
#include "sql/binder_internal.h"

namespace sluice::sql {

namespace internal {

/// A bound FROM item or query: its plan and the names its columns answer to.
struct BoundRelation {
  PlanPtr plan;
  Scope scope;
};

/// Evaluates a constant integer expression (LIMIT, OFFSET, table function arguments).
Result<int64_t> EvaluateInteger(const ParsedExpr& parsed, const Scope& scope,
                                const BinderOptions& options, const expr::EvalContext& eval,
                                Binder& binder, std::string_view clause,
                                bool allow_negative = false);

}  // namespace internal

/// The binder's state while binding one statement.
struct Binder::Impl {
  Impl(TableResolver& resolver, BinderOptions options, const expr::EvalContext& eval,
       Binder& binder);

  // Queries (binder.cc).
  Result<internal::BoundRelation> BindQueryNode(const QueryNode& query,
                                                const internal::Scope* outer, bool* ordered);
  Result<internal::BoundRelation> BindQueryBody(const QueryNode& query,
                                                const internal::Scope* outer, bool* ordered);
  Result<internal::BoundRelation> BindBody(const QueryBody& body, const internal::Scope* outer);
  Result<internal::BoundRelation> BindSetOp(const QueryBody& body, const internal::Scope* outer);
  Result<internal::BoundRelation> BindOutputOrderBy(internal::BoundRelation relation,
                                                    const std::vector<OrderItem>& order_by);
  Result<internal::BoundRelation> BindValues(const std::vector<std::vector<ParsedExprPtr>>& rows,
                                             const std::vector<std::string>& names,
                                             const SourcePosition& position);
  Result<expr::ExprPtr> OrdinalColumn(const ParsedExpr& literal, const internal::Scope& scope,
                                      std::string_view clause);
  static SortKey MakeSortKey(expr::ExprPtr key, const OrderItem& item);
  /// Casts the plan's columns to `types` (and renames them to `names` when given).
  static PlanPtr CastPlan(const PlanPtr& plan, const std::vector<TypePtr>& types,
                          const std::vector<std::string>* names);
  const CommonTableExpr* FindCte(std::string_view name) const;

  // Query blocks (bind_select.cc).
  Result<internal::BoundRelation> BindSelect(const SelectCore& select,
                                             const std::vector<OrderItem>* order_by,
                                             const internal::Scope* outer);
  Result<internal::BoundRelation> BindWhere(internal::BoundRelation relation,
                                            const ParsedExpr& where);
  /// `x [NOT] IN (subquery)` as a semi (anti, null-aware) join.
  Result<PlanPtr> BindInSubquery(const PlanPtr& left, const internal::Scope& scope,
                                 const ParsedExpr& conjunct);
  /// A scalar subquery: uncorrelated, or correlated by inner = outer conjuncts of its
  /// WHERE and aggregated (decorrelated into a plan grouped by the inner keys).
  Result<internal::BoundSubquery> BindValueSubquery(const QueryNode& query,
                                                    const internal::Scope& scope);
  /// `[NOT] EXISTS (subquery)` as a semi (anti) join, decorrelating simple subqueries.
  Result<PlanPtr> BindExists(const PlanPtr& left, const internal::Scope& scope,
                             const ParsedExpr& conjunct);

  // FROM items (bind_from.cc).
  Result<internal::BoundRelation> BindFrom(const TableRef& table, const internal::Scope* outer);
  Result<internal::BoundRelation> BindNamedTable(const TableRef& table);
  Result<internal::BoundRelation> BindPathTable(const TableRef& table);
  /// A name the catalog resolved to rows in memory: a ValuesNode over them.
  Result<internal::BoundRelation> BindInMemoryTable(const TableRef& table,
                                                    const ResolvedTable& resolved);
  Result<internal::BoundRelation> BindJoin(const TableRef& table, const internal::Scope* outer);
  Result<internal::BoundRelation> BindTableFunction(const TableRef& table);
  /// read_files(path, option => value, ...) (bind_read_files.cc).
  Result<internal::BoundRelation> BindReadFiles(const TableRef& table);
  /// `left LATERAL VIEW [OUTER] generator(args) alias [AS] columns`: a Generate node.
  Result<internal::BoundRelation> BindLateralView(const TableRef& table,
                                                  const internal::Scope* outer);
  /// table_changes('table', start[, end]) (bind_table_changes.cc).
  Result<internal::BoundRelation> BindTableChanges(const TableRef& table);
  Result<delta::SnapshotPtr> LoadSnapshot(const ResolvedTable& table,
                                          const std::optional<TimeTravel>& time_travel,
                                          const SourcePosition& position);
  /// Makes a join of `left` and `right` on `condition` (over left then right columns),
  /// splitting equality conjuncts into keys.
  Result<PlanPtr> MakeJoin(PlanPtr left, PlanPtr right, JoinKind kind, expr::ExprPtr condition,
                           const SchemaPtr& schema);
  /// Applies a relation alias and column aliases.
  static Result<internal::BoundRelation> ApplyAlias(internal::BoundRelation relation,
                                                    const TableRef& table);

  TableResolver& resolver;
  BinderOptions options;
  const expr::EvalContext& eval;
  Binder& binder;
  FileSystem* fs = nullptr;
  /// CTEs in scope, innermost last, by lower-cased name.
  std::vector<std::map<std::string, const CommonTableExpr*>> ctes;
};

}  // namespace sluice::sql
