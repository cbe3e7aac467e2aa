// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/session.h"
#include "engine/tests/test_rows.h"

namespace sluice::engine {
namespace {

/// A scratch directory per test (warehouse, input files, checkpoints), removed afterwards.
class StreamingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("sluice_streaming_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "in");
    session_ = Open();
  }
  void TearDown() override {
    session_.reset();
    std::filesystem::remove_all(root_);
  }

  std::unique_ptr<Session> Open() {
    SessionOptions options;
    options.warehouse_dir = (root_ / "warehouse").string();
    options.num_threads = 2;
    options.settings["spark.sql.session.timeZone"] = "UTC";
    Result<std::unique_ptr<Session>> session = Session::Open(options);
    EXPECT_TRUE(session.ok()) << session.status().ToString();
    return std::move(session).value();
  }

  /// Writes an input file atomically (a hidden name, then a rename), as producers should.
  void WriteInput(const std::string& name, const std::string& text) {
    std::filesystem::path hidden = root_ / "in" / ("." + name + ".tmp");
    std::ofstream(hidden) << text;
    std::filesystem::rename(hidden, root_ / "in" / name);
  }

  std::string in() const { return (root_ / "in").string(); }

  /// readStream.format("json").schema("id BIGINT, kind STRING").load(in()).
  stream::SourceSpec JsonSource() const {
    stream::SourceSpec source;
    source.format = "json";
    source.path = in();
    source.schema =
        MakeSchema({MakeField("id", LongType(), true), MakeField("kind", StringType(), true)});
    return source;
  }
  std::string path(const std::string& name) const { return (root_ / name).string(); }

  /// Runs `sql` and returns its rows (cells joined by '|'), sorted.
  std::vector<std::string> Rows(std::string_view sql) {
    std::vector<std::string> rows = engine::Rows(*session_, sql);
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  std::string CreateBronze() const {
    return "CREATE OR REFRESH STREAMING TABLE bronze AS SELECT * FROM STREAM read_files('" + in() +
           "', format => 'json', schema => 'id BIGINT, kind STRING')";
  }

  std::filesystem::path root_;
  std::unique_ptr<Session> session_;
};

using Strings = std::vector<std::string>;

TEST_F(StreamingTest, StreamingTableRefreshesIncrementally) {
  WriteInput("a.json", "{\"id\":1,\"kind\":\"x\"}\n{\"id\":2,\"kind\":\"y\"}\n");
  ASSERT_TRUE(session_->Execute(CreateBronze()).ok());
  EXPECT_EQ(Rows("SELECT id, kind FROM bronze"), (Strings{"1|x", "2|y"}));
  // Nothing new: a refresh writes nothing.
  ASSERT_TRUE(session_->Execute(CreateBronze()).ok());
  EXPECT_EQ(Rows("SELECT count(*) FROM bronze"), (Strings{"2"}));
  WriteInput("b.json", "{\"id\":3,\"kind\":\"x\"}\n");
  ASSERT_TRUE(session_->Execute(CreateBronze()).ok());
  EXPECT_EQ(Rows("SELECT id FROM bronze"), (Strings{"1", "2", "3"}));
  // Each micro-batch is one Delta commit marked as a streaming update.
  Strings operations = Rows("DESCRIBE HISTORY bronze");
  for (std::string& row : operations) {
    row = row.substr(row.find('|', row.find('|') + 1) + 1);  // version|timestamp|operation|...
    row = row.substr(0, row.find('|'));
  }
  EXPECT_EQ(std::count(operations.begin(), operations.end(), "STREAMING UPDATE"), 2);
}

TEST_F(StreamingTest, DownstreamTableReadsUpstreamAsAStream) {
  WriteInput("a.json", "{\"id\":1,\"kind\":\"x\"}\n{\"id\":2,\"kind\":\"y\"}\n");
  const std::string silver =
      "CREATE OR REFRESH STREAMING TABLE silver AS SELECT id * 10 AS id10 FROM STREAM(bronze) "
      "WHERE kind = 'x'";
  Result<std::vector<std::shared_ptr<stream::StreamingQuery>>> ran = session_->StartPipeline(
      CreateBronze() + ";\n" + silver + ";", stream::Trigger::AvailableNow());
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_EQ(ran->size(), 2u);
  EXPECT_EQ(Rows("SELECT * FROM silver"), (Strings{"10"}));
  WriteInput("b.json", "{\"id\":3,\"kind\":\"x\"}\n");
  ran = session_->StartPipeline(CreateBronze() + ";\n" + silver + ";",
                                stream::Trigger::AvailableNow());
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_EQ(Rows("SELECT * FROM silver"), (Strings{"10", "30"}));
}

TEST_F(StreamingTest, RestartAfterSessionLossContinuesExactlyOnce) {
  WriteInput("a.json", "{\"id\":1,\"kind\":\"x\"}\n");
  ASSERT_TRUE(session_->Execute(CreateBronze()).ok());
  session_ = Open();  // a new process would see the same warehouse and checkpoint
  WriteInput("b.json", "{\"id\":2,\"kind\":\"x\"}\n");
  ASSERT_TRUE(session_->Execute(CreateBronze()).ok());
  EXPECT_EQ(Rows("SELECT id FROM bronze"), (Strings{"1", "2"}));
}

TEST_F(StreamingTest, MemorySinkIsQueryableByQueryName) {
  WriteInput("a.json", "{\"id\":1,\"kind\":\"x\"}\n{\"id\":2,\"kind\":\"y\"}\n");
  const stream::SourceSpec source = JsonSource();
  StreamWriteSpec write;
  write.sink.format = "memory";
  write.sink.query_name = "doubled";
  Result<std::shared_ptr<stream::StreamingQuery>> query = session_->StartStream(
      "SELECT id * 2 AS d, kind FROM src WHERE id > 0", {{"src", source}}, write);
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  ASSERT_TRUE((*query)->ProcessAllAvailable().ok());
  EXPECT_EQ(Rows("SELECT d, kind FROM doubled"), (Strings{"2|x", "4|y"}));
  WriteInput("b.json", "{\"id\":5,\"kind\":\"z\"}\n");
  ASSERT_TRUE((*query)->ProcessAllAvailable().ok());
  EXPECT_EQ(Rows("SELECT d FROM doubled"), (Strings{"10", "2", "4"}));
  std::optional<stream::StreamingQueryProgress> progress = (*query)->last_progress();
  ASSERT_TRUE(progress.has_value());
  EXPECT_EQ(progress->name, "doubled");
  // Batch 0 starts from nothing (null startOffset); batch 1 starts where batch 0 ended.
  std::vector<stream::StreamingQueryProgress> batches;
  for (const stream::StreamingQueryProgress& p : (*query)->recent_progress()) {
    if (p.num_input_rows > 0) {
      batches.push_back(p);  // idle triggers report progress too
    }
  }
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].batch_id, 0);
  EXPECT_FALSE(batches[0].sources.at(0).start_offset.has_value());
  EXPECT_EQ(batches[0].sources.at(0).num_input_rows, 2);
  EXPECT_EQ(batches[1].batch_id, 1);
  EXPECT_EQ(batches[1].sources.at(0).start_offset, batches[0].sources.at(0).end_offset);
  EXPECT_EQ(session_->ActiveStreams().size(), 1u);
  (*query)->Stop();
  EXPECT_FALSE((*query)->IsActive());
  EXPECT_TRUE(session_->ActiveStreams().empty());
  ASSERT_TRUE((*query)->AwaitTermination(0).ok());
}

