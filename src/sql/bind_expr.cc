// SPDX-License-Identifier: Apache-2.0
// Binding expressions: literals, names, operators, functions, casts, CASE, intervals.
#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <utility>

#include "columnar/builder.h"
#include "common/ascii.h"
#include "expr/cast.h"
#include "expr/evaluator.h"
#include "expr/type_coercion.h"
#include "sql/binder_internal.h"
#include "types/datetime.h"
#include "types/ddl.h"
#include "types/decimal.h"

namespace sluice::sql::internal {

using expr::Expression;
using expr::ExprPtr;

namespace {

bool EndsWithSuffix(std::string_view text, char suffix) {
  return !text.empty() && LowerAscii(text.back()) == suffix;
}

Result<ExprPtr> IntegerLiteral(std::string_view text, const SourcePosition& position) {
  char suffix = 0;
  if (EndsWithSuffix(text, 'l') || EndsWithSuffix(text, 's') || EndsWithSuffix(text, 'y')) {
    suffix = LowerAscii(text.back());
    text.remove_suffix(1);
  }
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  const bool fits_long = error == std::errc() && end == text.data() + text.size();
  auto out_of_range = [&](std::string_view type) {
    return Status::ParseError(fmt::format(
        "[INVALID_NUMERIC_LITERAL_RANGE] Numeric literal {} is outside the valid range for {}."
        "{}",
        text, type, PositionSuffix(position)));
  };
  switch (suffix) {
    case 'l':
      if (!fits_long) {
        return out_of_range("bigint");
      }
      return Expression::Literal(expr::MakeLongScalar(value));
    case 's': {
      if (!fits_long || value < INT16_MIN || value > INT16_MAX) {
        return out_of_range("smallint");
      }
      Int16Builder builder(ShortType());
      builder.Append(static_cast<int16_t>(value));
      return Expression::Literal(builder.Finish());
    }
    case 'y': {
      if (!fits_long || value < INT8_MIN || value > INT8_MAX) {
        return out_of_range("tinyint");
      }
      Int8Builder builder(ByteType());
      builder.Append(static_cast<int8_t>(value));
      return Expression::Literal(builder.Finish());
    }
    default:
      break;
  }
  if (fits_long) {
    if (value >= INT32_MIN && value <= INT32_MAX) {
      return Expression::Literal(expr::MakeIntScalar(static_cast<int32_t>(value)));
    }
    return Expression::Literal(expr::MakeLongScalar(value));
  }
  // Beyond a long: Spark makes it a decimal(digits, 0).
  const int digits = static_cast<int>(text.size());
  Int128 unscaled = 0;
  if (digits > kMaxDecimalPrecision || !ParseDecimal(text, kMaxDecimalPrecision, 0, &unscaled)) {
    return out_of_range("decimal(38,0)");
  }
  return Expression::Literal(expr::MakeDecimalScalar(unscaled, digits, 0));
}

Result<ExprPtr> DecimalLiteralExpr(std::string_view text, const SourcePosition& position) {
  if (text.size() > 2 && EqualsIgnoreCase(text.substr(text.size() - 2), "bd")) {
    text.remove_suffix(2);
  }
  DecimalLiteral pieces;
  if (!ScanDecimalLiteral(text, &pieces)) {
    return Status::ParseError(fmt::format("[INVALID_NUMERIC_LITERAL] Invalid decimal literal {}.{}",
                                          text, PositionSuffix(position)));
  }
  // Java BigDecimal's precision and scale, as Spark's Literal(BigDecimal) takes them.
  std::string_view integer = pieces.integer_digits;
  while (integer.size() > 1 && integer.front() == '0') {
    integer.remove_prefix(1);
  }
  int scale = static_cast<int>(pieces.fraction_digits.size() - pieces.exponent);
  int digits =
      static_cast<int>((integer == "0" ? 0 : integer.size()) + pieces.fraction_digits.size());
  if (scale < 0) {
    digits -= scale;
    scale = 0;
  }
  int precision = std::max(std::max(digits, scale), 1);
  if (precision > kMaxDecimalPrecision) {
    // Too many digits for a decimal: Spark falls back to a double.
    return Expression::Literal(
        expr::MakeDoubleScalar(std::strtod(std::string(text).c_str(), nullptr)));
  }
  Int128 unscaled = 0;
  if (!ParseDecimal(text, precision, scale, &unscaled)) {
    return Status::ParseError(fmt::format("[INVALID_NUMERIC_LITERAL] Invalid decimal literal {}.{}",
                                          text, PositionSuffix(position)));
  }
  return Expression::Literal(expr::MakeDecimalScalar(unscaled, precision, scale));
}

Result<ExprPtr> DoubleLiteral(std::string_view text) {
  bool is_float = false;
  if (EndsWithSuffix(text, 'd')) {
    text.remove_suffix(1);
  } else if (EndsWithSuffix(text, 'f')) {
    is_float = true;
    text.remove_suffix(1);
  }
  const double value = std::strtod(std::string(text).c_str(), nullptr);
  if (is_float) {
    FloatBuilder builder(FloatType());
    builder.Append(static_cast<float>(value));
    return Expression::Literal(builder.Finish());
  }
  return Expression::Literal(expr::MakeDoubleScalar(value));
}

Result<ExprPtr> BinaryLiteral(std::string_view hex, const SourcePosition& position) {
  std::string bytes;
  auto digit = [](char c) -> int {
    c = LowerAscii(c);
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  };
  std::string padded = hex.size() % 2 == 1 ? "0" + std::string(hex) : std::string(hex);
  for (size_t i = 0; i < padded.size(); i += 2) {
    const int high = digit(padded[i]);
    const int low = digit(padded[i + 1]);
    if (high < 0 || low < 0) {
      return Status::ParseError(fmt::format(
          "[INVALID_TYPED_LITERAL] The value of the typed literal \"X\" is invalid: '{}'.{}", hex,
          PositionSuffix(position)));
    }
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  StringBuilder builder(BinaryType());
  builder.Append(bytes);
  return Expression::Literal(builder.Finish());
}

/// Binary operators whose function name differs from the operator.
std::string_view OperatorFunction(std::string_view op) {
  if (op == "||") {
    return "concat";
  }
  if (EqualsIgnoreCase(op, "DIV")) {
    return "div";
  }
  return op;
}

}  // namespace

std::string PositionSuffix(const SourcePosition& position) {
  return fmt::format("; line {} pos {}", position.line, position.column - 1);
}

Result<std::string> ConstantStringArgument(Binder& binder, const ParsedExpr& value,
                                           std::string_view function, std::string_view name,
                                           std::string_view at) {
  SLUICE_ASSIGN_OR_RETURN(expr::ExprPtr bound, binder.BindExpression(value, MakeSchema({})));
  if (!bound->IsConstant()) {
    return Status::BindError(
        fmt::format("[NON_FOLDABLE_ARGUMENT] The function `{}` requires the parameter `{}` to be a "
                    "foldable expression, but the actual argument is a non-foldable.{}",
                    function, name, at));
  }
  SLUICE_ASSIGN_OR_RETURN(
      VectorPtr text,
      expr::EvaluateConstant(*expr::Expression::Cast(bound, StringType(), /*try_cast=*/false),
                             binder.eval_context()));
  if (text->IsNull(0)) {
    return Status::BindError(
        fmt::format("[INVALID_PARAMETER_VALUE.NULL] The function `{}` argument `{}`: the value "
                    "must not be NULL.{}",
                    function, name, at));
  }
  return std::string(text->StringValue(0));
}

std::string QuoteIdentifier(std::string_view name) {
  return fmt::format("`{}`", name);
}

std::string SqlTypeName(const TypePtr& type) {
  return type->ToDdl();
}

ExprPtr CastIfNeeded(ExprPtr value, const TypePtr& type) {
  if (value->type()->Equals(*type)) {
    return value;
  }
  return Expression::Cast(std::move(value), type, /*try_cast=*/false);
}

Result<ExprPtr> ExprBinder::Bind(const ParsedExpr& parsed) {
  switch (parsed.kind) {
    case ExprKind::kLiteral:
      return BindLiteral(parsed);
    case ExprKind::kInterval:
      return Status::BindError(fmt::format(
          "[UNSUPPORTED_FEATURE] An interval value is only supported added to or subtracted "
          "from a date or timestamp: \"{}\"{}",
          PrettyName(parsed), PositionSuffix(parsed.position)));
    case ExprKind::kColumnRef:
      return BindColumn(parsed);
    case ExprKind::kStar:
      return Status::BindError(
          fmt::format("[INVALID_USAGE_OF_STAR_OR_REGEX] Invalid usage of '*' in expression{}",
                      PositionSuffix(parsed.position)));
    case ExprKind::kUnary: {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr operand, Bind(*parsed.children[0]));
      std::string name = parsed.text;
      if (parsed.text == "-") {
        name = "negative";
      } else if (parsed.text == "+") {
        name = "positive";
      } else if (EqualsIgnoreCase(parsed.text, "NOT")) {
        name = "not";
      }
      return CallFunction(name, {std::move(operand)}, PrettyName(parsed));
    }
    case ExprKind::kBinary:
      return BindBinary(parsed);
    case ExprKind::kFunction:
      return BindFunction(parsed);
    case ExprKind::kCast:
      return BindCast(parsed);
    case ExprKind::kCase:
      return BindCase(parsed);
    case ExprKind::kIn: {
      SLUICE_ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindArgs(parsed));
      SLUICE_ASSIGN_OR_RETURN(ExprPtr in, CallFunction("in", std::move(args), PrettyName(parsed)));
      if (parsed.negated) {
        return CallFunction("not", {std::move(in)}, PrettyName(parsed));
      }
      return in;
    }
    case ExprKind::kBetween: {
      SLUICE_ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindArgs(parsed));
      const std::string sql = PrettyName(parsed);
      SLUICE_ASSIGN_OR_RETURN(ExprPtr low, CallFunction(">=", {args[0], args[1]}, sql));
      SLUICE_ASSIGN_OR_RETURN(ExprPtr high, CallFunction("<=", {args[0], args[2]}, sql));
      ExprPtr between = Expression::And(std::move(low), std::move(high));
      if (parsed.negated) {
        return CallFunction("not", {std::move(between)}, sql);
      }
      return between;
    }
    case ExprKind::kLike: {
      SLUICE_ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindArgs(parsed));
      if (parsed.escape != nullptr) {
        SLUICE_ASSIGN_OR_RETURN(ExprPtr escape, Bind(*parsed.escape));
        args.push_back(std::move(escape));
      }
      std::string name = ToLowerAscii(parsed.text);
      if (name == "regexp") {
        name = "rlike";
      }
      SLUICE_ASSIGN_OR_RETURN(ExprPtr like,
                              CallFunction(name, std::move(args), PrettyName(parsed)));
      if (parsed.negated) {
        return CallFunction("not", {std::move(like)}, PrettyName(parsed));
      }
      return like;
    }
    case ExprKind::kIsNull: {
      SLUICE_ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindArgs(parsed));
      return CallFunction(parsed.negated ? "isnotnull" : "isnull", std::move(args),
                          PrettyName(parsed));
    }
    case ExprKind::kIsBoolean: {
      SLUICE_ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindArgs(parsed));
      args.push_back(
          Expression::Literal(expr::MakeBooleanScalar(EqualsIgnoreCase(parsed.text, "TRUE"))));
      SLUICE_ASSIGN_OR_RETURN(ExprPtr same,
                              CallFunction("<=>", std::move(args), PrettyName(parsed)));
      if (parsed.negated) {
        return CallFunction("not", {std::move(same)}, PrettyName(parsed));
      }
      return same;
    }
    case ExprKind::kIsDistinctFrom: {
      SLUICE_ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindArgs(parsed));
      SLUICE_ASSIGN_OR_RETURN(ExprPtr same,
                              CallFunction("<=>", std::move(args), PrettyName(parsed)));
      if (parsed.negated) {
        return same;  // IS NOT DISTINCT FROM
      }
      return CallFunction("not", {std::move(same)}, PrettyName(parsed));
    }
    case ExprKind::kSubscript: {
      SLUICE_ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindArgs(parsed));
      return CallFunction("subscript", std::move(args), PrettyName(parsed));
    }
    case ExprKind::kFieldAccess: {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr base, Bind(*parsed.children[0]));
      return CallFunction(
          "get_field", {std::move(base), Expression::Literal(expr::MakeStringScalar(parsed.text))},
          PrettyName(parsed));
    }
    case ExprKind::kScalarSubquery:
      if (subqueries_ != nullptr) {
        return BindScalarSubquery(parsed);
      }
      [[fallthrough]];
    case ExprKind::kInSubquery:
    case ExprKind::kExists:
      return Status::BindError(fmt::format(
          "[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY] This subquery is supported only as a "
          "top-level conjunct of WHERE (IN / EXISTS, uncorrelated): \"{}\"{}",
          PrettyName(parsed), PositionSuffix(parsed.position)));
    case ExprKind::kLambda:
      return Status::BindError(
          fmt::format("[UNSUPPORTED_FEATURE] Lambda functions are not supported yet{}",
                      PositionSuffix(parsed.position)));
  }
  return Status::Internal("unknown expression kind");
}

