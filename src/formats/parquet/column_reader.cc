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
// The most bytes of column chunk scratch a thread keeps between chunks.
constexpr size_t kKeptScratchBytes = size_t{32} << 20;

// Takes the RLE levels of a v1 data page (a 4-byte length prefix, then the runs) from
// the front of `*body`, advancing it, and returns their decoder.
Result<RleBitPackedDecoder> TakeV1RleLevels(int bit_width, std::string_view* body) {
  const auto* data = reinterpret_cast<const uint8_t*>(body->data());
  const auto size = static_cast<int64_t>(body->size());
  if (size < 4) {
    return Status::Corruption("levels have no length prefix");
  }
  uint32_t length;
  std::memcpy(&length, data, sizeof(length));
  if (length > static_cast<uint64_t>(size - 4)) {
    return Status::Corruption(
        fmt::format("levels claim {} bytes but the page has {} left", length, size - 4));
  }
  body->remove_prefix(4 + static_cast<size_t>(length));
  return RleBitPackedDecoder(data + 4, length, bit_width);
}

// Decodes `count` levels of a v1 data page from the front of `*body` in `encoding`
// (RLE with its 4-byte length prefix, or the deprecated BIT_PACKED) and advances `*body`.
Status DecodeV1Levels(int32_t encoding, int bit_width, int64_t count, std::string_view* body,
                      int16_t* out) {
  const auto* data = reinterpret_cast<const uint8_t*>(body->data());
  const auto size = static_cast<int64_t>(body->size());
  if (encoding == Encoding::RLE) {
    SLUICE_ASSIGN_OR_RETURN(RleBitPackedDecoder decoder, TakeV1RleLevels(bit_width, body));
    return decoder.DecodeLevels(count, out);
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
//
// `rows_` counts the rows of every data page, read or skipped, so that the level slots
// of a page read know their rows; with a row selection, the slots (and their values) of
// the rows outside it are dropped page by page (SelectRows), and with an offset index
// the pages without a selected row are not decompressed at all.
class ChunkReader {
 public:
  ChunkReader(const RandomAccessFile& file, const format::ColumnChunk& chunk,
              const LeafDescriptor& leaf, int64_t row_group_rows, const ReadLimits& limits,
              const ColumnChunkContext& context, const std::vector<RowRange>* selection,
              bool use_offset_index, ReadMetrics* metrics, DefinitionForm definition_form)
      : file_(file),
        chunk_(chunk),
        leaf_(leaf),
        row_group_rows_(row_group_rows),
        limits_(limits),
        context_(context),
        selection_(selection),
        use_offset_index_(use_offset_index && selection != nullptr),
        metrics_(metrics != nullptr ? metrics : &unused_metrics_),
        bitmap_(definition_form == DefinitionForm::kBitmap && selection == nullptr &&
                leaf.max_repetition_level == 0 && leaf.max_definition_level == 1) {}

  Result<LeafData> Read();

  // Whether Read failed because the offset index disagrees with the pages; the chunk
  // may still read well without it.
  bool index_mismatch() const { return index_mismatch_; }

 private:
  Status CheckChunk(int64_t* start, int64_t* length) const;
  // Keeps the page locations of the chunk's offset index when it is there and
  // consistent with the chunk (`start`, `length`) and the row group.
  void LoadOffsetIndex(int64_t start, int64_t length);
  Status ReadDictionaryPage(const Page& page);
  // Checks a data page's header against what is left of the chunk.
  Status CheckDataPage(const Page& page) const;
  // Returns the rows the offset index gives the data page (which must be its next
  // location), checked against the page header where it counts rows.
  Result<RowRange> LocatePage(const Page& page);
  // Decodes a data page; `located` is its rows by the offset index, or {-1, -1}.
  Status ReadDataPage(const Page& page, RowRange located);
  // Decodes the page's levels into the LeafData and returns the non-null count.
  Result<int64_t> DecodeLevels(const Page& page, std::string_view* values);
  // With bitmap_, decodes the page's definition levels into data_.validity (after the
  // slots read before) and returns the count of ones; `*body` is a v1 page's body,
  // advanced past the levels.
  Result<int64_t> DecodeDefinitionBitmap(const Page& page, std::string_view* body);
  Status CheckRepetitionLevels(const Page& page, const int16_t* levels, int64_t count);
  Status CheckDefinitionLevels(const int16_t* levels, int64_t count, int64_t* non_null) const;
  // Whether the selection holds a row of [begin, end); moves the range cursor past the
  // ranges that end at or before `begin` (calls come in increasing order of rows).
  bool Selects(int64_t begin, int64_t end);
  // Drops the slots from `first_slot` on (and the values from `first_value` on) that
  // belong to rows outside the selection; the page read last started at row
  // `rows_before`.
  void SelectRows(int64_t first_slot, int64_t first_value, int64_t rows_before);
  // Keeps only the slots of slot_runs_, from `first_slot` on, with their values.
  void KeepSlots(int64_t first_slot, int64_t first_value);
  Status IndexMismatch(const std::string& what);

  const RandomAccessFile& file_;
  const format::ColumnChunk& chunk_;
  const LeafDescriptor& leaf_;
  const int64_t row_group_rows_;
  const ReadLimits& limits_;
  const ColumnChunkContext& context_;
  // The rows to return (sorted, disjoint, checked by ReadColumnChunk); null for all.
  const std::vector<RowRange>* selection_;
  const bool use_offset_index_;
  ReadMetrics* metrics_;
  ReadMetrics unused_metrics_;
  // Definition levels as a bitmap (see DefinitionForm::kBitmap).
  const bool bitmap_;
  std::vector<int16_t> level_scratch_;  // BIT_PACKED levels on their way to the bitmap

  int64_t num_values_ = 0;   // the chunk's num_values: the levels to read
  int64_t levels_read_ = 0;  // levels of the data pages so far, read or skipped
  bool flat_ = true;         // max_repetition_level == 0: one level per row
  int64_t rows_ = 0;         // rows of the data pages so far, read or skipped
  bool seen_data_page_ = false;
  LeafData data_;
  ValueDecoder values_;

  size_t range_cursor_ = 0;  // the first range of the selection that may hold rows to come
  std::vector<format::PageLocation> locations_;  // the offset index; empty when not used
  size_t next_location_ = 0;
  bool index_mismatch_ = false;
  std::vector<IndexRange> slot_runs_;  // scratch of SelectRows
  std::vector<IndexRange> value_runs_;
};

Status ChunkReader::CheckChunk(int64_t* start, int64_t* length) const {
  if (chunk_.__isset.crypto_metadata || chunk_.__isset.encrypted_column_metadata) {
    return Status::NotImplemented("encrypted Parquet is not supported");
  }
  // Some writers set an empty file_path for a chunk of this file (as CheckRowGroups allows).
  if (chunk_.__isset.file_path && !chunk_.file_path.empty()) {
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
  if (use_offset_index_) {
    LoadOffsetIndex(start, length);
  }
  // The chunk's bytes, in a scratch the thread keeps for its next chunk (nothing read
  // points into it once Read returns), unless it grew large.
  thread_local std::string scratch;
  struct Trim {
    ~Trim() {
      if (scratch.capacity() > kKeptScratchBytes) {
        std::string().swap(scratch);
      }
    }
  } trim;
  SLUICE_ASSIGN_OR_RETURN(std::string_view bytes, file_.ReadAt(start, length, &scratch));

  // Room for the values the footer announces, but no more than the bytes could plausibly
  // hold: the footer is as untrusted as the pages. With a selection, room for the rows
  // selected of a flat column (and growth as needed for a repeated one).
  int64_t expected =
      std::min({num_values_, flat_ ? row_group_rows_ : num_values_, length * 8 + 1024});
  if (selection_ != nullptr) {
    int64_t selected = 0;
    for (const RowRange& range : *selection_) {
      selected += range.end - range.begin;
    }
    expected = flat_ ? std::min(expected, selected) : 0;
  }
  values_.Reserve(expected);
  if (bitmap_) {
    data_.definition_bitmap = true;
    data_.validity = std::make_shared<Buffer>();
    data_.validity->Reserve(bits::BytesFor(expected));
  } else if (leaf_.max_definition_level > 0) {
    data_.definition_levels.reserve(static_cast<size_t>(expected));
  }
  if (leaf_.max_repetition_level > 0) {
    data_.repetition_levels.reserve(static_cast<size_t>(expected));
  }

  PageReader pages(bytes, start, EnumValue(chunk_.meta_data.codec), limits_);
  Page page;
  while (levels_read_ < num_values_) {
    SLUICE_ASSIGN_OR_RETURN(const bool more, pages.NextHeader(&page));
    if (!more) {
      return Status::Corruption(
          fmt::format("column chunk ends after {} of its {} values", levels_read_, num_values_));
    }
    const bool dictionary = page.type == PageType::DICTIONARY_PAGE;
    Status status;
    if (dictionary) {
      SLUICE_RETURN_IF_ERROR(pages.ReadBody(&page));
      status = ReadDictionaryPage(page);
    } else {
      status = CheckDataPage(page);
      RowRange located{-1, -1};
      if (status.ok() && !locations_.empty()) {
        Result<RowRange> rows = LocatePage(page);
        if (rows.ok()) {
          located = *rows;
        } else {
          status = std::move(rows).status();
        }
      }
      if (status.ok() && located.begin >= 0 && !Selects(located.begin, located.end)) {
        // No row of the page is selected: pass over its bytes.
        seen_data_page_ = true;
        levels_read_ += page.num_values;
        rows_ += located.end - located.begin;
        ++metrics_->pages_skipped;
        continue;
      }
      if (status.ok()) {
        SLUICE_RETURN_IF_ERROR(pages.ReadBody(&page));
        status = ReadDataPage(page, located);
      }
    }
    if (!status.ok()) {
      return std::move(status).WithContext(fmt::format(
          "{} at offset {}", dictionary ? "dictionary page" : "data page", page.offset));
    }
  }
  if (next_location_ != locations_.size()) {
    return IndexMismatch(fmt::format("it lists {} data pages, the column chunk has {}",
                                     locations_.size(), next_location_));
  }
  if (rows_ != row_group_rows_) {
    return Status::Corruption(
        fmt::format("column chunk holds {} rows, its row group has {}", rows_, row_group_rows_));
  }
  data_.values = values_.Finish();
  if (bitmap_ && data_.null_count == 0) {
    data_.validity = nullptr;
  }
  return std::move(data_);
}

void ChunkReader::LoadOffsetIndex(int64_t start, int64_t length) {
  if (!chunk_.__isset.offset_index_offset || !chunk_.__isset.offset_index_length) {
    return;
  }
  const int64_t offset = chunk_.offset_index_offset;
  const int64_t size = chunk_.offset_index_length;
  if (offset < 0 || size <= 0 || offset > file_.size() || size > file_.size() - offset) {
    return;
  }
  std::string scratch;
  Result<std::string_view> bytes = file_.ReadAt(offset, size, &scratch);
  format::OffsetIndex index;
  if (!bytes.ok() || !DeserializeThrift(*bytes, "offset index", &index).ok()) {
    return;
  }
  // Pages in order inside the chunk, rows increasing from 0 within the row group.
  int64_t previous_offset = start - 1;
  int64_t previous_row = -1;
  for (const format::PageLocation& location : index.page_locations) {
    const int64_t row = location.first_row_index;
    if (location.offset <= previous_offset || location.offset - start >= length ||
        row <= previous_row || (previous_row < 0 && row != 0) || row >= row_group_rows_) {
      return;
    }
    previous_offset = location.offset;
    previous_row = row;
  }
  locations_ = std::move(index.page_locations);
}

Status ChunkReader::IndexMismatch(const std::string& what) {
  index_mismatch_ = true;
  return Status::Corruption(fmt::format("the offset index disagrees with the pages: {}", what));
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
    return Status::ResourceExhausted(
        fmt::format("dictionary of {} values exceeds the limit of {} (ReadLimits)", page.num_values,
                    limits_.max_dictionary_values));
  }
  return values_.SetDictionary(page.body, page.num_values);
}

Status ChunkReader::CheckDataPage(const Page& page) const {
  const int64_t count = page.num_values;
  if (count > num_values_ - levels_read_) {
    return Status::Corruption(
        fmt::format("data page holds {} values but only {} of the column chunk's {} are left",
                    count, num_values_ - levels_read_, num_values_));
  }
  if (flat_ && count > row_group_rows_ - rows_) {
    return Status::Corruption(
        fmt::format("data page holds {} rows but only {} of the row group's {} are left", count,
                    row_group_rows_ - rows_, row_group_rows_));
  }
  return Status::Ok();
}

Result<RowRange> ChunkReader::LocatePage(const Page& page) {
  if (next_location_ >= locations_.size() || locations_[next_location_].offset != page.offset) {
    return IndexMismatch(fmt::format("it has no data page at offset {}", page.offset));
  }
  const size_t k = next_location_++;
  const RowRange rows{locations_[k].first_row_index, k + 1 < locations_.size()
                                                         ? locations_[k + 1].first_row_index
                                                         : row_group_rows_};
  // The header counts the page's rows for a flat column (one level per row) and in v2.
  const int64_t header_rows =
      flat_ && page.type == PageType::DATA_PAGE ? page.num_values : page.num_rows;
  if (rows.begin != rows_ || (header_rows >= 0 && header_rows != rows.end - rows.begin)) {
    return IndexMismatch(
        fmt::format("it gives the page rows [{}, {}), the pages before it end "
                    "at row {} and its header counts {}",
                    rows.begin, rows.end, rows_, header_rows));
  }
  return rows;
}

Status ChunkReader::ReadDataPage(const Page& page, RowRange located) {
  seen_data_page_ = true;
  ++metrics_->pages_read;
  const int64_t count = page.num_values;
  const int64_t first_slot = data_.num_levels;
  const int64_t first_value = values_.count();
  const int64_t rows_before = rows_;
  std::string_view values;
  SLUICE_ASSIGN_OR_RETURN(const int64_t non_null, DecodeLevels(page, &values));
  data_.num_levels += count;
  levels_read_ += count;
  SLUICE_RETURN_IF_ERROR(values_.Decode(page.encoding, values, non_null));
  if (located.begin >= 0 &&
      (rows_ - rows_before != located.end - located.begin ||
       (!flat_ && count > 0 && data_.repetition_levels[static_cast<size_t>(first_slot)] != 0))) {
    return IndexMismatch(fmt::format("it gives the page {} rows, its levels hold {}{}",
                                     located.end - located.begin, rows_ - rows_before,
                                     flat_ ? "" : " (and must start a row)"));
  }
  if (selection_ != nullptr) {
    SelectRows(first_slot, first_value, rows_before);
  }
  return Status::Ok();
}

bool ChunkReader::Selects(int64_t begin, int64_t end) {
  const std::vector<RowRange>& ranges = *selection_;
  while (range_cursor_ < ranges.size() && ranges[range_cursor_].end <= begin) {
    ++range_cursor_;
  }
  return range_cursor_ < ranges.size() && ranges[range_cursor_].begin < end;
}

void ChunkReader::SelectRows(int64_t first_slot, int64_t first_value, int64_t rows_before) {
  const int64_t count = data_.num_levels - first_slot;
  if (count == 0) {
    return;
  }
  const int16_t* repetition =
      flat_ ? nullptr : data_.repetition_levels.data() + static_cast<size_t>(first_slot);
  // A v1 page of a repeated column may start by continuing the row of the page before.
  const int64_t first_row = flat_ || repetition[0] == 0 ? rows_before : rows_before - 1;
  const int64_t end_row = rows_;
  slot_runs_.clear();
  if (Selects(first_row, end_row)) {
    const std::vector<RowRange>& ranges = *selection_;
    const RowRange& range = ranges[range_cursor_];
    if (range.begin <= first_row && range.end >= end_row) {
      return;  // every row of the page is selected
    }
    if (flat_) {
      for (size_t r = range_cursor_; r < ranges.size() && ranges[r].begin < end_row; ++r) {
        const int64_t begin = std::max(ranges[r].begin, first_row);
        const int64_t end = std::min(ranges[r].end, end_row);
        slot_runs_.push_back({first_slot + begin - first_row, first_slot + end - first_row});
      }
    } else {
      // A row's slots run from its repetition level 0 to the next one.
      size_t r = range_cursor_;
      int64_t row = rows_before - 1;
      bool keep = false;
      int64_t run_begin = 0;
      for (int64_t i = 0; i < count; ++i) {
        if (i > 0 && repetition[i] != 0) {
          continue;
        }
        if (repetition[i] == 0) {
          ++row;
        }
        while (r < ranges.size() && ranges[r].end <= row) {
          ++r;
        }
        const bool selected = r < ranges.size() && ranges[r].begin <= row;
        if (selected && !keep) {
          run_begin = i;
        } else if (!selected && keep) {
          slot_runs_.push_back({first_slot + run_begin, first_slot + i});
        }
        keep = selected;
      }
      if (keep) {
        slot_runs_.push_back({first_slot + run_begin, first_slot + count});
      }
    }
  }
  KeepSlots(first_slot, first_value);
}

void ChunkReader::KeepSlots(int64_t first_slot, int64_t first_value) {
  // The values of the runs: one per slot at the maximum definition level.
  value_runs_.clear();
  const int16_t max_definition = leaf_.max_definition_level;
  if (max_definition == 0) {
    for (const IndexRange& run : slot_runs_) {
      value_runs_.push_back(
          {first_value + run.begin - first_slot, first_value + run.end - first_slot});
    }
  } else {
    const int16_t* definition = data_.definition_levels.data();
    int64_t slot = first_slot;
    int64_t value = first_value;
    for (const IndexRange& run : slot_runs_) {
      for (; slot < run.begin; ++slot) {
        value += definition[slot] == max_definition ? 1 : 0;
      }
      const int64_t begin = value;
      for (; slot < run.end; ++slot) {
        value += definition[slot] == max_definition ? 1 : 0;
      }
      if (value > begin) {
        value_runs_.push_back({begin, value});
      }
    }
  }
  values_.Compact(first_value, value_runs_);
  int64_t to = first_slot;
  for (const IndexRange& run : slot_runs_) {
    const auto length = static_cast<size_t>(run.end - run.begin);
    if (max_definition > 0) {
      std::memmove(data_.definition_levels.data() + to, data_.definition_levels.data() + run.begin,
                   length * sizeof(int16_t));
    }
    if (!flat_) {
      std::memmove(data_.repetition_levels.data() + to, data_.repetition_levels.data() + run.begin,
                   length * sizeof(int16_t));
    }
    to += run.end - run.begin;
  }
  if (max_definition > 0) {
    data_.definition_levels.resize(static_cast<size_t>(to));
  }
  if (!flat_) {
    data_.repetition_levels.resize(static_cast<size_t>(to));
  }
  data_.num_levels = to;
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
  if (bitmap_) {
    Result<int64_t> ones = DecodeDefinitionBitmap(page, &body);
    if (!ones.ok()) {
      return std::move(ones).status().WithContext("definition levels");
    }
    non_null = *ones;
    data_.null_count += count - non_null;
  } else if (max_definition > 0) {
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

Result<int64_t> ChunkReader::DecodeDefinitionBitmap(const Page& page, std::string_view* body) {
  const int64_t count = page.num_values;
  const int64_t first = data_.num_levels;
  Buffer& validity = *data_.validity;
  validity.Resize(bits::BytesFor(first + count));
  uint8_t* bitmap = validity.mutable_data();
  int64_t ones = 0;
  if (page.type == PageType::DATA_PAGE_V2) {
    RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(page.definition_levels.data()),
                                static_cast<int64_t>(page.definition_levels.size()), 1);
    SLUICE_RETURN_IF_ERROR(decoder.DecodeBits(count, bitmap, first, &ones));
    return ones;
  }
  const int32_t encoding = EnumValue(page.header->data_page_header.definition_level_encoding);
  if (encoding == Encoding::RLE) {
    SLUICE_ASSIGN_OR_RETURN(RleBitPackedDecoder decoder, TakeV1RleLevels(1, body));
    SLUICE_RETURN_IF_ERROR(decoder.DecodeBits(count, bitmap, first, &ones));
    return ones;
  }
  // The deprecated BIT_PACKED levels: through levels (1 bit wide, so 0 or 1).
  level_scratch_.resize(static_cast<size_t>(count));
  SLUICE_RETURN_IF_ERROR(DecodeV1Levels(encoding, 1, count, body, level_scratch_.data()));
  for (int64_t i = 0; i < count; ++i) {
    if (level_scratch_[static_cast<size_t>(i)] != 0) {
      bits::Set(bitmap, first + i);
      ++ones;
    }
  }
  return ones;
}

Status ChunkReader::CheckRepetitionLevels(const Page& page, const int16_t* levels, int64_t count) {
  if (count > 0 && levels[0] != 0 && (levels_read_ == 0 || page.type == PageType::DATA_PAGE_V2)) {
    return Status::Corruption(fmt::format("the first repetition level of a {} is {}, not 0",
                                          levels_read_ == 0 ? "column chunk" : "v2 data page",
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
                                 const ReadLimits& limits, const ColumnChunkContext& context,
                                 const std::vector<RowRange>* rows, ReadMetrics* metrics,
                                 DefinitionForm definition_form) {
  const auto where = [&] {
    return context.row_group >= 0 ? fmt::format("{}: row group {}, column '{}'", file.name(),
                                                context.row_group, leaf.path)
                                  : fmt::format("{}: column '{}'", file.name(), leaf.path);
  };
  if (rows != nullptr) {
    int64_t previous_end = 0;
    for (const RowRange& range : *rows) {
      if (range.begin < previous_end || range.end <= range.begin || range.end > row_group_rows) {
        return Status::InvalidArgument(fmt::format(
            "{}: row range [{}, {}) is empty, out of order or outside the row group of {} rows",
            where(), range.begin, range.end, row_group_rows));
      }
      previous_end = range.end;
    }
  }
  ChunkReader reader(file, chunk, leaf, row_group_rows, limits, context, rows,
                     /*use_offset_index=*/true, metrics, definition_form);
  Result<LeafData> result = reader.Read();
  if (!result.ok() && reader.index_mismatch()) {
    // The offset index misled: read every page and select the rows by their levels.
    ChunkReader full(file, chunk, leaf, row_group_rows, limits, context, rows,
                     /*use_offset_index=*/false, metrics, definition_form);
    result = full.Read();
  }
  if (!result.ok()) {
    return result.status().WithContext(where());
  }
  return result;
}

}  // namespace sluice::parquet
