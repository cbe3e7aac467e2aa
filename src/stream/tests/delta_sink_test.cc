// SPDX-License-Identifier: Apache-2.0
#include "stream/delta_sink.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "columnar/builder.h"
#include "delta/scan.h"
#include "delta/snapshot.h"
#include "delta/writer.h"
#include "stream/factory.h"

namespace sluice::stream {
namespace {

#define ASSERT_OK(expr)                              \
  do {                                               \
    const Status status_ = (expr);                   \
    ASSERT_TRUE(status_.ok()) << status_.ToString(); \
  } while (false)

FileSystem& Fs() {
  return LocalFileSystem::Default();
}

// A fresh directory named for the test, removed at the end of the test.
class TempTable {
 public:
  TempTable()
      : root_(::testing::TempDir() + "/delta_sink_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name()) {
    std::filesystem::remove_all(root_);
  }
  ~TempTable() { std::filesystem::remove_all(root_); }
  TempTable(const TempTable&) = delete;
  TempTable& operator=(const TempTable&) = delete;
  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

// The local file system, running a hook (once) before the first commit file it writes:
// another writer's commit slips in between a transaction's read and its commit.
class InterleavingFileSystem final : public FileSystem {
 public:
  explicit InterleavingFileSystem(std::function<void()> before_commit)
      : before_commit_(std::move(before_commit)) {}

  Result<std::string> ReadFile(const std::string& path) override { return Fs().ReadFile(path); }
  Status WriteFileAtomic(const std::string& path, std::string_view data) override {
    return Fs().WriteFileAtomic(path, data);
  }
  Status PutIfAbsent(const std::string& path, std::string_view data) override {
    if (before_commit_ && path.find("_delta_log/") != std::string::npos && path.size() > 5 &&
        path.substr(path.size() - 5) == ".json") {
      std::function<void()> hook = std::move(before_commit_);
      before_commit_ = nullptr;
      hook();
    }
    return Fs().PutIfAbsent(path, data);
  }
  Status Sync(const std::string& path) override { return Fs().Sync(path); }
  Result<std::vector<FileInfo>> ListDirectory(const std::string& path) override {
    return Fs().ListDirectory(path);
  }
  Result<FileInfo> GetFileInfo(const std::string& path) override { return Fs().GetFileInfo(path); }
  Result<bool> Exists(const std::string& path) override { return Fs().Exists(path); }
  Status CreateDirectories(const std::string& path) override {
    return Fs().CreateDirectories(path);
  }
  Status DeleteFile(const std::string& path) override { return Fs().DeleteFile(path); }
  Status DeleteRecursively(const std::string& path) override {
    return Fs().DeleteRecursively(path);
  }

