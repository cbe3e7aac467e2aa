// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/writer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "columnar/builder.h"
#include "columnar/printer.h"
#include "common/file_system.h"
#include "common/json.h"
#include "formats/parquet/compression.h"
#include "formats/parquet/leaf.h"
#include "formats/parquet/reader.h"
#include "formats/parquet/schema.h"
#include "formats/parquet/write_statistics.h"
#include "types/decimal.h"
#include "types/schema_json.h"
#include "types/variant.h"

namespace sluice::parquet {
namespace {

using format::Encoding;
using format::PageType;

// ---------------------------------------------------------------------------------------
// Batches from JSON rows: a row is an array with one value per column. Structs are
// arrays of their field values, maps arrays of [key, value] pairs, decimals strings,
// dates days, timestamps microseconds, floats numbers or "NaN"/"Infinity"/"-Infinity",
// binary strings of bytes, variants any JSON.

void AppendJson(const JsonValue& json, VectorBuilder* builder) {
  if (json.is_null()) {
    builder->AppendNull();
    return;
  }
  const DataType& type = *builder->type();
  switch (type.id()) {
    case TypeId::kBoolean:
      static_cast<BooleanBuilder*>(builder)->Append(json.bool_value());
      break;
    case TypeId::kByte:
      static_cast<Int8Builder*>(builder)->Append(static_cast<int8_t>(*json.AsInt64()));
      break;
    case TypeId::kShort:
      static_cast<Int16Builder*>(builder)->Append(static_cast<int16_t>(*json.AsInt64()));
      break;
    case TypeId::kInt:
    case TypeId::kDate:
      static_cast<Int32Builder*>(builder)->Append(static_cast<int32_t>(*json.AsInt64()));
      break;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      static_cast<Int64Builder*>(builder)->Append(*json.AsInt64());
      break;
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double value;
      if (json.is_string()) {
        value = json.text() == "NaN"        ? std::nan("")
                : json.text() == "Infinity" ? HUGE_VAL
                                            : -HUGE_VAL;
      } else {
        value = *json.AsDouble();
      }
      if (type.id() == TypeId::kFloat) {
        static_cast<FloatBuilder*>(builder)->Append(static_cast<float>(value));
      } else {
        static_cast<DoubleBuilder*>(builder)->Append(value);
      }
      break;
    }
    case TypeId::kDecimal: {
      Int128 unscaled = 0;
      ASSERT_TRUE(ParseDecimal(json.text(), type.precision(), type.scale(), &unscaled))
          << json.text();
      static_cast<DecimalBuilder*>(builder)->Append(unscaled);
      break;
    }
    case TypeId::kString:
    case TypeId::kBinary:
      static_cast<StringBuilder*>(builder)->Append(json.text());
      break;
    case TypeId::kStruct: {
      auto* struct_builder = static_cast<StructBuilder*>(builder);
      for (int i = 0; i < struct_builder->num_children(); ++i) {
        AppendJson(json.items()[i], struct_builder->child(i));
      }
      struct_builder->Append();
      break;
    }
    case TypeId::kArray: {
      auto* array = static_cast<ArrayBuilder*>(builder);
      for (const JsonValue& item : json.items()) {
        AppendJson(item, array->element());
      }
      array->Append();
      break;
    }
    case TypeId::kMap: {
      auto* map = static_cast<MapBuilder*>(builder);
      for (const JsonValue& entry : json.items()) {
        AppendJson(entry.items()[0], map->keys());
        AppendJson(entry.items()[1], map->values());
      }
      map->Append();
      break;
    }
    case TypeId::kNull:
      builder->AppendNull();
      break;
    case TypeId::kVariant: {
      std::string metadata;
      std::string value;
      ASSERT_TRUE(JsonToVariant(json, &metadata, &value).ok());
      static_cast<VariantBuilder*>(builder)->Append(metadata, value);
      break;
    }
  }
}

BatchPtr Rows(const SchemaPtr& schema, std::string_view rows_json) {
  Result<JsonValue> rows = JsonValue::Parse(rows_json);
  SLUICE_CHECK(rows.ok(), "bad test JSON: {}", rows.status().ToString());
  BatchBuilder builder(schema);
  for (const JsonValue& row : rows->items()) {
    for (int i = 0; i < schema->num_fields(); ++i) {
      AppendJson(row.items()[i], builder.column(i));
    }
  }
  return builder.Finish();
}

// ---------------------------------------------------------------------------------------
// Reading back what the writer wrote, without the reader.

format::FileMetaData ReadFooter(const std::string& file) {
  format::FileMetaData metadata;
  EXPECT_GE(file.size(), 12u);
  EXPECT_EQ(file.substr(0, 4), "PAR1");
  EXPECT_EQ(file.substr(file.size() - 4), "PAR1");
  uint32_t length = 0;
  std::memcpy(&length, file.data() + file.size() - 8, 4);
  EXPECT_LE(length + 12u, file.size());
  const Status status = DeserializeThrift(
      std::string_view(file).substr(file.size() - 8 - length, length), "footer", &metadata);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return metadata;
}

struct Page {
  format::PageHeader header;
  int64_t offset = 0;      // of the header
  int64_t total_size = 0;  // header and body
  std::string body;        // decompressed (v2: levels, then values)
};

// Walks the pages of a chunk, checking that they fill exactly the chunk's bytes and
// decompress to the announced size.
std::vector<Page> ReadPages(const std::string& file, const format::ColumnChunk& chunk) {
  const format::ColumnMetaData& meta = chunk.meta_data;
  const int64_t start =
      meta.__isset.dictionary_page_offset ? meta.dictionary_page_offset : meta.data_page_offset;
  const int64_t end = start + meta.total_compressed_size;
  EXPECT_LE(end, static_cast<int64_t>(file.size()));
  std::vector<Page> pages;
  int64_t position = start;
  int64_t uncompressed_total = 0;
  while (position < end) {
    Page page;
    page.offset = position;
    uint32_t consumed = 0;
    const Status status = DeserializeThrift(std::string_view(file).substr(position, end - position),
                                            "page header", &page.header, &consumed);
    EXPECT_TRUE(status.ok()) << status.ToString();
    if (!status.ok()) {
      break;
    }
    const int64_t body_start = position + consumed;
    const std::string_view stored =
        std::string_view(file).substr(body_start, page.header.compressed_page_size);
    int64_t levels_size = 0;
    if (page.header.type == PageType::DATA_PAGE_V2) {
      levels_size = page.header.data_page_header_v2.definition_levels_byte_length +
                    page.header.data_page_header_v2.repetition_levels_byte_length;
    }
    page.body.assign(stored.substr(0, levels_size));
    std::string values(page.header.uncompressed_page_size - levels_size, '\0');
    const bool compressed =
        page.header.type != PageType::DATA_PAGE_V2 || page.header.data_page_header_v2.is_compressed;
    if (compressed) {
      const Status decompressed = Decompress(meta.codec, stored.substr(levels_size),
                                             reinterpret_cast<uint8_t*>(values.data()),
                                             static_cast<int64_t>(values.size()));
      EXPECT_TRUE(decompressed.ok()) << decompressed.ToString();
    } else {
      EXPECT_EQ(stored.size(), page.header.uncompressed_page_size);
      values.assign(stored.substr(levels_size));
    }
    page.body += values;
    page.total_size = consumed + page.header.compressed_page_size;
    uncompressed_total += consumed + page.header.uncompressed_page_size;
    position += page.total_size;
    pages.push_back(std::move(page));
  }
  EXPECT_EQ(position, end);
  EXPECT_EQ(uncompressed_total, meta.total_uncompressed_size);
  return pages;
}

template <typename T>
std::string Plain(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

std::string WriteOrDie(const SchemaPtr& schema, const std::vector<BatchPtr>& batches,
                       const ParquetWriteOptions& options = {}) {
  Result<std::string> file = WriteParquetToString(schema, batches, options);
  SLUICE_CHECK(file.ok(), "write failed: {}", file.status().ToString());
  return *file;
}

std::map<std::pair<PageType::type, Encoding::type>, int> EncodingStats(
    const format::ColumnMetaData& meta) {
  std::map<std::pair<PageType::type, Encoding::type>, int> counts;
  for (const format::PageEncodingStats& stats : meta.encoding_stats) {
    counts[{stats.page_type, stats.encoding}] += stats.count;
  }
  return counts;
}

SchemaPtr EveryTypeSchema() {
  return MakeSchema({
      MakeField("bool", BooleanType()),
      MakeField("byte", ByteType()),
      MakeField("short", ShortType()),
      MakeField("int", IntType(), false),
      MakeField("long", LongType()),
      MakeField("float", FloatType()),
      MakeField("double", DoubleType()),
      MakeField("dec9", DecimalType(9, 2)),
      MakeField("dec18", DecimalType(18, 4)),
      MakeField("dec38", DecimalType(38, 10)),
      MakeField("string", StringType()),
      MakeField("binary", BinaryType()),
      MakeField("date", DateType()),
      MakeField("ts", TimestampType()),
      MakeField("ts_ntz", TimestampNtzType()),
      MakeField("struct",
                StructType({MakeField("a", IntType()), MakeField("b", StringType(), false)})),
      MakeField("array", ArrayType(LongType(), true)),
      MakeField("array_req", ArrayType(StringType(), false), false),
      MakeField("map", MapType(StringType(), IntType(), true)),
      MakeField("void", NullType()),
      MakeField("variant", VariantType()),
  });
}

TEST(WriterTest, WritesTheSchemaAsSparkDoes) {
  std::vector<Field> fields = EveryTypeSchema()->fields();
  fields[4].metadata.push_back({"parquet.field.id", "42"});
  const SchemaPtr schema = MakeSchema(fields);
  const format::FileMetaData metadata = ReadFooter(WriteOrDie(schema, {}));
  EXPECT_EQ(FormatParquetSchema(metadata.schema),
            "message spark_schema {\n"
            "  optional boolean bool;\n"
            "  optional int32 byte (INTEGER(8,true));\n"
            "  optional int32 short (INTEGER(16,true));\n"
            "  required int32 int;\n"
            "  optional int64 long = 42;\n"
            "  optional float float;\n"
            "  optional double double;\n"
            "  optional int32 dec9 (DECIMAL(9,2));\n"
            "  optional int64 dec18 (DECIMAL(18,4));\n"
            "  optional fixed_len_byte_array(16) dec38 (DECIMAL(38,10));\n"
            "  optional binary string (STRING);\n"
            "  optional binary binary;\n"
            "  optional int32 date (DATE);\n"
            "  optional int64 ts (TIMESTAMP(MICROS,true));\n"
            "  optional int64 ts_ntz (TIMESTAMP(MICROS,false));\n"
            "  optional group struct {\n"
            "    optional int32 a;\n"
            "    required binary b (STRING);\n"
            "  }\n"
            "  optional group array (LIST) {\n"
            "    repeated group list {\n"
            "      optional int64 element;\n"
            "    }\n"
            "  }\n"
            "  required group array_req (LIST) {\n"
            "    repeated group list {\n"
            "      required binary element (STRING);\n"
            "    }\n"
            "  }\n"
            "  optional group map (MAP) {\n"
            "    repeated group key_value {\n"
            "      required binary key (STRING);\n"
            "      optional int32 value;\n"
            "    }\n"
            "  }\n"
            "  optional int32 void (UNKNOWN);\n"
            "  optional group variant (VARIANT(1)) {\n"
            "    required binary metadata;\n"
            "    required binary value;\n"
            "  }\n"
            "}\n");
  // The legacy annotations Spark sets next to the logical types.
  auto element = [&](std::string_view name) {
    for (const format::SchemaElement& e : metadata.schema) {
      if (e.name == name) {
        return e;
      }
    }
    ADD_FAILURE() << "no element " << name;
    return format::SchemaElement();
  };
  EXPECT_EQ(element("byte").converted_type, format::ConvertedType::INT_8);
  EXPECT_EQ(element("dec38").converted_type, format::ConvertedType::DECIMAL);
  EXPECT_EQ(element("dec38").precision, 38);
  EXPECT_EQ(element("dec38").scale, 10);
  EXPECT_EQ(element("string").converted_type, format::ConvertedType::UTF8);
  EXPECT_EQ(element("ts").converted_type, format::ConvertedType::TIMESTAMP_MICROS);
  EXPECT_FALSE(element("ts_ntz").__isset.converted_type);
  EXPECT_EQ(element("array").converted_type, format::ConvertedType::LIST);
  EXPECT_EQ(element("map").converted_type, format::ConvertedType::MAP);

  // The reader's mapping gives back the same types.
  Result<FileSchema> file_schema = FileSchema::Make(metadata.schema);
  ASSERT_TRUE(file_schema.ok()) << file_schema.status().ToString();
  ASSERT_EQ(file_schema->schema()->num_fields(), schema->num_fields());
  for (int i = 0; i < schema->num_fields(); ++i) {
    EXPECT_EQ(file_schema->schema()->field(i).type->ToString(), schema->field(i).type->ToString())
        << schema->field(i).name;
  }
}

TEST(WriterTest, FooterCarriesSparkMetadataCreatedByAndColumnOrders) {
  const SchemaPtr schema = MakeSchema({MakeField("a", LongType()), MakeField("b", StringType())});
  ParquetWriteOptions options;
  options.key_value_metadata = {{"x", "1"}};
  options.created_by = "test writer";
  const format::FileMetaData metadata =
      ReadFooter(WriteOrDie(schema, {Rows(schema, R"([[1, "a"]])")}, options));
  std::map<std::string, std::string> key_values;
  for (const format::KeyValue& entry : metadata.key_value_metadata) {
    key_values[entry.key] = entry.value;
  }
  EXPECT_EQ(key_values["org.apache.spark.sql.parquet.row.metadata"], SchemaToJson(*schema));
  EXPECT_EQ(key_values["x"], "1");
  EXPECT_EQ(metadata.created_by, "test writer");
  ASSERT_EQ(metadata.column_orders.size(), 2u);
  EXPECT_TRUE(metadata.column_orders[0].__isset.TYPE_ORDER);
  EXPECT_EQ(metadata.num_rows, 1);
}

TEST(WriterTest, ZeroRowsAndEmptyBatchesWriteAFileWithoutRowGroups) {
  const SchemaPtr schema = MakeSchema({MakeField("a", LongType())});
  Result<std::unique_ptr<ParquetWriter>> writer =
      ParquetWriter::Open(std::make_unique<MemoryOutputStream>(), schema);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(*Batch::MakeEmpty(schema)).ok());
  Result<ParquetWriteResult> result = (*writer)->Close();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_rows, 0);
  EXPECT_EQ(result->num_row_groups, 0);
  ASSERT_EQ(result->columns.size(), 1u);
  EXPECT_EQ(result->columns[0].num_values, 0);
  EXPECT_FALSE(result->columns[0].min.has_value());

