// SPDX-License-Identifier: Apache-2.0
#include "stream/kafka_sink.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include "columnar/vector.h"
#include "formats/option_map.h"

namespace sluice::stream {

/// Where the columns the sink reads are in a batch's schema (-1: absent).
struct KafkaSinkColumns {
  int topic = -1;
  int key = -1;
  int value = -1;
  int headers = -1;
  int partition = -1;
  int timestamp = -1;
  bool timestamp_is_double = false;
};

namespace {

// The read-back of a partition's tail starts with this many offsets and grows by 4x
// per step up to the maximum, until it finds a record of the query or the log start.
constexpr int64_t kFirstScanWindow = 256;
constexpr int64_t kMaxScanWindow = 64 * 1024;

std::string TransactionalId(std::string_view query_id) {
  return fmt::format("sluice-kafka-sink-{}", query_id);
}

// Spark's KafkaWriter message for a column of the wrong type.
Status UnsupportedType(std::string_view name, const DataType& type, std::string_view desired) {
  return Status::InvalidArgument(fmt::format("{} attribute unsupported type {}. {} must be a(n) {}",
                                             name, type.ToString(), name, desired));
}

bool IsStringOrBinary(const DataType& type) {
  return type.id() == TypeId::kString || type.id() == TypeId::kBinary;
}

// array<struct<key: string, value: binary>>, ignoring nullability and the case of the
// field names (Spark's sameType without spark.sql.caseSensitive).
bool IsHeadersType(const DataType& type) {
  if (type.id() != TypeId::kArray || type.element_type()->id() != TypeId::kStruct) {
    return false;
  }
  const DataType& entry = *type.element_type();
  return entry.num_fields() == 2 && EqualsIgnoreCase(entry.field(0).name, "key") &&
         entry.field(0).type->id() == TypeId::kString &&
         EqualsIgnoreCase(entry.field(1).name, "value") &&
         entry.field(1).type->id() == TypeId::kBinary;
}

// Finds and checks the columns as Spark's KafkaWriter.validateQuery does (names matched
// exactly).
Result<KafkaSinkColumns> ResolveColumns(const Schema& schema, bool has_topic_option) {
  KafkaSinkColumns columns;
  if (!has_topic_option) {
    columns.topic = schema.FieldIndex("topic");
    if (columns.topic < 0) {
      return Status::InvalidArgument(
          "topic option required when no 'topic' attribute is present. Use the topic option "
          "for setting a topic.");
    }
    if (schema.field(columns.topic).type->id() != TypeId::kString) {
      return UnsupportedType("topic", *schema.field(columns.topic).type, "string");
    }
  }
  columns.key = schema.FieldIndex("key");
  if (columns.key >= 0 && !IsStringOrBinary(*schema.field(columns.key).type)) {
    return UnsupportedType("key", *schema.field(columns.key).type, "string or binary");
  }
  columns.value = schema.FieldIndex("value");
  if (columns.value < 0) {
    return Status::InvalidArgument("Required attribute 'value' not found");
  }
  if (!IsStringOrBinary(*schema.field(columns.value).type)) {
    return UnsupportedType("value", *schema.field(columns.value).type, "string or binary");
  }
  columns.headers = schema.FieldIndex("headers");
  if (columns.headers >= 0 && !IsHeadersType(*schema.field(columns.headers).type)) {
    return UnsupportedType("headers", *schema.field(columns.headers).type,
                           "array<struct<key:string,value:binary>>");
  }
  columns.partition = schema.FieldIndex("partition");
  if (columns.partition >= 0 && schema.field(columns.partition).type->id() != TypeId::kInt) {
    return UnsupportedType("partition", *schema.field(columns.partition).type, "int");
  }
  columns.timestamp = schema.FieldIndex("timestamp");
  if (columns.timestamp >= 0) {
    const TypeId id = schema.field(columns.timestamp).type->id();
    if (id != TypeId::kDouble && id != TypeId::kTimestamp) {
      return UnsupportedType("timestamp", *schema.field(columns.timestamp).type,
                             "double or timestamp");
    }
    columns.timestamp_is_double = id == TypeId::kDouble;
  }
  return columns;
}

// Milliseconds since the epoch of a timestamp cell (Spark casts a double as seconds and
// drops the microseconds); 0 (the producer's clock) for a double out of range.
int64_t TimestampMillis(const Vector& column, int64_t row, bool is_double) {
  if (!is_double) {
    return column.Value<int64_t>(row) / 1000;
  }
  const double seconds = column.Value<double>(row);
  if (!std::isfinite(seconds) || std::fabs(seconds) > 9.2e12) {
    return 0;
  }
  return static_cast<int64_t>(seconds * 1e6) / 1000;
}

// Appends the headers of row `row` of a headers column (non-null there) to `out`, as
// views into the column.
Status AppendHeaders(
    const Vector& headers, int64_t row,
    std::vector<std::pair<std::string_view, std::optional<std::string_view>>>* out) {
  const Vector& entries = *headers.child(0);
  const Vector& names = *entries.child(0);
  const Vector& values = *entries.child(1);
  for (int32_t i = headers.ListStart(row); i < headers.ListEnd(row); ++i) {
    const int64_t slot = entries.offset() + i;
    if (entries.IsNull(i) || names.IsNull(slot)) {
      return Status::InvalidArgument(
          "null header present in the data: every element of 'headers' needs a key");
    }
    std::optional<std::string_view> value;
    if (values.IsValid(slot)) {
      value = values.StringValue(slot);
    }
    out->emplace_back(names.StringValue(slot), value);
  }
  return Status::Ok();
}

// The batch id of a record this query wrote (its headers, row `row` of a fetched
// batch's headers column), or -1.
int64_t BatchIdOf(const Vector& headers, int64_t row, std::string_view query_id) {
  if (headers.IsNull(row)) {
    return -1;
  }
  const Vector& entries = *headers.child(0);
  const Vector& names = *entries.child(0);
  const Vector& values = *entries.child(1);
  bool ours = false;
  int64_t batch_id = -1;
  for (int32_t i = headers.ListStart(row); i < headers.ListEnd(row); ++i) {
    const int64_t slot = entries.offset() + i;
    if (entries.IsNull(i) || names.IsNull(slot) || values.IsNull(slot)) {
      continue;
    }
    const std::string_view name = names.StringValue(slot);
    const std::string_view value = values.StringValue(slot);
    if (name == kKafkaQueryIdHeader) {
      ours = value == query_id;
    } else if (name == kKafkaBatchIdHeader) {
      int64_t parsed = 0;
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
      if (error == std::errc() && end == value.data() + value.size()) {
        batch_id = parsed;
      }
    }
  }
  return ours ? batch_id : -1;
}

// The batch id of the last record of `query_id` in a partition, reading the partition
// backwards in growing windows; -1 when the query wrote nothing that is still there.
Result<int64_t> LastBatchInPartition(kafka::Client& client, const kafka::TopicPartition& partition,
                                     std::string_view query_id) {
  SLUICE_ASSIGN_OR_RETURN(kafka::Watermarks marks, client.QueryWatermarks(partition));
  int64_t end = marks.high;
  int64_t window = kFirstScanWindow;
  while (end > marks.low) {
    const int64_t start = std::max(marks.low, end - window);
    std::vector<BatchPtr> batches;
    kafka::FetchStats stats;
    Status fetched = client.Fetch({{partition, start, end}}, true, &batches, &stats);
    if (fetched.code() == StatusCode::kNotFound) {
      // Retention deleted the window's start meanwhile: go on from the new log start.
      SLUICE_ASSIGN_OR_RETURN(kafka::Watermarks now, client.QueryWatermarks(partition));
      if (now.low <= start) {
        return fetched;  // not a retention race: the partition is gone
      }
      marks.low = now.low;
      continue;
    }
    SLUICE_RETURN_IF_ERROR(fetched);
    for (auto batch = batches.rbegin(); batch != batches.rend(); ++batch) {
      const int headers = (*batch)->schema()->FieldIndex("headers");
      for (int64_t row = (*batch)->num_rows() - 1; row >= 0; --row) {
        const int64_t batch_id = BatchIdOf(*(*batch)->column(headers), row, query_id);
        if (batch_id >= 0) {
          return batch_id;
        }
      }
    }
    end = start;
    window = std::min(window * 4, kMaxScanWindow);
  }
  return int64_t{-1};
}

}  // namespace

Result<KafkaSinkOptions> KafkaSinkOptions::Parse(const OptionList& options) {
  OptionMap map(options, "Kafka");
  KafkaSinkOptions parsed;
  SLUICE_ASSIGN_OR_RETURN(parsed.properties, kafka::UserProperties(options, "producer"));
  map.GetString("topic", &parsed.topic);
  SLUICE_RETURN_IF_ERROR(map.GetBool("exactlyOnce", &parsed.exactly_once));
  if (parsed.exactly_once && !parsed.topic.has_value()) {
    return map.Invalid("exactlyOnce",
                       "needs the 'topic' option (the sink reads the topic back at start to find "
                       "the last batch it committed, so the topic must be known up front)");
  }
  return parsed;
}

KafkaSink::KafkaSink(KafkaSinkOptions options) : options_(std::move(options)) {}

KafkaSink::~KafkaSink() = default;

Result<std::unique_ptr<KafkaSink>> KafkaSink::Make(const SinkSpec& spec) {
  SLUICE_ASSIGN_OR_RETURN(KafkaSinkOptions options, KafkaSinkOptions::Parse(spec.options));
  return std::make_unique<KafkaSink>(std::move(options));
}

std::string KafkaSink::Description() const {
  return fmt::format("KafkaSink[{}]", options_.topic.value_or("topic column"));
}

Status KafkaSink::Open(const SinkContext& context) {
  query_id_ = context.query_id;
  if (options_.exactly_once) {
    if (query_id_.empty()) {
      return Status::InvalidArgument(
          "The Kafka sink needs the query id for exactlyOnce (its transactional.id)");
    }
    SLUICE_RETURN_IF_ERROR(StartTransactions());
    recovered_batch_id_ = committed_batch_id_;
  } else {
    SLUICE_ASSIGN_OR_RETURN(producer_, kafka::Producer::Make(options_.properties));
  }
  opened_ = true;
  return Status::Ok();
}

Status KafkaSink::StartTransactions() {
  producer_.reset();
  kafka::Properties properties = options_.properties;
  properties.emplace_back("transactional.id", TransactionalId(query_id_));
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<kafka::Producer> producer,
                          kafka::Producer::Make(properties));
  // Fences an older producer of this query (a zombie) and ends its open transaction, so
  // what the read-back below sees is final.
  SLUICE_RETURN_IF_ERROR(producer->InitTransactions());
  SLUICE_ASSIGN_OR_RETURN(int64_t committed, FindCommittedBatch());
  committed_batch_id_ = std::max(committed_batch_id_, committed);
  producer_ = std::move(producer);
  return Status::Ok();
}

