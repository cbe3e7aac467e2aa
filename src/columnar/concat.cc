// SPDX-License-Identifier: Apache-2.0
#include "columnar/concat.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace sluice {
namespace {

/// Rows [start, start + length) of `vector`, in its logical row numbering.
struct Range {
  const Vector* vector;
  int64_t start;
  int64_t length;
};

constexpr int64_t kMaxOffset = std::numeric_limits<int32_t>::max();

/// Copies `length` bits from `src` at bit `src_offset` to `dst` at bit `dst_offset`.
void CopyBits(const uint8_t* src, int64_t src_offset, uint8_t* dst, int64_t dst_offset,
              int64_t length) {
  int64_t i = 0;
  if ((src_offset & 7) == (dst_offset & 7)) {
    // Same alignment: bits up to a byte boundary, then whole bytes.
    for (; i < length && ((src_offset + i) & 7) != 0; ++i) {
      if (bits::Get(src, src_offset + i)) {
        bits::Set(dst, dst_offset + i);
      } else {
        bits::Clear(dst, dst_offset + i);
      }
    }
    const int64_t whole_bytes = (length - i) / 8;
    if (whole_bytes > 0) {
      std::memcpy(dst + ((dst_offset + i) >> 3), src + ((src_offset + i) >> 3),
                  static_cast<size_t>(whole_bytes));
      i += whole_bytes * 8;
    }
  }
  for (; i < length; ++i) {
    if (bits::Get(src, src_offset + i)) {
      bits::Set(dst, dst_offset + i);
    } else {
      bits::Clear(dst, dst_offset + i);
    }
  }
}

/// Sets `length` bits of `dst` from bit `offset`.
void SetBits(uint8_t* dst, int64_t offset, int64_t length) {
  int64_t i = 0;
  for (; i < length && ((offset + i) & 7) != 0; ++i) {
    bits::Set(dst, offset + i);
  }
  const int64_t whole_bytes = (length - i) / 8;
  if (whole_bytes > 0) {
    std::memset(dst + ((offset + i) >> 3), 0xff, static_cast<size_t>(whole_bytes));
    i += whole_bytes * 8;
  }
  for (; i < length; ++i) {
    bits::Set(dst, offset + i);
  }
}

int64_t NullsIn(const Range& range) {
  const BufferPtr& validity = range.vector->validity_buffer();
  if (validity == nullptr || range.vector->null_count() == 0) {
    return 0;
  }
  return range.length -
         bits::CountSet(validity->data(), range.vector->offset() + range.start, range.length);
}

/// Builds the validity bitmap of the concatenation; nullptr when there are no nulls.
BufferPtr ConcatValidity(const std::vector<Range>& ranges, int64_t total, int64_t* null_count) {
  int64_t nulls = 0;
  for (const Range& range : ranges) {
    nulls += NullsIn(range);
  }
  *null_count = nulls;
  if (nulls == 0) {
    return nullptr;
  }
  auto validity = std::make_shared<Buffer>(bits::BytesFor(total));
  int64_t position = 0;
  for (const Range& range : ranges) {
    const BufferPtr& source = range.vector->validity_buffer();
    if (source == nullptr || range.vector->null_count() == 0) {
      SetBits(validity->mutable_data(), position, range.length);
    } else {
      CopyBits(source->data(), range.vector->offset() + range.start, validity->mutable_data(),
               position, range.length);
    }
    position += range.length;
  }
  return validity;
}

/// Appends the rebased int32 offsets of `range` to `offsets` and returns the child (or
/// data) span [first, last) it covers. `base` is the child length appended so far.
Status AppendOffsets(const Range& range, int64_t base, Buffer* offsets, int32_t* first,
                     int32_t* last) {
  const int32_t* source =
      range.vector->values_buffer()->data_as<int32_t>() + range.vector->offset() + range.start;
  *first = source[0];
  *last = source[range.length];
  if (base + (*last - *first) > kMaxOffset) {
    return Status::ResourceExhausted(
        fmt::format("concatenated {} needs more than {} offset entries",
                    range.vector->type()->ToString(), kMaxOffset));
  }
  const int64_t shift = base - *first;
  for (int64_t i = 1; i <= range.length; ++i) {
    offsets->AppendValue(static_cast<int32_t>(source[i] + shift));
  }
  return Status::Ok();
}

Result<VectorPtr> ConcatRanges(const TypePtr& type, const std::vector<Range>& ranges) {
  int64_t total = 0;
  for (const Range& range : ranges) {
    total += range.length;
  }
  int64_t null_count = 0;
  BufferPtr validity = ConcatValidity(ranges, total, &null_count);

  switch (type->id()) {
    case TypeId::kBoolean: {
      auto values = std::make_shared<Buffer>(bits::BytesFor(total));
      int64_t position = 0;
      for (const Range& range : ranges) {
        CopyBits(range.vector->values_buffer()->data(), range.vector->offset() + range.start,
                 values->mutable_data(), position, range.length);
        position += range.length;
      }
      return std::make_shared<const Vector>(type, total, null_count, std::move(validity),
                                            std::move(values), nullptr, std::vector<VectorPtr>{});
    }
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: {
      const int64_t width = ValueWidth(type->id());
      auto values = std::make_shared<Buffer>();
      values->Reserve(total * width);
      for (const Range& range : ranges) {
        values->Append(
            range.vector->values_buffer()->data() + (range.vector->offset() + range.start) * width,
            range.length * width);
      }
      return std::make_shared<const Vector>(type, total, null_count, std::move(validity),
                                            std::move(values), nullptr, std::vector<VectorPtr>{});
    }
    case TypeId::kString:
    case TypeId::kBinary: {
      auto offsets = std::make_shared<Buffer>();
      offsets->Reserve((total + 1) * static_cast<int64_t>(sizeof(int32_t)));
      offsets->AppendValue(int32_t{0});
      auto data = std::make_shared<Buffer>();
      for (const Range& range : ranges) {
        int32_t first = 0;
        int32_t last = 0;
        SLUICE_RETURN_IF_ERROR(AppendOffsets(range, data->size(), offsets.get(), &first, &last));
        if (last > first) {
          data->Append(range.vector->data_buffer()->data() + first, last - first);
        }
      }
      return std::make_shared<const Vector>(type, total, null_count, std::move(validity),
                                            std::move(offsets), std::move(data),
                                            std::vector<VectorPtr>{});
    }
    case TypeId::kArray:
    case TypeId::kMap: {
      auto offsets = std::make_shared<Buffer>();
      offsets->Reserve((total + 1) * static_cast<int64_t>(sizeof(int32_t)));
      offsets->AppendValue(int32_t{0});
      const bool is_map = type->id() == TypeId::kMap;
      std::vector<Range> element_ranges;  // array elements, or map keys
      std::vector<Range> value_ranges;    // map values, which share the keys' offsets
      element_ranges.reserve(ranges.size());
      int64_t child_length = 0;
      for (const Range& range : ranges) {
        int32_t first = 0;
        int32_t last = 0;
        SLUICE_RETURN_IF_ERROR(AppendOffsets(range, child_length, offsets.get(), &first, &last));
        if (last > first) {
          element_ranges.push_back({range.vector->child(0).get(), first, last - first});
          if (is_map) {
            value_ranges.push_back({range.vector->child(1).get(), first, last - first});
          }
          child_length += last - first;
        }
      }
      std::vector<VectorPtr> children;
      SLUICE_ASSIGN_OR_RETURN(
          VectorPtr elements,
          ConcatRanges(is_map ? type->key_type() : type->element_type(), element_ranges));
      children.push_back(std::move(elements));
      if (is_map) {
        SLUICE_ASSIGN_OR_RETURN(VectorPtr values, ConcatRanges(type->value_type(), value_ranges));
        children.push_back(std::move(values));
      }
      return std::make_shared<const Vector>(type, total, null_count, std::move(validity),
                                            std::move(offsets), nullptr, std::move(children));
    }
    case TypeId::kStruct:
    case TypeId::kVariant: {
      // A variant's children are its binary metadata and value, placed as a struct's.
      const bool is_variant = type->id() == TypeId::kVariant;
      const int num_children = is_variant ? 2 : type->num_fields();
      std::vector<VectorPtr> children;
      children.reserve(num_children);
      std::vector<Range> child_ranges(ranges.size());
      for (int k = 0; k < num_children; ++k) {
        for (size_t i = 0; i < ranges.size(); ++i) {
          // A struct's children are as long as its own buffers: row i is at offset + i.
          child_ranges[i] = {ranges[i].vector->child(k).get(),
                             ranges[i].vector->offset() + ranges[i].start, ranges[i].length};
        }
        SLUICE_ASSIGN_OR_RETURN(
            VectorPtr child,
            ConcatRanges(is_variant ? BinaryType() : type->field(k).type, child_ranges));
        children.push_back(std::move(child));
      }
      return std::make_shared<const Vector>(type, total, null_count, std::move(validity), nullptr,
                                            nullptr, std::move(children));
    }
    case TypeId::kNull:
      // No buffers: every row is null.
      return std::make_shared<const Vector>(type, total, total, nullptr, nullptr, nullptr,
                                            std::vector<VectorPtr>{});
  }
  return Status::Internal(fmt::format("cannot concatenate {}", type->ToString()));
}

/// The validity of `source` at `rows` (in range); nullptr when none of them is null.
BufferPtr GatherValidity(const Vector& source, const std::vector<int64_t>& rows,
                         int64_t* null_count) {
  *null_count = 0;
  if (source.validity_buffer() == nullptr || source.null_count() == 0) {
    return nullptr;
  }
  const int64_t length = static_cast<int64_t>(rows.size());
  const int64_t num_bytes = bits::BytesFor(length);
  BufferPtr validity = Buffer::Uninitialized(num_bytes);
  const uint8_t* bitmap = source.validity_buffer()->data();
  const int64_t offset = source.offset();
  int64_t valid = 0;
  for (int64_t w = 0; w * 64 < length; ++w) {
    const int64_t base = w * 64;
    const int64_t count = std::min<int64_t>(64, length - base);
    uint64_t word = 0;
    for (int64_t j = 0; j < count; ++j) {
      word |= static_cast<uint64_t>(bits::Get(bitmap, offset + rows[base + j])) << j;
    }
    valid += std::popcount(word);
    bits::WriteWord(validity->mutable_data(), w, word, num_bytes);
  }
  *null_count = length - valid;
  return *null_count == 0 ? nullptr : validity;
}

template <typename T>
BufferPtr GatherFixed(const Vector& source, const std::vector<int64_t>& rows) {
  BufferPtr values = Buffer::Uninitialized(static_cast<int64_t>(rows.size() * sizeof(T)));
  const T* in = source.values_buffer()->data_as<T>() + source.offset();
  T* out = values->mutable_data_as<T>();
  for (size_t i = 0; i < rows.size(); ++i) {
    out[i] = in[rows[i]];
  }
  return values;
}

BufferPtr GatherBits(const Vector& source, const std::vector<int64_t>& rows) {
  const int64_t length = static_cast<int64_t>(rows.size());
  const int64_t num_bytes = bits::BytesFor(length);
  BufferPtr values = Buffer::Uninitialized(num_bytes);
  const uint8_t* in = source.values_buffer()->data();
  const int64_t offset = source.offset();
  for (int64_t w = 0; w * 64 < length; ++w) {
    const int64_t base = w * 64;
    const int64_t count = std::min<int64_t>(64, length - base);
    uint64_t word = 0;
    for (int64_t j = 0; j < count; ++j) {
      word |= static_cast<uint64_t>(bits::Get(in, offset + rows[base + j])) << j;
    }
    bits::WriteWord(values->mutable_data(), w, word, num_bytes);
  }
  return values;
}

/// The strings (or binary values) of `source` at `rows`: offsets and bytes.
Status GatherStrings(const Vector& source, const std::vector<int64_t>& rows, BufferPtr* offsets,
                     BufferPtr* data) {
  const int32_t* in = source.values_buffer()->data_as<int32_t>() + source.offset();
  int64_t total = 0;
  for (const int64_t row : rows) {
    total += in[row + 1] - in[row];
  }
  if (total > kMaxOffset) {
    return Status::ResourceExhausted(fmt::format("taken {} needs more than {} offset entries",
                                                 source.type()->ToString(), kMaxOffset));
  }
  *offsets = Buffer::Uninitialized(static_cast<int64_t>((rows.size() + 1) * sizeof(int32_t)));
  *data = Buffer::Uninitialized(total);
  int32_t* out_offsets = (*offsets)->mutable_data_as<int32_t>();
  uint8_t* out = (*data)->mutable_data();
  const uint8_t* bytes = source.data_buffer() == nullptr ? nullptr : source.data_buffer()->data();
  int32_t position = 0;
  out_offsets[0] = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int32_t begin = in[rows[i]];
    const int32_t size = in[rows[i] + 1] - begin;
    if (size > 0) {
      std::memcpy(out + position, bytes + begin, static_cast<size_t>(size));
    }
    position += size;
    out_offsets[i + 1] = position;
  }
  return Status::Ok();
}