  const format::FileMetaData metadata = ReadFooter(WriteOrDie(schema, {Batch::MakeEmpty(schema)}));
  EXPECT_EQ(metadata.num_rows, 0);
  EXPECT_TRUE(metadata.row_groups.empty());
}

TEST(WriterTest, FlatColumnChunkMetadataAndStatistics) {
  const SchemaPtr schema =
      MakeSchema({MakeField("id", LongType(), false), MakeField("name", StringType())});
  const std::vector<BatchPtr> batches = {
      Rows(schema, R"([[5, "pear"], [-3, null], [7, "apple"]])"),
      Rows(schema, R"([[2, "pear"], [9, "zebra"]])"),
  };
  const std::string file = WriteOrDie(schema, batches);
  const format::FileMetaData metadata = ReadFooter(file);
  EXPECT_EQ(metadata.num_rows, 5);
  ASSERT_EQ(metadata.row_groups.size(), 1u);
  const format::RowGroup& group = metadata.row_groups[0];
  EXPECT_EQ(group.num_rows, 5);
  EXPECT_EQ(group.ordinal, 0);
  ASSERT_EQ(group.columns.size(), 2u);
  EXPECT_EQ(group.file_offset, 4);
  EXPECT_EQ(group.columns[0].file_offset, 4);

  const format::ColumnMetaData& id = group.columns[0].meta_data;
  EXPECT_EQ(id.type, format::Type::INT64);
  EXPECT_EQ(id.path_in_schema, std::vector<std::string>{"id"});
  EXPECT_EQ(id.codec, format::CompressionCodec::SNAPPY);
  EXPECT_EQ(id.num_values, 5);
  EXPECT_EQ(id.statistics.min_value, Plain<int64_t>(-3));
  EXPECT_EQ(id.statistics.max_value, Plain<int64_t>(9));
  EXPECT_EQ(id.statistics.min, Plain<int64_t>(-3));  // deprecated, signed order
  EXPECT_EQ(id.statistics.null_count, 0);
  EXPECT_TRUE(id.__isset.dictionary_page_offset);
  EXPECT_EQ(id.dictionary_page_offset, 4);
  EXPECT_EQ(id.encodings, (std::vector<Encoding::type>{Encoding::PLAIN, Encoding::RLE,
                                                       Encoding::RLE_DICTIONARY}));
  EXPECT_EQ(EncodingStats(id), (std::map<std::pair<PageType::type, Encoding::type>, int>{
                                   {{PageType::DICTIONARY_PAGE, Encoding::PLAIN}, 1},
                                   {{PageType::DATA_PAGE, Encoding::RLE_DICTIONARY}, 1}}));
  const std::vector<Page> pages = ReadPages(file, group.columns[0]);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].header.type, PageType::DICTIONARY_PAGE);
  EXPECT_EQ(pages[0].header.dictionary_page_header.num_values, 5);
  EXPECT_EQ(pages[0].body, Plain<int64_t>(5) + Plain<int64_t>(-3) + Plain<int64_t>(7) +
                               Plain<int64_t>(2) + Plain<int64_t>(9));
  EXPECT_EQ(pages[1].offset, id.data_page_offset);
  EXPECT_EQ(pages[1].header.data_page_header.num_values, 5);

  const format::ColumnMetaData& name = group.columns[1].meta_data;
  EXPECT_EQ(name.statistics.min_value, "apple");
  EXPECT_EQ(name.statistics.max_value, "zebra");
  EXPECT_TRUE(name.statistics.is_min_value_exact);
  EXPECT_FALSE(name.statistics.__isset.min);  // unsigned order: no deprecated fields
  EXPECT_EQ(name.statistics.null_count, 1);
  EXPECT_EQ(name.num_values, 5);
  EXPECT_EQ(group.total_byte_size, id.total_uncompressed_size + name.total_uncompressed_size);
  EXPECT_EQ(group.total_compressed_size, id.total_compressed_size + name.total_compressed_size);
}

