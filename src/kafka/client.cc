// SPDX-License-Identifier: Apache-2.0
#include "kafka/client.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>

#include "columnar/builder.h"
#include "common/ascii.h"
#include "common/logging.h"
#include "kafka/librdkafka_handle.h"

namespace sluice::kafka {
namespace {

// Properties librdkafka takes that a user may set, by exact name or by prefix. Anything
// else is refused, so an option cannot run a command (sasl.kerberos.kinit.cmd), load a
// library (plugin.library.paths, ssl.engine.location) or take over what the source and
// sink manage (offsets, commits, transactions).
constexpr std::array<std::string_view, 9> kAllowedPrefixes = {
    "ssl.",         "sasl.oauthbearer.", "socket.",         "reconnect.backoff.",
    "fetch.",       "queue.buffering.",  "topic.metadata.", "retry.",
    "connections.",
};
constexpr std::array<std::string_view, 45> kAllowedNames = {
    "bootstrap.servers",
    "client.id",
    "client.rack",
    "group.id",
    "group.instance.id",
    "security.protocol",
    "sasl.mechanism",
    "sasl.mechanisms",
    "sasl.username",
    "sasl.password",
    "sasl.kerberos.service.name",
    "sasl.kerberos.principal",
    "sasl.kerberos.keytab",
    "sasl.kerberos.min.time.before.relogin",
    "enable.sasl.oauthbearer.unsecure.jwt",
    "isolation.level",
    "check.crcs",
    "api.version.request",
    "api.version.request.timeout.ms",
    "broker.version.fallback",
    "allow.auto.create.topics",
    "metadata.max.age.ms",
    "message.max.bytes",
    "receive.message.max.bytes",
    "max.partition.fetch.bytes",
    "max.in.flight.requests.per.connection",
    "max.in.flight",
    "queued.min.messages",
    "queued.max.messages.kbytes",
    "request.timeout.ms",
    "session.timeout.ms",
    "heartbeat.interval.ms",
    "linger.ms",
    "batch.size",
    "batch.num.messages",
    "compression.type",
    "compression.codec",
    "compression.level",
    "acks",
    "request.required.acks",
    "enable.idempotence",
    "message.timeout.ms",
    "delivery.timeout.ms",
    "transaction.timeout.ms",
    "statistics.interval.ms",
};

bool HasProperty(const Properties& properties, std::string_view name) {
  return std::any_of(properties.begin(), properties.end(),
                     [&](const auto& entry) { return entry.first == name; });
}

Status ErrorStatus(rd_kafka_resp_err_t err, std::string_view what) {
  std::string message = std::string(what) + ": " + rd_kafka_err2str(err);
  switch (err) {
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
      return Status::Unavailable(std::move(message));
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
      return Status::NotFound(std::move(message));
    default:
      return Status::IoError(std::move(message));
  }
}

Status ErrorStatus(rd_kafka_error_t* error, std::string_view what) {
  std::string message = std::string(what) + ": " + rd_kafka_error_string(error);
  bool retriable = rd_kafka_error_is_retriable(error) != 0;
  bool fenced = rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__FENCED ||
                rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR_PRODUCER_FENCED;
  rd_kafka_error_destroy(error);
  if (fenced)
    return Status::Conflict(std::move(message));
  return retriable ? Status::Unavailable(std::move(message)) : Status::IoError(std::move(message));
}

struct TopicPartitionList {
  rd_kafka_topic_partition_list_t* list;
  explicit TopicPartitionList(int size) : list(rd_kafka_topic_partition_list_new(size)) {}
  ~TopicPartitionList() { rd_kafka_topic_partition_list_destroy(list); }
  TopicPartitionList(const TopicPartitionList&) = delete;
  TopicPartitionList& operator=(const TopicPartitionList&) = delete;
};

// Column builders of RecordSchema for the records of one fetch range.
class RecordBuilder {
 public:
  RecordBuilder(const SchemaPtr& schema, bool include_headers)
      : schema_(schema), include_headers_(include_headers) {
    for (const Field& field : schema->fields())
      builders_.push_back(VectorBuilder::Make(field.type));
  }

