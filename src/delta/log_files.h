// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/file_system.h"
#include "common/result.h"

/// The files of a Delta log (`<table>/_delta_log/`): naming, listing, and choosing the
/// checkpoint and commits that reconstruct a version (a log segment).
namespace sluice::delta {

/// The kinds of file a log holds; everything else there (temporary files, Hadoop
/// `.crc` side files, `_commits/`, `_staged_commits/`, `.s3-optimization-*`) is ignored.
enum class LogFileKind {
  kCommit,               // 00000000000000000042.json
  kClassicCheckpoint,    // 00000000000000000042.checkpoint.parquet
  kMultiPartCheckpoint,  // 00000000000000000042.checkpoint.0000000001.0000000003.parquet
  kV2Checkpoint,         // 00000000000000000042.checkpoint.<uuid>.json|parquet
  kCompaction,           // 00000000000000000040.00000000000000000042.compacted.json
  kChecksum,             // 00000000000000000042.crc
};

/// One file of the log, as listed.
struct LogFile {
  LogFileKind kind = LogFileKind::kCommit;
  /// The version the file is for (the first version of a compaction).
  int64_t version = 0;
  /// The last version of a compaction; `version` otherwise.
  int64_t end_version = 0;
  /// For multi-part checkpoints: this part (1-based) and the number of parts.
  int part = 0;
  int num_parts = 0;
  std::string path;  // full path
  std::string name;  // file name
  int64_t size = 0;
  int64_t modification_micros = 0;
};

/// Returns "<version zero-padded to 20>.json".
std::string CommitFileName(int64_t version);
/// Returns "<version zero-padded to 20>.checkpoint.parquet".
std::string ClassicCheckpointFileName(int64_t version);
/// Returns the kind and versions of a log file name, or nullopt when the name is not
/// one of the log's files.
std::optional<LogFile> ParseLogFileName(std::string_view name);
/// Returns `<table_root>/_delta_log`.
std::string LogDirectory(std::string_view table_root);

/// A checkpoint usable for reconstruction: one classic file, a complete set of
/// multi-part files (in part order), or one V2 file.
struct CheckpointInstance {
  int64_t version = 0;
  LogFileKind kind = LogFileKind::kClassicCheckpoint;
  std::vector<LogFile> files;
};

/// Everything a listing of `_delta_log` found, sorted by version.
struct LogListing {
  std::vector<LogFile> commits;
  /// Complete checkpoints only (a multi-part set with parts missing is left out, as the
  /// protocol says).
  std::vector<CheckpointInstance> checkpoints;
  std::vector<LogFile> compactions;

  /// The newest version with a commit file, or -1 when there is none.
  int64_t latest_commit_version() const { return commits.empty() ? -1 : commits.back().version; }
  /// The newest version the log describes: its newest commit or checkpoint (a log whose
  /// commits were all cleaned up may hold only a checkpoint); -1 when empty.
  int64_t latest_version() const {
    const int64_t checkpoint = checkpoints.empty() ? -1 : checkpoints.back().version;
    return std::max(latest_commit_version(), checkpoint);
  }
};

/// Lists `log_dir`. kNotFound when the directory does not exist.
Result<LogListing> ListLog(const std::string& log_dir, FileSystem& fs);

/// The files that reconstruct one version: the newest complete checkpoint at or before
/// it (if any) and every commit after that checkpoint up to the version.
struct LogSegment {
  int64_t version = -1;
  std::optional<CheckpointInstance> checkpoint;
  std::vector<LogFile> commits;
  /// The commit file of `version` itself (for its timestamp), when it exists.
  std::optional<LogFile> last_commit;
};

/// Chooses the segment for `version` (the latest when nullopt). Errors name the table:
/// kNotFound when the log has no commits ("not a Delta table"); kInvalidArgument (Spark's
/// DELTA_VERSION_NOT_FOUND text) when `version` is outside the versions that can be
/// reconstructed; kCorruption when commits are missing between the checkpoint (or 0)
/// and the version.
Result<LogSegment> BuildLogSegment(const LogListing& listing, std::optional<int64_t> version,
                                   std::string_view table_root);

/// The oldest version that can be reconstructed: 0 when commit 0 exists, otherwise the
/// oldest checkpoint that has every commit after it. -1 when none.
int64_t EarliestReconstructableVersion(const LogListing& listing);

}  // namespace sluice::delta
