// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/column_writer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/check.h"
#include "common/utf8.h"
#include "formats/parquet/byte_stream_split.h"
#include "formats/parquet/compression.h"
#include "formats/parquet/delta.h"
#include "formats/parquet/rle.h"
#include "formats/parquet/value_kinds.h"

namespace sluice::parquet {
namespace {

// Rows appended between two checks of the page size: pages end at the first check past
// the target, as Arrow's write batches of 1024 values do.
constexpr int64_t kRowsPerCheck = 1024;

// ---------------------------------------------------------------------------------------
// Bounds (min/max) of values, and their encoded form.

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

// The counts and bounds of a page, a chunk or the whole file.
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

// Finds the smallest and largest of `count` (> 0) values, NaN left out (and counted);
// returns false when every value is NaN.
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

template <typename T>
std::string LittleEndianBytes(T value) {
  std::string out(sizeof(T), '\0');
  std::memcpy(out.data(), &value, sizeof(T));
  return out;
}

// Returns the PLAIN form of a bound (byte arrays without a length), zeros as the spec
// asks: -0.0 for a min, +0.0 for a max.
template <typename Kind>
std::string EncodeBound(const typename Kind::Stored& value, bool is_min) {
  if constexpr (kIsBytes<Kind>) {
    return value;
  } else if constexpr (std::is_same_v<Kind, BooleanKind>) {
    return std::string(1, value ? '\1' : '\0');
  } else if constexpr (kIsFloating<Kind>) {
    using T = typename Kind::Value;
    return LittleEndianBytes<T>(value == 0 ? (is_min ? T(-0.0) : T(0.0)) : value);
  } else {
    return LittleEndianBytes(value);
  }
}

// Decodes a big-endian two's complement number of 1 to 16 bytes.
Int128 DecodeBigEndian(std::string_view bytes) {
  auto value = static_cast<Int128>(static_cast<int8_t>(bytes[0]));
  for (size_t i = 1; i < bytes.size(); ++i) {
    value = static_cast<Int128>((static_cast<unsigned __int128>(value) << 8) |
                                static_cast<uint8_t>(bytes[i]));
  }
  return value;
}

// Returns whether `text` is valid UTF-8.
bool IsValidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t code_point = DecodeUtf8CodePoint(text, &pos);
    if (code_point == kReplacementCharacter && text.substr(start, pos - start) != "\xEF\xBF\xBD") {
      return false;
    }
  }
  return true;
}

// Scratch space for `T` values that is reused and never shrinks (std::vector<bool> has no
// data()).
template <typename T>
class ScratchBuffer {
 public:
  T* Resize(int64_t size) {
    if (size > capacity_) {
      capacity_ = std::max(size, capacity_ * 2);
      data_ = std::make_unique_for_overwrite<T[]>(static_cast<size_t>(capacity_));
    }
    return data_.get();
  }

 private:
  std::unique_ptr<T[]> data_;
  int64_t capacity_ = 0;
};

// ---------------------------------------------------------------------------------------
// Where the values of a run of slots come from: rows [start, start + length) of a flat
// column (nulls skipped when `skip_nulls`), or the listed indices of a leaf vector.

struct Selection {
  int64_t start = 0;
  int64_t length = 0;
  bool skip_nulls = false;
  const int64_t* indices = nullptr;
};

// How the sluice values of a leaf become physical values.
enum class Source : uint8_t {
  kNone,          // void: no values
  kSame,          // the vector holds the physical C type
  kInt8,          // byte -> INT32
  kInt16,         // short -> INT32
  kDecimal,       // decimal (Int128) -> INT32 / INT64
  kBits,          // boolean
  kStrings,       // string / binary offsets and bytes
  kDecimalBytes,  // decimal (Int128) -> big-endian FIXED_LEN_BYTE_ARRAY
};

template <typename Kind>
Source SourceFor(const DataType& type) {
  switch (type.id()) {
    case TypeId::kNull:
      return Source::kNone;
    case TypeId::kBoolean:
      return Source::kBits;
    case TypeId::kByte:
      return Source::kInt8;
    case TypeId::kShort:
      return Source::kInt16;
    case TypeId::kDecimal:
      return std::is_same_v<Kind, FlbaKind> ? Source::kDecimalBytes : Source::kDecimal;
    case TypeId::kString:
    case TypeId::kBinary:
      return Source::kStrings;
    default:
      return Source::kSame;
  }
}

// Returns the encoding for values that are not dictionary-encoded.
template <typename Kind>
format::Encoding::type ResolveValueEncoding(const ParquetWriteOptions& options) {
  using format::Encoding;
  const Encoding::type wanted = options.value_encoding;
  if constexpr (std::is_same_v<Kind, BooleanKind>) {
    if (wanted == Encoding::RLE || options.data_page_version == DataPageVersion::kV2) {
      return Encoding::RLE;
    }
    return Encoding::PLAIN;
  }
  constexpr bool is_int = std::is_same_v<Kind, Int32Kind> || std::is_same_v<Kind, Int64Kind>;
  if (wanted == Encoding::DELTA_BINARY_PACKED && is_int) {
    return wanted;
  }
  if ((wanted == Encoding::DELTA_LENGTH_BYTE_ARRAY || wanted == Encoding::DELTA_BYTE_ARRAY) &&
      std::is_same_v<Kind, ByteArrayKind>) {
    return wanted;
  }
  if (wanted == Encoding::BYTE_STREAM_SPLIT &&
      (is_int || kIsFloating<Kind> || std::is_same_v<Kind, FlbaKind>)) {
    return wanted;
  }
  return Encoding::PLAIN;
}

