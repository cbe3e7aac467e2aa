// SPDX-License-Identifier: Apache-2.0
#include "formats/csv/csv_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "formats/csv/csv_tokenizer.h"
#include "types/datetime.h"
#include "types/decimal.h"
#include "types/number_format.h"

namespace sluice::csv {
namespace {

using ::testing::HasSubstr;

using Rows = std::vector<std::vector<std::string>>;

/// Renders one cell: "null" for null, otherwise Spark's string form of the value.
std::string Cell(const Vector& column, int64_t row) {
  if (column.IsNull(row)) {
    return "null";
  }
  switch (column.type_id()) {
    case TypeId::kBoolean:
      return column.BoolValue(row) ? "true" : "false";
    case TypeId::kByte:
      return std::to_string(column.Value<int8_t>(row));
    case TypeId::kShort:
      return std::to_string(column.Value<int16_t>(row));
    case TypeId::kInt:
      return std::to_string(column.Value<int32_t>(row));
    case TypeId::kLong:
      return std::to_string(column.Value<int64_t>(row));
    case TypeId::kFloat:
      return FormatFloat(column.Value<float>(row));
    case TypeId::kDouble:
      return FormatDouble(column.Value<double>(row));
    case TypeId::kDecimal:
      return FormatDecimal(column.DecimalValue(row), column.type()->scale());
    case TypeId::kDate:
      return FormatDate(column.Value<int32_t>(row));
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return FormatTimestamp(column.Value<int64_t>(row));
    default:
      return std::string(column.StringValue(row));
  }
}

Rows ToRows(const std::vector<BatchPtr>& batches) {
  Rows rows;
  for (const BatchPtr& batch : batches) {
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      std::vector<std::string> row;
      for (int c = 0; c < batch->num_columns(); ++c) {
        row.push_back(Cell(*batch->column(c), r));
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

SchemaPtr Strings(std::initializer_list<const char*> names) {
  std::vector<Field> fields;
  for (const char* name : names) {
    fields.push_back(MakeField(name, StringType()));
  }
  return MakeSchema(std::move(fields));
}

/// Reads `data`, failing the test on an error.
std::vector<BatchPtr> Read(std::string_view data, SchemaPtr schema, const CsvReadOptions& options,
                           ReadStats* stats = nullptr) {
  Result<std::vector<BatchPtr>> batches = ReadCsv(data, std::move(schema), options, stats);
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  return batches.ok() ? *batches : std::vector<BatchPtr>{};
}

Rows ReadRows(std::string_view data, SchemaPtr schema, const CsvReadOptions& options = {}) {
  return ToRows(Read(data, std::move(schema), options));
}

CsvReadOptions Options(const OptionList& list) {
  Result<CsvReadOptions> options = CsvReadOptions::FromOptions(list);
  EXPECT_TRUE(options.ok()) << options.status().ToString();
  return options.ok() ? *options : CsvReadOptions{};
}

TEST(CsvReaderTest, WithoutHeaderOrSchemaColumnsAreStringsByPosition) {
  const std::vector<BatchPtr> batches = Read("a,b\nc,d\n", nullptr, {});
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0]->schema()->ToDdl(), "_c0 STRING, _c1 STRING");
  EXPECT_EQ(ToRows(batches), (Rows{{"a", "b"}, {"c", "d"}}));
}

TEST(CsvReaderTest, HeaderNamesColumnsAndIsSkipped) {
  const std::vector<BatchPtr> batches =
      Read("id,name\n1,x\n2,y", nullptr, Options({{"header", "true"}}));
  EXPECT_EQ(batches[0]->schema()->ToDdl(), "id STRING, name STRING");
  EXPECT_EQ(ToRows(batches), (Rows{{"1", "x"}, {"2", "y"}}));
}

TEST(CsvReaderTest, GivenSchemaMapsColumnsByPositionAndIgnoresHeaderNames) {
  SchemaPtr schema = MakeSchema({MakeField("n", IntType()), MakeField("s", StringType())});
  const std::vector<BatchPtr> batches =
      Read("whatever,names\n1,x\n", schema, Options({{"header", "true"}}));
  EXPECT_EQ(batches[0]->schema()->ToDdl(), "n INT, s STRING");
  EXPECT_EQ(ToRows(batches), (Rows{{"1", "x"}}));
}

TEST(CsvReaderTest, TabAndMultiCharacterSeparators) {
  EXPECT_EQ(ReadRows("a\tb,c\n", Strings({"x", "y"}), Options({{"sep", "\\t"}})),
            (Rows{{"a", "b,c"}}));
  EXPECT_EQ(ReadRows("a||b|c||\"d||e\"\n", Strings({"x", "y", "z"}), Options({{"sep", "||"}})),
            (Rows{{"a", "b|c", "d||e"}}));
}

TEST(CsvReaderTest, QuotedFieldsHoldSeparatorsAndEscapedQuotes) {
  EXPECT_EQ(ReadRows(R"("a,b","say \"hi\"","x""y")", Strings({"a", "b", "c"})),
            (Rows{{"a,b", "say \"hi\"", "x\"y"}}));
  // A doubled quote works with escape set to the quote itself (RFC 4180).
  EXPECT_EQ(ReadRows(R"("x""y",z)", Strings({"a", "b"}), Options({{"escape", "\""}})),
            (Rows{{"x\"y", "z"}}));
}

TEST(CsvReaderTest, EscapeBytesInsideAndOutsideQuotes) {
  // Inside quotes "\\" is one backslash and a backslash before anything else stays.
  EXPECT_EQ(ReadRows(R"("a\\b","c\d","e\\")", Strings({"a", "b", "c"})),
            (Rows{{"a\\b", "c\\d", "e\\"}}));
  // Unquoted values are taken verbatim.
  EXPECT_EQ(ReadRows(R"(a\"b,c"d)", Strings({"a", "b"})), (Rows{{"a\\\"b", "c\"d"}}));
  // charToEscapeQuoteEscaping: '#' escapes the escape.
  EXPECT_EQ(
      ReadRows(R"("a#\",b)", Strings({"a", "b"}), Options({{"charToEscapeQuoteEscaping", "#"}})),
      (Rows{{"a\\", "b"}}));
  // Quoting disabled: quotes are data.
  EXPECT_EQ(ReadRows(R"("a,b")", Strings({"a", "b"}), Options({{"quote", ""}})),
            (Rows{{"\"a", "b\""}}));
}

/// Tokenizes the first record of `data`, failing the test when there is none.
internal::CsvRecord FirstRecord(internal::CsvTokenizer* tokenizer, std::string_view data) {
  tokenizer->Reset(data, 0, 1);
  internal::CsvRecord record;
  Status error;
  EXPECT_TRUE(tokenizer->Next(&record, &error)) << error.ToString();
  return record;
}

TEST(CsvReaderTest, QuotedFieldsWithAndWithoutEscapesInOneRecord) {
  const std::string data = R"("say \"hi\"","plain, quoted","x""y","tail"end,"a\\b","","last")"
                           "\n";
  const auto in_input = [&](std::string_view text) {
    return text.data() >= data.data() && text.data() + text.size() <= data.data() + data.size();
  };
  CsvReadOptions options;
  internal::CsvTokenizer tokenizer(options);
  const internal::CsvRecord record = FirstRecord(&tokenizer, data);
  std::vector<std::string> texts;
  for (const internal::CsvField& field : record.fields) {
    texts.emplace_back(field.text);
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"say \"hi\"", "plain, quoted", "x\"y", "tail\"end",
                                             "a\\b", "", "last"}));
  // Quoted fields that unescaping leaves alone are not copied: their text is the input's,
  // also after a field that was unescaped and when text follows the closing quote.
  EXPECT_TRUE(in_input(record.fields[1].text));
  EXPECT_TRUE(in_input(record.fields[3].text));
  EXPECT_TRUE(in_input(record.fields[6].text));
  EXPECT_TRUE(record.fields[5].quoted);
  EXPECT_FALSE(record.fields[3].quoted);

  // multiLine: a line break inside quotes is copied only when "\r\n" becomes "\n".
  options.multi_line = true;
  internal::CsvTokenizer lf_tokenizer(options);
  const std::string lf = "\"a\nb\",\"c\r\nd\"\n";
  const internal::CsvRecord lf_record = FirstRecord(&lf_tokenizer, lf);
  ASSERT_EQ(lf_record.fields.size(), 2u);
  EXPECT_EQ(lf_record.fields[0].text, "a\nb");
  EXPECT_EQ(lf_record.fields[1].text, "c\r\nd");
  EXPECT_EQ(lf_record.fields[0].text.data(), lf.data() + 1);
  EXPECT_EQ(lf_record.fields[1].text.data(), lf.data() + 7);
  internal::CsvTokenizer crlf_tokenizer(options);
  const internal::CsvRecord crlf_record =
      FirstRecord(&crlf_tokenizer, "\"a\r\nb\",\"c\"\"d\",\"e\"\r\n");
  EXPECT_EQ(crlf_record.fields.size(), 3u);
  std::vector<std::string> crlf_texts;
  for (const internal::CsvField& field : crlf_record.fields) {
    crlf_texts.emplace_back(field.text);
  }
  EXPECT_EQ(crlf_texts, (std::vector<std::string>{"a\nb", "c\"d", "e"}));
}