Result<int64_t> KafkaSink::FindCommittedBatch() {
  kafka::Properties properties = options_.properties;
  properties.emplace_back("isolation.level", "read_committed");
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<kafka::Client> client, kafka::Client::Make(properties));
  SLUICE_ASSIGN_OR_RETURN(auto topics, client->ListTopics());
  auto topic = topics.find(*options_.topic);
  if (topic == topics.end()) {
    return int64_t{-1};  // the first write creates it
  }
  if (topic->second < 0) {
    // It exists but cannot be read now (no leader): taking it for empty would write the
    // batches it holds again.
    return Status::Unavailable(fmt::format(
        "the exactly-once Kafka sink cannot read back topic '{}' to find the batches it "
        "committed: the topic's metadata has an error (no leader?); retry later",
        topic->first));
  }
  int64_t committed = -1;
  for (int32_t partition = 0; partition < topic->second; ++partition) {
    SLUICE_ASSIGN_OR_RETURN(int64_t last,
                            LastBatchInPartition(*client, {topic->first, partition}, query_id_));
    committed = std::max(committed, last);
  }
  return committed;
}

Status KafkaSink::ProduceRows(int64_t batch_id, const KafkaSinkColumns& columns,
                              const std::vector<BatchPtr>& data) {
  const std::string batch_text = std::to_string(batch_id);
  kafka::OutgoingRecord record;  // reused: its header list keeps its capacity
  if (options_.topic.has_value()) {
    record.topic = *options_.topic;
  }
  for (const BatchPtr& batch : data) {
    auto column = [&](int index) { return index >= 0 ? batch->column(index).get() : nullptr; };
    const Vector* topic = column(columns.topic);
    const Vector* key = column(columns.key);
    const Vector* value = column(columns.value);
    const Vector* headers = column(columns.headers);
    const Vector* partition = column(columns.partition);
    const Vector* timestamp = column(columns.timestamp);
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      if (topic != nullptr) {
        if (topic->IsNull(row)) {
          return Status::InvalidArgument(
              "null topic present in the data. Use the topic option for setting a default "
              "topic.");
        }
        record.topic = topic->StringValue(row);
      }
      record.key.reset();
      if (key != nullptr && key->IsValid(row)) {
        record.key = key->StringValue(row);
      }
      record.value.reset();
      if (value->IsValid(row)) {
        record.value = value->StringValue(row);
      }
      record.partition =
          partition != nullptr && partition->IsValid(row) ? partition->Value<int32_t>(row) : -1;
      record.timestamp_ms = timestamp != nullptr && timestamp->IsValid(row)
                                ? TimestampMillis(*timestamp, row, columns.timestamp_is_double)
                                : 0;
      record.headers.clear();
      if (headers != nullptr && headers->IsValid(row)) {
        SLUICE_RETURN_IF_ERROR(AppendHeaders(*headers, row, &record.headers));
      }
      if (options_.exactly_once) {
        record.headers.emplace_back(kKafkaQueryIdHeader, query_id_);
        record.headers.emplace_back(kKafkaBatchIdHeader, batch_text);
      }
      SLUICE_RETURN_IF_ERROR(producer_->Produce(record));
      ++records_written_;
    }
  }
  return Status::Ok();
}

