// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "columnar/batch.h"
#include "delta/snapshot.h"
#include "expr/expression.h"
#include "expr/function.h"
#include "types/data_type.h"

/// The logical plan of a query: what the binder produces, the optimizer rewrites and
/// the executor (exec/) turns into operators. Batch SQL and streaming share it.
///
/// Every node has an output schema. Expressions in a node reference the output columns
/// of its child by position (a join's condition: the left child's columns, then the
/// right child's). Nodes are immutable once built; rewrites build new nodes.
namespace sluice::sql {

enum class PlanKind : uint8_t {
  kScan,          // ScanNode: a Delta table or files (parquet/json/csv)
  kValues,        // ValuesNode: rows known at bind time
  kFilter,        // FilterNode
  kProject,       // ProjectNode
  kAggregate,     // AggregateNode (also DISTINCT)
  kJoin,          // JoinNode
  kSort,          // SortNode
  kLimit,         // LimitNode (LIMIT/OFFSET)
  kSetOp,         // SetOpNode: UNION / INTERSECT / EXCEPT [ALL]
  kWindow,        // WindowNode
  kGenerate,      // GenerateNode: explode & co. in SELECT
  kTableChanges,  // TableChangesNode: table_changes(...) over the Delta change data feed
};

class LogicalPlan;
using PlanPtr = std::shared_ptr<const LogicalPlan>;

/// A plan node. Subclasses below; switch on kind() and static_cast.
class LogicalPlan {
 public:
  virtual ~LogicalPlan() = default;
  PlanKind kind() const { return kind_; }
  /// The output columns (names as Spark shows them, types, nullability).
  const SchemaPtr& schema() const { return schema_; }
  const std::vector<PlanPtr>& children() const { return children_; }
  const PlanPtr& child(int index) const { return children_[index]; }

  /// Renders the tree for EXPLAIN, one node per line, children indented (Spark's
  /// "== Physical Plan ==" layout is the engine's business; this is the body).
  std::string ToString() const;
  /// The one-line description of this node alone, e.g. "Filter (#2 > 10)".
  virtual std::string Describe() const = 0;

 protected:
  LogicalPlan(PlanKind kind, SchemaPtr schema, std::vector<PlanPtr> children)
      : kind_(kind), schema_(std::move(schema)), children_(std::move(children)) {}

 private:
  PlanKind kind_;
  SchemaPtr schema_;
  std::vector<PlanPtr> children_;
};

enum class ScanFormat : uint8_t { kDelta, kParquet, kJson, kCsv };

/// Reads a Delta snapshot or a set of files. The output is `columns` of the source, in
/// that order (projection pruning narrows it).
class ScanNode final : public LogicalPlan {
 public:
  ScanNode(SchemaPtr schema, ScanFormat format_in, std::string table_name_in)
      : LogicalPlan(PlanKind::kScan, std::move(schema), {}),
        format(format_in),
        table_name(std::move(table_name_in)) {}
  std::string Describe() const override;

