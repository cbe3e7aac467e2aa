// SPDX-License-Identifier: Apache-2.0
#include "formats/json/json_text.h"

#include <array>
#include <cstring>

namespace sluice::json::internal {

size_t FindLineEnd(const char* data, size_t pos, size_t size) {
  if (pos >= size) {
    return size;
  }
  const void* lf = std::memchr(data + pos, '\n', size - pos);
  const size_t lf_pos =
      lf == nullptr ? size : static_cast<size_t>(static_cast<const char*>(lf) - data);
  const void* cr = std::memchr(data + pos, '\r', lf_pos - pos);
  return cr == nullptr ? lf_pos : static_cast<size_t>(static_cast<const char*>(cr) - data);
}

int64_t LineNumberAt(std::string_view data, size_t offset) {
  int64_t line = 1;
  const size_t end = offset < data.size() ? offset : data.size();
  for (size_t i = 0; i < end; ++i) {
    if (data[i] == '\n') {
      ++line;
    } else if (data[i] == '\r' && (i + 1 >= data.size() || data[i + 1] != '\n')) {
      ++line;
    }
  }
  return line;
}

namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

bool IsJsonNumber(std::string_view token) {
  size_t i = 0;
  const size_t n = token.size();
  if (i < n && token[i] == '-') {
    ++i;
  }
  if (i >= n) {
    return false;
  }
  if (token[i] == '0') {
    ++i;
  } else if (token[i] >= '1' && token[i] <= '9') {
    while (i < n && IsDigit(token[i])) {
      ++i;
    }
  } else {
    return false;
  }
  if (i < n && token[i] == '.') {
    ++i;
    const size_t start = i;
    while (i < n && IsDigit(token[i])) {
      ++i;
    }
    if (i == start) {
      return false;
    }
  }
  if (i < n && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < n && (token[i] == '+' || token[i] == '-')) {
      ++i;
    }
    const size_t start = i;
    while (i < n && IsDigit(token[i])) {
      ++i;
    }
    if (i == start) {
      return false;
    }
  }
  return i == n;
}

bool IsJsonInteger(std::string_view token) {
  return token.find_first_of(".eE") == std::string_view::npos;
}

std::string_view TrimRightSpace(std::string_view text) {
  while (!text.empty() && IsJsonSpace(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

void AppendQuoted(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out->push_back('"');
  size_t run = 0;  // start of the pending run of characters copied unchanged
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') {
      continue;
    }
    out->append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
        break;
    }
  }
  out->append(text.data() + run, text.size() - run);
  out->push_back('"');
}

namespace {

constexpr char kBase64Chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> MakeBase64Table() {
  std::array<int8_t, 256> table{};
  for (auto& entry : table) {
    entry = -1;
  }
  for (int i = 0; i < 64; ++i) {
    table[static_cast<unsigned char>(kBase64Chars[i])] = static_cast<int8_t>(i);
  }
  return table;
}

constexpr std::array<int8_t, 256> kBase64Table = MakeBase64Table();

}  // namespace

void AppendBase64(std::string_view bytes, std::string* out) {
  size_t i = 0;
  const auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out->push_back(kBase64Chars[(v >> 18) & 63]);
    out->push_back(kBase64Chars[(v >> 12) & 63]);
    out->push_back(kBase64Chars[(v >> 6) & 63]);
    out->push_back(kBase64Chars[v & 63]);
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t v = byte(i) << 16;
    out->push_back(kBase64Chars[(v >> 18) & 63]);
    out->push_back(kBase64Chars[(v >> 12) & 63]);
    out->append("==");
  } else if (rest == 2) {
    const uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8);
    out->push_back(kBase64Chars[(v >> 18) & 63]);
    out->push_back(kBase64Chars[(v >> 12) & 63]);
    out->push_back(kBase64Chars[(v >> 6) & 63]);
    out->push_back('=');
  }
}

bool DecodeBase64(std::string_view text, std::string* out) {
  size_t padding = 0;
  while (!text.empty() && text.back() == '=' && padding < 2) {
    text.remove_suffix(1);
    ++padding;
  }
  if (text.size() % 4 == 1 || (padding > 0 && (text.size() + padding) % 4 != 0)) {
    return false;
  }
  uint32_t accumulator = 0;
  int bits = 0;
  for (const char c : text) {
    const int8_t v = kBase64Table[static_cast<unsigned char>(c)];
    if (v < 0) {
      return false;
    }
    accumulator = (accumulator << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((accumulator >> bits) & 0xff));
    }
  }
  return true;
}

}  // namespace sluice::json::internal
