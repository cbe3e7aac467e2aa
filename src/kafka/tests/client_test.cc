// SPDX-License-Identifier: Apache-2.0
#include "kafka/client.h"

#include <gtest/gtest.h>

#include <string>

#include "columnar/vector.h"
#include "kafka/mock_cluster.h"

namespace sluice::kafka {
namespace {

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = MockCluster::Start(1);
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = std::move(cluster).value();
    ASSERT_TRUE(cluster_->CreateTopic("orders", 2).ok());
  }

  Properties Bootstrap() const { return {{"bootstrap.servers", cluster_->bootstrap_servers()}}; }

  std::unique_ptr<Producer> MakeProducer(Properties extra = {}) {
    Properties properties = Bootstrap();
    properties.insert(properties.end(), extra.begin(), extra.end());
    auto producer = Producer::Make(properties);
    EXPECT_TRUE(producer.ok()) << producer.status().ToString();
    return std::move(producer).value();
  }

  std::unique_ptr<Client> MakeClient() {
    auto client = Client::Make(Bootstrap());
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    auto value = std::move(client).value();
    value->set_timeout_ms(10000);
    return value;
  }

  std::unique_ptr<MockCluster> cluster_;
};

std::string Cell(const BatchPtr& batch, int column, int64_t row) {
  return std::string(batch->column(column)->StringValue(row));
}

TEST_F(ClientTest, FetchesExactRangesWithKeysTimestampsAndHeaders) {
  auto producer = MakeProducer();
  for (int i = 0; i < 10; ++i) {
    OutgoingRecord record;
    record.topic = "orders";
    record.partition = i % 2;
    std::string key = "k" + std::to_string(i);
    std::string value = "v" + std::to_string(i);
    record.key = key;
    record.value = value;
    record.timestamp_ms = 1700000000000 + i;
    record.headers = {{"h", std::string_view("x")}, {"null", std::nullopt}};
    ASSERT_TRUE(producer->Produce(record).ok());
  }
  ASSERT_TRUE(producer->Flush().ok());

  auto client = MakeClient();
  auto topics = client->ListTopics();
  ASSERT_TRUE(topics.ok()) << topics.status().ToString();
  EXPECT_EQ(topics->at("orders"), 2);
  auto marks = client->QueryWatermarks({"orders", 0});
  ASSERT_TRUE(marks.ok()) << marks.status().ToString();
  EXPECT_EQ(marks->low, 0);
  EXPECT_EQ(marks->high, 5);

  std::vector<BatchPtr> batches;
  FetchStats stats;
  ASSERT_TRUE(
      client->Fetch({{{"orders", 1}, 1, 4}, {{"orders", 0}, 0, 2}}, true, &batches, &stats).ok());
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(stats.records, 5);
  // Partition 1 first (the order of the ranges), offsets 1..3 = records 3, 5, 7.
  ASSERT_EQ(batches[0]->num_rows(), 3);
  EXPECT_EQ(Cell(batches[0], 0, 0), "k3");
  EXPECT_EQ(Cell(batches[0], 1, 2), "v7");
  EXPECT_EQ(Cell(batches[0], 2, 0), "orders");
  ASSERT_EQ(batches[1]->num_rows(), 2);
  EXPECT_EQ(Cell(batches[1], 1, 1), "v2");
  EXPECT_EQ(batches[0]->schema()->num_fields(), 8);

  // The same range again yields the same rows.
  std::vector<BatchPtr> again;
  ASSERT_TRUE(client->Fetch({{{"orders", 1}, 1, 4}}, false, &again, &stats).ok());
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(Cell(again[0], 1, 0), "v3");

  auto by_time = client->OffsetsForTimes({{"orders", 0}, {"orders", 1}},
                                         {1700000000000 + 4, 1700000000000 + 100});
  ASSERT_TRUE(by_time.ok()) << by_time.status().ToString();
  EXPECT_EQ((*by_time)[0], 2);
  EXPECT_EQ((*by_time)[1], std::nullopt);
}

// librdkafka's mock cluster accepts transactions but writes no commit/abort markers and
// keeps aborted records visible, nor does it fence an older producer of the same id; what
// is checked here is that transactions run through it. read_committed filtering and
// fencing need a real broker.
TEST_F(ClientTest, TransactionalProducersCommit) {
  auto producer = MakeProducer({{"transactional.id", "test-txn"}});
  ASSERT_TRUE(producer->InitTransactions().ok());
  auto produce = [](Producer& to, std::string_view value) {
    OutgoingRecord record;
    record.topic = "orders";
    record.partition = 0;
    record.value = value;
    return to.Produce(record);
  };
  ASSERT_TRUE(producer->BeginTransaction().ok());
  ASSERT_TRUE(produce(*producer, "committed-1").ok());
  ASSERT_TRUE(producer->CommitTransaction().ok());

  // A second instance with the same id takes over.
  auto successor = MakeProducer({{"transactional.id", "test-txn"}});
  ASSERT_TRUE(successor->InitTransactions().ok());
  ASSERT_TRUE(successor->BeginTransaction().ok());
  ASSERT_TRUE(produce(*successor, "committed-2").ok());
  ASSERT_TRUE(successor->CommitTransaction().ok());

  auto client = MakeClient();
  std::vector<BatchPtr> batches;
  FetchStats stats;
  ASSERT_TRUE(client->Fetch({{{"orders", 0}, 0, 2}}, false, &batches, &stats).ok());
  ASSERT_EQ(batches.size(), 1u);
  ASSERT_EQ(batches[0]->num_rows(), 2);
  EXPECT_EQ(Cell(batches[0], 1, 0), "committed-1");
  EXPECT_EQ(Cell(batches[0], 1, 1), "committed-2");
}

