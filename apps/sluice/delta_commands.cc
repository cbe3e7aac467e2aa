// SPDX-License-Identifier: Apache-2.0
// `sluice delta history|detail|files PATH` and `sluice cat TABLE`: what a Delta table
// holds and its rows, at the latest version or by time travel (Spark's DESCRIBE HISTORY,
// DESCRIBE DETAIL, versionAsOf and timestampAsOf).
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "columnar/batch.h"
#include "columnar/builder.h"
#include "columnar/printer.h"
#include "commands.h"
#include "common/file_system.h"
#include "common/json.h"
#include "delta/actions.h"
#include "delta/scan.h"
#include "delta/snapshot.h"
#include "formats/csv/csv_writer.h"
#include "types/datetime.h"

namespace sluice::cli {
namespace {

FileSystem& Fs() {
  return LocalFileSystem::Default();
}

/// The path without trailing slashes (the root stays "/").
std::string TrimSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') {
    path.pop_back();
  }
  return path;
}

/// "yyyy-MM-dd HH:mm:ss.SSS" in UTC.
std::string FormatMillis(int64_t millis) {
  int64_t seconds = millis / 1000;
  int64_t fraction = millis % 1000;
  if (fraction < 0) {
    fraction += 1000;
    --seconds;
  }
  return fmt::format("{}.{:03d}", FormatTimestamp(seconds * 1000000), fraction);
}

Result<int64_t> ParseTimestampMillis(const std::string& text) {
  int64_t micros = 0;
  if (!ParseTimestamp(text, &micros)) {
    return Status::InvalidArgument(
        fmt::format("--timestamp: expected yyyy-MM-dd, yyyy-MM-dd HH:mm:ss[.SSS] or ISO-8601 "
                    "(2024-01-31T10:00:00Z), read as UTC; got '{}'",
                    text));
  }
  // Floor division: a time before 1970 with a fraction still selects the right milli.
  return micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000);
}

Result<delta::SnapshotPtr> LoadSnapshot(const std::string& path, const TableVersion& at) {
  if (at.version.has_value() && !at.timestamp.empty()) {
    return Status::InvalidArgument("--version and --timestamp exclude each other");
  }
  if (!at.timestamp.empty()) {
    SLUICE_ASSIGN_OR_RETURN(int64_t millis, ParseTimestampMillis(at.timestamp));
    return delta::Snapshot::LoadAtTimestamp(path, Fs(), millis);
  }
  return delta::Snapshot::Load(path, Fs(), at.version);
}

/// Rows of named values, printed as a table (each value as text: strings bare, nested
/// values as compact JSON), as CSV, or as one JSON object per row (nested values kept).
struct Records {
  std::vector<std::string> columns;
  std::vector<std::vector<JsonValue>> rows;
};

/// A value as a table cell: strings without quotes, numbers and booleans as written,
/// objects and arrays as compact JSON.
std::string CellText(const JsonValue& value) {
  switch (value.kind()) {
    case JsonValue::Kind::kString:
    case JsonValue::Kind::kNumber:
      return value.text();
    case JsonValue::Kind::kBool:
      return value.bool_value() ? "true" : "false";
    default:
      return value.Serialize();
  }
}

BatchPtr RecordsBatch(const Records& records) {
  std::vector<Field> fields;
  for (const std::string& name : records.columns) {
    fields.push_back(MakeField(name, StringType()));
  }
  BatchBuilder builder(MakeSchema(std::move(fields)));
  for (const auto& row : records.rows) {
    for (size_t i = 0; i < records.columns.size(); ++i) {
      auto* column = static_cast<StringBuilder*>(builder.column(static_cast<int>(i)));
      if (i >= row.size() || row[i].is_null()) {
        column->AppendNull();
      } else {
        column->Append(CellText(row[i]));
      }
    }
  }
  return builder.Finish();
}

