// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/predicate.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "common/ascii.h"
#include "common/check.h"
#include "types/datetime.h"

namespace sluice::parquet {
namespace {

PredicatePtr MakeLeaf(Predicate::Kind kind, std::string column, CompareOp op,
                      std::vector<Literal> values) {
  return std::make_shared<const Predicate>(kind, std::move(column), op, std::move(values),
                                           std::vector<PredicatePtr>{});
}

PredicatePtr MakeJunction(Predicate::Kind kind, std::vector<PredicatePtr> children) {
  for (const PredicatePtr& child : children) {
    SLUICE_CHECK(child != nullptr, "null operand of AND/OR");
  }
  if (children.size() == 1) {
    return std::move(children[0]);
  }
  return std::make_shared<const Predicate>(kind, std::string(), CompareOp::kEq,
                                           std::vector<Literal>{}, std::move(children));
}

// ---------------------------------------------------------------------------------------
// Text

std::string QuoteSql(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += '\'';
    }
    out += c;
  }
  out += '\'';
  return out;
}

std::string LiteralSql(const Literal& literal) {
  if (literal.is_null() || literal.type == nullptr) {
    return "NULL";
  }
  const std::string text = FormatLiteral(literal);
  switch (literal.type->id()) {
    case TypeId::kString:
      return QuoteSql(text);
    case TypeId::kBinary:
      return "X'" + text.substr(2) + "'";  // FormatLiteral gives "0x..."
    case TypeId::kDate:
      return "DATE " + QuoteSql(text);
    case TypeId::kTimestamp:
      return "TIMESTAMP " + QuoteSql(text);
    case TypeId::kTimestampNtz:
      return "TIMESTAMP_NTZ " + QuoteSql(text);
    default:
      return text;
  }
}

void AppendSql(const Predicate& predicate, std::string* out) {
  switch (predicate.kind()) {
    case Predicate::Kind::kCompare:
      *out += predicate.column();
      *out += ' ';
      *out += CompareOpSymbol(predicate.op());
      *out += ' ';
      *out += LiteralSql(predicate.values()[0]);
      return;
    case Predicate::Kind::kIsNull:
      *out += predicate.column() + " IS NULL";
      return;
    case Predicate::Kind::kIsNotNull:
      *out += predicate.column() + " IS NOT NULL";
      return;
    case Predicate::Kind::kIn:
      *out += predicate.column() + " IN (";
      for (size_t i = 0; i < predicate.values().size(); ++i) {
        if (i > 0) {
          *out += ", ";
        }
        *out += LiteralSql(predicate.values()[i]);
      }
      *out += ')';
      return;
    case Predicate::Kind::kAnd:
    case Predicate::Kind::kOr: {
      const bool is_and = predicate.kind() == Predicate::Kind::kAnd;
      if (predicate.children().empty()) {
        *out += is_and ? "TRUE" : "FALSE";
        return;
      }
      *out += '(';
      for (size_t i = 0; i < predicate.children().size(); ++i) {
        if (i > 0) {
          *out += is_and ? " AND " : " OR ";
        }
        AppendSql(*predicate.children()[i], out);
      }
      *out += ')';
      return;
    }
  }
}

void CollectColumns(const Predicate& predicate, std::vector<std::string>* columns) {
  if (predicate.kind() == Predicate::Kind::kAnd || predicate.kind() == Predicate::Kind::kOr) {
    for (const PredicatePtr& child : predicate.children()) {
      CollectColumns(*child, columns);
    }
    return;
  }
  for (const std::string& known : *columns) {
    if (EqualsIgnoreCase(known, predicate.column())) {
      return;
    }
  }
  columns->push_back(predicate.column());
}

// ---------------------------------------------------------------------------------------
// Validation

enum class TypeFamily : uint8_t {
  kOther,
  kNumber,
  kBytes,
  kBoolean,
  kDate,
  kTimestamp,
  kTimestampNtz
};

