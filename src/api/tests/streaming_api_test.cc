// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "sluice/sluice.h"

namespace sluice {
namespace {

using namespace sluice::functions;  // NOLINT(build/namespaces)

class StreamingApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("sluice_api_stream_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "input");
    Result<Session> session = Session::builder()
                                  .warehouse((dir_ / "warehouse").string())
                                  .threads(2)
                                  .config("spark.sql.session.timeZone", "UTC")
                                  .getOrCreate();
    ASSERT_TRUE(session.ok()) << session.status().ToString();
    session_.emplace(std::move(session).value());
  }
  void TearDown() override {
    session_.reset();
    std::filesystem::remove_all(dir_);
  }

  /// Writes an NDJSON file of events (id, kind) into the input directory.
  void WriteEvents(const std::string& file, int first_id, int count) {
    const std::filesystem::path tmp = dir_ / ("." + file + ".tmp");
    {
      std::ofstream out(tmp);
      for (int i = first_id; i < first_id + count; ++i) {
        out << "{\"id\":" << i << ",\"kind\":\"" << (i % 2 == 0 ? "even" : "odd") << "\"}\n";
      }
    }
    std::filesystem::rename(tmp, dir_ / "input" / file);
  }

  DataFrame Events() {
    return session_->readStream()
        .format("json")
        .schema("id BIGINT, kind STRING")
        .load((dir_ / "input").string());
  }

  std::string Checkpoint(const std::string& name) { return (dir_ / "checkpoints" / name).string(); }

  Result<int64_t> Count(const std::string& sql) {
    SLUICE_ASSIGN_OR_RETURN(DataFrame df, session_->sql(sql));
    SLUICE_ASSIGN_OR_RETURN(std::vector<Row> rows, df.collect());
    if (rows.size() != 1) {
      return Status::Internal("expected one row");
    }
    return rows[0].getLong(0);
  }