TEST(CsvReaderTest, TextAfterAClosingQuoteRunsToTheSeparator) {
  // univocity's STOP_AT_DELIMITER, Spark's default unescapedQuoteHandling.
  EXPECT_EQ(ReadRows(R"("ab"cd,e)", Strings({"a", "b"})), (Rows{{"ab\"cd", "e"}}));
  // White space after the closing quote is dropped.
  EXPECT_EQ(ReadRows("\"ab\"  ,e\n", Strings({"a", "b"})), (Rows{{"ab", "e"}}));
  // Leading white space makes the quote plain text unless ignoreLeadingWhiteSpace.
  EXPECT_EQ(ReadRows(" \"a\",b", Strings({"a", "b"})), (Rows{{" \"a\"", "b"}}));
  EXPECT_EQ(ReadRows(" \"a,c\" , b ", Strings({"a", "b"}),
                     Options({{"ignoreLeadingWhiteSpace", "true"},
                              {"ignoreTrailingWhiteSpace", "true"}})),
            (Rows{{"a,c", "b"}}));
}

TEST(CsvReaderTest, NewlineInQuotesEndsTheRecordUnlessMultiLine) {
  const std::string data = "\"a\nb\",c\nd,e\n";
  // Line by line: the quoted value stops at the newline; the next line is a record.
  EXPECT_EQ(ReadRows(data, Strings({"x", "y"})), (Rows{{"a", "null"}, {"b\"", "c"}, {"d", "e"}}));
  EXPECT_EQ(ReadRows(data, Strings({"x", "y"}), Options({{"multiLine", "true"}})),
            (Rows{{"a\nb", "c"}, {"d", "e"}}));
}

