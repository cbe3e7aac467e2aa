// SPDX-License-Identifier: Apache-2.0
#include "kafka/mock_cluster.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <array>
#include <utility>

namespace sluice::kafka {

struct MockCluster::Handle {
  // The mock cluster runs on the threads of the client handle it is created from.
  rd_kafka_t* rk = nullptr;
  rd_kafka_mock_cluster_t* cluster = nullptr;
  ~Handle() {
    if (cluster != nullptr)
      rd_kafka_mock_cluster_destroy(cluster);
    if (rk != nullptr)
      rd_kafka_destroy(rk);
  }
};

Result<std::unique_ptr<MockCluster>> MockCluster::Start(int brokers) {
  if (brokers < 1) {
    return Status::InvalidArgument("a Kafka cluster needs at least 1 broker, got " +
                                   std::to_string(brokers));
  }
  std::array<char, 512> error{};
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // The owning handle connects to nothing; it only hosts the mock brokers' threads.
  rd_kafka_conf_set_log_cb(conf, [](const rd_kafka_t*, int, const char*, const char*) {});
  auto handle = std::make_unique<Handle>();
  handle->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error.data(), error.size());
  if (handle->rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return Status::Internal(std::string("cannot create the mock cluster's client: ") +
                            error.data());
  }
  handle->cluster = rd_kafka_mock_cluster_new(handle->rk, brokers);
  if (handle->cluster == nullptr) {
    return Status::Unavailable("cannot start the mock Kafka cluster (no free loopback port?)");
  }
  std::string bootstrap = rd_kafka_mock_cluster_bootstraps(handle->cluster);
  return std::unique_ptr<MockCluster>(new MockCluster(std::move(handle), std::move(bootstrap)));
}

MockCluster::MockCluster(std::unique_ptr<Handle> handle, std::string bootstrap_servers)
    : handle_(std::move(handle)), bootstrap_servers_(std::move(bootstrap_servers)) {}

MockCluster::~MockCluster() = default;

Status MockCluster::CreateTopic(const std::string& name, int32_t partitions) {
  if (partitions < 1) {
    return Status::InvalidArgument("topic '" + name + "' needs at least 1 partition, got " +
                                   std::to_string(partitions));
  }
  rd_kafka_resp_err_t err =
      rd_kafka_mock_topic_create(handle_->cluster, name.c_str(), partitions, 1);
  if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
    return Status::AlreadyExists("topic '" + name + "' already exists");
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::Internal("cannot create topic '" + name + "': " + rd_kafka_err2str(err));
  }
  return Status::Ok();
}

void MockCluster::SetTopicUnavailable(const std::string& topic, bool unavailable) {
  rd_kafka_mock_topic_set_error(
      handle_->cluster, topic.c_str(),
      unavailable ? RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE : RD_KAFKA_RESP_ERR_NO_ERROR);
}

}  // namespace sluice::kafka