/// Prints `records`; `vertical` prints a table one "-RECORD i-" block per row.
Status PrintRecords(const Records& records, const OutputRequest& output, bool vertical) {
  const int64_t shown = std::min<int64_t>(output.limit, static_cast<int64_t>(records.rows.size()));
  if (output.output == "json") {
    std::string text;
    for (int64_t r = 0; r < shown; ++r) {
      std::vector<JsonValue::Member> members;
      for (size_t i = 0; i < records.columns.size(); ++i) {
        members.emplace_back(records.columns[i], records.rows[r][i]);
      }
      JsonValue::Object(std::move(members)).SerializeTo(&text);
      text.push_back('\n');
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
    return Status::Ok();
  }
  BatchPtr batch = RecordsBatch(records);
  if (output.output == "csv") {
    csv::CsvWriteOptions options;
    options.header = true;
    SLUICE_ASSIGN_OR_RETURN(std::string text, csv::WriteCsv(*batch->Slice(0, shown), options));
    std::fwrite(text.data(), 1, text.size(), stdout);
    return Status::Ok();
  }
  if (output.output != "table") {
    return Status::InvalidArgument(
        fmt::format("--output: expected table, json or csv, got '{}'", output.output));
  }
  ShowOptions show;
  show.num_rows = output.limit;
  show.truncate = output.truncate;
  show.vertical = vertical;
  const std::string text = ShowString(*batch, show);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return Status::Ok();
}

/// A member of commitInfo, or null.
JsonValue Member(const JsonValue& object, std::string_view key) {
  const JsonValue* value = object.Find(key);
  return value == nullptr ? JsonValue::Null() : *value;
}

JsonValue OptionalString(const std::optional<std::string>& value) {
  return value.has_value() ? JsonValue::String(*value) : JsonValue::Null();
}

JsonValue StringArray(const std::vector<std::string>& values) {
  std::vector<JsonValue> items;
  for (const std::string& value : values) {
    items.push_back(JsonValue::String(value));
  }
  return JsonValue::Array(std::move(items));
}

/// The table features a protocol supports, by name and sorted, as DESCRIBE DETAIL lists
/// them: the explicit features of reader version 3 / writer version 7, and the features
/// the legacy versions imply (PROTOCOL.md "Table Features" for legacy versions).
std::vector<std::string> TableFeatures(const delta::Protocol& protocol) {
  std::set<std::string> features;
  if (protocol.reader_features.has_value()) {
    features.insert(protocol.reader_features->begin(), protocol.reader_features->end());
  } else if (protocol.min_reader_version >= 2) {
    features.insert("columnMapping");
  }
  if (protocol.writer_features.has_value()) {
    features.insert(protocol.writer_features->begin(), protocol.writer_features->end());
  } else {
    const int writer = protocol.min_writer_version;
    if (writer >= 2) {
      features.insert({"appendOnly", "invariants"});
    }
    if (writer >= 3) {
      features.insert("checkConstraints");
    }
    if (writer >= 4) {
      features.insert({"changeDataFeed", "generatedColumns"});
    }
    if (writer >= 5) {
      features.insert("columnMapping");
    }
    if (writer >= 6) {
      features.insert("identityColumns");
    }
  }
  return {features.begin(), features.end()};
}

/// numRecords of an add's stats, or null.
JsonValue NumRecords(const delta::AddFile& file) {
  if (!file.stats.has_value()) {
    return JsonValue::Null();
  }
  Result<JsonValue> stats = JsonValue::Parse(*file.stats);
  if (!stats.ok() || !stats->is_object()) {
    return JsonValue::Null();
  }
  const JsonValue* records = stats->Find("numRecords");
  return records != nullptr && records->is_number() ? *records : JsonValue::Null();
}

/// The absolute, normalized form of `path` (DESCRIBE DETAIL's location).
std::string AbsolutePath(const std::string& path) {
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(path, error);
  if (error) {
    return path;
  }
  return TrimSlashes(absolute.lexically_normal().string());
}

}  // namespace

Status RunDeltaHistory(const std::string& path, std::optional<int64_t> limit,
                       const OutputRequest& output) {
  if (limit.has_value() && *limit < 0) {
    return Status::InvalidArgument(fmt::format("--limit: expected 0 or more, got {}", *limit));
  }
  SLUICE_ASSIGN_OR_RETURN(auto history, delta::ReadHistory(TrimSlashes(path), Fs(), limit));
  Records records;
  records.columns = {"version",      "timestamp",      "operation",     "operationParameters",
                     "readVersion",  "isolationLevel", "isBlindAppend", "operationMetrics",
                     "userMetadata", "engineInfo"};
  for (const delta::CommitRecord& commit : history) {
    const JsonValue& info = commit.info.value;
    records.rows.push_back({JsonValue::Int(commit.version),
                            JsonValue::String(FormatMillis(commit.timestamp_millis)),
                            Member(info, "operation"), Member(info, "operationParameters"),
                            Member(info, "readVersion"), Member(info, "isolationLevel"),
                            Member(info, "isBlindAppend"), Member(info, "operationMetrics"),
                            Member(info, "userMetadata"), Member(info, "engineInfo")});
  }
  return PrintRecords(records, output, /*vertical=*/false);
}

Status RunDeltaDetail(const std::string& path, const TableVersion& at,
                      const OutputRequest& output) {
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot, LoadSnapshot(TrimSlashes(path), at));
  const delta::Metadata& metadata = snapshot->metadata();
  std::vector<JsonValue::Member> properties;
  for (const auto& [key, value] : metadata.configuration) {
    properties.emplace_back(key, JsonValue::String(value));
  }
  Records records;
  records.columns = {"format",           "id",           "name",         "description",
                     "location",         "createdAt",    "lastModified", "partitionColumns",
                     "numFiles",         "sizeInBytes",  "properties",   "minReaderVersion",
                     "minWriterVersion", "tableFeatures"};
  records.rows.push_back(
      {JsonValue::String("delta"), JsonValue::String(metadata.id), OptionalString(metadata.name),
       OptionalString(metadata.description), JsonValue::String(AbsolutePath(path)),
       metadata.created_time.has_value() ? JsonValue::String(FormatMillis(*metadata.created_time))
                                         : JsonValue::Null(),
       JsonValue::String(FormatMillis(snapshot->timestamp_millis())),
       StringArray(metadata.partition_columns),
       JsonValue::Int(static_cast<int64_t>(snapshot->files().size())),
       JsonValue::Int(snapshot->size_in_bytes()), JsonValue::Object(std::move(properties)),
       JsonValue::Int(snapshot->protocol().min_reader_version),
       JsonValue::Int(snapshot->protocol().min_writer_version),
       StringArray(TableFeatures(snapshot->protocol()))});
  return PrintRecords(records, output, /*vertical=*/true);
}

