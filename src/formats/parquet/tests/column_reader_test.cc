// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/column_reader.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "columnar/buffer.h"
#include "columnar/printer.h"
#include "formats/parquet/leaf.h"
#include "formats/parquet/rle.h"
#include "formats/parquet/schema.h"
#include "formats/parquet/thrift_io.h"
#include "types/decimal.h"

namespace sluice::parquet {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string DataPath(const std::string& name) {
  return std::string(SLUICE_TESTDATA_DIR) + "/parquet-testing/" + name;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Parses the footer: the last 8 bytes are the footer's length and "PAR1".
Status ReadFooter(const RandomAccessFile& file, format::FileMetaData* metadata) {
  std::string scratch;
  if (file.size() < 12) {
    return Status::Corruption("too small");
  }
  SLUICE_ASSIGN_OR_RETURN(std::string_view tail, file.ReadAt(file.size() - 8, 8, &scratch));
  uint32_t length;
  std::memcpy(&length, tail.data(), 4);
  if (tail.substr(4) != "PAR1" || length > file.size() - 12) {
    return Status::Corruption("bad footer");
  }
  std::string footer_scratch;
  SLUICE_ASSIGN_OR_RETURN(std::string_view footer,
                          file.ReadAt(file.size() - 8 - length, length, &footer_scratch));
  return DeserializeThrift(footer, "file footer", metadata);
}

// One file opened with its footer parsed and its leaves described.
struct TestFile {
  std::unique_ptr<RandomAccessFile> file;
  format::FileMetaData metadata;
  std::vector<LeafDescriptor> leaves;

  const LeafDescriptor& Leaf(const std::string& path) const {
    for (const LeafDescriptor& leaf : leaves) {
      if (leaf.path == path)
        return leaf;
    }
    ADD_FAILURE() << "no leaf " << path;
    return leaves.front();
  }
  Result<LeafData> Read(const LeafDescriptor& leaf, int row_group = 0) const {
    const format::RowGroup& group = metadata.row_groups[row_group];
    return ReadColumnChunk(*file, group.columns[leaf.column_index], leaf, group.num_rows,
                           ReadLimits{}, ColumnChunkContext{row_group});
  }
  Result<LeafData> Read(const std::string& path, TypePtr type = nullptr) const {
    LeafDescriptor leaf = Leaf(path);
    if (type != nullptr)
      leaf.type = std::move(type);
    return Read(leaf);
  }
};

void Describe(TestFile* test) {
  auto schema = FileSchema::Make(test->metadata.schema);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  test->leaves = schema->leaves();
}

TestFile OpenBuffer(std::string name, std::string bytes) {
  TestFile test;
  test.file = MakeBufferFile(std::move(name), std::make_shared<const std::string>(bytes));
  EXPECT_TRUE(ReadFooter(*test.file, &test.metadata).ok());
  Describe(&test);
  return test;
}

TestFile Open(const std::string& name) {
  TestFile test;
  auto file = OpenLocalFile(DataPath(name));
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  test.file = std::move(file).value();
  const Status footer = ReadFooter(*test.file, &test.metadata);
  EXPECT_TRUE(footer.ok()) << footer.ToString();
  Describe(&test);
  return test;
}

// The values of a leaf with nulls where the definition level is below the maximum.
template <typename T, typename Get>
std::vector<std::optional<T>> Values(const LeafData& data, int16_t max_definition, Get get) {
  std::vector<std::optional<T>> out;
  int64_t next = 0;
  for (int64_t i = 0; i < data.num_levels; ++i) {
    if (max_definition > 0 && data.definition_levels[i] < max_definition) {
      out.push_back(std::nullopt);
    } else {
      out.push_back(get(*data.values, next++));
    }
  }
  EXPECT_EQ(next, data.values->length());
  return out;
}

template <typename T>
std::vector<std::optional<T>> Fixed(const LeafData& data, int16_t max_definition = 1) {
  return Values<T>(data, max_definition, [](const Vector& v, int64_t i) { return v.Value<T>(i); });
}

std::vector<std::optional<std::string>> Strings(const LeafData& data, int16_t max_definition = 1) {
  return Values<std::string>(data, max_definition, [](const Vector& v, int64_t i) {
    return std::string(v.StringValue(i));
  });
}

std::vector<std::optional<bool>> Bools(const LeafData& data, int16_t max_definition = 1) {
  return Values<bool>(data, max_definition,
                      [](const Vector& v, int64_t i) { return v.BoolValue(i); });
}

// The definition level of every slot of a flat leaf, from its levels or its bitmap.
std::vector<int16_t> FlatDefinitions(const LeafData& data) {
  if (!data.definition_bitmap) {
    return data.definition_levels;
  }
  std::vector<int16_t> out;
  for (int64_t i = 0; i < data.num_levels; ++i) {
    out.push_back(data.validity == nullptr || bits::Get(data.validity->data(), i) ? 1 : 0);
  }
  return out;
}

#define ASSERT_READ(lhs, expr)                                        \
  auto lhs##_result = (expr);                                         \
  ASSERT_TRUE(lhs##_result.ok()) << lhs##_result.status().ToString(); \
  const LeafData lhs = std::move(lhs##_result).value()

TEST(ColumnReaderTest, ReadsPlainInt32WithDefinitionLevels) {
  const TestFile test = Open("data/alltypes_plain.parquet");
  ASSERT_READ(data, test.Read("id"));
  EXPECT_EQ(data.num_levels, 8);
  EXPECT_THAT(data.definition_levels, ElementsAre(1, 1, 1, 1, 1, 1, 1, 1));
  EXPECT_TRUE(data.repetition_levels.empty());
  EXPECT_EQ(data.values->type_id(), TypeId::kInt);
  EXPECT_THAT(Fixed<int32_t>(data), ElementsAre(4, 5, 6, 7, 2, 3, 0, 1));
}

TEST(ColumnReaderTest, ConvertsEveryColumnOfAllTypesPlain) {
  const TestFile test = Open("data/alltypes_plain.parquet");
  ASSERT_READ(bools, test.Read("bool_col"));
  EXPECT_THAT(Bools(bools), ElementsAre(true, false, true, false, true, false, true, false));
  ASSERT_READ(tiny, test.Read("tinyint_col", ByteType()));
  EXPECT_THAT(Fixed<int8_t>(tiny), ElementsAre(0, 1, 0, 1, 0, 1, 0, 1));
  ASSERT_READ(small, test.Read("smallint_col", ShortType()));
  EXPECT_THAT(Fixed<int16_t>(small), ElementsAre(0, 1, 0, 1, 0, 1, 0, 1));
  ASSERT_READ(wide, test.Read("int_col", LongType()));
  EXPECT_THAT(Fixed<int64_t>(wide), ElementsAre(0, 1, 0, 1, 0, 1, 0, 1));
  ASSERT_READ(bigint, test.Read("bigint_col"));
  EXPECT_THAT(Fixed<int64_t>(bigint), ElementsAre(0, 10, 0, 10, 0, 10, 0, 10));
  ASSERT_READ(floats, test.Read("float_col"));
  EXPECT_THAT(Fixed<float>(floats), ElementsAre(0, 1.1f, 0, 1.1f, 0, 1.1f, 0, 1.1f));
  ASSERT_READ(doubles, test.Read("double_col", DoubleType()));
  EXPECT_THAT(Fixed<double>(doubles), ElementsAre(0, 10.1, 0, 10.1, 0, 10.1, 0, 10.1));
  ASSERT_READ(widened, test.Read("float_col", DoubleType()));
  EXPECT_EQ(Fixed<double>(widened)[1], static_cast<double>(1.1f));
  ASSERT_READ(dates, test.Read("date_string_col", StringType()));
  EXPECT_THAT(Strings(dates), ElementsAre("03/01/09", "03/01/09", "04/01/09", "04/01/09",
                                          "02/01/09", "02/01/09", "01/01/09", "01/01/09"));
  ASSERT_READ(strings, test.Read("string_col"));
  EXPECT_THAT(Strings(strings), ElementsAre("0", "1", "0", "1", "0", "1", "0", "1"));
  // INT96: 2009-03-01 00:00 is day 14304 after the epoch; one minute apart in pairs.
  ASSERT_READ(timestamps, test.Read("timestamp_col"));
  constexpr int64_t kDay = int64_t{86400} * 1000000;
  const int64_t march = 14304 * kDay;
  const int64_t april = march + 31 * kDay;
  const int64_t february = march - 28 * kDay;
  const int64_t january = february - 31 * kDay;
  const int64_t minute = 60 * 1000000;
  EXPECT_THAT(Fixed<int64_t>(timestamps),
              ElementsAre(march, march + minute, april, april + minute, february, february + minute,
                          january, january + minute));
}

TEST(ColumnReaderTest, ReadsDictionaryPages) {
  const TestFile test = Open("data/alltypes_dictionary.parquet");
  ASSERT_READ(ids, test.Read("id"));
  EXPECT_THAT(Fixed<int32_t>(ids), ElementsAre(0, 1));
  ASSERT_READ(strings, test.Read("string_col", StringType()));
  EXPECT_THAT(Strings(strings), ElementsAre("0", "1"));
  ASSERT_READ(bools, test.Read("bool_col"));
  EXPECT_THAT(Bools(bools), ElementsAre(true, false));
}

TEST(ColumnReaderTest, ReadsDecimalsOfEveryPhysicalType) {
  for (const char* name :
       {"data/int32_decimal.parquet", "data/int64_decimal.parquet",
        "data/fixed_length_decimal.parquet", "data/fixed_length_decimal_legacy.parquet",
        "data/byte_array_decimal.parquet"}) {
    SCOPED_TRACE(name);
    const TestFile test = Open(name);
    ASSERT_EQ(test.leaves.size(), 1u);
    const LeafDescriptor& leaf = test.leaves[0];
    ASSERT_EQ(leaf.type->id(), TypeId::kDecimal);
    EXPECT_EQ(leaf.type->scale(), 2);
    ASSERT_READ(data, test.Read(leaf));
    const auto values = Fixed<Int128>(data, leaf.max_definition_level);
    ASSERT_EQ(values.size(), 24u);
    for (int i = 0; i < 24; ++i) {
      EXPECT_TRUE(values[i] == Int128{(i + 1) * 100}) << i;
    }
  }
}

std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.push_back(field);
        field.clear();
      } else {
        field += c;
      }
    }
    fields.push_back(field);
    rows.push_back(std::move(fields));
  }
  return rows;
}