TEST(CsvReaderTest, MultiLineNormalizesCrLfInQuotesOfCrLfFiles) {
  EXPECT_EQ(ReadRows("h1,h2\r\n\"x\r\ny\",z\r\n", Strings({"a", "b"}),
                     Options({{"multiLine", "true"}, {"header", "true"}})),
            (Rows{{"x\ny", "z"}}));
  // An unclosed quote runs to the end of the input.
  EXPECT_EQ(ReadRows("a,\"b\nc", Strings({"a", "b"}), Options({{"multiLine", "true"}})),
            (Rows{{"a", "b\nc"}}));
}

TEST(CsvReaderTest, AllLineEndingsEndRecords) {
  EXPECT_EQ(ReadRows("a,b\r\nc,d\re,f\ng,h", Strings({"x", "y"})),
            (Rows{{"a", "b"}, {"c", "d"}, {"e", "f"}, {"g", "h"}}));
}

TEST(CsvReaderTest, LineSepOptionIsTheOnlyRecordSeparator) {
  EXPECT_EQ(ReadRows("a,b;c\nx,d;", Strings({"x", "y"}), Options({{"lineSep", ";"}})),
            (Rows{{"a", "b"}, {"c\nx", "d"}}));
}

TEST(CsvReaderTest, BlankAndCommentLinesAreSkipped) {
  const std::string data = "#c1,c2\na,b\n\n  \n#x,y\nc,d\n";
  EXPECT_EQ(ReadRows(data, Strings({"x", "y"}), Options({{"comment", "#"}})),
            (Rows{{"a", "b"}, {"c", "d"}}));
  // Without the option, '#' lines are data (Spark's comment default is disabled).
  EXPECT_EQ(ReadRows(data, Strings({"x", "y"})),
            (Rows{{"#c1", "c2"}, {"a", "b"}, {"#x", "y"}, {"c", "d"}}));
  // The header is the first line that is neither blank nor a comment.
  const std::vector<BatchPtr> batches =
      Read("# generated\n\nk,v\n1,2\n", nullptr, Options({{"comment", "#"}, {"header", "true"}}));
  EXPECT_EQ(batches[0]->schema()->ToDdl(), "k STRING, v STRING");
  EXPECT_EQ(ToRows(batches), (Rows{{"1", "2"}}));
}

TEST(CsvReaderTest, Utf8ByteOrderMarkIsSkipped) {
  const std::vector<BatchPtr> batches =
      Read("\xEF\xBB\xBFid,name\n1,x\n", nullptr, Options({{"header", "true"}}));
  EXPECT_EQ(batches[0]->schema()->field(0).name, "id");
}

TEST(CsvReaderTest, NullValueAndEmptyValue) {
  SchemaPtr schema = Strings({"a", "b", "c"});
  // Defaults: unquoted empty and quoted empty both read as null (emptyValue "" equals
  // nullValue "").
  EXPECT_EQ(ReadRows(",\"\",x\n", schema), (Rows{{"null", "null", "x"}}));
  // nullValue matches after unquoting, for strings too; a quoted empty string survives.
  EXPECT_EQ(ReadRows("NA,\"\",\"NA\"\n,a,b\n", schema, Options({{"nullValue", "NA"}})),
            (Rows{{"null", "", "null"}, {"null", "a", "b"}}));
  EXPECT_EQ(
      ReadRows("\"\",x,y\n", schema, Options({{"nullValue", "NA"}, {"emptyValue", "<empty>"}})),
      (Rows{{"<empty>", "x", "y"}}));
  // A trailing separator adds an empty (null) field.
  EXPECT_EQ(ReadRows("a,b,\n", schema), (Rows{{"a", "b", "null"}}));
}

