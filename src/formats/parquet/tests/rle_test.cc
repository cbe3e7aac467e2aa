// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/rle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace sluice::parquet {
namespace {

std::vector<uint8_t> Bytes(const std::string& s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

std::string Encode(int bit_width, const std::vector<uint32_t>& values) {
  RleBitPackedEncoder encoder(bit_width);
  for (uint32_t v : values) {
    encoder.Put(v);
  }
  std::string out;
  encoder.Finish(&out);
  return out;
}

// Values with runs of repeats of random lengths mixed with random stretches, so both
// run kinds and every group alignment occur.
std::vector<uint32_t> MixedValues(int bit_width, int64_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  const uint64_t max = bit_width == 0 ? 0 : (uint64_t{1} << bit_width) - 1;
  std::uniform_int_distribution<uint64_t> value(0, max);
  std::vector<uint32_t> values;
  while (static_cast<int64_t>(values.size()) < count) {
    const int64_t length = std::uniform_int_distribution<int64_t>(1, 40)(rng);
    if (rng() % 2 == 0) {
      values.insert(values.end(), length, static_cast<uint32_t>(value(rng)));
    } else {
      for (int64_t i = 0; i < length; ++i) {
        values.push_back(static_cast<uint32_t>(value(rng)));
      }
    }
  }
  values.resize(count);
  return values;
}

TEST(RleTest, BitWidthCountsSignificantBits) {
  EXPECT_EQ(BitWidth(0), 0);
  EXPECT_EQ(BitWidth(1), 1);
  EXPECT_EQ(BitWidth(2), 2);
  EXPECT_EQ(BitWidth(3), 2);
  EXPECT_EQ(BitWidth(7), 3);
  EXPECT_EQ(BitWidth(8), 4);
  EXPECT_EQ(BitWidth(std::numeric_limits<uint32_t>::max()), 32);
  EXPECT_EQ(BitWidth(std::numeric_limits<uint64_t>::max()), 64);
}

TEST(RleTest, DecodesTheSpecBitPackedExample) {
  // Encodings.md: 0..7 with bit width 3 pack LSB first to 10001000 11000110 11111010;
  // the run header 0x03 says one group of 8, bit-packed.
  const std::vector<uint8_t> data = {0x03, 0x88, 0xC6, 0xFA};
  RleBitPackedDecoder decoder(data.data(), static_cast<int64_t>(data.size()), 3);
  std::vector<uint32_t> out(8);
  ASSERT_TRUE(decoder.Decode(8, out.data()).ok());
  EXPECT_THAT(out, ::testing::ElementsAre(0, 1, 2, 3, 4, 5, 6, 7));
  EXPECT_EQ(decoder.Decode(1, out.data()).code(), StatusCode::kCorruption);
}

TEST(RleTest, EncodesTheSpecBitPackedExample) {
  EXPECT_EQ(Encode(3, {0, 1, 2, 3, 4, 5, 6, 7}), std::string("\x03\x88\xC6\xFA", 4));
}

TEST(RleTest, DecodesTheSpecDeprecatedBitPackedExample) {
  // Encodings.md: 0..7 with bit width 3, most significant bit first: 00000101 00111001
  // 01110111.
  const std::vector<uint8_t> data = {0x05, 0x39, 0x77};
  EXPECT_EQ(BitPackedLevelsSize(3, 8), 3);
  std::vector<int16_t> out(8);
  ASSERT_TRUE(DecodeBitPackedLevels(data.data(), 3, 3, 8, out.data()).ok());
  EXPECT_THAT(out, ::testing::ElementsAre(0, 1, 2, 3, 4, 5, 6, 7));
  EXPECT_EQ(DecodeBitPackedLevels(data.data(), 2, 3, 8, out.data()).code(),
            StatusCode::kCorruption);
  EXPECT_EQ(DecodeBitPackedLevels(data.data(), 3, 17, 1, out.data()).code(),
            StatusCode::kCorruption);
}

TEST(RleTest, DeprecatedBitPackedLevelsOfEveryWidthDecode) {
  std::mt19937 rng(7);
  for (int width = 0; width <= 16; ++width) {
    const int64_t count = 1 + rng() % 100;
    std::vector<int16_t> values(count);
    // Pack MSB first by hand, bit by bit.
    std::vector<uint8_t> data(BitPackedLevelsSize(width, count), 0);
    int64_t bit = 0;
    for (int64_t i = 0; i < count; ++i) {
      values[i] = static_cast<int16_t>(width == 0 ? 0 : rng() % (1u << width));
      for (int b = width - 1; b >= 0; --b, ++bit) {
        if ((values[i] >> b) & 1) {
          data[bit / 8] |= static_cast<uint8_t>(0x80 >> (bit % 8));
        }
      }
    }
    std::vector<int16_t> out(count);
    ASSERT_TRUE(DecodeBitPackedLevels(data.data(), static_cast<int64_t>(data.size()), width, count,
                                      out.data())
                    .ok());
    EXPECT_EQ(out, values) << "width " << width;
  }
}

TEST(RleTest, DecodesAnRleRunAndABitPackedRunInOneStream) {
  // 100 copies of 4 (header 200 as ULEB128: C8 01), then the spec's bit-packed group.
  const std::vector<uint8_t> data = {0xC8, 0x01, 0x04, 0x03, 0x88, 0xC6, 0xFA};
  RleBitPackedDecoder decoder(data.data(), static_cast<int64_t>(data.size()), 3);
  std::vector<uint32_t> out(108);
  ASSERT_TRUE(decoder.Decode(108, out.data()).ok());
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(out[i], 4u);
  }
  EXPECT_THAT(std::vector<uint32_t>(out.begin() + 100, out.end()),
              ::testing::ElementsAre(0, 1, 2, 3, 4, 5, 6, 7));
}

TEST(RleTest, EncoderWritesRunsOfEightOrMoreAsRle) {
  EXPECT_EQ(Encode(3, std::vector<uint32_t>(100, 4)), std::string("\xC8\x01\x04", 3));
  EXPECT_EQ(Encode(0, std::vector<uint32_t>(10, 0)), std::string("\x14", 1));
  EXPECT_EQ(Encode(16, std::vector<uint32_t>(8, 0x1234)), std::string("\x10\x34\x12", 3));
  // Seven repeats are not a run: one padded bit-packed group.
  EXPECT_EQ(Encode(1, std::vector<uint32_t>(7, 1)), std::string("\x03\x7F", 2));
}

TEST(RleTest, EncoderPadsTheLastGroupAndCountsIt) {
  // 0, 1, 2 with width 2: one group (header 0x03), values LSB first then zeros.
  EXPECT_EQ(Encode(2, {0, 1, 2}), std::string("\x03\x24\x00", 3));
}

TEST(RleTest, EncoderSplitsBitPackedRunsAtSixtyThreeGroups) {
  std::vector<uint32_t> values(64 * 8);
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] = i % 2;
  }
  const std::string encoded = Encode(1, values);
  ASSERT_EQ(encoded.size(), 1u + 63 + 1 + 1);
  EXPECT_EQ(static_cast<uint8_t>(encoded[0]), (63 << 1) | 1);
  EXPECT_EQ(static_cast<uint8_t>(encoded[64]), (1 << 1) | 1);
}

