// SPDX-License-Identifier: Apache-2.0
// Binding one query block: SELECT list, WHERE, GROUP BY, HAVING, windows, generators,
// DISTINCT and ORDER BY.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

#include "columnar/builder.h"
#include "common/ascii.h"
#include "expr/evaluator.h"
#include "expr/type_coercion.h"
#include "sql/binder_impl.h"

namespace sluice::sql {

using expr::Expression;
using expr::ExprPtr;
using internal::AggregateContext;
using internal::BoundRelation;
using internal::ExprBinder;
using internal::kAggregateBase;
using internal::kSubqueryBase;
using internal::kWindowBase;
using internal::Scope;
using internal::ScopeColumn;
using internal::WindowContext;

namespace {

/// One column of the block's projection.
struct OutputColumn {
  ExprPtr expr;
  std::string name;
  bool hidden = false;  // an ORDER BY expression not in the select list
};

/// The name of an unaliased select item, as Spark's ResolveAliases gives it: a CAST of a
/// column keeps the column's name (`CAST(value AS STRING)` is `value`), anything else
/// its pretty SQL.
std::string ItemName(const ParsedExpr& parsed) {
  if (parsed.kind == ExprKind::kCast && !parsed.try_cast && parsed.children.size() == 1 &&
      parsed.children[0]->kind == ExprKind::kColumnRef && parsed.children[0]->name.size() == 1) {
    return parsed.children[0]->name.back();
  }
  return PrettyName(parsed);
}

/// A generator in the select list.
struct GeneratorUse {
  expr::BoundGenerator generator;
  std::vector<ExprPtr> args;
  bool outer = false;
};

void CollectConjuncts(const ParsedExpr& parsed, std::vector<const ParsedExpr*>* conjuncts) {
  if (parsed.kind == ExprKind::kBinary && EqualsIgnoreCase(parsed.text, "AND")) {
    CollectConjuncts(*parsed.children[0], conjuncts);
    CollectConjuncts(*parsed.children[1], conjuncts);
    return;
  }
  conjuncts->push_back(&parsed);
}

bool HasPlaceholder(const ExprPtr& value, int from) {
  if (value->kind() == expr::ExprKind::kColumn) {
    return value->column_index() >= from;
  }
  for (const ExprPtr& child : value->children()) {
    if (HasPlaceholder(child, from)) {
      return true;
    }
  }
  return false;
}

/// Rewrites an expression bound over FROM columns, aggregates and windows to the output of
/// the aggregate: group expressions and aggregates become columns of it.
Result<ExprPtr> RewriteAggregated(const ExprPtr& value, const std::vector<std::string>& group_keys,
                                  const Scope& scope) {
  const std::string key = value->ToString();
  for (size_t i = 0; i < group_keys.size(); ++i) {
    if (group_keys[i] == key) {
      return Expression::Column(static_cast<int>(i), value->type(), value->nullable());
    }
  }
  if (value->kind() == expr::ExprKind::kColumn) {
    const int index = value->column_index();
    if (index >= kWindowBase) {
      return value;
    }
    if (index >= kAggregateBase) {
      return Expression::Column(static_cast<int>(group_keys.size()) + index - kAggregateBase,
                                value->type(), value->nullable());
    }
    const std::string name = index < static_cast<int>(scope.columns.size())
                                 ? scope.columns[index].name
                                 : value->ToString();
    return Status::BindError(fmt::format(
        "[MISSING_AGGREGATION] The non-aggregating expression \"{}\" is based on columns which "
        "are not participating in the GROUP BY clause. Add the columns or the expression to the "
        "GROUP BY, aggregate the expression, or use \"any_value({})\" if you do not care which of "
        "the values within a group is returned.",
        name, name));
  }
  if (value->children().empty()) {
    return value;
  }
  std::vector<ExprPtr> children;
  for (const ExprPtr& child : value->children()) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr rewritten, RewriteAggregated(child, group_keys, scope));
    children.push_back(std::move(rewritten));
  }
  return value->WithChildren(std::move(children));
}

/// Replaces window placeholders kWindowBase + k by column base + k.
ExprPtr RewriteWindows(const ExprPtr& value, int base) {
  return expr::ReplaceColumns(value, [base](const ExprPtr& column) {
    const int index = column->column_index();
    return index >= kWindowBase && index < kSubqueryBase
               ? Expression::Column(base + index - kWindowBase, column->type(), column->nullable())
               : column;
  });
}

/// Replaces alias pseudo-columns [alias_base, ...) by the select items they name.
ExprPtr SubstituteAliases(const ExprPtr& value, int alias_base,
                          const std::vector<OutputColumn>& outputs) {
  return expr::ReplaceColumns(value, [&](const ExprPtr& column) {
    const int index = column->column_index();
    return index >= alias_base && index < kAggregateBase ? outputs[index - alias_base].expr
                                                         : column;
  });
}

/// The FROM scope plus select aliases that do not shadow a FROM column, for HAVING and
/// ORDER BY (Spark resolves both against the select list's aliases too).
Scope AliasScope(const Scope& scope, const std::vector<OutputColumn>& outputs) {
  Scope extended = scope;
  for (const OutputColumn& output : outputs) {
    bool shadows = false;
    for (const ScopeColumn& column : scope.columns) {
      shadows = shadows || EqualsIgnoreCase(column.name, output.name);
    }
    // Unusable aliases still take a slot so positions line up with `outputs`.
    extended.columns.push_back(
        {{}, shadows ? std::string() : output.name, output.expr->type(), output.expr->nullable()});
  }
  return extended;
}

bool IsAggregated(const SelectCore& select, const AggregateContext& aggregates) {
  return !select.group_by.empty() || select.group_by_all || !aggregates.calls.empty() ||
         select.having != nullptr;
}

