// SPDX-License-Identifier: Apache-2.0
#include "stream/kafka_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <utility>
#include <vector>

#include "kafka/mock_cluster.h"
#include "stream/factory.h"

namespace sluice::stream {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kBaseMs = 1'700'000'000'000;

/// A checkpoint's source directory, removed at the end.
class MetadataDir {
 public:
  MetadataDir() {
    std::string pattern = JoinPath(::testing::TempDir(), "kafka_source_test_XXXXXX");
    root_ = mkdtemp(pattern.data());
  }
  ~MetadataDir() { (void)LocalFileSystem::Default().DeleteRecursively(root_); }
  SourceContext Context() const { return SourceContext{root_ + "/sources/0", nullptr, "q1"}; }

 private:
  std::string root_;
};

class KafkaSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = kafka::MockCluster::Start(1);
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = std::move(cluster).value();
    ASSERT_TRUE(cluster_->CreateTopic("orders", 2).ok());
    auto producer = kafka::Producer::Make({{"bootstrap.servers", cluster_->bootstrap_servers()}});
    ASSERT_TRUE(producer.ok());
    producer_ = std::move(producer).value();
  }

  /// Produces "<prefix><i>" for i in [from, to) to one partition, with timestamps
  /// kBaseMs + 1000 * i.
  void Produce(const std::string& topic, int32_t partition, const std::string& prefix, int from,
               int to) {
    for (int i = from; i < to; ++i) {
      std::string value = prefix + std::to_string(i);
      kafka::OutgoingRecord record;
      record.topic = topic;
      record.partition = partition;
      record.value = value;
      record.timestamp_ms = kBaseMs + 1000LL * i;
      ASSERT_TRUE(producer_->Produce(record).ok());
    }
    ASSERT_TRUE(producer_->Flush().ok());
  }

  OptionList Options(OptionList extra) const {
    OptionList options = {{"kafka.bootstrap.servers", cluster_->bootstrap_servers()},
                          {"kafkaConsumer.pollTimeoutMs", "10000"}};
    options.insert(options.end(), extra.begin(), extra.end());
    return options;
  }

  std::unique_ptr<StreamSource> Open(const MetadataDir& dir, OptionList extra) {
    SourceSpec spec;
    spec.format = "kafka";
    spec.options = Options(std::move(extra));
    auto source = MakeSource(spec);
    EXPECT_TRUE(source.ok()) << source.status().ToString();
    if (!source.ok())
      return nullptr;
    Status opened = (*source)->Open(dir.Context());
    EXPECT_TRUE(opened.ok()) << opened.ToString();
    return std::move(source).value();
  }

  std::unique_ptr<kafka::MockCluster> cluster_;
  std::unique_ptr<kafka::Producer> producer_;
};

/// The values of the rows, as strings.
std::vector<std::string> Values(const std::vector<BatchPtr>& batches) {
  std::vector<std::string> values;
  for (const BatchPtr& batch : batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      values.emplace_back(batch->column(1)->StringValue(row));
    }
  }
  return values;
}

/// Runs one trigger: the next offset and the rows up to it.
std::vector<std::string> Next(StreamSource& source, std::optional<Offset>* position,
                              ReadLimit limit = ReadLimit::kRateLimited) {
  auto end = source.LatestOffset(*position, limit);
  EXPECT_TRUE(end.ok()) << end.status().ToString();
  if (!end.ok() || !end->has_value() || *end == *position)
    return {};
  auto batches = source.GetBatch(*position, **end);
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  *position = *end;
  return batches.ok() ? Values(*batches) : std::vector<std::string>{};
}

TEST_F(KafkaSourceTest, EarliestReadsEverythingThenOnlyNewRecords) {
  Produce("orders", 0, "a", 0, 3);
  Produce("orders", 1, "b", 0, 2);
  MetadataDir dir;
  auto source = Open(dir, {{"subscribe", "orders"}, {"startingOffsets", "earliest"}});
  std::optional<Offset> position;
  EXPECT_THAT(Next(*source, &position), ElementsAre("a0", "a1", "a2", "b0", "b1"));
  EXPECT_EQ(*position, "{\"orders\":{\"0\":3,\"1\":2}}");
  EXPECT_TRUE(Next(*source, &position).empty());
  Produce("orders", 1, "b", 2, 3);
  EXPECT_THAT(Next(*source, &position), ElementsAre("b2"));
  EXPECT_THAT(source->Metrics(position),
              testing::Contains(testing::Pair("maxOffsetsBehindLatest", "0")));
}

