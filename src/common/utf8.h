// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice {

/// U+FFFD, which stands for bytes that are not UTF-8.
inline constexpr char32_t kReplacementCharacter = 0xFFFD;

/// Appends the UTF-8 form of `code_point` (at most U+10FFFF) to `*out`.
void AppendUtf8(char32_t code_point, std::string* out);

/// Decodes the code point at `text[*pos]` (`*pos < text.size()`) and moves `*pos` past it.
/// A maximal invalid subpart (a bad lead byte alone, or a lead byte with the continuation
/// bytes that fit it before one that does not) decodes as U+FFFD, as Java's decoder does:
/// no overlong forms, surrogates or values above U+10FFFF.
char32_t DecodeUtf8CodePoint(std::string_view text, size_t* pos);

/// Decodes all of `text` with DecodeUtf8CodePoint.
std::u32string DecodeUtf8(std::string_view text);

/// Returns whether `text` is well-formed UTF-8 (no invalid subpart anywhere; an encoded
/// U+FFFD is fine).
bool IsValidUtf8(std::string_view text);

/// Returns the start of the character holding byte `pos` of UTF-8 `text`: `pos` moved
/// back over continuation bytes (never before 0). `pos` may be text.size().
size_t Utf8CharacterStart(std::string_view text, size_t pos);

}  // namespace sluice