// Appends `count` levels, handing runs of equal levels to the encoder at once.
void PutLevels(const int16_t* levels, int64_t count, RleBitPackedEncoder* encoder) {
  int64_t i = 0;
  while (i < count) {
    const int16_t level = levels[i];
    int64_t end = i + 1;
    while (end < count && levels[end] == level) {
      ++end;
    }
    if (end - i == 1) {
      encoder->Put(static_cast<uint32_t>(level));
    } else {
      encoder->PutRepeated(static_cast<uint32_t>(level), end - i);
    }
    i = end;
  }
}

void PutIndices(const uint32_t* indices, int64_t count, RleBitPackedEncoder* encoder) {
  int64_t i = 0;
  while (i < count) {
    const uint32_t index = indices[i];
    int64_t end = i + 1;
    while (end < count && indices[end] == index) {
      ++end;
    }
    if (end - i == 1) {
      encoder->Put(index);
    } else {
      encoder->PutRepeated(index, end - i);
    }
    i = end;
  }
}

void AppendUint32(uint32_t value, std::string* out) {
  out->append(reinterpret_cast<const char*>(&value), 4);
}

// ---------------------------------------------------------------------------------------

template <typename Kind>
class TypedColumnWriter final : public ColumnChunkWriter {
 public:
  using Value = typename Kind::Value;
  using Stored = typename Kind::Stored;

  TypedColumnWriter(const WriteLeaf& leaf, const ParquetWriteOptions& options)
      : leaf_(leaf),
        options_(options),
        source_(SourceFor<Kind>(*leaf.type)),
        value_encoding_(ResolveValueEncoding<Kind>(options)),
        max_def_(leaf.max_definition_level),
        max_rep_(leaf.max_repetition_level),
        def_encoder_(BitWidth(static_cast<uint64_t>(leaf.max_definition_level))),
        rep_encoder_(BitWidth(static_cast<uint64_t>(leaf.max_repetition_level))) {
    use_dictionary_ = options.dictionary && !std::is_same_v<Kind, BooleanKind>;
    dictionary_active_ = use_dictionary_;
  }

  Status WriteColumn(const Vector& column) override;
  Status WriteLevels(const LeafLevels& levels) override;
  int64_t EstimatedChunkSize() const override {
    return chunk_uncompressed_size_ + EstimatedPageSize() +
           (dictionary_pages_ > 0 || dictionary_active_ ? dictionary_.plain_size() : 0);
  }
  Status FlushChunk(OutputStream* out, WrittenChunk* written) override;
  ColumnStatistics FileStatistics() const override;

 private:
  int64_t RowsBeforeCheck() const {
    return std::max<int64_t>(1, std::min(kRowsPerCheck, options_.data_page_row_limit - page_rows_));
  }
  int64_t EstimatedPageSize() const;
  const Value* Gather(const Vector& vector, const Selection& selection, int64_t count);
  template <typename Out, typename Get>
  void GatherInto(const Vector& vector, const Selection& selection, int64_t count, Out* out,
                  Get get) const;
  Status AppendRun(const int16_t* def, const int16_t* rep, int64_t num_levels, int64_t num_rows,
                   const Value* values, int64_t num_values);
  void AppendPlain(const Value* values, int64_t count);
  void EncodeValues(std::string* out, format::Encoding::type* encoding);
  Status FlushPage();
  void AddColumnIndexEntry();
  Status WriteDictionaryPage(OutputStream* out, int64_t* uncompressed, int64_t* compressed);
  format::Statistics ToThrift(const TypedStatistics<Kind>& stats) const;
  std::optional<Literal> ToLiteral(const Stored& value, bool is_min, bool* exact) const;
  std::string EncodeTruncated(const Stored& value, bool is_min, bool* exact) const;
  void NoteEncoding(format::PageType::type page_type, format::Encoding::type encoding);
  void ResetChunk();

  const WriteLeaf& leaf_;
  const ParquetWriteOptions& options_;
  const Source source_;
  const format::Encoding::type value_encoding_;
  const int16_t max_def_;
  const int16_t max_rep_;

  // Scratch for gathered values.
  ScratchBuffer<Value> values_scratch_;
  ScratchBuffer<Int128> decimal_scratch_;
  std::string bytes_scratch_;
  std::vector<int16_t> def_scratch_;

  // The open page.
  RleBitPackedEncoder def_encoder_;
  RleBitPackedEncoder rep_encoder_;
  std::string page_values_;             // PLAIN values (when not dictionary-encoded)
  std::vector<uint32_t> page_indices_;  // dictionary indices
  int64_t page_levels_ = 0;
  int64_t page_rows_ = 0;
  int64_t page_value_count_ = 0;  // non-null values
  TypedStatistics<Kind> page_stats_;
  std::string page_body_;   // levels and values of the page being flushed
  std::string compressed_;  // its compressed form

  // The open chunk.
  bool use_dictionary_ = false;
  bool dictionary_active_ = false;  // false after a fallback
  Dictionary<Kind> dictionary_;
  int64_t dictionary_pages_ = 0;  // data pages that use the dictionary
  std::string chunk_pages_;       // data pages with headers
  int64_t chunk_uncompressed_size_ = 0;
  int64_t chunk_rows_ = 0;
  TypedStatistics<Kind> chunk_stats_;
  std::vector<format::Encoding::type> encodings_;
  std::vector<format::PageEncodingStats> encoding_stats_;
  std::vector<format::PageLocation> page_locations_;  // offsets relative to chunk_pages_
  format::ColumnIndex column_index_;
  bool column_index_valid_ = true;
  Bounds<Kind> previous_page_bounds_;
  bool ascending_ = true;
  bool descending_ = true;