TEST(CsvReaderTest, EmptyFieldsAreNullForEveryType) {
  SchemaPtr schema = MakeSchema({MakeField("i", IntType()), MakeField("d", DoubleType()),
                                 MakeField("b", BooleanType()), MakeField("t", DateType())});
  ReadStats stats;
  const std::vector<BatchPtr> batches = Read(",,,\n", schema, {}, &stats);
  EXPECT_EQ(ToRows(batches), (Rows{{"null", "null", "null", "null"}}));
  EXPECT_EQ(stats.malformed_records, 0);
}

TEST(CsvReaderTest, ConvertsEveryPrimitiveType) {
  SchemaPtr schema = MakeSchema(
      {MakeField("bool", BooleanType()), MakeField("i8", ByteType()), MakeField("i16", ShortType()),
       MakeField("i32", IntType()), MakeField("i64", LongType()), MakeField("f", FloatType()),
       MakeField("d", DoubleType()), MakeField("dec", DecimalType(7, 2)),
       MakeField("date", DateType()), MakeField("ts", TimestampType()),
       MakeField("ntz", TimestampNtzType()), MakeField("bin", BinaryType())});
  const std::string data =
      "TRUE,-128,32767,+42,9223372036854775807,0.5,1e3,\"1,234.567\",2024-01-31,"
      "2024-01-31T10:00:00Z,2024-01-31 10:00:00.25,raw\n"
      "false,0,0,0,0,Inf,-Inf,-0.005,2024-2-3,2024-01-31 12:00:00+02:00,2024-01-31,x\n"
      "false,0,0,0,0,NaN, 2.5d,1e2,2024-01-31T23:59,2024-01-31,2024-01-31T01:02:03,y\n";
  ReadStats stats;
  const Rows rows = ToRows(Read(data, schema, {}, &stats));
  EXPECT_EQ(stats.malformed_records, 0);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"true", "-128", "32767", "42", "9223372036854775807", "0.5",
                                      "1000.0", "1234.57", "2024-01-31", "2024-01-31 10:00:00",
                                      "2024-01-31 10:00:00.25", "raw"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"false", "0", "0", "0", "0", "Infinity", "-Infinity",
                                               "-0.01", "2024-02-03", "2024-01-31 10:00:00",
                                               "2024-01-31 00:00:00", "x"}));
  EXPECT_EQ(rows[2][5], "NaN");
  EXPECT_EQ(rows[2][6], "2.5");  // Java's parseDouble trims and takes a 'd' suffix
  EXPECT_EQ(rows[2][7], "100.00");
  EXPECT_EQ(rows[2][8], "2024-01-31");
  EXPECT_EQ(rows[2][9], "2024-01-31 00:00:00");
}

TEST(CsvReaderTest, SpecialFloatSpellingsComeFromOptions) {
  SchemaPtr schema = MakeSchema({MakeField("d", DoubleType()), MakeField("f", FloatType())});
  EXPECT_EQ(
      ReadRows("nan,+inf\n-inf,Infinity\n", schema,
               Options({{"nanValue", "nan"}, {"positiveInf", "+inf"}, {"negativeInf", "-inf"}})),
      (Rows{{"NaN", "Infinity"}, {"-Infinity", "Infinity"}}));
  ReadStats stats;
  Read("Inf,inf\n", schema, {}, &stats);  // "inf" is not a Java spelling
  EXPECT_EQ(stats.malformed_records, 1);
}

TEST(CsvReaderTest, ValuesThatDoNotConvertAreMalformed) {
  SchemaPtr schema = MakeSchema({MakeField("v", IntType())});
  for (const char* bad : {" 1", "1 ", "2147483648", "1.0", "x", "\"\"1"}) {
    ReadStats stats;
    const Rows rows = ToRows(Read(std::string(bad) + "\n", schema, {}, &stats));
    EXPECT_EQ(rows, (Rows{{"null"}})) << bad;
    EXPECT_EQ(stats.malformed_records, 1) << bad;
  }
  // Trimming makes " 1" an int.
  EXPECT_EQ(ReadRows(" 1 \n", schema,
                     Options({{"ignoreLeadingWhiteSpace", "true"},
                              {"ignoreTrailingWhiteSpace", "true"}})),
            (Rows{{"1"}}));
  // Decimals that do not fit their precision and impossible dates are malformed too.
  ReadStats stats;
  Read("123456.7,2024-02-30,true\n",
       MakeSchema({MakeField("d", DecimalType(5, 1)), MakeField("t", DateType()),
                   MakeField("b", ByteType())}),
       {}, &stats);
  EXPECT_EQ(stats.malformed_records, 1);
}

