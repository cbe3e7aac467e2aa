// SPDX-License-Identifier: Apache-2.0
// spark.read and createDataFrame.
#include <fmt/format.h>

#include <algorithm>

#include "api/api_internal.h"
#include "common/ascii.h"
#include "common/file_system.h"
#include "formats/csv/csv_options.h"
#include "formats/csv/csv_reader.h"
#include "formats/json/json_decoder.h"
#include "formats/json/json_options.h"
#include "sluice/session.h"
#include "types/ddl.h"

namespace sluice {

DataFrame Session::createDataFrame(SchemaPtr schema, std::vector<BatchPtr> batches) const {
  Result<std::shared_ptr<const api_internal::TempRelation>> registered = state_->RegisterRows(
      state_, state_->NewName("__rows_"), std::move(schema), std::move(batches));
  if (!registered.ok()) {
    return api_internal::ErrorFrame(state_, registered.status());
  }
  std::shared_ptr<const api_internal::TempRelation> relation = std::move(registered).value();
  auto state = std::make_shared<api_internal::DataFrameState>();
  state->session = state_;
  state->sql = fmt::format("SELECT * FROM {}", QuoteIdentifier(relation->name()));
  state->holds.push_back(std::move(relation));
  return DataFrame(std::move(state));
}

DataFrameReader& DataFrameReader::format(std::string_view format) {
  format_ = ToLowerAscii(format);
  return *this;
}

DataFrameReader& DataFrameReader::option(std::string_view key, std::string_view value) {
  options_.emplace_back(std::string(key), std::string(value));
  return *this;
}

DataFrameReader& DataFrameReader::options(const std::map<std::string, std::string>& options) {
  for (const auto& [key, value] : options) {
    option(key, value);
  }
  return *this;
}

DataFrameReader& DataFrameReader::schema(std::string_view ddl) {
  schema_ = std::string(ddl);
  return *this;
}

namespace {

/// The data files of `path`: the file itself, or the directory's files (recursively),
/// skipping hidden ones ("_" or "." prefixed), in name order.
Result<std::vector<std::string>> DataFiles(const std::string& path) {
  FileSystem& fs = LocalFileSystem::Default();
  Result<std::vector<FileInfo>> listed = fs.ListDirectory(path);
  if (!listed.ok()) {
    SLUICE_ASSIGN_OR_RETURN(bool exists, fs.Exists(path));
    if (!exists) {
      return Status::NotFound(fmt::format("[PATH_NOT_FOUND] Path does not exist: file:{}.", path));
    }
    return std::vector<std::string>{path};
  }
  std::vector<std::string> files;
  SLUICE_RETURN_IF_ERROR(ListDataFiles(fs, path, &files));
  std::sort(files.begin(), files.end());
  return files;
}

/// Reads JSON or CSV files into memory with the reader's options and schema.
Result<std::pair<SchemaPtr, std::vector<BatchPtr>>> ReadFiles(const std::string& format,
                                                              const std::string& path,
                                                              const OptionList& options,
                                                              SchemaPtr schema) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> files, DataFiles(path));
  FileSystem& fs = LocalFileSystem::Default();
  std::string text;
  for (const std::string& file : files) {
    SLUICE_ASSIGN_OR_RETURN(std::string content, fs.ReadFile(file));
    text += content;
    if (!text.empty() && text.back() != '\n') {
      text += '\n';
    }
  }
  std::vector<BatchPtr> batches;
  if (format == "json") {
    SLUICE_ASSIGN_OR_RETURN(json::JsonReadOptions json_options,
                            json::JsonReadOptions::FromOptions(options));
    SLUICE_ASSIGN_OR_RETURN(batches, json::ReadJson(text, schema, json_options));
  } else {
    // CSV files each may start with a header: read them one by one.
    SLUICE_ASSIGN_OR_RETURN(csv::CsvReadOptions csv_options,
                            csv::CsvReadOptions::FromOptions(options));
    for (const std::string& file : files) {
      SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> read,
                              csv::ReadCsvFile(file, schema, csv_options));
      if (schema == nullptr && !read.empty()) {
        schema = read.front()->schema();
      }
      batches.insert(batches.end(), read.begin(), read.end());
    }
  }
  if (schema == nullptr && !batches.empty()) {
    schema = batches.front()->schema();
  }
  if (schema == nullptr) {
    return Status::BindError(
        fmt::format("[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for {}. It must be specified "
                    "manually.",
                    ToUpperAscii(format)));
  }
  return std::make_pair(std::move(schema), std::move(batches));
}

}  // namespace

DataFrame DataFrameReader::load(std::string_view path_view) {
  const std::string path(path_view);
  if (format_ == "delta") {
    std::string text = fmt::format("SELECT * FROM delta.{}", QuoteIdentifier(path));
    for (const auto& [key, value] : options_) {
      if (EqualsIgnoreCase(key, "versionAsOf")) {
        text += fmt::format(" VERSION AS OF {}", value);
      } else if (EqualsIgnoreCase(key, "timestampAsOf")) {
        text += fmt::format(" TIMESTAMP AS OF {}", api_internal::QuoteString(value));
      }
    }
    return api_internal::NewFrame(session_, std::move(text));
  }
  if (format_ != "json" && format_ != "csv" && format_ != "parquet") {
    return api_internal::ErrorFrame(
        session_, Status::InvalidArgument(fmt::format(
                      "[DATA_SOURCE_NOT_FOUND] Failed to find the data source: {}.", format_)));
  }
  if (format_ == "parquet" || (schema_.empty() && options_.empty())) {
    // The SQL path reference infers the schema as Spark's defaults do.
    DataFrame df = api_internal::NewFrame(
        session_, fmt::format("SELECT * FROM {}.{}", format_, QuoteIdentifier(path)));
    if (schema_.empty()) {
      return df;
    }
    Result<SchemaPtr> schema = ParseDdlSchema(schema_);
    if (!schema.ok()) {
      return api_internal::ErrorFrame(session_, schema.status());
    }
    std::vector<ColumnOrName> columns;
    for (const Field& field : (*schema)->fields()) {
      columns.emplace_back(sluice::col(field.name).cast(field.type->ToDdl()).alias(field.name));
    }
    return df.select(columns);
  }
  SchemaPtr schema;
  if (!schema_.empty()) {
    Result<SchemaPtr> parsed = ParseDdlSchema(schema_);
    if (!parsed.ok()) {
      return api_internal::ErrorFrame(session_, parsed.status());
    }
    schema = AsNullable(*parsed);
  }
  Result<std::pair<SchemaPtr, std::vector<BatchPtr>>> read =
      ReadFiles(format_, path, options_, schema);
  if (!read.ok()) {
    return api_internal::ErrorFrame(session_, read.status());
  }
  return Session::FromState(session_).createDataFrame(read->first, std::move(read->second));
}

DataFrame DataFrameReader::table(std::string_view name) {
  return Session::FromState(session_).table(name);
}

}  // namespace sluice