TEST(WriterTest, CloseReturnsStatisticsMergedOverRowGroups) {
  const SchemaPtr schema = MakeSchema({
      MakeField("n", IntType()),
      MakeField("d", DecimalType(30, 2)),
      MakeField("f", DoubleType()),
      MakeField("s", StructType({MakeField("t", StringType())})),
      MakeField("b", BooleanType()),
  });
  ParquetWriteOptions options;
  options.row_group_row_limit = 2;
  auto stream = std::make_unique<MemoryOutputStream>();
  Result<std::unique_ptr<ParquetWriter>> writer =
      ParquetWriter::Open(std::move(stream), schema, options);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)
                  ->Write(*Rows(schema, R"([[3, "-1.50", 0.0, ["m"], true],
                                            [null, "99.99", "NaN", null, null],
                                            [-8, "-100.25", -0.0, [null], false]])"))
                  .ok());
  Result<ParquetWriteResult> result = (*writer)->Close();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_rows, 3);
  EXPECT_EQ(result->num_row_groups, 2);
  ASSERT_EQ(result->columns.size(), 5u);

  const ColumnStatistics& n = result->columns[0];
  EXPECT_EQ(n.path, std::vector<std::string>{"n"});
  EXPECT_EQ(n.num_values, 3);
  EXPECT_EQ(n.null_count, 1);
  EXPECT_EQ(std::get<int64_t>(n.min->value), -8);
  EXPECT_EQ(std::get<int64_t>(n.max->value), 3);
  EXPECT_EQ(n.min->type->id(), TypeId::kInt);

  const ColumnStatistics& d = result->columns[1];
  EXPECT_EQ(std::get<Int128>(d.min->value), Int128{-10025});
  EXPECT_EQ(std::get<Int128>(d.max->value), Int128{9999});

  const ColumnStatistics& f = result->columns[2];
  EXPECT_EQ(f.nan_count, 1);
  EXPECT_TRUE(std::signbit(std::get<double>(f.min->value)));
  EXPECT_FALSE(std::signbit(std::get<double>(f.max->value)));

  const ColumnStatistics& t = result->columns[3];
  EXPECT_EQ(t.path, (std::vector<std::string>{"s", "t"}));
  EXPECT_EQ(t.null_count, 2);
  EXPECT_EQ(std::get<std::string>(t.min->value), "m");

  const ColumnStatistics& b = result->columns[4];
  EXPECT_EQ(std::get<bool>(b.min->value), false);
  EXPECT_EQ(std::get<bool>(b.max->value), true);
}

