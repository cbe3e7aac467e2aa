// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/compression.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "formats/parquet/thrift_io.h"

namespace sluice::parquet {
namespace {

using CompressionCodec = format::CompressionCodec;

constexpr Codec kWritableCodecs[] = {
    CompressionCodec::UNCOMPRESSED, CompressionCodec::SNAPPY, CompressionCodec::GZIP,
    CompressionCodec::BROTLI,       CompressionCodec::ZSTD,   CompressionCodec::LZ4_RAW,
};

constexpr int64_t kMiB = 1 << 20;

std::string RandomBytes(int64_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string bytes(static_cast<size_t>(size), '\0');
  for (char& c : bytes) {
    c = static_cast<char>(rng());
  }
  return bytes;
}

// Column-like data: little-endian integers from a small range and a few repeated strings.
std::string RepetitiveBytes(int64_t size) {
  static const char* const kWords[] = {"bid", "auction", "channel-1", "https://example.com/x"};
  std::string bytes;
  bytes.reserve(static_cast<size_t>(size));
  for (uint64_t i = 0; static_cast<int64_t>(bytes.size()) < size; ++i) {
    const uint64_t number = i % 100;
    bytes.append(reinterpret_cast<const char*>(&number), sizeof(number));
    bytes.append(kWords[i % 4]);
  }
  bytes.resize(static_cast<size_t>(size));
  return bytes;
}

// Text-like data: words drawn at random, skewed towards a few, from a vocabulary of 1000
// made-up words; compresses better the harder a codec works.
std::string WordSoup(int64_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> vocabulary;
  for (int i = 0; i < 1000; ++i) {
    std::string word;
    for (uint32_t length = 3 + rng() % 8; length > 0; --length) {
      word += static_cast<char>('a' + rng() % 26);
    }
    vocabulary.push_back(word);
  }
  std::geometric_distribution<int> pick(0.01);
  std::string text;
  while (static_cast<int64_t>(text.size()) < size) {
    text += vocabulary[static_cast<size_t>(pick(rng)) % vocabulary.size()];
    text += ' ';
  }
  text.resize(static_cast<size_t>(size));
  return text;
}

// Decompresses into a heap buffer of exactly `output_size` bytes, so that ASan reports any
// write past it.
Status DecompressTo(Codec codec, std::string_view input, int64_t output_size,
                    std::string* decoded) {
  auto buffer = std::make_unique<uint8_t[]>(static_cast<size_t>(output_size));
  Status status = Decompress(codec, input, buffer.get(), output_size);
  decoded->assign(reinterpret_cast<const char*>(buffer.get()), static_cast<size_t>(output_size));
  return status;
}

std::string MustCompress(Codec codec, std::string_view input,
                         int level = kDefaultCompressionLevel) {
  std::string out;
  Status status = Compress(codec, level, input, &out);
  EXPECT_TRUE(status.ok()) << CodecName(codec) << ": " << status.ToString();
  return out;
}

void AppendBigEndian32(uint32_t value, std::string* out) {
  const char bytes[4] = {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
                         static_cast<char>(value >> 8), static_cast<char>(value)};
  out->append(bytes, 4);
}

// Hadoop's LZ4 framing, built by hand: one block per entry of `blocks`, each block split
// into chunks of at most `chunk_size` bytes, each chunk a raw LZ4 block.
std::string HadoopLz4(const std::vector<std::string_view>& blocks, size_t chunk_size) {
  std::string framed;
  for (std::string_view block : blocks) {
    AppendBigEndian32(static_cast<uint32_t>(block.size()), &framed);
    size_t offset = 0;
    do {
      const std::string chunk =
          MustCompress(CompressionCodec::LZ4_RAW, block.substr(offset, chunk_size));
      AppendBigEndian32(static_cast<uint32_t>(chunk.size()), &framed);
      framed += chunk;
      offset += chunk_size;
    } while (offset < block.size());
  }
  return framed;
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

// Decompresses every page of every column chunk of the Parquet file at `path` (relative to
// the test data) and returns how many pages were decoded; records a test failure for each
// page that does not decompress to the size its header states.
int64_t DecompressEveryPage(const std::string& path, std::vector<std::string>* pages = nullptr) {
  const std::string file = ReadWholeFile(std::string(SLUICE_TESTDATA_DIR) + "/" + path);
  if (file.size() < 12 || file.compare(file.size() - 4, 4, "PAR1") != 0) {
    ADD_FAILURE() << path << ": not a Parquet file";
    return 0;
  }
  uint32_t footer_size = 0;
  std::memcpy(&footer_size, file.data() + file.size() - 8, 4);
  format::FileMetaData metadata;
  Status status =
      DeserializeThrift(std::string_view(file).substr(file.size() - 8 - footer_size, footer_size),
                        "footer", &metadata);
  if (!status.ok()) {
    ADD_FAILURE() << path << ": " << status.ToString();
    return 0;
  }
  int64_t decoded_pages = 0;
  for (const format::RowGroup& row_group : metadata.row_groups) {
    for (const format::ColumnChunk& column : row_group.columns) {
      const format::ColumnMetaData& chunk = column.meta_data;
      int64_t pos = chunk.data_page_offset;
      if (chunk.__isset.dictionary_page_offset && chunk.dictionary_page_offset > 0) {
        pos = std::min(pos, chunk.dictionary_page_offset);
      }
      const int64_t end = pos + chunk.total_compressed_size;
      while (pos < end) {
        format::PageHeader header;
        uint32_t header_size = 0;
        status = DeserializeThrift(std::string_view(file).substr(pos, end - pos), "page header",
                                   &header, &header_size);
        if (!status.ok()) {
          ADD_FAILURE() << path << ": " << status.ToString();
          return decoded_pages;
        }
        std::string_view body =
            std::string_view(file).substr(pos + header_size, header.compressed_page_size);
        int64_t output_size = header.uncompressed_page_size;
        bool compressed = true;
        if (header.type == format::PageType::DATA_PAGE_V2) {
          // A v2 page's levels come first and are never compressed.
          const format::DataPageHeaderV2& v2 = header.data_page_header_v2;
          const int64_t levels =
              v2.repetition_levels_byte_length + v2.definition_levels_byte_length;
          body.remove_prefix(levels);
          output_size -= levels;
          compressed = !v2.__isset.is_compressed || v2.is_compressed;
        }
        if (compressed) {
          std::string decoded;
          status = DecompressTo(chunk.codec, body, output_size, &decoded);
          EXPECT_TRUE(status.ok()) << path << " page at " << pos << ": " << status.ToString();
          if (pages != nullptr) {
            pages->push_back(std::move(decoded));
          }
          ++decoded_pages;
        }
        pos += header_size + header.compressed_page_size;
      }
    }
  }
  return decoded_pages;
}

TEST(CompressionTest, RoundTripsEveryWritableCodec) {
  const std::vector<std::string> inputs = {"", "x", "hello, parquet", RandomBytes(kMiB, 1),
                                           RepetitiveBytes(kMiB)};
  for (Codec codec : kWritableCodecs) {
    for (const std::string& input : inputs) {
      SCOPED_TRACE(::testing::Message() << CodecName(codec) << ", " << input.size() << " bytes");
      const std::string compressed = MustCompress(codec, input);
      std::string decoded;
      ASSERT_TRUE(
          DecompressTo(codec, compressed, static_cast<int64_t>(input.size()), &decoded).ok());
      EXPECT_TRUE(decoded == input);
    }
  }
}

TEST(CompressionTest, CompressingCodecsShrinkRepetitiveData) {
  const std::string input = RepetitiveBytes(kMiB);
  for (Codec codec : kWritableCodecs) {
    if (codec != CompressionCodec::UNCOMPRESSED) {
      EXPECT_LT(MustCompress(codec, input).size(), input.size() / 4) << CodecName(codec);
    }
  }
}

TEST(CompressionTest, RoundTripsAtExplicitLevels) {
  const std::string input = RepetitiveBytes(64 << 10) + RandomBytes(16 << 10, 2);
  const std::pair<Codec, int> cases[] = {
      {CompressionCodec::GZIP, 1},   {CompressionCodec::GZIP, 9},    {CompressionCodec::GZIP, 6},
      {CompressionCodec::ZSTD, 1},   {CompressionCodec::ZSTD, 19},   {CompressionCodec::ZSTD, 3},
      {CompressionCodec::BROTLI, 0}, {CompressionCodec::BROTLI, 11},
  };
  for (const auto& [codec, level] : cases) {
    SCOPED_TRACE(::testing::Message() << CodecName(codec) << " level " << level);
    const std::string compressed = MustCompress(codec, input, level);
    std::string decoded;
    ASSERT_TRUE(DecompressTo(codec, compressed, static_cast<int64_t>(input.size()), &decoded).ok());
    EXPECT_TRUE(decoded == input);
  }
}

TEST(CompressionTest, HigherLevelsCompressTextSmaller) {
  const std::string text = WordSoup(256 << 10, 8);
  const std::tuple<Codec, int, int> cases[] = {
      {CompressionCodec::GZIP, 1, 9},
      {CompressionCodec::ZSTD, 1, 19},
      {CompressionCodec::BROTLI, 0, 11},
  };
  for (const auto& [codec, low, high] : cases) {
    EXPECT_LT(MustCompress(codec, text, high).size(), MustCompress(codec, text, low).size())
        << CodecName(codec);
  }
}

TEST(CompressionTest, LevelOutOfRangeIsInvalidArgument) {
  const std::pair<Codec, int> cases[] = {
      {CompressionCodec::GZIP, 0},  {CompressionCodec::GZIP, 10},   {CompressionCodec::ZSTD, 0},
      {CompressionCodec::ZSTD, 23}, {CompressionCodec::BROTLI, -1}, {CompressionCodec::BROTLI, 12},
  };
  for (const auto& [codec, level] : cases) {
    std::string out;
    Status status = Compress(codec, level, "data", &out);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << CodecName(codec) << " " << level;
    EXPECT_NE(status.message().find(CodecName(codec)), std::string::npos) << status.ToString();
  }
  // Codecs without levels ignore the level.
  std::string out;
  EXPECT_TRUE(Compress(CompressionCodec::SNAPPY, 100, "data", &out).ok());
}

TEST(CompressionTest, CompressAppendsToTheOutput) {
  const std::string input = RepetitiveBytes(10000);
  for (Codec codec : kWritableCodecs) {
    std::string out = "header";
    ASSERT_TRUE(Compress(codec, kDefaultCompressionLevel, input, &out).ok());
    ASSERT_EQ(out.substr(0, 6), "header");
    std::string decoded;
    ASSERT_TRUE(DecompressTo(codec, std::string_view(out).substr(6),
                             static_cast<int64_t>(input.size()), &decoded)
                    .ok())
        << CodecName(codec);
    EXPECT_TRUE(decoded == input) << CodecName(codec);
  }
}

TEST(CompressionTest, HadoopLz4AndLzoAreNotWritable) {
  std::string out;
  Status status = Compress(CompressionCodec::LZ4, kDefaultCompressionLevel, "data", &out);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("LZ4_RAW"), std::string::npos) << status.ToString();
  status = Compress(CompressionCodec::LZO, kDefaultCompressionLevel, "data", &out);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(out.empty());
}

TEST(CompressionTest, LzoIsNotImplemented) {
  uint8_t output[4];
  Status status = Decompress(CompressionCodec::LZO, "abcd", output, sizeof(output));
  EXPECT_EQ(status.code(), StatusCode::kNotImplemented);
  EXPECT_EQ(status.message(), "LZO-compressed Parquet is not supported");
}

TEST(CompressionTest, UnknownCodecIsNotImplemented) {
  uint8_t output[4];
  const auto codec = static_cast<Codec>(7 + 1);
  EXPECT_EQ(Decompress(codec, "", output, 0).code(), StatusCode::kNotImplemented);
  std::string out;
  EXPECT_EQ(Compress(codec, kDefaultCompressionLevel, "", &out).code(),
            StatusCode::kInvalidArgument);
}

TEST(CompressionTest, WrongOutputSizeIsCorruptionNamingCodecAndSizes) {
  const std::string input = RepetitiveBytes(1000);
  std::vector<std::pair<Codec, std::string>> pages;
  for (Codec codec : kWritableCodecs) {
    pages.emplace_back(codec, MustCompress(codec, input));
  }
  pages.emplace_back(CompressionCodec::LZ4, HadoopLz4({input}, 1 << 20));
  for (const auto& [codec, page] : pages) {
    for (int64_t output_size : {int64_t{0}, int64_t{1}, int64_t{999}, int64_t{1001}, kMiB}) {
      SCOPED_TRACE(::testing::Message() << CodecName(codec) << " into " << output_size);
      std::string decoded;
      Status status = DecompressTo(codec, page, output_size, &decoded);
      EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
      EXPECT_NE(status.message().find(CodecName(codec)), std::string::npos) << status.ToString();
      EXPECT_NE(status.message().find("expected"), std::string::npos) << status.ToString();
    }
  }
}

TEST(CompressionTest, NegativeOutputSizeIsCorruption) {
  EXPECT_EQ(Decompress(CompressionCodec::SNAPPY, "", nullptr, -1).code(), StatusCode::kCorruption);
}

TEST(CompressionTest, TruncatedInputIsCorruption) {
  const std::string input = RepetitiveBytes(48 << 10) + RandomBytes(16 << 10, 3);
  std::vector<std::pair<Codec, std::string>> pages;
  for (Codec codec : kWritableCodecs) {
    pages.emplace_back(codec, MustCompress(codec, input));
  }
  pages.emplace_back(CompressionCodec::LZ4, HadoopLz4({input}, 1 << 20));
  for (const auto& [codec, page] : pages) {
    for (size_t length : {size_t{0}, size_t{1}, size_t{7}, page.size() / 2, page.size() - 1}) {
      SCOPED_TRACE(::testing::Message() << CodecName(codec) << " cut to " << length);
      std::string decoded;
      Status status = DecompressTo(codec, std::string_view(page).substr(0, length),
                                   static_cast<int64_t>(input.size()), &decoded);
      EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
      EXPECT_NE(status.message().find(CodecName(codec)), std::string::npos) << status.ToString();
    }
  }
}

TEST(CompressionTest, GarbageInputIsCorruption) {
  for (Codec codec : kWritableCodecs) {
    if (codec == CompressionCodec::UNCOMPRESSED) {
      continue;
    }
    for (int64_t size : {int64_t{1}, int64_t{16}, int64_t{4096}}) {
      std::string decoded;
      Status status =
          DecompressTo(codec, RandomBytes(size, static_cast<uint32_t>(size)), 4096, &decoded);
      EXPECT_EQ(status.code(), StatusCode::kCorruption)
          << CodecName(codec) << " " << size << ": " << status.ToString();
    }
  }
}

TEST(CompressionTest, DamagedInputNeverReadsOrWritesOutOfBounds) {
  // Without checksums a flipped byte may still decode; what matters is that no codec
  // crashes or overruns (ASan watches) and that every failure is kCorruption.
  const std::string input = RepetitiveBytes(24 << 10) + RandomBytes(8 << 10, 4);
  std::vector<std::pair<Codec, std::string>> pages;
  for (Codec codec : kWritableCodecs) {
    pages.emplace_back(codec, MustCompress(codec, input));
  }
  pages.emplace_back(CompressionCodec::LZ4, HadoopLz4({input}, 8 << 10));
  std::mt19937 rng(5);
  for (const auto& [codec, page] : pages) {
    for (int trial = 0; trial < 200; ++trial) {
      std::string damaged = page;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int i = 0; i < flips; ++i) {
        damaged[rng() % damaged.size()] ^= static_cast<char>(1 + rng() % 255);
      }
      std::string decoded;
      Status status = DecompressTo(codec, damaged, static_cast<int64_t>(input.size()), &decoded);
      EXPECT_TRUE(status.ok() || status.code() == StatusCode::kCorruption)
          << CodecName(codec) << ": " << status.ToString();
    }
  }
}

TEST(CompressionTest, SnappyDeclaringAHugeLengthIsCorruptionWithoutDecoding) {
  // Varint 0xFFFFFFFF: a 4 GiB page claimed by a 5-byte input.
  const std::string page("\xFF\xFF\xFF\xFF\x0F", 5);
  std::string decoded;
  Status status = DecompressTo(CompressionCodec::SNAPPY, page, 16, &decoded);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("expected 16 bytes, got 4294967295"), std::string::npos)
      << status.ToString();
}