  void Append(const rd_kafka_message_t* message, std::string_view topic) {
    auto* key = static_cast<StringBuilder*>(builders_[0].get());
    auto* value = static_cast<StringBuilder*>(builders_[1].get());
    if (message->key == nullptr) {
      key->AppendNull();
    } else {
      key->Append({static_cast<const char*>(message->key), message->key_len});
    }
    if (message->payload == nullptr) {
      value->AppendNull();
    } else {
      value->Append({static_cast<const char*>(message->payload), message->len});
    }
    static_cast<StringBuilder*>(builders_[2].get())->Append(topic);
    static_cast<Int32Builder*>(builders_[3].get())->Append(message->partition);
    static_cast<Int64Builder*>(builders_[4].get())->Append(message->offset);
    rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    int64_t timestamp_ms = rd_kafka_message_timestamp(message, &type);
    auto* timestamp = static_cast<Int64Builder*>(builders_[5].get());
    auto* timestamp_type = static_cast<Int32Builder*>(builders_[6].get());
    if (type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE) {
      timestamp->AppendNull();
      timestamp_type->AppendNull();
    } else {
      timestamp->Append(timestamp_ms * 1000);
      // Kafka's TimestampType ids: 0 CreateTime, 1 LogAppendTime.
      timestamp_type->Append(type == RD_KAFKA_TIMESTAMP_CREATE_TIME ? 0 : 1);
    }
    if (include_headers_)
      AppendHeaders(message);
    ++rows_;
  }

  int64_t rows() const { return rows_; }

  /// Sizes the columns for `rows` records like `message` (and 1/8 more bytes), so a
  /// batch fills without regrowing its buffers.
  void ReserveLike(const rd_kafka_message_t* message, std::string_view topic, int64_t rows) {
    for (auto& builder : builders_)
      builder->Reserve(rows);
    auto bytes = [rows](size_t size) { return rows * static_cast<int64_t>(size + size / 8); };
    static_cast<StringBuilder*>(builders_[0].get())->ReserveData(bytes(message->key_len));
    static_cast<StringBuilder*>(builders_[1].get())->ReserveData(bytes(message->len));
    static_cast<StringBuilder*>(builders_[2].get())->ReserveData(bytes(topic.size()));
  }

  Result<BatchPtr> Finish() {
    std::vector<VectorPtr> columns;
    for (auto& builder : builders_)
      columns.push_back(builder->Finish());
    int64_t rows = rows_;
    rows_ = 0;
    return Batch::Make(schema_, std::move(columns), rows);
  }

 private:
  void AppendHeaders(const rd_kafka_message_t* message) {
    auto* list = static_cast<ArrayBuilder*>(builders_[7].get());
    auto* entry = static_cast<StructBuilder*>(list->element());
    auto* key = static_cast<StringBuilder*>(entry->child(0));
    auto* value = static_cast<StringBuilder*>(entry->child(1));
    rd_kafka_headers_t* headers = nullptr;
    // Headers are parsed lazily by librdkafka, which needs a non-const message.
    if (rd_kafka_message_headers(const_cast<rd_kafka_message_t*>(message), &headers) ==
        RD_KAFKA_RESP_ERR_NO_ERROR) {
      const char* name = nullptr;
      const void* data = nullptr;
      size_t size = 0;
      for (size_t i = 0;
           rd_kafka_header_get_all(headers, i, &name, &data, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
           ++i) {
        key->Append(name);
        if (data == nullptr) {
          value->AppendNull();
        } else {
          value->Append({static_cast<const char*>(data), size});
        }
        entry->Append();
      }
    }
    list->Append();
  }

  SchemaPtr schema_;
  bool include_headers_;
  std::vector<std::unique_ptr<VectorBuilder>> builders_;
  int64_t rows_ = 0;
};

// Rows per output batch of a fetch: big enough to amortize, small enough to stream.
constexpr int64_t kRowsPerBatch = 64 * 1024;

// Records of one range as librdkafka handed them out, turned into one batch by Decode.
struct MessageChunk {
  explicit MessageChunk(std::string_view topic_name) : topic(topic_name) {}
  ~MessageChunk() {
    for (rd_kafka_message_t* message : messages)
      rd_kafka_message_destroy(message);
  }
  MessageChunk(const MessageChunk&) = delete;
  MessageChunk& operator=(const MessageChunk&) = delete;

