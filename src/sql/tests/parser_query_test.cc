// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <string>

#include "sql/parser.h"
#include "sql/tests/parse_tree_sexpr.h"

namespace sluice::sql {
namespace {

using testing::ParseErrorOf;
using testing::QueryTree;

TEST(ParserQueryTest, SelectList) {
  EXPECT_EQ(QueryTree("SELECT 1"), "(select 1)");
  EXPECT_EQ(QueryTree("select * from t"), "(select * (from t))");
  EXPECT_EQ(QueryTree("SELECT t.*, a AS x, b y, c FROM db.t"),
            "(select t.* (as a x) (as b y) c (from db.t))");
  EXPECT_EQ(QueryTree("SELECT DISTINCT a FROM t"), "(select distinct a (from t))");
  EXPECT_EQ(QueryTree("SELECT ALL a FROM `my db`.`t`"), "(select a (from my db.t))");
  EXPECT_EQ(QueryTree("SELECT explode(m) AS (k, v) FROM t"),
            "(select (as (explode m) (k v)) (from t))");
  EXPECT_EQ(QueryTree("SELECT a AS from FROM t"), "(select (as a from) (from t))");
  EXPECT_EQ(QueryTree("SELECT date, timestamp, year, key, value, window, type, comment FROM t"),
            "(select date timestamp year key value window type comment (from t))");
}

TEST(ParserQueryTest, Clauses) {
  EXPECT_EQ(QueryTree("SELECT a, count(*) FROM t WHERE b > 1 GROUP BY a HAVING count(*) > 2 "
                      "ORDER BY a DESC NULLS FIRST, 2 LIMIT 10 OFFSET 5"),
            "(query (select a (count *) (from t) (where (> b 1)) (group a) "
            "(having (> (count *) 2))) (order (a desc nulls-first) (2 asc)) (limit 10) "
            "(offset 5))");
  EXPECT_EQ(QueryTree("SELECT a FROM t GROUP BY ALL"), "(select a (from t) (group-by-all))");
  EXPECT_EQ(QueryTree("SELECT a FROM t GROUP BY 1, 2"), "(select a (from t) (group 1 2))");
  EXPECT_EQ(QueryTree("SELECT a FROM t LIMIT ALL"), "(select a (from t))");
  EXPECT_EQ(QueryTree("SELECT a, row_number() OVER w AS rn FROM t "
                      "WINDOW w AS (PARTITION BY b ORDER BY c) QUALIFY rn = 1"),
            "(select a (as (row_number (window w)) rn) (from t) (qualify (= rn 1)) "
            "(named-window w (window (partition b) (order (c asc)))))");
}

TEST(ParserQueryTest, FromItems) {
  EXPECT_EQ(QueryTree("SELECT * FROM a, b x, c AS y"),
            "(select * (from (cross (cross a (as b x)) (as c y))))");
  EXPECT_EQ(QueryTree("SELECT * FROM (SELECT 1 AS a) s(b)"),
            "(select * (from (as (select (as 1 a)) s (b))))");
  EXPECT_EQ(QueryTree("SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(x, y)"),
            "(select * (from (as (values (1 'a') (2 'b')) t (x y))))");
  EXPECT_EQ(QueryTree("SELECT * FROM table_changes('t', 1, 2)"),
            "(select * (from (table_changes 't' 1 2)))");
  EXPECT_EQ(QueryTree("SELECT * FROM read_files('/p', format => 'json') r"),
            "(select * (from (as (read_files '/p' (=> format 'json')) r)))");
  EXPECT_EQ(QueryTree("SELECT * FROM delta.`/tmp/x` AS d"),
            "(select * (from (as delta:/tmp/x d)))");
  EXPECT_EQ(QueryTree("SELECT * FROM parquet.`/p`, json.`/j`, csv.`/c`"),
            "(select * (from (cross (cross parquet:/p json:/j) csv:/c)))");
  EXPECT_EQ(QueryTree("SELECT * FROM delta.events"), "(select * (from delta.events))");
  EXPECT_EQ(QueryTree("SELECT * FROM ((SELECT 1))"), "(select * (from (select 1)))");
}

TEST(ParserQueryTest, StreamFromItems) {
  EXPECT_EQ(QueryTree("SELECT * FROM STREAM(orders)"), "(select * (from (stream orders)))");
  EXPECT_EQ(QueryTree("SELECT * FROM stream db.orders"), "(select * (from (stream db.orders)))");
  EXPECT_EQ(QueryTree("SELECT o.id FROM STREAM(orders) o"),
            "(select o.id (from (as (stream orders) o)))");
  EXPECT_EQ(QueryTree("SELECT * FROM STREAM orders AS o"),
            "(select * (from (as (stream orders) o)))");
  EXPECT_EQ(QueryTree("SELECT * FROM STREAM(delta.`/tmp/t`)"),
            "(select * (from (stream delta:/tmp/t)))");
  EXPECT_EQ(QueryTree("SELECT * FROM STREAM delta.`/tmp/t` t"),
            "(select * (from (as (stream delta:/tmp/t) t)))");
  EXPECT_EQ(QueryTree("SELECT * FROM STREAM read_files('/in', format => 'json')"),
            "(select * (from (stream (read_files '/in' (=> format 'json')))))");
  EXPECT_EQ(QueryTree("SELECT * FROM STREAM(read_files('/in')) AS r"),
            "(select * (from (as (stream (read_files '/in')) r)))");
  EXPECT_EQ(QueryTree("SELECT * FROM STREAM(a) JOIN b ON a.k = b.k"),
            "(select * (from (inner (stream a) b (on (= a.k b.k)))))");
}

TEST(ParserQueryTest, StreamStaysAName) {
  EXPECT_EQ(QueryTree("SELECT stream FROM t"), "(select stream (from t))");
  EXPECT_EQ(QueryTree("SELECT * FROM stream"), "(select * (from stream))");
  EXPECT_EQ(QueryTree("SELECT * FROM stream WHERE stream.a = 1"),
            "(select * (from stream) (where (= stream.a 1)))");
  EXPECT_EQ(QueryTree("SELECT * FROM stream, t"), "(select * (from (cross stream t)))");
  EXPECT_EQ(QueryTree("SELECT * FROM t JOIN stream ON t.a = stream.a"),
            "(select * (from (inner t stream (on (= t.a stream.a)))))");
  EXPECT_EQ(QueryTree("SELECT * FROM stream AS s"), "(select * (from (as stream s)))");
  EXPECT_EQ(QueryTree("SELECT * FROM stream VERSION AS OF 3"), "(select * (from (stream @v3)))");
  EXPECT_EQ(QueryTree("SELECT * FROM `stream` s"), "(select * (from (as stream s)))");
}

TEST(ParserQueryTest, Joins) {
  EXPECT_EQ(QueryTree("SELECT * FROM a JOIN b ON a.x = b.x"),
            "(select * (from (inner a b (on (= a.x b.x)))))");
  EXPECT_EQ(QueryTree("SELECT * FROM a LEFT OUTER JOIN b USING (x, y) RIGHT JOIN c ON true"),
            "(select * (from (right (left a b (using x y)) c (on true))))");
  EXPECT_EQ(QueryTree("SELECT * FROM a FULL JOIN b ON p CROSS JOIN c"),
            "(select * (from (cross (full a b (on p)) c)))");
  EXPECT_EQ(QueryTree("SELECT * FROM a LEFT SEMI JOIN b ON p SEMI JOIN c ON q"),
            "(select * (from (semi (semi a b (on p)) c (on q))))");
  EXPECT_EQ(QueryTree("SELECT * FROM a LEFT ANTI JOIN b ON p ANTI JOIN c ON q"),
            "(select * (from (anti (anti a b (on p)) c (on q))))");
  EXPECT_EQ(QueryTree("SELECT * FROM a NATURAL JOIN b INNER JOIN c ON p"),
            "(select * (from (inner (natural-inner a b) c (on p))))");
  EXPECT_EQ(QueryTree("SELECT * FROM a x, b JOIN c ON p"),
            "(select * (from (cross (as a x) (inner b c (on p)))))");
  EXPECT_EQ(QueryTree("SELECT * FROM (a JOIN b ON p) j"),
            "(select * (from (as (inner a b (on p)) j)))");
}

TEST(ParserQueryTest, LateralViews) {
  EXPECT_EQ(QueryTree("SELECT * FROM t LATERAL VIEW explode(arr) e AS x"),
            "(select * (from (as (lateral-view t (explode arr)) e (x))))");
  EXPECT_EQ(QueryTree("SELECT * FROM t LATERAL VIEW OUTER posexplode(arr) e p, x"),
            "(select * (from (as (lateral-view-outer t (posexplode arr)) e (p x))))");
  EXPECT_EQ(QueryTree("SELECT * FROM a, b LATERAL VIEW explode(m) m1 LATERAL VIEW explode(n) n1"),
            "(select * (from (as (lateral-view (as (lateral-view (cross a b) (explode m)) m1) "
            "(explode n)) n1)))");
  EXPECT_EQ(QueryTree("SELECT * FROM t LATERAL VIEW explode(arr) e WHERE x > 1"),
            "(select * (from (as (lateral-view t (explode arr)) e)) (where (> x 1)))");
  EXPECT_NE(ParseErrorOf("SELECT * FROM t LATERAL VIEW explode(arr)"), "");
  EXPECT_NE(ParseErrorOf("SELECT * FROM t LATERAL VIEW e AS x"), "");
}

TEST(ParserQueryTest, TimeTravel) {
  EXPECT_EQ(QueryTree("SELECT * FROM t VERSION AS OF 3"), "(select * (from (t @v3)))");
  EXPECT_EQ(QueryTree("SELECT * FROM t FOR SYSTEM_VERSION AS OF 4 x"),
            "(select * (from (as (t @v4) x)))");
  EXPECT_EQ(QueryTree("SELECT * FROM t TIMESTAMP AS OF '2024-01-01'"),
            "(select * (from (t @ts '2024-01-01')))");
  EXPECT_EQ(QueryTree("SELECT * FROM t FOR SYSTEM_TIME AS OF current_timestamp() - interval 1 day"),
            "(select * (from (t @ts (- (current_timestamp) (interval 0 1 0)))))");
  EXPECT_EQ(QueryTree("SELECT * FROM db.t@v5"), "(select * (from (db.t @v5)))");
  EXPECT_EQ(QueryTree("SELECT * FROM t@20240501000000000"),
            "(select * (from (t @ts '2024-05-01 00:00:00.000')))");
  EXPECT_EQ(QueryTree("SELECT * FROM delta.`/p` VERSION AS OF 0"),
            "(select * (from (delta:/p @v0)))");
}

TEST(ParserQueryTest, SetOperations) {
  EXPECT_EQ(QueryTree("SELECT 1 UNION SELECT 2 UNION ALL SELECT 3"),
            "(union-all (union (select 1) (select 2)) (select 3))");
  EXPECT_EQ(QueryTree("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3"),
            "(union (select 1) (intersect (select 2) (select 3)))");
  EXPECT_EQ(QueryTree("SELECT 1 EXCEPT DISTINCT SELECT 2 MINUS ALL SELECT 3"),
            "(except-all (except (select 1) (select 2)) (select 3))");
  EXPECT_EQ(QueryTree("(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3"),
            "(intersect (union (select 1) (select 2)) (select 3))");
  EXPECT_EQ(QueryTree("SELECT a FROM t UNION SELECT b FROM u ORDER BY 1 LIMIT 3"),
            "(query (union (select a (from t)) (select b (from u))) (order (1 asc)) (limit 3))");
  EXPECT_EQ(QueryTree("(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL SELECT 2"),
            "(union-all (query (select a (from t)) (order (a asc)) (limit 1)) (select 2))");
  EXPECT_EQ(QueryTree("VALUES (1, 2), (3, 4)"), "(values (1 2) (3 4))");
  EXPECT_EQ(QueryTree("VALUES 1, 2"), "(values (1) (2))");
  EXPECT_EQ(QueryTree("TABLE t"), "(select * (from t))");
}

TEST(ParserQueryTest, ClauseCombinations) {
  EXPECT_EQ(QueryTree("SELECT a.b.* FROM t"), "(select a.b.* (from t))");
  EXPECT_EQ(QueryTree("SELECT count(*) FROM t HAVING count(*) > 1"),
            "(select (count *) (from t) (having (> (count *) 1)))");
  EXPECT_EQ(QueryTree("SELECT a FROM t QUALIFY r = 1 WINDOW w AS (ORDER BY a)"),
            "(select a (from t) (qualify (= r 1)) (named-window w (window (order (a asc)))))");
  EXPECT_EQ(QueryTree("SELECT a FROM t OFFSET 3"), "(query (select a (from t)) (offset 3))");
  EXPECT_EQ(QueryTree("SELECT offset FROM t WHERE offset > 1 LIMIT 2 OFFSET 3"),
            "(query (select offset (from t) (where (> offset 1))) (limit 2) (offset 3))");
  EXPECT_EQ(QueryTree("SELECT * FROM t WHERE a IN (SELECT b FROM u WHERE u.c = t.c)"),
            "(select * (from t) (where (in a (select b (from u) (where (= u.c t.c))))))");
  EXPECT_EQ(QueryTree("SELECT /*+ BROADCAST(u) */ a -- trailing\nFROM t"), "(select a (from t))");
  EXPECT_EQ(QueryTree("select A FrOm T wHeRe B"), "(select A (from T) (where B))");
}

TEST(ParserQueryTest, GroupingSetsRollupAndCube) {
  EXPECT_EQ(QueryTree("SELECT a, sum(v) FROM t GROUP BY GROUPING SETS ((a), (a, b), (), c)"),
            "(select a (sum v) (from t) (group (grouping_sets (struct a) (struct a b) (struct) "
            "(struct c))))");
  EXPECT_EQ(QueryTree("SELECT a FROM t GROUP BY a, b WITH ROLLUP"),
            "(select a (from t) (group (rollup a b)))");
  EXPECT_EQ(QueryTree("SELECT a FROM t GROUP BY a WITH CUBE"),
            "(select a (from t) (group (cube a)))");
  EXPECT_EQ(QueryTree("SELECT a FROM t GROUP BY ROLLUP (a, b)"),
            "(select a (from t) (group (rollup a b)))");
}

TEST(ParserQueryTest, CommonTableExpressions) {
  EXPECT_EQ(QueryTree("WITH a AS (SELECT 1), b (x) AS (SELECT 2) SELECT * FROM a, b"),
            "(query (cte a (select 1)) (cte b (x) (select 2)) (select * (from (cross a b))))");
}

TEST(ParserQueryTest, SyntaxErrors) {
  EXPECT_EQ(ParseErrorOf("SELECT * FORM t"),
            "[PARSE_SYNTAX_ERROR] Syntax error at or near 'FORM'. SQLSTATE: 42601 (line 1, pos 9)");
  EXPECT_EQ(ParseErrorOf("SELECT a FROM t WHERE"),
            "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 "
            "(line 1, pos 21)");
  EXPECT_EQ(
      ParseErrorOf("SELECT a, FROM t"),
      "[PARSE_SYNTAX_ERROR] Syntax error at or near 'FROM'. SQLSTATE: 42601 (line 1, pos 10)");
  EXPECT_EQ(ParseErrorOf("SELECT 'é', \n  é FROM"),
            "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 "
            "(line 2, pos 8)");
  EXPECT_EQ(ParseErrorOf("SELECT 1 /* open"),
            "[UNCLOSED_BRACKETED_COMMENT] Found an unclosed bracketed comment. Please, append */ "
            "at the end of the comment. SQLSTATE: 42601 (line 1, pos 9)");
  EXPECT_EQ(ParseErrorOf(""),
            "[PARSE_EMPTY_STATEMENT] Syntax error, unexpected empty statement. SQLSTATE: 42617 "
            "(line 1, pos 0)");
  EXPECT_EQ(ParseErrorOf("  -- nothing\n"),
            "[PARSE_EMPTY_STATEMENT] Syntax error, unexpected empty statement. SQLSTATE: 42617 "
            "(line 2, pos 0)");
  EXPECT_EQ(ParseErrorOf("SELECT 1; SELECT 2"),
            "[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELECT'. SQLSTATE: 42601 "
            "(line 1, pos 10)");
}

TEST(ParserQueryTest, DeeplyNestedSubqueriesFailCleanly) {
  std::string sql;
  for (int i = 0; i < 3000; ++i) {
    sql += "SELECT * FROM (";
  }
  sql += "SELECT 1";
  sql += std::string(3000, ')');
  Result<StatementPtr> statement = ParseStatement(sql);
  ASSERT_FALSE(statement.ok());
  EXPECT_EQ(statement.status().code(), StatusCode::kParseError);
}

}  // namespace
}  // namespace sluice::sql
