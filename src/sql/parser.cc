// SPDX-License-Identifier: Apache-2.0
#include "sql/parser.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ascii.h"
#include "sql/lexer.h"
#include "sql/parser_internal.h"

namespace sluice::sql {
namespace internal {

bool Parser::AcceptKeyword(std::string_view keyword) {
  if (PeekKeyword(keyword)) {
    Next();
    return true;
  }
  return false;
}

bool Parser::AcceptOp(std::string_view op) {
  if (PeekOp(op)) {
    Next();
    return true;
  }
  return false;
}

Status Parser::ExpectKeyword(std::string_view keyword) {
  return AcceptKeyword(keyword) ? Status::Ok() : Error();
}

Status Parser::ExpectOp(std::string_view op) {
  return AcceptOp(op) ? Status::Ok() : Error();
}

Status Parser::Enter() {
  if (depth_ >= kMaxNestingDepth) {
    return Status::ParseError("[PARSE_SYNTAX_ERROR] Syntax error at or near '" +
                              std::string(Peek().text) + "': the statement nests deeper than " +
                              std::to_string(kMaxNestingDepth) + " levels. SQLSTATE: 42601 " +
                              PositionSuffix(Peek().position));
  }
  ++depth_;
  return Status::Ok();
}

Status Parser::AddChainedOperator() {
  if (chained_operators_ >= kMaxChainedOperators) {
    return Status::ParseError("[PARSE_SYNTAX_ERROR] Syntax error at or near '" +
                              std::string(previous().text) + "': more chained operators than " +
                              std::to_string(kMaxChainedOperators) + ". SQLSTATE: 42601 " +
                              PositionSuffix(previous().position));
  }
  ++chained_operators_;
  return Status::Ok();
}

Result<std::string> Parser::ParseIdentifier() {
  const Token& token = Peek();
  if (token.kind == TokenKind::kIdentifier) {
    Next();
    return std::string(token.text);
  }
  if (token.kind == TokenKind::kQuotedIdentifier) {
    Next();
    return token.value;
  }
  return Error();
}

Result<QualifiedName> Parser::ParseQualifiedName() {
  QualifiedName name;
  SLUICE_ASSIGN_OR_RETURN(std::string first, ParseIdentifier());
  name.push_back(std::move(first));
  while (PeekOp(".") && PeekIdentifier(1)) {
    Next();
    SLUICE_ASSIGN_OR_RETURN(std::string part, ParseIdentifier());
    name.push_back(std::move(part));
  }
  return name;
}

Result<std::vector<std::string>> Parser::ParseIdentifierList() {
  SLUICE_RETURN_IF_ERROR(ExpectOp("("));
  std::vector<std::string> names;
  do {
    SLUICE_ASSIGN_OR_RETURN(std::string name, ParseIdentifier());
    names.push_back(std::move(name));
  } while (AcceptOp(","));
  SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
  return names;
}

bool Parser::IsReservedWord(const Token& token) {
  static constexpr std::string_view kReserved[] = {
      "ALL",       "AND",         "ANTI",       "AS",       "BETWEEN", "BY",     "CASE",
      "CLUSTER",   "CROSS",       "DISTRIBUTE", "DISTINCT", "ELSE",    "END",    "EXCEPT",
      "FROM",      "FULL",        "GROUP",      "HAVING",   "ILIKE",   "IN",     "INNER",
      "INTERSECT", "IS",          "JOIN",       "LATERAL",  "LEFT",    "LIKE",   "LIMIT",
      "MINUS",     "NATURAL",     "NOT",        "OFFSET",   "ON",      "OR",     "ORDER",
      "PIVOT",     "QUALIFY",     "REGEXP",     "RIGHT",    "RLIKE",   "SELECT", "SEMI",
      "SORT",      "TABLESAMPLE", "THEN",       "UNION",    "UNPIVOT", "USING",  "WHEN",
      "WHERE",     "WITH"};
  if (token.kind != TokenKind::kIdentifier) {
    return false;
  }
  for (std::string_view word : kReserved) {
    if (EqualsIgnoreCase(token.text, word)) {
      return true;
    }
  }
  return false;
}

bool Parser::PeekImplicitAlias() const {
  return PeekIdentifier() && !IsReservedWord(Peek()) && !PeekKeyword("WINDOW");
}

Result<std::string> Parser::ParseOptionalAlias() {
  if (AcceptKeyword("AS")) {
    return ParseIdentifier();
  }
  if (PeekImplicitAlias()) {
    return ParseIdentifier();
  }
  return std::string();
}

Result<std::string> Parser::ParseStringLiteral() {
  if (Peek().kind != TokenKind::kString) {
    return Error();
  }
  std::string value;
  while (Peek().kind == TokenKind::kString) {
    value += Next().value;
  }
  return value;
}

ParsedExprPtr MakeExpr(ExprKind kind, const SourcePosition& position) {
  auto expr = std::make_unique<ParsedExpr>();
  expr->kind = kind;
  expr->position = position;
  return expr;
}

}  // namespace internal

namespace {

Status EmptyStatementError(const SourcePosition& position) {
  return Status::ParseError(
      "[PARSE_EMPTY_STATEMENT] Syntax error, unexpected empty statement. SQLSTATE: 42617 " +
      PositionSuffix(position));
}

}  // namespace

Result<std::vector<StatementPtr>> ParseStatements(std::string_view sql) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql));
  internal::Parser parser(sql, std::move(tokens));
  std::vector<StatementPtr> statements;
  while (true) {
    while (parser.AcceptOp(";")) {
    }
    if (parser.AtEnd()) {
      return statements;
    }
    SLUICE_ASSIGN_OR_RETURN(StatementPtr statement, parser.ParseStatement());
    statements.push_back(std::move(statement));
    if (!parser.AtEnd() && !parser.PeekOp(";")) {
      return parser.Error();
    }
  }
}

