// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/delta.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "formats/parquet/rle.h"
#include "formats/parquet/thrift_io.h"

namespace sluice::parquet {
namespace {

const uint8_t* U8(const std::string& s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

template <typename T>
std::string EncodeValues(const std::vector<T>& values) {
  std::string out;
  EncodeDeltaBinaryPacked(values.data(), static_cast<int64_t>(values.size()), &out);
  return out;
}

// Decodes all values in uneven chunks; returns the status of the first failure.
template <typename T>
Status DecodeAll(const uint8_t* data, int64_t size, std::vector<T>* out) {
  DeltaBinaryPackedDecoder<T> decoder;
  SLUICE_RETURN_IF_ERROR(decoder.Init(data, size));
  out->assign(static_cast<size_t>(decoder.total_values()), 0);
  int64_t done = 0;
  int64_t chunk = 1;
  while (done < decoder.total_values()) {
    const int64_t n = std::min(chunk, decoder.total_values() - done);
    SLUICE_RETURN_IF_ERROR(decoder.Decode(n, out->data() + done));
    done += n;
    chunk = chunk * 5 % 301 + 1;
  }
  return Status::Ok();
}

template <typename T>
std::vector<std::vector<T>> TestSequences() {
  using Limits = std::numeric_limits<T>;
  std::mt19937_64 rng(42);
  std::vector<std::vector<T>> sequences;
  for (int64_t count : {0, 1, 2, 3, 31, 32, 33, 127, 128, 129, 130, 255, 256, 257, 1000, 4099}) {
    std::vector<T> small(count);
    std::vector<T> random(count);
    std::vector<T> extreme(count);
    std::vector<T> sorted(count);
    T acc = 1'000'000;
    for (int64_t i = 0; i < count; ++i) {
      small[i] = static_cast<T>(static_cast<int64_t>(rng() % 200) - 100);
      random[i] = static_cast<T>(rng());
      const T choices[] = {Limits::min(), Limits::max(), 0, -1, 1, static_cast<T>(rng())};
      extreme[i] = choices[rng() % 6];
      acc = static_cast<T>(acc + static_cast<T>(rng() % 1000));
      sorted[i] = acc;
    }
    sequences.push_back(small);
    sequences.push_back(random);
    sequences.push_back(extreme);
    sequences.push_back(sorted);
  }
  // Alternating extremes make every delta overflow.
  std::vector<T> alternating(300);
  for (size_t i = 0; i < alternating.size(); ++i) {
    alternating[i] = i % 2 == 0 ? Limits::min() : Limits::max();
  }
  sequences.push_back(alternating);
  return sequences;
}

TEST(DeltaTest, DecodesSpecExampleOne) {
  // Encodings.md example 1: 1..5 with block size 8, one miniblock; header 8, 1, 5,
  // zigzag(1) = 2; block: zigzag(min delta 1) = 2, bit width 0, no data.
  const std::vector<uint8_t> data = {0x08, 0x01, 0x05, 0x02, 0x02, 0x00};
  DeltaBinaryPackedDecoder<int32_t> decoder;
  ASSERT_TRUE(decoder.Init(data.data(), static_cast<int64_t>(data.size())).ok());
  EXPECT_EQ(decoder.total_values(), 5);
  std::vector<int32_t> out(5);
  ASSERT_TRUE(decoder.Decode(5, out.data()).ok());
  EXPECT_THAT(out, ::testing::ElementsAre(1, 2, 3, 4, 5));
  Result<int64_t> consumed = decoder.ConsumedBytes();
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(*consumed, 6);
}

TEST(DeltaTest, DecodesSpecExampleTwo) {
  // Encodings.md example 2: 7, 5, 3, 1, 2, 3, 4, 5; first value zigzag(7) = 14, min delta
  // zigzag(-2) = 3, bit width 2, relative deltas 0, 0, 0, 3, 3, 3, 3 and one padding 0
  // packed LSB first: 0xC0 0x3F.
  const std::vector<uint8_t> data = {0x08, 0x01, 0x08, 0x0E, 0x03, 0x02, 0xC0, 0x3F};
  std::vector<int64_t> out;
  ASSERT_TRUE(DecodeAll<int64_t>(data.data(), static_cast<int64_t>(data.size()), &out).ok());
  EXPECT_THAT(out, ::testing::ElementsAre(7, 5, 3, 1, 2, 3, 4, 5));
}

TEST(DeltaTest, EncodesInBlocksOf128WithFourMiniblocks) {
  // Header 128 (0x80 0x01), 4 miniblocks, 5 values, zigzag(1); one block: min delta 1,
  // four bit widths of 0, no data.
  const std::vector<int32_t> values = {1, 2, 3, 4, 5};
  EXPECT_EQ(EncodeValues(values), std::string("\x80\x01\x04\x05\x02\x02\x00\x00\x00\x00", 10));
  const std::vector<int64_t> one = {-3};
  EXPECT_EQ(EncodeValues(one), std::string("\x80\x01\x04\x01\x05", 5));
  const std::vector<int64_t> none;
  EXPECT_EQ(EncodeValues(none), std::string("\x80\x01\x04\x00\x00", 5));
}

TEST(DeltaTest, RoundTripsInt32IncludingWraparound) {
  for (const auto& values : TestSequences<int32_t>()) {
    const std::string encoded = EncodeValues(values);
    std::vector<int32_t> out;
    ASSERT_TRUE(DecodeAll<int32_t>(U8(encoded), static_cast<int64_t>(encoded.size()), &out).ok());
    ASSERT_EQ(out, values);
  }
}

TEST(DeltaTest, RoundTripsInt64IncludingWraparound) {
  for (const auto& values : TestSequences<int64_t>()) {
    const std::string encoded = EncodeValues(values);
    std::vector<int64_t> out;
    ASSERT_TRUE(DecodeAll<int64_t>(U8(encoded), static_cast<int64_t>(encoded.size()), &out).ok());
    ASSERT_EQ(out, values);
  }
}

TEST(DeltaTest, ConsumedBytesIsTheEncodingSizeWhateverFollows) {
  for (const auto& values : TestSequences<int64_t>()) {
    const std::string encoded = EncodeValues(values);
    const std::string followed = encoded + "trailing bytes";
    for (int64_t decode_first : {int64_t{0}, int64_t{1}, static_cast<int64_t>(values.size() / 2)}) {
      DeltaBinaryPackedDecoder<int64_t> decoder;
      ASSERT_TRUE(decoder.Init(U8(followed), static_cast<int64_t>(followed.size())).ok());
      std::vector<int64_t> out(values.size());
      decode_first = std::min<int64_t>(decode_first, static_cast<int64_t>(values.size()));
      ASSERT_TRUE(decoder.Decode(decode_first, out.data()).ok());
      Result<int64_t> consumed = decoder.ConsumedBytes();
      ASSERT_TRUE(consumed.ok()) << consumed.status().ToString();
      EXPECT_EQ(*consumed, static_cast<int64_t>(encoded.size()));
      EXPECT_EQ(decoder.Decode(1, out.data()).code(), StatusCode::kCorruption);
    }
  }
}

TEST(DeltaTest, AcceptsArbitraryPaddingBitsAndUnusedBitWidths) {
  // Block of 8 in 1 miniblock... here 2 miniblocks of 8: 3 values need only the first;
  // the second's bit width byte says 0xFF but has no body. Deltas relative 0, 0 with
  // padding bits all set in the first miniblock (bit width 1, one byte).
  const std::vector<uint8_t> data = {0x10, 0x02, 0x03, 0x00, 0x02, 0x01, 0xFF, 0xFC};
  DeltaBinaryPackedDecoder<int32_t> decoder;
  ASSERT_TRUE(decoder.Init(data.data(), static_cast<int64_t>(data.size())).ok());
  std::vector<int32_t> out(3);
  ASSERT_TRUE(decoder.Decode(3, out.data()).ok());
  EXPECT_THAT(out, ::testing::ElementsAre(0, 1, 2));
  Result<int64_t> consumed = decoder.ConsumedBytes();
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(*consumed, 8);
}

TEST(DeltaTest, ReadsMinDeltaWrittenInSixtyFourBitsForInt32) {
  // An INT32 writer computing in 64 bits: 0, then INT32_MAX; min delta 2^31 - 1 is fine
  // either way, and -2^32 + 1 (from INT32_MAX down to INT32_MIN... as 64-bit) wraps.
  const std::vector<int32_t> values = {std::numeric_limits<int32_t>::max(),
                                       std::numeric_limits<int32_t>::min()};
  // Header 8, 1, 2, zigzag(INT32_MAX) = 2^32 - 2; block: min delta -(2^32 - 1) as zigzag
  // 2^33 - 3, bit width 0.
  std::string data("\x08\x01\x02", 3);
  data += std::string("\xFE\xFF\xFF\xFF\x0F", 5);
  data += std::string("\xFD\xFF\xFF\xFF\x1F", 5);
  data += std::string("\x00", 1);
  std::vector<int32_t> out;
  ASSERT_TRUE(DecodeAll<int32_t>(U8(data), static_cast<int64_t>(data.size()), &out).ok());
  EXPECT_EQ(out, values);
}

TEST(DeltaTest, MalformedHeadersAreCorruption) {
  auto init = [](const std::string& bytes) {
    DeltaBinaryPackedDecoder<int64_t> decoder;
    return decoder.Init(U8(bytes), static_cast<int64_t>(bytes.size()));
  };
  EXPECT_EQ(init(std::string("\x00\x01\x01\x00", 4)).code(), StatusCode::kCorruption);
  EXPECT_EQ(init(std::string("\x08\x00\x01\x00", 4)).code(), StatusCode::kCorruption);
  EXPECT_EQ(init(std::string("\x08\x03\x01\x00", 4)).code(), StatusCode::kCorruption);
  // 12 values per miniblock cannot be bit-packed in whole bytes.
  EXPECT_EQ(init(std::string("\x18\x02\x01\x00", 4)).code(), StatusCode::kCorruption);
  EXPECT_EQ(init(std::string("\x08\x01", 2)).code(), StatusCode::kCorruption);
  EXPECT_EQ(
      init(std::string("\x08\x01\x01\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01", 14)).code(),
      StatusCode::kCorruption);
  EXPECT_EQ(init(std::string()).code(), StatusCode::kCorruption);
  // 2^31 values announced with no blocks following.
  const Status status = init(std::string("\x80\x01\x04\x80\x80\x80\x80\x08\x00", 9));
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  const Status huge = init(std::string("\x80\x01\x04\xFF\xFF\xFF\xFF\x07\x00", 9));
  EXPECT_EQ(huge.code(), StatusCode::kCorruption);
  EXPECT_NE(huge.message().find("header announces"), std::string::npos) << huge.ToString();
}

TEST(DeltaTest, MiniblockBitWidthAboveTheTypeIsCorruption) {
  // Block of 8 in one miniblock, 2 values, bit width 70.
  std::string data("\x08\x01\x02\x00\x00\x46", 6);
  data += std::string(70, '\0');
  DeltaBinaryPackedDecoder<int64_t> decoder;
  ASSERT_TRUE(decoder.Init(U8(data), static_cast<int64_t>(data.size())).ok());
  int64_t out[2];
  const Status status = decoder.Decode(2, out);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("miniblock bit width 70 exceeds 64"), std::string::npos)
      << status.ToString();

  data[5] = 33;
  DeltaBinaryPackedDecoder<int32_t> narrow;
  ASSERT_TRUE(narrow.Init(U8(data), static_cast<int64_t>(data.size())).ok());
  int32_t narrow_out[2];
  EXPECT_EQ(narrow.Decode(2, narrow_out).code(), StatusCode::kCorruption);
}

TEST(DeltaTest, RequestingMoreThanTheTotalIsCorruption) {
  const std::string encoded = EncodeValues(std::vector<int32_t>{1, 2, 3});
  DeltaBinaryPackedDecoder<int32_t> decoder;
  ASSERT_TRUE(decoder.Init(U8(encoded), static_cast<int64_t>(encoded.size())).ok());
  int32_t out[4];
  EXPECT_EQ(decoder.Decode(4, out).code(), StatusCode::kCorruption);
  EXPECT_TRUE(decoder.Decode(3, out).ok());
  DeltaBinaryPackedDecoder<int32_t> uninitialized;
  EXPECT_EQ(uninitialized.Decode(1, out).code(), StatusCode::kCorruption);
}

TEST(DeltaTest, TruncatedInputIsCorruptionOrDecodesCorrectly) {
  std::mt19937 rng(5);
  std::vector<int64_t> values(300);
  for (auto& v : values) {
    v = static_cast<int64_t>(rng() % 100000) - 50000;
  }
  values[77] = std::numeric_limits<int64_t>::min();
  const std::string encoded = EncodeValues(values);
  for (size_t length = 0; length < encoded.size(); ++length) {
    const std::vector<uint8_t> data(encoded.begin(), encoded.begin() + length);
    std::vector<int64_t> out;
    const Status status = DecodeAll<int64_t>(data.data(), static_cast<int64_t>(length), &out);
    if (status.ok()) {
      EXPECT_EQ(out, values) << "length " << length;
    } else {
      EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
    }
    DeltaBinaryPackedDecoder<int64_t> decoder;
    if (decoder.Init(data.data(), static_cast<int64_t>(length)).ok()) {
      EXPECT_FALSE(decoder.ConsumedBytes().ok()) << "length " << length;
    }
  }
}

TEST(DeltaTest, RandomBytesNeverCrash) {
  std::mt19937 rng(77);
  std::vector<int64_t> out(600);
  std::vector<int32_t> out32(600);
  for (int trial = 0; trial < 5000; ++trial) {
    std::vector<uint8_t> data(rng() % 48);
    for (auto& b : data) {
      b = static_cast<uint8_t>(rng() % 4 == 0 ? rng() % 8 : rng());
    }
    // Plausible headers more often than chance would give.
    if (data.size() >= 2 && trial % 2 == 0) {
      data[0] = 0x08;
      data[1] = 0x01;
    }
    DeltaBinaryPackedDecoder<int64_t> decoder;
    if (decoder.Init(data.data(), static_cast<int64_t>(data.size())).ok()) {
      const int64_t n = std::min<int64_t>(decoder.total_values(), 600);
      const Status status = decoder.Decode(n, out.data());
      EXPECT_TRUE(status.ok() || status.code() == StatusCode::kCorruption);
      decoder.ConsumedBytes().status().IgnoreError();  // only checking it does not crash
    }
    DeltaBinaryPackedDecoder<int32_t> narrow;
    if (narrow.Init(data.data(), static_cast<int64_t>(data.size())).ok()) {
      const int64_t n = std::min<int64_t>(narrow.total_values(), 600);
      narrow.Decode(n, out32.data()).IgnoreError();  // only checking it does not crash
    }
    std::vector<std::string_view> views;
    std::string storage;
    DecodeDeltaLengthByteArray(data.data(), static_cast<int64_t>(data.size()), 1 + rng() % 20,
                               &views)
        .IgnoreError();  // only checking it does not crash
    DecodeDeltaByteArray(data.data(), static_cast<int64_t>(data.size()), 1 + rng() % 20, &storage,
                         &views)
        .IgnoreError();  // only checking it does not crash
  }
}

std::vector<std::string> RandomStrings(int64_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> strings;
  std::string previous;
  for (int64_t i = 0; i < count; ++i) {
    // Share a random part of the previous string, then add random bytes (any byte).
    std::string s = previous.substr(0, rng() % (previous.size() + 1));
    const int64_t extra = rng() % 4 == 0 ? 0 : rng() % 30;
    for (int64_t j = 0; j < extra; ++j) {
      s.push_back(static_cast<char>(rng()));
    }
    strings.push_back(s);
    previous = s;
  }
  return strings;
}

std::vector<std::string_view> Views(const std::vector<std::string>& strings) {
  return std::vector<std::string_view>(strings.begin(), strings.end());
}

TEST(DeltaTest, DeltaLengthByteArrayMatchesTheSpecExample) {
  const std::vector<std::string_view> values = {"Hello", "World", "Foobar", "ABCDEF"};
  std::string encoded;
  EncodeDeltaLengthByteArray(values.data(), 4, &encoded);
  EXPECT_EQ(encoded, EncodeValues(std::vector<int32_t>{5, 5, 6, 6}) + "HelloWorldFoobarABCDEF");
  std::vector<std::string_view> out;
  ASSERT_TRUE(
      DecodeDeltaLengthByteArray(U8(encoded), static_cast<int64_t>(encoded.size()), 4, &out).ok());
  EXPECT_EQ(out, values);
}

TEST(DeltaTest, DeltaByteArrayMatchesTheSpecExample) {
  const std::vector<std::string_view> values = {"axis", "axle", "babble", "babyhood"};
  std::string encoded;
  EncodeDeltaByteArray(values.data(), 4, &encoded);
  EXPECT_EQ(encoded, EncodeValues(std::vector<int32_t>{0, 2, 0, 3}) +
                         EncodeValues(std::vector<int32_t>{4, 2, 6, 5}) + "axislebabbleyhood");
  std::string storage;
  std::vector<std::string_view> out;
  ASSERT_TRUE(
      DecodeDeltaByteArray(U8(encoded), static_cast<int64_t>(encoded.size()), 4, &storage, &out)
          .ok());
  EXPECT_EQ(out, values);
}

TEST(DeltaTest, ByteArrayEncodingsRoundTripRandomStrings) {
  for (int64_t count : {1, 2, 127, 128, 129, 1000, 3001}) {
    const std::vector<std::string> strings = RandomStrings(count, static_cast<uint32_t>(count));
    const std::vector<std::string_view> values = Views(strings);
    std::string lengths_encoded;
    EncodeDeltaLengthByteArray(values.data(), count, &lengths_encoded);
    std::vector<std::string_view> out = {"kept"};
    ASSERT_TRUE(DecodeDeltaLengthByteArray(
                    U8(lengths_encoded), static_cast<int64_t>(lengths_encoded.size()), count, &out)
                    .ok());
    ASSERT_EQ(out.size(), values.size() + 1);
    EXPECT_EQ(out[0], "kept");
    EXPECT_EQ(std::vector<std::string_view>(out.begin() + 1, out.end()), values);

    std::string prefix_encoded;
    EncodeDeltaByteArray(values.data(), count, &prefix_encoded);
    std::string storage = "stale";
    out.clear();
    ASSERT_TRUE(DecodeDeltaByteArray(U8(prefix_encoded),
                                     static_cast<int64_t>(prefix_encoded.size()), count, &storage,
                                     &out)
                    .ok());
    EXPECT_EQ(out, values);
    // Fewer values than encoded decode too (a page's values after its nulls).
    out.clear();
    ASSERT_TRUE(DecodeDeltaByteArray(U8(prefix_encoded),
                                     static_cast<int64_t>(prefix_encoded.size()), count / 2 + 1,
                                     &storage, &out)
                    .ok());
    EXPECT_EQ(out, std::vector<std::string_view>(values.begin(), values.begin() + count / 2 + 1));
  }
}

TEST(DeltaTest, ByteArrayDecodersRejectMoreValuesThanEncoded) {
  const std::vector<std::string_view> values = {"a", "ab"};
  std::string encoded;
  EncodeDeltaByteArray(values.data(), 2, &encoded);
  std::string storage;
  std::vector<std::string_view> out;
  EXPECT_EQ(
      DecodeDeltaByteArray(U8(encoded), static_cast<int64_t>(encoded.size()), 3, &storage, &out)
          .code(),
      StatusCode::kCorruption);
  encoded.clear();
  EncodeDeltaLengthByteArray(values.data(), 2, &encoded);
  EXPECT_EQ(
      DecodeDeltaLengthByteArray(U8(encoded), static_cast<int64_t>(encoded.size()), 3, &out).code(),
      StatusCode::kCorruption);
}

TEST(DeltaTest, PrefixLongerThanThePreviousValueIsCorruption) {
  std::string encoded =
      EncodeValues(std::vector<int32_t>{0, 5}) + EncodeValues(std::vector<int32_t>{2, 1}) + "abc";
  std::string storage;
  std::vector<std::string_view> out;
  const Status status =
      DecodeDeltaByteArray(U8(encoded), static_cast<int64_t>(encoded.size()), 2, &storage, &out);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("prefix length 5"), std::string::npos) << status.ToString();
}

TEST(DeltaTest, NegativeOrOverlongLengthsAreCorruption) {
  std::vector<std::string_view> out;
  std::string negative = EncodeValues(std::vector<int32_t>{3, -1}) + "abc";
  EXPECT_EQ(DecodeDeltaLengthByteArray(U8(negative), static_cast<int64_t>(negative.size()), 2, &out)
                .code(),
            StatusCode::kCorruption);
  std::string overlong = EncodeValues(std::vector<int32_t>{3, 4}) + "abcdef";
  EXPECT_EQ(DecodeDeltaLengthByteArray(U8(overlong), static_cast<int64_t>(overlong.size()), 2, &out)
                .code(),
            StatusCode::kCorruption);
  std::string storage;
  std::string missing_suffix = EncodeValues(std::vector<int32_t>{0, 0}) +
                               EncodeValues(std::vector<int32_t>{3, 4}) + "abcdef";
  EXPECT_EQ(DecodeDeltaByteArray(U8(missing_suffix), static_cast<int64_t>(missing_suffix.size()), 2,
                                 &storage, &out)
                .code(),
            StatusCode::kCorruption);
}

TEST(DeltaTest, QuadraticPrefixBlowUpIsRejectedBeforeAllocating) {
  // Value i repeats all of value i-1 and adds one byte: n bytes of input rebuild to
  // n^2 / 2 bytes.
  const int64_t n = 300'000;
  std::vector<int32_t> prefixes(n);
  for (int64_t i = 0; i < n; ++i) {
    prefixes[i] = static_cast<int32_t>(i);
  }
  std::string encoded = EncodeValues(prefixes) + EncodeValues(std::vector<int32_t>(n, 1)) +
                        std::string(static_cast<size_t>(n), 'x');
  std::string storage;
  std::vector<std::string_view> out;
  const Status status =
      DecodeDeltaByteArray(U8(encoded), static_cast<int64_t>(encoded.size()), n, &storage, &out);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_LT(storage.capacity(), size_t{1} << 30);
}

TEST(DeltaTest, TruncatedByteArrayEncodingsAreCorruptionOrDecodeCorrectly) {
  const std::vector<std::string> strings = RandomStrings(150, 9);
  const std::vector<std::string_view> values = Views(strings);
  std::string lengths_encoded;
  EncodeDeltaLengthByteArray(values.data(), 150, &lengths_encoded);
  std::string prefix_encoded;
  EncodeDeltaByteArray(values.data(), 150, &prefix_encoded);
  for (const std::string* encoded : {&lengths_encoded, &prefix_encoded}) {
    for (size_t length = 0; length < encoded->size(); ++length) {
      const std::vector<uint8_t> data(encoded->begin(), encoded->begin() + length);
      std::vector<std::string_view> out;
      std::string storage;
      const Status status =
          encoded == &lengths_encoded
              ? DecodeDeltaLengthByteArray(data.data(), static_cast<int64_t>(length), 150, &out)
              : DecodeDeltaByteArray(data.data(), static_cast<int64_t>(length), 150, &storage,
                                     &out);
      if (status.ok()) {
        EXPECT_EQ(out, values);
      } else {
        EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
      }
    }
  }
}

TEST(DeltaTest, EmptyAndZeroCountInputs) {
  std::vector<std::string_view> out;
  std::string storage = "x";
  EXPECT_TRUE(DecodeDeltaLengthByteArray(nullptr, 0, 0, &out).ok());
  EXPECT_TRUE(DecodeDeltaByteArray(nullptr, 0, 0, &storage, &out).ok());
  EXPECT_TRUE(storage.empty());
  EXPECT_EQ(DecodeDeltaLengthByteArray(nullptr, 0, 1, &out).code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeDeltaByteArray(nullptr, 0, 1, &storage, &out).code(), StatusCode::kCorruption);
  EXPECT_TRUE(out.empty());
  std::string encoded;
  EncodeDeltaByteArray(nullptr, 0, &encoded);
  EXPECT_EQ(encoded, EncodeValues(std::vector<int32_t>{}) + EncodeValues(std::vector<int32_t>{}));
}

using Column = std::vector<std::optional<std::string>>;

// Reads a CSV file of parquet-testing's *_expect.csv kind into columns (skipping the
// header row); an empty unquoted field is null.
std::vector<Column> ReadExpectedCsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<Column> columns;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    std::vector<std::optional<std::string>> fields;
    std::string field;
    bool quoted = false;
    bool in_quotes = false;
    for (size_t i = 0; i <= line.size(); ++i) {
      const char c = i < line.size() ? line[i] : ',';
      if (in_quotes) {
        if (c == '"') {
          in_quotes = false;
        } else {
          field.push_back(c);
        }
      } else if (c == '"') {
        in_quotes = true;
        quoted = true;
      } else if (c == ',') {
        fields.push_back(field.empty() && !quoted ? std::nullopt
                                                  : std::optional<std::string>(field));
        field.clear();
        quoted = false;
      } else if (c != '\r') {
        field.push_back(c);
      }
    }
    if (header) {
      columns.resize(fields.size());
      header = false;
      continue;
    }
    for (size_t c = 0; c < columns.size() && c < fields.size(); ++c) {
      columns[c].push_back(fields[c]);
    }
  }
  return columns;
}

