// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/file_system.h"
#include "common/result.h"
#include "formats/option_map.h"
#include "kafka/client.h"
#include "stream/source.h"
#include "types/data_type.h"

namespace re2 {
class RE2;
}  // namespace re2

/// Spark's Kafka source (`readStream.format("kafka")`, KafkaMicroBatchStream) and batch
/// read (`read.format("kafka")`, KafkaRelation).
///
/// Offsets are Spark's KafkaSourceOffset JSON, the next offset to read per partition:
/// {"orders":{"0":23,"1":42}}. They live only in the query's checkpoint; partitions are
/// read with assign() at exact offsets, so a batch re-read after a crash yields the same
/// records. The offsets the query starts from (startingOffsets, resolved once against
/// the broker) are kept in `<metadata_dir>/0` as Spark does, so a restart before the
/// first batch starts from the same place.
namespace sluice::stream {

/// A per-partition position: topic -> partition -> offset (or timestamp).
using PartitionOffsets = std::map<kafka::TopicPartition, int64_t>;

/// Where to start or end: earliest, latest, per-partition offsets (-2 earliest,
/// -1 latest), one timestamp for all partitions, or per-partition timestamps.
struct KafkaOffsetSpec {
  enum class Kind : uint8_t { kEarliest, kLatest, kOffsets, kTimestamp, kTimestamps };
  Kind kind = Kind::kLatest;
  PartitionOffsets offsets;  // kOffsets, kTimestamps
  int64_t timestamp_ms = 0;  // kTimestamp
};

/// The Kafka source's options (names as Spark's).
struct KafkaSourceOptions {
  /// kafka.* options, prefix removed (bootstrap.servers among them).
  kafka::Properties client_properties;
  /// subscribe (topics), subscribePattern (regex) or assign (partitions): exactly one.
  std::vector<std::string> subscribe;
  std::optional<std::string> subscribe_pattern;
  std::vector<kafka::TopicPartition> assign;
  KafkaOffsetSpec starting;
  /// Batch reads only (endingOffsets / endingTimestamp / endingOffsetsByTimestamp).
  KafkaOffsetSpec ending;
  /// startingOffsetsByTimestampStrategy = latest: partitions without a record at or
  /// after the timestamp start at latest instead of failing.
  bool timestamp_strategy_latest = false;
  std::optional<int64_t> max_offsets_per_trigger;
  std::optional<int64_t> min_offsets_per_trigger;
  int64_t max_trigger_delay_ms = 15 * 60 * 1000;
  bool fail_on_data_loss = true;
  bool include_headers = false;
  /// kafka.group.id given: consumed offsets are committed there (monitoring only).
  bool commit_to_group = false;
  /// kafkaConsumer.pollTimeoutMs: how long a fetch may wait without progress.
  int64_t poll_timeout_ms = 120000;

  /// Reads Spark's options; kInvalidArgument with Spark's message for a missing or
  /// conflicting option. `streaming` selects the checks of readStream vs read.
  static Result<KafkaSourceOptions> FromOptions(const OptionList& options, bool streaming);
};

/// Parses offset JSON {"topic":{"0":23}} (also the checkpoint's offsets).
Result<PartitionOffsets> ParseKafkaOffsets(std::string_view json, std::string_view what);
/// Writes offsets as Spark's KafkaSourceOffset JSON (topics and partitions sorted).
std::string KafkaOffsetsJson(const PartitionOffsets& offsets);

class KafkaSource final : public StreamSource {
 public:
  static Result<std::unique_ptr<KafkaSource>> Make(const OptionList& options,
                                                   const SchemaPtr& schema);
  ~KafkaSource() override;

  std::string Description() const override;
  /// The subscription ({"format":"kafka","subscribe":"a,b"}), not the servers, which
  /// may move (the embedded broker's port changes at each start).
  std::string Identity() const override;
  SchemaPtr schema() const override { return schema_; }
  Status Open(const SourceContext& context) override;
  Result<std::optional<Offset>> LatestOffset(const std::optional<Offset>& start,
                                             ReadLimit limit) override;
  std::optional<Offset> ReportLatestOffset() override;
  Result<std::vector<BatchPtr>> GetBatch(const std::optional<Offset>& start,
                                         const Offset& end) override;
  Status PrepareForTriggerAvailableNow() override;
  /// minOffsetsPerTrigger held data back that the next trigger may take.
  bool HasPendingInput() const override { return held_back_; }
  /// Spark's avgOffsetsBehindLatest / maxOffsetsBehindLatest / minOffsetsBehindLatest,
  /// and numOffsetsLost (offsets skipped with failOnDataLoss=false).
  std::map<std::string, std::string> Metrics(const std::optional<Offset>& consumed) override;
  void Stop() override;

 private:
  explicit KafkaSource(KafkaSourceOptions options);
  /// The partitions the subscription names now (sets unavailable_topics_).
  Result<std::vector<kafka::TopicPartition>> DiscoverPartitions();
  /// Low and high watermarks of `partitions`.
  Result<std::map<kafka::TopicPartition, kafka::Watermarks>> QueryWatermarks(
      const std::vector<kafka::TopicPartition>& partitions);
  /// Resolves where to start or end (`option` names it in errors) against the broker;
  /// a timestamp no record reaches gives the partition's end when `no_match_at_latest`.
  Result<PartitionOffsets> ResolveOffsets(
      const KafkaOffsetSpec& spec, std::string_view option, bool no_match_at_latest,
      const std::map<kafka::TopicPartition, kafka::Watermarks>& marks);
  /// Fails (failOnDataLoss) or warns about lost data.
  Status ReportDataLoss(const std::string& message);
  /// The records of (from, until] per partition (a partition missing from `from` is read
  /// from 0), reporting lost offsets as failOnDataLoss says.
  Result<std::vector<BatchPtr>> Read(const PartitionOffsets& from, const PartitionOffsets& until);
  /// Reads <metadata_dir>/0 into initial_ when it exists.
  Status ReadInitialOffsets();
  friend Result<std::vector<BatchPtr>> ReadKafka(const OptionList& options);

  KafkaSourceOptions options_;
  SchemaPtr schema_;
  std::unique_ptr<kafka::Client> client_;
  FileSystem* fs_ = nullptr;
  std::string metadata_dir_;
  /// The offsets the query started from (persisted in <metadata_dir>/0).
  PartitionOffsets initial_;
  /// The newest offsets seen by the last LatestOffset.
  PartitionOffsets latest_;
  /// Trigger.AvailableNow: the bound LatestOffset never passes.
  std::optional<PartitionOffsets> available_now_end_;
  int64_t last_trigger_ms_ = 0;
  bool held_back_ = false;
  int64_t offsets_lost_ = 0;
  /// Subscribed topics whose metadata had an error at the last discovery (no leader).
  std::set<std::string> unavailable_topics_;
  /// subscribePattern, compiled once.
  std::unique_ptr<re2::RE2> pattern_;
  std::optional<PartitionOffsets> committed_to_group_;
};

/// `read.format("kafka")`: the records between startingOffsets (default earliest) and
/// endingOffsets (default latest) of the subscribed partitions.
Result<std::vector<BatchPtr>> ReadKafka(const OptionList& options);

}  // namespace sluice::stream
