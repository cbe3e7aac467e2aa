// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/ast.h"

/// The tokenizer of Spark-dialect SQL, used by the parser and by SplitStatements.
namespace sluice::sql {

enum class TokenKind : uint8_t {
  kIdentifier,        // a word: keyword or identifier (keywords are not told apart here)
  kQuotedIdentifier,  // `name`; value is the name without the backticks
  kString,            // '...', "...", r'...'; value is the unescaped text
  kNumber,            // 1, 1L, 1.5, .5, 1e3, 1.5BD, 1.5D; number_kind tells which
  kOperator,          // punctuation and operators: ( ) , . ; [ ] * + - / % ~ & | ^ || = ...
  kUnknown,           // a character no token starts with
  kEnd,               // the end of the input
};

/// One token of SQL text.
struct Token {
  TokenKind kind = TokenKind::kEnd;
  /// The token as written in the source.
  std::string_view text;
  /// The unescaped value of kString and kQuotedIdentifier tokens.
  std::string value;
  /// kNumber: kInteger, kDecimal or kDouble.
  LiteralKind number_kind = LiteralKind::kInteger;
  /// Where the token starts: line and column (1-based, in characters), byte offset.
  SourcePosition position;
  /// The byte offset just past the token.
  int end_offset = 0;
};

/// Splits `sql` into tokens, skipping whitespace and comments (`--` to the end of the
/// line, nested `/* */`). The last token is always kEnd, positioned at the end of the
/// input. An unclosed comment, string or quoted identifier is a kParseError with Spark's
/// text.
Result<std::vector<Token>> Tokenize(std::string_view sql);

/// Returns true when `token` is the word `keyword` (upper-case), ignoring case.
bool IsKeyword(const Token& token, std::string_view keyword);

/// Returns Spark's error for a syntax error at `token`:
/// "[PARSE_SYNTAX_ERROR] Syntax error at or near 'x'. SQLSTATE: 42601 (line 1, pos 9)".
Status SyntaxErrorAt(const Token& token);

/// Returns "(line L, pos P)" for `position`, P being the 0-based character offset within
/// the line.
std::string PositionSuffix(const SourcePosition& position);

}  // namespace sluice::sql
