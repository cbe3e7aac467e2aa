// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "columnar/batch.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/result.h"
#include "stream/checkpoint.h"
#include "stream/progress.h"
#include "stream/sink.h"
#include "stream/source.h"
#include "stream/trigger.h"

/// The micro-batch driver (Spark's MicroBatchExecution) and the running query handle
/// (StreamingQuery). One batch, in this order:
///
///   1. ask every source for its latest offset (bounded by its rate limits)
///   2. write offsets/<batchId> durably                 sync point MicroBatch::BeforeOffsetLog /
///   AfterOffsetLog
///   3. read each source's (start, end] and run the plan over it
///   4. hand the result to the sink with the batch id   sync point MicroBatch::BeforeSinkCommit /
///   AfterSinkCommit
///   5. (state commit: a later issue)
///   6. write commits/<batchId>                         sync point MicroBatch::BeforeCommitLog /
///   AfterCommitLog
///
/// On start, a batch with an offset entry and no commit entry is re-run with exactly the
/// logged offsets; the sink's idempotence per batch id makes the replay harmless.
namespace sluice::stream {

/// The rows of one micro-batch, per source (in source order).
struct MicroBatchInput {
  int64_t batch_id = 0;
  int64_t batch_timestamp_ms = 0;
  std::vector<std::vector<BatchPtr>> sources;
};

/// The plan's output for one micro-batch.
struct MicroBatchOutput {
  SchemaPtr schema;
  std::vector<BatchPtr> batches;
};

/// Runs the query's plan over one micro-batch's input (the engine binds its SQL with the
/// sources replaced by the batch's rows).
using PlanRunner = std::function<Result<MicroBatchOutput>(const MicroBatchInput& input)>;

struct QueryStartedEvent {
  std::string id;
  std::string run_id;
  std::string name;
  std::string timestamp;
};

struct QueryTerminatedEvent {
  std::string id;
  std::string run_id;
  /// The failure, when the query failed.
  std::optional<std::string> exception;
};

/// Spark's StreamingQueryListener. Called from the query's thread; implementations
/// must not block it for long.
class StreamingQueryListener {
 public:
  virtual ~StreamingQueryListener() = default;
  virtual void OnQueryStarted(const QueryStartedEvent& event) { (void)event; }
  virtual void OnQueryProgress(const StreamingQueryProgress& progress) { (void)progress; }
  /// A trigger found no new data (Spark 3.5's QueryIdleEvent).
  virtual void OnQueryIdle(const std::string& id, const std::string& run_id,
                           const std::string& timestamp) {
    (void)id;
    (void)run_id;
    (void)timestamp;
  }
  virtual void OnQueryTerminated(const QueryTerminatedEvent& event) { (void)event; }
};

struct StreamingQueryOptions {
  /// queryName (may be empty).
  std::string name;
  /// checkpointLocation: required.
  std::string checkpoint_location;
  Trigger trigger;
  OutputMode output_mode = OutputMode::kAppend;
  std::vector<std::unique_ptr<StreamSource>> sources;
  std::unique_ptr<StreamSink> sink;
  PlanRunner plan;
  FileSystem* fs = nullptr;  // nullptr: LocalFileSystem::Default()
  Clock* clock = nullptr;    // nullptr: Clock::System()
  /// Worker threads the sources and the sink may use (SourceContext::pool,
  /// SinkContext::pool); not owned, may be null.
  ThreadPool* pool = nullptr;
  /// Settings recorded in the offset log (OffsetSeqMetadata.conf).
  std::map<std::string, std::string> conf;
  /// spark.sql.streaming.minBatchesToRetain.
  int min_batches_to_retain = 100;
  /// spark.sql.streaming.numRecentProgressUpdates.
  int num_recent_progress_updates = 100;
  /// spark.sql.streaming.noDataProgressEventInterval: an idle query reports progress
  /// at most this often.
  int64_t no_data_progress_interval_ms = 10000;
  std::vector<std::shared_ptr<StreamingQueryListener>> listeners;
};

/// Runs the triggers of one query synchronously on the calling thread. Not safe for
/// concurrent use; StreamingQuery runs one on its own thread.
class MicroBatchExecution {
 public:
  /// Opens the checkpoint (locking it), checks the sources against it, opens sources
  /// and sink, and finds where to resume.
  static Result<std::unique_ptr<MicroBatchExecution>> Open(StreamingQueryOptions options);
  ~MicroBatchExecution();

  const std::string& id() const;
  const std::string& run_id() const { return run_id_; }
  const std::string& name() const { return options_.name; }
  const StreamingQueryOptions& options() const { return options_; }

