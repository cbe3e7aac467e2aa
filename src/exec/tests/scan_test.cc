// SPDX-License-Identifier: Apache-2.0
#include "exec/scan.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "delta/snapshot.h"
#include "delta/writer.h"
#include "exec/tests/test_util.h"
#include "formats/parquet/writer.h"

namespace sluice::exec {
namespace {

using testing::Col;
using testing::Compare;
using testing::Lit;
using testing::LongBatch;

std::string TempDir() {
  const std::string dir = ::testing::TempDir() + "/exec_scan_" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

SchemaPtr Project(const Schema& source, const std::vector<std::string>& columns) {
  std::vector<Field> fields;
  for (const std::string& column : columns)
    fields.push_back(source.field(source.FieldIndex(column)));
  return MakeSchema(fields);
}

std::shared_ptr<sql::ScanNode> DeltaScan(const std::string& root,
                                         const std::vector<std::string>& columns) {
  auto snapshot = delta::Snapshot::Load(root, LocalFileSystem::Default());
  EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  auto node = std::make_shared<sql::ScanNode>(Project(*(*snapshot)->schema(), columns),
                                              sql::ScanFormat::kDelta, "t");
  node->snapshot = *snapshot;
  node->columns = columns;
  node->source_schema = (*snapshot)->schema();
  return node;
}

std::shared_ptr<sql::ScanNode> FileScan(sql::ScanFormat format, const std::string& path,
                                        SchemaPtr source, const std::vector<std::string>& columns) {
  auto node = std::make_shared<sql::ScanNode>(Project(*source, columns), format, "files");
  node->path = path;
  node->source_schema = std::move(source);
  node->columns = columns;
  return node;
}

TEST(ScanTest, GoldenDeltaTableMatchesItsExpectedContent) {
  const std::string base = std::string(SLUICE_TESTDATA_DIR) + "/delta-dat/basic_partitioned";
  auto delta = DeltaScan(base + "/delta", {"letter", "number", "a_float"});
  auto rows = testing::RunBoth(delta);
  ASSERT_EQ(rows.size(), 6u);
  auto expected_schema = delta->schema();
  auto expected =
      FileScan(sql::ScanFormat::kParquet, base + "/expected/latest/table_content.parquet",
               expected_schema, {"letter", "number", "a_float"});
  EXPECT_EQ(testing::Sorted(rows), testing::Sorted(testing::RunBoth(expected)));
}

TEST(ScanTest, DeltaFilesSkippedByPushedFilterStillFilteredExactly) {
  const std::string root = TempDir() + "/table";
  std::filesystem::create_directories(root);
  for (int64_t file = 0; file < 4; ++file) {
    std::vector<std::vector<testing::Cell>> rows;
    for (int64_t i = 0; i < 10; ++i)
      rows.push_back({file * 10 + i, file});
    delta::WriteOptions options;
    auto written =
        delta::Append(root, {LongBatch({"id", "part"}, rows)}, options, LocalFileSystem::Default());
    ASSERT_TRUE(written.ok()) << written.status().ToString();
  }
  auto scan = DeltaScan(root, {"part", "id"});
  scan->pushed_filters = {Compare(">", Col(1), Lit(27))};
  auto plan = std::make_shared<sql::FilterNode>(scan, scan->pushed_filters[0]);
  ExecMetrics metrics;
  auto batches = ExecuteToBatches(plan, {}, &metrics);
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  EXPECT_EQ(testing::Sorted(testing::RowStrings(*batches)),
            (std::vector<std::string>{"2|28", "2|29", "3|30", "3|31", "3|32", "3|33", "3|34",
                                      "3|35", "3|36", "3|37", "3|38", "3|39"}));
  EXPECT_EQ(metrics.files_read, 2);
  EXPECT_EQ(metrics.files_skipped, 2);
  EXPECT_EQ(metrics.rows_scanned, 20);
  EXPECT_EQ(testing::RunBoth(plan).size(), 12u);
}

TEST(ScanTest, ParquetDirectoryReadRecursivelySkippingHiddenFiles) {
  const std::string dir = TempDir();
  std::filesystem::create_directories(dir + "/sub");
  std::filesystem::create_directories(dir + "/_temporary");
  BatchPtr one = LongBatch({"a", "b"}, {{1, 10}, {2, 20}});
  BatchPtr two = LongBatch({"a", "b"}, {{3, 30}});
  for (const auto& [path, batch] :
       std::vector<std::pair<std::string, BatchPtr>>{{"/part-0.parquet", one},
                                                     {"/sub/part-1.parquet", two},
                                                     {"/_temporary/x.parquet", two},
                                                     {"/.hidden.parquet", two}}) {
    auto writer = parquet::ParquetWriter::Open(dir + path, one->schema());
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Write(*batch).ok());
    ASSERT_TRUE((*writer)->Close().ok());
  }
  auto plan = FileScan(sql::ScanFormat::kParquet, dir, one->schema(), {"b", "a"});
  EXPECT_EQ(testing::RunBoth(plan), (std::vector<std::string>{"10|1", "20|2", "30|3"}));
}

TEST(ScanTest, ParquetRowGroupsAreTasksAndSkippedByStatistics) {
  const std::string path = TempDir() + "/groups.parquet";
  std::vector<std::vector<testing::Cell>> rows;
  for (int64_t i = 0; i < 1000; ++i)
    rows.push_back({i, i % 7});
  BatchPtr batch = LongBatch({"a", "b"}, rows);
  parquet::ParquetWriteOptions options;
  options.row_group_row_limit = 100;
  auto writer = parquet::ParquetWriter::Open(path, batch->schema(), options);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(*batch).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  auto scan = FileScan(sql::ScanFormat::kParquet, path, batch->schema(), {"a", "b"});
  // An int literal compared with the long column through a widening cast.
  auto literal = expr::Expression::Literal(expr::MakeIntScalar(949));
  auto column = expr::Expression::Cast(Col(0), LongType(), false);
  scan->pushed_filters = {Compare(">", Col(0), expr::Expression::Cast(literal, LongType(), false)),
                          Compare(">=", column, Lit(850))};
  ExecMetrics metrics;
  auto batches = ExecuteToBatches(scan, {}, &metrics);
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  EXPECT_EQ(metrics.rows_scanned, 200);  // row groups [800, 900) and [900, 1000)
  auto unfiltered = FileScan(sql::ScanFormat::kParquet, path, batch->schema(), {"a", "b"});
  EXPECT_EQ(testing::RunBoth(unfiltered).size(), 1000u);
}

TEST(ScanTest, CsvWithHeaderProjectsColumns) {
  const std::string dir = TempDir();
  std::ofstream(dir + "/a.csv") << "x,y\n1,foo\n2,\n";
  std::ofstream(dir + "/b.csv") << "x,y\n3,bar\n";
  SchemaPtr source = MakeSchema({MakeField("x", IntType()), MakeField("y", StringType())});
  auto plan = FileScan(sql::ScanFormat::kCsv, dir, source, {"y", "x"});
  plan->options = {{"header", "true"}};
  EXPECT_EQ(testing::RunBoth(plan), (std::vector<std::string>{"foo|1", "NULL|2", "bar|3"}));
}

TEST(ScanTest, JsonFileReadWithSourceSchema) {
  const std::string dir = TempDir();
  std::ofstream(dir + "/data.json") << "{\"k\": 1, \"s\": \"a\"}\n{\"k\": 2}\n";
  SchemaPtr source = MakeSchema({MakeField("k", LongType()), MakeField("s", StringType())});
  auto plan = FileScan(sql::ScanFormat::kJson, dir + "/data.json", source, {"s"});
  EXPECT_EQ(testing::RunBoth(plan), (std::vector<std::string>{"a", "NULL"}));
}

TEST(ScanTest, MissingPathIsAnError) {
  SchemaPtr source = MakeSchema({MakeField("k", LongType())});
  auto plan = FileScan(sql::ScanFormat::kJson, TempDir() + "/nothing", source, {"k"});
  EXPECT_FALSE(ExecuteToBatches(plan, {}).ok());
}

TEST(ScanTest, PushedFiltersBecomeSkippingPredicates) {
  const std::vector<std::string> columns = {"a", "b"};
  auto pred = ToSkippingPredicate(
      {Compare(">", Lit(5), Col(0)),
       expr::Expression::Or(Compare("=", Col(1), Lit(1)), Compare("<=", Col(0), Lit(2))),
       expr::Expression::Or(Compare("=", Col(1), Lit(1)), Compare("=", Col(0), Col(1)))},
      columns);
  ASSERT_NE(pred, nullptr);
  EXPECT_EQ(parquet::ToString(*pred), "(a < 5 AND (b = 1 OR a <= 2))");
  EXPECT_EQ(ToSkippingPredicate({Compare("=", Col(0), Col(1))}, columns), nullptr);
}

}  // namespace
}  // namespace sluice::exec
