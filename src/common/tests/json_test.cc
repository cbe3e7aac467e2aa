// SPDX-License-Identifier: Apache-2.0
#include "common/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sluice {
namespace {

JsonValue MustParse(std::string_view text) {
  Result<JsonValue> result = JsonValue::Parse(text);
  EXPECT_TRUE(result.ok()) << text << ": " << result.status().ToString();
  return result.ok() ? std::move(result).value() : JsonValue();
}

std::string ErrorOf(std::string_view text) {
  Result<JsonValue> result = JsonValue::Parse(text);
  if (result.ok()) {
    return "(parsed)";
  }
  EXPECT_EQ(result.status().code(), StatusCode::kParseError);
  return result.status().message();
}

TEST(JsonValueTest, ParsesScalars) {
  EXPECT_TRUE(MustParse("null").is_null());
  EXPECT_TRUE(MustParse(" true ").bool_value());
  EXPECT_FALSE(MustParse("false").bool_value());
  EXPECT_TRUE(MustParse("false").is_bool());
  JsonValue number = MustParse("\t-12.50e+3\r\n");
  EXPECT_TRUE(number.is_number());
  EXPECT_EQ(number.text(), "-12.50e+3");
  JsonValue text = MustParse(R"("a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00")");
  EXPECT_TRUE(text.is_string());
  EXPECT_EQ(text.text(), "a\"b\\c/d\b\f\n\r\t\xC3\xA9\xF0\x9F\x98\x80");
}

TEST(JsonValueTest, ObjectsKeepOrderAndDuplicateKeys) {
  JsonValue value = MustParse(R"({"z":1,"a":[true,null,{}],"z":"again"})");
  ASSERT_TRUE(value.is_object());
  ASSERT_EQ(value.members().size(), 3u);
  EXPECT_EQ(value.members()[0].first, "z");
  EXPECT_EQ(value.members()[1].first, "a");
  EXPECT_EQ(value.members()[2].first, "z");
  ASSERT_NE(value.Find("z"), nullptr);
  EXPECT_EQ(value.Find("z")->text(), "1");  // the first one
  EXPECT_EQ(value.Find("missing"), nullptr);
  const JsonValue* items = value.Find("a");
  ASSERT_NE(items, nullptr);
  ASSERT_EQ(items->items().size(), 3u);
  EXPECT_TRUE(items->items()[1].is_null());
  EXPECT_TRUE(items->items()[2].is_object());
  EXPECT_EQ(value.Serialize(), R"({"z":1,"a":[true,null,{}],"z":"again"})");
}

TEST(JsonValueTest, NumbersKeepSourceText) {
  JsonValue big = MustParse("12345678901234567890123");
  EXPECT_EQ(big.Serialize(), "12345678901234567890123");
  EXPECT_FALSE(big.AsInt64().ok());
  EXPECT_EQ(MustParse("1.10").Serialize(), "1.10");
  EXPECT_EQ(MustParse("-0").Serialize(), "-0");
  EXPECT_EQ(*MustParse("9223372036854775807").AsInt64(), INT64_MAX);
  EXPECT_EQ(*MustParse("-9223372036854775808").AsInt64(), INT64_MIN);
  EXPECT_EQ(MustParse("9223372036854775808").AsInt64().status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(MustParse("1.5").AsInt64().ok());
  EXPECT_FALSE(MustParse("\"1\"").AsInt64().ok());
  EXPECT_DOUBLE_EQ(*MustParse("1.5e2").AsDouble(), 150.0);
  EXPECT_DOUBLE_EQ(*MustParse("-0.25").AsDouble(), -0.25);
  EXPECT_EQ(*MustParse("1e-400").AsDouble(), 0.0);
  EXPECT_EQ(*MustParse("123e-500").AsDouble(), 0.0);
  EXPECT_FALSE(MustParse("1e400").AsDouble().ok());
  EXPECT_FALSE(MustParse("0.0001e320").AsDouble().ok());
  EXPECT_FALSE(MustParse("null").AsDouble().ok());
}

TEST(JsonValueTest, BuildsValues) {
  JsonValue value = JsonValue::Object({
      {"i", JsonValue::Int(-42)},
      {"d", JsonValue::Double(0.1)},
      {"nan", JsonValue::Double(std::nan(""))},
      {"n", JsonValue::NumberText("1e5")},
      {"s", JsonValue::String("x")},
      {"a", JsonValue::Array({JsonValue::Bool(true), JsonValue::Null()})},
      {"o", JsonValue::Object()},
  });
  EXPECT_EQ(value.Serialize(),
            R"({"i":-42,"d":0.1,"nan":null,"n":1e5,"s":"x","a":[true,null],"o":{}})");
  EXPECT_EQ(*JsonValue::Int(INT64_MIN).AsInt64(), INT64_MIN);
  EXPECT_EQ(*JsonValue::Double(1e300).AsDouble(), 1e300);
  EXPECT_EQ(*MustParse(value.Serialize()).Find("d")->AsDouble(), 0.1);
}

TEST(JsonValueTest, EqualityIsStructural) {
  EXPECT_EQ(MustParse(R"({"a": [1, "x", null]})"), MustParse(R"({"a":[1,"x",null]})"));
  EXPECT_EQ(MustParse(R"("\u0041")"), MustParse(R"("A")"));
  EXPECT_NE(MustParse(R"({"a":1,"b":2})"), MustParse(R"({"b":2,"a":1})"));
  EXPECT_NE(MustParse("1"), MustParse("1.0"));
  EXPECT_NE(MustParse("1"), MustParse("\"1\""));
  EXPECT_NE(MustParse("[1]"), MustParse("[1,1]"));
  EXPECT_NE(MustParse("true"), MustParse("false"));
  EXPECT_EQ(MustParse("null"), JsonValue());
}

TEST(JsonValueTest, SerializeEscapesLikeJackson) {
  std::string out;
  AppendJsonString(std::string("q\"b\\s/\n\t\r\b\f\x01\x1F\x7F\xC3\xA9", 16), &out);
  EXPECT_EQ(out, "\"q\\\"b\\\\s/\\n\\t\\r\\b\\f\\u0001\\u001F\x7F\xC3\xA9\"");
  std::string nul;
  AppendJsonString(std::string_view("\0", 1), &nul);
  EXPECT_EQ(nul, "\"\\u0000\"");
  // Every byte survives a round trip through Serialize and Parse.
  std::string all;
  for (int c = 0; c < 256; ++c) {
    all.push_back(static_cast<char>(c));
  }
  JsonValue parsed = MustParse(JsonValue::String(all).Serialize());
  EXPECT_EQ(parsed.text(), all);
}

TEST(JsonValueTest, AcceptsRawInvalidUtf8InStrings) {
  EXPECT_EQ(MustParse("\"\xFF\xC0\"").text(), "\xFF\xC0");
}

TEST(JsonValueTest, ErrorsNameTheOffsetAndWhatWasExpected) {
  EXPECT_EQ(ErrorOf(""), "JSON: expected a value at byte offset 0 (found end of input)");
  EXPECT_EQ(ErrorOf("[1,]"), "JSON: expected a value at byte offset 3 (found ']')");
  EXPECT_EQ(ErrorOf("[1 2]"), "JSON: expected ',' or ']' at byte offset 3 (found '2')");
  EXPECT_EQ(ErrorOf(R"({"a" 1})"), "JSON: expected ':' at byte offset 5 (found '1')");
  EXPECT_EQ(ErrorOf(R"({"a":1,})"), "JSON: expected a string key at byte offset 7 (found '}')");
  EXPECT_EQ(ErrorOf(R"({"a":1 "b":2})"), "JSON: expected ',' or '}' at byte offset 7 (found '\"')");
  EXPECT_EQ(ErrorOf("{} x"), "JSON: expected end of input at byte offset 3 (found 'x')");
  EXPECT_EQ(ErrorOf("\"abc"),
            "JSON: expected '\"' closing the string at byte offset 4 (found "
            "end of input)");
  EXPECT_EQ(ErrorOf("\"a\nb\""),
            "JSON: expected an escaped control character at byte offset 2 (found byte 0x0A)");
  EXPECT_EQ(ErrorOf(R"("\x")"),
            "JSON: expected a valid escape sequence at byte offset 1 (found '\\')");
  EXPECT_EQ(ErrorOf(R"("\u12G4")"), "JSON: expected a hex digit at byte offset 5 (found 'G')");
  EXPECT_EQ(ErrorOf(R"("\udc00")"),
            "JSON: expected a high surrogate before a low surrogate at "
            "byte offset 1 (found '\\')");
  EXPECT_EQ(ErrorOf(R"("\ud800x")"),
            "JSON: expected a low surrogate after a high surrogate at "
            "byte offset 1 (found '\\')");
  EXPECT_EQ(ErrorOf("01"), "JSON: expected end of input at byte offset 1 (found '1')");
  EXPECT_EQ(ErrorOf("-"), "JSON: expected a valid number at byte offset 0 (found '-')");
  EXPECT_EQ(ErrorOf("1."), "JSON: expected a valid number at byte offset 0 (found '1')");
  EXPECT_EQ(ErrorOf("tru"), "JSON: expected a value at byte offset 0 (found 't')");
  EXPECT_EQ(ErrorOf("NaN"), "JSON: expected a value at byte offset 0 (found 'N')");
  EXPECT_EQ(ErrorOf("\xEF\xBB\xBF{}"), "JSON: expected a value at byte offset 0 (found byte 0xEF)");
  EXPECT_EQ(ErrorOf("'a'"), "JSON: expected a value at byte offset 0 (found ''')");
}

TEST(JsonValueTest, NestingDepthIsLimited) {
  const std::string ok_depth = std::string(1000, '[') + std::string(1000, ']');
  EXPECT_TRUE(JsonValue::Parse(ok_depth).ok());
  const std::string too_deep = std::string(1001, '[') + std::string(1001, ']');
  EXPECT_EQ(ErrorOf(too_deep), "JSON: nesting deeper than 1000 levels at byte offset 1000");
  std::string objects;
  for (int i = 0; i < 100000; ++i) {
    objects += "{\"a\":";
  }
  EXPECT_NE(ErrorOf(objects).find("nesting deeper than 1000 levels"), std::string::npos);
  EXPECT_NE(ErrorOf(std::string(100000, '[')).find("nesting deeper"), std::string::npos);
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(JsonValueTest, JsonTestSuite) {
  const std::filesystem::path dir =
      std::filesystem::path(SLUICE_TESTDATA_DIR) / "json/JSONTestSuite/test_parsing";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  int accepted = 0;
  int rejected = 0;
  int implementation_defined = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const std::string text = ReadAll(entry.path());
    Result<JsonValue> result = JsonValue::Parse(text);
    if (name.starts_with("y_")) {
      ASSERT_TRUE(result.ok()) << name << ": " << result.status().ToString();
      // What we parse, we write back as a document that parses to the same value.
      Result<JsonValue> again = JsonValue::Parse(result->Serialize());
      ASSERT_TRUE(again.ok()) << name;
      EXPECT_EQ(*again, *result) << name;
      ++accepted;
    } else if (name.starts_with("n_")) {
      EXPECT_FALSE(result.ok()) << name << " was accepted";
      if (!result.ok()) {
        EXPECT_EQ(result.status().code(), StatusCode::kParseError) << name;
        EXPECT_NE(result.status().message().find("byte offset"), std::string::npos) << name;
      }
      ++rejected;
    } else if (name.starts_with("i_")) {
      // Either answer is allowed; only crashes (caught by the sanitizers) fail.
      if (result.ok()) {
        EXPECT_TRUE(JsonValue::Parse(result->Serialize()).ok()) << name;
      }
      ++implementation_defined;
    }
  }
  EXPECT_GT(accepted, 90);
  EXPECT_GT(rejected, 180);
  EXPECT_GT(implementation_defined, 20);
}

}  // namespace
}  // namespace sluice
