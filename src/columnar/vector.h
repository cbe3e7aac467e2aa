// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "columnar/buffer.h"
#include "types/data_type.h"
#include "types/decimal.h"

namespace sluice {

class Vector;
/// Published vectors are immutable and shared.
using VectorPtr = std::shared_ptr<const Vector>;

/// Returns the width in bytes of one value of a fixed-width type, 0 for boolean (bits)
/// and for variable-width and nested types.
int ValueWidth(TypeId id);

/// An immutable column in the Arrow layout:
/// - validity: a bitmap (1 = valid), absent when there are no nulls;
/// - boolean: values bit-packed in `values`;
/// - byte/short/int/long/float/double: int8/int16/int32/int64/float/double in `values`;
///   date: int32 days; timestamp, timestamp_ntz: int64 microseconds; decimal: Int128
///   unscaled (16 bytes, Arrow's decimal128);
/// - string/binary: int32 `offsets` (length + 1 entries) into the bytes of `data`;
/// - array: int32 `offsets` into child(0), the elements;
/// - map: int32 `offsets` into child(0), the keys, and child(1), the values (Arrow
///   nests these two in a struct child; the buffers are the same);
/// - struct: child(i) is field i, as long as the struct.
/// - void (NullType): Arrow's null layout: no buffers at all, every value is null
///   (null_count == length, no validity bitmap; IsNull is true for every row).
/// - variant: unshredded, as Arrow's and Parquet's variant: child(0) is the binary
///   metadata and child(1) the binary value of the Variant binary encoding (see
///   types/variant.h), both as long as the variant vector and indexed like a struct's
///   children (row i at offset + i); a null row has empty children.
/// `offset` is Arrow's: logical row i lives at physical slot offset + i of the own
/// buffers (validity, values, offsets, and the children of a struct). Offsets of lists
/// and strings index their child or data directly.
class Vector {
 public:
  Vector(TypePtr type, int64_t length, int64_t null_count, BufferPtr validity, BufferPtr values,
         BufferPtr data, std::vector<VectorPtr> children, int64_t offset = 0);

  const TypePtr& type() const { return type_; }
  TypeId type_id() const { return type_->id(); }
  int64_t length() const { return length_; }
  int64_t offset() const { return offset_; }
  int64_t null_count() const { return null_count_; }

  bool IsNull(int64_t index) const {
    return validity_ != nullptr ? !bits::Get(validity_->data(), offset_ + index) : all_null_;
  }
  bool IsValid(int64_t index) const { return !IsNull(index); }

  /// Returns value `index` of a fixed-width vector whose C type is T.
  template <typename T>
  T Value(int64_t index) const {
    return values_->data_as<T>()[offset_ + index];
  }
  bool BoolValue(int64_t index) const { return bits::Get(values_->data(), offset_ + index); }
  Int128 DecimalValue(int64_t index) const { return Value<Int128>(index); }
  /// Returns the bytes of a string or binary value.
  std::string_view StringValue(int64_t index) const {
    const int32_t* offsets = values_->data_as<int32_t>() + offset_ + index;
    return {reinterpret_cast<const char*>(data_->data()) + offsets[0],
            static_cast<size_t>(offsets[1] - offsets[0])};
  }
  /// Returns the metadata and the value bytes of variant `index` (Variant encoding).
  std::string_view VariantMetadata(int64_t index) const {
    return children_[0]->StringValue(offset_ + index);
  }
  std::string_view VariantValue(int64_t index) const {
    return children_[1]->StringValue(offset_ + index);
  }
  /// Returns [start, end) of list or map `index` within the child vector(s).
  int32_t ListStart(int64_t index) const { return values_->data_as<int32_t>()[offset_ + index]; }
  int32_t ListEnd(int64_t index) const { return values_->data_as<int32_t>()[offset_ + index + 1]; }

  int num_children() const { return static_cast<int>(children_.size()); }
  const VectorPtr& child(int index) const { return children_[index]; }
  const std::vector<VectorPtr>& children() const { return children_; }

  const BufferPtr& validity_buffer() const { return validity_; }
  const BufferPtr& values_buffer() const { return values_; }
  const BufferPtr& data_buffer() const { return data_; }

  /// Returns rows [offset, offset + length) sharing this vector's buffers.
  VectorPtr Slice(int64_t offset, int64_t length) const;

 private:
  TypePtr type_;
  int64_t length_;
  int64_t null_count_;
  BufferPtr validity_;  // nullptr when no value is null
  BufferPtr values_;    // fixed-width values, bits, or int32 offsets
  BufferPtr data_;      // string and binary bytes
  std::vector<VectorPtr> children_;
  int64_t offset_;
  bool all_null_;  // a void vector: every row is null without a bitmap
};

}  // namespace sluice
