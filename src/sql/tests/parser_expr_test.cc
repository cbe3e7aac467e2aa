// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <string>

#include "sql/parser.h"
#include "sql/tests/parse_tree_sexpr.h"

namespace sluice::sql {
namespace {

using testing::ExprTree;

TEST(ParserExprTest, Literals) {
  EXPECT_EQ(ExprTree("NULL"), "null");
  EXPECT_EQ(ExprTree("true"), "true");
  EXPECT_EQ(ExprTree("FALSE"), "false");
  EXPECT_EQ(ExprTree("42"), "42");
  EXPECT_EQ(ExprTree("42L"), "42L");
  EXPECT_EQ(ExprTree("7S"), "7S");
  EXPECT_EQ(ExprTree("7Y"), "7Y");
  EXPECT_EQ(ExprTree("1.5"), "1.5:dec");
  EXPECT_EQ(ExprTree(".5"), ".5:dec");
  EXPECT_EQ(ExprTree("1.5BD"), "1.5BD:dec");
  EXPECT_EQ(ExprTree("1e3"), "1e3:dbl");
  EXPECT_EQ(ExprTree("1.5E-2"), "1.5E-2:dbl");
  EXPECT_EQ(ExprTree("1.5D"), "1.5D:dbl");
  EXPECT_EQ(ExprTree("1.5F"), "1.5F:dbl");
  EXPECT_EQ(ExprTree("-1"), "-1");
  EXPECT_EQ(ExprTree("- 2.5"), "-2.5:dec");
}

TEST(ParserExprTest, StringLiterals) {
  EXPECT_EQ(ExprTree("'abc'"), "'abc'");
  EXPECT_EQ(ExprTree("\"abc\""), "'abc'");
  EXPECT_EQ(ExprTree("'a' 'b' \"c\""), "'abc'");
  EXPECT_EQ(ExprTree(R"('it\'s')"), "'it's'");
  EXPECT_EQ(ExprTree(R"('a\tb\nc\\d')"), "'a\tb\nc\\d'");
  EXPECT_EQ(ExprTree(R"('\u0041\101')"), "'AA'");
  EXPECT_EQ(ExprTree(R"('50\%')"), "'50\\%'");
  EXPECT_EQ(ExprTree(R"(r'a\tb')"), "'a\\tb'");
  EXPECT_EQ(ExprTree("'it''s'"), "'its'");
}

TEST(ParserExprTest, TypedLiterals) {
  EXPECT_EQ(ExprTree("DATE '2024-05-01'"), "date'2024-05-01'");
  EXPECT_EQ(ExprTree("TIMESTAMP '2024-05-01 10:00:00'"), "ts'2024-05-01 10:00:00'");
  EXPECT_EQ(ExprTree("timestamp_ntz '2024-05-01 10:00:00'"), "ntz'2024-05-01 10:00:00'");
  EXPECT_EQ(ExprTree("X'1F2e'"), "x'1F2e'");
  EXPECT_EQ(ExprTree("DATE 'nope'"),
            "error: [INVALID_TYPED_LITERAL] The value of the typed literal \"DATE\" is invalid: "
            "'nope'. SQLSTATE: 42604 (line 1, pos 0)");
}

TEST(ParserExprTest, Intervals) {
  const int64_t hour = 3600000000LL;
  EXPECT_EQ(ExprTree("interval 1 hour"), "(interval 0 0 " + std::to_string(hour) + ")");
  EXPECT_EQ(ExprTree("INTERVAL '10' MINUTE"), "(interval 0 0 600000000)");
  EXPECT_EQ(ExprTree("INTERVAL 10 MINUTES"), "(interval 0 0 600000000)");
  EXPECT_EQ(ExprTree("interval 1 day 2 hours"), "(interval 0 1 " + std::to_string(2 * hour) + ")");
  EXPECT_EQ(ExprTree("interval '1 day 2 hours'"),
            "(interval 0 1 " + std::to_string(2 * hour) + ")");
  EXPECT_EQ(ExprTree("INTERVAL '1-2' YEAR TO MONTH"), "(interval 14 0 0)");
  EXPECT_EQ(ExprTree("INTERVAL '-1-2' YEAR TO MONTH"), "(interval -14 0 0)");
  EXPECT_EQ(ExprTree("INTERVAL '1 02:03:04.5' DAY TO SECOND"),
            "(interval 0 1 " + std::to_string(2 * hour + 3 * 60000000LL + 4500000) + ")");
  EXPECT_EQ(ExprTree("INTERVAL '02:03' HOUR TO MINUTE"),
            "(interval 0 0 " + std::to_string(2 * hour + 3 * 60000000LL) + ")");
  EXPECT_EQ(ExprTree("interval -1 day"), "(interval 0 -1 0)");
  EXPECT_EQ(ExprTree("interval '-3' day"), "(interval 0 -3 0)");
  EXPECT_EQ(ExprTree("interval 2 years 1 month 1 week"), "(interval 25 7 0)");
  EXPECT_EQ(ExprTree("interval 1.5 seconds 20 milliseconds 7 microseconds"),
            "(interval 0 0 1520007)");
  EXPECT_EQ(ExprTree("interval '-1 hours 30 minutes'"), "(interval 0 0 -1800000000)");
  EXPECT_EQ(ExprTree("ts + interval 1 day - 1"), "(- (+ ts (interval 0 1 0)) 1)");
  EXPECT_EQ(ExprTree("INTERVAL '1 25:00' DAY TO MINUTE").substr(0, 30),
            "error: [INVALID_TYPED_LITERAL]");
  EXPECT_EQ(ExprTree("interval 'abc'").substr(0, 30), "error: [INVALID_TYPED_LITERAL]");
}

TEST(ParserExprTest, Precedence) {
  EXPECT_EQ(ExprTree("a OR b AND c"), "(OR a (AND b c))");
  EXPECT_EQ(ExprTree("NOT a AND b"), "(AND (NOT a) b)");
  EXPECT_EQ(ExprTree("NOT a = b"), "(NOT (= a b))");
  EXPECT_EQ(ExprTree("a = b + c * d"), "(= a (+ b (* c d)))");
  EXPECT_EQ(ExprTree("a - b - c"), "(- (- a b) c)");
  EXPECT_EQ(ExprTree("a | b ^ c & d"), "(| a (^ b (& c d)))");
  EXPECT_EQ(ExprTree("a & b + c"), "(& a (+ b c))");
  EXPECT_EQ(ExprTree("a || b + c"), "(+ (|| a b) c)");
  EXPECT_EQ(ExprTree("a || b * c"), "(|| a (* b c))");
  EXPECT_EQ(ExprTree("a DIV b % c"), "(% (DIV a b) c)");
  EXPECT_EQ(ExprTree("-a * b"), "(* (- a) b)");
  EXPECT_EQ(ExprTree("~a"), "(~ a)");
  EXPECT_EQ(ExprTree("-a::int"), "(- (cast a int))");
  EXPECT_EQ(ExprTree("(a + b) * c"), "(* (+ a b) c)");
  EXPECT_EQ(ExprTree("a <=> b AND c != d AND e <> f AND g == h"),
            "(AND (AND (AND (<=> a b) (!= c d)) (<> e f)) (== g h))");
  EXPECT_EQ(ExprTree("!a"), "(NOT a)");
}

TEST(ParserExprTest, Predicates) {
  EXPECT_EQ(ExprTree("a IN (1, 2)"), "(in a 1 2)");
  EXPECT_EQ(ExprTree("a NOT IN (1)"), "(not-in a 1)");
  EXPECT_EQ(ExprTree("a IN (SELECT b FROM t)"), "(in a (select b (from t)))");
  EXPECT_EQ(ExprTree("a BETWEEN 1 AND 2 AND c"), "(AND (between a 1 2) c)");
  EXPECT_EQ(ExprTree("a NOT BETWEEN b + 1 AND 2"), "(not-between a (+ b 1) 2)");
  EXPECT_EQ(ExprTree("a LIKE 'x%'"), "(like a 'x%')");
  EXPECT_EQ(ExprTree("a NOT ILIKE 'x%' ESCAPE '!'"), "(not-ilike a 'x%' (escape '!'))");
  EXPECT_EQ(ExprTree("a RLIKE '^x'"), "(rlike a '^x')");
  EXPECT_EQ(ExprTree("a REGEXP '^x'"), "(rlike a '^x')");
  EXPECT_EQ(ExprTree("a IS NULL"), "(is-null a)");
  EXPECT_EQ(ExprTree("a IS NOT NULL"), "(is-not-null a)");
  EXPECT_EQ(ExprTree("a IS TRUE"), "(is-true a)");
  EXPECT_EQ(ExprTree("a IS NOT FALSE"), "(is-not-false a)");
  EXPECT_EQ(ExprTree("a IS DISTINCT FROM b"), "(is-distinct-from a b)");
  EXPECT_EQ(ExprTree("a IS NOT DISTINCT FROM b"), "(is-not-distinct-from a b)");
  EXPECT_EQ(ExprTree("a = b IS NULL"), "(is-null (= a b))");
  EXPECT_EQ(ExprTree("EXISTS (SELECT 1)"), "(exists (select 1))");
  EXPECT_EQ(ExprTree("NOT EXISTS (SELECT 1) AND a"), "(AND (not-exists (select 1)) a)");
  EXPECT_EQ(ExprTree("(SELECT max(x) FROM t) + 1"), "(+ (subquery (select (max x) (from t))) 1)");
}

TEST(ParserExprTest, ColumnsAndAccess) {
  EXPECT_EQ(ExprTree("a"), "a");
  EXPECT_EQ(ExprTree("t.a.b"), "t.a.b");
  EXPECT_EQ(ExprTree("`my col`.`x``y`"), "my col.x`y");
  EXPECT_EQ(ExprTree("a[0]"), "([] a 0)");
  EXPECT_EQ(ExprTree("m['k'].f"), "(. ([] m 'k') f)");
  EXPECT_EQ(ExprTree("f(x).y.z"), "(. (. (f x) y) z)");
  EXPECT_EQ(ExprTree("(a).b"), "a.b");
  EXPECT_EQ(ExprTree("t.*"), "t.*");
  EXPECT_EQ(ExprTree("date + timestamp - year"), "(- (+ date timestamp) year)");
  EXPECT_EQ(ExprTree("key = value AND window > type AND comment IS NULL"),
            "(AND (AND (= key value) (> window type)) (is-null comment))");
  EXPECT_EQ(ExprTree("interval * 2"), "(* interval 2)");
}

TEST(ParserExprTest, FunctionCalls) {
  EXPECT_EQ(ExprTree("count(*)"), "(count *)");
  EXPECT_EQ(ExprTree("COUNT(DISTINCT a, b)"), "(count distinct a b)");
  EXPECT_EQ(ExprTree("sum(x) FILTER (WHERE x > 0)"), "(sum x (filter (> x 0)))");
  EXPECT_EQ(ExprTree("first(x) IGNORE NULLS"), "(first x ignore-nulls)");
  EXPECT_EQ(ExprTree("first(x IGNORE NULLS)"), "(first x ignore-nulls)");
  EXPECT_EQ(ExprTree("last(x) RESPECT NULLS"), "(last x respect-nulls)");
  EXPECT_EQ(ExprTree("now()"), "(now)");
  EXPECT_EQ(ExprTree("db.MyFunc(1)"), "(db.myfunc 1)");
  EXPECT_EQ(ExprTree("current_date"), "(current_date)");
  EXPECT_EQ(ExprTree("CURRENT_TIMESTAMP + current_user"), "(+ (current_timestamp) (current_user))");
  EXPECT_EQ(ExprTree("left('abc', 2)"), "(left 'abc' 2)");
  EXPECT_EQ(ExprTree("extract(YEAR FROM d)"), "(extract 'YEAR' d)");
  EXPECT_EQ(ExprTree("(1, 'a')"), "(struct 1 'a')");
  EXPECT_EQ(ExprTree("struct(1 AS x, t.b, 'c')"), "(named_struct 'x' 1 'b' t.b 'col3' 'c')");
  EXPECT_EQ(ExprTree("struct(a, b)"), "(struct a b)");
  EXPECT_EQ(ExprTree("substring(s FROM 2 FOR 3)"), "(substring s 2 3)");
  EXPECT_EQ(ExprTree("substr(s, 2)"), "(substr s 2)");
  EXPECT_EQ(ExprTree("trim(s)"), "(trim s)");
  EXPECT_EQ(ExprTree("trim(BOTH 'x' FROM s)"), "(btrim s 'x')");
  EXPECT_EQ(ExprTree("trim(LEADING FROM s)"), "(ltrim s)");
  EXPECT_EQ(ExprTree("TRIM(TRAILING 'x' FROM s)"), "(rtrim s 'x')");
  EXPECT_EQ(ExprTree("trim('x' FROM s)"), "(btrim s 'x')");
  EXPECT_EQ(ExprTree("position('a' IN s)"), "(position 'a' s)");
  EXPECT_EQ(ExprTree("position('a', s, 2)"), "(position 'a' s 2)");
}

TEST(ParserExprTest, Windows) {
  EXPECT_EQ(ExprTree("row_number() OVER (PARTITION BY a, b ORDER BY c DESC NULLS LAST)"),
            "(row_number (window (partition a b) (order (c desc nulls-last))))");
  EXPECT_EQ(ExprTree("sum(x) OVER w"), "(sum x (window w))");
  EXPECT_EQ(ExprTree("sum(x) OVER (ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"),
            "(sum x (window (order (t asc)) (rows unbounded-preceding current-row)))");
  EXPECT_EQ(ExprTree("avg(x) OVER (ORDER BY t RANGE BETWEEN 2 PRECEDING AND 3 FOLLOWING)"),
            "(avg x (window (order (t asc)) (range (preceding 2) (following 3))))");
  EXPECT_EQ(ExprTree("sum(x) OVER (ROWS 1 PRECEDING)"),
            "(sum x (window (rows (preceding 1) current-row)))");
  EXPECT_EQ(ExprTree("lag(x) OVER (w ORDER BY y NULLS FIRST)"),
            "(lag x (window w (order (y asc nulls-first))))");
  EXPECT_EQ(ExprTree("count(*) FILTER (WHERE a) OVER ()"), "(count * (filter a) (window))");
}

TEST(ParserExprTest, CastsAndCase) {
  EXPECT_EQ(ExprTree("CAST(a AS DECIMAL(10, 2))"), "(cast a DECIMAL(10, 2))");
  EXPECT_EQ(ExprTree("TRY_CAST(a AS INT)"), "(try_cast a INT)");
  EXPECT_EQ(ExprTree("a::ARRAY<STRUCT<a: INT>>"), "(cast a ARRAY<STRUCT<a: INT>>)");
  EXPECT_EQ(ExprTree("cast(m as MAP<STRING, INT>)"), "(cast m MAP<STRING, INT>)");
  EXPECT_EQ(ExprTree("a::string::int"), "(cast (cast a string) int)");
  EXPECT_EQ(ExprTree("CAST(x AS INTERVAL DAY TO SECOND)"), "(cast x INTERVAL DAY TO SECOND)");
  EXPECT_EQ(ExprTree("CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END"),
            "(case (when a 1) (when b 2) (else 3))");
  EXPECT_EQ(ExprTree("CASE x WHEN 1 THEN 'one' END"), "(case x (when 1 'one'))");
}

TEST(ParserExprTest, Lambdas) {
  EXPECT_EQ(ExprTree("transform(arr, x -> x + 1)"), "(transform arr (lambda (x) (+ x 1)))");
  EXPECT_EQ(ExprTree("aggregate(arr, 0, (acc, x) -> acc + x)"),
            "(aggregate arr 0 (lambda (acc x) (+ acc x)))");
}

TEST(ParserExprTest, SyntaxErrors) {
  EXPECT_EQ(ExprTree("a +"),
            "error: [PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 "
            "(line 1, pos 3)");
  EXPECT_EQ(ExprTree("a b"),
            "error: [PARSE_SYNTAX_ERROR] Syntax error at or near 'b'. SQLSTATE: 42601 "
            "(line 1, pos 2)");
  EXPECT_EQ(ExprTree("f(1,\n  )"),
            "error: [PARSE_SYNTAX_ERROR] Syntax error at or near ')'. SQLSTATE: 42601 "
            "(line 2, pos 2)");
  EXPECT_EQ(ExprTree("'abc"),
            "error: [PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 "
            "(line 1, pos 4)");
  EXPECT_EQ(ExprTree("CASE END").substr(0, 50),
            "error: [PARSE_SYNTAX_ERROR] Syntax error at or nea");
}

TEST(ParserExprTest, DeepNestingFailsCleanly) {
  const std::string deep = std::string(5000, '(') + "1" + std::string(5000, ')');
  Result<ParsedExprPtr> expr = ParseExpression(deep);
  ASSERT_FALSE(expr.ok());
  EXPECT_EQ(expr.status().code(), StatusCode::kParseError);
  const std::string ok = std::string(300, '(') + "1" + std::string(300, ')');
  EXPECT_TRUE(ParseExpression(ok).ok());
  std::string minus(5000, '-');
  EXPECT_FALSE(ParseExpression(minus + "1").ok());
  std::string nots;
  for (int i = 0; i < 3000; ++i) {
    nots += "NOT ";
  }
  EXPECT_FALSE(ParseExpression(nots + "a").ok());
}

TEST(ParserExprTest, LongOperatorChainsParseUpToTheLimit) {
  std::string chain = "a";
  for (int i = 0; i < 4000; ++i) {
    chain += i % 2 == 0 ? " OR a = 1" : " + a";
  }
  EXPECT_TRUE(ParseExpression(chain).ok());
  for (int i = 0; i < 4000; ++i) {
    chain += " AND b";
  }
  Result<ParsedExprPtr> expr = ParseExpression(chain);
  ASSERT_FALSE(expr.ok());
  EXPECT_EQ(expr.status().code(), StatusCode::kParseError);
  EXPECT_NE(expr.status().message().find("more chained operators than 5000"), std::string::npos)
      << expr.status().message();
}

TEST(ParserExprTest, PositionsOfNodes) {
  Result<ParsedExprPtr> expr = ParseExpression("a +\n  f(b)");
  ASSERT_TRUE(expr.ok());
  const ParsedExpr& call = *(*expr)->children[1];
  EXPECT_EQ(call.position.line, 2);
  EXPECT_EQ(call.position.column, 3);
  EXPECT_EQ(call.position.offset, 6);
}

}  // namespace
}  // namespace sluice::sql
