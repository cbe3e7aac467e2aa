// SPDX-License-Identifier: Apache-2.0
#include "exec/physical_planner.h"

#include <algorithm>
#include <utility>

#include "delta/change_data_feed.h"
#include "exec/basic_ops.h"
#include "exec/generate.h"
#include "exec/hash_aggregate.h"
#include "exec/hash_join.h"
#include "exec/scan.h"
#include "exec/set_ops.h"
#include "exec/sort.h"
#include "exec/window.h"

namespace sluice::exec {

Result<std::vector<PipelineGroup>> PhysicalPlanner::Plan(ExecContext& ctx,
                                                         const sql::LogicalPlan& plan,
                                                         std::shared_ptr<const Sink> sink) {
  PhysicalPlanner planner(ctx);
  SLUICE_ASSIGN_OR_RETURN(std::vector<OpenPipeline> open, planner.Build(plan));
  PipelineGroup group;
  Close(std::move(open), sink, 0, &group);
  planner.groups_.push_back(std::move(group));
  return std::move(planner.groups_);
}

void PhysicalPlanner::Close(std::vector<OpenPipeline> open, const std::shared_ptr<const Sink>& sink,
                            int input, PipelineGroup* group) {
  group->sink = sink;
  for (OpenPipeline& pipeline : open) {
    group->pipelines.push_back(
        Pipeline{std::move(pipeline.source), std::move(pipeline.operators), sink, input});
  }
}

Status PhysicalPlanner::BuildInto(const sql::LogicalPlan& child,
                                  const std::shared_ptr<const Sink>& sink) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<OpenPipeline> open, Build(child));
  PipelineGroup group;
  Close(std::move(open), sink, 0, &group);
  groups_.push_back(std::move(group));
  return Status::Ok();
}

std::vector<OpenPipeline> PhysicalPlanner::Append(std::vector<OpenPipeline> open,
                                                  std::shared_ptr<const Operator> op) {
  for (OpenPipeline& pipeline : open) {
    pipeline.operators.push_back(op);
  }
  return open;
}

std::vector<OpenPipeline> PhysicalPlanner::SourceOnly(std::shared_ptr<Source> source) {
  std::vector<OpenPipeline> open(1);
  open[0].source = std::move(source);
  return open;
}

Result<std::vector<OpenPipeline>> PhysicalPlanner::Build(const sql::LogicalPlan& node) {
  switch (node.kind()) {
    case sql::PlanKind::kScan:
      return SourceOnly(MakeScanSource(static_cast<const sql::ScanNode&>(node)));
    case sql::PlanKind::kValues: {
      auto rows = std::make_shared<MaterializedRows>();
      rows->batches = static_cast<const sql::ValuesNode&>(node).batches;
      return SourceOnly(MakeBatchSource("Values", node.schema(), std::move(rows), false));
    }
    case sql::PlanKind::kFilter: {
      SLUICE_ASSIGN_OR_RETURN(auto open, Build(*node.child(0)));
      return Append(std::move(open),
                    MakeFilter(static_cast<const sql::FilterNode&>(node).predicate));
    }
    case sql::PlanKind::kProject: {
      const auto& project = static_cast<const sql::ProjectNode&>(node);
      const bool plain =
          std::all_of(project.exprs.begin(), project.exprs.end(),
                      [](const expr::ExprPtr& e) { return e->kind() == expr::ExprKind::kColumn; });
      if (plain && node.child(0)->kind() == sql::PlanKind::kFilter) {
        // Filter then keep some columns: the filter copies only those.
        const auto& filter = static_cast<const sql::FilterNode&>(*node.child(0));
        std::vector<int> columns;
        for (const expr::ExprPtr& e : project.exprs) {
          columns.push_back(e->column_index());
        }
        SLUICE_ASSIGN_OR_RETURN(auto open, Build(*filter.child(0)));
        return Append(std::move(open),
                      MakeFilterProject(filter.predicate, node.schema(), std::move(columns)));
      }
      SLUICE_ASSIGN_OR_RETURN(auto open, Build(*node.child(0)));
      return Append(std::move(open),
                    MakeProject(node.schema(), static_cast<const sql::ProjectNode&>(node).exprs));
    }
    case sql::PlanKind::kLimit:
      return BuildLimit(static_cast<const sql::LimitNode&>(node));
    case sql::PlanKind::kAggregate:
      return BuildAggregate(static_cast<const sql::AggregateNode&>(node));
    case sql::PlanKind::kJoin:
      return BuildJoin(static_cast<const sql::JoinNode&>(node));
    case sql::PlanKind::kSort:
      return BuildSort(static_cast<const sql::SortNode&>(node), std::nullopt, 0);
    case sql::PlanKind::kSetOp:
      return BuildSetOp(static_cast<const sql::SetOpNode&>(node));
    case sql::PlanKind::kWindow:
      return BuildWindow(static_cast<const sql::WindowNode&>(node));
    case sql::PlanKind::kGenerate: {
      SLUICE_ASSIGN_OR_RETURN(auto open, Build(*node.child(0)));
      return Append(std::move(open), MakeGenerate(static_cast<const sql::GenerateNode&>(node)));
    }
    case sql::PlanKind::kTableChanges: {
      // The change rows are read whole (table_changes ranges are small next to tables).
      const auto& changes = static_cast<const sql::TableChangesNode&>(node);
      auto rows = std::make_shared<MaterializedRows>();
      SLUICE_ASSIGN_OR_RETURN(rows->batches,
                              delta::ReadChangeData(changes.table_root, changes.start_version,
                                                    changes.end_version, *ctx_.fs));
      return SourceOnly(MakeBatchSource("TableChanges", node.schema(), std::move(rows), false));
    }
  }
  return Status::Internal("unknown plan node");
}

