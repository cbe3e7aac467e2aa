// SPDX-License-Identifier: Apache-2.0
#include "engine/session.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "engine/tests/test_rows.h"

namespace sluice::engine {
namespace {

/// A fresh warehouse per test, removed afterwards.
class TempWarehouse {
 public:
  TempWarehouse() {
    path_ = std::filesystem::temp_directory_path() /
            ("sluice_session_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(path_);
  }
  ~TempWarehouse() { std::filesystem::remove_all(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

std::unique_ptr<Session> OpenSession(const std::string& warehouse) {
  SessionOptions options;
  options.warehouse_dir = warehouse;
  options.num_threads = 2;
  options.settings["spark.sql.session.timeZone"] = "UTC";
  Result<std::unique_ptr<Session>> session = Session::Open(options);
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  return std::move(session).value();
}

void Exec(Session& session, std::string_view sql) {
  Result<QueryResult> result = session.Execute(sql);
  ASSERT_TRUE(result.ok()) << sql << ": " << result.status().ToString();
}

TEST(SessionTest, TablesSurviveARestart) {
  TempWarehouse warehouse;
  {
    std::unique_ptr<Session> session = OpenSession(warehouse.path());
    Exec(*session, "CREATE TABLE orders (id BIGINT, region STRING) USING DELTA");
    Exec(*session, "INSERT INTO orders VALUES (1, 'eu'), (2, 'us'), (3, 'eu')");
  }
  std::unique_ptr<Session> session = OpenSession(warehouse.path());
  EXPECT_EQ(Rows(*session, "SELECT region, count(*) FROM orders GROUP BY region ORDER BY region"),
            (std::vector<std::string>{"eu|2", "us|1"}));
  EXPECT_EQ(Rows(*session, "SHOW TABLES"), (std::vector<std::string>{"default|orders|false"}));
}

TEST(SessionTest, SeedQueriesRunAsWritten) {
  TempWarehouse warehouse;
  std::unique_ptr<Session> session = OpenSession(warehouse.path());
  Exec(*session,
       "CREATE TABLE orders (order_id BIGINT, region STRING, order_time TIMESTAMP) USING DELTA "
       "TBLPROPERTIES (delta.enableChangeDataFeed = true)");
  Exec(*session,
       "INSERT INTO orders VALUES (1, 'eu', current_timestamp() - interval 1 minute), "
       "(2, 'us', current_timestamp() - interval 2 hours), "
       "(3, 'eu', TIMESTAMP '2020-01-01 00:00:00')");
  // Rows of today: 1 and, unless the test runs in the first two hours of a UTC day, 2.
  std::vector<std::string> today =
      Rows(*session,
           "SELECT region, COUNT(*) AS order_count FROM orders WHERE order_time >= current_date() "
           "GROUP BY region ORDER BY region");
  ASSERT_FALSE(today.empty());
  EXPECT_EQ(today[0], "eu|1");
  EXPECT_EQ(
      Rows(*session, "SELECT order_id FROM orders WHERE order_time >= NOW() - interval 1 hour"),
      (std::vector<std::string>{"1"}));
  Exec(*session, "ALTER TABLE orders SET TBLPROPERTIES (delta.enableChangeDataFeed = true)");
  EXPECT_EQ(Rows(*session,
                 "SELECT order_id, _change_type, _commit_version FROM "
                 "table_changes('orders', '2024-05-01') ORDER BY order_id"),
            (std::vector<std::string>{"1|insert|1", "2|insert|1", "3|insert|1"}));
}

TEST(SessionTest, VariablesAreSubstitutedFromSettingsAsSparkDoes) {
  TempWarehouse warehouse;
  std::unique_ptr<Session> session = OpenSession(warehouse.path());
  ASSERT_TRUE(session->Execute("SET my.topic = orders").ok());
  ASSERT_TRUE(session->Execute("SET my.n = 41").ok());
  setenv("SLUICE_TEST_VAR", "from-env", 1);
  EXPECT_EQ(Rows(*session,
                 "SELECT '${my.topic}', ${my.n} + 1, '${hiveconf:my.n}', '${env:SLUICE_TEST_VAR}', "
                 "'${not.set}'"),
            (std::vector<std::string>{"orders|42|41|from-env|${not.set}"}));
  ASSERT_TRUE(session->Execute("SET spark.sql.variable.substitute = false").ok());
  EXPECT_EQ(Rows(*session, "SELECT '${my.n}'"), (std::vector<std::string>{"${my.n}"}));
}

TEST(SessionTest, TableChangesNeedsTheChangeDataFeed) {
  TempWarehouse warehouse;
  std::unique_ptr<Session> session = OpenSession(warehouse.path());
  Exec(*session, "CREATE TABLE t (id INT) USING DELTA");
  Exec(*session, "INSERT INTO t VALUES (1)");
  Result<QueryResult> result = session->Execute("SELECT * FROM table_changes('t', 0)");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("DELTA_MISSING_CHANGE_DATA"), std::string::npos)
      << result.status().ToString();
}

TEST(SessionTest, TimeTravelBySqlClauseAndAtSyntax) {
  TempWarehouse warehouse;
  std::unique_ptr<Session> session = OpenSession(warehouse.path());
  Exec(*session, "CREATE TABLE t (id INT) USING DELTA");
  Exec(*session, "INSERT INTO t VALUES (1)");
  Exec(*session, "INSERT INTO t VALUES (2)");
  EXPECT_EQ(Rows(*session, "SELECT count(*) FROM t VERSION AS OF 1"),
            (std::vector<std::string>{"1"}));
  EXPECT_EQ(Rows(*session, "SELECT count(*) FROM t@v2"), (std::vector<std::string>{"2"}));
  EXPECT_EQ(Rows(*session, "SELECT count(*) FROM t"), (std::vector<std::string>{"2"}));
}

TEST(SessionTest, ErrorsCarrySparkErrorClasses) {
  TempWarehouse warehouse;
  std::unique_ptr<Session> session = OpenSession(warehouse.path());
  Exec(*session, "CREATE TABLE t (amount INT) USING DELTA");
  Result<QueryResult> missing = session->Execute("SELECT * FROM nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("[TABLE_OR_VIEW_NOT_FOUND]"), std::string::npos);
  Result<QueryResult> column = session->Execute("SELECT amout FROM t");
  ASSERT_FALSE(column.ok());
  EXPECT_NE(column.status().message().find("[UNRESOLVED_COLUMN.WITH_SUGGESTION]"),
            std::string::npos);
  EXPECT_NE(column.status().message().find("`amount`"), std::string::npos);
  Result<QueryResult> syntax = session->Execute("SELECT * FORM t");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().code(), StatusCode::kParseError);
  EXPECT_NE(syntax.status().message().find("[PARSE_SYNTAX_ERROR]"), std::string::npos);
}

TEST(SessionTest, SetChangesTheSessionTimeZone) {
  TempWarehouse warehouse;
  std::unique_ptr<Session> session = OpenSession(warehouse.path());
  Exec(*session, "SET spark.sql.session.timeZone = America/Los_Angeles");
  EXPECT_EQ(session->GetSetting("spark.sql.session.timeZone"), "America/Los_Angeles");
  EXPECT_EQ(Rows(*session, "SELECT CAST(TIMESTAMP '2024-01-01 00:00:00' AS STRING)"),
            (std::vector<std::string>{"2024-01-01 00:00:00"}));
  EXPECT_EQ(
      Rows(*session, "SELECT CAST(CAST(TIMESTAMP '2024-01-01 00:00:00' AS BIGINT) AS STRING)"),
      (std::vector<std::string>{"1704096000"}));
}

}  // namespace
}  // namespace sluice::engine
