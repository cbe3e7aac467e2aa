// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/file_system.h"
#include "common/result.h"
#include "exec/executor.h"
#include "exec/memory.h"

/// The pipeline model (DuckDB's): a source split into tasks, streaming operators, and a
/// sink. Operators, sources and sinks are immutable once planned; what a thread changes
/// lives in its state objects, and what the threads share lives in global state objects
/// made at planning time, which synchronize themselves.
namespace sluice::exec {

/// What every operator of one query sees. Safe for concurrent use.
struct ExecContext {
  ExecContext(const ExecOptions& options_in, FileSystem* fs_in)
      : options(options_in), fs(fs_in), memory(options_in.memory_limit_bytes) {}
  /// Removes the query's spill directory, if one was made.
  ~ExecContext();
  ExecContext(const ExecContext&) = delete;
  ExecContext& operator=(const ExecContext&) = delete;

  /// Returns a new path for a spill file in this query's own directory under
  /// options.spill_dir (made on first use, removed with the context).
  Result<std::string> NewSpillPath();

  const ExecOptions& options;
  FileSystem* fs;
  MemoryTracker memory;
  // Relaxed counters: read after the query's threads are done.
  std::atomic<int64_t> rows_scanned{0};
  std::atomic<int64_t> files_read{0};
  std::atomic<int64_t> files_skipped{0};

 private:
  std::mutex spill_mu_;
  std::string spill_dir_;    // guarded by spill_mu_; empty until the first spill
  int64_t spill_files_ = 0;  // guarded by spill_mu_
};

/// Receives an operator's output batches.
using Emit = std::function<Status(BatchPtr)>;

/// The status a source or an operator returns to stop reading early (a LIMIT reached);
/// the pipeline runner turns it into OK.
Status StopStatus();
bool IsStop(const Status& status);

class OperatorState {
 public:
  virtual ~OperatorState() = default;
};

/// A streaming operator: batches in, batches out. Immutable; one instance serves every
/// thread of its pipelines, each thread with its own state.
class Operator {
 public:
  virtual ~Operator() = default;
  virtual std::string name() const = 0;
  /// Returns the per-thread state (nullptr when none is needed).
  virtual std::unique_ptr<OperatorState> MakeState(ExecContext& /*ctx*/) const { return nullptr; }
  /// Transforms `input`, calling `emit` for each output batch (zero or more).
  virtual Status Execute(ExecContext& ctx, OperatorState* state, const BatchPtr& input,
                         const Emit& emit) const = 0;
  /// Called once per thread after its last input, one thread at a time.
  virtual Status Combine(ExecContext& /*ctx*/, OperatorState* /*state*/) const {
    return Status::Ok();
  }
  /// Called once after every thread combined: may emit rows of its own (the unmatched
  /// build rows of an outer join).
  virtual Status Finish(ExecContext& /*ctx*/, const Emit& /*emit*/) const { return Status::Ok(); }
  /// Returns true once the operator wants no more input (a LIMIT reached).
  virtual bool Done() const { return false; }
};

/// Produces a pipeline's input as independent tasks (files, row groups, chunks).
class Source {
 public:
  virtual ~Source() = default;
  virtual std::string name() const = 0;
  /// Called once before the tasks run, after every pipeline this one depends on
  /// finished; returns the number of tasks.
  virtual Result<int64_t> Prepare(ExecContext& ctx) = 0;
  /// Runs task `task` (0 <= task < Prepare()'s count), calling `emit` with its batches
  /// in order. Thread-safe: tasks run concurrently.
  virtual Status RunTask(ExecContext& ctx, int64_t task, const Emit& emit) const = 0;
};

class SinkState {
 public:
  virtual ~SinkState() = default;
};

/// The end of a pipeline: consumes batches into per-thread states, combined into a
/// global state that becomes the source of the next pipeline.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual std::string name() const = 0;
  virtual Result<std::unique_ptr<SinkState>> MakeLocalState(ExecContext& ctx) const = 0;
  /// Tells the local state which task its next batches come from (pipeline `pipeline`
  /// of the sink's group, task `task` of its source).
  virtual void StartTask(SinkState& /*local*/, int pipeline, int64_t /*task*/) const {
    (void)pipeline;
  }
  /// Consumes a batch of input `input` (a sink with several inputs: a set operation).
  virtual Status Consume(ExecContext& ctx, SinkState& local, const BatchPtr& batch,
                         int input) const = 0;
  /// Merges a thread's state into the global state; called one thread at a time.
  virtual Status Combine(ExecContext& ctx, SinkState& local) const = 0;
  /// Called once after every input is combined.
  virtual Status Finalize(ExecContext& ctx) const = 0;
};

/// source -> operators -> sink.
struct Pipeline {
  std::shared_ptr<Source> source;
  std::vector<std::shared_ptr<const Operator>> operators;
  std::shared_ptr<const Sink> sink;
  int sink_input = 0;
};

/// The pipelines feeding one sink (a UNION ALL below it gives several), run one after
/// the other; then the sink is finalized.
struct PipelineGroup {
  std::vector<Pipeline> pipelines;
  std::shared_ptr<const Sink> sink;
};

/// Runs the groups in order (each depends only on earlier ones), on ctx.options.pool
/// when set. Returns the first error.
Status RunPipelineGroups(ExecContext& ctx, const std::vector<PipelineGroup>& groups);

}  // namespace sluice::exec
