// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/vector.h"
#include "common/result.h"
#include "types/data_type.h"

/// Functions as the binder resolves them and the evaluator and operators run them:
/// scalar functions, aggregates, window functions and generators, with the registry
/// that finds them by name.
namespace sluice::expr {

class Expression;
using ExprPtr = std::shared_ptr<const Expression>;

/// Query-wide settings every kernel may read. Fixed for one query (Spark evaluates
/// current_timestamp() once per query).
struct EvalContext {
  /// spark.sql.ansi.enabled: invalid casts and overflow raise errors instead of null / wrap.
  bool ansi = false;
  /// spark.sql.session.timeZone: an IANA name ("UTC", "America/Los_Angeles") or an
  /// offset ("+02:00").
  std::string time_zone = "UTC";
  /// The query's start, micros since the epoch: current_timestamp(), now(), current_date().
  int64_t now_micros = 0;
};

/// What a function's Bind sees besides its arguments.
struct BindContext {
  bool ansi = false;
  std::string time_zone = "UTC";
  /// The call as Spark prints it in errors, e.g. `upper(1)`, `(a + b)`.
  std::string call_sql;
};

/// Runs a scalar function over a batch's worth of argument values.
/// Each argument is either `num_rows` long or a constant of length 1 that stands for
/// every row. The result is `num_rows` long (or length 1 when every argument is a
/// constant and the function is deterministic). Errors (ANSI overflow, bad input in
/// FAILFAST-like functions) are kInvalidArgument with Spark's error class first, e.g.
/// "[CAST_INVALID_INPUT] The value 'abc' of the type \"STRING\" cannot be cast to \"INT\"...".
using ScalarKernel = std::function<Result<VectorPtr>(const std::vector<VectorPtr>& args,
                                                     int64_t num_rows, const EvalContext& ctx)>;

/// A scalar function resolved for particular argument types.
struct BoundScalarFunction {
  std::string name;  // canonical lower-case name, e.g. "add", "upper"
  TypePtr return_type;
  /// The argument types the kernel expects; the binder casts argument i to arg_types[i]
  /// when its type differs (Spark's implicit coercion, decided by the function).
  std::vector<TypePtr> arg_types;
  ScalarKernel kernel;  // immutable, may hold precompiled state (regex, format, schema)
  bool deterministic = true;
  /// True when the result is null whenever any argument is null (lets the evaluator and
  /// the optimizer reason about nulls); false for coalesce, concat_ws, nvl, ...
  bool null_intolerant = true;
};

/// Resolves a scalar function for its (bound) arguments: checks the types, chooses the
/// coercions and the kernel. Arguments are passed whole so literal arguments (a format
/// pattern, a regex, a JSON schema) can be read and precompiled. kBindError with Spark's
/// error text ("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"<call_sql>\"
/// due to data type mismatch: ..." or "[WRONG_NUM_ARGS...] ...") on failure.
using ScalarBinder = std::function<Result<BoundScalarFunction>(const std::vector<ExprPtr>& args,
                                                               const BindContext& ctx)>;

/// The running states of one aggregate for many groups, numbered 0..num_groups-1.
/// Single-threaded: each thread of a hash aggregate has its own, merged at the end.
class GroupedAggregateState {
 public:
  virtual ~GroupedAggregateState() = default;
  /// Makes room for groups [0, num_groups); new groups start empty.
  virtual void Resize(int64_t num_groups) = 0;
  /// Adds row r of `args` (each num_rows long, or a length-1 constant) to group
  /// group_ids[r], for r in [0, num_rows).
  virtual Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                        int64_t num_rows) = 0;
  /// Merges group g of `other` (same function, same binding) into group group_map[g] of
  /// this state, for g in [0, other's num_groups). `other` is left unusable.
  virtual Status Merge(GroupedAggregateState& other, const int64_t* group_map) = 0;
  /// Returns one result per group, num_groups long, of the bound return type. Leaves
  /// the state usable: Update may follow and Finalize may be called again (the window
  /// operator computes running aggregates this way).
  virtual Result<VectorPtr> Finalize(const EvalContext& ctx) = 0;
  /// Bytes held, for the query's memory accounting.
  virtual int64_t memory_bytes() const = 0;
};