TEST(WriterTest, StatisticsUsePhysicalFormsAndTheSpecsZeroRules) {
  const SchemaPtr schema = MakeSchema({
      MakeField("byte", ByteType()),
      MakeField("dec", DecimalType(20, 0)),
      MakeField("f", FloatType()),
      MakeField("nan", DoubleType()),
      MakeField("date", DateType()),
  });
  const std::string file = WriteOrDie(
      schema, {Rows(schema, R"([[-5, "-2", 0.0, "NaN", 19000], [7, "300", 2.5, "NaN", -1]])")});
  const format::FileMetaData metadata = ReadFooter(file);
  const format::RowGroup& group = metadata.row_groups[0];
  const format::Statistics& byte = group.columns[0].meta_data.statistics;
  EXPECT_EQ(byte.min_value, Plain<int32_t>(-5));
  EXPECT_EQ(byte.max_value, Plain<int32_t>(7));
  // decimal(20,0) takes 9 bytes, big-endian two's complement.
  const format::Statistics& dec = group.columns[1].meta_data.statistics;
  EXPECT_EQ(dec.min_value, std::string("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFE", 9));
  EXPECT_EQ(dec.max_value, std::string("\0\0\0\0\0\0\0\x01\x2C", 9));
  EXPECT_EQ(dec.min, dec.min_value);
  const format::Statistics& f = group.columns[2].meta_data.statistics;
  EXPECT_EQ(f.min_value, Plain<float>(-0.0f));
  EXPECT_EQ(f.max_value, Plain<float>(2.5f));
  EXPECT_EQ(f.nan_count, 0);
  const format::Statistics& nan = group.columns[3].meta_data.statistics;
  EXPECT_FALSE(nan.__isset.min_value);
  EXPECT_EQ(nan.nan_count, 2);
  EXPECT_EQ(nan.null_count, 0);
  EXPECT_EQ(group.columns[4].meta_data.statistics.min_value, Plain<int32_t>(-1));
  // A column of only NaN has no page bounds, hence no column index.
  EXPECT_FALSE(group.columns[3].__isset.column_index_offset);
  EXPECT_TRUE(group.columns[3].__isset.offset_index_offset);
  EXPECT_TRUE(group.columns[2].__isset.column_index_offset);
}

TEST(WriterTest, TruncatesLongStringAndBinaryBounds) {
  const SchemaPtr schema = MakeSchema({MakeField("s", StringType()), MakeField("b", BinaryType())});
  const std::string low(100, 'a');
  const std::string high = std::string(10, 'z') + std::string(90, 'q');
  ParquetWriteOptions options;
  options.statistics_truncate_length = 16;
  const std::string file = WriteOrDie(
      schema,
      {Rows(schema, "[[\"" + low + "\", \"" + low + "\"], [\"" + high + "\", \"" + high + "\"]]")},
      options);
  const format::FileMetaData metadata = ReadFooter(file);
  const format::RowGroup& group = metadata.row_groups[0];
  for (const format::ColumnChunk& chunk : group.columns) {
    const format::Statistics& stats = chunk.meta_data.statistics;
    EXPECT_EQ(stats.min_value, std::string(16, 'a'));
    EXPECT_EQ(stats.max_value, std::string(10, 'z') + std::string(5, 'q') + "r");
    EXPECT_FALSE(stats.is_min_value_exact);
    EXPECT_FALSE(stats.is_max_value_exact);
  }
}

TEST(WriterTest, TruncatedBoundsRespectUtf8AndCarry) {
  bool exact = true;
  // "é" is two bytes: a lower bound never splits it.
  EXPECT_EQ(TruncateLowerBound("abé", 3, true, &exact), "ab");
  EXPECT_FALSE(exact);
  EXPECT_EQ(TruncateLowerBound("abc", 3, true, &exact), "abc");
  EXPECT_TRUE(exact);
  // The upper bound increments the last whole character: é (U+00E9) -> ê.
  EXPECT_EQ(TruncateUpperBound("aébc", 3, true, &exact), "aê");
  EXPECT_FALSE(exact);
  // U+10FFFF cannot grow: it is dropped and the character before it incremented.
  EXPECT_EQ(TruncateUpperBound("a\U0010FFFFbc", 5, true, &exact), "b");
  // U+D7FF increments past the surrogates to U+E000.
  EXPECT_EQ(TruncateUpperBound("\uD7FFxyz", 3, true, &exact), "\uE000");
  // Binary carries over 0xFF bytes.
  EXPECT_EQ(TruncateUpperBound("a\xFF\xFFzz", 3, false, &exact), "b");
  EXPECT_FALSE(exact);
  // Nothing to increment: the whole value is the bound.
  EXPECT_EQ(TruncateUpperBound("\xFF\xFF\xFF\xFF", 2, false, &exact), "\xFF\xFF\xFF\xFF");
  EXPECT_TRUE(exact);
  // A string that is not UTF-8 is truncated bytewise.
  EXPECT_EQ(TruncateUpperBound("ab\xC3zz", 3, true, &exact), "ab\xC4");
}

