// SPDX-License-Identifier: Apache-2.0
// The sluice command line. CLI11 is used here only; its exceptions stay in this file.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "demo_command.h"
#include "run_command.h"
#include "sql_command.h"

namespace {

/// Splits each "key=value" of --option into a pair; returns false on a missing '='.
bool SplitOptions(const std::vector<std::string>& raw,
                  std::vector<std::pair<std::string, std::string>>* options, std::string* bad) {
  for (const std::string& item : raw) {
    const size_t equals = item.find('=');
    if (equals == std::string::npos || equals == 0) {
      *bad = item;
      return false;
    }
    options->emplace_back(item.substr(0, equals), item.substr(equals + 1));
  }
  return true;
}

void AddFileOptions(CLI::App* command, sluice::cli::FileRequest* request,
                    std::vector<std::string>* raw_options) {
  command->add_option("file", request->path, "NDJSON, CSV or Parquet file (cat: or Delta table)")
      ->required();
  command->add_option("--format", request->format, "json, csv or parquet (default: by extension)")
      ->check(CLI::IsMember({"json", "csv", "parquet"}));
  command->add_option("--option,-o", *raw_options,
                      "reader option key=value, Spark's names (header=true, sep=;, ...)");
}

/// --version N and --timestamp TS (time travel on a Delta table), exclusive.
void AddTimeTravelOptions(CLI::App* command, sluice::cli::TableVersion* at) {
  CLI::Option* version =
      command->add_option("--version", at->version, "Delta table: read version N (versionAsOf)");
  command
      ->add_option("--timestamp", at->timestamp,
                   "Delta table: read the version current at this UTC time (timestampAsOf): "
                   "yyyy-MM-dd, yyyy-MM-dd HH:mm:ss[.SSS] or ISO-8601")
      ->excludes(version);
}

int Report(const sluice::Status& status) {
  if (status.ok()) {
    return 0;
  }
  std::fprintf(stderr, "sluice: %s\n", status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sluice: a single-binary streaming lakehouse engine"};
  app.require_subcommand(1);

  sluice::cli::FileRequest request;
  sluice::cli::OutputRequest output;
  std::vector<std::string> raw_options;
  bool tree = false;
  bool no_truncate = false;

  CLI::App* cat = app.add_subcommand(
      "cat", "print the rows of a JSON, CSV or Parquet file, or of a Delta table directory");
  AddFileOptions(cat, &request, &raw_options);
  cat->add_option("--schema", request.schema_ddl,
                  "DDL schema, e.g. \"id BIGINT, tags MAP<STRING, STRING>\" (default: infer)");
  cat->add_option("--mode", request.mode, "PERMISSIVE (default), DROPMALFORMED or FAILFAST")
      ->transform(CLI::IsMember({"PERMISSIVE", "DROPMALFORMED", "FAILFAST"}, CLI::ignore_case));
  cat->add_option("--limit,-n", output.limit, "rows to print (default 20; -1 for all)");
  cat->add_option("--truncate", output.truncate, "cut cells longer than this (default 20)");
  cat->add_flag("--no-truncate", no_truncate, "print whole cells (show(n, truncate=false))");
  cat->add_option("--output", output.output, "table (default), json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  AddTimeTravelOptions(cat, &request.at);

  CLI::App* infer = app.add_subcommand("infer-schema", "print the inferred schema as DDL");
  AddFileOptions(infer, &request, &raw_options);
  infer->add_flag("--tree", tree, "also print Spark's printSchema() tree");

  int64_t demo_rows = 20;
  bool demo_files = false;
  sluice::cli::KafkaDemoRequest demo_request;
  CLI::App* demo = app.add_subcommand(
      "demo",
      "the main job on an embedded broker: Kafka orders -> Delta (orders, orders_quarantine), "
      "counts by region every few seconds until Ctrl-C");
  demo->add_option("--warehouse", demo_request.warehouse,
                   "where the tables go (default ./sluice-warehouse, sluice sql's default)");
  demo->add_option("--dir", demo_request.dir,
                   "where the broker's and generator's logs go (replaced); with --files, the "
                   "input and warehouse");
  demo->add_option("--rate", demo_request.rate, "order events a second (default 200)");
  demo->add_option("--refresh", demo_request.refresh_seconds, "seconds between reports (3)");
  demo->add_option("--duration", demo_request.duration_seconds,
                   "stop after this many seconds (default: at Ctrl-C)");
  demo->add_flag("--files", demo_files,
                 "instead: the files -> Delta -> Delta pipeline over the embedded order files");
  demo->add_option("--limit,-n", demo_rows, "rows to print (--files)");

  CLI::App* parquet = app.add_subcommand("parquet", "inspect a Parquet file");
  parquet->require_subcommand(1);
  std::string parquet_path;
  CLI::App* parquet_schema = parquet->add_subcommand("schema", "print the file's schema");
  parquet_schema->add_option("file", parquet_path, "Parquet file")->required();
  CLI::App* parquet_meta = parquet->add_subcommand(
      "meta", "print the footer: row groups, columns, encodings, codecs, statistics");
  parquet_meta->add_option("file", parquet_path, "Parquet file")->required();

  // `sluice delta ...`: whole cells and every row unless asked otherwise.
  sluice::cli::OutputRequest delta_output;
  delta_output.limit = -1;
  delta_output.truncate = 0;
  std::string delta_path;
  std::optional<int64_t> history_limit;
  sluice::cli::TableVersion delta_at;
  CLI::App* delta = app.add_subcommand("delta", "inspect a Delta table");
  delta->require_subcommand(1);
  CLI::App* delta_history =
      delta->add_subcommand("history", "the table's commits, newest first (DESCRIBE HISTORY)");
  delta_history->add_option("--limit,-n", history_limit, "the newest N commits (default all)");
  CLI::App* delta_detail = delta->add_subcommand(
      "detail", "the table's id, location, size, properties and protocol (DESCRIBE DETAIL)");
  AddTimeTravelOptions(delta_detail, &delta_at);
  CLI::App* delta_files = delta->add_subcommand(
      "files", "the live data files: path, partition values, size, records, deleted rows");
  AddTimeTravelOptions(delta_files, &delta_at);
  for (CLI::App* command : {delta_history, delta_detail, delta_files}) {
    command->add_option("table", delta_path, "Delta table directory")->required();
    command->add_option("--output", delta_output.output, "table (default), json or csv")
        ->check(CLI::IsMember({"table", "json", "csv"}));
    command->add_option("--truncate", delta_output.truncate,
                        "cut cells longer than this (default: whole cells)");
  }

  sluice::cli::SqlRequest sql_request;
  std::vector<std::string> raw_conf;
  CLI::App* sql = app.add_subcommand(
      "sql", "run SQL: -e statements, -f file, standard input, or an interactive shell");
  sql->add_option("--warehouse", sql_request.warehouse,
                  "where the catalog and managed tables live (default ./sluice-warehouse)");
  sql->add_option("--conf", raw_conf, "a setting key=value (SET key=value), repeatable");
  CLI::Option* sql_execute =
      sql->add_option("-e,--execute", sql_request.execute, "the statements to run");
  sql->add_option("-f,--file", sql_request.file, "a file of statements to run")
      ->excludes(sql_execute);
  sql->add_option("--output", sql_request.output, "table (default), csv or json")
      ->check(CLI::IsMember({"table", "json", "csv"}));

  sluice::cli::RunRequest run_request;
  std::vector<std::string> run_conf;
  CLI::App* run = app.add_subcommand(
      "run", "run a pipeline file: its streaming tables keep running until Ctrl-C / SIGTERM");
  run->add_option("file", run_request.file, "the pipeline (.sql with CREATE STREAMING TABLE)")
      ->required();
  run->add_option("--warehouse", run_request.warehouse,
                  "where the catalog and tables live (default ./sluice-warehouse)");
  run->add_option("--conf", run_conf, "a setting key=value, repeatable");
  CLI::Option* available_now =
      run->add_flag("--available-now", run_request.available_now,
                    "process everything available now (Trigger.AvailableNow), then exit");
  run->add_option("--trigger-interval", run_request.trigger_interval,
                  "processingTime between micro-batches, e.g. '2 seconds'")
      ->excludes(available_now);

  sluice::cli::KafkaServeRequest serve_request;
  CLI::App* kafka = app.add_subcommand("kafka", "an embedded Kafka-protocol broker");
  kafka->require_subcommand(1);
  CLI::App* kafka_serve = kafka->add_subcommand(
      "serve", "run a broker (librdkafka's mock cluster) until Ctrl-C / SIGTERM");
  kafka_serve
      ->add_option("--port", serve_request.port,
                   "a fixed bootstrap port on 127.0.0.1, forwarded to the first broker")
      ->check(CLI::Range(0, 65535));
  kafka_serve->add_option("--brokers", serve_request.brokers, "number of brokers (default 1)")
      ->check(CLI::Range(1, 64));
  kafka_serve->add_option("--topic", serve_request.topics,
                          "create a topic: name:partitions, repeatable");
  kafka_serve->add_option("--ready-file", serve_request.ready_file,
                          "write the bootstrap servers to this file once ready");

  sluice::cli::GenOrdersRequest gen_request;
  CLI::App* gen = app.add_subcommand("gen", "generate test data");
  gen->require_subcommand(1);
  CLI::App* gen_orders = gen->add_subcommand(
      "orders", "realistic order events as JSON to a Kafka topic and/or NDJSON files");
  gen_orders->add_option("--bootstrap", gen_request.bootstrap, "Kafka bootstrap servers");
  gen_orders->add_option("--topic", gen_request.topic, "topic (default orders)");
  gen_orders->add_option("--rate", gen_request.rate, "events per second, 0: as fast as possible");
  gen_orders->add_option("--duration", gen_request.duration_s, "stop after S seconds");
  gen_orders->add_option("--count", gen_request.count, "stop after N events");
  gen_orders->add_option("--late", gen_request.late_pct, "percent of orders minutes late");
  gen_orders->add_option("--duplicates", gen_request.duplicate_pct,
                         "percent of events re-sending an earlier order");
  gen_orders->add_option("--malformed", gen_request.malformed_pct,
                         "percent of broken records (truncated, wrong type, not JSON)");
  gen_orders->add_option("--seed", gen_request.seed, "the same seed gives the same events");
  gen_orders->add_option("--start-time", gen_request.start_time,
                         "first event's time, ISO-8601 UTC (default now)");
  gen_orders->add_option("--files", gen_request.files_dir, "also write NDJSON files here");
  gen_orders->add_option("--file-events", gen_request.file_events, "events per file at most")
      ->check(CLI::PositiveNumber);
  gen_orders
      ->add_option("--partitions", gen_request.partitions,
                   "send to partition order_id % N (default: by key hash)")
      ->check(CLI::NonNegativeNumber);

  app.add_subcommand("version", "print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }

  std::string bad;
  if (!SplitOptions(raw_options, &request.options, &bad)) {
    std::fprintf(stderr, "sluice: --option expects key=value, got '%s'\n", bad.c_str());
    return 2;
  }
  if (!SplitOptions(raw_conf, &sql_request.settings, &bad)) {
    std::fprintf(stderr, "sluice: --conf expects key=value, got '%s'\n", bad.c_str());
    return 2;
  }
  if (!SplitOptions(run_conf, &run_request.settings, &bad)) {
    std::fprintf(stderr, "sluice: --conf expects key=value, got '%s'\n", bad.c_str());
    return 2;
  }
  if (no_truncate) {
    output.truncate = 0;
  }
  if (output.limit < 0) {
    output.limit = INT64_MAX;
  }
  if (delta_output.limit < 0) {
    delta_output.limit = INT64_MAX;
  }
  if (cat->parsed()) {
    return Report(sluice::cli::RunCat(request, output));
  }
  if (infer->parsed()) {
    return Report(sluice::cli::RunInferSchema(request, tree));
  }
  if (parquet_schema->parsed()) {
    return Report(sluice::cli::RunParquetSchema(parquet_path));
  }
  if (parquet_meta->parsed()) {
    return Report(sluice::cli::RunParquetMeta(parquet_path));
  }
  if (delta_history->parsed()) {
    return Report(sluice::cli::RunDeltaHistory(delta_path, history_limit, delta_output));
  }
  if (delta_detail->parsed()) {
    return Report(sluice::cli::RunDeltaDetail(delta_path, delta_at, delta_output));
  }
  if (delta_files->parsed()) {
    return Report(sluice::cli::RunDeltaFiles(delta_path, delta_at, delta_output));
  }
  if (sql->parsed()) {
    return sluice::cli::RunSql(sql_request);
  }
  if (run->parsed()) {
    return sluice::cli::RunPipeline(run_request);
  }
  if (kafka_serve->parsed()) {
    return sluice::cli::RunKafkaServe(serve_request);
  }
  if (gen_orders->parsed()) {
    return sluice::cli::RunGenOrders(gen_request);
  }
  if (demo->parsed()) {
    if (demo_files) {
      return Report(sluice::cli::RunDemo(demo_request.dir, demo_rows));
    }
    return Report(sluice::cli::RunKafkaDemo(demo_request));
  }
  std::printf("sluice 0.1.0\n");
  return 0;
}
