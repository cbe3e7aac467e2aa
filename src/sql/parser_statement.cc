// SPDX-License-Identifier: Apache-2.0
// Statements: queries, INSERT, CREATE / REPLACE / DROP / ALTER TABLE, databases, SHOW,
// DESCRIBE, EXPLAIN, SET and RESET.
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ascii.h"
#include "sql/parser_internal.h"

namespace sluice::sql::internal {
namespace {

std::string_view Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r\n\f\v");
  if (begin == std::string_view::npos) {
    return {};
  }
  const size_t end = text.find_last_not_of(" \t\r\n\f\v");
  return text.substr(begin, end - begin + 1);
}

/// Removes one pair of surrounding quotes ('...', "..." or `...`).
std::string StripQuotes(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '\'' || text.front() == '"' || text.front() == '`') &&
      text.back() == text.front()) {
    return std::string(text.substr(1, text.size() - 2));
  }
  return std::string(text);
}

std::string JoinName(const QualifiedName& name) {
  std::string joined;
  for (const std::string& part : name) {
    joined += (joined.empty() ? "" : ".") + part;
  }
  return joined;
}

bool IsDatabaseWord(const Token& token) {
  return IsKeyword(token, "DATABASE") || IsKeyword(token, "SCHEMA") ||
         IsKeyword(token, "NAMESPACE");
}

}  // namespace

Result<StatementPtr> Parser::ParseStatement() {
  auto statement = std::make_unique<Statement>();
  statement->position = Peek().position;
  const int start = Peek().position.offset;
  StatementPtr result;
  if (PeekKeyword("WITH")) {
    SLUICE_ASSIGN_OR_RETURN(result, ParseWithStatement(std::move(statement)));
  } else if (PeekQueryStart() || PeekOp("(")) {
    statement->kind = StatementKind::kQuery;
    SLUICE_ASSIGN_OR_RETURN(statement->query, ParseQuery());
    result = std::move(statement);
  } else if (PeekKeyword("CREATE") || PeekKeyword("REPLACE")) {
    SLUICE_ASSIGN_OR_RETURN(result, ParseCreate(std::move(statement)));
  } else if (PeekKeyword("INSERT")) {
    SLUICE_ASSIGN_OR_RETURN(result, ParseInsert(std::move(statement)));
  } else if (PeekKeyword("DROP")) {
    SLUICE_ASSIGN_OR_RETURN(result, ParseDrop(std::move(statement)));
  } else if (PeekKeyword("ALTER")) {
    SLUICE_ASSIGN_OR_RETURN(result, ParseAlter(std::move(statement)));
  } else if (PeekKeyword("USE")) {
    Next();
    statement->kind = StatementKind::kUseDatabase;
    if (IsDatabaseWord(Peek()) && PeekIdentifier(1)) {
      Next();
    }
    SLUICE_ASSIGN_OR_RETURN(QualifiedName name, ParseQualifiedName());
    statement->database = JoinName(name);
    result = std::move(statement);
  } else if (PeekKeyword("SHOW")) {
    SLUICE_ASSIGN_OR_RETURN(result, ParseShow(std::move(statement)));
  } else if (PeekKeyword("DESCRIBE") || PeekKeyword("DESC")) {
    SLUICE_ASSIGN_OR_RETURN(result, ParseDescribe(std::move(statement)));
  } else if (PeekKeyword("EXPLAIN")) {
    SLUICE_ASSIGN_OR_RETURN(result, ParseExplain(std::move(statement)));
  } else if (PeekKeyword("SET")) {
    SLUICE_ASSIGN_OR_RETURN(result, ParseSet(std::move(statement)));
  } else if (PeekKeyword("RESET")) {
    SLUICE_ASSIGN_OR_RETURN(result, ParseReset(std::move(statement)));
  } else {
    return Error();
  }
  const int end = previous().end_offset;
  result->text = std::string(
      sql().substr(static_cast<size_t>(start), static_cast<size_t>(end > start ? end - start : 0)));
  return result;
}

