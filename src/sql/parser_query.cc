// SPDX-License-Identifier: Apache-2.0
// Queries: WITH, set operations (INTERSECT binds tighter than UNION / EXCEPT), SELECT
// blocks, FROM items and joins, VALUES, time travel, ORDER BY / LIMIT / OFFSET.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ascii.h"
#include "sql/parser_internal.h"

namespace sluice::sql::internal {
namespace {

int SetOpPrecedence(const Token& token) {
  if (IsKeyword(token, "UNION") || IsKeyword(token, "EXCEPT") || IsKeyword(token, "MINUS")) {
    return 1;
  }
  if (IsKeyword(token, "INTERSECT")) {
    return 2;
  }
  return 0;
}

bool IsPathFormat(std::string_view word) {
  static constexpr std::string_view kFormats[] = {"delta", "parquet", "json", "csv",
                                                  "orc",   "text",    "avro", "binaryfile"};
  for (std::string_view format : kFormats) {
    if (EqualsIgnoreCase(word, format)) {
      return true;
    }
  }
  return false;
}

bool ParseInt64(std::string_view text, int64_t* value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size();
}

TableRefPtr MakeTable(TableRefKind kind, const SourcePosition& position) {
  auto table = std::make_unique<TableRef>();
  table->kind = kind;
  table->position = position;
  return table;
}

}  // namespace

Result<QueryPtr> Parser::ParseQuery() {
  DepthGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.status());
  const SourcePosition position = Peek().position;
  std::vector<CommonTableExpr> ctes;
  if (AcceptKeyword("WITH")) {
    SLUICE_ASSIGN_OR_RETURN(ctes, ParseCommonTableExprs());
  }
  return ParseQueryAfterCtes(std::move(ctes), position);
}

Result<std::vector<CommonTableExpr>> Parser::ParseCommonTableExprs() {
  std::vector<CommonTableExpr> ctes;
  AcceptKeyword("RECURSIVE");
  do {
    CommonTableExpr cte;
    SLUICE_ASSIGN_OR_RETURN(cte.name, ParseIdentifier());
    if (PeekOp("(")) {
      SLUICE_ASSIGN_OR_RETURN(cte.column_aliases, ParseIdentifierList());
    }
    AcceptKeyword("AS");
    SLUICE_RETURN_IF_ERROR(ExpectOp("("));
    SLUICE_ASSIGN_OR_RETURN(cte.query, ParseQuery());
    SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
    ctes.push_back(std::move(cte));
  } while (AcceptOp(","));
  return ctes;
}

Result<QueryPtr> Parser::ParseQueryAfterCtes(std::vector<CommonTableExpr> ctes,
                                             SourcePosition position) {
  auto query = std::make_unique<QueryNode>();
  query->position = position;
  query->ctes = std::move(ctes);
  SLUICE_ASSIGN_OR_RETURN(query->body, ParseSetOperations(1));
  SLUICE_RETURN_IF_ERROR(ParseQueryTail(query.get()));
  return query;
}

Status Parser::ParseQueryTail(QueryNode* query) {
  if (PeekKeyword("ORDER") && PeekKeyword("BY", 1)) {
    Next();
    Next();
    SLUICE_ASSIGN_OR_RETURN(query->order_by, ParseOrderItems());
  }
  if (AcceptKeyword("LIMIT")) {
    if (!AcceptKeyword("ALL")) {
      SLUICE_ASSIGN_OR_RETURN(query->limit, ParseExpr());
    }
  }
  if (AcceptKeyword("OFFSET")) {
    SLUICE_ASSIGN_OR_RETURN(query->offset, ParseExpr());
  }
  return Status::Ok();
}

