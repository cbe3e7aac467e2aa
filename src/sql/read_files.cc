// SPDX-License-Identifier: Apache-2.0
// read_files(path, format => .., schema => .., <reader option> => ..): argument
// evaluation, format detection and schema inference.
#include "sql/read_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "columnar/builder.h"
#include "common/ascii.h"
#include "formats/csv/csv_infer.h"
#include "formats/csv/csv_options.h"
#include "formats/json/json_infer.h"
#include "formats/json/json_options.h"
#include "formats/parquet/reader.h"
#include "sql/binder_internal.h"
#include "types/ddl.h"

namespace sluice::sql {
namespace {

constexpr std::string_view kFunction = "read_files";

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         EqualsIgnoreCase(text.substr(text.size() - suffix.size()), suffix);
}

/// The format a file name's extension names, or "" when it names none.
std::string FormatOfExtension(std::string_view file) {
  for (std::string_view ext : {".json", ".jsonl", ".ndjson"}) {
    if (EndsWith(file, ext)) {
      return "json";
    }
  }
  if (EndsWith(file, ".csv")) {
    return "csv";
  }
  if (EndsWith(file, ".parquet")) {
    return "parquet";
  }
  for (std::string_view ext : {".txt", ".text", ".log"}) {
    if (EndsWith(file, ext)) {
      return "text";
    }
  }
  return std::string();
}

bool IsKnownFormat(std::string_view format) {
  return format == "json" || format == "csv" || format == "parquet" || format == "text";
}

bool HasOption(const OptionList& options, std::string_view key) {
  return std::any_of(options.begin(), options.end(),
                     [&](const auto& option) { return EqualsIgnoreCase(option.first, key); });
}

Status BadArgument(std::string_view error_class, std::string_view argument, std::string_view what) {
  return Status::BindError(fmt::format("[{}] The function `{}` argument `{}`: {}", error_class,
                                       kFunction, argument, what));
}

Result<SchemaPtr> InferSchema(const ReadFilesSpec& spec, const std::vector<std::string>& files,
                              FileSystem& fs) {
  if (spec.format == "text") {
    return MakeSchema({MakeField("value", StringType())});
  }
  if (files.empty()) {
    return Status::BindError(
        fmt::format("[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for {}. It must be specified "
                    "manually (`schema` argument of `{}`): no data files at {}.",
                    ToUpperAscii(spec.format), kFunction, spec.path));
  }
  if (spec.format == "parquet") {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<parquet::ParquetReader> reader,
                            parquet::ParquetReader::Open(files.front()));
    return AsNullable(reader->schema());
  }
  if (spec.format == "json") {
    SLUICE_ASSIGN_OR_RETURN(json::JsonReadOptions options,
                            json::JsonReadOptions::FromOptions(spec.options));
    std::string text;
    for (const std::string& file : files) {
      SLUICE_ASSIGN_OR_RETURN(std::string contents, fs.ReadFile(file));
      text += contents;
      if (!text.empty() && text.back() != '\n') {
        text += '\n';
      }
    }
    return json::InferJsonSchema(text, options);
  }
  SLUICE_ASSIGN_OR_RETURN(csv::CsvReadOptions options,
                          csv::CsvReadOptions::FromOptions(spec.options));
  SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(files.front()));
  return csv::InferCsvSchema(text, options);
}

}  // namespace

bool IsReadFilesCall(const TableRef& call) {
  return call.kind == TableRefKind::kFunction && !call.name.empty() &&
         EqualsIgnoreCase(call.name.back(), kFunction);
}

Result<std::vector<std::string>> ListReadFilesPaths(const std::string& path, FileSystem& fs) {
  SLUICE_ASSIGN_OR_RETURN(FileInfo info, fs.GetFileInfo(path));
  std::vector<std::string> files;
  if (!info.is_directory) {
    files.push_back(path);
    return files;
  }
  SLUICE_RETURN_IF_ERROR(ListDataFiles(fs, path, &files));
  return files;
}