  TypedStatistics<Kind> file_stats_;
};

template <typename Kind>
int64_t TypedColumnWriter<Kind>::EstimatedPageSize() const {
  int64_t size = def_encoder_.EstimatedSize() + rep_encoder_.EstimatedSize();
  if (dictionary_active_) {
    const int width = BitWidth(static_cast<uint64_t>(std::max<int64_t>(dictionary_.size(), 1)));
    size += 1 + (static_cast<int64_t>(page_indices_.size()) * width + 7) / 8;
  } else {
    size += static_cast<int64_t>(page_values_.size());
  }
  return size;
}

template <typename Kind>
template <typename Out, typename Get>
void TypedColumnWriter<Kind>::GatherInto(const Vector& vector, const Selection& selection,
                                         int64_t count, Out* out, Get get) const {
  const int64_t offset = vector.offset();
  if (selection.indices != nullptr) {
    for (int64_t k = 0; k < count; ++k) {
      out[k] = get(offset + selection.indices[k]);
    }
  } else if (!selection.skip_nulls) {
    const int64_t first = offset + selection.start;
    for (int64_t k = 0; k < count; ++k) {
      out[k] = get(first + k);
    }
  } else {
    const uint8_t* validity = vector.validity_buffer()->data();
    const int64_t first = offset + selection.start;
    const int64_t end = first + selection.length;
    int64_t k = 0;
    for (int64_t slot = first; slot < end; ++slot) {
      if (bits::Get(validity, slot)) {
        out[k++] = get(slot);
      }
    }
    SLUICE_DCHECK(k == count);
  }
}

template <typename Kind>
const typename Kind::Value* TypedColumnWriter<Kind>::Gather(const Vector& vector,
                                                            const Selection& selection,
                                                            int64_t count) {
  if constexpr (std::is_same_v<Kind, BooleanKind>) {
    bool* out = values_scratch_.Resize(count);
    const uint8_t* data = vector.values_buffer()->data();
    GatherInto(vector, selection, count, out,
               [data](int64_t slot) { return bits::Get(data, slot); });
    return out;
  } else if constexpr (std::is_same_v<Kind, FlbaKind>) {
    // Decimals: the unscaled Int128 as its last type_length bytes, big-endian.
    std::string_view* out = values_scratch_.Resize(count);
    Int128* decimals = decimal_scratch_.Resize(count);
    const Int128* data = vector.values_buffer()->data_as<Int128>();
    GatherInto(vector, selection, count, decimals, [data](int64_t slot) { return data[slot]; });
    const auto width = static_cast<size_t>(leaf_.type_length);
    bytes_scratch_.resize(static_cast<size_t>(count) * width);
    for (int64_t k = 0; k < count; ++k) {
      auto bits = static_cast<unsigned __int128>(decimals[k]);
      char* bytes = bytes_scratch_.data() + static_cast<size_t>(k) * width;
      for (size_t b = width; b-- > 0;) {
        bytes[b] = static_cast<char>(static_cast<uint8_t>(bits));
        bits >>= 8;
      }
      out[k] = std::string_view(bytes, width);
    }
    return out;
  } else if constexpr (std::is_same_v<Kind, ByteArrayKind>) {
    std::string_view* out = values_scratch_.Resize(count);
    const int32_t* offsets = vector.values_buffer()->data_as<int32_t>();
    const char* data = vector.data_buffer() != nullptr
                           ? reinterpret_cast<const char*>(vector.data_buffer()->data())
                           : "";
    GatherInto(vector, selection, count, out, [offsets, data](int64_t slot) {
      return std::string_view(data + offsets[slot],
                              static_cast<size_t>(offsets[slot + 1] - offsets[slot]));
    });
    return out;
  } else {
    if (source_ == Source::kSame) {
      const Value* data = vector.values_buffer()->data_as<Value>();
      if (selection.indices == nullptr && !selection.skip_nulls) {
        return data + vector.offset() + selection.start;
      }
      Value* out = values_scratch_.Resize(count);
      GatherInto(vector, selection, count, out, [data](int64_t slot) { return data[slot]; });
      return out;
    }
    Value* out = values_scratch_.Resize(count);
    if constexpr (std::is_same_v<Kind, Int32Kind>) {
      if (source_ == Source::kInt8) {
        const int8_t* data = vector.values_buffer()->data_as<int8_t>();
        GatherInto(vector, selection, count, out,
                   [data](int64_t slot) { return static_cast<int32_t>(data[slot]); });
        return out;
      }
      if (source_ == Source::kInt16) {
        const int16_t* data = vector.values_buffer()->data_as<int16_t>();
        GatherInto(vector, selection, count, out,
                   [data](int64_t slot) { return static_cast<int32_t>(data[slot]); });
        return out;
      }
    }
    SLUICE_CHECK(source_ == Source::kDecimal, "unexpected value source for {}",
                 leaf_.type->ToString());
    const Int128* data = vector.values_buffer()->data_as<Int128>();
    GatherInto(vector, selection, count, out,
               [data](int64_t slot) { return static_cast<Value>(data[slot]); });
    return out;
  }
}

