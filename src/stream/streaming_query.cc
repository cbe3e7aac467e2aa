// SPDX-License-Identifier: Apache-2.0
#include "stream/streaming_query.h"

#include <fmt/format.h>

#include <chrono>

#include "common/logging.h"
#include "common/sync_point.h"
#include "delta/transaction.h"

namespace sluice::stream {

namespace {

int64_t RowCount(const std::vector<BatchPtr>& batches) {
  int64_t rows = 0;
  for (const BatchPtr& batch : batches) {
    rows += batch->num_rows();
  }
  return rows;
}

double RowsPerSecond(int64_t rows, int64_t millis) {
  return millis <= 0 ? 0.0 : static_cast<double>(rows) * 1000.0 / static_cast<double>(millis);
}

/// Milliseconds between two monotonic readings.
int64_t ElapsedMs(int64_t start_nanos, int64_t end_nanos) {
  return (end_nanos - start_nanos) / 1000000;
}

}  // namespace

/// Per-trigger durations (progress durationMs) and the trigger's start.
struct MicroBatchExecution::BatchTimings {
  int64_t start_nanos = 0;
  int64_t start_wall_ms = 0;
  std::map<std::string, int64_t> duration_ms;
  /// The latest offsets the sources reported (before rate limiting), per source.
  std::vector<std::optional<Offset>> latest;
};

MicroBatchExecution::MicroBatchExecution(StreamingQueryOptions options)
    : options_(std::move(options)) {}

MicroBatchExecution::~MicroBatchExecution() {
  Close();
}

const std::string& MicroBatchExecution::id() const {
  return checkpoint_->query_id();
}

Result<std::unique_ptr<MicroBatchExecution>> MicroBatchExecution::Open(
    StreamingQueryOptions options) {
  if (options.fs == nullptr) {
    options.fs = &LocalFileSystem::Default();
  }
  if (options.clock == nullptr) {
    options.clock = &Clock::System();
  }
  if (options.sink == nullptr || !options.plan) {
    return Status::InvalidArgument("a streaming query needs a sink and a plan");
  }
  if (options.min_batches_to_retain < 1) {
    return Status::InvalidArgument(
        "spark.sql.streaming.minBatchesToRetain must be at least 1 (recovery reads the last "
        "batch's offsets)");
  }
  if (options.sources.empty()) {
    return Status::InvalidArgument(
        "[NON_STREAMING_QUERY] A streaming query must read at least one streaming source");
  }
  std::unique_ptr<MicroBatchExecution> execution(new MicroBatchExecution(std::move(options)));
  StreamingQueryOptions& opts = execution->options_;
  SLUICE_ASSIGN_OR_RETURN(execution->checkpoint_,
                          Checkpoint::Open(opts.checkpoint_location, *opts.fs));
  std::vector<std::string> identities;
  for (const std::unique_ptr<StreamSource>& source : opts.sources) {
    identities.push_back(source->Identity());
  }
  SLUICE_RETURN_IF_ERROR(execution->checkpoint_->CheckSources(identities));
  execution->run_id_ = delta::RandomUuid();
  for (size_t i = 0; i < opts.sources.size(); ++i) {
    SourceContext context;
    SLUICE_ASSIGN_OR_RETURN(context.metadata_dir,
                            execution->checkpoint_->SourceDir(static_cast<int>(i)));
    context.fs = opts.fs;
    context.query_id = execution->checkpoint_->query_id();
    context.pool = opts.pool;
    SLUICE_RETURN_IF_ERROR(opts.sources[i]->Open(context));
  }
  SinkContext sink_context;
  sink_context.query_id = execution->checkpoint_->query_id();
  sink_context.query_name = opts.name;
  sink_context.output_mode = opts.output_mode;
  sink_context.checkpoint_dir = opts.checkpoint_location;
  sink_context.fs = opts.fs;
  sink_context.pool = opts.pool;
  SLUICE_RETURN_IF_ERROR(opts.sink->Open(sink_context));
  SLUICE_RETURN_IF_ERROR(execution->Resume());
  return execution;
}

Status MicroBatchExecution::Resume() {
  const size_t num_sources = options_.sources.size();
  committed_.assign(num_sources, std::nullopt);
  SLUICE_ASSIGN_OR_RETURN(std::optional<int64_t> logged, checkpoint_->LatestOffsetBatch());
  if (!logged.has_value()) {
    next_batch_id_ = 0;
    return Status::Ok();
  }
  // Entries older than minBatchesToRetain (left by a run killed between batches); the
  // batch before `logged` stays, a re-run of `logged` starts from its offsets.
  if (*logged > options_.min_batches_to_retain) {
    SLUICE_RETURN_IF_ERROR(checkpoint_->Purge(*logged - options_.min_batches_to_retain));
  }
  SLUICE_ASSIGN_OR_RETURN(std::optional<int64_t> committed, checkpoint_->LatestCommittedBatch());
  SLUICE_ASSIGN_OR_RETURN(OffsetLogEntry last, checkpoint_->GetOffsets(*logged));
  if (last.offsets.size() != num_sources) {
    return Status::InvalidArgument(fmt::format(
        "The checkpoint {} logged {} source offset(s) in batch {}, but the query has {} "
        "source(s). Use a new checkpointLocation for a different query.",
        checkpoint_->dir(), last.offsets.size(), *logged, num_sources));
  }
  if (committed.has_value() && *committed >= *logged) {
    committed_ = last.offsets;
    next_batch_id_ = *logged + 1;
    return Status::Ok();
  }
  // Batch `logged` was planned but not committed: re-run it with the same offsets
  // (reliability invariant I1), starting from the batch before it.
  pending_batch_ = *logged;
  next_batch_id_ = *logged;
  if (*logged > 0) {
    SLUICE_ASSIGN_OR_RETURN(OffsetLogEntry previous, checkpoint_->GetOffsets(*logged - 1));
    committed_ = previous.offsets;
  }
  SLUICE_LOG_INFO("query {}: re-running uncommitted batch {} from the offset log", id(), *logged);
  return Status::Ok();
}

Result<bool> MicroBatchExecution::RunTrigger() {
  if (closed_) {
    return Status::Cancelled("the query was stopped");
  }
  BatchTimings timings;
  timings.start_nanos = options_.clock->MonotonicNanos();
  timings.start_wall_ms = options_.clock->NowMicros() / 1000;
  if (options_.trigger.kind == Trigger::Kind::kAvailableNow && !available_now_prepared_) {
    for (const std::unique_ptr<StreamSource>& source : options_.sources) {
      SLUICE_RETURN_IF_ERROR(source->PrepareForTriggerAvailableNow());
    }
    available_now_prepared_ = true;
  }
  if (pending_batch_.has_value()) {
    const int64_t batch_id = *pending_batch_;
    SLUICE_ASSIGN_OR_RETURN(OffsetLogEntry entry, checkpoint_->GetOffsets(batch_id));
    timings.latest = entry.offsets;
    SLUICE_RETURN_IF_ERROR(RunBatch(batch_id, entry, committed_, timings));
    pending_batch_.reset();  // only now: a failed re-run is re-run again, not re-planned
    return true;
  }

  SetStatus("Getting offsets from sources", false, true);
  const ReadLimit limit = options_.trigger.kind == Trigger::Kind::kOnce ? ReadLimit::kAllAvailable
                                                                        : ReadLimit::kRateLimited;
  OffsetLogEntry entry;
  bool has_new_data = false;
  int64_t latest_start = options_.clock->MonotonicNanos();
  for (size_t i = 0; i < options_.sources.size(); ++i) {
    SLUICE_ASSIGN_OR_RETURN(std::optional<Offset> end,
                            options_.sources[i]->LatestOffset(committed_[i], limit));
    has_new_data = has_new_data || (end.has_value() && end != committed_[i]);
    entry.offsets.push_back(end.has_value() ? end : committed_[i]);
    std::optional<Offset> latest = options_.sources[i]->ReportLatestOffset();
    timings.latest.push_back(latest.has_value() ? latest : entry.offsets.back());
  }
  timings.duration_ms["latestOffset"] = ElapsedMs(latest_start, options_.clock->MonotonicNanos());
  input_pending_ = false;
  if (!has_new_data) {
    for (const std::unique_ptr<StreamSource>& source : options_.sources) {
      input_pending_ = input_pending_ || source->HasPendingInput();
    }
    SetStatus("Waiting for data to arrive", false, false);
    const int64_t now_ms = options_.clock->NowMicros() / 1000;
    const std::string timestamp = FormatProgressTimestamp(now_ms);
    for (const auto& listener : options_.listeners) {
      listener->OnQueryIdle(id(), run_id_, timestamp);
    }
    if (now_ms - last_idle_progress_ms_ >= options_.no_data_progress_interval_ms) {
      // Spark reports an idle query's progress (no rows) at most this often.
      last_idle_progress_ms_ = now_ms;
      timings.duration_ms["triggerExecution"] =
          ElapsedMs(timings.start_nanos, options_.clock->MonotonicNanos());
      StreamingQueryProgress progress = NewProgress(next_batch_id_, now_ms, timings);
      for (size_t i = 0; i < options_.sources.size(); ++i) {
        progress.sources.push_back(
            NewSourceProgress(i, committed_[i], committed_[i], timings.latest[i]));
      }
      progress.sink.num_output_rows = 0;
      RecordProgress(std::move(progress));
    }
    return false;
  }

  const int64_t batch_id = next_batch_id_;
  entry.metadata.batch_timestamp_ms = timings.start_wall_ms;
  entry.metadata.conf = options_.conf;
  const int64_t wal_start = options_.clock->MonotonicNanos();
  SLUICE_RETURN_IF_ERROR(SLUICE_SYNC_POINT("MicroBatch::BeforeOffsetLog"));
  SLUICE_RETURN_IF_ERROR(checkpoint_->AddOffsets(batch_id, entry));
  SLUICE_RETURN_IF_ERROR(SLUICE_SYNC_POINT("MicroBatch::AfterOffsetLog"));
  timings.duration_ms["walCommit"] = ElapsedMs(wal_start, options_.clock->MonotonicNanos());
  SLUICE_RETURN_IF_ERROR(RunBatch(batch_id, entry, committed_, timings));
  return true;
}

// `previous` is taken by value: callers pass committed_, which this updates.
Status MicroBatchExecution::RunBatch(int64_t batch_id, const OffsetLogEntry& entry,
                                     std::vector<std::optional<Offset>> previous,
                                     BatchTimings& timings) {
  SetStatus("Processing new data", true, true);
  Clock& clock = *options_.clock;
  const bool complete = options_.output_mode == OutputMode::kComplete;

  // getBatch: each source's rows of (previous, end]; complete mode recomputes the
  // result from the beginning (no state store yet), so it also reads (null, previous].
  int64_t get_start = clock.MonotonicNanos();
  MicroBatchInput input;
  input.batch_id = batch_id;
  input.batch_timestamp_ms = entry.metadata.batch_timestamp_ms;
  std::vector<int64_t> new_rows(options_.sources.size(), 0);
  for (size_t i = 0; i < options_.sources.size(); ++i) {
    std::vector<BatchPtr> rows;
    const std::optional<Offset>& end = entry.offsets[i];
    if (complete && previous[i].has_value()) {
      SLUICE_ASSIGN_OR_RETURN(rows, options_.sources[i]->GetBatch(std::nullopt, *previous[i]));
    }
    if (end.has_value() && end != previous[i]) {
      SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> fresh,
                              options_.sources[i]->GetBatch(previous[i], *end));
      new_rows[i] = RowCount(fresh);
      rows.insert(rows.end(), fresh.begin(), fresh.end());
    }
    input.sources.push_back(std::move(rows));
  }
  timings.duration_ms["getBatch"] = ElapsedMs(get_start, clock.MonotonicNanos());

