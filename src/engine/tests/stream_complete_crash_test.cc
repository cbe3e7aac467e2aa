// SPDX-License-Identifier: Apache-2.0
// Complete mode over an aggregation, written to Delta, survives a crash at every
// micro-batch sync point (issue 6, Tests): the query is restarted from its checkpoint and
// the table holds the whole, current result once (a replayed batch does not add the
// result a second time; the state is rebuilt from the checkpoint's batches).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "columnar/printer.h"
#include "common/sync_point.h"
#include "engine/session.h"

namespace sluice::engine {
namespace {

using Strings = std::vector<std::string>;

class StreamCompleteModeCrashTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string point = GetParam();
    point = point.substr(point.rfind(':') + 1);
    root_ = std::filesystem::temp_directory_path() /
            ("sluice_complete_crash_" + std::to_string(::getpid()) + "_" + point);
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "in");
    SessionOptions options;
    options.warehouse_dir = (root_ / "warehouse").string();
    options.num_threads = 2;
    Result<std::unique_ptr<Session>> session = Session::Open(options);
    ASSERT_TRUE(session.ok()) << session.status().ToString();
    session_ = std::move(session).value();
  }
  void TearDown() override {
    SyncPoints::ClearCallback();
    session_.reset();
    std::filesystem::remove_all(root_);
  }

  void WriteInput(const std::string& name, const std::string& text) {
    const std::filesystem::path hidden = root_ / "in" / ("." + name + ".tmp");
    std::ofstream(hidden) << text;
    std::filesystem::rename(hidden, root_ / "in" / name);
  }

  // Starts the query (availableNow) and waits for its end.
  Status RunToEnd() {
    stream::SourceSpec source;
    source.format = "json";
    source.path = (root_ / "in").string();
    source.schema =
        MakeSchema({MakeField("id", LongType(), true), MakeField("kind", StringType(), true)});
    StreamWriteSpec write;
    write.sink.format = "delta";
    write.sink.path = (root_ / "counts").string();
    write.output_mode = "complete";
    write.checkpoint_location = (root_ / "checkpoint").string();
    write.trigger = stream::Trigger::AvailableNow();
    SLUICE_ASSIGN_OR_RETURN(
        std::shared_ptr<stream::StreamingQuery> query,
        session_->StartStream("SELECT kind, count(*) AS n, sum(id) AS total FROM src GROUP BY kind",
                              {{"src", source}}, write));
    return query->AwaitTermination().status();
  }

  // Runs the query with GetParam() failing at its first hit; the run must fail there.
  void CrashOnce() {
    auto hits = std::make_shared<std::atomic<int>>(0);
    const std::string point = GetParam();
    SyncPoints::SetCallback([point, hits](std::string_view reached) -> Status {
      if (reached != point || hits->fetch_add(1) > 0) {
        return Status::Ok();
      }
      return Status::IoError("simulated crash at " + point);
    });
    const Status status = RunToEnd();
    SyncPoints::ClearCallback();
    EXPECT_EQ(hits->load(), 1) << "the query never reached " << point;
    EXPECT_FALSE(status.ok());
    EXPECT_NE(status.message().find("simulated crash"), std::string::npos) << status.ToString();
  }

  Strings Counts() {
    const std::string sql =
        "SELECT kind, n, total FROM delta.`" + (root_ / "counts").string() + "`";
    Result<QueryResult> result = session_->Execute(sql);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    Strings rows;
    if (!result.ok()) {
      return rows;
    }
    for (const BatchPtr& batch : result->batches) {
      for (int64_t r = 0; r < batch->num_rows(); ++r) {
        std::string row;
        for (int c = 0; c < batch->num_columns(); ++c) {
          row += (c > 0 ? "|" : "") + FormatCell(*batch->column(c), r);
        }
        rows.push_back(std::move(row));
      }
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  std::filesystem::path root_;
  std::unique_ptr<Session> session_;
};

TEST_P(StreamCompleteModeCrashTest, WholeResultOnceAfterCrashAndRestart) {
  // The first batch crashes.
  WriteInput("a.json", "{\"id\":1,\"kind\":\"x\"}\n{\"id\":2,\"kind\":\"y\"}\n");
  CrashOnce();
  ASSERT_TRUE(RunToEnd().ok());
  EXPECT_EQ(Counts(), (Strings{"x|1|1", "y|1|2"}));

  // A later batch crashes; a file arrives while the query is down.
  WriteInput("b.json", "{\"id\":3,\"kind\":\"x\"}\n");
  CrashOnce();
  WriteInput("c.json", "{\"id\":4,\"kind\":\"z\"}\n{\"id\":5,\"kind\":\"x\"}\n");
  ASSERT_TRUE(RunToEnd().ok());
  EXPECT_EQ(Counts(), (Strings{"x|3|9", "y|1|2", "z|1|4"}));

  // A clean run with nothing new changes nothing.
  ASSERT_TRUE(RunToEnd().ok());
  EXPECT_EQ(Counts(), (Strings{"x|3|9", "y|1|2", "z|1|4"}));
}

std::string PointName(const ::testing::TestParamInfo<std::string>& param) {
  return param.param.substr(param.param.rfind(':') + 1);
}

INSTANTIATE_TEST_SUITE_P(
    AllPoints, StreamCompleteModeCrashTest,
    ::testing::Values("MicroBatch::BeforeOffsetLog", "MicroBatch::AfterOffsetLog",
                      "MicroBatch::BeforeSinkCommit", "MicroBatch::AfterSinkCommit",
                      "MicroBatch::BeforeCommitLog", "MicroBatch::AfterCommitLog"),
    PointName);

}  // namespace
}  // namespace sluice::engine
