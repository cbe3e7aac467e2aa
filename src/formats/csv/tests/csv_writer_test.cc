// SPDX-License-Identifier: Apache-2.0
#include "formats/csv/csv_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "columnar/builder.h"
#include "formats/csv/csv_reader.h"

namespace sluice::csv {
namespace {

using ::testing::HasSubstr;

BatchPtr StringBatch(const std::vector<std::optional<std::string>>& values,
                     const std::string& name = "s") {
  BatchBuilder builder(MakeSchema({MakeField(name, StringType())}));
  auto* column = static_cast<StringBuilder*>(builder.column(0));
  for (const auto& value : values) {
    if (value.has_value()) {
      column->Append(*value);
    } else {
      column->AppendNull();
    }
  }
  return builder.Finish();
}

std::string Write(const Batch& batch, const CsvWriteOptions& options = {}) {
  Result<std::string> text = WriteCsv(batch, options);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : "";
}

CsvWriteOptions Options(const OptionList& list) {
  Result<CsvWriteOptions> options = CsvWriteOptions::FromOptions(list);
  EXPECT_TRUE(options.ok()) << options.status().ToString();
  return options.ok() ? *options : CsvWriteOptions{};
}

BatchPtr TypedBatch() {
  SchemaPtr schema =
      MakeSchema({MakeField("b", BooleanType()), MakeField("i", IntType()),
                  MakeField("l", LongType()), MakeField("d", DoubleType()),
                  MakeField("f", FloatType()), MakeField("dec", DecimalType(10, 3)),
                  MakeField("day", DateType()), MakeField("ts", TimestampType()),
                  MakeField("ntz", TimestampNtzType()), MakeField("s", StringType())});
  BatchBuilder builder(schema);
  static_cast<BooleanBuilder*>(builder.column(0))->Append(true);
  static_cast<Int32Builder*>(builder.column(1))->Append(-7);
  static_cast<Int64Builder*>(builder.column(2))->Append(9007199254740993LL);
  static_cast<DoubleBuilder*>(builder.column(3))->Append(1.0);
  static_cast<FloatBuilder*>(builder.column(4))->Append(0.1f);
  static_cast<DecimalBuilder*>(builder.column(5))->Append(static_cast<Int128>(-12345));
  static_cast<Int32Builder*>(builder.column(6))->Append(19753);  // 2024-01-31
  // 2024-01-31T10:00:00.5Z
  static_cast<Int64Builder*>(builder.column(7))->Append(1706695200500000LL);
  static_cast<Int64Builder*>(builder.column(8))->Append(1706695200000000LL);
  static_cast<StringBuilder*>(builder.column(9))->Append("x");
  for (int c = 0; c < schema->num_fields(); ++c) {
    builder.column(c)->AppendNull();
  }
  static_cast<BooleanBuilder*>(builder.column(0))->Append(false);
  static_cast<Int32Builder*>(builder.column(1))->Append(0);
  static_cast<Int64Builder*>(builder.column(2))->Append(0);
  static_cast<DoubleBuilder*>(builder.column(3))->Append(std::numeric_limits<double>::quiet_NaN());
  static_cast<FloatBuilder*>(builder.column(4))->Append(-std::numeric_limits<float>::infinity());
  static_cast<DecimalBuilder*>(builder.column(5))->Append(static_cast<Int128>(5));
  static_cast<Int32Builder*>(builder.column(6))->Append(0);
  static_cast<Int64Builder*>(builder.column(7))->Append(0);
  static_cast<Int64Builder*>(builder.column(8))->Append(-1000);
  static_cast<StringBuilder*>(builder.column(9))->Append("");
  return builder.Finish();
}

TEST(CsvWriterTest, WritesEveryPrimitiveTypeAsSparkDoes) {
  EXPECT_EQ(Write(*TypedBatch(), Options({{"header", "true"}})),
            "b,i,l,d,f,dec,day,ts,ntz,s\n"
            "true,-7,9007199254740993,1.0,0.1,-12.345,2024-01-31,2024-01-31T10:00:00.500Z,"
            "2024-01-31T10:00:00.000,x\n"
            ",,,,,,,,,\n"
            "false,0,0,NaN,-Infinity,0.005,1970-01-01,1970-01-01T00:00:00.000Z,"
            "1969-12-31T23:59:59.999,\"\"\n");
}

TEST(CsvWriterTest, FormatOptions) {
  EXPECT_EQ(Write(*TypedBatch(), Options({{"timestampFormat", "yyyy/MM/dd HH:mm"},
                                          {"timestampNTZFormat", "HH:mm:ss"},
                                          {"dateFormat", "dd.MM.yyyy"},
                                          {"nullValue", "NULL"},
                                          {"emptyValue", "EMPTY"},
                                          {"sep", ";"},
                                          {"lineSep", "\r\n"}})),
            "true;-7;9007199254740993;1.0;0.1;-12.345;31.01.2024;2024/01/31 10:00;10:00:00;x\r\n"
            "NULL;NULL;NULL;NULL;NULL;NULL;NULL;NULL;NULL;NULL\r\n"
            "false;0;0;NaN;-Infinity;0.005;01.01.1970;1970/01/01 00:00;23:59:59;EMPTY\r\n");
}

TEST(CsvWriterTest, QuotesOnlyWhatNeedsIt) {
  const BatchPtr batch = StringBatch({"plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere",
                                      "back\\slash", "\"lead", "x\\\"y", std::nullopt});
  EXPECT_EQ(Write(*batch),
            "plain\n"
            "\"a,b\"\n"
            "\"say \\\"hi\\\"\"\n"
            "\"two\nlines\"\n"
            "\"cr\rhere\"\n"
            "back\\slash\n"  // a backslash alone does not quote
            "\"\\\"lead\"\n"
            "\"x\\\\\\\"y\"\n"  // inside quotes the escape is escaped too
            "\n");
}

TEST(CsvWriterTest, EscapeEqualToQuoteDoublesQuotes) {
  EXPECT_EQ(Write(*StringBatch({"say \"hi\""}), Options({{"escape", "\""}})),
            "\"say \"\"hi\"\"\"\n");
}

TEST(CsvWriterTest, EscapeQuotesFalseLeavesQuotesAlone) {
  EXPECT_EQ(Write(*StringBatch({"a\"b", "c,\"d"}), Options({{"escapeQuotes", "false"}})),
            "a\"b\n\"c,\\\"d\"\n");
}

TEST(CsvWriterTest, QuoteAllAndDisabledQuotes) {
  EXPECT_EQ(Write(*StringBatch({"a", "1", std::nullopt}), Options({{"quoteAll", "true"}})),
            "\"a\"\n\"1\"\n\"\"\n");
  EXPECT_EQ(Write(*StringBatch({"a,b"}), Options({{"quote", ""}})), "a,b\n");
}

TEST(CsvWriterTest, WhiteSpaceIsTrimmedByDefault) {
  const BatchPtr batch = StringBatch({"  padded  ", "   ", " a,b "});
  EXPECT_EQ(Write(*batch), "padded\n\"\"\n\"a,b\"\n");
  EXPECT_EQ(Write(*batch, Options({{"ignoreLeadingWhiteSpace", "false"},
                                   {"ignoreTrailingWhiteSpace", "false"}})),
            "  padded  \n   \n\" a,b \"\n");
}

TEST(CsvWriterTest, HeaderNamesAreEscapedAndMultiCharSeparatorsQuote) {
  EXPECT_EQ(
      Write(*StringBatch({"a|b", "a"}, "col|x"), Options({{"header", "true"}, {"sep", "||"}})),
      "\"col|x\"\n\"a|b\"\na\n");
}

TEST(CsvWriterTest, CommentCharacterAtTheStartIsQuoted) {
  EXPECT_EQ(Write(*StringBatch({"#not a comment", "a#b"}), Options({{"comment", "#"}})),
            "\"#not a comment\"\na#b\n");
}

TEST(CsvWriterTest, NestedTypesAreRefused) {
  BatchBuilder builder(
      MakeSchema({MakeField("id", IntType()), MakeField("tags", ArrayType(StringType()))}));
  Result<std::string> text = WriteCsv(*builder.Finish(), {});
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(text.status().message(), HasSubstr("'tags'"));
}

TEST(CsvWriterTest, VariantIsRefusedAndVoidWritesNullValue) {
  BatchBuilder variants(MakeSchema({MakeField("id", IntType()), MakeField("v", VariantType())}));
  Result<std::string> text = WriteCsv(*variants.Finish(), {});
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(text.status().message(), HasSubstr("variant data type (column 'v')"));

  BatchBuilder builder(MakeSchema({MakeField("id", IntType()), MakeField("n", NullType())}));
  static_cast<Int32Builder*>(builder.column(0))->Append(1);
  builder.column(1)->AppendNull();
  static_cast<Int32Builder*>(builder.column(0))->Append(2);
  builder.column(1)->AppendNull();
  text = WriteCsv(*builder.Finish(), Options({{"nullValue", "NA"}}));
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "1,NA\n2,NA\n");
}

TEST(CsvWriterTest, SeveralBatchesShareOneHeader) {
  const BatchPtr first = StringBatch({"a"});
  const BatchPtr second = StringBatch({"b", "c"});
  Result<std::string> text =
      WriteCsv({first, second}, *first->schema(), Options({{"header", "true"}}));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "s\na\nb\nc\n");
  Result<std::string> mismatch =
      WriteCsv({first, StringBatch({"z"}, "other")}, *first->schema(), {});
  EXPECT_FALSE(mismatch.ok());
}