  // addBatch: run the plan and hand the result to the sink.
  int64_t add_start = clock.MonotonicNanos();
  SLUICE_ASSIGN_OR_RETURN(MicroBatchOutput output, options_.plan(input));
  SLUICE_RETURN_IF_ERROR(SLUICE_SYNC_POINT("MicroBatch::BeforeSinkCommit"));
  SLUICE_RETURN_IF_ERROR(options_.sink->AddBatch(batch_id, output.schema, output.batches));
  SLUICE_RETURN_IF_ERROR(SLUICE_SYNC_POINT("MicroBatch::AfterSinkCommit"));
  timings.duration_ms["addBatch"] = ElapsedMs(add_start, clock.MonotonicNanos());

  // The commit log: the batch is done (reliability invariant I3).
  int64_t commit_start = clock.MonotonicNanos();
  SLUICE_RETURN_IF_ERROR(SLUICE_SYNC_POINT("MicroBatch::BeforeCommitLog"));
  SLUICE_RETURN_IF_ERROR(checkpoint_->AddCommit(batch_id, CommitLogEntry{}));
  SLUICE_RETURN_IF_ERROR(SLUICE_SYNC_POINT("MicroBatch::AfterCommitLog"));
  timings.duration_ms["commitOffsets"] = ElapsedMs(commit_start, clock.MonotonicNanos());
  committed_ = entry.offsets;
  next_batch_id_ = batch_id + 1;
  if (next_batch_id_ > options_.min_batches_to_retain) {
    // Resume purged everything older; each batch retires one entry.
    SLUICE_RETURN_IF_ERROR(
        checkpoint_->PurgeBatch(next_batch_id_ - options_.min_batches_to_retain - 1));
  }

