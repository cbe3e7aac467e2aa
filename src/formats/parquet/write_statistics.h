// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "formats/parquet/value_kinds.h"
#include "types/decimal.h"

// The statistics the writer keeps per page, column chunk and file, and the encoded form
// of their bounds.

namespace sluice::parquet {

/// The smallest and largest value seen, in the column order of Kind.
template <typename Kind>
struct Bounds {
  using Value = typename Kind::Value;
  using Stored = typename Kind::Stored;

  bool present = false;
  Stored min{};
  Stored max{};

  void Update(const Value& low, const Value& high) {
    if (!present) {
      min = Stored(low);
      max = Stored(high);
      present = true;
      return;
    }
    if (Less<Kind>(low, min)) {
      min = Stored(low);
    }
    if (Less<Kind>(max, high)) {
      max = Stored(high);
    }
  }
  void Merge(const Bounds& other) {
    if (other.present) {
      Update(other.min, other.max);
    }
  }
};

/// The counts and bounds of a page, a column chunk or a whole file.
template <typename Kind>
struct TypedStatistics {
  Bounds<Kind> bounds;
  int64_t num_values = 0;  // level entries, nulls included
  int64_t null_count = 0;
  int64_t nan_count = 0;

  void Merge(const TypedStatistics& other) {
    bounds.Merge(other.bounds);
    num_values += other.num_values;
    null_count += other.null_count;
    nan_count += other.nan_count;
  }
};

/// Finds the smallest and largest of `count` (> 0) values, leaving NaN out (and adding
/// them to `*nan_count`); returns false when every value is NaN.
template <typename Kind>
bool FindBounds(const typename Kind::Value* values, int64_t count, typename Kind::Value* low,
                typename Kind::Value* high, int64_t* nan_count) {
  if constexpr (kIsFloating<Kind>) {
    int64_t i = 0;
    while (i < count && std::isnan(values[i])) {
      ++i;
    }
    *nan_count += i;
    if (i == count) {
      return false;
    }
    auto min = values[i];
    auto max = values[i];
    int64_t nans = 0;
    for (++i; i < count; ++i) {
      const auto value = values[i];
      if (std::isnan(value)) {
        ++nans;
        continue;
      }
      min = value < min ? value : min;
      max = value > max ? value : max;
    }
    *nan_count += nans;
    *low = min;
    *high = max;
    return true;
  } else if constexpr (kIsBytes<Kind>) {
    std::string_view min = values[0];
    std::string_view max = values[0];
    for (int64_t i = 1; i < count; ++i) {
      if (Less<Kind>(values[i], min)) {
        min = values[i];
      } else if (Less<Kind>(max, values[i])) {
        max = values[i];
      }
    }
    *low = min;
    *high = max;
    return true;
  } else {
    auto min = values[0];
    auto max = values[0];
    for (int64_t i = 1; i < count; ++i) {
      min = values[i] < min ? values[i] : min;
      max = values[i] > max ? values[i] : max;
    }
    *low = min;
    *high = max;
    return true;
  }
}

/// Returns the PLAIN form of a bound (byte arrays without a length), zeros as the spec
/// asks: -0.0 for a min, +0.0 for a max.
template <typename Kind>
std::string EncodeBound(const typename Kind::Stored& value, bool is_min) {
  if constexpr (kIsBytes<Kind>) {
    return value;
  } else if constexpr (std::is_same_v<Kind, BooleanKind>) {
    return std::string(1, value ? '\1' : '\0');
  } else {
    using T = typename Kind::Value;
    T bound = value;
    if constexpr (kIsFloating<Kind>) {
      if (value == 0) {
        bound = is_min ? T(-0.0) : T(0.0);
      }
    }
    std::string out(sizeof(T), '\0');
    std::memcpy(out.data(), &bound, sizeof(T));
    return out;
  }
}

/// Decodes a big-endian two's complement number of 1 to 16 bytes.
Int128 DecodeBigEndian(std::string_view bytes);

/// Returns `value` cut to at most `limit` bytes as a lower bound (a prefix; for UTF-8
/// `is_string` values, at a character boundary), and sets `*exact` to whether it is
/// `value` itself.
std::string TruncateLowerBound(std::string_view value, int32_t limit, bool is_string, bool* exact);
/// Returns a value of at most `limit` bytes (one more when an incremented UTF-8
/// character grows) that is greater than `value` and every value `value` is a prefix
/// of: a prefix whose last character (string) or byte (binary) is incremented, dropping
/// characters or bytes that cannot be. Returns `value` itself, `*exact` true, when it
/// is short enough or nothing can be incremented.
std::string TruncateUpperBound(std::string_view value, int32_t limit, bool is_string, bool* exact);

}  // namespace sluice::parquet