TEST_F(KafkaSourceTest, LatestSkipsWhatWasThereAndKeepsTheStartAcrossARestart) {
  Produce("orders", 0, "old", 0, 2);
  MetadataDir dir;
  {
    auto source = Open(dir, {{"subscribe", "orders"}});  // latest is the streaming default
    std::optional<Offset> position;
    EXPECT_TRUE(Next(*source, &position).empty());
    EXPECT_EQ(position, std::nullopt);
  }
  Produce("orders", 0, "new", 2, 4);
  // The restarted query starts where the first start resolved 'latest', not at the new end.
  auto source = Open(dir, {{"subscribe", "orders"}});
  std::optional<Offset> position;
  EXPECT_THAT(Next(*source, &position), ElementsAre("new2", "new3"));
}

TEST_F(KafkaSourceTest, JsonStartingOffsetsWithEarliestAndLatestMarkers) {
  Produce("orders", 0, "a", 0, 4);
  Produce("orders", 1, "b", 0, 4);
  MetadataDir dir;
  auto source = Open(dir, {{"assign", "{\"orders\":[0,1]}"},
                           {"startingOffsets", "{\"orders\":{\"0\":2,\"1\":-1}}"}});
  std::optional<Offset> position;
  EXPECT_THAT(Next(*source, &position), ElementsAre("a2", "a3"));
  Produce("orders", 1, "b", 4, 5);
  EXPECT_THAT(Next(*source, &position), ElementsAre("b4"));

  MetadataDir other;
  auto earliest =
      Open(other, {{"subscribe", "orders"}, {"startingOffsets", "{\"orders\":{\"1\":-2}}"}});
  position.reset();
  // Partition 0, left out of the JSON, starts at earliest too.
  EXPECT_EQ(Next(*earliest, &position).size(), 9u);
}

TEST_F(KafkaSourceTest, StartingTimestampFindsTheFirstRecordAtOrAfterIt) {
  Produce("orders", 0, "a", 0, 5);
  MetadataDir dir;
  auto source = Open(
      dir, {{"assign", "{\"orders\":[0]}"}, {"startingTimestamp", std::to_string(kBaseMs + 2500)}});
  std::optional<Offset> position;
  EXPECT_THAT(Next(*source, &position), ElementsAre("a3", "a4"));

  MetadataDir none;
  auto failing = Open(none, {{"assign", "{\"orders\":[0]}"},
                             {"startingTimestamp", std::to_string(kBaseMs + 99000)}});
  auto end = failing->LatestOffset(std::nullopt, ReadLimit::kRateLimited);
  EXPECT_THAT(end.status().message(), HasSubstr("No offset matched"));

  MetadataDir latest;
  auto lenient = Open(latest, {{"assign", "{\"orders\":[0]}"},
                               {"startingOffsetsByTimestamp",
                                "{\"orders\":{\"0\":" + std::to_string(kBaseMs + 99000) + "}}"},
                               {"startingOffsetsByTimestampStrategy", "latest"}});
  position.reset();
  EXPECT_TRUE(Next(*lenient, &position).empty());
  Produce("orders", 0, "a", 5, 6);
  EXPECT_THAT(Next(*lenient, &position), ElementsAre("a5"));
}

TEST_F(KafkaSourceTest, SubscribePatternPicksUpATopicCreatedMidRun) {
  Produce("orders", 0, "a", 0, 1);
  MetadataDir dir;
  auto source = Open(dir, {{"subscribePattern", "ord.*"}, {"startingOffsets", "earliest"}});
  std::optional<Offset> position;
  EXPECT_THAT(Next(*source, &position), ElementsAre("a0"));
  ASSERT_TRUE(cluster_->CreateTopic("orders_eu", 1).ok());
  ASSERT_TRUE(cluster_->CreateTopic("returns", 1).ok());
  Produce("orders_eu", 0, "eu", 0, 2);
  Produce("returns", 0, "r", 0, 2);
  // The new topic is read from its start; the topic the pattern does not match is not.
  EXPECT_THAT(Next(*source, &position), ElementsAre("eu0", "eu1"));
  EXPECT_THAT(*position, HasSubstr("\"orders_eu\":{\"0\":2}"));
}