TEST(RleTest, RoundTripsRandomValuesAtEveryBitWidth) {
  for (int width = 0; width <= 32; ++width) {
    for (int64_t count : {1, 7, 8, 9, 63, 64, 1000, 4099}) {
      const std::vector<uint32_t> values =
          MixedValues(width, count, static_cast<uint32_t>(width * 131 + count));
      const std::string encoded = Encode(width, values);
      RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(encoded.data()),
                                  static_cast<int64_t>(encoded.size()), width);
      std::vector<uint32_t> out(count);
      // Uneven chunks cross group and run boundaries at every offset.
      int64_t done = 0;
      int64_t chunk = 1;
      while (done < count) {
        const int64_t n = std::min(chunk, count - done);
        ASSERT_TRUE(decoder.Decode(n, out.data() + done).ok()) << "width " << width;
        done += n;
        chunk = chunk * 3 % 37 + 1;
      }
      ASSERT_EQ(out, values) << "width " << width << " count " << count;
    }
  }
}

TEST(RleTest, RoundTripsUniformlyRandomValuesWithFewRuns) {
  std::mt19937 rng(99);
  for (int width = 1; width <= 32; ++width) {
    std::vector<uint32_t> values(1001);
    for (auto& v : values) {
      v = static_cast<uint32_t>(rng() & ((uint64_t{1} << width) - 1));
    }
    const std::string encoded = Encode(width, values);
    RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(encoded.data()),
                                static_cast<int64_t>(encoded.size()), width);
    std::vector<uint32_t> out(values.size());
    ASSERT_TRUE(decoder.Decode(static_cast<int64_t>(out.size()), out.data()).ok());
    EXPECT_EQ(out, values) << "width " << width;
  }
}

