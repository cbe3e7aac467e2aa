// SPDX-License-Identifier: Apache-2.0
#include "exec/scan.h"

#include <algorithm>
#include <utility>

#include "common/ascii.h"
#include "delta/scan.h"
#include "exec/basic_ops.h"
#include "formats/csv/csv_options.h"
#include "formats/csv/csv_reader.h"
#include "formats/json/json_decoder.h"
#include "formats/json/json_options.h"
#include "formats/parquet/reader.h"

namespace sluice::exec {
namespace {

using parquet::CompareOp;
using parquet::PredicatePtr;

std::optional<parquet::Literal> ToLiteral(const expr::Expression& e) {
  if (e.kind() != expr::ExprKind::kLiteral || e.literal_is_null()) {
    return std::nullopt;
  }
  const Vector& v = *e.literal();
  parquet::Literal literal{v.type(), {}};
  switch (v.type_id()) {
    case TypeId::kBoolean:
      literal.value = v.BoolValue(0);
      break;
    case TypeId::kByte:
      literal.value = int64_t{v.Value<int8_t>(0)};
      break;
    case TypeId::kShort:
      literal.value = int64_t{v.Value<int16_t>(0)};
      break;
    case TypeId::kInt:
    case TypeId::kDate:
      literal.value = int64_t{v.Value<int32_t>(0)};
      break;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      literal.value = v.Value<int64_t>(0);
      break;
    case TypeId::kFloat:
      literal.value = double{v.Value<float>(0)};
      break;
    case TypeId::kDouble:
      literal.value = v.Value<double>(0);
      break;
    case TypeId::kDecimal:
      literal.value = v.DecimalValue(0);
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      literal.value = std::string(v.StringValue(0));
      break;
    default:
      return std::nullopt;
  }
  return literal;
}

std::optional<CompareOp> ToCompareOp(std::string_view name) {
  if (name == "=" || name == "==")
    return CompareOp::kEq;
  if (name == "!=" || name == "<>")
    return CompareOp::kNotEq;
  if (name == "<")
    return CompareOp::kLt;
  if (name == "<=")
    return CompareOp::kLtEq;
  if (name == ">")
    return CompareOp::kGt;
  if (name == ">=")
    return CompareOp::kGtEq;
  return std::nullopt;
}

CompareOp Flip(CompareOp op) {
  switch (op) {
    case CompareOp::kLt:
      return CompareOp::kGt;
    case CompareOp::kLtEq:
      return CompareOp::kGtEq;
    case CompareOp::kGt:
      return CompareOp::kLt;
    case CompareOp::kGtEq:
      return CompareOp::kLtEq;
    default:
      return op;
  }
}

/// True for a cast that keeps every value exactly (the skipping predicate compares
/// numbers by value across types, so the cast can be looked through).
bool IsExactWidening(const DataType& from, const DataType& to) {
  auto small_integral = [](TypeId id) {
    return id == TypeId::kByte || id == TypeId::kShort || id == TypeId::kInt;
  };
  if (small_integral(from.id())) {
    return to.id() == TypeId::kShort || to.id() == TypeId::kInt || to.id() == TypeId::kLong ||
           to.id() == TypeId::kDouble;
  }
  return (from.id() == TypeId::kLong && to.id() == TypeId::kLong) ||
         (from.id() == TypeId::kFloat && to.id() == TypeId::kDouble);
}

/// The predicate column of a column reference (possibly under an exact widening cast);
/// nullopt for anything else or a name the dotted-path syntax would misread.
std::optional<std::string> ColumnName(const expr::Expression& e,
                                      const std::vector<std::string>& columns) {
  if (e.kind() == expr::ExprKind::kCast && !e.try_cast() &&
      IsExactWidening(*e.child(0)->type(), *e.type())) {
    return ColumnName(*e.child(0), columns);
  }
  if (e.kind() != expr::ExprKind::kColumn || e.column_index() < 0 ||
      e.column_index() >= static_cast<int>(columns.size())) {
    return std::nullopt;
  }
  const std::string& name = columns[e.column_index()];
  if (name.find('.') != std::string::npos) {
    return std::nullopt;
  }
  return name;
}

PredicatePtr ConvertCall(const expr::Expression& e, const std::vector<std::string>& columns) {
  const std::string name = ToLowerAscii(e.function().name);
  const auto& args = e.children();
  if ((name == "isnull" || name == "isnotnull") && args.size() == 1) {
    auto column = ColumnName(*args[0], columns);
    if (!column)
      return nullptr;
    return name == "isnull" ? parquet::IsNull(*column) : parquet::IsNotNull(*column);
  }
  if (name == "in" && args.size() >= 2) {
    auto column = ColumnName(*args[0], columns);
    if (!column)
      return nullptr;
    std::vector<parquet::Literal> values;
    for (size_t i = 1; i < args.size(); ++i) {
      if (args[i]->kind() == expr::ExprKind::kLiteral && args[i]->literal_is_null()) {
        continue;  // a null entry never matches
      }
      auto literal = ToLiteral(*args[i]);
      if (!literal)
        return nullptr;
      values.push_back(std::move(*literal));
    }
    return parquet::In(*column, std::move(values));
  }
  auto op = ToCompareOp(name);
  if (!op || args.size() != 2)
    return nullptr;
  if (auto column = ColumnName(*args[0], columns)) {
    if (auto literal = ToLiteral(*args[1]))
      return parquet::Compare(*column, *op, *literal);
  } else if (auto right = ColumnName(*args[1], columns)) {
    if (auto literal = ToLiteral(*args[0]))
      return parquet::Compare(*right, Flip(*op), *literal);
  }
  return nullptr;
}

PredicatePtr Convert(const expr::Expression& e, const std::vector<std::string>& columns) {
  switch (e.kind()) {
    case expr::ExprKind::kCall:
      return ConvertCall(e, columns);
    case expr::ExprKind::kAnd: {
      // Dropping a conjunct only widens the predicate: still a valid hint.
      std::vector<PredicatePtr> parts;
      for (const expr::ExprPtr& child : e.children()) {
        if (PredicatePtr part = Convert(*child, columns))
          parts.push_back(std::move(part));
      }
      return parts.empty() ? nullptr : parquet::And(std::move(parts));
    }
    case expr::ExprKind::kOr: {
      std::vector<PredicatePtr> parts;
      for (const expr::ExprPtr& child : e.children()) {
        PredicatePtr part = Convert(*child, columns);
        if (part == nullptr)
          return nullptr;
        parts.push_back(std::move(part));
      }
      return parquet::Or(std::move(parts));
    }
    default:
      return nullptr;
  }
}

/// Returns the index of source column `name`: exact first, else the one equal ignoring
/// ASCII case.
Result<int> FindSourceColumn(const Schema& schema, const std::string& name) {
  int index = schema.FieldIndex(name);
  if (index >= 0)
    return index;
  for (int i = 0; i < schema.num_fields(); ++i) {
    if (EqualsIgnoreCase(schema.field(i).name, name)) {
      if (index >= 0)
        return Status::InvalidArgument("ambiguous column: " + name);
      index = i;
    }
  }
  if (index < 0)
    return Status::InvalidArgument("unknown column of the source: " + name);
  return index;
}

class DeltaScanSource final : public Source {
 public:
  explicit DeltaScanSource(const sql::ScanNode& node) : node_(node) {}
  std::string name() const override { return "Scan " + node_.table_name; }

