// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/writer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "columnar/builder.h"
#include "common/file_system.h"
#include "formats/parquet/schema.h"
#include "formats/parquet/tests/writer_fixtures.h"
#include "formats/parquet/write_statistics.h"
#include "types/schema_json.h"

namespace sluice::parquet {
namespace {

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
  const std::vector<WrittenPage> pages = ReadPages(file, group.columns[0]);
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
  const std::vector<WrittenPage> pages = ReadPages(file, chunk);
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

TEST(WriterTest, DictionaryThatDoesNotPayOnTheFirstPageFallsBack) {
  // Unique values: the first page's dictionary is as large as its values, so the rest of
  // the chunk is PLAIN although the dictionary is far below its size limit. Repeated
  // values keep the dictionary.
  const SchemaPtr schema = MakeSchema({MakeField("a", LongType()), MakeField("b", LongType())});
  BatchBuilder builder(schema);
  for (int64_t i = 0; i < 5000; ++i) {
    static_cast<Int64Builder*>(builder.column(0))->Append(i * 7919);
    static_cast<Int64Builder*>(builder.column(1))->Append(i % 10);
  }
  ParquetWriteOptions options;
  options.data_page_row_limit = 1000;
  const std::string file = WriteOrDie(schema, {builder.Finish()}, options);
  const format::FileMetaData metadata = ReadFooter(file);
  const auto unique = EncodingStats(metadata.row_groups[0].columns[0].meta_data);
  EXPECT_EQ(unique.at({PageType::DATA_PAGE, Encoding::RLE_DICTIONARY}), 1);
  EXPECT_EQ(unique.at({PageType::DATA_PAGE, Encoding::PLAIN}), 4);
  const auto repeated = EncodingStats(metadata.row_groups[0].columns[1].meta_data);
  EXPECT_EQ(repeated.at({PageType::DATA_PAGE, Encoding::RLE_DICTIONARY}), 5);
  EXPECT_EQ(repeated.count({PageType::DATA_PAGE, Encoding::PLAIN}), 0u);
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
    const std::vector<WrittenPage> pages = ReadPages(file, chunk);
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
  const std::vector<WrittenPage> pages = ReadPages(file, chunk);
  ASSERT_GE(pages.size(), 9u);
  for (const WrittenPage& page : pages) {
    EXPECT_LE(page.header.uncompressed_page_size, 8 * 1024 * 11);
    EXPECT_EQ(page.header.data_page_header.encoding, Encoding::PLAIN);
  }
}

TEST(WriterTest, WritesEveryTypeWithEveryCodecPageVersionAndEncoding) {
  const SchemaPtr schema = EveryTypeSchema();
  const std::vector<BatchPtr> batches = EveryTypeBatches(schema);
  const std::vector<Codec> codecs = {format::CompressionCodec::UNCOMPRESSED,
                                     format::CompressionCodec::SNAPPY,
                                     format::CompressionCodec::GZIP, format::CompressionCodec::ZSTD,
                                     format::CompressionCodec::LZ4_RAW};
  ForEachLayout(codecs, [&](const ParquetWriteOptions& options) {
    const std::string file = WriteOrDie(schema, batches, options);
    const format::FileMetaData metadata = ReadFooter(file);
    EXPECT_EQ(metadata.num_rows, 4);
    ASSERT_EQ(metadata.row_groups.size(), 2u);
    EXPECT_EQ(metadata.row_groups[1].num_rows, 1);
    for (const format::RowGroup& group : metadata.row_groups) {
      ASSERT_EQ(group.columns.size(), 24u);
      for (const format::ColumnChunk& chunk : group.columns) {
        EXPECT_EQ(chunk.meta_data.codec, options.compression);
        int64_t values = 0;
        for (const WrittenPage& page : ReadPages(file, chunk)) {
          if (page.header.type == PageType::DATA_PAGE) {
            ASSERT_EQ(options.data_page_version, DataPageVersion::kV1);
            values += page.header.data_page_header.num_values;
          } else if (page.header.type == PageType::DATA_PAGE_V2) {
            ASSERT_EQ(options.data_page_version, DataPageVersion::kV2);
            values += page.header.data_page_header_v2.num_values;
          } else {
            EXPECT_TRUE(options.dictionary);
          }
        }
        EXPECT_EQ(values, chunk.meta_data.num_values);
      }
    }
  });
}

TEST(WriterTest, V2PagesOfNullsStoreTheirEmptyValuesUncompressed) {
  const SchemaPtr schema = MakeSchema({MakeField("v", NullType()), MakeField("a", LongType())});
  ParquetWriteOptions options;
  options.data_page_version = DataPageVersion::kV2;
  options.compression = format::CompressionCodec::LZ4_RAW;
  const std::string file = WriteOrDie(schema, {Rows(schema, "[[null, 1], [null, 2]]")}, options);
  const format::FileMetaData metadata = ReadFooter(file);
  const std::vector<WrittenPage> nulls = ReadPages(file, metadata.row_groups[0].columns[0]);
  ASSERT_EQ(nulls.size(), 1u);
  EXPECT_FALSE(nulls[0].header.data_page_header_v2.is_compressed);
  EXPECT_EQ(nulls[0].header.data_page_header_v2.num_nulls, 2);
  const std::vector<WrittenPage> values = ReadPages(file, metadata.row_groups[0].columns[1]);
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

}  // namespace
}  // namespace sluice::parquet
