// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "expr/expression.h"
#include "expr/function.h"
#include "sql/ast.h"
#include "sql/binder.h"
#include "sql/logical_plan.h"

/// Shared by the binder's files: scopes, the binding contexts of aggregates and window
/// functions, and the expression binder.
namespace sluice::sql::internal {

/// A column visible to expressions: its qualifier (table alias or name parts), name and
/// type. Its position in Scope::columns is its index in the plan's output.
struct ScopeColumn {
  std::vector<std::string> qualifier;
  std::string name;
  TypePtr type;
  bool nullable = true;
  /// A side's key of a USING / NATURAL join: reachable only qualified (a.id, a.*), not
  /// by its bare name nor by an unqualified *, which see the merged key instead.
  bool hidden = false;
};

struct Scope {
  std::vector<ScopeColumn> columns;
  /// The enclosing query's scope, for error suggestions only (correlated subqueries are
  /// not supported).
  const Scope* outer = nullptr;
};

/// Makes a scope of `schema`'s columns, all qualified by `qualifier`.
Scope MakeScope(const Schema& schema, const std::vector<std::string>& qualifier);
/// Returns the schema of a scope's columns.
SchemaPtr ScopeSchema(const Scope& scope);

/// Index offsets of the extended column space select-list expressions are bound in:
/// [0, n) the FROM columns; kAggregateBase + k the k-th aggregate; kWindowBase + k the
/// k-th window call. Rewritten to real positions once the plan above FROM is built.
inline constexpr int kAggregateBase = 1 << 20;
inline constexpr int kWindowBase = 1 << 21;
/// kSubqueryBase + k: the k-th scalar subquery's value in an aggregating block, joined
/// after the aggregate.
inline constexpr int kSubqueryBase = 1 << 22;

/// Aggregates met while binding a query block's select list, HAVING and ORDER BY.
struct AggregateContext {
  std::vector<AggregateCall> calls;
  std::vector<std::string> keys;  // dedupes identical calls (same function and args)
};

/// Window calls met while binding a query block's select list and ORDER BY.
struct WindowContext {
  std::vector<WindowCall> calls;
};

/// A scalar subquery's plan as the binder's `bind` callback returns it: uncorrelated,
/// `plan` has one column (its rows are checked to be at most one); correlated by
/// equalities inner = outer (decorrelated as Spark does), `plan` is the subquery
/// aggregated by its inner keys, columns [keys..., value], to be left-joined on
/// outer_keys; `empty_value` is the value where no inner row matches (count(*) -> 0),
/// null when that is null.
struct BoundSubquery {
  PlanPtr plan;
  std::vector<expr::ExprPtr> outer_keys;  // over the outer scope's columns
  expr::ExprPtr empty_value;
};

/// One scalar subquery joined to the plan an expression runs over: its value becomes
/// the next column.
struct ScalarSubqueryJoin {
  PlanPtr plan;
  /// Correlated: the join keys (left over the outer columns, right over plan's) and the
  /// value over the joined columns; all empty/null for a one-row uncorrelated plan.
  std::vector<expr::ExprPtr> left_keys;
  std::vector<expr::ExprPtr> right_keys;
  expr::ExprPtr value;
};

/// Scalar subqueries met while binding an expression: each becomes one more column, at
/// base + k, of the plan the expression runs over (a left join; the caller adds the
/// joins with JoinScalarSubqueries).
struct ScalarSubqueryContext {
  int base = 0;
  /// When >= 0, expressions name subquery k as column placeholder + k instead of base +
  /// k (rewritten by the caller once it knows where the joins go).
  int placeholder = -1;
  std::vector<ScalarSubqueryJoin> plans;
  std::function<Result<BoundSubquery>(const QueryNode&)> bind;
};

/// Binds parsed expressions against a scope.
class ExprBinder {
 public:
  ExprBinder(const Scope& scope, const BinderOptions& options, const expr::EvalContext& eval,
             Binder& binder)
      : scope_(scope), options_(options), eval_(eval), binder_(binder) {}

  /// Allows aggregate calls (they bind to kAggregateBase + k).
  void set_aggregates(AggregateContext* aggregates) { aggregates_ = aggregates; }
  /// Allows window calls (they bind to kWindowBase + k).
  void set_windows(WindowContext* windows, const std::map<std::string, const WindowSpec*>* named) {
    windows_ = windows;
    named_windows_ = named;
  }

  /// Allows uncorrelated scalar subqueries.
  void set_scalar_subqueries(ScalarSubqueryContext* subqueries) { subqueries_ = subqueries; }

  Result<expr::ExprPtr> Bind(const ParsedExpr& parsed);
  /// Binds a boolean condition (WHERE, HAVING, ON, FILTER); `clause` names it in errors.
  Result<expr::ExprPtr> BindCondition(const ParsedExpr& parsed, std::string_view clause);

