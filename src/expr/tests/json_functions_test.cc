// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "expr/function.h"
#include "expr/tests/more_test_util.h"

namespace sluice::expr {
namespace {

using test_util::CallScalar;
using test_util::Eval;

VectorPtr Str(std::string_view value) {
  return MakeStringScalar(value);
}
VectorPtr Make(std::string_view name, const std::vector<VectorPtr>& args) {
  Result<VectorPtr> value = CallScalar(name, args);
  EXPECT_TRUE(value.ok()) << value.status().ToString();
  return value.ok() ? *value : MakeNullScalar(NullType());
}

TEST(JsonFunctionsTest, FromJsonReadsStructsArraysAndMaps) {
  EXPECT_EQ(Eval("from_json", {Str(R"({"a":1, "b":0.8})"), Str("a INT, b DOUBLE")}), "{1, 0.8}");
  EXPECT_EQ(Eval("from_json", {Str(R"({"time":"26/08/2015"})"), Str("time Timestamp"),
                               Make("map", {Str("timestampFormat"), Str("dd/MM/yyyy")})}),
            "{2015-08-26 00:00:00}");
  EXPECT_EQ(Eval("from_json",
                 {Str(R"({"teacher": "Alice", "student": [{"name": "Bob", "rank": 1}, )"
                      R"({"name": "Charlie", "rank": 2}]})"),
                  Str("STRUCT<teacher: STRING, student: ARRAY<STRUCT<name: STRING, rank: INT>>>")}),
            "{Alice, [{Bob, 1}, {Charlie, 2}]}");
  EXPECT_EQ(Eval("from_json", {Str("[1, 2, 3]"), Str("array<int>")}), "[1, 2, 3]");
  EXPECT_EQ(Eval("from_json", {Str(R"({"a": 1})"), Str("map<string, int>")}), "{a -> 1}");
  EXPECT_EQ(Eval("from_json", {Str(R"({"a": 1)"), Str("a INT")}), "{NULL}");
  EXPECT_EQ(Eval("from_json", {MakeNullScalar(StringType()), Str("a INT")}), "NULL");
  EXPECT_NE(Eval("from_json", {Str("{}"), Str("a INTEGRAL_TYPE")}).find("[INVALID_SCHEMA"),
            std::string::npos);
}

TEST(JsonFunctionsTest, FromJsonPermissiveKeepsMalformedRecordsInTheCorruptRecordColumn) {
  const VectorPtr schema = Str("id INT, name STRING, _corrupt_record STRING");
  EXPECT_EQ(Eval("from_json", {Str(R"({"id":1,"name":"a"})"), schema}), "{1, a, NULL}");
  // Truncated, a field of the wrong type, not JSON at all, not an object, an array.
  EXPECT_EQ(Eval("from_json", {Str(R"({"id":2,"na)"), schema}), R"({NULL, NULL, {"id":2,"na})");
  EXPECT_EQ(Eval("from_json", {Str(R"({"id":"x","name":"b"})"), schema}),
            R"({NULL, b, {"id":"x","name":"b"}})");
  EXPECT_EQ(Eval("from_json", {Str("not json"), schema}), "{NULL, NULL, not json}");
  EXPECT_EQ(Eval("from_json", {Str("42"), schema}), "{NULL, NULL, 42}");
  EXPECT_EQ(Eval("from_json", {Str(R"([{"id":3}])"), schema}), R"({NULL, NULL, [{"id":3}]})");
  // Without a corrupt-record column: a struct of nulls; blank and NULL input: NULL.
  EXPECT_EQ(Eval("from_json", {Str("not json"), Str("id INT")}), "{NULL}");
  EXPECT_EQ(Eval("from_json", {Str("  "), schema}), "NULL");
  // columnNameOfCorruptRecord names another column.
  EXPECT_EQ(Eval("from_json", {Str("oops"), Str("id INT, bad STRING"),
                               Make("map", {Str("columnNameOfCorruptRecord"), Str("bad")})}),
            "{NULL, oops}");
}

TEST(JsonFunctionsTest, FromJsonFailFastNamesTheRecord) {
  const VectorPtr fail_fast = Make("map", {Str("mode"), Str("FAILFAST")});
  EXPECT_EQ(Eval("from_json", {Str(R"({"id":1})"), Str("id INT"), fail_fast}), "{1}");
  const std::string truncated =
      Eval("from_json", {Str(R"({"id":2,"na)"), Str("id INT"), fail_fast});
  EXPECT_NE(truncated.find("[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records "
                           R"(are detected in record parsing: {"id":2,"na. Parse Mode: FAILFAST.)"),
            std::string::npos)
      << truncated;
  const std::string wrong_type =
      Eval("from_json", {Str(R"({"id":"x"})"), Str("id INT"), fail_fast});
  EXPECT_NE(wrong_type.find(R"(record parsing: {"id":"x"}.)"), std::string::npos) << wrong_type;
  EXPECT_NE(wrong_type.find("field 'id'"), std::string::npos) << wrong_type;
  EXPECT_NE(Eval("from_json", {Str("not json"), Str("id INT"), fail_fast})
                .find("record parsing: not json."),
            std::string::npos);
  EXPECT_NE(Eval("from_json", {Str("[1]"), Str("id INT"), fail_fast})
                .find("[MALFORMED_RECORD_IN_PARSING.CANNOT_PARSE_JSON_ARRAYS_AS_STRUCTS]"),
            std::string::npos);
  EXPECT_NE(Eval("from_json",
                 {Str("{}"), Str("id INT"), Make("map", {Str("mode"), Str("DROPMALFORMED")})})
                .find("[PARSE_MODE_UNSUPPORTED]"),
            std::string::npos);
}

TEST(JsonFunctionsTest, ToJsonWritesSparkJson) {
  EXPECT_EQ(Eval("to_json",
                 {Make("named_struct", {Str("a"), MakeIntScalar(1), Str("b"), MakeIntScalar(2)})}),
            R"({"a":1,"b":2})");
  EXPECT_EQ(Eval("to_json", {Make("array", {Make("named_struct", {Str("a"), MakeIntScalar(1)})})}),
            R"([{"a":1}])");
  EXPECT_EQ(Eval("to_json",
                 {Make("map", {Str("a"), Make("named_struct", {Str("b"), MakeIntScalar(1)})})}),
            R"({"a":{"b":1}})");
  EXPECT_EQ(Eval("to_json", {Make("named_struct", {Str("time"), MakeDateScalar(16673)}),
                             Make("map", {Str("dateFormat"), Str("dd/MM/yyyy")})}),
            R"({"time":"26/08/2015"})");
  EXPECT_EQ(Eval("to_json", {MakeNullScalar(ArrayType(IntType()))}), "NULL");
}

TEST(JsonFunctionsTest, PathsAndSchemas) {
  EXPECT_EQ(Eval("get_json_object", {Str(R"({"a":"b"})"), Str("$.a")}), "b");
  const std::string_view doc = R"({"a":{"b":[10, {"c":true}]}, "d": null})";
  EXPECT_EQ(Eval("get_json_object", {Str(doc), Str("$.a.b[1]")}), R"({"c":true})");
  EXPECT_EQ(Eval("get_json_object", {Str(doc), Str("$.a.b[0]")}), "10");
  EXPECT_EQ(Eval("get_json_object", {Str(doc), Str("$['a'].b[1].c")}), "true");
  EXPECT_EQ(Eval("get_json_object", {Str(doc), Str("$.d")}), "NULL");
  EXPECT_EQ(Eval("get_json_object", {Str(doc), Str("$.x")}), "NULL");
  EXPECT_EQ(Eval("get_json_object", {Str("{bad"), Str("$.a")}), "NULL");
  EXPECT_EQ(Eval("schema_of_json", {Str(R"([{"col":0}])")}), "ARRAY<STRUCT<col: BIGINT>>");
  EXPECT_EQ(Eval("schema_of_json", {Str(R"({"a":1, "b":"x"})")}), "STRUCT<a: BIGINT, b: STRING>");
  EXPECT_EQ(Eval("json_array_length", {Str("[1,2,3,4]")}), "4");
  EXPECT_EQ(Eval("json_array_length", {Str(R"({"a":1})")}), "NULL");
  EXPECT_EQ(Eval("json_object_keys", {Str(R"({"key": "value", "k2": [1]})")}), "[key, k2]");
  EXPECT_EQ(Eval("json_object_keys", {Str("[1]")}), "NULL");
}

}  // namespace
}  // namespace sluice::expr

namespace sluice::expr {
namespace {

TEST(JsonFunctionsTest, GetJsonObjectWildcards) {
  EXPECT_EQ(test_util::Eval("get_json_object", {MakeStringScalar(R"({"b":[{"a":1},{"a":2}]})"),
                                                MakeStringScalar("$.b[*].a")}),
            "[1,2]");
  EXPECT_EQ(test_util::Eval("get_json_object",
                            {MakeStringScalar(R"({"b":[10,20]})"), MakeStringScalar("$.b[*]")}),
            "[10,20]");
  EXPECT_EQ(test_util::Eval("get_json_object", {MakeStringScalar(R"({"b":[{"a":"x"}]})"),
                                                MakeStringScalar("$.b[*].a")}),
            "x");
}

TEST(JsonFunctionsTest, OptionsMayBeAnyConstantMap) {
  // from_json(..., map('timestampFormat', ...)) arrives as a call to map(), not a literal.
  ExprPtr options = Expression::Call(
      *test_util::BindScalar("map", {Expression::Literal(MakeStringScalar("dateFormat")),
                                     Expression::Literal(MakeStringScalar("dd/MM/yyyy"))}),
      {Expression::Literal(MakeStringScalar("dateFormat")),
       Expression::Literal(MakeStringScalar("dd/MM/yyyy"))});
  Result<BoundScalarFunction> bound = test_util::BindScalar(
      "from_json", {Expression::Column(0, StringType()),
                    Expression::Literal(MakeStringScalar("d DATE")), options});
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
}

}  // namespace
}  // namespace sluice::expr
