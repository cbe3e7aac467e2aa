// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

#include "common/result.h"
#include "formats/parquet/leaf.h"
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

/// Reads one column chunk of `file` (one leaf of one row group) into levels and dense
/// values converted to `leaf.type` (see LeafData). `row_group_rows` is the row group's
/// num_rows: the chunk must hold exactly that many rows.
///
/// Reads the chunk's bytes with one ReadAt, then its pages: an optional dictionary page
/// first, then v1 and v2 data pages (index pages and unknown page types are skipped)
/// until the chunk's num_values levels are read. Every codec of compression.h, and the
/// encodings PLAIN, PLAIN_DICTIONARY / RLE_DICTIONARY, RLE (booleans),
/// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT.
///
/// Returns kCorruption for malformed or inconsistent data and kNotImplemented for
/// unsupported features (encryption, a conversion to `leaf.type` the reader does not
/// know), with a message naming the file, the column path and what is wrong, e.g.
/// "f.parquet: column 'a.b': data page at offset 4021: dictionary index 17 out of range
/// (dictionary has 5 values)". Never allocates more than `limits` allow for pages and
/// dictionaries; values and levels are bounded by the chunk's num_values (and, for a
/// column that is not repeated, by `row_group_rows`).
Result<LeafData> ReadColumnChunk(const RandomAccessFile& file, const format::ColumnChunk& chunk,
                                 const LeafDescriptor& leaf, int64_t row_group_rows,
                                 const ReadLimits& limits, const ColumnChunkContext& context = {});

}  // namespace sluice::parquet
