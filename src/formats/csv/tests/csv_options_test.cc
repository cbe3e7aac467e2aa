// SPDX-License-Identifier: Apache-2.0
#include "formats/csv/csv_options.h"

#include <gtest/gtest.h>

namespace sluice::csv {
namespace {

TEST(CsvOptionsTest, DefaultsAreSparks) {
  Result<CsvReadOptions> options = CsvReadOptions::FromOptions({});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_FALSE(options->header);
  EXPECT_EQ(options->sep, ",");
  EXPECT_EQ(options->quote, '"');
  EXPECT_EQ(options->escape, '\\');
  EXPECT_EQ(options->EffectiveEscapeEscape(), '\\');
  EXPECT_EQ(options->comment, '\0');
  EXPECT_EQ(options->null_value, "");
  EXPECT_EQ(options->nan_value, "NaN");
  EXPECT_EQ(options->positive_inf, "Inf");
  EXPECT_EQ(options->negative_inf, "-Inf");
  EXPECT_FALSE(options->ignore_leading_white_space);
  EXPECT_FALSE(options->multi_line);
  EXPECT_EQ(options->mode, ParseMode::kPermissive);
  EXPECT_EQ(options->column_name_of_corrupt_record, "_corrupt_record");
  EXPECT_FALSE(options->infer_schema);
  EXPECT_TRUE(options->enforce_schema);
  EXPECT_TRUE(options->prefers_date);
  EXPECT_FALSE(options->line_sep.has_value());
  EXPECT_EQ(options->max_columns, 20480);
}

TEST(CsvOptionsTest, KeysAndBooleansAreCaseInsensitive) {
  Result<CsvReadOptions> options = CsvReadOptions::FromOptions({{"HEADER", "TRUE"},
                                                                {"inferschema", "True"},
                                                                {"MultiLine", "true"},
                                                                {"MODE", "dropmalformed"},
                                                                {"NullValue", "NA"},
                                                                {"nanvalue", "nan"}});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_TRUE(options->header);
  EXPECT_TRUE(options->infer_schema);
  EXPECT_TRUE(options->multi_line);
  EXPECT_EQ(options->mode, ParseMode::kDropMalformed);
  EXPECT_EQ(options->null_value, "NA");
  EXPECT_EQ(options->nan_value, "nan");
}

TEST(CsvOptionsTest, SeparatorSpellings) {
  EXPECT_EQ(CsvReadOptions::FromOptions({{"delimiter", ";"}})->sep, ";");
  EXPECT_EQ(CsvReadOptions::FromOptions({{"sep", "\\t"}})->sep, "\t");
  EXPECT_EQ(CsvReadOptions::FromOptions({{"sep", "\t"}})->sep, "\t");
  EXPECT_EQ(CsvReadOptions::FromOptions({{"sep", "||"}})->sep, "||");
  EXPECT_EQ(CsvReadOptions::FromOptions({{"sep", "\\\\"}})->sep, "\\");
  // "sep" wins over "delimiter", as in Spark.
  EXPECT_EQ(CsvReadOptions::FromOptions({{"sep", "|"}, {"delimiter", ";"}})->sep, "|");
  // The last of a repeated key wins.
  EXPECT_EQ(CsvReadOptions::FromOptions({{"sep", "|"}, {"SEP", ";"}})->sep, ";");

  for (const char* bad : {"", "\\", "\\n", "a\\"}) {
    Result<CsvReadOptions> options = CsvReadOptions::FromOptions({{"sep", bad}});
    ASSERT_FALSE(options.ok()) << bad;
    EXPECT_EQ(options.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(options.status().message().find("'sep'"), std::string::npos)
        << options.status().message();
  }
}

TEST(CsvOptionsTest, SingleCharacterOptions) {
  Result<CsvReadOptions> options =
      CsvReadOptions::FromOptions({{"quote", ""}, {"escape", "'"}, {"comment", "#"}});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->quote, '\0');
  EXPECT_EQ(options->escape, '\'');
  EXPECT_EQ(options->comment, '#');

  options = CsvReadOptions::FromOptions({{"escape", "\""}});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->EffectiveEscapeEscape(), '\0');  // escape == quote: none
  options = CsvReadOptions::FromOptions({{"charToEscapeQuoteEscaping", "#"}});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->EffectiveEscapeEscape(), '#');

