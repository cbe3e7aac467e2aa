// SPDX-License-Identifier: Apache-2.0
#include "sql/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sql/parser.h"

namespace sluice::sql {
namespace {

/// Renders the tokens of `sql` as "kind:text" joined by spaces (kind i/q/s/n/o/u).
std::string Tokens(std::string_view sql) {
  Result<std::vector<Token>> tokens = Tokenize(sql);
  if (!tokens.ok()) {
    return "error: " + tokens.status().message();
  }
  std::string out;
  for (const Token& token : *tokens) {
    if (token.kind == TokenKind::kEnd) {
      break;
    }
    static const char kKinds[] = {'i', 'q', 's', 'n', 'o', 'u'};
    out += out.empty() ? "" : " ";
    out += std::string(1, kKinds[static_cast<int>(token.kind)]) + ":";
    out += token.kind == TokenKind::kString || token.kind == TokenKind::kQuotedIdentifier
               ? token.value
               : std::string(token.text);
  }
  return out;
}

TEST(LexerTest, SplitsWordsNumbersAndOperators) {
  EXPECT_EQ(Tokens("SELECT a,b FROM t WHERE x>=1.5"),
            "i:SELECT i:a o:, i:b i:FROM i:t i:WHERE i:x o:>= n:1.5");
  EXPECT_EQ(Tokens("a<=>b<>c!=d||e::int->f=>g"),
            "i:a o:<=> i:b o:<> i:c o:!= i:d o:|| i:e o::: i:int o:-> i:f o:=> i:g");
  EXPECT_EQ(Tokens("1a 1L 1e3 1e-3 1.5BD .5 1e"), "i:1a n:1L n:1e3 n:1e-3 n:1.5BD n:.5 i:1e");
  EXPECT_EQ(Tokens("t@v5 $"), "i:t o:@ i:v5 u:$");
}

TEST(LexerTest, NumberKinds) {
  Result<std::vector<Token>> tokens = Tokenize("1 1L 1.5 1.5BD 1e3 2D 2F");
  ASSERT_TRUE(tokens.ok());
  const LiteralKind expected[] = {
      LiteralKind::kInteger, LiteralKind::kInteger, LiteralKind::kDecimal, LiteralKind::kDecimal,
      LiteralKind::kDouble,  LiteralKind::kDouble,  LiteralKind::kDouble};
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ((*tokens)[i].number_kind, expected[i]) << (*tokens)[i].text;
  }
}

TEST(LexerTest, StringsAndQuotedIdentifiers) {
  EXPECT_EQ(Tokens(R"('a\'b' "c\"d" `e``f` r'\n')"), "s:a'b s:c\"d q:e`f s:\\n");
  EXPECT_EQ(Tokens(R"('\0\Z\_')"), std::string("s:") + std::string(1, '\0') + "\x1A\\_");
}

TEST(LexerTest, SkipsComments) {
  EXPECT_EQ(Tokens("a -- comment\n/* x /* nested */ y */ b /*+ hint */ c"), "i:a i:b i:c");
}

TEST(LexerTest, PositionsCountCharactersAndLines) {
  Result<std::vector<Token>> tokens = Tokenize("'ü' x\n  y");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ((*tokens)[1].position.line, 1);
  EXPECT_EQ((*tokens)[1].position.column, 5);
  EXPECT_EQ((*tokens)[1].position.offset, 5);
  EXPECT_EQ((*tokens)[2].position.line, 2);
  EXPECT_EQ((*tokens)[2].position.column, 3);
  EXPECT_EQ((*tokens)[3].kind, TokenKind::kEnd);
  EXPECT_EQ((*tokens)[3].position.column, 4);
}

TEST(LexerTest, UnclosedQuotesAndComments) {
  EXPECT_EQ(Tokens("'abc"),
            "error: [PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 "
            "(line 1, pos 4)");
  EXPECT_EQ(Tokens("`abc"),
            "error: [PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 "
            "(line 1, pos 4)");
  EXPECT_EQ(Tokens("a /* b"),
            "error: [UNCLOSED_BRACKETED_COMMENT] Found an unclosed bracketed comment. Please, "
            "append */ at the end of the comment. SQLSTATE: 42601 (line 1, pos 2)");
}

TEST(LexerTest, SplitStatementsAtTopLevelSemicolons) {
  std::string rest;
  std::vector<std::string> statements =
      SplitStatements("SELECT ';'; -- a; b\nSELECT \"x;\" /* ; */;  ;SELECT `a;b`", &rest);
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0], "SELECT ';'");
  EXPECT_EQ(statements[1], "-- a; b\nSELECT \"x;\" /* ; */");
  EXPECT_EQ(rest, "SELECT `a;b`");
  statements = SplitStatements("SELECT 'it\\'s;'; SELECT 1;\n", &rest);
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0], "SELECT 'it\\'s;'");
  EXPECT_EQ(statements[1], "SELECT 1");
  EXPECT_EQ(rest, "\n");
  statements = SplitStatements("SELECT 'open; still", &rest);
  EXPECT_TRUE(statements.empty());
  EXPECT_EQ(rest, "SELECT 'open; still");
  statements = SplitStatements("SELECT 1 /* open; ", &rest);
  EXPECT_TRUE(statements.empty());
  EXPECT_EQ(rest, "SELECT 1 /* open; ");
}

}  // namespace
}  // namespace sluice::sql
