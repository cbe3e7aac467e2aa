// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to formats/parquet: the bit packing, ULEB128 and zigzag primitives the RLE,
// delta and plain-boolean encodings share. Bit packing is Parquet's LSB-first order in
// groups of 8 values: a group of values `w` bits wide takes exactly `w` bytes.

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>

namespace sluice::parquet::internal {

static_assert(std::endian::native == std::endian::little,
              "the bit unpackers load little-endian words directly");

/// Reads a ULEB128 integer of at most 64 bits at `data[*position]`, not reading at or past
/// `size`; advances `*position`. Returns false when the bytes end first or the value does
/// not fit in 64 bits.
inline bool ReadUleb128(const uint8_t* data, int64_t size, int64_t* position, uint64_t* out) {
  uint64_t value = 0;
  int64_t pos = *position;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= size) {
      return false;
    }
    const uint8_t byte = data[pos++];
    const uint64_t bits = byte & 0x7F;
    // The tenth byte may only contribute the 64th bit.
    if (shift == 63 && bits > 1) {
      return false;
    }
    value |= bits << shift;
    if ((byte & 0x80) == 0) {
      *position = pos;
      *out = value;
      return true;
    }
  }
  return false;
}

/// Appends `value` as ULEB128.
inline void AppendUleb128(uint64_t value, std::string* out) {
  char bytes[10];
  int n = 0;
  while (value >= 0x80) {
    bytes[n++] = static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  bytes[n++] = static_cast<char>(value);
  out->append(bytes, n);
}

/// Maps a zigzag-encoded integer back to its signed value.
inline int64_t ZigZagDecode(uint64_t value) {
  return static_cast<int64_t>((value >> 1) ^ (~(value & 1) + 1));
}

/// Maps a signed integer to its zigzag form (small magnitudes to small numbers).
inline uint64_t ZigZagEncode(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}

/// Returns a mask of the low `bits` bits (0 to 64).
inline uint64_t LowBitsMask(int bits) {
  return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
}

namespace detail {

// Extracts value `kIndex` of a group of 8 values `kWidth` bits wide from little-endian
// words; every shift is a compile-time constant.
template <typename Out, int kWidth, int kIndex>
inline void ExtractOne(const uint64_t* words, Out* out) {
  constexpr int kBit = kIndex * kWidth;
  constexpr int kWord = kBit / 64;
  constexpr int kShift = kBit % 64;
  uint64_t value = words[kWord] >> kShift;
  if constexpr (kShift + kWidth > 64) {
    value |= words[kWord + 1] << (64 - kShift);
  }
  if constexpr (kWidth < 64) {
    value &= (uint64_t{1} << kWidth) - 1;
  }
  out[kIndex] = static_cast<Out>(value);
}

template <typename Out, int kWidth, int... kIndex>
inline void ExtractGroup(const uint64_t* words, Out* out,
                         std::integer_sequence<int, kIndex...> /*indices*/) {
  (ExtractOne<Out, kWidth, kIndex>(words, out), ...);
}

// Unpacks `groups` groups from `in`, of which only the first `in_bytes` bytes may be
// read; missing bytes read as zero.
template <typename Out, int kWidth>
void UnpackGroupsFixed(const uint8_t* in, int64_t in_bytes, int64_t groups, Out* out) {
  if constexpr (kWidth == 0) {
    std::fill(out, out + groups * 8, Out{0});
  } else {
    constexpr int kWords = (kWidth + 7) / 8;
    constexpr int64_t kLoadBytes = kWords * 8;
    // Groups whose whole words lie inside the input load them straight from it; the
    // bytes past the group's own `kWidth` belong to the next group and are masked off.
    int64_t fast_groups = in_bytes >= kLoadBytes ? (in_bytes - kLoadBytes) / kWidth + 1 : 0;
    fast_groups = std::min(fast_groups, groups);
    uint64_t words[kWords];
    for (int64_t g = 0; g < fast_groups; ++g) {
      std::memcpy(words, in, kLoadBytes);
      ExtractGroup<Out, kWidth>(words, out, std::make_integer_sequence<int, 8>{});
      in += kWidth;
      out += 8;
    }
    in_bytes -= fast_groups * kWidth;
    for (int64_t g = fast_groups; g < groups; ++g) {
      uint8_t padded[kLoadBytes] = {};
      const int64_t available = std::clamp<int64_t>(in_bytes, 0, kWidth);
      if (available > 0) {
        std::memcpy(padded, in, available);
      }
      std::memcpy(words, padded, kLoadBytes);
      ExtractGroup<Out, kWidth>(words, out, std::make_integer_sequence<int, 8>{});
      in += kWidth;
      in_bytes -= kWidth;
      out += 8;
    }
  }
}

template <typename Out, int... kWidth>
constexpr auto MakeUnpackTable(std::integer_sequence<int, kWidth...> /*widths*/) {
  using Fn = void (*)(const uint8_t*, int64_t, int64_t, Out*);
  return std::array<Fn, sizeof...(kWidth)>{&UnpackGroupsFixed<Out, kWidth>...};
}

}  // namespace detail

/// Unpacks `groups` groups of 8 values `bit_width` bits wide (0 to the bits of Out) from
/// `in` into `out` (groups * 8 values). Reads at most `in_bytes` bytes; bytes the groups
/// would need beyond them read as zero, so callers pass the whole remaining input and
/// the unpacker loads full words wherever that stays inside it.
template <typename Out>
inline void UnpackGroups(const uint8_t* in, int64_t in_bytes, int bit_width, int64_t groups,
                         Out* out) {
  static_assert(std::is_unsigned_v<Out>);
  static constexpr auto kTable =
      detail::MakeUnpackTable<Out>(std::make_integer_sequence<int, sizeof(Out) * 8 + 1>{});
  kTable[bit_width](in, in_bytes, groups, out);
}

/// Appends `groups` groups of 8 values from `values` packed `bit_width` bits wide (0 to
/// 64), LSB first: groups * bit_width bytes. Bits above `bit_width` are ignored.
template <typename In>
inline void PackGroups(const In* values, int64_t groups, int bit_width, std::string* out) {
  static_assert(std::is_unsigned_v<In>);
  if (bit_width == 0 || groups == 0) {
    return;
  }
  const size_t start = out->size();
  out->resize(start + static_cast<size_t>(groups * bit_width));
  uint8_t* dst = reinterpret_cast<uint8_t*>(out->data()) + start;
  const uint64_t mask = LowBitsMask(bit_width);
  uint64_t word = 0;
  int bits = 0;
  for (int64_t i = 0; i < groups * 8; ++i) {
    const uint64_t value = static_cast<uint64_t>(values[i]) & mask;
    word |= value << bits;
    bits += bit_width;
    if (bits >= 64) {
      std::memcpy(dst, &word, 8);
      dst += 8;
      bits -= 64;
      word = bits > 0 ? value >> (bit_width - bits) : 0;
    }
  }
  // A group is a whole number of bytes, so what is left is too.
  std::memcpy(dst, &word, static_cast<size_t>(bits / 8));
}

}  // namespace sluice::parquet::internal
