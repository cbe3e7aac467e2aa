// SPDX-License-Identifier: Apache-2.0
#include "commands.h"

#include <fmt/format.h>

#include <cstdio>
#include <string_view>

#include "columnar/printer.h"
#include "common/file_system.h"
#include "engine/session.h"
#include "formats/csv/csv_infer.h"
#include "formats/csv/csv_options.h"
#include "formats/csv/csv_reader.h"
#include "formats/csv/csv_writer.h"
#include "formats/json/json_decoder.h"
#include "formats/json/json_infer.h"
#include "formats/json/json_options.h"
#include "formats/json/json_writer.h"
#include "formats/parquet/reader.h"
#include "types/ddl.h"

namespace sluice {
extern const std::string_view kDemoOrdersNdjson;
extern const std::string_view kDemoPipelineSql;
}  // namespace sluice

namespace sluice::cli {
namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

Result<std::string> ResolveFormat(const FileRequest& request) {
  if (!request.format.empty()) {
    if (request.format != "json" && request.format != "csv" && request.format != "parquet") {
      return Status::InvalidArgument(
          fmt::format("--format: expected json, csv or parquet, got '{}'", request.format));
    }
    return request.format;
  }
  for (std::string_view ext : {".json", ".ndjson", ".jsonl"}) {
    if (EndsWith(request.path, ext)) {
      return std::string("json");
    }
  }
  for (std::string_view ext : {".csv", ".tsv", ".txt"}) {
    if (EndsWith(request.path, ext)) {
      return std::string("csv");
    }
  }
  for (std::string_view ext : {".parquet", ".PARQUET", ".parq"}) {
    if (EndsWith(request.path, ext)) {
      return std::string("parquet");
    }
  }
  return Status::InvalidArgument(
      fmt::format("cannot tell the format of '{}' from its name: pass --format json|csv|parquet",
                  request.path));
}

/// The reader options: the request's --option pairs, then --mode (tab-separated files get
/// sep=\t unless given).
std::vector<std::pair<std::string, std::string>> ReaderOptions(const FileRequest& request) {
  std::vector<std::pair<std::string, std::string>> options;
  if (EndsWith(request.path, ".tsv")) {
    options.emplace_back("sep", "\t");
  }
  options.insert(options.end(), request.options.begin(), request.options.end());
  if (!request.mode.empty()) {
    options.emplace_back("mode", request.mode);
  }
  return options;
}

/// Rows read from a file, with the schema they were read with.
struct Table {
  SchemaPtr schema;
  std::vector<BatchPtr> batches;
};

Result<Table> ReadTable(const FileRequest& request, std::string_view data) {
  SLUICE_ASSIGN_OR_RETURN(std::string format, ResolveFormat(request));
  const auto options = ReaderOptions(request);
  SchemaPtr schema;
  if (!request.schema_ddl.empty()) {
    SLUICE_ASSIGN_OR_RETURN(schema, ParseDdlSchema(request.schema_ddl));
  }
  Table table;
  if (format == "json") {
    SLUICE_ASSIGN_OR_RETURN(json::JsonReadOptions json_options,
                            json::JsonReadOptions::FromOptions(options));
    if (schema == nullptr) {
      SLUICE_ASSIGN_OR_RETURN(schema, json::InferJsonSchema(data, json_options));
    }
    SLUICE_ASSIGN_OR_RETURN(table.batches, json::ReadJson(data, schema, json_options));
  } else {
    SLUICE_ASSIGN_OR_RETURN(csv::CsvReadOptions csv_options,
                            csv::CsvReadOptions::FromOptions(options));
    if (schema == nullptr) {
      SLUICE_ASSIGN_OR_RETURN(schema, csv::InferCsvSchema(data, csv_options));
    }
    SLUICE_ASSIGN_OR_RETURN(table.batches, csv::ReadCsv(data, schema, csv_options));
  }
  // Readers read files nullable throughout, as Spark does: show the schema they used.
  table.schema = table.batches.empty() ? std::move(schema) : table.batches.front()->schema();
  return table;
}

/// Writes all of `text` to stdout, NUL bytes included.
void Print(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
}

Result<std::string> ReadInput(const std::string& path) {
  return LocalFileSystem::Default().ReadFile(path);
}

Status PrintRows(const Table& table, const OutputRequest& output) {
  if (output.output == "table") {
    ShowOptions show;
    show.num_rows = output.limit;
    show.truncate = output.truncate;
    Print(ShowAll(table.batches, table.schema, show));
    return Status::Ok();
  }
  if (output.output != "json" && output.output != "csv") {
    return Status::InvalidArgument(
        fmt::format("--output: expected table, json or csv, got '{}'", output.output));
  }
  std::vector<BatchPtr> rows;
  int64_t remaining = output.limit;
  for (const BatchPtr& batch : table.batches) {
    if (remaining <= 0) {
      break;
    }
    rows.push_back(batch->num_rows() > remaining ? batch->Slice(0, remaining) : batch);
    remaining -= rows.back()->num_rows();
  }
  if (output.output == "json") {
    for (const BatchPtr& batch : rows) {
      Print(json::WriteJson(*batch));
    }
    return Status::Ok();
  }
  csv::CsvWriteOptions options;
  options.header = true;
  SLUICE_ASSIGN_OR_RETURN(std::string text, csv::WriteCsv(rows, *table.schema, options));
  Print(text);
  return Status::Ok();
}

/// Reads a Parquet file: its own schema, every row group.
Result<Table> ReadParquetTable(const FileRequest& request) {
  if (!request.schema_ddl.empty() || !request.options.empty() || !request.mode.empty()) {
    return Status::InvalidArgument(
        "--schema, --option and --mode apply to JSON and CSV; a Parquet file carries its "
        "schema");
  }
  SLUICE_ASSIGN_OR_RETURN(auto reader, parquet::ParquetReader::Open(request.path));
  Table table;
  table.schema = reader->schema();
  SLUICE_ASSIGN_OR_RETURN(table.batches, reader->ReadAll());
  return table;
}

}  // namespace