TEST(CompressionTest, DecodesHandBuiltHadoopFramedLz4) {
  const std::string input = RepetitiveBytes(300 << 10) + RandomBytes(20 << 10, 6);
  const std::string_view view(input);
  // One block, one chunk (Arrow's framing); several blocks; blocks of several chunks
  // (Hadoop's BlockCompressorStream for writes larger than its buffer).
  const std::string framings[] = {
      HadoopLz4({view}, 1 << 20),
      HadoopLz4(
          {view.substr(0, 100 << 10), view.substr(100 << 10, 100 << 10), view.substr(200 << 10)},
          1 << 20),
      HadoopLz4({view.substr(0, 256 << 10), view.substr(256 << 10)}, 64 << 10),
  };
  for (const std::string& framed : framings) {
    std::string decoded;
    Status status =
        DecompressTo(CompressionCodec::LZ4, framed, static_cast<int64_t>(input.size()), &decoded);
    ASSERT_TRUE(status.ok()) << status.ToString();
    EXPECT_TRUE(decoded == input);
  }
}

TEST(CompressionTest, DecodesARawLz4BlockUnderTheHadoopCodec) {
  const std::string input = RepetitiveBytes(50000);
  std::string decoded;
  Status status =
      DecompressTo(CompressionCodec::LZ4, MustCompress(CompressionCodec::LZ4_RAW, input),
                   static_cast<int64_t>(input.size()), &decoded);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(decoded == input);
}

