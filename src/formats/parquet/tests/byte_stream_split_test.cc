// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/byte_stream_split.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace sluice::parquet {
namespace {

std::vector<uint8_t> RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> bytes(n);
  for (auto& b : bytes) {
    b = static_cast<uint8_t>(rng());
  }
  return bytes;
}

TEST(ByteStreamSplitTest, MatchesTheSpecExample) {
  // Encodings.md: three 4-byte values AA BB CC DD, 00 11 22 33, A3 B4 C5 D6.
  const std::vector<uint8_t> values = {0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11,
                                       0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6};
  const std::vector<uint8_t> split = {0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4,
                                      0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6};
  std::string encoded;
  EncodeByteStreamSplit(values.data(), 4, 3, &encoded);
  EXPECT_EQ(encoded, std::string(split.begin(), split.end()));
  std::vector<uint8_t> out(12);
  ASSERT_TRUE(DecodeByteStreamSplit(split.data(), 12, 4, 3, out.data()).ok());
  EXPECT_EQ(out, values);
}

TEST(ByteStreamSplitTest, SplitsDoublesIntoByteStreams) {
  const std::vector<double> values = {1.5, -2.25, std::numeric_limits<double>::infinity()};
  std::string encoded;
  EncodeByteStreamSplit(reinterpret_cast<const uint8_t*>(values.data()), 8, 3, &encoded);
  ASSERT_EQ(encoded.size(), 24u);
  for (int b = 0; b < 8; ++b) {
    for (int i = 0; i < 3; ++i) {
      uint8_t expected[8];
      std::memcpy(expected, &values[i], 8);
      EXPECT_EQ(static_cast<uint8_t>(encoded[b * 3 + i]), expected[b]) << b << " " << i;
    }
  }
  std::vector<double> out(3);
  ASSERT_TRUE(DecodeByteStreamSplit(reinterpret_cast<const uint8_t*>(encoded.data()), 24, 8, 3,
                                    reinterpret_cast<uint8_t*>(out.data()))
                  .ok());
  EXPECT_EQ(out, values);
}

TEST(ByteStreamSplitTest, RoundTripsEveryWidth) {
  // 2 (FLOAT16), 4 and 8 (fast paths), and FIXED_LEN_BYTE_ARRAY widths.
  for (int width : {1, 2, 3, 4, 5, 7, 8, 12, 16, 33}) {
    for (int64_t count : {0, 1, 7, 255, 256, 257, 1000}) {
      const std::vector<uint8_t> values = RandomBytes(width * count, width * 1000 + count);
      std::string encoded = "prefix";
      EncodeByteStreamSplit(values.data(), width, count, &encoded);
      ASSERT_EQ(encoded.size(), 6 + values.size());
      EXPECT_EQ(encoded.substr(0, 6), "prefix");
      // Stream b holds byte b of every value.
      for (int64_t i = 0; i < count; i += 97) {
        for (int b = 0; b < width; ++b) {
          ASSERT_EQ(static_cast<uint8_t>(encoded[6 + b * count + i]), values[i * width + b]);
        }
      }
      std::vector<uint8_t> out(values.size());
      ASSERT_TRUE(DecodeByteStreamSplit(reinterpret_cast<const uint8_t*>(encoded.data()) + 6,
                                        static_cast<int64_t>(values.size()), width, count,
                                        out.data())
                      .ok());
      ASSERT_EQ(out, values) << "width " << width << " count " << count;
    }
  }
}

TEST(ByteStreamSplitTest, SizeThatIsNotCountTimesWidthIsCorruption) {
  const std::vector<uint8_t> data = RandomBytes(16, 1);
  std::vector<uint8_t> out(64);
  for (int64_t size = 0; size <= 16; ++size) {
    const Status status = DecodeByteStreamSplit(data.data(), size, 4, 3, out.data());
    if (size == 12) {
      EXPECT_TRUE(status.ok());
    } else {
      EXPECT_EQ(status.code(), StatusCode::kCorruption) << size;
    }
  }
  // A count whose byte size overflows is rejected, not multiplied.
  EXPECT_EQ(
      DecodeByteStreamSplit(data.data(), 16, 8, std::numeric_limits<int64_t>::max() / 4, out.data())
          .code(),
      StatusCode::kCorruption);
  EXPECT_EQ(DecodeByteStreamSplit(data.data(), 16, 0, 1, out.data()).code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sluice::parquet