Result<QueryBodyPtr> Parser::ParseSetOperations(int min_precedence) {
  SLUICE_ASSIGN_OR_RETURN(QueryBodyPtr left, ParseQueryPrimary());
  ChainGuard chain(this);
  while (true) {
    const int precedence = SetOpPrecedence(Peek());
    if (precedence == 0 || precedence < min_precedence) {
      return left;
    }
    const Token& op = Next();
    SLUICE_RETURN_IF_ERROR(chain.Add());
    auto node = std::make_unique<QueryBody>();
    node->kind = QueryBodyKind::kSetOp;
    node->position = left->position;
    node->set_op = IsKeyword(op, "UNION")       ? SetOpKind::kUnion
                   : IsKeyword(op, "INTERSECT") ? SetOpKind::kIntersect
                                                : SetOpKind::kExcept;
    if (AcceptKeyword("ALL")) {
      node->all = true;
    } else {
      AcceptKeyword("DISTINCT");
    }
    DepthGuard guard(this);
    SLUICE_RETURN_IF_ERROR(guard.status());
    SLUICE_ASSIGN_OR_RETURN(node->right, ParseSetOperations(precedence + 1));
    node->left = std::move(left);
    left = std::move(node);
  }
}

Result<QueryBodyPtr> Parser::ParseQueryPrimary() {
  auto body = std::make_unique<QueryBody>();
  body->position = Peek().position;
  if (PeekKeyword("SELECT")) {
    body->kind = QueryBodyKind::kSelect;
    SLUICE_ASSIGN_OR_RETURN(body->select, ParseSelectCore());
    return body;
  }
  if (AcceptKeyword("VALUES")) {
    body->kind = QueryBodyKind::kValues;
    SLUICE_ASSIGN_OR_RETURN(body->values_rows, ParseValuesRows());
    return body;
  }
  if (PeekKeyword("TABLE") && PeekIdentifier(1)) {
    // TABLE t is SELECT * FROM t.
    Next();
    body->kind = QueryBodyKind::kSelect;
    body->select = std::make_unique<SelectCore>();
    body->select->position = body->position;
    SelectItem star;
    star.expr = MakeExpr(ExprKind::kStar, body->position);
    body->select->select_list.push_back(std::move(star));
    SLUICE_ASSIGN_OR_RETURN(body->select->from, ParseTableName());
    return body;
  }
  if (!PeekOp("(")) {
    return Error();
  }
  DepthGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.status());
  Next();
  SLUICE_ASSIGN_OR_RETURN(QueryPtr inner, ParseQuery());
  SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
  if (inner->ctes.empty() && inner->order_by.empty() && inner->limit == nullptr &&
      inner->offset == nullptr) {
    return std::move(inner->body);
  }
  body->kind = QueryBodyKind::kQuery;
  body->query = std::move(inner);
  return body;
}

Result<std::vector<std::vector<ParsedExprPtr>>> Parser::ParseValuesRows() {
  std::vector<std::vector<ParsedExprPtr>> rows;
  do {
    std::vector<ParsedExprPtr> row;
    if (PeekOp("(") && !PeekQueryStart(1)) {
      DepthGuard guard(this);
      SLUICE_RETURN_IF_ERROR(guard.status());
      Next();
      SLUICE_ASSIGN_OR_RETURN(row, ParseExprList());
      SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
    } else {
      SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr value, ParseExpr());
      row.push_back(std::move(value));
    }
    rows.push_back(std::move(row));
  } while (AcceptOp(","));
  return rows;
}

