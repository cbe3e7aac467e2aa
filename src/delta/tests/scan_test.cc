// SPDX-License-Identifier: Apache-2.0
#include "delta/scan.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "columnar/printer.h"

namespace sluice::delta {
namespace {

std::string Table(const std::string& path) {
  return std::string(SLUICE_TESTDATA_DIR) + "/" + path;
}

FileSystem& Fs() {
  return LocalFileSystem::Default();
}

// Every row as "v1|v2|...", sorted.
std::vector<std::string> Rows(const std::vector<BatchPtr>& batches) {
  std::vector<std::string> rows;
  for (const BatchPtr& batch : batches) {
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      std::string row;
      for (int c = 0; c < batch->num_columns(); ++c) {
        if (c > 0)
          row += "|";
        row += FormatCell(*batch->column(c), r);
      }
      rows.push_back(row);
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

Result<std::vector<std::string>> ScanRows(const std::string& table, ScanOptions options = {},
                                          ScanMetrics* metrics = nullptr) {
  SLUICE_ASSIGN_OR_RETURN(SnapshotPtr snapshot, Snapshot::Load(Table(table), Fs()));
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Scan> scan, Scan::Make(snapshot, std::move(options)));
  SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> batches, scan->ReadAll());
  if (metrics != nullptr)
    *metrics = scan->metrics();
  return Rows(batches);
}

TEST(DeltaScanTest, AddsPartitionColumnsIncludingNull) {
  auto rows = ScanRows("delta-dat/basic_partitioned/delta");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 6u);
  EXPECT_EQ((*rows)[0], "NULL|6|6.6");
  EXPECT_EQ((*rows)[1], "a|1|1.1");
}

TEST(DeltaScanTest, DeletionVectorsRemoveRows) {
  ScanMetrics metrics;
  auto rows = ScanRows("delta-rs/table-with-dv-small", {}, &metrics);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8"}));
  EXPECT_EQ(metrics.rows_deleted_by_dv, 2);
}

TEST(DeltaScanTest, ColumnMappingReadsPhysicalColumnsUnderLogicalNames) {
  auto by_name = ScanRows("delta-golden/table-with-columnmapping-mode-name");
  ASSERT_TRUE(by_name.ok()) << by_name.status().ToString();
  auto by_id = ScanRows("delta-golden/table-with-columnmapping-mode-id");
  ASSERT_TRUE(by_id.ok()) << by_id.status().ToString();
  EXPECT_EQ(by_name->size(), 6u);
  EXPECT_EQ(*by_name, *by_id);
}

TEST(DeltaScanTest, ProjectionChoosesColumnsCaseInsensitively) {
  ScanOptions options;
  options.columns = {"NUMBER", "letter"};
  auto rows = ScanRows("delta-dat/basic_partitioned/delta", options);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)[0], "1|a");
  options.columns = {"nope"};
  auto unknown = ScanRows("delta-dat/basic_partitioned/delta", options);
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("nope"), std::string::npos);
}

TEST(DeltaScanTest, PartitionPruningAndDataSkipping) {
  ScanOptions options;
  options.filter = parquet::Compare("letter", parquet::CompareOp::kEq,
                                    parquet::Literal{StringType(), std::string("a")});
  ScanMetrics metrics;
  auto rows = ScanRows("delta-dat/basic_partitioned/delta", options, &metrics);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->size(), 2u);
  EXPECT_EQ(metrics.files_in_snapshot, 6);
  EXPECT_EQ(metrics.files_pruned_by_partition, 4);
  // number > 5 : only the file holding 6 can match by its min/max.
  options.filter =
      parquet::Compare("number", parquet::CompareOp::kGt, parquet::Literal{LongType(), int64_t{5}});
  rows = ScanRows("delta-dat/basic_partitioned/delta", options, &metrics);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(metrics.files_skipped_by_stats, 5);
  EXPECT_EQ(*rows, std::vector<std::string>{"NULL|6|6.6"});
}

}  // namespace
}  // namespace sluice::delta
