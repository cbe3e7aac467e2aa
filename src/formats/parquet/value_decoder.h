// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/buffer.h"
#include "columnar/vector.h"
#include "common/status.h"
#include "formats/parquet/leaf.h"

// Internal to the column reader: decodes the value sections of a leaf's pages and
// converts them to the leaf's sluice type.

namespace sluice::parquet {

/// How the physical values of a leaf become values of its sluice type.
enum class Conversion : uint8_t {
  kVoid,             // no values (void leaf)
  kBoolean,          // BOOLEAN bits
  kCopy,             // the same bits: INT32 int/date, INT64 long/micros, FLOAT, DOUBLE
  kInt32ToInt8,      // narrowed
  kInt32ToInt16,     // narrowed
  kInt32ToInt64,     // sign-extended
  kUInt32ToInt64,    // zero-extended (UINT_32)
  kInt32ToDecimal,   // sign-extended to Int128
  kUInt32ToDecimal,  // zero-extended to Int128
  kInt64ToDecimal,   // sign-extended to Int128
  kUInt64ToDecimal,  // zero-extended to Int128 (UINT_64)
  kMillisToMicros,   // INT64 TIMESTAMP(MILLIS)
  kNanosToMicros,    // INT64 TIMESTAMP(NANOS), floor division
  kInt96ToMicros,    // INT96 nanos of day + Julian day
  kFloatToDouble,    // widened
  kFloat16ToFloat,   // FIXED_LEN_BYTE_ARRAY(2) FLOAT16
  kFixedToDecimal,   // FIXED_LEN_BYTE_ARRAY big-endian two's complement
  kFixedToString,    // FIXED_LEN_BYTE_ARRAY bytes
  kBytesToDecimal,   // BYTE_ARRAY big-endian two's complement
  kBytesToString,    // BYTE_ARRAY bytes
};

/// A half-open range [begin, end) of value (or level slot) indexes.
struct IndexRange {
  int64_t begin = 0;
  int64_t end = 0;
};

/// Values of the target type, densely, in the Vector layout: bits, fixed-width values, or
/// int32 offsets (with a leading 0) plus bytes.
struct ValueStore {
  BufferPtr values;
  BufferPtr data;
  int64_t count = 0;
};

/// Decodes the values of one leaf's pages (the dictionary page and the value sections of
/// the data pages) and appends them, converted to the leaf's type, densely. Decoding runs
/// in loops over whole pages; the dictionary is converted once and gathered from.
/// Single-threaded.
class ValueDecoder {
 public:
  /// Prepares to decode `leaf`; kNotImplemented when its physical and logical type cannot
  /// be read as leaf.type, kCorruption when the schema element is inconsistent.
  Status Init(const LeafDescriptor& leaf);

  /// Makes room for `count` more values.
  void Reserve(int64_t count);

  /// Decodes the `count` PLAIN values of a dictionary page (`count` was checked against
  /// the limits) and keeps them as the dictionary.
  Status SetDictionary(std::string_view data, int64_t count);
  bool has_dictionary() const { return has_dictionary_; }

  /// Decodes `count` values encoded with `encoding` (a format::Encoding value) from the
  /// value section `data` of a data page and appends them.
  Status Decode(int32_t encoding, std::string_view data, int64_t count);

  /// The number of values appended so far.
  int64_t count() const { return out_.count; }

  /// Keeps, of the values appended from index `first` on, only those in `ranges`
  /// (sorted, disjoint, non-empty, within [first, count())), moved down in order so
  /// that they start at `first`; count() becomes `first` plus their number. The column
  /// reader uses it to drop the rows a row selection does not want from a page it has
  /// decoded.
  void Compact(int64_t first, std::span<const IndexRange> ranges);

  /// Returns the values appended as a vector of the leaf's type (no nulls) and resets.
  VectorPtr Finish();

 private:
  enum class Layout : uint8_t { kVoid, kBits, kFixed, kString };

  void ResetStore(ValueStore* store) const;
  uint8_t* GrowFixed(ValueStore* store, int64_t count) const;
  // Makes room for `bytes` bytes of string data in `store`, which is about to take
  // `count` more values; for out_, room for the values Reserve expects at once.
  void ReserveStringBytes(ValueStore* store, int64_t count, int64_t bytes) const;
  uint8_t* Scratch(int64_t bytes);

  Status AppendPlain(ValueStore* store, const uint8_t* data, int64_t size, int64_t count);
  Status AppendPlainStrings(ValueStore* store, const uint8_t* data, int64_t size,
                            int64_t count) const;
  Status AppendPlainBytesDecimals(ValueStore* store, const uint8_t* data, int64_t size,
                                  int64_t count) const;
  // Appends `count` fixed-width physical values in PLAIN layout.
  Status AppendFixed(ValueStore* store, const uint8_t* physical, int64_t count) const;
  Status AppendViews(ValueStore* store, const std::string_view* views, int64_t count);
  void AppendBits(ValueStore* store, const uint8_t* bits, int64_t count) const;

  Status DecodeDictionaryIndices(const uint8_t* data, int64_t size, int64_t count);
  Status DecodeRleBooleans(const uint8_t* data, int64_t size, int64_t count);
  template <typename T>
  Status DecodeDeltaBinaryPacked(const uint8_t* data, int64_t size, int64_t count);
  Status DecodeDeltaByteArrays(int32_t encoding, const uint8_t* data, int64_t size, int64_t count);
  Status DecodeByteStreamSplit(const uint8_t* data, int64_t size, int64_t count);

  Status Gather(const uint32_t* indices, int64_t count);
  Status GatherStrings(const uint32_t* indices, int64_t count);

  TypePtr type_;
  std::string path_;
  int32_t physical_ = 0;    // format::Type value
  int physical_width_ = 0;  // PLAIN bytes per value; 0 for BOOLEAN and BYTE_ARRAY
  Conversion conversion_ = Conversion::kVoid;
  Layout layout_ = Layout::kVoid;
  int target_width_ = 0;  // bytes per value of a kFixed layout

  ValueStore out_;
  int64_t reserved_values_ = 0;  // the values the last Reserve made room for
  ValueStore dictionary_;
  bool has_dictionary_ = false;
  bool dictionary_short_strings_ = false;  // no dictionary string is over 16 bytes

  std::vector<uint32_t> indices_;
  std::unique_ptr<uint8_t[]> scratch_;
  int64_t scratch_capacity_ = 0;
  std::vector<std::string_view> views_;
  std::string view_storage_;
};

}  // namespace sluice::parquet
