// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "types/data_type.h"
#include "types/decimal.h"

namespace sluice::parquet {

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
  bool operator==(const Literal& other) const = default;
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

}  // namespace sluice::parquet
