// SPDX-License-Identifier: Apache-2.0
#include "columnar/vector.h"

namespace sluice {

int ValueWidth(TypeId id) {
  switch (id) {
    case TypeId::kByte:
      return 1;
    case TypeId::kShort:
      return 2;
    case TypeId::kInt:
    case TypeId::kFloat:
    case TypeId::kDate:
      return 4;
    case TypeId::kLong:
    case TypeId::kDouble:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return 8;
    case TypeId::kDecimal:
      return 16;
    default:
      return 0;
  }
}

Vector::Vector(TypePtr type, int64_t length, int64_t null_count, BufferPtr validity,
               BufferPtr values, BufferPtr data, std::vector<VectorPtr> children, int64_t offset)
    : type_(std::move(type)),
      length_(length),
      null_count_(null_count),
      validity_(std::move(validity)),
      values_(std::move(values)),
      data_(std::move(data)),
      children_(std::move(children)),
      offset_(offset),
      all_null_(type_ != nullptr && type_->id() == TypeId::kNull) {
  SLUICE_CHECK(type_ != nullptr, "vector without a type");
  if (all_null_) {
    SLUICE_CHECK(null_count_ == length_ && validity_ == nullptr && values_ == nullptr &&
                     data_ == nullptr && children_.empty(),
                 "a void vector has {} nulls in {} rows or buffers", null_count_, length_);
  } else {
    SLUICE_CHECK(null_count_ == 0 || validity_ != nullptr, "nulls without a validity bitmap");
  }
  if (type_->id() == TypeId::kVariant) {
    SLUICE_CHECK(children_.size() == 2, "a variant vector has {} children, not 2",
                 children_.size());
  }
}

VectorPtr Vector::Slice(int64_t offset, int64_t length) const {
  SLUICE_CHECK(offset >= 0 && length >= 0 && offset + length <= length_,
               "slice [{}, {}) out of a vector of {} rows", offset, offset + length, length_);
  const int64_t physical = offset_ + offset;
  if (all_null_) {
    return std::make_shared<const Vector>(type_, length, length, nullptr, nullptr, nullptr,
                                          std::vector<VectorPtr>{}, physical);
  }
  const int64_t nulls =
      validity_ == nullptr ? 0 : length - bits::CountSet(validity_->data(), physical, length);
  return std::make_shared<const Vector>(type_, length, nulls, nulls == 0 ? nullptr : validity_,
                                        values_, data_, children_, physical);
}

}  // namespace sluice
