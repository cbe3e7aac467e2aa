// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "sql/ast.h"
#include "sql/lexer.h"

/// The recursive-descent parser behind parser.h, split over parser_expr.cc,
/// parser_query.cc, parser_statement.cc and parser_literal.cc.
namespace sluice::sql::internal {

/// How deep expressions and queries may nest before the parser gives up cleanly.
inline constexpr int kMaxNestingDepth = 1000;
/// How many binary operators may be open in chains (a + b + c ..., a OR b OR ...) at once,
/// which bounds the height of the tree those chains build (left-deep).
inline constexpr int kMaxChainedOperators = 5000;

/// Parses one token stream; every Parse* method starts at the current token and leaves
/// the position just past what it parsed.
class Parser {
 public:
  Parser(std::string_view sql, std::vector<Token> tokens) : sql_(sql), tokens_(std::move(tokens)) {}

  // --- Statements (parser_statement.cc) ---
  /// Parses one statement ending before `;` or the end of input.
  Result<StatementPtr> ParseStatement();

  // --- Queries (parser_query.cc) ---
  Result<QueryPtr> ParseQuery();

  // --- Expressions (parser_expr.cc) ---
  Result<ParsedExprPtr> ParseExpr();

  // --- Token access ---
  const Token& Peek(size_t ahead = 0) const {
    const size_t index = pos_ + ahead;
    return index < tokens_.size() ? tokens_[index] : tokens_.back();
  }
  const Token& Next() {
    const Token& token = Peek();
    if (pos_ + 1 < tokens_.size()) {
      ++pos_;
    }
    return token;
  }
  bool AtEnd() const { return Peek().kind == TokenKind::kEnd; }
  bool PeekKeyword(std::string_view keyword, size_t ahead = 0) const {
    return IsKeyword(Peek(ahead), keyword);
  }
  bool PeekOp(std::string_view op, size_t ahead = 0) const {
    const Token& token = Peek(ahead);
    return token.kind == TokenKind::kOperator && token.text == op;
  }
  bool AcceptKeyword(std::string_view keyword);
  bool AcceptOp(std::string_view op);
  Status ExpectKeyword(std::string_view keyword);
  Status ExpectOp(std::string_view op);
  /// The syntax error at the current token.
  Status Error() const { return SyntaxErrorAt(Peek()); }
  size_t position_index() const { return pos_; }
  const Token& previous() const { return tokens_[pos_ == 0 ? 0 : pos_ - 1]; }
  std::string_view sql() const { return sql_; }

  // --- Identifiers ---
  /// True when the current token can be an identifier (a word or a quoted name).
  bool PeekIdentifier(size_t ahead = 0) const {
    const TokenKind kind = Peek(ahead).kind;
    return kind == TokenKind::kIdentifier || kind == TokenKind::kQuotedIdentifier;
  }
  /// Parses any identifier (keywords allowed), returning its name without quotes.
  Result<std::string> ParseIdentifier();
  /// Parses `a.b.c`.
  Result<QualifiedName> ParseQualifiedName();
  /// Parses `(a, b, ...)`.
  Result<std::vector<std::string>> ParseIdentifierList();
  /// True when the token is a word that cannot start an implicit alias or be a bare
  /// column name (FROM, WHERE, JOIN, ...).
  static bool IsReservedWord(const Token& token);
  /// True when the current token is a name that can be an alias without AS.
  bool PeekImplicitAlias() const;
  /// Parses an optional alias: `AS name` or a bare non-reserved name.
  Result<std::string> ParseOptionalAlias();
  /// Parses a string literal (adjacent literals concatenate).
  Result<std::string> ParseStringLiteral();

  // --- Expressions (parser_expr.cc) ---
  Result<ParsedExprPtr> ParseOr();
  Result<ParsedExprPtr> ParseAnd();
  Result<ParsedExprPtr> ParseNot();
  Result<ParsedExprPtr> ParsePredicate();
  /// Parses comparison and arithmetic operators of at least `min_precedence`.
  Result<ParsedExprPtr> ParseBinary(int min_precedence);
  Result<ParsedExprPtr> ParseUnary();
  Result<ParsedExprPtr> ParsePostfix();
  /// Applies postfix operators (:: [] . .*) to `expr`.
  Result<ParsedExprPtr> ParsePostfixOps(ParsedExprPtr expr);
  Result<ParsedExprPtr> ParsePrimary();
  Result<ParsedExprPtr> ParseParenthesized();
  Result<ParsedExprPtr> ParseWordPrimary();
  Result<ParsedExprPtr> ParseLiteral();
  Result<ParsedExprPtr> ParseFunctionCall(QualifiedName name, SourcePosition position);
  /// Parses the arguments of `call`; struct(a AS x, ...) becomes named_struct('x', a, ...).
  Status ParseFunctionArguments(ParsedExpr* call);
  Result<ParsedExprPtr> ParseCast(bool try_cast);
  Result<ParsedExprPtr> ParseCase();
  Result<ParsedExprPtr> ParseExtract();
  /// SUBSTRING(s FROM p FOR n), TRIM(BOTH c FROM s), POSITION(a IN b) and their plain
  /// call forms.
  Result<ParsedExprPtr> ParseSqlStandardCall();
  Result<ParsedExprPtr> ParseTypedLiteral();
  Result<ParsedExprPtr> ParseLambda();
  bool PeekLambda() const;
  Result<std::vector<ParsedExprPtr>> ParseExprList();
  Result<std::string> ParseTypeText();
  Result<std::unique_ptr<WindowSpec>> ParseWindowSpec();
  Result<WindowSpec> ParseWindowSpecBody();
  Result<FrameBound> ParseFrameBound();
  Result<OrderItem> ParseOrderItem();
  Result<std::vector<OrderItem>> ParseOrderItems();
  /// True when the token after `(` starts a query: SELECT, WITH, VALUES, FROM, TABLE.
  bool PeekQueryStart(size_t ahead = 0) const;