TEST(ColumnReaderTest, ReadsDeltaBinaryPackedOfEveryBitWidth) {
  const TestFile test = Open("data/delta_binary_packed.parquet");
  const auto csv = ReadCsv(DataPath("data/delta_binary_packed_expect.csv"));
  ASSERT_EQ(csv.size(), 201u);
  for (size_t column = 0; column < csv[0].size(); ++column) {
    const LeafDescriptor& leaf = test.Leaf(csv[0][column]);
    SCOPED_TRACE(leaf.path);
    ASSERT_READ(data, test.Read(leaf));
    ASSERT_EQ(data.num_levels, 200);
    for (int64_t row = 0; row < 200; ++row) {
      const int64_t expected = std::stoll(csv[row + 1][column]);
      const int64_t actual = leaf.type->id() == TypeId::kInt ? data.values->Value<int32_t>(row)
                                                             : data.values->Value<int64_t>(row);
      ASSERT_EQ(actual, expected) << "row " << row;
    }
  }
}

TEST(ColumnReaderTest, ReadsDeltaByteArrayStrings) {
  const TestFile test = Open("data/delta_byte_array.parquet");
  const auto csv = ReadCsv(DataPath("data/delta_byte_array_expect.csv"));
  for (size_t column = 0; column < csv[0].size(); ++column) {
    const LeafDescriptor& leaf = test.Leaf(csv[0][column]);
    SCOPED_TRACE(leaf.path);
    ASSERT_READ(data, test.Read(leaf));
    const auto values = Strings(data, leaf.max_definition_level);
    ASSERT_EQ(values.size(), csv.size() - 1);
    for (size_t row = 0; row < values.size(); ++row) {
      // The CSV leaves nulls empty.
      ASSERT_EQ(values[row].value_or(""), csv[row + 1][column]) << "row " << row;
    }
  }
}

TEST(ColumnReaderTest, ReadsDeltaEncodingsOfOptionalAndRequiredColumns) {
  for (const char* name : {"delta_encoding_optional_column", "delta_encoding_required_column"}) {
    SCOPED_TRACE(name);
    const TestFile test = Open(std::string("data/") + name + ".parquet");
    const auto csv = ReadCsv(DataPath(std::string("data/") + name + "_expect.csv"));
    ASSERT_EQ(csv[0].size(), test.leaves.size());
    for (size_t column = 0; column < test.leaves.size(); ++column) {
      const LeafDescriptor& leaf = test.leaves[column];
      SCOPED_TRACE(leaf.path);
      ASSERT_READ(data, test.Read(leaf));
      ASSERT_EQ(data.num_levels, static_cast<int64_t>(csv.size() - 1));
      std::vector<std::string> actual;
      const auto text = [&](const Vector& v, int64_t i) {
        return leaf.type->id() == TypeId::kLong  ? std::to_string(v.Value<int64_t>(i))
               : leaf.type->id() == TypeId::kInt ? std::to_string(v.Value<int32_t>(i))
                                                 : std::string(v.StringValue(i));
      };
      for (const auto& value : Values<std::string>(data, leaf.max_definition_level, text)) {
        actual.push_back(value.value_or(""));
      }
      for (size_t row = 0; row < actual.size(); ++row) {
        ASSERT_EQ(actual[row], csv[row + 1][column]) << "row " << row;
      }
    }
  }
}

TEST(ColumnReaderTest, ReadsDeltaLengthByteArrayStrings) {
  const TestFile test = Open("data/delta_length_byte_array.parquet");
  ASSERT_READ(data, test.Read(test.leaves[0]));
  const auto values = Strings(data, test.leaves[0].max_definition_level);
  ASSERT_EQ(values.size(), 1000u);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(values[i], "apple_banana_mango" + std::to_string(i * i)) << i;
  }
}

TEST(ColumnReaderTest, ReadsInt96BeyondTheNanosecondRange) {
  const TestFile test = Open("data/int96_from_spark.parquet");
  ASSERT_READ(data, test.Read("a"));
  EXPECT_THAT(Fixed<int64_t>(data),
              ElementsAre(1704141296123456, 1704070800000000, 253402225200000000, 1735599600000000,
                          std::nullopt, 9089380393200000000));
}

TEST(ColumnReaderTest, ReadsRleBooleans) {
  const TestFile test = Open("data/rle_boolean_encoding.parquet");
  ASSERT_READ(data, test.Read(test.leaves[0]));
  const auto values = Bools(data);
  ASSERT_EQ(values.size(), 68u);
  EXPECT_EQ(std::count(values.begin(), values.end(), std::optional<bool>(true)), 36);
  EXPECT_EQ(std::count(values.begin(), values.end(), std::optional<bool>(false)), 26);
}

TEST(ColumnReaderTest, StartsAtTheDataPageWhenTheDictionaryOffsetIsZero) {
  const TestFile test = Open("data/dict-page-offset-zero.parquet");
  ASSERT_READ(data, test.Read(test.leaves[0]));
  EXPECT_EQ(data.num_levels, 39);
  for (const auto& value : Fixed<int32_t>(data, test.leaves[0].max_definition_level)) {
    EXPECT_EQ(value, 1552);
  }
}

TEST(ColumnReaderTest, ReadsEveryCodec) {
  for (const char* name : {"data/hadoop_lz4_compressed.parquet", "data/lz4_raw_compressed.parquet",
                           "data/non_hadoop_lz4_compressed.parquet"}) {
    SCOPED_TRACE(name);
    const TestFile test = Open(name);
    ASSERT_READ(c0, test.Read("c0"));
    EXPECT_THAT(Fixed<int64_t>(c0, 0), ElementsAre(1593604800, 1593604800, 1593604801, 1593604801));
    ASSERT_READ(c1, test.Read("c1"));
    EXPECT_THAT(Strings(c1, 0), ElementsAre("abc", "def", "abc", "def"));
    ASSERT_READ(v11, test.Read("v11"));
    EXPECT_THAT(Fixed<double>(v11, 0), ElementsAre(42.0, 7.7, 42.125, 7.7));
  }
}

TEST(ColumnReaderTest, ReadsDataPagesV2) {
  const TestFile test = Open("data/datapage_v2.snappy.parquet");
  ASSERT_READ(a, test.Read("a", StringType()));
  EXPECT_THAT(Strings(a), ElementsAre("abc", "abc", "abc", std::nullopt, "abc"));
  ASSERT_READ(b, test.Read("b"));
  EXPECT_THAT(Fixed<int32_t>(b, 0), ElementsAre(1, 2, 3, 4, 5));
  ASSERT_READ(c, test.Read("c"));
  EXPECT_THAT(Fixed<double>(c, 0), ElementsAre(2, 3, 4, 5, 2));
  ASSERT_READ(d, test.Read("d"));
  EXPECT_THAT(Bools(d, 0), ElementsAre(true, true, true, false, true));
  const LeafDescriptor& e = test.Leaf("e.list.element");
  ASSERT_READ(list, test.Read(e));
  EXPECT_EQ(e.max_repetition_level, 1);
  EXPECT_THAT(list.repetition_levels, ElementsAre(0, 1, 1, 0, 0, 0, 1, 1, 0, 1));
  EXPECT_THAT(Fixed<int32_t>(list, e.max_definition_level),
              ElementsAre(1, 2, 3, std::nullopt, std::nullopt, 1, 2, 3, 1, 2));
}

TEST(ColumnReaderTest, ReadsV2PagesWithoutValueBytes) {
  for (const char* name : {"data/datapage_v2_empty_datapage.snappy.parquet",
                           "data/page_v2_empty_compressed.parquet"}) {
    SCOPED_TRACE(name);
    const TestFile test = Open(name);
    ASSERT_READ(data, test.Read(test.leaves[0]));
    EXPECT_EQ(data.num_levels, test.metadata.num_rows);
    EXPECT_EQ(data.values->length(), 0);
  }
}

TEST(ColumnReaderTest, ReadsByteStreamSplitLikePlain) {
  const TestFile test = Open("data/byte_stream_split_extended.gzip.parquet");
  for (const char* kind : {"float16", "float", "double", "int32", "int64", "flba5", "decimal"}) {
    SCOPED_TRACE(kind);
    ASSERT_READ(plain, test.Read(std::string(kind) + "_plain"));
    ASSERT_READ(split, test.Read(std::string(kind) + "_byte_stream_split"));
    EXPECT_EQ(plain.definition_levels, split.definition_levels);
    ASSERT_EQ(plain.values->length(), split.values->length());
    const int width = ValueWidth(plain.values->type_id());
    for (int64_t i = 0; i < plain.values->length(); ++i) {
      if (width > 0) {
        ASSERT_EQ(std::memcmp(plain.values->values_buffer()->data() + i * width,
                              split.values->values_buffer()->data() + i * width, width),
                  0);
      } else {
        ASSERT_EQ(plain.values->StringValue(i), split.values->StringValue(i));
      }
    }
  }
  const TestFile zstd = Open("data/byte_stream_split.zstd.parquet");
  for (const LeafDescriptor& leaf : zstd.leaves) {
    ASSERT_READ(data, zstd.Read(leaf));
    EXPECT_EQ(data.num_levels, 300);
  }
}

TEST(ColumnReaderTest, ConvertsFloat16) {
  const TestFile test = Open("data/float16_nonzeros_and_nans.parquet");
  ASSERT_READ(data, test.Read(test.leaves[0]));
  const auto values = Fixed<float>(data);
  ASSERT_EQ(values.size(), 8u);
  EXPECT_FALSE(values[0].has_value());
  EXPECT_EQ(values[1], 1.0f);
  EXPECT_EQ(values[2], -2.0f);
  EXPECT_TRUE(std::isnan(*values[3]));
}

// ---------------------------------------------------------------------------------------
// Synthetic column chunks: one leaf, pages written by hand.

template <typename T>
std::string Plain(const std::vector<T>& values) {
  std::string out(values.size() * sizeof(T), '\0');
  if (!values.empty())
    std::memcpy(out.data(), values.data(), out.size());
  return out;
}

std::string PlainStrings(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) {
    const auto length = static_cast<uint32_t>(value.size());
    out.append(reinterpret_cast<const char*>(&length), 4);
    out += value;
  }
  return out;
}

// RLE/bit-packed hybrid runs without a prefix.
std::string Rle(int bit_width, const std::vector<uint32_t>& values) {
  RleBitPackedEncoder encoder(bit_width);
  for (uint32_t value : values)
    encoder.Put(value);
  std::string out;
  encoder.Finish(&out);
  return out;
}

// v1 levels: a 4-byte length, then the runs.
std::string V1Levels(int bit_width, const std::vector<uint32_t>& levels) {
  const std::string runs = Rle(bit_width, levels);
  const auto length = static_cast<uint32_t>(runs.size());
  return std::string(reinterpret_cast<const char*>(&length), 4) + runs;
}

