// SPDX-License-Identifier: Apache-2.0
// The seed's Kafka job written against sluice's public API, line by line as in PySpark:
//
//   df = (spark.readStream.format("kafka")
//           .option("kafka.bootstrap.servers", servers)
//           .option("subscribe", "orders_topic")
//           .option("startingOffsets", "latest")
//           .load())
//   lines = df.selectExpr("CAST(value AS STRING)")
//   orders = lines.select(from_json(col("value"), schema).alias("order")).select("order.*")
//   q = (orders.writeStream.format("delta")
//          .option("checkpointLocation", checkpoint)
//          .trigger(processingTime="1 second")      # or availableNow=True
//          .start(table))
//   q.awaitTermination()
//
// Usage: kafka_to_delta <bootstrap.servers> <topic> <table> <checkpoint> [options]
//   --startingOffsets earliest|latest|<json>   where a new query starts (default latest)
//   --maxOffsetsPerTrigger N                   at most N records per micro-batch
//   --availableNow                             process what is there, then stop
//   --processingTime "<interval>"              a micro-batch every interval (default
//                                              "1 second"); runs until killed
//   --warehouse DIR                            the session's warehouse (default: the
//                                              directory "warehouse" beside the table)
// Each micro-batch prints one progress line; with --availableNow the end prints the rows
// read and the table's row count.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "sluice/sluice.h"

namespace {

using sluice::Status;
using sluice::Trigger;
using namespace sluice::functions;  // NOLINT(build/namespaces)

// The order events of `sluice gen orders`.
constexpr const char* kOrderSchema =
    "order_id BIGINT, customer_id STRING, region STRING, status STRING, amount DECIMAL(12,2), "
    "currency STRING, items ARRAY<STRUCT<sku: STRING, qty: INT, unit_price: DECIMAL(12,2)>>, "
    "order_time TIMESTAMP";

struct Args {
  std::string servers;
  std::string topic;
  std::string table;
  std::string checkpoint;
  std::string starting_offsets = "latest";
  std::string max_offsets_per_trigger;
  bool available_now = false;
  std::string processing_time = "1 second";
  std::string warehouse;
};

/// Prints one line per micro-batch, so a caller can follow the query.
class ProgressPrinter : public sluice::StreamingQueryListener {
 public:
  void OnQueryProgress(const sluice::StreamingQueryProgress& progress) override {
    std::printf("batch %lld: %lld rows in %lld ms\n", static_cast<long long>(progress.batch_id),
                static_cast<long long>(progress.num_input_rows),
                static_cast<long long>(progress.batch_duration_ms));
    std::fflush(stdout);
  }
};

Status Run(const Args& args) {
  SLUICE_ASSIGN_OR_RETURN(sluice::Session spark, sluice::Session::builder()
                                                     .appName("kafka_to_delta")
                                                     .warehouse(args.warehouse)
                                                     .config("spark.sql.session.timeZone", "UTC")
                                                     .getOrCreate());
  spark.streams().addListener(std::make_shared<ProgressPrinter>());

  sluice::DataStreamReader reader = spark.readStream();
  reader.format("kafka")
      .option("kafka.bootstrap.servers", args.servers)
      .option("subscribe", args.topic)
      .option("startingOffsets", args.starting_offsets);
  if (!args.max_offsets_per_trigger.empty()) {
    reader.option("maxOffsetsPerTrigger", args.max_offsets_per_trigger);
  }
  sluice::DataFrame df = reader.load();
  sluice::DataFrame lines = df.selectExpr({"CAST(value AS STRING)"});
  sluice::DataFrame orders =
      lines.select(from_json(col("value"), kOrderSchema).alias("order")).select("order.*");

  sluice::DataStreamWriter writer = orders.writeStream();
  writer.format("delta")
      .option("checkpointLocation", args.checkpoint)
      .trigger(args.available_now ? Trigger::AvailableNow()
                                  : Trigger::ProcessingTime(args.processing_time));
  SLUICE_ASSIGN_OR_RETURN(sluice::StreamingQuery query, writer.start(args.table));
  std::printf("query %s started: %s -> %s\n", query.id().c_str(), args.topic.c_str(),
              args.table.c_str());
  std::fflush(stdout);
  SLUICE_ASSIGN_OR_RETURN(bool ended, query.awaitTermination());
  (void)ended;

  int64_t input_rows = 0;
  for (const sluice::StreamingQueryProgress& p : query.recentProgress()) {
    input_rows += p.num_input_rows;
  }
  std::printf("read %lld records\n", static_cast<long long>(input_rows));
  if (!std::filesystem::exists(std::filesystem::path(args.table) / "_delta_log")) {
    std::printf("no table yet at %s (no micro-batch had data)\n", args.table.c_str());
    return Status::Ok();
  }
  sluice::DataFrame table = spark.read().format("delta").load(args.table);
  SLUICE_ASSIGN_OR_RETURN(int64_t rows, table.count());
  std::printf("the table holds %lld orders\n", static_cast<long long>(rows));
  return table.groupBy("region").count().orderBy("region").show();
}

bool ParseArgs(int argc, char** argv, Args* args) {
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--availableNow") {
      args->available_now = true;
    } else if (arg == "--startingOffsets" && has_value) {
      args->starting_offsets = argv[++i];
    } else if (arg == "--maxOffsetsPerTrigger" && has_value) {
      args->max_offsets_per_trigger = argv[++i];
    } else if (arg == "--processingTime" && has_value) {
      args->processing_time = argv[++i];
    } else if (arg == "--warehouse" && has_value) {
      args->warehouse = argv[++i];
    } else if (arg.starts_with("--")) {
      return false;
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() != 4) {
    return false;
  }
  args->servers = positional[0];
  args->topic = positional[1];
  args->table = positional[2];
  args->checkpoint = positional[3];
  if (args->warehouse.empty()) {
    args->warehouse = (std::filesystem::path(args->table).parent_path() / "warehouse").string();
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, &args)) {
    std::fprintf(stderr,
                 "usage: %s <bootstrap.servers> <topic> <table> <checkpoint> "
                 "[--startingOffsets earliest|latest|<json>] [--maxOffsetsPerTrigger N] "
                 "[--availableNow | --processingTime \"<interval>\"] [--warehouse DIR]\n",
                 argv[0]);
    return 2;
  }
  const Status status = Run(args);
  if (!status.ok()) {
    std::fprintf(stderr, "Error: %s\n", status.message().c_str());
    return 1;
  }
  return 0;
}
