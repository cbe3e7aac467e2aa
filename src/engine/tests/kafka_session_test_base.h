// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "engine/session.h"
#include "kafka/client.h"
#include "kafka/mock_cluster.h"

namespace sluice::engine {

/// A session over a scratch warehouse (removed afterwards) beside an in-process Kafka
/// broker and a producer to it, for the engine's Kafka tests.
class KafkaSessionTestBase : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("sluice_engine_kafka_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    auto cluster = kafka::MockCluster::Start(1);
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = std::move(cluster).value();
    auto producer = kafka::Producer::Make({{"bootstrap.servers", cluster_->bootstrap_servers()}});
    ASSERT_TRUE(producer.ok()) << producer.status().ToString();
    producer_ = std::move(producer).value();
    SessionOptions options;
    options.warehouse_dir = (root_ / "warehouse").string();
    options.num_threads = 2;
    options.settings["spark.sql.session.timeZone"] = "UTC";
    auto session = Session::Open(options);
    ASSERT_TRUE(session.ok()) << session.status().ToString();
    session_ = std::move(session).value();
  }

  void TearDown() override {
    session_.reset();
    std::filesystem::remove_all(root_);
  }

  std::filesystem::path root_;
  std::unique_ptr<kafka::MockCluster> cluster_;
  std::unique_ptr<kafka::Producer> producer_;
  std::unique_ptr<Session> session_;
};

}  // namespace sluice::engine
