// SPDX-License-Identifier: Apache-2.0
// Expressions, with Spark's precedence: OR < AND < NOT < predicates (BETWEEN, IN, LIKE,
// IS) < comparison < | < ^ < & < + - || < * / % DIV < unary - + ~ < :: [] . (postfix).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ascii.h"
#include "sql/parser_internal.h"

namespace sluice::sql::internal {
namespace {

/// The binding power of a binary operator token, 0 when it is none.
int BinaryPrecedence(const Token& token) {
  if (token.kind == TokenKind::kIdentifier) {
    return EqualsIgnoreCase(token.text, "DIV") ? 6 : 0;
  }
  if (token.kind != TokenKind::kOperator) {
    return 0;
  }
  const std::string_view op = token.text;
  if (op == "=" || op == "==" || op == "<=>" || op == "!=" || op == "<>" || op == "<" ||
      op == "<=" || op == ">" || op == ">=") {
    return 1;
  }
  if (op == "|") {
    return 2;
  }
  if (op == "^") {
    return 3;
  }
  if (op == "&") {
    return 4;
  }
  if (op == "+" || op == "-" || op == "||") {
    return 5;
  }
  if (op == "*" || op == "/" || op == "%") {
    return 6;
  }
  return 0;
}

ParsedExprPtr MakeBinary(std::string op, ParsedExprPtr left, ParsedExprPtr right) {
  ParsedExprPtr expr = MakeExpr(ExprKind::kBinary, left->position);
  expr->text = std::move(op);
  expr->children.push_back(std::move(left));
  expr->children.push_back(std::move(right));
  return expr;
}

bool IsNot(const Token& token) {
  return IsKeyword(token, "NOT") || (token.kind == TokenKind::kOperator && token.text == "!");
}

}  // namespace

Result<ParsedExprPtr> Parser::ParseExpr() {
  DepthGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.status());
  return ParseOr();
}

Result<ParsedExprPtr> Parser::ParseOr() {
  SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr left, ParseAnd());
  ChainGuard chain(this);
  while (AcceptKeyword("OR")) {
    SLUICE_RETURN_IF_ERROR(chain.Add());
    SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr right, ParseAnd());
    left = MakeBinary("OR", std::move(left), std::move(right));
  }
  return left;
}

Result<ParsedExprPtr> Parser::ParseAnd() {
  SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr left, ParseNot());
  ChainGuard chain(this);
  while (AcceptKeyword("AND")) {
    SLUICE_RETURN_IF_ERROR(chain.Add());
    SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr right, ParseNot());
    left = MakeBinary("AND", std::move(left), std::move(right));
  }
  return left;
}

Result<ParsedExprPtr> Parser::ParseNot() {
  if (!IsNot(Peek())) {
    return ParsePredicate();
  }
  DepthGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.status());
  const SourcePosition position = Next().position;
  SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr operand, ParseNot());
  if (operand->kind == ExprKind::kExists) {
    operand->negated = !operand->negated;
    operand->position = position;
    return operand;
  }
  ParsedExprPtr expr = MakeExpr(ExprKind::kUnary, position);
  expr->text = "NOT";
  expr->children.push_back(std::move(operand));
  return expr;
}