Result<ReadFilesSpec> ResolveReadFilesArguments(std::string path, const OptionList& named,
                                                FileSystem& fs) {
  ReadFilesSpec spec;
  spec.path = std::move(path);
  bool infer_types = true;
  std::string schema_text;
  for (const auto& [name, value] : named) {
    if (EqualsIgnoreCase(name, "format")) {
      spec.format = ToLowerAscii(value);
      if (!IsKnownFormat(spec.format)) {
        return Status::BindError(fmt::format(
            "[DATA_SOURCE_NOT_FOUND] Failed to find the data source: {}. The `{}` argument "
            "`format` must be one of json, csv, parquet, text.",
            value, kFunction));
      }
    } else if (EqualsIgnoreCase(name, "schema")) {
      schema_text = value;
      spec.schema_given = true;
    } else if (EqualsIgnoreCase(name, "inferColumnTypes")) {
      if (!EqualsIgnoreCase(value, "true") && !EqualsIgnoreCase(value, "false")) {
        return BadArgument("INVALID_PARAMETER_VALUE.BOOLEAN", "inferColumnTypes",
                           fmt::format("expected true or false, got '{}'.", value));
      }
      infer_types = EqualsIgnoreCase(value, "true");
    } else {
      spec.options.emplace_back(name, value);
    }
  }
  std::vector<std::string> files;
  Result<std::vector<std::string>> listed = ListReadFilesPaths(spec.path, fs);
  if (listed.ok()) {
    files = std::move(listed).value();
  } else if (listed.status().code() == StatusCode::kNotFound || !spec.schema_given) {
    return Status::BindError(fmt::format(
        "[PATH_NOT_FOUND] Path does not exist: {}. (`{}` argument `path`)", spec.path, kFunction));
  }
  if (spec.format.empty()) {
    spec.format = FormatOfExtension(files.empty() ? spec.path : files.front());
    if (spec.format.empty()) {
      return BadArgument("UNABLE_TO_INFER_SCHEMA", "format",
                         fmt::format("cannot tell the file format of {} from its extension; "
                                     "set format => 'json', 'csv', 'parquet' or 'text'.",
                                     files.empty() ? spec.path : files.front()));
    }
  }
  if (spec.format == "csv" && !HasOption(spec.options, "inferSchema")) {
    spec.options.emplace_back("inferSchema", infer_types ? "true" : "false");
  }
  if (spec.format == "json" && !infer_types && !HasOption(spec.options, "primitivesAsString")) {
    spec.options.emplace_back("primitivesAsString", "true");
  }
  if (spec.schema_given) {
    Result<SchemaPtr> schema = ParseDdlSchema(schema_text);
    if (!schema.ok()) {
      return Status::BindError(fmt::format(
          "[INVALID_SCHEMA.PARSE_ERROR] The input schema \"{}\" is not a valid schema string. "
          "Cannot parse the schema (`{}` argument `schema`): {}",
          schema_text, kFunction, schema.status().message()));
    }
    spec.schema = AsNullable(*schema);
    if (spec.format == "text" &&
        (spec.schema->num_fields() != 1 || spec.schema->field(0).type->id() != TypeId::kString)) {
      return BadArgument("INVALID_SCHEMA", "schema", "the text format reads one STRING column.");
    }
    return spec;
  }
  SLUICE_ASSIGN_OR_RETURN(spec.schema, InferSchema(spec, files, fs));
  return spec;
}