/// Take for flat (boolean, fixed-width, string, binary) vectors, row by row into fresh
/// buffers; nullopt for the other types. `rows` is non-empty and in range.
std::optional<Result<VectorPtr>> Gather(const Vector& source, const std::vector<int64_t>& rows) {
  const TypeId id = source.type_id();
  const int width = ValueWidth(id);
  const bool is_string = id == TypeId::kString || id == TypeId::kBinary;
  if (id != TypeId::kBoolean && width == 0 && !is_string) {
    return std::nullopt;
  }
  int64_t null_count = 0;
  BufferPtr validity = GatherValidity(source, rows, &null_count);
  BufferPtr values;
  BufferPtr data;
  switch (width) {
    case 1:
      values = GatherFixed<uint8_t>(source, rows);
      break;
    case 2:
      values = GatherFixed<uint16_t>(source, rows);
      break;
    case 4:
      values = GatherFixed<uint32_t>(source, rows);
      break;
    case 8:
      values = GatherFixed<uint64_t>(source, rows);
      break;
    case 16:
      values = GatherFixed<Int128>(source, rows);
      break;
    default:
      if (is_string) {
        if (Status status = GatherStrings(source, rows, &values, &data); !status.ok()) {
          return Result<VectorPtr>(std::move(status));
        }
      } else {
        values = GatherBits(source, rows);
      }
      break;
  }
  return Result<VectorPtr>(std::make_shared<const Vector>(
      source.type(), static_cast<int64_t>(rows.size()), null_count, std::move(validity),
      std::move(values), std::move(data), std::vector<VectorPtr>{}));
}

