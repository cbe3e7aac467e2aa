// SPDX-License-Identifier: Apache-2.0
#include "columnar/row_hash.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <string_view>

#include "columnar/hash_util.h"

namespace sluice {
namespace {

using hash::Combine;
using hash::HashU64;
using hash::kNullHash;
using hash::kPrime1;
using hash::kPrime2;
using hash::kPrime3;
using hash::kPrime4;
using hash::kPrime5;
using hash::Load32;
using hash::Load64;
using hash::Mix64;
using hash::NormalizedBits;

/// The hash of a row with no key columns, and of a struct without fields.
constexpr uint64_t kEmptyHash = 0xBB67AE8584CAA73BULL;
/// Seeds for arrays and maps, so that [] and {} and a null differ.
constexpr uint64_t kArraySeed = 0x3C6EF372FE94F82BULL;
constexpr uint64_t kMapSeed = 0xA54FF53A5F1D36F1ULL;

/// xxHash64-style hash of bytes (its short-input path, applied to any length).
uint64_t HashBytes(std::string_view bytes) {
  const char* p = bytes.data();
  size_t n = bytes.size();
  uint64_t h = kPrime5 + static_cast<uint64_t>(n);
  while (n >= 8) {
    const uint64_t k = std::rotl(Load64(p) * kPrime2, 31) * kPrime1;
    h = std::rotl(h ^ k, 27) * kPrime1 + kPrime4;
    p += 8;
    n -= 8;
  }
  if (n >= 4) {
    h = std::rotl(h ^ (static_cast<uint64_t>(Load32(p)) * kPrime1), 23) * kPrime2 + kPrime3;
    p += 4;
    n -= 4;
  }
  while (n > 0) {
    h = std::rotl(h ^ (static_cast<uint64_t>(static_cast<uint8_t>(*p)) * kPrime5), 11) * kPrime1;
    ++p;
    --n;
  }
  return Mix64(h);
}

inline uint64_t HashDecimal(Int128 value) {
  const auto bits = static_cast<unsigned __int128>(value);
  return Combine(HashU64(static_cast<uint64_t>(bits)), HashU64(static_cast<uint64_t>(bits >> 64)));
}

template <typename T>
inline bool FloatEqual(T left, T right) {
  if (std::isnan(left) || std::isnan(right)) {
    return std::isnan(left) && std::isnan(right);
  }
  return left == right;  // -0.0 == 0.0
}

/// Hashes a valid (non-null) value.
uint64_t HashValid(const Vector& vector, int64_t row) {
  switch (vector.type_id()) {
    case TypeId::kBoolean:
      return HashU64(vector.BoolValue(row) ? 1 : 0);
    case TypeId::kByte:
      return HashU64(static_cast<uint64_t>(vector.Value<int8_t>(row)));
    case TypeId::kShort:
      return HashU64(static_cast<uint64_t>(vector.Value<int16_t>(row)));
    case TypeId::kInt:
    case TypeId::kDate:
      return HashU64(static_cast<uint64_t>(vector.Value<int32_t>(row)));
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return HashU64(static_cast<uint64_t>(vector.Value<int64_t>(row)));
    case TypeId::kFloat:
      return HashU64(NormalizedBits(vector.Value<float>(row)));
    case TypeId::kDouble:
      return HashU64(NormalizedBits(vector.Value<double>(row)));
    case TypeId::kDecimal:
      return HashDecimal(vector.DecimalValue(row));
    case TypeId::kString:
    case TypeId::kBinary:
      return HashBytes(vector.StringValue(row));
    case TypeId::kStruct: {
      if (vector.num_children() == 0) {
        return kEmptyHash;
      }
      const int64_t child_row = vector.offset() + row;
      uint64_t hash = HashValue(*vector.child(0), child_row);
      for (int k = 1; k < vector.num_children(); ++k) {
        hash = Combine(hash, HashValue(*vector.child(k), child_row));
      }
      return hash;
    }
    case TypeId::kArray: {
      const int32_t start = vector.ListStart(row);
      const int32_t end = vector.ListEnd(row);
      uint64_t hash = Combine(kArraySeed, HashU64(static_cast<uint64_t>(end - start)));
      for (int32_t j = start; j < end; ++j) {
        hash = Combine(hash, HashValue(*vector.child(0), j));
      }
      return hash;
    }
    case TypeId::kMap: {
      const int32_t start = vector.ListStart(row);
      const int32_t end = vector.ListEnd(row);
      uint64_t hash = Combine(kMapSeed, HashU64(static_cast<uint64_t>(end - start)));
      for (int32_t j = start; j < end; ++j) {
        hash = Combine(hash, HashValue(*vector.child(0), j));
        hash = Combine(hash, HashValue(*vector.child(1), j));
      }
      return hash;
    }
    case TypeId::kVariant:
      // By the bytes: equal values in different encodings (e.g. int8 1 and decimal 1.0)
      // are different keys.
      return Combine(HashBytes(vector.VariantMetadata(row)), HashBytes(vector.VariantValue(row)));
    case TypeId::kNull:
      return kNullHash;  // not reached: every row of a void vector is null
  }
  SLUICE_CHECK(false, "cannot hash {}", vector.type()->ToString());
  return 0;
}

/// Compares two valid values of the same type.
bool ValidEqual(const Vector& left, int64_t left_row, const Vector& right, int64_t right_row) {
  switch (left.type_id()) {
    case TypeId::kBoolean:
      return left.BoolValue(left_row) == right.BoolValue(right_row);
    case TypeId::kByte:
      return left.Value<int8_t>(left_row) == right.Value<int8_t>(right_row);
    case TypeId::kShort:
      return left.Value<int16_t>(left_row) == right.Value<int16_t>(right_row);
    case TypeId::kInt:
    case TypeId::kDate:
      return left.Value<int32_t>(left_row) == right.Value<int32_t>(right_row);
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return left.Value<int64_t>(left_row) == right.Value<int64_t>(right_row);
    case TypeId::kFloat:
      return FloatEqual(left.Value<float>(left_row), right.Value<float>(right_row));
    case TypeId::kDouble:
      return FloatEqual(left.Value<double>(left_row), right.Value<double>(right_row));
    case TypeId::kDecimal:
      return left.DecimalValue(left_row) == right.DecimalValue(right_row);
    case TypeId::kString:
    case TypeId::kBinary:
      return left.StringValue(left_row) == right.StringValue(right_row);
    case TypeId::kStruct: {
      const int64_t left_child_row = left.offset() + left_row;
      const int64_t right_child_row = right.offset() + right_row;
      for (int k = 0; k < left.num_children(); ++k) {
        if (!ValuesEqual(*left.child(k), left_child_row, *right.child(k), right_child_row)) {
          return false;
        }
      }
      return true;
    }
    case TypeId::kArray:
    case TypeId::kMap: {
      const int32_t left_start = left.ListStart(left_row);
      const int32_t right_start = right.ListStart(right_row);
      const int32_t length = left.ListEnd(left_row) - left_start;
      if (right.ListEnd(right_row) - right_start != length) {
        return false;
      }
      for (int c = 0; c < left.num_children(); ++c) {
        for (int32_t j = 0; j < length; ++j) {
          if (!ValuesEqual(*left.child(c), left_start + j, *right.child(c), right_start + j)) {
            return false;
          }
        }
      }
      return true;
    }
    case TypeId::kVariant:
      return left.VariantMetadata(left_row) == right.VariantMetadata(right_row) &&
             left.VariantValue(left_row) == right.VariantValue(right_row);
    case TypeId::kNull:
      return true;  // not reached: every row of a void vector is null
  }
  SLUICE_CHECK(false, "cannot compare {}", left.type()->ToString());
  return false;
}

/// Hashes the column into `hashes`: stores when `first`, combines otherwise. `hash_at`
/// hashes a valid row; the null test is hoisted out when the column has no nulls.
template <typename HashAt>
void HashColumn(const Vector& column, int64_t num_rows, bool first, uint64_t* hashes,
                HashAt hash_at) {
  if (column.null_count() == 0) {
    if (first) {
      for (int64_t i = 0; i < num_rows; ++i) {
        hashes[i] = hash_at(i);
      }
    } else {
      for (int64_t i = 0; i < num_rows; ++i) {
        hashes[i] = Combine(hashes[i], hash_at(i));
      }
    }
    return;
  }
  for (int64_t i = 0; i < num_rows; ++i) {
    const uint64_t hash = column.IsNull(i) ? kNullHash : hash_at(i);
    hashes[i] = first ? hash : Combine(hashes[i], hash);
  }
}

template <typename T>
void HashIntegers(const Vector& column, int64_t num_rows, bool first, uint64_t* hashes) {
  const T* values = column.values_buffer()->data_as<T>() + column.offset();
  HashColumn(column, num_rows, first, hashes,
             [values](int64_t i) { return HashU64(static_cast<uint64_t>(values[i])); });
}

template <typename T>
void HashFloats(const Vector& column, int64_t num_rows, bool first, uint64_t* hashes) {
  const T* values = column.values_buffer()->data_as<T>() + column.offset();
  HashColumn(column, num_rows, first, hashes,
             [values](int64_t i) { return HashU64(NormalizedBits(values[i])); });
}

}  // namespace

uint64_t HashValue(const Vector& vector, int64_t row) {
  return vector.IsNull(row) ? kNullHash : HashValid(vector, row);
}

bool ValuesEqual(const Vector& left, int64_t left_row, const Vector& right, int64_t right_row) {
  SLUICE_DCHECK(left.type_id() == right.type_id(), "comparing {} with {}", left.type()->ToString(),
                right.type()->ToString());
  const bool left_null = left.IsNull(left_row);
  const bool right_null = right.IsNull(right_row);
  if (left_null || right_null) {
    return left_null && right_null;
  }
  return ValidEqual(left, left_row, right, right_row);
}

void HashRows(const std::vector<VectorPtr>& key_columns, int64_t num_rows, uint64_t* hashes) {
  if (num_rows <= 0) {
    return;
  }
  if (key_columns.empty()) {
    for (int64_t i = 0; i < num_rows; ++i) {
      hashes[i] = kEmptyHash;
    }
    return;
  }
  bool first = true;
  for (const VectorPtr& column : key_columns) {
    SLUICE_DCHECK(column->length() >= num_rows, "key column has {} rows, {} to hash",
                  column->length(), num_rows);
    switch (column->type_id()) {
      case TypeId::kByte:
        HashIntegers<int8_t>(*column, num_rows, first, hashes);
        break;
      case TypeId::kShort:
        HashIntegers<int16_t>(*column, num_rows, first, hashes);
        break;
      case TypeId::kInt:
      case TypeId::kDate:
        HashIntegers<int32_t>(*column, num_rows, first, hashes);
        break;
      case TypeId::kLong:
      case TypeId::kTimestamp:
      case TypeId::kTimestampNtz:
        HashIntegers<int64_t>(*column, num_rows, first, hashes);
        break;
      case TypeId::kFloat:
        HashFloats<float>(*column, num_rows, first, hashes);
        break;
      case TypeId::kDouble:
        HashFloats<double>(*column, num_rows, first, hashes);
        break;
      case TypeId::kString:
      case TypeId::kBinary: {
        const Vector& strings = *column;
        HashColumn(strings, num_rows, first, hashes,
                   [&strings](int64_t i) { return HashBytes(strings.StringValue(i)); });
        break;
      }
      default: {
        // Booleans, decimals and nested types: one value at a time.
        const Vector& values = *column;
        HashColumn(values, num_rows, first, hashes,
                   [&values](int64_t i) { return HashValid(values, i); });
        break;
      }
    }
    first = false;
  }
}

bool RowsEqual(const std::vector<VectorPtr>& left, int64_t left_row,
               const std::vector<VectorPtr>& right, int64_t right_row) {
  SLUICE_DCHECK(left.size() == right.size(), "comparing rows of {} and {} columns", left.size(),
                right.size());
  for (size_t c = 0; c < left.size(); ++c) {
    if (!ValuesEqual(*left[c], left_row, *right[c], right_row)) {
      return false;
    }
  }
  return true;
}

}  // namespace sluice