 private:
  std::function<void()> before_commit_;
};

SchemaPtr IdNameSchema() {
  return MakeSchema({MakeField("id", LongType()), MakeField("name", StringType())});
}

// A batch of (id, name) rows.
BatchPtr Rows(const std::vector<std::pair<int64_t, std::string>>& rows,
              SchemaPtr schema = IdNameSchema()) {
  BatchBuilder builder(schema);
  for (const auto& [id, name] : rows) {
    static_cast<Int64Builder*>(builder.column(0))->Append(id);
    static_cast<StringBuilder*>(builder.column(1))->Append(name);
  }
  return builder.Finish();
}

// A batch of (id, name, extra) rows: one column more than IdNameSchema.
BatchPtr RowsWithExtra(const std::vector<int64_t>& ids) {
  SchemaPtr schema = MakeSchema({MakeField("id", LongType()), MakeField("name", StringType()),
                                 MakeField("extra", LongType())});
  BatchBuilder builder(schema);
  for (int64_t id : ids) {
    static_cast<Int64Builder*>(builder.column(0))->Append(id);
    static_cast<StringBuilder*>(builder.column(1))->Append("x");
    static_cast<Int64Builder*>(builder.column(2))->Append(id * 10);
  }
  return builder.Finish();
}

SinkContext Context(const std::string& query_id, OutputMode mode = OutputMode::kAppend) {
  SinkContext context;
  context.query_id = query_id;
  context.output_mode = mode;
  return context;
}

// An opened Delta sink made through the factory.
std::unique_ptr<StreamSink> OpenSink(const std::string& root, const std::string& query_id,
                                     OutputMode mode = OutputMode::kAppend, OptionList options = {},
                                     std::vector<std::string> partition_by = {}) {
  SinkSpec spec;
  spec.format = "delta";
  spec.path = root;
  spec.options = std::move(options);
  spec.partition_by = std::move(partition_by);
  auto sink = MakeSink(spec);
  EXPECT_TRUE(sink.ok()) << sink.status().ToString();
  if (!sink.ok()) {
    return nullptr;
  }
  Status opened = (*sink)->Open(Context(query_id, mode));
  EXPECT_TRUE(opened.ok()) << opened.ToString();
  return std::move(*sink);
}

delta::SnapshotPtr Load(const std::string& root) {
  auto snapshot = delta::Snapshot::Load(root, Fs());
  EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  return snapshot.ok() ? *snapshot : nullptr;
}

// The ids of the table's latest snapshot, read through the scan API.
std::multiset<int64_t> ReadIds(const std::string& root) {
  std::multiset<int64_t> ids;
  auto scan = delta::Scan::Make(Load(root), delta::ScanOptions{{"id"}, nullptr, nullptr}, Fs());
  EXPECT_TRUE(scan.ok()) << scan.status().ToString();
  if (!scan.ok()) {
    return ids;
  }
  auto batches = (*scan)->ReadAll();
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  for (const BatchPtr& batch : *batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      ids.insert(batch->column(0)->Value<int64_t>(row));
    }
  }
  return ids;
}

TEST(DeltaSinkTest, AppendsEachBatchWithItsTxnAndStreamingUpdateCommitInfo) {
  TempTable table;
  auto sink = OpenSink(table.root(), "query-1");
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->Description(), "DeltaSink[" + table.root() + "]");
  ASSERT_OK(sink->AddBatch(0, IdNameSchema(), {Rows({{1, "a"}, {2, "b"}})}));
  ASSERT_OK(sink->AddBatch(1, IdNameSchema(), {Rows({{3, "c"}})}));

  auto snapshot = Load(table.root());
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->version(), 1);
  EXPECT_EQ(snapshot->TransactionVersion("query-1"), 1);
  EXPECT_EQ(ReadIds(table.root()), (std::multiset<int64_t>{1, 2, 3}));
  // The table was created by the first batch, every column nullable.
  for (const Field& field : snapshot->schema()->fields()) {
    EXPECT_TRUE(field.nullable) << field.name;
  }
  ASSERT_TRUE(snapshot->commit_info().has_value());
  const JsonValue& info = snapshot->commit_info()->value;
  EXPECT_EQ(info.Find("operation")->text(), "STREAMING UPDATE");
  EXPECT_EQ(info.Find("operationParameters")->Serialize(),
            R"({"outputMode":"Append","queryId":"query-1","epochId":"1"})");
}

TEST(DeltaSinkTest, ReplayedBatchIdWritesNothing) {
  TempTable table;
  auto sink = OpenSink(table.root(), "query-1");
  ASSERT_NE(sink, nullptr);
  ASSERT_OK(sink->AddBatch(0, IdNameSchema(), {Rows({{1, "a"}})}));
  ASSERT_OK(sink->AddBatch(1, IdNameSchema(), {Rows({{2, "b"}})}));
  // A re-run of batch 1 (crash before the commit log) and a stale batch 0.
  ASSERT_OK(sink->AddBatch(1, IdNameSchema(), {Rows({{2, "b"}})}));
  ASSERT_OK(sink->AddBatch(0, IdNameSchema(), {Rows({{1, "a"}})}));

  EXPECT_EQ(Load(table.root())->version(), 1);
  EXPECT_EQ(ReadIds(table.root()), (std::multiset<int64_t>{1, 2}));
}

