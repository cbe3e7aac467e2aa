// SPDX-License-Identifier: Apache-2.0
#include "stream/delta_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "columnar/builder.h"
#include "delta/log_files.h"
#include "delta/log_maintenance.h"
#include "delta/scan.h"
#include "delta/transaction.h"
#include "delta/writer.h"
#include "stream/factory.h"
#include "stream/streaming_query.h"
#include "types/datetime.h"

namespace sluice::stream {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

FileSystem& Fs() {
  return LocalFileSystem::Default();
}

// A fresh directory named for the test, removed when the test ends.
class TempTable {
 public:
  TempTable()
      : path_(std::filesystem::path(::testing::TempDir() + "/delta_source_" +
                                    ::testing::UnitTest::GetInstance()->current_test_info()->name())
                  .lexically_normal()
                  .string()) {
    std::filesystem::remove_all(path_);
  }
  ~TempTable() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

BatchPtr Ids(const std::vector<int64_t>& ids) {
  BatchBuilder builder(MakeSchema({MakeField("id", LongType())}));
  for (int64_t id : ids)
    static_cast<Int64Builder*>(builder.column(0))->Append(id);
  return builder.Finish();
}

void Create(const std::string& root, const delta::StringMap& configuration = {}) {
  ASSERT_TRUE(delta::CreateTable(root, Ids({})->schema(), {}, configuration, Fs()).ok());
}

// Appends `ids`, one file per row when `file_per_row`.
void AppendIds(const std::string& root, const std::vector<int64_t>& ids,
               bool file_per_row = false) {
  delta::WriteOptions options;
  if (file_per_row)
    options.files.max_records_per_file = 1;
  auto result = delta::Append(root, {Ids(ids)}, options, Fs());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
}

std::vector<int64_t> IdsOf(const std::vector<BatchPtr>& batches) {
  std::vector<int64_t> ids;
  for (const BatchPtr& batch : batches) {
    const int column = batch->schema()->FieldIndex("id");
    for (int64_t row = 0; row < batch->num_rows(); ++row)
      ids.push_back(batch->column(column)->Value<int64_t>(row));
  }
  return ids;
}

std::vector<int64_t> Sorted(std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::unique_ptr<StreamSource> Open(const std::string& root, OptionList options = {}) {
  SourceSpec spec;
  spec.format = "delta";
  spec.path = root;
  spec.options = std::move(options);
  auto source = MakeSource(spec);
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  if (!source.ok())
    return nullptr;
  SourceContext context;
  context.fs = &Fs();
  EXPECT_TRUE((*source)->Open(context).ok());
  return std::move(*source);
}

// One micro-batch: its range and rows.
struct Step {
  std::optional<Offset> start;
  Offset end;
  std::vector<int64_t> ids;
};

// Runs batches from `start` until the source has nothing new.
std::vector<Step> Drain(StreamSource& source, std::optional<Offset> start,
                        ReadLimit limit = ReadLimit::kRateLimited) {
  std::vector<Step> steps;
  for (int i = 0; i < 100; ++i) {
    auto end = source.LatestOffset(start, limit);
    EXPECT_TRUE(end.ok()) << end.status().ToString();
    if (!end.ok() || !end->has_value() || *end == start)
      break;
    auto batches = source.GetBatch(start, **end);
    EXPECT_TRUE(batches.ok()) << batches.status().ToString();
    if (!batches.ok())
      break;
    steps.push_back({start, **end, IdsOf(*batches)});
    start = *end;
  }
  return steps;
}

std::vector<int64_t> AllIds(const std::vector<Step>& steps) {
  std::vector<int64_t> ids;
  for (const Step& step : steps)
    ids.insert(ids.end(), step.ids.begin(), step.ids.end());
  return ids;
}

std::string TableId(const std::string& root) {
  auto snapshot = delta::Snapshot::Load(root, Fs());
  EXPECT_TRUE(snapshot.ok());
  return snapshot.ok() ? (*snapshot)->metadata().id : "";
}

std::string OffsetJson(const std::string& id, int64_t version, int64_t index, bool snapshot) {
  return "{\"sourceVersion\":1,\"reservoirId\":\"" + id +
         "\",\"reservoirVersion\":" + std::to_string(version) +
         ",\"index\":" + std::to_string(index) +
         ",\"isStartingVersion\":" + (snapshot ? "true" : "false") + "}";
}

// Removes `count` live files (by path order) with dataChange=true, adding nothing.
void DeleteFiles(const std::string& root, size_t count) {
  auto snapshot = delta::Snapshot::Load(root, Fs());
  ASSERT_TRUE(snapshot.ok());
  std::vector<delta::RemoveFile> removes;
  for (size_t i = 0; i < count && i < (*snapshot)->files().size(); ++i)
    removes.push_back(delta::MakeRemove((*snapshot)->files()[i], 1));
  auto commit =
      delta::CommitActions(root, {}, removes, delta::Operation{"DELETE", {}, {}, {}}, Fs());
  ASSERT_TRUE(commit.ok()) << commit.status().ToString();
}

TEST(DeltaSourceTest, ReadsTheInitialSnapshotThenEachAppend) {
  TempTable table;
  Create(table.path());
  AppendIds(table.path(), {1, 2});
  AppendIds(table.path(), {3});
  auto source = Open(table.path());
  ASSERT_NE(source, nullptr);
  const std::string id = TableId(table.path());

  auto first = source->LatestOffset(std::nullopt, ReadLimit::kRateLimited);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ(**first, OffsetJson(id, 3, -1, false));
  auto rows = source->GetBatch(std::nullopt, **first);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(Sorted(IdsOf(*rows)), (std::vector<int64_t>{1, 2, 3}));

  auto idle = source->LatestOffset(*first, ReadLimit::kRateLimited);
  ASSERT_TRUE(idle.ok());
  EXPECT_EQ(*idle, *first);

  AppendIds(table.path(), {4});
  AppendIds(table.path(), {5, 6});
  std::vector<Step> steps = Drain(*source, *first);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].end, OffsetJson(id, 5, -1, false));
  EXPECT_EQ(Sorted(steps[0].ids), (std::vector<int64_t>{4, 5, 6}));
}

TEST(DeltaSourceTest, EmptyTableHasNoOffsetUntilDataArrives) {
  TempTable table;
  Create(table.path());
  auto source = Open(table.path());
  ASSERT_NE(source, nullptr);
  auto none = source->LatestOffset(std::nullopt, ReadLimit::kRateLimited);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  AppendIds(table.path(), {7});
  EXPECT_EQ(AllIds(Drain(*source, std::nullopt)), (std::vector<int64_t>{7}));
}

TEST(DeltaSourceTest, MaxFilesPerTriggerSplitsAVersionByIndex) {
  TempTable table;
  Create(table.path());
  AppendIds(table.path(), {1, 2, 3}, /*file_per_row=*/true);
  auto source = Open(table.path(), {{"maxFilesPerTrigger", "2"}});
  ASSERT_NE(source, nullptr);
  const std::string id = TableId(table.path());

  std::vector<Step> steps = Drain(*source, std::nullopt);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].end, OffsetJson(id, 1, 1, true));
  EXPECT_EQ(steps[0].ids.size(), 2u);
  EXPECT_EQ(steps[1].end, OffsetJson(id, 2, -1, false));
  EXPECT_EQ(steps[1].ids.size(), 1u);
  EXPECT_EQ(Sorted(AllIds(steps)), (std::vector<int64_t>{1, 2, 3}));

  AppendIds(table.path(), {4, 5, 6}, /*file_per_row=*/true);
  std::vector<Step> more = Drain(*source, steps.back().end);
  ASSERT_EQ(more.size(), 2u);
  EXPECT_EQ(more[0].end, OffsetJson(id, 2, 1, false));
  EXPECT_EQ(more[1].end, OffsetJson(id, 3, -1, false));
  EXPECT_EQ(Sorted(AllIds(more)), (std::vector<int64_t>{4, 5, 6}));

  // Trigger.Once reads everything regardless of the limit.
  auto all = Drain(*source, std::nullopt, ReadLimit::kAllAvailable);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(Sorted(all[0].ids), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
}

