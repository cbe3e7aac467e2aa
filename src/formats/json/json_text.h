// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

/// Text helpers shared by the JSON reader, inference and writer. Internal to
/// formats/json; free of simdjson.
namespace sluice::json::internal {

/// Returns whether `c` is JSON insignificant white space (space, tab, LF, CR).
inline bool IsJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// Returns the first position at or after `pos` that is not JSON white space, or `size`.
inline size_t SkipSpace(const char* data, size_t pos, size_t size) {
  while (pos < size && IsJsonSpace(data[pos])) {
    ++pos;
  }
  return pos;
}

/// Returns the position of the first line terminator ('\n' or '\r') at or after `pos`,
/// or `size` when there is none.
size_t FindLineEnd(const char* data, size_t pos, size_t size);

/// Returns the start of the line after the terminator at `end` ("\r\n" counts as one
/// terminator); `size` when `end` is `size`.
inline size_t NextLineStart(const char* data, size_t end, size_t size) {
  if (end >= size) {
    return size;
  }
  if (data[end] == '\r' && end + 1 < size && data[end + 1] == '\n') {
    return end + 2;
  }
  return end + 1;
}

/// Returns the 1-based number of the line holding byte `offset` ("\n", "\r\n" and "\r"
/// all end a line, as Hadoop's line reader that Spark uses).
int64_t LineNumberAt(std::string_view data, size_t offset);

/// Returns whether `token` is exactly one JSON number (RFC 8259 grammar).
bool IsJsonNumber(std::string_view token);
/// Returns whether the JSON number `token` has neither fraction nor exponent.
bool IsJsonInteger(std::string_view token);

/// Removes trailing JSON white space.
std::string_view TrimRightSpace(std::string_view text);

/// Appends `text` as a quoted JSON string, escaping as Jackson does: '"', '\\' and
/// control characters; everything else (non-ASCII included) is copied as is.
void AppendQuoted(std::string_view text, std::string* out);

/// Appends the standard base64 encoding (with '=' padding) of `bytes`.
void AppendBase64(std::string_view bytes, std::string* out);
/// Decodes standard base64 (padding optional) into `out`; false on a bad character or
/// length.
bool DecodeBase64(std::string_view text, std::string* out);

}  // namespace sluice::json::internal