TEST(DeltaSinkTest, ASecondSinkWithTheSameQueryIdSkipsOldBatchIds) {
  TempTable table;
  {
    auto first = OpenSink(table.root(), "query-1");
    ASSERT_NE(first, nullptr);
    ASSERT_OK(first->AddBatch(0, IdNameSchema(), {Rows({{1, "a"}})}));
    ASSERT_OK(first->AddBatch(1, IdNameSchema(), {Rows({{2, "b"}})}));
  }
  // The restarted query: batch 1 again, then batch 2.
  auto restarted = OpenSink(table.root(), "query-1");
  ASSERT_NE(restarted, nullptr);
  ASSERT_OK(restarted->AddBatch(1, IdNameSchema(), {Rows({{2, "b"}})}));
  EXPECT_EQ(Load(table.root())->version(), 1);
  ASSERT_OK(restarted->AddBatch(2, IdNameSchema(), {Rows({{3, "c"}})}));
  EXPECT_EQ(ReadIds(table.root()), (std::multiset<int64_t>{1, 2, 3}));
  EXPECT_EQ(Load(table.root())->TransactionVersion("query-1"), 2);

  // Another query (a new checkpoint) writes its own batch 0.
  auto other = OpenSink(table.root(), "query-2");
  ASSERT_NE(other, nullptr);
  ASSERT_OK(other->AddBatch(0, IdNameSchema(), {Rows({{4, "d"}})}));
  EXPECT_EQ(ReadIds(table.root()), (std::multiset<int64_t>{1, 2, 3, 4}));
}

TEST(DeltaSinkTest, AZombieWriterOfTheSameQueryLosesWithConcurrentTransaction) {
  TempTable table;
  auto restarted = OpenSink(table.root(), "query-1");
  ASSERT_NE(restarted, nullptr);
  ASSERT_OK(restarted->AddBatch(0, IdNameSchema(), {Rows({{1, "a"}})}));

  // The zombie (an old instance of the query) writes batch 1 too; the restarted query
  // commits its batch 1 between the zombie's read of the table and its commit.
  InterleavingFileSystem interleaving([&] {
    ASSERT_OK(restarted->AddBatch(1, IdNameSchema(), {Rows({{2, "b"}})}));
  });
  SinkSpec spec;
  spec.format = "delta";
  spec.path = table.root();
  spec.fs = &interleaving;
  auto zombie = MakeSink(spec);
  ASSERT_TRUE(zombie.ok());
  ASSERT_OK((*zombie)->Open(Context("query-1")));
  Status lost = (*zombie)->AddBatch(1, IdNameSchema(), {Rows({{20, "zombie"}})});
  EXPECT_EQ(lost.code(), StatusCode::kConflict) << lost.ToString();
  EXPECT_EQ(lost.message().rfind("ConcurrentTransactionException", 0), 0u) << lost.message();

  EXPECT_EQ(Load(table.root())->version(), 1);
  EXPECT_EQ(ReadIds(table.root()), (std::multiset<int64_t>{1, 2}));
}

TEST(DeltaSinkTest, EmptyBatchCreatesTheTableAndRecordsItsTxn) {
  TempTable table;
  auto sink = OpenSink(table.root(), "query-1");
  ASSERT_NE(sink, nullptr);
  ASSERT_OK(sink->AddBatch(0, IdNameSchema(), {}));
  auto snapshot = Load(table.root());
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->version(), 0);
  EXPECT_TRUE(snapshot->files().empty());
  EXPECT_EQ(snapshot->TransactionVersion("query-1"), 0);
  EXPECT_EQ(snapshot->schema()->num_fields(), 2);

  ASSERT_OK(sink->AddBatch(1, IdNameSchema(), {Rows({}, IdNameSchema())}));
  EXPECT_EQ(Load(table.root())->version(), 1);
  EXPECT_EQ(Load(table.root())->TransactionVersion("query-1"), 1);
  EXPECT_TRUE(ReadIds(table.root()).empty());
}