  ScanFormat format;
  /// The name for EXPLAIN and errors: `default.orders`, `delta.`/path``.
  std::string table_name;
  /// kDelta: the snapshot to read (version chosen by time travel).
  delta::SnapshotPtr snapshot;
  /// Files: the path given (a file or a directory read recursively) and the reader
  /// options (header, sep, multiLine, ...); the schema is the full file schema.
  std::string path;
  std::vector<std::pair<std::string, std::string>> options;
  SchemaPtr source_schema;  // every column of the source
  /// Source column names read, in output order (the output schema's field names may be
  /// aliases); same length as schema()->fields().
  std::vector<std::string> columns;
  /// Conjuncts over the output columns that the scan may use to skip files, row groups
  /// and pages. Advisory: a FilterNode above still applies them exactly.
  std::vector<expr::ExprPtr> pushed_filters;
};

/// Rows known at bind time (VALUES, a FROM-less SELECT's single row, folded empties).
class ValuesNode final : public LogicalPlan {
 public:
  ValuesNode(SchemaPtr schema, std::vector<BatchPtr> batches_in)
      : LogicalPlan(PlanKind::kValues, std::move(schema), {}), batches(std::move(batches_in)) {}
  std::string Describe() const override;
  std::vector<BatchPtr> batches;
};

class FilterNode final : public LogicalPlan {
 public:
  FilterNode(PlanPtr child, expr::ExprPtr predicate_in)
      : LogicalPlan(PlanKind::kFilter, child->schema(), {child}),
        predicate(std::move(predicate_in)) {}
  std::string Describe() const override;
  expr::ExprPtr predicate;  // boolean; null counts as false
};

class ProjectNode final : public LogicalPlan {
 public:
  ProjectNode(SchemaPtr schema, PlanPtr child, std::vector<expr::ExprPtr> exprs_in)
      : LogicalPlan(PlanKind::kProject, std::move(schema), {std::move(child)}),
        exprs(std::move(exprs_in)) {}
  std::string Describe() const override;
  std::vector<expr::ExprPtr> exprs;  // one per output column
};

/// One aggregate call of an AggregateNode.
struct AggregateCall {
  expr::BoundAggregateFunction function;
  std::vector<expr::ExprPtr> args;  // over the child's columns, already cast to arg_types
  expr::ExprPtr filter;             // FILTER (WHERE ...): rows where it is not true are skipped
  bool distinct = false;            // informational: already folded into function.make_state
  std::string display;              // e.g. "sum(amount)"
};

/// Groups by `groups` and computes `aggregates`. Output: the group values, then one
/// column per aggregate. No groups = one global group (one row even for no input).
class AggregateNode final : public LogicalPlan {
 public:
  AggregateNode(SchemaPtr schema, PlanPtr child, std::vector<expr::ExprPtr> groups_in,
                std::vector<AggregateCall> aggregates_in)
      : LogicalPlan(PlanKind::kAggregate, std::move(schema), {std::move(child)}),
        groups(std::move(groups_in)),
        aggregates(std::move(aggregates_in)) {}
  std::string Describe() const override;
  std::vector<expr::ExprPtr> groups;
  std::vector<AggregateCall> aggregates;
};

enum class JoinKind : uint8_t { kInner, kLeft, kRight, kFull, kLeftSemi, kLeftAnti, kCross };

/// Joins two inputs. Output: left columns then right columns (semi/anti: left only).
/// Equality keys are split out for hashing; `residual` is the rest of the condition,
/// over left columns then right columns.
class JoinNode final : public LogicalPlan {
 public:
  JoinNode(SchemaPtr schema, PlanPtr left, PlanPtr right, JoinKind join_kind_in)
      : LogicalPlan(PlanKind::kJoin, std::move(schema), {std::move(left), std::move(right)}),
        join_kind(join_kind_in) {}
  std::string Describe() const override;
  JoinKind join_kind;
  std::vector<expr::ExprPtr> left_keys;   // over the left child's columns
  std::vector<expr::ExprPtr> right_keys;  // over the right child's columns, same types
  /// Per key: true for `<=>` (null equals null), false for `=` (null matches nothing).
  std::vector<bool> null_safe;
  expr::ExprPtr residual;  // may be null
  /// Set by the optimizer: true when the left input is the one to hash (the smaller).
  bool build_left = false;
};

/// One sort key.
struct SortKey {
  expr::ExprPtr expr;  // over the child's columns
  bool ascending = true;
  bool nulls_first = true;  // resolved: Spark's default is NULLS FIRST for ASC, LAST for DESC
};

class SortNode final : public LogicalPlan {
 public:
  SortNode(PlanPtr child, std::vector<SortKey> keys_in)
      : LogicalPlan(PlanKind::kSort, child->schema(), {child}), keys(std::move(keys_in)) {}
  std::string Describe() const override;
  std::vector<SortKey> keys;
};

class LimitNode final : public LogicalPlan {
 public:
  LimitNode(PlanPtr child, std::optional<int64_t> limit_in, int64_t offset_in)
      : LogicalPlan(PlanKind::kLimit, child->schema(), {child}),
        limit(limit_in),
        offset(offset_in) {}
  std::string Describe() const override;
  std::optional<int64_t> limit;  // unset: no limit (OFFSET alone)
  int64_t offset = 0;
};

enum class SetOperation : uint8_t { kUnion, kIntersect, kExcept };

/// UNION / INTERSECT / EXCEPT of inputs with the same column types (the binder casts).
/// The output takes the first input's names. UNION may have more than two inputs.
class SetOpNode final : public LogicalPlan {
 public:
  SetOpNode(SchemaPtr schema, std::vector<PlanPtr> inputs, SetOperation op_in, bool all_in)
      : LogicalPlan(PlanKind::kSetOp, std::move(schema), std::move(inputs)),
        op(op_in),
        all(all_in) {}
  std::string Describe() const override;
  SetOperation op;
  bool all;  // ALL keeps duplicates (INTERSECT ALL / EXCEPT ALL by multiplicity)
};

enum class FrameType : uint8_t { kRows, kRange };
enum class BoundType : uint8_t {
  kUnboundedPreceding,
  kPreceding,
  kCurrentRow,
  kFollowing,
  kUnboundedFollowing
};

struct FrameBoundSpec {
  BoundType type = BoundType::kUnboundedPreceding;
  int64_t offset = 0;  // kPreceding / kFollowing (rows, or the ORDER BY key's units)
};

/// One window function call of a WindowNode.
struct WindowCall {
  /// Exactly one is set: a ranking/offset function, or an aggregate over the frame.
  std::optional<expr::BoundWindowFunction> window_function;
  std::optional<expr::BoundAggregateFunction> aggregate;
  std::vector<expr::ExprPtr> args;
  std::vector<expr::ExprPtr> partition_by;
  std::vector<SortKey> order_by;
  /// Spark's defaults resolved: with ORDER BY, RANGE UNBOUNDED PRECEDING..CURRENT ROW;
  /// without, ROWS UNBOUNDED PRECEDING..UNBOUNDED FOLLOWING.
  FrameType frame_type = FrameType::kRows;
  FrameBoundSpec frame_start;
  FrameBoundSpec frame_end;
  std::string display;
};

/// Computes window functions. Output: the child's columns, then one per call.
class WindowNode final : public LogicalPlan {
 public:
  WindowNode(SchemaPtr schema, PlanPtr child, std::vector<WindowCall> calls_in)
      : LogicalPlan(PlanKind::kWindow, std::move(schema), {std::move(child)}),
        calls(std::move(calls_in)) {}
  std::string Describe() const override;
  std::vector<WindowCall> calls;
};

/// A generator in SELECT (explode & co.). Output: the child's columns, then the
/// generated ones. `outer` keeps input rows that generate nothing, with nulls.
class GenerateNode final : public LogicalPlan {
 public:
  GenerateNode(SchemaPtr schema, PlanPtr child, expr::BoundGenerator generator_in,
               std::vector<expr::ExprPtr> args_in, bool outer_in)
      : LogicalPlan(PlanKind::kGenerate, std::move(schema), {std::move(child)}),
        generator(std::move(generator_in)),
        args(std::move(args_in)),
        outer(outer_in) {}
  std::string Describe() const override;
  expr::BoundGenerator generator;
  std::vector<expr::ExprPtr> args;
  bool outer;
};

/// table_changes(table, start[, end]): the change data feed of versions [start, end].
/// Output: the table's columns, then _change_type, _commit_version, _commit_timestamp.
class TableChangesNode final : public LogicalPlan {
 public:
  TableChangesNode(SchemaPtr schema, std::string table_name_in, std::string table_root_in)
      : LogicalPlan(PlanKind::kTableChanges, std::move(schema), {}),
        table_name(std::move(table_name_in)),
        table_root(std::move(table_root_in)) {}
  std::string Describe() const override;
  std::string table_name;
  std::string table_root;
  int64_t start_version = 0;
  int64_t end_version = 0;  // inclusive; resolved at bind time
};

}  // namespace sluice::sql
