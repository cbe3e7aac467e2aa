// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/byte_stream_split.h"

#include <fmt/format.h>

#include <cstring>

#include "common/check.h"

namespace sluice::parquet {
namespace {

// Transposes an 8x8 byte matrix held as 8 little-endian rows: afterwards row c holds
// byte c of every original row. Three rounds swap 4-, 2- and 1-byte blocks.
inline void Transpose8x8(uint64_t* x) {
  for (int i = 0; i < 4; ++i) {
    const uint64_t a = x[i];
    const uint64_t b = x[i + 4];
    x[i] = (a & 0x00000000FFFFFFFFull) | (b << 32);
    x[i + 4] = (a >> 32) | (b & 0xFFFFFFFF00000000ull);
  }
  for (int i : {0, 1, 4, 5}) {
    const uint64_t a = x[i];
    const uint64_t b = x[i + 2];
    x[i] = (a & 0x0000FFFF0000FFFFull) | ((b & 0x0000FFFF0000FFFFull) << 16);
    x[i + 2] = ((a >> 16) & 0x0000FFFF0000FFFFull) | (b & 0xFFFF0000FFFF0000ull);
  }
  for (int i : {0, 2, 4, 6}) {
    const uint64_t a = x[i];
    const uint64_t b = x[i + 1];
    x[i] = (a & 0x00FF00FF00FF00FFull) | ((b & 0x00FF00FF00FF00FFull) << 8);
    x[i + 1] = ((a >> 8) & 0x00FF00FF00FF00FFull) | (b & 0xFF00FF00FF00FF00ull);
  }
}

// The byte-at-a-time form, for what the 8x8 blocks leave: stream bytes [first_byte,
// width) of values [0, first_tail_value) and all bytes of the values after.
void DecodeRest(const uint8_t* data, int width, int64_t count, int first_byte,
                int64_t first_tail_value, uint8_t* out) {
  for (int b = first_byte; b < width; ++b) {
    for (int64_t i = 0; i < first_tail_value; ++i) {
      out[i * width + b] = data[b * count + i];
    }
  }
  for (int64_t i = first_tail_value; i < count; ++i) {
    for (int b = 0; b < width; ++b) {
      out[i * width + b] = data[b * count + i];
    }
  }
}

void EncodeRest(const uint8_t* values, int width, int64_t count, int first_byte,
                int64_t first_tail_value, uint8_t* out) {
  for (int b = first_byte; b < width; ++b) {
    for (int64_t i = 0; i < first_tail_value; ++i) {
      out[b * count + i] = values[i * width + b];
    }
  }
  for (int64_t i = first_tail_value; i < count; ++i) {
    for (int b = 0; b < width; ++b) {
      out[b * count + i] = values[i * width + b];
    }
  }
}

// Width 4: one 32-bit word per value, assembled from the four streams (the compiler
// vectorizes this form).
void Decode4(const uint8_t* data, int64_t count, uint8_t* out) {
  for (int64_t i = 0; i < count; ++i) {
    const uint32_t value = static_cast<uint32_t>(data[i]) |
                           static_cast<uint32_t>(data[count + i]) << 8 |
                           static_cast<uint32_t>(data[2 * count + i]) << 16 |
                           static_cast<uint32_t>(data[3 * count + i]) << 24;
    std::memcpy(out + i * 4, &value, 4);
  }
}

void Encode4(const uint8_t* values, int64_t count, uint8_t* out) {
  for (int64_t i = 0; i < count; ++i) {
    uint32_t value;
    std::memcpy(&value, values + i * 4, 4);
    out[i] = static_cast<uint8_t>(value);
    out[count + i] = static_cast<uint8_t>(value >> 8);
    out[2 * count + i] = static_cast<uint8_t>(value >> 16);
    out[3 * count + i] = static_cast<uint8_t>(value >> 24);
  }
}

// Widths of 8 and more: every 8 values by 8 bytes of them is one 8x8 transpose, read
// and written as 64-bit words.
void DecodeWide(const uint8_t* data, int width, int64_t count, uint8_t* out) {
  const int64_t blocks = count / 8;
  const int wide_bytes = width / 8 * 8;
  for (int k = 0; k < wide_bytes; k += 8) {
    for (int64_t block = 0; block < blocks; ++block) {
      uint64_t x[8];
      for (int r = 0; r < 8; ++r) {
        std::memcpy(&x[r], data + (k + r) * count + block * 8, 8);
      }
      Transpose8x8(x);
      for (int r = 0; r < 8; ++r) {
        std::memcpy(out + (block * 8 + r) * width + k, &x[r], 8);
      }
    }
  }
  DecodeRest(data, width, count, wide_bytes, blocks * 8, out);
}

void EncodeWide(const uint8_t* values, int width, int64_t count, uint8_t* out) {
  const int64_t blocks = count / 8;
  const int wide_bytes = width / 8 * 8;
  for (int k = 0; k < wide_bytes; k += 8) {
    for (int64_t block = 0; block < blocks; ++block) {
      uint64_t x[8];
      for (int r = 0; r < 8; ++r) {
        std::memcpy(&x[r], values + (block * 8 + r) * width + k, 8);
      }
      Transpose8x8(x);
      for (int r = 0; r < 8; ++r) {
        std::memcpy(out + (k + r) * count + block * 8, &x[r], 8);
      }
    }
  }
  EncodeRest(values, width, count, wide_bytes, blocks * 8, out);
}

}  // namespace

Status DecodeByteStreamSplit(const uint8_t* data, int64_t size, int width, int64_t count,
                             uint8_t* out) {
  if (width <= 0 || count < 0) {
    return Status::InvalidArgument(
        fmt::format("BYTE_STREAM_SPLIT: invalid width {} or count {}", width, count));
  }
  // Dividing avoids overflowing count * width for hostile counts.
  if (size < 0 || size % width != 0 || size / width != count) {
    return Status::Corruption(fmt::format(
        "BYTE_STREAM_SPLIT: {} bytes are not {} values of {} bytes", size, count, width));
  }
  if (width == 4) {
    Decode4(data, count, out);
  } else if (width >= 8) {
    DecodeWide(data, width, count, out);
  } else {
    DecodeRest(data, width, count, 0, 0, out);
  }
  return Status::Ok();
}

void EncodeByteStreamSplit(const uint8_t* values, int width, int64_t count, std::string* out) {
  SLUICE_CHECK(width > 0 && count >= 0, "BYTE_STREAM_SPLIT width {} count {}", width, count);
  const size_t start = out->size();
  out->resize(start + static_cast<size_t>(count * width));
  uint8_t* dest = reinterpret_cast<uint8_t*>(out->data()) + start;
  if (width == 4) {
    Encode4(values, count, dest);
  } else if (width >= 8) {
    EncodeWide(values, width, count, dest);
  } else {
    EncodeRest(values, width, count, 0, 0, dest);
  }
}

}  // namespace sluice::parquet
