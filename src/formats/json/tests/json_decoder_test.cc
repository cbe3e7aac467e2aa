// SPDX-License-Identifier: Apache-2.0
#include "formats/json/json_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "formats/json/json_options.h"
#include "formats/json/tests/json_test_util.h"
#include "types/datetime.h"

namespace sluice::json {
namespace {

using testing::Ddl;
using ::testing::HasSubstr;
using testing::Read;
using testing::Rows;
using testing::ToRows;

JsonReadOptions WithMode(ParseMode mode) {
  JsonReadOptions options;
  options.mode = mode;
  return options;
}

TEST(JsonDecoderTest, DecodesPrimitiveColumns) {
  const std::string data =
      R"({"b":true,"i":7,"l":-9000000000,"d":1.5,"s":"hi","dt":"2024-01-31","ts":"2024-01-31T10:00:00.5Z"})"
      "\n"
      R"({"s":"x\n\"y\"","b":false,"i":-1,"l":0,"d":2,"dt":"2024-02-01","ts":"2024-01-31 10:00:00"})"
      "\n";
  const Rows rows =
      Read(data, "b BOOLEAN, i INT, l BIGINT, d DOUBLE, s STRING, dt DATE, ts TIMESTAMP");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"true", "7", "-9000000000", "1.5", "hi",
                                               "2024-01-31", "2024-01-31 10:00:00.5"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"false", "-1", "0", "2.0", "x\n\"y\"", "2024-02-01",
                                               "2024-01-31 10:00:00"}));
}

TEST(JsonDecoderTest, MissingFieldsAreNullUnknownIgnoredLastDuplicateWins) {
  const Rows rows =
      Read("{\"a\":1,\"zzz\":{\"deep\":[1,2,{\"x\":null}]},\"a\":2}\n{\"b\":\"only b\"}\n{}\n",
           "a BIGINT, b STRING");
  EXPECT_EQ(rows, (Rows{{"2", "NULL"}, {"NULL", "only b"}, {"NULL", "NULL"}}));
}

TEST(JsonDecoderTest, FieldNamesAreCaseSensitiveAndMayBeEscaped) {
  const Rows rows = Read(R"({"A":1,"a":2,"\u0062":3})", "a BIGINT, A BIGINT, b BIGINT");
  EXPECT_EQ(rows, (Rows{{"2", "1", "3"}}));
}

TEST(JsonDecoderTest, BlankLinesAndAllLineEndingsAreHandled) {
  const std::string data = "\n  \n{\"a\":1}\r\n\r\n{\"a\":2}\r{\"a\":3}\n\t\n{\"a\":4}";
  EXPECT_EQ(Read(data, "a INT"), (Rows{{"1"}, {"2"}, {"3"}, {"4"}}));
}

TEST(JsonDecoderTest, NestedStructsArraysAndMaps) {
  const std::string data =
      R"({"o":{"id":1,"items":[{"sku":"a","qty":2},{"qty":3,"sku":"b"}],"tags":{"x":"1","y":null}}})"
      "\n"
      R"({"o":{"id":2,"items":[],"tags":{}}})"
      "\n"
      R"({"o":{"id":3,"items":null}})"
      "\n"
      R"({"o":null})";
  const Rows rows = Read(
      data,
      "o STRUCT<id: INT, items: ARRAY<STRUCT<sku: STRING, qty: INT>>, tags: MAP<STRING, STRING>>");
  EXPECT_EQ(rows, (Rows{{"{1, [{a, 2}, {b, 3}], {x -> 1, y -> NULL}}"},
                        {"{2, [], {}}"},
                        {"{3, NULL, NULL}"},
                        {"NULL"}}));
}

TEST(JsonDecoderTest, ArraysOfArraysAndNullElements) {
  EXPECT_EQ(Read(R"({"m":[[1,2],null,[],[null,3]]})", "m ARRAY<ARRAY<INT>>"),
            (Rows{{"[[1, 2], NULL, [], [NULL, 3]]"}}));
}