// Decodes the values section of one page (`count` non-null values) as strings.
void DecodePageValues(format::Type::type type, format::Encoding::type encoding,
                      std::string_view values, int64_t count, Column* out) {
  const uint8_t* data = reinterpret_cast<const uint8_t*>(values.data());
  const int64_t size = static_cast<int64_t>(values.size());
  if (encoding == format::Encoding::DELTA_BINARY_PACKED) {
    ASSERT_TRUE(type == format::Type::INT32 || type == format::Type::INT64);
    std::vector<int64_t> decoded(count);
    Result<int64_t> consumed = Status::Internal("not decoded");
    if (type == format::Type::INT32) {
      DeltaBinaryPackedDecoder<int32_t> decoder;
      ASSERT_TRUE(decoder.Init(data, size).ok());
      std::vector<int32_t> narrow(count);
      ASSERT_TRUE(decoder.Decode(count, narrow.data()).ok());
      decoded.assign(narrow.begin(), narrow.end());
      consumed = decoder.ConsumedBytes();
    } else {
      DeltaBinaryPackedDecoder<int64_t> decoder;
      ASSERT_TRUE(decoder.Init(data, size).ok());
      ASSERT_TRUE(decoder.Decode(count, decoded.data()).ok());
      consumed = decoder.ConsumedBytes();
    }
    // parquet-mr's pages end exactly where the encoding does.
    ASSERT_TRUE(consumed.ok()) << consumed.status().ToString();
    EXPECT_EQ(*consumed, size);
    for (int64_t v : decoded) {
      out->push_back(std::to_string(v));
    }
    return;
  }
  std::vector<std::string_view> views;
  std::string storage;
  if (encoding == format::Encoding::DELTA_LENGTH_BYTE_ARRAY) {
    ASSERT_TRUE(DecodeDeltaLengthByteArray(data, size, count, &views).ok());
  } else {
    ASSERT_EQ(encoding, format::Encoding::DELTA_BYTE_ARRAY);
    const Status status = DecodeDeltaByteArray(data, size, count, &storage, &views);
    ASSERT_TRUE(status.ok()) << status.ToString();
  }
  for (std::string_view v : views) {
    out->push_back(std::string(v));
  }
}

