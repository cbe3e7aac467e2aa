// SPDX-License-Identifier: Apache-2.0
// Test support: renders parse trees as compact s-expressions so that parser tests can
// state the expected tree in one line.
#pragma once

#include <string>
#include <vector>

#include "sql/ast.h"
#include "sql/parser.h"

namespace sluice::sql::testing {

inline std::string Sexpr(const ParsedExpr& expr);
inline std::string Sexpr(const QueryNode& query);
inline std::string Sexpr(const QueryBody& body);
inline std::string Sexpr(const TableRef& table);
inline std::string Sexpr(const WindowSpec& spec);

inline std::string Join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const std::string& part : parts) {
    out += (out.empty() ? "" : separator) + part;
  }
  return out;
}

inline std::string Sexpr(const OrderItem& item) {
  std::string out = Sexpr(*item.expr) + (item.ascending ? " asc" : " desc");
  if (item.nulls_first.has_value()) {
    out += *item.nulls_first ? " nulls-first" : " nulls-last";
  }
  return "(" + out + ")";
}

inline std::string Sexpr(const FrameBound& bound) {
  switch (bound.kind) {
    case FrameBoundKind::kUnboundedPreceding:
      return "unbounded-preceding";
    case FrameBoundKind::kPreceding:
      return "(preceding " + Sexpr(*bound.offset) + ")";
    case FrameBoundKind::kCurrentRow:
      return "current-row";
    case FrameBoundKind::kFollowing:
      return "(following " + Sexpr(*bound.offset) + ")";
    case FrameBoundKind::kUnboundedFollowing:
      return "unbounded-following";
  }
  return "?";
}

inline std::string Sexpr(const WindowSpec& spec) {
  std::string out = "(window";
  if (!spec.name.empty()) {
    out += " " + spec.name;
  }
  if (!spec.partition_by.empty()) {
    out += " (partition";
    for (const auto& e : spec.partition_by) {
      out += " " + Sexpr(*e);
    }
    out += ")";
  }
  if (!spec.order_by.empty()) {
    out += " (order";
    for (const auto& item : spec.order_by) {
      out += " " + Sexpr(item);
    }
    out += ")";
  }
  if (spec.frame.has_value()) {
    out += std::string(" (") + (spec.frame->rows ? "rows " : "range ") + Sexpr(spec.frame->start) +
           " " + Sexpr(spec.frame->end) + ")";
  }
  return out + ")";
}

inline std::string LiteralSexpr(const ParsedExpr& expr) {
  switch (expr.literal_kind) {
    case LiteralKind::kNull:
      return "null";
    case LiteralKind::kBoolean:
    case LiteralKind::kInteger:
      return expr.text;
    case LiteralKind::kDecimal:
      return expr.text + ":dec";
    case LiteralKind::kDouble:
      return expr.text + ":dbl";
    case LiteralKind::kString:
      return "'" + expr.text + "'";
    case LiteralKind::kDate:
      return "date'" + expr.text + "'";
    case LiteralKind::kTimestamp:
      return "ts'" + expr.text + "'";
    case LiteralKind::kTimestampNtz:
      return "ntz'" + expr.text + "'";
    case LiteralKind::kBinary:
      return "x'" + expr.text + "'";
  }
  return "?";
}

inline std::string ChildrenSexpr(const ParsedExpr& expr) {
  std::string out;
  for (const auto& child : expr.children) {
    out += " " + Sexpr(*child);
  }
  return out;
}

inline std::string FunctionSexpr(const ParsedExpr& expr) {
  std::string out = "(" + expr.text;
  if (expr.distinct) {
    out += " distinct";
  }
  if (expr.star_argument) {
    out += " *";
  }
  out += ChildrenSexpr(expr);
  if (expr.filter) {
    out += " (filter " + Sexpr(*expr.filter) + ")";
  }
  if (expr.ignore_nulls.has_value()) {
    out += *expr.ignore_nulls ? " ignore-nulls" : " respect-nulls";
  }
  if (expr.window) {
    out += " " + Sexpr(*expr.window);
  }
  return out + ")";
}

