// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/buffer.h"
#include "columnar/vector.h"
#include "common/result.h"
#include "common/status.h"
#include "formats/parquet/thrift_io.h"
#include "types/data_type.h"

// The contract between the two halves of the reader: the column reader turns a column
// chunk's pages into levels and dense values (LeafData); record assembly turns the
// leaves of a field into one nested sluice vector.

namespace sluice::parquet {

/// Random access to the bytes of one Parquet file.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  /// The file's name, for error messages.
  virtual const std::string& name() const = 0;
  virtual int64_t size() const = 0;
  /// Returns `length` bytes at `offset`; kCorruption (naming the file) when the range
  /// is not inside the file. The view stays valid while `*scratch` and the file live.
  /// An implementation may read into `*scratch` (growing it, but never shrinking it, so
  /// that a scratch reused for reads of similar sizes is not cleared again).
  virtual Result<std::string_view> ReadAt(int64_t offset, int64_t length,
                                          std::string* scratch) const = 0;
};

/// Opens a local file for positional reads (pread); kNotFound / kIoError naming it.
Result<std::unique_ptr<RandomAccessFile>> OpenLocalFile(const std::string& path);
/// Wraps bytes held in memory (tests, the fuzzer, files already read).
std::unique_ptr<RandomAccessFile> MakeBufferFile(std::string name,
                                                 std::shared_ptr<const std::string> bytes);

/// Limits that keep hostile files from making the reader allocate without bound.
struct ReadLimits {
  /// The largest uncompressed page or dictionary page accepted.
  int64_t max_page_bytes = int64_t{1} << 30;
  /// The most dictionary entries accepted.
  int64_t max_dictionary_values = int64_t{1} << 26;
  /// The most value slots (levels) one column chunk may claim. Levels of a repeated
  /// column can be run-length encoded in a few bytes, so the page sizes alone do not
  /// bound the memory they take; 2^28 slots are at most 1 GiB of levels.
  int64_t max_chunk_values = int64_t{1} << 28;
};

/// One leaf (primitive) column of a file's schema, as the column reader needs it.
struct LeafDescriptor {
  /// The leaf's position among the leaves, which is its index in a row group's columns.
  int column_index = 0;
  /// The dotted path in the Parquet schema (path_in_schema), for messages.
  std::string path;
  /// The leaf's schema element: physical type, type_length, converted and logical type,
  /// scale and precision.
  format::SchemaElement element;
  int16_t max_definition_level = 0;
  int16_t max_repetition_level = 0;
  /// The sluice type the values are converted to (see schema.h for the mapping: INT96 to
  /// timestamp, decimals of every physical form to decimal, UINT_64 to decimal(20,0),
  /// FLOAT16 to float, TIMESTAMP(MILLIS/NANOS) to microseconds, ...).
  TypePtr type;
};

/// What the column reader produced for one column chunk.
struct LeafData {
  /// Levels per value slot, `num_levels` of each; empty when the maximum level is 0, or
  /// when `definition_bitmap` gives them.
  std::vector<int16_t> definition_levels;
  /// Set when the definition levels of a flat leaf (maximum repetition level 0, maximum
  /// definition level 1) come as a bitmap instead of `definition_levels`: bit i of
  /// `validity` is set when slot i's level is 1. `validity` is null when every slot's
  /// is (null_count 0), else it has at least bits::BytesFor(num_levels) bytes.
  bool definition_bitmap = false;
  BufferPtr validity;
  /// With `definition_bitmap`, the slots whose level is 0.
  int64_t null_count = 0;
  std::vector<int16_t> repetition_levels;
  int64_t num_levels = 0;
  /// The non-null values only, densely, as a vector of the descriptor's type without
  /// validity (length = number of definition levels equal to the maximum, or
  /// num_levels when the maximum is 0).
  VectorPtr values;
};

}  // namespace sluice::parquet