Result<ReadFilesSpec> ResolveReadFiles(const TableRef& call, Binder& binder, FileSystem& fs) {
  const std::string at = internal::PositionSuffix(call.position);
  auto evaluate = [&](const ParsedExpr& parsed, std::string_view name) -> Result<std::string> {
    return internal::ConstantStringArgument(binder, parsed, kFunction, name, at);
  };
  if (call.function_args.size() > 1) {
    return Status::BindError(fmt::format(
        "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `{}` requires [1] parameters but the actual "
        "number is {}. Options are named arguments: option => value.{}",
        kFunction, call.function_args.size(), at));
  }
  std::optional<std::string> path;
  if (!call.function_args.empty()) {
    SLUICE_ASSIGN_OR_RETURN(path, evaluate(*call.function_args[0], "path"));
  }
  OptionList named;
  for (const auto& [name, value] : call.named_args) {
    const bool is_path = EqualsIgnoreCase(name, "path");
    const bool repeated = (is_path && path.has_value()) ||
                          std::any_of(named.begin(), named.end(), [&](const auto& seen) {
                            return EqualsIgnoreCase(seen.first, name);
                          });
    if (repeated) {
      return Status::BindError(fmt::format(
          "[DUPLICATE_ROUTINE_PARAMETER_ASSIGNMENT.DOUBLE_NAMED_ARGUMENT_REFERENCE] Call to "
          "routine `{}` is invalid because it includes multiple argument assignments to the "
          "same parameter name `{}`.{}",
          kFunction, name, at));
    }
    SLUICE_ASSIGN_OR_RETURN(std::string text, evaluate(*value, name));
    if (is_path) {
      path = std::move(text);
    } else {
      named.emplace_back(name, std::move(text));
    }
  }
  if (!path.has_value()) {
    return Status::BindError(fmt::format(
        "[REQUIRED_PARAMETER_NOT_FOUND] Cannot invoke routine `{}` because the parameter named "
        "`path` is required, but the routine call did not supply a value. Please update the "
        "routine call to supply an argument value (either positionally at index 0 or by name) "
        "and retry the query again.{}",
        kFunction, at));
  }
  Result<ReadFilesSpec> spec = ResolveReadFilesArguments(std::move(*path), named, fs);
  if (!spec.ok() && spec.status().code() == StatusCode::kBindError) {
    return Status::BindError(spec.status().message() + at);
  }
  return spec;
}

Result<std::vector<BatchPtr>> ReadTextFiles(const ReadFilesSpec& spec, FileSystem& fs) {
  OptionMap options(spec.options, "Text");
  bool whole_text = false;
  SLUICE_RETURN_IF_ERROR(options.GetBool("wholetext", &whole_text));
  std::optional<std::string> line_sep;
  options.GetString("lineSep", &line_sep);
  if (line_sep.has_value() && line_sep->empty()) {
    return options.Invalid("lineSep", "should not be an empty string");
  }
  SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> files, ListReadFilesPaths(spec.path, fs));
  std::vector<BatchPtr> batches;
  StringBuilder builder(StringType());
  auto flush = [&] {
    const int64_t rows = builder.length();
    batches.push_back(
        std::make_shared<Batch>(spec.schema, std::vector<VectorPtr>{builder.Finish()}, rows));
  };
  auto append = [&](std::string_view line) {
    builder.Append(line);
    if (builder.length() == kDefaultBatchRows) {
      flush();
    }
  };
  for (const std::string& file : files) {
    SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(file));
    if (whole_text) {
      append(text);
      continue;
    }
    std::string_view rest = text;
    while (!rest.empty()) {
      size_t end;
      size_t skip;
      if (line_sep.has_value()) {
        end = rest.find(*line_sep);
        skip = line_sep->size();
      } else {
        end = rest.find_first_of("\r\n");
        skip = end != std::string_view::npos && rest[end] == '\r' && end + 1 < rest.size() &&
                       rest[end + 1] == '\n'
                   ? 2
                   : 1;
      }
      if (end == std::string_view::npos) {
        append(rest);
        break;
      }
      append(rest.substr(0, end));
      rest.remove_prefix(end + skip);
    }
  }
  if (builder.length() > 0 || batches.empty()) {
    flush();
  }
  return batches;
}

}  // namespace sluice::sql