Result<ParsedExprPtr> Parser::ParsePredicate() {
  SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr left, ParseBinary(1));
  const SourcePosition position = left->position;
  bool negated = false;
  if (PeekKeyword("NOT") &&
      (PeekKeyword("BETWEEN", 1) || PeekKeyword("IN", 1) || PeekKeyword("LIKE", 1) ||
       PeekKeyword("ILIKE", 1) || PeekKeyword("RLIKE", 1) || PeekKeyword("REGEXP", 1))) {
    Next();
    negated = true;
  }
  if (AcceptKeyword("BETWEEN")) {
    ParsedExprPtr expr = MakeExpr(ExprKind::kBetween, position);
    expr->negated = negated;
    expr->children.push_back(std::move(left));
    SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr low, ParseBinary(1));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("AND"));
    SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr high, ParseBinary(1));
    expr->children.push_back(std::move(low));
    expr->children.push_back(std::move(high));
    return expr;
  }
  if (AcceptKeyword("IN")) {
    SLUICE_RETURN_IF_ERROR(ExpectOp("("));
    ParsedExprPtr expr;
    if (PeekQueryStart()) {
      expr = MakeExpr(ExprKind::kInSubquery, position);
      SLUICE_ASSIGN_OR_RETURN(expr->subquery, ParseQuery());
      expr->children.push_back(std::move(left));
    } else {
      expr = MakeExpr(ExprKind::kIn, position);
      expr->children.push_back(std::move(left));
      SLUICE_ASSIGN_OR_RETURN(std::vector<ParsedExprPtr> list, ParseExprList());
      for (ParsedExprPtr& item : list) {
        expr->children.push_back(std::move(item));
      }
    }
    SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
    expr->negated = negated;
    return expr;
  }
  for (std::string_view op : {"LIKE", "ILIKE", "RLIKE", "REGEXP"}) {
    if (AcceptKeyword(op)) {
      ParsedExprPtr expr = MakeExpr(ExprKind::kLike, position);
      expr->text = op == "REGEXP" ? "RLIKE" : std::string(op);
      expr->negated = negated;
      expr->children.push_back(std::move(left));
      SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr pattern, ParseBinary(1));
      expr->children.push_back(std::move(pattern));
      if (AcceptKeyword("ESCAPE")) {
        const SourcePosition escape_position = Peek().position;
        SLUICE_ASSIGN_OR_RETURN(std::string escape, ParseStringLiteral());
        expr->escape = MakeExpr(ExprKind::kLiteral, escape_position);
        expr->escape->literal_kind = LiteralKind::kString;
        expr->escape->text = std::move(escape);
      }
      return expr;
    }
  }
  if (!AcceptKeyword("IS")) {
    return left;
  }
  const bool is_not = AcceptKeyword("NOT");
  ParsedExprPtr expr;
  if (AcceptKeyword("NULL") || AcceptKeyword("UNKNOWN")) {
    expr = MakeExpr(ExprKind::kIsNull, position);
  } else if (PeekKeyword("TRUE") || PeekKeyword("FALSE")) {
    expr = MakeExpr(ExprKind::kIsBoolean, position);
    expr->text = ToLowerAscii(Next().text) == "true" ? "TRUE" : "FALSE";
  } else if (AcceptKeyword("DISTINCT")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("FROM"));
    expr = MakeExpr(ExprKind::kIsDistinctFrom, position);
    SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr right, ParseBinary(1));
    expr->children.push_back(std::move(left));
    expr->children.push_back(std::move(right));
    expr->negated = is_not;
    return expr;
  } else {
    return Error();
  }
  expr->children.push_back(std::move(left));
  expr->negated = is_not;
  return expr;
}

Result<ParsedExprPtr> Parser::ParseBinary(int min_precedence) {
  SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr left, ParseUnary());
  ChainGuard chain(this);
  while (true) {
    const int precedence = BinaryPrecedence(Peek());
    if (precedence == 0 || precedence < min_precedence) {
      return left;
    }
    const Token& op = Next();
    SLUICE_RETURN_IF_ERROR(chain.Add());
    std::string op_text = op.kind == TokenKind::kIdentifier ? "DIV" : std::string(op.text);
    DepthGuard guard(this);
    SLUICE_RETURN_IF_ERROR(guard.status());
    SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr right, ParseBinary(precedence + 1));
    left = MakeBinary(std::move(op_text), std::move(left), std::move(right));
  }
}

Result<ParsedExprPtr> Parser::ParseUnary() {
  if (!(PeekOp("-") || PeekOp("+") || PeekOp("~"))) {
    return ParsePostfix();
  }
  DepthGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.status());
  const Token& op = Next();
  if (op.text == "-" && Peek().kind == TokenKind::kNumber) {
    // Spark's grammar takes the sign into a numeric literal: -1 is a literal.
    const Token& number = Next();
    ParsedExprPtr literal = MakeExpr(ExprKind::kLiteral, op.position);
    literal->literal_kind = number.number_kind;
    literal->text = "-" + std::string(number.text);
    return ParsePostfixOps(std::move(literal));
  }
  ParsedExprPtr expr = MakeExpr(ExprKind::kUnary, op.position);
  expr->text = std::string(op.text);
  SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr operand, ParseUnary());
  expr->children.push_back(std::move(operand));
  return expr;
}

Result<ParsedExprPtr> Parser::ParsePostfix() {
  SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr expr, ParsePrimary());
  return ParsePostfixOps(std::move(expr));
}

