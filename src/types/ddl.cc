// SPDX-License-Identifier: Apache-2.0
#include "types/ddl.h"

#include <fmt/format.h>

#include <charconv>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "common/ascii.h"
#include "common/json.h"
#include "common/utf8.h"

namespace sluice {
namespace {

/// Deeper type nesting is rejected: the parser recurses once per level.
constexpr int kMaxDdlDepth = 200;

enum class TokenKind : uint8_t {
  kWord,    // identifier, keyword or integer: [A-Za-z0-9_]+
  kQuoted,  // `back-quoted name`, text holds the name with `` undone
  kString,  // 'string' or "string", text holds the unescaped value
  kSymbol,  // any other single byte: < > ( ) , : and anything unexpected
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  size_t offset = 0;  // 0-based byte offset of the token's first byte
  size_t length = 0;  // bytes of source the token spans
};

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsAllDigits(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

/// Splits a DDL string into tokens, then parses them by recursive descent.
class DdlParser {
 public:
  explicit DdlParser(std::string_view text) : text_(text) {}

  Result<SchemaPtr> ParseSchema() {
    SLUICE_RETURN_IF_ERROR(Tokenize());
    std::vector<Field> fields;
    if (Peek().kind != TokenKind::kEnd) {
      while (true) {
        Field field;
        SLUICE_RETURN_IF_ERROR(ParseField(/*allow_colon=*/false, /*depth=*/0, &field));
        fields.push_back(std::move(field));
        if (!ConsumeSymbol(',')) {
          break;
        }
      }
    }
    if (Peek().kind != TokenKind::kEnd) {
      return Expected("',' or end of input");
    }
    return MakeSchema(std::move(fields));
  }

  Result<TypePtr> ParseType() {
    SLUICE_RETURN_IF_ERROR(Tokenize());
    TypePtr type;
    SLUICE_RETURN_IF_ERROR(ParseDataType(0, &type));
    if (Peek().kind != TokenKind::kEnd) {
      return Expected("end of input");
    }
    return type;
  }

 private:
  // ---- Errors ----

  std::string Describe(const Token& token) const {
    if (token.kind == TokenKind::kEnd) {
      return "end of input";
    }
    constexpr size_t kMaxShown = 24;
    std::string shown;
    for (char c : text_.substr(token.offset, std::min(token.length, kMaxShown))) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte >= 0x20 && byte < 0x7F) {
        shown.push_back(c);
      } else {
        shown += fmt::format("\\x{:02X}", byte);
      }
    }
    if (token.length > kMaxShown) {
      shown += "...";
    }
    return fmt::format("'{}'", shown);
  }

  Status ExpectedAt(const Token& token, std::string_view what) const {
    return Status::ParseError(fmt::format("DDL: expected {} at position {} (found {})", what,
                                          token.offset + 1, Describe(token)));
  }
  Status Expected(std::string_view what) const { return ExpectedAt(Peek(), what); }

  // ---- Lexer ----

  Status Tokenize() {
    size_t pos = 0;
    while (true) {
      while (pos < text_.size() && IsSpace(text_[pos])) {
        ++pos;
      }
      Token token;
      token.offset = pos;
      if (pos >= text_.size()) {
        tokens_.push_back(std::move(token));
        return Status::Ok();
      }
      const char c = text_[pos];
      if (IsWordChar(c)) {
        size_t end = pos;
        while (end < text_.size() && IsWordChar(text_[end])) {
          ++end;
        }
        token.kind = TokenKind::kWord;
        token.text = std::string(text_.substr(pos, end - pos));
        pos = end;
      } else if (c == '`') {
        token.kind = TokenKind::kQuoted;
        SLUICE_RETURN_IF_ERROR(LexQuotedName(&pos, &token.text));
      } else if (c == '\'' || c == '"') {
        token.kind = TokenKind::kString;
        SLUICE_RETURN_IF_ERROR(LexString(&pos, &token.text));
      } else {
        token.kind = TokenKind::kSymbol;
        token.text = std::string(1, c);
        ++pos;
      }
      token.length = pos - token.offset;
      tokens_.push_back(std::move(token));
    }
  }