TEST(JsonDecoderTest, MapWithNonStringKeyIsRejectedAtMake) {
  auto decoder = JsonDecoder::Make(Ddl("m MAP<INT, STRING>"), {});
  ASSERT_FALSE(decoder.ok());
  EXPECT_EQ(decoder.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(decoder.status().message(), HasSubstr("map keys"));
}

TEST(JsonDecoderTest, CorruptColumnMustBeString) {
  auto decoder = JsonDecoder::Make(Ddl("a INT, _corrupt_record INT"), {});
  ASSERT_FALSE(decoder.ok());
  EXPECT_EQ(decoder.status().code(), StatusCode::kInvalidArgument);
}

TEST(JsonDecoderTest, PermissiveSyntaxErrorGivesNullRowAndRawText) {
  const std::string data = "{\"a\":1,\"b\":\"x\"}\n{\"a\":2,\"b\":\n{\"a\":3,\"b\":\"z\"}\n";
  JsonDecoder* raw = nullptr;
  auto decoder = JsonDecoder::Make(Ddl("a INT, b STRING, _corrupt_record STRING"), {});
  ASSERT_TRUE(decoder.ok());
  raw = decoder->get();
  std::vector<BatchPtr> batches;
  ASSERT_TRUE(raw->DecodeNdjson(data,
                                [&](BatchPtr batch) {
                                  batches.push_back(std::move(batch));
                                  return Status::Ok();
                                })
                  .ok());
  EXPECT_EQ(ToRows(batches),
            (Rows{{"1", "x", "NULL"}, {"NULL", "NULL", "{\"a\":2,\"b\":"}, {"3", "z", "NULL"}}));
  EXPECT_EQ(raw->stats().records, 3);
  EXPECT_EQ(raw->stats().malformed_records, 1);
  EXPECT_EQ(raw->stats().dropped_records, 0);
}

TEST(JsonDecoderTest, CorruptColumnIsNotReadFromTheJson) {
  EXPECT_EQ(Read(R"({"a":1,"_corrupt_record":"from json"})", "a INT, _corrupt_record STRING"),
            (Rows{{"1", "NULL"}}));
}

TEST(JsonDecoderTest, PermissiveWrongTypeKeepsOtherFields) {
  const Rows rows = Read("{\"a\":\"nope\",\"b\":\"kept\"}\n{\"a\":5,\"b\":\"fine\"}\n",
                         "a INT, b STRING, _corrupt_record STRING");
  EXPECT_EQ(rows,
            (Rows{{"NULL", "kept", "{\"a\":\"nope\",\"b\":\"kept\"}"}, {"5", "fine", "NULL"}}));
}

TEST(JsonDecoderTest, CustomCorruptColumnName) {
  JsonReadOptions options;
  options.column_name_of_corrupt_record = "bad";
  EXPECT_EQ(Read("{\"a\":true}\n[1]\n", "a BOOLEAN, bad STRING", options),
            (Rows{{"true", "NULL"}, {"NULL", "[1]"}}));
}

TEST(JsonDecoderTest, PermissiveWithoutCorruptColumnKeepsNullRow) {
  EXPECT_EQ(Read("{\"a\":1}\n{oops}\n", "a INT"), (Rows{{"1"}, {"NULL"}}));
}

TEST(JsonDecoderTest, DropMalformedDropsBadRecords) {
  auto decoder = JsonDecoder::Make(Ddl("a INT, b STRING"), WithMode(ParseMode::kDropMalformed));
  ASSERT_TRUE(decoder.ok());
  std::vector<BatchPtr> batches;
  const std::string data =
      "{\"a\":1,\"b\":\"x\"}\n{\"a\":\"wrong\",\"b\":\"y\"}\n{broken\n{\"a\":4,\"b\":\"w\"}\n";
  ASSERT_TRUE((*decoder)
                  ->DecodeNdjson(data,
                                 [&](BatchPtr batch) {
                                   batches.push_back(std::move(batch));
                                   return Status::Ok();
                                 })
                  .ok());
  EXPECT_EQ(ToRows(batches), (Rows{{"1", "x"}, {"4", "w"}}));
  EXPECT_EQ((*decoder)->stats().dropped_records, 2);
  EXPECT_EQ((*decoder)->stats().malformed_records, 2);
}

TEST(JsonDecoderTest, FailFastNamesLineOffsetAndField) {
  const std::string data = "{\"a\":1}\n\n{\"a\":2}\n{\"a\":\"x\"}\n";
  auto result = ReadJson(data, Ddl("a INT"), WithMode(ParseMode::kFailFast));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kParseError);
  EXPECT_THAT(result.status().message(), HasSubstr("line 4"));
  EXPECT_THAT(result.status().message(), HasSubstr("byte offset 17"));
  EXPECT_THAT(result.status().message(), HasSubstr("'a'"));
}