  // --- Intervals (parser_literal.cc) ---
  Result<ParsedExprPtr> ParseInterval();

  // --- Queries (parser_query.cc) ---
  /// Parses the CTE list after WITH.
  Result<std::vector<CommonTableExpr>> ParseCommonTableExprs();
  Result<QueryPtr> ParseQueryAfterCtes(std::vector<CommonTableExpr> ctes, SourcePosition position);
  /// GROUP BY items, GROUPING SETS (...) and WITH ROLLUP / CUBE.
  Status ParseGroupBy(SelectCore* core);
  Result<QueryBodyPtr> ParseSetOperations(int min_precedence);
  Result<QueryBodyPtr> ParseQueryPrimary();
  Result<std::unique_ptr<SelectCore>> ParseSelectCore();
  Result<SelectItem> ParseSelectItem();
  Result<std::vector<std::vector<ParsedExprPtr>>> ParseValuesRows();
  Result<TableRefPtr> ParseFromClause();
  Result<TableRefPtr> ParseRelation();
  Result<TableRefPtr> ParseRelationPrimary();
  Result<TableRefPtr> ParseTableName();
  /// A table name, format.`path` or table function call (no time travel, no alias).
  Result<TableRefPtr> ParseTableNameOrFunction();
  /// True at `STREAM(` or `STREAM name`; false where `stream` is a plain name.
  bool PeekStreamRelation() const;
  /// STREAM(x) or STREAM x, x a table name, format.`path` or table function; an alias
  /// may follow.
  Result<TableRefPtr> ParseStreamRelation();
  Status ParseTimeTravel(TableRef* table);
  Status ParseTableAlias(TableRef* table);
  Result<TableRefPtr> ParseTableFunction(QualifiedName name, SourcePosition position);
  bool PeekJoin() const;
  Status ParseQueryTail(QueryNode* query);

  // --- Statements (parser_statement.cc) ---
  Result<StatementPtr> ParseCreate(StatementPtr statement);
  /// After CREATE [OR REFRESH]: STREAMING TABLE ... AS query.
  Result<StatementPtr> ParseCreateStreamingTable(StatementPtr statement);
  Status ParseCreateTableClauses(Statement* statement);
  Result<StatementPtr> ParseInsert(StatementPtr statement);
  /// WITH ctes followed by a query or by INSERT (whose query gets the CTEs).
  Result<StatementPtr> ParseWithStatement(StatementPtr statement);
  Result<StatementPtr> ParseDrop(StatementPtr statement);
  Result<StatementPtr> ParseAlter(StatementPtr statement);
  Result<StatementPtr> ParseShow(StatementPtr statement);
  Result<StatementPtr> ParseDescribe(StatementPtr statement);
  Result<StatementPtr> ParseExplain(StatementPtr statement);
  Result<StatementPtr> ParseSet(StatementPtr statement);
  Result<StatementPtr> ParseReset(StatementPtr statement);
  Result<std::vector<ColumnDefinition>> ParseColumnDefinitions();
  Result<ColumnDefinition> ParseColumnDefinition();
  Result<std::vector<std::pair<std::string, std::string>>> ParseProperties();
  Result<std::string> ParsePropertyKey();
  Result<std::string> ParsePropertyValue();
  /// Raw text from the current token to the end of the statement; moves past it.
  std::string TakeRestOfStatement();

  /// Counts one level of nesting; an error when kMaxNestingDepth is passed.
  Status Enter();
  void Leave() { --depth_; }
  /// Counts one more operator of a chain; an error past kMaxChainedOperators.
  Status AddChainedOperator();
  void EndChain(int operators) { chained_operators_ -= operators; }

 private:
  std::string_view sql_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  int chained_operators_ = 0;
};

/// Counts the operators of one chain and releases them when the chain is parsed.
class ChainGuard {
 public:
  explicit ChainGuard(Parser* parser) : parser_(parser) {}
  ChainGuard(const ChainGuard&) = delete;
  ChainGuard& operator=(const ChainGuard&) = delete;
  ~ChainGuard() { parser_->EndChain(operators_); }
  Status Add() {
    SLUICE_RETURN_IF_ERROR(parser_->AddChainedOperator());
    ++operators_;
    return Status::Ok();
  }

 private:
  Parser* parser_;
  int operators_ = 0;
};

/// Increments the nesting depth for a scope; check `status()` after construction.
class DepthGuard {
 public:
  explicit DepthGuard(Parser* parser) : parser_(parser), status_(parser->Enter()) {}
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  ~DepthGuard() {
    if (status_.ok()) {
      parser_->Leave();
    }
  }
  const Status& status() const { return status_; }

 private:
  Parser* parser_;
  Status status_;
};

/// Makes an expression node of `kind` at `position`.
ParsedExprPtr MakeExpr(ExprKind kind, const SourcePosition& position);

/// Parses the text of an interval string literal ("1 day 2 hours", "-1-2" with units)
/// into `*value`; false when it is not valid. `from`/`to` are the unit-to-unit units
/// (upper-case, e.g. "DAY", "SECOND"), empty for the multi-unit form.
bool ParseIntervalString(std::string_view text, std::string_view from, std::string_view to,
                         IntervalValue* value);

}  // namespace sluice::sql::internal
