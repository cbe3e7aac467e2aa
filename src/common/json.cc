// SPDX-License-Identifier: Apache-2.0
#include "common/json.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <system_error>

#include "common/check.h"
#include "common/utf8.h"

namespace sluice {
namespace {

/// Deeper documents are rejected: the parser recurses once per level.
constexpr int kMaxJsonDepth = 1000;

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

/// Returns the length of the JSON number at the start of `text`, or 0 when there is none.
size_t ScanNumber(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    ++i;
  }
  if (i >= text.size() || !IsDigit(text[i])) {
    return 0;
  }
  if (text[i] == '0') {
    ++i;
  } else {
    while (i < text.size() && IsDigit(text[i])) {
      ++i;
    }
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (i >= text.size() || !IsDigit(text[i])) {
      return 0;
    }
    while (i < text.size() && IsDigit(text[i])) {
      ++i;
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      ++i;
    }
    if (i >= text.size() || !IsDigit(text[i])) {
      return 0;
    }
    while (i < text.size() && IsDigit(text[i])) {
      ++i;
    }
  }
  return i;
}

/// Returns roughly log10(|number|) of a valid JSON number: the decimal exponent of its
/// first significant digit (0 for "1".."9.99", -1 for "0.5"). Zero counts as negative.
int64_t DecimalMagnitude(std::string_view number) {
  const size_t e = number.find_first_of("eE");
  const std::string_view mantissa = number.substr(0, e);
  int64_t exponent = 0;
  if (e != std::string_view::npos) {
    std::string_view digits = number.substr(e + 1);
    if (!digits.empty() && digits.front() == '+') {
      digits.remove_prefix(1);
    }
    const auto [ptr, error] =
        std::from_chars(digits.data(), digits.data() + digits.size(), exponent);
    if (error == std::errc::result_out_of_range) {
      exponent = digits.front() == '-' ? INT64_MIN / 2 : INT64_MAX / 2;
    }
  }
  const size_t first = mantissa.find_first_of("123456789");
  if (first == std::string_view::npos) {
    return -1;
  }
  const size_t dot = mantissa.find('.');
  const int64_t position =
      static_cast<int64_t>(dot == std::string_view::npos ? mantissa.size() : dot);
  const int64_t first_index = static_cast<int64_t>(first);
  // Digits before the dot count up from it, digits after count down.
  const int64_t magnitude =
      first_index < position ? position - first_index - 1 : position - first_index;
  return magnitude + exponent;
}

/// Describes the byte at `offset` for an error message.
std::string Found(std::string_view text, size_t offset) {
  if (offset >= text.size()) {
    return "end of input";
  }
  const auto byte = static_cast<unsigned char>(text[offset]);
  if (byte >= 0x20 && byte < 0x7F) {
    return fmt::format("'{}'", static_cast<char>(byte));
  }
  return fmt::format("byte 0x{:02X}", byte);
}

/// A recursive-descent parser over one document.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<JsonValue> ParseDocument() {
    SkipWhitespace();
    JsonValue value;
    SLUICE_RETURN_IF_ERROR(ParseValue(0, &value));
    SkipWhitespace();
    if (pos_ != text_.size()) {
      return Error("expected end of input");
    }
    return value;
  }

 private:
  Status Error(std::string_view expected) const { return ErrorAt(pos_, expected); }
  Status ErrorAt(size_t offset, std::string_view expected) const {
    return Status::ParseError(fmt::format("JSON: {} at byte offset {} (found {})", expected, offset,
                                          Found(text_, offset)));
  }

  void SkipWhitespace() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        break;
      }
      ++pos_;
    }
  }

  bool ConsumeLiteral(std::string_view literal) {
    if (text_.substr(pos_, literal.size()) == literal) {
      pos_ += literal.size();
      return true;
    }
    return false;
  }

  Status ParseValue(int depth, JsonValue* out) {
    if (pos_ >= text_.size()) {
      return Error("expected a value");
    }
    switch (text_[pos_]) {
      case '{':
        return ParseObject(depth + 1, out);
      case '[':
        return ParseArray(depth + 1, out);
      case '"': {
        std::string value;
        SLUICE_RETURN_IF_ERROR(ParseString(&value));
        *out = JsonValue::String(std::move(value));
        return Status::Ok();
      }
      case 't':
        if (ConsumeLiteral("true")) {
          *out = JsonValue::Bool(true);
          return Status::Ok();
        }
        break;
      case 'f':
        if (ConsumeLiteral("false")) {
          *out = JsonValue::Bool(false);
          return Status::Ok();
        }
        break;
      case 'n':
        if (ConsumeLiteral("null")) {
          *out = JsonValue::Null();
          return Status::Ok();
        }
        break;
      default: {
        const size_t length = ScanNumber(text_.substr(pos_));
        if (length > 0) {
          *out = JsonValue::NumberText(std::string(text_.substr(pos_, length)));
          pos_ += length;
          return Status::Ok();
        }
        if (text_[pos_] == '-' || IsDigit(text_[pos_])) {
          return Error("expected a valid number");
        }
        break;
      }
    }
    return Error("expected a value");
  }

  Status CheckDepth(int depth) const {
    if (depth > kMaxJsonDepth) {
      return Status::ParseError(fmt::format("JSON: nesting deeper than {} levels at byte offset {}",
                                            kMaxJsonDepth, pos_));
    }
    return Status::Ok();
  }

  Status ParseArray(int depth, JsonValue* out) {
    SLUICE_RETURN_IF_ERROR(CheckDepth(depth));
    ++pos_;  // '['
    std::vector<JsonValue> items;
    SkipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      *out = JsonValue::Array(std::move(items));
      return Status::Ok();
    }
    while (true) {
      SkipWhitespace();
      items.emplace_back();
      SLUICE_RETURN_IF_ERROR(ParseValue(depth, &items.back()));
      SkipWhitespace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        break;
      }
      return Error("expected ',' or ']'");
    }
    *out = JsonValue::Array(std::move(items));
    return Status::Ok();
  }

  Status ParseObject(int depth, JsonValue* out) {
    SLUICE_RETURN_IF_ERROR(CheckDepth(depth));
    ++pos_;  // '{'
    std::vector<JsonValue::Member> members;
    SkipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      *out = JsonValue::Object(std::move(members));
      return Status::Ok();
    }
    while (true) {
      SkipWhitespace();
      if (pos_ >= text_.size() || text_[pos_] != '"') {
        return Error("expected a string key");
      }
      std::string key;
      SLUICE_RETURN_IF_ERROR(ParseString(&key));
      SkipWhitespace();
      if (pos_ >= text_.size() || text_[pos_] != ':') {
        return Error("expected ':'");
      }
      ++pos_;
      SkipWhitespace();
      members.emplace_back(std::move(key), JsonValue());
      SLUICE_RETURN_IF_ERROR(ParseValue(depth, &members.back().second));
      SkipWhitespace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        break;
      }
      return Error("expected ',' or '}'");
    }
    *out = JsonValue::Object(std::move(members));
    return Status::Ok();
  }

  /// Reads the four hex digits after "\u" at pos_.
  Status ParseHex4(uint32_t* out) {
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      if (pos_ >= text_.size()) {
        return Error("expected a hex digit");
      }
      const char c = text_[pos_];
      uint32_t digit = 0;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return Error("expected a hex digit");
      }
      value = value * 16 + digit;
      ++pos_;
    }
    *out = value;
    return Status::Ok();
  }

  /// Parses a string starting at the opening quote. Raw bytes >= 0x20 are copied as
  /// they are (invalid UTF-8 included: this DOM holds metadata, not validated text).
  Status ParseString(std::string* out) {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= text_.size()) {
        return Error("expected '\"' closing the string");
      }
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return Status::Ok();
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        return Error("expected an escaped control character");
      }
      if (c != '\\') {
        out->push_back(c);
        ++pos_;
        continue;
      }
      const size_t escape_start = pos_;
      ++pos_;
      if (pos_ >= text_.size()) {
        return Error("expected an escape character");
      }
      const char escape = text_[pos_++];
      switch (escape) {
        case '"':
          out->push_back('"');
          break;
        case '\\':
          out->push_back('\\');
          break;
        case '/':
          out->push_back('/');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t code_point = 0;
          SLUICE_RETURN_IF_ERROR(ParseHex4(&code_point));
          if (code_point >= 0xDC00 && code_point <= 0xDFFF) {
            return ErrorAt(escape_start, "expected a high surrogate before a low surrogate");
          }
          if (code_point >= 0xD800 && code_point <= 0xDBFF) {
            if (!ConsumeLiteral("\\u")) {
              return ErrorAt(escape_start, "expected a low surrogate after a high surrogate");
            }
            uint32_t low = 0;
            SLUICE_RETURN_IF_ERROR(ParseHex4(&low));
            if (low < 0xDC00 || low > 0xDFFF) {
              return ErrorAt(escape_start, "expected a low surrogate after a high surrogate");
            }
            code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(code_point, out);
          break;
        }
        default:
          return ErrorAt(escape_start, "expected a valid escape sequence");
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

JsonValue JsonValue::Bool(bool value) {
  JsonValue result;
  result.kind_ = Kind::kBool;
  result.bool_ = value;
  return result;
}

JsonValue JsonValue::NumberText(std::string text) {
  SLUICE_CHECK(!text.empty() && ScanNumber(text) == text.size(), "not a JSON number: '{}'", text);
  JsonValue result;
  result.kind_ = Kind::kNumber;
  result.text_ = std::move(text);
  return result;
}

JsonValue JsonValue::Int(int64_t value) {
  return NumberText(fmt::format("{}", value));
}

JsonValue JsonValue::Double(double value) {
  // JSON has no NaN or infinity; like JSON.stringify, write them as null.
  if (!std::isfinite(value)) {
    return Null();
  }
  // fmt writes the shortest text that reads back as the same double ("0.1", "1e+300").
  return NumberText(fmt::format("{}", value));
}

JsonValue JsonValue::String(std::string value) {
  JsonValue result;
  result.kind_ = Kind::kString;
  result.text_ = std::move(value);
  return result;
}

JsonValue JsonValue::Array(std::vector<JsonValue> items) {
  JsonValue result;
  result.kind_ = Kind::kArray;
  result.items_ = std::move(items);
  return result;
}

JsonValue JsonValue::Object(std::vector<Member> members) {
  JsonValue result;
  result.kind_ = Kind::kObject;
  result.members_ = std::move(members);
  return result;
}

Result<JsonValue> JsonValue::Parse(std::string_view text) {
  return Parser(text).ParseDocument();
}

Result<int64_t> JsonValue::AsInt64() const {
  if (kind_ != Kind::kNumber) {
    return Status::InvalidArgument("JSON value is not a number");
  }
  int64_t value = 0;
  const char* end = text_.data() + text_.size();
  const auto [ptr, error] = std::from_chars(text_.data(), end, value);
  if (error == std::errc::result_out_of_range) {
    return Status::InvalidArgument(fmt::format("JSON number {} is out of int64 range", text_));
  }
  if (error != std::errc() || ptr != end) {
    return Status::InvalidArgument(fmt::format("JSON number {} is not an integer", text_));
  }
  return value;
}

Result<double> JsonValue::AsDouble() const {
  if (kind_ != Kind::kNumber) {
    return Status::InvalidArgument("JSON value is not a number");
  }
  double value = 0;
  const char* end = text_.data() + text_.size();
  const auto [ptr, error] = std::from_chars(text_.data(), end, value);
  if (error == std::errc::result_out_of_range) {
    // Too small in magnitude reads as zero, like strtod; too large is an error.
    if (DecimalMagnitude(text_) < 0) {
      return text_.front() == '-' ? -0.0 : 0.0;
    }
    return Status::InvalidArgument(fmt::format("JSON number {} is out of double range", text_));
  }
  if (error != std::errc() || ptr != end) {
    return Status::InvalidArgument(fmt::format("JSON number {} is not a double", text_));
  }
  return value;
}

const JsonValue* JsonValue::Find(std::string_view key) const {
  for (const Member& member : members_) {
    if (member.first == key) {
      return &member.second;
    }
  }
  return nullptr;
}

std::string JsonValue::Serialize() const {
  std::string out;
  SerializeTo(&out);
  return out;
}

void JsonValue::SerializeTo(std::string* out) const {
  switch (kind_) {
    case Kind::kNull:
      *out += "null";
      return;
    case Kind::kBool:
      *out += bool_ ? "true" : "false";
      return;
    case Kind::kNumber:
      *out += text_;
      return;
    case Kind::kString:
      AppendJsonString(text_, out);
      return;
    case Kind::kArray:
      out->push_back('[');
      for (size_t i = 0; i < items_.size(); ++i) {
        if (i > 0) {
          out->push_back(',');
        }
        items_[i].SerializeTo(out);
      }
      out->push_back(']');
      return;
    case Kind::kObject:
      out->push_back('{');
      for (size_t i = 0; i < members_.size(); ++i) {
        if (i > 0) {
          out->push_back(',');
        }
        AppendJsonString(members_[i].first, out);
        out->push_back(':');
        members_[i].second.SerializeTo(out);
      }
      out->push_back('}');
      return;
  }
}

bool JsonValue::operator==(const JsonValue& other) const {
  if (kind_ != other.kind_) {
    return false;
  }
  switch (kind_) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return bool_ == other.bool_;
    case Kind::kNumber:
    case Kind::kString:
      return text_ == other.text_;
    case Kind::kArray:
      return items_ == other.items_;
    case Kind::kObject:
      return members_ == other.members_;
  }
  return false;
}

void AppendJsonString(std::string_view value, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out->push_back('"');
  for (const char c : value) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      default: {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20) {
          *out += "\\u00";
          out->push_back(kHex[byte >> 4]);
          out->push_back(kHex[byte & 0xF]);
        } else {
          out->push_back(c);
        }
      }
    }
  }
  out->push_back('"');
}

}  // namespace sluice
