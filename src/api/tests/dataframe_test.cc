// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "sluice/sluice.h"

namespace sluice {
namespace {

using namespace sluice::functions;  // NOLINT(build/namespaces)

class DataFrameTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("sluice_api_df_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Result<Session> session =
        Session::builder().warehouse((dir_ / "warehouse").string()).threads(2).getOrCreate();
    ASSERT_TRUE(session.ok()) << session.status().ToString();
    session_.emplace(std::move(session).value());
  }
  void TearDown() override {
    session_.reset();
    std::filesystem::remove_all(dir_);
  }

  DataFrame Sql(const std::string& text) {
    Result<DataFrame> df = session_->sql(text);
    EXPECT_TRUE(df.ok()) << df.status().ToString();
    return df.ok() ? *df : DataFrame();
  }

  DataFrame People() {
    return Sql(
        "SELECT * FROM VALUES (1, 'ann', 'nl', 10.5D), (2, 'bob', 'de', 20.0D), "
        "(3, 'cy', 'nl', NULL) AS t(id, name, country, amount)");
  }

  /// The rows as Row.toString texts, in order.
  static std::vector<std::string> Rows(const DataFrame& df) {
    Result<std::vector<Row>> rows = df.collect();
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<std::string> out;
    if (rows.ok()) {
      for (const Row& row : *rows) {
        out.push_back(row.toString());
      }
    }
    return out;
  }

  static std::vector<std::string> Columns(const DataFrame& df) {
    Result<std::vector<std::string>> names = df.columns();
    EXPECT_TRUE(names.ok()) << names.status().ToString();
    return names.ok() ? *names : std::vector<std::string>{};
  }

  std::filesystem::path dir_;
  std::optional<Session> session_;
};

TEST_F(DataFrameTest, ColumnsAreSqlTextWithQuotedNames) {
  EXPECT_EQ(col("a").sql(), "`a`");
  EXPECT_EQ(col("t.a").sql(), "`t`.`a`");
  EXPECT_EQ(col("`a.b`").sql(), "`a.b`");
  EXPECT_EQ(col("t.*").sql(), "`t`.*");
  EXPECT_EQ((col("a") + 1).sql(), "(`a` + 1)");
  EXPECT_EQ((col("s") == "it's").sql(), "(`s` = 'it\\'s')");
  EXPECT_EQ((!(col("a") > 1L) && col("b").isNull()).sql(), "((NOT (`a` > 1L)) AND (`b` IS NULL))");
  EXPECT_EQ(col("x").cast("int").alias("y").sql(), "CAST(`x` AS int) AS `y`");
  EXPECT_EQ(when(col("a") > 1, "big").when(col("a") > 0, "small").otherwise("none").sql(),
            "CASE WHEN (`a` > 1) THEN 'big' WHEN (`a` > 0) THEN 'small' ELSE 'none' END");
  EXPECT_EQ(window("ts", "10 minutes").sql(), "window(`ts`, '10 minutes')");
}

TEST_F(DataFrameTest, FilterAndSelectNarrowRowsAndColumns) {
  DataFrame df = People().filter(col("id") > 1).select("id", upper("name").alias("upper_name"));
  EXPECT_EQ(Columns(df), (std::vector<std::string>{"id", "upper_name"}));
  EXPECT_EQ(Rows(df.orderBy("id")), (std::vector<std::string>{"[2,BOB]", "[3,CY]"}));
  EXPECT_EQ(Rows(People().where("country = 'de'").selectExpr({"name", "id * 10 AS x"})),
            (std::vector<std::string>{"[bob,20]"}));
}

TEST_F(DataFrameTest, ExpressionsAreNamedAsSparkNamesThem) {
  EXPECT_EQ(Columns(People().select(col("id") + 1)), (std::vector<std::string>{"(id + 1)"}));
  EXPECT_EQ(Columns(People().groupBy("country").agg(sum("amount"), count("*"))),
            (std::vector<std::string>{"country", "sum(amount)", "count(1)"}));
}

TEST_F(DataFrameTest, FromJsonParsesTheSeedsKafkaValues) {
  // selectExpr("CAST(value AS STRING)") keeps the name `value`, as in Spark.
  DataFrame lines = Sql("SELECT * FROM VALUES (CAST('{\"id\":1,\"tag\":\"a\"}' AS BINARY)), "
                        "(CAST('oops' AS BINARY)) AS t(value)")
                        .selectExpr({"CAST(value AS STRING)"});
  EXPECT_EQ(Columns(lines), (std::vector<std::string>{"value"}));
  DataFrame parsed =
      lines.select(from_json(col("value"), "id INT, tag STRING, _corrupt_record STRING").alias("o"))
          .select("o.*");
  EXPECT_EQ(Rows(parsed), (std::vector<std::string>{"[1,a,NULL]", "[NULL,NULL,oops]"}));
  EXPECT_EQ(from_json("value", "id INT", {{"mode", "FAILFAST"}}).sql(),
            "from_json(`value`, 'id INT', map('mode', 'FAILFAST'))");
  Result<std::vector<Row>> failed =
      lines.select(from_json(col("value"), "id INT", {{"mode", "FAILFAST"}})).collect();
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("record parsing: oops."), std::string::npos)
      << failed.status().ToString();
  EXPECT_EQ(Rows(Sql("SELECT named_struct('a', 1) AS s").select(to_json("s"))),
            (std::vector<std::string>{"[{\"a\":1}]"}));
}