TEST(WriterTest, NullInNonNullableFieldIsInvalidArgumentNamingFieldAndRow) {
  const SchemaPtr schema = MakeSchema({MakeField("a", LongType(), false)});
  Status status = WriteParquetToString(schema, {Rows(schema, "[[1], [2], [null]]")}).status();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("a at row 2"), std::string::npos) << status.ToString();

  const SchemaPtr nested = MakeSchema({
      MakeField("s", StructType({MakeField("x", IntType(), false)})),
      MakeField("l", ArrayType(IntType(), false)),
  });
  // A null x under a null struct is fine; a null element of l is not.
  status = WriteParquetToString(nested, {Rows(nested, "[[null, [1]], [[3], [1, null]]]")}).status();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("l.element at row 1"), std::string::npos) << status.ToString();
  EXPECT_TRUE(WriteParquetToString(nested, {Rows(nested, "[[null, [1]], [[3], null]]")}).ok());

  // Nothing of a refused batch is written; the writer goes on.
  Result<std::unique_ptr<ParquetWriter>> writer =
      ParquetWriter::Open(std::make_unique<MemoryOutputStream>(), schema);
  ASSERT_TRUE(writer.ok());
  EXPECT_FALSE((*writer)->Write(*Rows(schema, "[[1], [null]]")).ok());
  EXPECT_TRUE((*writer)->Write(*Rows(schema, "[[1]]")).ok());
  Result<ParquetWriteResult> result = (*writer)->Close();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->num_rows, 1);
}

TEST(WriterTest, BatchOfAnotherShapeIsInvalidArgument) {
  const SchemaPtr schema = MakeSchema({MakeField("a", LongType())});
  const SchemaPtr other = MakeSchema({MakeField("a", IntType())});
  Status status = WriteParquetToString(schema, {Rows(other, "[[1]]")}).status();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  const SchemaPtr two = MakeSchema({MakeField("a", LongType()), MakeField("b", LongType())});
  status = WriteParquetToString(schema, {Rows(two, "[[1, 2]]")}).status();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  // Names and nullability aside, the same shape is accepted.
  const SchemaPtr renamed = MakeSchema({MakeField("z", LongType(), false)});
  EXPECT_TRUE(WriteParquetToString(schema, {Rows(renamed, "[[1]]")}).ok());
}

// Builds `rows` rows of a long column counting up from `first`.
BatchPtr Sequence(const SchemaPtr& schema, int64_t first, int64_t rows) {
  BatchBuilder builder(schema);
  auto* longs = static_cast<Int64Builder*>(builder.column(0));
  for (int64_t i = 0; i < rows; ++i) {
    longs->Append(first + i);
  }
  return builder.Finish();
}

TEST(WriterTest, RowGroupRowLimitCutsRowGroupsExactly) {
  const SchemaPtr schema = MakeSchema({MakeField("a", LongType())});
  std::vector<BatchPtr> batches;
  for (int64_t first = 0; first < 1050; first += 64) {
    batches.push_back(Sequence(schema, first, std::min<int64_t>(64, 1050 - first)));
  }
  ParquetWriteOptions options;
  options.row_group_row_limit = 100;
  const format::FileMetaData metadata = ReadFooter(WriteOrDie(schema, batches, options));
  ASSERT_EQ(metadata.row_groups.size(), 11u);
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(metadata.row_groups[i].num_rows, 100);
    EXPECT_EQ(metadata.row_groups[i].ordinal, static_cast<int16_t>(i));
    EXPECT_EQ(metadata.row_groups[i].columns[0].meta_data.statistics.min_value,
              Plain<int64_t>(static_cast<int64_t>(i) * 100));
  }
  EXPECT_EQ(metadata.row_groups[10].num_rows, 50);
  EXPECT_EQ(metadata.num_rows, 1050);
}

TEST(WriterTest, RowGroupSizeTargetClosesRowGroups) {
  const SchemaPtr schema = MakeSchema({MakeField("a", LongType())});
  ParquetWriteOptions options;
  options.dictionary = false;
  options.compression = format::CompressionCodec::UNCOMPRESSED;
  options.row_group_size = 80000;  // about 10,000 rows of 8 bytes
  const format::FileMetaData metadata =
      ReadFooter(WriteOrDie(schema, {Sequence(schema, 0, 100000)}, options));
  EXPECT_GE(metadata.row_groups.size(), 9u);
  EXPECT_LE(metadata.row_groups.size(), 12u);
  int64_t rows = 0;
  for (const format::RowGroup& group : metadata.row_groups) {
    EXPECT_LE(group.total_byte_size, 80000 + 16 * 1024) << group.num_rows;
    rows += group.num_rows;
  }
  EXPECT_EQ(rows, 100000);
}

TEST(WriterTest, DictionaryFallsBackToTheValueEncodingPastTheLimit) {
  const SchemaPtr schema = MakeSchema({MakeField("a", LongType())});
  ParquetWriteOptions options;
  options.dictionary_page_size_limit = 4000;  // 500 longs
  options.value_encoding = Encoding::DELTA_BINARY_PACKED;
  const std::string file = WriteOrDie(schema, {Sequence(schema, 0, 5000)}, options);
  const format::FileMetaData metadata = ReadFooter(file);
  const format::ColumnChunk& chunk = metadata.row_groups[0].columns[0];
  const auto stats = EncodingStats(chunk.meta_data);
  EXPECT_EQ(stats.at({PageType::DICTIONARY_PAGE, Encoding::PLAIN}), 1);
  EXPECT_GE(stats.at({PageType::DATA_PAGE, Encoding::RLE_DICTIONARY}), 1);
  EXPECT_GE(stats.at({PageType::DATA_PAGE, Encoding::DELTA_BINARY_PACKED}), 1);
  const std::vector<Page> pages = ReadPages(file, chunk);
  ASSERT_GE(pages.size(), 3u);
  EXPECT_EQ(pages[0].header.type, PageType::DICTIONARY_PAGE);
  // The dictionary stops growing at the first check past the limit.
  EXPECT_GE(pages[0].header.dictionary_page_header.num_values, 500);
  EXPECT_LE(pages[0].header.dictionary_page_header.num_values, 500 + 1024);
  int64_t values = 0;
  for (size_t i = 1; i < pages.size(); ++i) {
    values += pages[i].header.data_page_header.num_values;
  }
  EXPECT_EQ(values, 5000);
  EXPECT_EQ(chunk.meta_data.encodings,
            (std::vector<Encoding::type>{Encoding::PLAIN, Encoding::RLE, Encoding::RLE_DICTIONARY,
                                         Encoding::DELTA_BINARY_PACKED}));
}