SchemaPtr WithCorruptColumn() {
  return MakeSchema({MakeField("id", IntType()), MakeField("name", StringType()),
                     MakeField("_corrupt_record", StringType())});
}

constexpr std::string_view kMixedRecords =
    "id,name\n"
    "1,alice\n"
    "x,bob\n"
    "3\n"
    "4,carol,extra\n"
    "5,dave\n";

TEST(CsvReaderTest, PermissiveKeepsMalformedRecordsWithTheirText) {
  ReadStats stats;
  const Rows rows =
      ToRows(Read(kMixedRecords, WithCorruptColumn(), Options({{"header", "true"}}), &stats));
  EXPECT_EQ(rows, (Rows{{"1", "alice", "null"},
                        {"null", "bob", "x,bob"},
                        {"3", "null", "3"},
                        {"4", "carol", "4,carol,extra"},
                        {"5", "dave", "null"}}));
  EXPECT_EQ(stats.records, 5);
  EXPECT_EQ(stats.malformed_records, 3);
  EXPECT_EQ(stats.dropped_records, 0);
}

TEST(CsvReaderTest, CorruptColumnMayBeAnywhereAndRenamed) {
  SchemaPtr schema = MakeSchema({MakeField("bad", StringType()), MakeField("id", IntType())});
  EXPECT_EQ(ReadRows("1\nz\n", schema, Options({{"columnNameOfCorruptRecord", "bad"}})),
            (Rows{{"null", "1"}, {"z", "null"}}));
}

TEST(CsvReaderTest, PermissiveWithoutCorruptColumnKeepsRowsWithNulls) {
  SchemaPtr schema = MakeSchema({MakeField("id", IntType()), MakeField("name", StringType())});
  EXPECT_EQ(ReadRows(kMixedRecords, schema, Options({{"header", "true"}})),
            (Rows{{"1", "alice"}, {"null", "bob"}, {"3", "null"}, {"4", "carol"}, {"5", "dave"}}));
}

TEST(CsvReaderTest, DropMalformedDropsThem) {
  ReadStats stats;
  const Rows rows = ToRows(Read(kMixedRecords, WithCorruptColumn(),
                                Options({{"header", "true"}, {"mode", "DROPMALFORMED"}}), &stats));
  EXPECT_EQ(rows, (Rows{{"1", "alice", "null"}, {"5", "dave", "null"}}));
  EXPECT_EQ(stats.records, 5);
  EXPECT_EQ(stats.malformed_records, 3);
  EXPECT_EQ(stats.dropped_records, 3);
}

TEST(CsvReaderTest, FailFastNamesLineOffsetAndColumn) {
  Result<std::vector<BatchPtr>> batches = ReadCsv(
      kMixedRecords, WithCorruptColumn(), Options({{"header", "true"}, {"mode", "FAILFAST"}}));
  ASSERT_FALSE(batches.ok());
  EXPECT_EQ(batches.status().code(), StatusCode::kParseError);
  // "x,bob" is line 3 and starts at byte 16.
  EXPECT_THAT(batches.status().message(), HasSubstr("line 3"));
  EXPECT_THAT(batches.status().message(), HasSubstr("byte offset 16"));
  EXPECT_THAT(batches.status().message(), HasSubstr("'id'"));
  EXPECT_THAT(batches.status().message(), HasSubstr("'x'"));
}

TEST(CsvReaderTest, FailFastOnAWrongNumberOfFields) {
  Result<std::vector<BatchPtr>> batches =
      ReadCsv("a,b\n\n\"multi\nline\",c,d\n", Strings({"x", "y"}),
              Options({{"mode", "failfast"}, {"multiLine", "true"}}));
  ASSERT_FALSE(batches.ok());
  EXPECT_EQ(batches.status().code(), StatusCode::kParseError);
  EXPECT_THAT(batches.status().message(), HasSubstr("line 3"));
  EXPECT_THAT(batches.status().message(), HasSubstr("byte offset 5"));
  EXPECT_THAT(batches.status().message(), HasSubstr("expected 2 fields, found 3"));
}

TEST(CsvReaderTest, FailFastNamesTheFirstMissingColumn) {
  Result<std::vector<BatchPtr>> batches =
      ReadCsv("a,b,c\nd\n", Strings({"x", "y", "z"}), Options({{"mode", "FAILFAST"}}));
  ASSERT_FALSE(batches.ok());
  EXPECT_THAT(batches.status().message(), HasSubstr("line 2"));
  EXPECT_THAT(batches.status().message(), HasSubstr("expected 3 fields, found 1"));
  EXPECT_THAT(batches.status().message(), HasSubstr("column 2 'y' is missing"));
}