template <typename Kind>
Status TypedColumnWriter<Kind>::WriteColumn(const Vector& column) {
  const int64_t rows = column.length();
  const bool has_nulls = column.null_count() > 0;
  const bool all_null = source_ == Source::kNone || column.null_count() == rows;
  int64_t start = 0;
  while (start < rows) {
    const int64_t length = std::min(rows - start, RowsBeforeCheck());
    const int16_t* def = nullptr;  // all levels at the maximum
    int64_t count = length;
    if (all_null) {
      def_scratch_.assign(static_cast<size_t>(length), 0);
      def = def_scratch_.data();
      count = 0;
    } else if (has_nulls) {
      def_scratch_.resize(static_cast<size_t>(length));
      const uint8_t* validity = column.validity_buffer()->data();
      const int64_t first = column.offset() + start;
      count = 0;
      for (int64_t k = 0; k < length; ++k) {
        const bool valid = bits::Get(validity, first + k);
        def_scratch_[k] = valid ? max_def_ : 0;
        count += valid ? 1 : 0;
      }
      def = def_scratch_.data();
    }
    const Value* values = nullptr;
    if (count > 0) {
      values = Gather(column, Selection{start, length, has_nulls, nullptr}, count);
    }
    SLUICE_RETURN_IF_ERROR(AppendRun(def, nullptr, length, length, values, count));
    start += length;
  }
  return Status::Ok();
}

template <typename Kind>
Status TypedColumnWriter<Kind>::WriteLevels(const LeafLevels& levels) {
  const int64_t num_levels = levels.num_levels();
  const int16_t* def = levels.definition_levels.data();
  const int16_t* rep = levels.repetition_levels.data();
  int64_t position = 0;
  int64_t value_position = 0;
  while (position < num_levels) {
    const int64_t wanted = RowsBeforeCheck();
    int64_t end = position;
    int64_t rows = 0;
    if (max_rep_ > 0) {
      // A row starts at each repetition level 0; stop before the row past `wanted`.
      while (end < num_levels) {
        if (rep[end] == 0) {
          if (rows == wanted) {
            break;
          }
          ++rows;
        }
        ++end;
      }
    } else {
      end = std::min(num_levels, position + wanted);
      rows = end - position;
    }
    int64_t count = end - position;
    if (max_def_ > 0) {
      count = 0;
      for (int64_t i = position; i < end; ++i) {
        count += def[i] == max_def_ ? 1 : 0;
      }
    }
    const Value* values = nullptr;
    if (count > 0) {
      values = Gather(*levels.values,
                      Selection{0, 0, false, levels.value_indices.data() + value_position}, count);
    }
    SLUICE_RETURN_IF_ERROR(AppendRun(max_def_ > 0 ? def + position : nullptr,
                                     max_rep_ > 0 ? rep + position : nullptr, end - position, rows,
                                     values, count));
    position = end;
    value_position += count;
  }
  return Status::Ok();
}

template <typename Kind>
Status TypedColumnWriter<Kind>::AppendRun(const int16_t* def, const int16_t* rep,
                                          int64_t num_levels, int64_t num_rows, const Value* values,
                                          int64_t num_values) {
  if (max_rep_ > 0) {
    PutLevels(rep, num_levels, &rep_encoder_);
  }
  if (max_def_ > 0) {
    if (def != nullptr) {
      PutLevels(def, num_levels, &def_encoder_);
    } else {
      def_encoder_.PutRepeated(static_cast<uint32_t>(max_def_), num_levels);
    }
  }
  page_levels_ += num_levels;
  page_rows_ += num_rows;
  page_stats_.num_values += num_levels;
  page_stats_.null_count += num_levels - num_values;
  if (num_values > 0) {
    Value low{};
    Value high{};
    if (FindBounds<Kind>(values, num_values, &low, &high, &page_stats_.nan_count)) {
      page_stats_.bounds.Update(low, high);
    }
    page_value_count_ += num_values;
    if constexpr (!std::is_same_v<Kind, BooleanKind>) {
      if (dictionary_active_) {
        const size_t old_size = page_indices_.size();
        page_indices_.resize(old_size + static_cast<size_t>(num_values));
        uint32_t* indices = page_indices_.data() + old_size;
        for (int64_t k = 0; k < num_values; ++k) {
          indices[k] = dictionary_.Insert(values[k]);
        }
      } else {
        AppendPlain(values, num_values);
      }
    } else {
      AppendPlain(values, num_values);
    }
  }
  if (dictionary_active_ && dictionary_.plain_size() > options_.dictionary_page_size_limit) {
    // Close the page with the indices so far; the rest of the chunk is not dictionary
    // encoded, and the dictionary page still goes first.
    SLUICE_RETURN_IF_ERROR(FlushPage());
    dictionary_active_ = false;
  }
  if (page_rows_ >= options_.data_page_row_limit ||
      EstimatedPageSize() >= options_.data_page_size) {
    SLUICE_RETURN_IF_ERROR(FlushPage());
  }
  return Status::Ok();
}

template <typename Kind>
void TypedColumnWriter<Kind>::AppendPlain(const Value* values, int64_t count) {
  if constexpr (std::is_same_v<Kind, BooleanKind>) {
    // Bit-packed, least significant bit first; page_value_count_ already counts them.
    const int64_t first = page_value_count_ - count;
    page_values_.resize(static_cast<size_t>(bits::BytesFor(page_value_count_)), '\0');
    auto* out = reinterpret_cast<uint8_t*>(page_values_.data());
    for (int64_t k = 0; k < count; ++k) {
      if (values[k]) {
        bits::Set(out, first + k);
      }
    }
  } else if constexpr (std::is_same_v<Kind, ByteArrayKind>) {
    size_t total = 0;
    for (int64_t k = 0; k < count; ++k) {
      total += 4 + values[k].size();
    }
    size_t position = page_values_.size();
    page_values_.resize(position + total);
    char* out = page_values_.data();
    for (int64_t k = 0; k < count; ++k) {
      const auto length = static_cast<uint32_t>(values[k].size());
      std::memcpy(out + position, &length, 4);
      if (length > 0) {
        std::memcpy(out + position + 4, values[k].data(), length);
      }
      position += 4 + length;
    }
  } else if constexpr (std::is_same_v<Kind, FlbaKind>) {
    for (int64_t k = 0; k < count; ++k) {
      page_values_.append(values[k]);
    }
  } else {
    page_values_.append(reinterpret_cast<const char*>(values),
                        static_cast<size_t>(count) * sizeof(Value));
  }
}