Status KafkaSink::AddBatch(int64_t batch_id, const SchemaPtr& schema,
                           const std::vector<BatchPtr>& data) {
  if (!opened_) {
    return Status::Internal("KafkaSink::AddBatch before Open");
  }
  if (schema == nullptr) {
    return Status::InvalidArgument("KafkaSink::AddBatch needs the batch's schema");
  }
  SLUICE_ASSIGN_OR_RETURN(KafkaSinkColumns columns,
                          ResolveColumns(*schema, options_.topic.has_value()));
  for (const BatchPtr& batch : data) {
    if (batch->num_columns() != schema->num_fields()) {
      return Status::InvalidArgument("KafkaSink::AddBatch: a batch does not match the schema");
    }
  }

  if (!options_.exactly_once) {
    if (producer_ == nullptr) {
      SLUICE_ASSIGN_OR_RETURN(producer_, kafka::Producer::Make(options_.properties));
    }
    Status status = ProduceRows(batch_id, columns, data);
    // Waits for what was queued even after a failure, so no delivery report of this
    // batch is left for the next one.
    Status flushed = producer_->Flush();
    return status.ok() ? flushed : status;
  }

  if (producer_ == nullptr) {
    // The previous batch failed: fence, and find out whether its commit went through.
    SLUICE_RETURN_IF_ERROR(StartTransactions());
  }
  int64_t rows = 0;
  for (const BatchPtr& batch : data) {
    rows += batch->num_rows();
  }
  if (batch_id <= committed_batch_id_ || rows == 0) {
    batches_skipped_ += batch_id <= committed_batch_id_ ? 1 : 0;
    return Status::Ok();
  }
  Status status = producer_->BeginTransaction();
  if (status.ok()) {
    status = ProduceRows(batch_id, columns, data);
  }
  if (status.ok()) {
    status = producer_->CommitTransaction();
  }
  if (!status.ok()) {
    // The transaction may or may not have committed (a commit can time out after the
    // broker took it): the next AddBatch starts over and reads the topic back.
    (void)producer_->AbortTransaction();
    producer_.reset();
    return status;
  }
  committed_batch_id_ = batch_id;
  return Status::Ok();
}

std::map<std::string, std::string> KafkaSink::Metrics() {
  std::map<std::string, std::string> metrics = {
      {"numRecordsWritten", std::to_string(records_written_)}};
  if (options_.exactly_once) {
    metrics["numBatchesSkipped"] = std::to_string(batches_skipped_);
  }
  return metrics;
}

void KafkaSink::Stop() {
  producer_.reset();
}

}  // namespace sluice::stream
