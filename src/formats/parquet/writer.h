// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "common/status.h"
#include "formats/parquet/compression.h"
#include "formats/parquet/statistics.h"
#include "formats/parquet/thrift_io.h"
#include "types/data_type.h"

namespace sluice::parquet {

/// The data page layout: v1 (DATA_PAGE, the default, what Spark writes) or v2
/// (DATA_PAGE_V2: levels outside the compressed part, row counts in the header).
enum class DataPageVersion : uint8_t { kV1, kV2 };

/// How a ParquetWriter lays out and encodes a file.
struct ParquetWriteOptions {
  /// The page codec: UNCOMPRESSED, SNAPPY (Spark's default), GZIP, BROTLI, ZSTD, LZ4_RAW.
  Codec compression = format::CompressionCodec::SNAPPY;
  /// The codec's level (ZSTD 1..22, GZIP 1..9, BROTLI 0..11) or its own default.
  int compression_level = kDefaultCompressionLevel;
  /// Dictionary-encodes every column but booleans (RLE_DICTIONARY data pages and a PLAIN
  /// dictionary page per column chunk).
  bool dictionary = true;
  /// When a chunk's dictionary grows past this many bytes (PLAIN size), the rest of the
  /// chunk falls back to `value_encoding`.
  int64_t dictionary_page_size_limit = 1 << 20;
  /// The target uncompressed bytes per data page.
  int64_t data_page_size = 1 << 20;
  /// The most rows per data page (as parquet-mr and Arrow).
  int64_t data_page_row_limit = 20000;
  /// The target bytes per row group, judged on the uncompressed, encoded size of what
  /// is buffered (Spark's parquet.block.size).
  int64_t row_group_size = 128 << 20;
  /// The most rows per row group (no limit by default, as Spark).
  int64_t row_group_row_limit = std::numeric_limits<int64_t>::max();
  /// The data page version.
  DataPageVersion data_page_version = DataPageVersion::kV1;
  /// The encoding of values that are not dictionary-encoded (no dictionary, or after a
  /// fallback): PLAIN (default); DELTA_BINARY_PACKED for INT32/INT64 columns;
  /// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY for BYTE_ARRAY columns;
  /// BYTE_STREAM_SPLIT for FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY columns;
  /// RLE for BOOLEAN columns. Columns it cannot apply to use PLAIN. Boolean columns of
  /// v2 pages use RLE unless this says otherwise, as parquet-mr's v2 writer does.
  format::Encoding::type value_encoding = format::Encoding::PLAIN;
  /// Writes min, max, null count (and NaN count for floats) per column chunk.
  bool write_statistics = true;
  /// String and binary min/max longer than this many bytes are truncated: min to a
  /// prefix, max to a prefix whose last character (string) or byte (binary) is
  /// incremented, with is_*_value_exact false. A bound that cannot be truncated that way
  /// is written whole.
  int32_t statistics_truncate_length = 64;
  /// Writes a ColumnIndex (per-page min/max/null counts, when statistics are written)
  /// and an OffsetIndex (page locations) per column chunk after the row groups, so
  /// readers can skip pages.
  bool write_page_index = true;
  /// Extra key-value metadata for the footer. The writer adds
  /// "org.apache.spark.sql.parquet.row.metadata" (the schema as Spark's JSON) and
  /// "org.apache.spark.version" unless given here.
  std::vector<std::pair<std::string, std::string>> key_value_metadata;
  /// The footer's created_by.
  std::string created_by = "sluice version 0.1.0";
};

/// What a finished file holds.
struct ParquetWriteResult {
  /// The file's size in bytes.
  int64_t file_size = 0;
  int64_t num_rows = 0;
  int num_row_groups = 0;
  /// One entry per leaf column, in schema order, merged over the row groups.
  std::vector<ColumnStatistics> columns;
};

/// A sink of bytes, written front to back. Single-threaded.
class OutputStream {
 public:
  virtual ~OutputStream() = default;
  /// Appends `data`; kIoError when the bytes cannot be written.
  virtual Status Write(std::string_view data) = 0;
  /// Flushes and releases what the stream holds; no Write may follow.
  virtual Status Close() = 0;
  /// The bytes written so far.
  virtual int64_t position() const = 0;
};

/// Creates (or truncates) the local file `path` and returns a stream that writes it
/// through a 1 MiB buffer; with `sync`, Close() flushes the file to stable storage.
/// kIoError naming the path when it cannot be opened.
Result<std::unique_ptr<OutputStream>> OpenFileOutputStream(const std::string& path,
                                                           bool sync = false);

/// A stream into a string held in memory.
class MemoryOutputStream final : public OutputStream {
 public:
  Status Write(std::string_view data) override {
    buffer_.append(data);
    return Status::Ok();
  }
  Status Close() override { return Status::Ok(); }
  int64_t position() const override { return static_cast<int64_t>(buffer_.size()); }

