// SPDX-License-Identifier: Apache-2.0
// read_files(...) as a batch table function: a file scan (json, csv, parquet) or, for
// text, the files' lines read while binding.
#include <fmt/format.h>

#include "common/ascii.h"
#include "formats/parquet/reader.h"
#include "sql/binder_impl.h"
#include "sql/read_files.h"

namespace sluice::sql {

using internal::BoundRelation;

namespace {

ScanFormat ScanFormatOf(const std::string& format) {
  return format == "json"  ? ScanFormat::kJson
         : format == "csv" ? ScanFormat::kCsv
                           : ScanFormat::kParquet;
}

/// A scan of some file columns, to be cast to `types` and renamed to `names`.
struct CastScan {
  PlanPtr scan;
  std::vector<TypePtr> types;
  std::vector<std::string> names;
};

/// Parquet with a `schema` argument: the named file columns, cast to the given types.
Result<CastScan> ScanParquetWithSchema(const ReadFilesSpec& spec, const TableRef& table,
                                       FileSystem& fs) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> files, ListReadFilesPaths(spec.path, fs));
  if (files.empty()) {
    return Status::BindError(fmt::format(
        "[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for Parquet: no data files at {}.{}",
        spec.path, internal::PositionSuffix(table.position)));
  }
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<parquet::ParquetReader> reader,
                          parquet::ParquetReader::Open(files.front()));
  const SchemaPtr file_schema = AsNullable(reader->schema());
  std::vector<Field> scanned;
  std::vector<std::string> columns;
  std::vector<TypePtr> types;
  std::vector<std::string> names;
  for (const Field& field : spec.schema->fields()) {
    const Field* found = nullptr;
    for (const Field& candidate : file_schema->fields()) {
      if (EqualsIgnoreCase(candidate.name, field.name)) {
        found = &candidate;
        break;
      }
    }
    if (found == nullptr) {
      return Status::BindError(fmt::format(
          "[INVALID_SCHEMA] The `read_files` argument `schema` names column {}, which the "
          "Parquet files at {} do not have.{}",
          internal::QuoteIdentifier(field.name), spec.path,
          internal::PositionSuffix(table.position)));
    }
    scanned.push_back(*found);
    columns.push_back(found->name);
    types.push_back(field.type);
    names.push_back(field.name);
  }
  auto scan = std::make_shared<ScanNode>(MakeSchema(std::move(scanned)), ScanFormat::kParquet,
                                         fmt::format("parquet.`{}`", spec.path));
  scan->path = spec.path;
  scan->options = spec.options;
  scan->source_schema = file_schema;
  scan->columns = std::move(columns);
  return CastScan{scan, std::move(types), std::move(names)};
}

}  // namespace

Result<BoundRelation> Binder::Impl::BindReadFiles(const TableRef& table) {
  SLUICE_ASSIGN_OR_RETURN(const ReadFilesSpec spec, ResolveReadFiles(table, binder, *fs));
  BoundRelation relation;
  if (spec.format == "text") {
    SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> batches, ReadTextFiles(spec, *fs));
    relation.plan = std::make_shared<ValuesNode>(spec.schema, std::move(batches));
    relation.scope = internal::MakeScope(*spec.schema, {});
    return relation;
  }
  if (spec.format == "parquet" && spec.schema_given) {
    SLUICE_ASSIGN_OR_RETURN(CastScan cast, ScanParquetWithSchema(spec, table, *fs));
    relation.plan = CastPlan(cast.scan, cast.types, &cast.names);
    relation.scope = internal::MakeScope(*relation.plan->schema(), {});
    return relation;
  }
  auto scan = std::make_shared<ScanNode>(spec.schema, ScanFormatOf(spec.format),
                                         fmt::format("{}.`{}`", spec.format, spec.path));
  scan->path = spec.path;
  scan->options = spec.options;
  scan->source_schema = spec.schema;
  for (const Field& field : spec.schema->fields()) {
    scan->columns.push_back(field.name);
  }
  relation.plan = scan;
  relation.scope = internal::MakeScope(*spec.schema, {});
  return relation;
}

}  // namespace sluice::sql
