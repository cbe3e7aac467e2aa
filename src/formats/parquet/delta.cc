// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/delta.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

#include "common/check.h"
#include "formats/parquet/bit_packing.h"
#include "formats/parquet/rle.h"

namespace sluice::parquet {
namespace {

// Header limits: sizes and counts are 32-bit in every Parquet implementation.
constexpr uint64_t kMaxHeaderNumber = std::numeric_limits<int32_t>::max();
// The encoder's layout, as parquet-mr and Arrow write it.
constexpr int64_t kBlockSize = 128;
constexpr int64_t kMiniblocksPerBlock = 4;
constexpr int64_t kValuesPerMiniblock = kBlockSize / kMiniblocksPerBlock;
// Lengths are decoded this many at a time, on the stack.
constexpr int64_t kLengthChunk = 256;
// DELTA_BYTE_ARRAY values may take at most this many times their input bytes (plus a
// small floor) when rebuilt: prefixes make quadratic blow-ups possible from hostile input.
constexpr int64_t kMaxByteArrayExpansion = 1024;
constexpr int64_t kMinByteArrayLimit = int64_t{16} << 20;

}  // namespace

template <typename T>
Status DeltaBinaryPackedDecoder<T>::Init(const uint8_t* data, int64_t size) {
  *this = DeltaBinaryPackedDecoder<T>();
  size = data == nullptr ? 0 : std::max<int64_t>(size, 0);
  int64_t position = 0;
  uint64_t block_size = 0;
  uint64_t miniblocks = 0;
  uint64_t total = 0;
  uint64_t first = 0;
  if (!internal::ReadUleb128(data, size, &position, &block_size) ||
      !internal::ReadUleb128(data, size, &position, &miniblocks) ||
      !internal::ReadUleb128(data, size, &position, &total) ||
      !internal::ReadUleb128(data, size, &position, &first)) {
    return Status::Corruption(
        fmt::format("DELTA_BINARY_PACKED: header truncated or malformed ({} bytes)", size));
  }
  if (block_size == 0 || block_size > kMaxHeaderNumber || miniblocks == 0 ||
      miniblocks > block_size || block_size % miniblocks != 0 ||
      (block_size / miniblocks) % 8 != 0) {
    return Status::Corruption(
        fmt::format("DELTA_BINARY_PACKED: invalid block layout of {} values in {} miniblocks",
                    block_size, miniblocks));
  }
  if (total > kMaxHeaderNumber) {
    return Status::Corruption(fmt::format("DELTA_BINARY_PACKED: total value count {} exceeds {}",
                                          total, kMaxHeaderNumber));
  }
  // Every block takes at least a one-byte min delta and a bit width per miniblock.
  const int64_t blocks =
      total > 1 ? static_cast<int64_t>((total - 1 + block_size - 1) / block_size) : 0;
  const int64_t min_bytes = blocks * (1 + static_cast<int64_t>(miniblocks));
  if (min_bytes > size - position) {
    return Status::Corruption(fmt::format(
        "DELTA_BINARY_PACKED: header announces {} values in {} blocks, which need at least {} "
        "bytes, but {} follow",
        total, blocks, min_bytes, size - position));
  }
  data_ = data;
  size_ = size;
  position_ = position;
  total_values_ = static_cast<int64_t>(total);
  miniblocks_per_block_ = static_cast<int64_t>(miniblocks);
  values_per_miniblock_ = static_cast<int64_t>(block_size / miniblocks);
  miniblock_index_ = miniblocks_per_block_;
  // Zigzag over 64 bits; INT32 writers that computed it in 64 bits wrap the same way.
  last_value_ = static_cast<Unsigned>(internal::ZigZagDecode(first));
  return Status::Ok();
}

template <typename T>
int64_t DeltaBinaryPackedDecoder<T>::total_values() const {
  return total_values_;
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::NextBlock() {
  const int64_t block_position = position_;
  uint64_t min_delta = 0;
  if (!internal::ReadUleb128(data_, size_, &position_, &min_delta)) {
    return Status::Corruption(fmt::format(
        "DELTA_BINARY_PACKED: block min delta truncated or malformed at byte {}", block_position));
  }
  if (miniblocks_per_block_ > size_ - position_) {
    return Status::Corruption(fmt::format(
        "DELTA_BINARY_PACKED: block at byte {} needs {} miniblock bit widths, {} bytes remain",
        block_position, miniblocks_per_block_, size_ - position_));
  }
  min_delta_ = static_cast<Unsigned>(internal::ZigZagDecode(min_delta));
  bit_widths_position_ = position_;
  position_ += miniblocks_per_block_;
  miniblock_index_ = 0;
  return Status::Ok();
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::NextMiniblock() {
  if (miniblock_index_ >= miniblocks_per_block_) {
    SLUICE_RETURN_IF_ERROR(NextBlock());
  }
  constexpr int kMaxBitWidth = sizeof(T) * 8;
  const int bit_width = data_[bit_widths_position_ + miniblock_index_];
  ++miniblock_index_;
  if (bit_width > kMaxBitWidth) {
    return Status::Corruption(fmt::format("DELTA_BINARY_PACKED: miniblock bit width {} exceeds {}",
                                          bit_width, kMaxBitWidth));
  }
  const int64_t bytes = values_per_miniblock_ / 8 * bit_width;
  if (bytes > size_ - position_) {
    return Status::Corruption(
        fmt::format("DELTA_BINARY_PACKED: miniblock at byte {} needs {} bytes, {} remain",
                    position_, bytes, size_ - position_));
  }
  bit_width_ = bit_width;
  miniblock_position_ = position_;
  position_ += bytes;
  miniblock_consumed_ = 0;
  miniblock_left_ = values_per_miniblock_;
  return Status::Ok();
}

template <typename T>
void DeltaBinaryPackedDecoder<T>::DecodeGroups(int64_t groups, T* out) {
  // Unsigned and signed variants of a type may alias; all arithmetic wraps.
  Unsigned* values = reinterpret_cast<Unsigned*>(out);
  const int64_t offset = miniblock_position_ + miniblock_consumed_ / 8 * bit_width_;
  internal::UnpackGroups<Unsigned>(data_ + offset, size_ - offset, bit_width_, groups, values);
  Unsigned last = last_value_;
  const Unsigned min_delta = min_delta_;
  const int64_t n = groups * 8;
  for (int64_t i = 0; i < n; ++i) {
    last += static_cast<Unsigned>(min_delta + values[i]);
    values[i] = last;
  }
  last_value_ = last;
  miniblock_consumed_ += n;
  miniblock_left_ -= n;
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::Decode(int64_t count, T* out) {
  if (count < 0) {
    return Status::InvalidArgument(fmt::format("DELTA_BINARY_PACKED: negative count {}", count));
  }
  if (count > total_values_ - values_read_) {
    return Status::Corruption(
        fmt::format("DELTA_BINARY_PACKED: {} values requested, {} of {} remain", count,
                    total_values_ - values_read_, total_values_));
  }
  int64_t i = 0;
  if (count > 0 && values_read_ == 0) {
    out[0] = static_cast<T>(last_value_);
    i = 1;
  }
  while (i < count) {
    if (group_left_ > 0) {
      const int64_t n = std::min(group_left_, count - i);
      std::copy_n(group_.data() + (8 - group_left_), n, out + i);
      group_left_ -= n;
      i += n;
      continue;
    }
    if (miniblock_left_ == 0) {
      SLUICE_RETURN_IF_ERROR(NextMiniblock());
    }
    // Whole groups straight into the output; a group cut by the request goes through
    // group_. Miniblocks hold whole groups, so miniblock_left_ is a multiple of 8.
    const int64_t groups = std::min((count - i) / 8, miniblock_left_ / 8);
    if (groups > 0) {
      DecodeGroups(groups, out + i);
      i += groups * 8;
    } else {
      DecodeGroups(1, group_.data());
      group_left_ = 8;
    }
  }
  values_read_ += count;
  return Status::Ok();
}

template <typename T>
Result<int64_t> DeltaBinaryPackedDecoder<T>::ConsumedBytes() {
  int64_t remaining = total_values_ - values_read_;
  if (remaining > 0 && values_read_ == 0) {
    // The first value is in the header.
    --remaining;
  }
  remaining -= std::min(remaining, group_left_);
  group_left_ = 0;
  remaining -= std::min(remaining, miniblock_left_);
  miniblock_left_ = 0;
  // Walk the remaining miniblocks without unpacking them: a miniblock's size follows
  // from its bit width, and each block's header takes input, so this is bounded by it.
  while (remaining > 0) {
    SLUICE_RETURN_IF_ERROR(NextMiniblock());
    remaining -= std::min(remaining, miniblock_left_);
    miniblock_left_ = 0;
  }
  values_read_ = total_values_;
  return position_;
}

template class DeltaBinaryPackedDecoder<int32_t>;
template class DeltaBinaryPackedDecoder<int64_t>;

template <typename T>
void EncodeDeltaBinaryPacked(const T* values, int64_t count, std::string* out) {
  using Unsigned = std::make_unsigned_t<T>;
  internal::AppendUleb128(kBlockSize, out);
  internal::AppendUleb128(kMiniblocksPerBlock, out);
  internal::AppendUleb128(static_cast<uint64_t>(count), out);
  internal::AppendUleb128(internal::ZigZagEncode(count > 0 ? values[0] : 0), out);
  if (count <= 1) {
    return;
  }
  Unsigned deltas[kBlockSize];
  Unsigned previous = static_cast<Unsigned>(values[0]);
  for (int64_t start = 1; start < count; start += kBlockSize) {
    const int64_t n = std::min(kBlockSize, count - start);
    T min_delta = std::numeric_limits<T>::max();
    for (int64_t i = 0; i < n; ++i) {
      const Unsigned value = static_cast<Unsigned>(values[start + i]);
      deltas[i] = static_cast<Unsigned>(value - previous);
      previous = value;
      min_delta = std::min(min_delta, static_cast<T>(deltas[i]));
    }
    for (int64_t i = 0; i < n; ++i) {
      deltas[i] = static_cast<Unsigned>(deltas[i] - static_cast<Unsigned>(min_delta));
    }
    // The last miniblock is padded with zeros; unused miniblocks get bit width 0.
    std::fill(deltas + n, deltas + kBlockSize, Unsigned{0});
    internal::AppendUleb128(internal::ZigZagEncode(min_delta), out);
    const int64_t used = (n + kValuesPerMiniblock - 1) / kValuesPerMiniblock;
    uint8_t bit_widths[kMiniblocksPerBlock] = {};
    for (int64_t m = 0; m < used; ++m) {
      Unsigned all_bits = 0;
      for (int64_t i = 0; i < kValuesPerMiniblock; ++i) {
        all_bits |= deltas[m * kValuesPerMiniblock + i];
      }
      bit_widths[m] = static_cast<uint8_t>(BitWidth(all_bits));
    }
    out->append(reinterpret_cast<const char*>(bit_widths), kMiniblocksPerBlock);
    for (int64_t m = 0; m < used; ++m) {
      internal::PackGroups(deltas + m * kValuesPerMiniblock, kValuesPerMiniblock / 8, bit_widths[m],
                           out);
    }
  }
}

template void EncodeDeltaBinaryPacked<int32_t>(const int32_t*, int64_t, std::string*);
template void EncodeDeltaBinaryPacked<int64_t>(const int64_t*, int64_t, std::string*);

namespace {

// Returns the offset where a DELTA_BINARY_PACKED int32 encoding at `data` ends, after
// checking it holds at least `count` values. `what` names it in errors.
Result<int64_t> LengthsEnd(const uint8_t* data, int64_t size, int64_t count, const char* what) {
  DeltaBinaryPackedDecoder<int32_t> decoder;
  SLUICE_RETURN_IF_ERROR(decoder.Init(data, size).WithContext(what));
  if (count > decoder.total_values()) {
    return Status::Corruption(fmt::format("{}: {} values requested, the encoding holds {}", what,
                                          count, decoder.total_values()));
  }
  Result<int64_t> end = decoder.ConsumedBytes();
  if (!end.ok()) {
    return std::move(end).status().WithContext(what);
  }
  return end;
}

// Returns the length of the common prefix of `a` and `b`, comparing 8 bytes at a time.
int64_t CommonPrefixLength(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x = 0;
    uint64_t y = 0;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) {
      return static_cast<int64_t>(i + std::countr_zero(x ^ y) / 8);
    }
  }
  while (i < n && a[i] == b[i]) {
    ++i;
  }
  return static_cast<int64_t>(i);
}

int32_t CheckedLength(size_t size) {
  SLUICE_CHECK(size <= static_cast<size_t>(std::numeric_limits<int32_t>::max()),
               "byte array of {} bytes is too long for Parquet", size);
  return static_cast<int32_t>(size);
}

}  // namespace

Status DecodeDeltaLengthByteArray(const uint8_t* data, int64_t size, int64_t count,
                                  std::vector<std::string_view>* out) {
  if (count < 0) {
    return Status::InvalidArgument(
        fmt::format("DELTA_LENGTH_BYTE_ARRAY: negative count {}", count));
  }
  if (count == 0) {
    return Status::Ok();
  }
  const char* what = "DELTA_LENGTH_BYTE_ARRAY lengths";
  SLUICE_ASSIGN_OR_RETURN(const int64_t bytes_start, LengthsEnd(data, size, count, what));
  DeltaBinaryPackedDecoder<int32_t> lengths;
  SLUICE_RETURN_IF_ERROR(lengths.Init(data, size).WithContext(what));
  const char* bytes = reinterpret_cast<const char*>(data);
  int64_t offset = bytes_start;
  // Empty values take no input bytes, so the input only bounds this as a hint.
  out->reserve(out->size() + static_cast<size_t>(std::min(count, size - bytes_start + 1)));
  int32_t chunk[kLengthChunk];
  for (int64_t done = 0; done < count;) {
    const int64_t n = std::min(kLengthChunk, count - done);
    SLUICE_RETURN_IF_ERROR(lengths.Decode(n, chunk).WithContext(what));
    for (int64_t i = 0; i < n; ++i) {
      const int32_t length = chunk[i];
      if (length < 0 || length > size - offset) {
        return Status::Corruption(
            fmt::format("DELTA_LENGTH_BYTE_ARRAY: value {} has length {}, {} bytes remain",
                        done + i, length, size - offset));
      }
      out->emplace_back(bytes + offset, static_cast<size_t>(length));
      offset += length;
    }
    done += n;
  }
  return Status::Ok();
}

Status DecodeDeltaByteArray(const uint8_t* data, int64_t size, int64_t count, std::string* storage,
                            std::vector<std::string_view>* out) {
  storage->clear();
  if (count < 0) {
    return Status::InvalidArgument(fmt::format("DELTA_BYTE_ARRAY: negative count {}", count));
  }
  if (count == 0) {
    return Status::Ok();
  }
  size = data == nullptr ? 0 : std::max<int64_t>(size, 0);
  const char* prefix_what = "DELTA_BYTE_ARRAY prefix lengths";
  const char* suffix_what = "DELTA_BYTE_ARRAY suffix lengths";
  SLUICE_ASSIGN_OR_RETURN(const int64_t suffixes_start, LengthsEnd(data, size, count, prefix_what));
  const uint8_t* suffixes = data + suffixes_start;
  const int64_t suffixes_size = size - suffixes_start;
  SLUICE_ASSIGN_OR_RETURN(const int64_t suffix_lengths_size,
                          LengthsEnd(suffixes, suffixes_size, count, suffix_what));
  const uint8_t* suffix_bytes = suffixes + suffix_lengths_size;
  const int64_t suffix_bytes_size = suffixes_size - suffix_lengths_size;

  // Pass 1 checks every length and sums the rebuilt sizes, so storage is sized once and
  // only after the input has shown it is consistent; pass 2 fills it.
  const int64_t limit = std::max(kMinByteArrayLimit, size * kMaxByteArrayExpansion);
  int64_t total = 0;
  {
    DeltaBinaryPackedDecoder<int32_t> prefix_lengths;
    DeltaBinaryPackedDecoder<int32_t> suffix_lengths;
    SLUICE_RETURN_IF_ERROR(prefix_lengths.Init(data, size).WithContext(prefix_what));
    SLUICE_RETURN_IF_ERROR(suffix_lengths.Init(suffixes, suffixes_size).WithContext(suffix_what));
    int32_t prefixes[kLengthChunk];
    int32_t suffix_sizes[kLengthChunk];
    int64_t previous_length = 0;
    int64_t suffix_total = 0;
    for (int64_t done = 0; done < count;) {
      const int64_t n = std::min(kLengthChunk, count - done);
      SLUICE_RETURN_IF_ERROR(prefix_lengths.Decode(n, prefixes).WithContext(prefix_what));
      SLUICE_RETURN_IF_ERROR(suffix_lengths.Decode(n, suffix_sizes).WithContext(suffix_what));
      for (int64_t i = 0; i < n; ++i) {
        const int64_t prefix = prefixes[i];
        const int64_t suffix = suffix_sizes[i];
        if (prefix < 0 || prefix > previous_length) {
          return Status::Corruption(fmt::format(
              "DELTA_BYTE_ARRAY: value {} has prefix length {}, the previous value has {} bytes",
              done + i, prefix, previous_length));
        }
        if (suffix < 0 || suffix > suffix_bytes_size - suffix_total) {
          return Status::Corruption(
              fmt::format("DELTA_BYTE_ARRAY: value {} has suffix length {}, {} suffix bytes remain",
                          done + i, suffix, suffix_bytes_size - suffix_total));
        }
        suffix_total += suffix;
        previous_length = prefix + suffix;
        total += previous_length;
        if (total > limit) {
          return Status::Corruption(fmt::format(
              "DELTA_BYTE_ARRAY: values would take more than {} bytes from {} input bytes", limit,
              size));
        }
      }
      done += n;
    }
  }

  storage->resize(static_cast<size_t>(total));
  out->reserve(out->size() + static_cast<size_t>(count));
  DeltaBinaryPackedDecoder<int32_t> prefix_lengths;
  DeltaBinaryPackedDecoder<int32_t> suffix_lengths;
  SLUICE_RETURN_IF_ERROR(prefix_lengths.Init(data, size));
  SLUICE_RETURN_IF_ERROR(suffix_lengths.Init(suffixes, suffixes_size));
  int32_t prefixes[kLengthChunk];
  int32_t suffix_sizes[kLengthChunk];
  char* dest = storage->data();
  const char* previous = dest;
  const char* suffix = reinterpret_cast<const char*>(suffix_bytes);
  for (int64_t done = 0; done < count;) {
    const int64_t n = std::min(kLengthChunk, count - done);
    SLUICE_RETURN_IF_ERROR(prefix_lengths.Decode(n, prefixes));
    SLUICE_RETURN_IF_ERROR(suffix_lengths.Decode(n, suffix_sizes));
    for (int64_t i = 0; i < n; ++i) {
      // The prefix comes from the previous value, which ends where this one starts.
      std::memcpy(dest, previous, static_cast<size_t>(prefixes[i]));
      std::memcpy(dest + prefixes[i], suffix, static_cast<size_t>(suffix_sizes[i]));
      suffix += suffix_sizes[i];
      const size_t length = static_cast<size_t>(prefixes[i]) + static_cast<size_t>(suffix_sizes[i]);
      out->emplace_back(dest, length);
      previous = dest;
      dest += length;
    }
    done += n;
  }
  return Status::Ok();
}

void EncodeDeltaLengthByteArray(const std::string_view* values, int64_t count, std::string* out) {
  std::vector<int32_t> lengths(static_cast<size_t>(count));
  size_t total = 0;
  for (int64_t i = 0; i < count; ++i) {
    lengths[i] = CheckedLength(values[i].size());
    total += values[i].size();
  }
  EncodeDeltaBinaryPacked(lengths.data(), count, out);
  out->reserve(out->size() + total);
  for (int64_t i = 0; i < count; ++i) {
    out->append(values[i]);
  }
}

void EncodeDeltaByteArray(const std::string_view* values, int64_t count, std::string* out) {
  std::vector<int32_t> prefixes(static_cast<size_t>(count));
  std::vector<int32_t> suffixes(static_cast<size_t>(count));
  size_t total = 0;
  std::string_view previous;
  for (int64_t i = 0; i < count; ++i) {
    const int32_t length = CheckedLength(values[i].size());
    prefixes[i] = static_cast<int32_t>(CommonPrefixLength(previous, values[i]));
    suffixes[i] = length - prefixes[i];
    total += static_cast<size_t>(suffixes[i]);
    previous = values[i];
  }
  EncodeDeltaBinaryPacked(prefixes.data(), count, out);
  EncodeDeltaBinaryPacked(suffixes.data(), count, out);
  out->reserve(out->size() + total);
  for (int64_t i = 0; i < count; ++i) {
    out->append(values[i].substr(static_cast<size_t>(prefixes[i])));
  }
}

}  // namespace sluice::parquet