TypeFamily FamilyOfType(const DataType& type) {
  switch (type.id()) {
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal:
      return TypeFamily::kNumber;
    case TypeId::kString:
    case TypeId::kBinary:
      return TypeFamily::kBytes;
    case TypeId::kBoolean:
      return TypeFamily::kBoolean;
    case TypeId::kDate:
      return TypeFamily::kDate;
    case TypeId::kTimestamp:
      return TypeFamily::kTimestamp;
    case TypeId::kTimestampNtz:
      return TypeFamily::kTimestampNtz;
    default:
      return TypeFamily::kOther;
  }
}

bool Comparable(TypeFamily a, TypeFamily b) {
  if (a == TypeFamily::kOther || b == TypeFamily::kOther) {
    return false;
  }
  if (a == b) {
    return true;
  }
  const auto temporal = [](TypeFamily f) {
    return f == TypeFamily::kDate || f == TypeFamily::kTimestamp || f == TypeFamily::kTimestampNtz;
  };
  return temporal(a) && temporal(b) && (a == TypeFamily::kDate || b == TypeFamily::kDate);
}

// Whether the literal's value is of the alternative its type says.
bool WellFormed(const Literal& literal) {
  if (literal.is_null()) {
    return true;
  }
  if (literal.type == nullptr) {
    return false;
  }
  switch (literal.type->id()) {
    case TypeId::kBoolean:
      return std::holds_alternative<bool>(literal.value);
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return std::holds_alternative<int64_t>(literal.value);
    case TypeId::kFloat:
    case TypeId::kDouble:
      return std::holds_alternative<double>(literal.value);
    case TypeId::kDecimal:
      return std::holds_alternative<Int128>(literal.value);
    case TypeId::kString:
    case TypeId::kBinary:
      return std::holds_alternative<std::string>(literal.value);
    default:
      return false;
  }
}

// Resolves a dotted path through struct fields, trying every way the dots can split
// names (a field may contain dots). Appends the type of each resolution to `*found`.
void ResolvePath(const std::vector<Field>& fields, std::string_view path,
                 std::vector<TypePtr>* found) {
  for (const Field& field : fields) {
    const std::string_view name = field.name;
    if (path.size() < name.size() || !EqualsIgnoreCase(path.substr(0, name.size()), name)) {
      continue;
    }
    if (path.size() == name.size()) {
      found->push_back(field.type);
    } else if (path[name.size()] == '.' && field.type->id() == TypeId::kStruct) {
      ResolvePath(field.type->fields(), path.substr(name.size() + 1), found);
    }
  }
}