TEST(JsonDecoderTest, FailFastOnSyntaxErrorNamesLine) {
  auto result =
      ReadJson("{\"a\":1}\r\n{\"a\":1,}\r\n", Ddl("a INT"), WithMode(ParseMode::kFailFast));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kParseError);
  EXPECT_THAT(result.status().message(), HasSubstr("line 2"));
  EXPECT_THAT(result.status().message(), HasSubstr("byte offset 9"));
}

TEST(JsonDecoderTest, FailFastNamesNestedFieldPath) {
  auto result = ReadJson(R"({"o":{"p":{"q":1.5}}})", Ddl("o STRUCT<p: STRUCT<q: INT>>"),
                         WithMode(ParseMode::kFailFast));
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("o.p.q"));
}

TEST(JsonDecoderTest, NestedBadFieldOnlyNullsThatField) {
  EXPECT_EQ(Read(R"({"o":{"x":"bad","y":2}})", "o STRUCT<x: INT, y: INT>"), (Rows{{"{NULL, 2}"}}));
  // A bad element makes its whole array null.
  EXPECT_EQ(Read(R"({"v":[1,"two",3],"w":1})", "v ARRAY<INT>, w INT"), (Rows{{"NULL", "1"}}));
}

TEST(JsonDecoderTest, IntegerCoercions) {
  const std::string data =
      "{\"t\":127,\"s\":-32768,\"i\":2147483647,\"l\":9223372036854775807}\n"
      "{\"t\":128,\"s\":32768,\"i\":2147483648,\"l\":9223372036854775808}\n"
      "{\"t\":1.0,\"s\":1e2,\"i\":\"3\",\"l\":true}\n";
  EXPECT_EQ(Read(data, "t TINYINT, s SMALLINT, i INT, l BIGINT"),
            (Rows{{"127", "-32768", "2147483647", "9223372036854775807"},
                  {"NULL", "NULL", "NULL", "NULL"},
                  {"NULL", "NULL", "NULL", "NULL"}}));
}

TEST(JsonDecoderTest, FloatingCoercionsAndSpecialStrings) {
  const std::string data =
      "{\"d\":3,\"f\":0.5}\n"
      "{\"d\":\"NaN\",\"f\":\"-Infinity\"}\n"
      "{\"d\":\"+INF\",\"f\":\"Infinity\"}\n"
      "{\"d\":\"1.5\",\"f\":true}\n"
      "{\"d\":1e400,\"f\":-1E2}\n";
  EXPECT_EQ(Read(data, "d DOUBLE, f FLOAT"), (Rows{{"3.0", "0.5"},
                                                   {"NaN", "-Infinity"},
                                                   {"Infinity", "Infinity"},
                                                   {"NULL", "NULL"},
                                                   {"Infinity", "-100.0"}}));
}

TEST(JsonDecoderTest, DecimalsFromNumbersAndStringsWithRounding) {
  const std::string data =
      "{\"d\":12.345}\n{\"d\":\"-0.005\"}\n{\"d\":1e2}\n{\"d\":123456}\n{\"d\":\"abc\"}\n";
  EXPECT_EQ(Read(data, "d DECIMAL(6,2)"),
            (Rows{{"12.35"}, {"-0.01"}, {"100.00"}, {"NULL"}, {"NULL"}}));
}

