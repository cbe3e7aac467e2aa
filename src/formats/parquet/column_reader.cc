// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/column_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "formats/parquet/page_reader.h"
#include "formats/parquet/rle.h"
#include "formats/parquet/value_decoder.h"

namespace sluice::parquet {
namespace {

using format::Encoding;
using format::PageType;

// The largest codec value of the format (LZ4_RAW).
constexpr int32_t kMaxCodec = format::CompressionCodec::LZ4_RAW;

// Decodes `count` levels of a v1 data page from the front of `*body` in `encoding`
// (RLE with its 4-byte length prefix, or the deprecated BIT_PACKED) and advances `*body`.
Status DecodeV1Levels(int32_t encoding, int bit_width, int64_t count, std::string_view* body,
                      int16_t* out) {
  const auto* data = reinterpret_cast<const uint8_t*>(body->data());
  const auto size = static_cast<int64_t>(body->size());
  if (encoding == Encoding::RLE) {
    if (size < 4) {
      return Status::Corruption("levels have no length prefix");
    }
    uint32_t length;
    std::memcpy(&length, data, sizeof(length));
    if (length > static_cast<uint64_t>(size - 4)) {
      return Status::Corruption(
          fmt::format("levels claim {} bytes but the page has {} left", length, size - 4));
    }
    RleBitPackedDecoder decoder(data + 4, length, bit_width);
    SLUICE_RETURN_IF_ERROR(decoder.DecodeLevels(count, out));
    body->remove_prefix(4 + static_cast<size_t>(length));
    return Status::Ok();
  }
  if (encoding == Encoding::BIT_PACKED) {
    const int64_t length = BitPackedLevelsSize(bit_width, count);
    if (length > size) {
      return Status::Corruption(fmt::format(
          "{} BIT_PACKED levels need {} bytes but the page has {} left", count, length, size));
    }
    SLUICE_RETURN_IF_ERROR(DecodeBitPackedLevels(data, length, bit_width, count, out));
    body->remove_prefix(static_cast<size_t>(length));
    return Status::Ok();
  }
  return Status::NotImplemented(
      fmt::format("unsupported level encoding {}", EncodingName(encoding)));
}

// Returns the largest of `count` levels (read as unsigned) and sets `*matches` to how
// many equal `target`.
uint16_t ScanLevels(const int16_t* levels, int64_t count, int16_t target, int64_t* matches) {
  uint16_t max_level = 0;
  int64_t equal = 0;
  for (int64_t i = 0; i < count; ++i) {
    const auto level = static_cast<uint16_t>(levels[i]);
    max_level = std::max(max_level, level);
    equal += levels[i] == target ? 1 : 0;
  }
  *matches = equal;
  return max_level;
}

// Reads one column chunk; ReadColumnChunk adds the file and column to its errors.
class ChunkReader {
 public:
  ChunkReader(const RandomAccessFile& file, const format::ColumnChunk& chunk,
              const LeafDescriptor& leaf, int64_t row_group_rows, const ReadLimits& limits,
              const ColumnChunkContext& context)
      : file_(file),
        chunk_(chunk),
        leaf_(leaf),
        row_group_rows_(row_group_rows),
        limits_(limits),
        context_(context) {}

  Result<LeafData> Read();

 private:
  Status CheckChunk(int64_t* start, int64_t* length) const;
  Status ReadDictionaryPage(const Page& page);
  Status ReadDataPage(const Page& page);
  // Decodes the page's levels into the LeafData and returns the non-null count.
  Result<int64_t> DecodeLevels(const Page& page, std::string_view* values);
  Status CheckRepetitionLevels(const Page& page, const int16_t* levels, int64_t count);
  Status CheckDefinitionLevels(const int16_t* levels, int64_t count, int64_t* non_null) const;

  const RandomAccessFile& file_;
  const format::ColumnChunk& chunk_;
  const LeafDescriptor& leaf_;
  const int64_t row_group_rows_;
  const ReadLimits& limits_;
  const ColumnChunkContext& context_;