// Rows of 0, 1, 2, 0, 1, 2, ... elements, each element the row number.
BatchPtr RaggedLists(const SchemaPtr& schema, int64_t rows) {
  BatchBuilder builder(schema);
  auto* lists = static_cast<ArrayBuilder*>(builder.column(0));
  for (int64_t row = 0; row < rows; ++row) {
    for (int64_t k = 0; k < row % 3; ++k) {
      static_cast<Int64Builder*>(lists->element())->Append(row);
    }
    lists->Append();
  }
  return builder.Finish();
}

TEST(WriterTest, PagesFollowTheRowLimitAndStartAtRowsInThePageIndex) {
  const SchemaPtr schema = MakeSchema({MakeField("l", ArrayType(LongType()))});
  for (const DataPageVersion version : {DataPageVersion::kV1, DataPageVersion::kV2}) {
    ParquetWriteOptions options;
    options.data_page_row_limit = 64;
    options.data_page_version = version;
    const std::string file = WriteOrDie(schema, {RaggedLists(schema, 1000)}, options);
    const format::FileMetaData metadata = ReadFooter(file);
    const format::ColumnChunk& chunk = metadata.row_groups[0].columns[0];
    const std::vector<Page> pages = ReadPages(file, chunk);
    ASSERT_EQ(pages.size(), 1u + (1000 + 63) / 64);  // the dictionary, then 16 data pages
    // The offset index points at each data page and its first row.
    const std::string_view tail =
        std::string_view(file).substr(chunk.offset_index_offset, chunk.offset_index_length);
    format::OffsetIndex offset_index;
    ASSERT_TRUE(DeserializeThrift(tail, "offset index", &offset_index).ok());
    ASSERT_EQ(offset_index.page_locations.size(), pages.size() - 1);
    for (size_t i = 0; i < offset_index.page_locations.size(); ++i) {
      EXPECT_EQ(offset_index.page_locations[i].offset, pages[i + 1].offset);
      EXPECT_EQ(offset_index.page_locations[i].compressed_page_size, pages[i + 1].total_size);
      EXPECT_EQ(offset_index.page_locations[i].first_row_index, static_cast<int64_t>(i) * 64);
      if (version == DataPageVersion::kV2) {
        EXPECT_EQ(pages[i + 1].header.type, PageType::DATA_PAGE_V2);
        EXPECT_EQ(pages[i + 1].header.data_page_header_v2.num_rows, i < 15 ? 64 : 1000 - 15 * 64);
      }
    }
    format::ColumnIndex column_index;
    ASSERT_TRUE(DeserializeThrift(std::string_view(file).substr(chunk.column_index_offset,
                                                                chunk.column_index_length),
                                  "column index", &column_index)
                    .ok());
    ASSERT_EQ(column_index.min_values.size(), pages.size() - 1);
    EXPECT_EQ(column_index.boundary_order, format::BoundaryOrder::ASCENDING);
    EXPECT_EQ(column_index.min_values[1], Plain<int64_t>(64));  // rows 64 to 127
    EXPECT_EQ(column_index.max_values[1], Plain<int64_t>(127));
    EXPECT_EQ(column_index.null_counts[1], 21);  // the empty lists of rows 66, 69, ..., 126
    EXPECT_FALSE(column_index.null_pages[1]);
  }
}

TEST(WriterTest, DataPagesCloseAtTheSizeTarget) {
  const SchemaPtr schema = MakeSchema({MakeField("a", LongType())});
  ParquetWriteOptions options;
  options.dictionary = false;
  options.data_page_size = 8 * 1024 * 10;  // 10 checks of 1024 longs
  const std::string file = WriteOrDie(schema, {Sequence(schema, 0, 100000)}, options);
  const format::FileMetaData metadata = ReadFooter(file);
  const format::ColumnChunk& chunk = metadata.row_groups[0].columns[0];
  const std::vector<Page> pages = ReadPages(file, chunk);
  ASSERT_GE(pages.size(), 9u);
  for (const Page& page : pages) {
    EXPECT_LE(page.header.uncompressed_page_size, 8 * 1024 * 11);
    EXPECT_EQ(page.header.data_page_header.encoding, Encoding::PLAIN);
  }
}

// Rows of every type with nulls at every level.
std::vector<BatchPtr> EveryTypeBatches(const SchemaPtr& schema) {
  return {
      Rows(schema, R"([
        [true, -128, -32768, -2147483648, -9223372036854775808, -1.5, "NaN", "-9999999.99",
         "-99999999999999.9999", "-9999999999999999999999999999.9999999999", "héllo",
         "\u0000\u00ff", -719162, -62135596800000000, 253402300799999999,
         [1, "x"], [1, null, 3], ["a", "b"], [["k", 1], ["l", null]], null,
         {"a": [1, {"b": null}], "c": "d"}],
        [null, null, null, 0, null, null, null, null, null, null, null, null, null, null, null,
         null, null, [], null, null, null],
        [false, 127, 32767, 2147483647, 9223372036854775807, "Infinity", -0.0, "0.01", "0.0001",
         "1E-10", "", "", 0, 0, 0, [null, ""], [], [], [], null, 12]
      ])"),
      Batch::MakeEmpty(schema),
      Rows(schema, R"([
        [true, 1, 2, 3, 4, 5.5, 6.25, "7.00", "8.0000", "9.0000000000", "text", "bin", 20000,
         1700000000000000, 1700000000000001, [null, "y"], [null], ["c"], [["m", 7]], null,
         "str"]
      ])"),
  };
}