Result<ExprPtr> ExprBinder::BindScalarSubquery(const ParsedExpr& parsed) {
  SLUICE_ASSIGN_OR_RETURN(BoundSubquery bound, subqueries_->bind(*parsed.subquery));
  if (!bound.outer_keys.empty()) {
    return BindCorrelatedSubquery(std::move(bound));
  }
  const PlanPtr& plan = bound.plan;
  if (plan->schema()->num_fields() != 1) {
    return Status::BindError(fmt::format(
        "[INVALID_SUBQUERY_EXPRESSION.SCALAR_SUBQUERY_RETURN_MORE_THAN_ONE_OUTPUT_COLUMN] Invalid "
        "subquery: Scalar subquery must return only one column, but got {}.{}",
        plan->schema()->num_fields(), PositionSuffix(parsed.position)));
  }
  // One row: count the subquery's rows and fail past one, as Spark does at run time.
  const Field& field = plan->schema()->field(0);
  const expr::FunctionRegistry& registry = expr::FunctionRegistry::Default();
  expr::BindContext context{eval_.ansi, eval_.time_zone, "scalarsubquery()"};
  ExprPtr value = Expression::Column(0, field.type, true);
  AggregateCall count;
  SLUICE_ASSIGN_OR_RETURN(count.function, registry.Find("count")->aggregate({}, {}, context));
  count.display = "count(1)";
  AggregateCall first;
  SLUICE_ASSIGN_OR_RETURN(first.function, registry.Find("first")->aggregate({value}, {}, context));
  first.args = {CastIfNeeded(
      value, first.function.arg_types.empty() ? field.type : first.function.arg_types[0])};
  first.display = "first(value)";
  SchemaPtr stats = MakeSchema({MakeField("count", count.function.return_type, false),
                                MakeField("value", first.function.return_type, true)});
  PlanPtr single = std::make_shared<AggregateNode>(stats, plan, std::vector<ExprPtr>{},
                                                   std::vector<AggregateCall>{count, first});
  Scope stats_scope = MakeScope(*stats, {});
  ExprBinder stats_binder(stats_scope, options_, eval_, binder_);
  ExprPtr rows = Expression::Column(0, count.function.return_type, false);
  SLUICE_ASSIGN_OR_RETURN(
      ExprPtr too_many,
      stats_binder.CallFunction(">", {rows, Expression::Literal(expr::MakeLongScalar(1))}, ">"));
  // Evaluated only on the rows CASE sends to it: those with more than one row.
  expr::BoundScalarFunction too_many_rows;
  too_many_rows.name = "scalar_subquery_too_many_rows";
  too_many_rows.return_type = first.function.return_type;
  too_many_rows.deterministic = false;
  too_many_rows.null_intolerant = false;
  too_many_rows.kernel = [](const std::vector<VectorPtr>&, int64_t,
                            const expr::EvalContext&) -> Result<VectorPtr> {
    return Status::InvalidArgument(
        "[SCALAR_SUBQUERY_TOO_MANY_ROWS] More than one row returned by a subquery used as an "
        "expression.");
  };
  ExprPtr fail = Expression::Call(std::move(too_many_rows), {});
  ExprPtr result =
      Expression::Case({too_many, fail, Expression::Column(1, first.function.return_type, true)},
                       /*has_else=*/true, first.function.return_type);
  PlanPtr projected = std::make_shared<ProjectNode>(
      MakeSchema({MakeField("scalarsubquery()", first.function.return_type, true)}), single,
      std::vector<ExprPtr>{result});
  subqueries_->plans.push_back({projected, {}, {}, nullptr});
  return SubqueryColumn(first.function.return_type);
}

