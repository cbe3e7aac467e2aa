// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/file_system.h"
#include "common/result.h"
#include "delta/snapshot.h"
#include "types/data_type.h"

/// Reading a table's Change Data Feed (PROTOCOL.md "Change Data Files"; Delta Spark's
/// CDCReader): the rows each commit inserted, deleted or updated.
namespace sluice::delta {

/// The names of the columns the change data adds to the table's.
inline constexpr std::string_view kChangeTypeColumn = "_change_type";
inline constexpr std::string_view kCommitVersionColumn = "_commit_version";
inline constexpr std::string_view kCommitTimestampColumn = "_commit_timestamp";

/// The change rows' schema: the table's columns (of `snapshot`), then _change_type
/// (string: insert, delete, update_preimage, update_postimage), _commit_version (long)
/// and _commit_timestamp (timestamp).
Result<SchemaPtr> ChangeDataSchema(const Snapshot& snapshot);

/// The change rows of versions [start_version, end_version] (inclusive; an end past the
/// latest version reads to the latest), in the schema ChangeDataSchema gives for the
/// end version. Per commit: its `cdc` files when it has any (their rows carry their own
/// _change_type); otherwise its adds with dataChange=true as inserts and its removes with
/// dataChange=true as deletes, except that an add and a remove of the same file (a
/// deletion vector changed) give the rows the new vector deletes as deletes and the rows
/// it no longer deletes as inserts; a commit whose actions all have dataChange=false adds
/// nothing. _commit_timestamp is the commit's in-commit timestamp when the table has them,
/// else the commit file's modification time (made increasing, as DESCRIBE HISTORY).
/// Errors (Delta's texts, kInvalidArgument): a start after the latest version, an end
/// before the start ([DELTA_INVALID_CDC_RANGE]), and change data not recorded for a
/// version of the range: delta.enableChangeDataFeed not true at the start version, or
/// turned off by a commit in the range ([DELTA_MISSING_CHANGE_DATA]).
Result<std::vector<BatchPtr>> ReadChangeData(const std::string& table_root, int64_t start_version,
                                             int64_t end_version, FileSystem& fs);

/// table_changes' start timestamp: the first version committed at or after
/// `timestamp_millis`. kInvalidArgument (Delta's DELTA_TIMESTAMP_GREATER_THAN_COMMIT text)
/// when every commit is older.
Result<int64_t> VersionAtOrAfter(const std::string& table_root, int64_t timestamp_millis,
                                 FileSystem& fs);

/// table_changes' end timestamp: the last version committed at or before
/// `timestamp_millis` (the latest for any later time). kInvalidArgument (Delta's
/// DELTA_TIMESTAMP_EARLIER_THAN_COMMIT_RETENTION text) when every commit is newer.
Result<int64_t> VersionAtOrBefore(const std::string& table_root, int64_t timestamp_millis,
                                  FileSystem& fs);

}  // namespace sluice::delta
