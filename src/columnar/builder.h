// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "columnar/buffer.h"
#include "columnar/vector.h"
#include "types/data_type.h"

namespace sluice {

/// Builds one Vector row by row. Make() returns the concrete builder for a type; cast
/// it to that class (below) to append values: Int64Builder for long, StringBuilder for
/// string, StructBuilder for struct, NullBuilder for void, VariantBuilder for variant,
/// and so on. Single-threaded.
class VectorBuilder {
 public:
  /// Returns a builder for `type`, with builders for all nested children.
  static std::unique_ptr<VectorBuilder> Make(TypePtr type);

  virtual ~VectorBuilder() = default;
  VectorBuilder(const VectorBuilder&) = delete;
  VectorBuilder& operator=(const VectorBuilder&) = delete;

  const TypePtr& type() const { return type_; }
  int64_t length() const { return length_; }
  int64_t null_count() const { return null_count_; }

  /// Appends a null (nested builders append a null, or nothing, to their children so
  /// positions stay aligned).
  virtual void AppendNull() = 0;
  /// Makes room for `additional` more rows.
  virtual void Reserve(int64_t additional) = 0;
  /// Returns the built vector and resets the builder to empty.
  virtual VectorPtr Finish() = 0;

  /// Shrinks to the first `length` rows (e.g. to drop a record that failed half-way).
  /// Nested builders also drop what the removed rows appended to their children.
  virtual void Truncate(int64_t length) = 0;

 protected:
  explicit VectorBuilder(TypePtr type) : type_(std::move(type)) {}

  /// Records one more row, valid or null, in the validity bitmap.
  void AppendValidity(bool valid) {
    if (!valid) [[unlikely]] {
      MarkNull();
    } else if (validity_ != nullptr) {
      validity_->Resize(bits::BytesFor(length_ + 1));
      bits::Set(validity_->mutable_data(), length_);
    }
    ++length_;
  }
  void TruncateValidity(int64_t length);
  /// Hands out the validity bitmap (nullptr when no nulls) and resets length and nulls.
  BufferPtr FinishValidity();

  TypePtr type_;
  int64_t length_ = 0;
  int64_t null_count_ = 0;

 private:
  void MarkNull();

  BufferPtr validity_;  // created at the first null
};

/// Builds fixed-width vectors: T is the C type of the values (see Vector).
template <typename T>
class FixedWidthBuilder final : public VectorBuilder {
 public:
  explicit FixedWidthBuilder(TypePtr type)
      : VectorBuilder(std::move(type)), values_(std::make_shared<Buffer>()) {}

  void Append(T value) {
    values_->AppendValue(value);
    AppendValidity(true);
  }
  void AppendNull() override {
    values_->AppendValue(T{});
    AppendValidity(false);
  }
  void Reserve(int64_t additional) override {
    values_->Reserve(values_->size() + additional * static_cast<int64_t>(sizeof(T)));
  }
  void Truncate(int64_t length) override {
    values_->Resize(length * static_cast<int64_t>(sizeof(T)));
    TruncateValidity(length);
  }
  VectorPtr Finish() override {
    const int64_t length = length_;
    const int64_t nulls = null_count_;
    BufferPtr validity = FinishValidity();
    BufferPtr values = std::exchange(values_, std::make_shared<Buffer>());
    return std::make_shared<const Vector>(type_, length, nulls, std::move(validity),
                                          std::move(values), nullptr, std::vector<VectorPtr>{});
  }

 private:
  BufferPtr values_;
};

using Int8Builder = FixedWidthBuilder<int8_t>;
using Int16Builder = FixedWidthBuilder<int16_t>;
using Int32Builder = FixedWidthBuilder<int32_t>;  // int and date
using Int64Builder = FixedWidthBuilder<int64_t>;  // long, timestamp, timestamp_ntz
using FloatBuilder = FixedWidthBuilder<float>;
using DoubleBuilder = FixedWidthBuilder<double>;
using DecimalBuilder = FixedWidthBuilder<Int128>;

/// Builds boolean vectors (bit-packed values).
class BooleanBuilder final : public VectorBuilder {
 public:
  explicit BooleanBuilder(TypePtr type);
  void Append(bool value) {
    values_->Resize(bits::BytesFor(length_ + 1));
    if (value) {
      bits::Set(values_->mutable_data(), length_);
    } else {
      bits::Clear(values_->mutable_data(), length_);
    }
    AppendValidity(true);
  }
  void AppendNull() override;
  void Reserve(int64_t additional) override;
  void Truncate(int64_t length) override;
  VectorPtr Finish() override;