  /// Appends the records to columns (into `batch`) and releases them.
  void Decode(const SchemaPtr& schema, bool include_headers) {
    RecordBuilder builder(schema, include_headers);
    builder.ReserveLike(messages.front(), topic, static_cast<int64_t>(messages.size()));
    for (rd_kafka_message_t* message : messages)
      builder.Append(message, topic);
    for (rd_kafka_message_t* message : messages)
      rd_kafka_message_destroy(message);
    messages.clear();
    auto finished = builder.Finish();
    if (finished.ok()) {
      batch = std::move(finished).value();
    } else {
      status = finished.status();
    }
  }

  std::string_view topic;
  std::vector<rd_kafka_message_t*> messages;
  BatchPtr batch;
  Status status;
};

}  // namespace

Status CheckUserProperty(std::string_view name) {
  if (name == "auto.offset.reset") {
    return Status::InvalidArgument(
        "Kafka option 'kafka.auto.offset.reset' is not supported. Instead set the source "
        "option 'startingOffsets' to 'earliest' or 'latest' to specify where to start.");
  }
  if (name == "key.deserializer" || name == "value.deserializer") {
    return Status::InvalidArgument("Kafka option 'kafka." + std::string(name) +
                                   "' is not supported as keys and values are always read as "
                                   "byte arrays; use DataFrame operations to deserialize them.");
  }
  if (name == "key.serializer" || name == "value.serializer") {
    return Status::InvalidArgument("Kafka option 'kafka." + std::string(name) +
                                   "' is not supported as keys and values are always written "
                                   "as byte arrays; cast them to STRING or BINARY.");
  }
  if (name == "enable.auto.commit" || name == "enable.auto.offset.store" ||
      name == "transactional.id") {
    return Status::InvalidArgument("Kafka option 'kafka." + std::string(name) +
                                   "' is not supported: sluice manages it (offsets live in the "
                                   "query's checkpoint)");
  }
  if (std::find(kAllowedNames.begin(), kAllowedNames.end(), name) != kAllowedNames.end()) {
    return Status::Ok();
  }
  for (std::string_view prefix : kAllowedPrefixes) {
    if (name.starts_with(prefix) && name != "ssl.engine.location")
      return Status::Ok();
  }
  return Status::InvalidArgument(
      "Kafka option 'kafka." + std::string(name) +
      "' is not allowed: only connection, security (security.protocol, sasl.*, ssl.*) and "
      "client tuning properties are passed to the Kafka client; options that run commands or "
      "load libraries are refused");
}

std::string PartitionName(const TopicPartition& partition) {
  return partition.topic + "-" + std::to_string(partition.partition);
}

Result<Properties> UserProperties(const Properties& options, std::string_view client) {
  constexpr std::string_view kPrefix = "kafka.";
  Properties properties;
  for (const auto& [key, value] : options) {
    std::string name = ToLowerAscii(key);
    if (!name.starts_with(kPrefix))
      continue;
    name.erase(0, kPrefix.size());
    SLUICE_RETURN_IF_ERROR(CheckUserProperty(name));
    properties.emplace_back(std::move(name), value);
  }
  if (!HasProperty(properties, "bootstrap.servers")) {
    return Status::InvalidArgument(
        "Option 'kafka.bootstrap.servers' must be specified for configuring Kafka " +
        std::string(client));
  }
  return properties;
}

SchemaPtr RecordSchema(bool include_headers) {
  std::vector<Field> fields = {
      {"key", BinaryType(), true, {}},        {"value", BinaryType(), true, {}},
      {"topic", StringType(), true, {}},      {"partition", IntType(), true, {}},
      {"offset", LongType(), true, {}},       {"timestamp", TimestampType(), true, {}},
      {"timestampType", IntType(), true, {}},
  };
  if (include_headers) {
    fields.push_back({"headers",
                      ArrayType(StructType(
                          {{"key", StringType(), true, {}}, {"value", BinaryType(), true, {}}})),
                      true,
                      {}});
  }
  return MakeSchema(std::move(fields));
}

// ----- Client -----

struct Client::Handle : ConsumerHandle {
  bool has_group = false;
};

Client::Client(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}
Client::~Client() = default;

Result<std::unique_ptr<Client>> Client::Make(const Properties& properties) {
  if (!HasProperty(properties, "bootstrap.servers")) {
    return Status::InvalidArgument("Option 'kafka.bootstrap.servers' must be specified");
  }
  // librdkafka needs a group for assign(); the group is never joined, and offsets are
  // committed to it only when the user names it (kafka.group.id).
  // Partitions are assigned only while a fetch runs, so a broker that holds a fetch at
  // the end of the log for long (Kafka's 500 ms) would delay the next batch's reads.
  const Properties defaults = {{"isolation.level", "read_committed"},
                               {"group.id", "sluice-kafka-client"},
                               {"fetch.wait.max.ms", "10"}};
  const Properties forced = {{"enable.auto.commit", "false"},
                             {"enable.auto.offset.store", "false"},
                             {"enable.partition.eof", "true"},
                             {"auto.offset.reset", "error"}};
  auto handle = std::make_unique<Handle>();
  handle->has_group = HasProperty(properties, "group.id");
  SLUICE_RETURN_IF_ERROR(OpenConsumer(defaults, properties, forced, handle.get()));
  return std::unique_ptr<Client>(new Client(std::move(handle)));
}

Result<std::map<std::string, int32_t>> Client::ListTopics() {
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(handle_->rk, 1, nullptr, &metadata, timeout_ms_);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return ErrorStatus(err, "listing Kafka topics");
  std::map<std::string, int32_t> topics;
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& topic = metadata->topics[i];
    if (topic.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
        std::string_view(topic.topic).starts_with("__")) {
      continue;
    }
    topics[topic.topic] = topic.err == RD_KAFKA_RESP_ERR_NO_ERROR ? topic.partition_cnt : -1;
  }
  rd_kafka_metadata_destroy(metadata);
  return topics;
}

Result<Watermarks> Client::QueryWatermarks(const TopicPartition& partition) {
  Watermarks marks;
  rd_kafka_resp_err_t err =
      rd_kafka_query_watermark_offsets(handle_->rk, partition.topic.c_str(), partition.partition,
                                       &marks.low, &marks.high, timeout_ms_);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return ErrorStatus(err, "reading the offsets of Kafka partition " + PartitionName(partition));
  }
  return marks;
}

