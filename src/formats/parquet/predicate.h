// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "formats/parquet/leaf.h"
#include "formats/parquet/statistics.h"
#include "formats/parquet/thrift_io.h"
#include "types/data_type.h"

// A small filter language for skipping data from statistics: comparisons of a column
// with a literal, IS [NOT] NULL, IN, AND and OR. The Parquet reader uses it to skip row
// groups and pages, the Delta scan to skip files from their `stats`, and the SQL engine
// pushes the conjuncts it can express down to both.
//
// Semantics (Spark SQL's): a comparison or IN never matches a null value (nor does a
// null literal match anything); floats and doubles compare with NaN equal to NaN and above
// every other value, and -0.0 equal to 0.0; integers, decimals, floats and doubles compare
// by value across types; strings and binary as unsigned bytes; a date against a
// timestamp as its midnight UTC.
//
// Evaluation is conservative: MayMatch and friends return false only when no row of the
// unit can match. A column that cannot be resolved, has no statistics, is not a
// primitive leaf, sits under a list or map, or whose type cannot be compared with the
// literal (a string column against a number) never causes a skip; mistyped predicates
// are not an error here. The SQL engine calls Validate to reject them up front.

namespace sluice::parquet {

enum class CompareOp : uint8_t { kEq, kNotEq, kLt, kLtEq, kGt, kGtEq };

/// Returns "=", "!=", "<", "<=", ">", ">=".
std::string_view CompareOpSymbol(CompareOp op);

class Predicate;
using PredicatePtr = std::shared_ptr<const Predicate>;

/// One node of a predicate tree; immutable. Build with the factory functions below.
class Predicate {
 public:
  enum class Kind : uint8_t { kCompare, kIsNull, kIsNotNull, kIn, kAnd, kOr };

  /// Use the factory functions (Compare, IsNull, IsNotNull, In, And, Or).
  Predicate(Kind kind, std::string column, CompareOp op, std::vector<Literal> values,
            std::vector<PredicatePtr> children)
      : kind_(kind),
        op_(op),
        column_(std::move(column)),
        values_(std::move(values)),
        children_(std::move(children)) {}

  Kind kind() const { return kind_; }
  /// The column of a comparison, IS [NOT] NULL or IN, as written: the dotted path of
  /// (nested struct) field names, matched case-insensitively. Empty for AND and OR.
  const std::string& column() const { return column_; }
  /// The operator of a comparison (kEq for the other kinds).
  CompareOp op() const { return op_; }
  /// The literal of a comparison, or the list of an IN; empty for the other kinds.
  const std::vector<Literal>& values() const { return values_; }
  /// The operands of AND and OR; empty for the other kinds.
  const std::vector<PredicatePtr>& children() const { return children_; }

 private:
  Kind kind_;
  CompareOp op_;
  std::string column_;
  std::vector<Literal> values_;
  std::vector<PredicatePtr> children_;
};

/// `column op literal`.
PredicatePtr Compare(std::string column, CompareOp op, Literal literal);
/// `column IS NULL` / `column IS NOT NULL`.
PredicatePtr IsNull(std::string column);
PredicatePtr IsNotNull(std::string column);
/// `column IN (values...)`: true when the value equals one of them (null entries never
/// match; an empty list matches nothing).
PredicatePtr In(std::string column, std::vector<Literal> values);
/// Conjunction and disjunction; And({}) is true, Or({}) false, and a single operand is
/// returned as is. The operands must not be null.
PredicatePtr And(std::vector<PredicatePtr> children);
PredicatePtr Or(std::vector<PredicatePtr> children);

/// Returns the predicate as SQL-like text: "(a > 5 AND b IS NULL)", "s.x IN (1, 2)",
/// "name = 'it''s'", "d >= DATE '2024-01-31'", "TRUE" for And({}), "FALSE" for Or({}).
std::string ToString(const Predicate& predicate);

/// Returns the distinct columns the predicate references, as written, in first-use
/// order (columns differing only in case are listed once).
std::vector<std::string> ReferencedColumns(const Predicate& predicate);

/// Checks the predicate against a table schema, for the SQL engine: every column must
/// resolve to exactly one field (case-insensitively, through structs; kInvalidArgument
/// naming it otherwise), and a comparison or IN needs a primitive column whose type can
/// be compared with each non-null literal (numbers with numbers, strings and binary with
/// each other, dates and timestamps with dates and timestamps of the same kind or
/// dates, booleans with booleans); IS [NOT] NULL accepts any column.
Status Validate(const Predicate& predicate, const Schema& schema);

/// What statistics evaluation knows of one unit of data (a row group, a page, a file).
class StatsProvider {
 public:
  virtual ~StatsProvider() = default;
  /// Returns the statistics of `column` (as written in the predicate), or null when they
  /// are unknown: no such column, ambiguous, not a primitive leaf, under a list or map.
  /// The pointer stays valid while the provider lives. `num_values` must count the
  /// column's values in the unit, nulls included.
  virtual const ColumnStatistics* FindColumn(const std::string& column) const = 0;
  /// The number of rows in the unit; nullopt when unknown.
  virtual std::optional<int64_t> num_rows() const = 0;
};

/// A StatsProvider over a given list of columns (Delta `stats`, tests): a column is
/// found by its name compared case-insensitively; two entries that match are ambiguous
/// and found as unknown.
class MapStatsProvider : public StatsProvider {
 public:
  MapStatsProvider(std::optional<int64_t> num_rows,
                   std::vector<std::pair<std::string, ColumnStatistics>> columns)
      : num_rows_(num_rows), columns_(std::move(columns)) {}

