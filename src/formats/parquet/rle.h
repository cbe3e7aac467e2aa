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
/// it was given; asking for values past the last run, or for values of a run whose bytes
/// are cut off, is kCorruption (the values of a cut-off final run that are present still
/// decode, as Arrow allows). A malformed header, a bit width above 32 or an RLE value
/// wider than the bit width is kCorruption too. Not thread-safe.
class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder() = default;
  RleBitPackedDecoder(const uint8_t* data, int64_t size, int bit_width);

  /// Decodes the next `count` values into `out`; kCorruption when the runs end first.
  Status Decode(int64_t count, uint32_t* out);
  /// The same for levels (bit width up to 16).
  Status DecodeLevels(int64_t count, int16_t* out);
  /// For a bit width of 1 (definition levels of a flat optional column): writes the next
  /// `count` values as bits to `bitmap` from bit `offset` on (set for 1, cleared for 0;
  /// the bitmap's other bits are left alone) and adds the number of ones to `*ones`.
  /// RLE runs become byte fills and bit-packed runs bit copies. kCorruption when the runs
  /// end first or the bit width is not 1.
  Status DecodeBits(int64_t count, uint8_t* bitmap, int64_t offset, int64_t* ones);
  /// Skips the next `count` values; kCorruption when the runs end first.
  Status Skip(int64_t count);

 private:
  // Decodes `count` values into `out` (unsigned, as wide as the caller's type).
  template <typename Out>
  Status DecodeImpl(int64_t count, Out* out);
  // kCorruption unless the bit width is 0..32 (checked before every decode or skip: the
  // constructor cannot fail).
  Status CheckBitWidth() const;
  // Reads the next run header; kCorruption when there is none or it is malformed.
  Status NextRun();

  const uint8_t* data_ = nullptr;
  int64_t size_ = 0;
  // Offset of the next run header.
  int64_t position_ = 0;
  int bit_width_ = 0;
  // Values left in the current RLE run, and its value.
  int64_t repeat_left_ = 0;
  uint32_t repeat_value_ = 0;
  // Values left in the current bit-packed run (capped by the bytes present), the offset
  // of its data and how many of its values were already consumed.
  int64_t packed_left_ = 0;
  int64_t packed_start_ = 0;
  int64_t packed_consumed_ = 0;
};

/// Sets (`value` true) or clears the bits [offset, offset + length) of `bitmap`.
void FillBits(uint8_t* bitmap, int64_t offset, int64_t length, bool value);
/// Copies the bits [src_offset, src_offset + length) of `src` to `dst` from bit
/// `dst_offset` on; reads no byte of `src` past the one holding the last bit copied and
/// leaves the other bits of `dst` alone.
void CopyBits(const uint8_t* src, int64_t src_offset, uint8_t* dst, int64_t dst_offset,
              int64_t length);

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

  /// Appends one value (bits above the bit width are ignored).
  void Put(uint32_t value);
  /// Appends `count` copies of `value`, in time independent of `count` once a run forms.
  void PutRepeated(uint32_t value, int64_t count);
  /// Appends the encoded runs (no length prefix) to `*out` and starts over empty.
  void Finish(std::string* out);
  /// Returns an upper bound of the bytes Finish would append now.
  int64_t EstimatedSize() const;

 private:
  // Writes the buffered group of 8 as a bit-packed group, or drops it when it is the
  // start of a run of repeats.
  void FlushGroup();
  // Writes the pending run of `repeat_count_` copies of `current_value_`.
  void FlushRepeatedRun();
  // Patches the header byte of the open bit-packed run and closes it.
  void CloseLiteralRun();

  int bit_width_;
  // Encoded runs so far.
  std::string buffer_;
  // Values not yet written: always fewer than 8, from the start of a group.
  uint32_t buffered_[8] = {};
  int num_buffered_ = 0;
  // The last value and how many times it repeated since the last group boundary or
  // change (once 8 or more, the values are an RLE run and no longer buffered).
  uint32_t current_value_ = 0;
  int64_t repeat_count_ = 0;
  // Offset in buffer_ of the open bit-packed run's one-byte header (-1: none) and the
  // groups in that run (at most 63, so the header fits in one byte).
  int64_t literal_header_ = -1;
  int literal_groups_ = 0;
};

}  // namespace sluice::parquet