TEST(DeltaSinkTest, CompleteModeReplacesTheTableInOneCommit) {
  TempTable table;
  auto sink = OpenSink(table.root(), "query-1", OutputMode::kComplete);
  ASSERT_NE(sink, nullptr);
  ASSERT_OK(sink->AddBatch(0, IdNameSchema(), {Rows({{1, "a"}, {2, "b"}})}));
  ASSERT_OK(sink->AddBatch(1, IdNameSchema(), {Rows({{1, "a"}, {2, "b"}, {3, "c"}})}));
  EXPECT_EQ(ReadIds(table.root()), (std::multiset<int64_t>{1, 2, 3}));
  auto snapshot = Load(table.root());
  EXPECT_EQ(snapshot->version(), 1);
  EXPECT_EQ(snapshot->commit_info()->value.Find("operationParameters")->Serialize(),
            R"({"outputMode":"Complete","queryId":"query-1","epochId":"1"})");
  // A replay of batch 1 does not remove and re-add.
  ASSERT_OK(sink->AddBatch(1, IdNameSchema(), {Rows({{9, "z"}})}));
  EXPECT_EQ(Load(table.root())->version(), 1);
  // An empty result leaves an empty table.
  ASSERT_OK(sink->AddBatch(2, IdNameSchema(), {}));
  EXPECT_TRUE(ReadIds(table.root()).empty());
  EXPECT_EQ(Load(table.root())->TransactionVersion("query-1"), 2);
}

TEST(DeltaSinkTest, UpdateModeIsRefusedAtOpen) {
  TempTable table;
  SinkSpec spec;
  spec.format = "delta";
  spec.path = table.root();
  auto sink = MakeSink(spec);
  ASSERT_TRUE(sink.ok());
  Status opened = (*sink)->Open(Context("query-1", OutputMode::kUpdate));
  EXPECT_EQ(opened.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(opened.message().find("Data source delta does not support Update output mode"),
            std::string::npos)
      << opened.message();
}

TEST(DeltaSinkTest, MissingPathAndBadOptionsAreRefused) {
  SinkSpec spec;
  spec.format = "DELTA";
  EXPECT_EQ(MakeSink(spec).status().code(), StatusCode::kInvalidArgument);
  spec.path = "/tmp/unused";
  spec.options = {{"mergeschema", "maybe"}};
  EXPECT_EQ(MakeSink(spec).status().code(), StatusCode::kInvalidArgument);
}

TEST(DeltaSinkTest, PartitionByWritesHiveStyleDirectories) {
  TempTable table;
  auto sink = OpenSink(table.root(), "query-1", OutputMode::kAppend, {}, {"name"});
  ASSERT_NE(sink, nullptr);
  ASSERT_OK(sink->AddBatch(0, IdNameSchema(), {Rows({{1, "a"}, {2, "b"}, {3, "a"}})}));
  auto snapshot = Load(table.root());
  EXPECT_EQ(snapshot->partition_columns(), std::vector<std::string>{"name"});
  EXPECT_EQ(snapshot->files().size(), 2u);
  EXPECT_TRUE(std::filesystem::is_directory(table.root() + "/name=a"));
  EXPECT_TRUE(std::filesystem::is_directory(table.root() + "/name=b"));
  EXPECT_EQ(ReadIds(table.root()), (std::multiset<int64_t>{1, 2, 3}));
}

TEST(DeltaSinkTest, NewColumnNeedsMergeSchema) {
  TempTable table;
  auto strict = OpenSink(table.root(), "query-1");
  ASSERT_NE(strict, nullptr);
  ASSERT_OK(strict->AddBatch(0, IdNameSchema(), {Rows({{1, "a"}})}));
  BatchPtr wider = RowsWithExtra({2});
  Status refused = strict->AddBatch(1, wider->schema(), {wider});
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("A schema mismatch detected when writing to the Delta table"),
            std::string::npos)
      << refused.message();
  EXPECT_EQ(Load(table.root())->TransactionVersion("query-1"), 0);

  auto merging = OpenSink(table.root(), "query-1", OutputMode::kAppend, {{"mergeSchema", "true"}});
  ASSERT_NE(merging, nullptr);
  ASSERT_OK(merging->AddBatch(1, wider->schema(), {wider}));
  auto snapshot = Load(table.root());
  ASSERT_EQ(snapshot->schema()->num_fields(), 3);
  EXPECT_EQ(snapshot->schema()->field(2).name, "extra");
  EXPECT_EQ(ReadIds(table.root()), (std::multiset<int64_t>{1, 2}));
}