  const ColumnStatistics* FindColumn(const std::string& column) const override;
  std::optional<int64_t> num_rows() const override { return num_rows_; }

 private:
  std::optional<int64_t> num_rows_;
  std::vector<std::pair<std::string, ColumnStatistics>> columns_;
};

/// Returns false only when no row of the unit described by `stats` can satisfy
/// `predicate` (see the semantics above). A unit of zero rows matches nothing. Null
/// rules: IS NULL may match iff null_count > 0 or unknown; IS NOT NULL iff null_count <
/// num_values or unknown; a comparison or IN cannot match when every value is null.
/// For a float or double column whose nan_count is unknown or positive, NaN is assumed
/// present (it satisfies >, >= and != of any number).
bool MayMatch(const Predicate& predicate, const StatsProvider& stats);

/// Returns the index in `leaves` of the leaf a predicate column names (its Parquet
/// dotted path, compared case-insensitively), or -1 when none or several match or the
/// leaf is repeated (under a list or map).
int FindLeaf(const std::vector<LeafDescriptor>& leaves, std::string_view column);

/// Returns whether row group `row_group` of a file may hold rows satisfying `predicate`,
/// from its column chunks' statistics (DecodeStatistics; the file's column_orders
/// apply). Columns that do not resolve to a non-repeated leaf (FindLeaf), chunks without
/// metadata (encrypted) and statistics that do not decode never cause a skip.
/// kInvalidArgument when `row_group` is out of range.
Result<bool> RowGroupMayMatch(const Predicate& predicate, const std::vector<LeafDescriptor>& leaves,
                              const format::FileMetaData& metadata, int row_group);

/// A half-open range of row indexes within a row group.
struct RowRange {
  int64_t begin = 0;
  int64_t end = 0;
  bool operator==(const RowRange& other) const = default;
};

/// Returns the sorted, disjoint, non-adjacent row ranges of row group `row_group` that
/// may hold rows satisfying `predicate`; empty when none can. Each referenced column's
/// chunk statistics are checked first, then its page index (ColumnIndex and OffsetIndex,
/// read from `file`) page by page: null_pages, per-page bounds (under the same order
/// rules as the chunk's, and taken as possibly truncated for byte arrays) and
/// null_counts. AND intersects and OR unites the ranges of different columns' page
/// layouts. A column without a page index, or with one that is missing, out of the file
/// or corrupt, contributes the whole row group (not an error); nothing is read out of
/// bounds. kInvalidArgument when `row_group` is out of range.
Result<std::vector<RowRange>> SelectRowRanges(const Predicate& predicate,
                                              const std::vector<LeafDescriptor>& leaves,
                                              const RandomAccessFile& file,
                                              const format::FileMetaData& metadata, int row_group);

}  // namespace sluice::parquet