Result<ParsedExprPtr> Parser::ParsePostfixOps(ParsedExprPtr expr) {
  while (true) {
    if (PeekOp("::")) {
      Next();
      ParsedExprPtr cast = MakeExpr(ExprKind::kCast, expr->position);
      SLUICE_ASSIGN_OR_RETURN(cast->text, ParseTypeText());
      cast->children.push_back(std::move(expr));
      expr = std::move(cast);
    } else if (PeekOp("[")) {
      Next();
      ParsedExprPtr subscript = MakeExpr(ExprKind::kSubscript, expr->position);
      SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr index, ParseExpr());
      SLUICE_RETURN_IF_ERROR(ExpectOp("]"));
      subscript->children.push_back(std::move(expr));
      subscript->children.push_back(std::move(index));
      expr = std::move(subscript);
    } else if (PeekOp(".") && PeekOp("*", 1) && expr->kind == ExprKind::kColumnRef) {
      Next();
      Next();
      expr->kind = ExprKind::kStar;
    } else if (PeekOp(".") && PeekIdentifier(1)) {
      Next();
      SLUICE_ASSIGN_OR_RETURN(std::string field, ParseIdentifier());
      if (expr->kind == ExprKind::kColumnRef) {
        expr->name.push_back(std::move(field));
      } else {
        ParsedExprPtr access = MakeExpr(ExprKind::kFieldAccess, expr->position);
        access->text = std::move(field);
        access->children.push_back(std::move(expr));
        expr = std::move(access);
      }
    } else {
      return expr;
    }
  }
}

bool Parser::PeekQueryStart(size_t ahead) const {
  return PeekKeyword("SELECT", ahead) || PeekKeyword("WITH", ahead) ||
         PeekKeyword("VALUES", ahead) || PeekKeyword("FROM", ahead) || PeekKeyword("TABLE", ahead);
}

bool Parser::PeekLambda() const {
  if (PeekIdentifier() && PeekOp("->", 1)) {
    return true;
  }
  if (!PeekOp("(")) {
    return false;
  }
  size_t ahead = 1;
  while (PeekIdentifier(ahead)) {
    if (PeekOp(")", ahead + 1)) {
      return PeekOp("->", ahead + 2);
    }
    if (!PeekOp(",", ahead + 1)) {
      return false;
    }
    ahead += 2;
  }
  return false;
}

Result<ParsedExprPtr> Parser::ParseLambda() {
  ParsedExprPtr lambda = MakeExpr(ExprKind::kLambda, Peek().position);
  if (PeekOp("(")) {
    SLUICE_ASSIGN_OR_RETURN(lambda->lambda_params, ParseIdentifierList());
  } else {
    SLUICE_ASSIGN_OR_RETURN(std::string param, ParseIdentifier());
    lambda->lambda_params.push_back(std::move(param));
  }
  SLUICE_RETURN_IF_ERROR(ExpectOp("->"));
  SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr body, ParseExpr());
  lambda->children.push_back(std::move(body));
  return lambda;
}

Result<ParsedExprPtr> Parser::ParsePrimary() {
  const Token& token = Peek();
  if (PeekLambda()) {
    return ParseLambda();
  }
  switch (token.kind) {
    case TokenKind::kNumber:
    case TokenKind::kString:
      return ParseLiteral();
    case TokenKind::kIdentifier:
    case TokenKind::kQuotedIdentifier:
      return ParseWordPrimary();
    case TokenKind::kOperator:
      if (token.text == "(") {
        return ParseParenthesized();
      }
      if (token.text == "*") {
        Next();
        return MakeExpr(ExprKind::kStar, token.position);
      }
      return Error();
    case TokenKind::kUnknown:
    case TokenKind::kEnd:
      return Error();
  }
  return Error();
}

Result<ParsedExprPtr> Parser::ParseParenthesized() {
  DepthGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.status());
  const SourcePosition position = Next().position;  // (
  if (PeekQueryStart()) {
    ParsedExprPtr expr = MakeExpr(ExprKind::kScalarSubquery, position);
    SLUICE_ASSIGN_OR_RETURN(expr->subquery, ParseQuery());
    SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
    return expr;
  }
  SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr first, ParseExpr());
  if (AcceptOp(")")) {
    return first;
  }
  // (a, b, ...) is a struct, as in Spark's rowConstructor.
  ParsedExprPtr row = MakeExpr(ExprKind::kFunction, position);
  row->text = "struct";
  row->name = {"struct"};
  row->children.push_back(std::move(first));
  while (AcceptOp(",")) {
    SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr item, ParseExpr());
    row->children.push_back(std::move(item));
  }
  SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
  return row;
}

