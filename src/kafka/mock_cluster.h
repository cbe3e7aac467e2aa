// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/result.h"

namespace sluice::kafka {

/// An in-process Kafka-protocol cluster built on librdkafka's mock cluster
/// (rdkafka_mock.h): real brokers on loopback ports that any Kafka client can produce to
/// and consume from, with topics, partitions, transactions and consumer groups. For
/// development, tests and the demo; `sluice kafka serve` runs one in its own process.
///
/// Limits of the mock that users see: each partition keeps about the last 5 MB of record
/// batches (older ones are deleted as by retention, moving the log start offset), the
/// ports are chosen by the system, and nothing is persisted.
class MockCluster {
 public:
  /// Starts `brokers` brokers (at least 1).
  static Result<std::unique_ptr<MockCluster>> Start(int brokers);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  /// The brokers' addresses, "127.0.0.1:port,...", for bootstrap.servers.
  const std::string& bootstrap_servers() const { return bootstrap_servers_; }

  /// Creates a topic; kAlreadyExists when it exists. A topic a client asks for that does
  /// not exist is created by the mock with 4 partitions (auto-creation).
  Status CreateTopic(const std::string& name, int32_t partitions);

  /// Makes metadata requests answer LEADER_NOT_AVAILABLE for `topic` (as during a leader
  /// election) until called again with false.
  void SetTopicUnavailable(const std::string& topic, bool unavailable);

 private:
  struct Handle;
  MockCluster(std::unique_ptr<Handle> handle, std::string bootstrap_servers);
  std::unique_ptr<Handle> handle_;
  std::string bootstrap_servers_;
};

}  // namespace sluice::kafka
