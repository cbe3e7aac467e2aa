// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/builder.h"
#include "columnar/vector.h"
#include "common/result.h"
#include "expr/expression.h"
#include "expr/function.h"

/// Helpers shared by the date/time, JSON, collection, aggregate, window and generator
/// families: argument access, Spark's bind errors, literal arguments, value ordering and
/// a store of values collected across batches.
namespace sluice::expr::more {

/// The row of `vector` that stands for row `row` of a batch (a length-1 constant
/// stands for every row).
inline int64_t ArgRow(const Vector& vector, int64_t row) {
  return vector.length() == 1 ? 0 : row;
}

/// "first", "second", "third", "4th", ... (Spark's ordinalNumber).
std::string Ordinal(int index);
/// The SQL text of an argument as Spark quotes it in errors.
std::string ArgSql(const ExprPtr& arg);

/// [WRONG_NUM_ARGS.WITHOUT_SUGGESTION] for `name` called with `actual` arguments where
/// `expected` ("2", "[1, 2]", "> 0") are allowed.
Status WrongNumArgs(std::string_view name, std::string_view expected, size_t actual);
/// [DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] for argument `index`, which needed `required`
/// (e.g. "\"NUMERIC\"", "(\"ARRAY\" or \"MAP\")").
Status UnexpectedType(const BindContext& ctx, int index, std::string_view required,
                      const ExprPtr& arg);
/// [DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] when argument `index` must be a constant.
Status NonFoldable(const BindContext& ctx, std::string_view param, std::string_view required,
                   const ExprPtr& arg);

/// True when `arg` is a literal (the binder folds constant expressions into literals).
inline bool IsLiteral(const ExprPtr& arg) {
  return arg->kind() == ExprKind::kLiteral;
}
/// The value of a constant argument (a literal, or a deterministic expression over no
/// column such as `array(0.5, 0.9)` or `map('k', 'v')`, evaluated here) as a length-1
/// vector; nullptr when `arg` is not constant or fails to evaluate.
VectorPtr ConstantArg(const ExprPtr& arg);
/// Reads a string literal (or a literal of another type as its text); false when `arg`
/// is not a literal. `*is_null` tells a null literal.
bool LiteralString(const ExprPtr& arg, std::string* value, bool* is_null);
/// Reads an integral literal; false when `arg` is not an integral literal.
bool LiteralInt(const ExprPtr& arg, int64_t* value, bool* is_null);
/// Reads a numeric literal as a double; false when `arg` is not a numeric literal.
bool LiteralDouble(const ExprPtr& arg, double* value, bool* is_null);

/// Reads a numeric value as a double / an integral value as int64 (no null check).
double NumericAsDouble(const Vector& vector, int64_t row);
int64_t IntegralAsLong(const Vector& vector, int64_t row);

/// True for types Spark can order (not maps, variants).
bool IsOrderable(const TypePtr& type);
/// Compares two non-null values of the same orderable type: <0, 0, >0. Doubles order
/// NaN above everything and -0.0 equal to 0.0, as Spark; nulls inside structs and arrays
/// sort first.
int CompareValues(const Vector& left, int64_t left_row, const Vector& right, int64_t right_row);

/// Values copied out of argument vectors, addressed by 64-bit references, that outlive the
/// batches they came from. Values added during an Update (between Begin and End) are read
/// from the source vector until End copies them into a compact chunk. Single-threaded.
class ValueStore {
 public:
  explicit ValueStore(TypePtr type);

  /// Starts taking values from `source` (kept alive until End).
  void Begin(VectorPtr source);
  /// Adds row `row` of the current source; returns its reference.
  int64_t Add(int64_t row);
  /// Copies the values added since Begin into a chunk.
  void End();
  /// Takes over every chunk of `other` (ended); returns the offset to add to other's refs.
  int64_t Absorb(ValueStore& other);
  /// Adds `ref` of `other` (ended) by copy; returns the new reference (between Begin/End
  /// is not needed).
  int64_t CopyFrom(const ValueStore& other, int64_t ref);

  /// The vector and row holding `ref`.
  const Vector& vector(int64_t ref) const;
  int64_t row(int64_t ref) const;
  /// Appends the value of `ref` to `builder`, of the store's type.
  void AppendTo(int64_t ref, VectorBuilder* builder) const;
  /// Rewrites the store to hold only `refs` (-1 entries are skipped), updating them.
  void Compact(std::vector<int64_t>* refs);

  int64_t num_values() const { return num_values_; }
  int64_t num_chunks() const { return static_cast<int64_t>(chunks_.size()); }
  int64_t memory_bytes() const { return memory_bytes_; }

  /// Shifts an absorbed chunk offset into a reference.
  static int64_t Rebase(int64_t ref, int64_t chunk_offset) { return ref + (chunk_offset << 32); }

 private:
  TypePtr type_;
  std::unique_ptr<VectorBuilder> builder_;
  std::vector<VectorPtr> chunks_;
  VectorPtr source_;
  std::vector<int64_t> pending_;  // source rows added since Begin
  int64_t num_values_ = 0;
  int64_t memory_bytes_ = 0;
};

/// The builder class for values of C type T: int32_t, int64_t, double, bool, std::string.
template <typename T>
struct BuilderFor {
  using type = FixedWidthBuilder<T>;
};
template <>
struct BuilderFor<bool> {
  using type = BooleanBuilder;
};
template <>
struct BuilderFor<std::string> {
  using type = StringBuilder;
};

/// True when any argument is null at batch row `row`.
inline bool AnyNull(const std::vector<VectorPtr>& args, int64_t row) {
  for (const VectorPtr& arg : args) {
    if (arg->IsNull(ArgRow(*arg, row))) {
      return true;
    }
  }
  return false;
}

/// Runs a null-intolerant row function: rows where any argument is null give null, others
/// `fn(row, &error)`, which returns the value or std::nullopt for null, and may set
/// `error` to stop with it.
template <typename T, typename Fn>
Result<VectorPtr> MapRows(const TypePtr& type, const std::vector<VectorPtr>& args, int64_t num_rows,
                          Fn fn) {
  typename BuilderFor<T>::type builder(type);
  builder.Reserve(num_rows);
  Status error;
  for (int64_t r = 0; r < num_rows; ++r) {
    if (AnyNull(args, r)) {
      builder.AppendNull();
      continue;
    }
    std::optional<T> value = fn(r, &error);
    if (!error.ok()) {
      return error;
    }
    if (value.has_value()) {
      builder.Append(*value);
    } else {
      builder.AppendNull();
    }
  }
  return builder.Finish();
}

/// Runs fn(row, builder) -> Status for every row; fn appends exactly one value or null to
/// `builder`, a builder made for `type`.
template <typename Fn>
Result<VectorPtr> BuildRows(const TypePtr& type, int64_t num_rows, Fn fn) {
  std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type);
  builder->Reserve(num_rows);
  for (int64_t r = 0; r < num_rows; ++r) {
    SLUICE_RETURN_IF_ERROR(fn(r, builder.get()));
  }
  return builder->Finish();
}

/// A scalar function bound with the given types and kernel.
BoundScalarFunction MakeScalar(std::string name, TypePtr return_type,
                               std::vector<TypePtr> arg_types, ScalarKernel kernel);

/// Builds a vector of `type` from the values `refs` of `store` (-1 for a null).
VectorPtr BuildFromRefs(const TypePtr& type, const ValueStore& store,
                        const std::vector<int64_t>& refs);

}  // namespace sluice::expr::more