/// An aggregate function resolved for particular argument types.
struct BoundAggregateFunction {
  std::string name;
  TypePtr return_type;
  std::vector<TypePtr> arg_types;  // the binder casts arguments as for scalar functions
  /// Makes an empty state; DISTINCT and IGNORE NULLS are already folded in.
  std::function<std::unique_ptr<GroupedAggregateState>()> make_state;
};

/// How an aggregate call was written.
struct AggregateCallOptions {
  bool distinct = false;
  bool ignore_nulls = false;  // first(x) IGNORE NULLS, first(x, true)
};

using AggregateBinder = std::function<Result<BoundAggregateFunction>(
    const std::vector<ExprPtr>& args, const AggregateCallOptions& options, const BindContext& ctx)>;

/// The rows of one window partition, sorted by the window's ORDER BY.
struct WindowPartition {
  /// The function's argument values for the partition's rows (each num_rows long, or a
  /// length-1 constant).
  const std::vector<VectorPtr>& args;
  int64_t num_rows = 0;
  /// peer_group_start[r]: the first row of r's peer group (rows equal on ORDER BY); r
  /// itself when there is no ORDER BY tie.
  const std::vector<int64_t>& peer_group_start;
};

/// A ranking or offset window function resolved for its arguments (row_number, rank,
/// dense_rank, percent_rank, ntile, lag, lead, ...). Aggregates used over a window are
/// AggregateBinder functions run by the window operator instead.
struct BoundWindowFunction {
  std::string name;
  TypePtr return_type;
  std::vector<TypePtr> arg_types;
  /// True when the function needs ORDER BY in its window (Spark rejects rank() without).
  bool requires_order = true;
  /// Computes the results for one partition, num_rows long.
  std::function<Result<VectorPtr>(const WindowPartition& partition, const EvalContext& ctx)>
      evaluate;
};

using WindowBinder = std::function<Result<BoundWindowFunction>(const std::vector<ExprPtr>& args,
                                                               const BindContext& ctx)>;

/// What a generator produced for a batch: output row i comes from input row
/// source_rows[i]; columns are the generated columns, each source_rows.size() long.
struct GeneratorOutput {
  std::vector<int64_t> source_rows;
  std::vector<VectorPtr> columns;
};

/// A generator (explode, explode_outer, posexplode, posexplode_outer, inline, stack,
/// json_tuple) resolved for its arguments.
struct BoundGenerator {
  std::string name;
  /// The generated columns with Spark's default names: explode of an array -> col,
  /// of a map -> key, value; posexplode -> pos, col (or pos, key, value); json_tuple -> c0..
  std::vector<Field> output_fields;
  std::vector<TypePtr> arg_types;
  std::function<Result<GeneratorOutput>(const std::vector<VectorPtr>& args, int64_t num_rows,
                                        const EvalContext& ctx)>
      generate;
};

using GeneratorBinder =
    std::function<Result<BoundGenerator>(const std::vector<ExprPtr>& args, const BindContext& ctx)>;

enum class FunctionKind : uint8_t { kScalar, kAggregate, kWindow, kGenerator };

/// One registered name. Exactly the binder of `kind` is set.
struct FunctionEntry {
  std::string name;
  FunctionKind kind = FunctionKind::kScalar;
  ScalarBinder scalar;
  AggregateBinder aggregate;
  WindowBinder window;
  GeneratorBinder generator;
};

/// Functions by case-insensitive name. Built once; immutable and safe for concurrent
/// use afterwards.
class FunctionRegistry {
 public:
  /// Returns the registry of every built-in function.
  static const FunctionRegistry& Default();

  /// An empty registry.
  FunctionRegistry();

  void AddScalar(std::string name, ScalarBinder binder);
  void AddAggregate(std::string name, AggregateBinder binder);
  void AddWindow(std::string name, WindowBinder binder);
  void AddGenerator(std::string name, GeneratorBinder binder);
  /// Makes `alias` find the entry of `name` (which must be registered).
  void AddAlias(std::string alias, std::string_view name);

  /// Returns the entry for `name` (any case), or nullptr.
  const FunctionEntry* Find(std::string_view name) const;
  /// Every registered name, sorted (for SHOW FUNCTIONS and suggestions).
  std::vector<std::string> Names() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sluice::expr