Result<std::unique_ptr<SelectCore>> Parser::ParseSelectCore() {
  auto core = std::make_unique<SelectCore>();
  core->position = Peek().position;
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("SELECT"));
  if (AcceptKeyword("DISTINCT")) {
    core->distinct = true;
  } else {
    AcceptKeyword("ALL");
  }
  do {
    SLUICE_ASSIGN_OR_RETURN(SelectItem item, ParseSelectItem());
    core->select_list.push_back(std::move(item));
  } while (AcceptOp(","));
  if (AcceptKeyword("FROM")) {
    SLUICE_ASSIGN_OR_RETURN(core->from, ParseFromClause());
  }
  if (AcceptKeyword("WHERE")) {
    SLUICE_ASSIGN_OR_RETURN(core->where, ParseExpr());
  }
  if (PeekKeyword("GROUP") && PeekKeyword("BY", 1)) {
    Next();
    Next();
    if (PeekKeyword("ALL") && !PeekOp("(", 1) && !PeekOp(".", 1)) {
      Next();
      core->group_by_all = true;
    } else {
      SLUICE_RETURN_IF_ERROR(ParseGroupBy(core.get()));
    }
  }
  if (AcceptKeyword("HAVING")) {
    SLUICE_ASSIGN_OR_RETURN(core->having, ParseExpr());
  }
  for (int clause = 0; clause < 2; ++clause) {
    if (core->named_windows.empty() && AcceptKeyword("WINDOW")) {
      do {
        SLUICE_ASSIGN_OR_RETURN(std::string name, ParseIdentifier());
        SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
        SLUICE_ASSIGN_OR_RETURN(WindowSpec spec, ParseWindowSpecBody());
        core->named_windows.emplace_back(std::move(name), std::move(spec));
      } while (AcceptOp(","));
    }
    if (core->qualify == nullptr && AcceptKeyword("QUALIFY")) {
      SLUICE_ASSIGN_OR_RETURN(core->qualify, ParseExpr());
    }
  }
  return core;
}

Status Parser::ParseGroupBy(SelectCore* core) {
  const SourcePosition position = Peek().position;
  if (PeekKeyword("GROUPING") && PeekKeyword("SETS", 1)) {
    // GROUPING SETS ((a), (a, b), ()): grouping_sets(struct(a), struct(a, b), struct()).
    Next();
    Next();
    ParsedExprPtr sets = MakeExpr(ExprKind::kFunction, position);
    sets->text = "grouping_sets";
    sets->name = {"grouping_sets"};
    SLUICE_RETURN_IF_ERROR(ExpectOp("("));
    do {
      ParsedExprPtr set = MakeExpr(ExprKind::kFunction, Peek().position);
      set->text = "struct";
      set->name = {"struct"};
      if (AcceptOp("(")) {
        if (!PeekOp(")")) {
          SLUICE_ASSIGN_OR_RETURN(set->children, ParseExprList());
        }
        SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
      } else {
        SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr item, ParseExpr());
        set->children.push_back(std::move(item));
      }
      sets->children.push_back(std::move(set));
    } while (AcceptOp(","));
    SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
    core->group_by.push_back(std::move(sets));
    return Status::Ok();
  }
  SLUICE_ASSIGN_OR_RETURN(core->group_by, ParseExprList());
  if (PeekKeyword("WITH") && (PeekKeyword("ROLLUP", 1) || PeekKeyword("CUBE", 1))) {
    // GROUP BY a, b WITH ROLLUP is GROUP BY ROLLUP(a, b).
    Next();
    ParsedExprPtr wrapped = MakeExpr(ExprKind::kFunction, position);
    wrapped->text = ToLowerAscii(Next().text);
    wrapped->name = {wrapped->text};
    wrapped->children = std::move(core->group_by);
    core->group_by.clear();
    core->group_by.push_back(std::move(wrapped));
  }
  return Status::Ok();
}

Result<SelectItem> Parser::ParseSelectItem() {
  SelectItem item;
  SLUICE_ASSIGN_OR_RETURN(item.expr, ParseExpr());
  if (item.expr->kind == ExprKind::kStar) {
    return item;
  }
  if (PeekKeyword("AS") && PeekOp("(", 1)) {
    Next();
    SLUICE_ASSIGN_OR_RETURN(item.multi_alias, ParseIdentifierList());
    return item;
  }
  SLUICE_ASSIGN_OR_RETURN(item.alias, ParseOptionalAlias());
  return item;
}