Result<ExprPtr> ExprBinder::BindCorrelatedSubquery(BoundSubquery bound) {
  // The joined columns: the outer plan's (with the earlier subqueries' values), then
  // the subquery's keys and value.
  const int left_width = subqueries_->base + static_cast<int>(subqueries_->plans.size());
  const Schema& schema = *bound.plan->schema();
  const int num_keys = static_cast<int>(bound.outer_keys.size());
  ScalarSubqueryJoin join;
  join.plan = bound.plan;
  for (int i = 0; i < num_keys; ++i) {
    ExprPtr outer_key = bound.outer_keys[i];
    ExprPtr inner_key = Expression::Column(i, schema.field(i).type, true);
    TypePtr type = expr::ComparisonType(outer_key->type(), inner_key->type(), eval_.ansi);
    if (type == nullptr) {
      return Status::BindError(fmt::format(
          "[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] The correlated condition compares \"{}\" "
          "with \"{}\".",
          SqlTypeName(outer_key->type()), SqlTypeName(inner_key->type())));
    }
    join.left_keys.push_back(CastIfNeeded(std::move(outer_key), type));
    join.right_keys.push_back(CastIfNeeded(std::move(inner_key), type));
  }
  const Field& value_field = schema.field(num_keys);
  ExprPtr value = Expression::Column(left_width + num_keys, value_field.type, true);
  if (bound.empty_value != nullptr) {
    // No inner row matched (the key is null only then: `=` never matches null keys).
    ExprPtr marker = Expression::Column(left_width, schema.field(0).type, true);
    SLUICE_ASSIGN_OR_RETURN(ExprPtr unmatched, CallFunction("isnull", {marker}, "isnull"));
    SLUICE_ASSIGN_OR_RETURN(value, CallFunction("if", {unmatched, bound.empty_value, value}, "if"));
  }
  join.value = value;
  subqueries_->plans.push_back(std::move(join));
  return SubqueryColumn(value->type());
}