Status PrintBatches(const SchemaPtr& schema, const std::vector<BatchPtr>& batches,
                    const OutputRequest& output) {
  return PrintRows(Table{schema, batches}, output);
}

Status RunCat(const FileRequest& request, const OutputRequest& output) {
  bool is_delta = false;
  SLUICE_RETURN_IF_ERROR(CheckDeltaPath(request, &is_delta));
  if (is_delta) {
    return RunDeltaCat(request.path, request.at, output);
  }
  SLUICE_ASSIGN_OR_RETURN(std::string format, ResolveFormat(request));
  if (format == "parquet") {
    SLUICE_ASSIGN_OR_RETURN(Table table, ReadParquetTable(request));
    return PrintRows(table, output);
  }
  SLUICE_ASSIGN_OR_RETURN(std::string data, ReadInput(request.path));
  SLUICE_ASSIGN_OR_RETURN(Table table, ReadTable(request, data));
  return PrintRows(table, output);
}

Status RunInferSchema(const FileRequest& request, bool tree) {
  FileRequest infer = request;
  infer.schema_ddl.clear();
  SLUICE_ASSIGN_OR_RETURN(std::string format, ResolveFormat(infer));
  if (format == "parquet") {
    SLUICE_ASSIGN_OR_RETURN(auto reader, parquet::ParquetReader::Open(request.path));
    std::printf("%s\n", reader->schema()->ToDdl().c_str());
    if (tree) {
      Print(reader->schema()->ToTreeString());
    }
    return Status::Ok();
  }
  SLUICE_ASSIGN_OR_RETURN(std::string data, ReadInput(request.path));
  const auto options = ReaderOptions(infer);
  SchemaPtr schema;
  if (format == "json") {
    SLUICE_ASSIGN_OR_RETURN(json::JsonReadOptions json_options,
                            json::JsonReadOptions::FromOptions(options));
    SLUICE_ASSIGN_OR_RETURN(schema, json::InferJsonSchema(data, json_options));
  } else {
    SLUICE_ASSIGN_OR_RETURN(csv::CsvReadOptions csv_options,
                            csv::CsvReadOptions::FromOptions(options));
    csv_options.infer_schema = true;
    SLUICE_ASSIGN_OR_RETURN(schema, csv::InferCsvSchema(data, csv_options));
  }
  std::printf("%s\n", schema->ToDdl().c_str());
  if (tree) {
    Print(schema->ToTreeString());
  }
  return Status::Ok();
}

