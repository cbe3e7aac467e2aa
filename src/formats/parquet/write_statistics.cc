// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/write_statistics.h"

#include <algorithm>

#include "common/utf8.h"

namespace sluice::parquet {

Int128 DecodeBigEndian(std::string_view bytes) {
  auto value = static_cast<Int128>(static_cast<int8_t>(bytes[0]));
  for (size_t i = 1; i < bytes.size(); ++i) {
    value = static_cast<Int128>((static_cast<unsigned __int128>(value) << 8) |
                                static_cast<uint8_t>(bytes[i]));
  }
  return value;
}

std::string TruncateLowerBound(std::string_view value, int32_t limit, bool is_string, bool* exact) {
  const auto max_size = static_cast<size_t>(std::max(limit, 0));
  if (value.size() <= max_size) {
    *exact = true;
    return std::string(value);
  }
  *exact = false;
  // A string is cut at the start of a character so the bound stays UTF-8.
  const size_t cut = is_string ? Utf8CharacterStart(value, max_size) : max_size;
  return std::string(value.substr(0, cut));
}

std::string TruncateUpperBound(std::string_view value, int32_t limit, bool is_string, bool* exact) {
  const auto max_size = static_cast<size_t>(std::max(limit, 0));
  *exact = true;
  if (value.size() <= max_size) {
    return std::string(value);
  }
  if (is_string) {
    std::string prefix(value.substr(0, Utf8CharacterStart(value, max_size)));
    if (IsValidUtf8(prefix)) {
      // Increment the last character that can be (skipping the surrogate range).
      while (!prefix.empty()) {
        const size_t start = Utf8CharacterStart(prefix, prefix.size() - 1);
        size_t position = start;
        const char32_t code_point = DecodeUtf8CodePoint(prefix, &position);
        prefix.resize(start);
        if (code_point < 0x10FFFF) {
          const char32_t next = code_point + 1 == 0xD800 ? 0xE000 : code_point + 1;
          AppendUtf8(next, &prefix);
          *exact = false;
          return prefix;
        }
      }
      return std::string(value);
    }
  }
  std::string prefix(value.substr(0, max_size));
  while (!prefix.empty()) {
    auto last = static_cast<uint8_t>(prefix.back());
    if (last < 0xFF) {
      prefix.back() = static_cast<char>(last + 1);
      *exact = false;
      return prefix;
    }
    prefix.pop_back();
  }
  return std::string(value);
}

}  // namespace sluice::parquet