TEST(CsvReaderTest, OptionsSetInCodeAreValidated) {
  CsvReadOptions options;
  options.sep.clear();
  Result<std::vector<BatchPtr>> batches = ReadCsv("a\n", Strings({"x"}), options);
  ASSERT_FALSE(batches.ok());
  EXPECT_EQ(batches.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(batches.status().message(), HasSubstr("'sep'"));
  EXPECT_FALSE(ReadCsv("a\n", nullptr, options).ok());
  options = CsvReadOptions();
  options.batch_rows = 0;
  EXPECT_EQ(CsvDecoder::Make(Strings({"x"}), options).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(CsvReaderTest, TimestampAndDateFormats) {
  SchemaPtr schema = MakeSchema({MakeField("ts", TimestampType()), MakeField("d", DateType())});
  const CsvReadOptions options =
      Options({{"timestampFormat", "dd/MM/yyyy HH:mm"}, {"dateFormat", "dd.MM.yyyy"}});
  EXPECT_EQ(ReadRows("31/01/2024 10:30,29.02.2024\n", schema, options),
            (Rows{{"2024-01-31 10:30:00", "2024-02-29"}}));
  // A user pattern is strict: no fallback to the lenient parser ...
  ReadStats stats;
  EXPECT_EQ(ToRows(Read("2024-01-31 10:30,2024-02-29\n", schema, options, &stats)),
            (Rows{{"null", "null"}}));
  EXPECT_EQ(stats.malformed_records, 1);
  // ... unless enableDateTimeParsingFallback says so.
  EXPECT_EQ(ReadRows("2024-01-31 10:30,2024-02-29\n", schema,
                     Options({{"timestampFormat", "dd/MM/yyyy HH:mm"},
                              {"dateFormat", "dd.MM.yyyy"},
                              {"enableDateTimeParsingFallback", "true"}})),
            (Rows{{"2024-01-31 10:30:00", "2024-02-29"}}));
}

TEST(CsvReaderTest, InferredTimestampsReadWithTheTimestampFormat) {
  // A column inferred as TIMESTAMP must read without malformed rows: with timestampFormat
  // set, inference accepts only values in that format, as the reader does.
  const OptionList format = {
      {"header", "true"}, {"inferSchema", "true"}, {"timestampFormat", "dd/MM/yyyy HH:mm"}};
  ReadStats stats;
  std::vector<BatchPtr> batches =
      Read("ts\n31/01/2024 10:30\n01/02/2024 00:05\n", nullptr, Options(format), &stats);
  ASSERT_FALSE(batches.empty());
  EXPECT_EQ(batches[0]->schema()->ToDdl(), "ts TIMESTAMP");
  EXPECT_EQ(ToRows(batches), (Rows{{"2024-01-31 10:30:00"}, {"2024-02-01 00:05:00"}}));
  EXPECT_EQ(stats.malformed_records, 0);
  // Values the lenient parser would take but the format does not stay strings.
  stats = ReadStats();
  batches = Read("ts\n2024-01-31 10:30\n", nullptr, Options(format), &stats);
  ASSERT_FALSE(batches.empty());
  EXPECT_EQ(batches[0]->schema()->ToDdl(), "ts STRING");
  EXPECT_EQ(ToRows(batches), (Rows{{"2024-01-31 10:30"}}));
  EXPECT_EQ(stats.malformed_records, 0);
  // Neither does timestampNTZFormat make a TIMESTAMP column the reader cannot parse.
  stats = ReadStats();
  batches = Read("ts\n31/01/2024 10:30\n", nullptr,
                 Options({{"header", "true"},
                          {"inferSchema", "true"},
                          {"timestampNTZFormat", "dd/MM/yyyy HH:mm"}}),
                 &stats);
  ASSERT_FALSE(batches.empty());
  EXPECT_EQ(batches[0]->schema()->ToDdl(), "ts STRING");
  EXPECT_EQ(stats.malformed_records, 0);
}

TEST(CsvReaderTest, EnforceSchemaFalseChecksTheHeader) {
  SchemaPtr schema = MakeSchema({MakeField("id", IntType()), MakeField("name", StringType())});
  EXPECT_EQ(
      ReadRows("ID,Name\n1,a\n", schema, Options({{"header", "true"}, {"enforceSchema", "false"}})),
      (Rows{{"1", "a"}}));
  Result<std::vector<BatchPtr>> batches =
      ReadCsv("id,title\n1,a\n", schema, Options({{"header", "true"}, {"enforceSchema", "false"}}));
  ASSERT_FALSE(batches.ok());
  EXPECT_EQ(batches.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(batches.status().message(), HasSubstr("'title'"));
  batches = ReadCsv("id\n1\n", schema, Options({{"header", "true"}, {"enforceSchema", "false"}}));
  EXPECT_FALSE(batches.ok());
  // With the default (enforceSchema=true) the header's names do not matter.
  EXPECT_TRUE(ReadCsv("id,title\n1,a\n", schema, Options({{"header", "true"}})).ok());
}

TEST(CsvReaderTest, BatchRowsSplitsTheOutput) {
  CsvReadOptions options;
  options.batch_rows = 2;
  const std::vector<BatchPtr> batches = Read("1\n2\n3\n4\n5\n", Strings({"v"}), options);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0]->num_rows(), 2);
  EXPECT_EQ(batches[1]->num_rows(), 2);
  EXPECT_EQ(batches[2]->num_rows(), 1);
  EXPECT_EQ(ToRows(batches), (Rows{{"1"}, {"2"}, {"3"}, {"4"}, {"5"}}));
}

TEST(CsvReaderTest, BatchBytesSplitsTheOutput) {
  // Each 10-byte record counts twice (its fields, and a possible corrupt-record copy).
  CsvReadOptions options;
  options.batch_bytes = 60;
  std::string data;
  for (int i = 0; i < 9; ++i) {
    data += "abcdefghi" + std::to_string(i) + "\n";
  }
  const std::vector<BatchPtr> batches = Read(data, Strings({"v"}), options);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0]->num_rows(), 3);
  EXPECT_EQ(batches[2]->num_rows(), 3);
  options.batch_bytes = 0;
  EXPECT_EQ(ReadCsv(data, Strings({"v"}), options).status().code(), StatusCode::kInvalidArgument);
}