ExprPtr ExprBinder::SubqueryColumn(const TypePtr& type) const {
  const int k = static_cast<int>(subqueries_->plans.size()) - 1;
  const int base = subqueries_->placeholder >= 0 ? subqueries_->placeholder : subqueries_->base;
  return Expression::Column(base + k, type, true);
}

PlanPtr JoinScalarSubqueries(PlanPtr plan, const std::vector<ScalarSubqueryJoin>& subqueries) {
  for (const ScalarSubqueryJoin& subquery : subqueries) {
    const SchemaPtr left = plan->schema();
    std::vector<Field> fields = left->fields();
    if (subquery.left_keys.empty()) {
      fields.push_back(subquery.plan->schema()->field(0));
      plan = std::make_shared<JoinNode>(MakeSchema(std::move(fields)), plan, subquery.plan,
                                        JoinKind::kLeft);
      continue;
    }
    const std::vector<Field>& right = subquery.plan->schema()->fields();
    fields.insert(fields.end(), right.begin(), right.end());
    auto join = std::make_shared<JoinNode>(MakeSchema(std::move(fields)), plan, subquery.plan,
                                           JoinKind::kLeft);
    join->left_keys = subquery.left_keys;
    join->right_keys = subquery.right_keys;
    join->null_safe.assign(subquery.left_keys.size(), false);
    std::vector<ExprPtr> columns;
    std::vector<Field> projected = left->fields();
    for (int i = 0; i < left->num_fields(); ++i) {
      columns.push_back(Expression::Column(i, left->field(i).type, left->field(i).nullable));
    }
    columns.push_back(subquery.value);
    projected.push_back(MakeField("scalarsubquery()", subquery.value->type(), true));
    plan =
        std::make_shared<ProjectNode>(MakeSchema(std::move(projected)), join, std::move(columns));
  }
  return plan;
}