// Decodes every column of the first row group of a flat file whose data pages are
// uncompressed DATA_PAGE_V2 pages (as parquet-mr wrote the delta test files), reading
// the definition levels with the RLE decoder.
void DecodeFlatFile(const std::string& path, std::vector<Column>* columns) {
  std::ifstream in(path, std::ios::binary);
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(file.size(), 12u) << path;
  uint32_t footer_size = 0;
  std::memcpy(&footer_size, file.data() + file.size() - 8, 4);
  format::FileMetaData metadata;
  ASSERT_TRUE(
      DeserializeThrift(std::string_view(file).substr(file.size() - 8 - footer_size, footer_size),
                        "file footer", &metadata)
          .ok());
  const auto& chunks = metadata.row_groups.at(0).columns;
  for (size_t c = 0; c < chunks.size(); ++c) {
    const format::ColumnMetaData& meta = chunks[c].meta_data;
    ASSERT_EQ(meta.codec, format::CompressionCodec::UNCOMPRESSED);
    const bool optional =
        metadata.schema.at(c + 1).repetition_type == format::FieldRepetitionType::OPTIONAL;
    Column column;
    int64_t offset = meta.data_page_offset;
    while (static_cast<int64_t>(column.size()) < meta.num_values) {
      format::PageHeader header;
      uint32_t header_size = 0;
      ASSERT_TRUE(DeserializeThrift(std::string_view(file).substr(offset), "page header", &header,
                                    &header_size)
                      .ok());
      const std::string_view page =
          std::string_view(file).substr(offset + header_size, header.compressed_page_size);
      offset += header_size + header.compressed_page_size;
      ASSERT_EQ(header.type, format::PageType::DATA_PAGE_V2);
      const format::DataPageHeaderV2& v2 = header.data_page_header_v2;
      ASSERT_EQ(v2.repetition_levels_byte_length, 0);
      std::vector<int16_t> levels(v2.num_values, 1);
      if (optional) {
        RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(page.data()),
                                    v2.definition_levels_byte_length, 1);
        ASSERT_TRUE(decoder.DecodeLevels(v2.num_values, levels.data()).ok());
      }
      const int64_t present = std::count(levels.begin(), levels.end(), int16_t{1});
      ASSERT_EQ(present, v2.num_values - v2.num_nulls);
      Column values;
      DecodePageValues(meta.type, v2.encoding, page.substr(v2.definition_levels_byte_length),
                       present, &values);
      size_t next = 0;
      for (int16_t level : levels) {
        column.push_back(level == 1 ? values.at(next++) : std::nullopt);
      }
    }
    columns->push_back(std::move(column));
  }
}

TEST(DeltaTest, DecodesParquetMrFilesAsTheirExpectations) {
  const std::string dir = std::string(SLUICE_TESTDATA_DIR) + "/parquet-testing/data/";
  for (const char* name : {"delta_binary_packed", "delta_byte_array",
                           "delta_encoding_required_column", "delta_encoding_optional_column"}) {
    std::vector<Column> columns;
    DecodeFlatFile(dir + name + ".parquet", &columns);
    const std::vector<Column> expected = ReadExpectedCsv(dir + name + "_expect.csv");
    ASSERT_EQ(columns.size(), expected.size()) << name;
    ASSERT_FALSE(columns.empty()) << name;
    for (size_t c = 0; c < columns.size(); ++c) {
      ASSERT_GE(columns[c].size(), 100u) << name;
      ASSERT_EQ(columns[c], expected[c]) << name << " column " << c;
    }
  }
}

}  // namespace
}  // namespace sluice::parquet