/// Applies `fn` to every expression of the block above FROM: the select list, HAVING (when
/// set) and the window calls' arguments, partitions and orders.
Status RewriteBlock(std::vector<OutputColumn>* outputs, ExprPtr* having, WindowContext* windows,
                    const std::function<Result<ExprPtr>(const ExprPtr&)>& fn) {
  for (OutputColumn& output : *outputs) {
    SLUICE_ASSIGN_OR_RETURN(output.expr, fn(output.expr));
  }
  if (*having != nullptr) {
    SLUICE_ASSIGN_OR_RETURN(*having, fn(*having));
  }
  for (WindowCall& call : windows->calls) {
    for (ExprPtr& arg : call.args) {
      SLUICE_ASSIGN_OR_RETURN(arg, fn(arg));
    }
    for (ExprPtr& part : call.partition_by) {
      SLUICE_ASSIGN_OR_RETURN(part, fn(part));
    }
    for (SortKey& key : call.order_by) {
      SLUICE_ASSIGN_OR_RETURN(key.expr, fn(key.expr));
    }
  }
  return Status::Ok();
}

/// Scalar subqueries of an aggregating block are joined after the aggregate: they must be
/// uncorrelated (those inside aggregate arguments are refused when bound).
Status CheckSubqueriesAfterAggregate(const internal::ScalarSubqueryContext& subqueries) {
  for (const internal::ScalarSubqueryJoin& join : subqueries.plans) {
    if (!join.left_keys.empty()) {
      return Status::NotImplemented(
          "[UNSUPPORTED_FEATURE] A correlated scalar subquery in the SELECT list of an "
          "aggregation is not supported yet; aggregate in a subquery of FROM first.");
    }
  }
  return Status::Ok();
}

Status CheckSupported(const SelectCore& select) {
  if (select.qualify != nullptr) {
    return Status::NotImplemented(
        fmt::format("[UNSUPPORTED_FEATURE] QUALIFY is not supported yet{}",
                    internal::PositionSuffix(select.qualify->position)));
  }
  return Status::Ok();
}

}  // namespace

Result<PlanPtr> Binder::Impl::BindInSubquery(const PlanPtr& left, const Scope& scope,
                                             const ParsedExpr& conjunct) {
  bool ordered = false;
  SLUICE_ASSIGN_OR_RETURN(BoundRelation sub, BindQueryNode(*conjunct.subquery, &scope, &ordered));
  if (sub.plan->schema()->num_fields() != 1) {
    return Status::BindError(fmt::format(
        "[DATATYPE_MISMATCH.IN_SUBQUERY_LENGTH_MISMATCH] Cannot resolve \"{}\" due to data type "
        "mismatch: The number of columns in the left hand side of an IN subquery does not match "
        "the number of columns in the output of subquery. Left hand side columns(length: 1), "
        "right hand side columns(length: {}).{}",
        PrettyName(conjunct), sub.plan->schema()->num_fields(),
        internal::PositionSuffix(conjunct.position)));
  }
  ExprBinder expr_binder(scope, options, eval, binder);
  SLUICE_ASSIGN_OR_RETURN(ExprPtr left_key, expr_binder.Bind(*conjunct.children[0]));
  const Field& right_field = sub.plan->schema()->field(0);
  TypePtr type = expr::ComparisonType(left_key->type(), right_field.type, eval.ansi);
  if (type == nullptr) {
    return Status::BindError(fmt::format(
        "[DATATYPE_MISMATCH.IN_SUBQUERY_DATA_TYPE_MISMATCH] Cannot resolve \"{}\" due to data "
        "type mismatch: The data type of one or more elements in the left hand side of an IN "
        "subquery is not compatible with the data type of the output of the subquery. Mismatched "
        "columns: [{}, {}].{}",
        PrettyName(conjunct), internal::SqlTypeName(left_key->type()),
        internal::SqlTypeName(right_field.type), internal::PositionSuffix(conjunct.position)));
  }
  left_key = internal::CastIfNeeded(left_key, type);
  ExprPtr right_key =
      internal::CastIfNeeded(Expression::Column(0, right_field.type, right_field.nullable), type);
  PlanPtr probe = left;
  if (conjunct.negated) {
    // NOT IN is null-aware: a row passes only when the subquery is empty, or when its value
    // is not null and the subquery holds no null (and no equal value: the anti join).
    ExprBinder sub_binder(sub.scope, options, eval, binder);
    SLUICE_ASSIGN_OR_RETURN(ExprPtr is_null,
                            sub_binder.CallFunction("isnull", {right_key}, "isnull"));
    expr::BindContext context{eval.ansi, eval.time_zone, "count"};
    const expr::FunctionRegistry& registry = expr::FunctionRegistry::Default();
    AggregateCall total;
    SLUICE_ASSIGN_OR_RETURN(total.function, registry.Find("count")->aggregate({}, {}, context));
    total.display = "count(1)";
    AggregateCall nulls;
    SLUICE_ASSIGN_OR_RETURN(nulls.function,
                            registry.Find("count_if")->aggregate({is_null}, {}, context));
    nulls.args = {is_null};
    nulls.display = "count_if(isnull)";
    SchemaPtr stats_schema = MakeSchema({MakeField("total", total.function.return_type, false),
                                         MakeField("nulls", nulls.function.return_type, false)});
    auto stats = std::make_shared<AggregateNode>(stats_schema, sub.plan, std::vector<ExprPtr>{},
                                                 std::vector<AggregateCall>{total, nulls});
    const int width = left->schema()->num_fields();
    std::vector<Field> fields = left->schema()->fields();
    fields.push_back(stats_schema->field(0));
    fields.push_back(stats_schema->field(1));
    SchemaPtr crossed_schema = MakeSchema(std::move(fields));
    auto crossed = std::make_shared<JoinNode>(crossed_schema, left, stats, JoinKind::kCross);
    Scope crossed_scope = internal::MakeScope(*crossed_schema, {});
    ExprBinder cross_binder(crossed_scope, options, eval, binder);
    ExprPtr zero = Expression::Literal(expr::MakeLongScalar(0));
    ExprPtr total_column = Expression::Column(width, stats_schema->field(0).type, false);
    ExprPtr nulls_column = Expression::Column(width + 1, stats_schema->field(1).type, false);
    SLUICE_ASSIGN_OR_RETURN(ExprPtr empty,
                            cross_binder.CallFunction("=", {total_column, zero}, "="));
    SLUICE_ASSIGN_OR_RETURN(ExprPtr no_nulls,
                            cross_binder.CallFunction("=", {nulls_column, zero}, "="));
    SLUICE_ASSIGN_OR_RETURN(ExprPtr present,
                            cross_binder.CallFunction("isnotnull", {left_key}, "isnotnull"));
    ExprPtr keep = Expression::Or(empty, Expression::And(present, no_nulls));
    PlanPtr filtered = std::make_shared<FilterNode>(crossed, keep);
    std::vector<ExprPtr> columns;
    for (int i = 0; i < width; ++i) {
      const Field& field = left->schema()->field(i);
      columns.push_back(Expression::Column(i, field.type, field.nullable));
    }
    probe = std::make_shared<ProjectNode>(left->schema(), filtered, std::move(columns));
  }
  auto join =
      std::make_shared<JoinNode>(left->schema(), probe, sub.plan,
                                 conjunct.negated ? JoinKind::kLeftAnti : JoinKind::kLeftSemi);
  join->left_keys.push_back(left_key);
  join->right_keys.push_back(right_key);
  join->null_safe.push_back(false);
  return PlanPtr(join);
}