Result<StatementPtr> Parser::ParseCreate(StatementPtr statement) {
  if (AcceptKeyword("REPLACE")) {
    statement->or_replace = true;
  } else {
    Next();  // CREATE
    if (PeekKeyword("OR") && PeekKeyword("REFRESH", 1)) {
      Next();
      Next();
      statement->or_refresh = true;
      return ParseCreateStreamingTable(std::move(statement));
    }
    if (AcceptKeyword("OR")) {
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("REPLACE"));
      statement->or_replace = true;
    }
    if (PeekKeyword("STREAMING") && !statement->or_replace) {
      return ParseCreateStreamingTable(std::move(statement));
    }
  }
  if (IsDatabaseWord(Peek()) && !statement->or_replace) {
    Next();
    statement->kind = StatementKind::kCreateDatabase;
    if (AcceptKeyword("IF")) {
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("NOT"));
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("EXISTS"));
      statement->if_not_exists = true;
    }
    SLUICE_ASSIGN_OR_RETURN(QualifiedName name, ParseQualifiedName());
    statement->database = JoinName(name);
    while (true) {
      if (AcceptKeyword("LOCATION")) {
        SLUICE_ASSIGN_OR_RETURN(statement->location, ParseStringLiteral());
      } else if (AcceptKeyword("COMMENT")) {
        SLUICE_ASSIGN_OR_RETURN(statement->comment, ParseStringLiteral());
      } else if (PeekKeyword("WITH") &&
                 (PeekKeyword("DBPROPERTIES", 1) || PeekKeyword("PROPERTIES", 1))) {
        Next();
        Next();
        SLUICE_ASSIGN_OR_RETURN(statement->properties, ParseProperties());
      } else {
        return statement;
      }
    }
  }
  statement->kind = StatementKind::kCreateTable;
  statement->external = AcceptKeyword("EXTERNAL");
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("TABLE"));
  if (AcceptKeyword("IF")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("NOT"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("EXISTS"));
    statement->if_not_exists = true;
  }
  SLUICE_ASSIGN_OR_RETURN(statement->table, ParseTableName());
  if (PeekOp("(") && !PeekQueryStart(1)) {
    SLUICE_ASSIGN_OR_RETURN(statement->columns, ParseColumnDefinitions());
  }
  SLUICE_RETURN_IF_ERROR(ParseCreateTableClauses(statement.get()));
  if (AcceptKeyword("AS") || PeekQueryStart() || PeekOp("(")) {
    SLUICE_ASSIGN_OR_RETURN(statement->query, ParseQuery());
  }
  return statement;
}

Result<StatementPtr> Parser::ParseCreateStreamingTable(StatementPtr statement) {
  statement->kind = StatementKind::kCreateStreamingTable;
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("STREAMING"));
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("TABLE"));
  // Databricks allows one of OR REFRESH and IF NOT EXISTS, not both.
  if (!statement->or_refresh && AcceptKeyword("IF")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("NOT"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("EXISTS"));
    statement->if_not_exists = true;
  }
  SLUICE_ASSIGN_OR_RETURN(statement->table, ParseTableName());
  if (PeekOp("(") && !PeekQueryStart(1)) {
    SLUICE_ASSIGN_OR_RETURN(statement->columns, ParseColumnDefinitions());
  }
  SLUICE_RETURN_IF_ERROR(ParseCreateTableClauses(statement.get()));
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
  SLUICE_ASSIGN_OR_RETURN(statement->query, ParseQuery());
  return statement;
}

Status Parser::ParseCreateTableClauses(Statement* statement) {
  while (true) {
    if (AcceptKeyword("USING")) {
      SLUICE_ASSIGN_OR_RETURN(std::string format, ParseIdentifier());
      statement->using_format = ToLowerAscii(format);
    } else if (PeekKeyword("PARTITIONED") && PeekKeyword("BY", 1)) {
      Next();
      Next();
      SLUICE_RETURN_IF_ERROR(ExpectOp("("));
      do {
        SLUICE_ASSIGN_OR_RETURN(std::string column, ParseIdentifier());
        statement->partition_by.push_back(std::move(column));
        if (!PeekOp(",") && !PeekOp(")")) {
          // PARTITIONED BY (c TYPE): a Hive-style typed partition column.
          SLUICE_ASSIGN_OR_RETURN(std::string type_text, ParseTypeText());
          static_cast<void>(type_text);
        }
      } while (AcceptOp(","));
      SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
    } else if (AcceptKeyword("LOCATION")) {
      SLUICE_ASSIGN_OR_RETURN(statement->location, ParseStringLiteral());
    } else if (AcceptKeyword("COMMENT")) {
      SLUICE_ASSIGN_OR_RETURN(statement->comment, ParseStringLiteral());
    } else if (AcceptKeyword("TBLPROPERTIES") || AcceptKeyword("OPTIONS")) {
      SLUICE_ASSIGN_OR_RETURN(auto properties, ParseProperties());
      for (auto& property : properties) {
        statement->properties.push_back(std::move(property));
      }
    } else {
      return Status::Ok();
    }
  }
}

