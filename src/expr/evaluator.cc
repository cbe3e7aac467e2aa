// SPDX-License-Identifier: Apache-2.0
#include "expr/evaluator.h"

#include <algorithm>
#include <bit>
#include <iterator>
#include <memory>
#include <string_view>
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

// A boolean vector read 64 rows at a time as (true rows, false rows) masks; a length-1
// vector is a constant for every row.
class TruthWords {
 public:
  explicit TruthWords(const Vector& vector)
      : values_(vector.values_buffer() == nullptr ? nullptr : vector.values_buffer()->data()),
        validity_(vector.validity_buffer() == nullptr ? nullptr : vector.validity_buffer()->data()),
        offset_(vector.offset()),
        constant_(vector.length() == 1) {
    if (constant_) {
      const bool valid = vector.IsValid(0);
      const_true_ = valid && vector.BoolValue(0);
      const_false_ = valid && !vector.BoolValue(0);
    }
  }
  /// The rows [64 * index, 64 * index + count) that are true and that are false.
  void Word(int64_t index, int64_t count, uint64_t* is_true, uint64_t* is_false) const {
    const uint64_t full = bits::LowMask(count);
    if (constant_) {
      *is_true = const_true_ ? full : 0;
      *is_false = const_false_ ? full : 0;
      return;
    }
    const int64_t start = offset_ + index * 64;
    const uint64_t data = values_ == nullptr ? 0 : bits::ReadWord(values_, start, count);
    const uint64_t valid = validity_ == nullptr ? full : bits::ReadWord(validity_, start, count);
    *is_true = data & valid;
    *is_false = ~data & valid & full;
  }

 private:
  const uint8_t* values_;
  const uint8_t* validity_;
  int64_t offset_;
  bool constant_;
  bool const_true_ = false;
  bool const_false_ = false;
};

// The rows (of `length`) that `vector` does not decide for AND (not false) or OR (not
// true).
std::vector<int64_t> UndecidedRows(const Vector& vector, int64_t length, bool is_and) {
  std::vector<int64_t> rows;
  const TruthWords words(vector);
  for (int64_t w = 0; w * 64 < length; ++w) {
    const int64_t count = std::min<int64_t>(64, length - w * 64);
    uint64_t is_true = 0;
    uint64_t is_false = 0;
    words.Word(w, count, &is_true, &is_false);
    for (uint64_t rest = ~(is_and ? is_false : is_true) & bits::LowMask(count); rest != 0;
         rest &= rest - 1) {
      rows.push_back(w * 64 + std::countr_zero(rest));
    }
  }
  return rows;
}

// The number of rows UndecidedRows returns.
int64_t CountUndecided(const Vector& vector, int64_t length, bool is_and) {
  int64_t undecided = 0;
  const TruthWords words(vector);
  for (int64_t w = 0; w * 64 < length; ++w) {
    const int64_t count = std::min<int64_t>(64, length - w * 64);
    uint64_t is_true = 0;
    uint64_t is_false = 0;
    words.Word(w, count, &is_true, &is_false);
    undecided += count - std::popcount(is_and ? is_false : is_true);
  }
  return undecided;
}

// True when `from` converts to `to` without any possible error or overflow.
bool WideningCast(const DataType& from, const DataType& to) {
  const int from_rank = NumericWideningRank(from.id());
  return from.Equals(to) || (from_rank > 0 && NumericWideningRank(to.id()) >= from_rank);
}

// True when evaluating `expr` on any row can neither fail nor have an effect: columns,
// literals, comparisons, null tests, and/or/not, widening and try casts over such. The
// right side of AND / OR of this kind is evaluated on every row; others only on the rows
// the left side leaves undecided, as Spark does.
bool CannotFail(const Expression& expr) {
  for (const ExprPtr& child : expr.children()) {
    if (!CannotFail(*child)) {
      return false;
    }
  }
  switch (expr.kind()) {
    case ExprKind::kColumn:
    case ExprKind::kLiteral:
    case ExprKind::kAnd:
    case ExprKind::kOr:
      return true;
    case ExprKind::kCast:
      return expr.try_cast() || WideningCast(*expr.child(0)->type(), *expr.type());
    case ExprKind::kCase:
      return false;
    case ExprKind::kCall: {
      static constexpr std::string_view kSafe[] = {
          "=", "<=>", "!=", "<", "<=", ">", ">=", "in", "isnull", "isnotnull", "not", "isnan"};
      const std::string& name = expr.function().name;
      return std::find(std::begin(kSafe), std::end(kSafe), name) != std::end(kSafe);
    }
  }
  return false;
}