Result<PlanPtr> Binder::Impl::BindExists(const PlanPtr& left, const Scope& scope,
                                         const ParsedExpr& conjunct) {
  const JoinKind kind = conjunct.negated ? JoinKind::kLeftAnti : JoinKind::kLeftSemi;
  bool ordered = false;
  Result<BoundRelation> uncorrelated = BindQueryNode(*conjunct.subquery, &scope, &ordered);
  if (uncorrelated.ok()) {
    return PlanPtr(std::make_shared<JoinNode>(left->schema(), left, uncorrelated->plan, kind));
  }
  // A correlated subquery of the simple form SELECT ... FROM ... WHERE conjuncts: the
  // conjuncts naming outer columns become the join condition.
  const QueryNode& query = *conjunct.subquery;
  const bool simple = query.ctes.empty() && query.body->kind == QueryBodyKind::kSelect &&
                      query.body->select->from != nullptr && query.body->select->group_by.empty() &&
                      query.body->select->having == nullptr && query.limit == nullptr;
  if (!simple || query.body->select->where == nullptr) {
    return uncorrelated.status();
  }
  const SelectCore& core = *query.body->select;
  SLUICE_ASSIGN_OR_RETURN(BoundRelation sub, BindFrom(*core.from, &scope));
  Scope combined;
  combined.columns = scope.columns;
  combined.columns.insert(combined.columns.end(), sub.scope.columns.begin(),
                          sub.scope.columns.end());
  std::vector<const ParsedExpr*> conjuncts;
  CollectConjuncts(*core.where, &conjuncts);
  ExprPtr local;
  ExprPtr correlated;
  for (const ParsedExpr* part : conjuncts) {
    ExprBinder sub_binder(sub.scope, options, eval, binder);
    Result<ExprPtr> bound = sub_binder.BindCondition(*part, "Filter");
    if (bound.ok()) {
      local = local == nullptr ? *bound : Expression::And(local, *bound);
      continue;
    }
    ExprBinder combined_binder(combined, options, eval, binder);
    Result<ExprPtr> across = combined_binder.BindCondition(*part, "Filter");
    if (!across.ok()) {
      return uncorrelated.status();
    }
    correlated = correlated == nullptr ? *across : Expression::And(correlated, *across);
  }
  PlanPtr right = sub.plan;
  if (local != nullptr) {
    right = std::make_shared<FilterNode>(right, local);
  }
  return MakeJoin(left, right, kind, correlated, left->schema());
}

