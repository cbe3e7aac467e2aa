// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "common/file_system.h"
#include "common/result.h"
#include "formats/option_map.h"
#include "sql/ast.h"
#include "sql/binder.h"

namespace sluice::sql {

/// A read_files(path, option => value, ...) call with its arguments evaluated, its
/// format chosen and its schema known (Databricks' read_files table-valued function).
struct ReadFilesSpec {
  /// A file or a directory (read recursively, skipping names that start with _ or .).
  std::string path;
  /// "json", "csv", "parquet" or "text": the `format` argument, or else the extension
  /// of the path or of its first data file (.json/.jsonl/.ndjson, .csv, .parquet,
  /// .txt/.text/.log).
  std::string format;
  /// The `schema` argument (a DDL column list), or the schema inferred from the files:
  /// JSON from every file, CSV and Parquet from the first one; text is `value STRING`.
  SchemaPtr schema;
  bool schema_given = false;
  /// The reader options: every argument but path, format, schema and
  /// inferColumnTypes, in Spark's spelling, values as text. inferColumnTypes (default
  /// true, as in read_files) becomes inferSchema for CSV and primitivesAsString for
  /// JSON unless those are given.
  OptionList options;
};

/// True when `call` is a read_files(...) table function reference.
bool IsReadFilesCall(const TableRef& call);

/// Evaluates the arguments of a read_files call (constant expressions, bound with
/// `binder` over no columns), then resolves it as ResolveReadFilesArguments does.
/// Errors name the argument: a missing or null path, a non-constant value, a
/// repeated name, an unknown format, an invalid schema string.
Result<ReadFilesSpec> ResolveReadFiles(const TableRef& call, Binder& binder, FileSystem& fs);

/// Resolves read_files arguments already reduced to text (`named` in call order, names
/// as written): picks the format and reads or infers the schema from the files.
Result<ReadFilesSpec> ResolveReadFilesArguments(std::string path, const OptionList& named,
                                                FileSystem& fs);

/// The data files under `path` in name order (the path itself when it is a file),
/// skipping names that start with _ or . (Spark's hidden files), recursively.
Result<std::vector<std::string>> ListReadFilesPaths(const std::string& path, FileSystem& fs);

/// Reads text files as Spark's text source does: one `value` row per line (lines end at
/// \n, \r\n or \r, or at the `lineSep` option), or one row per file with `wholetext`.
Result<std::vector<BatchPtr>> ReadTextFiles(const ReadFilesSpec& spec, FileSystem& fs);

}  // namespace sluice::sql
