// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"
#include "types/data_type.h"
#include "types/decimal.h"

namespace sluice::parquet {

// Generated from parquet.thrift (see thrift_io.h) and leaf.h; declared here so that the
// writer can include this header without them.
namespace format {
class ColumnMetaData;
class ColumnOrder;
}  // namespace format
struct LeafDescriptor;

/// One typed value of a sluice primitive type: a predicate's literal, or a column's
/// min or max. `value` holds, by `type`:
/// - boolean: bool;
/// - byte, short, int, long, date (days), timestamp and timestamp_ntz (microseconds):
///   int64_t;
/// - float, double: double;
/// - decimal: Int128, the unscaled value at the type's scale;
/// - string, binary: std::string (bytes).
/// std::monostate is SQL NULL.
struct Literal {
  TypePtr type;
  std::variant<std::monostate, bool, int64_t, double, Int128, std::string> value;

  bool is_null() const { return std::holds_alternative<std::monostate>(value); }
  /// Equal types (by value, DataType::Equals) and equal values.
  bool operator==(const Literal& other) const {
    const bool same_type = type == other.type ||
                           (type != nullptr && other.type != nullptr && type->Equals(*other.type));
    return same_type && value == other.value;
  }
};

/// What a writer learned of one leaf column of a file, or a reader found in its
/// metadata: the numbers the Delta writer puts in an `add` action's `stats`.
struct ColumnStatistics {
  /// The sluice field names from the top-level column down to the leaf (struct members;
  /// lists and maps add their element/key/value names as Spark's Parquet schema has
  /// them, and Delta leaves such columns out of its stats).
  std::vector<std::string> path;
  /// The leaf's sluice type.
  TypePtr type;
  /// Values counted, nulls included (for a nested leaf, one per level entry).
  int64_t num_values = 0;
  std::optional<int64_t> null_count;
  /// Lower and upper bounds when known. A bound of a long string or binary may be
  /// truncated (min a prefix of the true min, max a value greater than the true max);
  /// `*_exact` says whether it is the actual value.
  std::optional<Literal> min;
  std::optional<Literal> max;
  bool min_exact = true;
  bool max_exact = true;
  /// NaN values counted (float and double only).
  std::optional<int64_t> nan_count;
};

/// Decodes the statistics of one column chunk of `leaf` (`meta.statistics`) into bounds
/// of leaf.type, following the Parquet specification's rules for trusting them:
/// - min_value/max_value are used when the column order is known: TYPE_ORDER, or
///   IEEE_754_TOTAL_ORDER for FLOAT, DOUBLE and FLOAT16. When the file has no
///   column_orders (`order` null), they are used only where the type order is the legacy
///   signed order (see below), so that the two cannot differ.
/// - The deprecated min/max fill in a bound that min_value/max_value do not give, only
///   where the legacy signed order is the type's order: BOOLEAN, INT32 and INT64 that are
///   not unsigned (plain integers, dates, times, timestamps, decimals), FLOAT and DOUBLE.
///   Never for BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY (strings, binary, decimals, FLOAT16) or
///   unsigned integers: old parquet-mr ordered them as signed bytes (PARQUET-251).
/// - No bound of INT96, of a logical type unknown to sluice (an empty union without a
///   converted type), of INTERVAL or of geometry is ever used.
/// - FLOAT/DOUBLE/FLOAT16: a NaN bound is dropped; a min of +0.0 becomes -0.0 and a max of
///   -0.0 becomes +0.0 (the other zero may be present; both compare equal anyway).
/// - A bound of the wrong length for the type is dropped (decimals stored as
///   FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY accept any length: big-endian two's complement
///   reads the same, and some writers (Talend) shorten them). Both bounds are dropped
///   when one does not fit leaf.type (an INT_8 bound of 300, a decimal beyond its
///   precision, milliseconds beyond the range of microseconds) or when min > max.
/// - TIMESTAMP(MILLIS) bounds are scaled to microseconds; TIMESTAMP(NANOS) bounds are
///   rounded outwards (floor for min, ceil for max), and are then not exact.
/// - `*_exact` comes from is_min/max_value_exact; without the flag a string or binary
///   bound is taken as possibly truncated (parquet-mr truncates without saying so), any
///   other as exact.
/// - null_count and nan_count (FLOAT, DOUBLE, FLOAT16) are kept when present and
///   plausible (not negative, not above num_values); num_values is meta.num_values and
///   path meta.path_in_schema.
/// Statistics are hints: nothing in them is an error, and decoding never reads out of
/// bounds. Returns kCorruption only when `meta` contradicts the leaf (another physical
/// type).
Result<ColumnStatistics> DecodeStatistics(const LeafDescriptor& leaf,
                                          const format::ColumnMetaData& meta,
                                          const format::ColumnOrder* order);

/// Whether the type-ordered bounds of `leaf` (Statistics.min_value/max_value and the
/// page index's min_values/max_values) may be used under `order` (null when the file has
/// no column_orders); see DecodeStatistics.
bool TypeOrderedBoundsUsable(const LeafDescriptor& leaf, const format::ColumnOrder* order);

/// Decodes a pair of PLAIN-encoded bounds of `leaf` (without a length prefix; null when
/// absent) into `stats->min`/`max` and `*_exact`, with the per-bound rules of
/// DecodeStatistics (length, NaN, zeros, units, range of leaf.type, min <= max). An
/// unknown exactness (nullopt) means exact except for strings and binary.
/// Used for chunk statistics and for the pages of a column index.
void DecodeBounds(const LeafDescriptor& leaf, const std::string* min_plain,
                  std::optional<bool> min_exact, const std::string* max_plain,
                  std::optional<bool> max_exact, ColumnStatistics* stats);

/// Returns `literal` as `sluice parquet meta` shows it: decimals with their scale
/// ("12.50"), dates and timestamps as text in UTC ("2024-01-31", "2024-01-31 10:00:00"),
/// floats and doubles as Java prints them, strings as their text, binary as "0x" and
/// upper-case hex, booleans "true"/"false", null "null".
std::string FormatLiteral(const Literal& literal);

/// Compares two non-null literals of the same type: negative, zero or positive as `a`
/// sorts before, with or after `b`. Strings and binary compare as unsigned bytes;
/// floats and doubles as Spark orders them (-0.0 equals 0.0, NaN equals NaN and sorts
/// after every other value); decimals by value (scales may differ); false < true. A null
/// sorts first. Literals of different types compare by an arbitrary but fixed order.
int CompareLiterals(const Literal& a, const Literal& b);

/// Compares two non-null literals that may be of different types, where the order is
/// certain: integers and decimals of any width and scale exactly, floats and doubles
/// with each other (Spark's order, as CompareLiterals) and with integers and decimals
/// (exactly, or nullopt when too close to tell), strings with binary bytewise, a date
/// with a timestamp or timestamp_ntz as midnight UTC, booleans. Returns nullopt for a
/// null, for pairs Spark would not compare without a cast that can fail (a string and a
/// number, a timestamp and a timestamp_ntz, ...) and for a value that does not match its
/// type.
std::optional<int> CompareValues(const Literal& a, const Literal& b);

}  // namespace sluice::parquet
