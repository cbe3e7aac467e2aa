// SPDX-License-Identifier: Apache-2.0
#include "delta/change_data_feed.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <tuple>

#include "columnar/builder.h"
#include "delta/writer.h"

namespace sluice::delta {
namespace {

FileSystem& Fs() {
  return LocalFileSystem::Default();
}

std::string TestData(const std::string& name) {
  return std::string(SLUICE_TESTDATA_DIR) + "/" + name;
}

std::string TableDir() {
  const std::string dir = ::testing::TempDir() + "/cdf_" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(dir);
  return dir;
}

BatchPtr Ids(const std::vector<int64_t>& ids) {
  BatchBuilder builder(MakeSchema({MakeField("id", LongType())}));
  for (int64_t id : ids)
    static_cast<Int64Builder*>(builder.column(0))->Append(id);
  return builder.Finish();
}

// (_change_type, _commit_version) -> number of rows.
std::map<std::pair<std::string, int64_t>, int> CountChanges(const std::vector<BatchPtr>& batches) {
  std::map<std::pair<std::string, int64_t>, int> counts;
  for (const BatchPtr& batch : batches) {
    const int type = batch->schema()->FieldIndex("_change_type");
    const int version = batch->schema()->FieldIndex("_commit_version");
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      ++counts[{std::string(batch->column(type)->StringValue(row)),
                batch->column(version)->Value<int64_t>(row)}];
    }
  }
  return counts;
}

// (id, _change_type, _commit_version) of every row, sorted; `id` a long column.
std::vector<std::tuple<int64_t, std::string, int64_t>> Rows(const std::vector<BatchPtr>& batches) {
  std::vector<std::tuple<int64_t, std::string, int64_t>> rows;
  for (const BatchPtr& batch : batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      rows.emplace_back(batch->column(0)->Value<int64_t>(row),
                        std::string(batch->column(1)->StringValue(row)),
                        batch->column(2)->Value<int64_t>(row));
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// A table with CDF enabled at version 0 and the given appends after it.
std::string CdfTable(const std::vector<std::vector<int64_t>>& appends, bool enable = true) {
  const std::string dir = TableDir();
  StringMap configuration;
  if (enable)
    configuration = {{"delta.enableChangeDataFeed", "true"}};
  EXPECT_TRUE(CreateTable(dir, Ids({})->schema(), {}, configuration, Fs()).ok());
  for (const auto& ids : appends) {
    EXPECT_TRUE(Append(dir, {Ids(ids)}, {}, Fs()).ok());
  }
  return dir;
}

TEST(ChangeDataFeedTest, SchemaAppendsTheThreeChangeColumns) {
  auto snapshot = Snapshot::Load(TestData("delta-rs/cdf-table"), Fs());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  auto schema = ChangeDataSchema(**snapshot);
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ((*schema)->ToString(),
            "struct<id:int,name:string,birthday:date,_change_type:string,_commit_version:bigint,"
            "_commit_timestamp:timestamp>");
}

TEST(ChangeDataFeedTest, SparkWrittenTableGivesItsTwentyThreeChanges) {
  for (const char* name : {"delta-rs/cdf-table", "delta-rs/cdf-table-non-partitioned"}) {
    auto batches = ReadChangeData(TestData(name), 0, 3, Fs());
    ASSERT_TRUE(batches.ok()) << name << ": " << batches.status().ToString();
    const std::map<std::pair<std::string, int64_t>, int> expected = {
        {{"insert", 0}, 10},         {{"update_preimage", 1}, 3},  {{"update_postimage", 1}, 3},
        {{"update_preimage", 2}, 3}, {{"update_postimage", 2}, 3}, {{"delete", 3}, 1}};
    EXPECT_EQ(CountChanges(*batches), expected) << name;
  }
}

TEST(ChangeDataFeedTest, CommitsWithoutCdcFilesAndInCommitTimestampTablesRead) {
  using Counts = std::map<std::pair<std::string, int64_t>, int>;
  // Delete-all and append commits without cdc files: removes and adds.
  auto simple = ReadChangeData(TestData("delta-kernel-rs/cdf-table-simple"), 0, 2, Fs());
  ASSERT_TRUE(simple.ok()) << simple.status().ToString();
  EXPECT_EQ(CountChanges(*simple),
            (Counts{{{"insert", 0}, 10}, {{"delete", 1}, 10}, {{"insert", 2}, 5}}));
  auto ict = ReadChangeData(TestData("delta-rs/cdc_ict_table"), 0, 3, Fs());
  ASSERT_TRUE(ict.ok()) << ict.status().ToString();
  EXPECT_EQ(CountChanges(*ict), (Counts{{{"insert", 1}, 4},
                                        {{"delete", 2}, 2},
                                        {{"update_preimage", 3}, 2},
                                        {{"update_postimage", 3}, 2}}));
}

TEST(ChangeDataFeedTest, DeletionVectorChangesAreTheDiffOfTheVectors) {
  // delta-kernel-rs's cdf_with_deletion_vector: v0 inserts 0..9; v1 deletes 0, 9; v2
  // restores them; v3 deletes 0, 1, 4, 5; v4 restores 1, 4; v5 restores 0, 5 and deletes
  // 3; v6 restores 3. No commit has cdc files.
  auto batches = ReadChangeData(TestData("delta-kernel-rs/cdf-table-with-dv"), 0, 6, Fs());
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  std::vector<std::tuple<int64_t, std::string, int32_t>> rows;
  for (const BatchPtr& batch : *batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      rows.emplace_back(batch->column(2)->Value<int64_t>(row),
                        std::string(batch->column(1)->StringValue(row)),
                        batch->column(0)->Value<int32_t>(row));
    }
  }
  std::sort(rows.begin(), rows.end());
  std::vector<std::tuple<int64_t, std::string, int32_t>> expected;
  for (int32_t v = 0; v < 10; ++v)
    expected.emplace_back(0, "insert", v);
  for (int32_t v : {0, 9})
    expected.emplace_back(1, "delete", v);
  for (int32_t v : {0, 9})
    expected.emplace_back(2, "insert", v);
  for (int32_t v : {0, 1, 4, 5})
    expected.emplace_back(3, "delete", v);
  for (int32_t v : {1, 4})
    expected.emplace_back(4, "insert", v);
  expected.emplace_back(5, "delete", 3);
  for (int32_t v : {0, 5})
    expected.emplace_back(5, "insert", v);
  expected.emplace_back(6, "insert", 3);
  EXPECT_EQ(rows, expected);

  // Deletes through deletion vectors that did write cdc files read those instead.
  auto with_cdc = ReadChangeData(TestData("delta-rs/cdf-table-with-cdc-and-dvs"), 0, 25, Fs());
  EXPECT_TRUE(with_cdc.ok()) << with_cdc.status().ToString();
}

TEST(ChangeDataFeedTest, PartitionValuesAndTimestampsFillTheChangeRows) {
  auto batches = ReadChangeData(TestData("delta-rs/cdf-table"), 3, 3, Fs());
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  ASSERT_EQ(batches->size(), 1u);
  const Batch& batch = *(*batches)[0];
  ASSERT_EQ(batch.num_rows(), 1);
  EXPECT_FALSE(batch.column(2)->IsNull(0));  // birthday, from the cdc action's partition
  EXPECT_EQ(batch.column(3)->StringValue(0), "delete");
  EXPECT_EQ(batch.column(4)->Value<int64_t>(0), 3);
  auto history = ReadHistory(TestData("delta-rs/cdf-table"), Fs());  // newest first
  ASSERT_TRUE(history.ok());
  ASSERT_EQ((*history)[0].version, 3);
  EXPECT_EQ(batch.column(5)->Value<int64_t>(0), (*history)[0].timestamp_millis * 1000);
}

TEST(ChangeDataFeedTest, EndPastTheLatestVersionReadsToTheLatest) {
  auto batches = ReadChangeData(TestData("delta-rs/simple_table_with_cdc"), 0, 100, Fs());
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  auto all = ReadChangeData(TestData("delta-rs/simple_table_with_cdc"), 0, 2, Fs());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(CountChanges(*batches), CountChanges(*all));
  EXPECT_FALSE(CountChanges(*batches).empty());
}

TEST(ChangeDataFeedTest, AppendsOfAWrittenTableAreInserts) {
  const std::string dir = CdfTable({{1, 2}, {3}});
  auto batches = ReadChangeData(dir, 0, 2, Fs());
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  using Row = std::tuple<int64_t, std::string, int64_t>;
  EXPECT_EQ(Rows(*batches),
            (std::vector<Row>{{1, "insert", 1}, {2, "insert", 1}, {3, "insert", 2}}));
  auto second = ReadChangeData(dir, 2, 2, Fs());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(Rows(*second), (std::vector<Row>{{3, "insert", 2}}));
}

TEST(ChangeDataFeedTest, OverwriteWithoutCdcFilesIsDeletesAndInserts) {
  const std::string dir = CdfTable({{1, 2}});
  ASSERT_TRUE(Overwrite(dir, {Ids({7})}, {}, Fs()).ok());
  auto batches = ReadChangeData(dir, 2, 2, Fs());
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  using Row = std::tuple<int64_t, std::string, int64_t>;
  EXPECT_EQ(Rows(*batches),
            (std::vector<Row>{{1, "delete", 2}, {2, "delete", 2}, {7, "insert", 2}}));
}

TEST(ChangeDataFeedTest, FilesRewrittenWithoutDataChangeAddNoRows) {
  const std::string dir = CdfTable({{1, 2}});
  auto snapshot = Snapshot::Load(dir, Fs());
  ASSERT_TRUE(snapshot.ok());
  // A compaction-like commit: the same rows in a new file, dataChange=false.
  DataFileOptions files;
  files.data_change = false;
  auto added = WriteDataFiles(WriteTarget::FromSnapshot(**snapshot), {Ids({1, 2})}, files, Fs());
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  std::vector<RemoveFile> removes;
  for (const AddFile& file : (*snapshot)->files())
    removes.push_back(MakeRemove(file, 1, false));
  ASSERT_TRUE(CommitActions(dir, *added, removes, Operation{"OPTIMIZE", {}, {}, {}}, Fs()).ok());
  auto batches = ReadChangeData(dir, 2, 2, Fs());
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  EXPECT_TRUE(batches->empty());
}

TEST(ChangeDataFeedTest, TableWithoutChangeDataFeedIsMissingChangeData) {
  const std::string dir = CdfTable({{1}}, /*enable=*/false);
  auto batches = ReadChangeData(dir, 0, 1, Fs());
  ASSERT_EQ(batches.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(batches.status().message(),
            "[DELTA_MISSING_CHANGE_DATA] Error getting change data for range [0 , 1] as change "
            "data was not recorded for version [0]. If you've enabled change data feed on this "
            "table, use `DESCRIBE HISTORY` to see when it was first enabled. Otherwise, to start "
            "recording change data, use `ALTER TABLE table_name SET TBLPROPERTIES "
            "(delta.enableChangeDataFeed=true)`.");
  auto spark_table = ReadChangeData(TestData("delta-rs/simple_table"), 0, 1, Fs());
  EXPECT_NE(spark_table.status().message().find("[DELTA_MISSING_CHANGE_DATA]"), std::string::npos)
      << spark_table.status().ToString();
}

TEST(ChangeDataFeedTest, DisablingInTheRangeIsMissingChangeDataForThatVersion) {
  const std::string dir = CdfTable({{1}});
  auto snapshot = Snapshot::Load(dir, Fs());
  ASSERT_TRUE(snapshot.ok());
  auto txn = Transaction::FromSnapshot(*snapshot, Fs());
  Metadata metadata = (*snapshot)->metadata();
  metadata.configuration = {{"delta.enableChangeDataFeed", "false"}};
  txn->UpdateMetadata(metadata);
  ASSERT_TRUE(txn->Commit(Operation{"SET TBLPROPERTIES", {}, {}, {}}).ok());
  auto batches = ReadChangeData(dir, 0, 2, Fs());
  EXPECT_NE(batches.status().message().find("was not recorded for version [2]"), std::string::npos)
      << batches.status().ToString();
  EXPECT_TRUE(ReadChangeData(dir, 0, 1, Fs()).ok());
}

TEST(ChangeDataFeedTest, InvalidRangesUseDeltaTexts) {
  const std::string dir = CdfTable({{1}});
  auto after_latest = ReadChangeData(dir, 5, 6, Fs());
  EXPECT_EQ(after_latest.status().message(),
            "[DELTA_INVALID_CDC_RANGE] Provided Start version(5) for reading change data is "
            "invalid. Start version cannot be greater than the latest version of the table(1).");
  auto backwards = ReadChangeData(dir, 1, 0, Fs());
  EXPECT_EQ(backwards.status().message(),
            "[DELTA_INVALID_CDC_RANGE] CDC range from start 1 to end 0 was invalid. End cannot "
            "be before start.");
}

TEST(ChangeDataFeedTest, TimestampsResolveToVersions) {
  const std::string table = TestData("delta-rs/cdf-table");
  auto history = ReadHistory(table, Fs());
  ASSERT_TRUE(history.ok());
  std::map<int64_t, int64_t> ts;
  for (const CommitRecord& record : *history)
    ts[record.version] = record.timestamp_millis;

  EXPECT_EQ(*VersionAtOrAfter(table, ts[1], Fs()), 1);
  EXPECT_EQ(*VersionAtOrAfter(table, ts[1] + 1, Fs()), 2);
  EXPECT_EQ(*VersionAtOrAfter(table, 0, Fs()), 0);
  EXPECT_EQ(*VersionAtOrBefore(table, ts[2], Fs()), 2);
  EXPECT_EQ(*VersionAtOrBefore(table, ts[2] - 1, Fs()), 1);
  EXPECT_EQ(*VersionAtOrBefore(table, ts[3] + 100000, Fs()), 3);

  auto too_late = VersionAtOrAfter(table, ts[3] + 1, Fs());
  EXPECT_NE(too_late.status().message().find("[DELTA_TIMESTAMP_GREATER_THAN_COMMIT]"),
            std::string::npos);
  auto too_early = VersionAtOrBefore(table, ts[0] - 1, Fs());
  EXPECT_NE(too_early.status().message().find("[DELTA_TIMESTAMP_EARLIER_THAN_COMMIT_RETENTION]"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice::delta