template <typename Kind>
void TypedColumnWriter<Kind>::EncodeValues(std::string* out, format::Encoding::type* encoding) {
  using format::Encoding;
  if (page_value_count_ == 0) {
    // A page of nulls has no values: PLAIN says so in every reader.
    *encoding = Encoding::PLAIN;
    return;
  }
  if (dictionary_active_) {
    const int width = BitWidth(static_cast<uint64_t>(dictionary_.size() - 1));
    out->push_back(static_cast<char>(width));
    RleBitPackedEncoder encoder(width);
    PutIndices(page_indices_.data(), static_cast<int64_t>(page_indices_.size()), &encoder);
    encoder.Finish(out);
    *encoding = Encoding::RLE_DICTIONARY;
    return;
  }
  *encoding = value_encoding_;
  switch (value_encoding_) {
    case Encoding::RLE: {
      // Booleans: a 4-byte length, then 1-bit runs.
      RleBitPackedEncoder encoder(1);
      const auto* data = reinterpret_cast<const uint8_t*>(page_values_.data());
      for (int64_t k = 0; k < page_value_count_; ++k) {
        encoder.Put(bits::Get(data, k) ? 1 : 0);
      }
      const size_t length_position = out->size();
      AppendUint32(0, out);
      encoder.Finish(out);
      const auto length = static_cast<uint32_t>(out->size() - length_position - 4);
      std::memcpy(out->data() + length_position, &length, 4);
      return;
    }
    case Encoding::DELTA_BINARY_PACKED:
      if constexpr (std::is_same_v<Kind, Int32Kind> || std::is_same_v<Kind, Int64Kind>) {
        std::vector<Value> values(static_cast<size_t>(page_value_count_));
        std::memcpy(values.data(), page_values_.data(), values.size() * sizeof(Value));
        EncodeDeltaBinaryPacked<Value>(values.data(), page_value_count_, out);
        return;
      }
      break;
    case Encoding::DELTA_LENGTH_BYTE_ARRAY:
    case Encoding::DELTA_BYTE_ARRAY:
      if constexpr (std::is_same_v<Kind, ByteArrayKind>) {
        // Views into the PLAIN buffer: each value follows its 4-byte length.
        std::vector<std::string_view> values(static_cast<size_t>(page_value_count_));
        size_t position = 0;
        for (auto& value : values) {
          uint32_t length;
          std::memcpy(&length, page_values_.data() + position, 4);
          value = std::string_view(page_values_).substr(position + 4, length);
          position += 4 + length;
        }
        if (value_encoding_ == Encoding::DELTA_LENGTH_BYTE_ARRAY) {
          EncodeDeltaLengthByteArray(values.data(), page_value_count_, out);
        } else {
          EncodeDeltaByteArray(values.data(), page_value_count_, out);
        }
        return;
      }
      break;
    case Encoding::BYTE_STREAM_SPLIT: {
      const int width =
          std::is_same_v<Kind, FlbaKind> ? leaf_.type_length : static_cast<int>(sizeof(Value));
      EncodeByteStreamSplit(reinterpret_cast<const uint8_t*>(page_values_.data()), width,
                            page_value_count_, out);
      return;
    }
    default:
      break;
  }
  *encoding = Encoding::PLAIN;
  out->append(page_values_);
}

template <typename Kind>
void TypedColumnWriter<Kind>::NoteEncoding(format::PageType::type page_type,
                                           format::Encoding::type encoding) {
  if (std::find(encodings_.begin(), encodings_.end(), encoding) == encodings_.end()) {
    encodings_.push_back(encoding);
  }
  for (format::PageEncodingStats& stats : encoding_stats_) {
    if (stats.page_type == page_type && stats.encoding == encoding) {
      ++stats.count;
      return;
    }
  }
  format::PageEncodingStats stats;
  stats.__set_page_type(page_type);
  stats.__set_encoding(encoding);
  stats.__set_count(1);
  encoding_stats_.push_back(stats);
}

// Appends one level section: v1 with its 4-byte length, v2 bare; returns its size.
int32_t AppendLevels(RleBitPackedEncoder* encoder, bool with_length, std::string* out) {
  const size_t start = out->size();
  if (with_length) {
    AppendUint32(0, out);
  }
  encoder->Finish(out);
  if (with_length) {
    const auto length = static_cast<uint32_t>(out->size() - start - 4);
    std::memcpy(out->data() + start, &length, 4);
  }
  return static_cast<int32_t>(out->size() - start);
}

