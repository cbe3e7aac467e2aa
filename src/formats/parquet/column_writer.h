// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "columnar/vector.h"
#include "common/status.h"
#include "formats/parquet/shredder.h"
#include "formats/parquet/statistics.h"
#include "formats/parquet/thrift_io.h"
#include "formats/parquet/write_schema.h"
#include "formats/parquet/writer.h"

// The writer of one leaf column: levels and values into pages, pages into column chunks.

namespace sluice::parquet {

/// Where a column chunk landed and what it holds, for the footer and the page index.
struct WrittenChunk {
  /// file_offset and meta_data, with absolute offsets.
  format::ColumnChunk chunk;
  /// The chunk's ColumnIndex, when statistics and the page index are on and every
  /// non-null page has bounds (a float page of only NaN has none).
  std::optional<format::ColumnIndex> column_index;
  /// The chunk's OffsetIndex, when the page index is on.
  std::optional<format::OffsetIndex> offset_index;
};

/// Encodes the values of one leaf column into pages and buffers them until the row
/// group closes. Made per leaf by Make(); single-threaded.
class ColumnChunkWriter {
 public:
  /// Returns the writer for `leaf`, typed by its physical type. `options` must outlive
  /// it.
  static std::unique_ptr<ColumnChunkWriter> Make(const WriteLeaf& leaf,
                                                 const ParquetWriteOptions& options);

  virtual ~ColumnChunkWriter() = default;

  /// Appends every row of `column`, a top-level primitive column (no repetition, the
  /// definition level is the validity).
  virtual Status WriteColumn(const Vector& column) = 0;
  /// Appends rows shredded into `levels` (whole rows: the first repetition level is 0).
  virtual Status WriteLevels(const LeafLevels& levels) = 0;
  /// Returns the uncompressed, encoded bytes the current chunk holds so far: closed
  /// pages with their headers, the open page and the dictionary.
  virtual int64_t EstimatedChunkSize() const = 0;
  /// Closes the open page and writes the chunk (dictionary page, then data pages) to
  /// `out`; fills `*written` and starts a new chunk.
  virtual Status FlushChunk(OutputStream* out, WrittenChunk* written) = 0;
  /// Returns the statistics of every chunk flushed so far, merged.
  virtual ColumnStatistics FileStatistics() const = 0;
};

}  // namespace sluice::parquet