  /// Runs one trigger: re-runs an uncommitted logged batch, or plans and runs the next
  /// batch when a source has new data. Returns whether a batch ran (false: no new data).
  Result<bool> RunTrigger();
  /// Runs triggers until one finds no new data (for tests and availableNow/once).
  Status ProcessAllAvailable();
  /// Whether the last trigger that ran no batch saw input a later trigger will take
  /// (a source's HasPendingInput).
  bool input_pending() const { return input_pending_; }
  /// The id the next batch will get.
  int64_t next_batch_id() const { return next_batch_id_; }
  /// The progress of the last trigger that ran a batch or reported idleness.
  std::optional<StreamingQueryProgress> last_progress() const;
  std::vector<StreamingQueryProgress> recent_progress() const;
  StreamingQueryStatus status() const;
  /// Stops sources and sink (idempotent).
  void Close();

 private:
  explicit MicroBatchExecution(StreamingQueryOptions options);
  struct BatchTimings;
  Status Resume();
  Status RunBatch(int64_t batch_id, const OffsetLogEntry& entry,
                  std::vector<std::optional<Offset>> previous, BatchTimings& timings);
  /// A progress report of this query for `batch_id` at `wall_ms`, with the trigger's
  /// durations and the sink's description; the caller adds sources and counts.
  StreamingQueryProgress NewProgress(int64_t batch_id, int64_t wall_ms,
                                     const BatchTimings& timings) const;
  /// Source `index`'s part of a report: description, offsets and its metrics at `end`.
  SourceProgress NewSourceProgress(size_t index, const std::optional<Offset>& start,
                                   const std::optional<Offset>& end,
                                   const std::optional<Offset>& latest) const;
  void RecordProgress(StreamingQueryProgress progress);
  void SetStatus(std::string message, bool data_available, bool trigger_active);

  StreamingQueryOptions options_;
  std::unique_ptr<Checkpoint> checkpoint_;
  std::string run_id_;
  int64_t next_batch_id_ = 0;
  /// The end offsets of the last committed batch, per source.
  std::vector<std::optional<Offset>> committed_;
  /// A logged batch that still has to run (found at start).
  std::optional<int64_t> pending_batch_;
  bool available_now_prepared_ = false;
  bool input_pending_ = false;
  int64_t last_idle_progress_ms_ = 0;
  /// When the previous batch's trigger started (inputRowsPerSecond's denominator).
  int64_t last_trigger_wall_ms_ = 0;
  bool closed_ = false;

  mutable std::mutex mu_;  // guards the progress and status below (read by other threads)
  std::deque<StreamingQueryProgress> recent_;
  StreamingQueryStatus status_;
};

/// A started query: runs a MicroBatchExecution on its own thread by the trigger.
/// Safe for concurrent use.
class StreamingQuery {
 public:
  /// Opens the query (see MicroBatchExecution::Open) and starts its thread. Errors of
  /// opening (an incompatible checkpoint, a locked checkpoint) are returned here. The
  /// thread keeps the query alive until it ends: dropping every handle does not stop a
  /// query (Spark's behaviour); call Stop.
  static Result<std::shared_ptr<StreamingQuery>> Start(StreamingQueryOptions options);
  ~StreamingQuery();

  const std::string& id() const;
  const std::string& run_id() const;
  const std::string& name() const;
  bool IsActive() const;
  StreamingQueryStatus status() const;
  std::optional<StreamingQueryProgress> last_progress() const;
  std::vector<StreamingQueryProgress> recent_progress() const;
  /// Stops the query: a running batch finishes (a batch is never half-done: either it
  /// committed or it re-runs after restart), then the thread ends. Idempotent.
  void Stop();
  /// Waits until the query ends. With a timeout, returns false when it is still
  /// running. Returns the query's failure as the status when it failed.
  Result<bool> AwaitTermination(std::optional<int64_t> timeout_ms = std::nullopt);
  /// Blocks until every source's data available now has been processed (Spark's test
  /// helper), or the query ends. Returns the failure when it failed.
  Status ProcessAllAvailable();
  /// The failure that ended the query (OK while running or after a clean stop).
  Status exception() const;

 private:
  StreamingQuery() = default;
  void Run();

  std::unique_ptr<MicroBatchExecution> execution_;
  std::string id_;
  std::mutex thread_mu_;  // guards thread_ (assignment, join)
  /// The query thread's id, so Stop from that thread neither joins nor waits.
  std::atomic<std::thread::id> run_thread_id_{};
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_requested_ = false;
  bool active_ = true;
  /// Incremented after each trigger that found no new data (ProcessAllAvailable waits
  /// for one that started after its call).
  int64_t idle_triggers_ = 0;
  int64_t triggers_started_ = 0;
  Status failure_;
};

}  // namespace sluice::stream