TEST(JsonDecoderTest, StringColumnKeepsJsonTextOfOtherValues) {
  const std::string data = R"({"s":12})"
                           "\n"
                           R"({"s":true})"
                           "\n"
                           R"({"s":{"k": [1, 2.50, "x\u0041"] }})"
                           "\n"
                           R"({"s":[]})"
                           "\n"
                           R"({"s":-0.5e3})";
  EXPECT_EQ(Read(data, "s STRING"),
            (Rows{{"12"}, {"true"}, {"{\"k\":[1,2.5,\"xA\"]}"}, {"[]"}, {"-500.0"}}));
}

TEST(JsonDecoderTest, BooleansOnlyFromTrueAndFalse) {
  EXPECT_EQ(Read("{\"b\":true}\n{\"b\":\"true\"}\n{\"b\":1}\n", "b BOOLEAN"),
            (Rows{{"true"}, {"NULL"}, {"NULL"}}));
}

TEST(JsonDecoderTest, TimestampsFromStringsAndEpochSeconds) {
  const std::string data =
      "{\"ts\":0}\n{\"ts\":1700000000}\n{\"ts\":\"2024-03-01T12:34:56+01:00\"}\n"
      "{\"ts\":1.5}\n{\"ts\":\"yesterday\"}\n";
  EXPECT_EQ(Read(data, "ts TIMESTAMP"), (Rows{{"1970-01-01 00:00:00"},
                                              {"2023-11-14 22:13:20"},
                                              {"2024-03-01 11:34:56"},
                                              {"NULL"},
                                              {"NULL"}}));
}

TEST(JsonDecoderTest, TimestampsAgreeWithSparkCastParsing) {
  // The decoder reads common ISO forms itself; every form must give what
  // sluice::ParseTimestamp (Spark's cast) gives, and refuse what it refuses.
  const std::vector<std::string> texts = {
      "2024-01-31T10:00:00Z",        "2024-01-31T10:00:00",       "2024-01-31 23:59:59.123456",
      "2024-02-29T00:00:00.1Z",      "2023-02-29T00:00:00Z",      "2024-13-01T00:00:00Z",
      "1969-12-31T23:59:59.999Z",    "0001-01-01T00:00:00Z",      "2024-01-31T24:00:00Z",
      "2024-01-31T10:00:00.1234567", "2024-01-31T10:00:00+02:00", " 2024-01-31T10:00:00Z",
      "2024-01-31T10:00:00.Z",       "2024-1-31T10:00:00Z",       "2024-01-31T10:00:60Z",
      "9999-12-31T23:59:59.999999Z"};
  std::string data;
  Rows expected;
  for (const std::string& text : texts) {
    data += "{\"ts\":\"" + text + "\"}\n";
    int64_t micros = 0;
    expected.push_back({ParseTimestamp(text, &micros) ? FormatTimestamp(micros) : "NULL"});
  }
  EXPECT_EQ(Read(data, "ts TIMESTAMP"), expected);
}

TEST(JsonDecoderTest, FormatOptionsAreStrict) {
  JsonReadOptions options;
  options.timestamp_format = "dd/MM/yyyy HH:mm";
  options.date_format = "yyyyMMdd";
  const std::string data =
      "{\"ts\":\"31/01/2024 10:30\",\"d\":\"20240131\"}\n"
      "{\"ts\":\"2024-01-31T10:30:00\",\"d\":\"2024-01-31\"}\n";
  EXPECT_EQ(Read(data, "ts TIMESTAMP, d DATE", options),
            (Rows{{"2024-01-31 10:30:00", "2024-01-31"}, {"NULL", "NULL"}}));
}

TEST(JsonDecoderTest, TimestampNtzRejectsZonesByDefault) {
  EXPECT_EQ(Read("{\"t\":\"2024-01-31 10:00:00\"}\n{\"t\":\"2024-01-31T10:00:00Z\"}\n",
                 "t TIMESTAMP_NTZ"),
            (Rows{{"2024-01-31 10:00:00"}, {"NULL"}}));
}