// Builds a one-column file in memory: "PAR1", the pages, a stand-in footer.
class ChunkBuilder {
 public:
  ChunkBuilder(format::Type::type physical, format::FieldRepetitionType::type repetition,
               TypePtr type) {
    leaf_.path = "a.b";
    leaf_.element.__set_name("b");
    leaf_.element.__set_type(physical);
    leaf_.element.__set_repetition_type(repetition);
    leaf_.max_definition_level = repetition == format::FieldRepetitionType::REQUIRED ? 0 : 1;
    leaf_.max_repetition_level = repetition == format::FieldRepetitionType::REPEATED ? 1 : 0;
    leaf_.type = std::move(type);
    chunk_.__isset.meta_data = true;
    chunk_.meta_data.type = physical;
    chunk_.meta_data.codec = format::CompressionCodec::UNCOMPRESSED;
  }

  format::SchemaElement& element() { return leaf_.element; }
  LeafDescriptor& leaf() { return leaf_; }

  void DictionaryPage(const std::string& plain, int32_t count) {
    format::PageHeader header;
    header.__set_type(format::PageType::DICTIONARY_PAGE);
    format::DictionaryPageHeader dictionary;
    dictionary.__set_num_values(count);
    dictionary.__set_encoding(format::Encoding::PLAIN);
    header.__set_dictionary_page_header(dictionary);
    chunk_.meta_data.__set_dictionary_page_offset(static_cast<int64_t>(bytes_.size()));
    Append(header, plain);
  }

  // A v1 page: `body` holds the levels and the values.
  void DataPage(int32_t num_values, format::Encoding::type encoding, const std::string& body,
                format::Encoding::type level_encoding = format::Encoding::RLE) {
    format::PageHeader header;
    header.__set_type(format::PageType::DATA_PAGE);
    format::DataPageHeader data;
    data.__set_num_values(num_values);
    data.__set_encoding(encoding);
    data.__set_definition_level_encoding(level_encoding);
    data.__set_repetition_level_encoding(format::Encoding::RLE);
    header.__set_data_page_header(data);
    MarkDataPage();
    Append(header, body);
  }

  void DataPageV2(int32_t num_values, int32_t num_nulls, format::Encoding::type encoding,
                  const std::string& repetition, const std::string& definition,
                  const std::string& values) {
    format::PageHeader header;
    header.__set_type(format::PageType::DATA_PAGE_V2);
    format::DataPageHeaderV2 data;
    data.__set_num_values(num_values);
    data.__set_num_nulls(num_nulls);
    data.__set_num_rows(num_values);
    data.__set_encoding(encoding);
    data.__set_repetition_levels_byte_length(static_cast<int32_t>(repetition.size()));
    data.__set_definition_levels_byte_length(static_cast<int32_t>(definition.size()));
    header.__set_data_page_header_v2(data);
    MarkDataPage();
    Append(header, repetition + definition + values);
  }

  // Gives the chunk an offset index (written after the pages) that places the data
  // pages so far at their offsets, starting at `first_rows`.
  void OffsetIndex(const std::vector<int64_t>& first_rows) {
    format::OffsetIndex index;
    for (size_t i = 0; i < first_rows.size() && i < page_offsets_.size(); ++i) {
      format::PageLocation location;
      location.__set_offset(page_offsets_[i]);
      location.__set_compressed_page_size(1);  // not read
      location.__set_first_row_index(first_rows[i]);
      index.page_locations.push_back(location);
    }
    offset_index_.clear();
    ASSERT_TRUE(SerializeThrift(index, &offset_index_).ok());
  }
  // Gives the chunk an offset index of these bytes.
  void RawOffsetIndex(std::string bytes) { offset_index_ = std::move(bytes); }
  const std::vector<int64_t>& page_offsets() const { return page_offsets_; }

  // Finishes the file; the chunk claims `num_values` levels.
  std::unique_ptr<RandomAccessFile> Finish(int64_t num_values) {
    chunk_.meta_data.num_values = num_values;
    chunk_.meta_data.total_compressed_size = static_cast<int64_t>(bytes_.size()) - 4;
    if (!offset_index_.empty()) {
      chunk_.__set_offset_index_offset(static_cast<int64_t>(bytes_.size()));
      chunk_.__set_offset_index_length(static_cast<int32_t>(offset_index_.size()));
    }
    return MakeBufferFile("synthetic.parquet",
                          std::make_shared<const std::string>(bytes_ + offset_index_ +
                                                              std::string(4, '\0') + "PAR1"));
  }

  const format::ColumnChunk& chunk() const { return chunk_; }

  // Reads the chunk as a row group of `rows` rows.
  Result<LeafData> Read(int64_t num_values, int64_t rows, const ReadLimits& limits = {}) {
    file_ = Finish(num_values);
    return ReadColumnChunk(*file_, chunk_, leaf_, rows, limits);
  }
  // Reads the chunk with the definition levels as a bitmap, of the rows of `ranges` when
  // given.
  Result<LeafData> ReadBitmap(int64_t num_values, int64_t rows,
                              const std::vector<RowRange>* ranges = nullptr) {
    file_ = Finish(num_values);
    return ReadColumnChunk(*file_, chunk_, leaf_, rows, ReadLimits{}, ColumnChunkContext{}, ranges,
                           nullptr, DefinitionForm::kBitmap);
  }
  // Reads only the rows of `ranges`, counting the pages in `*metrics`.
  Result<LeafData> ReadRows(int64_t num_values, int64_t rows, const std::vector<RowRange>& ranges,
                            ReadMetrics* metrics) {
    file_ = Finish(num_values);
    return ReadColumnChunk(*file_, chunk_, leaf_, rows, ReadLimits{}, ColumnChunkContext{}, &ranges,
                           metrics);
  }

 private:
  void MarkDataPage() {
    if (!has_data_page_) {
      chunk_.meta_data.data_page_offset = static_cast<int64_t>(bytes_.size());
      has_data_page_ = true;
    }
    page_offsets_.push_back(static_cast<int64_t>(bytes_.size()));
  }
  void Append(format::PageHeader header, const std::string& body) {
    header.__set_uncompressed_page_size(static_cast<int32_t>(body.size()));
    header.__set_compressed_page_size(static_cast<int32_t>(body.size()));
    ASSERT_TRUE(SerializeThrift(header, &bytes_).ok());
    bytes_ += body;
  }

  std::string bytes_ = "PAR1";
  LeafDescriptor leaf_;
  format::ColumnChunk chunk_;
  bool has_data_page_ = false;
  std::vector<int64_t> page_offsets_;  // of the data pages
  std::string offset_index_;
  std::unique_ptr<RandomAccessFile> file_;
};

using Rep = format::FieldRepetitionType;

TEST(ColumnReaderTest, NamesFileColumnPageAndProblemInErrors) {
  ChunkBuilder builder(format::Type::INT32, Rep::REQUIRED, IntType());
  builder.DictionaryPage(Plain<int32_t>({1, 2, 3, 4, 5}), 5);
  builder.DataPage(3, format::Encoding::RLE_DICTIONARY,
                   std::string(1, '\x05') + Rle(5, {0, 17, 2}));
  const auto result = builder.Read(3, 3);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(result.status().message(),
              HasSubstr("synthetic.parquet: column 'a.b': data page at offset "));
  EXPECT_THAT(result.status().message(),
              HasSubstr("dictionary index 17 out of range (dictionary has 5 values)"));
}

TEST(ColumnReaderTest, ChecksDictionaryIndicesInEveryPositionUnlessTheBitWidthBoundsThem) {
  // 4 values and 2-bit indices: no index can be out of range.
  ChunkBuilder full(format::Type::INT64, Rep::REQUIRED, LongType());
  full.DictionaryPage(Plain<int64_t>({10, 20, 30, 40}), 4);
  full.DataPage(7, format::Encoding::RLE_DICTIONARY,
                std::string(1, '\x02') + Rle(2, {3, 0, 1, 2, 3, 3, 0}));
  ASSERT_READ(data, full.Read(7, 7));
  EXPECT_THAT(Fixed<int64_t>(data, 0), ElementsAre(40, 10, 20, 30, 40, 40, 10));
  // 5 values and 3-bit indices: an index of 5 to 7 anywhere among 11 (the lanes of the
  // check and its tail) is corruption.
  for (size_t position = 0; position < 11; ++position) {
    std::vector<uint32_t> indices(11, 4);
    indices[position] = 5 + position % 3;
    ChunkBuilder builder(format::Type::INT64, Rep::REQUIRED, LongType());
    builder.DictionaryPage(Plain<int64_t>({1, 2, 3, 4, 5}), 5);
    builder.DataPage(11, format::Encoding::RLE_DICTIONARY,
                     std::string(1, '\x03') + Rle(3, indices));
    const Result<LeafData> result = builder.Read(11, 11);
    ASSERT_FALSE(result.ok()) << position;
    EXPECT_THAT(result.status().message(),
                HasSubstr(fmt::format("dictionary index {} out of range", indices[position])));
  }
}

TEST(ColumnReaderTest, RefusesDictionaryIndicesWiderThan32Bits) {
  ChunkBuilder builder(format::Type::INT32, Rep::REQUIRED, IntType());
  builder.DictionaryPage(Plain<int32_t>({1}), 1);
  builder.DataPage(1, format::Encoding::RLE_DICTIONARY, std::string(1, '\x21') + Rle(1, {0}));
  EXPECT_EQ(builder.Read(1, 1).status().code(), StatusCode::kCorruption);
}

TEST(ColumnReaderTest, RefusesDictionaryPagesAfterDataAndWithoutDictionary) {
  ChunkBuilder late(format::Type::INT32, Rep::REQUIRED, IntType());
  late.DataPage(1, format::Encoding::PLAIN, Plain<int32_t>({7}));
  late.DictionaryPage(Plain<int32_t>({1}), 1);
  late.DataPage(1, format::Encoding::PLAIN, Plain<int32_t>({7}));
  EXPECT_EQ(late.Read(2, 2).status().code(), StatusCode::kCorruption);
  ChunkBuilder missing(format::Type::INT32, Rep::REQUIRED, IntType());
  missing.DataPage(1, format::Encoding::RLE_DICTIONARY, std::string(1, '\x01') + Rle(1, {0}));
  EXPECT_THAT(missing.Read(1, 1).status().message(), HasSubstr("without a dictionary page"));
}

