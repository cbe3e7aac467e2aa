// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

/// Hashing primitives shared by row_hash.cc and the operators' own hash tables
/// (exec/group_table.cc). Process-local, like row_hash.h's hashes: never persist them.
namespace sluice::hash {

// xxHash64's primes; the finalizer is MurmurHash3's fmix64. Written here, not linked.
inline constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
inline constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
inline constexpr uint64_t kPrime3 = 0x165667B19E3779F9ULL;
inline constexpr uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
inline constexpr uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

/// The hash of every null, at any nesting level.
inline constexpr uint64_t kNullHash = 0x6A09E667F3BCC908ULL;

inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDULL;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ULL;
  x ^= x >> 33;
  return x;
}

/// A bijection of 64-bit values, so distinct integers never collide.
inline uint64_t HashU64(uint64_t x) {
  return Mix64(x * kPrime1 + kPrime4);
}

/// Folds `hash` into `seed`; order-dependent, and a bijection in each argument.
inline uint64_t Combine(uint64_t seed, uint64_t hash) {
  return Mix64((std::rotl(seed, 23) * kPrime2) ^ hash);
}

/// Unaligned little-endian loads of 8 and 4 bytes (the latter zero-extended).
inline uint64_t Load64(const char* p) {
  uint64_t value;
  std::memcpy(&value, p, sizeof(value));
  return value;
}
inline uint64_t Load32(const char* p) {
  uint32_t value;
  std::memcpy(&value, p, sizeof(value));
  return value;
}

/// The bits of a float or double as Spark's NormalizeFloatingNumbers sees the value: one
/// NaN, and -0.0 as 0.0.
inline uint64_t NormalizedBits(double value) {
  if (std::isnan(value)) {
    return 0x7FF8000000000000ULL;
  }
  return value == 0.0 ? 0 : std::bit_cast<uint64_t>(value);
}
inline uint64_t NormalizedBits(float value) {
  if (std::isnan(value)) {
    return 0x7FC00000U;
  }
  return value == 0.0f ? 0 : std::bit_cast<uint32_t>(value);
}

}  // namespace sluice::hash