  const int64_t total_ms = ElapsedMs(timings.start_nanos, clock.MonotonicNanos());
  timings.duration_ms["triggerExecution"] = total_ms;
  timings.duration_ms["queryPlanning"] = 0;  // planning happens inside addBatch's plan run
  StreamingQueryProgress progress = NewProgress(batch_id, timings.start_wall_ms, timings);
  progress.batch_duration_ms = total_ms;
  // Spark's inputRowsPerSecond divides by the time since the previous trigger started.
  const int64_t since_last_ms =
      last_trigger_wall_ms_ > 0 ? timings.start_wall_ms - last_trigger_wall_ms_ : total_ms;
  last_trigger_wall_ms_ = timings.start_wall_ms;
  for (size_t i = 0; i < options_.sources.size(); ++i) {
    SourceProgress source =
        NewSourceProgress(i, previous[i], entry.offsets[i],
                          i < timings.latest.size() ? timings.latest[i] : entry.offsets[i]);
    source.num_input_rows = new_rows[i];
    source.input_rows_per_second = RowsPerSecond(new_rows[i], since_last_ms);
    source.processed_rows_per_second = RowsPerSecond(new_rows[i], total_ms);
    progress.num_input_rows += new_rows[i];
    progress.sources.push_back(std::move(source));
  }
  progress.input_rows_per_second = RowsPerSecond(progress.num_input_rows, since_last_ms);
  progress.processed_rows_per_second = RowsPerSecond(progress.num_input_rows, total_ms);
  progress.sink.num_output_rows = RowCount(output.batches);
  progress.sink.metrics = options_.sink->Metrics();
  RecordProgress(std::move(progress));
  SetStatus("Waiting for next trigger", true, false);
  return Status::Ok();
}

