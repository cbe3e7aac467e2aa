// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "columnar/vector.h"
#include "expr/function.h"
#include "types/data_type.h"

/// Bound (resolved, typed) expressions: what the binder produces from SQL and the
/// evaluator runs over batches. Column references are positions in the input batch.
namespace sluice::expr {

enum class ExprKind : uint8_t {
  kColumn,   // column_index of the input batch
  kLiteral,  // literal: a vector of length 1 holding the value (or a null)
  kCall,     // a scalar function: function.kernel(children...)
  kCast,     // children[0] cast to type(); try_cast: failures give null even in ANSI mode
  kCase,     // children = when1, then1, when2, then2, ..., [else]; has_else
  kAnd,      // children[0] AND children[1], Spark's three-valued logic
  kOr,       // children[0] OR children[1]
};

class Expression;
/// Expressions are immutable and shared (plans copy them freely).
using ExprPtr = std::shared_ptr<const Expression>;

/// A node of a bound expression tree. Immutable; safe to evaluate from many threads.
class Expression {
 public:
  static ExprPtr Column(int index, TypePtr type, bool nullable = true);
  /// `value` is a vector of length 1 (its type is the literal's type).
  static ExprPtr Literal(VectorPtr value);
  static ExprPtr Call(BoundScalarFunction function, std::vector<ExprPtr> args);
  static ExprPtr Cast(ExprPtr input, TypePtr to, bool try_cast);
  static ExprPtr Case(std::vector<ExprPtr> children, bool has_else, TypePtr type);
  static ExprPtr And(ExprPtr left, ExprPtr right);
  static ExprPtr Or(ExprPtr left, ExprPtr right);

  ExprKind kind() const { return kind_; }
  const TypePtr& type() const { return type_; }
  bool nullable() const { return nullable_; }
  const std::vector<ExprPtr>& children() const { return children_; }
  const ExprPtr& child(int index) const { return children_[index]; }

  int column_index() const { return column_index_; }
  const VectorPtr& literal() const { return literal_; }
  bool literal_is_null() const { return literal_ != nullptr && literal_->IsNull(0); }
  /// kCall: the resolved function (name, return type, kernel).
  const BoundScalarFunction& function() const { return function_; }
  bool try_cast() const { return try_cast_; }
  bool has_else() const { return has_else_; }

  /// True when the result depends only on the arguments (no rand(), no current_timestamp
  /// evaluated per row); constant folding needs this and no column reference.
  bool IsDeterministic() const;
  /// True when no column is referenced anywhere in the tree.
  bool IsConstant() const;
  /// Adds the indices of every referenced input column.
  void CollectColumns(std::vector<int>* columns) const;
  /// Returns a copy with every column index i replaced by mapping[i] (must be >= 0).
  ExprPtr RemapColumns(const std::vector<int>& mapping) const;
  /// Returns a copy of this node with other children (same kind, type and payload).
  ExprPtr WithChildren(std::vector<ExprPtr> children) const;
  /// Returns a readable rendering for EXPLAIN and errors: `#3`, `add(#0, 1)`, ...
  std::string ToString() const;

  Expression(ExprKind kind, TypePtr type, bool nullable);

 private:
  ExprKind kind_;
  TypePtr type_;
  bool nullable_ = true;
  std::vector<ExprPtr> children_;
  int column_index_ = -1;
  VectorPtr literal_;
  BoundScalarFunction function_;
  bool try_cast_ = false;
  bool has_else_ = false;
};

/// Returns `value` with every column reference c replaced by replace(c) (which may return
/// c itself); subtrees without a replaced column are shared, not copied.
ExprPtr ReplaceColumns(const ExprPtr& value,
                       const std::function<ExprPtr(const ExprPtr& column)>& replace);

/// Appends the conjuncts of `condition` (its AND operands, recursively) to `conjuncts`.
void SplitConjuncts(const ExprPtr& condition, std::vector<ExprPtr>* conjuncts);

/// Returns a length-1 vector of `type` holding a null.
VectorPtr MakeNullScalar(const TypePtr& type);
VectorPtr MakeBooleanScalar(bool value);
VectorPtr MakeIntScalar(int32_t value);
VectorPtr MakeLongScalar(int64_t value);
VectorPtr MakeDoubleScalar(double value);
VectorPtr MakeStringScalar(std::string_view value);
VectorPtr MakeDecimalScalar(Int128 unscaled, int precision, int scale);
/// Date (days) and timestamp (micros) scalars.
VectorPtr MakeDateScalar(int32_t days);
VectorPtr MakeTimestampScalar(int64_t micros);
VectorPtr MakeTimestampNtzScalar(int64_t micros);

}  // namespace sluice::expr
