// SPDX-License-Identifier: Apache-2.0
#include "formats/json/json_simd.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace sluice::json::internal {
namespace {

/// Runs ValidateValue and AppendCompactJson on the one value in `json`; returns the
/// compact text, or "error" when either fails (and checks that they agree).
std::string Compact(std::string_view json) {
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
      appended = AppendCompactJson(value, &out, 1);
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
