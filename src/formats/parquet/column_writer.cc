// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/column_writer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/check.h"
#include "formats/parquet/bit_packing.h"
#include "formats/parquet/byte_stream_split.h"
#include "formats/parquet/compression.h"
#include "formats/parquet/delta.h"
#include "formats/parquet/page_buffers.h"
#include "formats/parquet/rle.h"
#include "formats/parquet/value_kinds.h"
#include "formats/parquet/write_statistics.h"

namespace sluice::parquet {
namespace {

// Rows appended between two checks of the page size: pages end at the first check past
// the target, as Arrow's write batches of 1024 values do.
constexpr int64_t kRowsPerCheck = 1024;
// The room first kept before a v1 page's PLAIN values for its levels (see FlushPage).
constexpr size_t kInitialLevelsGap = 64;
// The most room kept for levels; longer levels are copied in front of the values.
constexpr size_t kMaxLevelsGap = 64 * 1024;

// Page headers hold sizes and counts as int32: a page past that (a few huge values, or
// billions of RLE-encoded levels) is refused rather than written with a wrapped header.
Status CheckPageFits(const std::vector<std::string>& path, int64_t uncompressed_size,
                     int64_t compressed_size, int64_t values) {
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  if (uncompressed_size > kMax || compressed_size > kMax || values > kMax) {
    return Status::ResourceExhausted(fmt::format(
        "column '{}': a page of {} bytes ({} compressed) and {} values exceeds Parquet's "
        "int32 page limits; write smaller batches or smaller values",
        fmt::join(path, "."), uncompressed_size, compressed_size, values));
  }
  return Status::Ok();
}

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

// Appends `count` dictionary indices `bit_width` bits wide in the RLE/bit-packed hybrid:
// runs of 8 or more equal indices as RLE runs, the rest bit-packed in groups of 8 (at
// most 63 groups per run, so every header is one byte, as parquet-mr writes them; the
// last group padded with zeros). A page's indices are all known when it is closed, so
// this packs them in bulk instead of one RleBitPackedEncoder::Put call per index.
void EncodeDictionaryIndices(const uint32_t* indices, int64_t count, int bit_width,
                             std::string* out) {
  constexpr int64_t kMaxGroups = 63;
  const auto value_bytes = static_cast<size_t>((bit_width + 7) / 8);
  // Bit-packs [start, end): whole groups, the last one padded.
  auto pack = [&](int64_t start, int64_t end) {
    while (start < end) {
      const int64_t values = std::min(end - start, kMaxGroups * 8);
      const int64_t groups = (values + 7) / 8;
      internal::AppendUleb128(static_cast<uint64_t>(groups << 1 | 1), out);
      const int64_t whole = values / 8;
      internal::PackGroups(indices + start, whole, bit_width, out);
      if (whole < groups) {
        uint32_t last[8] = {};
        std::copy(indices + start + whole * 8, indices + start + values, last);
        internal::PackGroups(last, 1, bit_width, out);
      }
      start += values;
    }
  };
  int64_t literal_start = 0;  // indices from here on are not written yet
  int64_t i = 0;
  while (i < count) {
    int64_t end = i + 1;
    while (end < count && indices[end] == indices[i]) {
      ++end;
    }
    // The literals before a run must fill whole groups: they take the run's first
    // values when needed, and the run is worth RLE when 8 or more remain.
    const int64_t fill = (8 - (i - literal_start) % 8) % 8;
    if (end - i - fill >= 8) {
      pack(literal_start, i + fill);
      const int64_t run = end - i - fill;
      internal::AppendUleb128(static_cast<uint64_t>(run) << 1, out);
      const uint32_t value = indices[i];
      out->append(reinterpret_cast<const char*>(&value), value_bytes);
      literal_start = end;
    }
    i = end;
  }
  pack(literal_start, count);
}

void AppendUint32(uint32_t value, std::string* out) {
  out->append(reinterpret_cast<const char*>(&value), 4);
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
    // Booleans are bit-packed from the first byte; v2 levels are never in front of the
    // values.
    gap_ = std::is_same_v<Kind, BooleanKind> || options.data_page_version == DataPageVersion::kV2
               ? 0
               : kInitialLevelsGap;
    page_values_.Resize(gap_);
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
  // The PLAIN values of the open page.
  std::string_view PlainValues() const { return page_values_.view().substr(gap_); }
  const Value* Gather(const Vector& vector, const Selection& selection, int64_t count);
  template <typename Out, typename Get>
  void GatherInto(const Vector& vector, const Selection& selection, int64_t count, Out* out,
                  Get get) const;
  Status AppendRun(const int16_t* def, const int16_t* rep, int64_t num_levels, int64_t num_rows,
                   const Value* values, int64_t num_values);
  // Adds values to the dictionary and the page's indices; for byte arrays also updates
  // the page bounds (each distinct value compared once per page) and returns true.
  bool AppendDictionary(const Value* values, int64_t count);
  void AppendPlain(const Value* values, int64_t count);
  std::string_view EncodeValues(format::Encoding::type* encoding);
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
  // gap_ bytes of room for a v1 page's levels, then the PLAIN values (when not
  // dictionary-encoded), so that levels and values end up contiguous for the codec
  // without copying the values. No room (and never any) for booleans and v2 pages.
  ByteBuffer page_values_;
  size_t gap_ = 0;
  UninitializedArray<uint32_t> page_indices_;  // dictionary indices
  int64_t page_levels_ = 0;
  int64_t page_rows_ = 0;
  int64_t page_value_count_ = 0;  // non-null values
  int64_t page_plain_size_ = 0;   // their PLAIN size, to judge the dictionary
  TypedStatistics<Kind> page_stats_;
  // Byte arrays under a dictionary: the last page (page_number_) that compared each
  // dictionary entry against the page bounds.
  std::vector<uint32_t> page_stamps_;
  uint32_t page_number_ = 1;
  std::string levels_;      // the encoded levels of the page being closed
  std::string page_body_;   // its non-PLAIN values
  std::string compressed_;  // its stored form
  std::string header_bytes_;

  // The open chunk.
  bool use_dictionary_ = false;
  bool dictionary_active_ = false;  // false after a fallback
  Dictionary<Kind> dictionary_;
  int64_t dictionary_pages_ = 0;  // data pages that use the dictionary
  PageArena pages_;               // the closed data pages, with their headers
  int64_t chunk_uncompressed_size_ = 0;
  int64_t chunk_rows_ = 0;
  TypedStatistics<Kind> chunk_stats_;
  std::vector<format::Encoding::type> encodings_;
  std::vector<format::PageEncodingStats> encoding_stats_;
  std::vector<format::PageLocation> page_locations_;  // offsets from the first data page
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
    size += static_cast<int64_t>(page_values_.size() - gap_);
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
    page_value_count_ += num_values;
    bool bounded = false;
    if (dictionary_active_) {
      bounded = AppendDictionary(values, num_values);
    } else {
      AppendPlain(values, num_values);
    }
    Value low{};
    Value high{};
    if (!bounded && FindBounds<Kind>(values, num_values, &low, &high, &page_stats_.nan_count)) {
      page_stats_.bounds.Update(low, high);
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
bool TypedColumnWriter<Kind>::AppendDictionary(const Value* values, int64_t count) {
  if constexpr (std::is_same_v<Kind, BooleanKind>) {
    SLUICE_CHECK(false, "booleans are never dictionary-encoded");
    return false;
  } else {
    uint32_t* indices = page_indices_.Extend(static_cast<size_t>(count));
    dictionary_.InsertBatch(values, count, indices);
    if constexpr (kIsBytes<Kind>) {
      Value low{};
      Value high{};
      bool bounded = false;
      int64_t bytes = 0;
      for (int64_t k = 0; k < count; ++k) {
        const Value value = values[k];
        const uint32_t index = indices[k];
        bytes += static_cast<int64_t>(value.size());
        if (index >= page_stamps_.size()) {
          page_stamps_.resize(index + 1, 0);
        }
        if (page_stamps_[index] == page_number_) {
          continue;  // compared already in this page
        }
        page_stamps_[index] = page_number_;
        if (!bounded) {
          low = value;
          high = value;
          bounded = true;
        } else if (Less<Kind>(value, low)) {
          low = value;
        } else if (Less<Kind>(high, value)) {
          high = value;
        }
      }
      if (bounded) {
        page_stats_.bounds.Update(low, high);
      }
      page_plain_size_ += bytes + (std::is_same_v<Kind, ByteArrayKind> ? 4 * count : 0);
      return true;
    } else {
      page_plain_size_ += count * static_cast<int64_t>(sizeof(Value));
      return false;
    }
  }
}

template <typename Kind>
void TypedColumnWriter<Kind>::AppendPlain(const Value* values, int64_t count) {
  if constexpr (std::is_same_v<Kind, BooleanKind>) {
    // Bit-packed, least significant bit first; page_value_count_ already counts them.
    const int64_t first = page_value_count_ - count;
    const size_t old_size = page_values_.size();
    const auto new_size = static_cast<size_t>(bits::BytesFor(page_value_count_));
    if (new_size > old_size) {
      std::memset(page_values_.Extend(new_size - old_size), 0, new_size - old_size);
    }
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
    char* out = page_values_.Extend(total);
    size_t position = 0;
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
      page_values_.Append(values[k]);
    }
  } else {
    page_values_.Append(std::string_view(reinterpret_cast<const char*>(values),
                                         static_cast<size_t>(count) * sizeof(Value)));
  }
}

template <typename Kind>
std::string_view TypedColumnWriter<Kind>::EncodeValues(format::Encoding::type* encoding) {
  using format::Encoding;
  if (page_value_count_ == 0) {
    // A page of nulls has no values: PLAIN says so in every reader.
    *encoding = Encoding::PLAIN;
    return {};
  }
  page_body_.clear();
  if (dictionary_active_) {
    const int width = BitWidth(static_cast<uint64_t>(dictionary_.size() - 1));
    page_body_.push_back(static_cast<char>(width));
    EncodeDictionaryIndices(page_indices_.data(), static_cast<int64_t>(page_indices_.size()), width,
                            &page_body_);
    *encoding = Encoding::RLE_DICTIONARY;
    return page_body_;
  }
  const std::string_view plain = PlainValues();
  *encoding = value_encoding_;
  switch (value_encoding_) {
    case Encoding::RLE: {
      // Booleans: a 4-byte length, then 1-bit runs.
      RleBitPackedEncoder encoder(1);
      const auto* data = reinterpret_cast<const uint8_t*>(plain.data());
      for (int64_t k = 0; k < page_value_count_; ++k) {
        encoder.Put(bits::Get(data, k) ? 1 : 0);
      }
      AppendUint32(0, &page_body_);
      encoder.Finish(&page_body_);
      const auto length = static_cast<uint32_t>(page_body_.size() - 4);
      std::memcpy(page_body_.data(), &length, 4);
      return page_body_;
    }
    case Encoding::DELTA_BINARY_PACKED:
      if constexpr (std::is_same_v<Kind, Int32Kind> || std::is_same_v<Kind, Int64Kind>) {
        std::vector<Value> values(static_cast<size_t>(page_value_count_));
        std::memcpy(values.data(), plain.data(), values.size() * sizeof(Value));
        EncodeDeltaBinaryPacked<Value>(values.data(), page_value_count_, &page_body_);
        return page_body_;
      }
      break;
    case Encoding::DELTA_LENGTH_BYTE_ARRAY:
    case Encoding::DELTA_BYTE_ARRAY:
      if constexpr (std::is_same_v<Kind, ByteArrayKind>) {
        // Views into the PLAIN values: each follows its 4-byte length.
        std::vector<std::string_view> values(static_cast<size_t>(page_value_count_));
        size_t position = 0;
        for (auto& value : values) {
          uint32_t length;
          std::memcpy(&length, plain.data() + position, 4);
          value = plain.substr(position + 4, length);
          position += 4 + length;
        }
        if (value_encoding_ == Encoding::DELTA_LENGTH_BYTE_ARRAY) {
          EncodeDeltaLengthByteArray(values.data(), page_value_count_, &page_body_);
        } else {
          EncodeDeltaByteArray(values.data(), page_value_count_, &page_body_);
        }
        return page_body_;
      }
      break;
    case Encoding::BYTE_STREAM_SPLIT: {
      const int width =
          std::is_same_v<Kind, FlbaKind> ? leaf_.type_length : static_cast<int>(sizeof(Value));
      EncodeByteStreamSplit(reinterpret_cast<const uint8_t*>(plain.data()), width,
                            page_value_count_, &page_body_);
      return page_body_;
    }
    default:
      break;
  }
  *encoding = Encoding::PLAIN;
  return plain;
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

template <typename Kind>
Status TypedColumnWriter<Kind>::FlushPage() {
  if (page_levels_ == 0) {
    return Status::Ok();
  }
  const bool v2 = options_.data_page_version == DataPageVersion::kV2;
  const bool first_page = page_locations_.empty();
  levels_.clear();
  int32_t rep_bytes = 0;
  int32_t def_bytes = 0;
  if (max_rep_ > 0) {
    rep_bytes = AppendLevels(&rep_encoder_, !v2, &levels_);
  }
  if (max_def_ > 0) {
    def_bytes = AppendLevels(&def_encoder_, !v2, &levels_);
  }
  const size_t levels_size = levels_.size();
  format::Encoding::type encoding;
  const std::string_view values = EncodeValues(&encoding);
  if (encoding == format::Encoding::RLE_DICTIONARY) {
    ++dictionary_pages_;
  }
  const auto uncompressed_size = static_cast<int64_t>(levels_size + values.size());

  // v1 compresses levels and values together; v2 only the values, and not at all when
  // there are none (a page of nulls): nothing to gain, and some readers choke on the
  // compressed form of nothing (hyparquet-compressors' LZ4_RAW).
  const bool compress =
      options_.compression != format::CompressionCodec::UNCOMPRESSED && (!v2 || !values.empty());
  // compressed_ is reused (and large); each buffered page gets an exact copy.
  compressed_.clear();
  if (v2) {
    compressed_.append(levels_);
  }
  std::string_view input = values;
  if (!v2 && levels_size > 0) {
    if (values.data() == page_values_.data() + gap_ && levels_size <= gap_) {
      // PLAIN values: the levels go into the room kept in front of them.
      char* start = page_values_.data() + gap_ - levels_size;
      std::memcpy(start, levels_.data(), levels_size);
      input = std::string_view(start, levels_size + values.size());
    } else {
      levels_.append(values);
      input = levels_;
    }
  }
  if (compress) {
    SLUICE_RETURN_IF_ERROR(
        Compress(options_.compression, options_.compression_level, input, &compressed_));
  } else {
    compressed_.append(input);
  }
  if (gap_ > 0 && values.data() == page_values_.data() + gap_ && levels_size > gap_ &&
      gap_ < kMaxLevelsGap) {
    // Keep room for levels like these in the next pages.
    gap_ = std::min(kMaxLevelsGap, (levels_size + 63) / 64 * 64);
  }

  SLUICE_RETURN_IF_ERROR(CheckPageFits(leaf_.path, static_cast<int64_t>(uncompressed_size),
                                       static_cast<int64_t>(compressed_.size()), page_levels_));
  format::PageHeader header;
  header.__set_uncompressed_page_size(static_cast<int32_t>(uncompressed_size));
  header.__set_compressed_page_size(static_cast<int32_t>(compressed_.size()));
  const auto num_values = static_cast<int32_t>(page_levels_);
  if (v2) {
    header.__set_type(format::PageType::DATA_PAGE_V2);
    format::DataPageHeaderV2 page;
    page.__set_num_values(num_values);
    page.__set_num_nulls(static_cast<int32_t>(page_stats_.null_count));
    page.__set_num_rows(static_cast<int32_t>(page_rows_));
    page.__set_encoding(encoding);
    page.__set_definition_levels_byte_length(def_bytes);
    page.__set_repetition_levels_byte_length(rep_bytes);
    page.__set_is_compressed(compress);
    header.__set_data_page_header_v2(page);
  } else {
    header.__set_type(format::PageType::DATA_PAGE);
    format::DataPageHeader page;
    page.__set_num_values(num_values);
    page.__set_encoding(encoding);
    page.__set_definition_level_encoding(format::Encoding::RLE);
    page.__set_repetition_level_encoding(format::Encoding::RLE);
    header.__set_data_page_header(page);
  }
  header_bytes_.clear();
  SLUICE_RETURN_IF_ERROR(SerializeThrift(header, &header_bytes_));
  const auto page_size = static_cast<int64_t>(header_bytes_.size() + compressed_.size());
  chunk_uncompressed_size_ += static_cast<int64_t>(header_bytes_.size()) + uncompressed_size;
  NoteEncoding(header.type, encoding);

  format::PageLocation location;
  location.__set_offset(pages_.size());
  location.__set_compressed_page_size(static_cast<int32_t>(page_size));
  location.__set_first_row_index(chunk_rows_);
  page_locations_.push_back(location);
  pages_.Append(header_bytes_);
  pages_.Append(compressed_);
  AddColumnIndexEntry();

  if (first_page && encoding == format::Encoding::RLE_DICTIONARY &&
      dictionary_.plain_size() + static_cast<int64_t>(values.size()) >= page_plain_size_) {
    // The dictionary does not pay on the first page (as parquet-mr judges it): the rest
    // of the chunk is not dictionary-encoded.
    dictionary_active_ = false;
  }
  chunk_rows_ += page_rows_;
  chunk_stats_.Merge(page_stats_);
  page_stats_ = TypedStatistics<Kind>();
  page_values_.Resize(gap_);
  page_indices_.Clear();
  page_levels_ = 0;
  page_rows_ = 0;
  page_value_count_ = 0;
  page_plain_size_ = 0;
  ++page_number_;
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
  std::string_view data = page_body_;
  if (options_.compression != format::CompressionCodec::UNCOMPRESSED) {
    compressed_.clear();
    SLUICE_RETURN_IF_ERROR(
        Compress(options_.compression, options_.compression_level, page_body_, &compressed_));
    data = compressed_;
  }
  SLUICE_RETURN_IF_ERROR(CheckPageFits(leaf_.path, static_cast<int64_t>(page_body_.size()),
                                       static_cast<int64_t>(data.size()),
                                       static_cast<int64_t>(dictionary_.size())));
  format::PageHeader header;
  header.__set_type(format::PageType::DICTIONARY_PAGE);
  header.__set_uncompressed_page_size(static_cast<int32_t>(page_body_.size()));
  header.__set_compressed_page_size(static_cast<int32_t>(data.size()));
  format::DictionaryPageHeader dictionary;
  dictionary.__set_num_values(static_cast<int32_t>(dictionary_.size()));
  dictionary.__set_encoding(format::Encoding::PLAIN);
  header.__set_dictionary_page_header(dictionary);
  std::string header_bytes;
  SLUICE_RETURN_IF_ERROR(SerializeThrift(header, &header_bytes));
  SLUICE_RETURN_IF_ERROR(out->Write(header_bytes));
  SLUICE_RETURN_IF_ERROR(out->Write(data));
  *uncompressed = static_cast<int64_t>(header_bytes.size() + page_body_.size());
  *compressed = static_cast<int64_t>(header_bytes.size() + data.size());
  return Status::Ok();
}

template <typename Kind>
Status TypedColumnWriter<Kind>::FlushChunk(OutputStream* out, WrittenChunk* written) {
  SLUICE_RETURN_IF_ERROR(FlushPage());
  const int64_t chunk_start = out->position();
  int64_t uncompressed = chunk_uncompressed_size_;
  int64_t compressed = pages_.size();
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
  SLUICE_RETURN_IF_ERROR(pages_.WriteTo(out));
  pages_.Clear();

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
  page_stamps_.clear();
  dictionary_active_ = use_dictionary_;
  dictionary_pages_ = 0;
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
