// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
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

/// Returns whether two byte strings are equal, comparing words inline (no memcmp call
/// for the short strings dictionaries mostly hold).
inline bool BytesEqual(std::string_view a, std::string_view b) {
  const size_t size = a.size();
  if (size != b.size()) {
    return false;
  }
  const char* x = a.data();
  const char* y = b.data();
  if (size >= 8) {
    uint64_t u;
    uint64_t v;
    size_t i = 0;
    for (; i + 8 <= size; i += 8) {
      std::memcpy(&u, x + i, 8);
      std::memcpy(&v, y + i, 8);
      if (u != v) {
        return false;
      }
    }
    // The last 8 bytes, overlapping what was compared.
    std::memcpy(&u, x + size - 8, 8);
    std::memcpy(&v, y + size - 8, 8);
    return u == v;
  }
  if (size >= 4) {
    uint32_t u0;
    uint32_t v0;
    uint32_t u1;
    uint32_t v1;
    std::memcpy(&u0, x, 4);
    std::memcpy(&v0, y, 4);
    std::memcpy(&u1, x + size - 4, 4);
    std::memcpy(&v1, y + size - 4, 4);
    return u0 == v0 && u1 == v1;
  }
  for (size_t i = 0; i < size; ++i) {
    if (x[i] != y[i]) {
      return false;
    }
  }
  return true;
}