Result<ParsedExprPtr> Parser::ParseWordPrimary() {
  const Token& token = Peek();
  const SourcePosition position = token.position;
  if (token.kind == TokenKind::kIdentifier) {
    const bool call = PeekOp("(", 1);
    if (IsKeyword(token, "NULL") || IsKeyword(token, "TRUE") || IsKeyword(token, "FALSE")) {
      return ParseLiteral();
    }
    if (IsKeyword(token, "CASE")) {
      return ParseCase();
    }
    if (call && (IsKeyword(token, "CAST") || IsKeyword(token, "TRY_CAST"))) {
      return ParseCast(IsKeyword(token, "TRY_CAST"));
    }
    if (call && IsKeyword(token, "EXISTS")) {
      Next();
      Next();
      ParsedExprPtr expr = MakeExpr(ExprKind::kExists, position);
      SLUICE_ASSIGN_OR_RETURN(expr->subquery, ParseQuery());
      SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
      return expr;
    }
    if (call && IsKeyword(token, "EXTRACT")) {
      return ParseExtract();
    }
    if (call && (IsKeyword(token, "SUBSTRING") || IsKeyword(token, "SUBSTR") ||
                 IsKeyword(token, "TRIM") || IsKeyword(token, "POSITION"))) {
      return ParseSqlStandardCall();
    }
    const TokenKind after_sign = Peek(2).kind;
    if (IsKeyword(token, "INTERVAL") &&
        (Peek(1).kind == TokenKind::kNumber || Peek(1).kind == TokenKind::kString ||
         ((PeekOp("-", 1) || PeekOp("+", 1)) &&
          (after_sign == TokenKind::kNumber || after_sign == TokenKind::kString)))) {
      return ParseInterval();
    }
    if (Peek(1).kind == TokenKind::kString &&
        (IsKeyword(token, "DATE") || IsKeyword(token, "TIMESTAMP") ||
         IsKeyword(token, "TIMESTAMP_NTZ") || IsKeyword(token, "TIMESTAMP_LTZ") ||
         IsKeyword(token, "X"))) {
      return ParseTypedLiteral();
    }
    if (!call && (IsKeyword(token, "CURRENT_DATE") || IsKeyword(token, "CURRENT_TIMESTAMP") ||
                  IsKeyword(token, "CURRENT_USER"))) {
      Next();
      ParsedExprPtr expr = MakeExpr(ExprKind::kFunction, position);
      expr->text = ToLowerAscii(token.text);
      expr->name = {std::string(token.text)};
      return expr;
    }
    // OFFSET only ends a query after LIMIT; as an expression it is a column (Kafka's
    // `offset`), as in Spark without spark.sql.ansi.enforceReservedKeywords.
    if (IsReservedWord(token) && !IsKeyword(token, "OFFSET") &&
        !(call &&
          (IsKeyword(token, "LEFT") || IsKeyword(token, "RIGHT") || IsKeyword(token, "LIKE") ||
           IsKeyword(token, "ILIKE") || IsKeyword(token, "RLIKE") || IsKeyword(token, "REGEXP")))) {
      return Error();
    }
  }
  SLUICE_ASSIGN_OR_RETURN(QualifiedName name, ParseQualifiedName());
  if (PeekOp("(")) {
    return ParseFunctionCall(std::move(name), position);
  }
  ParsedExprPtr expr = MakeExpr(ExprKind::kColumnRef, position);
  expr->name = std::move(name);
  return expr;
}

Result<std::vector<ParsedExprPtr>> Parser::ParseExprList() {
  std::vector<ParsedExprPtr> list;
  do {
    SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr item, ParseExpr());
    list.push_back(std::move(item));
  } while (AcceptOp(","));
  return list;
}