Result<std::vector<ColumnDefinition>> Parser::ParseColumnDefinitions() {
  SLUICE_RETURN_IF_ERROR(ExpectOp("("));
  std::vector<ColumnDefinition> columns;
  do {
    SLUICE_ASSIGN_OR_RETURN(ColumnDefinition column, ParseColumnDefinition());
    columns.push_back(std::move(column));
  } while (AcceptOp(","));
  SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
  return columns;
}

Result<ColumnDefinition> Parser::ParseColumnDefinition() {
  ColumnDefinition column;
  column.position = Peek().position;
  SLUICE_ASSIGN_OR_RETURN(column.name, ParseIdentifier());
  SLUICE_ASSIGN_OR_RETURN(column.type_text, ParseTypeText());
  while (true) {
    if (PeekKeyword("NOT") && PeekKeyword("NULL", 1)) {
      Next();
      Next();
      column.not_null = true;
    } else if (AcceptKeyword("COMMENT")) {
      SLUICE_ASSIGN_OR_RETURN(column.comment, ParseStringLiteral());
    } else {
      return column;
    }
  }
}

Result<std::string> Parser::ParsePropertyKey() {
  if (Peek().kind == TokenKind::kString) {
    return ParseStringLiteral();
  }
  SLUICE_ASSIGN_OR_RETURN(QualifiedName name, ParseQualifiedName());
  return JoinName(name);
}

Result<std::string> Parser::ParsePropertyValue() {
  const Token& token = Peek();
  if (token.kind == TokenKind::kString) {
    return ParseStringLiteral();
  }
  if (token.kind == TokenKind::kNumber) {
    Next();
    return std::string(token.text);
  }
  if ((PeekOp("-") || PeekOp("+")) && Peek(1).kind == TokenKind::kNumber) {
    const std::string sign(Next().text);
    return sign + std::string(Next().text);
  }
  if (IsKeyword(token, "TRUE") || IsKeyword(token, "FALSE")) {
    Next();
    return ToLowerAscii(token.text);
  }
  return Error();
}

Result<std::vector<std::pair<std::string, std::string>>> Parser::ParseProperties() {
  SLUICE_RETURN_IF_ERROR(ExpectOp("("));
  std::vector<std::pair<std::string, std::string>> properties;
  do {
    SLUICE_ASSIGN_OR_RETURN(std::string key, ParsePropertyKey());
    AcceptOp("=");
    SLUICE_ASSIGN_OR_RETURN(std::string value, ParsePropertyValue());
    properties.emplace_back(std::move(key), std::move(value));
  } while (AcceptOp(","));
  SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
  return properties;
}

Result<StatementPtr> Parser::ParseInsert(StatementPtr statement) {
  Next();  // INSERT
  statement->kind = StatementKind::kInsert;
  if (AcceptKeyword("OVERWRITE")) {
    statement->overwrite = true;
  } else {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("INTO"));
  }
  AcceptKeyword("TABLE");
  SLUICE_ASSIGN_OR_RETURN(statement->table, ParseTableName());
  if (AcceptKeyword("PARTITION")) {
    // PARTITION (a = 1, b): static values and dynamic columns.
    SLUICE_RETURN_IF_ERROR(ExpectOp("("));
    do {
      SLUICE_ASSIGN_OR_RETURN(std::string column, ParseIdentifier());
      ParsedExprPtr value;
      if (AcceptOp("=")) {
        SLUICE_ASSIGN_OR_RETURN(value, ParseExpr());
      }
      statement->insert_partition.emplace_back(std::move(column), std::move(value));
    } while (AcceptOp(","));
    SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
  }
  if (PeekOp("(") && !PeekQueryStart(1) && !PeekOp("(", 1)) {
    SLUICE_ASSIGN_OR_RETURN(statement->insert_columns, ParseIdentifierList());
  }
  SLUICE_ASSIGN_OR_RETURN(statement->query, ParseQuery());
  return statement;
}

Result<StatementPtr> Parser::ParseWithStatement(StatementPtr statement) {
  DepthGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.status());
  const SourcePosition position = Next().position;  // WITH
  SLUICE_ASSIGN_OR_RETURN(std::vector<CommonTableExpr> ctes, ParseCommonTableExprs());
  if (PeekKeyword("INSERT")) {
    SLUICE_ASSIGN_OR_RETURN(statement, ParseInsert(std::move(statement)));
    std::vector<CommonTableExpr>& inner = statement->query->ctes;
    inner.insert(inner.begin(), std::make_move_iterator(ctes.begin()),
                 std::make_move_iterator(ctes.end()));
    return statement;
  }
  statement->kind = StatementKind::kQuery;
  SLUICE_ASSIGN_OR_RETURN(statement->query, ParseQueryAfterCtes(std::move(ctes), position));
  return statement;
}

