// SPDX-License-Identifier: Apache-2.0
#include "sql/stream_refs.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "sql/parser.h"
#include "sql/tests/parse_tree_sexpr.h"

namespace sluice::sql {
namespace {

using testing::Sexpr;

/// The STREAM items of `sql`'s query, each printed as its parse tree.
std::vector<std::string> StreamRefsOf(std::string_view sql) {
  Result<StatementPtr> statement = ParseStatement(sql);
  EXPECT_TRUE(statement.ok()) << sql << ": " << statement.status().ToString();
  if (!statement.ok()) {
    return {};
  }
  std::vector<std::string> printed;
  for (TableRef* ref : FindStreamRefs(*(*statement)->query)) {
    printed.push_back(Sexpr(*ref));
  }
  return printed;
}

using Refs = std::vector<std::string>;

TEST(StreamRefsTest, NoneInABatchQuery) {
  EXPECT_EQ(StreamRefsOf("SELECT * FROM a JOIN b ON a.k = b.k WHERE a.x IN (SELECT y FROM c)"),
            Refs{});
}

TEST(StreamRefsTest, FromItemsAndJoinsLeftToRight) {
  EXPECT_EQ(StreamRefsOf("SELECT * FROM STREAM(a) x JOIN b ON x.k = b.k, STREAM c, "
                         "STREAM(delta.`/p`) LEFT JOIN STREAM read_files('/in') r ON true"),
            (Refs{"(as (stream a) x)", "(stream c)", "(stream delta:/p)",
                  "(as (stream (read_files '/in')) r)"}));
}

TEST(StreamRefsTest, CtesSubqueriesAndSetOperations) {
  EXPECT_EQ(StreamRefsOf("WITH w AS (SELECT * FROM STREAM(a)) "
                         "SELECT * FROM w, (SELECT * FROM STREAM b) s "
                         "UNION ALL SELECT * FROM STREAM c "
                         "EXCEPT (SELECT * FROM STREAM d ORDER BY 1 LIMIT 1)"),
            (Refs{"(stream a)", "(stream b)", "(stream c)", "(stream d)"}));
}

TEST(StreamRefsTest, SubqueriesInExpressions) {
  EXPECT_EQ(StreamRefsOf("SELECT (SELECT max(v) FROM STREAM a), "
                         "CASE WHEN EXISTS (SELECT 1 FROM STREAM b) THEN 1 END "
                         "FROM STREAM c WHERE k IN (SELECT k FROM STREAM d) "
                         "GROUP BY k HAVING count(*) > (SELECT count(*) FROM STREAM e)"),
            (Refs{"(stream a)", "(stream b)", "(stream c)", "(stream d)", "(stream e)"}));
}

TEST(StreamRefsTest, RefsCanBeReplacedInPlace) {
  Result<StatementPtr> statement =
      ParseStatement("SELECT * FROM STREAM(orders) o JOIN STREAM delta.`/c` c ON o.k = c.k");
  ASSERT_TRUE(statement.ok()) << statement.status().ToString();
  QueryNode& query = *(*statement)->query;
  int next = 0;
  for (TableRef* ref : FindStreamRefs(query)) {
    ref->kind = TableRefKind::kNamed;
    ref->name = {"__stream_" + std::to_string(next++)};
    ref->format.clear();
    ref->path.clear();
    ref->stream = false;
  }
  EXPECT_EQ(Sexpr(query),
            "(select * (from (inner (as __stream_0 o) (as __stream_1 c) (on (= o.k c.k)))))");
  EXPECT_TRUE(FindStreamRefs(query).empty());
}

}  // namespace
}  // namespace sluice::sql