/// Drops empty ranges, which may reference vectors without offset or data buffers.
std::vector<Range> NonEmpty(std::vector<Range> ranges) {
  std::erase_if(ranges, [](const Range& range) { return range.length == 0; });
  return ranges;
}

template <typename Builder>
Builder* As(VectorBuilder* builder) {
  return static_cast<Builder*>(builder);
}

}  // namespace

Result<VectorPtr> Concatenate(const std::vector<VectorPtr>& vectors) {
  if (vectors.empty()) {
    return Status::InvalidArgument("Concatenate needs at least one vector");
  }
  std::vector<Range> ranges;
  ranges.reserve(vectors.size());
  for (size_t i = 0; i < vectors.size(); ++i) {
    if (vectors[i] == nullptr) {
      return Status::InvalidArgument(fmt::format("vector {} to concatenate is null", i));
    }
    if (!vectors[i]->type()->Equals(*vectors[0]->type())) {
      return Status::InvalidArgument(fmt::format("cannot concatenate {} (vector {}) with {}",
                                                 vectors[i]->type()->ToString(), i,
                                                 vectors[0]->type()->ToString()));
    }
    ranges.push_back({vectors[i].get(), 0, vectors[i]->length()});
  }
  return ConcatRanges(vectors[0]->type(), NonEmpty(std::move(ranges)));
}

