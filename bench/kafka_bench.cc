// SPDX-License-Identifier: Apache-2.0
// kafka_bench: W2 of issue 7. Order events as JSON (~250 bytes) on the partitions of a
// Kafka-protocol broker on loopback (`sluice kafka serve` in its own process, given with
// --bootstrap, or an in-process kafka::MockCluster), read by a streaming query
//
//   readStream.format("kafka").option("failOnDataLoss", "true")...load()
//     .selectExpr("from_json(CAST(value AS STRING), '<order schema>') AS o", ...)
//     .writeStream.format("delta")   (exactly once: one Delta commit + txn per batch)
//
// The mock broker keeps only about the last 5 MB of each partition (older record batches
// are deleted as by retention), so the 20 M pre-produced messages cannot be held.
// The modes work around it:
//
//   rounds      the messages go in rounds of --partition-mb MB per partition (what the
//               broker holds): produce and flush a round (the query is not running),
//               then drain it with Trigger.AvailableNow from the same checkpoint (start
//               -> awaitTermination, timed), then read the same offset ranges again with
//               kafka::Client::Fetch (the librdkafka ceiling, timed). Rates are
//               messages / summed drain time.
//   concurrent  one long-running query (default trigger) while a producer thread stays
//               at most --partition-mb MB per partition ahead of the query's committed
//               rows (counted by a listener); rate = messages / wall time, producer and
//               query sharing the cores.
//   latency     a producer paced at --rate msgs/s, a query with a --trigger-ms
//               processingTime trigger; a poller watches the table's _delta_log for
//               each next commit file and, when it appears, reads the rows the commit
//               added: latency = time the commit was seen - the record's Kafka timestamp
//               (set by the producer to its clock when producing). p50/p90/p99/max.
//
// failOnDataLoss is true: a round or a lag larger than what the broker retains fails
// the run instead of skipping records; every mode also checks at the end that the table
// holds each produced order_id exactly once.
//
// Usage: kafka_bench [--mode rounds|concurrent|latency] [--bootstrap HOST:PORT]
//                    [--broker-pid PID] [--messages N] [--max-offsets 50000,200000]
//                    [--partition-mb 3.5] [--rate 100000] [--trigger-ms 50]
//                    [--seconds 30] [--warmup 5] [--dir DIR]
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "columnar/batch.h"
#include "common/file_system.h"
#include "delta/actions.h"
#include "delta/log_files.h"
#include "formats/parquet/reader.h"
#include "kafka/client.h"
#include "kafka/mock_cluster.h"
#include "kafka/order_generator.h"
#include "kafka/raw_consumer.h"
#include "sluice/sluice.h"