TEST(WriterTest, WritesEveryTypeWithEveryCodecPageVersionAndEncoding) {
  const SchemaPtr schema = EveryTypeSchema();
  const std::vector<BatchPtr> batches = EveryTypeBatches(schema);
  const std::vector<Codec> codecs = {format::CompressionCodec::UNCOMPRESSED,
                                     format::CompressionCodec::SNAPPY,
                                     format::CompressionCodec::GZIP, format::CompressionCodec::ZSTD,
                                     format::CompressionCodec::LZ4_RAW};
  const std::vector<Encoding::type> value_encodings = {Encoding::PLAIN,
                                                       Encoding::DELTA_BINARY_PACKED,
                                                       Encoding::DELTA_LENGTH_BYTE_ARRAY,
                                                       Encoding::DELTA_BYTE_ARRAY,
                                                       Encoding::BYTE_STREAM_SPLIT,
                                                       Encoding::RLE};
  for (const Codec codec : codecs) {
    for (const DataPageVersion version : {DataPageVersion::kV1, DataPageVersion::kV2}) {
      for (const bool dictionary : {true, false}) {
        for (const Encoding::type value_encoding : value_encodings) {
          SCOPED_TRACE(fmt::format("{} v{} dictionary={} {}", CodecName(codec),
                                   version == DataPageVersion::kV1 ? 1 : 2, dictionary,
                                   static_cast<int>(value_encoding)));
          ParquetWriteOptions options;
          options.compression = codec;
          options.data_page_version = version;
          options.dictionary = dictionary;
          options.value_encoding = value_encoding;
          options.row_group_row_limit = 3;
          const std::string file = WriteOrDie(schema, batches, options);
          const format::FileMetaData metadata = ReadFooter(file);
          EXPECT_EQ(metadata.num_rows, 4);
          ASSERT_EQ(metadata.row_groups.size(), 2u);
          EXPECT_EQ(metadata.row_groups[1].num_rows, 1);
          for (const format::RowGroup& group : metadata.row_groups) {
            ASSERT_EQ(group.columns.size(), 24u);
            for (const format::ColumnChunk& chunk : group.columns) {
              EXPECT_EQ(chunk.meta_data.codec, codec);
              int64_t values = 0;
              for (const Page& page : ReadPages(file, chunk)) {
                if (page.header.type == PageType::DATA_PAGE) {
                  ASSERT_EQ(version, DataPageVersion::kV1);
                  values += page.header.data_page_header.num_values;
                } else if (page.header.type == PageType::DATA_PAGE_V2) {
                  ASSERT_EQ(version, DataPageVersion::kV2);
                  values += page.header.data_page_header_v2.num_values;
                } else {
                  EXPECT_TRUE(dictionary);
                }
              }
              EXPECT_EQ(values, chunk.meta_data.num_values);
            }
          }
        }
      }
    }
  }
}

TEST(WriterTest, V2PagesOfNullsStoreTheirEmptyValuesUncompressed) {
  const SchemaPtr schema = MakeSchema({MakeField("v", NullType()), MakeField("a", LongType())});
  ParquetWriteOptions options;
  options.data_page_version = DataPageVersion::kV2;
  options.compression = format::CompressionCodec::LZ4_RAW;
  const std::string file = WriteOrDie(schema, {Rows(schema, "[[null, 1], [null, 2]]")}, options);
  const format::FileMetaData metadata = ReadFooter(file);
  const std::vector<Page> nulls = ReadPages(file, metadata.row_groups[0].columns[0]);
  ASSERT_EQ(nulls.size(), 1u);
  EXPECT_FALSE(nulls[0].header.data_page_header_v2.is_compressed);
  EXPECT_EQ(nulls[0].header.data_page_header_v2.num_nulls, 2);
  const std::vector<Page> values = ReadPages(file, metadata.row_groups[0].columns[1]);
  EXPECT_TRUE(values.back().header.data_page_header_v2.is_compressed);
}

TEST(WriterTest, NestedLevelsCountEverySlot) {
  const SchemaPtr schema = EveryTypeSchema();
  const format::FileMetaData metadata = ReadFooter(WriteOrDie(schema, EveryTypeBatches(schema)));
  std::map<std::string, const format::ColumnMetaData*> chunks;
  for (const format::ColumnChunk& chunk : metadata.row_groups[0].columns) {
    std::string path;
    for (const std::string& part : chunk.meta_data.path_in_schema) {
      path += (path.empty() ? "" : ".") + part;
    }
    chunks[path] = &chunk.meta_data;
  }
  ASSERT_EQ(chunks.size(), 24u);
  // array: [1, null, 3], null, [], [null] -> 3 + 1 + 1 + 1 slots, 4 of them null.
  EXPECT_EQ(chunks["array.list.element"]->num_values, 6);
  EXPECT_EQ(chunks["array.list.element"]->statistics.null_count, 4);
  // map: 2 entries, null, empty, 1 entry -> 5 slots.
  EXPECT_EQ(chunks["map.key_value.key"]->num_values, 5);
  EXPECT_EQ(chunks["map.key_value.key"]->statistics.null_count, 2);
  EXPECT_EQ(chunks["map.key_value.value"]->statistics.null_count, 3);
  EXPECT_EQ(chunks["struct.b"]->statistics.null_count, 1);
  EXPECT_EQ(chunks["void"]->statistics.null_count, 4);
  EXPECT_FALSE(chunks["void"]->statistics.__isset.min_value);
  EXPECT_EQ(chunks["variant.metadata"]->statistics.null_count, 1);
  EXPECT_EQ(chunks["string"]->statistics.min_value, "");
  EXPECT_EQ(chunks["string"]->statistics.max_value, "text");
  EXPECT_EQ(chunks["ts"]->statistics.min_value, Plain<int64_t>(-62135596800000000));
}

TEST(WriterTest, WritesLocalFilesAndRefusesUseAfterClose) {
  const std::string path = ::testing::TempDir() + "/writer_test_local.parquet";
  const SchemaPtr schema = MakeSchema({MakeField("a", LongType())});
  Result<std::unique_ptr<ParquetWriter>> writer = ParquetWriter::Open(path, schema);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Write(*Sequence(schema, 0, 3000)).ok());
  Result<ParquetWriteResult> result = (*writer)->Close();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_rows, 3000);
  EXPECT_FALSE((*writer)->Write(*Sequence(schema, 0, 1)).ok());
  EXPECT_FALSE((*writer)->Close().ok());
  Result<std::string> bytes = LocalFileSystem::Default().ReadFile(path);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(static_cast<int64_t>(bytes->size()), result->file_size);
  EXPECT_EQ(ReadFooter(*bytes).num_rows, 3000);

  EXPECT_EQ(ParquetWriter::Open("/nonexistent-dir/x.parquet", schema).status().code(),
            StatusCode::kIoError);
}

// Returns every cell of `batches` as Spark's show() prints it, row by row.
std::vector<std::string> Cells(const std::vector<BatchPtr>& batches) {
  std::vector<std::string> cells;
  for (const BatchPtr& batch : batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      std::string line;
      for (int i = 0; i < batch->num_columns(); ++i) {
        line += FormatCell(*batch->column(i), row) + " | ";
      }
      cells.push_back(std::move(line));
    }
  }
  return cells;
}