  Result<CsvReadOptions> bad = CsvReadOptions::FromOptions({{"quote", "ab"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("'quote'"), std::string::npos);
}

TEST(CsvOptionsTest, BadValuesNameTheOption) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"header", "yes"},
      {"inferSchema", "1"},
      {"mode", "LENIENT"},
      {"samplingRatio", "0"},
      {"samplingRatio", "1.5"},
      {"samplingRatio", "x"},
      {"lineSep", ""},
      {"lineSep", "abc"},
      {"maxColumns", "0"},
      {"maxColumns", "many"},
      {"batchRows", "0"},
      {"enforceSchema", "maybe"},
      {"timestampFormat", "yyyy-MM-dd'T"},
      {"unescapedQuoteHandling", "WHATEVER"}};
  for (const auto& [key, value] : cases) {
    Result<CsvReadOptions> options = CsvReadOptions::FromOptions({{key, value}});
    ASSERT_FALSE(options.ok()) << key << "=" << value;
    EXPECT_EQ(options.status().code(), StatusCode::kInvalidArgument) << key;
    EXPECT_NE(options.status().message().find(key), std::string::npos)
        << options.status().message();
  }
}

TEST(CsvOptionsTest, UnsupportedValuesAreNotImplemented) {
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"encoding", "ISO-8859-1"},
           {"timeZone", "America/New_York"},
           {"unescapedQuoteHandling", "RAISE_ERROR"}}) {
    Result<CsvReadOptions> options = CsvReadOptions::FromOptions({{key, value}});
    ASSERT_FALSE(options.ok()) << key;
    EXPECT_EQ(options.status().code(), StatusCode::kNotImplemented) << key;
  }
  EXPECT_TRUE(CsvReadOptions::FromOptions({{"encoding", "utf-8"}, {"timeZone", "UTC"}}).ok());
}

TEST(CsvOptionsTest, UnknownKeysAreIgnoredAsInSpark) {
  Result<CsvReadOptions> options = CsvReadOptions::FromOptions({{"path", "/tmp/x.csv"}});
  EXPECT_TRUE(options.ok());
}

TEST(CsvOptionsTest, ValuesAreKept) {
  Result<CsvReadOptions> options =
      CsvReadOptions::FromOptions({{"timestampFormat", "dd/MM/yyyy HH:mm"},
                                   {"dateFormat", "dd.MM.yyyy"},
                                   {"lineSep", ";"},
                                   {"samplingRatio", "0.5"},
                                   {"prefersDate", "false"},
                                   {"enableDateTimeParsingFallback", "true"},
                                   {"columnNameOfCorruptRecord", "bad"},
                                   {"maxCharsPerColumn", "10"},
                                   {"ignoreLeadingWhiteSpace", "true"},
                                   {"ignoreTrailingWhiteSpace", "true"},
                                   {"emptyValue", "<empty>"}});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->timestamp_format, "dd/MM/yyyy HH:mm");
  EXPECT_EQ(options->date_format, "dd.MM.yyyy");
  EXPECT_EQ(options->line_sep, ";");
  EXPECT_EQ(options->sampling_ratio, 0.5);
  EXPECT_FALSE(options->prefers_date);
  EXPECT_EQ(options->enable_date_time_parsing_fallback, std::optional<bool>(true));
  EXPECT_EQ(options->column_name_of_corrupt_record, "bad");
  EXPECT_EQ(options->max_chars_per_column, 10);
  EXPECT_TRUE(options->ignore_leading_white_space);
  EXPECT_TRUE(options->ignore_trailing_white_space);
  EXPECT_EQ(options->empty_value, "<empty>");
}

TEST(CsvOptionsTest, WriteOptions) {
  Result<CsvWriteOptions> defaults = CsvWriteOptions::FromOptions({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_FALSE(defaults->header);
  EXPECT_TRUE(defaults->escape_quotes);
  EXPECT_FALSE(defaults->quote_all);
  EXPECT_TRUE(defaults->ignore_leading_white_space);  // Spark's writer trims by default
  EXPECT_TRUE(defaults->ignore_trailing_white_space);
  EXPECT_EQ(defaults->empty_value, "\"\"");
  EXPECT_EQ(defaults->line_sep, "\n");

  Result<CsvWriteOptions> options = CsvWriteOptions::FromOptions({{"Header", "true"},
                                                                  {"sep", "\\t"},
                                                                  {"quoteAll", "true"},
                                                                  {"nullValue", "NULL"},
                                                                  {"dateFormat", "dd/MM/yyyy"},
                                                                  {"lineSep", "\r\n"}});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_TRUE(options->header);
  EXPECT_EQ(options->sep, "\t");
  EXPECT_TRUE(options->quote_all);
  EXPECT_EQ(options->null_value, "NULL");
  EXPECT_EQ(options->date_format, "dd/MM/yyyy");
  EXPECT_EQ(options->line_sep, "\r\n");

  Result<CsvWriteOptions> bad = CsvWriteOptions::FromOptions({{"quoteAll", "always"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("quoteAll"), std::string::npos);
  EXPECT_EQ(CsvWriteOptions::FromOptions({{"compression", "gzip"}}).status().code(),
            StatusCode::kNotImplemented);
}

}  // namespace
}  // namespace sluice::csv
