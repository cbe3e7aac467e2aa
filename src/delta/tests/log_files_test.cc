// SPDX-License-Identifier: Apache-2.0
#include "delta/log_files.h"

#include <gtest/gtest.h>

namespace sluice::delta {
namespace {

TEST(DeltaLogFilesTest, ParsesEveryKindOfLogFileName) {
  EXPECT_EQ(CommitFileName(42), "00000000000000000042.json");
  auto commit = ParseLogFileName("00000000000000000042.json");
  ASSERT_TRUE(commit.has_value());
  EXPECT_EQ(commit->kind, LogFileKind::kCommit);
  EXPECT_EQ(commit->version, 42);
  auto classic = ParseLogFileName("00000000000000000010.checkpoint.parquet");
  ASSERT_TRUE(classic.has_value());
  EXPECT_EQ(classic->kind, LogFileKind::kClassicCheckpoint);
  auto part = ParseLogFileName("00000000000000000001.checkpoint.0000000002.0000000005.parquet");
  ASSERT_TRUE(part.has_value());
  EXPECT_EQ(part->kind, LogFileKind::kMultiPartCheckpoint);
  EXPECT_EQ(part->part, 2);
  EXPECT_EQ(part->num_parts, 5);
  auto v2 =
      ParseLogFileName("00000000000000000006.checkpoint.3a0d65cd-4056-49b8-937b-95f9e3ee90e5.json");
  ASSERT_TRUE(v2.has_value());
  EXPECT_EQ(v2->kind, LogFileKind::kV2Checkpoint);
  auto compaction = ParseLogFileName("00000000000000000004.00000000000000000006.compacted.json");
  ASSERT_TRUE(compaction.has_value());
  EXPECT_EQ(compaction->kind, LogFileKind::kCompaction);
  EXPECT_EQ(compaction->end_version, 6);
  EXPECT_EQ(ParseLogFileName("00000000000000000042.crc")->kind, LogFileKind::kChecksum);
  // Not log files: temporary files, Hadoop .crc side files, _last_checkpoint, short names.
  EXPECT_FALSE(ParseLogFileName(".00000000000000000042.json.crc").has_value());
  EXPECT_FALSE(ParseLogFileName("_last_checkpoint").has_value());
  EXPECT_FALSE(ParseLogFileName("0000000000000000042.json").has_value());
  EXPECT_FALSE(ParseLogFileName("00000000000000000042.json.tmp").has_value());
  EXPECT_FALSE(ParseLogFileName("00000000000000000042.checkpoint.x.parquet").has_value());
}

LogFile Commit(int64_t version) {
  LogFile file = *ParseLogFileName(CommitFileName(version));
  file.path = file.name;
  return file;
}

CheckpointInstance Checkpoint(int64_t version) {
  LogFile file = *ParseLogFileName(ClassicCheckpointFileName(version));
  return CheckpointInstance{version, LogFileKind::kClassicCheckpoint, {file}};
}

TEST(DeltaLogFilesTest, SegmentStartsAtNewestCheckpointAtOrBeforeVersion) {
  LogListing listing;
  for (int64_t v = 0; v <= 14; ++v)
    listing.commits.push_back(Commit(v));
  listing.checkpoints = {Checkpoint(5), Checkpoint(10)};
  auto latest = BuildLogSegment(listing, std::nullopt, "t");
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(latest->version, 14);
  ASSERT_TRUE(latest->checkpoint.has_value());
  EXPECT_EQ(latest->checkpoint->version, 10);
  ASSERT_EQ(latest->commits.size(), 4u);
  EXPECT_EQ(latest->commits.front().version, 11);
  auto seven = BuildLogSegment(listing, 7, "t");
  ASSERT_TRUE(seven.ok());
  EXPECT_EQ(seven->checkpoint->version, 5);
  EXPECT_EQ(seven->commits.size(), 2u);
  auto three = BuildLogSegment(listing, 3, "t");
  ASSERT_TRUE(three.ok());
  EXPECT_FALSE(three->checkpoint.has_value());
  EXPECT_EQ(three->commits.size(), 4u);
}

TEST(DeltaLogFilesTest, CleanedUpLogStartsAtCheckpointAndRejectsOlderVersions) {
  LogListing listing;
  for (int64_t v = 10; v <= 12; ++v)
    listing.commits.push_back(Commit(v));
  listing.checkpoints = {Checkpoint(10)};
  EXPECT_EQ(EarliestReconstructableVersion(listing), 10);
  auto old = BuildLogSegment(listing, 3, "t");
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(old.status().message().find("Available versions: [10, 12]"), std::string::npos);
  auto future = BuildLogSegment(listing, 13, "t");
  EXPECT_EQ(future.status().code(), StatusCode::kInvalidArgument);
}

TEST(DeltaLogFilesTest, MissingCommitIsCorruption) {
  LogListing listing;
  for (int64_t v : {0, 1, 3})
    listing.commits.push_back(Commit(v));
  auto segment = BuildLogSegment(listing, std::nullopt, "t");
  ASSERT_FALSE(segment.ok());
  EXPECT_EQ(segment.status().code(), StatusCode::kCorruption);
  EXPECT_NE(segment.status().message().find("commit 2 is missing"), std::string::npos);
}

TEST(DeltaLogFilesTest, CompactionReplacesTheCommitsItCovers) {
  LogListing listing;
  for (int64_t v = 0; v <= 6; ++v)
    listing.commits.push_back(Commit(v));
  LogFile compaction =
      *ParseLogFileName("00000000000000000001.00000000000000000004.compacted.json");
  listing.compactions.push_back(compaction);
  auto segment = BuildLogSegment(listing, std::nullopt, "t");
  ASSERT_TRUE(segment.ok());
  ASSERT_EQ(segment->commits.size(), 4u);  // 0, [1..4], 5, 6
  EXPECT_EQ(segment->commits[1].kind, LogFileKind::kCompaction);
  EXPECT_EQ(segment->commits[2].version, 5);
  // A compaction reaching past the target is not used.
  auto three = BuildLogSegment(listing, 3, "t");
  ASSERT_TRUE(three.ok());
  EXPECT_EQ(three->commits.size(), 4u);
  ASSERT_TRUE(three->last_commit.has_value());
  EXPECT_EQ(three->last_commit->version, 3);
}

TEST(DeltaLogFilesTest, EmptyLogIsNotADeltaTable) {
  LogListing listing;
  auto segment = BuildLogSegment(listing, std::nullopt, "t");
  EXPECT_EQ(segment.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sluice::delta
