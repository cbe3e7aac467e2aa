// SPDX-License-Identifier: Apache-2.0
#include "sql/lexer.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ascii.h"
#include "common/utf8.h"

namespace sluice::sql {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' ||
         (static_cast<unsigned char>(c) >= 0x80);
}
bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int HexValue(char c) {
  if (IsDigit(c)) {
    return c - '0';
  }
  return LowerAscii(c) - 'a' + 10;
}

/// The operators, longest first so that the first match is the longest.
constexpr std::string_view kOperators[] = {
    "<=>", "||", "::", "->", "=>", "==", "<>", "!=", "<=", ">=", "(", ")",
    ",",   ".",  ";",  "[",  "]",  "{",  "}",  "*",  "+",  "-",  "/", "%",
    "~",   "&",  "|",  "^",  "=",  "<",  ">",  "!",  ":",  "@",  "?"};

/// Appends the value of the backslash escape at `text[*pos]` (just after the backslash)
/// to `*out`, the way Spark's unescapeSQLString does, and moves `*pos` past it.
void AppendEscape(std::string_view text, size_t* pos, std::string* out) {
  const char c = text[*pos];
  // \ddd: an octal code of three digits, the first at most 3.
  if (*pos + 2 < text.size() && c >= '0' && c <= '3' && text[*pos + 1] >= '0' &&
      text[*pos + 1] <= '7' && text[*pos + 2] >= '0' && text[*pos + 2] <= '7') {
    const int code = (c - '0') * 64 + (text[*pos + 1] - '0') * 8 + (text[*pos + 2] - '0');
    AppendUtf8(static_cast<char32_t>(code), out);
    *pos += 3;
    return;
  }
  if (c == 'u' && *pos + 4 < text.size() && IsHexDigit(text[*pos + 1]) &&
      IsHexDigit(text[*pos + 2]) && IsHexDigit(text[*pos + 3]) && IsHexDigit(text[*pos + 4])) {
    char32_t code = 0;
    for (size_t i = 1; i <= 4; ++i) {
      code = code * 16 + static_cast<char32_t>(HexValue(text[*pos + i]));
    }
    AppendUtf8(code, out);
    *pos += 5;
    return;
  }
  *pos += 1;
  switch (c) {
    case '0':
      out->push_back('\0');
      return;
    case 'b':
      out->push_back('\b');
      return;
    case 'n':
      out->push_back('\n');
      return;
    case 'r':
      out->push_back('\r');
      return;
    case 't':
      out->push_back('\t');
      return;
    case 'Z':
      out->push_back('\x1A');
      return;
    case '%':
      out->append("\\%");
      return;
    case '_':
      out->append("\\_");
      return;
    default:
      out->push_back(c);
      return;
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      SLUICE_RETURN_IF_ERROR(SkipSpaceAndComments());
      Token token;
      token.position = Here();
      if (pos_ >= sql_.size()) {
        token.kind = TokenKind::kEnd;
        token.end_offset = static_cast<int>(pos_);
        tokens.push_back(std::move(token));
        return tokens;
      }
      SLUICE_RETURN_IF_ERROR(Lex(&token));
      token.text = sql_.substr(static_cast<size_t>(token.position.offset),
                               pos_ - static_cast<size_t>(token.position.offset));
      token.end_offset = static_cast<int>(pos_);
      tokens.push_back(std::move(token));
    }
  }

 private:
  SourcePosition Here() const {
    SourcePosition position;
    position.line = line_;
    position.column = column_ + 1;
    position.offset = static_cast<int>(pos_);
    return position;
  }

  /// Moves to byte `end`, counting lines and characters on the way.
  void AdvanceTo(size_t end) {
    for (; pos_ < end; ++pos_) {
      const char c = sql_[pos_];
      if (c == '\n') {
        ++line_;
        column_ = 0;
      } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
        ++column_;
      }
    }
  }

  Status SkipSpaceAndComments() {
    while (pos_ < sql_.size()) {
      const char c = sql_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        AdvanceTo(pos_ + 1);
      } else if (c == '-' && pos_ + 1 < sql_.size() && sql_[pos_ + 1] == '-') {
        size_t end = sql_.find('\n', pos_);
        AdvanceTo(end == std::string_view::npos ? sql_.size() : end);
      } else if (c == '/' && pos_ + 1 < sql_.size() && sql_[pos_ + 1] == '*') {
        SLUICE_RETURN_IF_ERROR(SkipBracketedComment());
      } else {
        return Status::Ok();
      }
    }
    return Status::Ok();
  }

  /// Skips a `/* */` comment, which may nest, as Spark's do.
  Status SkipBracketedComment() {
    const SourcePosition start = Here();
    size_t i = pos_ + 2;
    int depth = 1;
    while (i < sql_.size() && depth > 0) {
      if (sql_[i] == '/' && i + 1 < sql_.size() && sql_[i + 1] == '*') {
        ++depth;
        i += 2;
      } else if (sql_[i] == '*' && i + 1 < sql_.size() && sql_[i + 1] == '/') {
        --depth;
        i += 2;
      } else {
        ++i;
      }
    }
    if (depth > 0) {
      return Status::ParseError(
          "[UNCLOSED_BRACKETED_COMMENT] Found an unclosed bracketed comment. Please, append */ "
          "at the end of the comment. SQLSTATE: 42601 " +
          PositionSuffix(start));
    }
    AdvanceTo(i);
    return Status::Ok();
  }

  Status EndOfInputError() {
    AdvanceTo(sql_.size());
    Token end;
    end.kind = TokenKind::kEnd;
    end.position = Here();
    return SyntaxErrorAt(end);
  }

  Status Lex(Token* token) {
    const char c = sql_[pos_];
    if (c == '\'' || c == '"') {
      token->kind = TokenKind::kString;
      return LexString(pos_, false, &token->value);
    }
    if ((c == 'r' || c == 'R') && pos_ + 1 < sql_.size() &&
        (sql_[pos_ + 1] == '\'' || sql_[pos_ + 1] == '"')) {
      token->kind = TokenKind::kString;
      return LexString(pos_ + 1, true, &token->value);
    }
    if (c == '`') {
      token->kind = TokenKind::kQuotedIdentifier;
      return LexQuotedIdentifier(&token->value);
    }
    if (IsDigit(c) || (c == '.' && pos_ + 1 < sql_.size() && IsDigit(sql_[pos_ + 1]))) {
      LexNumberOrWord(token);
      return Status::Ok();
    }
    if (IsWordChar(c)) {
      size_t end = pos_;
      while (end < sql_.size() && IsWordChar(sql_[end])) {
        ++end;
      }
      token->kind = TokenKind::kIdentifier;
      AdvanceTo(end);
      return Status::Ok();
    }
    for (std::string_view op : kOperators) {
      if (sql_.substr(pos_, op.size()) == op) {
        token->kind = TokenKind::kOperator;
        AdvanceTo(pos_ + op.size());
        return Status::Ok();
      }
    }
    token->kind = TokenKind::kUnknown;
    size_t next = pos_;
    DecodeUtf8CodePoint(sql_, &next);
    AdvanceTo(next);
    return Status::Ok();
  }

  /// Lexes a string whose opening quote is at `quote_pos`; raw strings keep backslashes.
  Status LexString(size_t quote_pos, bool raw, std::string* value) {
    const char quote = sql_[quote_pos];
    size_t i = quote_pos + 1;
    while (i < sql_.size() && sql_[i] != quote) {
      if (sql_[i] == '\\' && !raw) {
        if (i + 1 >= sql_.size()) {
          break;
        }
        ++i;
        AppendEscape(sql_, &i, value);
      } else {
        value->push_back(sql_[i]);
        ++i;
      }
    }
    if (i >= sql_.size()) {
      return EndOfInputError();
    }
    AdvanceTo(i + 1);
    return Status::Ok();
  }

  Status LexQuotedIdentifier(std::string* value) {
    size_t i = pos_ + 1;
    while (true) {
      if (i >= sql_.size()) {
        return EndOfInputError();
      }
      if (sql_[i] == '`') {
        if (i + 1 < sql_.size() && sql_[i + 1] == '`') {
          value->push_back('`');
          i += 2;
          continue;
        }
        break;
      }
      value->push_back(sql_[i]);
      ++i;
    }
    AdvanceTo(i + 1);
    return Status::Ok();
  }

  /// Lexes a number; a run of word characters longer than the number is a word instead
  /// (`1a`), as with Spark's longest-match lexer.
  void LexNumberOrWord(Token* token) {
    size_t i = pos_;
    bool fraction = false;
    bool exponent = false;
    while (i < sql_.size() && IsDigit(sql_[i])) {
      ++i;
    }
    if (i < sql_.size() && sql_[i] == '.') {
      fraction = true;
      ++i;
      while (i < sql_.size() && IsDigit(sql_[i])) {
        ++i;
      }
    }
    if (i < sql_.size() && (sql_[i] == 'e' || sql_[i] == 'E')) {
      size_t j = i + 1;
      if (j < sql_.size() && (sql_[j] == '+' || sql_[j] == '-')) {
        ++j;
      }
      if (j < sql_.size() && IsDigit(sql_[j])) {
        while (j < sql_.size() && IsDigit(sql_[j])) {
          ++j;
        }
        exponent = true;
        i = j;
      }
    }
    LiteralKind kind = exponent ? LiteralKind::kDouble
                                : (fraction ? LiteralKind::kDecimal : LiteralKind::kInteger);
    // A type suffix, when it ends the word.
    auto suffix_ends = [&](size_t end) { return end >= sql_.size() || !IsWordChar(sql_[end]); };
    if (i + 2 <= sql_.size() && EqualsIgnoreCase(sql_.substr(i, 2), "BD") && suffix_ends(i + 2)) {
      kind = LiteralKind::kDecimal;
      i += 2;
    } else if (i < sql_.size() && suffix_ends(i + 1)) {
      const char s = LowerAscii(sql_[i]);
      if (s == 'd' || s == 'f') {
        kind = LiteralKind::kDouble;
        ++i;
      } else if ((s == 'l' || s == 's' || s == 'y') && kind == LiteralKind::kInteger) {
        ++i;
      }
    }
    size_t word_end = pos_;
    while (word_end < sql_.size() && IsWordChar(sql_[word_end])) {
      ++word_end;
    }
    if (!fraction && word_end > i) {
      token->kind = TokenKind::kIdentifier;
      AdvanceTo(word_end);
      return;
    }
    token->kind = TokenKind::kNumber;
    token->number_kind = kind;
    AdvanceTo(i);
  }

  std::string_view sql_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 0;  // characters before pos_ on the current line
};

}  // namespace

Result<std::vector<Token>> Tokenize(std::string_view sql) {
  return Lexer(sql).Run();
}

bool IsKeyword(const Token& token, std::string_view keyword) {
  return token.kind == TokenKind::kIdentifier && EqualsIgnoreCase(token.text, keyword);
}

std::string PositionSuffix(const SourcePosition& position) {
  return "(line " + std::to_string(position.line) + ", pos " + std::to_string(position.column - 1) +
         ")";
}

Status SyntaxErrorAt(const Token& token) {
  std::string near =
      token.kind == TokenKind::kEnd ? "end of input" : "'" + std::string(token.text) + "'";
  return Status::ParseError("[PARSE_SYNTAX_ERROR] Syntax error at or near " + near +
                            ". SQLSTATE: 42601 " + PositionSuffix(token.position));
}

}  // namespace sluice::sql