TEST(ColumnReaderTest, ChecksPlainValuesAgainstThePageBytes) {
  ChunkBuilder builder(format::Type::INT64, Rep::REQUIRED, LongType());
  builder.DataPage(3, format::Encoding::PLAIN, Plain<int64_t>({1, 2}));
  EXPECT_EQ(builder.Read(3, 3).status().code(), StatusCode::kCorruption);
  ChunkBuilder strings(format::Type::BYTE_ARRAY, Rep::REQUIRED, StringType());
  strings.DataPage(2, format::Encoding::PLAIN, PlainStrings({"ab", "cd"}).substr(0, 9));
  EXPECT_EQ(strings.Read(2, 2).status().code(), StatusCode::kCorruption);
}

TEST(ColumnReaderTest, ChecksRowsAndLevels) {
  ChunkBuilder rows(format::Type::INT32, Rep::REQUIRED, IntType());
  rows.DataPage(2, format::Encoding::PLAIN, Plain<int32_t>({1, 2}));
  EXPECT_THAT(rows.Read(2, 3).status().message(), HasSubstr("holds 2 rows, its row group has 3"));
  ChunkBuilder levels(format::Type::INT32, Rep::OPTIONAL, IntType());
  levels.leaf().max_definition_level = 2;
  levels.DataPage(2, format::Encoding::PLAIN, V1Levels(2, {2, 3}) + Plain<int32_t>({1}));
  EXPECT_THAT(levels.Read(2, 2).status().message(), HasSubstr("definition level 3 exceeds"));
  ChunkBuilder first(format::Type::INT32, Rep::REPEATED, IntType());
  first.DataPage(2, format::Encoding::PLAIN,
                 V1Levels(1, {1, 0}) + V1Levels(1, {1, 1}) + Plain<int32_t>({1, 2}));
  EXPECT_THAT(first.Read(2, 1).status().message(), HasSubstr("first repetition level"));
  ChunkBuilder v2(format::Type::INT32, Rep::REPEATED, IntType());
  v2.DataPageV2(2, 0, format::Encoding::PLAIN, Rle(1, {0, 1}), Rle(1, {1, 1}),
                Plain<int32_t>({1, 2}));
  v2.DataPageV2(1, 0, format::Encoding::PLAIN, Rle(1, {1}), Rle(1, {1}), Plain<int32_t>({3}));
  EXPECT_THAT(v2.Read(3, 1).status().message(), HasSubstr("v2 data page"));
  ChunkBuilder required(format::Type::INT32, Rep::REQUIRED, IntType());
  required.DataPageV2(2, 1, format::Encoding::PLAIN, "", "", Plain<int32_t>({1}));
  EXPECT_THAT(required.Read(2, 2).status().message(), HasSubstr("REQUIRED"));
}

TEST(ColumnReaderTest, GivesFlatDefinitionLevelsAsABitmapAcrossPages) {
  // Pages of 13, 6 and 20 slots (not whole bytes of bits): RLE runs and bit-packed runs of
  // levels in v1 pages, a v2 page, and a v1 page of deprecated BIT_PACKED levels.
  const std::vector<uint32_t> first = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0};
  const std::vector<uint32_t> second = {0, 0, 1, 0, 1, 1};
  std::vector<uint32_t> third(20, 0);
  third[3] = third[19] = 1;
  const std::vector<uint32_t> fourth = {1, 0, 1, 1, 0, 1, 1, 1, 1};
  std::vector<uint32_t> all = first;
  all.insert(all.end(), second.begin(), second.end());
  all.insert(all.end(), third.begin(), third.end());
  all.insert(all.end(), fourth.begin(), fourth.end());
  ChunkBuilder builder(format::Type::INT32, Rep::OPTIONAL, IntType());
  builder.DataPage(13, format::Encoding::PLAIN,
                   V1Levels(1, first) + Plain<int32_t>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
  builder.DataPage(6, format::Encoding::PLAIN, V1Levels(1, second) + Plain<int32_t>({12, 13, 14}));
  builder.DataPageV2(20, 18, format::Encoding::PLAIN, "", Rle(1, third), Plain<int32_t>({15, 16}));
  // BIT_PACKED levels: most significant bit first, 1 0 1 1 0 1 1 1 | 1.
  builder.DataPage(9, format::Encoding::PLAIN,
                   std::string("\xb7\x80", 2) + Plain<int32_t>({17, 18, 19, 20, 21, 22, 23}),
                   format::Encoding::BIT_PACKED);
  ASSERT_READ(data, builder.ReadBitmap(48, 48));
  EXPECT_TRUE(data.definition_bitmap);
  EXPECT_TRUE(data.definition_levels.empty());
  EXPECT_EQ(data.num_levels, 48);
  std::vector<int16_t> expected(all.begin(), all.end());
  EXPECT_EQ(FlatDefinitions(data), expected);
  EXPECT_EQ(data.null_count, 25);
  ASSERT_EQ(data.values->length(), 23);
  EXPECT_EQ(data.values->Value<int32_t>(22), 23);
  // The same chunk read with levels agrees.
  ASSERT_READ(levels, builder.Read(48, 48));
  EXPECT_FALSE(levels.definition_bitmap);
  EXPECT_EQ(levels.definition_levels, expected);
}

TEST(ColumnReaderTest, GivesNoBitmapWithoutNullsAndLevelsForRowSelectionsOrOtherLeaves) {
  ChunkBuilder builder(format::Type::INT64, Rep::OPTIONAL, LongType());
  builder.DataPage(
      10, format::Encoding::PLAIN,
      V1Levels(1, std::vector<uint32_t>(10, 1)) + Plain<int64_t>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  ASSERT_READ(data, builder.ReadBitmap(10, 10));
  EXPECT_TRUE(data.definition_bitmap);
  EXPECT_EQ(data.validity, nullptr);
  EXPECT_EQ(data.null_count, 0);
  EXPECT_EQ(data.values->length(), 10);
  // A row selection keeps the levels (they are cut by rows).
  const std::vector<RowRange> ranges = {{2, 5}};
  ASSERT_READ(selected, builder.ReadBitmap(10, 10, &ranges));
  EXPECT_FALSE(selected.definition_bitmap);
  EXPECT_THAT(selected.definition_levels, ElementsAre(1, 1, 1));
  // So do required leaves (no levels) and nested ones (maximum level 2).
  ChunkBuilder required(format::Type::INT32, Rep::REQUIRED, IntType());
  required.DataPage(2, format::Encoding::PLAIN, Plain<int32_t>({1, 2}));
  ASSERT_READ(plain, required.ReadBitmap(2, 2));
  EXPECT_FALSE(plain.definition_bitmap);
  ChunkBuilder nested(format::Type::INT32, Rep::OPTIONAL, IntType());
  nested.leaf().max_definition_level = 2;
  nested.DataPage(2, format::Encoding::PLAIN, V1Levels(2, {2, 1}) + Plain<int32_t>({1}));
  ASSERT_READ(two, nested.ReadBitmap(2, 2));
  EXPECT_FALSE(two.definition_bitmap);
  EXPECT_THAT(two.definition_levels, ElementsAre(2, 1));
}

TEST(ColumnReaderTest, BitmapLevelsThatEndEarlyAreCorruption) {
  ChunkBuilder builder(format::Type::INT32, Rep::OPTIONAL, IntType());
  // One RLE run of two ones where the page has four slots.
  builder.DataPage(4, format::Encoding::PLAIN,
                   std::string("\x02\x00\x00\x00\x04\x01", 6) + Plain<int32_t>({1, 2}));
  const Result<LeafData> data = builder.ReadBitmap(4, 4);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(data.status().message(), HasSubstr("definition levels"));
}

TEST(ColumnReaderTest, ReadsRepeatedLevelsAcrossV1Pages) {
  ChunkBuilder builder(format::Type::INT32, Rep::REPEATED, IntType());
  builder.DataPage(3, format::Encoding::PLAIN,
                   V1Levels(1, {0, 1, 1}) + V1Levels(1, {1, 1, 1}) + Plain<int32_t>({1, 2, 3}));
  // A row may continue on the next v1 page.
  builder.DataPage(2, format::Encoding::PLAIN,
                   V1Levels(1, {1, 0}) + V1Levels(1, {1, 0}) + Plain<int32_t>({4}));
  ASSERT_READ(data, builder.Read(5, 2));
  EXPECT_THAT(data.repetition_levels, ElementsAre(0, 1, 1, 1, 0));
  EXPECT_THAT(data.definition_levels, ElementsAre(1, 1, 1, 1, 0));
  EXPECT_THAT(Fixed<int32_t>(data), ElementsAre(1, 2, 3, 4, std::nullopt));
}

TEST(ColumnReaderTest, AppliesTheLimits) {
  ChunkBuilder page(format::Type::INT32, Rep::REQUIRED, IntType());
  page.DataPage(4, format::Encoding::PLAIN, Plain<int32_t>({1, 2, 3, 4}));
  ReadLimits limits;
  limits.max_page_bytes = 15;
  EXPECT_THAT(page.Read(4, 4, limits).status().message(), HasSubstr("limit of 15 bytes"));
  ChunkBuilder dictionary(format::Type::INT32, Rep::REQUIRED, IntType());
  dictionary.DictionaryPage(Plain<int32_t>({1, 2, 3}), 3);
  dictionary.DataPage(1, format::Encoding::RLE_DICTIONARY, std::string(1, '\x02') + Rle(2, {2}));
  limits = ReadLimits();
  limits.max_dictionary_values = 2;
  EXPECT_THAT(dictionary.Read(1, 1, limits).status().message(), HasSubstr("limit of 2"));
  limits = ReadLimits();
  limits.max_chunk_values = 3;
  Status status = page.Read(4, 4, limits).status();
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(status.message(), HasSubstr("claims 4 values, over the limit of 3"));
}

TEST(ColumnReaderTest, RefusesEncryptedChunksAndChunksOutsideTheFile) {
  ChunkBuilder builder(format::Type::INT32, Rep::REQUIRED, IntType());
  builder.DataPage(1, format::Encoding::PLAIN, Plain<int32_t>({1}));
  const auto file = builder.Finish(1);
  format::ColumnChunk encrypted = builder.chunk();
  encrypted.__set_encrypted_column_metadata("secret");
  const auto refused = ReadColumnChunk(*file, encrypted, builder.leaf(), 1, ReadLimits{});
  EXPECT_EQ(refused.status().code(), StatusCode::kNotImplemented);
  EXPECT_THAT(refused.status().message(), HasSubstr("encrypted Parquet is not supported"));
  format::ColumnChunk outside = builder.chunk();
  outside.meta_data.total_compressed_size += 5;
  EXPECT_EQ(ReadColumnChunk(*file, outside, builder.leaf(), 1, ReadLimits{}).status().code(),
            StatusCode::kCorruption);
}

TEST(ColumnReaderTest, ReadsChunksWithAnEmptyFilePathAndRefusesOtherFiles) {
  // Some writers set file_path to "" for a chunk in the same file, which Open accepts.
  ChunkBuilder builder(format::Type::INT32, Rep::REQUIRED, IntType());
  builder.DataPage(1, format::Encoding::PLAIN, Plain<int32_t>({7}));
  const auto file = builder.Finish(1);
  format::ColumnChunk same_file = builder.chunk();
  same_file.__set_file_path("");
  const auto read = ReadColumnChunk(*file, same_file, builder.leaf(), 1, ReadLimits{});
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->values->length(), 1);
  format::ColumnChunk other_file = builder.chunk();
  other_file.__set_file_path("other.parquet");
  EXPECT_EQ(ReadColumnChunk(*file, other_file, builder.leaf(), 1, ReadLimits{}).status().code(),
            StatusCode::kNotImplemented);
}

