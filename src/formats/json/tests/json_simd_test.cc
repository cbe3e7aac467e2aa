// SPDX-License-Identifier: Apache-2.0
#include "formats/json/json_simd.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace sluice::json::internal {
namespace {

/// Runs ValidateValue and AppendCompactJson (with `numbers`) on the one value in `json`; returns
/// the compact text, or "error" when either fails (and checks that they agree).
std::string Compact(std::string_view json, NumberText numbers = NumberText::kAsWritten) {
  const simdjson::padded_string padded(json);
  od::parser parser;
  std::string out;
  simdjson::error_code validated;
  simdjson::error_code appended;
  {
    od::document doc;
    od::value value;
    validated = parser.iterate(padded).get(doc);
    if (!validated) {
      validated = doc.get_value().get(value);
    }
    if (!validated) {
      validated = ValidateValue(value, 1);
    }
  }
  {
    od::document doc;
    od::value value;
    appended = parser.iterate(padded).get(doc);
    if (!appended) {
      appended = doc.get_value().get(value);
    }
    if (!appended) {
      appended = AppendCompactJson(value, &out, 1, numbers);
    }
  }
  EXPECT_EQ(validated == simdjson::SUCCESS, appended == simdjson::SUCCESS) << json;
  return validated || appended ? "error" : out;
}

TEST(JsonSimdTest, CompactJsonDropsWhiteSpaceAndReEscapes) {
  EXPECT_EQ(Compact(R"( { "k" : [ 1 , true , null , "x\u0041\n" ] , "o" : { } } )"),
            R"({"k":[1,true,null,"xA\n"],"o":{}})");
  EXPECT_EQ(Compact("[[],[[]]]"), "[[],[[]]]");
  EXPECT_EQ(Compact(R"({"a\"b":"\u00e9"})"), "{\"a\\\"b\":\"\xc3\xa9\"}");
}

/// The compact text of one number (a scalar is no document value: read it in an array).
std::string JavaNumber(std::string_view number) {
  const std::string text = Compact("[" + std::string(number) + "]", NumberText::kJavaDouble);
  return text == "error" ? text : text.substr(1, text.size() - 2);
}

TEST(JsonSimdTest, CompactJsonWritesFloatsAsJavaDoubles) {
  // Jackson's copyCurrentStructure reads a float as a double and writes Double.toString.
  EXPECT_EQ(JavaNumber("1.50"), "1.5");
  EXPECT_EQ(JavaNumber("1e5"), "100000.0");
  EXPECT_EQ(JavaNumber("-0.5e3"), "-500.0");
  EXPECT_EQ(JavaNumber("-0.0"), "-0.0");
  EXPECT_EQ(JavaNumber("0.0001"), "1.0E-4");
  EXPECT_EQ(JavaNumber("1.2345678E7"), "1.2345678E7");
  EXPECT_EQ(JavaNumber("1e-400"), "0.0");
  EXPECT_EQ(Compact("{\"a\":[1, 2.50, 3E2]}", NumberText::kJavaDouble), "{\"a\":[1,2.5,300.0]}");
  // As written, by default.
  EXPECT_EQ(Compact("{\"a\":[-0, 2.50, 3E2]}"), "{\"a\":[-0,2.50,3E2]}");
  // Integers keep their digits, however long; -0 is the int 0.
  EXPECT_EQ(JavaNumber("-12"), "-12");
  EXPECT_EQ(JavaNumber("123456789012345678901234567890"), "123456789012345678901234567890");
  EXPECT_EQ(JavaNumber("-0"), "0");
  // Past the double range (Jackson: Infinity) the text is kept as written.
  EXPECT_EQ(JavaNumber("1e400"), "1e400");
}

TEST(JsonSimdTest, ValidationAndCopyRejectTheSameValues) {
  for (std::string_view bad :
       {"[1,]", "{\"a\":tru}", "[nul]", "{\"a\":01}", "[1.]", "[-]", "{\"a\" 1}", "[\"\\x\"]"}) {
    EXPECT_EQ(Compact(bad), "error") << bad;
  }
  std::string deep(kMaxNestingDepth + 1, '[');
  deep += std::string(kMaxNestingDepth + 1, ']');
  EXPECT_EQ(Compact(deep), "error");
}

}  // namespace
}  // namespace sluice::json::internal