template <typename Kind>
Status TypedColumnWriter<Kind>::FlushPage() {
  if (page_levels_ == 0) {
    return Status::Ok();
  }
  const bool v2 = options_.data_page_version == DataPageVersion::kV2;
  page_body_.clear();
  int32_t rep_bytes = 0;
  int32_t def_bytes = 0;
  if (max_rep_ > 0) {
    rep_bytes = AppendLevels(&rep_encoder_, !v2, &page_body_);
  }
  if (max_def_ > 0) {
    def_bytes = AppendLevels(&def_encoder_, !v2, &page_body_);
  }
  const size_t levels_size = page_body_.size();
  format::Encoding::type encoding;
  EncodeValues(&page_body_, &encoding);
  if (encoding == format::Encoding::RLE_DICTIONARY) {
    ++dictionary_pages_;
  }

  // v1 compresses levels and values together; v2 only the values, and not at all when
  // there are none (a page of nulls): nothing to gain, and some readers choke on the
  // compressed form of nothing (hyparquet-compressors' LZ4_RAW).
  const bool compress = options_.compression != format::CompressionCodec::UNCOMPRESSED &&
                        (!v2 || page_body_.size() > levels_size);
  std::string_view stored = page_body_;
  if (compress) {
    compressed_.clear();
    std::string_view input = page_body_;
    if (v2) {
      compressed_.assign(page_body_, 0, levels_size);
      input.remove_prefix(levels_size);
    }
    SLUICE_RETURN_IF_ERROR(
        Compress(options_.compression, options_.compression_level, input, &compressed_));
    stored = compressed_;
  }

  format::PageHeader header;
  header.__set_uncompressed_page_size(static_cast<int32_t>(page_body_.size()));
  header.__set_compressed_page_size(static_cast<int32_t>(stored.size()));
  const auto num_values = static_cast<int32_t>(page_levels_);
  if (v2) {
    header.__set_type(format::PageType::DATA_PAGE_V2);
    format::DataPageHeaderV2 data;
    data.__set_num_values(num_values);
    data.__set_num_nulls(static_cast<int32_t>(page_stats_.null_count));
    data.__set_num_rows(static_cast<int32_t>(page_rows_));
    data.__set_encoding(encoding);
    data.__set_definition_levels_byte_length(def_bytes);
    data.__set_repetition_levels_byte_length(rep_bytes);
    data.__set_is_compressed(compress);
    header.__set_data_page_header_v2(data);
  } else {
    header.__set_type(format::PageType::DATA_PAGE);
    format::DataPageHeader data;
    data.__set_num_values(num_values);
    data.__set_encoding(encoding);
    data.__set_definition_level_encoding(format::Encoding::RLE);
    data.__set_repetition_level_encoding(format::Encoding::RLE);
    header.__set_data_page_header(data);
  }
  const size_t page_start = chunk_pages_.size();
  SLUICE_RETURN_IF_ERROR(SerializeThrift(header, &chunk_pages_));
  const size_t header_size = chunk_pages_.size() - page_start;
  chunk_pages_.append(stored);
  chunk_uncompressed_size_ += static_cast<int64_t>(header_size + page_body_.size());
  NoteEncoding(header.type, encoding);

  format::PageLocation location;
  location.__set_offset(static_cast<int64_t>(page_start));
  location.__set_compressed_page_size(static_cast<int32_t>(chunk_pages_.size() - page_start));
  location.__set_first_row_index(chunk_rows_);
  page_locations_.push_back(location);
  AddColumnIndexEntry();

  chunk_rows_ += page_rows_;
  chunk_stats_.Merge(page_stats_);
  page_stats_ = TypedStatistics<Kind>();
  page_values_.clear();
  page_indices_.clear();
  page_levels_ = 0;
  page_rows_ = 0;
  page_value_count_ = 0;
  return Status::Ok();
}

template <typename Kind>
std::string TypedColumnWriter<Kind>::EncodeTruncated(const Stored& value, bool is_min,
                                                     bool* exact) const {
  *exact = true;
  if constexpr (std::is_same_v<Kind, ByteArrayKind>) {
    const bool is_string = leaf_.type->id() == TypeId::kString;
    return is_min
               ? TruncateLowerBound(value, options_.statistics_truncate_length, is_string, exact)
               : TruncateUpperBound(value, options_.statistics_truncate_length, is_string, exact);
  } else {
    return EncodeBound<Kind>(value, is_min);
  }
}

template <typename Kind>
void TypedColumnWriter<Kind>::AddColumnIndexEntry() {
  const bool null_page = page_value_count_ == 0;
  if (!null_page && !page_stats_.bounds.present) {
    // Only NaN: no bounds to give, so no column index for this chunk.
    column_index_valid_ = false;
  }
  column_index_.null_pages.push_back(null_page);
  column_index_.null_counts.push_back(page_stats_.null_count);
  if (null_page || !page_stats_.bounds.present) {
    column_index_.min_values.emplace_back();
    column_index_.max_values.emplace_back();
    return;
  }
  bool exact;
  column_index_.min_values.push_back(EncodeTruncated(page_stats_.bounds.min, true, &exact));
  column_index_.max_values.push_back(EncodeTruncated(page_stats_.bounds.max, false, &exact));
  if (previous_page_bounds_.present) {
    const Bounds<Kind>& previous = previous_page_bounds_;
    const Bounds<Kind>& current = page_stats_.bounds;
    if (Less<Kind>(current.min, previous.min) || Less<Kind>(current.max, previous.max)) {
      ascending_ = false;
    }
    if (Less<Kind>(previous.min, current.min) || Less<Kind>(previous.max, current.max)) {
      descending_ = false;
    }
  }
  previous_page_bounds_ = page_stats_.bounds;
}