Result<BatchPtr> ConcatenateBatches(const std::vector<BatchPtr>& batches) {
  if (batches.empty()) {
    return Status::InvalidArgument("ConcatenateBatches needs at least one batch");
  }
  int64_t total = 0;
  for (size_t i = 0; i < batches.size(); ++i) {
    if (batches[i] == nullptr) {
      return Status::InvalidArgument(fmt::format("batch {} to concatenate is null", i));
    }
    if (!batches[i]->schema()->Equals(*batches[0]->schema())) {
      return Status::InvalidArgument(
          fmt::format("cannot concatenate a batch of {} (batch {}) with {}",
                      batches[i]->schema()->ToString(), i, batches[0]->schema()->ToString()));
    }
    total += batches[i]->num_rows();
  }
  const SchemaPtr& schema = batches[0]->schema();
  std::vector<VectorPtr> columns;
  columns.reserve(schema->num_fields());
  for (int c = 0; c < schema->num_fields(); ++c) {
    std::vector<Range> ranges;
    ranges.reserve(batches.size());
    for (const BatchPtr& batch : batches) {
      ranges.push_back({batch->column(c).get(), 0, batch->num_rows()});
    }
    SLUICE_ASSIGN_OR_RETURN(VectorPtr column,
                            ConcatRanges(schema->field(c).type, NonEmpty(std::move(ranges))));
    columns.push_back(std::move(column));
  }
  return std::make_shared<const Batch>(schema, std::move(columns), total);
}