Result<ParsedExprPtr> Parser::ParseFunctionCall(QualifiedName name, SourcePosition position) {
  DepthGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.status());
  ParsedExprPtr expr = MakeExpr(ExprKind::kFunction, position);
  std::string joined;
  for (const std::string& part : name) {
    joined += (joined.empty() ? "" : ".") + ToLowerAscii(part);
  }
  expr->text = std::move(joined);
  expr->name = std::move(name);
  SLUICE_RETURN_IF_ERROR(ExpectOp("("));
  if (PeekOp("*") && PeekOp(")", 1)) {
    Next();
    expr->star_argument = true;
  } else if (!PeekOp(")")) {
    if (AcceptKeyword("DISTINCT")) {
      expr->distinct = true;
    } else if (PeekKeyword("ALL") && !PeekOp(")", 1) && !PeekOp(",", 1)) {
      Next();
    }
    SLUICE_RETURN_IF_ERROR(ParseFunctionArguments(expr.get()));
    if (PeekKeyword("IGNORE") || PeekKeyword("RESPECT")) {
      expr->ignore_nulls = IsKeyword(Next(), "IGNORE");
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("NULLS"));
    }
  }
  SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
  if (PeekKeyword("FILTER") && PeekOp("(", 1)) {
    Next();
    Next();
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("WHERE"));
    SLUICE_ASSIGN_OR_RETURN(expr->filter, ParseExpr());
    SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
  }
  if ((PeekKeyword("IGNORE") || PeekKeyword("RESPECT")) && PeekKeyword("NULLS", 1)) {
    expr->ignore_nulls = IsKeyword(Next(), "IGNORE");
    Next();
  }
  if (AcceptKeyword("OVER")) {
    SLUICE_ASSIGN_OR_RETURN(expr->window, ParseWindowSpec());
  }
  return expr;
}

Status Parser::ParseFunctionArguments(ParsedExpr* call) {
  std::vector<std::string> aliases;
  bool any_alias = false;
  do {
    SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr arg, ParseExpr());
    std::string alias;
    if (call->text == "struct" && AcceptKeyword("AS")) {
      SLUICE_ASSIGN_OR_RETURN(alias, ParseIdentifier());
      any_alias = true;
    } else if (arg->kind == ExprKind::kColumnRef) {
      alias = arg->name.back();
    } else {
      alias = "col" + std::to_string(call->children.size() + 1);
    }
    aliases.push_back(std::move(alias));
    call->children.push_back(std::move(arg));
  } while (AcceptOp(","));
  if (!any_alias) {
    return Status::Ok();
  }
  // struct(a AS x, b) is named_struct('x', a, 'b', b), as Spark's CreateStruct names fields.
  std::vector<ParsedExprPtr> args = std::move(call->children);
  call->children.clear();
  call->text = "named_struct";
  call->name = {"named_struct"};
  for (size_t i = 0; i < args.size(); ++i) {
    ParsedExprPtr name = MakeExpr(ExprKind::kLiteral, args[i]->position);
    name->literal_kind = LiteralKind::kString;
    name->text = std::move(aliases[i]);
    call->children.push_back(std::move(name));
    call->children.push_back(std::move(args[i]));
  }
  return Status::Ok();
}

Result<ParsedExprPtr> Parser::ParseCast(bool try_cast) {
  ParsedExprPtr expr = MakeExpr(ExprKind::kCast, Next().position);
  expr->try_cast = try_cast;
  SLUICE_RETURN_IF_ERROR(ExpectOp("("));
  SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr operand, ParseExpr());
  expr->children.push_back(std::move(operand));
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
  SLUICE_ASSIGN_OR_RETURN(expr->text, ParseTypeText());
  SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
  return expr;
}

Result<std::string> Parser::ParseTypeText() {
  if (Peek().kind != TokenKind::kIdentifier) {
    return Error();
  }
  const int start = Peek().position.offset;
  const Token& name = Next();
  if (IsKeyword(name, "INTERVAL")) {
    static constexpr std::string_view kUnits[] = {"YEAR", "MONTH",  "DAY",
                                                  "HOUR", "MINUTE", "SECOND"};
    auto accept_unit = [&] {
      for (std::string_view unit : kUnits) {
        if (AcceptKeyword(unit)) {
          return true;
        }
      }
      return false;
    };
    if (accept_unit() && AcceptKeyword("TO") && !accept_unit()) {
      return Error();
    }
  }
  for (const auto& [open, close] : {std::pair<std::string_view, std::string_view>{"(", ")"},
                                    std::pair<std::string_view, std::string_view>{"<", ">"}}) {
    if (!PeekOp(open)) {
      continue;
    }
    int depth = 0;
    do {
      if (AtEnd() || PeekOp(";")) {
        return Error();
      }
      const Token& token = Next();
      if (token.kind == TokenKind::kOperator && token.text == open) {
        ++depth;
      } else if (token.kind == TokenKind::kOperator && token.text == close) {
        --depth;
      }
    } while (depth > 0);
    break;
  }
  return std::string(
      sql().substr(static_cast<size_t>(start), static_cast<size_t>(previous().end_offset - start)));
}

