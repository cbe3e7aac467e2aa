// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "kafka/client.h"
#include "stream/factory.h"
#include "stream/sink.h"
#include "types/data_type.h"

/// The Kafka streaming sink (Spark's Kafka sink, writeStream.format("kafka")): each row
/// of a micro-batch becomes one record. At least once by default, as Spark; exactly once
/// through Kafka transactions with the `exactlyOnce` option.
namespace sluice::stream {

struct KafkaSinkColumns;

/// The options of writeStream.format("kafka") the sink reads.
struct KafkaSinkOptions {
  /// `kafka.*` options without the prefix (bootstrap.servers first), each checked by
  /// kafka::CheckUserProperty.
  kafka::Properties properties;
  /// `topic`: the topic of every row (overrides a `topic` column).
  std::optional<std::string> topic;
  /// `exactlyOnce` (sluice's option; default false): each batch is one Kafka
  /// transaction and a batch already committed to Kafka is not written again.
  bool exactly_once = false;

  /// Reads the options above (names ignoring case). kInvalidArgument when
  /// kafka.bootstrap.servers is missing, for a refused kafka.* option, for a bad
  /// exactlyOnce value, or for exactlyOnce without `topic`.
  static Result<KafkaSinkOptions> Parse(const OptionList& options);
};

/// Header names the exactly-once sink adds to every record it writes: the query id and
/// the batch id (decimal). Opening the sink reads them back from the tail of the topic.
inline constexpr std::string_view kKafkaQueryIdHeader = "sluice.queryId";
inline constexpr std::string_view kKafkaBatchIdHeader = "sluice.batchId";

/// Writes the rows of micro-batches as Kafka records, column by column as Spark does:
///
/// - `value` (string or binary, required; null writes a record with a null value),
///   `key` (string or binary), `headers` (array<struct<key: string, value: binary>>),
///   `topic` (string; the `topic` option overrides it), `partition` (int; null or absent:
///   the producer's partitioner, by key hash) and `timestamp` (timestamp, or double
///   seconds; absent: the producer's clock). Other columns are ignored. A missing or
///   mistyped column is kInvalidArgument with Spark's message, e.g. "value attribute
///   unsupported type int. value must be a(n) string or binary"; a row with a null topic
///   fails the batch.
/// - At least once (default): AddBatch produces every row, then waits for all deliveries;
///   a failed delivery fails the batch, and the re-run (after a restart) writes it again.
/// - Exactly once (`exactlyOnce`): one transactional producer per query, with
///   transactional.id "sluice-kafka-sink-<query id>"; Open calls InitTransactions (which
///   fences an older producer of the query and aborts its open transaction) and then
///   finds the highest batch id the query committed, by reading back the last records
///   of each partition of the topic for the headers above. Each batch is one transaction
///   carrying those headers; AddBatch of a batch id at or below the highest committed
///   one writes nothing. After a failure the producer is made again (and the topic read
///   back again) before the next batch. Needs the `topic` option, a query id, and
///   consumers with isolation.level=read_committed.
///
/// Every output mode is accepted (complete mode writes the whole result each batch).
class KafkaSink final : public StreamSink {
 public:
  explicit KafkaSink(KafkaSinkOptions options);
  ~KafkaSink() override;

  /// From writeStream settings (the path is ignored, as Spark's Kafka sink ignores it).
  static Result<std::unique_ptr<KafkaSink>> Make(const SinkSpec& spec);

  /// "KafkaSink[<topic>]", or "KafkaSink[topic column]" without the topic option.
  std::string Description() const override;
  /// Makes the producer; in exactly-once mode also initializes transactions and reads
  /// back the highest committed batch id. kInvalidArgument without a query id in
  /// exactly-once mode.
  Status Open(const SinkContext& context) override;
  /// Writes batch `batch_id`; kInvalidArgument for bad columns or a null topic, the
  /// producer's error for a failed delivery (the batch then counts as not written).
  Status AddBatch(int64_t batch_id, const SchemaPtr& schema,
                  const std::vector<BatchPtr>& data) override;
  /// Records written by this sink instance, and in exactly-once mode the batches it
  /// skipped because Kafka already had them.
  std::map<std::string, std::string> Metrics() override;
  void Stop() override;

  /// The highest batch id of this query found committed in Kafka at Open (exactly-once
  /// mode), or -1.
  int64_t recovered_batch_id() const { return recovered_batch_id_; }

 private:
  /// Makes the transactional producer, fences older ones, reads back the committed
  /// batch id.
  Status StartTransactions();
  /// The highest batch id the query committed to the `topic` option's partitions, or -1.
  Result<int64_t> FindCommittedBatch();
  /// Produces every row of `data` (queued; not yet delivered).
  Status ProduceRows(int64_t batch_id, const KafkaSinkColumns& columns,
                     const std::vector<BatchPtr>& data);

  KafkaSinkOptions options_;
  std::string query_id_;
  std::unique_ptr<kafka::Producer> producer_;
  bool opened_ = false;
  /// Exactly once: batches at or below this id are in Kafka already.
  int64_t committed_batch_id_ = -1;
  int64_t recovered_batch_id_ = -1;
  int64_t records_written_ = 0;
  int64_t batches_skipped_ = 0;
};

}  // namespace sluice::stream
