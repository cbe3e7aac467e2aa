// SPDX-License-Identifier: Apache-2.0
#include "formats/json/json_infer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::json {
namespace {

using ::testing::HasSubstr;

std::string Infer(std::string_view data, const JsonReadOptions& options = {}) {
  auto schema = InferJsonSchema(data, options);
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return schema.ok() ? (*schema)->ToString() : "<error>";
}

TEST(JsonInferTest, PrimitivesAndSortedFields) {
  EXPECT_EQ(Infer(R"({"z":1,"b":true,"a":"s","m":1.5,"n":null})"),
            "struct<a:string,b:boolean,m:double,n:string,z:bigint>");
}

TEST(JsonInferTest, EmptyInputGivesEmptySchema) {
  EXPECT_EQ(Infer(""), "struct<>");
  EXPECT_EQ(Infer("\n  \n\r\n"), "struct<>");
  EXPECT_EQ(Infer("{}\n{}"), "struct<>");
}

TEST(JsonInferTest, NumericWidening) {
  EXPECT_EQ(Infer("{\"a\":1}\n{\"a\":2.5}"), "struct<a:double>");
  EXPECT_EQ(Infer("{\"a\":1}\n{\"a\":2}"), "struct<a:bigint>");
  // Beyond bigint: a decimal while it fits 38 digits, else double.
  EXPECT_EQ(Infer("{\"a\":92233720368547758070}"), "struct<a:decimal(20,0)>");
  EXPECT_EQ(Infer("{\"a\":1}\n{\"a\":92233720368547758070}"), "struct<a:decimal(20,0)>");
  EXPECT_EQ(Infer("{\"a\":123456789012345678901234567890123456789012}"), "struct<a:double>");
}

TEST(JsonInferTest, PrefersDecimal) {
  JsonReadOptions options;
  options.prefers_decimal = true;
  EXPECT_EQ(Infer("{\"a\":1.25}\n{\"a\":10.5}", options), "struct<a:decimal(4,2)>");
  EXPECT_EQ(Infer("{\"a\":0.001}", options), "struct<a:decimal(3,3)>");
  EXPECT_EQ(Infer("{\"a\":1}\n{\"a\":0.5}", options), "struct<a:decimal(21,1)>");
  EXPECT_EQ(Infer("{\"a\":\"12.5\"}", options), "struct<a:decimal(3,1)>");
  EXPECT_EQ(Infer("{\"a\":1.5}\n{\"a\":2.5}"), "struct<a:double>");
}

TEST(JsonInferTest, ConflictsBecomeString) {
  EXPECT_EQ(Infer("{\"a\":1}\n{\"a\":\"x\"}"), "struct<a:string>");
  EXPECT_EQ(Infer("{\"a\":true}\n{\"a\":1}"), "struct<a:string>");
  EXPECT_EQ(Infer("{\"a\":{\"b\":1}}\n{\"a\":[1]}"), "struct<a:string>");
}

TEST(JsonInferTest, NullsAndEmptyStringsDoNotDecideTheType) {
  EXPECT_EQ(Infer("{\"a\":null}\n{\"a\":3}"), "struct<a:bigint>");
  EXPECT_EQ(Infer("{\"a\":\"\"}\n{\"a\":3}"), "struct<a:bigint>");
  EXPECT_EQ(Infer("{\"a\":null}"), "struct<a:string>");
}

TEST(JsonInferTest, NestedStructsMergeFieldWise) {
  EXPECT_EQ(Infer("{\"o\":{\"y\":1,\"x\":\"a\"}}\n{\"o\":{\"z\":[1,2.0],\"y\":null}}"),
            "struct<o:struct<x:string,y:bigint,z:array<double>>>");
  EXPECT_EQ(Infer("{\"a\":[{\"b\":1},{\"c\":true}]}"),
            "struct<a:array<struct<b:bigint,c:boolean>>>");
  EXPECT_EQ(Infer("{\"a\":[]}"), "struct<a:array<string>>");
}

TEST(JsonInferTest, EmptyStructsAndEmptyNamesAreDropped) {
  EXPECT_EQ(Infer(R"({"a":{},"b":1,"":2,"c":[{}]})"), "struct<b:bigint>");
}

TEST(JsonInferTest, PrimitivesAsString) {
  JsonReadOptions options;
  options.primitives_as_string = true;
  EXPECT_EQ(Infer(R"({"a":1,"b":true,"c":[1.5],"d":{"e":null}})", options),
            "struct<a:string,b:string,c:array<string>,d:struct<e:string>>");
}

TEST(JsonInferTest, TopLevelArraysContributeTheirObjects) {
  EXPECT_EQ(Infer("[{\"a\":1},{\"b\":\"x\"}]\n{\"c\":true}"),
            "struct<a:bigint,b:string,c:boolean>");
}

TEST(JsonInferTest, MalformedRecordsByMode) {
  const std::string data = "{\"a\":1}\n{\"a\":\n42\n";
  EXPECT_EQ(Infer(data), "struct<_corrupt_record:string,a:bigint>");
  JsonReadOptions drop;
  drop.mode = ParseMode::kDropMalformed;
  EXPECT_EQ(Infer(data, drop), "struct<a:bigint>");
  JsonReadOptions fail;
  fail.mode = ParseMode::kFailFast;
  auto result = InferJsonSchema(data, fail);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kParseError);
  EXPECT_THAT(result.status().message(), HasSubstr("line 2"));
  JsonReadOptions renamed;
  renamed.column_name_of_corrupt_record = "broken";
  EXPECT_EQ(Infer(data, renamed), "struct<a:bigint,broken:string>");
}