  std::filesystem::path dir_;
  std::optional<Session> session_;
};

TEST_F(StreamingApiTest, StreamingDataFrameKnowsItsSchemaButCannotBeCollected) {
  DataFrame events = Events();
  ASSERT_TRUE(events.status().ok()) << events.status().ToString();
  EXPECT_TRUE(events.isStreaming());
  DataFrame odd = events.filter(col("kind") == "odd").withColumn("twice", col("id") * 2);
  EXPECT_TRUE(odd.isStreaming());
  Result<std::vector<std::string>> columns = odd.columns();
  ASSERT_TRUE(columns.ok()) << columns.status().ToString();
  EXPECT_EQ(*columns, (std::vector<std::string>{"id", "kind", "twice"}));
  Result<int64_t> count = odd.count();
  ASSERT_FALSE(count.ok());
  EXPECT_NE(count.status().message().find("writeStream.start()"), std::string::npos);
  EXPECT_FALSE(session_->range(3).isStreaming());
}

TEST_F(StreamingApiTest, LoadChecksTheSourceAndWriteStreamNeedsAStream) {
  DataFrame no_schema = session_->readStream().format("json").load((dir_ / "input").string());
  EXPECT_FALSE(no_schema.status().ok());
  DataFrame unknown = session_->readStream().format("kafkaesque").load();
  EXPECT_NE(unknown.status().message().find("[STREAMING_SOURCE_NOT_FOUND]"), std::string::npos);
  Result<StreamingQuery> batch = session_->range(3).writeStream().format("memory").start();
  ASSERT_FALSE(batch.ok());
  EXPECT_NE(batch.status().message().find("[WRITE_STREAM_NOT_ALLOWED]"), std::string::npos);
  Result<StreamingQuery> bad_trigger = Events()
                                           .writeStream()
                                           .format("memory")
                                           .queryName("bad")
                                           .trigger(Trigger::ProcessingTime("soon"))
                                           .start();
  EXPECT_EQ(bad_trigger.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(StreamingApiTest, MemorySinkIsQueryableByQueryName) {
  WriteEvents("a.json", 0, 4);
  Result<StreamingQuery> query = Events()
                                     .filter(col("kind") == "odd")
                                     .select("id")
                                     .writeStream()
                                     .format("memory")
                                     .queryName("odd_events")
                                     .outputMode("append")
                                     .start();
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  EXPECT_TRUE(query->isActive());
  EXPECT_EQ(query->name(), "odd_events");
  ASSERT_TRUE(query->processAllAvailable().ok());
  EXPECT_EQ(Count("SELECT count(*) FROM odd_events").value(), 2);
  WriteEvents("b.json", 4, 4);
  ASSERT_TRUE(query->processAllAvailable().ok());
  EXPECT_EQ(Count("SELECT count(*) FROM odd_events").value(), 4);
  std::vector<StreamingQuery> active = session_->streams().active();
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].id(), query->id());
  EXPECT_TRUE(session_->streams().get(query->id()).has_value());
  query->stop();
  EXPECT_FALSE(query->isActive());
  Result<bool> ended = query->awaitTermination(0);
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  EXPECT_TRUE(*ended);
  EXPECT_TRUE(query->exception().ok());
  EXPECT_TRUE(session_->streams().active().empty());
}

TEST_F(StreamingApiTest, AvailableNowToDeltaEndsAndReportsProgress) {
  WriteEvents("a.json", 0, 3);
  WriteEvents("b.json", 3, 2);
  const std::string table = (dir_ / "events_delta").string();
  Result<StreamingQuery> query = Events()
                                     .writeStream()
                                     .format("delta")
                                     .option("checkpointLocation", Checkpoint("delta"))
                                     .queryName("to_delta")
                                     .trigger(Trigger::AvailableNow())
                                     .start(table);
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  Result<bool> ended = query->awaitTermination(60000);
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  EXPECT_TRUE(*ended);
  EXPECT_FALSE(query->isActive());
  std::optional<StreamingQueryProgress> progress = query->lastProgress();
  ASSERT_TRUE(progress.has_value());
  EXPECT_EQ(progress->id, query->id());
  EXPECT_EQ(progress->run_id, query->runId());
  EXPECT_EQ(progress->name, "to_delta");
  EXPECT_EQ(progress->sources.size(), 1u);
  int64_t input_rows = 0;
  for (const StreamingQueryProgress& p : query->recentProgress()) {
    input_rows += p.num_input_rows;
  }
  EXPECT_EQ(input_rows, 5);
  EXPECT_EQ(session_->read().format("delta").load(table).count().value(), 5);

  // A restart from the same checkpoint reads only the new file.
  WriteEvents("c.json", 5, 1);
  Result<StreamingQuery> again = Events()
                                     .writeStream()
                                     .format("delta")
                                     .option("checkpointLocation", Checkpoint("delta"))
                                     .trigger(Trigger::AvailableNow())
                                     .start(table);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ASSERT_TRUE(again->awaitTermination().ok());
  EXPECT_EQ(again->id(), query->id());
  EXPECT_NE(again->runId(), query->runId());
  EXPECT_EQ(session_->read().format("delta").load(table).count().value(), 6);
}

TEST_F(StreamingApiTest, ToTableWritesACatalogTable) {
  WriteEvents("a.json", 0, 4);
  Result<StreamingQuery> query = Events()
                                     .select(col("id"), upper("kind").alias("kind"))
                                     .writeStream()
                                     .option("checkpointLocation", Checkpoint("table"))
                                     .trigger(Trigger::AvailableNow())
                                     .toTable("events");
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  ASSERT_TRUE(query->awaitTermination().ok());
  EXPECT_EQ(Count("SELECT count(*) FROM events WHERE kind = 'EVEN'").value(), 2);
  // The table is a streaming source in turn.
  DataFrame from_table = session_->readStream().table("events");
  ASSERT_TRUE(from_table.status().ok()) << from_table.status().ToString();
  Result<StreamingQuery> copy = from_table.writeStream()
                                    .format("memory")
                                    .queryName("events_copy")
                                    .trigger(Trigger::AvailableNow())
                                    .start();
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  ASSERT_TRUE(copy->awaitTermination().ok());
  EXPECT_EQ(Count("SELECT count(*) FROM events_copy").value(), 4);
}

TEST_F(StreamingApiTest, ForeachBatchGetsEachBatchAsADataFrame) {
  WriteEvents("a.json", 0, 6);
  std::mutex mu;
  std::vector<std::pair<int64_t, int64_t>> seen;  // (batch id, odd rows)
  Result<StreamingQuery> query =
      Events()
          .writeStream()
          .option("checkpointLocation", Checkpoint("foreach"))
          .trigger(Trigger::AvailableNow())
          .foreachBatch([&](const DataFrame& batch, int64_t batch_id) -> Status {
            SLUICE_ASSIGN_OR_RETURN(int64_t odd, batch.filter("kind = 'odd'").count());
            std::lock_guard<std::mutex> lock(mu);
            seen.emplace_back(batch_id, odd);
            return Status::Ok();
          })
          .start();
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  Result<bool> ended = query->awaitTermination();
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], (std::pair<int64_t, int64_t>{0, 3}));
}