Result<std::vector<OpenPipeline>> PhysicalPlanner::BuildLimit(const sql::LimitNode& node) {
  // A small LIMIT over ORDER BY keeps only the top rows while sorting.
  constexpr int64_t kMaxTopN = 100000;
  if (node.limit.has_value() && *node.limit + node.offset <= kMaxTopN &&
      node.child(0)->kind() == sql::PlanKind::kSort) {
    return BuildSort(static_cast<const sql::SortNode&>(*node.child(0)), node.limit, node.offset);
  }
  SLUICE_ASSIGN_OR_RETURN(auto open, Build(*node.child(0)));
  return Append(std::move(open), MakeLimit(node.limit, node.offset));
}

Result<std::vector<OpenPipeline>> PhysicalPlanner::BuildAggregate(const sql::AggregateNode& node) {
  auto rows = std::make_shared<MaterializedRows>();
  SLUICE_RETURN_IF_ERROR(BuildInto(
      *node.child(0),
      std::make_shared<HashAggregateSink>(node.schema(), node.groups, node.aggregates, rows)));
  return SourceOnly(MakeBatchSource("HashAggregate", node.schema(), std::move(rows), false));
}

Result<std::vector<OpenPipeline>> PhysicalPlanner::BuildJoin(const sql::JoinNode& node) {
  if (node.left_keys.size() != node.right_keys.size() ||
      node.null_safe.size() != node.left_keys.size()) {
    return Status::Internal("join keys of different lengths");
  }
  JoinOperators join = MakeHashJoin(node, node.build_left);
  const bool build_left = node.build_left && node.join_kind != sql::JoinKind::kLeftSemi &&
                          node.join_kind != sql::JoinKind::kLeftAnti;
  SLUICE_RETURN_IF_ERROR(BuildInto(*node.child(build_left ? 0 : 1), join.build));
  SLUICE_ASSIGN_OR_RETURN(auto open, Build(*node.child(build_left ? 1 : 0)));
  return Append(std::move(open), join.probe);
}

Result<std::vector<OpenPipeline>> PhysicalPlanner::BuildSort(const sql::SortNode& node,
                                                             std::optional<int64_t> limit,
                                                             int64_t offset) {
  SortOperators sort = MakeSort(ctx_, node.schema(), node.keys, limit, offset);
  SLUICE_RETURN_IF_ERROR(BuildInto(*node.child(0), sort.sink));
  return SourceOnly(sort.source);
}

Result<std::vector<OpenPipeline>> PhysicalPlanner::BuildSetOp(const sql::SetOpNode& node) {
  if (node.op == sql::SetOperation::kUnion && node.all) {
    std::vector<OpenPipeline> open;
    for (const sql::PlanPtr& child : node.children()) {
      SLUICE_ASSIGN_OR_RETURN(auto child_open, Build(*child));
      for (OpenPipeline& pipeline : child_open) {
        pipeline.operators.push_back(MakeRelabel(node.schema()));
        open.push_back(std::move(pipeline));
      }
    }
    return open;
  }
  if (node.op != sql::SetOperation::kUnion && node.children().size() != 2) {
    return Status::Internal("INTERSECT and EXCEPT take two inputs");
  }
  auto rows = std::make_shared<MaterializedRows>();
  std::shared_ptr<const Sink> sink = MakeSetOpSink(ctx_, node, rows);
  PipelineGroup group;
  for (size_t i = 0; i < node.children().size(); ++i) {
    SLUICE_ASSIGN_OR_RETURN(auto open, Build(*node.child(static_cast<int>(i))));
    Close(std::move(open), sink, static_cast<int>(i), &group);
  }
  groups_.push_back(std::move(group));
  return SourceOnly(MakeBatchSource(sink->name(), node.schema(), std::move(rows), false));
}

Result<std::vector<OpenPipeline>> PhysicalPlanner::BuildWindow(const sql::WindowNode& node) {
  auto rows = std::make_shared<MaterializedRows>();
  SLUICE_RETURN_IF_ERROR(BuildInto(*node.child(0), MakeWindowSink(ctx_, node, rows)));
  return SourceOnly(MakeBatchSource("Window", node.schema(), std::move(rows), false));
}

}  // namespace sluice::exec