StreamingQueryProgress MicroBatchExecution::NewProgress(int64_t batch_id, int64_t wall_ms,
                                                        const BatchTimings& timings) const {
  StreamingQueryProgress progress;
  progress.id = id();
  progress.run_id = run_id_;
  progress.name = options_.name;
  progress.timestamp = FormatProgressTimestamp(wall_ms);
  progress.batch_id = batch_id;
  progress.duration_ms = timings.duration_ms;
  progress.sink.description = options_.sink->Description();
  return progress;
}

SourceProgress MicroBatchExecution::NewSourceProgress(size_t index,
                                                      const std::optional<Offset>& start,
                                                      const std::optional<Offset>& end,
                                                      const std::optional<Offset>& latest) const {
  SourceProgress source;
  source.description = options_.sources[index]->Description();
  source.start_offset = start;
  source.end_offset = end;
  source.latest_offset = latest;
  source.metrics = options_.sources[index]->Metrics(end);
  return source;
}

Status MicroBatchExecution::ProcessAllAvailable() {
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(bool ran, RunTrigger());
    if (!ran && !input_pending_) {
      return Status::Ok();
    }
    if (!ran) {
      // Input not yet ready (a file still being written): look again shortly.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

void MicroBatchExecution::RecordProgress(StreamingQueryProgress progress) {
  SLUICE_LOG_DEBUG("Streaming query made progress: {}", progress.ToJson());
  {
    std::lock_guard<std::mutex> lock(mu_);
    recent_.push_back(progress);
    while (static_cast<int>(recent_.size()) > options_.num_recent_progress_updates) {
      recent_.pop_front();
    }
  }
  for (const auto& listener : options_.listeners) {
    listener->OnQueryProgress(progress);
  }
}

void MicroBatchExecution::SetStatus(std::string message, bool data_available, bool trigger_active) {
  std::lock_guard<std::mutex> lock(mu_);
  status_.message = std::move(message);
  status_.is_data_available = data_available;
  status_.is_trigger_active = trigger_active;
}

std::optional<StreamingQueryProgress> MicroBatchExecution::last_progress() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (recent_.empty()) {
    return std::nullopt;
  }
  return recent_.back();
}

std::vector<StreamingQueryProgress> MicroBatchExecution::recent_progress() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {recent_.begin(), recent_.end()};
}