TEST(JsonDecoderTest, BadFormatPatternIsInvalidArgument) {
  JsonReadOptions options;
  options.date_format = "yyyy-qq";
  auto decoder = JsonDecoder::Make(Ddl("d DATE"), options);
  ASSERT_FALSE(decoder.ok());
  EXPECT_EQ(decoder.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(decoder.status().message(), HasSubstr("dateFormat"));
}

TEST(JsonDecoderTest, BinaryFromBase64) {
  EXPECT_EQ(Read("{\"b\":\"AAH/\"}\n{\"b\":\"SGk=\"}\n{\"b\":\"not base64!\"}\n", "b BINARY"),
            (Rows{{"[00 01 FF]"}, {"[48 69]"}, {"NULL"}}));
}

TEST(JsonDecoderTest, TopLevelArraysGiveOneRowPerObject) {
  EXPECT_EQ(Read("[{\"a\":1},{\"a\":2}]\n[]\n{\"a\":3}\n", "a INT"), (Rows{{"1"}, {"2"}, {"3"}}));
  // Other top-level values are malformed records.
  EXPECT_EQ(Read("1\n\"s\"\nnull\n[1,2]\n", "a INT, _corrupt_record STRING"),
            (Rows{{"NULL", "1"}, {"NULL", "\"s\""}, {"NULL", "null"}, {"NULL", "[1,2]"}}));
}

TEST(JsonDecoderTest, RecordsSpanningLinesOrSharingALineAreMalformed) {
  // Spark reads line by line: a pretty-printed object is several bad records, and
  // content after the first value on a line is refused.
  const std::string data = "{\"a\":\n1}\n{\"a\":2} {\"a\":3}\n{\"a\":4}\n";
  EXPECT_EQ(
      Read(data, "a INT, _corrupt_record STRING"),
      (Rows{{"NULL", "{\"a\":"}, {"NULL", "1}"}, {"NULL", "{\"a\":2} {\"a\":3}"}, {"4", "NULL"}}));
}

TEST(JsonDecoderTest, NullsInNonNullableFieldsAreReadAsNull) {
  std::vector<Field> fields{MakeField("a", IntType(), /*nullable=*/false)};
  auto result = ReadJson("{\"a\":null}\n{}\n", MakeSchema(fields), {});
  ASSERT_TRUE(result.ok());
  const Rows rows = ToRows(*result);
  EXPECT_EQ(rows, (Rows{{"NULL"}, {"NULL"}}));
  EXPECT_TRUE((*result)[0]->schema()->field(0).nullable);
}

TEST(JsonDecoderTest, BatchesRespectBatchRows) {
  JsonReadOptions options;
  options.batch_rows = 3;
  std::string data;
  for (int i = 0; i < 10; ++i) {
    data += "{\"a\":" + std::to_string(i) + "}\n";
  }
  auto batches = ReadJson(data, Ddl("a INT"), options);
  ASSERT_TRUE(batches.ok());
  ASSERT_EQ(batches->size(), 4u);
  EXPECT_EQ((*batches)[0]->num_rows(), 3);
  EXPECT_EQ((*batches)[3]->num_rows(), 1);
  EXPECT_EQ(ToRows(*batches).back(), (std::vector<std::string>{"9"}));
}

TEST(JsonDecoderTest, LargeInputWithScatteredErrorsMatchesLineByLine) {
  // Many rows through the streaming path, with faults at irregular places: every good
  // row must come out once and in order, every bad one as a corrupt record.
  std::string data;
  Rows expected;
  for (int i = 0; i < 5000; ++i) {
    if (i % 97 == 13) {
      data += "{\"a\":" + std::to_string(i) + ",\"s\":\n";
      expected.push_back({"NULL", "NULL", "{\"a\":" + std::to_string(i) + ",\"s\":"});
    } else if (i % 389 == 7) {
      data += "{\"a\":\"" + std::to_string(i) + "\",\"s\":\"v\"}\r\n";
      expected.push_back({"NULL", "v", "{\"a\":\"" + std::to_string(i) + "\",\"s\":\"v\"}"});
    } else {
      data += "{\"a\":" + std::to_string(i) + ",\"s\":\"" + std::string(i % 50, 'x') + "\"}\n";
      expected.push_back({std::to_string(i), std::string(i % 50, 'x'), "NULL"});
    }
  }
  JsonReadOptions options;
  options.batch_rows = 1000;
  EXPECT_EQ(Read(data, "a INT, s STRING, _corrupt_record STRING", options), expected);
}

TEST(JsonDecoderTest, DecodeRecordTreatsAMessageAsOneRecord) {
  auto decoder = JsonDecoder::Make(Ddl("a INT, b ARRAY<INT>, _corrupt_record STRING"), {});
  ASSERT_TRUE(decoder.ok());
  ASSERT_TRUE((*decoder)->DecodeRecord("{\n  \"a\": 1,\n  \"b\": [1, 2]\n}").ok());
  ASSERT_TRUE((*decoder)->DecodeRecord("   ").ok());
  ASSERT_TRUE((*decoder)->DecodeRecord("{\"a\":").ok());
  BatchPtr batch = (*decoder)->Flush();
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(ToRows({batch}), (Rows{{"1", "[1, 2]", "NULL"}, {"NULL", "NULL", "{\"a\":"}}));
  EXPECT_EQ((*decoder)->Flush(), nullptr);
}

TEST(JsonDecoderTest, EmitErrorStopsDecoding) {
  auto decoder = JsonDecoder::Make(Ddl("a INT"), {});
  ASSERT_TRUE(decoder.ok());
  Status status =
      (*decoder)->DecodeNdjson("{\"a\":1}\n", [](BatchPtr) { return Status::Cancelled("stop"); });
  EXPECT_EQ(status.code(), StatusCode::kCancelled);
}

TEST(JsonDecoderTest, ReadJsonInfersWhenNoSchema) {
  auto batches = ReadJson("{\"b\":\"x\",\"a\":1}\n{\"a\":2.5}\n", nullptr, {});
  ASSERT_TRUE(batches.ok());
  ASSERT_FALSE(batches->empty());
  EXPECT_EQ((*batches)[0]->schema()->ToString(), "struct<a:double,b:string>");
  EXPECT_EQ(ToRows(*batches), (Rows{{"1.0", "x"}, {"2.5", "NULL"}}));
}

TEST(JsonDecoderTest, ReadJsonFileReadsThroughTheFileSystem) {
  const std::string path = ::testing::TempDir() + "/json_decoder_test.ndjson";
  {
    std::ofstream out(path, std::ios::binary);
    out << "{\"a\":1}\n{\"a\":2}\n";
  }
  auto batches = ReadJsonFile(path, Ddl("a INT"), {});
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  EXPECT_EQ(ToRows(*batches), (Rows{{"1"}, {"2"}}));
  std::remove(path.c_str());
  EXPECT_FALSE(ReadJsonFile(path, Ddl("a INT"), {}).ok());
}

TEST(JsonDecoderTest, OptionsFromSparkNames) {
  auto options = JsonReadOptions::FromOptions({{"MODE", "dropMalformed"},
                                               {"columnnameofcorruptrecord", "bad"},
                                               {"timestampFormat", "yyyy"},
                                               {"dateFormat", "MM"},
                                               {"timestampNTZFormat", "HH"},
                                               {"primitivesAsString", "TRUE"},
                                               {"prefersDecimal", "true"},
                                               {"samplingRatio", "0.5"},
                                               {"someUnknownOption", "whatever"}});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->mode, ParseMode::kDropMalformed);
  EXPECT_EQ(options->column_name_of_corrupt_record, "bad");
  EXPECT_EQ(options->timestamp_format, "yyyy");
  EXPECT_EQ(options->date_format, "MM");
  EXPECT_EQ(options->timestamp_ntz_format, "HH");
  EXPECT_TRUE(options->primitives_as_string);
  EXPECT_TRUE(options->prefers_decimal);
  EXPECT_DOUBLE_EQ(options->sampling_ratio, 0.5);

  auto bad_mode = JsonReadOptions::FromOptions({{"mode", "foo"}});
  ASSERT_FALSE(bad_mode.ok());
  EXPECT_EQ(bad_mode.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_mode.status().message(), HasSubstr("mode"));
  auto bad_bool = JsonReadOptions::FromOptions({{"primitivesAsString", "maybe"}});
  ASSERT_FALSE(bad_bool.ok());
  EXPECT_THAT(bad_bool.status().message(), HasSubstr("primitivesAsString"));
  EXPECT_FALSE(JsonReadOptions::FromOptions({{"samplingRatio", "0"}}).ok());
  EXPECT_FALSE(JsonReadOptions::FromOptions({{"samplingRatio", "x"}}).ok());
}