Result<ExprPtr> ExprBinder::BindCondition(const ParsedExpr& parsed, std::string_view clause) {
  SLUICE_ASSIGN_OR_RETURN(ExprPtr condition, Bind(parsed));
  const TypeId id = condition->type()->id();
  if (id == TypeId::kNull) {
    return Expression::Cast(std::move(condition), BooleanType(), false);
  }
  if (id != TypeId::kBoolean) {
    return Status::BindError(fmt::format(
        "[DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN] Cannot resolve \"{}\" due to data type mismatch: "
        "{} expression \"{}\" of type \"{}\" is not a boolean.{}",
        PrettyName(parsed), clause, PrettyName(parsed), SqlTypeName(condition->type()),
        PositionSuffix(parsed.position)));
  }
  return condition;
}

Result<std::vector<ExprPtr>> ExprBinder::BindArgs(const ParsedExpr& parsed) {
  std::vector<ExprPtr> args;
  args.reserve(parsed.children.size());
  for (const ParsedExprPtr& child : parsed.children) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr arg, Bind(*child));
    args.push_back(std::move(arg));
  }
  return args;
}

Result<ExprPtr> ExprBinder::BindLiteral(const ParsedExpr& parsed) {
  const std::string& text = parsed.text;
  switch (parsed.literal_kind) {
    case LiteralKind::kNull:
      return Expression::Literal(expr::MakeNullScalar(NullType()));
    case LiteralKind::kBoolean:
      return Expression::Literal(expr::MakeBooleanScalar(EqualsIgnoreCase(text, "true")));
    case LiteralKind::kInteger:
      return IntegerLiteral(text, parsed.position);
    case LiteralKind::kDecimal:
      return DecimalLiteralExpr(text, parsed.position);
    case LiteralKind::kDouble:
      return DoubleLiteral(text);
    case LiteralKind::kString:
      return Expression::Literal(expr::MakeStringScalar(text));
    case LiteralKind::kBinary:
      return BinaryLiteral(text, parsed.position);
    case LiteralKind::kDate:
    case LiteralKind::kTimestamp:
    case LiteralKind::kTimestampNtz: {
      const TypePtr type = parsed.literal_kind == LiteralKind::kDate        ? DateType()
                           : parsed.literal_kind == LiteralKind::kTimestamp ? TimestampType()
                                                                            : TimestampNtzType();
      Result<VectorPtr> value =
          expr::CastVector(expr::MakeStringScalar(text), type, eval_, /*try_cast=*/true);
      if (!value.ok() || (*value)->IsNull(0)) {
        return Status::ParseError(fmt::format(
            "[INVALID_TYPED_LITERAL] The value of the typed literal \"{}\" is invalid: '{}'.{}",
            SqlTypeName(type), text, PositionSuffix(parsed.position)));
      }
      return Expression::Literal(std::move(value).value());
    }
  }
  return Status::Internal("unknown literal kind");
}

