// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "stream/memory_sink.h"
#include "stream/memory_source.h"
#include "stream/sink.h"
#include "stream/streaming_query.h"

/// A Spark StreamTest-style harness (sql/core/.../streaming/StreamTest.scala): a list of
/// actions — add data, process all available, check the answer, stop, start again from
/// the same checkpoint, crash at a named sync point — run against one query whose source
/// and sink are chosen from the real implementations. The query's plan is `SELECT *` over
/// its one source: rows are `id BIGINT`, and the checks are about delivery (every row
/// exactly once, batch ids contiguous), not about operators.
///
///   StreamTest test(SourceKind::kFiles, SinkKind::kDelta);
///   ASSERT_OK(test.Run({AddData{{1, 2}}, ProcessAllAvailable{}, CheckAnswer{{1, 2}},
///                       AddData{{3}}, CrashAt{"MicroBatch::AfterSinkCommit"},
///                       ProcessAllAvailable{}, CheckAnswer{{1, 2, 3}}}));
namespace sluice::stream::testing {

/// Where the input comes from.
enum class SourceKind {
  kMemory,  // a MemoryStream (each AddData one block)
  kFiles,   // a directory of JSON files (each AddData one file, renamed in)
  kDelta,   // a Delta table (each AddData one append commit)
};

/// Where the output goes.
enum class SinkKind {
  kDelta,         // a Delta table (exactly once: txn appId/version)
  kMemory,        // a MemorySink's table (kept across restarts, as StreamTest's sink)
  kForeachBatch,  // foreachBatch (at least once: a replay passes the same batch id)
};

std::string_view SourceKindName(SourceKind kind);
std::string_view SinkKindName(SinkKind kind);

/// Adds rows with these ids to the source (one block / file / commit).
struct AddData {
  std::vector<int64_t> ids;
};
/// Starts the query when it is not running (from the same checkpoint).
struct StartStream {};
/// Stops the query cleanly.
struct StopStream {};
/// Runs triggers until one finds no new data (starting the query when needed).
struct ProcessAllAvailable {};
/// The next trigger fails at `point` (a simulated crash: the driver is dropped without
/// reaching its commit), then the query is started again from the checkpoint. Triggers
/// until the point is reached; fails when it never is.
struct CrashAt {
  std::string point;
};
/// The sink holds exactly these ids (as a multiset: a duplicate is a failure).
struct CheckAnswer {
  std::vector<int64_t> ids;
};

using StreamAction =
    std::variant<AddData, StartStream, StopStream, ProcessAllAvailable, CrashAt, CheckAnswer>;

/// One call foreachBatch received.
struct ForeachBatchCall {
  int64_t batch_id = 0;
  std::vector<int64_t> ids;
};

/// One query under test, in a fresh temporary directory (removed by the destructor).
class StreamTest {
 public:
  StreamTest(SourceKind source, SinkKind sink);
  ~StreamTest();
  StreamTest(const StreamTest&) = delete;
  StreamTest& operator=(const StreamTest&) = delete;

  /// Runs the actions in order, then the delivery checks (CheckDelivery). The error
  /// names the failing action by its index.
  Status Run(const std::vector<StreamAction>& actions);

  Status Add(const std::vector<int64_t>& ids);
  Status Start();
  Status Stop();
  Status ProcessAll();
  Status Crash(const std::string& point);
  Status Check(const std::vector<int64_t>& ids);

  /// Checks what every sink must satisfy whatever happened: the checkpoint's offsets/
  /// and commits/ batch ids are contiguous from 0, every commit has its offsets, and
  /// (when the query is idle) the last logged batch is committed; the Delta sink's
  /// txn version for the query is the last committed batch; foreachBatch saw every
  /// batch id from 0 up, and a batch id seen twice had the same rows both times.
  Status CheckDelivery();

  /// The ids in the sink now (sorted).
  Result<std::vector<int64_t>> SinkIds();
  const std::vector<ForeachBatchCall>& foreach_batch_calls() const { return calls_; }
  const std::string& checkpoint_dir() const { return checkpoint_dir_; }
  /// Batches committed so far (the checkpoint's commits/), as ids.
  Result<std::vector<int64_t>> CommittedBatches() const;
  Result<std::vector<int64_t>> LoggedBatches() const;
  /// The query's id (from the checkpoint's metadata); empty before the first start.
  const std::string& query_id() const { return query_id_; }

 private:
  Result<std::unique_ptr<StreamSource>> MakeSource();
  Result<std::unique_ptr<StreamSink>> MakeSink();
  Status AddFile(const std::vector<int64_t>& ids);
  Status RecordForeachBatch(const std::vector<BatchPtr>& batches, int64_t batch_id);

  SourceKind source_kind_;
  SinkKind sink_kind_;
  std::string dir_;
  std::string checkpoint_dir_;
  std::string input_dir_;   // files, or the Delta source table
  std::string output_dir_;  // the Delta sink table
  SchemaPtr schema_;
  std::unique_ptr<MemoryStream> memory_stream_;
  std::shared_ptr<MemoryTable> memory_table_;  // the memory sink's rows, across restarts
  std::vector<ForeachBatchCall> calls_;
  std::unique_ptr<MicroBatchExecution> execution_;
  std::string query_id_;
  int files_added_ = 0;
};

}  // namespace sluice::stream::testing