TEST(DeltaSinkTest, NullTypeColumnsAreRefused) {
  TempTable table;
  auto sink = OpenSink(table.root(), "query-1");
  ASSERT_NE(sink, nullptr);
  SchemaPtr schema = MakeSchema({MakeField("id", LongType()), MakeField("n", NullType())});
  Status refused = sink->AddBatch(0, schema, {});
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("DELTA_NULL_SCHEMA_IN_STREAMING_WRITE"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(table.root() + "/_delta_log"));
}

TEST(DeltaSinkTest, ManySmallInputBatchesWriteOneFile) {
  TempTable table;
  auto sink = OpenSink(table.root(), "query-1");
  ASSERT_NE(sink, nullptr);
  std::vector<BatchPtr> inputs;
  for (int64_t i = 0; i < 100; ++i) {
    inputs.push_back(Rows({{i * 2, "a"}, {i * 2 + 1, "b"}}));
  }
  ASSERT_OK(sink->AddBatch(0, IdNameSchema(), inputs));
  auto snapshot = Load(table.root());
  ASSERT_EQ(snapshot->files().size(), 1u);
  EXPECT_EQ(ReadIds(table.root()).size(), 200u);
}

TEST(DeltaSinkTest, BatchRollsFilesAtTheTableTargetFileSize) {
  TempTable table;
  constexpr int64_t kTarget = 64 * 1024;
  ASSERT_TRUE(delta::CreateTable(table.root(), IdNameSchema(), {},
                                 {{"delta.targetFileSize", std::to_string(kTarget)}}, Fs())
                  .ok());
  auto sink = OpenSink(table.root(), "query-1");
  ASSERT_NE(sink, nullptr);
  std::vector<BatchPtr> inputs;
  int64_t next = 0;
  for (int i = 0; i < 200; ++i) {
    std::vector<std::pair<int64_t, std::string>> rows;
    for (int j = 0; j < 100; ++j, ++next) {
      rows.emplace_back(next * 7919 % 100003, "name-" + std::to_string(next * 104729 % 99991));
    }
    inputs.push_back(Rows(rows));
  }
  ASSERT_OK(sink->AddBatch(0, IdNameSchema(), inputs));
  auto snapshot = Load(table.root());
  const std::vector<delta::AddFile>& files = snapshot->files();
  int64_t total = 0;
  for (const delta::AddFile& file : files) {
    total += file.size;
  }
  ASSERT_GT(files.size(), 1u);
  EXPECT_LT(files.size(), inputs.size());
  // Every file but the last is closed once it reaches the target, so there are at most
  // ceil(total / target) files and only one is smaller than the target.
  EXPECT_LE(static_cast<int64_t>(files.size()), (total + kTarget - 1) / kTarget);
  int64_t small = 0;
  for (const delta::AddFile& file : files) {
    small += file.size < kTarget ? 1 : 0;
  }
  EXPECT_LE(small, 1);
  EXPECT_EQ(ReadIds(table.root()).size(), 20000u);
}

}  // namespace
}  // namespace sluice::stream