TEST(CompressionTest, DecodesEmptyHadoopLz4Pages) {
  uint8_t output[1];
  // Arrow's framing of an empty page: sizes 0 and 1, then an empty LZ4 block.
  EXPECT_TRUE(Decompress(CompressionCodec::LZ4, HadoopLz4({""}, 1 << 20), output, 0).ok());
  // Hadoop's: a zero block size alone.
  EXPECT_TRUE(Decompress(CompressionCodec::LZ4, std::string(4, '\0'), output, 0).ok());
}

TEST(CompressionTest, HadoopLz4BlockLargerThanThePageIsCorruption) {
  const std::string input = RepetitiveBytes(1000);
  std::string framed = HadoopLz4({input}, 1 << 20);
  framed[0] = '\x7F';  // the block now claims about 2 GiB
  std::string decoded;
  EXPECT_EQ(DecompressTo(CompressionCodec::LZ4, framed, 1000, &decoded).code(),
            StatusCode::kCorruption);
}

TEST(CompressionTest, DecodesConcatenatedGzipMembers) {
  const std::string first = RepetitiveBytes(70000);
  const std::string second = RandomBytes(5000, 7);
  const std::string page = MustCompress(CompressionCodec::GZIP, first) +
                           MustCompress(CompressionCodec::GZIP, second) +
                           MustCompress(CompressionCodec::GZIP, "");
  std::string decoded;
  Status status = DecompressTo(CompressionCodec::GZIP, page,
                               static_cast<int64_t>(first.size() + second.size()), &decoded);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(decoded == first + second);
}