TEST(ColumnReaderTest, RefusesConversionsItDoesNotKnow) {
  ChunkBuilder builder(format::Type::INT64, Rep::REQUIRED, DateType());
  builder.DataPage(1, format::Encoding::PLAIN, Plain<int64_t>({1}));
  const auto result = builder.Read(1, 1);
  EXPECT_EQ(result.status().code(), StatusCode::kNotImplemented);
  EXPECT_THAT(result.status().message(), HasSubstr("column 'a.b'"));
  EXPECT_THAT(result.status().message(), HasSubstr("INT64"));
}

TEST(ColumnReaderTest, ConvertsTimestampUnitsAndUnsignedIntegers) {
  ChunkBuilder millis(format::Type::INT64, Rep::REQUIRED, TimestampType());
  millis.element().__set_converted_type(format::ConvertedType::TIMESTAMP_MILLIS);
  millis.DataPage(2, format::Encoding::PLAIN, Plain<int64_t>({1500, -1}));
  ASSERT_READ(millis_data, millis.Read(2, 2));
  EXPECT_THAT(Fixed<int64_t>(millis_data, 0), ElementsAre(1500000, -1000));

  ChunkBuilder nanos(format::Type::INT64, Rep::REQUIRED, TimestampNtzType());
  format::LogicalType logical;
  format::TimestampType timestamp;
  timestamp.unit.__set_NANOS(format::NanoSeconds());
  logical.__set_TIMESTAMP(timestamp);
  nanos.element().__set_logicalType(logical);
  nanos.DataPage(3, format::Encoding::PLAIN, Plain<int64_t>({1999, -1, -1000}));
  ASSERT_READ(nanos_data, nanos.Read(3, 3));
  EXPECT_THAT(Fixed<int64_t>(nanos_data, 0), ElementsAre(1, -1, -1));

  ChunkBuilder overflow(format::Type::INT64, Rep::REQUIRED, TimestampType());
  overflow.element().__set_converted_type(format::ConvertedType::TIMESTAMP_MILLIS);
  overflow.DataPage(1, format::Encoding::PLAIN, Plain<int64_t>({INT64_MAX / 10}));
  EXPECT_EQ(overflow.Read(1, 1).status().code(), StatusCode::kCorruption);

  ChunkBuilder uint32(format::Type::INT32, Rep::REQUIRED, LongType());
  uint32.element().__set_converted_type(format::ConvertedType::UINT_32);
  uint32.DataPage(2, format::Encoding::PLAIN, Plain<int32_t>({-1, 7}));
  ASSERT_READ(uint32_data, uint32.Read(2, 2));
  EXPECT_THAT(Fixed<int64_t>(uint32_data, 0), ElementsAre(4294967295, 7));

  ChunkBuilder uint64(format::Type::INT64, Rep::REQUIRED, DecimalType(20, 0));
  uint64.element().__set_converted_type(format::ConvertedType::UINT_64);
  uint64.DataPage(1, format::Encoding::PLAIN, Plain<int64_t>({-1}));
  ASSERT_READ(uint64_data, uint64.Read(1, 1));
  EXPECT_TRUE(uint64_data.values->DecimalValue(0) == Int128{UINT64_MAX});
}

TEST(ColumnReaderTest, ConvertsFloat16BitPatterns) {
  ChunkBuilder builder(format::Type::FIXED_LEN_BYTE_ARRAY, Rep::REQUIRED, FloatType());
  builder.element().__set_type_length(2);
  format::LogicalType logical;
  logical.__set_FLOAT16(format::Float16Type());
  builder.element().__set_logicalType(logical);
  // 1, -2, +inf, -inf, NaN, smallest subnormal, largest subnormal, -0, 65504.
  builder.DataPage(
      9, format::Encoding::PLAIN,
      Plain<uint16_t>({0x3c00, 0xc000, 0x7c00, 0xfc00, 0x7e00, 0x0001, 0x03ff, 0x8000, 0x7bff}));
  ASSERT_READ(data, builder.Read(9, 9));
  const auto values = Fixed<float>(data, 0);
  EXPECT_EQ(values[0], 1.0f);
  EXPECT_EQ(values[1], -2.0f);
  EXPECT_EQ(values[2], INFINITY);
  EXPECT_EQ(values[3], -INFINITY);
  EXPECT_TRUE(std::isnan(*values[4]));
  EXPECT_EQ(values[5], std::ldexp(1.0f, -24));
  EXPECT_EQ(values[6], std::ldexp(1023.0f, -24));
  EXPECT_TRUE(std::signbit(*values[7]) && *values[7] == 0.0f);
  EXPECT_EQ(values[8], 65504.0f);
}