template <typename Kind>
format::Statistics TypedColumnWriter<Kind>::ToThrift(const TypedStatistics<Kind>& stats) const {
  format::Statistics out;
  out.__set_null_count(stats.null_count);
  if constexpr (kIsFloating<Kind>) {
    out.__set_nan_count(stats.nan_count);
  }
  if (stats.bounds.present) {
    bool min_exact;
    bool max_exact;
    out.__set_min_value(EncodeTruncated(stats.bounds.min, true, &min_exact));
    out.__set_max_value(EncodeTruncated(stats.bounds.max, false, &max_exact));
    out.__set_is_min_value_exact(min_exact);
    out.__set_is_max_value_exact(max_exact);
    // The deprecated fields hold signed-order bounds: everything but byte arrays (as
    // Arrow writes them).
    if constexpr (!std::is_same_v<Kind, ByteArrayKind>) {
      out.__set_min(out.min_value);
      out.__set_max(out.max_value);
    }
  }
  return out;
}

template <typename Kind>
Status TypedColumnWriter<Kind>::WriteDictionaryPage(OutputStream* out, int64_t* uncompressed,
                                                    int64_t* compressed) {
  page_body_.clear();
  dictionary_.WritePlain(&page_body_);
  std::string_view stored = page_body_;
  if (options_.compression != format::CompressionCodec::UNCOMPRESSED) {
    compressed_.clear();
    SLUICE_RETURN_IF_ERROR(
        Compress(options_.compression, options_.compression_level, page_body_, &compressed_));
    stored = compressed_;
  }
  format::PageHeader header;
  header.__set_type(format::PageType::DICTIONARY_PAGE);
  header.__set_uncompressed_page_size(static_cast<int32_t>(page_body_.size()));
  header.__set_compressed_page_size(static_cast<int32_t>(stored.size()));
  format::DictionaryPageHeader dictionary;
  dictionary.__set_num_values(static_cast<int32_t>(dictionary_.size()));
  dictionary.__set_encoding(format::Encoding::PLAIN);
  header.__set_dictionary_page_header(dictionary);
  std::string header_bytes;
  SLUICE_RETURN_IF_ERROR(SerializeThrift(header, &header_bytes));
  SLUICE_RETURN_IF_ERROR(out->Write(header_bytes));
  SLUICE_RETURN_IF_ERROR(out->Write(stored));
  *uncompressed = static_cast<int64_t>(header_bytes.size() + page_body_.size());
  *compressed = static_cast<int64_t>(header_bytes.size() + stored.size());
  return Status::Ok();
}

template <typename Kind>
Status TypedColumnWriter<Kind>::FlushChunk(OutputStream* out, WrittenChunk* written) {
  SLUICE_RETURN_IF_ERROR(FlushPage());
  const int64_t chunk_start = out->position();
  int64_t uncompressed = chunk_uncompressed_size_;
  int64_t compressed = static_cast<int64_t>(chunk_pages_.size());
  format::ColumnMetaData meta;
  std::vector<format::Encoding::type> encodings;
  if (dictionary_pages_ > 0) {
    int64_t dictionary_uncompressed = 0;
    int64_t dictionary_compressed = 0;
    SLUICE_RETURN_IF_ERROR(
        WriteDictionaryPage(out, &dictionary_uncompressed, &dictionary_compressed));
    uncompressed += dictionary_uncompressed;
    compressed += dictionary_compressed;
    meta.__set_dictionary_page_offset(chunk_start);
    encodings.push_back(format::Encoding::PLAIN);
    format::PageEncodingStats stats;
    stats.__set_page_type(format::PageType::DICTIONARY_PAGE);
    stats.__set_encoding(format::Encoding::PLAIN);
    stats.__set_count(1);
    encoding_stats_.insert(encoding_stats_.begin(), stats);
  }
  const int64_t data_start = out->position();
  SLUICE_RETURN_IF_ERROR(out->Write(chunk_pages_));

  // Levels are RLE whether or not a page has any.
  encodings.push_back(format::Encoding::RLE);
  for (const format::Encoding::type encoding : encodings_) {
    if (std::find(encodings.begin(), encodings.end(), encoding) == encodings.end()) {
      encodings.push_back(encoding);
    }
  }
  meta.__set_type(Kind::kType);
  meta.__set_encodings(encodings);
  meta.__set_path_in_schema(leaf_.path);
  meta.__set_codec(options_.compression);
  meta.__set_num_values(chunk_stats_.num_values);
  meta.__set_total_uncompressed_size(uncompressed);
  meta.__set_total_compressed_size(compressed);
  meta.__set_data_page_offset(data_start);
  if (options_.write_statistics) {
    meta.__set_statistics(ToThrift(chunk_stats_));
  }
  meta.__set_encoding_stats(encoding_stats_);
  written->chunk = format::ColumnChunk();
  written->chunk.__set_file_offset(chunk_start);
  written->chunk.__set_meta_data(meta);

  written->column_index.reset();
  written->offset_index.reset();
  if (options_.write_page_index) {
    format::OffsetIndex offset_index;
    for (format::PageLocation location : page_locations_) {
      location.offset += data_start;
      offset_index.page_locations.push_back(location);
    }
    written->offset_index = std::move(offset_index);
    if (options_.write_statistics && column_index_valid_) {
      column_index_.__isset.null_counts = true;
      column_index_.boundary_order = ascending_    ? format::BoundaryOrder::ASCENDING
                                     : descending_ ? format::BoundaryOrder::DESCENDING
                                                   : format::BoundaryOrder::UNORDERED;
      written->column_index = std::move(column_index_);
    }
  }
  file_stats_.Merge(chunk_stats_);
  ResetChunk();
  return Status::Ok();
}