TEST(JsonDecoderTest, VariantColumnsParseTheFieldJson) {
  const std::string data = R"({"v":{"b":[1,2.50,"x"],"a":{"n":null,"t":true}}})"
                           "\n"
                           R"({"v":12})"
                           "\n"
                           R"({"v":"text \u00e9"})"
                           "\n"
                           R"({"v":null})"
                           "\n"
                           R"({"other":1})"
                           "\n"
                           R"({"v":[1e2,-0.5,{"k":[]}]})"
                           "\n";
  // Fields print in key order; a JSON null is a variant null, a missing field SQL NULL.
  EXPECT_EQ(Read(data, "v VARIANT"), (Rows{{R"({"a":{"n":null,"t":true},"b":[1,2.50,"x"]})"},
                                           {"12"},
                                           {"\"text \u00e9\""},
                                           {"null"},
                                           {"NULL"},
                                           {R"([100.0,-0.5,{"k":[]}])"}}));
  // The bytes are parse_json's.
  auto batches = ReadJson(R"({"v":{"a":1}})", Ddl("v VARIANT"), {});
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  const Vector& column = *(*batches)[0]->column(0);
  EXPECT_EQ(column.VariantMetadata(0), std::string("\x01\x01\x00\x01"
                                                   "a",
                                                   5));
  EXPECT_EQ(column.VariantValue(0), std::string("\x02\x01\x00\x00\x02\x0C\x01", 7));
}