Status ValidateNode(const Predicate& predicate, const Schema& schema) {
  if (predicate.kind() == Predicate::Kind::kAnd || predicate.kind() == Predicate::Kind::kOr) {
    for (const PredicatePtr& child : predicate.children()) {
      SLUICE_RETURN_IF_ERROR(ValidateNode(*child, schema));
    }
    return Status::Ok();
  }
  std::vector<TypePtr> found;
  ResolvePath(schema.fields(), predicate.column(), &found);
  if (found.empty()) {
    return Status::InvalidArgument("predicate column not found: " + predicate.column());
  }
  if (found.size() > 1) {
    return Status::InvalidArgument("predicate column is ambiguous: " + predicate.column());
  }
  if (predicate.kind() == Predicate::Kind::kIsNull ||
      predicate.kind() == Predicate::Kind::kIsNotNull) {
    return Status::Ok();
  }
  const DataType& column_type = *found[0];
  const TypeFamily column_family = FamilyOfType(column_type);
  if (column_family == TypeFamily::kOther) {
    return Status::InvalidArgument("predicate compares a column that is not of a primitive type: " +
                                   predicate.column() + " " + column_type.ToString());
  }
  for (const Literal& literal : predicate.values()) {
    if (!WellFormed(literal)) {
      return Status::InvalidArgument("predicate literal does not hold a value of its type: " +
                                     predicate.column());
    }
    if (literal.is_null()) {
      continue;
    }
    if (!Comparable(column_family, FamilyOfType(*literal.type))) {
      return Status::InvalidArgument(
          "predicate compares incompatible types: " + predicate.column() + " " +
          column_type.ToString() + " with " + literal.type->ToString());
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// Evaluation against statistics

bool IsFloating(const ColumnStatistics& stats) {
  if (stats.type != nullptr) {
    return stats.type->id() == TypeId::kFloat || stats.type->id() == TypeId::kDouble;
  }
  const auto holds_double = [](const std::optional<Literal>& bound) {
    return bound.has_value() && std::holds_alternative<double>(bound->value);
  };
  return holds_double(stats.min) || holds_double(stats.max);
}

bool AllNull(const ColumnStatistics& stats) {
  return stats.null_count.has_value() && stats.num_values > 0 &&
         *stats.null_count >= stats.num_values;
}

bool IsNaNLiteral(const Literal& literal) {
  const auto* value = std::get_if<double>(&literal.value);
  return value != nullptr && std::isnan(*value);
}

// Whether a NaN value satisfies `NaN op literal` (Spark: NaN equals NaN, above all else).
bool NaNSatisfies(CompareOp op, bool literal_is_nan) {
  switch (op) {
    case CompareOp::kEq:
    case CompareOp::kLtEq:
      return literal_is_nan;
    case CompareOp::kGtEq:
      return true;
    case CompareOp::kGt:
    case CompareOp::kNotEq:
      return !literal_is_nan;
    case CompareOp::kLt:
      return false;
  }
  return true;
}

// Whether some non-NaN value within the bounds of `stats` may satisfy `value op literal`.
bool RangeMayMatch(const ColumnStatistics& stats, CompareOp op, const Literal& literal) {
  if (IsNaNLiteral(literal)) {
    // Every other value sorts below NaN.
    return op == CompareOp::kLt || op == CompareOp::kLtEq || op == CompareOp::kNotEq;
  }
  // Signs of (min - literal) and (max - literal), or kUnknown. (Plain ints rather than
  // std::optional: gcc -O2 warns of maybe-uninitialized optionals here.)
  constexpr int kUnknown = std::numeric_limits<int>::min();
  const int min_sign =
      stats.min.has_value() ? CompareValues(*stats.min, literal).value_or(kUnknown) : kUnknown;
  const int max_sign =
      stats.max.has_value() ? CompareValues(*stats.max, literal).value_or(kUnknown) : kUnknown;
  const bool min_known = min_sign != kUnknown;
  const bool max_known = max_sign != kUnknown;
  switch (op) {
    case CompareOp::kEq:
      return !(min_known && min_sign > 0) && !(max_known && max_sign < 0);
    case CompareOp::kNotEq:
      // Skip only when every value is the literal.
      return !(min_known && min_sign == 0 && stats.min_exact && max_known && max_sign == 0 &&
               stats.max_exact);
    case CompareOp::kLt:
      return !(min_known && min_sign >= 0);
    case CompareOp::kLtEq:
      return !(min_known && min_sign > 0);
    case CompareOp::kGt:
      return !(max_known && max_sign <= 0);
    case CompareOp::kGtEq:
      return !(max_known && max_sign < 0);
  }
  return true;
}

// Whether a non-null value of the column may satisfy `value op literal`.
bool ValueMayMatch(const ColumnStatistics& stats, CompareOp op, const Literal& literal) {
  if (literal.is_null()) {
    return false;
  }
  if (!IsFloating(stats)) {
    return RangeMayMatch(stats, op, literal);
  }
  const bool nan_possible = !stats.nan_count.has_value() || *stats.nan_count > 0;
  if (nan_possible && NaNSatisfies(op, IsNaNLiteral(literal))) {
    return true;
  }
  const bool only_nan_or_null = stats.nan_count.has_value() && stats.null_count.has_value() &&
                                stats.num_values > 0 &&
                                *stats.nan_count + *stats.null_count >= stats.num_values;
  if (only_nan_or_null) {
    return false;
  }
  return RangeMayMatch(stats, op, literal);
}

bool LeafMayMatch(const Predicate& predicate, const ColumnStatistics* stats) {
  if (stats == nullptr) {
    return true;
  }
  switch (predicate.kind()) {
    case Predicate::Kind::kIsNull:
      return !stats->null_count.has_value() || *stats->null_count > 0;
    case Predicate::Kind::kIsNotNull:
      return !AllNull(*stats);
    case Predicate::Kind::kCompare:
      return !AllNull(*stats) && ValueMayMatch(*stats, predicate.op(), predicate.values()[0]);
    case Predicate::Kind::kIn:
      if (AllNull(*stats)) {
        return false;
      }
      return std::any_of(
          predicate.values().begin(), predicate.values().end(),
          [&](const Literal& value) { return ValueMayMatch(*stats, CompareOp::kEq, value); });
    default:
      return true;
  }
}

bool Evaluate(const Predicate& predicate, const StatsProvider& stats) {
  switch (predicate.kind()) {
    case Predicate::Kind::kAnd:
      return std::all_of(predicate.children().begin(), predicate.children().end(),
                         [&](const PredicatePtr& child) { return Evaluate(*child, stats); });
    case Predicate::Kind::kOr:
      return std::any_of(predicate.children().begin(), predicate.children().end(),
                         [&](const PredicatePtr& child) { return Evaluate(*child, stats); });
    default:
      return LeafMayMatch(predicate, stats.FindColumn(predicate.column()));
  }
}

// ---------------------------------------------------------------------------------------
// Row groups

const format::ColumnOrder* ColumnOrderOf(const format::FileMetaData& metadata, int column_index) {
  if (!metadata.__isset.column_orders || column_index < 0 ||
      static_cast<size_t>(column_index) >= metadata.column_orders.size()) {
    return nullptr;
  }
  return &metadata.column_orders[column_index];
}

// The chunk of `leaf` in `row_group`, or null when absent or without metadata.
const format::ColumnChunk* ChunkOf(const format::RowGroup& row_group, const LeafDescriptor& leaf) {
  if (leaf.column_index < 0 || static_cast<size_t>(leaf.column_index) >= row_group.columns.size()) {
    return nullptr;
  }
  const format::ColumnChunk& chunk = row_group.columns[leaf.column_index];
  return chunk.__isset.meta_data ? &chunk : nullptr;
}

// The decoded chunk statistics of the predicate's columns in one row group.
class RowGroupStats : public StatsProvider {
 public:
  RowGroupStats(const Predicate& predicate, const std::vector<LeafDescriptor>& leaves,
                const format::FileMetaData& metadata, const format::RowGroup& row_group)
      : num_rows_(row_group.num_rows) {
    for (const std::string& column : ReferencedColumns(predicate)) {
      const int leaf_index = FindLeaf(leaves, column);
      if (leaf_index < 0) {
        continue;
      }
      const LeafDescriptor& leaf = leaves[leaf_index];
      const format::ColumnChunk* chunk = ChunkOf(row_group, leaf);
      if (chunk == nullptr) {
        continue;
      }
      Result<ColumnStatistics> stats =
          DecodeStatistics(leaf, chunk->meta_data, ColumnOrderOf(metadata, leaf.column_index));
      if (!stats.ok()) {
        continue;  // statistics are hints; the reader reports corruption
      }
      columns_.emplace_back(column, std::move(stats).value());
    }
  }

  const ColumnStatistics* FindColumn(const std::string& column) const override {
    for (const auto& [name, stats] : columns_) {
      if (EqualsIgnoreCase(name, column)) {
        return &stats;
      }
    }
    return nullptr;
  }
  std::optional<int64_t> num_rows() const override { return num_rows_; }

 private:
  int64_t num_rows_;
  std::vector<std::pair<std::string, ColumnStatistics>> columns_;
};

Status CheckRowGroup(const format::FileMetaData& metadata, int row_group) {
  if (row_group < 0 || static_cast<size_t>(row_group) >= metadata.row_groups.size()) {
    return Status::InvalidArgument("row group index out of range: " + std::to_string(row_group) +
                                   " of " + std::to_string(metadata.row_groups.size()));
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// Row ranges

using RangeList = std::vector<RowRange>;

void AppendRange(RangeList* ranges, int64_t begin, int64_t end) {
  if (begin >= end) {
    return;
  }
  if (!ranges->empty() && ranges->back().end >= begin) {
    ranges->back().end = std::max(ranges->back().end, end);
    return;
  }
  ranges->push_back({begin, end});
}

RangeList Intersect(const RangeList& a, const RangeList& b) {
  RangeList out;
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    AppendRange(&out, std::max(a[i].begin, b[j].begin), std::min(a[i].end, b[j].end));
    if (a[i].end < b[j].end) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

RangeList Unite(const RangeList& a, const RangeList& b) {
  RangeList out;
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].begin <= b[j].begin)) {
      AppendRange(&out, a[i].begin, a[i].end);
      ++i;
    } else {
      AppendRange(&out, b[j].begin, b[j].end);
      ++j;
    }
  }
  return out;
}

// The page index of one column chunk, checked for consistency.
struct PageIndex {
  std::vector<RowRange> pages;  // rows of each page
  format::ColumnIndex column_index;
  bool has_null_counts = false;
};

std::optional<std::string> ReadRange(const RandomAccessFile& file, bool offset_set, int64_t offset,
                                     bool length_set, int64_t length) {
  if (!offset_set || !length_set || offset < 0 || length <= 0 || offset > file.size() ||
      length > file.size() - offset) {
    return std::nullopt;
  }
  std::string scratch;
  Result<std::string_view> bytes = file.ReadAt(offset, length, &scratch);
  if (!bytes.ok() || static_cast<int64_t>(bytes->size()) != length) {
    return std::nullopt;
  }
  return std::string(*bytes);
}

std::optional<PageIndex> LoadPageIndex(const RandomAccessFile& file,
                                       const format::ColumnChunk& chunk, int64_t num_rows) {
  const std::optional<std::string> offset_bytes =
      ReadRange(file, chunk.__isset.offset_index_offset, chunk.offset_index_offset,
                chunk.__isset.offset_index_length, chunk.offset_index_length);
  const std::optional<std::string> column_bytes =
      ReadRange(file, chunk.__isset.column_index_offset, chunk.column_index_offset,
                chunk.__isset.column_index_length, chunk.column_index_length);
  if (!offset_bytes.has_value() || !column_bytes.has_value()) {
    return std::nullopt;
  }
  format::OffsetIndex offset_index;
  PageIndex index;
  if (!DeserializeThrift(*offset_bytes, "offset index", &offset_index).ok() ||
      !DeserializeThrift(*column_bytes, "column index", &index.column_index).ok()) {
    return std::nullopt;
  }
  const std::vector<format::PageLocation>& locations = offset_index.page_locations;
  if (locations.empty() || locations[0].first_row_index != 0) {
    return std::nullopt;
  }
  for (size_t i = 0; i < locations.size(); ++i) {
    const int64_t begin = locations[i].first_row_index;
    const int64_t end = i + 1 < locations.size() ? locations[i + 1].first_row_index : num_rows;
    if (begin >= end || end > num_rows) {
      return std::nullopt;
    }
    index.pages.push_back({begin, end});
  }
  const format::ColumnIndex& column_index = index.column_index;
  const size_t num_pages = locations.size();
  if (column_index.null_pages.size() != num_pages || column_index.min_values.size() != num_pages ||
      column_index.max_values.size() != num_pages) {
    return std::nullopt;
  }
  index.has_null_counts =
      column_index.__isset.null_counts && column_index.null_counts.size() == num_pages;
  return index;
}

class RangeSelector {
 public:
  RangeSelector(const std::vector<LeafDescriptor>& leaves, const RandomAccessFile& file,
                const format::FileMetaData& metadata, const format::RowGroup& row_group)
      : leaves_(leaves), file_(file), metadata_(metadata), row_group_(row_group) {}

  RangeList Select(const Predicate& predicate) {
    const RangeList all = {{0, row_group_.num_rows}};
    switch (predicate.kind()) {
      case Predicate::Kind::kAnd: {
        RangeList ranges = all;
        for (const PredicatePtr& child : predicate.children()) {
          if (ranges.empty()) {
            break;
          }
          ranges = Intersect(ranges, Select(*child));
        }
        return ranges;
      }
      case Predicate::Kind::kOr: {
        RangeList ranges;
        for (const PredicatePtr& child : predicate.children()) {
          ranges = Unite(ranges, Select(*child));
        }
        return ranges;
      }
      default:
        return SelectLeaf(predicate, all);
    }
  }

 private:
  struct Column {
    std::optional<ColumnStatistics> chunk_stats;
    bool page_index_read = false;
    std::optional<PageIndex> page_index;
  };

  RangeList SelectLeaf(const Predicate& predicate, const RangeList& all) {
    const int leaf_index = FindLeaf(leaves_, predicate.column());
    if (leaf_index < 0) {
      return all;
    }
    const LeafDescriptor& leaf = leaves_[leaf_index];
    const format::ColumnChunk* chunk = ChunkOf(row_group_, leaf);
    if (chunk == nullptr) {
      return all;
    }
    const format::ColumnOrder* order = ColumnOrderOf(metadata_, leaf.column_index);
    auto [it, inserted] = columns_.try_emplace(leaf_index);
    Column& column = it->second;
    if (inserted) {
      Result<ColumnStatistics> stats = DecodeStatistics(leaf, chunk->meta_data, order);
      if (stats.ok()) {
        column.chunk_stats = std::move(stats).value();
      }
    }
    if (column.chunk_stats.has_value() && !LeafMayMatch(predicate, &column.chunk_stats.value())) {
      return {};
    }
    if (!column.page_index_read) {
      column.page_index = LoadPageIndex(file_, *chunk, row_group_.num_rows);
      column.page_index_read = true;
    }
    if (!column.page_index.has_value()) {
      return all;
    }
    const PageIndex& index = *column.page_index;
    const format::ColumnIndex& column_index = index.column_index;
    const bool bounds_usable = TypeOrderedBoundsUsable(leaf, order);
    const bool no_nans = column.chunk_stats.has_value() &&
                         column.chunk_stats->nan_count.has_value() &&
                         *column.chunk_stats->nan_count == 0;
    RangeList ranges;
    for (size_t page = 0; page < index.pages.size(); ++page) {
      const RowRange rows = index.pages[page];
      ColumnStatistics stats;
      stats.type = leaf.type;
      stats.num_values = rows.end - rows.begin;
      if (column_index.null_pages[page]) {
        stats.null_count = stats.num_values;
      } else {
        if (index.has_null_counts && column_index.null_counts[page] >= 0 &&
            column_index.null_counts[page] <= stats.num_values) {
          stats.null_count = column_index.null_counts[page];
        }
        if (bounds_usable) {
          DecodeBounds(leaf, &column_index.min_values[page], std::nullopt,
                       &column_index.max_values[page], std::nullopt, &stats);
        }
      }
      if (no_nans) {
        stats.nan_count = 0;
      }
      if (LeafMayMatch(predicate, &stats)) {
        AppendRange(&ranges, rows.begin, rows.end);
      }
    }
    return ranges;
  }

  const std::vector<LeafDescriptor>& leaves_;
  const RandomAccessFile& file_;
  const format::FileMetaData& metadata_;
  const format::RowGroup& row_group_;
  std::map<int, Column> columns_;
};

}  // namespace

std::string_view CompareOpSymbol(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNotEq:
      return "!=";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLtEq:
      return "<=";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kGtEq:
      return ">=";
  }
  return "?";
}

