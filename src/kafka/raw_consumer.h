// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <vector>

#include "common/result.h"
#include "kafka/client.h"

namespace sluice::kafka {

/// For benchmarks: librdkafka's own consume rate, the ceiling of any Kafka source. A
/// plain consumer loop over exact offset ranges (assign at the starts, then
/// rd_kafka_consume_batch_queue until every range reached its end) that only counts the
/// records and their bytes: no columns are built and nothing is copied.
class RawConsumer {
 public:
  /// `properties` must hold bootstrap.servers. Defaults: read_committed, no group join,
  /// no offset commits, fetch.wait.max.ms 10 (`properties` may override it).
  static Result<std::unique_ptr<RawConsumer>> Make(const Properties& properties);
  ~RawConsumer();
  RawConsumer(const RawConsumer&) = delete;
  RawConsumer& operator=(const RawConsumer&) = delete;

  /// Reads every range (distinct partitions) to its end; `stats` gets the records and
  /// bytes (key + value) seen. kUnavailable after `timeout_ms` without progress,
  /// kNotFound when a start offset is no longer in the log.
  Status Consume(const std::vector<FetchRange>& ranges, FetchStats* stats);

  void set_timeout_ms(int timeout_ms) { timeout_ms_ = timeout_ms; }

 private:
  struct Handle;
  explicit RawConsumer(std::unique_ptr<Handle> handle);
  std::unique_ptr<Handle> handle_;
  int timeout_ms_ = 30000;
};

}  // namespace sluice::kafka