TEST(CsvReaderTest, EmptyInputGivesOneEmptyBatch) {
  std::vector<BatchPtr> batches = Read("", Strings({"a"}), {});
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0]->num_rows(), 0);
  batches = Read("", nullptr, {});
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0]->num_columns(), 0);
  batches = Read("a,b\n", nullptr, Options({{"header", "true"}}));
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0]->num_rows(), 0);
  EXPECT_EQ(batches[0]->schema()->ToDdl(), "a STRING, b STRING");
}

TEST(CsvReaderTest, RejectsSchemasCsvCannotHold) {
  Result<std::vector<BatchPtr>> batches =
      ReadCsv("1\n", MakeSchema({MakeField("tags", ArrayType(StringType()))}), {});
  ASSERT_FALSE(batches.ok());
  EXPECT_EQ(batches.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(batches.status().message(), HasSubstr("'tags'"));
  batches = ReadCsv("1\n", MakeSchema({MakeField("_corrupt_record", IntType())}), {});
  ASSERT_FALSE(batches.ok());
  EXPECT_THAT(batches.status().message(), HasSubstr("_corrupt_record"));
}

TEST(CsvReaderTest, LimitsAreFatalInEveryMode) {
  Result<std::vector<BatchPtr>> batches =
      ReadCsv("a,b,c\n", Strings({"x"}), Options({{"maxColumns", "2"}}));
  ASSERT_FALSE(batches.ok());
  EXPECT_EQ(batches.status().code(), StatusCode::kParseError);
  EXPECT_THAT(batches.status().message(), HasSubstr("maxColumns"));
  batches = ReadCsv("ok\ntoo long\n", Strings({"x"}), Options({{"maxCharsPerColumn", "4"}}));
  ASSERT_FALSE(batches.ok());
  EXPECT_THAT(batches.status().message(), HasSubstr("line 2"));
}

TEST(CsvReaderTest, DecoderTakesChunksAndKeepsCounting) {
  CsvReadOptions options = Options({{"header", "true"}, {"mode", "FAILFAST"}});
  options.batch_rows = 2;
  Result<std::unique_ptr<CsvDecoder>> decoder =
      CsvDecoder::Make(MakeSchema({MakeField("n", IntType())}), options);
  ASSERT_TRUE(decoder.ok()) << decoder.status().ToString();
  std::vector<BatchPtr> batches;
  const BatchCallback collect = [&](BatchPtr batch) {
    batches.push_back(std::move(batch));
    return Status::Ok();
  };
  ASSERT_TRUE((*decoder)->Decode("n\n1\n2\n3\n", collect).ok());
  EXPECT_EQ(batches.size(), 1u);  // one full batch so far
  ASSERT_TRUE((*decoder)->Decode("4\n", collect).ok());
  ASSERT_TRUE((*decoder)->Flush(collect).ok());
  EXPECT_EQ(ToRows(batches), (Rows{{"1"}, {"2"}, {"3"}, {"4"}}));
  EXPECT_EQ((*decoder)->stats().records, 4);
  // Line numbers and offsets continue across chunks: "oops" is line 6, byte 10.
  const Status status = (*decoder)->Decode("oops\n", collect);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("line 6"));
  EXPECT_THAT(status.message(), HasSubstr("byte offset 10"));
}

TEST(CsvReaderTest, CallbackErrorsStopTheDecoder) {
  Result<std::unique_ptr<CsvDecoder>> decoder = CsvDecoder::Make(Strings({"a"}), {});
  ASSERT_TRUE(decoder.ok());
  const Status status = (*decoder)->Decode("x\n", [](BatchPtr) { return Status::Ok(); });
  EXPECT_TRUE(status.ok());
  const Status flushed = (*decoder)->Flush([](BatchPtr) { return Status::Cancelled("enough"); });
  EXPECT_EQ(flushed.code(), StatusCode::kCancelled);
}

