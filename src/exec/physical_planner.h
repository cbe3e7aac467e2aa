// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "exec/pipeline.h"
#include "sql/logical_plan.h"

namespace sluice::exec {

/// Pipelines not yet ended by a sink: a source and the operators over it. A UNION ALL
/// leaves one per input, all ending in the same sink.
struct OpenPipeline {
  std::shared_ptr<Source> source;
  std::vector<std::shared_ptr<const Operator>> operators;
};

/// Turns a logical plan into pipeline groups, in the order they must run.
class PhysicalPlanner {
 public:
  /// Plans `plan` with `sink` at the top; the plan must outlive the pipelines.
  static Result<std::vector<PipelineGroup>> Plan(ExecContext& ctx, const sql::LogicalPlan& plan,
                                                 std::shared_ptr<const Sink> sink);

 private:
  explicit PhysicalPlanner(ExecContext& ctx) : ctx_(ctx) {}

  Result<std::vector<OpenPipeline>> Build(const sql::LogicalPlan& node);
  Result<std::vector<OpenPipeline>> BuildLimit(const sql::LimitNode& node);
  Result<std::vector<OpenPipeline>> BuildAggregate(const sql::AggregateNode& node);
  Result<std::vector<OpenPipeline>> BuildJoin(const sql::JoinNode& node);
  Result<std::vector<OpenPipeline>> BuildSort(const sql::SortNode& node,
                                              std::optional<int64_t> limit, int64_t offset);
  Result<std::vector<OpenPipeline>> BuildSetOp(const sql::SetOpNode& node);
  Result<std::vector<OpenPipeline>> BuildWindow(const sql::WindowNode& node);

  /// Ends `open` in `sink` (input `input` of it), adding the pipelines to `group`.
  static void Close(std::vector<OpenPipeline> open, const std::shared_ptr<const Sink>& sink,
                    int input, PipelineGroup* group);
  /// Builds `child` and ends it in `sink`, registering the group; returns nothing open.
  Status BuildInto(const sql::LogicalPlan& child, const std::shared_ptr<const Sink>& sink);
  /// Appends `op` to every open pipeline.
  static std::vector<OpenPipeline> Append(std::vector<OpenPipeline> open,
                                          std::shared_ptr<const Operator> op);
  static std::vector<OpenPipeline> SourceOnly(std::shared_ptr<Source> source);

  ExecContext& ctx_;
  std::vector<PipelineGroup> groups_;
};

}  // namespace sluice::exec