Result<std::vector<std::optional<int64_t>>> Client::OffsetsForTimes(
    const std::vector<TopicPartition>& partitions, const std::vector<int64_t>& timestamps_ms) {
  TopicPartitionList list(static_cast<int>(partitions.size()));
  for (size_t i = 0; i < partitions.size(); ++i) {
    rd_kafka_topic_partition_list_add(list.list, partitions[i].topic.c_str(),
                                      partitions[i].partition)
        ->offset = timestamps_ms[i];
  }
  rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(handle_->rk, list.list, timeout_ms_);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return ErrorStatus(err, "reading Kafka offsets by time");
  std::vector<std::optional<int64_t>> offsets;
  for (size_t i = 0; i < partitions.size(); ++i) {
    const rd_kafka_topic_partition_t& entry = list.list->elems[i];
    if (entry.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return ErrorStatus(entry.err, "reading the offsets by time of Kafka partition " +
                                        PartitionName(partitions[i]));
    }
    offsets.push_back(entry.offset >= 0 ? std::optional<int64_t>(entry.offset) : std::nullopt);
  }
  // A broker that answers "none" although the partition's last record is at or after the
  // timestamp does not index times (librdkafka's mock cluster): find the offset by reading.
  for (size_t i = 0; i < partitions.size(); ++i) {
    if (offsets[i].has_value())
      continue;
    SLUICE_ASSIGN_OR_RETURN(std::optional<int64_t> found,
                            ScanForTimestamp(partitions[i], timestamps_ms[i]));
    offsets[i] = found;
  }
  return offsets;
}

