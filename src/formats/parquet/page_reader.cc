// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/page_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "formats/parquet/compression.h"

namespace sluice::parquet {

using format::PageType;

namespace {

// Returns format::to_string of `value` when it lies within [first, last] (only then is
// it a valid value of the enum type), else the number.
template <typename E>
std::string EnumName(int32_t value, int32_t first, int32_t last) {
  if (value < first || value > last) {
    return std::to_string(value);
  }
  return format::to_string(static_cast<E>(value));
}

}  // namespace

std::string EncodingName(int32_t encoding) {
  return EnumName<format::Encoding::type>(encoding, format::Encoding::PLAIN,
                                          format::Encoding::BYTE_STREAM_SPLIT);
}

std::string PhysicalTypeName(int32_t type) {
  return EnumName<format::Type::type>(type, format::Type::BOOLEAN,
                                      format::Type::FIXED_LEN_BYTE_ARRAY);
}

std::string ConvertedTypeName(int32_t converted_type) {
  return EnumName<format::ConvertedType::type>(converted_type, format::ConvertedType::UTF8,
                                               format::ConvertedType::INTERVAL);
}

PageReader::PageReader(std::string_view chunk, int64_t chunk_offset, int32_t codec,
                       const ReadLimits& limits)
    : chunk_(chunk), chunk_offset_(chunk_offset), codec_(codec), limits_(limits) {}

Result<bool> PageReader::Next(Page* page) {
  SLUICE_ASSIGN_OR_RETURN(const bool more, NextHeader(page));
  if (more) {
    SLUICE_RETURN_IF_ERROR(ReadBody(page));
  }
  return more;
}

Result<bool> PageReader::NextHeader(Page* page) {
  const auto chunk_size = static_cast<int64_t>(chunk_.size());
  while (position_ < chunk_size) {
    const int64_t offset = chunk_offset_ + position_;
    uint32_t consumed = 0;
    Status status = DeserializeThrift(chunk_.substr(static_cast<size_t>(position_)), "page header",
                                      &header_, &consumed);
    if (!status.ok()) {
      return std::move(status).WithContext(fmt::format("page at offset {}", offset));
    }
    position_ += consumed;
    const int64_t compressed_size = header_.compressed_page_size;
    if (compressed_size < 0 || compressed_size > chunk_size - position_) {
      return Status::Corruption(fmt::format(
          "page at offset {}: compressed size {} exceeds the {} bytes left in the column chunk",
          offset, compressed_size, chunk_size - position_));
    }
    page_bytes_ =
        chunk_.substr(static_cast<size_t>(position_), static_cast<size_t>(compressed_size));
    position_ += compressed_size;

    const int32_t type = EnumValue(header_.type);
    if (type != PageType::DICTIONARY_PAGE && type != PageType::DATA_PAGE &&
        type != PageType::DATA_PAGE_V2) {
      continue;  // index pages and page types this reader does not know
    }
    const int64_t uncompressed_size = header_.uncompressed_page_size;
    if (uncompressed_size < 0) {
      return Status::Corruption(fmt::format("page at offset {}: negative uncompressed size {}",
                                            offset, uncompressed_size));
    }
    if (uncompressed_size > limits_.max_page_bytes) {
      return Status::ResourceExhausted(fmt::format(
          "page at offset {}: uncompressed size {} is larger than the limit of {} bytes "
          "(ReadLimits::max_page_bytes)",
          offset, uncompressed_size, limits_.max_page_bytes));
    }
    *page = Page();
    page->type = type;
    page->offset = offset;
    page->header = &header_;
    Status read;
    if (type == PageType::DICTIONARY_PAGE) {
      read = ReadDictionaryHeader(page);
    } else if (type == PageType::DATA_PAGE) {
      read = ReadDataHeader(page);
    } else {
      read = ReadDataHeaderV2(page);
    }
    if (!read.ok()) {
      const char* what = type == PageType::DICTIONARY_PAGE ? "dictionary page" : "data page";
      return std::move(read).WithContext(fmt::format("{} at offset {}", what, offset));
    }
    return true;
  }
  return false;
}

Status PageReader::ReadBody(Page* page) {
  Status read;
  if (page->type == PageType::DATA_PAGE_V2) {
    read = ReadDataPageV2(page);
  } else {
    Result<std::string_view> body = Decompress(page_bytes_, header_.uncompressed_page_size);
    if (body.ok()) {
      page->body = *body;
    } else {
      read = std::move(body).status();
    }
  }
  if (!read.ok()) {
    const char* what = page->type == PageType::DICTIONARY_PAGE ? "dictionary page" : "data page";
    return std::move(read).WithContext(fmt::format("{} at offset {}", what, page->offset));
  }
  return Status::Ok();
}

Result<std::string_view> PageReader::Decompress(std::string_view input, int64_t size) {
  if (codec_ == format::CompressionCodec::UNCOMPRESSED) {
    // The stored bytes are the page, whatever uncompressed_page_size says (as Arrow).
    return input;
  }
  if (size == 0) {
    return std::string_view();
  }
  if (size > scratch_capacity_) {
    const int64_t capacity =
        std::max(size, std::min(scratch_capacity_ * 2, limits_.max_page_bytes));
    scratch_ = std::make_unique_for_overwrite<uint8_t[]>(static_cast<size_t>(capacity));
    scratch_capacity_ = capacity;
  }
  SLUICE_RETURN_IF_ERROR(
      parquet::Decompress(static_cast<Codec>(codec_), input, scratch_.get(), size));
  return std::string_view(reinterpret_cast<const char*>(scratch_.get()), static_cast<size_t>(size));
}

Status PageReader::ReadDictionaryHeader(Page* page) const {
  if (!header_.__isset.dictionary_page_header) {
    return Status::Corruption("page header has no dictionary_page_header");
  }
  const format::DictionaryPageHeader& dictionary = header_.dictionary_page_header;
  page->num_values = dictionary.num_values;
  page->encoding = EnumValue(dictionary.encoding);
  if (page->num_values < 0) {
    return Status::Corruption(
        fmt::format("dictionary page has a negative number of values {}", page->num_values));
  }
  return Status::Ok();
}

Status PageReader::ReadDataHeader(Page* page) const {
  if (!header_.__isset.data_page_header) {
    return Status::Corruption("page header has no data_page_header");
  }
  const format::DataPageHeader& data = header_.data_page_header;
  page->num_values = data.num_values;
  page->encoding = EnumValue(data.encoding);
  if (page->num_values < 0) {
    return Status::Corruption(
        fmt::format("data page has a negative number of values {}", page->num_values));
  }
  return Status::Ok();
}

Status PageReader::ReadDataHeaderV2(Page* page) const {
  if (!header_.__isset.data_page_header_v2) {
    return Status::Corruption("page header has no data_page_header_v2");
  }
  const format::DataPageHeaderV2& data = header_.data_page_header_v2;
  page->num_values = data.num_values;
  page->encoding = EnumValue(data.encoding);
  page->num_rows = data.num_rows >= 0 ? data.num_rows : -1;
  if (page->num_values < 0) {
    return Status::Corruption(
        fmt::format("data page has a negative number of values {}", page->num_values));
  }
  return Status::Ok();
}

Status PageReader::ReadDataPageV2(Page* page) {
  const std::string_view bytes = page_bytes_;
  const format::DataPageHeaderV2& data = header_.data_page_header_v2;
  const int64_t repetition_size = data.repetition_levels_byte_length;
  const int64_t definition_size = data.definition_levels_byte_length;
  const auto size = static_cast<int64_t>(bytes.size());
  const int64_t uncompressed_size = header_.uncompressed_page_size;
  if (repetition_size < 0 || definition_size < 0 || repetition_size + definition_size > size ||
      repetition_size + definition_size > uncompressed_size) {
    return Status::Corruption(
        fmt::format("level sizes {} and {} do not fit in the page of {} bytes ({} uncompressed)",
                    repetition_size, definition_size, size, uncompressed_size));
  }
  page->repetition_levels = bytes.substr(0, static_cast<size_t>(repetition_size));
  page->definition_levels =
      bytes.substr(static_cast<size_t>(repetition_size), static_cast<size_t>(definition_size));
  const std::string_view values =
      bytes.substr(static_cast<size_t>(repetition_size + definition_size));
  const int64_t values_size = uncompressed_size - repetition_size - definition_size;
  if (!data.is_compressed || codec_ == format::CompressionCodec::UNCOMPRESSED) {
    page->values = values;
  } else {
    SLUICE_ASSIGN_OR_RETURN(page->values, Decompress(values, values_size));
  }
  return Status::Ok();
}

}  // namespace sluice::parquet