Result<VectorPtr> Take(const Vector& source, const std::vector<int64_t>& rows) {
  bool one_run = true;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int64_t row = rows[i];
    if (row < 0 || row >= source.length()) {
      return Status::InvalidArgument(
          fmt::format("row {} (index {}) is out of a vector of {} rows", row, i, source.length()));
    }
    one_run = one_run && (i == 0 || row == rows[i - 1] + 1);
  }
  if (rows.empty()) {
    return ConcatRanges(source.type(), {});
  }
  if (one_run) {
    return ConcatRanges(source.type(), {{&source, rows[0], static_cast<int64_t>(rows.size())}});
  }
  if (std::optional<Result<VectorPtr>> gathered = Gather(source, rows)) {
    return std::move(*gathered);
  }
  std::vector<Range> runs;
  for (const int64_t row : rows) {
    if (!runs.empty() && runs.back().start + runs.back().length == row) {
      ++runs.back().length;
    } else {
      runs.push_back({&source, row, 1});
    }
  }
  return ConcatRanges(source.type(), runs);
}

void AppendValue(const Vector& source, int64_t row, VectorBuilder* builder) {
  SLUICE_CHECK(source.type_id() == builder->type()->id(), "appending {} to a builder of {}",
               source.type()->ToString(), builder->type()->ToString());
  if (source.IsNull(row)) {
    builder->AppendNull();
    return;
  }
  switch (source.type_id()) {
    case TypeId::kBoolean:
      As<BooleanBuilder>(builder)->Append(source.BoolValue(row));
      return;
    case TypeId::kByte:
      As<Int8Builder>(builder)->Append(source.Value<int8_t>(row));
      return;
    case TypeId::kShort:
      As<Int16Builder>(builder)->Append(source.Value<int16_t>(row));
      return;
    case TypeId::kInt:
    case TypeId::kDate:
      As<Int32Builder>(builder)->Append(source.Value<int32_t>(row));
      return;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      As<Int64Builder>(builder)->Append(source.Value<int64_t>(row));
      return;
    case TypeId::kFloat:
      As<FloatBuilder>(builder)->Append(source.Value<float>(row));
      return;
    case TypeId::kDouble:
      As<DoubleBuilder>(builder)->Append(source.Value<double>(row));
      return;
    case TypeId::kDecimal:
      As<DecimalBuilder>(builder)->Append(source.DecimalValue(row));
      return;
    case TypeId::kString:
    case TypeId::kBinary:
      As<StringBuilder>(builder)->Append(source.StringValue(row));
      return;
    case TypeId::kStruct: {
      auto* struct_builder = As<StructBuilder>(builder);
      for (int k = 0; k < source.num_children(); ++k) {
        AppendValue(*source.child(k), source.offset() + row, struct_builder->child(k));
      }
      struct_builder->Append();
      return;
    }
    case TypeId::kArray: {
      auto* array_builder = As<ArrayBuilder>(builder);
      for (int32_t j = source.ListStart(row); j < source.ListEnd(row); ++j) {
        AppendValue(*source.child(0), j, array_builder->element());
      }
      array_builder->Append();
      return;
    }
    case TypeId::kMap: {
      auto* map_builder = As<MapBuilder>(builder);
      for (int32_t j = source.ListStart(row); j < source.ListEnd(row); ++j) {
        AppendValue(*source.child(0), j, map_builder->keys());
        AppendValue(*source.child(1), j, map_builder->values());
      }
      map_builder->Append();
      return;
    }
    case TypeId::kVariant:
      As<VariantBuilder>(builder)->Append(source.VariantMetadata(row), source.VariantValue(row));
      return;
    case TypeId::kNull:
      builder->AppendNull();  // not reached: every row of a void vector is null
      return;
  }
  SLUICE_CHECK(false, "cannot append a value of {}", source.type()->ToString());
}

}  // namespace sluice