  Status UnterminatedAt(size_t start, std::string_view what, char quote) const {
    return Status::ParseError(
        fmt::format("DDL: expected {} closing the {} started at position {} (found end of input)",
                    quote, what, start + 1));
  }

  /// Reads `name` with `` standing for one backquote; *pos is at the opening quote.
  Status LexQuotedName(size_t* pos, std::string* out) const {
    const size_t start = *pos;
    size_t i = start + 1;
    while (true) {
      if (i >= text_.size()) {
        return UnterminatedAt(start, "name", '`');
      }
      if (text_[i] == '`') {
        if (i + 1 < text_.size() && text_[i + 1] == '`') {
          out->push_back('`');
          i += 2;
          continue;
        }
        *pos = i + 1;
        return Status::Ok();
      }
      out->push_back(text_[i]);
      ++i;
    }
  }

  /// Reads a string literal with Spark's escapes (unescapeSQLString): \' \" \\ \b \n \r
  /// \t \Z \0, octal \ooo, \uXXXX; \% and \_ keep their backslash; any other escaped
  /// character stands for itself.
  Status LexString(size_t* pos, std::string* out) const {
    const size_t start = *pos;
    const char quote = text_[start];
    size_t i = start + 1;
    while (true) {
      if (i >= text_.size()) {
        return UnterminatedAt(start, "string", quote);
      }
      const char c = text_[i];
      if (c == quote) {
        *pos = i + 1;
        return Status::Ok();
      }
      if (c != '\\') {
        out->push_back(c);
        ++i;
        continue;
      }
      if (i + 1 >= text_.size()) {
        return UnterminatedAt(start, "string", quote);
      }
      const char escaped = text_[i + 1];
      // Octal: \[0-3][0-7][0-7].
      if (escaped >= '0' && escaped <= '3' && i + 3 < text_.size() && text_[i + 2] >= '0' &&
          text_[i + 2] <= '7' && text_[i + 3] >= '0' && text_[i + 3] <= '7') {
        out->push_back(static_cast<char>((escaped - '0') * 64 + (text_[i + 2] - '0') * 8 +
                                         (text_[i + 3] - '0')));
        i += 4;
        continue;
      }
      if (escaped == 'u') {
        uint32_t code_point = 0;
        if (!ReadHex4(i + 2, &code_point)) {
          return Status::ParseError(
              fmt::format("DDL: expected four hex digits after the \\u at position {}", i + 1));
        }
        i += 6;
        if (code_point >= 0xD800 && code_point <= 0xDBFF) {
          uint32_t low = 0;
          if (i + 1 < text_.size() && text_[i] == '\\' && text_[i + 1] == 'u' &&
              ReadHex4(i + 2, &low) && low >= 0xDC00 && low <= 0xDFFF) {
            code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          } else {
            code_point = 0xFFFD;  // an unpaired surrogate has no UTF-8 form
          }
        } else if (code_point >= 0xDC00 && code_point <= 0xDFFF) {
          code_point = 0xFFFD;
        }
        AppendUtf8(code_point, out);
        continue;
      }
      switch (escaped) {
        case '0':
          out->push_back('\0');
          break;
        case 'b':
          out->push_back('\b');
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
        case 'Z':
          out->push_back('\x1A');
          break;
        case '%':
        case '_':
          out->push_back('\\');
          out->push_back(escaped);
          break;
        default:
          out->push_back(escaped);
          break;
      }
      i += 2;
    }
  }

  bool ReadHex4(size_t at, uint32_t* out) const {
    if (at + 4 > text_.size()) {
      return false;
    }
    uint32_t value = 0;
    for (size_t k = 0; k < 4; ++k) {
      const int digit = HexValue(text_[at + k]);
      if (digit < 0) {
        return false;
      }
      value = value * 16 + static_cast<uint32_t>(digit);
    }
    *out = value;
    return true;
  }

  // ---- Token access ----