Result<internal::BoundSubquery> Binder::Impl::BindValueSubquery(const QueryNode& query,
                                                                const Scope& scope) {
  Result<BoundRelation> uncorrelated = BindQueryNode(query, &scope, nullptr);
  if (uncorrelated.ok()) {
    return internal::BoundSubquery{uncorrelated->plan, {}, nullptr};
  }
  // Correlated, of the form SELECT <aggregate expression> FROM ... WHERE conjuncts, some
  // of them inner = outer: Spark's decorrelation, the subquery aggregated by its inner
  // keys (a left join on them follows).
  const bool simple = query.ctes.empty() && query.body->kind == QueryBodyKind::kSelect &&
                      query.order_by.empty() && query.limit == nullptr;
  const SelectCore* core = simple ? query.body->select.get() : nullptr;
  if (core == nullptr || core->from == nullptr || core->where == nullptr ||
      !core->group_by.empty() || core->group_by_all || core->having != nullptr || core->distinct ||
      core->select_list.size() != 1 || core->select_list[0].expr->kind == ExprKind::kStar) {
    return uncorrelated.status();
  }
  SLUICE_ASSIGN_OR_RETURN(BoundRelation sub, BindFrom(*core->from, &scope));
  std::vector<const ParsedExpr*> conjuncts;
  CollectConjuncts(*core->where, &conjuncts);
  ExprPtr local;
  std::vector<ExprPtr> inner_keys;
  internal::BoundSubquery result;
  for (const ParsedExpr* part : conjuncts) {
    ExprBinder sub_binder(sub.scope, options, eval, binder);
    Result<ExprPtr> bound = sub_binder.BindCondition(*part, "Filter");
    if (bound.ok()) {
      local = local == nullptr ? *bound : Expression::And(local, *bound);
      continue;
    }
    const bool equality = part->kind == ExprKind::kBinary &&
                          (part->text == "=" || part->text == "==") && part->children.size() == 2;
    bool matched = false;
    for (int side = 0; side < 2 && equality && !matched; ++side) {
      ExprBinder outer_binder(scope, options, eval, binder);
      Result<ExprPtr> inner = sub_binder.Bind(*part->children[side]);
      Result<ExprPtr> outer = outer_binder.Bind(*part->children[1 - side]);
      if (inner.ok() && outer.ok()) {
        inner_keys.push_back(*inner);
        result.outer_keys.push_back(*outer);
        matched = true;
      }
    }
    if (!matched) {
      if (!equality) {
        return Status::NotImplemented(fmt::format(
            "[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.CORRELATED_COLUMN_IS_NOT_ALLOWED_IN_"
            "PREDICATE] A correlated scalar subquery may correlate only by equalities "
            "(inner = outer) of its WHERE conjuncts: \"{}\".{}",
            PrettyName(*part), internal::PositionSuffix(part->position)));
      }
      return uncorrelated.status();
    }
  }
  if (inner_keys.empty()) {
    return uncorrelated.status();
  }
  PlanPtr plan = sub.plan;
  if (local != nullptr) {
    plan = std::make_shared<FilterNode>(plan, local);
  }
  // The value, aggregated by the inner keys.
  AggregateContext aggregates;
  ExprBinder item_binder(sub.scope, options, eval, binder);
  item_binder.set_aggregates(&aggregates);
  const SelectItem& item = core->select_list[0];
  SLUICE_ASSIGN_OR_RETURN(ExprPtr value, item_binder.Bind(*item.expr));
  if (aggregates.calls.empty()) {
    return Status::BindError(fmt::format(
        "[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.MUST_AGGREGATE_CORRELATED_SCALAR_SUBQUERY] "
        "Correlated scalar subqueries must be aggregated to return at most one row.{}",
        internal::PositionSuffix(item.expr->position)));
  }
  std::vector<std::string> group_keys;
  std::vector<Field> fields;
  for (size_t i = 0; i < inner_keys.size(); ++i) {
    group_keys.push_back(inner_keys[i]->ToString());
    fields.push_back(MakeField(fmt::format("key_{}", i), inner_keys[i]->type(), true));
  }
  for (const AggregateCall& call : aggregates.calls) {
    fields.push_back(MakeField(call.display, call.function.return_type, true));
  }
  plan = std::make_shared<AggregateNode>(MakeSchema(fields), plan, inner_keys, aggregates.calls);
  SLUICE_ASSIGN_OR_RETURN(ExprPtr aggregated, RewriteAggregated(value, group_keys, sub.scope));
  std::vector<ExprPtr> columns;
  std::vector<Field> projected;
  for (size_t i = 0; i < inner_keys.size(); ++i) {
    columns.push_back(Expression::Column(static_cast<int>(i), inner_keys[i]->type(), true));
    projected.push_back(fields[i]);
  }
  columns.push_back(aggregated);
  projected.push_back(MakeField(item.alias.empty() ? PrettyName(*item.expr) : item.alias,
                                aggregated->type(), true));
  result.plan =
      std::make_shared<ProjectNode>(MakeSchema(std::move(projected)), plan, std::move(columns));
  // The value when no inner row matches: the aggregates over no rows (count -> 0).
  std::vector<VectorPtr> empty_results;
  for (const AggregateCall& call : aggregates.calls) {
    std::unique_ptr<expr::GroupedAggregateState> state = call.function.make_state();
    state->Resize(1);
    SLUICE_ASSIGN_OR_RETURN(VectorPtr empty, state->Finalize(eval));
    empty_results.push_back(std::move(empty));
  }
  ExprPtr on_empty = expr::ReplaceColumns(value, [&](const ExprPtr& column) {
    const int index = column->column_index();
    return index >= kAggregateBase ? Expression::Literal(empty_results[index - kAggregateBase])
                                   : column;
  });
  SLUICE_ASSIGN_OR_RETURN(VectorPtr empty_value, expr::EvaluateConstant(*on_empty, eval));
  if (!empty_value->IsNull(0)) {
    result.empty_value = Expression::Literal(std::move(empty_value));
  }
  return result;
}

Result<BoundRelation> Binder::Impl::BindWhere(BoundRelation relation, const ParsedExpr& where) {
  std::vector<const ParsedExpr*> conjuncts;
  CollectConjuncts(where, &conjuncts);
  ExprPtr filter;
  for (const ParsedExpr* conjunct : conjuncts) {
    if (conjunct->kind == ExprKind::kInSubquery) {
      SLUICE_ASSIGN_OR_RETURN(relation.plan,
                              BindInSubquery(relation.plan, relation.scope, *conjunct));
      continue;
    }
    if (conjunct->kind == ExprKind::kExists) {
      SLUICE_ASSIGN_OR_RETURN(relation.plan, BindExists(relation.plan, relation.scope, *conjunct));
      continue;
    }
    ExprBinder expr_binder(relation.scope, options, eval, binder);
    internal::ScalarSubqueryContext subqueries;
    subqueries.base = static_cast<int>(relation.scope.columns.size());
    subqueries.bind = [this, &relation](const QueryNode& query) {
      return BindValueSubquery(query, relation.scope);
    };
    expr_binder.set_scalar_subqueries(&subqueries);
    SLUICE_ASSIGN_OR_RETURN(ExprPtr condition, expr_binder.BindCondition(*conjunct, "Filter"));
    if (!subqueries.plans.empty()) {
      // Filter on the joined subquery values, then drop them again.
      if (filter != nullptr) {
        relation.plan = std::make_shared<FilterNode>(relation.plan, std::move(filter));
        filter = nullptr;
      }
      const SchemaPtr schema = relation.plan->schema();
      PlanPtr joined = internal::JoinScalarSubqueries(relation.plan, subqueries.plans);
      joined = std::make_shared<FilterNode>(joined, condition);
      std::vector<ExprPtr> columns;
      for (int i = 0; i < schema->num_fields(); ++i) {
        columns.push_back(Expression::Column(i, schema->field(i).type, schema->field(i).nullable));
      }
      relation.plan = std::make_shared<ProjectNode>(schema, joined, std::move(columns));
      continue;
    }
    filter = filter == nullptr ? condition : Expression::And(filter, condition);
  }
  if (filter != nullptr) {
    relation.plan = std::make_shared<FilterNode>(relation.plan, std::move(filter));
  }
  return relation;
}

