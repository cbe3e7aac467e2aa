// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/result.h"
#include "common/status.h"

namespace sluice::parquet {

/// Decodes DELTA_BINARY_PACKED integers (T is int32_t or int64_t). Arithmetic wraps as
/// the format requires; every block and miniblock header is checked against the input.
/// Accepts any layout whose miniblocks hold a multiple of 8 values (the spec asks for
/// blocks of a multiple of 128 and miniblocks of a multiple of 32; its own examples use
/// blocks of 8). Allocates nothing. Not thread-safe.
template <typename T>
class DeltaBinaryPackedDecoder {
 public:
  /// Reads the header at `data`; kCorruption when it is malformed.
  Status Init(const uint8_t* data, int64_t size);
  /// The number of values the header announces.
  int64_t total_values() const;
  /// Decodes the next `count` values; kCorruption when fewer remain or a block is bad.
  Status Decode(int64_t count, T* out);
  /// Decodes what is left and returns the number of input bytes the whole encoding took
  /// (DELTA_LENGTH_BYTE_ARRAY's bytes follow its lengths).
  Result<int64_t> ConsumedBytes();

 private:
  using Unsigned = std::make_unsigned_t<T>;

  // Reads the next block's min delta and miniblock bit widths.
  Status NextBlock();
  // Moves to the next miniblock of the block (reading the next block header first when
  // the block is done) and checks its bytes are present.
  Status NextMiniblock();
  // Decodes the next `groups` groups of 8 values of the current miniblock into `out`.
  void DecodeGroups(int64_t groups, T* out);

  const uint8_t* data_ = nullptr;
  int64_t size_ = 0;
  // Offset of the next unread byte (past the current miniblock's data).
  int64_t position_ = 0;
  int64_t total_values_ = 0;
  // Values returned or skipped so far.
  int64_t values_read_ = 0;
  int64_t miniblocks_per_block_ = 0;
  int64_t values_per_miniblock_ = 0;
  // The last value decoded (the first value until the first delta).
  Unsigned last_value_ = 0;
  // The current block's min delta and the offset of its bit-width bytes.
  Unsigned min_delta_ = 0;
  int64_t bit_widths_position_ = 0;
  // The next miniblock of the block (== miniblocks_per_block_ when the block is done).
  int64_t miniblock_index_ = 0;
  // The current miniblock: bit width, data offset, deltas consumed and left.
  int bit_width_ = 0;
  int64_t miniblock_position_ = 0;
  int64_t miniblock_consumed_ = 0;
  int64_t miniblock_left_ = 0;
  // A decoded group of 8 whose last `group_left_` values were not returned yet.
  std::array<T, 8> group_ = {};
  int64_t group_left_ = 0;
};

extern template class DeltaBinaryPackedDecoder<int32_t>;
extern template class DeltaBinaryPackedDecoder<int64_t>;

/// Appends `count` values in DELTA_BINARY_PACKED (blocks of 128 values, 4 miniblocks), as
/// parquet-mr writes them.
template <typename T>
void EncodeDeltaBinaryPacked(const T* values, int64_t count, std::string* out);

/// Decodes `count` DELTA_LENGTH_BYTE_ARRAY values from `size` bytes at `data`, appending
/// views into `data` to `*out`. kCorruption when a length is negative or the bytes run
/// out.
Status DecodeDeltaLengthByteArray(const uint8_t* data, int64_t size, int64_t count,
                                  std::vector<std::string_view>* out);

/// Decodes `count` DELTA_BYTE_ARRAY (incremental) values from `size` bytes at `data`.
/// The values are rebuilt into `*storage` (cleared, then sized once, so views stay valid
/// while it lives) and views into it are appended to `*out`. kCorruption when a prefix
/// is longer than the previous value, a length is negative or the bytes run out.
Status DecodeDeltaByteArray(const uint8_t* data, int64_t size, int64_t count, std::string* storage,
                            std::vector<std::string_view>* out);

/// Appends `count` values in DELTA_LENGTH_BYTE_ARRAY.
void EncodeDeltaLengthByteArray(const std::string_view* values, int64_t count, std::string* out);
/// Appends `count` values in DELTA_BYTE_ARRAY.
void EncodeDeltaByteArray(const std::string_view* values, int64_t count, std::string* out);

}  // namespace sluice::parquet
