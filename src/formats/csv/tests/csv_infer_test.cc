// SPDX-License-Identifier: Apache-2.0
#include "formats/csv/csv_infer.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice::csv {
namespace {

CsvReadOptions Options(const OptionList& list) {
  Result<CsvReadOptions> options = CsvReadOptions::FromOptions(list);
  EXPECT_TRUE(options.ok()) << options.status().ToString();
  return options.ok() ? *options : CsvReadOptions{};
}

/// Infers with header=true and inferSchema=true (plus `extra`) and returns the DDL.
std::string Infer(std::string_view data, OptionList extra = {}) {
  extra.insert(extra.begin(), {{"header", "true"}, {"inferSchema", "true"}});
  Result<SchemaPtr> schema = InferCsvSchema(data, Options(extra));
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return schema.ok() ? (*schema)->ToDdl() : "";
}

/// The type inferred for a single column holding `values`.
std::string TypeOf(std::initializer_list<const char*> values, OptionList extra = {}) {
  std::string data = "v\n";
  for (const char* value : values) {
    data += value;
    data += "\n";
  }
  const std::string ddl = Infer(data, std::move(extra));
  return ddl.substr(ddl.find(' ') + 1);
}

TEST(CsvInferTest, WithoutInferSchemaEverythingIsAString) {
  Result<SchemaPtr> schema = InferCsvSchema("a,b\n1,true\n", Options({{"header", "true"}}));
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ((*schema)->ToDdl(), "a STRING, b STRING");
  schema = InferCsvSchema("1,true,x\n", {});
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ((*schema)->ToDdl(), "_c0 STRING, _c1 STRING, _c2 STRING");
}

TEST(CsvInferTest, WithoutHeaderColumnsAreNumberedAndTheFirstRecordIsData) {
  Result<SchemaPtr> schema = InferCsvSchema("1,x\n2,y\n", Options({{"inferSchema", "true"}}));
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ((*schema)->ToDdl(), "_c0 INT, _c1 STRING");
  // The first record counts for the types too.
  schema = InferCsvSchema("1.5\n2\n", Options({{"inferSchema", "true"}}));
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ((*schema)->ToDdl(), "_c0 DOUBLE");
}

TEST(CsvInferTest, IntegersWiden) {
  EXPECT_EQ(TypeOf({"1", "-2147483648", "+3"}), "INT");
  EXPECT_EQ(TypeOf({"1", "3000000000"}), "BIGINT");
  EXPECT_EQ(TypeOf({"3000000000", "1"}), "BIGINT");
  // Too long for a bigint: a decimal with scale 0, as Spark's CSV inference does.
  EXPECT_EQ(TypeOf({"92233720368547758070"}), "DECIMAL(20,0)");
  EXPECT_EQ(TypeOf({"1", "92233720368547758070"}), "DECIMAL(20,0)");
  EXPECT_EQ(TypeOf({"92233720368547758070", "3000000000"}), "DECIMAL(20,0)");
  EXPECT_EQ(TypeOf({"92233720368547758070", "1234567890123456789012345"}), "DECIMAL(25,0)");
  // Beyond 38 digits: double.
  EXPECT_EQ(TypeOf({"123456789012345678901234567890123456789"}), "DOUBLE");
}

TEST(CsvInferTest, FractionsAreDoubles) {
  EXPECT_EQ(TypeOf({"1.5"}), "DOUBLE");
  EXPECT_EQ(TypeOf({"1", "2.5"}), "DOUBLE");
  EXPECT_EQ(TypeOf({"2.5", "1"}), "DOUBLE");
  EXPECT_EQ(TypeOf({"92233720368547758070", "0.5"}), "DOUBLE");
  EXPECT_EQ(TypeOf({"1e10"}), "DOUBLE");  // negative scale: not a decimal
  EXPECT_EQ(TypeOf({"NaN", "Inf", "-Inf", "1"}), "DOUBLE");
  EXPECT_EQ(TypeOf({"nan"}, {{"nanValue", "nan"}}), "DOUBLE");
  // Java's parseDouble trims white space, so " 1" is a double, not an int.
  EXPECT_EQ(TypeOf({" 1"}), "DOUBLE");
}

TEST(CsvInferTest, BooleansAndStrings) {
  EXPECT_EQ(TypeOf({"true", "FALSE"}), "BOOLEAN");
  EXPECT_EQ(TypeOf({"true", "1"}), "STRING");
  EXPECT_EQ(TypeOf({"1", "true"}), "STRING");
  EXPECT_EQ(TypeOf({"1", "x", "2"}), "STRING");
  EXPECT_EQ(TypeOf({"\"1,000\""}), "STRING");  // no grouping commas in inference
}

TEST(CsvInferTest, DatesAndTimestamps) {
  EXPECT_EQ(TypeOf({"2024-01-31", "2023-12-01"}), "DATE");
  EXPECT_EQ(TypeOf({"2024-01-31 10:00:00", "2024-01-31T10:00:00.123Z"}), "TIMESTAMP");
  // Once a column is a timestamp, a date parses as one with the lenient parser.
  EXPECT_EQ(TypeOf({"2024-01-31 10:00:00", "2024-01-31"}), "TIMESTAMP");
  // Without prefersDate, full dates are timestamps.
  EXPECT_EQ(TypeOf({"2024-01-31"}, {{"prefersDate", "false"}}), "TIMESTAMP");
  // Custom patterns.
  EXPECT_EQ(TypeOf({"31/01/2024"}, {{"dateFormat", "dd/MM/yyyy"}}), "DATE");
  EXPECT_EQ(TypeOf({"31/01/2024 10:30"}, {{"timestampFormat", "dd/MM/yyyy HH:mm"}}), "TIMESTAMP");
  EXPECT_EQ(TypeOf({"31/01/2024 10:30"}), "STRING");
  EXPECT_EQ(TypeOf({"2024-01-31", "x"}), "STRING");
  EXPECT_EQ(TypeOf({"2024-01-31", "1"}), "STRING");
}

TEST(CsvInferTest, DatesThenTimestampsAreTimestampsWhenTheLenientParserReadsTheDates) {
  // Spark 3.4+ (CSVInferSchema.canParseDateAsTimestamp): without timestampFormat, a date
  // followed by a timestamp is a timestamp if dateFormat is one the lenient timestamp
  // parser reads (yyyy-MM-dd by default) ...
  EXPECT_EQ(TypeOf({"2024-01-31", "2024-01-31 10:00:00"}), "TIMESTAMP");
  EXPECT_EQ(TypeOf({"2024-01-31", "2024-01-31T10:00:00Z", "2024-02-01"}), "TIMESTAMP");
  for (const char* format : {"yyyy-MM-dd", "yyyy-M-d", "yyyy-M-dd", "yyyy-MM-d"}) {
    EXPECT_EQ(TypeOf({"2024-01-31", "2024-01-31 10:00:00"}, {{"dateFormat", format}}), "TIMESTAMP")
        << format;
  }
  EXPECT_EQ(TypeOf({"2024-01", "2024-01-31 10:00:00"}, {{"dateFormat", "yyyy-MM"}}), "TIMESTAMP");
  // ... otherwise a string: another dateFormat, or any timestampFormat (strict parsing).
  EXPECT_EQ(TypeOf({"31/01/2024", "2024-01-31 10:00:00"}, {{"dateFormat", "dd/MM/yyyy"}}),
            "STRING");
  EXPECT_EQ(TypeOf({"2024-01-31", "2024-01-31T10:00"}, {{"timestampFormat", "yyyy-MM-dd'T'HH:mm"}}),
            "STRING");
  EXPECT_EQ(TypeOf({"2024-01-31", "2024-01-31T10:00"},
                   {{"dateFormat", "yyyy-MM-dd"}, {"timestampFormat", "yyyy-MM-dd'T'HH:mm"}}),
            "STRING");
}

TEST(CsvInferTest, WithATimestampFormatOnlyTheFormatMakesATimestamp) {
  // The reader parses a TIMESTAMP column with timestampFormat alone, so inference must not
  // let the lenient parser decide (SPARK-45433): a value without a zone is not a timestamp
  // just because it looks like one.
  const OptionList format = {{"timestampFormat", "dd/MM/yyyy HH:mm"}};
  EXPECT_EQ(TypeOf({"2024-01-31 10:30"}, format), "STRING");
  EXPECT_EQ(TypeOf({"31/01/2024 10:30", "2024-01-31 10:30"}, format), "STRING");
  EXPECT_EQ(TypeOf({"2024-01-31"}, {{"prefersDate", "false"}, {"timestampFormat", "HH:mm"}}),
            "STRING");
  // timestampNTZFormat does not count: inference makes TIMESTAMP (the session type), read
  // with timestampFormat or the lenient parser.
  EXPECT_EQ(TypeOf({"31/01/2024 10:30"}, {{"timestampNTZFormat", "dd/MM/yyyy HH:mm"}}), "STRING");
  EXPECT_EQ(TypeOf({"2024-01-31 10:30"}, {{"timestampNTZFormat", "dd/MM/yyyy HH:mm"}}),
            "TIMESTAMP");
}

TEST(CsvInferTest, NullsAndEmptyValuesAreIgnored) {
  EXPECT_EQ(TypeOf({"", "1", "\"\""}), "INT");
  EXPECT_EQ(TypeOf({"NA", "1"}, {{"nullValue", "NA"}}), "INT");
  EXPECT_EQ(TypeOf({"NA", "1"}), "STRING");
  EXPECT_EQ(Infer("a,b\n,1\n,2\n"), "a STRING, b INT");  // a column of nulls is a string
}

TEST(CsvInferTest, QuotedNumbersAreStillNumbers) {
  EXPECT_EQ(Infer("\"a\",\"b\"\n\"1\",\"2.5\"\n"), "a INT, b DOUBLE");
}

TEST(CsvInferTest, ShortAndLongRecords) {
  // Fields beyond the header's count are ignored; missing fields leave the type alone.
  EXPECT_EQ(Infer("a,b\n1\n2,x,9.5\n"), "a INT, b STRING");
  EXPECT_EQ(Infer("a,b\n1\n2,3\n"), "a INT, b INT");
}

TEST(CsvInferTest, HeaderNamesAreMadeSafe) {
  EXPECT_EQ(Infer("a,A,b,,NA,\"\"\n1,2,3,4,5,6\n", {{"nullValue", "NA"}}),
            "a0 INT, A1 INT, b INT, _c3 INT, _c4 INT, _c5 INT");
  EXPECT_EQ(MakeSafeHeader({"x", "y", "x"}, Options({{"header", "true"}})),
            (std::vector<std::string>{"x0", "y", "x2"}));
  EXPECT_EQ(MakeSafeHeader({"x", "y"}, {}), (std::vector<std::string>{"_c0", "_c1"}));
}

TEST(CsvInferTest, RepeatedHeaderLinesAreSkipped) {
  // Spark drops every line equal to the header (e.g. concatenated files).
  EXPECT_EQ(Infer("a,b\n1,2\na,b\n3,4\n"), "a INT, b INT");
}

TEST(CsvInferTest, UsesTheReaderSyntax) {
  EXPECT_EQ(Infer("a|b\n1|x\n", {{"sep", "|"}}), "a INT, b STRING");
  EXPECT_EQ(Infer("# c\na,b\n# 1,x\n1,2\n", {{"comment", "#"}}), "a INT, b INT");
  EXPECT_EQ(Infer("a,b\n\"1\n2\",3\n", {{"multiLine", "true"}}), "a STRING, b INT");
  EXPECT_EQ(Infer("a;b\r\n1;2\r\n", {{"sep", ";"}}), "a INT, b INT");
}

TEST(CsvInferTest, EmptyInputHasNoColumns) {
  Result<SchemaPtr> schema = InferCsvSchema("", Options({{"inferSchema", "true"}}));
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ((*schema)->num_fields(), 0);
  schema = InferCsvSchema("\n\n", Options({{"header", "true"}}));
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ((*schema)->num_fields(), 0);
}

TEST(CsvInferTest, SamplingStillSeesTheColumns) {
  std::string data = "a,b\n";
  for (int i = 0; i < 200; ++i) {
    data += std::to_string(i) + ",x\n";
  }
  EXPECT_EQ(Infer(data, {{"samplingRatio", "0.1"}}), "a INT, b STRING");
}

TEST(CsvInferTest, InfersARealFile) {
  // DuckDB's byte_stream_split.csv: '|' separated, quoted header, NULL for nulls.
  const std::string path =
      std::string(SLUICE_TESTDATA_DIR) + "/parquet-duckdb/byte_stream_split.csv";
  FILE* file = std::fopen(path.c_str(), "rb");
  ASSERT_NE(file, nullptr) << "test data not found (a broken checkout?): " << path;
  std::string data;
  char buffer[4096];
  size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    data.append(buffer, read);
  }
  std::fclose(file);
  EXPECT_EQ(Infer(data, {{"sep", "|"}, {"nullValue", "NULL"}}),
            "floats DOUBLE, doubles DOUBLE, ints INT, longs BIGINT, nullable_floats DOUBLE");
  EXPECT_EQ(Infer(data, {{"sep", "|"}}),
            "floats DOUBLE, doubles DOUBLE, ints INT, longs BIGINT, nullable_floats STRING");
}

}  // namespace
}  // namespace sluice::csv
