// SPDX-License-Identifier: Apache-2.0
#include "common/file_system.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

namespace sluice {
namespace {

class FileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char templ[] = "/tmp/sluice_fs_test_XXXXXX";
    ASSERT_NE(::mkdtemp(templ), nullptr);
    dir_ = templ;
  }
  void TearDown() override { ASSERT_TRUE(fs_.DeleteRecursively(dir_).ok()); }

  LocalFileSystem& fs_ = LocalFileSystem::Default();
  std::string dir_;
};

TEST_F(FileSystemTest, AtomicWriteReplacesAndReadsBack) {
  const std::string path = JoinPath(dir_, "a.txt");
  ASSERT_TRUE(fs_.WriteFileAtomic(path, "first").ok());
  ASSERT_TRUE(fs_.WriteFileAtomic(path, "second").ok());
  Result<std::string> data = fs_.ReadFile(path);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, "second");
  // No temporary files are left behind.
  Result<std::vector<FileInfo>> listing = fs_.ListDirectory(dir_);
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ(listing->size(), 1u);
  EXPECT_EQ((*listing)[0].name, "a.txt");
  EXPECT_EQ((*listing)[0].size, 6);
  EXPECT_GT((*listing)[0].modification_micros, 0);
}

TEST_F(FileSystemTest, PutIfAbsentNeverOverwrites) {
  const std::string path = JoinPath(dir_, "00000000000000000000.json");
  ASSERT_TRUE(fs_.PutIfAbsent(path, "winner").ok());
  Status second = fs_.PutIfAbsent(path, "loser");
  EXPECT_EQ(second.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(*fs_.ReadFile(path), "winner");
}

TEST_F(FileSystemTest, PutIfAbsentHasOneWinnerUnderConcurrency) {
  const std::string path = JoinPath(dir_, "commit.json");
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      if (fs_.PutIfAbsent(path, std::to_string(i)).ok()) {
        winners.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(winners.load(), 1);
  EXPECT_EQ(fs_.ListDirectory(dir_)->size(), 1u);
}

TEST_F(FileSystemTest, ListingIsSortedWithDirectories) {
  ASSERT_TRUE(fs_.CreateDirectories(JoinPath(dir_, "b/c/d")).ok());
  ASSERT_TRUE(fs_.WriteFileAtomic(JoinPath(dir_, "a"), "x").ok());
  ASSERT_TRUE(fs_.WriteFileAtomic(JoinPath(dir_, "c"), "xyz").ok());
  Result<std::vector<FileInfo>> listing = fs_.ListDirectory(dir_);
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ(listing->size(), 3u);
  EXPECT_EQ((*listing)[0].name, "a");
  EXPECT_EQ((*listing)[1].name, "b");
  EXPECT_TRUE((*listing)[1].is_directory);
  EXPECT_EQ((*listing)[2].size, 3);
  EXPECT_TRUE(*fs_.Exists(JoinPath(dir_, "b/c/d")));
  EXPECT_TRUE(fs_.CreateDirectories(JoinPath(dir_, "b/c")).ok());
}

TEST_F(FileSystemTest, ErrorsNameThePath) {
  const std::string missing = JoinPath(dir_, "missing.json");
  Result<std::string> data = fs_.ReadFile(missing);
  EXPECT_EQ(data.status().code(), StatusCode::kNotFound);
  EXPECT_NE(data.status().message().find("missing.json"), std::string::npos);
  EXPECT_EQ(fs_.DeleteFile(missing).code(), StatusCode::kNotFound);
  EXPECT_FALSE(*fs_.Exists(missing));
  EXPECT_EQ(fs_.ListDirectory(missing).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs_.WriteFileAtomic(JoinPath(dir_, "no/such/dir/f"), "x").code(),
            StatusCode::kNotFound);
}

TEST_F(FileSystemTest, WriteBelowAFileFailsWithIoError) {
  // ENOTDIR: an I/O error (not "not found"), which holds for root as for anyone.
  const std::string file = JoinPath(dir_, "plain");
  ASSERT_TRUE(fs_.WriteFileAtomic(file, "x").ok());
  Status put = fs_.PutIfAbsent(JoinPath(file, "child"), "y");
  EXPECT_EQ(put.code(), StatusCode::kIoError);
  EXPECT_NE(put.message().find("plain/child"), std::string::npos);
  // A file where a directory should be is reported as such.
  EXPECT_EQ(fs_.CreateDirectories(JoinPath(file, "sub")).code(), StatusCode::kAlreadyExists);
}

TEST(PathTest, JoinAndParent) {
  EXPECT_EQ(JoinPath("/a/b", "c"), "/a/b/c");
  EXPECT_EQ(JoinPath("/a/b/", "/c"), "/a/b/c");
  EXPECT_EQ(JoinPath("", "c"), "c");
  EXPECT_EQ(ParentPath("/a/b/c"), "/a/b");
  EXPECT_EQ(ParentPath("/a"), "/");
  EXPECT_EQ(ParentPath("a"), ".");
}

}  // namespace
}  // namespace sluice
