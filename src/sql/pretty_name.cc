// SPDX-License-Identifier: Apache-2.0
// Spark's generated names of unaliased select items (toPrettySQL).
#include <fmt/format.h>

#include "common/ascii.h"
#include "sql/binder.h"

namespace sluice::sql {

namespace {

std::string JoinPretty(const std::vector<ParsedExprPtr>& exprs, size_t from = 0) {
  std::string text;
  for (size_t i = from; i < exprs.size(); ++i) {
    text += (i > from ? ", " : "") + PrettyName(*exprs[i]);
  }
  return text;
}

std::string LiteralName(const ParsedExpr& expr) {
  std::string text = expr.text;
  switch (expr.literal_kind) {
    case LiteralKind::kNull:
      return "NULL";
    case LiteralKind::kBoolean:
      return ToLowerAscii(text);
    case LiteralKind::kInteger:
    case LiteralKind::kDouble:
      if (!text.empty() && std::isalpha(static_cast<unsigned char>(text.back()))) {
        text.pop_back();
      }
      return text;
    case LiteralKind::kDecimal:
      if (text.size() > 2 && EqualsIgnoreCase(text.substr(text.size() - 2), "bd")) {
        text.resize(text.size() - 2);
      }
      return text;
    case LiteralKind::kString:
      return text;
    case LiteralKind::kDate:
      return fmt::format("DATE '{}'", text);
    case LiteralKind::kTimestamp:
      return fmt::format("TIMESTAMP '{}'", text);
    case LiteralKind::kTimestampNtz:
      return fmt::format("TIMESTAMP_NTZ '{}'", text);
    case LiteralKind::kBinary:
      return fmt::format("X'{}'", text);
  }
  return text;
}

std::string IntervalName(const IntervalValue& interval) {
  std::string text = "INTERVAL";
  if (interval.months != 0) {
    text += fmt::format(" '{}' MONTH", interval.months);
  }
  if (interval.days != 0) {
    text += fmt::format(" '{}' DAY", interval.days);
  }
  if (interval.micros != 0 || (interval.months == 0 && interval.days == 0)) {
    if (interval.micros % 3'600'000'000 == 0) {
      text += fmt::format(" '{}' HOUR", interval.micros / 3'600'000'000);
    } else if (interval.micros % 60'000'000 == 0) {
      text += fmt::format(" '{}' MINUTE", interval.micros / 60'000'000);
    } else {
      text += fmt::format(" '{}' SECOND", static_cast<double>(interval.micros) / 1e6);
    }
  }
  return text;
}

}  // namespace

std::string PrettyName(const ParsedExpr& expr) {
  switch (expr.kind) {
    case ExprKind::kLiteral:
      return LiteralName(expr);
    case ExprKind::kInterval:
      return IntervalName(expr.interval);
    case ExprKind::kColumnRef:
      return expr.name.empty() ? std::string() : expr.name.back();
    case ExprKind::kStar:
      return expr.name.empty() ? "*" : expr.name.back() + ".*";
    case ExprKind::kUnary:
      if (expr.text == "-" && expr.children[0]->kind == ExprKind::kLiteral) {
        return "-" + PrettyName(*expr.children[0]);
      }
      return fmt::format("({} {})", ToUpperAscii(expr.text), PrettyName(*expr.children[0]));
    case ExprKind::kBinary:
      return fmt::format("({} {} {})", PrettyName(*expr.children[0]), ToUpperAscii(expr.text),
                         PrettyName(*expr.children[1]));
    case ExprKind::kFunction: {
      std::string name = ToLowerAscii(expr.text);
      if (expr.star_argument || (name == "count" && expr.children.size() == 1 &&
                                 expr.children[0]->kind == ExprKind::kStar)) {
        return name + "(1)";
      }
      std::string text = fmt::format("{}({}{})", name, expr.distinct ? "DISTINCT " : "",
                                     JoinPretty(expr.children));
      if (expr.filter != nullptr) {
        text += fmt::format(" FILTER (WHERE {})", PrettyName(*expr.filter));
      }
      if (expr.window != nullptr) {
        text += " OVER (...)";
      }
      return text;
    }
    case ExprKind::kCast:
      return fmt::format("{}({} AS {})", expr.try_cast ? "TRY_CAST" : "CAST",
                         PrettyName(*expr.children[0]), ToUpperAscii(expr.text));
    case ExprKind::kCase: {
      std::string text = "CASE";
      if (expr.case_operand != nullptr) {
        text += " " + PrettyName(*expr.case_operand);
      }
      for (size_t i = 0; i + 1 < expr.children.size(); i += 2) {
        text += fmt::format(" WHEN {} THEN {}", PrettyName(*expr.children[i]),
                            PrettyName(*expr.children[i + 1]));
      }
      if (expr.else_expr != nullptr) {
        text += " ELSE " + PrettyName(*expr.else_expr);
      }
      return text + " END";
    }
    case ExprKind::kIn:
      return fmt::format("({} {}IN ({}))", PrettyName(*expr.children[0]),
                         expr.negated ? "NOT " : "", JoinPretty(expr.children, 1));
    case ExprKind::kInSubquery:
      return fmt::format("({} {}IN (listquery()))", PrettyName(*expr.children[0]),
                         expr.negated ? "NOT " : "");
    case ExprKind::kExists:
      return expr.negated ? "(NOT exists())" : "exists()";
    case ExprKind::kScalarSubquery:
      return "scalarsubquery()";
    case ExprKind::kBetween:
      return fmt::format("({} {}BETWEEN {} AND {})", PrettyName(*expr.children[0]),
                         expr.negated ? "NOT " : "", PrettyName(*expr.children[1]),
                         PrettyName(*expr.children[2]));
    case ExprKind::kLike:
      return fmt::format("{}{} {} {}", expr.negated ? "NOT " : "", PrettyName(*expr.children[0]),
                         ToUpperAscii(expr.text), PrettyName(*expr.children[1]));
    case ExprKind::kIsNull:
      return fmt::format("({} IS {}NULL)", PrettyName(*expr.children[0]),
                         expr.negated ? "NOT " : "");
    case ExprKind::kIsBoolean:
      return fmt::format("({} IS {}{})", PrettyName(*expr.children[0]), expr.negated ? "NOT " : "",
                         ToUpperAscii(expr.text));
    case ExprKind::kIsDistinctFrom:
      return fmt::format("({} IS {}DISTINCT FROM {})", PrettyName(*expr.children[0]),
                         expr.negated ? "NOT " : "", PrettyName(*expr.children[1]));
    case ExprKind::kSubscript:
      return fmt::format("{}[{}]", PrettyName(*expr.children[0]), PrettyName(*expr.children[1]));
    case ExprKind::kFieldAccess:
      return expr.text;
    case ExprKind::kLambda:
      return "lambdafunction()";
  }
  return "?";
}

}  // namespace sluice::sql