Result<ParsedExprPtr> Parser::ParseCase() {
  DepthGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.status());
  ParsedExprPtr expr = MakeExpr(ExprKind::kCase, Next().position);
  if (!PeekKeyword("WHEN")) {
    SLUICE_ASSIGN_OR_RETURN(expr->case_operand, ParseExpr());
  }
  if (!PeekKeyword("WHEN")) {
    return Error();
  }
  while (AcceptKeyword("WHEN")) {
    SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr when, ParseExpr());
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("THEN"));
    SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr then, ParseExpr());
    expr->children.push_back(std::move(when));
    expr->children.push_back(std::move(then));
  }
  if (AcceptKeyword("ELSE")) {
    SLUICE_ASSIGN_OR_RETURN(expr->else_expr, ParseExpr());
  }
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("END"));
  return expr;
}

Result<ParsedExprPtr> Parser::ParseExtract() {
  ParsedExprPtr expr = MakeExpr(ExprKind::kFunction, Peek().position);
  expr->name = {std::string(Next().text)};
  expr->text = "extract";
  SLUICE_RETURN_IF_ERROR(ExpectOp("("));
  ParsedExprPtr field = MakeExpr(ExprKind::kLiteral, Peek().position);
  field->literal_kind = LiteralKind::kString;
  if (Peek().kind == TokenKind::kString) {
    SLUICE_ASSIGN_OR_RETURN(field->text, ParseStringLiteral());
  } else {
    SLUICE_ASSIGN_OR_RETURN(field->text, ParseIdentifier());
  }
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("FROM"));
  SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr source, ParseExpr());
  SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
  expr->children.push_back(std::move(field));
  expr->children.push_back(std::move(source));
  return expr;
}

Result<ParsedExprPtr> Parser::ParseSqlStandardCall() {
  DepthGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.status());
  const Token& name = Next();
  ParsedExprPtr expr = MakeExpr(ExprKind::kFunction, name.position);
  expr->text = ToLowerAscii(name.text);
  expr->name = {std::string(name.text)};
  SLUICE_RETURN_IF_ERROR(ExpectOp("("));
  if (expr->text == "trim" && (PeekKeyword("BOTH") || PeekKeyword("LEADING") ||
                               PeekKeyword("TRAILING") || PeekKeyword("FROM"))) {
    // TRIM([BOTH | LEADING | TRAILING] [chars] FROM str): btrim / ltrim / rtrim (str, chars).
    if (PeekKeyword("LEADING") || PeekKeyword("TRAILING")) {
      expr->text = IsKeyword(Next(), "LEADING") ? "ltrim" : "rtrim";
    } else {
      AcceptKeyword("BOTH");
      expr->text = "btrim";
    }
    ParsedExprPtr chars;
    if (!PeekKeyword("FROM")) {
      SLUICE_ASSIGN_OR_RETURN(chars, ParseExpr());
    }
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("FROM"));
    SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr source, ParseExpr());
    expr->children.push_back(std::move(source));
    if (chars != nullptr) {
      expr->children.push_back(std::move(chars));
    } else if (expr->text == "btrim") {
      expr->text = "trim";
    }
    SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
    return expr;
  }
  if (PeekOp(")")) {
    Next();
    return expr;
  }
  ParsedExprPtr first;
  if (expr->text == "position") {
    SLUICE_ASSIGN_OR_RETURN(first, ParseBinary(1));
  } else {
    SLUICE_ASSIGN_OR_RETURN(first, ParseExpr());
  }
  expr->children.push_back(std::move(first));
  if (expr->text == "trim" && AcceptKeyword("FROM")) {
    // TRIM(chars FROM str)
    SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr source, ParseExpr());
    expr->text = "btrim";
    expr->children.insert(expr->children.begin(), std::move(source));
  } else if (expr->text == "position" && AcceptKeyword("IN")) {
    SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr source, ParseExpr());
    expr->children.push_back(std::move(source));
  } else if (expr->text != "trim" && expr->text != "position" && AcceptKeyword("FROM")) {
    // SUBSTRING(str FROM pos [FOR len])
    SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr start, ParseExpr());
    expr->children.push_back(std::move(start));
    if (AcceptKeyword("FOR")) {
      SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr length, ParseExpr());
      expr->children.push_back(std::move(length));
    }
  } else {
    while (AcceptOp(",")) {
      SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr arg, ParseExpr());
      expr->children.push_back(std::move(arg));
    }
  }
  SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
  return expr;
}

