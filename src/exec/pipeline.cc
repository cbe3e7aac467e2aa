// SPDX-License-Identifier: Apache-2.0
#include "exec/pipeline.h"

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <utility>

namespace sluice::exec {
namespace {

constexpr std::string_view kStopMessage = "query stopped early";

/// The states one thread uses to push batches through a pipeline's operators (from
/// operator `first` on) into the sink.
class PipelineThread {
 public:
  PipelineThread(ExecContext& ctx, const Pipeline& pipeline, size_t first)
      : ctx_(ctx), pipeline_(pipeline), first_(first) {}

  Status Init() {
    for (size_t i = first_; i < pipeline_.operators.size(); ++i) {
      states_.push_back(pipeline_.operators[i]->MakeState(ctx_));
    }
    SLUICE_ASSIGN_OR_RETURN(sink_state_, pipeline_.sink->MakeLocalState(ctx_));
    return Status::Ok();
  }

  SinkState& sink_state() { return *sink_state_; }

  /// Pushes `batch` into operator `index` (the sink past the last one).
  Status Push(size_t index, const BatchPtr& batch) {
    if (batch->num_rows() == 0) {
      return Status::Ok();
    }
    if (index == pipeline_.operators.size()) {
      return pipeline_.sink->Consume(ctx_, *sink_state_, batch, pipeline_.sink_input);
    }
    const Operator& op = *pipeline_.operators[index];
    if (op.Done()) {
      return StopStatus();
    }
    return op.Execute(ctx_, states_[index - first_].get(), batch,
                      [this, index](BatchPtr out) { return Push(index + 1, out); });
  }

  /// Combines the operator states and the sink state; the caller holds the lock.
  Status Combine() {
    for (size_t i = first_; i < pipeline_.operators.size(); ++i) {
      SLUICE_RETURN_IF_ERROR(pipeline_.operators[i]->Combine(ctx_, states_[i - first_].get()));
    }
    return pipeline_.sink->Combine(ctx_, *sink_state_);
  }