  Result<int64_t> Prepare(ExecContext& ctx) override {
    delta::ScanOptions options;
    options.columns = node_.columns;
    options.filter = ToSkippingPredicate(node_.pushed_filters, node_.columns);
    SLUICE_ASSIGN_OR_RETURN(scan_, delta::Scan::Make(node_.snapshot, std::move(options), *ctx.fs));
    const delta::ScanMetrics metrics = scan_->metrics();
    ctx.files_skipped.fetch_add(metrics.files_pruned_by_partition + metrics.files_skipped_by_stats,
                                std::memory_order_relaxed);
    return static_cast<int64_t>(scan_->files().size());
  }

  Status RunTask(ExecContext& ctx, int64_t task, const Emit& emit) const override {
    ctx.files_read.fetch_add(1, std::memory_order_relaxed);
    return scan_->ReadFile(static_cast<size_t>(task), [&](BatchPtr batch) {
      ctx.rows_scanned.fetch_add(batch->num_rows(), std::memory_order_relaxed);
      return emit(WithSchema(node_.schema(), batch));
    });
  }

 private:
  const sql::ScanNode& node_;
  std::unique_ptr<delta::Scan> scan_;
};

class FileScanSource final : public Source {
 public:
  explicit FileScanSource(const sql::ScanNode& node) : node_(node) {}
  std::string name() const override { return "Scan " + node_.table_name; }

