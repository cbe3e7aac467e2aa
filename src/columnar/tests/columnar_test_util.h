// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "columnar/builder.h"
#include "common/json.h"
#include "types/variant.h"

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

/// Builds a variant vector from JSON texts (encoded as Spark's parse_json), a null for
/// each std::nullopt.
inline VectorPtr Variants(const std::vector<std::optional<std::string>>& json_texts) {
  VariantBuilder builder(VariantType());
  for (const auto& text : json_texts) {
    if (!text) {
      builder.AppendNull();
      continue;
    }
    std::string metadata;
    std::string value;
    Result<JsonValue> json = JsonValue::Parse(*text);
    SLUICE_CHECK(json.ok() && JsonToVariant(*json, &metadata, &value).ok(), "bad test JSON {}",
                 *text);
    builder.Append(metadata, value);
  }
  return builder.Finish();
}

/// Returns a void vector of `length` rows.
inline VectorPtr Nulls(int64_t length) {
  NullBuilder builder(NullType());
  for (int64_t i = 0; i < length; ++i) {
    builder.AppendNull();
  }
  return builder.Finish();
}

}  // namespace sluice::testing