TEST_F(DataFrameTest, WithColumnReplacesOrAppendsAndDropRemoves) {
  DataFrame df = People().withColumn("double_id", col("id") * 2).withColumn("NAME", upper("name"));
  EXPECT_EQ(Columns(df),
            (std::vector<std::string>{"id", "NAME", "country", "amount", "double_id"}));
  DataFrame dropped = df.drop({"amount", "country", "no_such_column"});
  EXPECT_EQ(Columns(dropped), (std::vector<std::string>{"id", "NAME", "double_id"}));
  EXPECT_EQ(Rows(dropped.orderBy("id")),
            (std::vector<std::string>{"[1,ANN,2]", "[2,BOB,4]", "[3,CY,6]"}));
  EXPECT_EQ(Columns(People().withColumnRenamed("name", "who").toDF({"a", "b", "c", "d"})),
            (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST_F(DataFrameTest, GroupByAggregates) {
  DataFrame totals = People()
                         .groupBy("country")
                         .agg(sum("amount").alias("total"), count("id").alias("n"))
                         .orderBy(col("country").desc());
  EXPECT_EQ(Rows(totals), (std::vector<std::string>{"[nl,10.5,2]", "[de,20.0,1]"}));
  EXPECT_EQ(Rows(People().groupBy("country").count().orderBy("country")),
            (std::vector<std::string>{"[de,1]", "[nl,2]"}));
  EXPECT_EQ(Rows(People().agg({max("id"), min("name")})), (std::vector<std::string>{"[3,ann]"}));
}

TEST_F(DataFrameTest, JoinsByUsingColumnsAndByCondition) {
  DataFrame countries =
      Sql("SELECT * FROM VALUES ('nl', 'Netherlands'), ('fr', 'France') AS c(country, label)");
  EXPECT_EQ(Rows(People().join(countries, "country").select("id", "label").orderBy("id")),
            (std::vector<std::string>{"[1,Netherlands]", "[3,Netherlands]"}));
  EXPECT_EQ(Rows(People().join(countries, "country", "left").select("id", "label").orderBy("id")),
            (std::vector<std::string>{"[1,Netherlands]", "[2,NULL]", "[3,Netherlands]"}));
  DataFrame p = People().alias("p");
  DataFrame c = countries.alias("c");
  EXPECT_EQ(Rows(p.join(c, p.col("country") == c.col("country"), "left_anti").select("p.id")),
            (std::vector<std::string>{"[2]"}));
  DataFrame bad = People().join(countries, "country", "sideways");
  EXPECT_EQ(bad.count().status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.count().status().message().find("[UNSUPPORTED_JOIN_TYPE]"), std::string::npos);
}

TEST_F(DataFrameTest, OrderLimitDistinctAndUnions) {
  EXPECT_EQ(Rows(People().orderBy(col("id").desc()).limit(2).select("id")),
            (std::vector<std::string>{"[3]", "[2]"}));
  EXPECT_EQ(Rows(People().select("country").distinct().orderBy("country")),
            (std::vector<std::string>{"[de]", "[nl]"}));
  DataFrame ids = session_->range(3);
  EXPECT_EQ(ids.unionAll(session_->range(2)).count().value(), 5);
  DataFrame ab = Sql("SELECT 1 AS a, 2 AS b");
  DataFrame ba = Sql("SELECT 3 AS b, 4 AS a");
  EXPECT_EQ(Rows(ab.unionByName(ba)), (std::vector<std::string>{"[1,2]", "[4,3]"}));
  DataFrame only_a = Sql("SELECT 5 AS a");
  EXPECT_EQ(Rows(ab.unionByName(only_a, true)), (std::vector<std::string>{"[1,2]", "[5,NULL]"}));
  EXPECT_FALSE(ab.unionByName(only_a).count().ok());
  EXPECT_EQ(Rows(session_->range(5).subtract(session_->range(3))),
            (std::vector<std::string>{"[3]", "[4]"}));
}

TEST_F(DataFrameTest, SetOperationsAndDuplicates) {
  DataFrame ids = session_->range(5);
  EXPECT_EQ(Rows(ids.intersect(session_->range(3, 8)).orderBy("id")),
            (std::vector<std::string>{"[3]", "[4]"}));
  EXPECT_EQ(Rows(ids.unionAll(session_->range(2)).exceptAll(session_->range(5)).orderBy("id")),
            (std::vector<std::string>{"[0]", "[1]"}));
  EXPECT_EQ(People().dropDuplicates({"country"}).count().value(), 2);
  EXPECT_EQ(People().crossJoin(session_->range(2)).count().value(), 6);
  Result<std::vector<Row>> two = People().orderBy("id").take(2);
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  EXPECT_EQ(two->size(), 2u);
}

TEST_F(DataFrameTest, OrderSurvivesLaterProjections) {
  EXPECT_EQ(Rows(People().orderBy(col("id").desc()).select("name")),
            (std::vector<std::string>{"[cy]", "[bob]", "[ann]"}));
  EXPECT_EQ(Rows(session_->range(3)
                     .alias("a")
                     .join(session_->range(3).alias("b"), "id")
                     .filter(col("a.id") > 0)
                     .select(col("a.id"))
                     .orderBy("id")),
            (std::vector<std::string>{"[1]", "[2]"}));
}

TEST_F(DataFrameTest, CollectGivesTypedValues) {
  Result<std::vector<Row>> rows = People().orderBy("id").collect();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 3u);
  const Row& first = (*rows)[0];
  EXPECT_EQ(first.getLong("id"), 1);
  EXPECT_EQ(first.getString("name"), "ann");
  EXPECT_DOUBLE_EQ(first.getDouble(3), 10.5);
  EXPECT_TRUE((*rows)[2].isNullAt("amount"));
  EXPECT_EQ(People().count().value(), 3);
  Result<std::optional<Row>> top = People().orderBy(col("id").desc()).first();
  ASSERT_TRUE(top.ok());
  ASSERT_TRUE(top->has_value());
  EXPECT_EQ((*top)->getLong(0), 3);
  EXPECT_TRUE(People().filter("id > 10").isEmpty());
}

TEST_F(DataFrameTest, ShowPrintsSparksTable) {
  Result<std::string> text = People().orderBy("id").select("id", "name").showString(2);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text,
            "+---+----+\n"
            "| id|name|\n"
            "+---+----+\n"
            "|  1| ann|\n"
            "|  2| bob|\n"
            "+---+----+\n"
            "only showing top 2 rows\n");
  Result<std::string> tree = session_->range(2).schemaString();
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  EXPECT_EQ(*tree, "root\n |-- id: long (nullable = false)\n");
}

TEST_F(DataFrameTest, ErrorsSurfaceAtTheAction) {
  DataFrame df = People().select("no_such_column");
  Result<int64_t> count = df.count();
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.status().code(), StatusCode::kBindError);
  EXPECT_NE(count.status().message().find("no_such_column"), std::string::npos);
  // A transformation that needs the schema carries the error on.
  DataFrame derived = df.withColumn("x", lit(1)).filter("x = 1");
  EXPECT_FALSE(derived.status().ok());
  EXPECT_FALSE(derived.collect().ok());
  EXPECT_EQ(session_->sql("SELEC 1").status().code(), StatusCode::kParseError);
}

