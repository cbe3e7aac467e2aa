// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.h"
#include "formats/parquet/leaf.h"
#include "formats/parquet/predicate.h"
#include "formats/parquet/thrift_io.h"

namespace sluice::parquet {

/// Where a column chunk sits in its file, for range checks and messages.
struct ColumnChunkContext {
  /// The row group's index in the file; named in messages when >= 0.
  int row_group = -1;
  /// The offset at which the footer starts (file size - 8 - footer length): the column
  /// data must end at or before it. -1 means file size - 8 (before "<length>PAR1").
  int64_t footer_offset = -1;
};

/// What reads decoded and what they skipped. ReadColumnChunk and ParquetReader add to
/// it; tests and profiles read it.
struct ReadMetrics {
  /// Data pages decompressed and decoded.
  int64_t pages_read = 0;
  /// Data pages passed over without decompressing them: the offset index places all of
  /// their rows outside the rows selected.
  int64_t pages_skipped = 0;

  ReadMetrics& operator+=(const ReadMetrics& other) {
    pages_read += other.pages_read;
    pages_skipped += other.pages_skipped;
    return *this;
  }
};

/// How ReadColumnChunk returns the definition levels of a flat leaf (maximum repetition
/// level 0) whose maximum definition level is 1.
enum class DefinitionForm : uint8_t {
  /// LeafData::definition_levels, one int16_t per slot.
  kLevels,
  /// LeafData::validity, one bit per slot (LeafData::definition_bitmap), decoded run by
  /// run. Used only when no row selection is given; other leaves always get levels.
  kBitmap,
};

/// Reads one column chunk of `file` (one leaf of one row group) into levels and dense
/// values converted to `leaf.type` (see LeafData). `row_group_rows` is the row group's
/// num_rows: the chunk must hold exactly that many rows.
///
/// With `rows` (sorted, disjoint ranges, none empty, within [0, row_group_rows); else
/// kInvalidArgument; an empty list selects no row), the LeafData holds only the rows of those
/// ranges, whole records: for a repeated leaf a row runs from a repetition level 0 to the next.
/// Every column of a row group read with the same ranges thus returns the same rows. The chunk's
/// OffsetIndex (ColumnChunk.offset_index_offset/length) is then read, and the data pages
/// it places wholly outside the ranges are skipped without being decompressed (the
/// dictionary page is always read); of the pages read, the rows outside the ranges are
/// dropped. An offset index that is missing, outside the file, undecodable or
/// inconsistent (first rows not increasing from 0, pages not in the chunk) is ignored,
/// and one that disagrees with the pages it describes (a data page at another offset,
/// a page header or the levels of a page read counting other rows) makes the reader
/// start over without it: every page is then decoded and the rows are selected from
/// the levels, never an error and never other rows. The index is trusted for the row
/// counts of the pages it skips where the headers do not give them (v1 pages of
/// repeated columns). `metrics`, when given, counts the data pages read and skipped.
///
/// Reads the chunk's bytes with one ReadAt, then its pages: an optional dictionary page
/// first, then v1 and v2 data pages (index pages and unknown page types are skipped)
/// until the chunk's num_values levels are read. Every codec of compression.h, and the
/// encodings PLAIN, PLAIN_DICTIONARY / RLE_DICTIONARY, RLE (booleans),
/// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT.
///
/// Returns kCorruption for malformed or inconsistent data, kNotImplemented for
/// unsupported features (encryption, a conversion to `leaf.type` the reader does not
/// know) and kResourceExhausted past `limits` or the 2 GiB of string bytes int32
/// offsets hold, with a message naming the file, the column path and what is wrong, e.g.
/// "f.parquet: column 'a.b': data page at offset 4021: dictionary index 17 out of range
/// (dictionary has 5 values)". Never allocates more than `limits` allow for pages and
/// dictionaries; values and levels are bounded by the chunk's num_values (at most
/// `limits.max_chunk_values`; for a column that is not repeated, `row_group_rows`).
Result<LeafData> ReadColumnChunk(const RandomAccessFile& file, const format::ColumnChunk& chunk,
                                 const LeafDescriptor& leaf, int64_t row_group_rows,
                                 const ReadLimits& limits, const ColumnChunkContext& context = {},
                                 const std::vector<RowRange>* rows = nullptr,
                                 ReadMetrics* metrics = nullptr,
                                 DefinitionForm definition_form = DefinitionForm::kLevels);

}  // namespace sluice::parquet
