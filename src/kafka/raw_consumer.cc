// SPDX-License-Identifier: Apache-2.0
#include "kafka/raw_consumer.h"

#include <librdkafka/rdkafka.h>

#include <array>
#include <chrono>
#include <map>
#include <string>
#include <utility>

#include "kafka/librdkafka_handle.h"

namespace sluice::kafka {

struct RawConsumer::Handle : ConsumerHandle {};

RawConsumer::RawConsumer(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}
RawConsumer::~RawConsumer() = default;

Result<std::unique_ptr<RawConsumer>> RawConsumer::Make(const Properties& properties) {
  // A short fetch wait: ranges end at offsets known to exist, and a long poll left in
  // flight at the end of one call would hold up the first fetch of the next.
  const Properties defaults = {{"isolation.level", "read_committed"},
                               {"group.id", "sluice-raw-consumer"},
                               {"fetch.wait.max.ms", "10"}};
  const Properties forced = {{"enable.auto.commit", "false"},
                             {"enable.auto.offset.store", "false"},
                             {"enable.partition.eof", "false"},
                             {"auto.offset.reset", "error"}};
  auto handle = std::make_unique<Handle>();
  SLUICE_RETURN_IF_ERROR(OpenConsumer(defaults, properties, forced, handle.get()));
  return std::unique_ptr<RawConsumer>(new RawConsumer(std::move(handle)));
}

Status RawConsumer::Consume(const std::vector<FetchRange>& ranges, FetchStats* stats) {
  // Per partition: the end offset still to reach.
  std::map<std::pair<std::string_view, int32_t>, int64_t> ends;
  rd_kafka_topic_partition_list_t* assignment =
      rd_kafka_topic_partition_list_new(static_cast<int>(ranges.size()));
  for (const FetchRange& range : ranges) {
    if (range.start >= range.end)
      continue;
    ends[{range.partition.topic, range.partition.partition}] = range.end;
    rd_kafka_topic_partition_list_add(assignment, range.partition.topic.c_str(),
                                      range.partition.partition)
        ->offset = range.start;
  }
  rd_kafka_resp_err_t err = rd_kafka_assign(handle_->rk, assignment);
  rd_kafka_topic_partition_list_destroy(assignment);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return Status::IoError(std::string("assigning Kafka partitions: ") + rd_kafka_err2str(err));
  Status status;
  size_t remaining = ends.size();
  std::array<rd_kafka_message_t*, 1024> messages{};
  auto last_progress = std::chrono::steady_clock::now();
  while (remaining > 0 && status.ok()) {
    // Whatever is queued now; when nothing is, wait for one message (a batch call asked
    // for more would wait out its whole timeout for a batch that never fills).
    ssize_t count =
        rd_kafka_consume_batch_queue(handle_->queue, 0, messages.data(), messages.size());
    if (count == 0)
      count = rd_kafka_consume_batch_queue(handle_->queue, 100, messages.data(), 1);
    if (count < 0) {
      status = Status::IoError(std::string("reading from Kafka: ") +
                               rd_kafka_err2str(rd_kafka_last_error()));
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (count > 0)
      last_progress = now;
    for (ssize_t i = 0; i < count; ++i) {
      rd_kafka_message_t* message = messages[i];
      if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR && status.ok()) {
        auto it =
            ends.find({std::string_view(rd_kafka_topic_name(message->rkt)), message->partition});
        if (it != ends.end() && message->offset < it->second) {
          ++stats->records;
          stats->bytes += static_cast<int64_t>(message->len + message->key_len);
          if (message->offset + 1 >= it->second) {
            ends.erase(it);
            --remaining;
          }
        }
      } else if (message->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET ||
                 message->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE) {
        status = Status::NotFound(std::string("Kafka offset out of range: ") +
                                  rd_kafka_message_errstr(message));
      }
      rd_kafka_message_destroy(message);
    }
    if (status.ok() && now - last_progress > std::chrono::milliseconds(timeout_ms_)) {
      status = Status::Unavailable("reading from Kafka: no records for " +
                                   std::to_string(timeout_ms_) + " ms");
    }
  }
  rd_kafka_assign(handle_->rk, nullptr);
  return status;
}

}  // namespace sluice::kafka