namespace sluice::bench {
namespace {

/// The order schema of examples/pipelines/orders.sql (kafka::OrderGenerator's events).
constexpr const char* kOrderSchema =
    "order_id BIGINT, customer_id STRING, region STRING, status STRING, amount DECIMAL(12,2), "
    "currency STRING, items ARRAY<STRUCT<sku: STRING, qty: INT, unit_price: DECIMAL(10,2)>>, "
    "order_time TIMESTAMP";

struct Config {
  std::string mode = "rounds";
  std::string bootstrap;
  int broker_pid = 0;
  std::string topic = "orders";
  int partitions = 6;
  int64_t messages = 2'000'000;
  std::vector<int64_t> max_offsets = {50'000, 200'000};
  double partition_mb = 3.5;
  int64_t rate = 100'000;
  int trigger_ms = 50;
  double seconds = 30;
  double warmup = 5;
  bool verbose = false;
  /// Extra source options (key=value), e.g. kafka.fetch.wait.max.ms=10.
  std::vector<std::string> source_options;
  std::string dir;
  uint64_t seed = 42;
};

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int64_t WallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// CPU seconds (user + system) of this process, and of the broker process when known.
struct CpuTimes {
  double self = 0;
  double broker = -1;
};

CpuTimes ReadCpu(int broker_pid) {
  CpuTimes cpu;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  cpu.self = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
             static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  if (broker_pid > 0) {
    auto text = LocalFileSystem::Default().ReadFile(fmt::format("/proc/{}/stat", broker_pid));
    if (text.ok()) {
      // Fields after the command's closing parenthesis; utime and stime are 14 and 15.
      std::string_view rest = *text;
      rest.remove_prefix(rest.rfind(')') + 2);
      std::vector<std::string_view> fields;
      while (!rest.empty()) {
        size_t space = rest.find(' ');
        fields.push_back(rest.substr(0, space));
        rest.remove_prefix(space == std::string_view::npos ? rest.size() : space + 1);
      }
      if (fields.size() > 12) {
        const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
        cpu.broker =
            (std::stod(std::string(fields[11])) + std::stod(std::string(fields[12]))) / ticks;
      }
    }
  }
  return cpu;
}

std::string CpuDelta(const CpuTimes& before, const CpuTimes& after) {
  std::string text = fmt::format("cpu_bench_s={:.2f}", after.self - before.self);
  if (after.broker >= 0)
    text += fmt::format(" cpu_broker_s={:.2f}", after.broker - before.broker);
  return text;
}

kafka::OrderGenerator::Options GeneratorOptions(const Config& config) {
  kafka::OrderGenerator::Options options;
  options.seed = config.seed;
  options.start_time_ms = WallMicros() / 1000;
  options.event_interval_us = std::max<int64_t>(1, 1'000'000 / std::max<int64_t>(config.rate, 1));
  return options;
}

/// The producer side: kafka::OrderGenerator's orders (the events of `sluice gen orders`:
/// order_id 1, 2, ..., no duplicates or malformed records), spread round robin over the
/// partitions, key = order_id, Kafka timestamp = the producer's clock at Produce.
class OrderProducer {
 public:
  static Result<std::unique_ptr<OrderProducer>> Make(const Config& config) {
    // Large record batches: the mock broker returns one record batch per partition per
    // fetch, so the batch size bounds what a fetch round trip can carry.
    kafka::Properties properties = {{"bootstrap.servers", config.bootstrap},
                                    {"linger.ms", "20"},
                                    {"batch.num.messages", "10000"},
                                    {"batch.size", "1000000"},
                                    {"queue.buffering.max.messages", "1000000"},
                                    {"queue.buffering.max.kbytes", "1048576"}};
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<kafka::Producer> producer,
                            kafka::Producer::Make(properties));
    return std::unique_ptr<OrderProducer>(new OrderProducer(config, std::move(producer)));
  }

  /// Produces the next order with Kafka timestamp `now_ms`.
  Status Produce(int64_t now_ms) {
    kafka::OrderEvent event = generator_.Next();
    kafka::OutgoingRecord record;
    record.topic = topic_;
    record.partition = static_cast<int32_t>(event.order_id % partitions_);
    record.key = event.key;
    record.value = event.value;
    record.timestamp_ms = now_ms;
    bytes_ += static_cast<int64_t>(event.value.size());
    return producer_->Produce(record);
  }

  Status Flush() { return producer_->Flush(); }
  int64_t bytes() const { return bytes_; }