Result<std::optional<int64_t>> Client::ScanForTimestamp(const TopicPartition& partition,
                                                        int64_t timestamp_ms) {
  SLUICE_ASSIGN_OR_RETURN(Watermarks marks, QueryWatermarks(partition));
  if (marks.high <= marks.low)
    return std::optional<int64_t>();
  auto first_at_or_after = [&](const std::vector<BatchPtr>& batches) -> std::optional<int64_t> {
    for (const BatchPtr& batch : batches) {
      const Vector& times = *batch->column(5);
      for (int64_t row = 0; row < batch->num_rows(); ++row) {
        if (!times.IsNull(row) && times.Value<int64_t>(row) >= timestamp_ms * 1000) {
          return batch->column(4)->Value<int64_t>(row);
        }
      }
    }
    return std::nullopt;
  };
  std::vector<BatchPtr> last;
  FetchStats stats;
  SLUICE_RETURN_IF_ERROR(Fetch({{partition, marks.high - 1, marks.high}}, false, &last, &stats));
  if (!first_at_or_after(last).has_value())
    return std::optional<int64_t>();
  std::vector<BatchPtr> all;
  SLUICE_RETURN_IF_ERROR(Fetch({{partition, marks.low, marks.high}}, false, &all, &stats));
  return first_at_or_after(all);
}