TEST(ColumnReaderTest, ConvertsBigEndianDecimalsOfEveryLength) {
  ChunkBuilder builder(format::Type::BYTE_ARRAY, Rep::REQUIRED, DecimalType(38, 0));
  const std::string max16 = "\x7f" + std::string(15, '\xff');
  builder.DataPage(6, format::Encoding::PLAIN,
                   PlainStrings({"", std::string(1, '\xff'), std::string("\x01\x00", 2), max16,
                                 std::string(3, '\xff') + "\x80" + std::string(15, '\0'),
                                 std::string("\x00\x00", 2) + "\x01"}));
  ASSERT_READ(data, builder.Read(6, 6));
  const auto values = Fixed<Int128>(data, 0);
  EXPECT_TRUE(values[0] == Int128{0});
  EXPECT_TRUE(values[1] == Int128{-1});
  EXPECT_TRUE(values[2] == Int128{256});
  EXPECT_TRUE(values[3] == static_cast<Int128>(~(static_cast<unsigned __int128>(1) << 127)));
  EXPECT_TRUE(values[4] == static_cast<Int128>(static_cast<unsigned __int128>(1) << 127));
  EXPECT_TRUE(values[5] == Int128{1});

  ChunkBuilder too_long(format::Type::BYTE_ARRAY, Rep::REQUIRED, DecimalType(38, 0));
  too_long.DataPage(1, format::Encoding::PLAIN, PlainStrings({"\x01" + std::string(16, '\0')}));
  const auto result = too_long.Read(1, 1);
  EXPECT_EQ(result.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(result.status().message(), HasSubstr("column 'a.b'"));
}

TEST(ColumnReaderTest, GathersDictionaryStringsAndBooleans) {
  ChunkBuilder builder(format::Type::BYTE_ARRAY, Rep::OPTIONAL, StringType());
  builder.DictionaryPage(PlainStrings({"", "alpha", "be"}), 3);
  builder.DataPage(5, format::Encoding::PLAIN_DICTIONARY,
                   V1Levels(1, {1, 0, 1, 1, 1}) + std::string(1, '\x02') + Rle(2, {1, 2, 0, 1}));
  builder.DataPageV2(2, 0, format::Encoding::RLE_DICTIONARY, "", Rle(1, {1, 1}),
                     std::string(1, '\x02') + Rle(2, {2, 2}));
  ASSERT_READ(data, builder.Read(7, 7));
  EXPECT_THAT(Strings(data), ElementsAre("alpha", std::nullopt, "be", "", "alpha", "be", "be"));
  // Strings of exactly 16 bytes and longer ones (copied in several blocks).
  const std::string sixteen = "0123456789abcdef";
  const std::string longer = "a string of more than sixteen bytes, copied in blocks";
  ChunkBuilder long_strings(format::Type::BYTE_ARRAY, Rep::REQUIRED, StringType());
  long_strings.DictionaryPage(PlainStrings({sixteen, "x"}), 2);
  long_strings.DataPage(4, format::Encoding::RLE_DICTIONARY,
                        std::string(1, '\x01') + Rle(1, {0, 1, 0, 0}));
  ASSERT_READ(sixteen_data, long_strings.Read(4, 4));
  EXPECT_THAT(Strings(sixteen_data, 0), ElementsAre(sixteen, "x", sixteen, sixteen));
  ChunkBuilder longest(format::Type::BYTE_ARRAY, Rep::REQUIRED, StringType());
  longest.DictionaryPage(PlainStrings({"y", longer, sixteen}), 3);
  longest.DataPage(5, format::Encoding::RLE_DICTIONARY,
                   std::string(1, '\x02') + Rle(2, {1, 0, 2, 1, 1}));
  ASSERT_READ(longer_data, longest.Read(5, 5));
  EXPECT_THAT(Strings(longer_data, 0), ElementsAre(longer, "y", sixteen, longer, longer));

  ChunkBuilder bools(format::Type::BOOLEAN, Rep::REQUIRED, BooleanType());
  bools.DataPage(10, format::Encoding::RLE, V1Levels(1, {1, 1, 0, 1, 0, 0, 0, 0, 1, 1}));
  bools.DataPage(3, format::Encoding::PLAIN, std::string(1, '\x05'));
  ASSERT_READ(bool_data, bools.Read(13, 13));
  EXPECT_THAT(Bools(bool_data, 0), ElementsAre(true, true, false, true, false, false, false, false,
                                               true, true, true, false, true));
}

TEST(ColumnReaderTest, ReadsVoidLeavesWithoutValues) {
  ChunkBuilder builder(format::Type::INT32, Rep::OPTIONAL, NullType());
  builder.DataPage(3, format::Encoding::PLAIN, V1Levels(1, {0, 0, 0}));
  ASSERT_READ(data, builder.Read(3, 3));
  EXPECT_THAT(data.definition_levels, ElementsAre(0, 0, 0));
  EXPECT_EQ(data.values->type_id(), TypeId::kNull);
  EXPECT_EQ(data.values->length(), 0);
}

TEST(ColumnReaderTest, OpensLocalFilesAndChecksRanges) {
  EXPECT_EQ(OpenLocalFile(DataPath("data/no_such_file.parquet")).status().code(),
            StatusCode::kNotFound);
  auto file = OpenLocalFile(DataPath("data/alltypes_plain.parquet"));
  ASSERT_TRUE(file.ok());
  std::string scratch;
  auto head = (*file)->ReadAt(0, 4, &scratch);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(*head, "PAR1");
  EXPECT_EQ((*file)->ReadAt((*file)->size() - 2, 3, &scratch).status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ((*file)->ReadAt(-1, 1, &scratch).status().code(), StatusCode::kCorruption);
  // A scratch larger than the read is reused as it is.
  scratch.assign(100, 'x');
  auto again = (*file)->ReadAt(1, 3, &scratch);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, "AR1");
  EXPECT_EQ(scratch.size(), 100u);
  const auto buffer = MakeBufferFile("b", std::make_shared<const std::string>("abc"));
  EXPECT_EQ(*buffer->ReadAt(1, 2, &scratch), "bc");
  EXPECT_EQ(buffer->ReadAt(2, 2, &scratch).status().code(), StatusCode::kCorruption);
}

// ---------------------------------------------------------------------------------------
// Hostile input: every read returns a value or an error, never crashes.

// Reads a flat optional leaf with its definition levels as a bitmap and expects what
// `levels` (the same chunk read with levels) holds, or the same kind of failure.
void ExpectBitmapReadsLikeLevels(const RandomAccessFile& file, const format::ColumnChunk& chunk,
                                 const LeafDescriptor& leaf, int64_t rows, int group,
                                 const Result<LeafData>& levels) {
  const Result<LeafData> bitmap =
      ReadColumnChunk(file, chunk, leaf, rows, ReadLimits{}, ColumnChunkContext{group}, nullptr,
                      nullptr, DefinitionForm::kBitmap);
  ASSERT_EQ(bitmap.ok(), levels.ok())
      << leaf.path << ": " << (bitmap.ok() ? levels : bitmap).status().ToString();
  if (!levels.ok()) {
    EXPECT_EQ(bitmap.status().code(), levels.status().code()) << bitmap.status().ToString();
    return;
  }
  EXPECT_TRUE(bitmap->definition_bitmap);
  EXPECT_TRUE(bitmap->definition_levels.empty());
  EXPECT_EQ(bitmap->num_levels, levels->num_levels);
  const std::vector<int16_t> definitions = FlatDefinitions(*bitmap);
  EXPECT_EQ(definitions, levels->definition_levels) << leaf.path;
  EXPECT_EQ(bitmap->null_count, std::count(definitions.begin(), definitions.end(), 0));
  EXPECT_EQ(bitmap->validity == nullptr, bitmap->null_count == 0);
  ASSERT_EQ(bitmap->values->length(), levels->values->length());
  for (int64_t i = 0; i < std::min<int64_t>(levels->values->length(), 200); ++i) {
    EXPECT_EQ(FormatCell(*bitmap->values, i), FormatCell(*levels->values, i));
  }
}

// Reads every leaf of every row group; returns how many reads failed. Every failure
// must be kCorruption or kNotImplemented. Flat optional leaves are read a second time
// with their definition levels as a bitmap, which must agree.
int ReadAll(const RandomAccessFile& file, const format::FileMetaData& metadata,
            const std::vector<LeafDescriptor>& leaves, std::vector<Status>* errors = nullptr) {
  int failures = 0;
  for (size_t group = 0; group < metadata.row_groups.size(); ++group) {
    const format::RowGroup& row_group = metadata.row_groups[group];
    for (const LeafDescriptor& leaf : leaves) {
      if (leaf.column_index >= static_cast<int>(row_group.columns.size()))
        continue;
      const auto result =
          ReadColumnChunk(file, row_group.columns[leaf.column_index], leaf, row_group.num_rows,
                          ReadLimits{}, ColumnChunkContext{static_cast<int>(group)});
      if (leaf.max_repetition_level == 0 && leaf.max_definition_level == 1) {
        ExpectBitmapReadsLikeLevels(file, row_group.columns[leaf.column_index], leaf,
                                    row_group.num_rows, static_cast<int>(group), result);
      }
      if (!result.ok()) {
        ++failures;
        EXPECT_TRUE(result.status().code() == StatusCode::kCorruption ||
                    result.status().code() == StatusCode::kNotImplemented ||
                    result.status().code() == StatusCode::kResourceExhausted)
            << result.status().ToString();
        if (errors != nullptr)
          errors->push_back(result.status());
      } else {
        const LeafData& data = result.value();
        EXPECT_EQ(data.values->length() <= data.num_levels, true);
      }
    }
  }
  return failures;
}

// The byte range [start, end) of a column chunk.
std::pair<int64_t, int64_t> ChunkRange(const format::ColumnChunk& chunk) {
  const format::ColumnMetaData& metadata = chunk.meta_data;
  int64_t start = metadata.data_page_offset;
  if (metadata.__isset.dictionary_page_offset && metadata.dictionary_page_offset > 0 &&
      metadata.dictionary_page_offset < start) {
    start = metadata.dictionary_page_offset;
  }
  return {start, start + metadata.total_compressed_size};
}

constexpr const char* kCorruptibleFiles[] = {
    "data/alltypes_plain.parquet",          "data/alltypes_dictionary.parquet",
    "data/datapage_v2.snappy.parquet",      "data/delta_encoding_optional_column.parquet",
    "data/rle_boolean_encoding.parquet",    "data/byte_array_decimal.parquet",
    "data/fixed_length_decimal.parquet",    "data/int96_from_spark.parquet",
    "data/delta_length_byte_array.parquet", "data/float16_nonzeros_and_nans.parquet",
    "data/nested_lists.snappy.parquet",     "data/nulls.snappy.parquet",
};

TEST(ColumnReaderTest, SurvivesEveryFlippedByteInColumnChunks) {
  for (const char* name : kCorruptibleFiles) {
    SCOPED_TRACE(name);
    const std::string original = ReadBytes(DataPath(name));
    const TestFile test = OpenBuffer(name, original);
    ASSERT_EQ(ReadAll(*test.file, test.metadata, test.leaves), 0);
    const format::RowGroup& group = test.metadata.row_groups[0];
    for (const LeafDescriptor& leaf : test.leaves) {
      const auto [start, end] = ChunkRange(group.columns[leaf.column_index]);
      for (int64_t position = start; position < end; ++position) {
        for (const uint8_t mask : {0xff, 0x01, 0x80, 0x0f}) {
          auto bytes = std::make_shared<std::string>(original);
          (*bytes)[position] = static_cast<char>((*bytes)[position] ^ mask);
          const auto file = MakeBufferFile(name, bytes);
          const auto result = ReadColumnChunk(*file, group.columns[leaf.column_index], leaf,
                                              group.num_rows, ReadLimits{});
          if (!result.ok()) {
            ASSERT_TRUE(result.status().code() == StatusCode::kCorruption ||
                        result.status().code() == StatusCode::kNotImplemented)
                << result.status().ToString();
          }
        }
      }
    }
  }
}

TEST(ColumnReaderTest, SurvivesRandomCorruptionAndTruncatedChunks) {
  std::mt19937 rng(20240611);
  for (const char* name : kCorruptibleFiles) {
    SCOPED_TRACE(name);
    const std::string original = ReadBytes(DataPath(name));
    const TestFile test = OpenBuffer(name, original);
    const format::RowGroup& group = test.metadata.row_groups[0];
    for (const LeafDescriptor& leaf : test.leaves) {
      const format::ColumnChunk& chunk = group.columns[leaf.column_index];
      const auto [start, end] = ChunkRange(chunk);
      // A chunk cut short anywhere.
      for (int64_t length = 0; length < end - start; ++length) {
        format::ColumnChunk truncated = chunk;
        truncated.meta_data.total_compressed_size = length;
        const auto result =
            ReadColumnChunk(*test.file, truncated, leaf, group.num_rows, ReadLimits{});
        ASSERT_FALSE(result.ok() && length < end - start - 64) << length;
      }
      // Several random bytes at once.
      for (int round = 0; round < 300; ++round) {
        auto bytes = std::make_shared<std::string>(original);
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int i = 0; i < flips; ++i) {
          const int64_t position = start + static_cast<int64_t>(rng() % (end - start));
          (*bytes)[position] = static_cast<char>(rng());
        }
        const auto file = MakeBufferFile(name, bytes);
        const auto result = ReadColumnChunk(*file, chunk, leaf, group.num_rows, ReadLimits{});
        if (!result.ok()) {
          ASSERT_TRUE(result.status().code() == StatusCode::kCorruption ||
                      result.status().code() == StatusCode::kNotImplemented)
              << result.status().ToString();
        }
      }
    }
  }
}

TEST(ColumnReaderTest, RefusesTheBadDataFiles) {
  for (const char* name :
       {"bad_data/ARROW-RS-GH-6229-DICTHEADER.parquet", "bad_data/ARROW-RS-GH-6229-LEVELS.parquet",
        "bad_data/ARROW-GH-41321.parquet", "bad_data/ARROW-GH-45185.parquet",
        "bad_data/ARROW-GH-47662.parquet", "bad_data/ARROW-GH-41317.parquet"}) {
    SCOPED_TRACE(name);
    const TestFile test = Open(name);
    std::vector<Status> errors;
    EXPECT_GT(ReadAll(*test.file, test.metadata, test.leaves, &errors), 0);
    for (const Status& error : errors) {
      EXPECT_THAT(error.message(), HasSubstr(name));
    }
  }
}

TEST(ColumnReaderTest, ReadsDictionaryIndicesOfBitWidthZero) {
  const TestFile test = Open("bad_data/ARROW-GH-43605.parquet");
  EXPECT_EQ(ReadAll(*test.file, test.metadata, test.leaves), 0);
}

// Reads every leaf of every Parquet file below `directory` whose footer and schema parse;
// returns the errors.
std::vector<Status> ReadTree(const std::string& directory) {
  std::vector<Status> errors;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(directory)) {
    if (!entry.is_regular_file())
      continue;
    const std::string extension = entry.path().extension().string();
    if (extension != ".parquet" && extension != ".PARQUET")
      continue;
    SCOPED_TRACE(entry.path().string());
    TestFile test;
    auto file = OpenLocalFile(entry.path().string());
    if (!file.ok())
      continue;
    test.file = std::move(file).value();
    if (!ReadFooter(*test.file, &test.metadata).ok())
      continue;
    auto schema = FileSchema::Make(test.metadata.schema);
    if (!schema.ok())
      continue;
    ReadAll(*test.file, test.metadata, schema->leaves(), &errors);
  }
  return errors;
}