TEST_F(StreamingApiTest, ForeachBatchCanWriteEachBatchWithTheBatchApi) {
  WriteEvents("a.json", 0, 4);
  const std::string table = (dir_ / "upserts").string();
  auto write_batch = [&](const DataFrame& batch, int64_t batch_id) -> Status {
    return batch.withColumn("batch", lit(batch_id)).write().mode("append").save(table);
  };
  Result<StreamingQuery> query = Events()
                                     .writeStream()
                                     .option("checkpointLocation", Checkpoint("write"))
                                     .foreachBatch(write_batch)
                                     .start();
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  ASSERT_TRUE(query->processAllAvailable().ok());
  WriteEvents("b.json", 4, 1);
  ASSERT_TRUE(query->processAllAvailable().ok());
  query->stop();
  ASSERT_TRUE(query->exception().ok()) << query->exception().ToString();
  Result<std::vector<Row>> rows =
      session_->read().load(table).groupBy("batch").count().orderBy("batch").collect();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].toString(), "[0,4]");
  EXPECT_EQ((*rows)[1].toString(), "[1,1]");
}

TEST_F(StreamingApiTest, StreamJoinsAStaticTable) {
  ASSERT_TRUE(session_->sql("CREATE TABLE labels (kind STRING, label STRING) USING DELTA").ok());
  ASSERT_TRUE(session_->sql("INSERT INTO labels VALUES ('odd', 'O'), ('even', 'E')").ok());
  WriteEvents("a.json", 0, 3);
  Result<StreamingQuery> query = Events()
                                     .join(session_->table("labels"), "kind")
                                     .select("id", "label")
                                     .writeStream()
                                     .format("memory")
                                     .queryName("labelled")
                                     .trigger(Trigger::AvailableNow())
                                     .start();
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  ASSERT_TRUE(query->awaitTermination().ok());
  EXPECT_EQ(Count("SELECT count(*) FROM labelled WHERE label = 'E'").value(), 2);
}

TEST_F(StreamingApiTest, AFailingForeachBatchEndsTheQueryWithItsError) {
  WriteEvents("a.json", 0, 2);
  Result<StreamingQuery> query =
      Events()
          .writeStream()
          .option("checkpointLocation", Checkpoint("fail"))
          .foreachBatch([](const DataFrame& batch, int64_t batch_id) -> Status {
            (void)batch;
            return Status::InvalidArgument("batch " + std::to_string(batch_id) + " refused");
          })
          .start();
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  Result<bool> ended = query->awaitTermination(60000);
  ASSERT_FALSE(ended.ok());
  EXPECT_NE(ended.status().message().find("batch 0 refused"), std::string::npos);
  EXPECT_FALSE(query->isActive());
  EXPECT_FALSE(query->exception().ok());
}

TEST_F(StreamingApiTest, AggregationsRunInCompleteMode) {
  WriteEvents("a.json", 0, 5);
  Result<StreamingQuery> query = Events()
                                     .groupBy("kind")
                                     .agg(count("*").alias("n"), max("id").alias("top"))
                                     .writeStream()
                                     .format("memory")
                                     .queryName("kinds")
                                     .outputMode("complete")
                                     .start();
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  ASSERT_TRUE(query->processAllAvailable().ok());
  WriteEvents("b.json", 5, 2);
  ASSERT_TRUE(query->processAllAvailable().ok());
  Result<DataFrame> kinds = session_->sql("SELECT kind, n, top FROM kinds ORDER BY kind");
  ASSERT_TRUE(kinds.ok()) << kinds.status().ToString();
  Result<std::vector<Row>> rows = kinds->collect();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].toString(), "[even,4,6]");
  EXPECT_EQ((*rows)[1].toString(), "[odd,3,5]");
  query->stop();
  // Append mode refuses an aggregation without a watermark, as Spark does.
  Result<StreamingQuery> append =
      Events().groupBy("kind").count().writeStream().format("memory").queryName("x").start();
  EXPECT_FALSE(append.ok());
}

