// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "columnar/batch.h"
#include "common/file_system.h"
#include "common/result.h"
#include "common/thread_pool.h"
#include "expr/function.h"
#include "sql/logical_plan.h"

/// Runs logical plans: turns them into pipelines of vectorized operators (DuckDB's
/// source -> operators -> sink model, operators immutable with per-thread state) and
/// runs the pipelines on a thread pool.
namespace sluice::exec {

/// How to run one query.
struct ExecOptions {
  expr::EvalContext eval;
  /// Worker threads (not owned); nullptr runs everything on the calling thread.
  ThreadPool* pool = nullptr;
  /// Bytes the query may hold in operator state (hash tables, sort buffers). Past it,
  /// sort and aggregate spill to `spill_dir`; operators that cannot spill fail with
  /// kResourceExhausted naming the operator and the limit.
  int64_t memory_limit_bytes = int64_t{4} << 30;
  /// Where spill files go (created if missing, files removed when the query ends).
  std::string spill_dir = "/tmp";
  FileSystem* fs = nullptr;  // nullptr: LocalFileSystem::Default()
};

/// Counts reported after a query (EXPLAIN ANALYZE-style and the shell's timing line).
struct ExecMetrics {
  int64_t rows_scanned = 0;
  int64_t files_read = 0;
  int64_t files_skipped = 0;  // by partition pruning or stats
  int64_t bytes_spilled = 0;
  int64_t peak_memory_bytes = 0;
};

/// Runs `plan` and calls `consumer` with its output batches, in order (an ORDER BY's
/// order is kept; otherwise batches arrive as produced). A consumer error stops the
/// query and is returned. The batches carry the plan's output schema.
Status ExecutePlan(const sql::PlanPtr& plan, const ExecOptions& options,
                   const std::function<Status(BatchPtr)>& consumer, ExecMetrics* metrics = nullptr);

/// Runs `plan` and returns all its output batches.
Result<std::vector<BatchPtr>> ExecuteToBatches(const sql::PlanPtr& plan, const ExecOptions& options,
                                               ExecMetrics* metrics = nullptr);

}  // namespace sluice::exec