Result<StatementPtr> Parser::ParseDrop(StatementPtr statement) {
  Next();  // DROP
  const bool database = IsDatabaseWord(Peek());
  if (!database) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("TABLE"));
  } else {
    Next();
  }
  statement->kind = database ? StatementKind::kDropDatabase : StatementKind::kDropTable;
  if (AcceptKeyword("IF")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("EXISTS"));
    statement->if_exists = true;
  }
  if (database) {
    SLUICE_ASSIGN_OR_RETURN(QualifiedName name, ParseQualifiedName());
    statement->database = JoinName(name);
    if (AcceptKeyword("CASCADE")) {
      statement->cascade = true;
    } else {
      AcceptKeyword("RESTRICT");
    }
  } else {
    SLUICE_ASSIGN_OR_RETURN(statement->table, ParseTableName());
    AcceptKeyword("PURGE");
  }
  return statement;
}

Result<StatementPtr> Parser::ParseAlter(StatementPtr statement) {
  Next();  // ALTER
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("TABLE"));
  SLUICE_ASSIGN_OR_RETURN(statement->table, ParseTableName());
  if (AcceptKeyword("SET")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("TBLPROPERTIES"));
    statement->kind = StatementKind::kAlterTableSetProperties;
    SLUICE_ASSIGN_OR_RETURN(statement->properties, ParseProperties());
    return statement;
  }
  if (AcceptKeyword("UNSET")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("TBLPROPERTIES"));
    statement->kind = StatementKind::kAlterTableUnsetProperties;
    if (AcceptKeyword("IF")) {
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("EXISTS"));
      statement->if_exists = true;
    }
    SLUICE_RETURN_IF_ERROR(ExpectOp("("));
    do {
      SLUICE_ASSIGN_OR_RETURN(std::string key, ParsePropertyKey());
      statement->property_keys.push_back(std::move(key));
    } while (AcceptOp(","));
    SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
    return statement;
  }
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("ADD"));
  if (!AcceptKeyword("COLUMNS")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("COLUMN"));
  }
  statement->kind = StatementKind::kAlterTableAddColumns;
  if (PeekOp("(")) {
    SLUICE_ASSIGN_OR_RETURN(statement->columns, ParseColumnDefinitions());
    return statement;
  }
  do {
    SLUICE_ASSIGN_OR_RETURN(ColumnDefinition column, ParseColumnDefinition());
    statement->columns.push_back(std::move(column));
  } while (AcceptOp(","));
  return statement;
}

Result<StatementPtr> Parser::ParseShow(StatementPtr statement) {
  Next();  // SHOW
  if (PeekKeyword("DATABASES") || PeekKeyword("SCHEMAS") || PeekKeyword("NAMESPACES")) {
    Next();
    statement->kind = StatementKind::kShowDatabases;
    if (AcceptKeyword("LIKE") || Peek().kind == TokenKind::kString) {
      SLUICE_ASSIGN_OR_RETURN(statement->pattern, ParseStringLiteral());
    }
    return statement;
  }
  if (AcceptKeyword("TABLES")) {
    statement->kind = StatementKind::kShowTables;
    if (AcceptKeyword("FROM") || AcceptKeyword("IN")) {
      SLUICE_ASSIGN_OR_RETURN(QualifiedName name, ParseQualifiedName());
      statement->database = JoinName(name);
    }
    if (AcceptKeyword("LIKE") || Peek().kind == TokenKind::kString) {
      SLUICE_ASSIGN_OR_RETURN(statement->pattern, ParseStringLiteral());
    }
    return statement;
  }
  if (AcceptKeyword("TBLPROPERTIES")) {
    statement->kind = StatementKind::kShowTblProperties;
    SLUICE_ASSIGN_OR_RETURN(statement->table, ParseTableName());
    if (AcceptOp("(")) {
      SLUICE_ASSIGN_OR_RETURN(std::string key, ParsePropertyKey());
      statement->property_keys.push_back(std::move(key));
      SLUICE_RETURN_IF_ERROR(ExpectOp(")"));
    }
    return statement;
  }
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("COLUMNS"));
  statement->kind = StatementKind::kShowColumns;
  if (!AcceptKeyword("FROM")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("IN"));
  }
  SLUICE_ASSIGN_OR_RETURN(statement->table, ParseTableName());
  if (AcceptKeyword("FROM") || AcceptKeyword("IN")) {
    SLUICE_ASSIGN_OR_RETURN(QualifiedName database, ParseQualifiedName());
    database.insert(database.end(), statement->table->name.begin(), statement->table->name.end());
    statement->table->name = std::move(database);
  }
  return statement;
}