inline std::string Sexpr(const ParsedExpr& expr) {
  const std::string no = expr.negated ? "not-" : "";
  switch (expr.kind) {
    case ExprKind::kLiteral:
      return LiteralSexpr(expr);
    case ExprKind::kInterval:
      return "(interval " + std::to_string(expr.interval.months) + " " +
             std::to_string(expr.interval.days) + " " + std::to_string(expr.interval.micros) + ")";
    case ExprKind::kColumnRef:
      return Join(expr.name, ".");
    case ExprKind::kStar:
      return expr.name.empty() ? "*" : Join(expr.name, ".") + ".*";
    case ExprKind::kUnary:
    case ExprKind::kBinary:
      return "(" + expr.text + ChildrenSexpr(expr) + ")";
    case ExprKind::kFunction:
      return FunctionSexpr(expr);
    case ExprKind::kCast:
      return std::string("(") + (expr.try_cast ? "try_cast" : "cast") + ChildrenSexpr(expr) + " " +
             expr.text + ")";
    case ExprKind::kCase: {
      std::string out = "(case";
      if (expr.case_operand) {
        out += " " + Sexpr(*expr.case_operand);
      }
      for (size_t i = 0; i + 1 < expr.children.size(); i += 2) {
        out += " (when " + Sexpr(*expr.children[i]) + " " + Sexpr(*expr.children[i + 1]) + ")";
      }
      if (expr.else_expr) {
        out += " (else " + Sexpr(*expr.else_expr) + ")";
      }
      return out + ")";
    }
    case ExprKind::kIn:
      return "(" + no + "in" + ChildrenSexpr(expr) + ")";
    case ExprKind::kInSubquery:
      return "(" + no + "in" + ChildrenSexpr(expr) + " " + Sexpr(*expr.subquery) + ")";
    case ExprKind::kExists:
      return "(" + no + "exists " + Sexpr(*expr.subquery) + ")";
    case ExprKind::kScalarSubquery:
      return "(subquery " + Sexpr(*expr.subquery) + ")";
    case ExprKind::kBetween:
      return "(" + no + "between" + ChildrenSexpr(expr) + ")";
    case ExprKind::kLike: {
      std::string op = expr.text;
      for (char& c : op) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      }
      std::string out = "(" + no + op + ChildrenSexpr(expr);
      if (expr.escape) {
        out += " (escape " + Sexpr(*expr.escape) + ")";
      }
      return out + ")";
    }
    case ExprKind::kIsNull:
      return std::string("(is-") + (expr.negated ? "not-" : "") + "null" + ChildrenSexpr(expr) +
             ")";
    case ExprKind::kIsBoolean:
      return std::string("(is-") + (expr.negated ? "not-" : "") +
             (expr.text == "TRUE" ? "true" : "false") + ChildrenSexpr(expr) + ")";
    case ExprKind::kIsDistinctFrom:
      return std::string("(is-") + (expr.negated ? "not-" : "") + "distinct-from" +
             ChildrenSexpr(expr) + ")";
    case ExprKind::kSubscript:
      return "([]" + ChildrenSexpr(expr) + ")";
    case ExprKind::kFieldAccess:
      return "(." + ChildrenSexpr(expr) + " " + expr.text + ")";
    case ExprKind::kLambda:
      return "(lambda (" + Join(expr.lambda_params, " ") + ")" + ChildrenSexpr(expr) + ")";
  }
  return "?";
}

inline std::string RowsSexpr(const std::vector<std::vector<ParsedExprPtr>>& rows) {
  std::string out = "(values";
  for (const auto& row : rows) {
    std::vector<std::string> items;
    for (const auto& e : row) {
      items.push_back(Sexpr(*e));
    }
    out += " (" + Join(items, " ") + ")";
  }
  return out + ")";
}

inline std::string Sexpr(const TableRef& table) {
  std::string out;
  switch (table.kind) {
    case TableRefKind::kNamed:
      out = Join(table.name, ".");
      break;
    case TableRefKind::kPath:
      out = table.format + ":" + table.path;
      break;
    case TableRefKind::kSubquery:
      out = Sexpr(*table.subquery);
      break;
    case TableRefKind::kJoin: {
      static const char* const kNames[] = {"inner", "left", "right", "full",
                                           "semi",  "anti", "cross"};
      out = std::string("(") + (table.natural ? "natural-" : "") +
            kNames[static_cast<int>(table.join_type)] + " " + Sexpr(*table.left) + " " +
            Sexpr(*table.right);
      if (table.join_condition) {
        out += " (on " + Sexpr(*table.join_condition) + ")";
      }
      if (!table.using_columns.empty()) {
        out += " (using " + Join(table.using_columns, " ") + ")";
      }
      out += ")";
      break;
    }
    case TableRefKind::kFunction: {
      out = "(" + Join(table.name, ".");
      for (const auto& arg : table.function_args) {
        out += " " + Sexpr(*arg);
      }
      for (const auto& [name, value] : table.named_args) {
        out += " (=> " + name + " " + Sexpr(*value) + ")";
      }
      out += ")";
      break;
    }
    case TableRefKind::kValues:
      out = RowsSexpr(table.values_rows);
      break;
    case TableRefKind::kLateralView:
      out = std::string("(lateral-view") + (table.lateral_outer ? "-outer " : " ") +
            Sexpr(*table.left) + " " + Sexpr(*table.generator) + ")";
      break;
  }
  if (table.stream) {
    out = "(stream " + out + ")";
  }
  if (table.time_travel.has_value()) {
    if (table.time_travel->version.has_value()) {
      out = "(" + out + " @v" + std::to_string(*table.time_travel->version) + ")";
    } else {
      out = "(" + out + " @ts " + Sexpr(*table.time_travel->timestamp) + ")";
    }
  }
  if (!table.alias.empty()) {
    out = "(as " + out + " " + table.alias;
    if (!table.column_aliases.empty()) {
      out += " (" + Join(table.column_aliases, " ") + ")";
    }
    out += ")";
  }
  return out;
}

