// SPDX-License-Identifier: Apache-2.0
#include "sql/optimizer.h"

#include <algorithm>
#include <utility>

#include "columnar/builder.h"
#include "delta/stats.h"
#include "expr/evaluator.h"

namespace sluice::sql {

using expr::Expression;
using expr::ExprPtr;

namespace {

// ---------------------------------------------------------------------------------------
// Constant folding.

ExprPtr Fold(const ExprPtr& value, const expr::EvalContext& eval) {
  if (value == nullptr || value->kind() == expr::ExprKind::kColumn ||
      value->kind() == expr::ExprKind::kLiteral) {
    return value;
  }
  if (value->IsConstant() && value->IsDeterministic()) {
    Result<VectorPtr> folded = expr::EvaluateConstant(*value, eval);
    if (folded.ok() && (*folded)->type()->Equals(*value->type())) {
      return Expression::Literal(std::move(folded).value());
    }
  }
  std::vector<ExprPtr> children;
  bool changed = false;
  for (const ExprPtr& child : value->children()) {
    children.push_back(Fold(child, eval));
    changed = changed || children.back() != child;
  }
  return changed ? value->WithChildren(std::move(children)) : value;
}

std::vector<ExprPtr> FoldAll(const std::vector<ExprPtr>& values, const expr::EvalContext& eval) {
  std::vector<ExprPtr> folded;
  folded.reserve(values.size());
  for (const ExprPtr& value : values) {
    folded.push_back(Fold(value, eval));
  }
  return folded;
}

/// Returns a copy of `plan` (same kind) with `children` and folded expressions.
PlanPtr Rebuild(const PlanPtr& plan, std::vector<PlanPtr> children, const expr::EvalContext* eval);

PlanPtr FoldPlan(const PlanPtr& plan, const expr::EvalContext& eval) {
  std::vector<PlanPtr> children;
  for (const PlanPtr& child : plan->children()) {
    children.push_back(FoldPlan(child, eval));
  }
  return Rebuild(plan, std::move(children), &eval);
}

PlanPtr Rebuild(const PlanPtr& plan, std::vector<PlanPtr> children, const expr::EvalContext* eval) {
  auto fold = [eval](const ExprPtr& value) { return eval != nullptr ? Fold(value, *eval) : value; };
  auto fold_all = [eval](const std::vector<ExprPtr>& values) {
    return eval != nullptr ? FoldAll(values, *eval) : values;
  };
  switch (plan->kind()) {
    case PlanKind::kScan:
    case PlanKind::kValues:
    case PlanKind::kTableChanges:
      return plan;
    case PlanKind::kFilter: {
      const auto& node = static_cast<const FilterNode&>(*plan);
      return std::make_shared<FilterNode>(children[0], fold(node.predicate));
    }
    case PlanKind::kProject: {
      const auto& node = static_cast<const ProjectNode&>(*plan);
      return std::make_shared<ProjectNode>(node.schema(), children[0], fold_all(node.exprs));
    }
    case PlanKind::kAggregate: {
      const auto& node = static_cast<const AggregateNode&>(*plan);
      std::vector<AggregateCall> calls = node.aggregates;
      for (AggregateCall& call : calls) {
        call.args = fold_all(call.args);
        call.filter = fold(call.filter);
      }
      return std::make_shared<AggregateNode>(node.schema(), children[0], fold_all(node.groups),
                                             std::move(calls));
    }
    case PlanKind::kJoin: {
      const auto& node = static_cast<const JoinNode&>(*plan);
      auto join =
          std::make_shared<JoinNode>(node.schema(), children[0], children[1], node.join_kind);
      join->left_keys = fold_all(node.left_keys);
      join->right_keys = fold_all(node.right_keys);
      join->null_safe = node.null_safe;
      join->residual = fold(node.residual);
      join->build_left = node.build_left;
      return join;
    }
    case PlanKind::kSort: {
      const auto& node = static_cast<const SortNode&>(*plan);
      std::vector<SortKey> keys = node.keys;
      for (SortKey& key : keys) {
        key.expr = fold(key.expr);
      }
      return std::make_shared<SortNode>(children[0], std::move(keys));
    }
    case PlanKind::kLimit: {
      const auto& node = static_cast<const LimitNode&>(*plan);
      return std::make_shared<LimitNode>(children[0], node.limit, node.offset);
    }
    case PlanKind::kSetOp: {
      const auto& node = static_cast<const SetOpNode&>(*plan);
      return std::make_shared<SetOpNode>(node.schema(), std::move(children), node.op, node.all);
    }
    case PlanKind::kWindow: {
      const auto& node = static_cast<const WindowNode&>(*plan);
      std::vector<WindowCall> calls = node.calls;
      for (WindowCall& call : calls) {
        call.args = fold_all(call.args);
        call.partition_by = fold_all(call.partition_by);
        for (SortKey& key : call.order_by) {
          key.expr = fold(key.expr);
        }
      }
      return std::make_shared<WindowNode>(node.schema(), children[0], std::move(calls));
    }
    case PlanKind::kGenerate: {
      const auto& node = static_cast<const GenerateNode&>(*plan);
      return std::make_shared<GenerateNode>(node.schema(), children[0], node.generator,
                                            fold_all(node.args), node.outer);
    }
  }
  return plan;
}

// ---------------------------------------------------------------------------------------
// Filter pushdown.

ExprPtr Conjoin(const std::vector<ExprPtr>& conjuncts) {
  ExprPtr result;
  for (const ExprPtr& conjunct : conjuncts) {
    result = result == nullptr ? conjunct : Expression::And(result, conjunct);
  }
  return result;
}

PlanPtr PushFilters(const PlanPtr& plan);

/// Puts `conjuncts` above `plan` (after pushing what can go further down).
PlanPtr PushInto(const PlanPtr& plan, std::vector<ExprPtr> conjuncts) {
  if (conjuncts.empty()) {
    return plan;
  }
  switch (plan->kind()) {
    case PlanKind::kProject: {
      const auto& project = static_cast<const ProjectNode&>(*plan);
      bool deterministic = true;
      for (const ExprPtr& value : project.exprs) {
        deterministic = deterministic && value->IsDeterministic();
      }
      if (!deterministic) {
        break;
      }
      std::vector<ExprPtr> below;
      for (const ExprPtr& conjunct : conjuncts) {
        below.push_back(expr::ReplaceColumns(conjunct, [&](const ExprPtr& column) {
          return project.exprs[column->column_index()];
        }));
      }
      return std::make_shared<ProjectNode>(project.schema(), PushInto(project.child(0), below),
                                           project.exprs);
    }
    case PlanKind::kFilter: {
      const auto& filter = static_cast<const FilterNode&>(*plan);
      expr::SplitConjuncts(filter.predicate, &conjuncts);
      return PushInto(filter.child(0), std::move(conjuncts));
    }
    case PlanKind::kJoin: {
      const auto& join = static_cast<const JoinNode&>(*plan);
      const int left_width = join.child(0)->schema()->num_fields();
      const bool push_left =
          join.join_kind == JoinKind::kInner || join.join_kind == JoinKind::kLeft ||
          join.join_kind == JoinKind::kLeftSemi || join.join_kind == JoinKind::kLeftAnti ||
          join.join_kind == JoinKind::kCross;
      const bool push_right = join.join_kind == JoinKind::kInner ||
                              join.join_kind == JoinKind::kRight ||
                              join.join_kind == JoinKind::kCross;
      std::vector<ExprPtr> left;
      std::vector<ExprPtr> right;
      std::vector<ExprPtr> kept;
      std::vector<int> right_mapping(plan->schema()->num_fields(), -1);
      for (int i = left_width; i < static_cast<int>(right_mapping.size()); ++i) {
        right_mapping[i] = i - left_width;
      }
      for (const ExprPtr& conjunct : conjuncts) {
        std::vector<int> columns;
        conjunct->CollectColumns(&columns);
        const bool only_left =
            std::all_of(columns.begin(), columns.end(), [&](int c) { return c < left_width; });
        const bool only_right =
            !columns.empty() &&
            std::all_of(columns.begin(), columns.end(), [&](int c) { return c >= left_width; });
        if (conjunct->IsDeterministic() && only_left && push_left && !columns.empty()) {
          left.push_back(conjunct);
        } else if (conjunct->IsDeterministic() && only_right && push_right) {
          right.push_back(conjunct->RemapColumns(right_mapping));
        } else {
          kept.push_back(conjunct);
        }
      }
      auto rebuilt = std::make_shared<JoinNode>(join.schema(), PushInto(join.child(0), left),
                                                PushInto(join.child(1), right), join.join_kind);
      rebuilt->left_keys = join.left_keys;
      rebuilt->right_keys = join.right_keys;
      rebuilt->null_safe = join.null_safe;
      rebuilt->residual = join.residual;
      rebuilt->build_left = join.build_left;
      if (kept.empty()) {
        return rebuilt;
      }
      return std::make_shared<FilterNode>(rebuilt, Conjoin(kept));
    }
    case PlanKind::kScan: {
      auto scan = std::make_shared<ScanNode>(static_cast<const ScanNode&>(*plan));
      for (const ExprPtr& conjunct : conjuncts) {
        if (conjunct->IsDeterministic()) {
          scan->pushed_filters.push_back(conjunct);
        }
      }
      return std::make_shared<FilterNode>(scan, Conjoin(conjuncts));
    }
    default:
      break;
  }
  return std::make_shared<FilterNode>(PushFilters(plan), Conjoin(conjuncts));
}

PlanPtr PushFilters(const PlanPtr& plan) {
  if (plan->kind() == PlanKind::kFilter) {
    const auto& filter = static_cast<const FilterNode&>(*plan);
    std::vector<ExprPtr> conjuncts;
    expr::SplitConjuncts(filter.predicate, &conjuncts);
    return PushInto(filter.child(0), std::move(conjuncts));
  }
  if (plan->kind() == PlanKind::kJoin) {
    // A join's ON conjuncts on one side of an inner join filter that side.
    const auto& join = static_cast<const JoinNode&>(*plan);
    if (join.join_kind == JoinKind::kInner && join.residual != nullptr) {
      std::vector<ExprPtr> conjuncts;
      expr::SplitConjuncts(join.residual, &conjuncts);
      auto without = std::make_shared<JoinNode>(join);
      without->residual = nullptr;
      return PushInto(without, std::move(conjuncts));
    }
  }
  std::vector<PlanPtr> children;
  for (const PlanPtr& child : plan->children()) {
    children.push_back(PushFilters(child));
  }
  return Rebuild(plan, std::move(children), nullptr);
}

// ---------------------------------------------------------------------------------------
// Projection pruning.

struct Pruned {
  PlanPtr plan;
  std::vector<int> mapping;  // old output column -> new output column, -1 when dropped
};

void Require(const ExprPtr& value, std::vector<bool>* required) {
  if (value == nullptr) {
    return;
  }
  std::vector<int> columns;
  value->CollectColumns(&columns);
  for (int column : columns) {
    (*required)[column] = true;
  }
}

SchemaPtr SubSchema(const Schema& schema, const std::vector<int>& kept) {
  std::vector<Field> fields;
  for (int index : kept) {
    fields.push_back(schema.field(index));
  }
  return MakeSchema(std::move(fields));
}

std::vector<int> Identity(int width) {
  std::vector<int> mapping(width);
  for (int i = 0; i < width; ++i) {
    mapping[i] = i;
  }
  return mapping;
}

ExprPtr Remap(const ExprPtr& value, const std::vector<int>& mapping) {
  return value == nullptr ? nullptr : value->RemapColumns(mapping);
}

Pruned Prune(const PlanPtr& plan, std::vector<bool> required);

Pruned PruneAll(const PlanPtr& plan) {
  return Prune(plan, std::vector<bool>(plan->schema()->num_fields(), true));
}

Pruned PruneScan(const ScanNode& scan, const std::vector<bool>& required) {
  std::vector<int> kept;
  for (size_t i = 0; i < required.size(); ++i) {
    if (required[i]) {
      kept.push_back(static_cast<int>(i));
    }
  }
  if (kept.empty() && !required.empty()) {
    kept.push_back(0);  // keep one column so the row count survives
  }
  std::vector<int> mapping(required.size(), -1);
  for (size_t i = 0; i < kept.size(); ++i) {
    mapping[kept[i]] = static_cast<int>(i);
  }
  auto pruned =
      std::make_shared<ScanNode>(SubSchema(*scan.schema(), kept), scan.format, scan.table_name);
  pruned->snapshot = scan.snapshot;
  pruned->path = scan.path;
  pruned->options = scan.options;
  pruned->source_schema = scan.source_schema;
  for (int index : kept) {
    pruned->columns.push_back(scan.columns[index]);
  }
  for (const ExprPtr& filter : scan.pushed_filters) {
    std::vector<int> columns;
    filter->CollectColumns(&columns);
    if (std::all_of(columns.begin(), columns.end(), [&](int c) { return mapping[c] >= 0; })) {
      pruned->pushed_filters.push_back(filter->RemapColumns(mapping));
    }
  }
  return {pruned, mapping};
}

Pruned Prune(const PlanPtr& plan, std::vector<bool> required) {
  const int width = plan->schema()->num_fields();
  switch (plan->kind()) {
    case PlanKind::kScan:
      return PruneScan(static_cast<const ScanNode&>(*plan), required);
    case PlanKind::kValues:
    case PlanKind::kTableChanges:
      return {plan, Identity(width)};
    case PlanKind::kFilter: {
      const auto& node = static_cast<const FilterNode&>(*plan);
      const std::vector<bool> read_above = required;
      Require(node.predicate, &required);
      Pruned child = Prune(node.child(0), required);
      PlanPtr filter =
          std::make_shared<FilterNode>(child.plan, Remap(node.predicate, child.mapping));
      // Columns only the predicate reads are dropped right above the filter (the executor
      // then copies only the columns read above into the filtered batch).
      std::vector<int> kept;
      bool drops = false;
      for (int i = 0; i < width; ++i) {
        if (child.mapping[i] < 0) {
          continue;
        }
        if (read_above[i]) {
          kept.push_back(i);
        } else {
          drops = true;
        }
      }
      if (!drops) {
        return {filter, child.mapping};
      }
      std::vector<ExprPtr> exprs;
      std::vector<int> mapping(width, -1);
      for (size_t j = 0; j < kept.size(); ++j) {
        const Field& field = plan->schema()->field(kept[j]);
        exprs.push_back(Expression::Column(child.mapping[kept[j]], field.type, field.nullable));
        mapping[kept[j]] = static_cast<int>(j);
      }
      return {
          std::make_shared<ProjectNode>(SubSchema(*plan->schema(), kept), filter, std::move(exprs)),
          mapping};
    }
    case PlanKind::kProject: {
      const auto& node = static_cast<const ProjectNode&>(*plan);
      std::vector<int> kept;
      for (int i = 0; i < width; ++i) {
        if (required[i]) {
          kept.push_back(i);
        }
      }
      if (kept.empty() && width > 0) {
        kept.push_back(0);
      }
      std::vector<bool> child_required(node.child(0)->schema()->num_fields(), false);
      for (int index : kept) {
        Require(node.exprs[index], &child_required);
      }
      Pruned child = Prune(node.child(0), child_required);
      std::vector<ExprPtr> exprs;
      std::vector<int> mapping(width, -1);
      for (size_t i = 0; i < kept.size(); ++i) {
        exprs.push_back(Remap(node.exprs[kept[i]], child.mapping));
        mapping[kept[i]] = static_cast<int>(i);
      }
      return {std::make_shared<ProjectNode>(SubSchema(*node.schema(), kept), child.plan,
                                            std::move(exprs)),
              mapping};
    }
    case PlanKind::kAggregate: {
      const auto& node = static_cast<const AggregateNode&>(*plan);
      std::vector<bool> child_required(node.child(0)->schema()->num_fields(), false);
      for (const ExprPtr& group : node.groups) {
        Require(group, &child_required);
      }
      for (const AggregateCall& call : node.aggregates) {
        for (const ExprPtr& arg : call.args) {
          Require(arg, &child_required);
        }
        Require(call.filter, &child_required);
      }
      Pruned child = Prune(node.child(0), child_required);
      std::vector<ExprPtr> groups;
      for (const ExprPtr& group : node.groups) {
        groups.push_back(Remap(group, child.mapping));
      }
      std::vector<AggregateCall> calls = node.aggregates;
      for (AggregateCall& call : calls) {
        for (ExprPtr& arg : call.args) {
          arg = Remap(arg, child.mapping);
        }
        call.filter = Remap(call.filter, child.mapping);
      }
      return {std::make_shared<AggregateNode>(node.schema(), child.plan, std::move(groups),
                                              std::move(calls)),
              Identity(width)};
    }
    case PlanKind::kJoin: {
      const auto& node = static_cast<const JoinNode&>(*plan);
      const int left_width = node.child(0)->schema()->num_fields();
      const int right_width = node.child(1)->schema()->num_fields();
      std::vector<bool> left_required(left_width, false);
      std::vector<bool> right_required(right_width, false);
      for (int i = 0; i < width; ++i) {
        if (required[i]) {
          (i < left_width ? left_required[i] : right_required[i - left_width]) = true;
        }
      }
      for (const ExprPtr& key : node.left_keys) {
        Require(key, &left_required);
      }
      for (const ExprPtr& key : node.right_keys) {
        Require(key, &right_required);
      }
      std::vector<bool> residual_required(left_width + right_width, false);
      Require(node.residual, &residual_required);
      for (int i = 0; i < left_width + right_width; ++i) {
        if (residual_required[i]) {
          (i < left_width ? left_required[i] : right_required[i - left_width]) = true;
        }
      }
      Pruned left = Prune(node.child(0), left_required);
      Pruned right = Prune(node.child(1), right_required);
      const int new_left_width = left.plan->schema()->num_fields();
      std::vector<int> combined = left.mapping;
      for (int mapped : right.mapping) {
        combined.push_back(mapped < 0 ? -1 : new_left_width + mapped);
      }
      std::vector<Field> fields = left.plan->schema()->fields();
      const bool semi =
          node.join_kind == JoinKind::kLeftSemi || node.join_kind == JoinKind::kLeftAnti;
      if (!semi) {
        const Schema& right_schema = *right.plan->schema();
        for (int i = 0; i < right_schema.num_fields(); ++i) {
          fields.push_back(right_schema.field(i));
        }
        // Outer joins: the join output's nullability, by name position.
        for (int i = 0; i < width; ++i) {
          if (combined[i] >= 0) {
            fields[combined[i]].nullable = node.schema()->field(i).nullable;
          }
        }
      } else {
        for (int i = 0; i < left_width; ++i) {
          if (left.mapping[i] >= 0) {
            fields[left.mapping[i]].nullable = node.schema()->field(i).nullable;
          }
        }
      }
      auto join = std::make_shared<JoinNode>(MakeSchema(std::move(fields)), left.plan, right.plan,
                                             node.join_kind);
      for (const ExprPtr& key : node.left_keys) {
        join->left_keys.push_back(Remap(key, left.mapping));
      }
      for (const ExprPtr& key : node.right_keys) {
        join->right_keys.push_back(Remap(key, right.mapping));
      }
      join->null_safe = node.null_safe;
      join->residual = Remap(node.residual, combined);
      join->build_left = node.build_left;
      if (semi) {
        return {join, left.mapping};
      }
      return {join, combined};
    }
    case PlanKind::kSort: {
      const auto& node = static_cast<const SortNode&>(*plan);
      for (const SortKey& key : node.keys) {
        Require(key.expr, &required);
      }
      Pruned child = Prune(node.child(0), required);
      std::vector<SortKey> keys = node.keys;
      for (SortKey& key : keys) {
        key.expr = Remap(key.expr, child.mapping);
      }
      return {std::make_shared<SortNode>(child.plan, std::move(keys)), child.mapping};
    }
    case PlanKind::kLimit: {
      const auto& node = static_cast<const LimitNode&>(*plan);
      Pruned child = Prune(node.child(0), required);
      return {std::make_shared<LimitNode>(child.plan, node.limit, node.offset), child.mapping};
    }
    case PlanKind::kSetOp: {
      const auto& node = static_cast<const SetOpNode&>(*plan);
      std::vector<PlanPtr> children;
      for (const PlanPtr& child : node.children()) {
        children.push_back(PruneAll(child).plan);
      }
      return {std::make_shared<SetOpNode>(node.schema(), std::move(children), node.op, node.all),
              Identity(width)};
    }
    case PlanKind::kWindow: {
      const auto& node = static_cast<const WindowNode&>(*plan);
      const int child_width = node.child(0)->schema()->num_fields();
      std::vector<bool> child_required(required.begin(), required.begin() + child_width);
      for (const WindowCall& call : node.calls) {
        for (const ExprPtr& arg : call.args) {
          Require(arg, &child_required);
        }
        for (const ExprPtr& part : call.partition_by) {
          Require(part, &child_required);
        }
        for (const SortKey& key : call.order_by) {
          Require(key.expr, &child_required);
        }
      }
      Pruned child = Prune(node.child(0), child_required);
      std::vector<WindowCall> calls = node.calls;
      for (WindowCall& call : calls) {
        for (ExprPtr& arg : call.args) {
          arg = Remap(arg, child.mapping);
        }
        for (ExprPtr& part : call.partition_by) {
          part = Remap(part, child.mapping);
        }
        for (SortKey& key : call.order_by) {
          key.expr = Remap(key.expr, child.mapping);
        }
      }
      std::vector<Field> fields = child.plan->schema()->fields();
      std::vector<int> mapping = child.mapping;
      const int new_child_width = static_cast<int>(fields.size());
      for (size_t k = 0; k < node.calls.size(); ++k) {
        fields.push_back(node.schema()->field(child_width + static_cast<int>(k)));
        mapping.push_back(new_child_width + static_cast<int>(k));
      }
      return {
          std::make_shared<WindowNode>(MakeSchema(std::move(fields)), child.plan, std::move(calls)),
          mapping};
    }
    case PlanKind::kGenerate: {
      const auto& node = static_cast<const GenerateNode&>(*plan);
      const int child_width = node.child(0)->schema()->num_fields();
      std::vector<bool> child_required(required.begin(), required.begin() + child_width);
      for (const ExprPtr& arg : node.args) {
        Require(arg, &child_required);
      }
      Pruned child = Prune(node.child(0), child_required);
      std::vector<ExprPtr> args;
      for (const ExprPtr& arg : node.args) {
        args.push_back(Remap(arg, child.mapping));
      }
      std::vector<Field> fields = child.plan->schema()->fields();
      std::vector<int> mapping = child.mapping;
      const int new_child_width = static_cast<int>(fields.size());
      for (int j = child_width; j < width; ++j) {
        fields.push_back(node.schema()->field(j));
        mapping.push_back(new_child_width + j - child_width);
      }
      return {std::make_shared<GenerateNode>(MakeSchema(std::move(fields)), child.plan,
                                             node.generator, std::move(args), node.outer),
              mapping};
    }
  }
  return {plan, Identity(width)};
}

/// Restores the original output columns after pruning (the root keeps its schema).
PlanPtr PruneRoot(const PlanPtr& plan) {
  Pruned pruned = PruneAll(plan);
  const int width = plan->schema()->num_fields();
  bool identity = pruned.plan->schema()->num_fields() == width;
  for (int i = 0; i < width && identity; ++i) {
    identity = pruned.mapping[i] == i;
  }
  if (identity) {
    return pruned.plan;
  }
  std::vector<ExprPtr> exprs;
  for (int i = 0; i < width; ++i) {
    const Field& field = plan->schema()->field(i);
    exprs.push_back(Expression::Column(pruned.mapping[i], field.type, field.nullable));
  }
  return std::make_shared<ProjectNode>(plan->schema(), pruned.plan, std::move(exprs));
}

// ---------------------------------------------------------------------------------------
// Join sides.

double EstimateRows(const PlanPtr& plan) {
  switch (plan->kind()) {
    case PlanKind::kScan: {
      const auto& scan = static_cast<const ScanNode&>(*plan);
      if (scan.snapshot == nullptr) {
        return 1e6;
      }
      double bytes = 0;
      for (const delta::AddFile& file : scan.snapshot->files()) {
        bytes += static_cast<double>(file.size);
      }
      // About 20 bytes a row in compressed Parquet; filters above scale it down.
      return bytes / 20.0 + 1;
    }
    case PlanKind::kValues: {
      double rows = 0;
      for (const BatchPtr& batch : static_cast<const ValuesNode&>(*plan).batches) {
        rows += static_cast<double>(batch->num_rows());
      }
      return rows;
    }
    case PlanKind::kFilter:
      return EstimateRows(plan->child(0)) * 0.5;
    case PlanKind::kAggregate:
      return static_cast<const AggregateNode&>(*plan).groups.empty()
                 ? 1
                 : EstimateRows(plan->child(0)) * 0.5;
    case PlanKind::kLimit: {
      const auto& limit = static_cast<const LimitNode&>(*plan);
      const double rows = EstimateRows(plan->child(0));
      return limit.limit ? std::min(rows, static_cast<double>(*limit.limit)) : rows;
    }
    case PlanKind::kJoin:
      return std::max(EstimateRows(plan->child(0)), EstimateRows(plan->child(1)));
    default: {
      double rows = 0;
      for (const PlanPtr& child : plan->children()) {
        rows += EstimateRows(child);
      }
      return plan->children().empty() ? 1000 : rows;
    }
  }
}

PlanPtr ChooseBuildSides(const PlanPtr& plan) {
  std::vector<PlanPtr> children;
  for (const PlanPtr& child : plan->children()) {
    children.push_back(ChooseBuildSides(child));
  }
  PlanPtr rebuilt = Rebuild(plan, std::move(children), nullptr);
  if (rebuilt->kind() == PlanKind::kJoin) {
    const auto& join = static_cast<const JoinNode&>(*rebuilt);
    if (join.join_kind == JoinKind::kInner) {
      auto chosen = std::make_shared<JoinNode>(join);
      chosen->build_left = EstimateRows(join.child(0)) < EstimateRows(join.child(1));
      return chosen;
    }
  }
  return rebuilt;
}

// ---------------------------------------------------------------------------------------
// count(*) of a whole Delta table from the log's numRecords statistics.

/// The table's row count from its files' statistics (minus deletion vectors), or nullopt
/// when a file has none.
std::optional<int64_t> CountFromStats(const delta::Snapshot& snapshot) {
  static const SchemaPtr kNoColumns = MakeSchema({});
  int64_t rows = 0;
  for (const delta::AddFile& file : snapshot.files()) {
    if (!file.stats.has_value()) {
      return std::nullopt;
    }
    std::optional<int64_t> records = delta::ParseFileStats(*file.stats, *kNoColumns).num_records();
    if (!records.has_value()) {
      return std::nullopt;
    }
    rows += *records - (file.deletion_vector ? file.deletion_vector->cardinality : 0);
  }
  return rows;
}

/// Aggregate(count(*), ...) directly over a Delta scan with no filter becomes the
/// constant row count (Delta's metadata-only query optimization).
PlanPtr AnswerCountsFromStats(const PlanPtr& plan) {
  std::vector<PlanPtr> children;
  for (const PlanPtr& child : plan->children()) {
    children.push_back(AnswerCountsFromStats(child));
  }
  PlanPtr rebuilt = Rebuild(plan, std::move(children), nullptr);
  if (rebuilt->kind() != PlanKind::kAggregate) {
    return rebuilt;
  }
  const auto& aggregate = static_cast<const AggregateNode&>(*rebuilt);
  const PlanPtr& input = aggregate.child(0);
  if (!aggregate.groups.empty() || aggregate.aggregates.empty() ||
      input->kind() != PlanKind::kScan) {
    return rebuilt;
  }
  const auto& scan = static_cast<const ScanNode&>(*input);
  if (scan.format != ScanFormat::kDelta || scan.snapshot == nullptr ||
      !scan.pushed_filters.empty()) {
    return rebuilt;
  }
  for (const AggregateCall& call : aggregate.aggregates) {
    const bool counts_rows =
        call.function.name == "count" && call.filter == nullptr && !call.distinct &&
        std::all_of(call.args.begin(), call.args.end(), [](const ExprPtr& arg) {
          return arg->kind() == expr::ExprKind::kLiteral && !arg->literal_is_null();
        });
    if (!counts_rows || call.function.return_type->id() != TypeId::kLong) {
      return rebuilt;
    }
  }
  std::optional<int64_t> rows = CountFromStats(*scan.snapshot);
  if (!rows.has_value()) {
    return rebuilt;
  }
  BatchBuilder builder(aggregate.schema());
  for (int i = 0; i < builder.num_columns(); ++i) {
    static_cast<Int64Builder*>(builder.column(i))->Append(*rows);
  }
  return std::make_shared<ValuesNode>(aggregate.schema(), std::vector<BatchPtr>{builder.Finish()});
}

}  // namespace

Result<PlanPtr> Optimize(const PlanPtr& plan, const expr::EvalContext& eval) {
  PlanPtr optimized = FoldPlan(plan, eval);
  optimized = PushFilters(optimized);
  optimized = PruneRoot(optimized);
  optimized = AnswerCountsFromStats(optimized);
  optimized = ChooseBuildSides(optimized);
  return optimized;
}

}  // namespace sluice::sql