TEST(DeltaSourceTest, MaxBytesPerTriggerTakesAtLeastOneFile) {
  TempTable table;
  Create(table.path());
  AppendIds(table.path(), {1, 2, 3}, /*file_per_row=*/true);
  auto source = Open(table.path(), {{"maxBytesPerTrigger", "1b"}});
  ASSERT_NE(source, nullptr);
  std::vector<Step> steps = Drain(*source, std::nullopt);
  ASSERT_EQ(steps.size(), 3u);
  for (const Step& step : steps)
    EXPECT_EQ(step.ids.size(), 1u);
}

TEST(DeltaSourceTest, TheSameRangeYieldsTheSameRowsAfterARestart) {
  TempTable table;
  Create(table.path());
  AppendIds(table.path(), {1, 2, 3}, /*file_per_row=*/true);
  std::vector<Step> steps;
  {
    auto source = Open(table.path(), {{"maxFilesPerTrigger", "2"}});
    ASSERT_NE(source, nullptr);
    steps = Drain(*source, std::nullopt);
    AppendIds(table.path(), {4, 5, 6}, /*file_per_row=*/true);
    std::vector<Step> more = Drain(*source, steps.back().end);
    steps.insert(steps.end(), more.begin(), more.end());
  }
  ASSERT_EQ(steps.size(), 4u);
  // The table moves on; a new source object replays every recorded range.
  AppendIds(table.path(), {7});
  auto restarted = Open(table.path(), {{"maxFilesPerTrigger", "2"}});
  ASSERT_NE(restarted, nullptr);
  for (const Step& step : steps) {
    auto rows = restarted->GetBatch(step.start, step.end);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(IdsOf(*rows), step.ids);
  }
  EXPECT_EQ(AllIds(Drain(*restarted, steps.back().end)), (std::vector<int64_t>{7}));
}

