// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "expr/function.h"

/// Helpers shared by the string and regexp functions (private to src/expr/functions).
namespace sluice::expr::strings {

/// The number of characters of UTF-8 `text` (bytes that are not continuation bytes).
inline int64_t NumChars(std::string_view text) {
  int64_t count = 0;
  for (char c : text) {
    count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
  return count;
}

/// The byte offset of character `index` of UTF-8 `text` (text.size() past the end).
inline size_t CharOffset(std::string_view text, int64_t index) {
  size_t pos = 0;
  int64_t seen = 0;
  while (pos < text.size()) {
    if ((static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80) {
      if (seen == index) {
        return pos;
      }
      ++seen;
    }
    ++pos;
  }
  return text.size();
}

/// Characters [start, end) of `text` (clamped).
inline std::string_view CharSlice(std::string_view text, int64_t start, int64_t end) {
  const size_t begin = CharOffset(text, start);
  const size_t stop = CharOffset(text, end);
  return begin >= stop ? std::string_view() : text.substr(begin, stop - begin);
}

/// Java's toLowerCase for the scripts handled (ASCII, Latin-1, Latin Extended-A, Greek,
/// Cyrillic); other characters and bytes that are not UTF-8 are kept.
std::string LowerUtf8(std::string_view text);

/// Checks the count of arguments and casts each to expected[i] (nullptr keeps its type;
/// the last expected type repeats for extra arguments). Returns the argument types.
Result<std::vector<TypePtr>> CoerceArgs(const BindContext& ctx, std::string_view name,
                                        const std::vector<ExprPtr>& args,
                                        const std::vector<TypePtr>& expected, size_t min_args,
                                        size_t max_args);

}  // namespace sluice::expr::strings