  /// The bytes written so far.
  const std::string& buffer() const { return buffer_; }
  /// Hands out the bytes written and starts over empty.
  std::string Release() { return std::exchange(buffer_, std::string()); }

 private:
  std::string buffer_;
};

class FileWriter;

/// Writes batches of one schema as a Parquet file, as Spark's non-legacy writer lays it
/// out, so Spark (and every other reader) reads back the same types:
///   boolean BOOLEAN; byte INT32 INT(8,signed); short INT32 INT(16,signed); int INT32;
///   long INT64; float FLOAT; double DOUBLE; decimal(p,s) INT32 (p <= 9), INT64
///   (p <= 18) or the smallest FIXED_LEN_BYTE_ARRAY, annotated DECIMAL; string
///   BYTE_ARRAY STRING; binary BYTE_ARRAY; date INT32 DATE; timestamp INT64
///   TIMESTAMP(UTC, MICROS); timestamp_ntz INT64 TIMESTAMP(local, MICROS); struct a
///   group; array a 3-level LIST (`list` / `element`); map a MAP group (`key_value` /
///   `key` / `value`); void an all-null OPTIONAL INT32 annotated UNKNOWN; variant a
///   VARIANT group of required binary `metadata` and `value`.
/// The root is "spark_schema"; field metadata "parquet.field.id" becomes the field id.
///
/// Rows are appended batch by batch; each column's pages are buffered until its row
/// group closes (by `row_group_size` or `row_group_row_limit`), so memory stays bounded
/// by a row group plus an open page per column. Single-threaded.
class ParquetWriter {
 public:
  /// Creates (or truncates) the local file `path` and writes its header.
  static Result<std::unique_ptr<ParquetWriter>> Open(const std::string& path, SchemaPtr schema,
                                                     ParquetWriteOptions options = {});
  /// Writes to `out`, which the writer owns and closes.
  static Result<std::unique_ptr<ParquetWriter>> Open(std::unique_ptr<OutputStream> out,
                                                     SchemaPtr schema,
                                                     ParquetWriteOptions options = {});
  ~ParquetWriter();
  ParquetWriter(const ParquetWriter&) = delete;
  ParquetWriter& operator=(const ParquetWriter&) = delete;

  /// Appends the rows of `batch`, whose columns must have the schema's types (names,
  /// nullability and metadata aside): kInvalidArgument otherwise, or when a
  /// non-nullable field holds a null (naming the field and the row); nothing of the
  /// batch is written then. After an I/O error the writer refuses further calls.
  Status Write(const Batch& batch);
  /// Closes the last row group, writes the page indexes and the footer, and closes the
  /// stream. No call may follow.
  Result<ParquetWriteResult> Close();

 private:
  explicit ParquetWriter(std::unique_ptr<FileWriter> impl);

  std::unique_ptr<FileWriter> impl_;
};

/// Writes `batches` to an in-memory file (tests, small files).
Result<std::string> WriteParquetToString(SchemaPtr schema, const std::vector<BatchPtr>& batches,
                                         ParquetWriteOptions options = {});

}  // namespace sluice::parquet