TEST(CompressionTest, GzipCodecAlsoReadsZlibStreams) {
  const std::string input = RepetitiveBytes(20000);
  uLongf size = compressBound(static_cast<uLong>(input.size()));
  std::string page(size, '\0');
  ASSERT_EQ(
      compress(reinterpret_cast<Bytef*>(page.data()), &size,
               reinterpret_cast<const Bytef*>(input.data()), static_cast<uLong>(input.size())),
      Z_OK);
  page.resize(size);
  std::string decoded;
  ASSERT_TRUE(
      DecompressTo(CompressionCodec::GZIP, page, static_cast<int64_t>(input.size()), &decoded)
          .ok());
  EXPECT_TRUE(decoded == input);
}

TEST(CompressionTest, GzipWritesTheGzipFormat) {
  const std::string page = MustCompress(CompressionCodec::GZIP, "abc");
  ASSERT_GE(page.size(), 18u);
  EXPECT_EQ(static_cast<uint8_t>(page[0]), 0x1F);
  EXPECT_EQ(static_cast<uint8_t>(page[1]), 0x8B);
}

TEST(CompressionTest, NonEmptyZstdFrameOfAnEmptyPageDecodes) {
  const std::string frame = MustCompress(CompressionCodec::ZSTD, "");
  ASSERT_FALSE(frame.empty());
  EXPECT_TRUE(Decompress(CompressionCodec::ZSTD, frame, nullptr, 0).ok());
}