Result<TableRefPtr> Parser::ParseFromClause() {
  SLUICE_ASSIGN_OR_RETURN(TableRefPtr left, ParseRelation());
  ChainGuard chain(this);
  while (AcceptOp(",")) {
    SLUICE_RETURN_IF_ERROR(chain.Add());
    SLUICE_ASSIGN_OR_RETURN(TableRefPtr right, ParseRelation());
    TableRefPtr join = MakeTable(TableRefKind::kJoin, left->position);
    join->join_type = JoinType::kCross;
    join->left = std::move(left);
    join->right = std::move(right);
    left = std::move(join);
  }
  // LATERAL VIEW [OUTER] generator(args) table_alias [AS] column [, ...], after all the
  // FROM relations (Spark's fromClause).
  while (PeekKeyword("LATERAL") && PeekKeyword("VIEW", 1)) {
    SLUICE_RETURN_IF_ERROR(chain.Add());
    TableRefPtr view = MakeTable(TableRefKind::kLateralView, Peek().position);
    Next();
    Next();
    view->lateral_outer = AcceptKeyword("OUTER");
    if (!PeekIdentifier() || !PeekOp("(", 1)) {
      return Error();
    }
    SLUICE_ASSIGN_OR_RETURN(view->generator, ParseExpr());
    if (!PeekIdentifier() || IsReservedWord(Peek())) {
      return Error();
    }
    SLUICE_ASSIGN_OR_RETURN(view->alias, ParseIdentifier());
    const bool as = AcceptKeyword("AS");
    if (as || (PeekIdentifier() && !IsReservedWord(Peek()))) {
      do {
        SLUICE_ASSIGN_OR_RETURN(std::string column, ParseIdentifier());
        view->column_aliases.push_back(std::move(column));
      } while (AcceptOp(","));
    }
    view->left = std::move(left);
    left = std::move(view);
  }
  return left;
}

bool Parser::PeekJoin() const {
  for (std::string_view word :
       {"JOIN", "INNER", "CROSS", "LEFT", "RIGHT", "FULL", "SEMI", "ANTI", "NATURAL"}) {
    if (PeekKeyword(word)) {
      return true;
    }
  }
  return false;
}

Result<TableRefPtr> Parser::ParseRelation() {
  SLUICE_ASSIGN_OR_RETURN(TableRefPtr left, ParseRelationPrimary());
  ChainGuard chain(this);
  while (PeekJoin()) {
    SLUICE_RETURN_IF_ERROR(chain.Add());
    TableRefPtr join = MakeTable(TableRefKind::kJoin, left->position);
    join->natural = AcceptKeyword("NATURAL");
    if (AcceptKeyword("INNER")) {
      join->join_type = JoinType::kInner;
    } else if (AcceptKeyword("CROSS")) {
      join->join_type = JoinType::kCross;
    } else if (AcceptKeyword("LEFT")) {
      if (AcceptKeyword("SEMI")) {
        join->join_type = JoinType::kLeftSemi;
      } else if (AcceptKeyword("ANTI")) {
        join->join_type = JoinType::kLeftAnti;
      } else {
        AcceptKeyword("OUTER");
        join->join_type = JoinType::kLeft;
      }
    } else if (AcceptKeyword("RIGHT")) {
      AcceptKeyword("OUTER");
      join->join_type = JoinType::kRight;
    } else if (AcceptKeyword("FULL")) {
      AcceptKeyword("OUTER");
      join->join_type = JoinType::kFull;
    } else if (AcceptKeyword("SEMI")) {
      join->join_type = JoinType::kLeftSemi;
    } else if (AcceptKeyword("ANTI")) {
      join->join_type = JoinType::kLeftAnti;
    }
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("JOIN"));
    SLUICE_ASSIGN_OR_RETURN(join->right, ParseRelationPrimary());
    if (!join->natural) {
      if (AcceptKeyword("ON")) {
        SLUICE_ASSIGN_OR_RETURN(join->join_condition, ParseExpr());
      } else if (AcceptKeyword("USING")) {
        SLUICE_ASSIGN_OR_RETURN(join->using_columns, ParseIdentifierList());
      }
    }
    join->left = std::move(left);
    left = std::move(join);
  }
  return left;
}

