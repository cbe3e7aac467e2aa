// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "common/thread_pool.h"
#include "types/data_type.h"

/// A thin C++ face over librdkafka, the only module that includes it: a consumer-side
/// client for metadata and exact-offset fetches, and a producer with transactions.
namespace sluice::kafka {

/// librdkafka configuration properties, in order (a later one overrides an earlier one).
using Properties = std::vector<std::pair<std::string, std::string>>;

/// Checks a property a user passes through to librdkafka (Spark's `kafka.`-prefixed
/// options, prefix removed): connection, security (security.protocol, sasl.*, ssl.*) and
/// client tuning are allowed; properties that run commands or load code
/// (sasl.kerberos.kinit.cmd, plugin.library.paths, ...), that the source manages itself
/// (group.id is allowed, enable.auto.commit is not) or that are unknown are refused with
/// kInvalidArgument naming the option.
Status CheckUserProperty(std::string_view name);

/// The librdkafka properties among a source's or sink's options: each `kafka.<name>`
/// option (name lower-cased, as Spark's case-insensitive options) checked by
/// CheckUserProperty. `kafka.bootstrap.servers` is required (kInvalidArgument with Spark's
/// message naming `client`, "consumer" or "producer").
Result<Properties> UserProperties(const Properties& options, std::string_view client);

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  friend auto operator<=>(const TopicPartition&, const TopicPartition&) = default;
  friend bool operator==(const TopicPartition&, const TopicPartition&) = default;
};

/// "topic-partition", as Kafka names a partition in messages.
std::string PartitionName(const TopicPartition& partition);

/// Low and high watermark of a partition: the first offset still in the log and the
/// offset the next record will get (under read_committed: the last stable offset).
struct Watermarks {
  int64_t low = 0;
  int64_t high = 0;
};

/// A fetch of the records of offsets [start, end) of one partition.
struct FetchRange {
  TopicPartition partition;
  int64_t start = 0;
  int64_t end = 0;
};

/// Spark's Kafka source schema: key binary, value binary, topic string, partition int,
/// offset long, timestamp timestamp, timestampType int, and with `include_headers`
/// headers array<struct<key string, value binary>>.
SchemaPtr RecordSchema(bool include_headers);

/// What a fetch found besides its records.
struct FetchStats {
  int64_t records = 0;
  int64_t bytes = 0;
  /// Offsets of the ranges that no record had: transaction markers, aborted records,
  /// compacted-away keys.
  int64_t skipped_offsets = 0;
};

/// A consumer handle that never joins a group: metadata, watermarks, offsets by time,
/// and reads of exact offset ranges through assign(). Not safe for concurrent use.
class Client {
 public:
  /// `properties` must hold bootstrap.servers; isolation.level defaults to
  /// read_committed, and offsets are never committed automatically.
  static Result<std::unique_ptr<Client>> Make(const Properties& properties);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// The cluster's topics (internal ones left out), each with its number of partitions;
  /// -1 for a topic whose metadata has an error for now (e.g. no leader during an
  /// election), which exists but cannot be read at the moment.
  Result<std::map<std::string, int32_t>> ListTopics();

  /// The watermarks of a partition; kNotFound when the topic or partition is unknown.
  Result<Watermarks> QueryWatermarks(const TopicPartition& partition);

  /// For each partition the first offset whose timestamp is at or after the given one
  /// (milliseconds since the epoch); nullopt where there is none.
  Result<std::vector<std::optional<int64_t>>> OffsetsForTimes(
      const std::vector<TopicPartition>& partitions, const std::vector<int64_t>& timestamps_ms);

  /// Reads the records of every range (ranges must name distinct partitions), appending
  /// them as rows of RecordSchema(include_headers) to `out`, partition by partition in
  /// offset order. A start below the partition's log start, a log that ends before a
  /// range's end, or a partition that does not exist is kNotFound naming the partition
  /// (the caller then decides about failOnDataLoss).
  Status Fetch(const std::vector<FetchRange>& ranges, bool include_headers,
               std::vector<BatchPtr>* out, FetchStats* stats);

  /// Commits `offsets` (next offset to read per partition) to the consumer group named
  /// by group.id, for lag monitoring only.
  Status CommitOffsets(const std::vector<std::pair<TopicPartition, int64_t>>& offsets);

  /// The offsets committed to the consumer group named by group.id (nullopt where none).
  Result<std::vector<std::optional<int64_t>>> CommittedOffsets(
      const std::vector<TopicPartition>& partitions);

  /// Timeout of metadata and offset requests (default 30 s); fetches wait this long
  /// without progress before failing.
  void set_timeout_ms(int timeout_ms) { timeout_ms_ = timeout_ms; }
  /// Workers that turn fetched records into columns, partitions in parallel (not owned;
  /// nullptr: the calling thread does it).
  void set_pool(ThreadPool* pool) { pool_ = pool; }

 private:
  struct Handle;
  explicit Client(std::unique_ptr<Handle> handle);
  Result<std::optional<int64_t>> ScanForTimestamp(const TopicPartition& partition,
                                                  int64_t timestamp_ms);
  std::unique_ptr<Handle> handle_;
  int timeout_ms_ = 30000;
  ThreadPool* pool_ = nullptr;
};

/// A record to produce. Views must stay valid until Produce returns (librdkafka copies).
struct OutgoingRecord {
  std::string_view topic;
  /// -1: the partitioner picks (by key hash; round robin for null keys).
  int32_t partition = -1;
  std::optional<std::string_view> key;
  std::optional<std::string_view> value;
  std::vector<std::pair<std::string_view, std::optional<std::string_view>>> headers;
  /// Milliseconds since the epoch; 0: the producer's clock.
  int64_t timestamp_ms = 0;
};

/// A producer; with transactional.id set, Begin/Commit/AbortTransaction make what was
/// produced in between visible to read_committed consumers atomically.
class Producer {
 public:
  static Result<std::unique_ptr<Producer>> Make(const Properties& properties);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  /// Queues a record, waiting while the local queue is full (kUnavailable when it stays
  /// full for the timeout). A failed delivery of any
  /// queued record is reported by the next Flush (or Produce after it happened).
  Status Produce(const OutgoingRecord& record);
  /// Waits until every queued record was delivered or failed.
  Status Flush();

  /// Transactions (transactional.id must be set): fences older producers of the same id.
  Status InitTransactions();
  Status BeginTransaction();
  Status CommitTransaction();
  Status AbortTransaction();

  void set_timeout_ms(int timeout_ms) { timeout_ms_ = timeout_ms; }

 private:
  struct Handle;
  explicit Producer(std::unique_ptr<Handle> handle);
  std::unique_ptr<Handle> handle_;
  int timeout_ms_ = 60000;
};

}  // namespace sluice::kafka