TEST(CsvWriterTest, WhatItWritesReadsBack) {
  const std::vector<std::optional<std::string>> values = {
      "plain", "a,b", "say \"hi\"", "two\nlines", "x\"\"y", "back\\slash",       "end\\", "\\\"",
      "\"",    "",    std::nullopt, "tab\there",  "#hash",  "\xC3\xA9t\xC3\xA9", "a\r\nb"};
  // Two columns: a row whose only value is null would be an empty line, which readers
  // skip (in Spark too).
  BatchBuilder builder(MakeSchema({MakeField("id", IntType()), MakeField("s", StringType())}));
  for (size_t i = 0; i < values.size(); ++i) {
    static_cast<Int32Builder*>(builder.column(0))->Append(static_cast<int32_t>(i));
    auto* column = static_cast<StringBuilder*>(builder.column(1));
    if (values[i].has_value()) {
      column->Append(*values[i]);
    } else {
      column->AppendNull();
    }
  }
  const BatchPtr batch = builder.Finish();
  Result<std::string> text = WriteCsv(*batch, Options({{"header", "true"}}));
  ASSERT_TRUE(text.ok());
  // The reader needs multiLine for the values with newlines; an empty string reads back
  // as null with Spark's defaults, so set an emptyValue that differs from nullValue.
  Result<CsvReadOptions> read_options = CsvReadOptions::FromOptions(
      {{"header", "true"}, {"multiLine", "true"}, {"emptyValue", "<empty>"}});
  ASSERT_TRUE(read_options.ok());
  Result<std::vector<BatchPtr>> read = ReadCsv(*text, batch->schema(), *read_options);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->size(), 1u);
  const Vector& column = *(*read)[0]->column(1);
  ASSERT_EQ(column.length(), static_cast<int64_t>(values.size())) << *text;
  for (size_t i = 0; i < values.size(); ++i) {
    const auto row = static_cast<int64_t>(i);
    if (!values[i].has_value()) {
      EXPECT_TRUE(column.IsNull(row)) << i;
    } else if (values[i]->empty()) {
      EXPECT_EQ(column.StringValue(row), "<empty>");
    } else {
      EXPECT_EQ(column.StringValue(row), *values[i]) << i << " in\n" << *text;
    }
  }
}