TEST(CompressionTest, EmptyInputIsAnEmptyPageForEveryCodec) {
  for (Codec codec : kWritableCodecs) {
    EXPECT_TRUE(Decompress(codec, "", nullptr, 0).ok()) << CodecName(codec);
  }
  EXPECT_TRUE(Decompress(CompressionCodec::LZ4, "", nullptr, 0).ok());
}

TEST(CompressionTest, DecodesConcatenatedGzipMembersFile) {
  std::vector<std::string> pages;
  EXPECT_EQ(DecompressEveryPage("parquet-testing/data/concatenated_gzip_members.parquet", &pages),
            1);
  // 513 UINT64 values 1..513, PLAIN-encoded; the second gzip member holds the tail.
  ASSERT_EQ(pages.size(), 1u);
  const std::string& page = pages[0];
  ASSERT_GE(page.size(), 513u * 8);
  const char* values = page.data() + page.size() - 513 * 8;
  for (uint64_t i = 0; i < 513; ++i) {
    uint64_t value = 0;
    std::memcpy(&value, values + i * 8, 8);
    ASSERT_EQ(value, i + 1) << "value " << i;
  }
}

TEST(CompressionTest, DecompressesEveryPageOfReferenceFiles) {
  const char* const kFiles[] = {
      "parquet-testing/data/hadoop_lz4_compressed.parquet",
      "parquet-testing/data/hadoop_lz4_compressed_larger.parquet",
      "parquet-testing/data/non_hadoop_lz4_compressed.parquet",
      "parquet-testing/data/lz4_raw_compressed.parquet",
      "parquet-testing/data/lz4_raw_compressed_larger.parquet",
      "parquet-testing/data/page_v2_empty_compressed.parquet",
      "parquet-testing/data/byte_stream_split.zstd.parquet",
      "parquet-testing/data/byte_stream_split_extended.gzip.parquet",
      "parquet-testing/data/datapage_v2.snappy.parquet",
      "parquet-testing/data/alltypes_plain.snappy.parquet",
      "parquet-testing/data/delta_length_byte_array.parquet",
      "parquet-duckdb/compression/generated/data_page=1_BROTLI.parquet",
      "parquet-duckdb/compression/generated/data_page=2_BROTLI.parquet",
      "parquet-duckdb/compression/generated/data_page=1_GZIP.parquet",
      "parquet-duckdb/compression/generated/data_page=2_GZIP.parquet",
      "parquet-duckdb/compression/generated/data_page=1_LZ4.parquet",
      "parquet-duckdb/compression/generated/data_page=2_LZ4.parquet",
      "parquet-duckdb/compression/generated/data_page=1_SNAPPY.parquet",
      "parquet-duckdb/compression/generated/data_page=2_ZSTD.parquet",
      "parquet-duckdb/compression/generated/data_page=1_NONE.parquet",
  };
  for (const char* file : kFiles) {
    EXPECT_GT(DecompressEveryPage(file), 0) << file;
  }
}

