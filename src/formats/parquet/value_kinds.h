// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "formats/parquet/thrift_io.h"

// The writer's physical value kinds (one per Parquet physical type it writes), their
// order, PLAIN form and hashing, and the dictionary built over them.

namespace sluice::parquet {

/// BOOLEAN values.
struct BooleanKind {
  using Value = bool;
  using Stored = bool;
  static constexpr format::Type::type kType = format::Type::BOOLEAN;
};
/// INT32 values (byte, short, int, date, decimal up to 9 digits, void).
struct Int32Kind {
  using Value = int32_t;
  using Stored = int32_t;
  static constexpr format::Type::type kType = format::Type::INT32;
};
/// INT64 values (long, timestamps, decimal up to 18 digits).
struct Int64Kind {
  using Value = int64_t;
  using Stored = int64_t;
  static constexpr format::Type::type kType = format::Type::INT64;
};
struct FloatKind {
  using Value = float;
  using Stored = float;
  static constexpr format::Type::type kType = format::Type::FLOAT;
};
struct DoubleKind {
  using Value = double;
  using Stored = double;
  static constexpr format::Type::type kType = format::Type::DOUBLE;
};
/// BYTE_ARRAY values (string, binary, variant parts), compared as unsigned bytes.
struct ByteArrayKind {
  using Value = std::string_view;
  using Stored = std::string;
  static constexpr format::Type::type kType = format::Type::BYTE_ARRAY;
};
/// FIXED_LEN_BYTE_ARRAY values (decimals of 19 digits and more, big-endian two's
/// complement), compared as signed numbers.
struct FlbaKind {
  using Value = std::string_view;
  using Stored = std::string;
  static constexpr format::Type::type kType = format::Type::FIXED_LEN_BYTE_ARRAY;
};

template <typename Kind>
inline constexpr bool kIsBytes =
    std::is_same_v<Kind, ByteArrayKind> || std::is_same_v<Kind, FlbaKind>;
template <typename Kind>
inline constexpr bool kIsFloating =
    std::is_same_v<Kind, FloatKind> || std::is_same_v<Kind, DoubleKind>;

/// Returns whether `a` sorts before `b` in the column order of Kind (signed for
/// numbers, unsigned bytewise for byte arrays, signed big-endian for decimal bytes).
template <typename Kind>
inline bool Less(const typename Kind::Value& a, const typename Kind::Value& b) {
  if constexpr (std::is_same_v<Kind, FlbaKind>) {
    const auto a0 = static_cast<int8_t>(a[0]);
    const auto b0 = static_cast<int8_t>(b[0]);
    if (a0 != b0) {
      return a0 < b0;
    }
    return a.substr(1) < b.substr(1);
  } else {
    return a < b;
  }
}

/// Returns the murmur3 finalizer of `k` (spreads every input bit over the output).
inline uint64_t MixBits(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

/// Returns a 64-bit hash of `bytes` (word-at-a-time multiply-rotate, then MixBits).
inline uint64_t HashBytes(std::string_view bytes) {
  constexpr uint64_t kMultiplier = 0x9E3779B97F4A7C15ULL;
  const char* p = bytes.data();
  size_t n = bytes.size();
  uint64_t h = kMultiplier ^ n;
  while (n >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    h = (std::rotl(h, 5) ^ word) * kMultiplier;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t word = 0;
    std::memcpy(&word, p, n);
    h = (std::rotl(h, 5) ^ word) * kMultiplier;
  }
  return MixBits(h);
}

/// The distinct values of a column chunk, in first-seen order, with an open-addressing
/// hash table (linear probing) from value to index. Fixed-width values are compared by
/// their bits (so every NaN payload and -0.0 are values of their own).
template <typename Kind>
class Dictionary {
 public:
  using Value = typename Kind::Value;

  Dictionary() { Clear(); }

  /// Returns the index of `value`, adding it when new.
  uint32_t Insert(Value value) {
    const uint64_t hash = Hash(value);
    const uint64_t tag = hash >> 32;
    uint64_t position = hash & mask_;
    while (true) {
      const uint64_t slot = slots_[position];
      if (slot == 0) {
        return Add(value, hash, position);
      }
      if ((slot >> 32) == tag) {
        const auto index = static_cast<uint32_t>(slot) - 1;
        if (Equal(index, value)) {
          return index;
        }
      }
      position = (position + 1) & mask_;
    }
  }

  /// The number of distinct values.
  int64_t size() const { return size_; }
  /// The bytes the values take PLAIN-encoded (the dictionary page's body).
  int64_t plain_size() const { return plain_size_; }

  /// Appends the values PLAIN-encoded.
  void WritePlain(std::string* out) const {
    if constexpr (kIsBytes<Kind>) {
      out->reserve(out->size() + static_cast<size_t>(plain_size_));
      for (int64_t i = 0; i < size_; ++i) {
        const std::string_view value = At(i);
        if constexpr (std::is_same_v<Kind, ByteArrayKind>) {
          const auto length = static_cast<uint32_t>(value.size());
          out->append(reinterpret_cast<const char*>(&length), 4);
        }
        out->append(value);
      }
    } else if constexpr (std::is_same_v<Kind, BooleanKind>) {
      for (int64_t i = 0; i < size_; i += 8) {
        uint8_t byte = 0;
        for (int64_t bit = 0; bit < 8 && i + bit < size_; ++bit) {
          byte |= static_cast<uint8_t>(values_[i + bit] ? 1u << bit : 0u);
        }
        out->push_back(static_cast<char>(byte));
      }
    } else {
      out->append(reinterpret_cast<const char*>(values_.data()), values_.size() * sizeof(Value));
    }
  }

  /// Forgets every value.
  void Clear() {
    slots_.assign(kInitialCapacity, 0);
    mask_ = kInitialCapacity - 1;
    size_ = 0;
    plain_size_ = 0;
    values_.clear();
    bytes_.clear();
    offsets_.assign(1, 0);
    hashes_.clear();
  }

 private:
  static constexpr uint64_t kInitialCapacity = 1024;

  uint64_t Hash(Value value) const {
    if constexpr (kIsBytes<Kind>) {
      return HashBytes(value);
    } else {
      uint64_t bits = 0;
      std::memcpy(&bits, &value, sizeof(Value));
      return MixBits(bits);
    }
  }

  std::string_view At(int64_t index) const {
    return std::string_view(bytes_).substr(
        static_cast<size_t>(offsets_[index]),
        static_cast<size_t>(offsets_[index + 1] - offsets_[index]));
  }

  bool Equal(uint32_t index, Value value) const {
    if constexpr (kIsBytes<Kind>) {
      return At(index) == value;
    } else {
      return std::memcmp(&values_[index], &value, sizeof(Value)) == 0;
    }
  }

  uint32_t Add(Value value, uint64_t hash, uint64_t position) {
    const auto index = static_cast<uint32_t>(size_);
    if constexpr (kIsBytes<Kind>) {
      bytes_.append(value);
      offsets_.push_back(static_cast<int64_t>(bytes_.size()));
      hashes_.push_back(hash);
      plain_size_ +=
          static_cast<int64_t>(value.size()) + (std::is_same_v<Kind, ByteArrayKind> ? 4 : 0);
    } else {
      values_.push_back(value);
      plain_size_ += static_cast<int64_t>(sizeof(Value));
    }
    slots_[position] = ((hash >> 32) << 32) | (uint64_t{index} + 1);
    ++size_;
    if (static_cast<uint64_t>(size_) * 2 > slots_.size()) {
      Grow();
    }
    return index;
  }

  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(old.size() * 2, 0);
    mask_ = slots_.size() - 1;
    for (const uint64_t slot : old) {
      if (slot == 0) {
        continue;
      }
      const auto index = static_cast<uint32_t>(slot) - 1;
      uint64_t hash;
      if constexpr (kIsBytes<Kind>) {
        hash = hashes_[index];
      } else {
        hash = Hash(values_[index]);
      }
      uint64_t position = hash & mask_;
      while (slots_[position] != 0) {
        position = (position + 1) & mask_;
      }
      slots_[position] = slot;
    }
  }

  // Slots hold (upper 32 hash bits << 32) | (index + 1); 0 is empty.
  std::vector<uint64_t> slots_;
  uint64_t mask_ = 0;
  int64_t size_ = 0;
  int64_t plain_size_ = 0;
  std::vector<Value> values_;     // fixed-width values
  std::string bytes_;             // byte-array values, concatenated
  std::vector<int64_t> offsets_;  // size_ + 1 offsets into bytes_
  std::vector<uint64_t> hashes_;  // byte-array hashes, for growing
};

}  // namespace sluice::parquet