TEST_F(DataFrameTest, TempViewsAreSeenBySqlAndTable) {
  ASSERT_TRUE(People().filter("country = 'nl'").createOrReplaceTempView("dutch").ok());
  EXPECT_EQ(Rows(Sql("SELECT name FROM dutch ORDER BY name")),
            (std::vector<std::string>{"[ann]", "[cy]"}));
  EXPECT_EQ(Rows(Sql("WITH x AS (SELECT id FROM dutch) SELECT max(id) FROM x")),
            (std::vector<std::string>{"[3]"}));
  EXPECT_EQ(session_->table("dutch").count().value(), 2);
  EXPECT_EQ(Rows(session_->table("dutch").select("dutch.id").orderBy("id")),
            (std::vector<std::string>{"[1]", "[3]"}));
}

TEST_F(DataFrameTest, WriteSaveAndReadBackDelta) {
  const std::string path = (dir_ / "people").string();
  ASSERT_TRUE(People().write().format("delta").save(path).ok());
  EXPECT_EQ(session_->read().format("delta").load(path).count().value(), 3);
  // errorifexists is the default mode.
  Status again = People().write().save(path);
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(People().filter("id = 1").write().mode("append").save(path).ok());
  EXPECT_EQ(session_->read().load(path).count().value(), 4);
  ASSERT_TRUE(People().filter("id = 2").write().mode("overwrite").save(path).ok());
  EXPECT_EQ(Rows(session_->read().load(path).select("name")), (std::vector<std::string>{"[bob]"}));
  ASSERT_TRUE(People().write().mode("ignore").save(path).ok());
  EXPECT_EQ(session_->read().load(path).count().value(), 1);
  // Time travel through the reader's options.
  EXPECT_EQ(session_->read().option("versionAsOf", "0").load(path).count().value(), 3);
}