Result<StatementPtr> ParseStatement(std::string_view sql) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql));
  internal::Parser parser(sql, std::move(tokens));
  if (parser.AtEnd() || parser.PeekOp(";")) {
    return EmptyStatementError(parser.Peek().position);
  }
  SLUICE_ASSIGN_OR_RETURN(StatementPtr statement, parser.ParseStatement());
  while (parser.AcceptOp(";")) {
  }
  if (!parser.AtEnd()) {
    return parser.Error();
  }
  return statement;
}

Result<ParsedExprPtr> ParseExpression(std::string_view sql) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql));
  internal::Parser parser(sql, std::move(tokens));
  SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr expr, parser.ParseExpr());
  if (!parser.AtEnd()) {
    return parser.Error();
  }
  return expr;
}

std::vector<std::string> SplitStatements(std::string_view sql, std::string* rest) {
  std::vector<std::string> statements;
  size_t start = 0;
  size_t i = 0;
  bool has_content = false;  // a token other than whitespace/comments since `start`
  const size_t n = sql.size();
  while (i < n) {
    const char c = sql[i];
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n') {
        ++i;
      }
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      int depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] == '/' && i + 1 < n && sql[i + 1] == '*') {
          ++depth;
          i += 2;
        } else if (sql[i] == '*' && i + 1 < n && sql[i + 1] == '/') {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      }
      if (depth > 0) {
        has_content = true;  // an unclosed comment keeps the statement incomplete
      }
    } else if (c == '\'' || c == '"' || c == '`') {
      const bool raw = c != '`' && i > 0 && (sql[i - 1] == 'r' || sql[i - 1] == 'R');
      has_content = true;
      ++i;
      while (i < n && sql[i] != c) {
        i += (sql[i] == '\\' && c != '`' && !raw) ? 2 : 1;
      }
      ++i;
    } else if (c == ';') {
      if (has_content) {
        std::string_view text = sql.substr(start, i - start);
        const size_t begin = text.find_first_not_of(" \t\r\n\f\v");
        const size_t end = text.find_last_not_of(" \t\r\n\f\v");
        statements.emplace_back(text.substr(begin, end - begin + 1));
      }
      ++i;
      start = i;
      has_content = false;
    } else {
      if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')) {
        has_content = true;
      }
      ++i;
    }
  }
  if (rest != nullptr) {
    *rest = std::string(sql.substr(start < n ? start : n));
  }
  return statements;
}

}  // namespace sluice::sql