 private:
  OrderProducer(const Config& config, std::unique_ptr<kafka::Producer> producer)
      : topic_(config.topic),
        partitions_(config.partitions),
        generator_(GeneratorOptions(config)),
        producer_(std::move(producer)) {}
  std::string topic_;
  int partitions_;
  kafka::OrderGenerator generator_;
  std::unique_ptr<kafka::Producer> producer_;
  int64_t bytes_ = 0;
};

/// Records of one partition that fit in `mb` MB of the broker's log: the mean key and
/// value (sampled from the generator) plus about 25 bytes of record overhead.
int64_t RecordsPerPartition(const Config& config, double mb) {
  kafka::OrderGenerator generator(GeneratorOptions(config));
  double total = 0;
  for (int i = 0; i < 1000; ++i) {
    kafka::OrderEvent event = generator.Next();
    total += static_cast<double>(event.value.size() + event.key.size());
  }
  return static_cast<int64_t>(mb * 1024 * 1024 / (total / 1000 + 25));
}

std::vector<kafka::TopicPartition> Partitions(const Config& config) {
  std::vector<kafka::TopicPartition> partitions;
  for (int p = 0; p < config.partitions; ++p)
    partitions.push_back({config.topic, p});
  return partitions;
}

Result<std::vector<kafka::Watermarks>> Marks(kafka::Client& client, const Config& config) {
  std::vector<kafka::Watermarks> marks;
  for (const kafka::TopicPartition& partition : Partitions(config)) {
    SLUICE_ASSIGN_OR_RETURN(kafka::Watermarks mark, client.QueryWatermarks(partition));
    marks.push_back(mark);
  }
  return marks;
}

/// startingOffsets JSON: each partition at its high watermark now.
std::string StartingOffsets(const Config& config, const std::vector<kafka::Watermarks>& marks) {
  std::string json = fmt::format("{{\"{}\":{{", config.topic);
  for (int p = 0; p < config.partitions; ++p)
    json += fmt::format("{}\"{}\":{}", p == 0 ? "" : ",", p, marks[p].high);
  return json + "}}";
}

/// The streaming DataFrame: Kafka -> from_json -> the order columns plus the record's
/// partition, offset and Kafka timestamp.
DataFrame OrdersStream(Session& spark, const Config& config, const std::string& starting,
                       std::optional<int64_t> max_offsets) {
  DataStreamReader reader = spark.readStream();
  reader.format("kafka")
      .option("kafka.bootstrap.servers", config.bootstrap)
      .option("subscribe", config.topic)
      .option("startingOffsets", starting)
      .option("failOnDataLoss", "true");
  if (max_offsets.has_value())
    reader.option("maxOffsetsPerTrigger", std::to_string(*max_offsets));
  for (const std::string& option : config.source_options) {
    const size_t equals = option.find('=');
    reader.option(option.substr(0, equals),
                  equals == std::string::npos ? "" : option.substr(equals + 1));
  }
  return reader.load()
      .selectExpr({fmt::format("from_json(CAST(value AS STRING), '{}') AS o", kOrderSchema),
                   "`partition`", "`offset`", "`timestamp` AS kafka_ts"})
      .selectExpr({"o.order_id", "o.customer_id", "o.region", "o.status", "o.amount", "o.currency",
                   "o.items", "o.order_time", "`partition`", "`offset`", "kafka_ts"});
}

/// Checks the table holds `expected` rows, each order_id once and none null.
Status VerifyTable(Session& spark, const std::string& table, int64_t expected) {
  SLUICE_ASSIGN_OR_RETURN(
      DataFrame counts,
      spark.sql(fmt::format("SELECT count(*) AS n, count(DISTINCT order_id) AS ids, "
                            "count(order_id) AS parsed FROM delta.`{}`",
                            table)));
  SLUICE_ASSIGN_OR_RETURN(std::vector<Row> rows, counts.collect());
  const int64_t n = rows.at(0).getLong(0);
  const int64_t ids = rows.at(0).getLong(1);
  const int64_t parsed = rows.at(0).getLong(2);
  std::printf("verify: rows=%" PRId64 " distinct_order_ids=%" PRId64 " parsed=%" PRId64
              " expected=%" PRId64 "\n",
              n, ids, parsed, expected);
  if (n != expected || ids != expected || parsed != expected) {
    return Status::Internal(
        fmt::format("table {}: {} rows, {} distinct order ids, {} parsed; "
                    "expected {} of each",
                    table, n, ids, parsed, expected));
  }
  return Status::Ok();
}

struct RoundTotals {
  int64_t messages = 0;
  int64_t bytes = 0;
  double produce_s = 0;
  double drain_s = 0;
  int64_t trigger_ms = 0;  // sum of progress.durationMs.triggerExecution
  int64_t batches = 0;
  double fetch_s = 0;
  double raw_s = 0;
  /// progress.durationMs summed over the batches, by phase.
  std::map<std::string, int64_t> phase_ms;
};

/// Mode rounds: produce a round, drain it with availableNow, fetch it again raw.
Status RunRounds(Session& spark, const Config& config, std::optional<int64_t> max_offsets,
                 kafka::Client& client, kafka::RawConsumer& raw) {
  const std::string label = max_offsets ? std::to_string(*max_offsets) : "none";
  const std::string root = fmt::format("{}/rounds_{}", config.dir, label);
  SLUICE_RETURN_IF_ERROR(LocalFileSystem::Default().DeleteRecursively(root));
  const std::string table = root + "/table";
  const std::string checkpoint = root + "/checkpoint";
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<OrderProducer> producer, OrderProducer::Make(config));
  SLUICE_ASSIGN_OR_RETURN(std::vector<kafka::Watermarks> first, Marks(client, config));
  const std::string starting = StartingOffsets(config, first);
  // A round: what each partition holds of --partition-mb.
  const int64_t round_messages =
      RecordsPerPartition(config, config.partition_mb) * config.partitions;
  RoundTotals totals;
  const CpuTimes cpu_start = ReadCpu(config.broker_pid);
  CpuTimes cpu_drain{0, 0};
  CpuTimes cpu_fetch{0, 0};
  CpuTimes cpu_raw{0, 0};
  int rounds = 0;
  while (totals.messages < config.messages) {
    const int64_t count = std::min(round_messages, config.messages - totals.messages);
    SLUICE_ASSIGN_OR_RETURN(std::vector<kafka::Watermarks> before, Marks(client, config));
    double t0 = NowSeconds();
    const int64_t bytes_before = producer->bytes();
    for (int64_t i = 0; i < count; ++i) {
      SLUICE_RETURN_IF_ERROR(producer->Produce(WallMicros() / 1000));
    }
    SLUICE_RETURN_IF_ERROR(producer->Flush());
    totals.produce_s += NowSeconds() - t0;
    totals.bytes += producer->bytes() - bytes_before;
    SLUICE_ASSIGN_OR_RETURN(std::vector<kafka::Watermarks> after, Marks(client, config));
    std::vector<kafka::FetchRange> ranges;
    int64_t produced = 0;
    for (int p = 0; p < config.partitions; ++p) {
      if (after[p].low > before[p].high) {
        return Status::Internal(fmt::format(
            "partition {}: the broker dropped offsets {}..{} before the query read them; "
            "lower --partition-mb",
            p, before[p].high, after[p].low));
      }
      ranges.push_back({{config.topic, p}, before[p].high, after[p].high});
      produced += after[p].high - before[p].high;
    }
    if (produced != count) {
      return Status::Internal(
          fmt::format("round {}: produced {} records, the broker has {}", rounds, count, produced));
    }

    // Drain: the query from its checkpoint, everything available now.
    CpuTimes c0 = ReadCpu(config.broker_pid);
    t0 = NowSeconds();
    SLUICE_ASSIGN_OR_RETURN(StreamingQuery query, OrdersStream(spark, config, starting, max_offsets)
                                                      .writeStream()
                                                      .format("delta")
                                                      .option("checkpointLocation", checkpoint)
                                                      .queryName("kafka_bench")
                                                      .trigger(Trigger::AvailableNow())
                                                      .start(table));
    SLUICE_RETURN_IF_ERROR(query.awaitTermination().status());
    double drained = NowSeconds() - t0;
    CpuTimes c1 = ReadCpu(config.broker_pid);
    int64_t rows = 0;
    for (const StreamingQueryProgress& progress : query.recentProgress()) {
      if (config.verbose)
        std::printf("    %s\n", progress.ToJson().c_str());
      rows += progress.num_input_rows;
      if (progress.num_input_rows > 0)
        ++totals.batches;
      auto it = progress.duration_ms.find("triggerExecution");
      if (it != progress.duration_ms.end())
        totals.trigger_ms += it->second;
      for (const auto& [phase, ms] : progress.duration_ms)
        totals.phase_ms[phase] += ms;
    }
    if (rows != count) {
      return Status::Internal(
          fmt::format("round {}: the query read {} rows, {} were produced", rounds, rows, count));
    }
    totals.drain_s += drained;
    cpu_drain.self += c1.self - c0.self;
    cpu_drain.broker += c1.broker - c0.broker;

    // The ceilings, in alternating order from round to round: the same ranges through
    // kafka::Client::Fetch (records into Spark's Kafka columns) and through a plain
    // librdkafka consumer loop (kafka::RawConsumer: records counted, nothing built).
    auto fetch = [&]() -> Status {
      std::vector<BatchPtr> batches;
      kafka::FetchStats stats;
      const CpuTimes before_fetch = ReadCpu(config.broker_pid);
      const double start = NowSeconds();
      SLUICE_RETURN_IF_ERROR(client.Fetch(ranges, false, &batches, &stats));
      totals.fetch_s += NowSeconds() - start;
      const CpuTimes after_fetch = ReadCpu(config.broker_pid);
      cpu_fetch.self += after_fetch.self - before_fetch.self;
      cpu_fetch.broker += after_fetch.broker - before_fetch.broker;
      if (stats.records != count) {
        return Status::Internal(
            fmt::format("round {}: Fetch read {} records of {}", rounds, stats.records, count));
      }
      return Status::Ok();
    };
    auto consume = [&]() -> Status {
      kafka::FetchStats stats;
      const CpuTimes before_raw = ReadCpu(config.broker_pid);
      const double start = NowSeconds();
      SLUICE_RETURN_IF_ERROR(raw.Consume(ranges, &stats));
      totals.raw_s += NowSeconds() - start;
      const CpuTimes after_raw = ReadCpu(config.broker_pid);
      cpu_raw.self += after_raw.self - before_raw.self;
      cpu_raw.broker += after_raw.broker - before_raw.broker;
      if (stats.records != count) {
        return Status::Internal(fmt::format("round {}: the raw consumer read {} records of {}",
                                            rounds, stats.records, count));
      }
      return Status::Ok();
    };
    SLUICE_RETURN_IF_ERROR(rounds % 2 == 0 ? fetch() : consume());
    SLUICE_RETURN_IF_ERROR(rounds % 2 == 0 ? consume() : fetch());
    totals.messages += count;
    ++rounds;
  }
  const CpuTimes cpu_end = ReadCpu(config.broker_pid);
  const double msgs = static_cast<double>(totals.messages);
  const double query_rate = msgs / totals.drain_s;
  const double fetch_rate = msgs / totals.fetch_s;
  std::printf("rounds maxOffsetsPerTrigger=%s: messages=%" PRId64
              " rounds=%d round_messages=%" PRId64 " batches=%" PRId64 " mean_value_bytes=%.1f\n",
              label.c_str(), totals.messages, rounds, round_messages, totals.batches,
              static_cast<double>(totals.bytes) / msgs);
  std::printf("  produce: %.0f msgs/s (%.2f s, not counted below)\n", msgs / totals.produce_s,
              totals.produce_s);
  std::printf(
      "  query (Kafka -> from_json -> Delta, availableNow per round): %.0f msgs/s "
      "(%.2f s; triggers alone %.0f msgs/s over %.2f s) cpu_bench_s=%.2f "
      "cpu_broker_s=%.2f\n",
      query_rate, totals.drain_s, msgs / (static_cast<double>(totals.trigger_ms) / 1000),
      static_cast<double>(totals.trigger_ms) / 1000, cpu_drain.self,
      config.broker_pid > 0 ? cpu_drain.broker : -1.0);
  std::printf(
      "  ceiling (kafka::Client::Fetch of the same ranges): %.0f msgs/s (%.2f s) "
      "cpu_bench_s=%.2f cpu_broker_s=%.2f\n",
      fetch_rate, totals.fetch_s, cpu_fetch.self, config.broker_pid > 0 ? cpu_fetch.broker : -1.0);
  std::string phases;
  for (const auto& [phase, ms] : totals.phase_ms) {
    if (phase != "triggerExecution")
      phases += fmt::format(" {}={}", phase, ms);
  }
  std::printf("  query phases (ms, summed progress.durationMs):%s\n", phases.c_str());
  const double raw_rate = msgs / totals.raw_s;
  std::printf(
      "  ceiling (librdkafka consumer loop, kafka::RawConsumer, same ranges): %.0f msgs/s "
      "(%.2f s) cpu_bench_s=%.2f cpu_broker_s=%.2f\n",
      raw_rate, totals.raw_s, cpu_raw.self, config.broker_pid > 0 ? cpu_raw.broker : -1.0);
  std::printf(
      "  ratio query / Client::Fetch: %.2f  query / librdkafka loop: %.2f  (%s for the "
      "whole case)\n",
      query_rate / fetch_rate, query_rate / raw_rate, CpuDelta(cpu_start, cpu_end).c_str());
  std::fflush(stdout);
  return VerifyTable(spark, table, totals.messages);
}