TEST(CsvReaderTest, ReadsARealFileWithQuotesAndNulls) {
  const std::string path =
      std::string(SLUICE_TESTDATA_DIR) + "/parquet-testing/data/delta_byte_array_expect.csv";
  ReadStats stats;
  Result<std::vector<BatchPtr>> batches =
      ReadCsvFile(path, nullptr, Options({{"header", "true"}, {"inferSchema", "true"}}), &stats);
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  EXPECT_EQ((*batches)[0]->schema()->ToDdl(),
            "c_customer_id STRING, c_salutation STRING, c_first_name STRING, c_last_name STRING, "
            "c_preferred_cust_flag STRING, c_birth_country STRING, c_login STRING, "
            "c_email_address STRING, c_last_review_date INT");
  const Rows rows = ToRows(*batches);
  ASSERT_EQ(rows.size(), 1000u);
  EXPECT_EQ(stats.malformed_records, 0);
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"AAAAAAAAIODAAAAA", "Sir", "Mark", "Bailey", "N", "MOROCCO",
                                      "null", "Mark.Bailey@rg9qCNVJ0s7qeY.com", "2452443"}));
  EXPECT_EQ(rows[999][1], "Mr.");
  EXPECT_EQ(rows[999][8], "2452508");
  // Null counts per column, as counted with Python's csv module.
  const std::vector<int> expected_nulls = {0, 30, 32, 24, 29, 31, 1000, 31, 25};
  for (size_t c = 0; c < expected_nulls.size(); ++c) {
    int nulls = 0;
    for (const auto& row : rows) {
      nulls += row[c] == "null" ? 1 : 0;
    }
    EXPECT_EQ(nulls, expected_nulls[c]) << "column " << c;
  }
}

TEST(CsvReaderTest, ReadsTheSampleOrdersInferredAndWithASchema) {
  const std::string path = std::string(SLUICE_SOURCE_DIR) + "/examples/data/orders.csv";
  Result<std::vector<BatchPtr>> inferred =
      ReadCsvFile(path, nullptr, Options({{"header", "true"}, {"inferSchema", "true"}}));
  ASSERT_TRUE(inferred.ok()) << inferred.status().ToString();
  EXPECT_EQ((*inferred)[0]->schema()->ToDdl(),
            "order_id INT, customer_id STRING, status STRING, order_ts TIMESTAMP, total DOUBLE, "
            "country STRING");
  const Rows rows = ToRows(*inferred);
  ASSERT_EQ(rows.size(), 24u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"100000", "c-0311", "created",
                                               "2024-11-24 09:21:11.096", "42.94", "DE"}));

  SchemaPtr schema =
      MakeSchema({MakeField("order_id", LongType()), MakeField("customer_id", StringType()),
                  MakeField("status", StringType()), MakeField("order_ts", TimestampType()),
                  MakeField("total", DecimalType(10, 2)), MakeField("country", StringType())});
  ReadStats stats;
  Result<std::vector<BatchPtr>> typed =
      ReadCsvFile(path, schema, Options({{"header", "true"}, {"mode", "FAILFAST"}}), &stats);
  ASSERT_TRUE(typed.ok()) << typed.status().ToString();
  EXPECT_EQ(stats.records, 24);
  EXPECT_EQ(ToRows(*typed)[1],
            (std::vector<std::string>{"100001", "c-0107", "created", "2024-11-24 09:22:07.071",
                                      "74.00", "SE"}));
}

TEST(CsvReaderTest, MissingFileIsAnError) {
  Result<std::vector<BatchPtr>> batches =
      ReadCsvFile("/nonexistent/dir/file.csv", Strings({"a"}), {});
  ASSERT_FALSE(batches.ok());
  EXPECT_THAT(batches.status().message(), HasSubstr("/nonexistent/dir/file.csv"));
}

TEST(CsvReaderTest, VoidColumnsReadNullAndVariantColumnsAreRefused) {
  SchemaPtr schema = MakeSchema({MakeField("a", IntType()), MakeField("n", NullType())});
  EXPECT_EQ(ReadRows("1,x\n2,\n3,\"quoted\"\n", schema),
            (Rows{{"1", "null"}, {"2", "null"}, {"3", "null"}}));
  Result<std::unique_ptr<CsvDecoder>> decoder = CsvDecoder::Make(
      MakeSchema({MakeField("a", IntType()), MakeField("payload", VariantType())}), {});
  ASSERT_FALSE(decoder.ok());
  EXPECT_EQ(decoder.status().code(), StatusCode::kNotImplemented);
  EXPECT_THAT(decoder.status().message(), HasSubstr("'payload'"));
}

}  // namespace
}  // namespace sluice::csv
