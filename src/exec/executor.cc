// SPDX-License-Identifier: Apache-2.0
#include "exec/executor.h"

#include <memory>
#include <utility>

#include "exec/basic_ops.h"
#include "exec/physical_planner.h"
#include "exec/pipeline.h"

namespace sluice::exec {
Status ExecutePlan(const sql::PlanPtr& plan, const ExecOptions& options,
                   const std::function<Status(BatchPtr)>& consumer, ExecMetrics* metrics) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> batches, ExecuteToBatches(plan, options, metrics));
  for (BatchPtr& batch : batches) {
    SLUICE_RETURN_IF_ERROR(consumer(std::move(batch)));
  }
  return Status::Ok();
}

Result<std::vector<BatchPtr>> ExecuteToBatches(const sql::PlanPtr& plan, const ExecOptions& options,
                                               ExecMetrics* metrics) {
  FileSystem* fs = options.fs != nullptr ? options.fs : &LocalFileSystem::Default();
  ExecContext ctx(options, fs);
  auto collector = std::make_shared<ResultCollector>(plan->schema());
  SLUICE_ASSIGN_OR_RETURN(std::vector<PipelineGroup> groups,
                          PhysicalPlanner::Plan(ctx, *plan, collector));
  Status status = RunPipelineGroups(ctx, groups);
  if (metrics != nullptr) {
    metrics->rows_scanned += ctx.rows_scanned.load(std::memory_order_relaxed);
    metrics->files_read += ctx.files_read.load(std::memory_order_relaxed);
    metrics->files_skipped += ctx.files_skipped.load(std::memory_order_relaxed);
    metrics->bytes_spilled += ctx.memory.spilled();
    metrics->peak_memory_bytes = std::max(metrics->peak_memory_bytes, ctx.memory.peak());
  }
  SLUICE_RETURN_IF_ERROR(status);
  return collector->TakeBatches();
}

}  // namespace sluice::exec
