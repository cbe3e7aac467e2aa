// SPDX-License-Identifier: Apache-2.0
#include "formats/option_map.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(OptionMapTest, LooksUpCaseInsensitivelyLastWins) {
  OptionMap map({{"Header", "TRUE"}, {"sep", ";"}, {"SEP", "|"}}, "CSV");
  bool header = false;
  ASSERT_TRUE(map.GetBool("header", &header).ok());
  EXPECT_TRUE(header);
  ASSERT_NE(map.Find("Sep"), nullptr);
  EXPECT_EQ(*map.Find("Sep"), "|");
  EXPECT_EQ(map.Find("quote"), nullptr);
}

TEST(OptionMapTest, AbsentOptionsLeaveDefaults) {
  OptionMap map({}, "JSON");
  bool flag = true;
  char quote = '"';
  int64_t number = 7;
  double ratio = 0.5;
  ParseMode mode = ParseMode::kDropMalformed;
  std::optional<std::string> pattern;
  EXPECT_TRUE(map.GetBool("multiLine", &flag).ok());
  EXPECT_TRUE(map.GetChar("quote", &quote).ok());
  EXPECT_TRUE(map.GetInt("maxColumns", &number).ok());
  EXPECT_TRUE(map.GetRatio("samplingRatio", &ratio).ok());
  EXPECT_TRUE(map.GetMode("mode", &mode).ok());
  EXPECT_TRUE(map.GetPattern("dateFormat", &pattern).ok());
  EXPECT_TRUE(flag);
  EXPECT_EQ(quote, '"');
  EXPECT_EQ(number, 7);
  EXPECT_EQ(ratio, 0.5);
  EXPECT_EQ(mode, ParseMode::kDropMalformed);
  EXPECT_FALSE(pattern.has_value());
}

TEST(OptionMapTest, ParsesValues) {
  OptionMap map({{"quote", ""},
                 {"escape", "\\"},
                 {"maxColumns", "+20480"},
                 {"samplingRatio", "0.25"},
                 {"mode", "failFast"},
                 {"dateFormat", "dd/MM/yyyy"}},
                "CSV");
  char quote = '"';
  char escape = '\0';
  int64_t columns = 0;
  double ratio = 1;
  ParseMode mode = ParseMode::kPermissive;
  std::optional<std::string> pattern;
  ASSERT_TRUE(map.GetChar("quote", &quote).ok());
  ASSERT_TRUE(map.GetChar("escape", &escape).ok());
  ASSERT_TRUE(map.GetInt("maxColumns", &columns).ok());
  ASSERT_TRUE(map.GetRatio("samplingRatio", &ratio).ok());
  ASSERT_TRUE(map.GetMode("mode", &mode).ok());
  ASSERT_TRUE(map.GetPattern("dateFormat", &pattern).ok());
  EXPECT_EQ(quote, '\0');
  EXPECT_EQ(escape, '\\');
  EXPECT_EQ(columns, 20480);
  EXPECT_EQ(ratio, 0.25);
  EXPECT_EQ(mode, ParseMode::kFailFast);
  EXPECT_EQ(pattern, "dd/MM/yyyy");
}

TEST(OptionMapTest, BadValuesNameFormatAndOption) {
  OptionMap map({{"header", "yes"},
                 {"quote", "''"},
                 {"maxColumns", "12x"},
                 {"samplingRatio", "1.5"},
                 {"mode", "strict"},
                 {"timestampFormat", "yyyy-qq"}},
                "CSV");
  bool flag = false;
  char c = '\0';
  int64_t number = 0;
  double ratio = 0;
  ParseMode mode = ParseMode::kPermissive;
  std::optional<std::string> pattern;
  Status header = map.GetBool("header", &flag);
  EXPECT_EQ(header.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(header.message(), "CSV option 'header': expected true or false, got 'yes'");
  EXPECT_EQ(map.GetChar("quote", &c).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(map.GetInt("maxColumns", &number).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(map.GetRatio("samplingRatio", &ratio).code(), StatusCode::kInvalidArgument);
  Status bad_mode = map.GetMode("mode", &mode);
  EXPECT_EQ(bad_mode.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_mode.message().find("'mode'"), std::string::npos);
  Status bad_pattern = map.GetPattern("timestampFormat", &pattern);
  EXPECT_FALSE(bad_pattern.ok());
  EXPECT_NE(bad_pattern.message().find("timestampFormat"), std::string::npos);
  EXPECT_FALSE(pattern.has_value());
}

}  // namespace
}  // namespace sluice