Status Client::Fetch(const std::vector<FetchRange>& ranges, bool include_headers,
                     std::vector<BatchPtr>* out, FetchStats* stats) {
  SchemaPtr schema = RecordSchema(include_headers);
  // The records of each range are kept as librdkafka hands them out, in chunks per range
  // (so each partition's records stay together and in offset order, whatever the order of
  // the partitions' fetches), and turned into columns in waves, chunks in parallel.
  struct Pending {
    const FetchRange* range;
    std::vector<std::unique_ptr<MessageChunk>> chunks;
    bool chunk_open = false;
    int64_t next = 0;
    bool done = false;
  };
  std::map<std::pair<std::string_view, int32_t>, Pending> pending;
  int64_t held = 0;  // records kept and not yet in columns
  auto decode_wave = [&]() -> Status {
    std::vector<MessageChunk*> wave;
    for (auto& [key, entry] : pending) {
      for (auto& chunk : entry.chunks) {
        if (!chunk->messages.empty())
          wave.push_back(chunk.get());
      }
      entry.chunk_open = false;
    }
    ParallelFor(pool_, wave.size(), [&](size_t i) { wave[i]->Decode(schema, include_headers); });
    held = 0;
    for (MessageChunk* chunk : wave)
      SLUICE_RETURN_IF_ERROR(chunk->status);
    return Status::Ok();
  };
  TopicPartitionList assignment(static_cast<int>(ranges.size()));
  for (const FetchRange& range : ranges) {
    if (range.start >= range.end)
      continue;
    Pending entry{&range, {}, false, range.start, false};
    pending.emplace(
        std::make_pair(std::string_view(range.partition.topic), range.partition.partition),
        std::move(entry));
    rd_kafka_topic_partition_list_add(assignment.list, range.partition.topic.c_str(),
                                      range.partition.partition)
        ->offset = range.start;
  }
  size_t remaining = pending.size();
  Status status;
  if (remaining > 0) {
    rd_kafka_resp_err_t err = rd_kafka_assign(handle_->rk, assignment.list);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      return ErrorStatus(err, "assigning Kafka partitions");
    std::array<rd_kafka_message_t*, 1024> messages{};
    const rd_kafka_topic_t* last_topic = nullptr;
    int32_t last_partition = -1;
    Pending* last_entry = nullptr;
    auto last_progress = std::chrono::steady_clock::now();
    while (remaining > 0 && status.ok()) {
      // What is queued now, without waiting to fill the array; else wait for one.
      ssize_t count =
          rd_kafka_consume_batch_queue(handle_->queue, 0, messages.data(), messages.size());
      if (count == 0) {
        messages[0] = rd_kafka_consume_queue(handle_->queue, 100);
        count = messages[0] != nullptr ? 1 : 0;
      }
      if (count < 0) {
        status = ErrorStatus(rd_kafka_last_error(), "reading from Kafka");
        break;
      }
      if (count > 0)
        last_progress = std::chrono::steady_clock::now();
      for (ssize_t i = 0; i < count; ++i) {
        rd_kafka_message_t* message = messages[i];
        bool kept = false;
        // Records come in runs of one partition: look the range up only when it changes.
        if (message->rkt != last_topic || message->partition != last_partition) {
          last_topic = message->rkt;
          last_partition = message->partition;
          std::string_view topic =
              message->rkt != nullptr ? rd_kafka_topic_name(message->rkt) : std::string_view();
          auto it = pending.find({topic, message->partition});
          last_entry = it == pending.end() ? nullptr : &it->second;
        }
        if (status.ok() && last_entry != nullptr && !last_entry->done) {
          Pending& entry = *last_entry;
          if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            if (message->offset >= entry.next && message->offset < entry.range->end) {
              stats->skipped_offsets += message->offset - entry.next;
              stats->bytes += static_cast<int64_t>(message->len + message->key_len);
              ++stats->records;
              if (!entry.chunk_open ||
                  static_cast<int64_t>(entry.chunks.back()->messages.size()) >= kRowsPerBatch) {
                entry.chunks.push_back(
                    std::make_unique<MessageChunk>(entry.range->partition.topic));
                entry.chunk_open = true;
              }
              entry.chunks.back()->messages.push_back(message);
              kept = true;  // until its wave is decoded
              ++held;
              entry.next = message->offset + 1;
            }
            if (message->offset + 1 >= entry.range->end) {
              entry.done = true;
            }
          } else if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            // The end of the log (the last stable offset under read_committed): the
            // offsets up to it that no record had were markers or aborted records.
            if (message->offset >= entry.range->end) {
              entry.done = true;
            } else {
              // The log may end before the range (a topic deleted and recreated): then
              // the offsets up to the range's end will never come.
              auto marks = QueryWatermarks(entry.range->partition);
              if (marks.ok() && marks->high < entry.range->end) {
                status = Status::NotFound(
                    "Kafka partition " + PartitionName(entry.range->partition) +
                    ": the log ends at offset " + std::to_string(marks->high) + ", before offset " +
                    std::to_string(entry.range->end) +
                    " the read goes up to; the records were deleted or the topic was "
                    "deleted and recreated");
              }
            }
          } else if (message->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET ||
                     message->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE) {
            status = Status::NotFound(
                "Kafka partition " + PartitionName(entry.range->partition) + ": offset " +
                std::to_string(entry.next) + " is no longer available (" +
                rd_kafka_message_errstr(message) + "); the records were aged out by retention " +
                "or the topic was deleted and recreated");
          } else if (message->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
                     message->err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION ||
                     message->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
            status = Status::NotFound("Kafka partition " + PartitionName(entry.range->partition) +
                                      " does not exist: " + rd_kafka_message_errstr(message));
          } else {
            SLUICE_LOG_WARN("reading Kafka partition {}: {}", PartitionName(entry.range->partition),
                            rd_kafka_message_errstr(message));
          }
          if (entry.done) {
            stats->skipped_offsets += entry.range->end - entry.next;
            --remaining;
          }
        }
        if (!kept) {
          rd_kafka_message_destroy(message);
        }
      }
      if (status.ok() && held >= kRowsPerBatch) {
        status = decode_wave();
      }
      if (status.ok() && std::chrono::steady_clock::now() - last_progress >
                             std::chrono::milliseconds(timeout_ms_)) {
        status = Status::Unavailable("reading from Kafka: no records for " +
                                     std::to_string(timeout_ms_) + " ms (is the broker up?)");
      }
    }
    rd_kafka_resp_err_t unassign = rd_kafka_assign(handle_->rk, nullptr);
    if (status.ok() && unassign != RD_KAFKA_RESP_ERR_NO_ERROR) {
      status = ErrorStatus(unassign, "unassigning Kafka partitions");
    }
  }
  SLUICE_RETURN_IF_ERROR(status);
  SLUICE_RETURN_IF_ERROR(decode_wave());
  for (const FetchRange& range : ranges) {
    auto it = pending.find({range.partition.topic, range.partition.partition});
    if (it == pending.end())
      continue;
    for (auto& chunk : it->second.chunks) {
      if (chunk->batch != nullptr)
        out->push_back(std::move(chunk->batch));
    }
  }
  return Status::Ok();
}

