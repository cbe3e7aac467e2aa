// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/status.h"
#include "formats/parquet/leaf.h"
#include "formats/parquet/thrift_io.h"

// Internal to the column reader: splits a column chunk's bytes into pages.

namespace sluice::parquet {

/// Returns an enum field of a decoded Thrift struct as its wire integer. Hostile input can
/// put any i32 into an enum field, and loading a value outside the enumerators' range as
/// the enum type is undefined behaviour (UBSan reports it); compare integers instead.
template <typename E>
int32_t EnumValue(const E& field) {
  static_assert(sizeof(E) == sizeof(int32_t));
  int32_t value;
  std::memcpy(&value, &field, sizeof(value));
  return value;
}

/// Name enum values read from a file for messages ("PLAIN", "INT96", ...; the number
/// when it is not an enumerator).
std::string EncodingName(int32_t encoding);
std::string PhysicalTypeName(int32_t type);
std::string ConvertedTypeName(int32_t converted_type);

/// One dictionary or data page: what its header says and, once PageReader::ReadBody ran,
/// its decompressed bytes. The views stay valid until the next call of PageReader::Next
/// or PageReader::NextHeader.
struct Page {
  /// format::PageType: DICTIONARY_PAGE, DATA_PAGE or DATA_PAGE_V2.
  int32_t type = 0;
  /// The file offset of the page header, for messages.
  int64_t offset = 0;
  /// The page's header (owned by the PageReader).
  const format::PageHeader* header = nullptr;
  /// The header's num_values (checked >= 0) and value encoding (format::Encoding).
  int64_t num_values = 0;
  int32_t encoding = 0;
  /// v2 data pages: the header's num_rows; -1 for other pages (and a negative num_rows).
  int64_t num_rows = -1;
  /// Dictionary and v1 data pages: the whole decompressed page.
  std::string_view body;
  /// v2 data pages: the levels (never compressed) and the decompressed values.
  std::string_view repetition_levels;
  std::string_view definition_levels;
  std::string_view values;
};

/// Reads the pages of one column chunk held in memory. Single-threaded.
class PageReader {
 public:
  /// `chunk` holds the chunk's bytes, which start at file offset `chunk_offset`;
  /// `codec` is a valid format::CompressionCodec value.
  PageReader(std::string_view chunk, int64_t chunk_offset, int32_t codec, const ReadLimits& limits);

  /// Reads the next dictionary or data page into `*page`, skipping index pages and
  /// unknown page types. Returns false when the chunk's bytes are used up. Errors are
  /// kCorruption (or kNotImplemented) naming the page's offset. NextHeader, then
  /// ReadBody.
  Result<bool> Next(Page* page);

  /// Reads the header of the next dictionary or data page into `*page` (type, offset,
  /// header, num_values, encoding, num_rows; no bytes yet), skipping index pages and
  /// unknown page types. Returns false when the chunk's bytes are used up. The page's
  /// bytes are then decompressed by ReadBody, or skipped, undecompressed, by the next
  /// NextHeader.
  Result<bool> NextHeader(Page* page);
  /// Decompresses the bytes of the page NextHeader last returned into `*page` (body, or
  /// the levels and values of a v2 page). Errors name the page's offset.
  Status ReadBody(Page* page);

  /// The file offset of the next page header.
  int64_t next_offset() const { return chunk_offset_ + position_; }

 private:
  // Returns the `size` bytes `input` decompresses to (or `input` itself uncompressed).
  Result<std::string_view> Decompress(std::string_view input, int64_t size);
  // Check the header of a page of each type and fill in what `*page` takes from it.
  Status ReadDictionaryHeader(Page* page) const;
  Status ReadDataHeader(Page* page) const;
  Status ReadDataHeaderV2(Page* page) const;
  Status ReadDataPageV2(Page* page);

  std::string_view chunk_;
  int64_t chunk_offset_;
  int64_t position_ = 0;
  int32_t codec_;
  ReadLimits limits_;
  format::PageHeader header_;
  std::string_view page_bytes_;         // the stored bytes of the page NextHeader returned last
  std::unique_ptr<uint8_t[]> scratch_;  // decompressed pages
  int64_t scratch_capacity_ = 0;
};

}  // namespace sluice::parquet