/// Counts the rows of committed batches (progress is reported after the commit log).
class CommittedRows : public StreamingQueryListener {
 public:
  void OnQueryProgress(const StreamingQueryProgress& progress) override {
    rows.fetch_add(progress.num_input_rows);
    batches.fetch_add(progress.num_input_rows > 0 ? 1 : 0);
  }
  std::atomic<int64_t> rows{0};
  std::atomic<int64_t> batches{0};
};

/// Mode concurrent: a long-running query and a producer bounded by the committed rows.
Status RunConcurrent(Session& spark, const Config& config, std::optional<int64_t> max_offsets,
                     kafka::Client& client, const std::shared_ptr<CommittedRows>& listener) {
  const std::string label = max_offsets ? std::to_string(*max_offsets) : "none";
  const std::string root = fmt::format("{}/concurrent_{}", config.dir, label);
  SLUICE_RETURN_IF_ERROR(LocalFileSystem::Default().DeleteRecursively(root));
  const std::string table = root + "/table";
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<OrderProducer> producer, OrderProducer::Make(config));
  SLUICE_ASSIGN_OR_RETURN(std::vector<kafka::Watermarks> first, Marks(client, config));
  const int64_t max_lag = RecordsPerPartition(config, config.partition_mb) * config.partitions;
  const int64_t rows_before = listener->rows.load();
  const int64_t batches_before = listener->batches.load();
  SLUICE_ASSIGN_OR_RETURN(StreamingQuery query,
                          OrdersStream(spark, config, StartingOffsets(config, first), max_offsets)
                              .writeStream()
                              .format("delta")
                              .option("checkpointLocation", root + "/checkpoint")
                              .queryName("kafka_bench")
                              .start(table));
  const CpuTimes c0 = ReadCpu(config.broker_pid);
  const double t0 = NowSeconds();
  int64_t produced = 0;
  int64_t waits = 0;
  while (produced < config.messages) {
    const int64_t committed = listener->rows.load() - rows_before;
    const int64_t room = std::min(committed + max_lag - produced, config.messages - produced);
    if (room <= 0) {
      ++waits;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      if (!query.isActive())
        return query.exception();
      continue;
    }
    for (int64_t i = 0; i < std::min<int64_t>(room, 10'000); ++i, ++produced) {
      SLUICE_RETURN_IF_ERROR(producer->Produce(WallMicros() / 1000));
    }
  }
  SLUICE_RETURN_IF_ERROR(producer->Flush());
  while (listener->rows.load() - rows_before < config.messages) {
    if (!query.isActive()) {
      Status failed = query.exception();
      return failed.ok() ? Status::Internal("the query stopped early") : failed;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const double elapsed = NowSeconds() - t0;
  const CpuTimes c1 = ReadCpu(config.broker_pid);
  query.stop();
  SLUICE_RETURN_IF_ERROR(query.exception());
  std::printf("concurrent maxOffsetsPerTrigger=%s: messages=%" PRId64 " batches=%" PRId64
              " max_lag=%" PRId64 " producer_waits=%" PRId64 "\n",
              label.c_str(), config.messages, listener->batches.load() - batches_before, max_lag,
              waits);
  std::printf("  sustained (producer + query on the same cores): %.0f msgs/s (%.2f s) %s\n",
              static_cast<double>(config.messages) / elapsed, elapsed, CpuDelta(c0, c1).c_str());
  std::fflush(stdout);
  return VerifyTable(spark, table, config.messages);
}

double Percentile(std::vector<double>& values, double p) {
  if (values.empty())
    return 0;
  size_t index = static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                   values.end());
  return values[index];
}

/// Reads the Kafka timestamps (µs) of the rows commit `version` added.
Status CommitTimestamps(const std::string& table, int64_t version, std::vector<int64_t>* out,
                        int64_t* files) {
  LocalFileSystem& fs = LocalFileSystem::Default();
  const std::string name = delta::CommitFileName(version);
  SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(table + "/_delta_log/" + name));
  SLUICE_ASSIGN_OR_RETURN(std::vector<delta::Action> actions, delta::ParseActions(text, name));
  for (const delta::Action& action : actions) {
    const auto* add = std::get_if<delta::AddFile>(&action);
    if (add == nullptr)
      continue;
    ++*files;
    parquet::ParquetReadOptions options;
    options.columns = {"kafka_ts"};
    SLUICE_ASSIGN_OR_RETURN(auto reader,
                            parquet::ParquetReader::Open(table + "/" + add->path, options));
    SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> batches, reader->ReadAll());
    for (const BatchPtr& batch : batches) {
      const Vector& column = *batch->column(0);
      for (int64_t row = 0; row < batch->num_rows(); ++row) {
        if (!column.IsNull(row))
          out->push_back(column.Value<int64_t>(row));
      }
    }
  }
  return Status::Ok();
}

