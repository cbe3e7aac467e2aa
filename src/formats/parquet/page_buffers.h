// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "formats/parquet/writer.h"

// The byte buffers the column writer fills: single-threaded, memory kept for reuse.

namespace sluice::parquet {

/// Scratch space for `T` values that is reused and never shrinks (std::vector<bool> has
/// no data()).
template <typename T>
class ScratchBuffer {
 public:
  /// Returns room for `size` values (their content is unspecified).
  T* Resize(int64_t size) {
    if (size > capacity_) {
      capacity_ = std::max(size, capacity_ * 2);
      data_ = std::make_unique_for_overwrite<T[]>(static_cast<size_t>(capacity_));
    }
    return data_.get();
  }

 private:
  std::unique_ptr<T[]> data_;
  int64_t capacity_ = 0;
};

/// A growable array of trivially copyable T whose new elements are not initialized
/// (std::vector's are).
template <typename T>
class UninitializedArray {
 public:
  const T* data() const { return data_.get(); }
  size_t size() const { return size_; }

  /// Grows by `count` elements left uninitialized and returns where they start.
  T* Extend(size_t count) {
    if (size_ + count > capacity_) {
      const size_t capacity = std::max(size_ + count, capacity_ * 2);
      auto data = std::make_unique_for_overwrite<T[]>(capacity);
      if (size_ > 0) {
        std::memcpy(data.get(), data_.get(), size_ * sizeof(T));
      }
      data_ = std::move(data);
      capacity_ = capacity;
    }
    T* out = data_.get() + size_;
    size_ += count;
    return out;
  }
  /// Empties the array, keeping its memory.
  void Clear() { size_ = 0; }

 private:
  std::unique_ptr<T[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

/// A growable byte buffer whose new bytes are not zero-filled first (std::string's are).
class ByteBuffer {
 public:
  /// The bytes held: size() of them at data().
  const char* data() const { return data_.get(); }
  char* data() { return data_.get(); }
  size_t size() const { return size_; }
  std::string_view view() const { return std::string_view(data_.get(), size_); }

  /// Grows by `count` bytes left as they are and returns where they start.
  char* Extend(size_t count) {
    if (size_ + count > capacity_) {
      const size_t capacity = std::max(size_ + count, capacity_ * 2);
      auto data = std::make_unique_for_overwrite<char[]>(capacity);
      if (size_ > 0) {
        std::memcpy(data.get(), data_.get(), size_);
      }
      data_ = std::move(data);
      capacity_ = capacity;
    }
    char* out = data_.get() + size_;
    size_ += count;
    return out;
  }
  /// Appends a copy of `bytes`.
  void Append(std::string_view bytes) {
    if (!bytes.empty()) {
      std::memcpy(Extend(bytes.size()), bytes.data(), bytes.size());
    }
  }
  /// Sets the size; bytes past the old size are left as they are.
  void Resize(size_t size) {
    if (size > size_) {
      Extend(size - size_);
    }
    size_ = size;
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

/// The closed pages of a column chunk, back to back in blocks that are reused from one
/// row group to the next (no reallocation while a chunk grows, and no fresh memory to
/// fault in once the first row group is written).
class PageArena {
 public:
  /// The bytes appended since the last Clear().
  int64_t size() const { return size_; }

  /// Appends a copy of `bytes`.
  void Append(std::string_view bytes) {
    while (!bytes.empty()) {
      if (blocks_in_use_ == 0 || used_ == kBlockSize) {
        if (blocks_in_use_ == blocks_.size()) {
          blocks_.push_back(std::make_unique_for_overwrite<char[]>(kBlockSize));
        }
        ++blocks_in_use_;
        used_ = 0;
      }
      const size_t count = std::min(bytes.size(), kBlockSize - used_);
      std::memcpy(blocks_[blocks_in_use_ - 1].get() + used_, bytes.data(), count);
      used_ += count;
      size_ += static_cast<int64_t>(count);
      bytes.remove_prefix(count);
    }
  }

  /// Writes everything appended, in order, to `out`.
  Status WriteTo(OutputStream* out) const {
    for (size_t block = 0; block < blocks_in_use_; ++block) {
      const size_t length = block + 1 == blocks_in_use_ ? used_ : kBlockSize;
      SLUICE_RETURN_IF_ERROR(out->Write(std::string_view(blocks_[block].get(), length)));
    }
    return Status::Ok();
  }

  /// Forgets the content, keeping the blocks.
  void Clear() {
    blocks_in_use_ = 0;
    used_ = 0;
    size_ = 0;
  }

 private:
  static constexpr size_t kBlockSize = 1 << 20;

  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t blocks_in_use_ = 0;
  size_t used_ = 0;  // bytes used in the last block in use
  int64_t size_ = 0;
};

}  // namespace sluice::parquet
