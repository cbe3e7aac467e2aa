// SPDX-License-Identifier: Apache-2.0
#pragma once

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
}  // namespace bits

}  // namespace sluice
