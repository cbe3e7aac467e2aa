// SPDX-License-Identifier: Apache-2.0
#include "formats/json/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "columnar/builder.h"
#include "formats/json/json_decoder.h"
#include "formats/json/tests/json_test_util.h"

namespace sluice::json {
namespace {

using testing::Ddl;
using testing::Rows;
using testing::ToRows;

BatchPtr ReadOne(std::string_view data, std::string_view ddl) {
  auto batches = ReadJson(data, Ddl(ddl), {});
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  EXPECT_EQ(batches.ok() ? batches->size() : 0u, 1u);
  return batches.ok() && !batches->empty() ? (*batches)[0] : nullptr;
}

TEST(JsonWriterTest, WritesOneObjectPerRowAndOmitsNulls) {
  BatchPtr batch = ReadOne("{\"a\":1,\"b\":\"x\"}\n{\"b\":\"q\\\"\\n\"}\n{}\n", "a INT, b STRING");
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(WriteJson(*batch), "{\"a\":1,\"b\":\"x\"}\n{\"b\":\"q\\\"\\n\"}\n{}\n");
  JsonWriteOptions keep_nulls;
  keep_nulls.ignore_null_fields = false;
  EXPECT_EQ(WriteJson(*batch, keep_nulls),
            "{\"a\":1,\"b\":\"x\"}\n{\"a\":null,\"b\":\"q\\\"\\n\"}\n{\"a\":null,\"b\":null}\n");
}

TEST(JsonWriterTest, SparkFormatsForTemporalAndNumericTypes) {
  BatchPtr batch = ReadOne(
      R"({"ts":"2024-01-31T10:00:00.5Z","d":"2024-02-29","x":0.1,"f":1.5,"m":12.30,"b":"AAH/","t":true,"l":-5})",
      "ts TIMESTAMP, d DATE, x DOUBLE, f FLOAT, m DECIMAL(5,2), b BINARY, t BOOLEAN, l BIGINT");
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(
      WriteJson(*batch),
      R"({"ts":"2024-01-31T10:00:00.500Z","d":"2024-02-29","x":0.1,"f":1.5,"m":12.30,"b":"AAH/","t":true,"l":-5})"
      "\n");
}

TEST(JsonWriterTest, NonFiniteDoublesAreQuoted) {
  BatchPtr batch = ReadOne("{\"x\":\"NaN\"}\n{\"x\":\"-Infinity\"}\n{\"x\":1e20}\n", "x DOUBLE");
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(WriteJson(*batch), "{\"x\":\"NaN\"}\n{\"x\":\"-Infinity\"}\n{\"x\":1.0E20}\n");
}

TEST(JsonWriterTest, NestedTypes) {
  BatchPtr batch =
      ReadOne(R"({"o":{"id":1,"tags":{"k":"v","n":null},"items":[{"s":"a"},null,{}]}})"
              "\n"
              R"({"o":{}})",
              "o STRUCT<id: INT, tags: MAP<STRING, STRING>, items: ARRAY<STRUCT<s: STRING>>>");
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(WriteJson(*batch),
            R"({"o":{"id":1,"tags":{"k":"v","n":null},"items":[{"s":"a"},null,{}]}})"
            "\n"
            R"({"o":{}})"
            "\n");
}

TEST(JsonWriterTest, SlicedBatchesWriteTheirOwnRows) {
  BatchPtr batch = ReadOne("{\"o\":{\"a\":1},\"v\":[1]}\n{\"o\":{\"a\":2},\"v\":[2,3]}\n",
                           "o STRUCT<a: INT>, v ARRAY<INT>");
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(WriteJson(*batch->Slice(1, 1)), "{\"o\":{\"a\":2},\"v\":[2,3]}\n");
}

TEST(JsonWriterTest, RoundTripThroughTheReader) {
  const std::string ddl =
      "b BOOLEAN, i INT, l BIGINT, d DOUBLE, f FLOAT, m DECIMAL(20,4), s STRING, bin BINARY, "
      "dt DATE, ts TIMESTAMP, o STRUCT<x: ARRAY<INT>, y: MAP<STRING, DOUBLE>>";
  const std::string data =
      R"({"b":true,"i":-7,"l":9007199254740993,"d":-0.000123,"f":3.25,"m":"1234567890123456.7891","s":"tab\t \u00e9 \u0001","bin":"3q2+7w==","dt":"1999-12-31","ts":"2024-05-06T07:08:09.123Z","o":{"x":[1,null,3],"y":{"k":2.5}}})"
      "\n"
      R"({"d":"NaN","s":"","o":{"x":[]}})"
      "\n"
      "{}\n";
  BatchPtr batch = ReadOne(data, ddl);
  ASSERT_NE(batch, nullptr);
  const std::string written = WriteJson(*batch);
  auto again = ReadJson(written, Ddl(ddl), {});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(ToRows(*again), ToRows({batch}));
  EXPECT_EQ(ToRows({batch}).size(), 3u);
}

TEST(JsonWriterTest, VariantsAsJsonAndVoidAsNull) {
  BatchPtr batch = ReadOne(R"({"v":{"b":[1,2.50],"a":"x"},"n":5,"l":[1,2]})"
                           "\n"
                           R"({"v":null})"
                           "\n"
                           "{}\n",
                           "v VARIANT, n VOID, l ARRAY<VOID>");
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(WriteJson(*batch), R"({"v":{"a":"x","b":[1,2.50]},"l":[null,null]})"
                               "\n"
                               R"({"v":null})"
                               "\n"
                               "{}\n");
  JsonWriteOptions keep_nulls;
  keep_nulls.ignore_null_fields = false;
  EXPECT_EQ(WriteJson(*batch, keep_nulls),
            R"({"v":{"a":"x","b":[1,2.50]},"n":null,"l":[null,null]})"
            "\n"
            R"({"v":null,"n":null,"l":null})"
            "\n"
            R"({"v":null,"n":null,"l":null})"
            "\n");
}

}  // namespace
}  // namespace sluice::json