TEST(RleTest, DecodesLevelsAtEveryLevelWidth) {
  for (int width = 0; width <= 16; ++width) {
    const std::vector<uint32_t> values = MixedValues(width, 777, static_cast<uint32_t>(width));
    const std::string encoded = Encode(width, values);
    RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(encoded.data()),
                                static_cast<int64_t>(encoded.size()), width);
    std::vector<int16_t> out(values.size());
    ASSERT_TRUE(decoder.DecodeLevels(500, out.data()).ok());
    ASSERT_TRUE(decoder.DecodeLevels(277, out.data() + 500).ok());
    for (size_t i = 0; i < values.size(); ++i) {
      ASSERT_EQ(static_cast<uint16_t>(out[i]), values[i]) << "width " << width << " at " << i;
    }
  }
}

TEST(RleTest, LevelsWiderThanSixteenBitsAreCorruption) {
  const std::string encoded = Encode(17, {1, 2, 3});
  RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(encoded.data()),
                              static_cast<int64_t>(encoded.size()), 17);
  int16_t out[3];
  EXPECT_EQ(decoder.DecodeLevels(3, out).code(), StatusCode::kCorruption);
}

TEST(RleTest, SkipThenDecodeEqualsTheTail) {
  for (int width : {0, 1, 3, 8, 13, 20, 32}) {
    const std::vector<uint32_t> values = MixedValues(width, 2000, 5 + width);
    const std::string encoded = Encode(width, values);
    for (int64_t skip : {0, 1, 5, 8, 13, 64, 999, 1999, 2000}) {
      RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(encoded.data()),
                                  static_cast<int64_t>(encoded.size()), width);
      ASSERT_TRUE(decoder.Skip(skip).ok());
      std::vector<uint32_t> out(values.size() - skip);
      ASSERT_TRUE(decoder.Decode(static_cast<int64_t>(out.size()), out.data()).ok());
      ASSERT_EQ(out, std::vector<uint32_t>(values.begin() + skip, values.end()))
          << "width " << width << " skip " << skip;
    }
    // Skips interleaved with decodes.
    RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(encoded.data()),
                                static_cast<int64_t>(encoded.size()), width);
    int64_t position = 0;
    while (position + 17 <= 2000) {
      ASSERT_TRUE(decoder.Skip(6).ok());
      uint32_t out[11];
      ASSERT_TRUE(decoder.Decode(11, out).ok());
      for (int i = 0; i < 11; ++i) {
        ASSERT_EQ(out[i], values[position + 6 + i]);
      }
      position += 17;
    }
    // The last group may carry up to 7 values of padding; past those the runs end.
    EXPECT_EQ(decoder.Skip(2000 - position + 8).code(), StatusCode::kCorruption);
  }
}