Result<BoundRelation> Binder::Impl::BindSelect(const SelectCore& select,
                                               const std::vector<OrderItem>* order_by,
                                               const Scope* outer) {
  SLUICE_RETURN_IF_ERROR(CheckSupported(select));
  BoundRelation relation;
  if (select.from != nullptr) {
    SLUICE_ASSIGN_OR_RETURN(relation, BindFrom(*select.from, outer));
  } else {
    // A FROM-less SELECT reads one row without columns.
    SchemaPtr empty = MakeSchema({});
    BatchBuilder builder(empty);
    builder.AppendEmptyRow();
    relation.plan = std::make_shared<ValuesNode>(empty, std::vector<BatchPtr>{builder.Finish()});
  }
  relation.scope.outer = outer;
  if (select.where != nullptr) {
    SLUICE_ASSIGN_OR_RETURN(relation, BindWhere(std::move(relation), *select.where));
  }
  // GROUP BY window(ts, ...) makes a column `window` the SELECT list may name (Spark's
  // TimeWindowing). A tumbling window is a scalar and `window` stands for the group
  // expression; a sliding one first expands each row into its windows (sliding_window).
  int window_column = -1;
  ExprPtr tumbling_window;
  const ParsedExpr* sliding_group = nullptr;
  for (const ParsedExprPtr& group : select.group_by) {
    if (group->kind != ExprKind::kFunction || group->window != nullptr ||
        !EqualsIgnoreCase(group->text, "window")) {
      continue;
    }
    ExprBinder window_binder(relation.scope, options, eval, binder);
    std::vector<ExprPtr> args;
    for (const ParsedExprPtr& child : group->children) {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr arg, window_binder.Bind(*child));
      args.push_back(std::move(arg));
    }
    Result<ExprPtr> tumbling = window_binder.CallFunction("window", args, PrettyName(*group));
    window_column = static_cast<int>(relation.scope.columns.size());
    if (tumbling.ok()) {
      tumbling_window = *tumbling;
      relation.scope.columns.push_back({{}, "window", tumbling_window->type(), true});
    } else if (tumbling.status().message().find("sliding_window") != std::string::npos) {
      expr::BindContext context{eval.ansi, eval.time_zone, PrettyName(*group)};
      SLUICE_ASSIGN_OR_RETURN(
          expr::BoundGenerator sliding,
          expr::FunctionRegistry::Default().Find("sliding_window")->generator(args, context));
      for (size_t i = 0; i < args.size() && i < sliding.arg_types.size(); ++i) {
        if (sliding.arg_types[i] != nullptr) {
          args[i] = internal::CastIfNeeded(args[i], sliding.arg_types[i]);
        }
      }
      std::vector<Field> fields = relation.plan->schema()->fields();
      fields.push_back(MakeField("window", sliding.output_fields[0].type, true));
      relation.plan = std::make_shared<GenerateNode>(MakeSchema(std::move(fields)), relation.plan,
                                                     std::move(sliding), std::move(args),
                                                     /*outer=*/false);
      relation.scope.columns.push_back(
          {{}, "window", relation.plan->schema()->fields().back().type, true});
      sliding_group = group.get();
    } else {
      return tumbling.status();
    }
    break;
  }
  const Scope& scope = relation.scope;
  const int from_width = static_cast<int>(scope.columns.size());

  std::map<std::string, const WindowSpec*> named_windows;
  for (const auto& [name, spec] : select.named_windows) {
    named_windows[ToLowerAscii(name)] = &spec;
  }
  AggregateContext aggregates;
  WindowContext windows;
  ExprBinder item_binder(scope, options, eval, binder);
  item_binder.set_aggregates(&aggregates);
  item_binder.set_windows(&windows, &named_windows);
  internal::ScalarSubqueryContext subqueries;
  subqueries.base = from_width;
  subqueries.placeholder = kSubqueryBase;
  subqueries.bind = [this, &scope](const QueryNode& query) {
    return BindValueSubquery(query, scope);
  };
  item_binder.set_scalar_subqueries(&subqueries);

  // The select list. A later item may name an earlier item's alias (Spark's lateral
  // column alias) unless a FROM column has that name: the alias stands for the item.
  auto bind_lateral = [&](const ParsedExpr& parsed, const Scope& from,
                          const std::vector<OutputColumn>& earlier) -> Result<ExprPtr> {
    if (earlier.empty()) {
      return item_binder.Bind(parsed);
    }
    Scope lateral = AliasScope(from, earlier);
    ExprBinder lateral_binder(lateral, options, eval, binder);
    lateral_binder.set_aggregates(&aggregates);
    lateral_binder.set_windows(&windows, &named_windows);
    lateral_binder.set_scalar_subqueries(&subqueries);
    SLUICE_ASSIGN_OR_RETURN(ExprPtr bound, lateral_binder.Bind(parsed));
    const int base = static_cast<int>(from.columns.size());
    return expr::ReplaceColumns(bound, [&](const ExprPtr& column) {
      const int index = column->column_index();
      return index >= base && index < base + static_cast<int>(earlier.size())
                 ? earlier[index - base].expr
                 : column;
    });
  };
  std::vector<OutputColumn> outputs;
  std::optional<GeneratorUse> generator;
  for (const SelectItem& item : select.select_list) {
    const ParsedExpr& parsed = *item.expr;
    if (parsed.kind == ExprKind::kStar) {
      bool any = false;
      for (size_t i = 0; i < scope.columns.size(); ++i) {
        const ScopeColumn& column = scope.columns[i];
        bool matches = column.qualifier.size() >= parsed.name.size() &&
                       (!column.hidden || !parsed.name.empty());
        for (size_t q = 0; q < parsed.name.size() && matches; ++q) {
          matches = EqualsIgnoreCase(
              column.qualifier[column.qualifier.size() - parsed.name.size() + q], parsed.name[q]);
        }
        if (matches) {
          outputs.push_back(
              {Expression::Column(static_cast<int>(i), column.type, column.nullable), column.name});
          any = true;
        }
      }
      if (!any && !parsed.name.empty()) {
        // `s.*` of a struct column: its fields.
        ParsedExpr reference;
        reference.kind = ExprKind::kColumnRef;
        reference.name = parsed.name;
        reference.position = parsed.position;
        ExprBinder struct_binder(scope, options, eval, binder);
        Result<ExprPtr> base = struct_binder.Bind(reference);
        if (base.ok() && (*base)->type()->id() == TypeId::kStruct) {
          for (const Field& field : (*base)->type()->fields()) {
            SLUICE_ASSIGN_OR_RETURN(
                ExprPtr value,
                struct_binder.CallFunction(
                    "get_field", {*base, Expression::Literal(expr::MakeStringScalar(field.name))},
                    field.name));
            outputs.push_back({std::move(value), field.name});
          }
          continue;
        }
        return Status::BindError(
            fmt::format("[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve {}.* given input columns.{}",
                        internal::QuoteIdentifier(parsed.name.back()),
                        internal::PositionSuffix(parsed.position)));
      }
      continue;
    }
    const expr::FunctionEntry* entry =
        parsed.kind == ExprKind::kFunction && parsed.window == nullptr
            ? expr::FunctionRegistry::Default().Find(parsed.text)
            : nullptr;
    if (entry != nullptr && entry->kind == expr::FunctionKind::kGenerator) {
      if (generator.has_value()) {
        return Status::BindError(fmt::format(
            "[UNSUPPORTED_GENERATOR.MULTI_GENERATOR] The generator is not supported: only one "
            "generator allowed per SELECT clause but found 2.{}",
            internal::PositionSuffix(parsed.position)));
      }
      ExprBinder arg_binder(scope, options, eval, binder);
      std::vector<ExprPtr> args;
      for (const ParsedExprPtr& child : parsed.children) {
        SLUICE_ASSIGN_OR_RETURN(ExprPtr arg, arg_binder.Bind(*child));
        args.push_back(std::move(arg));
      }
      expr::BindContext context{eval.ansi, eval.time_zone, PrettyName(parsed)};
      SLUICE_ASSIGN_OR_RETURN(expr::BoundGenerator bound, entry->generator(args, context));
      for (size_t i = 0; i < args.size() && i < bound.arg_types.size(); ++i) {
        if (bound.arg_types[i] != nullptr) {
          args[i] = internal::CastIfNeeded(args[i], bound.arg_types[i]);
        }
      }
      const auto& fields = bound.output_fields;
      if (!item.multi_alias.empty() && item.multi_alias.size() != fields.size()) {
        return Status::BindError(fmt::format(
            "[UDTF_ALIAS_NUMBER_MISMATCH] The number of aliases supplied in the AS clause does not "
            "match the number of columns output by the UDTF. Expected {} aliases, but got {}.{}",
            fields.size(), item.multi_alias.size(), internal::PositionSuffix(parsed.position)));
      }
      for (size_t j = 0; j < fields.size(); ++j) {
        std::string name = !item.multi_alias.empty()                     ? item.multi_alias[j]
                           : (!item.alias.empty() && fields.size() == 1) ? item.alias
                                                                         : fields[j].name;
        outputs.push_back(
            {Expression::Column(from_width + static_cast<int>(j), fields[j].type, true),
             std::move(name)});
      }
      const bool outer_generator =
          parsed.text.size() > 6 &&
          EqualsIgnoreCase(parsed.text.substr(parsed.text.size() - 6), "_outer");
      generator = GeneratorUse{std::move(bound), std::move(args), outer_generator};
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(ExprPtr bound, bind_lateral(parsed, scope, outputs));
    outputs.push_back({std::move(bound), item.alias.empty() ? ItemName(parsed) : item.alias});
  }

  // GROUP BY.
  std::vector<ExprPtr> groups;
  std::optional<internal::GroupingSets> grouping_sets;
  {
    ExprBinder group_binder(scope, options, eval, binder);
    auto bind_group = [&](const ParsedExpr& parsed) -> Result<ExprPtr> {
      if (&parsed == sliding_group) {
        const ScopeColumn& column = scope.columns[window_column];
        return Expression::Column(window_column, column.type, true);
      }
      if (parsed.kind == ExprKind::kLiteral && parsed.literal_kind == LiteralKind::kInteger) {
        Scope output_scope;
        for (const OutputColumn& output : outputs) {
          output_scope.columns.push_back({{}, output.name, output.expr->type(), true});
        }
        SLUICE_ASSIGN_OR_RETURN(ExprPtr ordinal, OrdinalColumn(parsed, output_scope, "GROUP BY"));
        const ExprPtr& target = outputs[ordinal->column_index()].expr;
        if (HasPlaceholder(target, kAggregateBase)) {
          return Status::BindError(fmt::format(
              "[GROUP_BY_POS_AGGREGATE] GROUP BY {} refers to an expression {} that contains an "
              "aggregate function. Aggregate functions are not allowed in GROUP BY.{}",
              parsed.text, outputs[ordinal->column_index()].name,
              internal::PositionSuffix(parsed.position)));
        }
        return target;
      }
      Result<ExprPtr> bound = group_binder.Bind(parsed);
      if (!bound.ok() && parsed.kind == ExprKind::kColumnRef && parsed.name.size() == 1) {
        // GROUP BY a select alias (spark.sql.groupByAliases).
        for (const OutputColumn& output : outputs) {
          if (EqualsIgnoreCase(output.name, parsed.name[0]) &&
              !HasPlaceholder(output.expr, kAggregateBase)) {
            return output.expr;
          }
        }
      }
      return bound;
    };
    const bool analytics =
        std::any_of(select.group_by.begin(), select.group_by.end(),
                    [](const ParsedExprPtr& item) { return internal::IsGroupingAnalytics(*item); });
    if (analytics) {
      SLUICE_ASSIGN_OR_RETURN(grouping_sets,
                              internal::BindGroupingSets(select.group_by, bind_group));
      groups = grouping_sets->groups;
    } else {
      for (const ParsedExprPtr& parsed : select.group_by) {
        SLUICE_ASSIGN_OR_RETURN(ExprPtr bound, bind_group(*parsed));
        groups.push_back(std::move(bound));
      }
    }
    if (select.group_by_all) {
      for (const OutputColumn& output : outputs) {
        if (!HasPlaceholder(output.expr, kAggregateBase)) {
          groups.push_back(output.expr);
        }
      }
    }
  }

  // HAVING and ORDER BY may name select aliases.
  const int alias_base =
      from_width + (generator ? static_cast<int>(generator->generator.output_fields.size()) : 0);
  Scope alias_scope = AliasScope(scope, outputs);
  if (generator) {
    // Keep the alias pseudo-columns after the generated ones.
    alias_scope.columns.insert(alias_scope.columns.begin() + from_width,
                               generator->generator.output_fields.size(), ScopeColumn{});
  }
  ExprBinder alias_binder(alias_scope, options, eval, binder);
  alias_binder.set_aggregates(&aggregates);
  alias_binder.set_windows(&windows, &named_windows);
  alias_binder.set_scalar_subqueries(&subqueries);
  ExprPtr having;
  if (select.having != nullptr) {
    SLUICE_ASSIGN_OR_RETURN(having, alias_binder.BindCondition(*select.having, "HAVING"));
    having = SubstituteAliases(having, alias_base, outputs);
  }
  std::vector<std::pair<int, const OrderItem*>> order_columns;
  const size_t visible = outputs.size();
  if (order_by != nullptr) {
    for (const OrderItem& item : *order_by) {
      const ParsedExpr& parsed = *item.expr;
      int index = -1;
      if (parsed.kind == ExprKind::kLiteral && parsed.literal_kind == LiteralKind::kInteger) {
        Scope output_scope;
        for (size_t i = 0; i < visible; ++i) {
          output_scope.columns.push_back({{}, outputs[i].name, outputs[i].expr->type(), true});
        }
        SLUICE_ASSIGN_OR_RETURN(ExprPtr ordinal, OrdinalColumn(parsed, output_scope, "ORDER BY"));
        index = ordinal->column_index();
      } else if (parsed.kind == ExprKind::kColumnRef && parsed.name.size() == 1) {
        for (size_t i = 0; i < visible && index < 0; ++i) {
          if (EqualsIgnoreCase(outputs[i].name, parsed.name[0])) {
            index = static_cast<int>(i);
          }
        }
      }
      if (index < 0) {
        SLUICE_ASSIGN_OR_RETURN(ExprPtr bound, alias_binder.Bind(parsed));
        bound = SubstituteAliases(bound, alias_base, outputs);
        const std::string key = bound->ToString();
        for (size_t i = 0; i < outputs.size() && index < 0; ++i) {
          if (outputs[i].expr->ToString() == key) {
            index = static_cast<int>(i);
          }
        }
        if (index < 0) {
          index = static_cast<int>(outputs.size());
          outputs.push_back({std::move(bound), fmt::format("__order_{}", index), true});
        }
      }
      order_columns.emplace_back(index, &item);
    }
  }

  if (tumbling_window != nullptr) {
    // `window` named the tumbling window's group expression.
    SLUICE_RETURN_IF_ERROR(
        RewriteBlock(&outputs, &having, &windows, [&](const ExprPtr& value) -> Result<ExprPtr> {
          return expr::ReplaceColumns(value, [&](const ExprPtr& column) {
            return column->column_index() == window_column ? tumbling_window : column;
          });
        }));
  }

  // The plan above FROM: generate, aggregate, having, window, project.
  PlanPtr plan = relation.plan;
  int width = from_width;
  // Subquery k is column kSubqueryBase + k until its join's place is known.
  auto join_subqueries = [&](int at) -> Status {
    plan = internal::JoinScalarSubqueries(plan, subqueries.plans);
    width += static_cast<int>(subqueries.plans.size());
    return RewriteBlock(&outputs, &having, &windows, [&](const ExprPtr& value) -> Result<ExprPtr> {
      return expr::ReplaceColumns(value, [&](const ExprPtr& column) {
        const int index = column->column_index();
        return index >= kSubqueryBase
                   ? Expression::Column(at + index - kSubqueryBase, column->type(), true)
                   : column;
      });
    });
  };
  const bool aggregated = IsAggregated(select, aggregates);
  if (!subqueries.plans.empty() && aggregated) {
    SLUICE_RETURN_IF_ERROR(CheckSubqueriesAfterAggregate(subqueries));
  } else if (!subqueries.plans.empty()) {
    if (generator) {
      return Status::NotImplemented(
          "[UNSUPPORTED_FEATURE] A scalar subquery in the SELECT list next to a generator is not "
          "supported yet; compute it in a subquery of FROM.");
    }
    SLUICE_RETURN_IF_ERROR(join_subqueries(width));
  }
  if (generator) {
    std::vector<Field> fields = ScopeSchema(scope)->fields();
    for (const Field& field : generator->generator.output_fields) {
      fields.push_back(MakeField(field.name, field.type, true));
    }
    plan = std::make_shared<GenerateNode>(MakeSchema(std::move(fields)), plan, generator->generator,
                                          generator->args, generator->outer);
    width += static_cast<int>(generator->generator.output_fields.size());
  }
  if (aggregated) {
    if (generator) {
      return Status::NotImplemented(
          "[UNSUPPORTED_FEATURE] A generator together with aggregation in one SELECT is not "
          "supported yet; move the generator into a subquery.");
    }
    std::vector<std::string> group_keys;
    std::vector<ExprPtr> aggregate_groups = groups;
    ExprPtr grouping_id;
    if (grouping_sets) {
      // Group by the expanded copies' key columns and grouping id (and set position).
      const int input_width = plan->schema()->num_fields();
      plan = internal::ExpandGroupingSets(plan, *grouping_sets);
      aggregate_groups.clear();
      for (int c = input_width; c < plan->schema()->num_fields(); ++c) {
        const Field& field = plan->schema()->field(c);
        aggregate_groups.push_back(Expression::Column(c, field.type, field.nullable));
      }
      grouping_id = aggregate_groups[groups.size()];
    }
    std::vector<Field> fields;
    for (size_t i = 0; i < aggregate_groups.size(); ++i) {
      group_keys.push_back(i < groups.size() ? groups[i]->ToString()
                                             : aggregate_groups[i]->ToString());
      fields.push_back(MakeField(fmt::format("group_{}", i), aggregate_groups[i]->type(),
                                 aggregate_groups[i]->nullable()));
    }
    for (const AggregateCall& call : aggregates.calls) {
      fields.push_back(MakeField(call.display, call.function.return_type, true));
    }
    plan = std::make_shared<AggregateNode>(MakeSchema(std::move(fields)), plan, aggregate_groups,
                                           aggregates.calls);
    auto rewrite = [&](const ExprPtr& value) -> Result<ExprPtr> {
      SLUICE_ASSIGN_OR_RETURN(
          ExprPtr replaced,
          internal::ReplaceGroupingCalls(value, grouping_sets ? &*grouping_sets : nullptr,
                                         grouping_id, scope, item_binder));
      return RewriteAggregated(replaced, group_keys, scope);
    };
    // HAVING runs over the aggregate's output (and the subqueries joined to it).
    SLUICE_RETURN_IF_ERROR(RewriteBlock(&outputs, &having, &windows, rewrite));
    width = static_cast<int>(aggregate_groups.size() + aggregates.calls.size());
    if (!subqueries.plans.empty()) {
      SLUICE_RETURN_IF_ERROR(join_subqueries(width));
    }
    if (having != nullptr) {
      plan = std::make_shared<FilterNode>(plan, having);
    }
  }
  if (!windows.calls.empty()) {
    std::vector<Field> fields = plan->schema()->fields();
    for (const WindowCall& call : windows.calls) {
      const TypePtr& type =
          call.window_function ? call.window_function->return_type : call.aggregate->return_type;
      fields.push_back(MakeField(call.display, type, true));
    }
    plan = std::make_shared<WindowNode>(MakeSchema(std::move(fields)), plan, windows.calls);
    for (OutputColumn& output : outputs) {
      output.expr = RewriteWindows(output.expr, width);
    }
  }
  std::vector<ExprPtr> exprs;
  std::vector<Field> fields;
  for (const OutputColumn& output : outputs) {
    exprs.push_back(output.expr);
    fields.push_back(MakeField(output.name, output.expr->type(), output.expr->nullable()));
  }
  SchemaPtr projected = MakeSchema(std::move(fields));
  plan = std::make_shared<ProjectNode>(projected, plan, std::move(exprs));
  if (select.distinct) {
    if (outputs.size() > visible) {
      return Status::BindError(
          "[MISSING_ATTRIBUTES.RESOLVED_ATTRIBUTE_APPEAR_IN_OPERATION] ORDER BY expressions of a "
          "SELECT DISTINCT must appear in the select list.");
    }
    std::vector<ExprPtr> all;
    for (int i = 0; i < projected->num_fields(); ++i) {
      all.push_back(Expression::Column(i, projected->field(i).type, projected->field(i).nullable));
    }
    plan = std::make_shared<AggregateNode>(projected, plan, std::move(all),
                                           std::vector<AggregateCall>{});
  }
  if (!order_columns.empty()) {
    std::vector<SortKey> keys;
    for (const auto& [index, item] : order_columns) {
      keys.push_back(MakeSortKey(
          Expression::Column(index, projected->field(index).type, projected->field(index).nullable),
          *item));
    }
    plan = std::make_shared<SortNode>(plan, std::move(keys));
  }
  if (outputs.size() > visible) {
    std::vector<ExprPtr> kept;
    std::vector<Field> kept_fields;
    for (size_t i = 0; i < visible; ++i) {
      kept.push_back(Expression::Column(static_cast<int>(i), projected->field(i).type,
                                        projected->field(i).nullable));
      kept_fields.push_back(projected->field(i));
    }
    plan = std::make_shared<ProjectNode>(MakeSchema(std::move(kept_fields)), plan, std::move(kept));
  }
  BoundRelation result;
  result.plan = plan;
  result.scope = internal::MakeScope(*plan->schema(), {});
  return result;
}

}  // namespace sluice::sql
