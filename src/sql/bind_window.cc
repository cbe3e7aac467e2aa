// SPDX-License-Identifier: Apache-2.0
// Binding window function calls: f(...) OVER (PARTITION BY ... ORDER BY ... frame).
#include <fmt/format.h>

#include "common/ascii.h"
#include "sql/binder_impl.h"

namespace sluice::sql::internal {

using expr::Expression;
using expr::ExprPtr;

namespace {

Result<FrameBoundSpec> BindFrameBound(const FrameBound& bound, const BinderOptions& options,
                                      const expr::EvalContext& eval, Binder& binder) {
  FrameBoundSpec spec;
  switch (bound.kind) {
    case FrameBoundKind::kUnboundedPreceding:
      spec.type = BoundType::kUnboundedPreceding;
      return spec;
    case FrameBoundKind::kUnboundedFollowing:
      spec.type = BoundType::kUnboundedFollowing;
      return spec;
    case FrameBoundKind::kCurrentRow:
      spec.type = BoundType::kCurrentRow;
      return spec;
    case FrameBoundKind::kPreceding:
    case FrameBoundKind::kFollowing: {
      spec.type =
          bound.kind == FrameBoundKind::kPreceding ? BoundType::kPreceding : BoundType::kFollowing;
      Scope empty;
      SLUICE_ASSIGN_OR_RETURN(spec.offset, EvaluateInteger(*bound.offset, empty, options, eval,
                                                           binder, "window frame"));
      return spec;
    }
  }
  return Status::Internal("unknown frame bound");
}

}  // namespace

Result<ExprPtr> ExprBinder::BindWindow(const ParsedExpr& parsed, const expr::FunctionEntry& entry) {
  if (windows_ == nullptr) {
    return Status::BindError(fmt::format(
        "[UNSUPPORTED_EXPR_FOR_OPERATOR] A window function is not allowed here: \"{}\".{}",
        PrettyName(parsed), PositionSuffix(parsed.position)));
  }
  const WindowSpec* spec = parsed.window.get();
  if (!spec->name.empty()) {
    auto it = named_windows_ != nullptr ? named_windows_->find(ToLowerAscii(spec->name))
                                        : decltype(named_windows_->end()){};
    if (named_windows_ == nullptr || it == named_windows_->end()) {
      return Status::BindError(fmt::format(
          "[MISSING_WINDOW_SPECIFICATION] Window specification {} is not defined in the WINDOW "
          "clause.{}",
          spec->name, PositionSuffix(parsed.position)));
    }
    spec = it->second;
  }
  ExprBinder inner(scope_, options_, eval_, binder_);
  inner.set_aggregates(aggregates_);
  std::vector<ExprPtr> args;
  for (const ParsedExprPtr& child : parsed.children) {
    if (child->kind == ExprKind::kStar) {
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(ExprPtr arg, inner.Bind(*child));
    args.push_back(std::move(arg));
  }
  WindowCall call;
  expr::BindContext context{eval_.ansi, eval_.time_zone, PrettyName(parsed)};
  std::vector<TypePtr> arg_types;
  TypePtr return_type;
  if (entry.kind == expr::FunctionKind::kWindow) {
    SLUICE_ASSIGN_OR_RETURN(expr::BoundWindowFunction bound, entry.window(args, context));
    if (bound.requires_order && spec->order_by.empty()) {
      return Status::BindError(fmt::format(
          "[WINDOW_FUNCTION_WITHOUT_ORDER] Window function {}() requires window to be ordered, "
          "please add ORDER BY clause. For example SELECT {}(value_expr) OVER (PARTITION BY "
          "window_partition ORDER BY window_ordering) from table.{}",
          entry.name, entry.name, PositionSuffix(parsed.position)));
    }
    arg_types = bound.arg_types;
    return_type = bound.return_type;
    call.window_function = std::move(bound);
  } else if (entry.kind == expr::FunctionKind::kAggregate) {
    expr::AggregateCallOptions call_options;
    call_options.distinct = parsed.distinct;
    call_options.ignore_nulls = parsed.ignore_nulls.value_or(false);
    SLUICE_ASSIGN_OR_RETURN(expr::BoundAggregateFunction bound,
                            entry.aggregate(args, call_options, context));
    arg_types = bound.arg_types;
    return_type = bound.return_type;
    call.aggregate = std::move(bound);
  } else {
    return Status::BindError(fmt::format(
        "[UNSUPPORTED_EXPR_FOR_WINDOW] Expression \"{}\" not supported within a window function.{}",
        PrettyName(parsed), PositionSuffix(parsed.position)));
  }
  for (size_t i = 0; i < args.size() && i < arg_types.size(); ++i) {
    if (arg_types[i] != nullptr) {
      args[i] = CastIfNeeded(args[i], arg_types[i]);
    }
  }
  call.args = std::move(args);
  for (const ParsedExprPtr& part : spec->partition_by) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr bound, inner.Bind(*part));
    call.partition_by.push_back(std::move(bound));
  }
  for (const OrderItem& item : spec->order_by) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr bound, inner.Bind(*item.expr));
    SortKey key;
    key.expr = std::move(bound);
    key.ascending = item.ascending;
    key.nulls_first = item.nulls_first.value_or(item.ascending);
    call.order_by.push_back(std::move(key));
  }
  if (spec->frame.has_value()) {
    call.frame_type = spec->frame->rows ? FrameType::kRows : FrameType::kRange;
    SLUICE_ASSIGN_OR_RETURN(call.frame_start,
                            BindFrameBound(spec->frame->start, options_, eval_, binder_));
    SLUICE_ASSIGN_OR_RETURN(call.frame_end,
                            BindFrameBound(spec->frame->end, options_, eval_, binder_));
  } else if (!call.order_by.empty()) {
    call.frame_type = FrameType::kRange;
    call.frame_start.type = BoundType::kUnboundedPreceding;
    call.frame_end.type = BoundType::kCurrentRow;
  } else {
    call.frame_type = FrameType::kRows;
    call.frame_start.type = BoundType::kUnboundedPreceding;
    call.frame_end.type = BoundType::kUnboundedFollowing;
  }
  call.display = PrettyName(parsed);
  windows_->calls.push_back(std::move(call));
  return Expression::Column(kWindowBase + static_cast<int>(windows_->calls.size() - 1),
                            return_type);
}

}  // namespace sluice::sql::internal