inline std::string Sexpr(const SelectCore& core) {
  std::string out = core.distinct ? "(select distinct" : "(select";
  for (const SelectItem& item : core.select_list) {
    if (!item.alias.empty()) {
      out += " (as " + Sexpr(*item.expr) + " " + item.alias + ")";
    } else if (!item.multi_alias.empty()) {
      out += " (as " + Sexpr(*item.expr) + " (" + Join(item.multi_alias, " ") + "))";
    } else {
      out += " " + Sexpr(*item.expr);
    }
  }
  if (core.from) {
    out += " (from " + Sexpr(*core.from) + ")";
  }
  if (core.where) {
    out += " (where " + Sexpr(*core.where) + ")";
  }
  if (core.group_by_all) {
    out += " (group-by-all)";
  }
  if (!core.group_by.empty()) {
    out += " (group";
    for (const auto& e : core.group_by) {
      out += " " + Sexpr(*e);
    }
    out += ")";
  }
  if (core.having) {
    out += " (having " + Sexpr(*core.having) + ")";
  }
  if (core.qualify) {
    out += " (qualify " + Sexpr(*core.qualify) + ")";
  }
  for (const auto& [name, spec] : core.named_windows) {
    out += " (named-window " + name + " " + Sexpr(spec) + ")";
  }
  return out + ")";
}

inline std::string Sexpr(const QueryBody& body) {
  switch (body.kind) {
    case QueryBodyKind::kSelect:
      return Sexpr(*body.select);
    case QueryBodyKind::kSetOp: {
      static const char* const kNames[] = {"union", "intersect", "except"};
      return std::string("(") + kNames[static_cast<int>(body.set_op)] + (body.all ? "-all " : " ") +
             Sexpr(*body.left) + " " + Sexpr(*body.right) + ")";
    }
    case QueryBodyKind::kValues:
      return RowsSexpr(body.values_rows);
    case QueryBodyKind::kQuery:
      return Sexpr(*body.query);
  }
  return "?";
}

/// A query renders as its body alone when it has no WITH / ORDER BY / LIMIT / OFFSET.
inline std::string Sexpr(const QueryNode& query) {
  const bool bare = query.ctes.empty() && query.order_by.empty() && !query.limit && !query.offset;
  if (bare) {
    return Sexpr(*query.body);
  }
  std::string out = "(query";
  for (const CommonTableExpr& cte : query.ctes) {
    out += " (cte " + cte.name;
    if (!cte.column_aliases.empty()) {
      out += " (" + Join(cte.column_aliases, " ") + ")";
    }
    out += " " + Sexpr(*cte.query) + ")";
  }
  out += " " + Sexpr(*query.body);
  if (!query.order_by.empty()) {
    out += " (order";
    for (const auto& item : query.order_by) {
      out += " " + Sexpr(item);
    }
    out += ")";
  }
  if (query.limit) {
    out += " (limit " + Sexpr(*query.limit) + ")";
  }
  if (query.offset) {
    out += " (offset " + Sexpr(*query.offset) + ")";
  }
  return out + ")";
}

/// Parses `sql` as an expression and renders it, or returns "error: <message>".
inline std::string ExprTree(std::string_view sql) {
  Result<ParsedExprPtr> expr = ParseExpression(sql);
  return expr.ok() ? Sexpr(**expr) : "error: " + expr.status().message();
}

/// Parses `sql` as one query statement and renders the query, or "error: <message>".
inline std::string QueryTree(std::string_view sql) {
  Result<StatementPtr> statement = ParseStatement(sql);
  if (!statement.ok()) {
    return "error: " + statement.status().message();
  }
  if ((*statement)->query == nullptr) {
    return "error: not a query";
  }
  return Sexpr(*(*statement)->query);
}

/// Returns the error message of parsing `sql` as a statement ("" when it parses).
inline std::string ParseErrorOf(std::string_view sql) {
  Result<StatementPtr> statement = ParseStatement(sql);
  return statement.ok() ? "" : statement.status().message();
}

}  // namespace sluice::sql::testing