Result<TableRefPtr> Parser::ParseRelationPrimary() {
  const SourcePosition position = Peek().position;
  if (PeekOp("(")) {
    DepthGuard guard(this);
    SLUICE_RETURN_IF_ERROR(guard.status());
    size_t ahead = 1;
    while (PeekOp("(", ahead)) {
      ++ahead;
    }
    TableRefPtr table;
    if (PeekQueryStart(ahead)) {
      table = MakeTable(TableRefKind::kSubquery, position);
      Next();
      SLUICE_ASSIGN_OR_RETURN(table->subquery, ParseQuery());
      SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
    } else {
      Next();
      SLUICE_ASSIGN_OR_RETURN(table, ParseRelation());
      SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
    }
    SLUICE_RETURN_IF_ERROR(ParseTableAlias(table.get()));
    return table;
  }
  if (AcceptKeyword("VALUES")) {
    TableRefPtr table = MakeTable(TableRefKind::kValues, position);
    SLUICE_ASSIGN_OR_RETURN(table->values_rows, ParseValuesRows());
    SLUICE_RETURN_IF_ERROR(ParseTableAlias(table.get()));
    return table;
  }
  if (!PeekIdentifier() || IsReservedWord(Peek())) {
    return Error();
  }
  if (PeekStreamRelation()) {
    return ParseStreamRelation();
  }
  TableRefPtr table;
  SLUICE_ASSIGN_OR_RETURN(table, ParseTableNameOrFunction());
  if (table->kind != TableRefKind::kFunction) {
    SLUICE_RETURN_IF_ERROR(ParseTimeTravel(table.get()));
  }
  SLUICE_RETURN_IF_ERROR(ParseTableAlias(table.get()));
  return table;
}

Result<TableRefPtr> Parser::ParseTableNameOrFunction() {
  const SourcePosition position = Peek().position;
  if (!PeekIdentifier() || IsReservedWord(Peek())) {
    return Error();
  }
  if (PeekOp("(", 1) || (PeekOp(".", 1) && PeekIdentifier(2) && PeekOp("(", 3))) {
    SLUICE_ASSIGN_OR_RETURN(QualifiedName name, ParseQualifiedName());
    return ParseTableFunction(std::move(name), position);
  }
  return ParseTableName();
}

bool Parser::PeekStreamRelation() const {
  if (!PeekKeyword("STREAM")) {
    return false;
  }
  if (PeekOp("(", 1)) {
    return true;
  }
  // STREAM name: the next word must be able to start a table name, and not be the
  // start of a time-travel clause on a table named `stream`.
  if (!PeekIdentifier(1) || IsReservedWord(Peek(1)) || PeekKeyword("WINDOW", 1)) {
    return false;
  }
  const size_t skip = PeekKeyword("FOR", 1) ? 2 : 1;
  const bool time_travel =
      (PeekKeyword("VERSION", skip) || PeekKeyword("TIMESTAMP", skip) ||
       PeekKeyword("SYSTEM_VERSION", skip) || PeekKeyword("SYSTEM_TIME", skip)) &&
      PeekKeyword("AS", skip + 1) && PeekKeyword("OF", skip + 2);
  return !time_travel;
}

Result<TableRefPtr> Parser::ParseStreamRelation() {
  DepthGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.status());
  const SourcePosition position = Next().position;  // STREAM
  TableRefPtr table;
  if (AcceptOp("(")) {
    SLUICE_ASSIGN_OR_RETURN(table, ParseTableNameOrFunction());
    SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
  } else {
    SLUICE_ASSIGN_OR_RETURN(table, ParseTableNameOrFunction());
  }
  table->stream = true;
  table->position = position;
  SLUICE_RETURN_IF_ERROR(ParseTableAlias(table.get()));
  return table;
}

Result<TableRefPtr> Parser::ParseTableName() {
  TableRefPtr table = MakeTable(TableRefKind::kNamed, Peek().position);
  const bool first_quoted = Peek().kind == TokenKind::kQuotedIdentifier;
  SLUICE_ASSIGN_OR_RETURN(table->name, ParseQualifiedName());
  if (table->name.size() == 2 && !first_quoted && previous().kind == TokenKind::kQuotedIdentifier &&
      IsPathFormat(table->name[0])) {
    table->kind = TableRefKind::kPath;
    table->format = ToLowerAscii(table->name[0]);
    table->path = table->name[1];
    table->name.clear();
  }
  return table;
}