TEST(CompressionTest, ParseCodecAcceptsSparkNamesIgnoringCase) {
  const std::pair<const char*, Codec> cases[] = {
      {"none", CompressionCodec::UNCOMPRESSED}, {"uncompressed", CompressionCodec::UNCOMPRESSED},
      {"SNAPPY", CompressionCodec::SNAPPY},     {"gzip", CompressionCodec::GZIP},
      {"Brotli", CompressionCodec::BROTLI},     {"zstd", CompressionCodec::ZSTD},
      {"lz4_raw", CompressionCodec::LZ4_RAW},   {"LZ4RAW", CompressionCodec::LZ4_RAW},
  };
  for (const auto& [name, codec] : cases) {
    Result<Codec> parsed = ParseCodec(name);
    ASSERT_TRUE(parsed.ok()) << name << ": " << parsed.status().ToString();
    EXPECT_EQ(*parsed, codec) << name;
  }
}

TEST(CompressionTest, ParseCodecRejectsLz4PointingToLz4Raw) {
  Result<Codec> parsed = ParseCodec("LZ4");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("lz4_raw"), std::string::npos)
      << parsed.status().ToString();
}

TEST(CompressionTest, ParseCodecRejectsUnknownNames) {
  for (const char* name : {"", "lzo", "zstandard", "snappy "}) {
    Result<Codec> parsed = ParseCodec(name);
    ASSERT_FALSE(parsed.ok()) << name;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << name;
  }
  EXPECT_NE(ParseCodec("zip").status().message().find("'zip'"), std::string::npos);
}

TEST(CompressionTest, CodecNameIsTheFormatsName) {
  EXPECT_EQ(CodecName(CompressionCodec::UNCOMPRESSED), "UNCOMPRESSED");
  EXPECT_EQ(CodecName(CompressionCodec::SNAPPY), "SNAPPY");
  EXPECT_EQ(CodecName(CompressionCodec::GZIP), "GZIP");
  EXPECT_EQ(CodecName(CompressionCodec::LZO), "LZO");
  EXPECT_EQ(CodecName(CompressionCodec::BROTLI), "BROTLI");
  EXPECT_EQ(CodecName(CompressionCodec::LZ4), "LZ4");
  EXPECT_EQ(CodecName(CompressionCodec::ZSTD), "ZSTD");
  EXPECT_EQ(CodecName(CompressionCodec::LZ4_RAW), "LZ4_RAW");
}

}  // namespace
}  // namespace sluice::parquet