  const Token& Peek() const { return tokens_[next_]; }
  const Token& Take() {
    const Token& token = tokens_[next_];
    if (token.kind != TokenKind::kEnd) {
      ++next_;
    }
    return token;
  }
  bool PeekSymbol(char symbol) const {
    return Peek().kind == TokenKind::kSymbol && Peek().text[0] == symbol;
  }
  bool ConsumeSymbol(char symbol) {
    if (PeekSymbol(symbol)) {
      ++next_;
      return true;
    }
    return false;
  }
  Status ExpectSymbol(char symbol) {
    if (!ConsumeSymbol(symbol)) {
      return Expected(fmt::format("'{}'", symbol));
    }
    return Status::Ok();
  }
  bool PeekKeyword(std::string_view keyword) const {
    return Peek().kind == TokenKind::kWord && EqualsIgnoreCase(Peek().text, keyword);
  }

  // ---- Grammar ----

  /// name [':'] type [NOT NULL] [COMMENT 'text'] (the two options in either order).
  Status ParseField(bool allow_colon, int depth, Field* field) {
    const Token& name = Peek();
    if (name.kind == TokenKind::kQuoted ||
        (name.kind == TokenKind::kWord && !IsAllDigits(name.text))) {
      field->name = Take().text;
    } else {
      return Expected(allow_colon ? "a field name" : "a column name");
    }
    if (allow_colon) {
      ConsumeSymbol(':');
    }
    SLUICE_RETURN_IF_ERROR(ParseDataType(depth, &field->type));
    bool seen_not_null = false;
    bool seen_comment = false;
    while (true) {
      if (!seen_not_null && PeekKeyword("NOT")) {
        Take();
        if (!PeekKeyword("NULL")) {
          return Expected("NULL after NOT");
        }
        Take();
        field->nullable = false;
        seen_not_null = true;
      } else if (!seen_comment && PeekKeyword("COMMENT")) {
        Take();
        if (Peek().kind != TokenKind::kString) {
          return Expected("a quoted comment string");
        }
        std::string json;
        AppendJsonString(Take().text, &json);
        field->metadata.emplace_back("comment", std::move(json));
        seen_comment = true;
      } else {
        return Status::Ok();
      }
    }
  }

  /// Reads a non-negative integer token into *out; `what` names it for errors.
  Status ParseInteger(std::string_view what, int* out) {
    const Token& token = Peek();
    if (token.kind != TokenKind::kWord || !IsAllDigits(token.text)) {
      return Expected(what);
    }
    int value = 0;
    const char* end = token.text.data() + token.text.size();
    const auto [ptr, error] = std::from_chars(token.text.data(), end, value);
    if (error != std::errc() || ptr != end) {
      return Expected(what);
    }
    *out = value;
    Take();
    return Status::Ok();
  }

  Status ParseDecimal(TypePtr* out) {
    int precision = 10;
    int scale = 0;
    if (ConsumeSymbol('(')) {
      const Token& precision_token = Peek();
      SLUICE_RETURN_IF_ERROR(ParseInteger("a decimal precision", &precision));
      if (precision < 1 || precision > kMaxDecimalPrecision) {
        return ExpectedAt(precision_token, fmt::format("a decimal precision between 1 and {}",
                                                       kMaxDecimalPrecision));
      }
      scale = 0;
      if (ConsumeSymbol(',')) {
        const Token& scale_token = Peek();
        SLUICE_RETURN_IF_ERROR(ParseInteger("a decimal scale", &scale));
        if (scale > precision) {
          return ExpectedAt(
              scale_token,
              fmt::format("a decimal scale between 0 and the precision {}", precision));
        }
      }
      SLUICE_RETURN_IF_ERROR(ExpectSymbol(')'));
    }
    *out = DecimalType(precision, scale);
    return Status::Ok();
  }