// Writes `batches` into `*file`, reads them back with ParquetReader and expects the
// same types and values.
void ExpectRoundTrip(const SchemaPtr& schema, const std::vector<BatchPtr>& batches,
                     const ParquetWriteOptions& options, std::string* file_out = nullptr) {
  const std::string file = WriteOrDie(schema, batches, options);
  if (file_out != nullptr) {
    *file_out = file;
  }
  Result<std::unique_ptr<ParquetReader>> reader = ParquetReader::Open(
      MakeBufferFile("round_trip.parquet", std::make_shared<const std::string>(file)));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ASSERT_EQ((*reader)->schema()->num_fields(), schema->num_fields());
  for (int i = 0; i < schema->num_fields(); ++i) {
    EXPECT_EQ((*reader)->schema()->field(i).type->ToString(), schema->field(i).type->ToString());
  }
  Result<std::vector<BatchPtr>> read = (*reader)->ReadAll();
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  const std::vector<std::string> expected = Cells(batches);
  const std::vector<std::string> actual = Cells(*read);
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t row = 0; row < expected.size(); ++row) {
    ASSERT_EQ(actual[row], expected[row]) << "row " << row;
  }
}

TEST(WriterTest, RoundTripsEveryTypeThroughTheReaderWithEveryLayout) {
  const SchemaPtr schema = EveryTypeSchema();
  const std::vector<BatchPtr> batches = EveryTypeBatches(schema);
  for (const Codec codec : {format::CompressionCodec::UNCOMPRESSED,
                            format::CompressionCodec::SNAPPY, format::CompressionCodec::ZSTD}) {
    for (const DataPageVersion version : {DataPageVersion::kV1, DataPageVersion::kV2}) {
      for (const bool dictionary : {true, false}) {
        for (const Encoding::type value_encoding :
             {Encoding::PLAIN, Encoding::DELTA_BINARY_PACKED, Encoding::DELTA_LENGTH_BYTE_ARRAY,
              Encoding::DELTA_BYTE_ARRAY, Encoding::BYTE_STREAM_SPLIT, Encoding::RLE}) {
          SCOPED_TRACE(fmt::format("{} v{} dictionary={} {}", CodecName(codec),
                                   version == DataPageVersion::kV1 ? 1 : 2, dictionary,
                                   static_cast<int>(value_encoding)));
          ParquetWriteOptions options;
          options.compression = codec;
          options.data_page_version = version;
          options.dictionary = dictionary;
          options.value_encoding = value_encoding;
          options.row_group_row_limit = 3;
          ExpectRoundTrip(schema, batches, options);
        }
      }
    }
  }
}

// Deterministic rows with nulls and containers of every size, built without JSON.
std::vector<BatchPtr> GeneratedNestedBatches(const SchemaPtr& schema, int64_t rows) {
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::vector<BatchPtr> batches;
  BatchBuilder builder(schema);
  for (int64_t row = 0; row < rows; ++row) {
    auto* id = static_cast<Int64Builder*>(builder.column(0));
    id->Append(row);
    auto* text = static_cast<StringBuilder*>(builder.column(1));
    if (next() % 7 == 0) {
      text->AppendNull();
    } else {
      text->Append(fmt::format("value-{}", next() % (row < rows / 2 ? 50 : 100000)));
    }
    auto* items = static_cast<ArrayBuilder*>(builder.column(2));
    if (next() % 9 == 0) {
      items->AppendNull();
    } else {
      auto* item = static_cast<StructBuilder*>(items->element());
      const uint64_t count = next() % 4;
      for (uint64_t k = 0; k < count; ++k) {
        if (next() % 5 == 0) {
          item->AppendNull();
          continue;
        }
        static_cast<Int32Builder*>(item->child(0))->Append(static_cast<int32_t>(next() % 1000));
        auto* tags = static_cast<ArrayBuilder*>(item->child(1));
        const uint64_t tag_count = next() % 3;
        for (uint64_t t = 0; t < tag_count; ++t) {
          static_cast<StringBuilder*>(tags->element())->Append(fmt::format("t{}", next() % 20));
        }
        tags->Append();
        item->Append();
      }
      items->Append();
    }
    auto* map = static_cast<MapBuilder*>(builder.column(3));
    if (next() % 6 == 0) {
      map->AppendNull();
    } else {
      const uint64_t count = next() % 3;
      for (uint64_t k = 0; k < count; ++k) {
        static_cast<StringBuilder*>(map->keys())->Append(fmt::format("k{}", k));
        if (next() % 4 == 0) {
          map->values()->AppendNull();
        } else {
          static_cast<DoubleBuilder*>(map->values())->Append(static_cast<double>(next() % 997) / 8);
        }
      }
      map->Append();
    }
    if (builder.num_rows() == 1500) {
      batches.push_back(builder.Finish());
    }
  }
  batches.push_back(builder.Finish());
  return batches;
}

TEST(WriterTest, RoundTripsManyNestedRowsAcrossPagesRowGroupsAndFallbacks) {
  const SchemaPtr schema = MakeSchema({
      MakeField("id", LongType(), false),
      MakeField("text", StringType()),
      MakeField("items", ArrayType(StructType({MakeField("n", IntType()),
                                               MakeField("tags", ArrayType(StringType()))}))),
      MakeField("map", MapType(StringType(), DoubleType())),
  });
  const std::vector<BatchPtr> batches = GeneratedNestedBatches(schema, 20000);
  for (const DataPageVersion version : {DataPageVersion::kV1, DataPageVersion::kV2}) {
    ParquetWriteOptions options;
    options.data_page_version = version;
    options.data_page_size = 2048;
    options.dictionary_page_size_limit = 4096;
    options.row_group_size = 64 * 1024;
    std::string file;
    ExpectRoundTrip(schema, batches, options, &file);
    // The layout did what the test is about: several row groups, many pages, and a
    // dictionary that fell back to PLAIN for the text column of the later rows.
    const format::FileMetaData metadata = ReadFooter(file);
    EXPECT_GT(metadata.row_groups.size(), 3u);
    const auto stats =
        EncodingStats(metadata.row_groups[metadata.row_groups.size() - 2].columns[1].meta_data);
    const PageType::type data_page =
        version == DataPageVersion::kV1 ? PageType::DATA_PAGE : PageType::DATA_PAGE_V2;
    EXPECT_GT(stats.count({data_page, Encoding::PLAIN}), 0u);
    EXPECT_GT(stats.count({data_page, Encoding::RLE_DICTIONARY}), 0u);
    EXPECT_GT(ReadPages(file, metadata.row_groups[0].columns[2]).size(), 3u);
  }
}

}  // namespace
}  // namespace sluice::parquet