TEST_F(KafkaSourceTest, MaxOffsetsPerTriggerSplitsByBacklog) {
  Produce("orders", 0, "a", 0, 30);
  Produce("orders", 1, "b", 0, 10);
  MetadataDir dir;
  auto source = Open(
      dir,
      {{"subscribe", "orders"}, {"startingOffsets", "earliest"}, {"maxOffsetsPerTrigger", "20"}});
  std::optional<Offset> position;
  EXPECT_EQ(Next(*source, &position).size(), 20u);
  // 30:10 of the backlog: 15 from partition 0, 5 from partition 1.
  EXPECT_EQ(*position, "{\"orders\":{\"0\":15,\"1\":5}}");
  EXPECT_EQ(Next(*source, &position).size(), 20u);
  EXPECT_TRUE(Next(*source, &position).empty());
  // Trigger.AvailableNow-style reads take everything at once.
  Produce("orders", 0, "a", 30, 70);
  EXPECT_EQ(Next(*source, &position, ReadLimit::kAllAvailable).size(), 40u);
}

TEST_F(KafkaSourceTest, MinOffsetsPerTriggerWaitsForEnoughData) {
  MetadataDir dir;
  auto source = Open(dir, {{"subscribe", "orders"},
                           {"startingOffsets", "earliest"},
                           {"minOffsetsPerTrigger", "5"},
                           {"maxTriggerDelay", "1h"}});
  std::optional<Offset> position;
  Produce("orders", 0, "a", 0, 3);
  // Held back before the first batch: no offset yet, so the driver runs no empty batch.
  auto first = source->LatestOffset(std::nullopt, ReadLimit::kRateLimited);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, std::nullopt);
  EXPECT_TRUE(Next(*source, &position).empty());
  EXPECT_TRUE(source->HasPendingInput());
  Produce("orders", 0, "a", 3, 5);
  EXPECT_EQ(Next(*source, &position).size(), 5u);
}

TEST_F(KafkaSourceTest, AvailableNowReadsEverythingDespiteMinOffsetsPerTrigger) {
  // Trigger.AvailableNow processes what is there and stops: waiting for more (up to
  // maxTriggerDelay) would stall it.
  Produce("orders", 0, "a", 0, 3);
  MetadataDir dir;
  auto source = Open(dir, {{"subscribe", "orders"},
                           {"startingOffsets", "earliest"},
                           {"minOffsetsPerTrigger", "5"},
                           {"maxTriggerDelay", "1h"}});
  ASSERT_TRUE(source->PrepareForTriggerAvailableNow().ok());
  std::optional<Offset> position;
  EXPECT_THAT(Next(*source, &position), ElementsAre("a0", "a1", "a2"));
  EXPECT_FALSE(source->HasPendingInput());
}

TEST_F(KafkaSourceTest, IncludeHeadersAddsTheHeadersColumn) {
  kafka::OutgoingRecord record;
  record.topic = "orders";
  record.partition = 0;
  record.key = "k";
  record.value = "v";
  record.headers = {{"trace", std::string_view("t1")}};
  ASSERT_TRUE(producer_->Produce(record).ok());
  ASSERT_TRUE(producer_->Flush().ok());
  MetadataDir dir;
  auto source = Open(
      dir, {{"subscribe", "orders"}, {"startingOffsets", "earliest"}, {"includeHeaders", "true"}});
  EXPECT_EQ(source->schema()->ToString(),
            "struct<key:binary,value:binary,topic:string,partition:int,offset:bigint,timestamp:"
            "timestamp,timestampType:int,headers:array<struct<key:string,value:binary>>>");
  auto end = source->LatestOffset(std::nullopt, ReadLimit::kRateLimited);
  ASSERT_TRUE(end.ok() && end->has_value());
  auto batches = source->GetBatch(std::nullopt, **end);
  ASSERT_TRUE(batches.ok());
  ASSERT_EQ(batches->size(), 1u);
  const Vector& headers = *(*batches)[0]->column(7);
  EXPECT_FALSE(headers.IsNull(0));
}

