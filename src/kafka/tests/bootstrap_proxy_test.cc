// SPDX-License-Identifier: Apache-2.0
#include "kafka/bootstrap_proxy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kafka/client.h"
#include "kafka/mock_cluster.h"

namespace sluice::kafka {
namespace {

TEST(BootstrapProxyTest, ClientsBootstrapThroughTheForwardedPort) {
  auto cluster = MockCluster::Start(1);
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  ASSERT_TRUE((*cluster)->CreateTopic("forwarded", 3).ok());
  const std::string& brokers = (*cluster)->bootstrap_servers();
  auto proxy = BootstrapProxy::Start(0, brokers.substr(0, brokers.find(',')));
  ASSERT_TRUE(proxy.ok()) << proxy.status().ToString();
  EXPECT_GT((*proxy)->port(), 0);

  const Properties through_proxy = {{"bootstrap.servers", (*proxy)->address()}};
  auto producer = Producer::Make(through_proxy);
  ASSERT_TRUE(producer.ok()) << producer.status().ToString();
  for (int i = 0; i < 6; ++i) {
    OutgoingRecord record;
    record.topic = "forwarded";
    record.partition = i % 3;
    const std::string value = "v" + std::to_string(i);
    record.value = value;
    ASSERT_TRUE((*producer)->Produce(record).ok());
  }
  ASSERT_TRUE((*producer)->Flush().ok());

  auto client = Client::Make(through_proxy);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  (*client)->set_timeout_ms(10000);
  auto topics = (*client)->ListTopics();
  ASSERT_TRUE(topics.ok()) << topics.status().ToString();
  EXPECT_EQ(topics->at("forwarded"), 3);
  std::vector<BatchPtr> batches;
  FetchStats stats;
  ASSERT_TRUE(
      (*client)
          ->Fetch({{{"forwarded", 0}, 0, 2}, {{"forwarded", 2}, 0, 2}}, false, &batches, &stats)
          .ok());
  EXPECT_EQ(stats.records, 4);
}

TEST(BootstrapProxyTest, ATakenPortIsUnavailable) {
  auto first = BootstrapProxy::Start(0, "127.0.0.1:9");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = BootstrapProxy::Start((*first)->port(), "127.0.0.1:9");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
}

TEST(BootstrapProxyTest, StopClosesTheListener) {
  auto proxy = BootstrapProxy::Start(0, "127.0.0.1:9");
  ASSERT_TRUE(proxy.ok()) << proxy.status().ToString();
  const int port = (*proxy)->port();
  (*proxy)->Stop();
  (*proxy)->Stop();  // twice is harmless
  auto again = BootstrapProxy::Start(port, "127.0.0.1:9");
  EXPECT_TRUE(again.ok()) << again.status().ToString();
}

}  // namespace
}  // namespace sluice::kafka
