// SPDX-License-Identifier: Apache-2.0
#include "columnar/builder.h"

#include <algorithm>

namespace sluice {

void VectorBuilder::MarkNull() {
  if (validity_ == nullptr) {
    validity_ = std::make_shared<Buffer>();
    validity_->Resize(bits::BytesFor(length_ + 1));
    std::fill_n(validity_->mutable_data(), bits::BytesFor(length_ + 1), uint8_t{0xff});
  } else {
    validity_->Resize(bits::BytesFor(length_ + 1));
  }
  bits::Clear(validity_->mutable_data(), length_);
  ++null_count_;
}

void VectorBuilder::TruncateValidity(int64_t length) {
  SLUICE_CHECK(length >= 0 && length <= length_, "truncate to {} of {} rows", length, length_);
  if (validity_ != nullptr) {
    null_count_ -= (length_ - length) - bits::CountSet(validity_->data(), length, length_ - length);
    validity_->Resize(bits::BytesFor(length));
    if (null_count_ == 0) {
      validity_.reset();
    } else if (length % 8 != 0) {
      // Clear the stale bits past the end so later appends start from zero.
      uint8_t& last = validity_->mutable_data()[length / 8];
      last &= static_cast<uint8_t>((1u << (length % 8)) - 1);
    }
  }
  length_ = length;
}

BufferPtr VectorBuilder::FinishValidity() {
  BufferPtr validity = std::move(validity_);
  validity_.reset();
  length_ = 0;
  null_count_ = 0;
  return validity;
}

// ---- BooleanBuilder ----

BooleanBuilder::BooleanBuilder(TypePtr type)
    : VectorBuilder(std::move(type)), values_(std::make_shared<Buffer>()) {}

void BooleanBuilder::AppendNull() {
  values_->Resize(bits::BytesFor(length_ + 1));
  bits::Clear(values_->mutable_data(), length_);
  AppendValidity(false);
}

void BooleanBuilder::Reserve(int64_t additional) {
  values_->Reserve(bits::BytesFor(length_ + additional));
}

void BooleanBuilder::Truncate(int64_t length) {
  TruncateValidity(length);
  values_->Resize(bits::BytesFor(length));
  if (length % 8 != 0) {
    values_->mutable_data()[length / 8] &= static_cast<uint8_t>((1u << (length % 8)) - 1);
  }
}

VectorPtr BooleanBuilder::Finish() {
  const int64_t length = length_;
  const int64_t nulls = null_count_;
  BufferPtr validity = FinishValidity();
  values_->Resize(bits::BytesFor(length));
  BufferPtr values = std::exchange(values_, std::make_shared<Buffer>());
  return std::make_shared<const Vector>(type_, length, nulls, std::move(validity),
                                        std::move(values), nullptr, std::vector<VectorPtr>{});
}

// ---- StringBuilder ----

StringBuilder::StringBuilder(TypePtr type)
    : VectorBuilder(std::move(type)),
      offsets_(std::make_shared<Buffer>()),
      data_(std::make_shared<Buffer>()) {
  offsets_->AppendValue(int32_t{0});
}

void StringBuilder::AppendNull() {
  offsets_->AppendValue(static_cast<int32_t>(data_->size()));
  AppendValidity(false);
}

void StringBuilder::Reserve(int64_t additional) {
  offsets_->Reserve(offsets_->size() + additional * static_cast<int64_t>(sizeof(int32_t)));
}

void StringBuilder::Truncate(int64_t length) {
  TruncateValidity(length);
  offsets_->Resize((length + 1) * static_cast<int64_t>(sizeof(int32_t)));
  data_->Resize(offsets_->data_as<int32_t>()[length]);
}

VectorPtr StringBuilder::Finish() {
  const int64_t length = length_;
  const int64_t nulls = null_count_;
  BufferPtr validity = FinishValidity();
  BufferPtr offsets = std::exchange(offsets_, std::make_shared<Buffer>());
  BufferPtr data = std::exchange(data_, std::make_shared<Buffer>());
  offsets_->AppendValue(int32_t{0});
  return std::make_shared<const Vector>(type_, length, nulls, std::move(validity),
                                        std::move(offsets), std::move(data),
                                        std::vector<VectorPtr>{});
}

// ---- NullBuilder ----

NullBuilder::NullBuilder(TypePtr type) : VectorBuilder(std::move(type)) {}

void NullBuilder::Truncate(int64_t length) {
  SLUICE_CHECK(length >= 0 && length <= length_, "truncate to {} of {} rows", length, length_);
  length_ = length;
  null_count_ = length;
}

VectorPtr NullBuilder::Finish() {
  const int64_t length = length_;
  length_ = 0;
  null_count_ = 0;
  return std::make_shared<const Vector>(type_, length, length, nullptr, nullptr, nullptr,
                                        std::vector<VectorPtr>{});
}

// ---- VariantBuilder ----

VariantBuilder::VariantBuilder(TypePtr type)
    : VectorBuilder(std::move(type)), metadata_(BinaryType()), value_(BinaryType()) {}

void VariantBuilder::AppendNull() {
  metadata_.Append({});
  value_.Append({});
  AppendValidity(false);
}

void VariantBuilder::Reserve(int64_t additional) {
  metadata_.Reserve(additional);
  value_.Reserve(additional);
}

void VariantBuilder::Truncate(int64_t length) {
  TruncateValidity(length);
  metadata_.Truncate(length);
  value_.Truncate(length);
}

VectorPtr VariantBuilder::Finish() {
  const int64_t length = length_;
  const int64_t nulls = null_count_;
  BufferPtr validity = FinishValidity();
  std::vector<VectorPtr> children{metadata_.Finish(), value_.Finish()};
  return std::make_shared<const Vector>(type_, length, nulls, std::move(validity), nullptr, nullptr,
                                        std::move(children));
}

// ---- StructBuilder ----

StructBuilder::StructBuilder(TypePtr type) : VectorBuilder(std::move(type)) {
  for (const Field& field : type_->fields()) {
    children_.push_back(VectorBuilder::Make(field.type));
  }
}

void StructBuilder::AppendNull() {
  for (auto& child : children_) {
    child->AppendNull();
  }
  AppendValidity(false);
}

void StructBuilder::Reserve(int64_t additional) {
  for (auto& child : children_) {
    child->Reserve(additional);
  }
}

void StructBuilder::Truncate(int64_t length) {
  TruncateValidity(length);
  for (auto& child : children_) {
    child->Truncate(length);
  }
}

VectorPtr StructBuilder::Finish() {
  const int64_t length = length_;
  const int64_t nulls = null_count_;
  BufferPtr validity = FinishValidity();
  std::vector<VectorPtr> children;
  children.reserve(children_.size());
  for (auto& child : children_) {
    SLUICE_CHECK(child->length() == length, "struct child has {} rows, struct {}", child->length(),
                 length);
    children.push_back(child->Finish());
  }
  return std::make_shared<const Vector>(type_, length, nulls, std::move(validity), nullptr, nullptr,
                                        std::move(children));
}

// ---- ArrayBuilder ----

ArrayBuilder::ArrayBuilder(TypePtr type)
    : VectorBuilder(std::move(type)),
      offsets_(std::make_shared<Buffer>()),
      element_(VectorBuilder::Make(type_->element_type())) {
  offsets_->AppendValue(int32_t{0});
}

void ArrayBuilder::AppendNull() {
  offsets_->AppendValue(static_cast<int32_t>(element_->length()));
  AppendValidity(false);
}

void ArrayBuilder::Reserve(int64_t additional) {
  offsets_->Reserve(offsets_->size() + additional * static_cast<int64_t>(sizeof(int32_t)));
}

void ArrayBuilder::Truncate(int64_t length) {
  TruncateValidity(length);
  offsets_->Resize((length + 1) * static_cast<int64_t>(sizeof(int32_t)));
  element_->Truncate(offsets_->data_as<int32_t>()[length]);
}

VectorPtr ArrayBuilder::Finish() {
  const int64_t length = length_;
  const int64_t nulls = null_count_;
  BufferPtr validity = FinishValidity();
  BufferPtr offsets = std::exchange(offsets_, std::make_shared<Buffer>());
  offsets_->AppendValue(int32_t{0});
  std::vector<VectorPtr> children{element_->Finish()};
  return std::make_shared<const Vector>(type_, length, nulls, std::move(validity),
                                        std::move(offsets), nullptr, std::move(children));
}

// ---- MapBuilder ----

MapBuilder::MapBuilder(TypePtr type)
    : VectorBuilder(std::move(type)),
      offsets_(std::make_shared<Buffer>()),
      keys_(VectorBuilder::Make(type_->key_type())),
      values_(VectorBuilder::Make(type_->value_type())) {
  offsets_->AppendValue(int32_t{0});
}

void MapBuilder::AppendNull() {
  offsets_->AppendValue(static_cast<int32_t>(keys_->length()));
  AppendValidity(false);
}

void MapBuilder::Reserve(int64_t additional) {
  offsets_->Reserve(offsets_->size() + additional * static_cast<int64_t>(sizeof(int32_t)));
}

void MapBuilder::Truncate(int64_t length) {
  TruncateValidity(length);
  offsets_->Resize((length + 1) * static_cast<int64_t>(sizeof(int32_t)));
  const int32_t entries = offsets_->data_as<int32_t>()[length];
  keys_->Truncate(entries);
  values_->Truncate(entries);
}

VectorPtr MapBuilder::Finish() {
  const int64_t length = length_;
  const int64_t nulls = null_count_;
  BufferPtr validity = FinishValidity();
  BufferPtr offsets = std::exchange(offsets_, std::make_shared<Buffer>());
  offsets_->AppendValue(int32_t{0});
  SLUICE_CHECK(keys_->length() == values_->length(), "map has {} keys but {} values",
               keys_->length(), values_->length());
  std::vector<VectorPtr> children{keys_->Finish(), values_->Finish()};
  return std::make_shared<const Vector>(type_, length, nulls, std::move(validity),
                                        std::move(offsets), nullptr, std::move(children));
}

// ---- factory ----

std::unique_ptr<VectorBuilder> VectorBuilder::Make(TypePtr type) {
  switch (type->id()) {
    case TypeId::kBoolean:
      return std::make_unique<BooleanBuilder>(std::move(type));
    case TypeId::kByte:
      return std::make_unique<Int8Builder>(std::move(type));
    case TypeId::kShort:
      return std::make_unique<Int16Builder>(std::move(type));
    case TypeId::kInt:
    case TypeId::kDate:
      return std::make_unique<Int32Builder>(std::move(type));
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return std::make_unique<Int64Builder>(std::move(type));
    case TypeId::kFloat:
      return std::make_unique<FloatBuilder>(std::move(type));
    case TypeId::kDouble:
      return std::make_unique<DoubleBuilder>(std::move(type));
    case TypeId::kDecimal:
      return std::make_unique<DecimalBuilder>(std::move(type));
    case TypeId::kString:
    case TypeId::kBinary:
      return std::make_unique<StringBuilder>(std::move(type));
    case TypeId::kStruct:
      return std::make_unique<StructBuilder>(std::move(type));
    case TypeId::kArray:
      return std::make_unique<ArrayBuilder>(std::move(type));
    case TypeId::kMap:
      return std::make_unique<MapBuilder>(std::move(type));
    case TypeId::kNull:
      return std::make_unique<NullBuilder>(std::move(type));
    case TypeId::kVariant:
      return std::make_unique<VariantBuilder>(std::move(type));
  }
  SLUICE_CHECK(false, "no builder for type {}", type->ToString());
  return nullptr;
}

}  // namespace sluice