PredicatePtr Compare(std::string column, CompareOp op, Literal literal) {
  std::vector<Literal> values;
  values.push_back(std::move(literal));
  return MakeLeaf(Predicate::Kind::kCompare, std::move(column), op, std::move(values));
}

PredicatePtr IsNull(std::string column) {
  return MakeLeaf(Predicate::Kind::kIsNull, std::move(column), CompareOp::kEq, {});
}

PredicatePtr IsNotNull(std::string column) {
  return MakeLeaf(Predicate::Kind::kIsNotNull, std::move(column), CompareOp::kEq, {});
}

PredicatePtr In(std::string column, std::vector<Literal> values) {
  return MakeLeaf(Predicate::Kind::kIn, std::move(column), CompareOp::kEq, std::move(values));
}

PredicatePtr And(std::vector<PredicatePtr> children) {
  return MakeJunction(Predicate::Kind::kAnd, std::move(children));
}

PredicatePtr Or(std::vector<PredicatePtr> children) {
  return MakeJunction(Predicate::Kind::kOr, std::move(children));
}

std::string ToString(const Predicate& predicate) {
  std::string out;
  AppendSql(predicate, &out);
  return out;
}

std::vector<std::string> ReferencedColumns(const Predicate& predicate) {
  std::vector<std::string> columns;
  CollectColumns(predicate, &columns);
  return columns;
}

