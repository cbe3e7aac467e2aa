// SPDX-License-Identifier: Apache-2.0
#include "expr/evaluator.h"

#include <memory>
#include <utility>
#include <vector>

#include "columnar/builder.h"
#include "columnar/concat.h"
#include "expr/cast.h"
#include "expr/functions/kernel.h"

namespace sluice::expr {

namespace {

// Evaluates without broadcasting: a literal (or a call over constants) stays length 1.
Result<VectorPtr> EvaluateInner(const Expression& expr, const Batch& input, const EvalContext& ctx);

// The rows of `input` at `rows`, keeping only the columns `expr` reads (the others are
// left as they are and never read).
Result<BatchPtr> SelectRows(const Expression& expr, const Batch& input,
                            const std::vector<int64_t>& rows) {
  std::vector<int> referenced;
  expr.CollectColumns(&referenced);
  std::vector<VectorPtr> columns = input.columns();
  std::vector<bool> done(columns.size(), false);
  for (int index : referenced) {
    if (done[index]) {
      continue;
    }
    done[index] = true;
    SLUICE_ASSIGN_OR_RETURN(columns[index], Take(*input.column(index), rows));
  }
  return std::make_shared<const Batch>(input.schema(), std::move(columns),
                                       static_cast<int64_t>(rows.size()));
}

// Evaluates `expr` on the rows of `input` at `rows` only (so errors of rows not selected
// are never raised); the result has rows.size() rows (or is a length-1 constant).
Result<VectorPtr> EvaluateSubset(const Expression& expr, const Batch& input,
                                 const std::vector<int64_t>& rows, const EvalContext& ctx) {
  if (static_cast<int64_t>(rows.size()) == input.num_rows()) {
    return EvaluateInner(expr, input, ctx);
  }
  SLUICE_ASSIGN_OR_RETURN(BatchPtr subset, SelectRows(expr, input, rows));
  return EvaluateInner(expr, *subset, ctx);
}

bool IsTrue(const Vector& vector, int64_t row) {
  const int64_t index = kernel::RowOf(vector, row);
  return vector.IsValid(index) && vector.BoolValue(index);
}

bool IsFalse(const Vector& vector, int64_t row) {
  const int64_t index = kernel::RowOf(vector, row);
  return vector.IsValid(index) && !vector.BoolValue(index);
}

// CASE WHEN (and if()): each branch is evaluated only on the rows that reach it.
Result<VectorPtr> EvaluateCase(const std::vector<ExprPtr>& children, bool has_else,
                               const TypePtr& type, const Batch& input, const EvalContext& ctx) {
  const int64_t num_rows = input.num_rows();
  const size_t pairs = (children.size() - (has_else ? 1 : 0)) / 2;
  // For each output row: which branch (pairs = else / none) and its row in that
  // branch's result.
  std::vector<int32_t> branch_of(static_cast<size_t>(num_rows), static_cast<int32_t>(pairs));
  std::vector<int64_t> index_in_branch(static_cast<size_t>(num_rows), 0);
  std::vector<VectorPtr> results;
  std::vector<int64_t> remaining(static_cast<size_t>(num_rows));
  for (int64_t i = 0; i < num_rows; ++i) {
    remaining[i] = i;
  }
  for (size_t p = 0; p < pairs && !remaining.empty(); ++p) {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr when,
                            EvaluateSubset(*children[2 * p], input, remaining, ctx));
    std::vector<int64_t> taken;
    std::vector<int64_t> rest;
    for (size_t i = 0; i < remaining.size(); ++i) {
      if (IsTrue(*when, static_cast<int64_t>(i))) {
        branch_of[remaining[i]] = static_cast<int32_t>(p);
        index_in_branch[remaining[i]] = static_cast<int64_t>(taken.size());
        taken.push_back(remaining[i]);
      } else {
        rest.push_back(remaining[i]);
      }
    }
    VectorPtr then;
    if (!taken.empty()) {
      SLUICE_ASSIGN_OR_RETURN(then, EvaluateSubset(*children[2 * p + 1], input, taken, ctx));
    }
    results.push_back(std::move(then));
    remaining = std::move(rest);
  }
  results.resize(pairs);
  VectorPtr otherwise;
  if (has_else && !remaining.empty()) {
    SLUICE_ASSIGN_OR_RETURN(otherwise, EvaluateSubset(*children.back(), input, remaining, ctx));
    for (size_t i = 0; i < remaining.size(); ++i) {
      index_in_branch[remaining[i]] = static_cast<int64_t>(i);
    }
  }
  results.push_back(std::move(otherwise));
  std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type);
  builder->Reserve(num_rows);
  for (int64_t row = 0; row < num_rows; ++row) {
    const VectorPtr& source = results[branch_of[row]];
    if (source == nullptr) {
      builder->AppendNull();
    } else {
      AppendValue(*source, kernel::RowOf(*source, index_in_branch[row]), builder.get());
    }
  }
  return builder->Finish();
}