StreamingQueryStatus MicroBatchExecution::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

void MicroBatchExecution::Close() {
  if (closed_) {
    return;
  }
  closed_ = true;
  for (const std::unique_ptr<StreamSource>& source : options_.sources) {
    source->Stop();
  }
  if (options_.sink != nullptr) {
    options_.sink->Stop();
  }
  SetStatus("Stopped", false, false);
  checkpoint_.reset();  // releases the checkpoint lock
}

// ---------------------------------------------------------------------------------------
// StreamingQuery

Result<std::shared_ptr<StreamingQuery>> StreamingQuery::Start(StreamingQueryOptions options) {
  std::shared_ptr<StreamingQuery> query(new StreamingQuery());
  SLUICE_ASSIGN_OR_RETURN(query->execution_, MicroBatchExecution::Open(std::move(options)));
  query->id_ = query->execution_->id();
  const MicroBatchExecution& execution = *query->execution_;
  QueryStartedEvent started{query->id_, execution.run_id(), execution.name(),
                            FormatProgressTimestamp(Clock::System().NowMicros() / 1000)};
  for (const auto& listener : execution.options().listeners) {
    listener->OnQueryStarted(started);
  }
  // The thread holds a reference: a query runs until stopped (or it ends) even when
  // every handle is dropped, as in Spark; whoever owns the query stops it at shutdown.
  std::lock_guard<std::mutex> thread_lock(query->thread_mu_);
  query->thread_ = std::thread([self = query] { self->Run(); });
  return query;
}

StreamingQuery::~StreamingQuery() {
  Stop();
  if (thread_.joinable()) {
    // The last reference was the thread's own, released as Run returned.
    thread_.detach();
  }
}