TEST(ColumnReaderTest, ReadsEveryColumnOfTheTestFilesOrRefusesTheBrokenOnes) {
  std::vector<Status> errors = ReadTree(DataPath("data"));
  const auto more = ReadTree(std::string(SLUICE_TESTDATA_DIR) + "/parquet-duckdb");
  errors.insert(errors.end(), more.begin(), more.end());
  // Files that are broken (or, for large_string_map, hold a page over the 1 GiB limit).
  const std::vector<std::string> broken = {"/large_string_map.brotli.parquet",
                                           "/nation.dict-malformed.parquet",
                                           "/broken-arrow.parquet",
                                           "/internal_6129.parquet",
                                           "/parquet_column_num_values_mismatch.parquet",
                                           "/page_size_corruption.parquet",
                                           "/rle_malicious_bitwidth.parquet",
                                           "/plaintext_footer_crypto_metadata.parquet",
                                           "/encryption/",
                                           "/afl/",
                                           "/broken/"};
  for (const Status& error : errors) {
    bool expected = false;
    for (const std::string& name : broken) {
      expected = expected || error.message().find(name) != std::string::npos;
    }
    EXPECT_TRUE(expected) << error.ToString();
  }
}

// ---------------------------------------------------------------------------------------
// Row selection and page skipping.

// One line per level slot of `data` ("def 1 rep 0: 42"), keeping, when `ranges` is
// given, only the slots of rows in the ranges (a row starts at repetition level 0).
std::vector<std::string> Slots(const LeafData& data, const LeafDescriptor& leaf,
                               const std::vector<RowRange>* ranges = nullptr) {
  std::vector<std::string> out;
  int64_t row = -1;
  int64_t value = 0;
  for (int64_t i = 0; i < data.num_levels; ++i) {
    const int16_t definition = leaf.max_definition_level > 0 ? data.definition_levels[i] : 0;
    const int16_t repetition = leaf.max_repetition_level > 0 ? data.repetition_levels[i] : 0;
    row += repetition == 0 ? 1 : 0;
    const bool has_value = definition == leaf.max_definition_level;
    std::string line = "def " + std::to_string(definition) + " rep " + std::to_string(repetition);
    if (has_value) {
      line += ": " + FormatCell(*data.values, value++);
    }
    bool selected = ranges == nullptr;
    for (size_t r = 0; ranges != nullptr && r < ranges->size(); ++r) {
      selected = selected || ((*ranges)[r].begin <= row && row < (*ranges)[r].end);
    }
    if (selected) {
      out.push_back(std::move(line));
    }
  }
  EXPECT_EQ(value, data.values->length());
  return out;
}

// Whether every column chunk of the file has an offset index.
bool HasOffsetIndex(const format::FileMetaData& metadata) {
  for (const format::RowGroup& group : metadata.row_groups) {
    for (const format::ColumnChunk& chunk : group.columns) {
      if (!chunk.__isset.offset_index_offset) {
        return false;
      }
    }
  }
  return !metadata.row_groups.empty();
}

TEST(ColumnReaderTest, SkipsThePagesOutsideTheSelectedRows) {
  // parquet-mr: 7300 rows in ~325 pages per column, each with an offset index.
  const TestFile test = Open("data/alltypes_tiny_pages.parquet");
  ASSERT_TRUE(HasOffsetIndex(test.metadata));
  const std::vector<RowRange> ranges = {{5880, 5890}, {7299, 7300}};
  for (const LeafDescriptor& leaf : test.leaves) {
    SCOPED_TRACE(leaf.path);
    ReadMetrics all;
    const format::RowGroup& group = test.metadata.row_groups[0];
    ASSERT_READ(full, ReadColumnChunk(*test.file, group.columns[leaf.column_index], leaf,
                                      group.num_rows, ReadLimits{}, {}, nullptr, &all));
    ReadMetrics metrics;
    ASSERT_READ(selected, ReadColumnChunk(*test.file, group.columns[leaf.column_index], leaf,
                                          group.num_rows, ReadLimits{}, {}, &ranges, &metrics));
    EXPECT_EQ(selected.num_levels, 11);
    EXPECT_EQ(Slots(selected, leaf), Slots(full, leaf, &ranges));
    EXPECT_EQ(all.pages_skipped, 0);
    EXPECT_GT(all.pages_read, 50);
    EXPECT_EQ(metrics.pages_read + metrics.pages_skipped, all.pages_read);
    EXPECT_LE(metrics.pages_read, 4);
  }
  const LeafDescriptor& id = test.Leaf("id");
  const format::RowGroup& group = test.metadata.row_groups[0];
  ASSERT_READ(row, ReadColumnChunk(*test.file, group.columns[id.column_index], id, group.num_rows,
                                   ReadLimits{}, {}, &ranges));
  EXPECT_EQ(Fixed<int32_t>(row, id.max_definition_level)[5], 5000);  // row 5885
}

TEST(ColumnReaderTest, SelectsRowsOfEveryColumnOfFilesWithAPageIndex) {
  // Every leaf of the test files that have an offset index (nested, v2, dictionary,
  // plain), read with ranges that cut pages, equals the full read cut to the ranges.
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(DataPath("data"))) {
    if (entry.path().extension() != ".parquet")
      continue;
    auto file = OpenLocalFile(entry.path().string());
    format::FileMetaData metadata;
    if (!file.ok() || !ReadFooter(**file, &metadata).ok() || !HasOffsetIndex(metadata))
      continue;
    auto schema = FileSchema::Make(metadata.schema);
    if (!schema.ok())
      continue;
    SCOPED_TRACE(entry.path().filename().string());
    ++files;
    for (size_t g = 0; g < metadata.row_groups.size(); ++g) {
      const format::RowGroup& group = metadata.row_groups[g];
      const int64_t n = group.num_rows;
      std::vector<RowRange> ranges;
      for (const RowRange range :
           {RowRange{n / 3, n / 3 + 7}, RowRange{n / 2, n / 2 + 1}, RowRange{n - 2, n}}) {
        const int64_t begin = std::max(range.begin, ranges.empty() ? 0 : ranges.back().end + 1);
        if (begin < std::min(range.end, n))
          ranges.push_back({begin, std::min(range.end, n)});
      }
      for (const LeafDescriptor& leaf : schema->leaves()) {
        const format::ColumnChunk& chunk = group.columns[leaf.column_index];
        const auto full = ReadColumnChunk(**file, chunk, leaf, n, ReadLimits{});
        if (!full.ok())
          continue;  // the broken files
        const auto selected = ReadColumnChunk(**file, chunk, leaf, n, ReadLimits{}, {}, &ranges);
        ASSERT_TRUE(selected.ok()) << selected.status().ToString();
        EXPECT_EQ(Slots(*selected, leaf), Slots(*full, leaf, &ranges)) << leaf.path;
      }
    }
  }
  EXPECT_GE(files, 3);
}

// An optional string column of 10 rows in three v1 pages: rows 0-3, 4-6 and 7-9.
ChunkBuilder TenStrings() {
  ChunkBuilder builder(format::Type::BYTE_ARRAY, Rep::OPTIONAL, StringType());
  builder.DataPage(4, format::Encoding::PLAIN,
                   V1Levels(1, {1, 0, 1, 1}) + PlainStrings({"a", "c", "d"}));
  builder.DataPage(3, format::Encoding::PLAIN, V1Levels(1, {1, 1, 0}) + PlainStrings({"e", "f"}));
  builder.DataPage(3, format::Encoding::PLAIN,
                   V1Levels(1, {1, 1, 1}) + PlainStrings({"h", "iii", "j"}));
  return builder;
}

TEST(ColumnReaderTest, SelectsRowsOfPagesWithoutAnOffsetIndex) {
  ChunkBuilder builder = TenStrings();
  ReadMetrics metrics;
  ASSERT_READ(data, builder.ReadRows(10, 10, {{1, 2}, {3, 5}, {8, 10}}, &metrics));
  EXPECT_THAT(data.definition_levels, ElementsAre(0, 1, 1, 1, 1));
  EXPECT_THAT(Strings(data), ElementsAre(std::nullopt, "d", "e", "iii", "j"));
  EXPECT_EQ(metrics.pages_read, 3);
  EXPECT_EQ(metrics.pages_skipped, 0);
  // No row at all; every row.
  ASSERT_READ(none, builder.ReadRows(10, 10, {}, &metrics));
  EXPECT_EQ(none.num_levels, 0);
  EXPECT_EQ(none.values->length(), 0);
  ASSERT_READ(every, builder.ReadRows(10, 10, {{0, 10}}, &metrics));
  EXPECT_THAT(Strings(every),
              ElementsAre("a", std::nullopt, "c", "d", "e", "f", std::nullopt, "h", "iii", "j"));
}

TEST(ColumnReaderTest, SkipsPagesTheOffsetIndexPlacesOutsideTheRows) {
  ChunkBuilder builder = TenStrings();
  builder.OffsetIndex({0, 4, 7});
  ReadMetrics metrics;
  ASSERT_READ(first, builder.ReadRows(10, 10, {{1, 2}}, &metrics));
  EXPECT_THAT(Strings(first), ElementsAre(std::nullopt));
  EXPECT_EQ(metrics.pages_read, 1);
  EXPECT_EQ(metrics.pages_skipped, 2);
  metrics = ReadMetrics();
  ASSERT_READ(later, builder.ReadRows(10, 10, {{5, 6}, {9, 10}}, &metrics));
  EXPECT_THAT(Strings(later), ElementsAre("f", "j"));
  EXPECT_EQ(metrics.pages_read, 2);
  EXPECT_EQ(metrics.pages_skipped, 1);
  metrics = ReadMetrics();
  ASSERT_READ(none, builder.ReadRows(10, 10, {}, &metrics));
  EXPECT_EQ(none.num_levels, 0);
  EXPECT_EQ(metrics.pages_skipped, 3);
}