// coalesce(a, b, ...): each argument only on the rows still null.
Result<VectorPtr> EvaluateCoalesce(const Expression& expr, const Batch& input,
                                   const EvalContext& ctx) {
  const int64_t num_rows = input.num_rows();
  std::vector<int32_t> source_of(static_cast<size_t>(num_rows), -1);
  std::vector<int64_t> index_in_source(static_cast<size_t>(num_rows), 0);
  std::vector<VectorPtr> results;
  std::vector<int64_t> remaining(static_cast<size_t>(num_rows));
  for (int64_t i = 0; i < num_rows; ++i) {
    remaining[i] = i;
  }
  for (const ExprPtr& child : expr.children()) {
    if (remaining.empty()) {
      break;
    }
    SLUICE_ASSIGN_OR_RETURN(VectorPtr value, EvaluateSubset(*child, input, remaining, ctx));
    std::vector<int64_t> rest;
    for (size_t i = 0; i < remaining.size(); ++i) {
      const int64_t r = static_cast<int64_t>(i);
      if (kernel::IsNullAt(*value, r)) {
        rest.push_back(remaining[i]);
      } else {
        source_of[remaining[i]] = static_cast<int32_t>(results.size());
        index_in_source[remaining[i]] = kernel::RowOf(*value, r);
      }
    }
    results.push_back(std::move(value));
    remaining = std::move(rest);
  }
  std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(expr.type());
  builder->Reserve(num_rows);
  for (int64_t row = 0; row < num_rows; ++row) {
    if (source_of[row] < 0) {
      builder->AppendNull();
    } else {
      AppendValue(*results[source_of[row]], index_in_source[row], builder.get());
    }
  }
  return builder->Finish();
}

// AND / OR with Spark's three-valued logic; the right side is evaluated only on the rows
// the left side does not decide (false for AND, true for OR).
Result<VectorPtr> EvaluateLogic(const Expression& expr, const Batch& input,
                                const EvalContext& ctx) {
  const bool is_and = expr.kind() == ExprKind::kAnd;
  SLUICE_ASSIGN_OR_RETURN(VectorPtr left, EvaluateInner(*expr.child(0), input, ctx));
  const int64_t num_rows = left->length() == 1 ? 1 : input.num_rows();
  std::vector<int64_t> undecided;
  for (int64_t row = 0; row < num_rows; ++row) {
    const bool decided = is_and ? IsFalse(*left, row) : IsTrue(*left, row);
    if (!decided) {
      undecided.push_back(row);
    }
  }
  if (undecided.empty()) {
    return left;
  }
  VectorPtr right;
  if (num_rows == 1 && input.num_rows() != 1) {
    // A constant left side that decides nothing: the right side over every row.
    SLUICE_ASSIGN_OR_RETURN(right, EvaluateInner(*expr.child(1), input, ctx));
    SLUICE_ASSIGN_OR_RETURN(left, kernel::Broadcast(left, right->length()));
    undecided.clear();
    for (int64_t row = 0; row < right->length(); ++row) {
      undecided.push_back(row);
    }
  } else {
    SLUICE_ASSIGN_OR_RETURN(right, EvaluateSubset(*expr.child(1), input, undecided, ctx));
  }
  const int64_t length = left->length();
  BooleanBuilder builder(BooleanType());
  builder.Reserve(length);
  size_t next = 0;
  for (int64_t row = 0; row < length; ++row) {
    if (next >= undecided.size() || undecided[next] != row) {
      builder.Append(!is_and);  // decided by the left side
      continue;
    }
    const int64_t r = static_cast<int64_t>(next++);
    const bool left_null = kernel::IsNullAt(*left, row);
    if (is_and ? IsFalse(*right, r) : IsTrue(*right, r)) {
      builder.Append(!is_and);
    } else if (left_null || kernel::IsNullAt(*right, r)) {
      builder.AppendNull();
    } else {
      builder.Append(is_and);
    }
  }
  return builder.Finish();
}