TEST_F(DataFrameTest, SaveAsTableCreatesAppendsAndPartitions) {
  ASSERT_TRUE(People().write().partitionBy({"country"}).saveAsTable("people").ok());
  ASSERT_TRUE(People()
                  .select("amount", "country", "name", "id")
                  .write()
                  .mode("append")
                  .saveAsTable("people")
                  .ok());
  EXPECT_EQ(session_->table("people").count().value(), 6);
  EXPECT_EQ(Rows(Sql("SELECT count(*) FROM people WHERE name = 'ann' AND id = 1")),
            (std::vector<std::string>{"[2]"}));
  EXPECT_EQ(People().write().saveAsTable("people").code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(People().filter("id = 3").write().insertInto("people").ok());
  EXPECT_EQ(session_->table("people").count().value(), 7);
  Result<DataFrame> detail = session_->sql("DESCRIBE DETAIL people");
  ASSERT_TRUE(detail.ok()) << detail.status().ToString();
  Result<std::vector<Row>> rows = detail->select("partitionColumns").collect();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)[0].getString(0), "[country]");
}

TEST_F(DataFrameTest, ReadsFilesWithAndWithoutSchema) {
  const std::string orders = std::string(SLUICE_SOURCE_DIR) + "/examples/data/orders.ndjson";
  DataFrame inferred = session_->read().json(orders);
  Result<int64_t> count = inferred.count();
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_GT(*count, 0);
  DataFrame typed = session_->read()
                        .format("json")
                        .schema("order_id BIGINT, status STRING")
                        .option("mode", "PERMISSIVE")
                        .load(orders);
  EXPECT_EQ(Columns(typed), (std::vector<std::string>{"order_id", "status"}));
  EXPECT_EQ(typed.count().value(), *count);
  EXPECT_EQ(session_->read().format("json").schema("x INT").load("/no/such/dir").status().code(),
            StatusCode::kNotFound);
  DataFrame csv = session_->read()
                      .format("csv")
                      .option("header", "true")
                      .option("inferSchema", "true")
                      .load(std::string(SLUICE_SOURCE_DIR) + "/examples/data/orders.csv");
  ASSERT_TRUE(csv.status().ok()) << csv.status().ToString();
  EXPECT_EQ(Columns(csv).front(), "order_id");
}

TEST_F(DataFrameTest, SqlRunsCommandsNowAndReturnsTheirRows) {
  ASSERT_TRUE(session_->sql("CREATE TABLE t (id BIGINT) USING DELTA").ok());
  ASSERT_TRUE(session_->sql("INSERT INTO t VALUES (1), (2)").ok());
  Result<DataFrame> tables = session_->sql("SHOW TABLES");
  ASSERT_TRUE(tables.ok()) << tables.status().ToString();
  EXPECT_EQ(Rows(tables->select("tableName")), (std::vector<std::string>{"[t]"}));
  ASSERT_TRUE(session_->conf().set("spark.sql.shuffle.partitions", "4").ok());
  EXPECT_EQ(session_->conf().get("spark.sql.shuffle.partitions"), "4");
}

TEST_F(DataFrameTest, CreateDataFrameServesRowsFromMemory) {
  Result<LocalResult> local = People().filter("id < 3").toLocal();
  ASSERT_TRUE(local.ok()) << local.status().ToString();
  DataFrame copy = session_->createDataFrame(local->schema, local->batches);
  EXPECT_EQ(Rows(copy.select("name").orderBy("name")),
            (std::vector<std::string>{"[ann]", "[bob]"}));
  ASSERT_TRUE(copy.createOrReplaceTempView("copied").ok());
  EXPECT_EQ(Rows(Sql("SELECT count(*) FROM copied")), (std::vector<std::string>{"[2]"}));
}

}  // namespace
}  // namespace sluice
