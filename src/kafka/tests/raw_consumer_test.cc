// SPDX-License-Identifier: Apache-2.0
#include "kafka/raw_consumer.h"

#include <gtest/gtest.h>

#include <string>

#include "kafka/mock_cluster.h"

namespace sluice::kafka {
namespace {

TEST(RawConsumerTest, CountsTheRecordsOfExactRanges) {
  auto cluster = MockCluster::Start(1);
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  ASSERT_TRUE((*cluster)->CreateTopic("orders", 2).ok());
  const Properties bootstrap = {{"bootstrap.servers", (*cluster)->bootstrap_servers()}};
  auto producer = Producer::Make(bootstrap);
  ASSERT_TRUE(producer.ok()) << producer.status().ToString();
  for (int i = 0; i < 20; ++i) {
    std::string value = "value-" + std::to_string(i);  // 7 or 8 bytes
    OutgoingRecord record;
    record.topic = "orders";
    record.partition = i % 2;
    record.value = value;
    ASSERT_TRUE((*producer)->Produce(record).ok());
  }
  ASSERT_TRUE((*producer)->Flush().ok());

  auto consumer = RawConsumer::Make(bootstrap);
  ASSERT_TRUE(consumer.ok()) << consumer.status().ToString();
  (*consumer)->set_timeout_ms(10000);
  FetchStats stats;
  // Partition 0 holds values 0, 2, ..., 18; partition 1 holds 1, 3, ..., 19.
  ASSERT_TRUE((*consumer)->Consume({{{"orders", 0}, 2, 7}, {{"orders", 1}, 0, 3}}, &stats).ok());
  EXPECT_EQ(stats.records, 8);
  // Offsets 2..6 of partition 0: values 4, 6, 8 (7 bytes) and 10, 12 (8 bytes); offsets
  // 0..2 of partition 1: values 1, 3, 5.
  EXPECT_EQ(stats.bytes, 3 * 7 + 2 * 8 + 3 * 7);

  // The same consumer again, from the start of both partitions to their ends.
  FetchStats again;
  ASSERT_TRUE((*consumer)->Consume({{{"orders", 0}, 0, 10}, {{"orders", 1}, 0, 10}}, &again).ok());
  EXPECT_EQ(again.records, 20);
}

}  // namespace
}  // namespace sluice::kafka
