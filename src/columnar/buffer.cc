// SPDX-License-Identifier: Apache-2.0
#include "columnar/buffer.h"

#include <bit>
#include <cstdlib>
#include <new>

namespace sluice {

Buffer::~Buffer() {
  std::free(data_);
}

void Buffer::Grow(int64_t min_capacity) {
  int64_t capacity = capacity_ < 64 ? 64 : capacity_;
  while (capacity < min_capacity) {
    capacity *= 2;
  }
  auto* fresh = static_cast<uint8_t*>(std::aligned_alloc(
      kAlignment, static_cast<size_t>((capacity + kAlignment - 1) / kAlignment * kAlignment)));
  SLUICE_CHECK(fresh != nullptr, "out of memory growing a buffer to {} bytes", capacity);
  if (size_ > 0) {
    std::memcpy(fresh, data_, static_cast<size_t>(size_));
  }
  std::free(data_);
  data_ = fresh;
  capacity_ = capacity;
}

void Buffer::Resize(int64_t size) {
  Reserve(size);
  if (size > size_) {
    std::memset(data_ + size_, 0, static_cast<size_t>(size - size_));
  }
  size_ = size;
}

namespace bits {
int64_t CountSet(const uint8_t* bitmap, int64_t offset, int64_t length) {
  int64_t count = 0;
  int64_t index = offset;
  const int64_t end = offset + length;
  while (index < end && (index & 7) != 0) {
    count += Get(bitmap, index++);
  }
  while (index + 64 <= end) {
    uint64_t word;
    std::memcpy(&word, bitmap + (index >> 3), sizeof(word));
    count += std::popcount(word);
    index += 64;
  }
  while (index < end) {
    count += Get(bitmap, index++);
  }
  return count;
}
}  // namespace bits

}  // namespace sluice