TEST(DeltaSourceTest, StartingVersionReadsChangesFromThatCommit) {
  TempTable table;
  Create(table.path());
  AppendIds(table.path(), {1});
  AppendIds(table.path(), {2});
  AppendIds(table.path(), {3});
  auto from_two = Open(table.path(), {{"startingVersion", "2"}});
  ASSERT_NE(from_two, nullptr);
  EXPECT_EQ(AllIds(Drain(*from_two, std::nullopt)), (std::vector<int64_t>{2, 3}));

  auto latest = Open(table.path(), {{"startingVersion", "latest"}});
  ASSERT_NE(latest, nullptr);
  EXPECT_TRUE(Drain(*latest, std::nullopt).empty());
  AppendIds(table.path(), {4});
  EXPECT_EQ(AllIds(Drain(*latest, std::nullopt)), (std::vector<int64_t>{4}));

  auto beyond = Open(table.path(), {{"startingVersion", "9"}});
  ASSERT_NE(beyond, nullptr);
  auto error = beyond->LatestOffset(std::nullopt, ReadLimit::kRateLimited);
  EXPECT_THAT(error.status().message(), HasSubstr("[DELTA_VERSION_NOT_FOUND]"));
}

TEST(DeltaSourceTest, StartingTimestampReadsFromTheFirstCommitAtOrAfterIt) {
  TempTable table;
  Create(table.path());
  AppendIds(table.path(), {1});
  AppendIds(table.path(), {2});
  AppendIds(table.path(), {3});
  auto history = delta::ReadHistory(table.path(), Fs());
  ASSERT_TRUE(history.ok());
  int64_t millis = 0;
  for (const delta::CommitRecord& record : *history) {
    if (record.version == 2)
      millis = record.timestamp_millis;
  }
  auto source = Open(table.path(), {{"startingTimestamp", FormatTimestamp(millis * 1000)}});
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(AllIds(Drain(*source, std::nullopt)), (std::vector<int64_t>{2, 3}));

  auto future = Open(table.path(), {{"startingTimestamp", "2999-01-01 00:00:00"}});
  ASSERT_NE(future, nullptr);
  auto error = future->LatestOffset(std::nullopt, ReadLimit::kRateLimited);
  EXPECT_THAT(error.status().message(), HasSubstr("[DELTA_TIMESTAMP_GREATER_THAN_COMMIT]"));

  SourceSpec both;
  both.format = "delta";
  both.path = table.path();
  both.options = {{"startingVersion", "1"}, {"startingTimestamp", "2020-01-01"}};
  EXPECT_THAT(MakeSource(both).status().message(),
              HasSubstr("[DELTA_STARTING_VERSION_AND_TIMESTAMP_BOTH_SET]"));
}

TEST(DeltaSourceTest, ARemoveOnlyCommitFailsUnlessDeletesAreIgnored) {
  TempTable table;
  Create(table.path());
  AppendIds(table.path(), {1, 2}, /*file_per_row=*/true);
  DeleteFiles(table.path(), 1);  // version 2
  AppendIds(table.path(), {3});  // version 3

  auto strict = Open(table.path(), {{"startingVersion", "0"}});
  ASSERT_NE(strict, nullptr);
  auto error = strict->LatestOffset(std::nullopt, ReadLimit::kAllAvailable);
  ASSERT_FALSE(error.ok());
  EXPECT_THAT(error.status().message(), HasSubstr("[DELTA_SOURCE_IGNORE_DELETE] Detected deleted "
                                                  "data (for example "));
  EXPECT_THAT(error.status().message(), HasSubstr("from streaming source at version 2."));

  for (const char* option : {"ignoreDeletes", "skipChangeCommits"}) {
    auto lenient = Open(table.path(), {{"startingVersion", "0"}, {option, "true"}});
    ASSERT_NE(lenient, nullptr);
    EXPECT_EQ(Sorted(AllIds(Drain(*lenient, std::nullopt))), (std::vector<int64_t>{1, 2, 3}))
        << option;
  }
}

