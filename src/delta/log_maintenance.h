// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

#include "common/file_system.h"
#include "common/result.h"
#include "delta/snapshot.h"

/// Log maintenance after commits: checkpoints of a snapshot and the cleanup of expired
/// log files (PROTOCOL.md "Checkpoints", "Metadata Cleanup"). Transaction::Commit runs
/// both every `delta.checkpointInterval`-th version.
namespace sluice::delta {

/// Writes the classic checkpoint of `snapshot`'s version (checkpoint.h's
/// WriteClassicCheckpoint, which also points `_last_checkpoint` at it): the protocol,
/// metadata, txns (less those older than `delta.setTransactionRetentionDuration`, when
/// set), live domain metadata, live files, and the tombstones deleted less than
/// `delta.deletedFileRetentionDuration` before `now_millis`; stats as JSON and as
/// structs per `delta.checkpoint.writeStatsAsJson` / `writeStatsAsStruct`.
Status WriteSnapshotCheckpoint(const Snapshot& snapshot, FileSystem& fs, int64_t now_millis);

/// Deletes expired log files (PROTOCOL.md "Metadata Cleanup"; Spark's rule): the cutoff
/// is midnight UTC of the day `retention_millis` before `now_millis`; the newest complete
/// checkpoint at or before the newest commit not newer than the cutoff is kept with its
/// commit and everything after it; older commits, checkpoints and checksums (and
/// compactions starting at or before that checkpoint) are deleted. Commit times are file
/// modification times made strictly increasing by version. Does nothing without such a
/// checkpoint. Returns the number of files deleted.
Result<int64_t> CleanUpExpiredLogs(const std::string& table_root, FileSystem& fs,
                                   int64_t retention_millis, int64_t now_millis);

}  // namespace sluice::delta