TEST(JsonDecoderTest, NestedVariantsAndDuplicateKeys) {
  EXPECT_EQ(
      Read(R"({"s":{"v":[1]},"a":[{"x":1},"y",null]})", "s STRUCT<v: VARIANT>, a ARRAY<VARIANT>"),
      (Rows{{"{[1]}", R"([{"x":1}, "y", null])"}}));
  // A duplicate key is a malformed record, as Spark's VARIANT_DUPLICATE_KEY.
  EXPECT_EQ(Read("{\"a\":1,\"v\":{\"k\":1,\"k\":2}}\n{\"a\":2,\"v\":3}\n",
                 "a INT, v VARIANT, _corrupt_record STRING"),
            (Rows{{"1", "NULL", R"({"a":1,"v":{"k":1,"k":2}})"}, {"2", "3", "NULL"}}));
}

TEST(JsonDecoderTest, VoidColumnsAreAlwaysNull) {
  EXPECT_EQ(Read("{\"n\":1,\"a\":1}\n{\"n\":{\"x\":[1,2]},\"a\":2}\n{\"n\":\"s\",\"a\":3}\n"
                 "{\"n\":null,\"a\":4}\n{\"a\":5,\"l\":[1,null]}\n",
                 "n VOID, a INT, l ARRAY<VOID>"),
            (Rows{{"NULL", "1", "NULL"},
                  {"NULL", "2", "NULL"},
                  {"NULL", "3", "NULL"},
                  {"NULL", "4", "NULL"},
                  {"NULL", "5", "[NULL, NULL]"}}));
  // The value's syntax is still checked.
  EXPECT_EQ(Read("{\"n\":[1,}\n{\"n\":2}\n", "n VOID, _corrupt_record STRING"),
            (Rows{{"NULL", "{\"n\":[1,}"}, {"NULL", "NULL"}}));
}

}  // namespace
}  // namespace sluice::json
