// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/reader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "columnar/builder.h"
#include "columnar/printer.h"
#include "common/thread_pool.h"
#include "formats/parquet/predicate.h"
#include "formats/parquet/writer.h"

namespace sluice::parquet {
namespace {

std::string DataPath(const std::string& name) {
  return std::string(SLUICE_TESTDATA_DIR) + "/parquet-testing/data/" + name;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

/// Every row of every batch, each as its cells' FormatCell text joined by " | ".
std::vector<std::string> Rows(const std::vector<BatchPtr>& batches) {
  std::vector<std::string> rows;
  for (const BatchPtr& batch : batches) {
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      std::string row;
      for (int c = 0; c < batch->num_columns(); ++c) {
        row += (c > 0 ? " | " : "") + FormatCell(*batch->column(c), r);
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

/// Reads the parquet-testing file `name` (projected to `columns`) and returns its rows.
std::vector<std::string> ReadRows(const std::string& name, std::vector<std::string> columns = {}) {
  ParquetReadOptions options;
  options.columns = std::move(columns);
  Result<std::unique_ptr<ParquetReader>> reader = ParquetReader::Open(DataPath(name), options);
  if (!reader.ok()) {
    return {reader.status().ToString()};
  }
  Result<std::vector<BatchPtr>> batches = (*reader)->ReadAll();
  if (!batches.ok()) {
    return {batches.status().ToString()};
  }
  return Rows(*batches);
}

/// The file's bytes with its footer replaced by `edit` applied to the decoded footer.
std::string WithEditedFooter(const std::string& bytes,
                             const std::function<void(format::FileMetaData*)>& edit) {
  uint32_t length = 0;
  std::memcpy(&length, bytes.data() + bytes.size() - 8, 4);
  const size_t footer_start = bytes.size() - 8 - length;
  format::FileMetaData metadata;
  EXPECT_TRUE(DeserializeThrift(std::string_view(bytes).substr(footer_start, length), "file footer",
                                &metadata)
                  .ok());
  edit(&metadata);
  std::string footer;
  EXPECT_TRUE(SerializeThrift(metadata, &footer).ok());
  std::string out = bytes.substr(0, footer_start) + footer;
  const auto new_length = static_cast<uint32_t>(footer.size());
  out.append(reinterpret_cast<const char*>(&new_length), 4);
  out += "PAR1";
  return out;
}

Status OpenBytes(std::string bytes, ParquetReadOptions options = {}) {
  return ParquetReader::Open(MakeBufferFile("memory.parquet",
                                            std::make_shared<const std::string>(std::move(bytes))),
                             std::move(options))
      .status();
}

TEST(ReaderTest, ReadsAllTypesPlain) {
  Result<std::unique_ptr<ParquetReader>> reader =
      ParquetReader::Open(DataPath("alltypes_plain.parquet"));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->num_rows(), 8);
  EXPECT_EQ((*reader)->num_row_groups(), 1);
  EXPECT_EQ((*reader)->schema()->ToDdl(),
            "id INT, bool_col BOOLEAN, tinyint_col INT, smallint_col INT, int_col INT, "
            "bigint_col BIGINT, float_col FLOAT, double_col DOUBLE, date_string_col BINARY, "
            "string_col BINARY, timestamp_col TIMESTAMP");
  EXPECT_EQ(ReadRows("alltypes_plain.parquet", {"id", "bool_col", "bigint_col", "float_col",
                                                "double_col", "string_col", "timestamp_col"}),
            (std::vector<std::string>{"4 | true | 0 | 0.0 | 0.0 | [30] | 2009-03-01 00:00:00",
                                      "5 | false | 10 | 1.1 | 10.1 | [31] | 2009-03-01 00:01:00",
                                      "6 | true | 0 | 0.0 | 0.0 | [30] | 2009-04-01 00:00:00",
                                      "7 | false | 10 | 1.1 | 10.1 | [31] | 2009-04-01 00:01:00",
                                      "2 | true | 0 | 0.0 | 0.0 | [30] | 2009-02-01 00:00:00",
                                      "3 | false | 10 | 1.1 | 10.1 | [31] | 2009-02-01 00:01:00",
                                      "0 | true | 0 | 0.0 | 0.0 | [30] | 2009-01-01 00:00:00",
                                      "1 | false | 10 | 1.1 | 10.1 | [31] | 2009-01-01 00:01:00"}));
}

TEST(ReaderTest, ReadsNestedListsAndMaps) {
  EXPECT_EQ(ReadRows("nested_lists.snappy.parquet"),
            (std::vector<std::string>{"[[[a, b], [c]], [NULL, [d]]] | 1",
                                      "[[[a, b], [c, d]], [NULL, [e]]] | 1",
                                      "[[[a, b], [c, d], [e]], [NULL, [f]]] | 1"}));
  EXPECT_EQ(ReadRows("nested_maps.snappy.parquet"),
            (std::vector<std::string>{"{a -> {1 -> true, 2 -> false}} | 1 | 1.0",
                                      "{b -> {1 -> true}} | 1 | 1.0", "{c -> NULL} | 1 | 1.0",
                                      "{d -> {}} | 1 | 1.0", "{e -> {1 -> true}} | 1 | 1.0",
                                      "{f -> {3 -> true, 4 -> false, 5 -> true}} | 1 | 1.0"}));
  EXPECT_EQ(ReadRows("list_columns.parquet"),
            (std::vector<std::string>{"[1, 2, 3] | [abc, efg, hij]", "[NULL, 1] | NULL",
                                      "[4] | [efg, NULL, hij, xyz]"}));
  EXPECT_EQ(ReadRows("null_list.parquet"), (std::vector<std::string>{"[]"}));
}

TEST(ReaderTest, ReadsImpalaNestedTypesWithNullsAtEveryLevel) {
  EXPECT_EQ(
      ReadRows("nullable.impala.parquet"),
      (std::vector<std::string>{
          "1 | [1, 2, 3] | [[1, 2], [3, 4]] | {k1 -> 1, k2 -> 100} | [{k1 -> 1}] | "
          "{1, [1], {[[{10, aaa}, {-10, bbb}], [{11, c}]]}, {foo -> {{[1.1]}}}}",
          "2 | [NULL, 1, 2, NULL, 3, NULL] | [[NULL, 1, 2, NULL], [3, NULL, 4], [], NULL] | "
          "{k1 -> 2, k2 -> NULL} | [{k3 -> NULL, k1 -> 1}, NULL, {}] | {NULL, [NULL], "
          "{[[{NULL, NULL}, {10, aaa}, {NULL, NULL}, {-10, bbb}, {NULL, NULL}], [{11, c}, NULL], "
          "[], NULL]}, {g1 -> {{[2.2, NULL]}}, g2 -> {{[]}}, g3 -> NULL, g4 -> {{NULL}}, g5 -> "
          "{NULL}}}",
          "3 | [] | [NULL] | {} | [NULL, NULL] | {NULL, NULL, {[]}, {}}",
          "4 | NULL | [] | {} | [] | {NULL, NULL, {NULL}, NULL}",
          "5 | NULL | NULL | {} | NULL | {NULL, NULL, NULL, {foo -> {{[2.2, 3.3]}}}}",
          "6 | NULL | NULL | NULL | NULL | NULL",
          "7 | NULL | [NULL, [5, 6]] | {k1 -> NULL, k3 -> NULL} | NULL | "
          "{7, [2, 3, NULL], {[[], [NULL], NULL]}, NULL}"}));
  EXPECT_EQ(ReadRows("nonnullable.impala.parquet"),
            (std::vector<std::string>{"8 | [-1] | [[-1, -2], []] | {k1 -> -1} | "
                                      "[{}, {k1 -> 1}, {}, {}] | "
                                      "{-1, [-1], {[[{-1, nonnullable}]]}, {}}"}));
}

TEST(ReaderTest, ReadsAStructOfNulls) {
  // Every row holds a struct whose only member is null.
  EXPECT_EQ(ReadRows("nulls.snappy.parquet"), std::vector<std::string>(8, "{NULL}"));
}

TEST(ReaderTest, ReadsLegacyAndUnannotatedRepeatedLayouts) {
  EXPECT_EQ(ReadRows("old_list_structure.parquet"), (std::vector<std::string>{"[[1, 2], [3, 4]]"}));
  EXPECT_EQ(ReadRows("repeated_no_annotation.parquet"),
            (std::vector<std::string>{
                "1 | NULL", "2 | NULL", "3 | {[]}", "4 | {[{5555555555, NULL}]}",
                "5 | {[{1111111111, home}]}",
                "6 | {[{1111111111, home}, {2222222222, NULL}, {3333333333, mobile}]}"}));
  EXPECT_EQ(ReadRows("repeated_primitive_no_list.parquet"),
            (std::vector<std::string>{
                "[0, 1, 2, 3] | [foo, zero, one, two] | {[0, 1, 2, 3], [foo, zero, one, two]}",
                "[] | [three] | {[], [three]}", "[4] | [four] | {[4], [four]}",
                "[5, 6, 7, 8] | [five, six, seven, eight] | "
                "{[5, 6, 7, 8], [five, six, seven, eight]}"}));
  EXPECT_EQ(ReadRows("incorrect_map_schema.parquet"),
            (std::vector<std::string>{"{parent -> another, name -> report}"}));
  // The map without values reads as the list of its keys.
  EXPECT_EQ(
      ReadRows("map_no_value.parquet"),
      (std::vector<std::string>{"{1 -> NULL, 2 -> NULL, 3 -> NULL} | [1, 2, 3] | [1, 2, 3]",
                                "{4 -> NULL, 5 -> NULL, 6 -> NULL} | [4, 5, 6] | [4, 5, 6]",
                                "{7 -> NULL, 8 -> NULL, 9 -> NULL} | [7, 8, 9] | [7, 8, 9]"}));
}

TEST(ReaderTest, ReadsInt96TimestampsFromSparkAsItsMicroseconds) {
  Result<std::unique_ptr<ParquetReader>> reader =
      ParquetReader::Open(DataPath("int96_from_spark.parquet"));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Result<BatchPtr> batch = (*reader)->ReadRowGroup(0);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  const Vector& column = *(*batch)->column(0);
  ASSERT_EQ(column.length(), 6);
  EXPECT_EQ(column.type_id(), TypeId::kTimestamp);
  // The values of int96_from_spark.md.
  const int64_t expected[] = {
      1704141296123456,   1704070800000000, 253402225200000000, 1735599600000000, 0,
      9089380393200000000};
  for (int64_t i = 0; i < 6; ++i) {
    if (i == 4) {
      EXPECT_TRUE(column.IsNull(i));
    } else {
      EXPECT_EQ(column.Value<int64_t>(i), expected[i]) << i;
    }
  }
}

TEST(ReaderTest, ProjectsColumnsCaseInsensitivelyInTheRequestedOrder) {
  ParquetReadOptions options;
  options.columns = {"INT_COL", "id"};
  Result<std::unique_ptr<ParquetReader>> reader =
      ParquetReader::Open(DataPath("alltypes_plain.parquet"), options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->output_schema()->ToDdl(), "int_col INT, id INT");
  EXPECT_EQ((*reader)->column_indices(), (std::vector<int>{4, 0}));
  Result<BatchPtr> batch = (*reader)->ReadRowGroup(0);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(Rows({*batch})[0], "0 | 4");
}

TEST(ReaderTest, ExactNameWinsAndCaseOnlyTwinsAreAmbiguous) {
  const std::string bytes = WithEditedFooter(ReadBytes(DataPath("alltypes_plain.parquet")),
                                             [](format::FileMetaData* metadata) {
                                               metadata->schema[1].__set_name("a");
                                               metadata->schema[2].__set_name("A");
                                             });
  auto indices = [&](std::vector<std::string> columns) -> Result<std::vector<int>> {
    ParquetReadOptions options;
    options.columns = std::move(columns);
    SLUICE_ASSIGN_OR_RETURN(
        std::unique_ptr<ParquetReader> reader,
        ParquetReader::Open(
            MakeBufferFile("twins.parquet", std::make_shared<const std::string>(bytes)), options));
    return reader->column_indices();
  };
  EXPECT_EQ(*indices({"A"}), (std::vector<int>{1}));
  EXPECT_EQ(*indices({"a", "a"}), (std::vector<int>{0, 0}));
  Result<std::vector<int>> twins = indices({"TINYINT_COL", "Int_Col"});
  ASSERT_TRUE(twins.ok()) << twins.status().ToString();
  EXPECT_EQ(*twins, (std::vector<int>{2, 4}));
  const std::string renamed = WithEditedFooter(bytes, [](format::FileMetaData* metadata) {
    metadata->schema[3].__set_name("Ab");
    metadata->schema[4].__set_name("aB");
  });
  ParquetReadOptions options;
  options.columns = {"ab"};
  Status ambiguous = OpenBytes(renamed, options);
  EXPECT_EQ(ambiguous.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(ambiguous.message().find("ambiguous"), std::string::npos) << ambiguous.ToString();
}

TEST(ReaderTest, UnknownColumnIsInvalidArgumentListingTheColumns) {
  ParquetReadOptions options;
  options.columns = {"nope"};
  Status status = ParquetReader::Open(DataPath("list_columns.parquet"), options).status();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("no column 'nope'; the columns are: int64_list, utf8_list"),
            std::string::npos)
      << status.ToString();
}

TEST(ReaderTest, ReadsRowGroupsInParallelWithTheSameResult) {
  const std::string path =
      std::string(SLUICE_TESTDATA_DIR) + "/parquet-duckdb/manyrowgroups.parquet";
  Result<std::unique_ptr<ParquetReader>> serial = ParquetReader::Open(path);
  ASSERT_TRUE(serial.ok()) << serial.status().ToString();
  Result<std::vector<BatchPtr>> expected = (*serial)->ReadAll();
  ASSERT_TRUE(expected.ok()) << expected.status().ToString();
  EXPECT_EQ(expected->size(), 1001u);

  ThreadPool pool(2);
  ParquetReadOptions options;
  options.pool = &pool;
  Result<std::unique_ptr<ParquetReader>> parallel = ParquetReader::Open(path, options);
  ASSERT_TRUE(parallel.ok()) << parallel.status().ToString();
  Result<std::vector<BatchPtr>> batches = (*parallel)->ReadAll();
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  EXPECT_EQ(Rows(*batches), Rows(*expected));
  // From inside one of the pool's own tasks too (the caller does the work).
  std::vector<std::string> inner;
  pool.Submit([&] {
    Result<std::vector<BatchPtr>> again = (*parallel)->ReadAll();
    if (again.ok()) {
      inner = Rows(*again);
    }
  });
  pool.Wait();
  EXPECT_EQ(inner, Rows(*expected));
}

TEST(ReaderTest, RowGroupIndexOutOfRangeIsInvalidArgument) {
  Result<std::unique_ptr<ParquetReader>> reader =
      ParquetReader::Open(DataPath("alltypes_plain.parquet"));
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->ReadRowGroup(1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*reader)->ReadRowGroup(-1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*reader)->RowGroupsToRead(), (std::vector<int>{0}));
}

TEST(ReaderTest, MissingFileIsNotFound) {
  Status status = ParquetReader::Open(DataPath("no_such_file.parquet")).status();
  EXPECT_EQ(status.code(), StatusCode::kNotFound) << status.ToString();
}

TEST(ReaderTest, RejectsWhatIsNotAParquetFile) {
  const std::string bytes = ReadBytes(DataPath("alltypes_plain.parquet"));
  Status small = OpenBytes("PAR1PAR1");
  EXPECT_EQ(small.code(), StatusCode::kCorruption);
  EXPECT_NE(small.message().find("memory.parquet"), std::string::npos) << small.ToString();
  EXPECT_EQ(OpenBytes("XXXX" + bytes.substr(4)).code(), StatusCode::kCorruption);
  EXPECT_EQ(OpenBytes(bytes.substr(0, bytes.size() - 4) + "XXXX").code(), StatusCode::kCorruption);
  // A footer length beyond the file.
  std::string long_footer = bytes;
  const uint32_t huge = 0x7fffffff;
  std::memcpy(long_footer.data() + long_footer.size() - 8, &huge, 4);
  Status too_long = OpenBytes(long_footer);
  EXPECT_EQ(too_long.code(), StatusCode::kCorruption);
  EXPECT_NE(too_long.message().find("footer length"), std::string::npos) << too_long.ToString();
  // A footer that is not Thrift.
  std::string garbage = bytes;
  uint32_t length = 0;
  std::memcpy(&length, garbage.data() + garbage.size() - 8, 4);
  std::memset(garbage.data() + garbage.size() - 8 - length, 0xff, length);
  Status thrift = OpenBytes(garbage);
  EXPECT_EQ(thrift.code(), StatusCode::kCorruption);
  EXPECT_NE(thrift.message().find("file footer"), std::string::npos) << thrift.ToString();
}

TEST(ReaderTest, EncryptedFooterIsNotImplemented) {
  std::string bytes = ReadBytes(DataPath("alltypes_plain.parquet"));
  bytes.replace(0, 4, "PARE");
  bytes.replace(bytes.size() - 4, 4, "PARE");
  Status status = OpenBytes(bytes);
  EXPECT_EQ(status.code(), StatusCode::kNotImplemented);
  EXPECT_NE(status.message().find("encrypted Parquet is not supported"), std::string::npos);
}

TEST(ReaderTest, EncryptedColumnIsNotImplementedOnlyWhenRead) {
  const std::string bytes = WithEditedFooter(
      ReadBytes(DataPath("alltypes_plain.parquet")), [](format::FileMetaData* metadata) {
        format::EncryptionAlgorithm algorithm;
        algorithm.__set_AES_GCM_V1(format::AesGcmV1());
        metadata->__set_encryption_algorithm(algorithm);
        format::ColumnCryptoMetaData crypto;
        crypto.__set_ENCRYPTION_WITH_FOOTER_KEY(format::EncryptionWithFooterKey());
        metadata->row_groups[0].columns[1].__set_crypto_metadata(crypto);
      });
  Status all = OpenBytes(bytes);
  EXPECT_EQ(all.code(), StatusCode::kNotImplemented);
  EXPECT_NE(all.message().find("column 'bool_col' is encrypted"), std::string::npos)
      << all.ToString();
  ParquetReadOptions options;
  options.columns = {"id"};
  EXPECT_TRUE(OpenBytes(bytes, options).ok());
}

TEST(ReaderTest, RowGroupsThatDisagreeWithTheSchemaAreCorruption) {
  const std::string bytes = ReadBytes(DataPath("alltypes_plain.parquet"));
  Status missing_column = OpenBytes(WithEditedFooter(
      bytes, [](format::FileMetaData* metadata) { metadata->row_groups[0].columns.pop_back(); }));
  EXPECT_EQ(missing_column.code(), StatusCode::kCorruption);
  EXPECT_NE(missing_column.message().find("row group 0 has 10 column chunks where the schema "
                                          "has 11 columns"),
            std::string::npos)
      << missing_column.ToString();
  Status wrong_type = OpenBytes(WithEditedFooter(bytes, [](format::FileMetaData* metadata) {
    metadata->row_groups[0].columns[0].meta_data.__set_type(format::Type::DOUBLE);
  }));
  EXPECT_EQ(wrong_type.code(), StatusCode::kCorruption);
  EXPECT_NE(wrong_type.message().find("column 'id'"), std::string::npos) << wrong_type.ToString();
  Status negative = OpenBytes(WithEditedFooter(
      bytes, [](format::FileMetaData* metadata) { metadata->row_groups[0].__set_num_rows(-1); }));
  EXPECT_EQ(negative.code(), StatusCode::kCorruption);
  // More rows than the chunks hold fails when reading, naming the column.
  Result<std::unique_ptr<ParquetReader>> reader = ParquetReader::Open(
      MakeBufferFile("more.parquet", std::make_shared<const std::string>(WithEditedFooter(
                                         bytes, [](format::FileMetaData* metadata) {
                                           metadata->row_groups[0].__set_num_rows(9);
                                           metadata->__set_num_rows(9);
                                         }))));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Status read = (*reader)->ReadAll().status();
  EXPECT_EQ(read.code(), StatusCode::kCorruption);
  EXPECT_NE(read.message().find("more.parquet"), std::string::npos) << read.ToString();
}

TEST(ReaderTest, FooterRowCountIsNotTrusted) {
  // repeated_no_annotation.parquet says 0 rows in its footer; its row group holds 6.
  Result<std::unique_ptr<ParquetReader>> reader =
      ParquetReader::Open(DataPath("repeated_no_annotation.parquet"));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->metadata().num_rows, 0);
  EXPECT_EQ((*reader)->num_rows(), 6);
}

/// Row count and the values of column `id` (an int or long column) over `batches`.
std::vector<int64_t> Ids(const std::vector<BatchPtr>& batches, int column) {
  std::vector<int64_t> ids;
  for (const BatchPtr& batch : batches) {
    const Vector& vector = *batch->column(column);
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      ids.push_back(vector.type_id() == TypeId::kInt ? vector.Value<int32_t>(row)
                                                     : vector.Value<int64_t>(row));
    }
  }
  return ids;
}

TEST(ReaderTest, FilterSkipsRowGroupsTheStatisticsRuleOut) {
  // Ten row groups of 100 ids each: 0..99, 100..199, ...
  const SchemaPtr schema = MakeSchema({MakeField("id", LongType(), false)});
  Int64Builder ids(LongType());
  for (int64_t i = 0; i < 1000; ++i)
    ids.Append(i);
  ParquetWriteOptions write;
  write.row_group_row_limit = 100;
  Result<std::string> bytes = WriteParquetToString(
      schema, {std::make_shared<Batch>(schema, std::vector{ids.Finish()}, 1000)}, write);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  const auto file = std::make_shared<const std::string>(std::move(*bytes));

  ParquetReadOptions options;
  options.filter = Or({Compare("id", CompareOp::kGtEq, Literal{LongType(), int64_t{950}}),
                       Compare("ID", CompareOp::kEq, Literal{IntType(), int64_t{120}})});
  auto reader = ParquetReader::Open(MakeBufferFile("ids.parquet", file), options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->RowGroupsToRead(), (std::vector<int>{1, 9}));
  Result<std::vector<BatchPtr>> batches = (*reader)->ReadAll();
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  const std::vector<int64_t> read = Ids(*batches, 0);
  ASSERT_EQ(read.size(), 200u);
  EXPECT_EQ(read.front(), 100);
  EXPECT_EQ(read.back(), 999);

  options.filter = Compare("id", CompareOp::kLt, Literal{LongType(), int64_t{0}});
  reader = ParquetReader::Open(MakeBufferFile("ids.parquet", file), options);
  ASSERT_TRUE(reader.ok());
  EXPECT_TRUE((*reader)->RowGroupsToRead().empty());
}

TEST(ReaderTest, FilterKeepsOnlyThePagesThePageIndexMayMatch) {
  // parquet-mr wrote a page index; id is not the row number in this file.
  ParquetReadOptions options;
  options.filter = Compare("id", CompareOp::kEq, Literal{IntType(), int64_t{5000}});
  auto reader = ParquetReader::Open(DataPath("alltypes_tiny_pages.parquet"), options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Result<std::vector<BatchPtr>> batches = (*reader)->ReadAll();
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  const std::vector<int64_t> ids = Ids(*batches, 0);
  EXPECT_LT(ids.size(), 7300u / 10);
  EXPECT_NE(std::find(ids.begin(), ids.end(), 5000), ids.end());
  // Every column is cut to the same rows.
  for (const BatchPtr& batch : *batches) {
    for (const VectorPtr& column : batch->columns()) {
      EXPECT_EQ(column->length(), batch->num_rows());
    }
  }

  options.filter = Compare("id", CompareOp::kLt, Literal{IntType(), int64_t{0}});
  reader = ParquetReader::Open(DataPath("alltypes_tiny_pages.parquet"), options);
  ASSERT_TRUE(reader.ok());
  batches = (*reader)->ReadAll();
  ASSERT_TRUE(batches.ok());
  EXPECT_TRUE(Ids(*batches, 0).empty());
}

TEST(ReaderTest, FilterDecodesOnlyThePagesOfTheSelectedRows) {
  // parquet-mr wrote ~325 pages per column and a page index; id 5000 is in row 5885.
  const std::string path = DataPath("alltypes_tiny_pages.parquet");
  const PredicatePtr filter = Compare("id", CompareOp::kEq, Literal{IntType(), int64_t{5000}});
  auto full = ParquetReader::Open(path);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  ReadMetrics all_pages;
  Result<std::vector<BatchPtr>> everything = (*full)->ReadAll(&all_pages);
  ASSERT_TRUE(everything.ok()) << everything.status().ToString();
  EXPECT_EQ(all_pages.pages_skipped, 0);
  EXPECT_EQ(Ids(*everything, 0)[5885], 5000);

  ParquetReadOptions options;
  options.filter = filter;
  auto reader = ParquetReader::Open(path, options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ReadMetrics metrics;
  Result<std::vector<BatchPtr>> batches = (*reader)->ReadAll(&metrics);
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  ASSERT_EQ(batches->size(), 1u);
  const std::vector<std::string> rows = Rows(*batches);
  const std::vector<int64_t> ids = Ids(*batches, 0);
  EXPECT_NE(std::find(ids.begin(), ids.end(), 5000), ids.end());
  EXPECT_LT(ids.size(), 7300u / 10);

  // The rows the slicing reader returned (the file's statistics: one row group).
  auto sliced = ParquetReader::Open(path);
  ASSERT_TRUE(sliced.ok());
  Result<std::vector<RowRange>> ranges =
      SelectRowRanges(*filter, (*sliced)->file_schema().leaves(), *OpenLocalFile(path).value(),
                      (*sliced)->metadata(), 0);
  ASSERT_TRUE(ranges.ok());
  std::vector<BatchPtr> slices;
  for (const RowRange& range : *ranges)
    slices.push_back((*everything)[0]->Slice(range.begin, range.end - range.begin));
  EXPECT_EQ(rows, Rows(slices));

  // Every data page was counted once, and most were not decoded.
  EXPECT_EQ(metrics.pages_read + metrics.pages_skipped, all_pages.pages_read);
  EXPECT_GT(metrics.pages_read, 0);
  EXPECT_LT(metrics.pages_read * 20, all_pages.pages_read)
      << metrics.pages_read << " of " << all_pages.pages_read << " pages read";

  // ReadRowGroup selects the same rows.
  Result<BatchPtr> group = (*reader)->ReadRowGroup(0);
  ASSERT_TRUE(group.ok()) << group.status().ToString();
  EXPECT_EQ(Rows({*group}), rows);
}

/// Rows with nested columns: id (the row number), a string, array<struct>, map, a
/// boolean and a void column, with nulls and empty collections.
BatchPtr NestedRows(const SchemaPtr& schema, int64_t count) {
  BatchBuilder builder(schema);
  for (int64_t i = 0; i < count; ++i) {
    static_cast<Int64Builder*>(builder.column(0))->Append(i);
    auto* name = static_cast<StringBuilder*>(builder.column(1));
    if (i % 7 == 0) {
      name->AppendNull();
    } else {
      name->Append(fmt::format("name-{}", i));
    }
    auto* items = static_cast<ArrayBuilder*>(builder.column(2));
    if (i % 5 == 0) {
      items->AppendNull();
    } else {
      auto* item = static_cast<StructBuilder*>(items->element());
      for (int64_t k = 0; k < (i % 5 == 1 ? 0 : i % 4 + 1); ++k) {
        auto* a = static_cast<Int32Builder*>(item->child(0));
        if (k == 1) {
          a->AppendNull();
        } else {
          a->Append(static_cast<int32_t>(i * 10 + k));
        }
        static_cast<StringBuilder*>(item->child(1))->Append(fmt::format("b{}", k));
        item->Append();
      }
      items->Append();
    }
    auto* attrs = static_cast<MapBuilder*>(builder.column(3));
    if (i % 6 == 0) {
      attrs->AppendNull();
    } else {
      for (int64_t k = 0; k < i % 3; ++k) {
        static_cast<StringBuilder*>(attrs->keys())->Append(fmt::format("k{}", k));
        auto* value = static_cast<Int32Builder*>(attrs->values());
        if ((i + k) % 4 == 0) {
          value->AppendNull();
        } else {
          value->Append(static_cast<int32_t>(k));
        }
      }
      attrs->Append();
    }
    auto* flag = static_cast<BooleanBuilder*>(builder.column(4));
    if (i % 3 == 0) {
      flag->AppendNull();
    } else {
      flag->Append(i % 2 == 0);
    }
    builder.column(5)->AppendNull();
  }
  return builder.Finish();
}

SchemaPtr NestedSchema() {
  return MakeSchema({MakeField("id", LongType(), false), MakeField("name", StringType()),
                     MakeField("items", ArrayType(StructType({MakeField("a", IntType()),
                                                              MakeField("b", StringType())}))),
                     MakeField("attrs", MapType(StringType(), IntType())),
                     MakeField("flag", BooleanType()), MakeField("nothing", NullType())});
}

/// A file of NestedRows in small pages (37 rows at most) and row groups of 700 rows,
/// with a page index.
std::shared_ptr<const std::string> NestedFile(DataPageVersion version, bool dictionary) {
  const SchemaPtr schema = NestedSchema();
  ParquetWriteOptions write;
  write.data_page_row_limit = 37;
  write.data_page_size = 512;
  write.row_group_row_limit = 700;
  write.data_page_version = version;
  write.dictionary = dictionary;
  write.write_page_index = true;
  Result<std::string> bytes = WriteParquetToString(schema, {NestedRows(schema, 2000)}, write);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return std::make_shared<const std::string>(bytes.ok() ? *bytes : std::string());
}

/// Checks that a filtered read of `file` returns, per row group, the rows of the full
/// read cut to the ranges SelectRowRanges gives; returns the pages it read and skipped.
ReadMetrics ExpectSameRowsAsSlicing(const std::shared_ptr<const std::string>& file,
                                    const PredicatePtr& filter,
                                    std::vector<std::string> columns = {}) {
  ParquetReadOptions options;
  options.columns = columns;
  auto full = ParquetReader::Open(MakeBufferFile("nested.parquet", file), options);
  EXPECT_TRUE(full.ok()) << full.status().ToString();
  options.filter = filter;
  auto reader = ParquetReader::Open(MakeBufferFile("nested.parquet", file), options);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  ReadMetrics metrics;
  if (!full.ok() || !reader.ok())
    return metrics;
  Result<std::vector<BatchPtr>> batches = (*reader)->ReadAll(&metrics);
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  if (!batches.ok())
    return metrics;
  const std::vector<int> row_groups = (*reader)->RowGroupsToRead();
  EXPECT_EQ(batches->size(), row_groups.size());
  for (size_t r = 0; r < row_groups.size() && r < batches->size(); ++r) {
    const ParquetReader& unfiltered = **full;
    Result<BatchPtr> batch = unfiltered.ReadRowGroup(row_groups[r]);
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    Result<std::vector<RowRange>> ranges = SelectRowRanges(
        *filter, unfiltered.file_schema().leaves(), *MakeBufferFile("nested.parquet", file),
        unfiltered.metadata(), row_groups[r]);
    EXPECT_TRUE(ranges.ok());
    std::vector<BatchPtr> slices;
    for (const RowRange& range : *ranges)
      slices.push_back((*batch)->Slice(range.begin, range.end - range.begin));
    EXPECT_EQ(Rows({(*batches)[r]}), Rows(slices)) << "row group " << row_groups[r];
    for (const VectorPtr& column : (*batches)[r]->columns()) {
      EXPECT_EQ(column->length(), (*batches)[r]->num_rows());
    }
  }
  return metrics;
}

PredicatePtr IdIn(int64_t low, int64_t high) {
  return And({Compare("id", CompareOp::kGtEq, Literal{LongType(), low}),
              Compare("id", CompareOp::kLtEq, Literal{LongType(), high})});
}

TEST(ReaderTest, FilterSelectsTheSameRowsOfNestedColumnsAsSlicingTheFullRead) {
  const PredicatePtr filter =
      Or({IdIn(0, 3), IdIn(500, 800), IdIn(1210, 1211),
          Compare("id", CompareOp::kGt, Literal{LongType(), int64_t{1990}})});
  for (const DataPageVersion version : {DataPageVersion::kV1, DataPageVersion::kV2}) {
    for (const bool dictionary : {true, false}) {
      SCOPED_TRACE(fmt::format("v{} pages, dictionary {}", version == DataPageVersion::kV1 ? 1 : 2,
                               dictionary));
      const auto file = NestedFile(version, dictionary);
      const ReadMetrics metrics = ExpectSameRowsAsSlicing(file, filter);
      EXPECT_GT(metrics.pages_skipped, 2 * metrics.pages_read)
          << metrics.pages_read << " read, " << metrics.pages_skipped << " skipped";
      // A projection that leaves out the filter's column selects the same rows.
      ExpectSameRowsAsSlicing(file, filter, {"attrs", "items"});
      // A filter that selects every row of some row groups and none of others.
      ExpectSameRowsAsSlicing(file,
                              Compare("id", CompareOp::kGtEq, Literal{LongType(), int64_t{1400}}));
    }
  }
}

TEST(ReaderTest, UnfilteredReadsDecodeEveryPage) {
  const auto file = NestedFile(DataPageVersion::kV1, true);
  auto reader = ParquetReader::Open(MakeBufferFile("nested.parquet", file));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ReadMetrics metrics;
  Result<std::vector<BatchPtr>> batches = (*reader)->ReadAll(&metrics);
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  EXPECT_EQ(Rows(*batches).size(), 2000u);
  EXPECT_EQ(metrics.pages_skipped, 0);
  // Eight leaves in three row groups of at most 700 rows, at most 37 rows a page.
  EXPECT_GE(metrics.pages_read, 8 * (2000 / 37));
}

/// The file's footer.
format::FileMetaData Footer(const std::string& bytes) {
  uint32_t length = 0;
  std::memcpy(&length, bytes.data() + bytes.size() - 8, 4);
  format::FileMetaData metadata;
  EXPECT_TRUE(DeserializeThrift(std::string_view(bytes).substr(bytes.size() - 8 - length, length),
                                "file footer", &metadata)
                  .ok());
  return metadata;
}

TEST(ReaderTest, CorruptOffsetIndexesFallBackToDecodingEveryPage) {
  const auto file = NestedFile(DataPageVersion::kV1, true);
  const PredicatePtr filter = IdIn(300, 310);
  const ReadMetrics intact = ExpectSameRowsAsSlicing(file, filter);
  EXPECT_GT(intact.pages_skipped, 0);
  const format::FileMetaData footer = Footer(*file);

  // The offset indexes of every leaf but id (whose page index selects the rows) made
  // unusable in three ways; the rows stay those of the intact file.
  std::string garbage = *file;  // bytes that are no Thrift
  for (const format::RowGroup& row_group : footer.row_groups) {
    for (size_t c = 1; c < row_group.columns.size(); ++c) {
      const format::ColumnChunk& chunk = row_group.columns[c];
      ASSERT_TRUE(chunk.__isset.offset_index_offset);
      std::memset(garbage.data() + chunk.offset_index_offset, 0xff,
                  static_cast<size_t>(chunk.offset_index_length));
    }
  }
  const auto edited =
      [&](const std::function<void(format::RowGroup*, format::ColumnChunk*)>& edit) {
        return std::make_shared<const std::string>(
            WithEditedFooter(*file, [&](format::FileMetaData* metadata) {
              for (format::RowGroup& row_group : metadata->row_groups) {
                for (size_t c = 1; c < row_group.columns.size(); ++c) {
                  edit(&row_group, &row_group.columns[c]);
                }
              }
            }));
      };
  const auto outside = edited([](format::RowGroup*, format::ColumnChunk* chunk) {
    chunk->__set_offset_index_offset(int64_t{1} << 40);
  });
  // Another column's offset index: its pages lie at other offsets (and rows).
  const auto misplaced = edited([](format::RowGroup* row_group, format::ColumnChunk* chunk) {
    chunk->__set_offset_index_offset(row_group->columns[0].offset_index_offset);
    chunk->__set_offset_index_length(row_group->columns[0].offset_index_length);
  });
  const std::vector<std::pair<std::string, std::shared_ptr<const std::string>>> cases = {
      {"garbage", std::make_shared<const std::string>(garbage)},
      {"outside the file", outside},
      {"another column's", misplaced}};
  for (const auto& [name, bytes] : cases) {
    SCOPED_TRACE(name);
    ParquetReadOptions options;
    options.filter = filter;
    auto reader = ParquetReader::Open(MakeBufferFile("intact.parquet", file), options);
    auto corrupt = ParquetReader::Open(MakeBufferFile("corrupt.parquet", bytes), options);
    ASSERT_TRUE(reader.ok() && corrupt.ok());
    Result<std::vector<BatchPtr>> expected = (*reader)->ReadAll();
    ReadMetrics metrics;
    Result<std::vector<BatchPtr>> batches = (*corrupt)->ReadAll(&metrics);
    ASSERT_TRUE(expected.ok() && batches.ok()) << batches.status().ToString();
    EXPECT_EQ(Rows(*batches), Rows(*expected));
    EXPECT_FALSE(Rows(*batches).empty());
    // Only id's pages are still skipped; the other leaves decode every page.
    EXPECT_GT(metrics.pages_skipped, 0);
    EXPECT_LT(metrics.pages_skipped, intact.pages_skipped / 4);
    EXPECT_GT(metrics.pages_read, intact.pages_read * 4);
  }
}

}  // namespace
}  // namespace sluice::parquet
