// SPDX-License-Identifier: Apache-2.0
#include "sql/stream_refs.h"

namespace sluice::sql {
namespace {

/// Walks a parse tree in source order, collecting the STREAM items.
class StreamRefCollector {
 public:
  explicit StreamRefCollector(std::vector<TableRef*>* out) : out_(out) {}

  void Query(QueryNode& query) {
    for (CommonTableExpr& cte : query.ctes) {
      Query(*cte.query);
    }
    if (query.body != nullptr) {
      Body(*query.body);
    }
    for (OrderItem& item : query.order_by) {
      Expr(item.expr);
    }
    Expr(query.limit);
    Expr(query.offset);
  }

 private:
  void Body(QueryBody& body) {
    switch (body.kind) {
      case QueryBodyKind::kSelect:
        Select(*body.select);
        break;
      case QueryBodyKind::kSetOp:
        Body(*body.left);
        Body(*body.right);
        break;
      case QueryBodyKind::kValues:
        Rows(body.values_rows);
        break;
      case QueryBodyKind::kQuery:
        Query(*body.query);
        break;
    }
  }

  void Select(SelectCore& core) {
    for (SelectItem& item : core.select_list) {
      Expr(item.expr);
    }
    if (core.from != nullptr) {
      Table(*core.from);
    }
    Expr(core.where);
    for (ParsedExprPtr& expr : core.group_by) {
      Expr(expr);
    }
    Expr(core.having);
    for (auto& [name, spec] : core.named_windows) {
      Window(spec);
    }
    Expr(core.qualify);
  }

  void Table(TableRef& table) {
    if (table.stream) {
      out_->push_back(&table);
    }
    if (table.time_travel.has_value()) {
      Expr(table.time_travel->timestamp);
    }
    if (table.subquery != nullptr) {
      Query(*table.subquery);
    }
    if (table.left != nullptr) {
      Table(*table.left);
    }
    if (table.right != nullptr) {
      Table(*table.right);
    }
    Expr(table.join_condition);
    for (ParsedExprPtr& arg : table.function_args) {
      Expr(arg);
    }
    for (auto& [name, value] : table.named_args) {
      Expr(value);
    }
    Rows(table.values_rows);
    Expr(table.generator);
  }

  void Rows(std::vector<std::vector<ParsedExprPtr>>& rows) {
    for (std::vector<ParsedExprPtr>& row : rows) {
      for (ParsedExprPtr& value : row) {
        Expr(value);
      }
    }
  }

  void Window(WindowSpec& spec) {
    for (ParsedExprPtr& expr : spec.partition_by) {
      Expr(expr);
    }
    for (OrderItem& item : spec.order_by) {
      Expr(item.expr);
    }
    if (spec.frame.has_value()) {
      Expr(spec.frame->start.offset);
      Expr(spec.frame->end.offset);
    }
  }

  void Expr(ParsedExprPtr& expr) {
    if (expr == nullptr) {
      return;
    }
    // Source order: CASE x WHEN .. THEN .. ELSE ..; a IN (subquery); a LIKE b ESCAPE c.
    Expr(expr->case_operand);
    for (ParsedExprPtr& child : expr->children) {
      Expr(child);
    }
    Expr(expr->else_expr);
    Expr(expr->escape);
    if (expr->subquery != nullptr) {
      Query(*expr->subquery);
    }
    Expr(expr->filter);
    if (expr->window != nullptr) {
      Window(*expr->window);
    }
  }

  std::vector<TableRef*>* out_;
};

}  // namespace

std::vector<TableRef*> FindStreamRefs(QueryNode& query) {
  std::vector<TableRef*> refs;
  StreamRefCollector(&refs).Query(query);
  return refs;
}

}  // namespace sluice::sql