 private:
  ExecContext& ctx_;
  const Pipeline& pipeline_;
  size_t first_;
  std::vector<std::unique_ptr<OperatorState>> states_;
  std::unique_ptr<SinkState> sink_state_;
};

/// What the threads running one pipeline share. Workers the pool starts late (after the
/// caller finished every task) find `closed` and leave without touching the pipeline.
struct RunState {
  std::mutex mu;
  std::condition_variable idle;
  int active = 0;       // guarded by mu
  bool closed = false;  // guarded by mu
  Status error;         // guarded by mu: the first error
  std::atomic<int64_t> next_task{0};
  // Relaxed: a hint that stops workers early; the error itself is read under mu.
  std::atomic<bool> failed{false};
  int64_t num_tasks = 0;
};

bool ShouldStop(const Pipeline& pipeline, const RunState& run) {
  if (run.failed.load(std::memory_order_relaxed)) {
    return true;
  }
  return std::any_of(pipeline.operators.begin(), pipeline.operators.end(),
                     [](const auto& op) { return op->Done(); });
}

void RecordError(RunState& run, Status status) {
  std::lock_guard<std::mutex> lock(run.mu);
  if (run.error.ok()) {
    run.error = std::move(status);
  }
  run.failed.store(true, std::memory_order_relaxed);
}

/// Runs tasks until none is left, then combines this thread's states.
void WorkerLoop(ExecContext& ctx, const Pipeline& pipeline, int pipeline_index, RunState& run) {
  PipelineThread thread(ctx, pipeline, 0);
  Status status = thread.Init();
  if (!status.ok()) {
    RecordError(run, std::move(status));
    return;
  }
  while (!ShouldStop(pipeline, run)) {
    const int64_t task = run.next_task.fetch_add(1, std::memory_order_relaxed);
    if (task >= run.num_tasks) {
      break;
    }
    pipeline.sink->StartTask(thread.sink_state(), pipeline_index, task);
    status = pipeline.source->RunTask(ctx, task, [&](BatchPtr batch) {
      if (ShouldStop(pipeline, run)) {
        return StopStatus();
      }
      return thread.Push(0, batch);
    });
    if (!status.ok() && !IsStop(status)) {
      RecordError(run, std::move(status));
      return;
    }
  }
  std::lock_guard<std::mutex> lock(run.mu);
  status = thread.Combine();
  if (!status.ok() && run.error.ok()) {
    run.error = std::move(status);
    run.failed.store(true, std::memory_order_relaxed);
  }
}

Status RunPipeline(ExecContext& ctx, const Pipeline& pipeline, int pipeline_index) {
  SLUICE_ASSIGN_OR_RETURN(int64_t num_tasks, pipeline.source->Prepare(ctx));
  auto run = std::make_shared<RunState>();
  run->num_tasks = num_tasks;
  ThreadPool* pool = ctx.options.pool;
  const int64_t helpers =
      pool == nullptr ? 0 : std::min<int64_t>(pool->num_threads(), num_tasks - 1);
  for (int64_t i = 0; i < helpers; ++i) {
    pool->Submit([run, &ctx, &pipeline, pipeline_index] {
      {
        std::lock_guard<std::mutex> lock(run->mu);
        if (run->closed) {
          return;
        }
        ++run->active;
      }
      WorkerLoop(ctx, pipeline, pipeline_index, *run);
      std::lock_guard<std::mutex> lock(run->mu);
      --run->active;
      run->idle.notify_all();
    });
  }
  WorkerLoop(ctx, pipeline, pipeline_index, *run);
  std::unique_lock<std::mutex> lock(run->mu);
  run->closed = true;
  run->idle.wait(lock, [&] { return run->active == 0; });
  return run->error;
}

/// Runs the Finish of every operator of the group's pipelines once (an operator shared
/// by several pipelines finishes after all of them ran), pushing what it emits through
/// the operators after it.
Status FinishOperators(ExecContext& ctx, const PipelineGroup& group) {
  std::set<const Operator*> finished;
  for (size_t p = 0; p < group.pipelines.size(); ++p) {
    const Pipeline& pipeline = group.pipelines[p];
    for (size_t i = 0; i < pipeline.operators.size(); ++i) {
      const Operator* op = pipeline.operators[i].get();
      if (!finished.insert(op).second) {
        continue;
      }
      PipelineThread thread(ctx, pipeline, i + 1);
      SLUICE_RETURN_IF_ERROR(thread.Init());
      pipeline.sink->StartTask(thread.sink_state(), static_cast<int>(p), INT64_MAX);
      Status status = op->Finish(ctx, [&](BatchPtr batch) { return thread.Push(i + 1, batch); });
      if (!status.ok() && !IsStop(status)) {
        return status;
      }
      SLUICE_RETURN_IF_ERROR(thread.Combine());
    }
  }
  return Status::Ok();
}

}  // namespace

ExecContext::~ExecContext() {
  std::lock_guard<std::mutex> lock(spill_mu_);
  if (!spill_dir_.empty()) {
    // Best effort: nothing reads a spill directory after its query.
    std::error_code error;
    std::filesystem::remove_all(spill_dir_, error);
  }
}

Result<std::string> ExecContext::NewSpillPath() {
  std::lock_guard<std::mutex> lock(spill_mu_);
  if (spill_dir_.empty()) {
    static std::atomic<int64_t> next_query{0};
    const std::string dir = options.spill_dir + "/sluice-spill-" + std::to_string(getpid()) + "-" +
                            std::to_string(next_query.fetch_add(1, std::memory_order_relaxed));
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) {
      return Status::IoError("cannot create the spill directory " + dir + ": " + error.message());
    }
    spill_dir_ = dir;
  }
  return spill_dir_ + "/run-" + std::to_string(spill_files_++) + ".parquet";
}

Status StopStatus() {
  return Status::Cancelled(std::string(kStopMessage));
}

bool IsStop(const Status& status) {
  return status.code() == StatusCode::kCancelled && status.message() == kStopMessage;
}

Status RunPipelineGroups(ExecContext& ctx, const std::vector<PipelineGroup>& groups) {
  for (const PipelineGroup& group : groups) {
    for (size_t p = 0; p < group.pipelines.size(); ++p) {
      SLUICE_RETURN_IF_ERROR(RunPipeline(ctx, group.pipelines[p], static_cast<int>(p)));
    }
    SLUICE_RETURN_IF_ERROR(FinishOperators(ctx, group));
    SLUICE_RETURN_IF_ERROR(group.sink->Finalize(ctx));
  }
  return Status::Ok();
}

}  // namespace sluice::exec