  /// Calls scalar function `name` on bound arguments (casts the arguments as the function
  /// asks). `call_sql` is the call as Spark prints it, for errors.
  Result<expr::ExprPtr> CallFunction(std::string_view name, std::vector<expr::ExprPtr> args,
                                     const std::string& call_sql);

 private:
  Result<expr::ExprPtr> BindLiteral(const ParsedExpr& parsed);
  Result<expr::ExprPtr> BindColumn(const ParsedExpr& parsed);
  Result<expr::ExprPtr> BindBinary(const ParsedExpr& parsed);
  Result<expr::ExprPtr> BindFunction(const ParsedExpr& parsed);
  Result<expr::ExprPtr> BindAggregate(const ParsedExpr& parsed, const expr::FunctionEntry& entry);
  Result<expr::ExprPtr> BindWindow(const ParsedExpr& parsed, const expr::FunctionEntry& entry);
  Result<expr::ExprPtr> BindCase(const ParsedExpr& parsed);
  Result<expr::ExprPtr> BindCast(const ParsedExpr& parsed);
  Result<expr::ExprPtr> BindInterval(const ParsedExpr& left, const ParsedExpr& interval,
                                     bool subtract, const ParsedExpr& whole);
  Result<std::vector<expr::ExprPtr>> BindArgs(const ParsedExpr& parsed);
  Result<expr::ExprPtr> BindScalarSubquery(const ParsedExpr& parsed);
  Result<expr::ExprPtr> BindCorrelatedSubquery(BoundSubquery bound);
  /// The column naming the last subquery added.
  expr::ExprPtr SubqueryColumn(const TypePtr& type) const;
  Status UnresolvedColumn(const ParsedExpr& parsed) const;

  const Scope& scope_;
  const BinderOptions& options_;
  const expr::EvalContext& eval_;
  Binder& binder_;
  AggregateContext* aggregates_ = nullptr;
  WindowContext* windows_ = nullptr;
  const std::map<std::string, const WindowSpec*>* named_windows_ = nullptr;
  ScalarSubqueryContext* subqueries_ = nullptr;
};

/// GROUP BY with ROLLUP, CUBE or GROUPING SETS: the distinct grouping expressions and
/// the sets of them (indices into groups) to aggregate by, in Spark's order.
struct GroupingSets {
  std::vector<expr::ExprPtr> groups;
  std::vector<std::vector<int>> sets;
  /// Whether two sets hold the same expressions (each set then keeps its own groups).
  bool HasDuplicateSets() const;
};

/// Whether a GROUP BY item is rollup(...), cube(...) or the parser's grouping_sets(...).
bool IsGroupingAnalytics(const ParsedExpr& parsed);

/// Binds GROUP BY items (plain expressions and grouping analytics, crossed as Spark
/// does: GROUP BY a, ROLLUP(b, c) is the sets (a, b, c), (a, b), (a)); `bind_group`
/// binds one grouping expression.
Result<GroupingSets> BindGroupingSets(
    const std::vector<ParsedExprPtr>& items,
    const std::function<Result<expr::ExprPtr>(const ParsedExpr&)>& bind_group);

/// Spark's Expand: `input` once per set (a UNION ALL), each row followed by the grouping
/// expressions (null where the set leaves them out), the grouping id (bigint: bit
/// n-1-i set when expression i is left out) and, when sets repeat, the set's position.
PlanPtr ExpandGroupingSets(const PlanPtr& input, const GroupingSets& grouping);

/// Replaces grouping(x) and grouping_id(...) calls in `value` by expressions over
/// `grouping_id`; without grouping sets (`grouping` null) such a call is an error.
Result<expr::ExprPtr> ReplaceGroupingCalls(const expr::ExprPtr& value, const GroupingSets* grouping,
                                           const expr::ExprPtr& grouping_id, const Scope& scope,
                                           ExprBinder& binder);

/// Left-joins `plan` with each scalar subquery (their values follow plan's columns).
PlanPtr JoinScalarSubqueries(PlanPtr plan, const std::vector<ScalarSubqueryJoin>& subqueries);

/// Casts `expr` to `type` unless it already has it.
expr::ExprPtr CastIfNeeded(expr::ExprPtr expr, const TypePtr& type);

/// Returns " (line L, pos P)" for errors, Spark's position suffix.
std::string PositionSuffix(const SourcePosition& position);

/// The value of table function `function`'s argument `name`, which must be a constant
/// (cast to STRING): Spark's NON_FOLDABLE_ARGUMENT or INVALID_PARAMETER_VALUE.NULL bind
/// errors otherwise, ending with `at` (the call's PositionSuffix).
Result<std::string> ConstantStringArgument(Binder& binder, const ParsedExpr& value,
                                           std::string_view function, std::string_view name,
                                           std::string_view at);

/// Quotes a name with backticks as Spark prints identifiers.
std::string QuoteIdentifier(std::string_view name);

/// Spark's type name in errors: "INT", "STRING", "ARRAY<INT>".
std::string SqlTypeName(const TypePtr& type);

}  // namespace sluice::sql::internal
