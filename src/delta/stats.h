// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "delta/actions.h"
#include "formats/parquet/predicate.h"
#include "formats/parquet/statistics.h"
#include "formats/parquet/writer.h"
#include "types/data_type.h"

// Per-file statistics (delta-io/delta PROTOCOL.md, "Per-file Statistics"): an add's
// `stats` JSON string holds numRecords, tightBounds, and per column minValues,
// maxValues and nullCount, nested like the schema:
//   {"numRecords":3,"minValues":{"a":1,"s":{"b":"x"}},"maxValues":{...},
//    "nullCount":{"a":0,"s":{"b":1}}}
// Reading turns them into a parquet::StatsProvider so that parquet::MayMatch skips files
// (and, with AddPartitionValue, prunes partitions); writing builds them from what the
// Parquet writer reports, as Delta Spark writes them.

namespace sluice::delta {

/// Table property: how many leaf columns, in schema order, get statistics.
inline constexpr std::string_view kNumIndexedColsKey = "delta.dataSkippingNumIndexedCols";
/// Its default (-1 means every column).
inline constexpr int kDefaultNumIndexedCols = 32;
/// Delta Spark's string prefix length for minValues and maxValues
/// (spark.databricks.delta.stats.stringPrefixLength).
inline constexpr int kStatsStringPrefixLength = 32;

/// Returns delta.dataSkippingNumIndexedCols from a table's configuration: the default
/// when absent; kInvalidArgument naming the value when it is not an integer >= -1.
Result<int> NumIndexedCols(const StringMap& configuration);

/// What the statistics of one data file say, as a StatsProvider for parquet::MayMatch.
/// Columns are found by their (logical) dotted path, case-insensitively; a name two
/// entries match is unknown. Each column's num_values is numRecords (0 when unknown), so
/// a column whose nullCount equals numRecords is known to hold only nulls.
/// Immutable once built, except through AddPartitionValue; safe for concurrent reads.
class FileStats final : public parquet::StatsProvider {
 public:
  /// Unknown statistics: nothing is ever skipped.
  FileStats() = default;
  FileStats(std::optional<int64_t> num_records, bool tight_bounds,
            std::vector<std::pair<std::string, parquet::ColumnStatistics>> columns)
      : num_records_(num_records), tight_bounds_(tight_bounds), columns_(std::move(columns)) {}

  const parquet::ColumnStatistics* FindColumn(const std::string& column) const override;
  std::optional<int64_t> num_rows() const override { return num_records_; }

  /// numRecords: the rows physically in the file (deletion vectors not applied).
  std::optional<int64_t> num_records() const { return num_records_; }
  /// tightBounds (true when absent, as the protocol says).
  bool tight_bounds() const { return tight_bounds_; }
  /// The columns with something known, by dotted (logical) path, in schema order.
  const std::vector<std::pair<std::string, parquet::ColumnStatistics>>& columns() const {
    return columns_;
  }

  /// Adds (or replaces) column `column` as a partition column whose every row holds
  /// `value`: exact min = max = value and no nulls, or only nulls when `value` is null
  /// (NaN counted for a float or double NaN).
  void AddPartitionValue(std::string column, parquet::Literal value);

 private:
  std::optional<int64_t> num_records_;
  bool tight_bounds_ = true;
  std::vector<std::pair<std::string, parquet::ColumnStatistics>> columns_;
};

/// Parses an add's `stats` JSON. `stats_schema` is the schema whose field names are the
/// keys the statistics use: the table's logical schema, or under column mapping its
/// physical schema (same shape, physical names; see column_mapping.h). When
/// `logical_schema` is given (same shape as `stats_schema`), columns are reported under
/// its names, so predicates over logical names find them; where the two shapes differ,
/// the stats names are used. Primitive leaf columns outside lists and maps are read
/// (nested struct fields as "a.b"); arrays, maps and variants are left out, as the
/// predicate code cannot use them.
///
/// Statistics are hints, so nothing here is an error: text that is not a JSON object
/// gives unknown statistics (FileStats()); a numRecords that is not an integer >= 0 is
/// unknown (it is never taken as 0, which would skip the file); a bound or null count
/// that does not fit its column's type is dropped alone. Bounds, by type:
/// - integers, floats, doubles and decimals from JSON numbers (floats and doubles also
///   from "NaN", "Infinity" and "-Infinity" strings, as Jackson writes them); a number
///   out of the type's range, or a decimal with more digits than the scale, is dropped;
/// - dates "yyyy-MM-dd"; timestamps "2021-11-18T02:30:00.123Z" (any offset, or none:
///   UTC) and timestamp_ntz "2021-11-18T02:30:00.123". Writers truncate these to
///   milliseconds, so when the text has at most 3 fraction digits, the max is widened
///   by 999 microseconds to stay an upper bound; both bounds are then not exact;
/// - strings as written, except that a string of 32 or more UTF-16 units may be a
///   truncated prefix (Delta Spark cuts at 32 and appends U+FFFD to the max; other
///   writers cut the max without one): such a min is marked not exact, and such a max
///   (or one ending in U+FFFD) gets its final U+FFFD replaced by, or U+10FFFF appended,
///   so it bounds every string it is a prefix of; not exact;
/// - booleans from JSON booleans; binary never.
/// nullCount must be an integer between 0 and numRecords. With tightBounds false (a file
/// whose deletion vector changed after the statistics were taken), bounds are not exact
/// and a null count other than 0 and numRecords is unknown, as the protocol says.
FileStats ParseFileStats(std::string_view stats_json, const Schema& stats_schema,
                         const Schema* logical_schema = nullptr);

/// Builds an add's `stats` JSON for a data file the Parquet writer wrote with `schema`
/// (the file's schema: physical names under column mapping, no partition columns), as
/// Delta Spark writes it: {"numRecords":N,"minValues":{...},"maxValues":{...},
/// "nullCount":{...}}, nested structs as nested objects, keys in schema order.
/// - Only the first `num_indexed_cols` leaf (non-struct) fields, counted depth-first in
///   schema order, get statistics (-1: all; 0: numRecords alone).
/// - minValues/maxValues cover numbers, decimals (JSON numbers), dates ("yyyy-MM-dd"),
///   timestamps ("2021-11-18T02:30:00.123Z", UTC, truncated down to milliseconds as
///   Spark and the protocol do; readers widen the max) and timestamp_ntz (the same
///   without 'Z'), and strings, cut to 32 characters (code points): the min to a prefix,
///   the max to a prefix followed by the characters >= U+FFFD after it and a U+FFFD tie
///   breaker, so it stays an upper bound. Booleans, binary, arrays, maps and variants
///   get none, nor does a column whose values are all null. Float and double bounds are
///   written only when finite, and the max only when the column has no NaN.
/// - nullCount covers every leaf; for arrays and maps (whose nulls the leaf statistics
///   cannot tell) it is taken from `top_level_null_counts` (one entry per top-level
///   field of `schema`, e.g. summed Vector::null_count() of the written batches) when
///   given, and left out otherwise, as for arrays and maps inside structs.
/// - minValues/maxValues appear when some indexed leaf is of such a type, nullCount when
///   some leaf is indexed (objects of a file without rows are empty, as Spark's).
///   tightBounds is not written (only tables with deletion vectors need it).
std::string BuildStatsJson(const parquet::ParquetWriteResult& result, const Schema& schema,
                           int num_indexed_cols = kDefaultNumIndexedCols,
                           const std::vector<int64_t>& top_level_null_counts = {});

}  // namespace sluice::delta