TEST(ColumnReaderTest, SkipsDictionaryEncodedPagesButReadsTheDictionary) {
  // Booleans (bits) and dictionary-encoded longs, required, in pages of 3, 3 and 2 rows.
  ChunkBuilder longs(format::Type::INT64, Rep::REQUIRED, LongType());
  longs.DictionaryPage(Plain<int64_t>({10, 20, 30}), 3);
  for (const std::vector<uint32_t>& indices :
       std::vector<std::vector<uint32_t>>{{0, 1, 2}, {2, 2, 1}, {1, 0}}) {
    longs.DataPage(static_cast<int32_t>(indices.size()), format::Encoding::RLE_DICTIONARY,
                   std::string(1, '\x02') + Rle(2, indices));
  }
  longs.OffsetIndex({0, 3, 6});
  ReadMetrics metrics;
  ASSERT_READ(data, longs.ReadRows(8, 8, {{2, 4}, {7, 8}}, &metrics));
  EXPECT_THAT(Fixed<int64_t>(data, 0), ElementsAre(30, 30, 10));
  EXPECT_EQ(metrics.pages_read, 3);

  ChunkBuilder bools(format::Type::BOOLEAN, Rep::REQUIRED, BooleanType());
  bools.DataPage(9, format::Encoding::PLAIN, std::string("\x55\x01", 2));  // t f t f t f t f t
  bools.DataPage(9, format::Encoding::PLAIN, std::string("\xff\x00", 2));  // 8 t, then f
  bools.OffsetIndex({0, 9});
  metrics = ReadMetrics();
  ASSERT_READ(bits, bools.ReadRows(18, 18, {{1, 4}, {8, 9}}, &metrics));
  EXPECT_THAT(Bools(bits, 0), ElementsAre(false, true, false, true));
  EXPECT_EQ(metrics.pages_skipped, 1);
  ASSERT_READ(across, bools.ReadRows(18, 18, {{7, 10}, {17, 18}}, &metrics));
  EXPECT_THAT(Bools(across, 0), ElementsAre(false, true, true, false));
}

// A repeated column of five rows in three v1 pages: [1, 2], [3] | [], [4, 5, 6] | [7].
ChunkBuilder FiveLists() {
  ChunkBuilder builder(format::Type::INT32, Rep::REPEATED, IntType());
  builder.DataPage(3, format::Encoding::PLAIN,
                   V1Levels(1, {0, 1, 0}) + V1Levels(1, {1, 1, 1}) + Plain<int32_t>({1, 2, 3}));
  builder.DataPage(
      4, format::Encoding::PLAIN,
      V1Levels(1, {0, 0, 1, 1}) + V1Levels(1, {0, 1, 1, 1}) + Plain<int32_t>({4, 5, 6}));
  builder.DataPage(1, format::Encoding::PLAIN,
                   V1Levels(1, {0}) + V1Levels(1, {1}) + Plain<int32_t>({7}));
  return builder;
}

TEST(ColumnReaderTest, SelectsWholeRecordsOfRepeatedColumns) {
  ChunkBuilder builder = FiveLists();
  builder.OffsetIndex({0, 2, 4});
  ReadMetrics metrics;
  ASSERT_READ(data, builder.ReadRows(8, 5, {{1, 2}, {3, 4}}, &metrics));
  EXPECT_THAT(data.repetition_levels, ElementsAre(0, 0, 1, 1));
  EXPECT_THAT(data.definition_levels, ElementsAre(1, 1, 1, 1));
  EXPECT_THAT(Fixed<int32_t>(data), ElementsAre(3, 4, 5, 6));
  EXPECT_EQ(metrics.pages_read, 2);
  EXPECT_EQ(metrics.pages_skipped, 1);

  // Without an index, a row that continues on the next v1 page is kept (or dropped) whole.
  ChunkBuilder split(format::Type::INT32, Rep::REPEATED, IntType());
  split.DataPage(3, format::Encoding::PLAIN,
                 V1Levels(1, {0, 0, 1}) + V1Levels(1, {1, 1, 1}) + Plain<int32_t>({1, 2, 3}));
  split.DataPage(3, format::Encoding::PLAIN,
                 V1Levels(1, {1, 0, 1}) + V1Levels(1, {1, 1, 1}) + Plain<int32_t>({4, 5, 6}));
  ASSERT_READ(second, split.ReadRows(6, 3, {{1, 2}}, &metrics));
  EXPECT_THAT(second.repetition_levels, ElementsAre(0, 1, 1));
  EXPECT_THAT(Fixed<int32_t>(second), ElementsAre(2, 3, 4));
  ASSERT_READ(others, split.ReadRows(6, 3, {{0, 1}, {2, 3}}, &metrics));
  EXPECT_THAT(others.repetition_levels, ElementsAre(0, 0, 1));
  EXPECT_THAT(Fixed<int32_t>(others), ElementsAre(1, 5, 6));
}

TEST(ColumnReaderTest, FallsBackToEveryPageWhenTheOffsetIndexIsWrong) {
  const std::vector<RowRange> ranges = {{5, 6}, {9, 10}};
  ChunkBuilder reference = TenStrings();
  ReadMetrics metrics;
  ASSERT_READ(expected, reference.ReadRows(10, 10, ranges, &metrics));
  ASSERT_THAT(Strings(expected), ElementsAre("f", "j"));
  const auto check = [&](ChunkBuilder builder, const std::string& what) {
    SCOPED_TRACE(what);
    ReadMetrics read;
    const auto data = builder.ReadRows(10, 10, ranges, &read);
    EXPECT_TRUE(data.ok()) << data.status().ToString();
    if (data.ok()) {
      EXPECT_THAT(Strings(*data), ElementsAre("f", "j"));
    }
    return read;
  };
  ChunkBuilder garbage = TenStrings();
  garbage.RawOffsetIndex(std::string(40, '\xff'));
  EXPECT_EQ(check(std::move(garbage), "garbage").pages_read, 3);
  // Ignored up front: rows not from 0, not increasing, past the row group; pages not
  // inside the chunk or out of order.
  for (const std::vector<int64_t>& first_rows :
       std::vector<std::vector<int64_t>>{{1, 4, 7}, {0, 4, 4}, {0, 7, 4}, {0, 4, 10}}) {
    ChunkBuilder bad = TenStrings();
    bad.OffsetIndex(first_rows);
    EXPECT_EQ(check(std::move(bad), "inconsistent rows").pages_skipped, 0);
  }
  ChunkBuilder few = TenStrings();
  few.OffsetIndex({0, 4});  // the last page missing: the second seems to hold rows 4-9
  EXPECT_EQ(check(std::move(few), "a page missing").pages_read, 3);
  ChunkBuilder rows = TenStrings();
  rows.OffsetIndex({0, 3, 7});  // the header of the first page counts 4 rows
  EXPECT_EQ(check(std::move(rows), "rows that disagree with the headers").pages_read, 3);
  ChunkBuilder shifted = TenStrings();
  shifted.OffsetIndex({0, 4, 7});
  {
    // The same rows, but the second location off by one byte.
    format::OffsetIndex index;
    for (size_t i = 0; i < 3; ++i) {
      format::PageLocation location;
      location.__set_offset(shifted.page_offsets()[i] + (i == 1 ? 1 : 0));
      location.__set_compressed_page_size(1);
      location.__set_first_row_index(std::vector<int64_t>{0, 4, 7}[i]);
      index.page_locations.push_back(location);
    }
    std::string bytes;
    ASSERT_TRUE(SerializeThrift(index, &bytes).ok());
    shifted.RawOffsetIndex(bytes);
  }
  EXPECT_EQ(check(std::move(shifted), "a page elsewhere").pages_read, 3);

  // A repeated column whose v1 headers do not count rows: the rows of a page read are
  // checked against the index (the first page holds two rows, not one).
  ChunkBuilder lists = FiveLists();
  lists.OffsetIndex({0, 1, 4});
  metrics = ReadMetrics();
  ASSERT_READ(data, lists.ReadRows(8, 5, {{3, 4}}, &metrics));
  EXPECT_THAT(Fixed<int32_t>(data), ElementsAre(4, 5, 6));
  EXPECT_EQ(metrics.pages_read, 1 + 3);  // one before the index failed, then all three
}

TEST(ColumnReaderTest, SurvivesCorruptOffsetIndexesAndPagesWhenSelectingRows) {
  const std::string original = ReadBytes(DataPath("data/alltypes_tiny_pages.parquet"));
  const TestFile test = OpenBuffer("tiny.parquet", original);
  const format::RowGroup& group = test.metadata.row_groups[0];
  const std::vector<RowRange> ranges = {{100, 130}, {4000, 4001}, {7000, 7300}};
  std::mt19937 rng(20240612);
  for (const std::string path : {"id", "string_col", "bool_col"}) {
    SCOPED_TRACE(path);
    const LeafDescriptor& leaf = test.Leaf(path);
    const format::ColumnChunk& chunk = group.columns[leaf.column_index];
    ASSERT_READ(full, test.Read(leaf));
    const std::vector<std::string> expected = Slots(full, leaf, &ranges);
    // Any damage to the offset index of a flat column still gives the same rows: the
    // page headers count its pages' rows.
    for (int round = 0; round < 100; ++round) {
      auto bytes = std::make_shared<std::string>(original);
      const int flips = 1 + static_cast<int>(rng() % 3);
      for (int i = 0; i < flips; ++i) {
        const int64_t position =
            chunk.offset_index_offset + static_cast<int64_t>(rng() % chunk.offset_index_length);
        (*bytes)[position] = static_cast<char>(rng());
      }
      const auto file = MakeBufferFile("tiny.parquet", bytes);
      const auto result =
          ReadColumnChunk(*file, chunk, leaf, group.num_rows, ReadLimits{}, {}, &ranges);
      ASSERT_TRUE(result.ok()) << result.status().ToString();
      EXPECT_EQ(Slots(*result, leaf), expected);
    }
    // Damaged pages fail cleanly (or, skipped, go unnoticed).
    const auto [start, end] = ChunkRange(chunk);
    for (int round = 0; round < 100; ++round) {
      auto bytes = std::make_shared<std::string>(original);
      const int64_t position = start + static_cast<int64_t>(rng() % (end - start));
      (*bytes)[position] = static_cast<char>(rng());
      const auto file = MakeBufferFile("tiny.parquet", bytes);
      const auto result =
          ReadColumnChunk(*file, chunk, leaf, group.num_rows, ReadLimits{}, {}, &ranges);
      if (!result.ok()) {
        ASSERT_TRUE(result.status().code() == StatusCode::kCorruption ||
                    result.status().code() == StatusCode::kNotImplemented)
            << result.status().ToString();
      }
    }
  }
}

TEST(ColumnReaderTest, RefusesRowRangesOutOfOrderOrOutsideTheRowGroup) {
  for (const std::vector<RowRange>& ranges : std::vector<std::vector<RowRange>>{
           {{2, 2}}, {{3, 4}, {1, 2}}, {{1, 3}, {2, 4}}, {{-1, 2}}, {{8, 11}}}) {
    ChunkBuilder builder = TenStrings();
    ReadMetrics metrics;
    const auto result = builder.ReadRows(10, 10, ranges, &metrics);
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(result.status().message(), HasSubstr("row range"));
  }
}

}  // namespace
}  // namespace sluice::parquet