TEST_F(StreamingApiTest, TempViewsOfStreamsStayStreaming) {
  WriteEvents("a.json", 0, 4);
  ASSERT_TRUE(Events().createOrReplaceTempView("events").ok());
  Result<DataFrame> odd = session_->sql("SELECT id FROM events WHERE kind = 'odd'");
  ASSERT_TRUE(odd.ok()) << odd.status().ToString();
  EXPECT_TRUE(odd->isStreaming());
  Result<std::string> plan = odd->explainString();
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_FALSE(plan->empty());
  Result<StreamingQuery> query = odd->writeStream()
                                     .format("memory")
                                     .queryName("odd_ids")
                                     .trigger(Trigger::AvailableNow())
                                     .start();
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  ASSERT_TRUE(query->awaitTermination().ok());
  EXPECT_EQ(Count("SELECT count(*) FROM odd_ids").value(), 2);
}

/// Records the events a listener sees.
class RecordingListener : public StreamingQueryListener {
 public:
  void OnQueryStarted(const stream::QueryStartedEvent& event) override {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back("started " + event.name);
  }
  void OnQueryProgress(const StreamingQueryProgress& progress) override {
    std::lock_guard<std::mutex> lock(mu_);
    rows_ += progress.num_input_rows;
  }
  void OnQueryTerminated(const stream::QueryTerminatedEvent& event) override {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(event.exception.has_value() ? "failed" : "terminated");
  }
  std::vector<std::string> events() const {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
  }
  int64_t rows() const {
    std::lock_guard<std::mutex> lock(mu_);
    return rows_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> events_;
  int64_t rows_ = 0;
};

TEST_F(StreamingApiTest, ListenersSeeStartProgressAndEnd) {
  auto listener = std::make_shared<RecordingListener>();
  session_->streams().addListener(listener);
  WriteEvents("a.json", 0, 3);
  Result<StreamingQuery> query = Events()
                                     .writeStream()
                                     .format("memory")
                                     .queryName("listened")
                                     .trigger(Trigger::AvailableNow())
                                     .start();
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  ASSERT_TRUE(query->awaitTermination().ok());
  EXPECT_EQ(listener->rows(), 3);
  EXPECT_EQ(listener->events(), (std::vector<std::string>{"started listened", "terminated"}));
}

/// Signals when a query terminates.
class TerminationLatch : public StreamingQueryListener {
 public:
  void OnQueryTerminated(const stream::QueryTerminatedEvent& event) override {
    (void)event;
    std::lock_guard<std::mutex> lock(mu_);
    terminated_ = true;
    cv_.notify_all();
  }
  bool Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(60), [this] { return terminated_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool terminated_ = false;
};

TEST_F(StreamingApiTest, DroppingTheSessionDuringForeachBatchStopsTheQuery) {
  auto latch = std::make_shared<TerminationLatch>();
  session_->streams().addListener(latch);
  WriteEvents("a.json", 0, 2);
  std::mutex mu;
  std::condition_variable cv;
  bool in_batch = false;
  bool release = false;
  {
    Result<StreamingQuery> query =
        Events()
            .writeStream()
            .option("checkpointLocation", Checkpoint("dropped"))
            .foreachBatch([&](const DataFrame& batch, int64_t batch_id) -> Status {
              (void)batch_id;
              std::unique_lock<std::mutex> lock(mu);
              in_batch = true;
              cv.notify_all();
              cv.wait(lock, [&] { return release; });
              return batch.count().status();
            })
            .start();
    ASSERT_TRUE(query.ok()) << query.status().ToString();
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return in_batch; }));
  }
  // The batch holds the last reference to the session once this one goes.
  session_.reset();
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
    cv.notify_all();
  }
  EXPECT_TRUE(latch->Wait());
}

}  // namespace
}  // namespace sluice