Result<VectorPtr> EvaluateInner(const Expression& expr, const Batch& input,
                                const EvalContext& ctx) {
  switch (expr.kind()) {
    case ExprKind::kColumn:
      return input.column(expr.column_index());
    case ExprKind::kLiteral:
      return expr.literal();
    case ExprKind::kCall: {
      const std::string& name = expr.function().name;
      if (name == "if") {
        return EvaluateCase(expr.children(), true, expr.type(), input, ctx);
      }
      if (name == "coalesce" || name == "nvl" || name == "ifnull") {
        return EvaluateCoalesce(expr, input, ctx);
      }
      std::vector<VectorPtr> args;
      args.reserve(expr.children().size());
      for (const ExprPtr& child : expr.children()) {
        SLUICE_ASSIGN_OR_RETURN(VectorPtr arg, EvaluateInner(*child, input, ctx));
        args.push_back(std::move(arg));
      }
      const ScalarKernel& kernel = expr.function().kernel;
      if (!kernel) {
        return Status::Internal("function " + expr.function().name + " has no kernel");
      }
      return kernel(args, input.num_rows(), ctx);
    }
    case ExprKind::kCast: {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr value, EvaluateInner(*expr.child(0), input, ctx));
      return CastVector(value, expr.type(), ctx, expr.try_cast());
    }
    case ExprKind::kCase:
      return EvaluateCase(expr.children(), expr.has_else(), expr.type(), input, ctx);
    case ExprKind::kAnd:
    case ExprKind::kOr:
      return EvaluateLogic(expr, input, ctx);
  }
  return Status::Internal("unknown expression kind");
}

}  // namespace

Result<VectorPtr> Evaluate(const Expression& expr, const Batch& input, const EvalContext& ctx) {
  SLUICE_ASSIGN_OR_RETURN(VectorPtr result, EvaluateInner(expr, input, ctx));
  return kernel::Broadcast(result, input.num_rows());
}

Result<VectorPtr> EvaluateConstant(const Expression& expr, const EvalContext& ctx) {
  const Batch one_row(MakeSchema({}), {}, 1);
  return Evaluate(expr, one_row, ctx);
}

Result<BatchPtr> FilterBatch(const Batch& input, const Vector& predicate) {
  std::vector<int64_t> rows;
  const int64_t num_rows = input.num_rows();
  for (int64_t row = 0; row < num_rows; ++row) {
    if (IsTrue(predicate, row)) {
      rows.push_back(row);
    }
  }
  if (static_cast<int64_t>(rows.size()) == num_rows) {
    return std::make_shared<const Batch>(input);
  }
  std::vector<VectorPtr> columns;
  columns.reserve(input.columns().size());
  for (const VectorPtr& column : input.columns()) {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr taken, Take(*column, rows));
    columns.push_back(std::move(taken));
  }
  return std::make_shared<const Batch>(input.schema(), std::move(columns),
                                       static_cast<int64_t>(rows.size()));
}

}  // namespace sluice::expr
