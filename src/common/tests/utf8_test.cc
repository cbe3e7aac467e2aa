// SPDX-License-Identifier: Apache-2.0
#include "common/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice {
namespace {

std::string Encode(char32_t code_point) {
  std::string out;
  AppendUtf8(code_point, &out);
  return out;
}

TEST(Utf8Test, AppendsEachLength) {
  EXPECT_EQ(Encode(0x00), std::string(1, '\0'));
  EXPECT_EQ(Encode(0x41), "A");
  EXPECT_EQ(Encode(0x7F), "\x7F");
  EXPECT_EQ(Encode(0x80), "\xC2\x80");
  EXPECT_EQ(Encode(0xE9), "\xC3\xA9");
  EXPECT_EQ(Encode(0x7FF), "\xDF\xBF");
  EXPECT_EQ(Encode(0x800), "\xE0\xA0\x80");
  EXPECT_EQ(Encode(0x20AC), "\xE2\x82\xAC");
  EXPECT_EQ(Encode(0xFFFF), "\xEF\xBF\xBF");
  EXPECT_EQ(Encode(0x10000), "\xF0\x90\x80\x80");
  EXPECT_EQ(Encode(0x1F600), "\xF0\x9F\x98\x80");
  EXPECT_EQ(Encode(0x10FFFF), "\xF4\x8F\xBF\xBF");
  std::string appended = "x";
  AppendUtf8(0xE9, &appended);
  EXPECT_EQ(appended, "x\xC3\xA9");
}

TEST(Utf8Test, DecodesWhatItEncodes) {
  for (char32_t code_point :
       {0x00, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF}) {
    EXPECT_EQ(DecodeUtf8(Encode(code_point)), std::u32string(1, code_point))
        << static_cast<uint32_t>(code_point);
  }
  EXPECT_EQ(DecodeUtf8("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z"), U"a\u00E9\u20AC\U0001F600z");
  EXPECT_EQ(DecodeUtf8(""), U"");
}

TEST(Utf8Test, DecodeCodePointAdvances) {
  const std::string_view text = "A\xE2\x82\xAC\xE2\x82";
  size_t pos = 0;
  EXPECT_EQ(DecodeUtf8CodePoint(text, &pos), U'A');
  EXPECT_EQ(pos, 1u);
  EXPECT_EQ(DecodeUtf8CodePoint(text, &pos), U'\u20AC');
  EXPECT_EQ(pos, 4u);
  EXPECT_EQ(DecodeUtf8CodePoint(text, &pos), kReplacementCharacter);  // cut short
  EXPECT_EQ(pos, 6u);
}

TEST(Utf8Test, EachMaximalInvalidSubpartIsOneReplacement) {
  const std::u32string r(1, kReplacementCharacter);
  EXPECT_EQ(DecodeUtf8("\x80"), r);          // lone continuation
  EXPECT_EQ(DecodeUtf8("\xC0\x80"), r + r);  // overlong lead bytes
  EXPECT_EQ(DecodeUtf8("\xC1\xBF"), r + r);
  EXPECT_EQ(DecodeUtf8("\xE0\x80\x80"), r + r + r);          // overlong 3 bytes
  EXPECT_EQ(DecodeUtf8("\xED\xA0\x80"), r + r + r);          // a surrogate
  EXPECT_EQ(DecodeUtf8("\xF0\x80\x80\x80"), r + r + r + r);  // overlong 4 bytes
  EXPECT_EQ(DecodeUtf8("\xF4\x90\x80\x80"), r + r + r + r);  // above U+10FFFF
  EXPECT_EQ(DecodeUtf8("\xF5\x80"), r + r);                  // no such lead byte
  EXPECT_EQ(DecodeUtf8("\xFF"), r);
  EXPECT_EQ(DecodeUtf8("\xE2\x82"), r);  // truncated at the end
  EXPECT_EQ(DecodeUtf8("\xE2\x82"
                       "A"),
            r + U"A");                                           // truncated before ASCII
  EXPECT_EQ(DecodeUtf8("\xF0\x9F\x98\xC3\xA9"), r + U"\u00E9");  // truncated before a lead
}

TEST(Utf8Test, ValidatesWholeTexts) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x88"));
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBD"));   // U+FFFD itself
  EXPECT_FALSE(IsValidUtf8("a\xC3"));         // cut in the middle
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
}

TEST(Utf8Test, FindsTheStartOfACharacter) {
  const std::string text =
      "a\xE2\x82\xAC"
      "b";  // a € b
  EXPECT_EQ(Utf8CharacterStart(text, 0), 0u);
  EXPECT_EQ(Utf8CharacterStart(text, 1), 1u);
  EXPECT_EQ(Utf8CharacterStart(text, 2), 1u);
  EXPECT_EQ(Utf8CharacterStart(text, 3), 1u);
  EXPECT_EQ(Utf8CharacterStart(text, 4), 4u);
  EXPECT_EQ(Utf8CharacterStart(text, 5), 5u);  // the end
}

}  // namespace
}  // namespace sluice