TEST_F(ClientTest, LargeFetchesDecodeChunksInParallelInOffsetOrder) {
  auto producer = MakeProducer({{"linger.ms", "50"}, {"batch.num.messages", "10000"}});
  constexpr int kPerPartition = 90000;  // more than one wave and one batch per partition
  for (int i = 0; i < kPerPartition; ++i) {
    for (int32_t partition = 0; partition < 2; ++partition) {
      std::string value = std::to_string(i);
      OutgoingRecord record;
      record.topic = "orders";
      record.partition = partition;
      record.value = value;
      ASSERT_TRUE(producer->Produce(record).ok());
    }
  }
  ASSERT_TRUE(producer->Flush().ok());
  auto client = MakeClient();
  ThreadPool pool(2);
  client->set_pool(&pool);
  std::vector<BatchPtr> batches;
  FetchStats stats;
  ASSERT_TRUE(client
                  ->Fetch({{{"orders", 1}, 5, kPerPartition}, {{"orders", 0}, 0, kPerPartition}},
                          false, &batches, &stats)
                  .ok());
  EXPECT_EQ(stats.records, 2 * kPerPartition - 5);
  // Partition 1's records first, then partition 0's, each in offset order.
  int64_t expected = 5;
  int32_t partition = 1;
  for (const BatchPtr& batch : batches) {
    EXPECT_LE(batch->num_rows(), 64 * 1024);
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      if (partition == 1 && expected == kPerPartition) {
        partition = 0;
        expected = 0;
      }
      ASSERT_EQ(batch->column(3)->Value<int32_t>(row), partition);
      ASSERT_EQ(batch->column(4)->Value<int64_t>(row), expected);
      ASSERT_EQ(Cell(batch, 1, row), std::to_string(expected));
      ++expected;
    }
  }
  EXPECT_EQ(partition, 0);
  EXPECT_EQ(expected, kPerPartition);
}

TEST_F(ClientTest, OffsetsDeletedByRetentionAreReported) {
  // The mock keeps about 5 MB per partition: 8 MB pushes the first records out.
  auto producer = MakeProducer();
  std::string value(1000, 'x');
  for (int i = 0; i < 8000; ++i) {
    OutgoingRecord record;
    record.topic = "orders";
    record.partition = 0;
    record.value = value;
    ASSERT_TRUE(producer->Produce(record).ok());
  }
  ASSERT_TRUE(producer->Flush().ok());
  auto client = MakeClient();
  auto marks = client->QueryWatermarks({"orders", 0});
  ASSERT_TRUE(marks.ok());
  ASSERT_GT(marks->low, 0);
  std::vector<BatchPtr> batches;
  FetchStats stats;
  Status status = client->Fetch({{{"orders", 0}, 0, 10}}, false, &batches, &stats);
  EXPECT_EQ(status.code(), StatusCode::kNotFound) << status.ToString();
  EXPECT_NE(status.message().find("orders-0: offset 0 is no longer available"), std::string::npos)
      << status.message();
}

TEST(ProducerTest, AQueueThatStaysFullFailsInsteadOfWaitingForever) {
  // Nothing listens on port 1, so nothing is ever delivered.
  auto producer =
      Producer::Make({{"bootstrap.servers", "127.0.0.1:1"}, {"queue.buffering.max.messages", "1"}});
  ASSERT_TRUE(producer.ok()) << producer.status().ToString();
  (*producer)->set_timeout_ms(300);
  OutgoingRecord record;
  record.topic = "orders";
  record.value = "v";
  ASSERT_TRUE((*producer)->Produce(record).ok());
  Status full = (*producer)->Produce(record);
  EXPECT_EQ(full.code(), StatusCode::kUnavailable);
  EXPECT_NE(full.message().find("local queue stayed full"), std::string::npos) << full.message();
}

TEST(CheckUserPropertyTest, AllowsSecurityAndTuningRefusesCommandsAndManagedOptions) {
  EXPECT_TRUE(CheckUserProperty("security.protocol").ok());
  EXPECT_TRUE(CheckUserProperty("sasl.username").ok());
  EXPECT_TRUE(CheckUserProperty("ssl.ca.location").ok());
  EXPECT_TRUE(CheckUserProperty("fetch.max.bytes").ok());
  EXPECT_FALSE(CheckUserProperty("sasl.kerberos.kinit.cmd").ok());
  EXPECT_FALSE(CheckUserProperty("plugin.library.paths").ok());
  EXPECT_FALSE(CheckUserProperty("ssl.engine.location").ok());
  EXPECT_FALSE(CheckUserProperty("enable.auto.commit").ok());
  Status reset = CheckUserProperty("auto.offset.reset");
  EXPECT_NE(reset.message().find("startingOffsets"), std::string::npos);
}

}  // namespace
}  // namespace sluice::kafka
