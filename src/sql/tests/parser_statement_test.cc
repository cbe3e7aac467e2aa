// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "sql/parser.h"
#include "sql/tests/parse_tree_sexpr.h"

namespace sluice::sql {
namespace {

using testing::ParseErrorOf;
using testing::Sexpr;

StatementPtr MustParse(std::string_view sql) {
  Result<StatementPtr> statement = ParseStatement(sql);
  EXPECT_TRUE(statement.ok()) << sql << ": " << statement.status().ToString();
  return statement.ok() ? std::move(statement).ValueUnsafe() : std::make_unique<Statement>();
}

using Properties = std::vector<std::pair<std::string, std::string>>;

TEST(ParserStatementTest, CreateTableWithClausesInAnyOrder) {
  StatementPtr s = MustParse(
      "CREATE OR REPLACE TABLE IF NOT EXISTS db.events (id BIGINT NOT NULL COMMENT 'key', "
      "tags ARRAY<STRUCT<a: INT>>, amount DECIMAL(10, 2), `date` DATE) "
      "TBLPROPERTIES ('delta.appendOnly' = 'true', delta.x.y = true, n = 5) "
      "COMMENT 'the events' PARTITIONED BY (date) USING DELTA LOCATION '/tmp/events'");
  EXPECT_EQ(s->kind, StatementKind::kCreateTable);
  EXPECT_TRUE(s->or_replace);
  EXPECT_TRUE(s->if_not_exists);
  EXPECT_FALSE(s->external);
  EXPECT_EQ(Sexpr(*s->table), "db.events");
  ASSERT_EQ(s->columns.size(), 4u);
  EXPECT_EQ(s->columns[0].name, "id");
  EXPECT_EQ(s->columns[0].type_text, "BIGINT");
  EXPECT_TRUE(s->columns[0].not_null);
  EXPECT_EQ(s->columns[0].comment, "key");
  EXPECT_EQ(s->columns[1].type_text, "ARRAY<STRUCT<a: INT>>");
  EXPECT_EQ(s->columns[2].type_text, "DECIMAL(10, 2)");
  EXPECT_EQ(s->columns[3].name, "date");
  EXPECT_EQ(s->using_format, "delta");
  EXPECT_EQ(s->partition_by, std::vector<std::string>{"date"});
  EXPECT_EQ(s->location, "/tmp/events");
  EXPECT_EQ(s->comment, "the events");
  EXPECT_EQ(s->properties,
            (Properties{{"delta.appendOnly", "true"}, {"delta.x.y", "true"}, {"n", "5"}}));
  EXPECT_EQ(s->query, nullptr);
}

TEST(ParserStatementTest, CreateTableAsSelectAndReplace) {
  StatementPtr s = MustParse("CREATE TABLE t USING delta AS SELECT a FROM u");
  EXPECT_EQ(s->kind, StatementKind::kCreateTable);
  ASSERT_NE(s->query, nullptr);
  EXPECT_EQ(Sexpr(*s->query), "(select a (from u))");
  s = MustParse("REPLACE TABLE t (a INT) USING delta");
  EXPECT_EQ(s->kind, StatementKind::kCreateTable);
  EXPECT_TRUE(s->or_replace);
  s = MustParse("CREATE EXTERNAL TABLE delta.`/tmp/x` (a INT) LOCATION '/tmp/x'");
  EXPECT_TRUE(s->external);
  EXPECT_EQ(Sexpr(*s->table), "delta:/tmp/x");
}

TEST(ParserStatementTest, CreateStreamingTable) {
  StatementPtr s = MustParse(
      "CREATE OR REFRESH STREAMING TABLE db.clean (id BIGINT NOT NULL COMMENT 'key', v STRING) "
      "PARTITIONED BY (v) COMMENT 'cleaned' TBLPROPERTIES ('delta.appendOnly' = 'true') "
      "AS SELECT id, v FROM STREAM(raw) WHERE id > 0");
  EXPECT_EQ(s->kind, StatementKind::kCreateStreamingTable);
  EXPECT_TRUE(s->or_refresh);
  EXPECT_FALSE(s->or_replace);
  EXPECT_FALSE(s->if_not_exists);
  EXPECT_EQ(Sexpr(*s->table), "db.clean");
  ASSERT_EQ(s->columns.size(), 2u);
  EXPECT_EQ(s->columns[0].name, "id");
  EXPECT_EQ(s->columns[0].type_text, "BIGINT");
  EXPECT_TRUE(s->columns[0].not_null);
  EXPECT_EQ(s->columns[0].comment, "key");
  EXPECT_EQ(s->columns[1].type_text, "STRING");
  EXPECT_EQ(s->partition_by, std::vector<std::string>{"v"});
  EXPECT_EQ(s->comment, "cleaned");
  EXPECT_EQ(s->properties, (Properties{{"delta.appendOnly", "true"}}));
  ASSERT_NE(s->query, nullptr);
  EXPECT_EQ(Sexpr(*s->query), "(select id v (from (stream raw)) (where (> id 0)))");
  EXPECT_EQ(s->text.substr(0, 33), "CREATE OR REFRESH STREAMING TABLE");

  s = MustParse("create streaming table if not exists t as select * from stream read_files('/in')");
  EXPECT_EQ(s->kind, StatementKind::kCreateStreamingTable);
  EXPECT_FALSE(s->or_refresh);
  EXPECT_TRUE(s->if_not_exists);
  EXPECT_EQ(Sexpr(*s->table), "t");
  EXPECT_TRUE(s->columns.empty());
  EXPECT_EQ(Sexpr(*s->query), "(select * (from (stream (read_files '/in'))))");

  s = MustParse("CREATE STREAMING TABLE t AS WITH x AS (SELECT * FROM STREAM(a)) SELECT * FROM x");
  EXPECT_EQ(Sexpr(*s->query), "(query (cte x (select * (from (stream a)))) (select * (from x)))");
}

TEST(ParserStatementTest, CreateStreamingTableErrors) {
  // OR REFRESH and IF NOT EXISTS exclude each other (Databricks grammar).
  EXPECT_EQ(ParseErrorOf("CREATE OR REFRESH STREAMING TABLE IF NOT EXISTS t AS SELECT 1"),
            "[PARSE_SYNTAX_ERROR] Syntax error at or near 'NOT'. SQLSTATE: 42601 (line 1, pos 37)");
  EXPECT_EQ(ParseErrorOf("CREATE STREAMING TABLE t (a INT)"),
            "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 "
            "(line 1, pos 32)");
  EXPECT_EQ(
      ParseErrorOf("CREATE OR REPLACE STREAMING TABLE t AS SELECT 1"),
      "[PARSE_SYNTAX_ERROR] Syntax error at or near 'STREAMING'. SQLSTATE: 42601 (line 1, pos 18)");
}

TEST(ParserStatementTest, Insert) {
  StatementPtr s = MustParse("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')");
  EXPECT_EQ(s->kind, StatementKind::kInsert);
  EXPECT_FALSE(s->overwrite);
  EXPECT_EQ(s->insert_columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Sexpr(*s->query), "(values (1 'x') (2 'y'))");
  s = MustParse("INSERT OVERWRITE TABLE db.t SELECT * FROM u");
  EXPECT_TRUE(s->overwrite);
  EXPECT_EQ(Sexpr(*s->table), "db.t");
  EXPECT_EQ(Sexpr(*s->query), "(select * (from u))");
  s = MustParse("INSERT INTO t (SELECT 1)");
  EXPECT_TRUE(s->insert_columns.empty());
  EXPECT_EQ(Sexpr(*s->query), "(select 1)");
  s = MustParse("INSERT INTO delta.`/p` WITH c AS (SELECT 1) SELECT * FROM c");
  EXPECT_EQ(Sexpr(*s->table), "delta:/p");
  s = MustParse("WITH w AS (SELECT 42 AS id) INSERT INTO t SELECT * FROM w");
  EXPECT_EQ(s->kind, StatementKind::kInsert);
  EXPECT_EQ(s->text, "WITH w AS (SELECT 42 AS id) INSERT INTO t SELECT * FROM w");
  EXPECT_EQ(Sexpr(*s->query), "(query (cte w (select (as 42 id))) (select * (from w)))");
  s = MustParse("INSERT OVERWRITE t PARTITION (region = 'eu', day) (id, day) SELECT 1, d");
  ASSERT_EQ(s->insert_partition.size(), 2u);
  EXPECT_EQ(s->insert_partition[0].first, "region");
  EXPECT_EQ(Sexpr(*s->insert_partition[0].second), "'eu'");
  EXPECT_EQ(s->insert_partition[1].first, "day");
  EXPECT_EQ(s->insert_partition[1].second, nullptr);
  EXPECT_EQ(s->insert_columns, (std::vector<std::string>{"id", "day"}));
  s = MustParse("WITH w AS (SELECT 1) SELECT * FROM w");
  EXPECT_EQ(s->kind, StatementKind::kQuery);
  EXPECT_EQ(Sexpr(*s->query), "(query (cte w (select 1)) (select * (from w)))");
}

TEST(ParserStatementTest, DropAndAlter) {
  StatementPtr s = MustParse("DROP TABLE IF EXISTS db.t");
  EXPECT_EQ(s->kind, StatementKind::kDropTable);
  EXPECT_TRUE(s->if_exists);
  EXPECT_EQ(Sexpr(*s->table), "db.t");
  s = MustParse("ALTER TABLE t SET TBLPROPERTIES ('a' = 'b', c.d = 1)");
  EXPECT_EQ(s->kind, StatementKind::kAlterTableSetProperties);
  EXPECT_EQ(s->properties, (Properties{{"a", "b"}, {"c.d", "1"}}));
  s = MustParse("ALTER TABLE t UNSET TBLPROPERTIES IF EXISTS ('a', c.d)");
  EXPECT_EQ(s->kind, StatementKind::kAlterTableUnsetProperties);
  EXPECT_TRUE(s->if_exists);
  EXPECT_EQ(s->property_keys, (std::vector<std::string>{"a", "c.d"}));
  s = MustParse("ALTER TABLE t ADD COLUMNS (x INT COMMENT 'c', y MAP<STRING, INT>)");
  EXPECT_EQ(s->kind, StatementKind::kAlterTableAddColumns);
  ASSERT_EQ(s->columns.size(), 2u);
  EXPECT_EQ(s->columns[1].type_text, "MAP<STRING, INT>");
  s = MustParse("ALTER TABLE t ADD COLUMN z STRING NOT NULL");
  ASSERT_EQ(s->columns.size(), 1u);
  EXPECT_EQ(s->columns[0].name, "z");
  EXPECT_TRUE(s->columns[0].not_null);
}

TEST(ParserStatementTest, Databases) {
  StatementPtr s =
      MustParse("CREATE SCHEMA IF NOT EXISTS sales COMMENT 'c' LOCATION '/data/sales'");
  EXPECT_EQ(s->kind, StatementKind::kCreateDatabase);
  EXPECT_TRUE(s->if_not_exists);
  EXPECT_EQ(s->database, "sales");
  EXPECT_EQ(s->comment, "c");
  EXPECT_EQ(s->location, "/data/sales");
  s = MustParse("DROP DATABASE IF EXISTS sales CASCADE");
  EXPECT_EQ(s->kind, StatementKind::kDropDatabase);
  EXPECT_TRUE(s->if_exists);
  EXPECT_TRUE(s->cascade);
  s = MustParse("USE DATABASE sales");
  EXPECT_EQ(s->kind, StatementKind::kUseDatabase);
  EXPECT_EQ(s->database, "sales");
  s = MustParse("use `my db`");
  EXPECT_EQ(s->database, "my db");
  s = MustParse("USE database");
  EXPECT_EQ(s->database, "database");
}

TEST(ParserStatementTest, Show) {
  StatementPtr s = MustParse("SHOW DATABASES LIKE 'sa*'");
  EXPECT_EQ(s->kind, StatementKind::kShowDatabases);
  EXPECT_EQ(s->pattern, "sa*");
  s = MustParse("SHOW SCHEMAS");
  EXPECT_EQ(s->kind, StatementKind::kShowDatabases);
  s = MustParse("SHOW TABLES IN sales LIKE 'e*'");
  EXPECT_EQ(s->kind, StatementKind::kShowTables);
  EXPECT_EQ(s->database, "sales");
  EXPECT_EQ(s->pattern, "e*");
  s = MustParse("SHOW TBLPROPERTIES t ('delta.appendOnly')");
  EXPECT_EQ(s->kind, StatementKind::kShowTblProperties);
  EXPECT_EQ(s->property_keys, std::vector<std::string>{"delta.appendOnly"});
  s = MustParse("SHOW COLUMNS IN t FROM db");
  EXPECT_EQ(s->kind, StatementKind::kShowColumns);
  EXPECT_EQ(Sexpr(*s->table), "db.t");
}

TEST(ParserStatementTest, Describe) {
  StatementPtr s = MustParse("DESCRIBE TABLE EXTENDED db.t");
  EXPECT_EQ(s->kind, StatementKind::kDescribeTable);
  EXPECT_TRUE(s->extended);
  EXPECT_EQ(Sexpr(*s->table), "db.t");
  s = MustParse("DESC t");
  EXPECT_EQ(s->kind, StatementKind::kDescribeTable);
  EXPECT_FALSE(s->extended);
  s = MustParse("DESC history");
  EXPECT_EQ(s->kind, StatementKind::kDescribeTable);
  EXPECT_EQ(Sexpr(*s->table), "history");
  s = MustParse("DESCRIBE HISTORY delta.`/p` LIMIT 5");
  EXPECT_EQ(s->kind, StatementKind::kDescribeHistory);
  EXPECT_EQ(Sexpr(*s->table), "delta:/p");
  EXPECT_EQ(Sexpr(*s->limit), "5");
  s = MustParse("DESCRIBE DETAIL '/tmp/t'");
  EXPECT_EQ(s->kind, StatementKind::kDescribeDetail);
  EXPECT_EQ(Sexpr(*s->table), "delta:/tmp/t");
  s = MustParse("DESCRIBE QUERY SELECT 1");
  EXPECT_EQ(s->kind, StatementKind::kDescribeQuery);
  EXPECT_EQ(Sexpr(*s->query), "(select 1)");
  s = MustParse("DESCRIBE SELECT a FROM t");
  EXPECT_EQ(s->kind, StatementKind::kDescribeQuery);
}

TEST(ParserStatementTest, Explain) {
  StatementPtr s = MustParse("EXPLAIN EXTENDED SELECT 1");
  EXPECT_EQ(s->kind, StatementKind::kExplain);
  EXPECT_TRUE(s->extended);
  EXPECT_EQ(s->explain_mode, "extended");
  ASSERT_NE(s->explained, nullptr);
  EXPECT_EQ(s->explained->kind, StatementKind::kQuery);
  EXPECT_EQ(s->explained->text, "SELECT 1");
  s = MustParse("EXPLAIN FORMATTED INSERT INTO t SELECT 1");
  EXPECT_EQ(s->explain_mode, "formatted");
  EXPECT_EQ(s->explained->kind, StatementKind::kInsert);
  s = MustParse("explain select 1");
  EXPECT_EQ(s->explain_mode, "");
}

TEST(ParserStatementTest, SetAndReset) {
  StatementPtr s = MustParse("SET");
  EXPECT_EQ(s->kind, StatementKind::kSet);
  EXPECT_EQ(s->set_key, "");
  EXPECT_FALSE(s->set_has_value);
  s = MustParse("SET spark.sql.shuffle.partitions");
  EXPECT_EQ(s->set_key, "spark.sql.shuffle.partitions");
  EXPECT_FALSE(s->set_has_value);
  s = MustParse("SET spark.sql.shuffle.partitions = 8 ;");
  EXPECT_EQ(s->set_key, "spark.sql.shuffle.partitions");
  EXPECT_EQ(s->set_value, "8");
  EXPECT_TRUE(s->set_has_value);
  s = MustParse("SET spark.sql.session.timeZone='America/New_York'");
  EXPECT_EQ(s->set_value, "America/New_York");
  s = MustParse("SET a.b = x y  z ;; ");
  EXPECT_EQ(s->set_value, "x y  z");
  s = MustParse("SET TIME ZONE 'UTC'");
  EXPECT_EQ(s->set_key, "spark.sql.session.timeZone");
  EXPECT_EQ(s->set_value, "UTC");
  s = MustParse("RESET");
  EXPECT_EQ(s->kind, StatementKind::kReset);
  EXPECT_EQ(s->set_key, "");
  s = MustParse("RESET spark.sql.ansi.enabled");
  EXPECT_EQ(s->set_key, "spark.sql.ansi.enabled");
}

TEST(ParserStatementTest, ScriptsAndStatementText) {
  Result<std::vector<StatementPtr>> statements =
      ParseStatements(";; SELECT 1 ;\n-- c\nCREATE DATABASE d;;INSERT INTO t VALUES (1);");
  ASSERT_TRUE(statements.ok()) << statements.status().ToString();
  ASSERT_EQ(statements->size(), 3u);
  EXPECT_EQ((*statements)[0]->text, "SELECT 1");
  EXPECT_EQ((*statements)[1]->text, "CREATE DATABASE d");
  EXPECT_EQ((*statements)[1]->position.line, 3);
  EXPECT_EQ((*statements)[2]->text, "INSERT INTO t VALUES (1)");
  statements = ParseStatements("");
  ASSERT_TRUE(statements.ok());
  EXPECT_TRUE(statements->empty());
  statements = ParseStatements("SELECT 1; SELEC 2");
  ASSERT_FALSE(statements.ok());
  EXPECT_EQ(statements.status().message(),
            "[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'. SQLSTATE: 42601 "
            "(line 1, pos 10)");
}

TEST(ParserStatementTest, Errors) {
  EXPECT_EQ(ParseErrorOf("CREATE TABLE"),
            "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 "
            "(line 1, pos 12)");
  EXPECT_EQ(ParseErrorOf("DROP VIEW v"),
            "[PARSE_SYNTAX_ERROR] Syntax error at or near 'VIEW'. SQLSTATE: 42601 (line 1, pos 5)");
  EXPECT_EQ(ParseErrorOf("CREATE TABLE t (a INT,)"),
            "[PARSE_SYNTAX_ERROR] Syntax error at or near ')'. SQLSTATE: 42601 (line 1, pos 22)");
  EXPECT_EQ(ParseErrorOf("SET = 1"),
            "[PARSE_SYNTAX_ERROR] Syntax error at or near '='. SQLSTATE: 42601 (line 1, pos 4)");
}

TEST(ParserStatementTest, FuzzSeedsParseUnlessNamedInvalid) {
  const std::filesystem::path corpus =
      std::filesystem::path(SLUICE_SOURCE_DIR) / "test/fuzz/corpus/sql_parser";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string sql((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const bool invalid = entry.path().filename().string().rfind("invalid_", 0) == 0;
    Result<std::vector<StatementPtr>> statements = ParseStatements(sql);
    EXPECT_EQ(statements.ok(), !invalid) << entry.path() << ": " << statements.status().ToString();
    ++files;
  }
  EXPECT_GT(files, 5);
}

}  // namespace
}  // namespace sluice::sql