  Status ParseDataType(int depth, TypePtr* out) {
    const Token& token = Peek();
    if (token.kind != TokenKind::kWord) {
      return Expected("a type name");
    }
    const std::string& name = token.text;
    struct Alias {
      std::string_view name;
      TypePtr (*factory)();
    };
    static constexpr Alias kPrimitives[] = {
        {"BOOLEAN", BooleanType},
        {"BYTE", ByteType},
        {"TINYINT", ByteType},
        {"SHORT", ShortType},
        {"SMALLINT", ShortType},
        {"INT", IntType},
        {"INTEGER", IntType},
        {"LONG", LongType},
        {"BIGINT", LongType},
        {"FLOAT", FloatType},
        {"REAL", FloatType},
        {"DOUBLE", DoubleType},
        {"STRING", StringType},
        {"BINARY", BinaryType},
        {"DATE", DateType},
        {"TIMESTAMP", TimestampType},
        {"TIMESTAMP_LTZ", TimestampType},
        {"TIMESTAMP_NTZ", TimestampNtzType},
        {"VOID", NullType},
        {"VARIANT", VariantType},
    };
    for (const Alias& alias : kPrimitives) {
      if (EqualsIgnoreCase(name, alias.name)) {
        Take();
        *out = alias.factory();
        return Status::Ok();
      }
    }
    if (EqualsIgnoreCase(name, "DECIMAL") || EqualsIgnoreCase(name, "DEC") ||
        EqualsIgnoreCase(name, "NUMERIC")) {
      Take();
      return ParseDecimal(out);
    }
    if (EqualsIgnoreCase(name, "CHAR") || EqualsIgnoreCase(name, "CHARACTER") ||
        EqualsIgnoreCase(name, "VARCHAR")) {
      Take();
      SLUICE_RETURN_IF_ERROR(ExpectSymbol('('));
      int length = 0;
      SLUICE_RETURN_IF_ERROR(ParseInteger("a string length", &length));
      SLUICE_RETURN_IF_ERROR(ExpectSymbol(')'));
      *out = StringType();  // Spark reads char/varchar columns as string
      return Status::Ok();
    }
    for (std::string_view unsupported : {"INTERVAL", "GEOMETRY", "GEOGRAPHY"}) {
      if (EqualsIgnoreCase(name, unsupported)) {
        return Status::NotImplemented(fmt::format("DDL: type {} at position {} is not supported",
                                                  unsupported, token.offset + 1));
      }
    }
    const bool is_array = EqualsIgnoreCase(name, "ARRAY");
    const bool is_map = EqualsIgnoreCase(name, "MAP");
    const bool is_struct = EqualsIgnoreCase(name, "STRUCT");
    if (!is_array && !is_map && !is_struct) {
      return Expected("a type name");
    }
    if (depth >= kMaxDdlDepth) {
      return Status::ParseError(
          fmt::format("DDL: types nested deeper than {} levels at position {}", kMaxDdlDepth,
                      token.offset + 1));
    }
    Take();
    SLUICE_RETURN_IF_ERROR(ExpectSymbol('<'));
    if (is_array) {
      TypePtr element;
      SLUICE_RETURN_IF_ERROR(ParseDataType(depth + 1, &element));
      SLUICE_RETURN_IF_ERROR(ExpectSymbol('>'));
      *out = ArrayType(std::move(element));
      return Status::Ok();
    }
    if (is_map) {
      TypePtr key;
      TypePtr value;
      SLUICE_RETURN_IF_ERROR(ParseDataType(depth + 1, &key));
      SLUICE_RETURN_IF_ERROR(ExpectSymbol(','));
      SLUICE_RETURN_IF_ERROR(ParseDataType(depth + 1, &value));
      SLUICE_RETURN_IF_ERROR(ExpectSymbol('>'));
      *out = MapType(std::move(key), std::move(value));
      return Status::Ok();
    }
    std::vector<Field> fields;
    if (!ConsumeSymbol('>')) {
      while (true) {
        Field field;
        SLUICE_RETURN_IF_ERROR(ParseField(/*allow_colon=*/true, depth + 1, &field));
        fields.push_back(std::move(field));
        if (ConsumeSymbol(',')) {
          continue;
        }
        if (ConsumeSymbol('>')) {
          break;
        }
        return Expected("',' or '>'");
      }
    }
    *out = StructType(std::move(fields));
    return Status::Ok();
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
};

}  // namespace

Result<SchemaPtr> ParseDdlSchema(std::string_view ddl) {
  return DdlParser(ddl).ParseSchema();
}

Result<TypePtr> ParseDdlType(std::string_view ddl) {
  return DdlParser(ddl).ParseType();
}

}  // namespace sluice
