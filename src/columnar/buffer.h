// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>

#include "common/check.h"

namespace sluice {

/// A growable, 64-byte aligned block of bytes (Arrow's alignment). Builders grow it;
/// once a Vector holds it, it is shared read-only. Not safe for concurrent mutation.
class Buffer {
 public:
  static constexpr int64_t kAlignment = 64;

  Buffer() = default;
  explicit Buffer(int64_t size) { Resize(size); }
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  const uint8_t* data() const { return data_; }
  uint8_t* mutable_data() { return data_; }
  int64_t size() const { return size_; }
  int64_t capacity() const { return capacity_; }

  template <typename T>
  const T* data_as() const {
    return reinterpret_cast<const T*>(data_);
  }
  template <typename T>
  T* mutable_data_as() {
    return reinterpret_cast<T*>(data_);
  }

  /// Ensures room for `capacity` bytes without changing size; grows geometrically.
  void Reserve(int64_t capacity) {
    if (capacity > capacity_) [[unlikely]] {
      Grow(capacity);
    }
  }
  /// Sets the size; new bytes are zeroed.
  void Resize(int64_t size);
  /// Sets the size leaving new bytes as they are: for callers that write every byte.
  void ResizeUninitialized(int64_t size) {
    Reserve(size);
    size_ = size;
  }
  /// Returns a buffer of `size` bytes the caller writes in full (not zeroed).
  static std::shared_ptr<Buffer> Uninitialized(int64_t size) {
    auto buffer = std::make_shared<Buffer>();
    buffer->ResizeUninitialized(size);
    return buffer;
  }
  /// Appends `length` bytes.
  void Append(const void* bytes, int64_t length) {
    Reserve(size_ + length);
    if (length > 0) {
      std::memcpy(data_ + size_, bytes, static_cast<size_t>(length));
    }
    size_ += length;
  }
  template <typename T>
  void AppendValue(T value) {
    Reserve(size_ + static_cast<int64_t>(sizeof(T)));
    std::memcpy(data_ + size_, &value, sizeof(T));
    size_ += static_cast<int64_t>(sizeof(T));
  }
  /// Sets size to 0, keeping the memory.
  void Clear() { size_ = 0; }

 private:
  void Grow(int64_t min_capacity);

  uint8_t* data_ = nullptr;
  int64_t size_ = 0;
  int64_t capacity_ = 0;
};

using BufferPtr = std::shared_ptr<Buffer>;

/// Bit-level helpers for validity bitmaps and booleans (LSB first, as Arrow).
namespace bits {
inline bool Get(const uint8_t* bitmap, int64_t index) {
  return (bitmap[index >> 3] >> (index & 7)) & 1;
}
inline void Set(uint8_t* bitmap, int64_t index) {
  bitmap[index >> 3] |= static_cast<uint8_t>(1u << (index & 7));
}
inline void Clear(uint8_t* bitmap, int64_t index) {
  bitmap[index >> 3] &= static_cast<uint8_t>(~(1u << (index & 7)));
}
inline int64_t BytesFor(int64_t num_bits) {
  return (num_bits + 7) / 8;
}
/// Counts the set bits in [offset, offset + length).
int64_t CountSet(const uint8_t* bitmap, int64_t offset, int64_t length);

static_assert(std::endian::native == std::endian::little, "bit words assume little endian");

/// Returns the `length` (1..64) bits of `bitmap` from bit `offset` as the low bits of a
/// word (bit i of the word is bit offset + i), the others zero. Reads only the bytes
/// holding those bits.
inline uint64_t ReadWord(const uint8_t* bitmap, int64_t offset, int64_t length) {
  const uint8_t* bytes = bitmap + (offset >> 3);
  const int shift = static_cast<int>(offset & 7);
  const int64_t count = (shift + length + 7) >> 3;  // 1..9 bytes
  uint64_t word = 0;
  std::memcpy(&word, bytes, static_cast<size_t>(count < 8 ? count : 8));
  word >>= shift;
  if (count > 8) {
    word |= static_cast<uint64_t>(bytes[8]) << (64 - shift);
  }
  return length < 64 ? word & ((uint64_t{1} << length) - 1) : word;
}

/// Writes `word` as bits [64 * index, 64 * index + 64) of a bitmap of `num_bytes` bytes;
/// the bytes past the end are left alone.
inline void WriteWord(uint8_t* bitmap, int64_t index, uint64_t word, int64_t num_bytes) {
  const int64_t start = index * 8;
  const int64_t count = num_bytes - start < 8 ? num_bytes - start : 8;
  std::memcpy(bitmap + start, &word, static_cast<size_t>(count));
}

/// A mask of the low `length` (0..64) bits.
inline uint64_t LowMask(int64_t length) {
  return length >= 64 ? ~uint64_t{0} : (uint64_t{1} << length) - 1;
}
}  // namespace bits

}  // namespace sluice