  int64_t num_values_ = 0;  // the chunk's num_values: the levels to read
  bool flat_ = true;        // max_repetition_level == 0: one level per row
  int64_t rows_ = 0;
  bool seen_data_page_ = false;
  LeafData data_;
  ValueDecoder values_;
};

Status ChunkReader::CheckChunk(int64_t* start, int64_t* length) const {
  if (chunk_.__isset.crypto_metadata || chunk_.__isset.encrypted_column_metadata) {
    return Status::NotImplemented("encrypted Parquet is not supported");
  }
  if (chunk_.__isset.file_path) {
    return Status::NotImplemented(
        fmt::format("column chunks in other files are not supported ({})", chunk_.file_path));
  }
  if (!chunk_.__isset.meta_data) {
    return Status::Corruption("column chunk has no metadata");
  }
  const format::ColumnMetaData& metadata = chunk_.meta_data;
  if (!leaf_.element.__isset.type || EnumValue(metadata.type) != EnumValue(leaf_.element.type)) {
    return Status::Corruption(
        fmt::format("column chunk's physical type {} differs from the schema's {}",
                    PhysicalTypeName(EnumValue(metadata.type)),
                    PhysicalTypeName(EnumValue(leaf_.element.type))));
  }
  const int32_t codec = EnumValue(metadata.codec);
  if (codec < 0 || codec > kMaxCodec) {
    return Status::NotImplemented(fmt::format("unknown compression codec {}", codec));
  }
  if (metadata.num_values < 0) {
    return Status::Corruption(
        fmt::format("column chunk has a negative number of values {}", metadata.num_values));
  }
  if (metadata.num_values > limits_.max_chunk_values) {
    return Status::ResourceExhausted(
        fmt::format("column chunk claims {} values, over the limit of {} (ReadLimits)",
                    metadata.num_values, limits_.max_chunk_values));
  }
  if (row_group_rows_ < 0) {
    return Status::Corruption(
        fmt::format("row group has a negative number of rows {}", row_group_rows_));
  }
  // Some writers put 0 into dictionary_page_offset when there is no dictionary.
  *start = metadata.data_page_offset;
  if (metadata.__isset.dictionary_page_offset && metadata.dictionary_page_offset > 0 &&
      metadata.dictionary_page_offset < *start) {
    *start = metadata.dictionary_page_offset;
  }
  *length = metadata.total_compressed_size;
  const int64_t end = context_.footer_offset >= 0 ? context_.footer_offset : file_.size() - 8;
  if (*start < 0 || *length < 0 || *start > end || *length > end - *start) {
    return Status::Corruption(
        fmt::format("column chunk at offset {} of {} bytes is not inside the file's data (which "
                    "ends at offset {})",
                    *start, *length, end));
  }
  return Status::Ok();
}

Result<LeafData> ChunkReader::Read() {
  int64_t start = 0;
  int64_t length = 0;
  SLUICE_RETURN_IF_ERROR(CheckChunk(&start, &length));
  SLUICE_RETURN_IF_ERROR(values_.Init(leaf_));
  if (leaf_.max_definition_level < 0 || leaf_.max_repetition_level < 0) {
    return Status::Internal("negative maximum level in the leaf descriptor");
  }
  num_values_ = chunk_.meta_data.num_values;
  flat_ = leaf_.max_repetition_level == 0;
  std::string scratch;
  SLUICE_ASSIGN_OR_RETURN(std::string_view bytes, file_.ReadAt(start, length, &scratch));

  // Room for the values the footer announces, but no more than the bytes could plausibly
  // hold: the footer is as untrusted as the pages.
  const int64_t expected =
      std::min({num_values_, flat_ ? row_group_rows_ : num_values_, length * 8 + 1024});
  values_.Reserve(expected);
  if (leaf_.max_definition_level > 0) {
    data_.definition_levels.reserve(static_cast<size_t>(expected));
  }
  if (leaf_.max_repetition_level > 0) {
    data_.repetition_levels.reserve(static_cast<size_t>(expected));
  }

  PageReader pages(bytes, start, EnumValue(chunk_.meta_data.codec), limits_);
  Page page;
  while (data_.num_levels < num_values_) {
    SLUICE_ASSIGN_OR_RETURN(const bool more, pages.Next(&page));
    if (!more) {
      return Status::Corruption(fmt::format("column chunk ends after {} of its {} values",
                                            data_.num_levels, num_values_));
    }
    const bool dictionary = page.type == PageType::DICTIONARY_PAGE;
    Status status = dictionary ? ReadDictionaryPage(page) : ReadDataPage(page);
    if (!status.ok()) {
      return std::move(status).WithContext(fmt::format(
          "{} at offset {}", dictionary ? "dictionary page" : "data page", page.offset));
    }
  }
  if (rows_ != row_group_rows_) {
    return Status::Corruption(
        fmt::format("column chunk holds {} rows, its row group has {}", rows_, row_group_rows_));
  }
  data_.values = values_.Finish();
  return std::move(data_);
}

Status ChunkReader::ReadDictionaryPage(const Page& page) {
  if (seen_data_page_ || values_.has_dictionary()) {
    return Status::Corruption("a dictionary page must come once, before the data pages");
  }
  if (page.encoding != Encoding::PLAIN && page.encoding != Encoding::PLAIN_DICTIONARY) {
    return Status::NotImplemented(
        fmt::format("unsupported dictionary encoding {}", EncodingName(page.encoding)));
  }
  if (page.num_values > limits_.max_dictionary_values) {
    return Status::Corruption(fmt::format("dictionary of {} values exceeds the limit of {}",
                                          page.num_values, limits_.max_dictionary_values));
  }
  return values_.SetDictionary(page.body, page.num_values);
}

Status ChunkReader::ReadDataPage(const Page& page) {
  seen_data_page_ = true;
  const int64_t count = page.num_values;
  if (count > num_values_ - data_.num_levels) {
    return Status::Corruption(
        fmt::format("data page holds {} values but only {} of the column chunk's {} are left",
                    count, num_values_ - data_.num_levels, num_values_));
  }
  if (flat_ && count > row_group_rows_ - rows_) {
    return Status::Corruption(
        fmt::format("data page holds {} rows but only {} of the row group's {} are left", count,
                    row_group_rows_ - rows_, row_group_rows_));
  }
  std::string_view values;
  SLUICE_ASSIGN_OR_RETURN(const int64_t non_null, DecodeLevels(page, &values));
  data_.num_levels += count;
  return values_.Decode(page.encoding, values, non_null);
}

Result<int64_t> ChunkReader::DecodeLevels(const Page& page, std::string_view* values) {
  const int64_t count = page.num_values;
  const bool v2 = page.type == PageType::DATA_PAGE_V2;
  const int16_t max_repetition = leaf_.max_repetition_level;
  const int16_t max_definition = leaf_.max_definition_level;
  std::string_view body = page.body;
  const format::DataPageHeader& v1_header = page.header->data_page_header;

  if (max_repetition > 0) {
    const size_t old_size = data_.repetition_levels.size();
    data_.repetition_levels.resize(old_size + static_cast<size_t>(count));
    int16_t* levels = data_.repetition_levels.data() + old_size;
    const int bit_width = BitWidth(static_cast<uint64_t>(max_repetition));
    if (v2) {
      RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(page.repetition_levels.data()),
                                  static_cast<int64_t>(page.repetition_levels.size()), bit_width);
      SLUICE_RETURN_IF_ERROR(decoder.DecodeLevels(count, levels).WithContext("repetition levels"));
    } else {
      SLUICE_RETURN_IF_ERROR(DecodeV1Levels(EnumValue(v1_header.repetition_level_encoding),
                                            bit_width, count, &body, levels)
                                 .WithContext("repetition levels"));
    }
    SLUICE_RETURN_IF_ERROR(CheckRepetitionLevels(page, levels, count));
  } else {
    rows_ += count;
  }

