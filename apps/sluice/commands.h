// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace sluice::cli {

/// What `sluice cat` and `sluice infer-schema` read and how.
struct FileRequest {
  std::string path;
  std::string format;      // "json", "csv", "parquet", or "" to choose by the extension
  std::string schema_ddl;  // "" to infer
  std::string mode;        // "" for the reader's default (PERMISSIVE)
  std::vector<std::pair<std::string, std::string>> options;  // Spark reader options
};

/// How `sluice cat` prints.
struct OutputRequest {
  int64_t limit = 20;
  int truncate = 20;
  std::string output = "table";  // table, json, csv
};

/// Prints the rows of a file, Spark show()-style or as JSON/CSV lines.
Status RunCat(const FileRequest& request, const OutputRequest& output);
/// Prints the DDL of the inferred schema (and the printSchema() tree when `tree`).
Status RunInferSchema(const FileRequest& request, bool tree);
/// Prints a Parquet file's schema: the Parquet message type and the sluice DDL.
Status RunParquetSchema(const std::string& path);
/// Prints a Parquet file's footer: writer, key-value metadata, schema, and per row
/// group every column chunk's type, codec, encodings, sizes and statistics.
Status RunParquetMeta(const std::string& path);
/// Infers the schema of the embedded sample orders, prints it and the rows.
Status RunDemo(int64_t limit);

}  // namespace sluice::cli