Result<StatementPtr> Parser::ParseDescribe(StatementPtr statement) {
  Next();  // DESCRIBE | DESC
  const bool delta_command = (PeekKeyword("HISTORY") || PeekKeyword("DETAIL")) &&
                             (PeekIdentifier(1) || Peek(1).kind == TokenKind::kString);
  if (delta_command) {
    statement->kind = IsKeyword(Next(), "HISTORY") ? StatementKind::kDescribeHistory
                                                   : StatementKind::kDescribeDetail;
    if (Peek().kind == TokenKind::kString) {
      // DESCRIBE HISTORY '/path/to/table': a Delta table by path.
      statement->table = std::make_unique<TableRef>();
      statement->table->kind = TableRefKind::kPath;
      statement->table->position = Peek().position;
      statement->table->format = "delta";
      SLUICE_ASSIGN_OR_RETURN(statement->table->path, ParseStringLiteral());
    } else {
      SLUICE_ASSIGN_OR_RETURN(statement->table, ParseTableName());
    }
    if (statement->kind == StatementKind::kDescribeHistory && AcceptKeyword("LIMIT")) {
      SLUICE_ASSIGN_OR_RETURN(statement->limit, ParseExpr());
    }
    return statement;
  }
  const bool table_keyword = PeekKeyword("TABLE") && PeekIdentifier(1);
  if (!table_keyword && (AcceptKeyword("QUERY") || PeekQueryStart() || PeekOp("("))) {
    statement->kind = StatementKind::kDescribeQuery;
    SLUICE_ASSIGN_OR_RETURN(statement->query, ParseQuery());
    return statement;
  }
  statement->kind = StatementKind::kDescribeTable;
  if (table_keyword) {
    Next();
  }
  if ((PeekKeyword("EXTENDED") || PeekKeyword("FORMATTED")) && PeekIdentifier(1)) {
    Next();
    statement->extended = true;
  }
  SLUICE_ASSIGN_OR_RETURN(statement->table, ParseTableName());
  return statement;
}

Result<StatementPtr> Parser::ParseExplain(StatementPtr statement) {
  Next();  // EXPLAIN
  statement->kind = StatementKind::kExplain;
  for (std::string_view mode : {"EXTENDED", "FORMATTED", "COST", "CODEGEN", "LOGICAL"}) {
    if (AcceptKeyword(mode)) {
      statement->explain_mode = ToLowerAscii(mode);
      statement->extended = mode == "EXTENDED";
      break;
    }
  }
  DepthGuard guard(this);
  SLUICE_RETURN_IF_ERROR(guard.status());
  SLUICE_ASSIGN_OR_RETURN(statement->explained, ParseStatement());
  return statement;
}

std::string Parser::TakeRestOfStatement() {
  if (AtEnd() || PeekOp(";")) {
    return std::string();
  }
  const int start = Peek().position.offset;
  while (!AtEnd() && !PeekOp(";")) {
    Next();
  }
  return std::string(
      sql().substr(static_cast<size_t>(start), static_cast<size_t>(previous().end_offset - start)));
}

Result<StatementPtr> Parser::ParseSet(StatementPtr statement) {
  Next();  // SET
  statement->kind = StatementKind::kSet;
  if (PeekKeyword("TIME") && PeekKeyword("ZONE", 1)) {
    Next();
    Next();
    statement->set_key = "spark.sql.session.timeZone";
    statement->set_value = StripQuotes(Trim(TakeRestOfStatement()));
    statement->set_has_value = true;
    return statement;
  }
  const int start = Peek().position.offset;
  while (!AtEnd() && !PeekOp(";") && !PeekOp("=")) {
    Next();
  }
  if (previous().end_offset > start && position_index() > 0) {
    statement->set_key = StripQuotes(Trim(sql().substr(
        static_cast<size_t>(start), static_cast<size_t>(previous().end_offset - start))));
  }
  if (PeekOp("=")) {
    if (statement->set_key.empty()) {
      return Error();
    }
    Next();
    statement->set_has_value = true;
    statement->set_value = StripQuotes(Trim(TakeRestOfStatement()));
  }
  return statement;
}

Result<StatementPtr> Parser::ParseReset(StatementPtr statement) {
  Next();  // RESET
  statement->kind = StatementKind::kReset;
  statement->set_key = StripQuotes(Trim(TakeRestOfStatement()));
  return statement;
}

}  // namespace sluice::sql::internal