template <typename Kind>
void TypedColumnWriter<Kind>::ResetChunk() {
  dictionary_.Clear();
  dictionary_active_ = use_dictionary_;
  dictionary_pages_ = 0;
  chunk_pages_.clear();
  chunk_uncompressed_size_ = 0;
  chunk_rows_ = 0;
  chunk_stats_ = TypedStatistics<Kind>();
  encodings_.clear();
  encoding_stats_.clear();
  page_locations_.clear();
  column_index_ = format::ColumnIndex();
  column_index_valid_ = true;
  previous_page_bounds_ = Bounds<Kind>();
  ascending_ = true;
  descending_ = true;
}

template <typename Kind>
std::optional<Literal> TypedColumnWriter<Kind>::ToLiteral(const Stored& value, bool is_min,
                                                          bool* exact) const {
  Literal literal;
  literal.type = leaf_.type;
  *exact = true;
  const bool is_decimal = leaf_.type->id() == TypeId::kDecimal;
  if constexpr (std::is_same_v<Kind, BooleanKind>) {
    literal.value = value;
  } else if constexpr (std::is_same_v<Kind, Int32Kind> || std::is_same_v<Kind, Int64Kind>) {
    if (is_decimal) {
      literal.value = static_cast<Int128>(value);
    } else {
      literal.value = static_cast<int64_t>(value);
    }
  } else if constexpr (kIsFloating<Kind>) {
    const double number = static_cast<double>(value);
    literal.value = number == 0 ? (is_min ? -0.0 : 0.0) : number;
  } else if constexpr (std::is_same_v<Kind, FlbaKind>) {
    literal.value = DecodeBigEndian(value);
  } else {
    literal.value = EncodeTruncated(value, is_min, exact);
  }
  return literal;
}

template <typename Kind>
ColumnStatistics TypedColumnWriter<Kind>::FileStatistics() const {
  ColumnStatistics out;
  out.path = leaf_.path;
  out.type = leaf_.type;
  out.num_values = file_stats_.num_values;
  out.null_count = file_stats_.null_count;
  if constexpr (kIsFloating<Kind>) {
    out.nan_count = file_stats_.nan_count;
  }
  if (file_stats_.bounds.present) {
    out.min = ToLiteral(file_stats_.bounds.min, true, &out.min_exact);
    out.max = ToLiteral(file_stats_.bounds.max, false, &out.max_exact);
  }
  return out;
}

}  // namespace

std::string TruncateLowerBound(std::string_view value, int32_t limit, bool is_string, bool* exact) {
  const auto max_size = static_cast<size_t>(std::max(limit, 0));
  if (value.size() <= max_size) {
    *exact = true;
    return std::string(value);
  }
  *exact = false;
  size_t cut = max_size;
  if (is_string) {
    // Back up to the start of a character so the bound stays UTF-8.
    while (cut > 0 && (static_cast<uint8_t>(value[cut]) & 0xC0) == 0x80) {
      --cut;
    }
  }
  return std::string(value.substr(0, cut));
}

std::string TruncateUpperBound(std::string_view value, int32_t limit, bool is_string, bool* exact) {
  const auto max_size = static_cast<size_t>(std::max(limit, 0));
  *exact = true;
  if (value.size() <= max_size) {
    return std::string(value);
  }
  if (is_string) {
    size_t cut = max_size;
    while (cut > 0 && (static_cast<uint8_t>(value[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    std::string prefix(value.substr(0, cut));
    if (IsValidUtf8(prefix)) {
      // Increment the last character that can be (skipping the surrogate range).
      while (!prefix.empty()) {
        size_t start = prefix.size() - 1;
        while (start > 0 && (static_cast<uint8_t>(prefix[start]) & 0xC0) == 0x80) {
          --start;
        }
        size_t position = start;
        const char32_t code_point = DecodeUtf8CodePoint(prefix, &position);
        prefix.resize(start);
        if (code_point < 0x10FFFF) {
          const char32_t next = code_point + 1 == 0xD800 ? 0xE000 : code_point + 1;
          AppendUtf8(next, &prefix);
          *exact = false;
          return prefix;
        }
      }
      return std::string(value);
    }
  }
  std::string prefix(value.substr(0, max_size));
  while (!prefix.empty()) {
    auto last = static_cast<uint8_t>(prefix.back());
    if (last < 0xFF) {
      prefix.back() = static_cast<char>(last + 1);
      *exact = false;
      return prefix;
    }
    prefix.pop_back();
  }
  return std::string(value);
}

std::unique_ptr<ColumnChunkWriter> ColumnChunkWriter::Make(const WriteLeaf& leaf,
                                                           const ParquetWriteOptions& options) {
  switch (leaf.physical_type) {
    case format::Type::BOOLEAN:
      return std::make_unique<TypedColumnWriter<BooleanKind>>(leaf, options);
    case format::Type::INT32:
      return std::make_unique<TypedColumnWriter<Int32Kind>>(leaf, options);
    case format::Type::INT64:
      return std::make_unique<TypedColumnWriter<Int64Kind>>(leaf, options);
    case format::Type::FLOAT:
      return std::make_unique<TypedColumnWriter<FloatKind>>(leaf, options);
    case format::Type::DOUBLE:
      return std::make_unique<TypedColumnWriter<DoubleKind>>(leaf, options);
    case format::Type::BYTE_ARRAY:
      return std::make_unique<TypedColumnWriter<ByteArrayKind>>(leaf, options);
    case format::Type::FIXED_LEN_BYTE_ARRAY:
      return std::make_unique<TypedColumnWriter<FlbaKind>>(leaf, options);
    case format::Type::INT96:
      break;
  }
  SLUICE_CHECK(false, "no column writer for physical type {}",
               static_cast<int>(leaf.physical_type));
  return nullptr;
}

}  // namespace sluice::parquet