 private:
  BufferPtr values_;
};

/// Builds string and binary vectors.
class StringBuilder final : public VectorBuilder {
 public:
  explicit StringBuilder(TypePtr type);
  void Append(std::string_view value) {
    data_->Append(value.data(), static_cast<int64_t>(value.size()));
    offsets_->AppendValue(static_cast<int32_t>(data_->size()));
    AppendValidity(true);
  }
  void AppendNull() override;
  void Reserve(int64_t additional) override;
  /// Makes room for `bytes` more bytes of string data.
  void ReserveData(int64_t bytes) { data_->Reserve(data_->size() + bytes); }
  void Truncate(int64_t length) override;
  VectorPtr Finish() override;
  /// Bytes appended so far.
  int64_t data_size() const { return data_->size(); }

 private:
  BufferPtr offsets_;  // length + 1 entries, starting with 0
  BufferPtr data_;
};

/// Builds void (NullType) vectors: rows are only ever null, and no buffer is kept.
class NullBuilder final : public VectorBuilder {
 public:
  explicit NullBuilder(TypePtr type);
  void AppendNull() override {
    ++length_;
    ++null_count_;
  }
  void Reserve(int64_t /*additional*/) override {}
  void Truncate(int64_t length) override;
  VectorPtr Finish() override;
};

/// Builds variant vectors: a metadata and a value in the Variant binary encoding per
/// row (types/variant.h makes them from JSON). The bytes are not checked here.
class VariantBuilder final : public VectorBuilder {
 public:
  explicit VariantBuilder(TypePtr type);
  void Append(std::string_view metadata, std::string_view value) {
    metadata_.Append(metadata);
    value_.Append(value);
    AppendValidity(true);
  }
  /// Appends a null variant (with empty metadata and value underneath).
  void AppendNull() override;
  void Reserve(int64_t additional) override;
  void Truncate(int64_t length) override;
  VectorPtr Finish() override;

 private:
  StringBuilder metadata_;
  StringBuilder value_;
};

/// Builds struct vectors. Append a row by appending one value (or null) to every child
/// builder, then calling Append(); AppendNull() appends a null to every child itself.
class StructBuilder final : public VectorBuilder {
 public:
  explicit StructBuilder(TypePtr type);
  /// Closes a valid row whose fields were appended to the children.
  void Append() { AppendValidity(true); }
  void AppendNull() override;
  void Reserve(int64_t additional) override;
  void Truncate(int64_t length) override;
  VectorPtr Finish() override;
  int num_children() const { return static_cast<int>(children_.size()); }
  VectorBuilder* child(int index) { return children_[index].get(); }

 private:
  std::vector<std::unique_ptr<VectorBuilder>> children_;
};

/// Builds array vectors. Append elements to element(), then call Append() to close a
/// list holding every element appended since the previous row.
class ArrayBuilder final : public VectorBuilder {
 public:
  explicit ArrayBuilder(TypePtr type);
  void Append() {
    offsets_->AppendValue(static_cast<int32_t>(element_->length()));
    AppendValidity(true);
  }
  void AppendNull() override;
  void Reserve(int64_t additional) override;
  void Truncate(int64_t length) override;
  VectorPtr Finish() override;
  VectorBuilder* element() { return element_.get(); }

 private:
  BufferPtr offsets_;
  std::unique_ptr<VectorBuilder> element_;
};

/// Builds map vectors: append entries to keys() and values() in step, then Append().
class MapBuilder final : public VectorBuilder {
 public:
  explicit MapBuilder(TypePtr type);
  void Append() {
    offsets_->AppendValue(static_cast<int32_t>(keys_->length()));
    AppendValidity(true);
  }
  void AppendNull() override;
  void Reserve(int64_t additional) override;
  void Truncate(int64_t length) override;
  VectorPtr Finish() override;
  VectorBuilder* keys() { return keys_.get(); }
  VectorBuilder* values() { return values_.get(); }

 private:
  BufferPtr offsets_;
  std::unique_ptr<VectorBuilder> keys_;
  std::unique_ptr<VectorBuilder> values_;
};

}  // namespace sluice