/// Mode latency: a paced producer, a processingTime query, a poller of the Delta log.
Status RunLatency(Session& spark, const Config& config, kafka::Client& client) {
  const std::string root = fmt::format("{}/latency", config.dir);
  LocalFileSystem& fs = LocalFileSystem::Default();
  SLUICE_RETURN_IF_ERROR(fs.DeleteRecursively(root));
  const std::string table = root + "/table";
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<OrderProducer> producer, OrderProducer::Make(config));
  SLUICE_ASSIGN_OR_RETURN(std::vector<kafka::Watermarks> first, Marks(client, config));
  SLUICE_ASSIGN_OR_RETURN(StreamingQuery query,
                          OrdersStream(spark, config, StartingOffsets(config, first), {})
                              .writeStream()
                              .format("delta")
                              .option("checkpointLocation", root + "/checkpoint")
                              .queryName("kafka_bench_latency")
                              .trigger(Trigger::ProcessingTime(config.trigger_ms))
                              .start(table));
  // The producer starts once the query runs (its first trigger found no data): a query
  // still starting when the records arrive could fall more than the broker's ~1 s of
  // retention behind at this rate.
  for (int i = 0; i < 500 && query.isActive() && !query.status().message.starts_with("Waiting");
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // The producer thread: `rate` messages per second, in steps of 0.5 ms.
  std::atomic<bool> stop{false};
  std::atomic<int64_t> produced{0};
  Status producer_status;
  const double t0 = NowSeconds();
  std::thread producer_thread([&] {
    int64_t sent = 0;
    while (!stop.load()) {
      const int64_t due =
          static_cast<int64_t>((NowSeconds() - t0) * static_cast<double>(config.rate));
      const int64_t now_ms = WallMicros() / 1000;
      for (; sent < due; ++sent) {
        Status status = producer->Produce(now_ms);
        if (!status.ok()) {
          producer_status = status;
          return;
        }
      }
      produced.store(sent);
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    producer_status = producer->Flush();
  });
  const int64_t measure_from_us = WallMicros() + static_cast<int64_t>(config.warmup * 1e6);
  const int64_t measure_until_us = measure_from_us + static_cast<int64_t>(config.seconds * 1e6);
  const double end = t0 + config.warmup + config.seconds;
  std::vector<double> latencies_ms;
  int64_t version = 0;
  int64_t versions_measured = 0;
  int64_t files = 0;
  int64_t rows_seen = 0;
  Status status;
  const CpuTimes c0 = ReadCpu(config.broker_pid);
  while (status.ok() && NowSeconds() < end + 2) {
    if (NowSeconds() >= end)
      stop.store(true);
    auto exists = fs.Exists(table + "/_delta_log/" + delta::CommitFileName(version));
    if (!exists.ok()) {
      status = exists.status();
      break;
    }
    if (!*exists) {
      if (!query.isActive()) {
        status = query.exception();
        if (status.ok())
          status = Status::Internal("the query stopped");
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    const int64_t seen_us = WallMicros();
    std::vector<int64_t> stamps;
    status = CommitTimestamps(table, version, &stamps, &files);
    rows_seen += static_cast<int64_t>(stamps.size());
    bool counted = false;
    for (int64_t stamp : stamps) {
      if (stamp >= measure_from_us && stamp < measure_until_us) {
        latencies_ms.push_back(static_cast<double>(seen_us - stamp) / 1000.0);
        counted = true;
      }
    }
    versions_measured += counted ? 1 : 0;
    ++version;
  }
  stop.store(true);
  producer_thread.join();
  const CpuTimes c1 = ReadCpu(config.broker_pid);
  query.stop();
  SLUICE_RETURN_IF_ERROR(status);
  SLUICE_RETURN_IF_ERROR(producer_status);
  SLUICE_RETURN_IF_ERROR(query.exception());
  int64_t committed = 0;
  for (const StreamingQueryProgress& progress : query.recentProgress())
    committed += progress.num_input_rows;
  (void)committed;
  const double mean_rows = versions_measured > 0 ? static_cast<double>(latencies_ms.size()) /
                                                       static_cast<double>(versions_measured)
                                                 : 0;
  std::printf("latency rate=%" PRId64
              " msgs/s trigger=%d ms: measured_rows=%zu over %.0f s "
              "(after %.0f s warm-up) commits=%" PRId64 " rows_per_commit=%.0f files=%" PRId64
              " produced=%" PRId64 "\n",
              config.rate, config.trigger_ms, latencies_ms.size(), config.seconds, config.warmup,
              versions_measured, mean_rows, files, produced.load());
  double max =
      latencies_ms.empty() ? 0 : *std::max_element(latencies_ms.begin(), latencies_ms.end());
  std::printf(
      "  produce -> visible in a Delta commit (ms): p50=%.1f p90=%.1f p99=%.1f max=%.1f %s\n",
      Percentile(latencies_ms, 0.5), Percentile(latencies_ms, 0.9), Percentile(latencies_ms, 0.99),
      max, CpuDelta(c0, c1).c_str());
  std::fflush(stdout);
  return VerifyTable(spark, table, rows_seen);
}

Status Run(Config config) {
  std::unique_ptr<kafka::MockCluster> cluster;
  if (config.bootstrap.empty()) {
    SLUICE_ASSIGN_OR_RETURN(cluster, kafka::MockCluster::Start(1));
    SLUICE_RETURN_IF_ERROR(cluster->CreateTopic(config.topic, config.partitions));
    config.bootstrap = cluster->bootstrap_servers();
    std::printf("broker: in-process kafka::MockCluster at %s (shares this process's CPU)\n",
                config.bootstrap.c_str());
  } else {
    std::printf("broker: %s (pid %d)\n", config.bootstrap.c_str(), config.broker_pid);
  }
  // The ceilings read with the same librdkafka properties as the query's source.
  kafka::Properties properties = {{"bootstrap.servers", config.bootstrap}};
  for (const std::string& option : config.source_options) {
    const size_t equals = option.find('=');
    if (option.starts_with("kafka.") && equals != std::string::npos)
      properties.emplace_back(option.substr(6, equals - 6), option.substr(equals + 1));
  }
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<kafka::Client> client, kafka::Client::Make(properties));
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<kafka::RawConsumer> raw,
                          kafka::RawConsumer::Make(properties));
  SLUICE_ASSIGN_OR_RETURN(auto topics, client->ListTopics());
  if (!topics.contains(config.topic) || topics[config.topic] != config.partitions) {
    return Status::InvalidArgument(
        fmt::format("topic '{}' must exist with {} partitions (sluice kafka serve --topic {}:{})",
                    config.topic, config.partitions, config.topic, config.partitions));
  }
  SLUICE_ASSIGN_OR_RETURN(Session spark, Session::builder()
                                             .warehouse(config.dir + "/warehouse")
                                             .config("spark.sql.session.timeZone", "UTC")
                                             .getOrCreate());
  auto listener = std::make_shared<CommittedRows>();
  spark.streams().addListener(listener);
  if (config.mode == "latency")
    return RunLatency(spark, config, *client);
  std::vector<std::optional<int64_t>> limits;
  for (int64_t limit : config.max_offsets)
    limits.push_back(limit > 0 ? std::optional<int64_t>(limit) : std::nullopt);
  for (const std::optional<int64_t>& limit : limits) {
    if (config.mode == "rounds") {
      SLUICE_RETURN_IF_ERROR(RunRounds(spark, config, limit, *client, *raw));
    } else {
      SLUICE_RETURN_IF_ERROR(RunConcurrent(spark, config, limit, *client, listener));
    }
  }
  return Status::Ok();
}

}  // namespace
}  // namespace sluice::bench