TEST(DeltaSourceTest, ARewriteCommitFailsUnlessSkippedOrChangesIgnored) {
  TempTable table;
  Create(table.path());
  AppendIds(table.path(), {1, 2});
  auto overwrite = delta::Overwrite(table.path(), {Ids({5})}, {}, Fs());  // version 2
  ASSERT_TRUE(overwrite.ok());
  AppendIds(table.path(), {6});  // version 3

  auto strict = Open(table.path(), {{"startingVersion", "1"}});
  ASSERT_NE(strict, nullptr);
  auto error = strict->LatestOffset(std::nullopt, ReadLimit::kAllAvailable);
  ASSERT_FALSE(error.ok());
  EXPECT_THAT(error.status().message(),
              HasSubstr("[DELTA_SOURCE_TABLE_IGNORE_CHANGES] Detected a data update (for "
                        "example "));
  EXPECT_THAT(error.status().message(),
              HasSubstr("in the source table at version 2. This is currently not supported. If "
                        "you'd like to ignore updates, set the option 'skipChangeCommits' to "
                        "'true'."));

  auto deletes_only = Open(table.path(), {{"startingVersion", "1"}, {"ignoreDeletes", "true"}});
  ASSERT_NE(deletes_only, nullptr);
  EXPECT_FALSE(deletes_only->LatestOffset(std::nullopt, ReadLimit::kAllAvailable).ok());

  auto skip = Open(table.path(), {{"startingVersion", "1"}, {"skipChangeCommits", "true"}});
  ASSERT_NE(skip, nullptr);
  EXPECT_EQ(Sorted(AllIds(Drain(*skip, std::nullopt))), (std::vector<int64_t>{1, 2, 6}));

  auto changes = Open(table.path(), {{"startingVersion", "1"}, {"ignoreChanges", "true"}});
  ASSERT_NE(changes, nullptr);
  EXPECT_EQ(Sorted(AllIds(Drain(*changes, std::nullopt))), (std::vector<int64_t>{1, 2, 5, 6}));
}

TEST(DeltaSourceTest, ASchemaChangeStopsTheQueryAndARestartReadsTheNewSchema) {
  TempTable table;
  Create(table.path());
  AppendIds(table.path(), {1});
  auto source = Open(table.path());
  ASSERT_NE(source, nullptr);
  std::vector<Step> steps = Drain(*source, std::nullopt);
  ASSERT_EQ(steps.size(), 1u);

  BatchBuilder builder(MakeSchema({MakeField("id", LongType()), MakeField("name", StringType())}));
  static_cast<Int64Builder*>(builder.column(0))->Append(2);
  static_cast<StringBuilder*>(builder.column(1))->Append("two");
  delta::WriteOptions merge;
  merge.merge_schema = true;
  ASSERT_TRUE(delta::Append(table.path(), {builder.Finish()}, merge, Fs()).ok());

  auto error = source->LatestOffset(steps.back().end, ReadLimit::kRateLimited);
  ASSERT_FALSE(error.ok());
  EXPECT_THAT(error.status().message(),
              HasSubstr("[DELTA_SCHEMA_CHANGED_WITH_VERSION] Detected schema change in version "
                        "2:\nstreaming source schema: root\n |-- id: long"));

  auto restarted = Open(table.path());
  ASSERT_NE(restarted, nullptr);
  EXPECT_EQ(restarted->schema()->num_fields(), 2);
  EXPECT_EQ(AllIds(Drain(*restarted, steps.back().end)), (std::vector<int64_t>{2}));
}