  Result<int64_t> Prepare(ExecContext& ctx) override {
    SLUICE_ASSIGN_OR_RETURN(files_, ListDataFiles(*ctx.fs, node_.path));
    if (node_.format != sql::ScanFormat::kParquet) {
      for (const std::string& column : node_.columns) {
        SLUICE_ASSIGN_OR_RETURN(int index, FindSourceColumn(*node_.source_schema, column));
        indices_.push_back(index);
      }
    }
    if (node_.format == sql::ScanFormat::kCsv) {
      SLUICE_ASSIGN_OR_RETURN(csv_options_, csv::CsvReadOptions::FromOptions(node_.options));
    } else if (node_.format == sql::ScanFormat::kJson) {
      SLUICE_ASSIGN_OR_RETURN(json_options_, json::JsonReadOptions::FromOptions(node_.options));
    } else {
      SLUICE_RETURN_IF_ERROR(PlanRowGroups(ctx));
      return static_cast<int64_t>(row_groups_.size());
    }
    return static_cast<int64_t>(files_.size());
  }

  Status RunTask(ExecContext& ctx, int64_t task, const Emit& emit) const override {
    if (node_.format == sql::ScanFormat::kParquet) {
      const auto [file, row_group] = row_groups_[task];
      SLUICE_ASSIGN_OR_RETURN(BatchPtr batch, readers_[file]->ReadRowGroup(row_group));
      ctx.rows_scanned.fetch_add(batch->num_rows(), std::memory_order_relaxed);
      return emit(WithSchema(node_.schema(), batch));
    }
    const std::string& path = files_[task];
    ctx.files_read.fetch_add(1, std::memory_order_relaxed);
    std::vector<BatchPtr> batches;
    switch (node_.format) {
      case sql::ScanFormat::kCsv: {
        SLUICE_ASSIGN_OR_RETURN(batches, csv::ReadCsvFile(path, node_.source_schema, csv_options_));
        break;
      }
      default: {
        SLUICE_ASSIGN_OR_RETURN(batches,
                                json::ReadJsonFile(path, node_.source_schema, json_options_));
        break;
      }
    }
    for (const BatchPtr& batch : batches) {
      std::vector<VectorPtr> columns;
      for (int index : indices_)
        columns.push_back(batch->column(index));
      ctx.rows_scanned.fetch_add(batch->num_rows(), std::memory_order_relaxed);
      SLUICE_RETURN_IF_ERROR(emit(
          std::make_shared<const Batch>(node_.schema(), std::move(columns), batch->num_rows())));
    }
    return Status::Ok();
  }

 private:
  /// Opens every Parquet file and makes one task per row group its statistics do not
  /// rule out.
  Status PlanRowGroups(ExecContext& ctx) {
    parquet::PredicatePtr filter = ToSkippingPredicate(node_.pushed_filters, node_.columns);
    for (const std::string& path : files_) {
      parquet::ParquetReadOptions options;
      options.columns = node_.columns;
      options.filter = filter;
      SLUICE_ASSIGN_OR_RETURN(auto reader, parquet::ParquetReader::Open(path, std::move(options)));
      const std::vector<int> groups = reader->RowGroupsToRead();
      if (groups.empty() && reader->num_row_groups() > 0) {
        ctx.files_skipped.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      ctx.files_read.fetch_add(1, std::memory_order_relaxed);
      for (int group : groups)
        row_groups_.emplace_back(readers_.size(), group);
      readers_.push_back(std::move(reader));
    }
    return Status::Ok();
  }

  const sql::ScanNode& node_;
  std::vector<std::string> files_;
  std::vector<int> indices_;
  csv::CsvReadOptions csv_options_;
  json::JsonReadOptions json_options_;
  // Parquet: the open files (thread-safe readers) and the row groups to read.
  std::vector<std::unique_ptr<parquet::ParquetReader>> readers_;
  std::vector<std::pair<size_t, int>> row_groups_;
};

}  // namespace

parquet::PredicatePtr ToSkippingPredicate(const std::vector<expr::ExprPtr>& filters,
                                          const std::vector<std::string>& columns) {
  std::vector<PredicatePtr> parts;
  for (const expr::ExprPtr& filter : filters) {
    if (PredicatePtr part = Convert(*filter, columns))
      parts.push_back(std::move(part));
  }
  return parts.empty() ? nullptr : parquet::And(std::move(parts));
}

Result<std::vector<std::string>> ListDataFiles(FileSystem& fs, const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(FileInfo info, fs.GetFileInfo(path));
  std::vector<std::string> files;
  if (!info.is_directory) {
    files.push_back(path);
    return files;
  }
  SLUICE_RETURN_IF_ERROR(ListDataFiles(fs, path, &files));
  std::sort(files.begin(), files.end());
  return files;
}

std::shared_ptr<Source> MakeScanSource(const sql::ScanNode& node) {
  if (node.format == sql::ScanFormat::kDelta) {
    return std::make_shared<DeltaScanSource>(node);
  }
  return std::make_shared<FileScanSource>(node);
}

}  // namespace sluice::exec