Result<OrderItem> Parser::ParseOrderItem() {
  OrderItem item;
  SLUICE_ASSIGN_OR_RETURN(item.expr, ParseExpr());
  if (AcceptKeyword("DESC")) {
    item.ascending = false;
  } else {
    AcceptKeyword("ASC");
  }
  if (AcceptKeyword("NULLS")) {
    if (AcceptKeyword("FIRST")) {
      item.nulls_first = true;
    } else {
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("LAST"));
      item.nulls_first = false;
    }
  }
  return item;
}

Result<std::vector<OrderItem>> Parser::ParseOrderItems() {
  std::vector<OrderItem> items;
  do {
    SLUICE_ASSIGN_OR_RETURN(OrderItem item, ParseOrderItem());
    items.push_back(std::move(item));
  } while (AcceptOp(","));
  return items;
}

Result<std::unique_ptr<WindowSpec>> Parser::ParseWindowSpec() {
  auto spec = std::make_unique<WindowSpec>();
  if (!PeekOp("(")) {
    SLUICE_ASSIGN_OR_RETURN(spec->name, ParseIdentifier());
    return spec;
  }
  SLUICE_ASSIGN_OR_RETURN(*spec, ParseWindowSpecBody());
  return spec;
}

Result<WindowSpec> Parser::ParseWindowSpecBody() {
  WindowSpec spec;
  SLUICE_RETURN_IF_ERROR(ExpectOp("("));
  if (PeekIdentifier() && !PeekKeyword("PARTITION") && !PeekKeyword("DISTRIBUTE") &&
      !PeekKeyword("ORDER") && !PeekKeyword("SORT") && !PeekKeyword("ROWS") &&
      !PeekKeyword("RANGE")) {
    SLUICE_ASSIGN_OR_RETURN(spec.name, ParseIdentifier());
  }
  if ((PeekKeyword("PARTITION") || PeekKeyword("DISTRIBUTE")) && PeekKeyword("BY", 1)) {
    Next();
    Next();
    SLUICE_ASSIGN_OR_RETURN(spec.partition_by, ParseExprList());
  }
  if ((PeekKeyword("ORDER") || PeekKeyword("SORT")) && PeekKeyword("BY", 1)) {
    Next();
    Next();
    SLUICE_ASSIGN_OR_RETURN(spec.order_by, ParseOrderItems());
  }
  if (PeekKeyword("ROWS") || PeekKeyword("RANGE")) {
    WindowFrame frame;
    frame.rows = IsKeyword(Next(), "ROWS");
    if (AcceptKeyword("BETWEEN")) {
      SLUICE_ASSIGN_OR_RETURN(frame.start, ParseFrameBound());
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("AND"));
      SLUICE_ASSIGN_OR_RETURN(frame.end, ParseFrameBound());
    } else {
      SLUICE_ASSIGN_OR_RETURN(frame.start, ParseFrameBound());
      frame.end.kind = FrameBoundKind::kCurrentRow;
    }
    spec.frame = std::move(frame);
  }
  SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
  return spec;
}

Result<FrameBound> Parser::ParseFrameBound() {
  FrameBound bound;
  if (AcceptKeyword("UNBOUNDED")) {
    if (AcceptKeyword("PRECEDING")) {
      bound.kind = FrameBoundKind::kUnboundedPreceding;
      return bound;
    }
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("FOLLOWING"));
    bound.kind = FrameBoundKind::kUnboundedFollowing;
    return bound;
  }
  if (AcceptKeyword("CURRENT")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("ROW"));
    bound.kind = FrameBoundKind::kCurrentRow;
    return bound;
  }
  SLUICE_ASSIGN_OR_RETURN(bound.offset, ParseBinary(1));
  if (AcceptKeyword("PRECEDING")) {
    bound.kind = FrameBoundKind::kPreceding;
    return bound;
  }
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("FOLLOWING"));
  bound.kind = FrameBoundKind::kFollowing;
  return bound;
}

}  // namespace sluice::sql::internal
