// SPDX-License-Identifier: Apache-2.0
#include "stream/checkpoint.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "delta/transaction.h"

namespace sluice::stream {
namespace {

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        (std::filesystem::temp_directory_path() / ("sluice-ckpt-" + delta::RandomUuid())).string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::unique_ptr<Checkpoint> OpenCheckpoint() {
    Result<std::unique_ptr<Checkpoint>> opened = Checkpoint::Open(dir_, fs_);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? std::move(*opened) : nullptr;
  }
  std::string dir_;
  FileSystem& fs_ = LocalFileSystem::Default();
};

TEST_F(CheckpointTest, CreatesSparkLayoutWithStableQueryId) {
  std::string id;
  {
    auto checkpoint = Checkpoint::Open(dir_, fs_);
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
    EXPECT_TRUE((*checkpoint)->is_new());
    id = (*checkpoint)->query_id();
    EXPECT_EQ(id.size(), 36u);
  }
  for (const char* sub : {"offsets", "commits", "sources", "state"}) {
    EXPECT_TRUE(std::filesystem::is_directory(dir_ + "/" + sub)) << sub;
  }
  EXPECT_EQ(*fs_.ReadFile(dir_ + "/metadata"), "{\"id\":\"" + id + "\"}\n");
  auto reopened = Checkpoint::Open(dir_, fs_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_FALSE((*reopened)->is_new());
  EXPECT_EQ((*reopened)->query_id(), id);
}

TEST_F(CheckpointTest, SecondLiveInstanceIsRefused) {
  auto first = Checkpoint::Open(dir_, fs_);
  ASSERT_TRUE(first.ok());
  auto second = Checkpoint::Open(dir_, fs_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kConflict);
  EXPECT_NE(second.status().message().find("CONCURRENT_QUERY"), std::string::npos);
  first->reset();
  EXPECT_TRUE(Checkpoint::Open(dir_, fs_).ok());
}

TEST_F(CheckpointTest, OffsetLogEntriesUseSparksTextFormat) {
  std::unique_ptr<Checkpoint> checkpoint = OpenCheckpoint();
  OffsetLogEntry entry;
  entry.metadata.batch_timestamp_ms = 1732500000000;
  entry.metadata.conf["spark.sql.shuffle.partitions"] = "200";
  entry.offsets = {std::string("{\"logOffset\":3}"), std::nullopt};
  ASSERT_TRUE(checkpoint->AddOffsets(0, entry).ok());
  EXPECT_EQ(*fs_.ReadFile(dir_ + "/offsets/0"),
            "v1\n{\"batchWatermarkMs\":0,\"batchTimestampMs\":1732500000000,\"conf\":{\"spark.sql."
            "shuffle.partitions\":\"200\"}}\n{\"logOffset\":3}\n-");
  auto read = checkpoint->GetOffsets(0);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->offsets, entry.offsets);
  EXPECT_EQ(read->metadata.batch_timestamp_ms, 1732500000000);
  EXPECT_EQ(read->metadata.conf, entry.metadata.conf);

  ASSERT_TRUE(checkpoint->AddCommit(0, CommitLogEntry{}).ok());
  EXPECT_EQ(*fs_.ReadFile(dir_ + "/commits/0"), "v1\n{\"nextBatchWatermarkMs\":0}");
  EXPECT_EQ(*checkpoint->LatestOffsetBatch(), std::optional<int64_t>(0));
  EXPECT_EQ(*checkpoint->LatestCommittedBatch(), std::optional<int64_t>(0));
}

TEST_F(CheckpointTest, RewritingABatchIsAConflict) {
  std::unique_ptr<Checkpoint> checkpoint = OpenCheckpoint();
  OffsetLogEntry entry;
  entry.offsets = {std::string("1")};
  ASSERT_TRUE(checkpoint->AddOffsets(4, entry).ok());
  Status again = checkpoint->AddOffsets(4, entry);
  EXPECT_EQ(again.code(), StatusCode::kConflict);
  EXPECT_NE(again.message().find("Multiple streaming jobs detected for 4"), std::string::npos);
}

TEST_F(CheckpointTest, CorruptOrNewerEntriesGiveNamedErrors) {
  std::unique_ptr<Checkpoint> checkpoint = OpenCheckpoint();
  ASSERT_TRUE(fs_.PutIfAbsent(dir_ + "/offsets/0", "v9\n{}\n1").ok());
  ASSERT_TRUE(fs_.PutIfAbsent(dir_ + "/offsets/1", "v1\nnot json\n1").ok());
  ASSERT_TRUE(fs_.PutIfAbsent(dir_ + "/commits/0", "hello").ok());
  Status newer = checkpoint->GetOffsets(0).status();
  EXPECT_EQ(newer.code(), StatusCode::kCorruption);
  EXPECT_NE(newer.message().find("INVALID_LOG_VERSION"), std::string::npos);
  EXPECT_NE(newer.message().find("offsets/0"), std::string::npos);
  EXPECT_EQ(checkpoint->GetOffsets(1).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(checkpoint->GetCommit(0).status().code(), StatusCode::kCorruption);
}

TEST_F(CheckpointTest, SourcesOfAnotherQueryAreRefused) {
  {
    std::unique_ptr<Checkpoint> checkpoint = OpenCheckpoint();
    ASSERT_TRUE(checkpoint->CheckSources({R"({"format":"json","path":"/a"})"}).ok());
    EXPECT_EQ(*fs_.ReadFile(dir_ + "/sources/0/metadata"),
              "{\"format\":\"json\",\"path\":\"/a\"}\n");
    OffsetLogEntry entry;
    entry.offsets = {std::string("{\"logOffset\":0}")};
    ASSERT_TRUE(checkpoint->AddOffsets(0, entry).ok());  // the query made progress
  }
  std::unique_ptr<Checkpoint> checkpoint = OpenCheckpoint();
  EXPECT_TRUE(checkpoint->CheckSources({R"({"format":"json","path":"/a"})"}).ok());
  Status other = checkpoint->CheckSources({R"({"format":"json","path":"/b"})"});
  EXPECT_EQ(other.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(other.message().find("belongs to another query"), std::string::npos);
  Status more = checkpoint->CheckSources({R"({"format":"json","path":"/a"})", R"({"x":1})"});
  EXPECT_EQ(more.code(), StatusCode::kInvalidArgument);
}

TEST_F(CheckpointTest, IdentitiesPartlySavedBeforeACrashAreCompleted) {
  ASSERT_TRUE(fs_.CreateDirectories(dir_ + "/sources/0").ok());
  ASSERT_TRUE(fs_.PutIfAbsent(dir_ + "/sources/0/metadata", R"({"format":"json","path":"/a"})"
                                                            "\n")
                  .ok());
  std::unique_ptr<Checkpoint> checkpoint = OpenCheckpoint();
  // Nothing was logged yet: the saved prefix matches, the missing identity is saved.
  ASSERT_TRUE(checkpoint->CheckSources({R"({"format":"json","path":"/a"})", R"({"x":1})"}).ok());
  EXPECT_EQ(*fs_.ReadFile(dir_ + "/sources/1/metadata"), "{\"x\":1}\n");
  // A different first source is still another query's checkpoint.
  EXPECT_EQ(checkpoint->CheckSources({R"({"format":"json","path":"/b"})", R"({"x":1})"}).code(),
            StatusCode::kInvalidArgument);
}

TEST_F(CheckpointTest, PurgeKeepsRecentBatches) {
  std::unique_ptr<Checkpoint> checkpoint = OpenCheckpoint();
  OffsetLogEntry entry;
  entry.offsets = {std::string("1")};
  for (int64_t batch = 0; batch < 5; ++batch) {
    ASSERT_TRUE(checkpoint->AddOffsets(batch, entry).ok());
    ASSERT_TRUE(checkpoint->AddCommit(batch, CommitLogEntry{}).ok());
  }
  ASSERT_TRUE(checkpoint->Purge(3).ok());
  EXPECT_FALSE(*fs_.Exists(dir_ + "/offsets/2"));
  EXPECT_FALSE(*fs_.Exists(dir_ + "/commits/0"));
  EXPECT_TRUE(*fs_.Exists(dir_ + "/offsets/3"));
  EXPECT_EQ(*checkpoint->LatestOffsetBatch(), std::optional<int64_t>(4));
  // One batch's entries; an absent one is no error.
  ASSERT_TRUE(checkpoint->PurgeBatch(3).ok());
  EXPECT_FALSE(*fs_.Exists(dir_ + "/offsets/3"));
  EXPECT_FALSE(*fs_.Exists(dir_ + "/commits/3"));
  EXPECT_TRUE(*fs_.Exists(dir_ + "/commits/4"));
  EXPECT_TRUE(checkpoint->PurgeBatch(3).ok());
}

}  // namespace
}  // namespace sluice::stream
