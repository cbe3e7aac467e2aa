// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/rle.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

#include "common/check.h"
#include "formats/parquet/bit_packing.h"

namespace sluice::parquet {
namespace {

constexpr int kMaxBitWidth = 32;
constexpr int kMaxLevelBitWidth = 16;
// The longest run the format allows (2^31 - 1 values); longer repeats are split.
constexpr int64_t kMaxRunLength = std::numeric_limits<int32_t>::max();
// Bit-packed runs are closed at 63 groups so their header is always one byte.
constexpr int kMaxLiteralGroups = 63;

void WriteBit(uint8_t* bitmap, int64_t index, bool value) {
  const auto mask = static_cast<uint8_t>(1u << (index & 7));
  bitmap[index >> 3] = value ? static_cast<uint8_t>(bitmap[index >> 3] | mask)
                             : static_cast<uint8_t>(bitmap[index >> 3] & ~mask);
}

// Counts the set bits in [offset, offset + length) of `bitmap`.
int64_t CountSetBits(const uint8_t* bitmap, int64_t offset, int64_t length) {
  int64_t count = 0;
  int64_t index = offset;
  const int64_t end = offset + length;
  while (index < end && (index & 7) != 0) {
    count += (bitmap[index >> 3] >> (index & 7)) & 1;
    ++index;
  }
  while (index + 64 <= end) {
    uint64_t word;
    std::memcpy(&word, bitmap + (index >> 3), sizeof(word));
    count += std::popcount(word);
    index += 64;
  }
  while (index < end) {
    count += (bitmap[index >> 3] >> (index & 7)) & 1;
    ++index;
  }
  return count;
}

}  // namespace

int BitWidth(uint64_t max_value) {
  return max_value == 0 ? 0 : 64 - std::countl_zero(max_value);
}

RleBitPackedDecoder::RleBitPackedDecoder(const uint8_t* data, int64_t size, int bit_width)
    : data_(data), size_(data == nullptr ? 0 : std::max<int64_t>(size, 0)), bit_width_(bit_width) {}

Status RleBitPackedDecoder::NextRun() {
  if (position_ >= size_) {
    return Status::Corruption(
        fmt::format("RLE/bit-packed: the runs end before the requested values, at byte {}", size_));
  }
  const int64_t header_position = position_;
  uint64_t header = 0;
  if (!internal::ReadUleb128(data_, size_, &position_, &header) ||
      header > std::numeric_limits<uint32_t>::max()) {
    return Status::Corruption(
        fmt::format("RLE/bit-packed: malformed run header at byte {}", header_position));
  }
  const int64_t length = static_cast<int64_t>(header >> 1);
  if ((header & 1) != 0) {
    // `length` groups of 8 values. A final run cut short keeps the values whose bits are
    // all present; asking for more than those is reported when it happens.
    const int64_t bytes = length * bit_width_;
    const int64_t available = size_ - position_;
    packed_start_ = position_;
    packed_consumed_ = 0;
    if (bytes <= available) {
      packed_left_ = length * 8;
      position_ += bytes;
    } else {
      packed_left_ = available * 8 / bit_width_;
      position_ = size_;
    }
    return Status::Ok();
  }
  const int value_bytes = (bit_width_ + 7) / 8;
  if (size_ - position_ < value_bytes) {
    return Status::Corruption(
        fmt::format("RLE/bit-packed: RLE run value at byte {} needs {} bytes, {} remain", position_,
                    value_bytes, size_ - position_));
  }
  uint32_t value = 0;
  for (int i = 0; i < value_bytes; ++i) {
    value |= static_cast<uint32_t>(data_[position_ + i]) << (8 * i);
  }
  position_ += value_bytes;
  if (bit_width_ < 32 && (value >> bit_width_) != 0) {
    return Status::Corruption(
        fmt::format("RLE/bit-packed: RLE run value {} exceeds bit width {}", value, bit_width_));
  }
  repeat_value_ = value;
  repeat_left_ = length;
  return Status::Ok();
}

Status RleBitPackedDecoder::CheckBitWidth() const {
  if (bit_width_ < 0 || bit_width_ > kMaxBitWidth) {
    return Status::Corruption(
        fmt::format("RLE/bit-packed: bit width {} exceeds {}", bit_width_, kMaxBitWidth));
  }
  return Status::Ok();
}

template <typename Out>
Status RleBitPackedDecoder::DecodeImpl(int64_t count, Out* out) {
  SLUICE_RETURN_IF_ERROR(CheckBitWidth());
  while (count > 0) {
    if (repeat_left_ > 0) {
      const int64_t n = std::min(count, repeat_left_);
      std::fill_n(out, n, static_cast<Out>(repeat_value_));
      out += n;
      count -= n;
      repeat_left_ -= n;
      continue;
    }
    if (packed_left_ > 0) {
      int64_t n = std::min(count, packed_left_);
      packed_left_ -= n;
      count -= n;
      // Every value taken lies inside the input (NextRun capped packed_left_), and the
      // unpacker may read up to the end of the input, past this run.
      const uint8_t* run = data_ + packed_start_;
      const int64_t run_bytes = size_ - packed_start_;
      int64_t index = packed_consumed_;
      packed_consumed_ += n;
      Out group[8];
      if (index % 8 != 0) {
        const int64_t offset = index / 8 * bit_width_;
        internal::UnpackGroups(run + offset, run_bytes - offset, bit_width_, 1, group);
        const int64_t take = std::min<int64_t>(n, 8 - index % 8);
        std::copy_n(group + index % 8, take, out);
        out += take;
        index += take;
        n -= take;
      }
      const int64_t full_groups = n / 8;
      if (full_groups > 0) {
        const int64_t offset = index / 8 * bit_width_;
        internal::UnpackGroups(run + offset, run_bytes - offset, bit_width_, full_groups, out);
        out += full_groups * 8;
        index += full_groups * 8;
        n -= full_groups * 8;
      }
      if (n > 0) {
        const int64_t offset = index / 8 * bit_width_;
        internal::UnpackGroups(run + offset, run_bytes - offset, bit_width_, 1, group);
        std::copy_n(group, n, out);
        out += n;
      }
      continue;
    }
    SLUICE_RETURN_IF_ERROR(NextRun());
  }
  return Status::Ok();
}

Status RleBitPackedDecoder::Decode(int64_t count, uint32_t* out) {
  return DecodeImpl(count, out);
}

Status RleBitPackedDecoder::DecodeLevels(int64_t count, int16_t* out) {
  if (bit_width_ > kMaxLevelBitWidth) {
    return Status::Corruption(fmt::format("RLE/bit-packed: level bit width {} exceeds {}",
                                          bit_width_, kMaxLevelBitWidth));
  }
  // Levels fit in 16 bits (checked above and per run), so unsigned 16-bit unpacking
  // yields the same bits as int16_t.
  return DecodeImpl(count, reinterpret_cast<uint16_t*>(out));
}

Status RleBitPackedDecoder::DecodeBits(int64_t count, uint8_t* bitmap, int64_t offset,
                                       int64_t* ones) {
  if (bit_width_ != 1) {
    return Status::Corruption(
        fmt::format("RLE/bit-packed: bits asked of values {} bits wide", bit_width_));
  }
  int64_t set = 0;
  while (count > 0) {
    if (repeat_left_ > 0) {
      const int64_t n = std::min(count, repeat_left_);
      FillBits(bitmap, offset, n, repeat_value_ != 0);
      set += repeat_value_ != 0 ? n : 0;
      offset += n;
      count -= n;
      repeat_left_ -= n;
      continue;
    }
    if (packed_left_ > 0) {
      // One bit per value: the run's bytes are the values, LSB first (NextRun capped
      // packed_left_ to the bits present).
      const int64_t n = std::min(count, packed_left_);
      CopyBits(data_ + packed_start_, packed_consumed_, bitmap, offset, n);
      set += CountSetBits(bitmap, offset, n);
      packed_left_ -= n;
      packed_consumed_ += n;
      offset += n;
      count -= n;
      continue;
    }
    SLUICE_RETURN_IF_ERROR(NextRun());
  }
  *ones += set;
  return Status::Ok();
}

Status RleBitPackedDecoder::Skip(int64_t count) {
  SLUICE_RETURN_IF_ERROR(CheckBitWidth());
  while (count > 0) {
    if (repeat_left_ > 0) {
      const int64_t n = std::min(count, repeat_left_);
      repeat_left_ -= n;
      count -= n;
      continue;
    }
    if (packed_left_ > 0) {
      const int64_t n = std::min(count, packed_left_);
      packed_left_ -= n;
      packed_consumed_ += n;
      count -= n;
      continue;
    }
    SLUICE_RETURN_IF_ERROR(NextRun());
  }
  return Status::Ok();
}

void FillBits(uint8_t* bitmap, int64_t offset, int64_t length, bool value) {
  const int64_t end = offset + length;
  while (offset < end && (offset & 7) != 0) {
    WriteBit(bitmap, offset++, value);
  }
  const int64_t bytes = (end - offset) / 8;
  if (bytes > 0) {
    std::memset(bitmap + offset / 8, value ? 0xff : 0, static_cast<size_t>(bytes));
    offset += bytes * 8;
  }
  while (offset < end) {
    WriteBit(bitmap, offset++, value);
  }
}

void CopyBits(const uint8_t* src, int64_t src_offset, uint8_t* dst, int64_t dst_offset,
              int64_t length) {
  const int64_t end = dst_offset + length;
  while (dst_offset < end && (dst_offset & 7) != 0) {
    WriteBit(dst, dst_offset++, ((src[src_offset >> 3] >> (src_offset & 7)) & 1) != 0);
    ++src_offset;
  }
  const int64_t bytes = (end - dst_offset) / 8;
  const int shift = static_cast<int>(src_offset & 7);
  const uint8_t* from = src + (src_offset >> 3);
  uint8_t* to = dst + (dst_offset >> 3);
  if (shift == 0) {
    if (bytes > 0) {
      std::memcpy(to, from, static_cast<size_t>(bytes));
    }
  } else {
    // Output byte k takes the high bits of from[k] and the low bits of from[k + 1], which
    // holds bits still to copy.
    for (int64_t k = 0; k < bytes; ++k) {
      to[k] = static_cast<uint8_t>((from[k] >> shift) | (from[k + 1] << (8 - shift)));
    }
  }
  src_offset += bytes * 8;
  dst_offset += bytes * 8;
  while (dst_offset < end) {
    WriteBit(dst, dst_offset++, ((src[src_offset >> 3] >> (src_offset & 7)) & 1) != 0);
    ++src_offset;
  }
}

int64_t BitPackedLevelsSize(int bit_width, int64_t count) {
  return (static_cast<int64_t>(bit_width) * count + 7) / 8;
}

Status DecodeBitPackedLevels(const uint8_t* data, int64_t size, int bit_width, int64_t count,
                             int16_t* out) {
  if (bit_width < 0 || bit_width > kMaxLevelBitWidth) {
    return Status::Corruption(
        fmt::format("BIT_PACKED levels: bit width {} exceeds {}", bit_width, kMaxLevelBitWidth));
  }
  if (count <= 0) {
    return Status::Ok();
  }
  if (bit_width == 0) {
    std::fill_n(out, count, int16_t{0});
    return Status::Ok();
  }
  // Checking count against the bits given first keeps count * bit_width from overflowing.
  if (count > size * 8 || BitPackedLevelsSize(bit_width, count) > size) {
    return Status::Corruption(
        fmt::format("BIT_PACKED levels: {} values of {} bits need more than the {} bytes given",
                    count, bit_width, size));
  }
  // Most significant bit first: shift whole bytes in at the bottom of an accumulator
  // and take each value from the top of the bits held.
  const uint32_t mask = (uint32_t{1} << bit_width) - 1;
  uint32_t bits_held = 0;
  int held = 0;
  const uint8_t* in = data;
  for (int64_t i = 0; i < count; ++i) {
    while (held < bit_width) {
      bits_held = (bits_held << 8) | *in++;
      held += 8;
    }
    held -= bit_width;
    out[i] = static_cast<int16_t>((bits_held >> held) & mask);
  }
  return Status::Ok();
}

RleBitPackedEncoder::RleBitPackedEncoder(int bit_width) : bit_width_(bit_width) {
  SLUICE_CHECK(bit_width >= 0 && bit_width <= kMaxBitWidth, "RLE bit width {}", bit_width);
}

void RleBitPackedEncoder::Put(uint32_t value) {
  value &= static_cast<uint32_t>(internal::LowBitsMask(bit_width_));
  if (value == current_value_ && repeat_count_ > 0) {
    ++repeat_count_;
    if (repeat_count_ > 8) {
      // Part of an RLE run already decided on: nothing to buffer.
      return;
    }
  } else {
    if (repeat_count_ >= 8) {
      FlushRepeatedRun();
    }
    current_value_ = value;
    repeat_count_ = 1;
  }
  buffered_[num_buffered_++] = value;
  if (num_buffered_ == 8) {
    FlushGroup();
  }
}

void RleBitPackedEncoder::PutRepeated(uint32_t value, int64_t count) {
  value &= static_cast<uint32_t>(internal::LowBitsMask(bit_width_));
  // Feed values one by one until they form an RLE run (at most 15 of them), then count.
  while (count > 0 && !(repeat_count_ >= 8 && value == current_value_)) {
    Put(value);
    --count;
  }
  if (count > 0) {
    repeat_count_ += count;
  }
}

void RleBitPackedEncoder::FlushGroup() {
  if (repeat_count_ >= 8) {
    // The 8 buffered values all equal current_value_ and begin an RLE run.
    num_buffered_ = 0;
    CloseLiteralRun();
    return;
  }
  if (literal_header_ < 0) {
    literal_header_ = static_cast<int64_t>(buffer_.size());
    buffer_.push_back('\0');
  }
  internal::PackGroups(buffered_, 1, bit_width_, &buffer_);
  num_buffered_ = 0;
  repeat_count_ = 0;
  if (++literal_groups_ == kMaxLiteralGroups) {
    CloseLiteralRun();
  }
}

void RleBitPackedEncoder::CloseLiteralRun() {
  if (literal_header_ < 0) {
    return;
  }
  buffer_[static_cast<size_t>(literal_header_)] = static_cast<char>((literal_groups_ << 1) | 1);
  literal_header_ = -1;
  literal_groups_ = 0;
}

void RleBitPackedEncoder::FlushRepeatedRun() {
  CloseLiteralRun();
  const int value_bytes = (bit_width_ + 7) / 8;
  char value[4];
  for (int i = 0; i < value_bytes; ++i) {
    value[i] = static_cast<char>(current_value_ >> (8 * i));
  }
  while (repeat_count_ > 0) {
    const int64_t length = std::min(repeat_count_, kMaxRunLength);
    internal::AppendUleb128(static_cast<uint64_t>(length) << 1, &buffer_);
    buffer_.append(value, value_bytes);
    repeat_count_ -= length;
  }
}

void RleBitPackedEncoder::Finish(std::string* out) {
  if (repeat_count_ >= 8) {
    FlushRepeatedRun();
  } else if (num_buffered_ > 0) {
    // The last group is padded with zeros; a reader stops at its value count.
    std::fill(buffered_ + num_buffered_, buffered_ + 8, 0u);
    num_buffered_ = 8;
    FlushGroup();
  }
  CloseLiteralRun();
  out->append(buffer_);
  buffer_.clear();
  num_buffered_ = 0;
  current_value_ = 0;
  repeat_count_ = 0;
}

int64_t RleBitPackedEncoder::EstimatedSize() const {
  // Open groups: a header byte and one group; a pending run: a 5-byte header and a
  // 4-byte value per 2^31 - 1 repeats.
  return static_cast<int64_t>(buffer_.size()) + 1 + bit_width_ +
         9 * (repeat_count_ / kMaxRunLength + 1);
}

}  // namespace sluice::parquet