Result<ExprPtr> ExprBinder::BindBinary(const ParsedExpr& parsed) {
  const ParsedExpr& left = *parsed.children[0];
  const ParsedExpr& right = *parsed.children[1];
  const std::string& op = parsed.text;
  if (EqualsIgnoreCase(op, "AND") || EqualsIgnoreCase(op, "OR")) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr lhs, BindCondition(left, "AND/OR"));
    SLUICE_ASSIGN_OR_RETURN(ExprPtr rhs, BindCondition(right, "AND/OR"));
    return EqualsIgnoreCase(op, "AND") ? Expression::And(std::move(lhs), std::move(rhs))
                                       : Expression::Or(std::move(lhs), std::move(rhs));
  }
  if (op == "+" || op == "-") {
    if (right.kind == ExprKind::kInterval) {
      return BindInterval(left, right, op == "-", parsed);
    }
    if (left.kind == ExprKind::kInterval && op == "+") {
      return BindInterval(right, left, false, parsed);
    }
  }
  SLUICE_ASSIGN_OR_RETURN(ExprPtr lhs, Bind(left));
  SLUICE_ASSIGN_OR_RETURN(ExprPtr rhs, Bind(right));
  return CallFunction(OperatorFunction(op), {std::move(lhs), std::move(rhs)}, PrettyName(parsed));
}

Result<ExprPtr> ExprBinder::BindInterval(const ParsedExpr& left, const ParsedExpr& interval,
                                         bool subtract, const ParsedExpr& whole) {
  SLUICE_ASSIGN_OR_RETURN(ExprPtr base, Bind(left));
  const int sign = subtract ? -1 : 1;
  std::vector<ExprPtr> args = {
      std::move(base), Expression::Literal(expr::MakeIntScalar(sign * interval.interval.months)),
      Expression::Literal(expr::MakeIntScalar(sign * interval.interval.days)),
      Expression::Literal(expr::MakeLongScalar(sign * interval.interval.micros))};
  return CallFunction("add_interval", std::move(args), PrettyName(whole));
}

Result<ExprPtr> ExprBinder::BindCast(const ParsedExpr& parsed) {
  SLUICE_ASSIGN_OR_RETURN(ExprPtr input, Bind(*parsed.children[0]));
  Result<TypePtr> type = ParseDdlType(parsed.text);
  if (!type.ok()) {
    return Status::ParseError(fmt::format("[UNSUPPORTED_DATATYPE] Unsupported data type \"{}\".{}",
                                          parsed.text, PositionSuffix(parsed.position)));
  }
  if (!expr::CanCast(input->type(), *type, eval_.ansi && !parsed.try_cast)) {
    return Status::BindError(fmt::format(
        "[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve \"{}\" due to data type "
        "mismatch: cannot cast \"{}\" to \"{}\".{}",
        PrettyName(parsed), SqlTypeName(input->type()), SqlTypeName(*type),
        PositionSuffix(parsed.position)));
  }
  return Expression::Cast(std::move(input), std::move(type).value(), parsed.try_cast);
}

Result<ExprPtr> ExprBinder::BindCase(const ParsedExpr& parsed) {
  ExprPtr operand;
  if (parsed.case_operand != nullptr) {
    SLUICE_ASSIGN_OR_RETURN(operand, Bind(*parsed.case_operand));
  }
  std::vector<ExprPtr> conditions;
  std::vector<ExprPtr> results;
  const std::string sql = PrettyName(parsed);
  for (size_t i = 0; i + 1 < parsed.children.size(); i += 2) {
    ExprPtr condition;
    if (operand != nullptr) {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr value, Bind(*parsed.children[i]));
      SLUICE_ASSIGN_OR_RETURN(condition, CallFunction("=", {operand, std::move(value)}, sql));
    } else {
      SLUICE_ASSIGN_OR_RETURN(condition, BindCondition(*parsed.children[i], "CASE WHEN"));
    }
    conditions.push_back(std::move(condition));
    SLUICE_ASSIGN_OR_RETURN(ExprPtr result, Bind(*parsed.children[i + 1]));
    results.push_back(std::move(result));
  }
  if (parsed.else_expr != nullptr) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr otherwise, Bind(*parsed.else_expr));
    results.push_back(std::move(otherwise));
  }
  std::vector<TypePtr> types;
  for (const ExprPtr& result : results) {
    types.push_back(result->type());
  }
  TypePtr type = expr::WiderCommonType(types, eval_.ansi);
  if (type == nullptr) {
    std::string names;
    for (const TypePtr& t : types) {
      names += (names.empty() ? "" : ", ") + fmt::format("\"{}\"", SqlTypeName(t));
    }
    return Status::BindError(fmt::format(
        "[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve \"{}\" due to data type mismatch: "
        "Input to `casewhen` should all be the same type, but it's [{}].{}",
        sql, names, PositionSuffix(parsed.position)));
  }
  std::vector<ExprPtr> children;
  for (size_t i = 0; i < conditions.size(); ++i) {
    children.push_back(conditions[i]);
    children.push_back(CastIfNeeded(results[i], type));
  }
  const bool has_else = parsed.else_expr != nullptr;
  if (has_else) {
    children.push_back(CastIfNeeded(results.back(), type));
  }
  return Expression::Case(std::move(children), has_else, type);
}