TEST_F(KafkaSourceTest, FailOnDataLossAfterRetentionDeletedTheNextOffsets) {
  Produce("orders", 0, "a", 0, 2);
  MetadataDir strict_dir;
  MetadataDir lenient_dir;
  auto strict = Open(strict_dir, {{"subscribe", "orders"}, {"startingOffsets", "earliest"}});
  auto lenient =
      Open(lenient_dir,
           {{"subscribe", "orders"}, {"startingOffsets", "earliest"}, {"failOnDataLoss", "false"}});
  std::optional<Offset> strict_position;
  std::optional<Offset> lenient_position;
  EXPECT_EQ(Next(*strict, &strict_position).size(), 2u);
  EXPECT_EQ(Next(*lenient, &lenient_position).size(), 2u);
  // The mock keeps about 5 MB a partition: 8 MB more ages the next offsets out.
  std::string big(1000, 'x');
  for (int i = 0; i < 8000; ++i) {
    kafka::OutgoingRecord record;
    record.topic = "orders";
    record.partition = 0;
    record.value = big;
    ASSERT_TRUE(producer_->Produce(record).ok());
  }
  ASSERT_TRUE(producer_->Flush().ok());

  auto end = strict->LatestOffset(strict_position, ReadLimit::kAllAvailable);
  ASSERT_TRUE(end.ok());
  auto failed = strict->GetBatch(strict_position, **end);
  EXPECT_EQ(failed.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(failed.status().message(),
              HasSubstr("Cannot fetch offset 2 (TopicPartition: orders-0)"));
  EXPECT_THAT(failed.status().message(), HasSubstr("failOnDataLoss"));

  auto rows = Next(*lenient, &lenient_position, ReadLimit::kAllAvailable);
  EXPECT_GT(rows.size(), 1000u);
  EXPECT_LT(rows.size(), 8000u);
  auto metrics = lenient->Metrics(lenient_position);
  ASSERT_TRUE(metrics.contains("numOffsetsLost"));
  EXPECT_EQ(std::stoll(metrics["numOffsetsLost"]) + static_cast<int64_t>(rows.size()), 8000);
}

TEST_F(KafkaSourceTest, AnOffsetPastTheLogEndIsDataLoss) {
  // What a deleted and recreated topic looks like: the log ends before the query's offset.
  Produce("orders", 0, "a", 0, 5);
  MetadataDir strict_dir;
  auto strict = Open(strict_dir, {{"assign", "{\"orders\":[0]}"},
                                  {"startingOffsets", "{\"orders\":{\"0\":100}}"}});
  auto end = strict->LatestOffset(std::nullopt, ReadLimit::kRateLimited);
  EXPECT_EQ(end.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(end.status().message(),
              HasSubstr("Partition orders-0's offset was changed from 100 to 5."));

  MetadataDir lenient_dir;
  auto lenient = Open(lenient_dir, {{"assign", "{\"orders\":[0]}"},
                                    {"startingOffsets", "{\"orders\":{\"0\":100}}"},
                                    {"failOnDataLoss", "false"}});
  std::optional<Offset> position;
  EXPECT_TRUE(Next(*lenient, &position).empty());
  EXPECT_EQ(*position, "{\"orders\":{\"0\":5}}");
  Produce("orders", 0, "a", 5, 6);
  EXPECT_THAT(Next(*lenient, &position), ElementsAre("a5"));
}

TEST_F(KafkaSourceTest, ABatchEndPastTheLogEndIsDataLossNotATimeout) {
  // A batch planned before the topic was deleted and recreated shorter: its end is past
  // the log's end, and re-reading it must report data loss at once.
  Produce("orders", 0, "a", 0, 5);
  MetadataDir strict_dir;
  auto strict =
      Open(strict_dir, {{"assign", "{\"orders\":[0]}"}, {"kafkaConsumer.pollTimeoutMs", "60000"}});
  auto failed = strict->GetBatch("{\"orders\":{\"0\":3}}", "{\"orders\":{\"0\":100}}");
  EXPECT_EQ(failed.status().code(), StatusCode::kNotFound) << failed.status().ToString();
  EXPECT_THAT(failed.status().message(), HasSubstr("orders-0"));
  EXPECT_THAT(failed.status().message(), HasSubstr("failOnDataLoss"));

  MetadataDir lenient_dir;
  auto lenient = Open(lenient_dir, {{"assign", "{\"orders\":[0]}"},
                                    {"failOnDataLoss", "false"},
                                    {"kafkaConsumer.pollTimeoutMs", "60000"}});
  auto rows = lenient->GetBatch("{\"orders\":{\"0\":3}}", "{\"orders\":{\"0\":100}}");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_THAT(Values(*rows), ElementsAre("a3", "a4"));
  ASSERT_TRUE(
      lenient->LatestOffset(Offset("{\"orders\":{\"0\":5}}"), ReadLimit::kRateLimited).ok());
  EXPECT_EQ(lenient->Metrics(Offset("{\"orders\":{\"0\":5}}"))["numOffsetsLost"], "95");
}

TEST_F(KafkaSourceTest, ATopicBrieflyWithoutALeaderIsNotDataLoss) {
  // Metadata answers LEADER_NOT_AVAILABLE for a topic during a leader election: the
  // topic is still there, so its partitions are not "gone".
  Produce("orders", 0, "a", 0, 2);
  MetadataDir dir;
  auto source = Open(dir, {{"subscribe", "orders"},
                           {"startingOffsets", "earliest"},
                           {"kafkaConsumer.pollTimeoutMs", "2000"}});
  std::optional<Offset> position;
  EXPECT_EQ(Next(*source, &position).size(), 2u);
  cluster_->SetTopicUnavailable("orders", true);
  auto end = source->LatestOffset(position, ReadLimit::kRateLimited);
  ASSERT_TRUE(end.ok()) << end.status().ToString();
  EXPECT_EQ(*end, position);  // nothing new while it has no leader
  cluster_->SetTopicUnavailable("orders", false);
  Produce("orders", 0, "a", 2, 3);
  EXPECT_THAT(Next(*source, &position), ElementsAre("a2"));
}

TEST_F(KafkaSourceTest, CommittedBatchesAreReportedToTheGroupForMonitoringOnly) {
  Produce("orders", 0, "a", 0, 3);
  MetadataDir dir;
  auto source = Open(dir, {{"assign", "{\"orders\":[0]}"},
                           {"startingOffsets", "earliest"},
                           {"kafka.group.id", "lag-monitor"}});
  std::optional<Offset> position;
  EXPECT_EQ(Next(*source, &position).size(), 3u);
  auto monitor = kafka::Client::Make(
      {{"bootstrap.servers", cluster_->bootstrap_servers()}, {"group.id", "lag-monitor"}});
  ASSERT_TRUE(monitor.ok());
  // Nothing is committed until the batch is: the next trigger commits its start.
  auto before = (*monitor)->CommittedOffsets({{"orders", 0}});
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ((*before)[0], std::nullopt);
  EXPECT_TRUE(Next(*source, &position).empty());
  auto after = (*monitor)->CommittedOffsets({{"orders", 0}});
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ((*after)[0], 3);
}

TEST_F(KafkaSourceTest, OptionsAreCheckedWithSparksMessages) {
  auto make = [&](OptionList extra) {
    SourceSpec spec;
    spec.format = "kafka";
    spec.options = std::move(extra);
    return MakeSource(spec).status();
  };
  EXPECT_THAT(make({{"subscribe", "t"}}).message(), HasSubstr("kafka.bootstrap.servers"));
  EXPECT_THAT(make(Options({})).message(),
              HasSubstr("One of the following options must be specified for Kafka source"));
  EXPECT_THAT(make(Options({{"subscribe", "t"}, {"assign", "{\"t\":[0]}"}})).message(),
              HasSubstr("Only one of the following options can be specified"));
  EXPECT_THAT(make(Options({{"subscribe", "t"}, {"endingOffsets", "latest"}})).message(),
              HasSubstr("ending offset not valid in streaming queries"));
  EXPECT_THAT(make(Options({{"subscribe", "t"}, {"kafka.auto.offset.reset", "latest"}})).message(),
              HasSubstr("startingOffsets"));
  EXPECT_THAT(
      make(Options({{"subscribe", "t"}, {"kafka.plugin.library.paths", "/x.so"}})).message(),
      HasSubstr("not allowed"));
  EXPECT_THAT(make(Options({{"subscribe", "t"}, {"startingOffsets", "{bad"}})).message(),
              HasSubstr("startingOffsets"));
  EXPECT_THAT(make(Options({{"subscribe", "t"}, {"maxOffsetsPerTrigger", "0"}})).message(),
              HasSubstr("maxOffsetsPerTrigger"));
  EXPECT_THAT(make(Options({{"subscribe", "t"}, {"kafkaConsumer.pollTimeoutMs", "0"}})).message(),
              HasSubstr("kafkaConsumer.pollTimeoutMs"));
  // Offsets are -2 (earliest), -1 (latest) or a real offset; timestamps are not negative.
  EXPECT_THAT(
      make(Options({{"subscribe", "t"}, {"startingOffsets", "{\"t\":{\"0\":-5}}"}})).message(),
      HasSubstr("startingOffsets"));
  EXPECT_THAT(
      make(Options({{"subscribe", "t"}, {"startingOffsetsByTimestamp", "{\"t\":{\"0\":-1}}"}}))
          .message(),
      HasSubstr("startingOffsetsByTimestamp"));
  EXPECT_THAT(make(Options({{"subscribe", "t"}, {"startingTimestamp", "-1"}})).message(),
              HasSubstr("startingTimestamp"));
}

TEST_F(KafkaSourceTest, BatchReadBetweenStartingAndEndingOffsets) {
  Produce("orders", 0, "a", 0, 5);
  Produce("orders", 1, "b", 0, 5);
  auto all = ReadKafka(Options({{"subscribe", "orders"}}));
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(Values(*all).size(), 10u);
  auto some = ReadKafka(Options({{"subscribe", "orders"},
                                 {"startingOffsets", "{\"orders\":{\"0\":1,\"1\":-2}}"},
                                 {"endingOffsets", "{\"orders\":{\"0\":3,\"1\":-1}}"}}));
  ASSERT_TRUE(some.ok()) << some.status().ToString();
  EXPECT_THAT(Values(*some), ElementsAre("a1", "a2", "b0", "b1", "b2", "b3", "b4"));
  EXPECT_THAT(ReadKafka(Options({{"subscribe", "orders"}, {"startingOffsets", "latest"}}))
                  .status()
                  .message(),
              HasSubstr("can't be latest for batch queries"));
  EXPECT_THAT(
      ReadKafka(Options({{"subscribe", "orders"}, {"endingOffsets", "{\"orders\":{\"7\":3}}"}}))
          .status()
          .message(),
      HasSubstr("endingOffsets names partition orders-7"));
}

TEST_F(KafkaSourceTest, BatchReadEndingByTimestamp) {
  Produce("orders", 0, "a", 0, 5);
  Produce("orders", 1, "b", 0, 5);
  // A partition the ending JSON leaves out is not read past its start (as with
  // endingOffsets), also when it starts after its log start.
  auto some = ReadKafka(Options({{"subscribe", "orders"},
                                 {"startingOffsets", "{\"orders\":{\"0\":0,\"1\":2}}"},
                                 {"endingOffsetsByTimestamp",
                                  "{\"orders\":{\"0\":" + std::to_string(kBaseMs + 2500) + "}}"}}));
  ASSERT_TRUE(some.ok()) << some.status().ToString();
  EXPECT_THAT(Values(*some), ElementsAre("a0", "a1", "a2"));
  // Spark: when no offset matches an ending timestamp, the partition ends at latest.
  auto all = ReadKafka(Options({{"subscribe", "orders"},
                                {"startingOffsets", "earliest"},
                                {"endingTimestamp", std::to_string(kBaseMs + 99000)}}));
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(Values(*all).size(), 10u);
}

}  // namespace
}  // namespace sluice::stream