  int64_t non_null = count;
  if (max_definition > 0) {
    const size_t old_size = data_.definition_levels.size();
    data_.definition_levels.resize(old_size + static_cast<size_t>(count));
    int16_t* levels = data_.definition_levels.data() + old_size;
    const int bit_width = BitWidth(static_cast<uint64_t>(max_definition));
    if (v2) {
      RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(page.definition_levels.data()),
                                  static_cast<int64_t>(page.definition_levels.size()), bit_width);
      SLUICE_RETURN_IF_ERROR(decoder.DecodeLevels(count, levels).WithContext("definition levels"));
    } else {
      SLUICE_RETURN_IF_ERROR(DecodeV1Levels(EnumValue(v1_header.definition_level_encoding),
                                            bit_width, count, &body, levels)
                                 .WithContext("definition levels"));
    }
    SLUICE_RETURN_IF_ERROR(CheckDefinitionLevels(levels, count, &non_null));
  } else if (v2 && page.header->data_page_header_v2.num_nulls != 0) {
    return Status::Corruption(fmt::format("a REQUIRED column's data page has {} nulls",
                                          page.header->data_page_header_v2.num_nulls));
  }
  *values = v2 ? page.values : body;
  return non_null;
}

Status ChunkReader::CheckRepetitionLevels(const Page& page, const int16_t* levels, int64_t count) {
  if (count > 0 && levels[0] != 0 &&
      (data_.num_levels == 0 || page.type == PageType::DATA_PAGE_V2)) {
    return Status::Corruption(fmt::format("the first repetition level of a {} is {}, not 0",
                                          data_.num_levels == 0 ? "column chunk" : "v2 data page",
                                          levels[0]));
  }
  int64_t rows = 0;
  const uint16_t max_level = ScanLevels(levels, count, 0, &rows);
  if (max_level > static_cast<uint16_t>(leaf_.max_repetition_level)) {
    return Status::Corruption(fmt::format("repetition level {} exceeds the maximum {}", max_level,
                                          leaf_.max_repetition_level));
  }
  if (rows > row_group_rows_ - rows_) {
    return Status::Corruption(
        fmt::format("data page holds {} rows but only {} of the row group's {} are left", rows,
                    row_group_rows_ - rows_, row_group_rows_));
  }
  rows_ += rows;
  return Status::Ok();
}

Status ChunkReader::CheckDefinitionLevels(const int16_t* levels, int64_t count,
                                          int64_t* non_null) const {
  const uint16_t max_level = ScanLevels(levels, count, leaf_.max_definition_level, non_null);
  if (max_level > static_cast<uint16_t>(leaf_.max_definition_level)) {
    return Status::Corruption(fmt::format("definition level {} exceeds the maximum {}", max_level,
                                          leaf_.max_definition_level));
  }
  return Status::Ok();
}

}  // namespace

Result<LeafData> ReadColumnChunk(const RandomAccessFile& file, const format::ColumnChunk& chunk,
                                 const LeafDescriptor& leaf, int64_t row_group_rows,
                                 const ReadLimits& limits, const ColumnChunkContext& context) {
  ChunkReader reader(file, chunk, leaf, row_group_rows, limits, context);
  Result<LeafData> result = reader.Read();
  if (!result.ok()) {
    const std::string where = context.row_group >= 0
                                  ? fmt::format("{}: row group {}, column '{}'", file.name(),
                                                context.row_group, leaf.path)
                                  : fmt::format("{}: column '{}'", file.name(), leaf.path);
    return result.status().WithContext(where);
  }
  return result;
}

}  // namespace sluice::parquet