int main(int argc, char** argv) {
  CLI::App app{"W2: Kafka -> JSON -> Delta throughput and latency against the librdkafka ceiling"};
  sluice::bench::Config config;
  config.dir = fmt::format("/tmp/sluice_kafka_bench_{}", static_cast<long>(getpid()));
  app.add_option("--mode", config.mode, "rounds, concurrent or latency")
      ->check(CLI::IsMember({"rounds", "concurrent", "latency"}));
  app.add_option("--bootstrap", config.bootstrap,
                 "broker (sluice kafka serve); default: an in-process mock cluster");
  app.add_option("--broker-pid", config.broker_pid, "the broker's pid, for its CPU time");
  app.add_option("--topic", config.topic, "topic (must exist with --partitions partitions)");
  app.add_option("--partitions", config.partitions, "partitions of the topic");
  app.add_option("--messages", config.messages, "messages per case (rounds, concurrent)");
  app.add_option("--max-offsets", config.max_offsets,
                 "maxOffsetsPerTrigger, one case per value (0: no limit)")
      ->delimiter(',');
  app.add_option("--partition-mb", config.partition_mb,
                 "MB per partition per round (rounds) or of lag (concurrent)");
  app.add_option("--rate", config.rate, "latency: messages per second");
  app.add_option("--trigger-ms", config.trigger_ms, "latency: processingTime trigger");
  app.add_option("--seconds", config.seconds, "latency: measured seconds");
  app.add_option("--warmup", config.warmup, "latency: seconds before measuring");
  app.add_option("--dir", config.dir, "scratch directory (removed at the end)");
  app.add_option("--seed", config.seed, "generator seed");
  app.add_option("--source-option", config.source_options,
                 "an extra Kafka source option key=value (repeatable)");
  app.add_flag("--verbose", config.verbose, "print each batch's progress (rounds)");
  CLI11_PARSE(app, argc, argv);
  const std::string dir = config.dir;
  sluice::Status status = sluice::bench::Run(config);
  (void)sluice::LocalFileSystem::Default().DeleteRecursively(dir);
  if (!status.ok()) {
    std::fprintf(stderr, "kafka_bench: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