namespace {

/// Writes the embedded orders into `dir` as three files of eight events, as the
/// example's examples/data/orders_stream holds them.
Status WriteDemoInput(const std::string& dir, FileSystem& fs) {
  SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(dir));
  std::string_view rest = kDemoOrdersNdjson;
  for (int part = 0; !rest.empty(); ++part) {
    size_t end = 0;
    for (int line = 0; line < 8 && end < rest.size(); ++line) {
      size_t newline = rest.find('\n', end);
      end = newline == std::string_view::npos ? rest.size() : newline + 1;
    }
    SLUICE_RETURN_IF_ERROR(fs.WriteFileAtomic(fmt::format("{}/orders-part-{:02}.json", dir, part),
                                              rest.substr(0, end)));
    rest.remove_prefix(end);
  }
  return Status::Ok();
}

}  // namespace

Status PrintQuery(engine::Session& session, const std::string& sql, int64_t limit) {
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult result, session.Execute(sql));
  SLUICE_ASSIGN_OR_RETURN(result, session.InSessionTimeZone(std::move(result)));
  std::printf("sluice> %s\n", sql.c_str());
  OutputRequest output;
  output.limit = limit;
  return PrintRows(Table{result.schema, result.batches}, output);
}

Status RunDemo(const std::string& dir, int64_t limit) {
  FileSystem& fs = LocalFileSystem::Default();
  SLUICE_RETURN_IF_ERROR(fs.DeleteRecursively(dir));
  const std::string input = dir + "/orders_stream";
  SLUICE_RETURN_IF_ERROR(WriteDemoInput(input, fs));
  // The example pipeline (embedded), reading the demo's copy of the input.
  std::string pipeline(kDemoPipelineSql);
  const std::string example_input = "'examples/data/orders_stream'";
  size_t at = pipeline.find(example_input);
  if (at == std::string::npos) {
    return Status::Internal("the embedded pipeline does not read examples/data/orders_stream");
  }
  pipeline.replace(at, example_input.size(), "'" + input + "'");
  engine::SessionOptions options;
  options.warehouse_dir = dir + "/warehouse";
  options.settings["spark.sql.session.timeZone"] = "UTC";
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Session> session, engine::Session::Open(options));
  std::printf(
      "sluice demo: examples/pipelines/files_to_delta.sql (embedded) over 24 order events in "
      "three JSON files (%s), as `sluice run --available-now` runs it\n\n",
      input.c_str());
  SLUICE_ASSIGN_OR_RETURN(auto queries,
                          session->StartPipeline(pipeline, stream::Trigger::AvailableNow()));
  for (const auto& query : queries) {
    for (const stream::StreamingQueryProgress& progress : query->recent_progress()) {
      if (progress.num_input_rows > 0) {
        std::printf("%s batch %lld: %lld rows in, %lld rows out, %lld ms\n", progress.name.c_str(),
                    static_cast<long long>(progress.batch_id),
                    static_cast<long long>(progress.num_input_rows),
                    static_cast<long long>(progress.sink.num_output_rows),
                    static_cast<long long>(progress.batch_duration_ms));
      }
    }
  }
  std::printf("\n");
  SLUICE_RETURN_IF_ERROR(PrintQuery(
      *session, "SELECT order_id, status, order_ts, total, shipping.country FROM orders_bronze",
      limit));
  SLUICE_RETURN_IF_ERROR(PrintQuery(*session,
                                    "SELECT country, count(*) AS orders, sum(total) AS revenue "
                                    "FROM orders_by_country GROUP BY country ORDER BY orders DESC",
                                    limit));
  std::printf(
      "\nThe tables are Delta tables under %s/warehouse. Next:\n"
      "  sluice sql --warehouse %s/warehouse\n"
      "  sluice run examples/pipelines/files_to_delta.sql   (keeps running; drop files into "
      "examples/data/orders_stream)\n",
      dir.c_str(), dir.c_str());
  return Status::Ok();
}

}  // namespace sluice::cli