TEST(RleTest, LongRepeatsEncodeInConstantSpaceAndSplitAtTheRunLimit) {
  RleBitPackedEncoder encoder(3);
  encoder.Put(1);
  encoder.Put(2);
  encoder.PutRepeated(7, 5'000'000'000);
  encoder.Put(5);
  EXPECT_GE(encoder.EstimatedSize(), 0);
  std::string encoded;
  encoder.Finish(&encoded);
  EXPECT_LT(encoded.size(), 40u);
  RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(encoded.data()),
                              static_cast<int64_t>(encoded.size()), 3);
  uint32_t out[8];
  ASSERT_TRUE(decoder.Decode(3, out).ok());
  EXPECT_THAT(std::vector<uint32_t>(out, out + 3), ::testing::ElementsAre(1, 2, 7));
  ASSERT_TRUE(decoder.Skip(5'000'000'000 - 3).ok());
  ASSERT_TRUE(decoder.Decode(3, out).ok());
  EXPECT_THAT(std::vector<uint32_t>(out, out + 3), ::testing::ElementsAre(7, 7, 5));
}

TEST(RleTest, PutRepeatedMatchesRepeatedPut) {
  std::mt19937 rng(3);
  RleBitPackedEncoder one_by_one(5);
  RleBitPackedEncoder repeated(5);
  for (int i = 0; i < 300; ++i) {
    const uint32_t value = rng() % 4;
    const int64_t count = rng() % 20;
    for (int64_t j = 0; j < count; ++j) {
      one_by_one.Put(value);
    }
    repeated.PutRepeated(value, count);
  }
  std::string a;
  std::string b;
  one_by_one.Finish(&a);
  repeated.Finish(&b);
  EXPECT_EQ(a, b);
}

TEST(RleTest, EstimatedSizeBoundsFinish) {
  for (int width : {0, 1, 7, 17, 32}) {
    RleBitPackedEncoder encoder(width);
    const std::vector<uint32_t> values = MixedValues(width, 3000, 17);
    for (size_t i = 0; i < values.size(); ++i) {
      encoder.Put(values[i]);
      if (i % 97 == 0) {
        std::string probe;
        RleBitPackedEncoder copy = encoder;
        const int64_t estimate = copy.EstimatedSize();
        copy.Finish(&probe);
        ASSERT_LE(static_cast<int64_t>(probe.size()), estimate) << "width " << width;
      }
    }
  }
}

TEST(RleTest, FinishStartsOver) {
  RleBitPackedEncoder encoder(4);
  encoder.PutRepeated(3, 20);
  std::string first;
  encoder.Finish(&first);
  encoder.Put(9);
  std::string second;
  encoder.Finish(&second);
  EXPECT_EQ(first, std::string("\x28\x03", 2));
  EXPECT_EQ(second, std::string("\x03\x09\x00\x00\x00", 5));
  std::string empty;
  encoder.Finish(&empty);
  EXPECT_TRUE(empty.empty());
}

TEST(RleTest, TruncatedInputIsCorruptionOrDecodesCorrectly) {
  for (int width : {1, 2, 5, 8, 12, 24, 32}) {
    const std::vector<uint32_t> values = MixedValues(width, 300, 23 + width);
    const std::string encoded = Encode(width, values);
    for (size_t length = 0; length < encoded.size(); ++length) {
      // A copy of exactly `length` bytes, so ASan sees any read past it.
      const std::vector<uint8_t> data = Bytes(encoded.substr(0, length));
      RleBitPackedDecoder decoder(data.data(), static_cast<int64_t>(length), width);
      std::vector<uint32_t> out(values.size());
      const Status status = decoder.Decode(static_cast<int64_t>(out.size()), out.data());
      if (status.ok()) {
        // Only padding was cut off.
        EXPECT_EQ(out, values) << "width " << width << " length " << length;
      } else {
        EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
      }
    }
  }
}

TEST(RleTest, ATruncatedBitPackedRunStillYieldsItsPresentValues) {
  // Header says 2 groups (16 values of 3 bits, 6 bytes) but only the first group's
  // 3 bytes follow.
  const std::vector<uint8_t> data = {0x05, 0x88, 0xC6, 0xFA};
  RleBitPackedDecoder decoder(data.data(), static_cast<int64_t>(data.size()), 3);
  std::vector<uint32_t> out(9);
  ASSERT_TRUE(decoder.Decode(8, out.data()).ok());
  EXPECT_THAT(std::vector<uint32_t>(out.begin(), out.begin() + 8),
              ::testing::ElementsAre(0, 1, 2, 3, 4, 5, 6, 7));
  const Status status = decoder.Decode(1, out.data());
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("runs end"), std::string::npos) << status.ToString();
}

TEST(RleTest, MalformedRunsAreCorruption) {
  uint32_t out[4];
  {
    // Bit width above 32.
    const std::vector<uint8_t> data = {0x02, 0x01};
    RleBitPackedDecoder decoder(data.data(), 2, 33);
    const Status status = decoder.Decode(1, out);
    EXPECT_EQ(status.code(), StatusCode::kCorruption);
    EXPECT_NE(status.message().find("bit width 33"), std::string::npos) << status.ToString();
    EXPECT_EQ(decoder.Skip(1).code(), StatusCode::kCorruption);
  }
  {
    // RLE value 5 does not fit in 2 bits.
    const std::vector<uint8_t> data = {0x08, 0x05};
    RleBitPackedDecoder decoder(data.data(), 2, 2);
    EXPECT_EQ(decoder.Decode(1, out).code(), StatusCode::kCorruption);
  }
  {
    // RLE value cut off: width 16 needs two bytes.
    const std::vector<uint8_t> data = {0x08, 0x05};
    RleBitPackedDecoder decoder(data.data(), 2, 16);
    EXPECT_EQ(decoder.Decode(1, out).code(), StatusCode::kCorruption);
  }
  {
    // A run header that never ends, and one beyond 32 bits.
    const std::vector<uint8_t> unterminated = {0xFF, 0xFF, 0xFF};
    RleBitPackedDecoder a(unterminated.data(), 3, 1);
    EXPECT_EQ(a.Decode(1, out).code(), StatusCode::kCorruption);
    const std::vector<uint8_t> wide = {0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x01};
    RleBitPackedDecoder b(wide.data(), 6, 1);
    EXPECT_EQ(b.Decode(1, out).code(), StatusCode::kCorruption);
  }
  {
    // Nothing at all.
    RleBitPackedDecoder decoder(nullptr, 0, 1);
    EXPECT_EQ(decoder.Decode(1, out).code(), StatusCode::kCorruption);
    EXPECT_TRUE(decoder.Decode(0, out).ok());
  }
}

TEST(RleTest, RandomBytesNeverCrash) {
  std::mt19937 rng(2024);
  std::vector<uint32_t> out(512);
  for (int trial = 0; trial < 3000; ++trial) {
    std::vector<uint8_t> data(rng() % 40);
    for (auto& b : data) {
      b = static_cast<uint8_t>(rng());
    }
    const int width = static_cast<int>(rng() % 34);
    RleBitPackedDecoder decoder(data.data(), static_cast<int64_t>(data.size()), width);
    for (int step = 0; step < 4; ++step) {
      const int64_t n = rng() % 200;
      const Status status = step % 2 == 0 ? decoder.Decode(n, out.data()) : decoder.Skip(n);
      if (!status.ok()) {
        EXPECT_EQ(status.code(), StatusCode::kCorruption);
        break;
      }
    }
  }
}

// The bits [offset, offset + count) of `bitmap` as 0/1 values.
std::vector<uint32_t> BitsOf(const std::vector<uint8_t>& bitmap, int64_t offset, int64_t count) {
  std::vector<uint32_t> out;
  for (int64_t i = offset; i < offset + count; ++i) {
    out.push_back((bitmap[static_cast<size_t>(i / 8)] >> (i % 8)) & 1);
  }
  return out;
}

TEST(RleTest, DecodeBitsMatchesDecodeAtEveryOffsetAndLeavesOtherBitsAlone) {
  for (uint32_t seed = 0; seed < 40; ++seed) {
    const int64_t count = 1 + seed * 37 % 700;
    const std::vector<uint32_t> values = MixedValues(1, count, seed);
    const std::string encoded = Encode(1, values);
    const auto* data = reinterpret_cast<const uint8_t*>(encoded.data());
    const int64_t size = static_cast<int64_t>(encoded.size());
    // Decode in pieces of varying lengths, each at the bit where the last one ended,
    // into a bitmap full of the opposite of what the runs write around it.
    for (const uint8_t fill : {uint8_t{0x00}, uint8_t{0xff}, uint8_t{0xa5}}) {
      const int64_t offset = seed % 13;
      std::vector<uint8_t> bitmap(static_cast<size_t>((offset + count + 7) / 8 + 2), fill);
      const std::vector<uint8_t> before = bitmap;
      RleBitPackedDecoder decoder(data, size, 1);
      int64_t ones = 0;
      int64_t done = 0;
      int64_t piece = 1;
      while (done < count) {
        const int64_t n = std::min(piece, count - done);
        ASSERT_TRUE(decoder.DecodeBits(n, bitmap.data(), offset + done, &ones).ok());
        done += n;
        piece = piece * 3 % 97 + 1;
      }
      EXPECT_EQ(BitsOf(bitmap, offset, count), values) << "seed " << seed;
      EXPECT_EQ(ones, std::count(values.begin(), values.end(), 1u));
      EXPECT_EQ(BitsOf(bitmap, 0, offset), BitsOf(before, 0, offset));
      const int64_t end = static_cast<int64_t>(bitmap.size()) * 8;
      EXPECT_EQ(BitsOf(bitmap, offset + count, end - offset - count),
                BitsOf(before, offset + count, end - offset - count));
    }
  }
}

TEST(RleTest, DecodeBitsRefusesOtherBitWidths) {
  const std::string encoded = Encode(2, {1, 2, 3});
  RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(encoded.data()),
                              static_cast<int64_t>(encoded.size()), 2);
  uint8_t bitmap = 0;
  int64_t ones = 0;
  EXPECT_EQ(decoder.DecodeBits(3, &bitmap, 0, &ones).code(), StatusCode::kCorruption);
}

TEST(RleTest, FillAndCopyBitsTouchOnlyTheirRange) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<uint8_t> src(40);
    std::vector<uint8_t> dst(40);
    for (uint8_t& byte : src)
      byte = static_cast<uint8_t>(rng());
    for (uint8_t& byte : dst)
      byte = static_cast<uint8_t>(rng());
    const int64_t length = rng() % 200;
    const int64_t src_offset = rng() % 100;
    const int64_t dst_offset = rng() % 100;
    std::vector<uint32_t> expected = BitsOf(dst, 0, 320);
    const std::vector<uint32_t> copied = BitsOf(src, src_offset, length);
    std::copy(copied.begin(), copied.end(), expected.begin() + dst_offset);
    CopyBits(src.data(), src_offset, dst.data(), dst_offset, length);
    EXPECT_EQ(BitsOf(dst, 0, 320), expected) << "trial " << trial;

    const bool value = rng() % 2 == 0;
    std::fill_n(expected.begin() + dst_offset, length, value ? 1u : 0u);
    FillBits(dst.data(), dst_offset, length, value);
    EXPECT_EQ(BitsOf(dst, 0, 320), expected) << "trial " << trial;
  }
}

}  // namespace
}  // namespace sluice::parquet