// (id, _change_type, _commit_version) of every row, sorted.
using ChangeRow = std::tuple<int64_t, std::string, int64_t>;
std::vector<ChangeRow> ChangeRows(const std::vector<BatchPtr>& batches) {
  std::vector<ChangeRow> rows;
  for (const BatchPtr& batch : batches) {
    const int id = batch->schema()->FieldIndex("id");
    const int type = batch->schema()->FieldIndex("_change_type");
    const int version = batch->schema()->FieldIndex("_commit_version");
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      rows.emplace_back(batch->column(id)->Value<int64_t>(row),
                        std::string(batch->column(type)->StringValue(row)),
                        batch->column(version)->Value<int64_t>(row));
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(DeltaSourceTest, ReadChangeFeedEmitsTheSnapshotAsInsertsThenEachCommitsChanges) {
  TempTable table;
  Create(table.path(), {{"delta.enableChangeDataFeed", "true"}});
  AppendIds(table.path(), {1, 2});
  auto source = Open(table.path(), {{"readChangeFeed", "true"}});
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->schema()->num_fields(), 4);
  EXPECT_EQ(source->schema()->field(1).name, "_change_type");

  auto first = source->LatestOffset(std::nullopt, ReadLimit::kRateLimited);
  ASSERT_TRUE(first.ok() && first->has_value()) << first.status().ToString();
  auto snapshot_rows = source->GetBatch(std::nullopt, **first);
  ASSERT_TRUE(snapshot_rows.ok()) << snapshot_rows.status().ToString();
  EXPECT_EQ(ChangeRows(*snapshot_rows),
            (std::vector<ChangeRow>{{1, "insert", 1}, {2, "insert", 1}}));

  ASSERT_TRUE(delta::Overwrite(table.path(), {Ids({7})}, {}, Fs()).ok());  // version 2
  AppendIds(table.path(), {8});                                            // version 3
  auto end = source->LatestOffset(**first, ReadLimit::kRateLimited);
  ASSERT_TRUE(end.ok() && end->has_value()) << end.status().ToString();
  auto changes = source->GetBatch(**first, **end);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  EXPECT_EQ(ChangeRows(*changes),
            (std::vector<ChangeRow>{
                {1, "delete", 2}, {2, "delete", 2}, {7, "insert", 2}, {8, "insert", 3}}));
}

TEST(DeltaSourceTest, ReadChangeFeedAdmitsWholeCommits) {
  TempTable table;
  Create(table.path(), {{"delta.enableChangeDataFeed", "true"}});
  AppendIds(table.path(), {1, 2, 3}, /*file_per_row=*/true);
  AppendIds(table.path(), {4, 5}, /*file_per_row=*/true);
  auto source =
      Open(table.path(),
           {{"readChangeFeed", "true"}, {"startingVersion", "1"}, {"maxFilesPerTrigger", "1"}});
  ASSERT_NE(source, nullptr);
  std::vector<Step> steps = Drain(*source, std::nullopt);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(Sorted(steps[0].ids), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(Sorted(steps[1].ids), (std::vector<int64_t>{4, 5}));
}

BatchPtr IdsInPartition(const std::vector<int64_t>& ids, const std::string& part) {
  BatchBuilder builder(MakeSchema({MakeField("id", LongType()), MakeField("part", StringType())}));
  for (int64_t id : ids) {
    static_cast<Int64Builder*>(builder.column(0))->Append(id);
    static_cast<StringBuilder*>(builder.column(1))->Append(part);
  }
  return builder.Finish();
}

TEST(DeltaSourceTest, APartitionDeleteIsIgnoredWithIgnoreDeletesAndReadAsDeletesInTheFeed) {
  TempTable table;
  ASSERT_TRUE(delta::CreateTable(table.path(), IdsInPartition({}, "a")->schema(), {"part"},
                                 {{"delta.enableChangeDataFeed", "true"}}, Fs())
                  .ok());
  ASSERT_TRUE(delta::Append(table.path(), {IdsInPartition({1, 2}, "a")}, {}, Fs()).ok());
  ASSERT_TRUE(delta::Append(table.path(), {IdsInPartition({3}, "b")}, {}, Fs()).ok());
  // DELETE WHERE part = 'a': the partition's files are removed, nothing is added.
  auto snapshot = delta::Snapshot::Load(table.path(), Fs());
  ASSERT_TRUE(snapshot.ok());
  std::vector<delta::RemoveFile> removes;
  for (const delta::AddFile& file : (*snapshot)->files()) {
    if (file.path.starts_with("part=a/"))
      removes.push_back(delta::MakeRemove(file, 1));
  }
  ASSERT_EQ(removes.size(), 1u);
  ASSERT_TRUE(
      delta::CommitActions(table.path(), {}, removes, delta::Operation{"DELETE", {}, {}, {}}, Fs())
          .ok());  // version 3
  ASSERT_TRUE(delta::Append(table.path(), {IdsInPartition({4}, "a")}, {}, Fs()).ok());

  auto ignoring = Open(table.path(), {{"startingVersion", "1"}, {"ignoreDeletes", "true"}});
  ASSERT_NE(ignoring, nullptr);
  EXPECT_EQ(Sorted(AllIds(Drain(*ignoring, std::nullopt))), (std::vector<int64_t>{1, 2, 3, 4}));

  auto feed = Open(table.path(), {{"startingVersion", "3"}, {"readChangeFeed", "true"}});
  ASSERT_NE(feed, nullptr);
  auto end = feed->LatestOffset(std::nullopt, ReadLimit::kRateLimited);
  ASSERT_TRUE(end.ok() && end->has_value()) << end.status().ToString();
  auto changes = feed->GetBatch(std::nullopt, **end);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  EXPECT_EQ(ChangeRows(*changes),
            (std::vector<ChangeRow>{{1, "delete", 3}, {2, "delete", 3}, {4, "insert", 4}}));
}

TEST(DeltaSourceTest, TriggerAvailableNowStopsAtTheVersionOfItsStart) {
  TempTable table;
  Create(table.path());
  AppendIds(table.path(), {1});
  auto source = Open(table.path(), {{"startingVersion", "0"}});
  ASSERT_NE(source, nullptr);
  ASSERT_TRUE(source->PrepareForTriggerAvailableNow().ok());
  AppendIds(table.path(), {2});
  EXPECT_EQ(AllIds(Drain(*source, std::nullopt)), (std::vector<int64_t>{1}));
}

TEST(DeltaSourceTest, ReportsOutstandingFilesAndBytes) {
  TempTable table;
  Create(table.path());
  AppendIds(table.path(), {1, 2, 3}, /*file_per_row=*/true);
  auto source = Open(table.path(), {{"maxFilesPerTrigger", "1"}});
  ASSERT_NE(source, nullptr);
  auto first = source->LatestOffset(std::nullopt, ReadLimit::kRateLimited);
  ASSERT_TRUE(first.ok() && first->has_value());
  std::map<std::string, std::string> metrics = source->Metrics(**first);
  EXPECT_EQ(metrics["numFilesOutstanding"], "2");
  EXPECT_GT(std::stoll(metrics["numBytesOutstanding"]), 0);
}

TEST(DeltaSourceTest, IdentityNamesTheTableAndOffsetsOfAnotherTableAreRefused) {
  TempTable table;
  Create(table.path());
  AppendIds(table.path(), {1});
  auto source = Open(table.path());
  ASSERT_NE(source, nullptr);
  const std::string id = TableId(table.path());
  EXPECT_EQ(source->Identity(),
            "{\"format\":\"delta\",\"path\":\"" + table.path() + "\",\"tableId\":\"" + id + "\"}");
  EXPECT_EQ(source->Description(), "DeltaSource[file:" + table.path() + "]");
  auto foreign = source->GetBatch(std::nullopt, OffsetJson("other-id", 2, -1, false));
  EXPECT_THAT(foreign.status().message(),
              HasSubstr("[DIFFERENT_DELTA_TABLE_READ_BY_STREAMING_SOURCE]"));
}

TEST(DeltaSourceTest, AMissingTableIsNotFound) {
  TempTable table;
  SourceSpec spec;
  spec.format = "delta";
  spec.path = table.path();
  auto source = MakeSource(spec);
  ASSERT_EQ(source.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(source.status().message(),
            "[DELTA_TABLE_NOT_FOUND] Delta table `" + table.path() + "` doesn't exist.");
}

TEST(DeltaSourceTest, AVacuumedDataFileFailsNamingIt) {
  TempTable table;
  Create(table.path());
  AppendIds(table.path(), {1});
  auto snapshot = delta::Snapshot::Load(table.path(), Fs());
  ASSERT_TRUE(snapshot.ok());
  const std::string file = table.path() + "/" + (*snapshot)->files()[0].path;
  auto source = Open(table.path());
  ASSERT_NE(source, nullptr);
  auto end = source->LatestOffset(std::nullopt, ReadLimit::kRateLimited);
  ASSERT_TRUE(end.ok() && end->has_value());
  std::filesystem::remove(file);
  auto rows = source->GetBatch(std::nullopt, **end);
  ASSERT_EQ(rows.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(rows.status().message(), HasSubstr("[DELTA_FILE_NOT_FOUND_DETAILED] File " + file));
}

TEST(DeltaSourceTest, ExcludeRegexSkipsMatchingFiles) {
  TempTable table;
  Create(table.path());
  AppendIds(table.path(), {1, 2}, /*file_per_row=*/true);
  auto snapshot = delta::Snapshot::Load(table.path(), Fs());
  ASSERT_TRUE(snapshot.ok());
  const std::string& skipped = (*snapshot)->files()[0].path;
  auto source = Open(table.path(), {{"excludeRegex", skipped.substr(0, 30)}});
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(AllIds(Drain(*source, std::nullopt)).size(), 1u);

  SourceSpec bad;
  bad.format = "delta";
  bad.path = table.path();
  bad.options = {{"excludeRegex", "("}};
  EXPECT_THAT(MakeSource(bad).status().message(), HasSubstr("[DELTA_REGEX_OPT_SYNTAX_ERROR]"));
}

TEST(DeltaSourceTest, CommitsCleanedFromTheLogFailUnlessDataLossIsAllowed) {
  TempTable table;
  Create(table.path());
  AppendIds(table.path(), {1});
  AppendIds(table.path(), {2});
  AppendIds(table.path(), {3});  // version 3
  auto snapshot = delta::Snapshot::Load(table.path(), Fs());
  ASSERT_TRUE(snapshot.ok());
  ASSERT_TRUE(delta::WriteSnapshotCheckpoint(**snapshot, Fs(), 0).ok());
  for (int64_t version = 0; version < 3; ++version) {
    std::filesystem::remove(delta::LogDirectory(table.path()) + "/" +
                            delta::CommitFileName(version));
  }
  const std::string id = TableId(table.path());
  const Offset consumed = OffsetJson(id, 1, -1, false);

  auto strict = Open(table.path());
  ASSERT_NE(strict, nullptr);
  auto error = strict->LatestOffset(consumed, ReadLimit::kRateLimited);
  ASSERT_EQ(error.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(error.status().message(),
              HasSubstr("[DELTA_MISSING_FILES_UNEXPECTED_VERSION] The stream from your Delta "
                        "table was expecting process data from version 1, but the earliest "
                        "available version in the _delta_log directory is 3."));

  auto lenient = Open(table.path(), {{"failOnDataLoss", "false"}});
  ASSERT_NE(lenient, nullptr);
  EXPECT_EQ(AllIds(Drain(*lenient, consumed)), (std::vector<int64_t>{3}));
}

// Rows of the initial snapshot of `root`, read through the source in one-file batches.
int64_t StreamedRows(const std::string& root, OptionList options) {
  auto source = Open(root, std::move(options));
  if (source == nullptr)
    return -1;
  int64_t rows = 0;
  std::optional<Offset> start;
  for (int i = 0; i < 1000; ++i) {
    auto end = source->LatestOffset(start, ReadLimit::kRateLimited);
    EXPECT_TRUE(end.ok()) << root << ": " << end.status().ToString();
    if (!end.ok() || !end->has_value() || *end == start)
      break;
    auto batches = source->GetBatch(start, **end);
    EXPECT_TRUE(batches.ok()) << root << ": " << batches.status().ToString();
    if (!batches.ok())
      return -1;
    for (const BatchPtr& batch : *batches)
      rows += batch->num_rows();
    start = *end;
  }
  return rows;
}

int64_t SnapshotRows(const std::string& root) {
  auto snapshot = delta::Snapshot::Load(root, Fs());
  EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  if (!snapshot.ok())
    return -1;
  auto scan = delta::Scan::Make(*snapshot, {}, Fs());
  EXPECT_TRUE(scan.ok());
  auto batches = (*scan)->ReadAll();
  EXPECT_TRUE(batches.ok());
  int64_t rows = 0;
  for (const BatchPtr& batch : *batches)
    rows += batch->num_rows();
  return rows;
}

TEST(DeltaSourceTest, GoldenInitialSnapshotsMatchABatchScan) {
  // Deletion vectors with partitions and a checkpoint, column mapping, partition values.
  for (const char* name : {"dv-partitioned-with-checkpoint", "table-with-columnmapping-mode-name",
                           "table-with-columnmapping-mode-id", "data-reader-partition-values"}) {
    const std::string root = std::string(SLUICE_TESTDATA_DIR) + "/delta-golden/" + name;
    const int64_t expected = SnapshotRows(root);
    EXPECT_GT(expected, 0) << name;
    EXPECT_EQ(StreamedRows(root, {{"maxFilesPerTrigger", "1"}}), expected) << name;
  }
}

TEST(DeltaSourceTest, AGoldenTableReadFromVersionZeroMatchesItsSnapshot) {
  const std::string root =
      std::string(SLUICE_TESTDATA_DIR) + "/delta-golden/time-travel-start-start20-start40";
  auto snapshot = delta::Snapshot::Load(root, Fs());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  auto scan = delta::Scan::Make(*snapshot, {}, Fs());
  ASSERT_TRUE(scan.ok());
  auto expected = (*scan)->ReadAll();
  ASSERT_TRUE(expected.ok());
  int64_t expected_rows = 0;
  for (const BatchPtr& batch : *expected)
    expected_rows += batch->num_rows();

  for (const OptionList& options :
       {OptionList{{"startingVersion", "0"}, {"maxFilesPerTrigger", "1"}}, OptionList{}}) {
    auto source = Open(root, options);
    ASSERT_NE(source, nullptr);
    int64_t rows = 0;
    std::optional<Offset> start;
    for (int i = 0; i < 100; ++i) {
      auto end = source->LatestOffset(start, ReadLimit::kRateLimited);
      ASSERT_TRUE(end.ok()) << end.status().ToString();
      if (!end->has_value() || *end == start)
        break;
      auto batches = source->GetBatch(start, **end);
      ASSERT_TRUE(batches.ok()) << batches.status().ToString();
      for (const BatchPtr& batch : *batches)
        rows += batch->num_rows();
      start = *end;
    }
    EXPECT_EQ(rows, expected_rows);
    EXPECT_GT(rows, 0);
  }
}

// A sink that keeps each batch's ids by batch id; a batch id it has seen is not written again.
class CollectingSink : public StreamSink {
 public:
  explicit CollectingSink(std::map<int64_t, std::vector<int64_t>>* batches) : batches_(batches) {}
  std::string Description() const override { return "CollectingSink"; }
  Status AddBatch(int64_t batch_id, const SchemaPtr& schema,
                  const std::vector<BatchPtr>& data) override {
    (void)schema;
    batches_->emplace(batch_id, IdsOf(data));
    return Status::Ok();
  }

 private:
  std::map<int64_t, std::vector<int64_t>>* batches_;
};

Result<std::unique_ptr<MicroBatchExecution>> StartQuery(
    const std::string& root, const std::string& checkpoint,
    std::map<int64_t, std::vector<int64_t>>* batches) {
  SourceSpec spec;
  spec.format = "delta";
  spec.path = root;
  spec.options = {{"maxFilesPerTrigger", "1"}};
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<StreamSource> source, MakeSource(spec));
  StreamingQueryOptions options;
  options.checkpoint_location = checkpoint;
  const SchemaPtr schema = source->schema();
  options.sources.push_back(std::move(source));
  options.sink = std::make_unique<CollectingSink>(batches);
  options.plan = [schema](const MicroBatchInput& input) -> Result<MicroBatchOutput> {
    return MicroBatchOutput{schema, input.sources[0]};
  };
  return MicroBatchExecution::Open(std::move(options));
}

TEST(DeltaSourceTest, AQueryRestartedOnItsCheckpointResumesAfterTheCommittedOffset) {
  TempTable table;
  const std::string checkpoint = table.path() + "_checkpoint";
  std::filesystem::remove_all(checkpoint);
  Create(table.path());
  AppendIds(table.path(), {1, 2}, /*file_per_row=*/true);
  std::map<int64_t, std::vector<int64_t>> batches;
  {
    auto query = StartQuery(table.path(), checkpoint, &batches);
    ASSERT_TRUE(query.ok()) << query.status().ToString();
    ASSERT_TRUE((*query)->ProcessAllAvailable().ok());
    (*query)->Close();
  }
  ASSERT_EQ(batches.size(), 2u);
  AppendIds(table.path(), {3});
  {
    auto query = StartQuery(table.path(), checkpoint, &batches);
    ASSERT_TRUE(query.ok()) << query.status().ToString();
    ASSERT_TRUE((*query)->ProcessAllAvailable().ok());
    (*query)->Close();
  }
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[2], (std::vector<int64_t>{3}));
  std::vector<int64_t> all;
  for (const auto& [id, ids] : batches)
    all.insert(all.end(), ids.begin(), ids.end());
  EXPECT_EQ(Sorted(all), (std::vector<int64_t>{1, 2, 3}));

  // The table is re-created at the same path: the checkpoint belongs to the old one.
  std::filesystem::remove_all(table.path());
  Create(table.path());
  auto refused = StartQuery(table.path(), checkpoint, &batches);
  EXPECT_FALSE(refused.ok());
  std::filesystem::remove_all(checkpoint);
}

}  // namespace
}  // namespace sluice::stream

namespace sluice::stream {
namespace {

// startingVersion=latest is resolved once, when the query first starts: a restarted
// source re-reading its first range from the beginning gets the same rows, though the
// table moved on meanwhile.
TEST(DeltaSourceTest, LatestStartingVersionSurvivesARestart) {
  TempTable table;
  const std::string metadata = table.path() + "_metadata";
  std::filesystem::remove_all(metadata);
  std::filesystem::create_directories(metadata);
  Create(table.path());
  AppendIds(table.path(), {1});
  auto open = [&] {
    SourceSpec spec;
    spec.format = "delta";
    spec.path = table.path();
    spec.options = {{"startingVersion", "latest"}};
    auto source = MakeSource(spec);
    EXPECT_TRUE(source.ok()) << source.status().ToString();
    SourceContext context;
    context.fs = &Fs();
    context.metadata_dir = metadata;
    EXPECT_TRUE((*source)->Open(context).ok());
    return std::move(*source);
  };
  std::unique_ptr<StreamSource> first = open();
  auto nothing = first->LatestOffset(std::nullopt, ReadLimit::kRateLimited);
  ASSERT_TRUE(nothing.ok()) << nothing.status().ToString();
  EXPECT_FALSE(nothing->has_value());
  AppendIds(table.path(), {2});
  AppendIds(table.path(), {3});
  auto end = first->LatestOffset(std::nullopt, ReadLimit::kRateLimited);
  ASSERT_TRUE(end.ok() && end->has_value());
  // The process dies before the batch commits; the table moves on; a new process re-runs
  // the logged range from the query's beginning.
  first.reset();
  AppendIds(table.path(), {4});
  std::unique_ptr<StreamSource> second = open();
  auto rows = second->GetBatch(std::nullopt, **end);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_THAT(Sorted(IdsOf(*rows)), ElementsAre(2, 3));
  std::filesystem::remove_all(metadata);
}

}  // namespace
}  // namespace sluice::stream