/// Returns whether `a` sorts before `b` as unsigned bytes, comparing big-endian words
/// inline.
inline bool BytesLess(std::string_view a, std::string_view b) {
  const size_t common = std::min(a.size(), b.size());
  size_t i = 0;
  for (; i + 8 <= common; i += 8) {
    uint64_t u;
    uint64_t v;
    std::memcpy(&u, a.data() + i, 8);
    std::memcpy(&v, b.data() + i, 8);
    if (u != v) {
      return __builtin_bswap64(u) < __builtin_bswap64(v);
    }
  }
  for (; i < common; ++i) {
    const auto u = static_cast<uint8_t>(a[i]);
    const auto v = static_cast<uint8_t>(b[i]);
    if (u != v) {
      return u < v;
    }
  }
  return a.size() < b.size();
}

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
  } else if constexpr (std::is_same_v<Kind, ByteArrayKind>) {
    return BytesLess(a, b);
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

/// Returns a 64-bit hash of `bytes` (word-at-a-time multiply-rotate, then MixBits; the
/// last partial word is read with overlapping loads, never byte by byte).
inline uint64_t HashBytes(std::string_view bytes) {
  constexpr uint64_t kMultiplier = 0x9E3779B97F4A7C15ULL;
  const char* p = bytes.data();
  const size_t size = bytes.size();
  uint64_t h = kMultiplier ^ size;
  auto load64 = [](const char* at) {
    uint64_t word;
    std::memcpy(&word, at, 8);
    return word;
  };
  auto load32 = [](const char* at) {
    uint32_t word;
    std::memcpy(&word, at, 4);
    return uint64_t{word};
  };
  if (size >= 8) {
    size_t n = size;
    while (n >= 8) {
      h = (std::rotl(h, 5) ^ load64(p)) * kMultiplier;
      p += 8;
      n -= 8;
    }
    if (n > 0) {
      // The last 8 bytes, overlapping the previous word.
      h = (std::rotl(h, 5) ^ load64(bytes.data() + size - 8)) * kMultiplier;
    }
  } else if (size >= 4) {
    h = (std::rotl(h, 5) ^ (load32(p) | (load32(p + size - 4) << 32))) * kMultiplier;
  } else if (size > 0) {
    const uint64_t word = uint64_t{static_cast<uint8_t>(p[0])} |
                          (uint64_t{static_cast<uint8_t>(p[size / 2])} << 8) |
                          (uint64_t{static_cast<uint8_t>(p[size - 1])} << 16);
    h = (std::rotl(h, 5) ^ word) * kMultiplier;
  }
  return MixBits(h);
}

/// The distinct values of a column chunk, in first-seen order, with an open-addressing
/// hash table (linear probing) from value to index. Fixed-width values are compared by
/// their bits (so every NaN payload and -0.0 are values of their own) and kept in the
/// slots themselves; byte arrays are kept once, their slots holding a hash tag and the
/// index. Not for booleans.
template <typename Kind>
class Dictionary {
 public:
  using Value = typename Kind::Value;

  Dictionary() { Clear(); }

  /// Returns the index of `value`, adding it when new.
  uint32_t Insert(Value value) { return InsertHashed(value, Hash(value)); }

  /// Sets `indices[k]` to the index of `values[k]`, adding new values. A byte array
  /// equal to the one before it takes its index without a lookup (runs, constant
  /// columns: hashing is dearer than comparing there); the others are hashed and their slots
  /// prefetched kDistance values ahead of the probe, so that the cache misses of a large table
  /// overlap.
  void InsertBatch(const Value* values, int64_t count, uint32_t* indices) {
    constexpr int64_t kDistance = 16;
    uint64_t hashes[kDistance];
    bool repeats[kDistance];
    auto hash_ahead = [&](int64_t k) {
      bool repeat = false;
      if constexpr (kIsBytes<Kind>) {
        repeat = k > 0 && BytesEqual(values[k], values[k - 1]);
      }
      repeats[k % kDistance] = repeat;
      if (repeat) {
        return;
      }
      const uint64_t hash = Hash(values[k]);
      hashes[k % kDistance] = hash;
      if constexpr (kIsBytes<Kind>) {
        __builtin_prefetch(&byte_slots_[hash >> shift_]);
      } else {
        __builtin_prefetch(&fixed_slots_[hash >> shift_]);
      }
    };
    for (int64_t k = 0; k < std::min(kDistance, count); ++k) {
      hash_ahead(k);
    }
    for (int64_t k = 0; k < count; ++k) {
      const bool repeat = repeats[k % kDistance];
      const uint64_t hash = hashes[k % kDistance];
      if (k + kDistance < count) {
        hash_ahead(k + kDistance);
      }
      indices[k] = repeat ? indices[k - 1] : InsertHashed(values[k], hash);
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
    } else if constexpr (!std::is_same_v<Kind, BooleanKind>) {
      out->append(reinterpret_cast<const char*>(values_.data()), values_.size() * sizeof(Value));
    }
  }

  /// Forgets every value.
  void Clear() {
    shift_ = 64 - kInitialBits;
    mask_ = (uint64_t{1} << kInitialBits) - 1;
    if constexpr (kIsBytes<Kind>) {
      byte_slots_.assign(mask_ + 1, ByteSlot{});
    } else {
      fixed_slots_.assign(mask_ + 1, FixedSlot{});
    }
    size_ = 0;
    plain_size_ = 0;
    values_.clear();
    bytes_.clear();
    offsets_.assign(1, 0);
    hashes_.clear();
  }

 private:
  static constexpr int kInitialBits = 10;
  static constexpr uint64_t kFibonacci = 0x9E3779B97F4A7C15ULL;
  // The unsigned integer of a fixed-width value's bits.
  using Bits = std::conditional_t<sizeof(Value) == 8, uint64_t, uint32_t>;

  struct FixedSlot {
    Bits bits = 0;
    uint32_t index_plus_one = 0;  // 0: empty
  };
  struct ByteSlot {
    uint32_t tag = 0;             // the low 32 bits of the hash
    uint32_t index_plus_one = 0;  // 0: empty
  };

  static uint64_t Hash(Value value) {
    if constexpr (kIsBytes<Kind>) {
      return HashBytes(value);
    } else {
      return static_cast<uint64_t>(ToBits(value)) * kFibonacci;
    }
  }

  uint32_t InsertHashed(Value value, uint64_t hash) {
    uint64_t position = hash >> shift_;
    if constexpr (kIsBytes<Kind>) {
      const auto tag = static_cast<uint32_t>(hash);
      while (true) {
        const ByteSlot slot = byte_slots_[position];
        if (slot.index_plus_one == 0) {
          return AddBytes(value, hash, position);
        }
        if (slot.tag == tag && BytesEqual(At(slot.index_plus_one - 1), value)) {
          return slot.index_plus_one - 1;
        }
        position = (position + 1) & mask_;
      }
    } else {
      const Bits bits = ToBits(value);
      while (true) {
        const FixedSlot& slot = fixed_slots_[position];
        if (slot.index_plus_one == 0) {
          return AddFixed(value, position);
        }
        if (slot.bits == bits) {
          return slot.index_plus_one - 1;
        }
        position = (position + 1) & mask_;
      }
    }
  }

  static Bits ToBits(Value value) {
    Bits bits = 0;
    std::memcpy(&bits, &value, sizeof(Value));
    return bits;
  }

  std::string_view At(int64_t index) const {
    return std::string_view(bytes_).substr(
        static_cast<size_t>(offsets_[index]),
        static_cast<size_t>(offsets_[index + 1] - offsets_[index]));
  }

  uint32_t AddBytes(Value value, uint64_t hash, uint64_t position) {
    const auto index = static_cast<uint32_t>(size_);
    bytes_.append(value);
    offsets_.push_back(static_cast<int64_t>(bytes_.size()));
    hashes_.push_back(hash);
    plain_size_ +=
        static_cast<int64_t>(value.size()) + (std::is_same_v<Kind, ByteArrayKind> ? 4 : 0);
    byte_slots_[position] = ByteSlot{static_cast<uint32_t>(hash), index + 1};
    Grown();
    return index;
  }

  uint32_t AddFixed(Value value, uint64_t position) {
    const auto index = static_cast<uint32_t>(size_);
    values_.push_back(value);
    plain_size_ += static_cast<int64_t>(sizeof(Value));
    fixed_slots_[position] = FixedSlot{ToBits(value), index + 1};
    Grown();
    return index;
  }

  // Counts the value just added; doubles the table when half full.
  void Grown() {
    ++size_;
    if (static_cast<uint64_t>(size_) * 2 <= mask_ + 1) {
      return;
    }
    --shift_;
    mask_ = mask_ * 2 + 1;
    if constexpr (kIsBytes<Kind>) {
      std::vector<ByteSlot> slots(mask_ + 1);
      for (int64_t index = 0; index < size_; ++index) {
        const uint64_t hash = hashes_[index];
        uint64_t position = hash >> shift_;
        while (slots[position].index_plus_one != 0) {
          position = (position + 1) & mask_;
        }
        slots[position] = ByteSlot{static_cast<uint32_t>(hash), static_cast<uint32_t>(index) + 1};
      }
      byte_slots_ = std::move(slots);
    } else {
      std::vector<FixedSlot> slots(mask_ + 1);
      for (int64_t index = 0; index < size_; ++index) {
        const Bits bits = ToBits(values_[index]);
        uint64_t position = (static_cast<uint64_t>(bits) * kFibonacci) >> shift_;
        while (slots[position].index_plus_one != 0) {
          position = (position + 1) & mask_;
        }
        slots[position] = FixedSlot{bits, static_cast<uint32_t>(index) + 1};
      }
      fixed_slots_ = std::move(slots);
    }
  }

  int shift_ = 0;      // 64 - log2(capacity): a hash's top bits pick its slot
  uint64_t mask_ = 0;  // capacity - 1
  std::vector<FixedSlot> fixed_slots_;
  std::vector<ByteSlot> byte_slots_;
  int64_t size_ = 0;
  int64_t plain_size_ = 0;
  std::vector<Value> values_;     // fixed-width values in index order
  std::string bytes_;             // byte-array values, concatenated
  std::vector<int64_t> offsets_;  // size_ + 1 offsets into bytes_
  std::vector<uint64_t> hashes_;  // byte-array hashes, for growing
};

}  // namespace sluice::parquet