TEST(JsonInferTest, TopLevelNullLinesAreIgnored) {
  // Spark infers a top-level null as NullType, which compatibleRootType ignores.
  EXPECT_EQ(Infer("{\"a\":1}\nnull\n  null \r\n{\"b\":true}\n"), "struct<a:bigint,b:boolean>");
  EXPECT_EQ(Infer("null\n"), "struct<>");
  JsonReadOptions fail;
  fail.mode = ParseMode::kFailFast;
  EXPECT_EQ(Infer("null\n{\"a\":1}", fail), "struct<a:bigint>");
  // Only a whole null: anything else on the line still makes a malformed record.
  EXPECT_EQ(Infer("{\"a\":1}\nnull x\n"), "struct<_corrupt_record:string,a:bigint>");
  EXPECT_EQ(Infer("{\"a\":1}\nnul\n"), "struct<_corrupt_record:string,a:bigint>");
  EXPECT_EQ(Infer("{\"a\":1}\nnullnull\n"), "struct<_corrupt_record:string,a:bigint>");
}

TEST(JsonInferTest, DuplicateKeysMerge) {
  EXPECT_EQ(Infer(R"({"a":1,"a":2.5})"), "struct<a:double>");
}

TEST(JsonInferTest, FieldOrderAndShapeChangesBetweenRecordsMerge) {
  // Records in different key orders, with repeats, new fields, nested arrays of objects
  // and a kind changing under a name: the result does not depend on the order.
  const std::vector<std::string> lines = {
      R"({"c":1,"a":{"y":[1],"x":"s"},"b":[{"q":1,"p":2}]})",
      R"({"a":{"x":"t","z":null},"c":2.5,"b":[{"p":1.5},{"r":true,"q":1}]})",
      R"({"b":[],"d":[[{"k":1}],[{"j":2,"k":3}]],"c":92233720368547758070})",
      R"({"a":{"y":[2.5],"w":{"v":1}},"a":{"y":[null],"x":1},"e":1,"e":{"f":1}})",
      R"({"b":[{"p":"x"}],"d":[[{"k":"z"}]],"c":7})",
  };
  const std::string expected =
      "struct<a:struct<w:struct<v:bigint>,x:string,y:array<double>,z:string>,"
      "b:array<struct<p:string,q:bigint,r:boolean>>,c:double,"
      "d:array<array<struct<j:bigint,k:string>>>,e:string>";
  std::string forward;
  std::string backward;
  for (size_t i = 0; i < lines.size(); ++i) {
    forward += lines[i] + "\n";
    backward += lines[lines.size() - 1 - i] + "\n";
  }
  EXPECT_EQ(Infer(forward), expected);
  EXPECT_EQ(Infer(backward), expected);
  // The same records again, once merged: nothing changes.
  EXPECT_EQ(Infer(forward + backward + forward), expected);
}

TEST(JsonInferTest, DecimalsWidenAcrossRecords) {
  JsonReadOptions options;
  options.prefers_decimal = true;
  EXPECT_EQ(Infer("{\"a\":1.5}\n{\"a\":123.25}\n{\"a\":0.125}", options), "struct<a:decimal(6,3)>");
  EXPECT_EQ(Infer("{\"a\":0.5}\n{\"a\":1}", options), "struct<a:decimal(21,1)>");
  EXPECT_EQ(Infer("{\"a\":1E+3}\n{\"a\":1}", options), "struct<a:decimal(20,0)>");
  EXPECT_EQ(Infer("{\"a\":0.00000000000000000001}\n{\"a\":1}", options), "struct<a:double>");
  EXPECT_EQ(Infer("{\"a\":1}\n{\"a\":92233720368547758070}\n{\"a\":1.5}", options),
            "struct<a:decimal(21,1)>");
  EXPECT_EQ(Infer("{\"a\":\"1.5\"}\n{\"a\":\"x\"}", options), "struct<a:string>");
}

TEST(JsonInferTest, SamplingIsDeterministicAndSkipsRecords) {
  std::string data;
  for (int i = 0; i < 200; ++i) {
    data += "{\"f" + std::to_string(i) + "\":1}\n";
  }
  JsonReadOptions options;
  options.sampling_ratio = 0.1;
  auto first = InferJsonSchema(data, options);
  auto second = InferJsonSchema(data, options);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*first)->ToString(), (*second)->ToString());
  EXPECT_GT((*first)->num_fields(), 0);
  EXPECT_LT((*first)->num_fields(), 100);
}

}  // namespace
}  // namespace sluice::json