const std::string& StreamingQuery::id() const {
  return id_;
}
const std::string& StreamingQuery::run_id() const {
  return execution_->run_id();
}
const std::string& StreamingQuery::name() const {
  return execution_->name();
}

bool StreamingQuery::IsActive() const {
  std::lock_guard<std::mutex> lock(mu_);
  return active_;
}

StreamingQueryStatus StreamingQuery::status() const {
  return execution_->status();
}

std::optional<StreamingQueryProgress> StreamingQuery::last_progress() const {
  return execution_->last_progress();
}

std::vector<StreamingQueryProgress> StreamingQuery::recent_progress() const {
  return execution_->recent_progress();
}

void StreamingQuery::Run() {
  run_thread_id_.store(std::this_thread::get_id(), std::memory_order_release);
  const Trigger trigger = execution_->options().trigger;
  Status failure;
  while (true) {
    int64_t trigger_number = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_requested_) {
        break;
      }
      trigger_number = ++triggers_started_;
    }
    const auto trigger_start = std::chrono::steady_clock::now();
    Result<bool> ran = execution_->RunTrigger();
    if (!ran.ok()) {
      failure = ran.status();
      break;
    }
    if (!*ran && !execution_->input_pending()) {
      std::lock_guard<std::mutex> lock(mu_);
      idle_triggers_ = trigger_number;
      cv_.notify_all();
    }
    if (trigger.kind == Trigger::Kind::kOnce || (trigger.terminates() && !*ran)) {
      break;
    }
    // The next trigger: after the interval (immediately when the batch overran it); an
    // idle default trigger polls every 10 ms (spark.sql.streaming.pollingDelay).
    auto wake = trigger_start + std::chrono::milliseconds(trigger.interval_ms);
    if (!*ran && trigger.interval_ms == 0) {
      wake = std::chrono::steady_clock::now() + std::chrono::milliseconds(10);
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_until(lock, wake, [this] { return stop_requested_; });
  }
  const MicroBatchExecution& execution = *execution_;
  QueryTerminatedEvent terminated{id_, execution.run_id(), std::nullopt};
  if (!failure.ok()) {
    failure = Status(failure.code(),
                     fmt::format("[STREAM_FAILED] Query [id = {}, runId = {}] terminated with "
                                 "exception: {}",
                                 id_, execution.run_id(), failure.message()));
    terminated.exception = failure.message();
    SLUICE_LOG_ERROR("{}", failure.message());
  }
  execution_->Close();
  for (const auto& listener : execution.options().listeners) {
    listener->OnQueryTerminated(terminated);
  }
  std::lock_guard<std::mutex> lock(mu_);
  failure_ = failure;
  active_ = false;
  cv_.notify_all();
}

void StreamingQuery::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_requested_ = true;
    cv_.notify_all();
  }
  if (run_thread_id_.load(std::memory_order_acquire) == std::this_thread::get_id()) {
    return;  // called by the query itself (a listener, a foreachBatch): it ends by itself
  }
  // One joiner at a time, and not before Start assigned thread_.
  std::lock_guard<std::mutex> thread_lock(thread_mu_);
  if (thread_.joinable()) {
    thread_.join();
  }
}

Result<bool> StreamingQuery::AwaitTermination(std::optional<int64_t> timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  auto done = [this] { return !active_; };
  if (timeout_ms.has_value()) {
    if (!cv_.wait_for(lock, std::chrono::milliseconds(*timeout_ms), done)) {
      return false;
    }
  } else {
    cv_.wait(lock, done);
  }
  SLUICE_RETURN_IF_ERROR(failure_);
  return true;
}

Status StreamingQuery::ProcessAllAvailable() {
  std::unique_lock<std::mutex> lock(mu_);
  const int64_t called_at = triggers_started_;
  cv_.wait(lock, [&] { return !active_ || idle_triggers_ > called_at; });
  return failure_;
}

Status StreamingQuery::exception() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failure_;
}

}  // namespace sluice::stream
