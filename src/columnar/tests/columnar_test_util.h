// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "columnar/builder.h"

namespace sluice::testing {

/// Builds a vector of `type` with `Builder`, a null for each std::nullopt.
template <typename Builder, typename T>
VectorPtr MakeVector(TypePtr type, const std::vector<std::optional<T>>& values) {
  Builder builder(std::move(type));
  for (const auto& value : values) {
    if (value) {
      builder.Append(*value);
    } else {
      builder.AppendNull();
    }
  }
  return builder.Finish();
}

inline VectorPtr Ints(const std::vector<std::optional<int32_t>>& values) {
  return MakeVector<Int32Builder>(IntType(), values);
}

inline VectorPtr Longs(const std::vector<std::optional<int64_t>>& values) {
  return MakeVector<Int64Builder>(LongType(), values);
}

inline VectorPtr Strings(const std::vector<std::optional<std::string>>& values) {
  return MakeVector<StringBuilder>(StringType(), values);
}

}  // namespace sluice::testing