Status Validate(const Predicate& predicate, const Schema& schema) {
  return ValidateNode(predicate, schema);
}

const ColumnStatistics* MapStatsProvider::FindColumn(const std::string& column) const {
  const ColumnStatistics* found = nullptr;
  for (const auto& [name, stats] : columns_) {
    if (!EqualsIgnoreCase(name, column)) {
      continue;
    }
    if (found != nullptr) {
      return nullptr;  // ambiguous
    }
    found = &stats;
  }
  return found;
}

bool MayMatch(const Predicate& predicate, const StatsProvider& stats) {
  const std::optional<int64_t> num_rows = stats.num_rows();
  if (num_rows.has_value() && *num_rows <= 0) {
    return false;
  }
  return Evaluate(predicate, stats);
}

int FindLeaf(const std::vector<LeafDescriptor>& leaves, std::string_view column) {
  int found = -1;
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (!EqualsIgnoreCase(leaves[i].path, column)) {
      continue;
    }
    if (found >= 0) {
      return -1;  // ambiguous
    }
    found = static_cast<int>(i);
  }
  if (found >= 0 && leaves[found].max_repetition_level != 0) {
    return -1;
  }
  return found;
}

Result<bool> RowGroupMayMatch(const Predicate& predicate, const std::vector<LeafDescriptor>& leaves,
                              const format::FileMetaData& metadata, int row_group) {
  SLUICE_RETURN_IF_ERROR(CheckRowGroup(metadata, row_group));
  const RowGroupStats stats(predicate, leaves, metadata, metadata.row_groups[row_group]);
  return MayMatch(predicate, stats);
}

Result<std::vector<RowRange>> SelectRowRanges(const Predicate& predicate,
                                              const std::vector<LeafDescriptor>& leaves,
                                              const RandomAccessFile& file,
                                              const format::FileMetaData& metadata, int row_group) {
  SLUICE_RETURN_IF_ERROR(CheckRowGroup(metadata, row_group));
  const format::RowGroup& group = metadata.row_groups[row_group];
  if (group.num_rows <= 0) {
    return std::vector<RowRange>{};
  }
  RangeSelector selector(leaves, file, metadata, group);
  return selector.Select(predicate);
}

}  // namespace sluice::parquet