Status RunDeltaFiles(const std::string& path, const TableVersion& at, const OutputRequest& output) {
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot, LoadSnapshot(TrimSlashes(path), at));
  Records records;
  records.columns = {"path",       "partitionValues", "size", "modificationTime",
                     "numRecords", "dvCardinality"};
  int64_t total_records = 0;
  bool records_known = true;
  for (const delta::AddFile& file : snapshot->files()) {
    std::vector<JsonValue::Member> partition_values;
    for (const auto& [column, value] : file.partition_values) {
      partition_values.emplace_back(
          column, value.has_value() ? JsonValue::String(*value) : JsonValue::Null());
    }
    JsonValue num_records = NumRecords(file);
    Result<int64_t> count = num_records.AsInt64();
    if (num_records.is_number() && count.ok()) {
      total_records += *count;
    } else {
      records_known = false;
    }
    JsonValue deleted = JsonValue::Null();
    if (file.deletion_vector.has_value()) {
      deleted = JsonValue::Int(file.deletion_vector->cardinality);
      total_records -= file.deletion_vector->cardinality;
    }
    records.rows.push_back(
        {JsonValue::String(file.path), JsonValue::Object(std::move(partition_values)),
         JsonValue::Int(file.size), JsonValue::String(FormatMillis(file.modification_time)),
         std::move(num_records), std::move(deleted)});
  }
  SLUICE_RETURN_IF_ERROR(PrintRecords(records, output, /*vertical=*/false));
  if (output.output == "table") {
    const size_t count = snapshot->files().size();
    std::string summary = fmt::format("version {}: {} live file{}, {} bytes", snapshot->version(),
                                      count, count == 1 ? "" : "s", snapshot->size_in_bytes());
    if (records_known) {
      summary += fmt::format(", {} rows (per stats)", total_records);
    }
    std::printf("%s\n", summary.c_str());
  }
  return Status::Ok();
}

Status RunDeltaCat(const std::string& path, const TableVersion& at, const OutputRequest& output) {
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot, LoadSnapshot(TrimSlashes(path), at));
  SLUICE_ASSIGN_OR_RETURN(auto scan, delta::Scan::Make(snapshot, delta::ScanOptions{}, Fs()));
  // Read only as many rows as are printed, plus one so the table can say rows were left
  // out.
  const int64_t wanted = output.limit == INT64_MAX ? INT64_MAX : output.limit + 1;
  std::vector<BatchPtr> batches;
  int64_t rows = 0;
  bool enough = rows >= wanted;
  for (size_t i = 0; i < scan->files().size() && !enough; ++i) {
    Status status = scan->ReadFile(i, [&](BatchPtr batch) {
      rows += batch->num_rows();
      batches.push_back(std::move(batch));
      if (rows >= wanted) {
        enough = true;
        return Status::Cancelled("enough rows read");
      }
      return Status::Ok();
    });
    if (!status.ok() && !enough) {
      return status;
    }
  }
  return PrintBatches(scan->schema(), batches, output);
}

Status CheckDeltaPath(const FileRequest& request, bool* is_delta) {
  *is_delta = false;
  const std::string path = TrimSlashes(request.path);
  Result<FileInfo> info = Fs().GetFileInfo(path);
  const bool is_directory = info.ok() && info->is_directory;
  if (is_directory) {
    SLUICE_ASSIGN_OR_RETURN(bool delta, delta::IsDeltaTable(path, Fs()));
    if (!delta) {
      return Status::NotFound(fmt::format(
          "'{}' is a directory but not a Delta table: it has no _delta_log directory", path));
    }
    if (!request.format.empty() || !request.schema_ddl.empty() || !request.mode.empty() ||
        !request.options.empty()) {
      return Status::InvalidArgument(
          "--format, --schema, --option and --mode apply to JSON, CSV and Parquet files; a "
          "Delta table carries its schema");
    }
    *is_delta = true;
    return Status::Ok();
  }
  if (request.at.version.has_value() || !request.at.timestamp.empty()) {
    return Status::InvalidArgument(fmt::format(
        "--version and --timestamp read a Delta table: '{}' is not a Delta table (a directory "
        "with a _delta_log)",
        path));
  }
  return Status::Ok();
}

}  // namespace sluice::cli