TEST_F(StreamingTest, CompleteModeAggregationRewritesTheResult) {
  WriteInput("a.json", "{\"id\":1,\"kind\":\"x\"}\n{\"id\":2,\"kind\":\"y\"}\n");
  const stream::SourceSpec source = JsonSource();
  StreamWriteSpec write;
  write.sink.format = "delta";
  write.sink.path = path("counts");
  write.output_mode = "complete";
  write.checkpoint_location = path("counts_checkpoint");
  write.trigger = stream::Trigger::AvailableNow();
  auto start = [&] {
    return session_->StartStream("SELECT kind, count(*) AS n FROM src GROUP BY kind",
                                 {{"src", source}}, write);
  };
  Result<std::shared_ptr<stream::StreamingQuery>> query = start();
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  ASSERT_TRUE((*query)->AwaitTermination().ok());
  WriteInput("b.json", "{\"id\":3,\"kind\":\"x\"}\n");
  query = start();
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  ASSERT_TRUE((*query)->AwaitTermination().ok());
  EXPECT_EQ(Rows("SELECT kind, n FROM delta.`" + path("counts") + "`"), (Strings{"x|2", "y|1"}));
}

TEST_F(StreamingTest, UnsupportedOperationsGiveSparksMessages) {
  const stream::SourceSpec source = JsonSource();
  StreamWriteSpec write;
  write.sink.format = "memory";
  write.sink.query_name = "out";
  Result<std::shared_ptr<stream::StreamingQuery>> query = session_->StartStream(
      "SELECT kind, count(*) FROM src GROUP BY kind", {{"src", source}}, write);
  ASSERT_FALSE(query.ok());
  EXPECT_NE(query.status().message().find("Append output mode not supported when there are "
                                          "streaming aggregations"),
            std::string::npos);
  write.output_mode = "complete";
  query = session_->StartStream("SELECT id FROM src", {{"src", source}}, write);
  ASSERT_FALSE(query.ok());
  EXPECT_NE(query.status().message().find("Complete output mode not supported"), std::string::npos);
  write.output_mode = "append";
  query = session_->StartStream("SELECT id FROM src ORDER BY id", {{"src", source}}, write);
  ASSERT_FALSE(query.ok());
  EXPECT_NE(query.status().message().find("Sorting is not supported"), std::string::npos);
  write.sink.format = "delta";
  write.sink.path = path("t");
  query = session_->StartStream("SELECT id FROM src", {{"src", source}}, write);
  ASSERT_FALSE(query.ok());
  EXPECT_NE(query.status().message().find("checkpointLocation must be specified"),
            std::string::npos);
}