Result<ExprPtr> ExprBinder::CallFunction(std::string_view name, std::vector<ExprPtr> args,
                                         const std::string& call_sql) {
  const expr::FunctionEntry* entry = expr::FunctionRegistry::Default().Find(name);
  if (entry == nullptr || entry->kind != expr::FunctionKind::kScalar) {
    return Status::BindError(fmt::format(
        "[UNRESOLVED_ROUTINE] Cannot resolve routine {} on search path [`system`.`builtin`, "
        "`system`.`session`, `spark_catalog`.`default`].",
        QuoteIdentifier(name)));
  }
  expr::BindContext context{eval_.ansi, eval_.time_zone, call_sql};
  SLUICE_ASSIGN_OR_RETURN(expr::BoundScalarFunction function, entry->scalar(args, context));
  if (function.arg_types.size() == args.size()) {
    for (size_t i = 0; i < args.size(); ++i) {
      if (function.arg_types[i] != nullptr) {
        args[i] = CastIfNeeded(std::move(args[i]), function.arg_types[i]);
      }
    }
  }
  return Expression::Call(std::move(function), std::move(args));
}

Result<ExprPtr> ExprBinder::BindFunction(const ParsedExpr& parsed) {
  const std::string name = ToLowerAscii(parsed.text);
  const expr::FunctionEntry* entry = expr::FunctionRegistry::Default().Find(name);
  if (entry == nullptr) {
    return Status::BindError(fmt::format(
        "[UNRESOLVED_ROUTINE] Cannot resolve routine {} on search path [`system`.`builtin`, "
        "`system`.`session`, `spark_catalog`.`default`].{}",
        QuoteIdentifier(parsed.text), PositionSuffix(parsed.position)));
  }
  if (parsed.window != nullptr) {
    return BindWindow(parsed, *entry);
  }
  switch (entry->kind) {
    case expr::FunctionKind::kAggregate:
      return BindAggregate(parsed, *entry);
    case expr::FunctionKind::kWindow:
      return Status::BindError(fmt::format(
          "[WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE] Window function \"{}\" requires an OVER "
          "clause.{}",
          name, PositionSuffix(parsed.position)));
    case expr::FunctionKind::kGenerator:
      return Status::BindError(fmt::format(
          "[UNSUPPORTED_GENERATOR.OUTSIDE_SELECT] The generator is not supported: outside the "
          "SELECT clause, found: \"{}\".{}",
          PrettyName(parsed), PositionSuffix(parsed.position)));
    case expr::FunctionKind::kScalar:
      break;
  }
  if (parsed.distinct || parsed.filter != nullptr) {
    return Status::BindError(fmt::format(
        "[INVALID_SQL_SYNTAX] DISTINCT or FILTER is only allowed in aggregate functions: \"{}\"{}",
        PrettyName(parsed), PositionSuffix(parsed.position)));
  }
  SLUICE_ASSIGN_OR_RETURN(std::vector<ExprPtr> args, BindArgs(parsed));
  return CallFunction(name, std::move(args), PrettyName(parsed));
}

Result<ExprPtr> ExprBinder::BindAggregate(const ParsedExpr& parsed,
                                          const expr::FunctionEntry& entry) {
  if (aggregates_ == nullptr) {
    return Status::BindError(fmt::format(
        "[INVALID_AGGREGATE_FILTER.CONTAINS_AGGREGATE] or misplaced aggregate: aggregate "
        "function \"{}\" is not allowed here.{}",
        PrettyName(parsed), PositionSuffix(parsed.position)));
  }
  // Arguments are bound without aggregates: nested aggregates are an error.
  ExprBinder inner(scope_, options_, eval_, binder_);
  std::vector<ExprPtr> args;
  if (!parsed.star_argument) {
    for (const ParsedExprPtr& child : parsed.children) {
      if (child->kind == ExprKind::kStar) {
        continue;  // count(*) written with the star as an argument
      }
      Result<ExprPtr> arg = inner.Bind(*child);
      if (!arg.ok() && arg.status().message().find("aggregate function") != std::string::npos) {
        return Status::BindError(fmt::format(
            "[NESTED_AGGREGATE_FUNCTION] It is not allowed to use an aggregate function in the "
            "argument of another aggregate function. Please use the inner aggregate function in a "
            "sub-query.{}",
            PositionSuffix(parsed.position)));
      }
      SLUICE_RETURN_IF_ERROR(arg.status());
      args.push_back(std::move(arg).value());
    }
  }
  expr::AggregateCallOptions call_options;
  call_options.distinct = parsed.distinct;
  call_options.ignore_nulls = parsed.ignore_nulls.value_or(false);
  expr::BindContext context{eval_.ansi, eval_.time_zone, PrettyName(parsed)};
  SLUICE_ASSIGN_OR_RETURN(expr::BoundAggregateFunction function,
                          entry.aggregate(args, call_options, context));
  if (function.arg_types.size() == args.size()) {
    for (size_t i = 0; i < args.size(); ++i) {
      if (function.arg_types[i] != nullptr) {
        args[i] = CastIfNeeded(std::move(args[i]), function.arg_types[i]);
      }
    }
  }
  AggregateCall call;
  call.function = std::move(function);
  call.args = std::move(args);
  call.distinct = parsed.distinct;
  call.display = PrettyName(parsed);
  if (parsed.filter != nullptr) {
    SLUICE_ASSIGN_OR_RETURN(call.filter, inner.BindCondition(*parsed.filter, "FILTER"));
  }
  std::string key =
      fmt::format("{}|{}|{}", call.function.name, call.distinct, call_options.ignore_nulls);
  for (const ExprPtr& arg : call.args) {
    key += "|" + arg->ToString();
  }
  if (call.filter != nullptr) {
    key += "|filter " + call.filter->ToString();
  }
  for (size_t i = 0; i < aggregates_->keys.size(); ++i) {
    if (aggregates_->keys[i] == key) {
      return Expression::Column(kAggregateBase + static_cast<int>(i),
                                aggregates_->calls[i].function.return_type);
    }
  }
  const TypePtr type = call.function.return_type;
  aggregates_->keys.push_back(std::move(key));
  aggregates_->calls.push_back(std::move(call));
  return Expression::Column(kAggregateBase + static_cast<int>(aggregates_->calls.size() - 1), type);
}

