// SPDX-License-Identifier: Apache-2.0
// Binding queries: query blocks, set operations, ORDER BY / LIMIT, CTEs.
#include "sql/binder.h"

#include <fmt/format.h>

#include <map>
#include <utility>

#include "columnar/builder.h"
#include "columnar/concat.h"
#include "common/ascii.h"
#include "expr/evaluator.h"
#include "expr/type_coercion.h"
#include "sql/binder_impl.h"

namespace sluice::sql {

using expr::Expression;
using expr::ExprPtr;
using internal::AggregateContext;
using internal::ExprBinder;
using internal::Scope;
using internal::ScopeColumn;
using internal::WindowContext;

namespace internal {

Scope MakeScope(const Schema& schema, const std::vector<std::string>& qualifier) {
  Scope scope;
  for (const Field& field : schema.fields()) {
    scope.columns.push_back({qualifier, field.name, field.type, field.nullable});
  }
  return scope;
}

SchemaPtr ScopeSchema(const Scope& scope) {
  std::vector<Field> fields;
  for (const ScopeColumn& column : scope.columns) {
    fields.push_back(MakeField(column.name, column.type, column.nullable));
  }
  return MakeSchema(std::move(fields));
}

Result<int64_t> EvaluateInteger(const ParsedExpr& parsed, const Scope& scope,
                                const BinderOptions& options, const expr::EvalContext& eval,
                                Binder& binder, std::string_view clause, bool allow_negative) {
  ExprBinder expr_binder(scope, options, eval, binder);
  SLUICE_ASSIGN_OR_RETURN(ExprPtr bound, expr_binder.Bind(parsed));
  auto invalid = [&](std::string_view why) {
    return Status::BindError(fmt::format(
        "[INVALID_LIMIT_LIKE_EXPRESSION.{}] The limit like expression \"{}\" is invalid. The {} "
        "expression must {}.{}",
        why == "IS_NEGATIVE" ? "IS_NEGATIVE"
        : why == "IS_NULL"   ? "IS_NULL"
                             : "IS_UNFOLDABLE",
        PrettyName(parsed), clause,
        why == "IS_NEGATIVE" ? "be equal to or greater than 0"
        : why == "IS_NULL"   ? "evaluate to a non-null value"
                             : "evaluate to a constant value",
        PositionSuffix(parsed.position)));
  };
  if (!bound->IsConstant() || !bound->type()->is_integral()) {
    return invalid("IS_UNFOLDABLE");
  }
  SLUICE_ASSIGN_OR_RETURN(VectorPtr value,
                          expr::EvaluateConstant(*CastIfNeeded(bound, LongType()), eval));
  if (value->IsNull(0)) {
    return invalid("IS_NULL");
  }
  const int64_t number = value->Value<int64_t>(0);
  if (number < 0 && !allow_negative) {
    return invalid("IS_NEGATIVE");
  }
  return number;
}

}  // namespace internal

using internal::BoundRelation;

Binder::Binder(TableResolver& resolver, BinderOptions options) {
  eval_.ansi = options.ansi;
  eval_.time_zone = options.time_zone;
  eval_.now_micros = options.now_micros;
  impl_ = std::make_unique<Impl>(resolver, std::move(options), eval_, *this);
}

Binder::~Binder() = default;

Result<BoundQuery> Binder::BindQuery(const QueryNode& query) {
  bool ordered = false;
  SLUICE_ASSIGN_OR_RETURN(BoundRelation relation, impl_->BindQueryNode(query, nullptr, &ordered));
  return BoundQuery{std::move(relation.plan), ordered};
}

Result<ExprPtr> Binder::BindExpression(const ParsedExpr& parsed, const SchemaPtr& schema) {
  Scope scope = internal::MakeScope(*schema, {});
  ExprBinder binder(scope, impl_->options, eval_, *this);
  return binder.Bind(parsed);
}

Result<delta::SnapshotPtr> Binder::LoadTable(const TableRef& table, std::string* display_name) {
  SLUICE_ASSIGN_OR_RETURN(ResolvedTable resolved, ResolveTableRoot(table));
  if (display_name != nullptr) {
    *display_name = resolved.display_name;
  }
  return impl_->LoadSnapshot(resolved, table.time_travel, table.position);
}

Result<ResolvedTable> Binder::ResolveTableRoot(const TableRef& table) {
  if (table.kind == TableRefKind::kPath) {
    if (!EqualsIgnoreCase(table.format, "delta")) {
      return Status::BindError(fmt::format(
          "[UNSUPPORTED_DATASOURCE_FOR_DIRECT_QUERY] Unsupported data source type for this "
          "statement: {}.{}",
          table.format, internal::PositionSuffix(table.position)));
    }
    return ResolvedTable{fmt::format("delta.`{}`", table.path), table.path, nullptr};
  }
  if (table.kind != TableRefKind::kNamed) {
    return Status::BindError(fmt::format("[INVALID_SQL_SYNTAX] A table name is expected.{}",
                                         internal::PositionSuffix(table.position)));
  }
  return impl_->resolver.ResolveTable(table.name);
}

Result<std::shared_ptr<const InMemoryRelation>> TableResolver::ReadTableFunction(
    std::string_view function, const OptionList& /*options*/) {
  return Status::BindError(fmt::format(
      "[UNRESOLVABLE_TABLE_VALUED_FUNCTION] Could not resolve {} to a table-valued function: "
      "this session cannot read it.",
      internal::QuoteIdentifier(function)));
}

// ---------------------------------------------------------------------------------------
// Binder::Impl

Binder::Impl::Impl(TableResolver& resolver_in, BinderOptions options_in,
                   const expr::EvalContext& eval_in, Binder& binder_in)
    : resolver(resolver_in), options(std::move(options_in)), eval(eval_in), binder(binder_in) {
  fs = options.fs != nullptr ? options.fs : &LocalFileSystem::Default();
}

const CommonTableExpr* Binder::Impl::FindCte(std::string_view name) const {
  for (auto it = ctes.rbegin(); it != ctes.rend(); ++it) {
    auto found = it->find(ToLowerAscii(name));
    if (found != it->end()) {
      return found->second;
    }
  }
  return nullptr;
}

Result<BoundRelation> Binder::Impl::BindQueryNode(const QueryNode& query, const Scope* outer,
                                                  bool* ordered) {
  if (!query.ctes.empty()) {
    std::map<std::string, const CommonTableExpr*> level;
    for (const CommonTableExpr& cte : query.ctes) {
      level[ToLowerAscii(cte.name)] = &cte;
    }
    ctes.push_back(std::move(level));
  }
  Result<BoundRelation> result = BindQueryBody(query, outer, ordered);
  if (!query.ctes.empty()) {
    ctes.pop_back();
  }
  return result;
}

Result<BoundRelation> Binder::Impl::BindQueryBody(const QueryNode& query, const Scope* outer,
                                                  bool* ordered) {
  BoundRelation relation;
  if (query.body->kind == QueryBodyKind::kSelect) {
    SLUICE_ASSIGN_OR_RETURN(relation, BindSelect(*query.body->select, &query.order_by, outer));
  } else {
    SLUICE_ASSIGN_OR_RETURN(relation, BindBody(*query.body, outer));
    if (!query.order_by.empty()) {
      SLUICE_ASSIGN_OR_RETURN(relation, BindOutputOrderBy(std::move(relation), query.order_by));
    }
  }
  if (ordered != nullptr) {
    *ordered = !query.order_by.empty();
  }
  if (query.limit != nullptr || query.offset != nullptr) {
    std::optional<int64_t> limit;
    int64_t offset = 0;
    Scope empty;
    if (query.limit != nullptr) {
      SLUICE_ASSIGN_OR_RETURN(
          limit, internal::EvaluateInteger(*query.limit, empty, options, eval, binder, "limit"));
    }
    if (query.offset != nullptr) {
      SLUICE_ASSIGN_OR_RETURN(
          offset, internal::EvaluateInteger(*query.offset, empty, options, eval, binder, "offset"));
    }
    relation.plan = std::make_shared<LimitNode>(relation.plan, limit, offset);
  }
  return relation;
}

Result<BoundRelation> Binder::Impl::BindBody(const QueryBody& body, const Scope* outer) {
  switch (body.kind) {
    case QueryBodyKind::kSelect:
      return BindSelect(*body.select, nullptr, outer);
    case QueryBodyKind::kQuery:
      return BindQueryNode(*body.query, outer, nullptr);
    case QueryBodyKind::kValues:
      return BindValues(body.values_rows, {}, body.position);
    case QueryBodyKind::kSetOp:
      return BindSetOp(body, outer);
  }
  return Status::Internal("unknown query body");
}

Result<BoundRelation> Binder::Impl::BindSetOp(const QueryBody& body, const Scope* outer) {
  SLUICE_ASSIGN_OR_RETURN(BoundRelation left, BindBody(*body.left, outer));
  SLUICE_ASSIGN_OR_RETURN(BoundRelation right, BindBody(*body.right, outer));
  const SchemaPtr& left_schema = left.plan->schema();
  const SchemaPtr& right_schema = right.plan->schema();
  static constexpr std::string_view kNames[] = {"UNION", "INTERSECT", "EXCEPT"};
  const std::string_view op_name = kNames[static_cast<int>(body.set_op)];
  if (left_schema->num_fields() != right_schema->num_fields()) {
    return Status::BindError(fmt::format(
        "[NUM_COLUMNS_MISMATCH] {} can only be performed on inputs with the same number of "
        "columns, but the first input has {} columns and the second input has {} columns.{}",
        op_name, left_schema->num_fields(), right_schema->num_fields(),
        internal::PositionSuffix(body.position)));
  }
  std::vector<TypePtr> types;
  for (int i = 0; i < left_schema->num_fields(); ++i) {
    TypePtr type =
        expr::WiderCommonType(left_schema->field(i).type, right_schema->field(i).type, eval.ansi);
    if (type == nullptr) {
      return Status::BindError(fmt::format(
          "[INCOMPATIBLE_COLUMN_TYPE] {} can only be performed on tables with compatible column "
          "types. The {} column of the second table is \"{}\" type which is not compatible with "
          "\"{}\" at the same column of the first table.{}",
          op_name, i + 1, internal::SqlTypeName(right_schema->field(i).type),
          internal::SqlTypeName(left_schema->field(i).type),
          internal::PositionSuffix(body.position)));
    }
    types.push_back(std::move(type));
  }
  PlanPtr left_plan = CastPlan(left.plan, types, nullptr);
  PlanPtr right_plan = CastPlan(right.plan, types, nullptr);
  std::vector<Field> fields;
  for (int i = 0; i < left_schema->num_fields(); ++i) {
    fields.push_back(MakeField(left_schema->field(i).name, types[i],
                               left_schema->field(i).nullable || right_schema->field(i).nullable));
  }
  SchemaPtr schema = MakeSchema(std::move(fields));
  const SetOperation op = body.set_op == SetOpKind::kUnion       ? SetOperation::kUnion
                          : body.set_op == SetOpKind::kIntersect ? SetOperation::kIntersect
                                                                 : SetOperation::kExcept;
  BoundRelation relation;
  relation.plan = std::make_shared<SetOpNode>(
      schema, std::vector<PlanPtr>{std::move(left_plan), std::move(right_plan)}, op, body.all);
  relation.scope = internal::MakeScope(*schema, {});
  return relation;
}

PlanPtr Binder::Impl::CastPlan(const PlanPtr& plan, const std::vector<TypePtr>& types,
                               const std::vector<std::string>* names) {
  const SchemaPtr& schema = plan->schema();
  bool needed = names != nullptr;
  for (int i = 0; i < schema->num_fields() && !needed; ++i) {
    needed = !schema->field(i).type->Equals(*types[i]);
  }
  if (!needed) {
    return plan;
  }
  std::vector<ExprPtr> exprs;
  std::vector<Field> fields;
  for (int i = 0; i < schema->num_fields(); ++i) {
    const Field& field = schema->field(i);
    exprs.push_back(
        internal::CastIfNeeded(Expression::Column(i, field.type, field.nullable), types[i]));
    fields.push_back(
        MakeField(names != nullptr ? (*names)[i] : field.name, types[i], field.nullable));
  }
  return std::make_shared<ProjectNode>(MakeSchema(std::move(fields)), plan, std::move(exprs));
}

Result<BoundRelation> Binder::Impl::BindOutputOrderBy(BoundRelation relation,
                                                      const std::vector<OrderItem>& order_by) {
  std::vector<SortKey> keys;
  for (const OrderItem& item : order_by) {
    ExprPtr key;
    if (item.expr->kind == ExprKind::kLiteral && item.expr->literal_kind == LiteralKind::kInteger) {
      SLUICE_ASSIGN_OR_RETURN(key, OrdinalColumn(*item.expr, relation.scope, "ORDER BY"));
    } else {
      ExprBinder expr_binder(relation.scope, options, eval, binder);
      SLUICE_ASSIGN_OR_RETURN(key, expr_binder.Bind(*item.expr));
    }
    keys.push_back(MakeSortKey(std::move(key), item));
  }
  relation.plan = std::make_shared<SortNode>(relation.plan, std::move(keys));
  return relation;
}

Result<ExprPtr> Binder::Impl::OrdinalColumn(const ParsedExpr& literal, const Scope& scope,
                                            std::string_view clause) {
  int64_t ordinal = 0;
  for (char c : literal.text) {
    if (c < '0' || c > '9') {
      break;
    }
    ordinal = ordinal * 10 + (c - '0');
    if (ordinal > 1'000'000) {
      break;
    }
  }
  if (ordinal < 1 || ordinal > static_cast<int64_t>(scope.columns.size())) {
    return Status::BindError(fmt::format(
        "[{}_POS_OUT_OF_RANGE] {} position {} is not in select list (valid range is [1, {}]).{}",
        clause == "ORDER BY" ? "ORDER_BY" : "GROUP_BY", clause, literal.text, scope.columns.size(),
        internal::PositionSuffix(literal.position)));
  }
  const ScopeColumn& column = scope.columns[ordinal - 1];
  return Expression::Column(static_cast<int>(ordinal - 1), column.type, column.nullable);
}

SortKey Binder::Impl::MakeSortKey(ExprPtr key, const OrderItem& item) {
  SortKey sort_key;
  sort_key.expr = std::move(key);
  sort_key.ascending = item.ascending;
  sort_key.nulls_first = item.nulls_first.value_or(item.ascending);
  return sort_key;
}

Result<BoundRelation> Binder::Impl::BindValues(const std::vector<std::vector<ParsedExprPtr>>& rows,
                                               const std::vector<std::string>& names,
                                               const SourcePosition& position) {
  Scope empty;
  ExprBinder expr_binder(empty, options, eval, binder);
  std::vector<std::vector<ExprPtr>> bound_rows;
  size_t width = rows.empty() ? 0 : rows[0].size();
  for (const std::vector<ParsedExprPtr>& row : rows) {
    if (row.size() != width) {
      return Status::BindError(fmt::format(
          "[INVALID_INLINE_TABLE.NUM_COLUMNS_MISMATCH] Invalid inline table. Inline table "
          "expected {} columns but found {} columns in row {}.{}",
          width, row.size(), bound_rows.size(), internal::PositionSuffix(position)));
    }
    std::vector<ExprPtr> bound_row;
    for (const ParsedExprPtr& value : row) {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr bound, expr_binder.Bind(*value));
      if (!bound->IsConstant()) {
        return Status::BindError(fmt::format(
            "[INVALID_INLINE_TABLE.CANNOT_EVALUATE_EXPRESSION_IN_INLINE_TABLE] Invalid inline "
            "table. Cannot evaluate the expression \"{}\" in inline table definition.{}",
            PrettyName(*value), internal::PositionSuffix(value->position)));
      }
      bound_row.push_back(std::move(bound));
    }
    bound_rows.push_back(std::move(bound_row));
  }
  std::vector<Field> fields;
  for (size_t c = 0; c < width; ++c) {
    std::vector<TypePtr> types;
    for (const auto& row : bound_rows) {
      types.push_back(row[c]->type());
    }
    TypePtr type = expr::WiderCommonType(types, eval.ansi);
    if (type == nullptr) {
      return Status::BindError(fmt::format(
          "[INVALID_INLINE_TABLE.INCOMPATIBLE_TYPES_IN_INLINE_TABLE] Invalid inline table. "
          "Found incompatible types in the column `col{}` for inline table.{}",
          c + 1, internal::PositionSuffix(position)));
    }
    const std::string name = c < names.size() ? names[c] : fmt::format("col{}", c + 1);
    fields.push_back(MakeField(name, type, true));
  }
  SchemaPtr schema = MakeSchema(std::move(fields));
  BatchBuilder builder(schema);
  for (const auto& row : bound_rows) {
    for (size_t c = 0; c < width; ++c) {
      SLUICE_ASSIGN_OR_RETURN(
          VectorPtr value,
          expr::EvaluateConstant(*internal::CastIfNeeded(row[c], schema->field(c).type), eval));
      AppendValue(*value, 0, builder.column(static_cast<int>(c)));
    }
    if (width == 0) {
      builder.AppendEmptyRow();
    }
  }
  BoundRelation relation;
  relation.plan = std::make_shared<ValuesNode>(schema, std::vector<BatchPtr>{builder.Finish()});
  relation.scope = internal::MakeScope(*schema, {});
  return relation;
}

}  // namespace sluice::sql