Result<TableRefPtr> Parser::ParseTableFunction(QualifiedName name, SourcePosition position) {
  DepthGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.status());
  TableRefPtr table = MakeTable(TableRefKind::kFunction, position);
  table->name = std::move(name);
  SLUICE_RETURN_IF_ERROR(ExpectOp("("));
  if (!PeekOp(")")) {
    do {
      if (PeekIdentifier() && PeekOp("=>", 1)) {
        SLUICE_ASSIGN_OR_RETURN(std::string key, ParseIdentifier());
        Next();
        SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr value, ParseExpr());
        table->named_args.emplace_back(std::move(key), std::move(value));
      } else {
        SLUICE_ASSIGN_OR_RETURN(ParsedExprPtr arg, ParseExpr());
        table->function_args.push_back(std::move(arg));
      }
    } while (AcceptOp(","));
  }
  SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
  return table;
}

Status Parser::ParseTimeTravel(TableRef* table) {
  if (AcceptOp("@")) {
    const Token& token = Peek();
    TimeTravel travel;
    if (token.kind == TokenKind::kIdentifier && token.text.size() > 1 &&
        LowerAscii(token.text[0]) == 'v' &&
        ParseInt64(token.text.substr(1), &travel.version.emplace())) {
      Next();
    } else if (token.kind == TokenKind::kNumber && token.number_kind == LiteralKind::kInteger &&
               token.text.size() == 17 &&
               token.text.find_first_not_of("0123456789") == std::string_view::npos) {
      Next();
      const std::string_view d = token.text;
      travel.timestamp = MakeExpr(ExprKind::kLiteral, token.position);
      travel.timestamp->literal_kind = LiteralKind::kString;
      travel.timestamp->text = std::string(d.substr(0, 4)) + "-" + std::string(d.substr(4, 2)) +
                               "-" + std::string(d.substr(6, 2)) + " " +
                               std::string(d.substr(8, 2)) + ":" + std::string(d.substr(10, 2)) +
                               ":" + std::string(d.substr(12, 2)) + "." +
                               std::string(d.substr(14, 3));
    } else {
      return Error();
    }
    table->time_travel = std::move(travel);
    return Status::Ok();
  }
  const size_t skip = PeekKeyword("FOR") ? 1 : 0;
  const bool version = PeekKeyword("VERSION", skip) || PeekKeyword("SYSTEM_VERSION", skip);
  const bool timestamp = PeekKeyword("TIMESTAMP", skip) || PeekKeyword("SYSTEM_TIME", skip);
  if (!(version || timestamp) || !PeekKeyword("AS", skip + 1) || !PeekKeyword("OF", skip + 2)) {
    return Status::Ok();
  }
  for (size_t i = 0; i < skip + 3; ++i) {
    Next();
  }
  TimeTravel travel;
  if (version) {
    const Token& token = Peek();
    const std::string_view text =
        token.kind == TokenKind::kString ? std::string_view(token.value) : token.text;
    if (!((token.kind == TokenKind::kNumber && token.number_kind == LiteralKind::kInteger) ||
          token.kind == TokenKind::kString) ||
        !ParseInt64(text, &travel.version.emplace())) {
      return Error();
    }
    Next();
  } else {
    SLUICE_ASSIGN_OR_RETURN(travel.timestamp, ParseBinary(1));
  }
  table->time_travel = std::move(travel);
  return Status::Ok();
}

Status Parser::ParseTableAlias(TableRef* table) {
  if (PeekKeyword("AS") || PeekImplicitAlias()) {
    SLUICE_ASSIGN_OR_RETURN(table->alias, ParseOptionalAlias());
    if (PeekOp("(")) {
      SLUICE_ASSIGN_OR_RETURN(table->column_aliases, ParseIdentifierList());
    }
  }
  return Status::Ok();
}

}  // namespace sluice::sql::internal