TEST(CsvWriterTest, ALoneNullIsAnEmptyLine) {
  const BatchPtr batch = StringBatch({"a", std::nullopt, "b"});
  const std::string text = Write(*batch);
  EXPECT_EQ(text, "a\n\nb\n");
  Result<std::vector<BatchPtr>> read = ReadCsv(text, batch->schema(), {});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ((*read)[0]->num_rows(), 2);  // as in Spark, the empty line is skipped
}

TEST(CsvWriterTest, TypedValuesReadBack) {
  const BatchPtr batch = TypedBatch();
  Result<std::string> text = WriteCsv(*batch, Options({{"header", "true"}}));
  ASSERT_TRUE(text.ok());
  Result<std::vector<BatchPtr>> read =
      ReadCsv(*text, batch->schema(),
              *CsvReadOptions::FromOptions({{"header", "true"}, {"mode", "FAILFAST"}}));
  ASSERT_TRUE(read.ok()) << read.status().ToString() << "\n" << *text;
  const Batch& back = *(*read)[0];
  ASSERT_EQ(back.num_rows(), 3);
  for (int c = 0; c < back.num_columns(); ++c) {
    for (int64_t r = 0; r < 3; ++r) {
      const Vector& original = *batch->column(c);
      const Vector& copy = *back.column(c);
      const bool empty_string = c == 9 && r == 2;  // "" reads back as null by default
      ASSERT_EQ(copy.IsNull(r), original.IsNull(r) || empty_string) << c << "," << r;
      if (original.IsNull(r) || empty_string) {
        continue;
      }
      switch (original.type_id()) {
        case TypeId::kDouble:
          if (std::isnan(original.Value<double>(r))) {
            EXPECT_TRUE(std::isnan(copy.Value<double>(r)));
          } else {
            EXPECT_EQ(copy.Value<double>(r), original.Value<double>(r));
          }
          break;
        case TypeId::kFloat:
          EXPECT_EQ(copy.Value<float>(r), original.Value<float>(r));
          break;
        case TypeId::kBoolean:
          EXPECT_EQ(copy.BoolValue(r), original.BoolValue(r));
          break;
        case TypeId::kInt:
        case TypeId::kDate:
          EXPECT_EQ(copy.Value<int32_t>(r), original.Value<int32_t>(r)) << c;
          break;
        case TypeId::kDecimal:
          EXPECT_TRUE(copy.DecimalValue(r) == original.DecimalValue(r));
          break;
        case TypeId::kString:
          EXPECT_EQ(copy.StringValue(r), original.StringValue(r));
          break;
        default:
          EXPECT_EQ(copy.Value<int64_t>(r), original.Value<int64_t>(r)) << c << "," << r;
      }
    }
  }
}

}  // namespace
}  // namespace sluice::csv