Status Client::CommitOffsets(const std::vector<std::pair<TopicPartition, int64_t>>& offsets) {
  if (!handle_->has_group) {
    return Status::InvalidArgument("committing Kafka offsets needs 'kafka.group.id'");
  }
  TopicPartitionList list(static_cast<int>(offsets.size()));
  for (const auto& [partition, offset] : offsets) {
    rd_kafka_topic_partition_list_add(list.list, partition.topic.c_str(), partition.partition)
        ->offset = offset;
  }
  rd_kafka_resp_err_t err = rd_kafka_commit(handle_->rk, list.list, 0);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return ErrorStatus(err, "committing Kafka offsets");
  return Status::Ok();
}

Result<std::vector<std::optional<int64_t>>> Client::CommittedOffsets(
    const std::vector<TopicPartition>& partitions) {
  TopicPartitionList list(static_cast<int>(partitions.size()));
  for (const TopicPartition& partition : partitions) {
    rd_kafka_topic_partition_list_add(list.list, partition.topic.c_str(), partition.partition);
  }
  rd_kafka_resp_err_t err = rd_kafka_committed(handle_->rk, list.list, timeout_ms_);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return ErrorStatus(err, "reading committed offsets");
  std::vector<std::optional<int64_t>> offsets;
  for (int i = 0; i < list.list->cnt; ++i) {
    int64_t offset = list.list->elems[i].offset;
    offsets.push_back(offset >= 0 ? std::optional<int64_t>(offset) : std::nullopt);
  }
  return offsets;
}

// ----- Producer -----

struct Producer::Handle {
  rd_kafka_t* rk = nullptr;
  /// Topic handles by name, made at a topic's first record.
  std::map<std::string, rd_kafka_topic_t*, std::less<>> topics;
  std::mutex mutex;
  Status first_error;  // the first failed delivery, reported once; guarded by mutex
  /// Set with first_error, so Produce checks it without the lock.
  std::atomic<bool> failed{false};

  void RecordFailure(Status status) {
    std::lock_guard lock(mutex);
    if (first_error.ok())
      first_error = std::move(status);
    failed.store(true, std::memory_order_release);
  }
  /// Returns the first failed delivery since the last call (OK: none) and forgets it.
  Status TakeFailure() {
    std::lock_guard lock(mutex);
    failed.store(false, std::memory_order_relaxed);
    return std::exchange(first_error, Status::Ok());
  }
  rd_kafka_topic_t* Topic(std::string_view name) {
    auto it = topics.find(name);
    if (it == topics.end()) {
      it = topics
               .emplace(std::string(name),
                        rd_kafka_topic_new(rk, std::string(name).c_str(), nullptr))
               .first;
    }
    return it->second;
  }
  ~Handle() {
    for (auto& [name, topic] : topics) {
      if (topic != nullptr)
        rd_kafka_topic_destroy(topic);
    }
    if (rk != nullptr)
      rd_kafka_destroy(rk);
  }
};

Producer::Producer(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}

Producer::~Producer() {
  // Whatever is still queued is given a short chance; a caller that needs delivery
  // calls Flush and checks it.
  rd_kafka_flush(handle_->rk, 1000);
}

Result<std::unique_ptr<Producer>> Producer::Make(const Properties& properties) {
  if (!HasProperty(properties, "bootstrap.servers")) {
    return Status::InvalidArgument("Option 'kafka.bootstrap.servers' must be specified");
  }
  const Properties defaults = {{"linger.ms", "5"}, {"enable.idempotence", "true"}};
  SLUICE_ASSIGN_OR_RETURN(rd_kafka_conf_t * conf, MakeConf(defaults, properties, {}));
  auto handle = std::make_unique<Handle>();
  rd_kafka_conf_set_opaque(conf, handle.get());
  rd_kafka_conf_set_dr_msg_cb(
      conf, [](rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
        if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR)
          return;
        static_cast<Handle*>(opaque)->RecordFailure(ErrorStatus(
            message->err,
            "producing to Kafka topic '" + std::string(rd_kafka_topic_name(message->rkt)) + "'"));
      });
  std::array<char, 512> error{};
  handle->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error.data(), error.size());
  if (handle->rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return Status::InvalidArgument(std::string("cannot create a Kafka producer: ") + error.data());
  }
  return std::unique_ptr<Producer>(new Producer(std::move(handle)));
}