Status ExprBinder::UnresolvedColumn(const ParsedExpr& parsed) const {
  std::string name;
  for (const std::string& part : parsed.name) {
    name += (name.empty() ? "" : ".") + QuoteIdentifier(part);
  }
  if (scope_.columns.empty()) {
    return Status::BindError(fmt::format(
        "[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column, variable, or function parameter with "
        "name {} cannot be resolved. SQLSTATE: 42703{}",
        name, PositionSuffix(parsed.position)));
  }
  std::string suggestions;
  for (size_t i = 0; i < scope_.columns.size() && i < 5; ++i) {
    const ScopeColumn& column = scope_.columns[i];
    std::string qualified;
    for (const std::string& part : column.qualifier) {
      qualified += QuoteIdentifier(part) + ".";
    }
    suggestions += (i > 0 ? ", " : "") + qualified + QuoteIdentifier(column.name);
  }
  return Status::BindError(fmt::format(
      "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name "
      "{} cannot be resolved. Did you mean one of the following? [{}]. SQLSTATE: 42703{}",
      name, suggestions, PositionSuffix(parsed.position)));
}

Result<ExprPtr> ExprBinder::BindColumn(const ParsedExpr& parsed) {
  const std::vector<std::string>& parts = parsed.name;
  // Longest qualifier first: `t.a` is column a of t before field a of column t.
  for (int qualifier_length = static_cast<int>(parts.size()) - 1; qualifier_length >= 0;
       --qualifier_length) {
    const std::string& column_name = parts[qualifier_length];
    std::vector<int> matches;
    for (size_t i = 0; i < scope_.columns.size(); ++i) {
      const ScopeColumn& column = scope_.columns[i];
      if (!EqualsIgnoreCase(column.name, column_name) ||
          static_cast<int>(column.qualifier.size()) < qualifier_length ||
          (column.hidden && qualifier_length == 0)) {
        continue;
      }
      bool qualifier_matches = true;
      const size_t offset = column.qualifier.size() - qualifier_length;
      for (int q = 0; q < qualifier_length && qualifier_matches; ++q) {
        qualifier_matches = EqualsIgnoreCase(column.qualifier[offset + q], parts[q]);
      }
      if (qualifier_matches) {
        matches.push_back(static_cast<int>(i));
      }
    }
    if (matches.empty()) {
      continue;
    }
    if (matches.size() > 1) {
      std::string candidates;
      for (int index : matches) {
        std::string qualified;
        for (const std::string& part : scope_.columns[index].qualifier) {
          qualified += QuoteIdentifier(part) + ".";
        }
        candidates += (candidates.empty() ? "" : ", ") + qualified +
                      QuoteIdentifier(scope_.columns[index].name);
      }
      return Status::BindError(fmt::format(
          "[AMBIGUOUS_REFERENCE] Reference {} is ambiguous, could be: [{}]. SQLSTATE: 42704{}",
          QuoteIdentifier(column_name), candidates, PositionSuffix(parsed.position)));
    }
    const ScopeColumn& column = scope_.columns[matches[0]];
    ExprPtr result = Expression::Column(matches[0], column.type, column.nullable);
    for (size_t f = qualifier_length + 1; f < parts.size(); ++f) {
      SLUICE_ASSIGN_OR_RETURN(
          result,
          CallFunction("get_field",
                       {std::move(result), Expression::Literal(expr::MakeStringScalar(parts[f]))},
                       PrettyName(parsed)));
    }
    return result;
  }
  return UnresolvedColumn(parsed);
}

}  // namespace sluice::sql::internal
