// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace sluice::parquet {

/// Returns the number of bits needed to store values up to `max_value` (0 for 0).
int BitWidth(uint64_t max_value);

/// Decodes Parquet's RLE/bit-packed hybrid encoding (the run data, without the 4-byte
/// length prefix a v1 page puts before its levels) of values `bit_width` bits wide,
/// 0 to 32. Used for levels, dictionary indices and RLE booleans. Reads only the bytes
/// it was given; a run that claims more than remains is kCorruption.
class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder() = default;
  RleBitPackedDecoder(const uint8_t* data, int64_t size, int bit_width);

  /// Decodes the next `count` values into `out`; kCorruption when the runs end first.
  Status Decode(int64_t count, uint32_t* out);
  /// The same for levels (bit width up to 16).
  Status DecodeLevels(int64_t count, int16_t* out);
  /// Skips the next `count` values; kCorruption when the runs end first.
  Status Skip(int64_t count);

 private:
  // Implementation state (filled in by the encoding work).
  const uint8_t* data_ = nullptr;
  int64_t size_ = 0;
  int64_t position_ = 0;
  int bit_width_ = 0;
  int64_t repeat_left_ = 0;
  uint32_t repeat_value_ = 0;
  int64_t packed_left_ = 0;
  int64_t packed_bit_position_ = 0;
};

/// Decodes `count` levels of the deprecated BIT_PACKED encoding (most significant bit
/// first) from `size` bytes at `data`; kCorruption when fewer bytes than
/// BitPackedLevelsSize(bit_width, count) are given.
Status DecodeBitPackedLevels(const uint8_t* data, int64_t size, int bit_width, int64_t count,
                             int16_t* out);
/// Returns the bytes `count` BIT_PACKED values of `bit_width` bits take.
int64_t BitPackedLevelsSize(int bit_width, int64_t count);

/// Encodes values `bit_width` bits wide (0 to 32) in the RLE/bit-packed hybrid, choosing
/// runs of repeats where they pay (8 or more equal values) and bit-packed groups of 8
/// elsewhere, as parquet-mr and Arrow do.
class RleBitPackedEncoder {
 public:
  explicit RleBitPackedEncoder(int bit_width);

  void Put(uint32_t value);
  void PutRepeated(uint32_t value, int64_t count);
  /// Appends the encoded runs (no length prefix) to `*out` and starts over empty.
  void Finish(std::string* out);
  /// Returns an upper bound of the bytes Finish would append now.
  int64_t EstimatedSize() const;

 private:
  // Implementation state (filled in by the encoding work).
  int bit_width_;
  std::string buffer_;
};

}  // namespace sluice::parquet