Status Producer::Produce(const OutgoingRecord& record) {
  if (handle_->failed.load(std::memory_order_acquire))
    return handle_->TakeFailure();
  rd_kafka_topic_t* topic = handle_->Topic(record.topic);
  if (topic == nullptr) {
    return ErrorStatus(rd_kafka_last_error(),
                       "producing to Kafka topic '" + std::string(record.topic) + "'");
  }
  rd_kafka_headers_t* headers = nullptr;
  if (!record.headers.empty()) {
    headers = rd_kafka_headers_new(record.headers.size());
    for (const auto& [name, value] : record.headers) {
      rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()),
                          value ? value->data() : nullptr,
                          value ? static_cast<ssize_t>(value->size()) : 0);
    }
  }
  const char* key = record.key ? record.key->data() : nullptr;
  size_t key_size = record.key ? record.key->size() : 0;
  char* value = record.value ? const_cast<char*>(record.value->data()) : nullptr;
  size_t value_size = record.value ? record.value->size() : 0;
  std::optional<std::chrono::steady_clock::time_point> full_since;
  while (true) {
    rd_kafka_resp_err_t err = rd_kafka_producev(
        handle_->rk, RD_KAFKA_V_RKT(topic), RD_KAFKA_V_PARTITION(record.partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key, key_size),
        RD_KAFKA_V_VALUE(value, value_size), RD_KAFKA_V_TIMESTAMP(record.timestamp_ms),
        RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      if (!full_since)
        full_since = std::chrono::steady_clock::now();
      if (std::chrono::steady_clock::now() - *full_since > std::chrono::milliseconds(timeout_ms_)) {
        if (headers != nullptr)
          rd_kafka_headers_destroy(headers);
        return Status::Unavailable("producing to Kafka topic '" + std::string(record.topic) +
                                   "': the local queue stayed full for " +
                                   std::to_string(timeout_ms_) + " ms (is the broker up?)");
      }
      rd_kafka_poll(handle_->rk, 10);
      continue;
    }
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (headers != nullptr)
        rd_kafka_headers_destroy(headers);
      return ErrorStatus(err, "producing to Kafka topic '" + std::string(record.topic) + "'");
    }
    break;
  }
  rd_kafka_poll(handle_->rk, 0);
  return Status::Ok();
}

Status Producer::Flush() {
  rd_kafka_resp_err_t err = rd_kafka_flush(handle_->rk, timeout_ms_);
  SLUICE_RETURN_IF_ERROR(handle_->TakeFailure());
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return ErrorStatus(err, "flushing the Kafka producer");
  return Status::Ok();
}

Status Producer::InitTransactions() {
  if (rd_kafka_error_t* error = rd_kafka_init_transactions(handle_->rk, timeout_ms_)) {
    return ErrorStatus(error, "initializing Kafka transactions");
  }
  return Status::Ok();
}

Status Producer::BeginTransaction() {
  if (rd_kafka_error_t* error = rd_kafka_begin_transaction(handle_->rk)) {
    return ErrorStatus(error, "beginning a Kafka transaction");
  }
  return Status::Ok();
}

Status Producer::CommitTransaction() {
  if (rd_kafka_error_t* error = rd_kafka_commit_transaction(handle_->rk, timeout_ms_)) {
    return ErrorStatus(error, "committing a Kafka transaction");
  }
  return handle_->TakeFailure();
}

Status Producer::AbortTransaction() {
  if (rd_kafka_error_t* error = rd_kafka_abort_transaction(handle_->rk, timeout_ms_)) {
    return ErrorStatus(error, "aborting a Kafka transaction");
  }
  handle_->TakeFailure().IgnoreError();  // the aborted records' failures are moot
  return Status::Ok();
}

}  // namespace sluice::kafka