// Combines the two sides of AND / OR (each `length` rows or a constant) with Spark's
// three-valued logic, 64 rows at a time.
VectorPtr CombineLogic(bool is_and, const Vector& left, const Vector& right, int64_t length) {
  const TruthWords left_words(left);
  const TruthWords right_words(right);
  const int64_t num_bytes = bits::BytesFor(length);
  BufferPtr values = Buffer::Uninitialized(num_bytes);
  BufferPtr validity = Buffer::Uninitialized(num_bytes);
  int64_t nulls = 0;
  for (int64_t w = 0; w * 64 < length; ++w) {
    const int64_t count = std::min<int64_t>(64, length - w * 64);
    uint64_t left_true = 0;
    uint64_t left_false = 0;
    uint64_t right_true = 0;
    uint64_t right_false = 0;
    left_words.Word(w, count, &left_true, &left_false);
    right_words.Word(w, count, &right_true, &right_false);
    const uint64_t is_true = is_and ? (left_true & right_true) : (left_true | right_true);
    const uint64_t is_false = is_and ? (left_false | right_false) : (left_false & right_false);
    const uint64_t valid = is_true | is_false;
    nulls += count - std::popcount(valid);
    bits::WriteWord(values->mutable_data(), w, is_true, num_bytes);
    bits::WriteWord(validity->mutable_data(), w, valid, num_bytes);
  }
  return std::make_shared<const Vector>(BooleanType(), length, nulls,
                                        nulls == 0 ? nullptr : std::move(validity),
                                        std::move(values), nullptr, std::vector<VectorPtr>{});
}

// AND / OR with Spark's three-valued logic. A right side that can fail is evaluated only
// on the rows the left side does not decide (false for AND, true for OR).
Result<VectorPtr> EvaluateLogic(const Expression& expr, const Batch& input,
                                const EvalContext& ctx) {
  const bool is_and = expr.kind() == ExprKind::kAnd;
  SLUICE_ASSIGN_OR_RETURN(VectorPtr left, EvaluateInner(*expr.child(0), input, ctx));
  const int64_t num_rows = left->length() == 1 ? 1 : input.num_rows();
  const int64_t num_undecided = CountUndecided(*left, num_rows, is_and);
  if (num_undecided == 0) {
    return left;
  }
  VectorPtr right;
  if (num_undecided == input.num_rows() || (num_rows == 1 && input.num_rows() != 1) ||
      CannotFail(*expr.child(1))) {
    // The right side over every row (a constant left side that decides nothing, or one
    // that cannot fail).
    SLUICE_ASSIGN_OR_RETURN(right, EvaluateInner(*expr.child(1), input, ctx));
    const int64_t length = left->length() == 1 && right->length() == 1 ? 1 : input.num_rows();
    return CombineLogic(is_and, *left, *right, length);
  }
  const std::vector<int64_t> undecided = UndecidedRows(*left, num_rows, is_and);
  SLUICE_ASSIGN_OR_RETURN(right, EvaluateSubset(*expr.child(1), input, undecided, ctx));
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
  const int64_t num_rows = input.num_rows();
  // The true rows, 64 at a time.
  std::vector<int64_t> rows;
  rows.reserve(static_cast<size_t>(num_rows));
  const TruthWords words(predicate);
  for (int64_t w = 0; w * 64 < num_rows; ++w) {
    const int64_t count = std::min<int64_t>(64, num_rows - w * 64);
    uint64_t is_true = 0;
    uint64_t is_false = 0;
    words.Word(w, count, &is_true, &is_false);
    if (is_true == bits::LowMask(count)) {
      for (int64_t j = 0; j < count; ++j) {
        rows.push_back(w * 64 + j);
      }
      continue;
    }
    for (uint64_t rest = is_true; rest != 0; rest &= rest - 1) {
      rows.push_back(w * 64 + std::countr_zero(rest));
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