TEST_F(StreamingTest, StreamJoinsAStaticTableReadAtEachBatch) {
  ASSERT_TRUE(session_->Execute("CREATE TABLE kinds (kind STRING, label STRING)").ok());
  ASSERT_TRUE(session_->Execute("INSERT INTO kinds VALUES ('x', 'ex')").ok());
  const std::string create =
      "CREATE OR REFRESH STREAMING TABLE labelled AS SELECT s.id, k.label FROM STREAM "
      "read_files('" +
      in() +
      "', format => 'json', schema => 'id BIGINT, kind STRING') s LEFT JOIN kinds k ON "
      "s.kind = k.kind";
  WriteInput("a.json", "{\"id\":1,\"kind\":\"x\"}\n{\"id\":2,\"kind\":\"y\"}\n");
  ASSERT_TRUE(session_->Execute(create).ok());
  // The static side is read again by the next batch: the new label applies to new rows.
  ASSERT_TRUE(session_->Execute("INSERT INTO kinds VALUES ('y', 'why')").ok());
  WriteInput("b.json", "{\"id\":3,\"kind\":\"y\"}\n");
  ASSERT_TRUE(session_->Execute(create).ok());
  EXPECT_EQ(Rows("SELECT id, label FROM labelled"), (Strings{"1|ex", "2|NULL", "3|why"}));
}

TEST_F(StreamingTest, StreamJoinsTheSessionsTemporaryRelations) {
  Result<QueryResult> kinds = session_->Execute("SELECT 'x' AS kind, 'ex' AS label");
  ASSERT_TRUE(kinds.ok());
  auto relation = std::make_shared<sql::InMemoryRelation>();
  relation->schema = kinds->schema;
  relation->batches = kinds->batches;
  session_->RegisterTempRelation("kinds", relation);
  WriteInput("a.json", "{\"id\":1,\"kind\":\"x\"}\n{\"id\":2,\"kind\":\"y\"}\n");
  const stream::SourceSpec source = JsonSource();
  StreamWriteSpec write;
  write.sink.format = "memory";
  write.sink.query_name = "joined";
  Result<std::shared_ptr<stream::StreamingQuery>> query = session_->StartStream(
      "SELECT s.id, k.label FROM src s JOIN kinds k ON s.kind = k.kind", {{"src", source}}, write);
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  ASSERT_TRUE((*query)->ProcessAllAvailable().ok());
  EXPECT_EQ(Rows("SELECT * FROM joined"), (Strings{"1|ex"}));
}

TEST_F(StreamingTest, CurrentTimestampIsTheBatchTimestamp) {
  WriteInput("a.json", "{\"id\":1,\"kind\":\"x\"}\n");
  StreamWriteSpec write;
  write.sink.format = "memory";
  write.sink.query_name = "stamped";
  Result<std::shared_ptr<stream::StreamingQuery>> query = session_->StartStream(
      "SELECT id, unix_millis(current_timestamp()) AS at FROM src", {{"src", JsonSource()}}, write);
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  ASSERT_TRUE((*query)->ProcessAllAvailable().ok());
  std::optional<stream::StreamingQueryProgress> progress;
  for (const stream::StreamingQueryProgress& p : (*query)->recent_progress()) {
    if (p.num_input_rows > 0) {
      progress = p;
    }
  }
  ASSERT_TRUE(progress.has_value());
  // Spark's batchTimestampMs is the trigger's start, the progress timestamp.
  Strings rows = Rows("SELECT at FROM stamped");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(stream::FormatProgressTimestamp(std::stoll(rows[0])), progress->timestamp);
}

TEST_F(StreamingTest, StreamInABatchQueryIsRefused) {
  Result<QueryResult> result = session_->Execute("SELECT * FROM STREAM read_files('" + in() +
                                                 "', format => 'json', schema => 'id INT')");
  EXPECT_FALSE(result.ok());
}

}  // namespace
}  // namespace sluice::engine
