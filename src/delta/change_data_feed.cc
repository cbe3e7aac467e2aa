// SPDX-License-Identifier: Apache-2.0
#include "delta/change_data_feed.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "columnar/concat.h"
#include "common/ascii.h"
#include "delta/deletion_vector.h"
#include "delta/log_files.h"
#include "delta/partition_values.h"
#include "delta/scan.h"
#include "formats/parquet/reader.h"
#include "types/datetime.h"

namespace sluice::delta {
namespace {

constexpr std::string_view kInsert = "insert";
constexpr std::string_view kDelete = "delete";

bool ChangeDataFeedEnabled(const Metadata& metadata) {
  const std::string* value = FindValue(metadata.configuration, "delta.enableChangeDataFeed");
  return value != nullptr && EqualsIgnoreCase(*value, "true");
}

Status MissingChangeData(int64_t start, int64_t end, int64_t version) {
  return Status::InvalidArgument(fmt::format(
      "[DELTA_MISSING_CHANGE_DATA] Error getting change data for range [{} , {}] as change "
      "data was not recorded for version [{}]. If you've enabled change data feed on this "
      "table, use `DESCRIBE HISTORY` to see when it was first enabled. Otherwise, to start "
      "recording change data, use `ALTER TABLE table_name SET TBLPROPERTIES "
      "(delta.enableChangeDataFeed=true)`.",
      start, end, version));
}

// One file whose rows become change rows: a data file read with a fixed change type, a
// cdc file whose rows carry their own, or a file whose deletion vector a commit changed.
struct ChangeFile {
  AddFile file;
  std::string change_type;  // empty: the file's _change_type column (cdc files)
  bool dv_update = false;   // the add and remove of one path: the deletion vectors' diff
  std::optional<DeletionVectorDescriptor> old_dv;  // the remove's (dv_update)
};

// The files of one commit that make its change rows (see ReadChangeData). An add and a
// remove of the same path (a DELETE or UPDATE through deletion vectors without cdc
// files) become one dv_update: rows the new vector deletes and the old did not are
// deletes, rows the old deleted and the new does not are inserts (Delta's CDCReader).
std::vector<ChangeFile> CommitChangeFiles(const std::vector<Action>& actions) {
  std::vector<ChangeFile> cdc_files;
  std::vector<ChangeFile> data_files;
  std::map<std::string, const RemoveFile*> removed;
  std::set<std::string> added;
  for (const Action& action : actions) {
    if (const auto* remove = std::get_if<RemoveFile>(&action); remove && remove->data_change) {
      removed[remove->path] = remove;
    } else if (const auto* add = std::get_if<AddFile>(&action); add && add->data_change) {
      added.insert(add->path);
    }
  }
  for (const Action& action : actions) {
    if (const auto* cdc = std::get_if<AddCdcFile>(&action)) {
      AddFile file;
      file.path = cdc->path;
      file.partition_values = cdc->partition_values;
      cdc_files.push_back({std::move(file), "", false, std::nullopt});
    } else if (const auto* add = std::get_if<AddFile>(&action); add && add->data_change) {
      auto old = removed.find(add->path);
      if (old == removed.end()) {
        data_files.push_back({*add, std::string(kInsert), false, std::nullopt});
      } else {
        data_files.push_back({*add, "", true, old->second->deletion_vector});
      }
    } else if (const auto* remove = std::get_if<RemoveFile>(&action);
               remove && remove->data_change && added.count(remove->path) == 0) {
      AddFile file;
      file.path = remove->path;
      file.partition_values = remove->partition_values.value_or(PartitionValues{});
      file.deletion_vector = remove->deletion_vector;
      data_files.push_back({std::move(file), std::string(kDelete), false, std::nullopt});
    }
  }
  return cdc_files.empty() ? data_files : cdc_files;
}

// The _change_type values of a cdc file, all row groups in order.
Result<VectorPtr> ReadChangeTypes(const std::string& table_root, const std::string& add_path) {
  SLUICE_ASSIGN_OR_RETURN(std::string path, ResolveDataPath(table_root, add_path));
  parquet::ParquetReadOptions options;
  options.columns = {std::string(kChangeTypeColumn)};
  SLUICE_ASSIGN_OR_RETURN(auto reader, parquet::ParquetReader::Open(path, std::move(options)));
  std::vector<VectorPtr> parts;
  for (int i = 0; i < reader->num_row_groups(); ++i) {
    SLUICE_ASSIGN_OR_RETURN(BatchPtr batch, reader->ReadRowGroup(i));
    parts.push_back(batch->column(0));
  }
  if (parts.empty()) {
    return MakeConstantVector(StringType(), parquet::Literal{StringType(), {}}, 0);
  }
  return Concatenate(parts);
}

// The rows of `file` in the scan's columns (its deletion vector applied), as one batch.
Result<BatchPtr> ReadRows(const Scan& scan, const AddFile& file) {
  std::vector<BatchPtr> parts;
  SLUICE_RETURN_IF_ERROR(scan.ReadAnyFile(file, [&](BatchPtr batch) {
    parts.push_back(std::move(batch));
    return Status::Ok();
  }));
  if (parts.empty())
    return Batch::MakeEmpty(scan.schema());
  if (parts.size() == 1)
    return parts[0];
  return ConcatenateBatches(parts);
}

// Appends `data` with the change columns to `out` (nothing for no rows).
Status EmitChangeRows(const BatchPtr& data, VectorPtr change_type, int64_t version,
                      int64_t timestamp_millis, const SchemaPtr& schema,
                      std::vector<BatchPtr>* out) {
  const int64_t rows = data->num_rows();
  if (rows == 0)
    return Status::Ok();
  std::vector<VectorPtr> columns;
  for (int i = 0; i < data->schema()->num_fields(); ++i) {
    columns.push_back(data->column(i));
  }
  columns.push_back(std::move(change_type));
  SLUICE_ASSIGN_OR_RETURN(
      VectorPtr version_column,
      MakeConstantVector(LongType(), parquet::Literal{LongType(), version}, rows));
  columns.push_back(std::move(version_column));
  SLUICE_ASSIGN_OR_RETURN(
      VectorPtr timestamp_column,
      MakeConstantVector(TimestampType(),
                         parquet::Literal{TimestampType(), timestamp_millis * int64_t{1000}},
                         rows));
  columns.push_back(std::move(timestamp_column));
  SLUICE_ASSIGN_OR_RETURN(BatchPtr batch, Batch::Make(schema, std::move(columns), rows));
  out->push_back(std::move(batch));
  return Status::Ok();
}

// Rows `positions` of `data` with the change type `type`.
Status EmitPositions(const BatchPtr& data, const std::vector<int64_t>& positions,
                     std::string_view type, int64_t version, int64_t timestamp_millis,
                     const SchemaPtr& schema, std::vector<BatchPtr>* out) {
  if (positions.empty())
    return Status::Ok();
  std::vector<VectorPtr> columns;
  for (int i = 0; i < data->schema()->num_fields(); ++i) {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr taken, Take(*data->column(i), positions));
    columns.push_back(std::move(taken));
  }
  const auto rows = static_cast<int64_t>(positions.size());
  SLUICE_ASSIGN_OR_RETURN(BatchPtr picked, Batch::Make(data->schema(), std::move(columns), rows));
  SLUICE_ASSIGN_OR_RETURN(
      VectorPtr change_type,
      MakeConstantVector(StringType(), parquet::Literal{StringType(), std::string(type)}, rows));
  return EmitChangeRows(picked, std::move(change_type), version, timestamp_millis, schema, out);
}

// The change rows of a file whose deletion vector changed: the whole file is read and
// the rows whose deleted state differs between the two vectors are picked.
Status ReadDvUpdate(const Scan& scan, const ChangeFile& change, int64_t version,
                    int64_t timestamp_millis, const SchemaPtr& schema, FileSystem& fs,
                    std::vector<BatchPtr>* out) {
  const std::string& root = scan.snapshot()->table_root();
  AddFile whole = change.file;
  whole.deletion_vector.reset();
  SLUICE_ASSIGN_OR_RETURN(BatchPtr data, ReadRows(scan, whole));
  DeletionVector old_dv, new_dv;
  if (change.old_dv.has_value()) {
    SLUICE_ASSIGN_OR_RETURN(old_dv, LoadDeletionVector(*change.old_dv, root, fs));
  }
  if (change.file.deletion_vector.has_value()) {
    SLUICE_ASSIGN_OR_RETURN(new_dv, LoadDeletionVector(*change.file.deletion_vector, root, fs));
  }
  std::vector<int64_t> deleted, restored;
  for (int64_t row = 0; row < data->num_rows(); ++row) {
    const bool was = old_dv.Contains(static_cast<uint64_t>(row));
    const bool is = new_dv.Contains(static_cast<uint64_t>(row));
    if (is && !was)
      deleted.push_back(row);
    if (was && !is)
      restored.push_back(row);
  }
  SLUICE_RETURN_IF_ERROR(
      EmitPositions(data, deleted, kDelete, version, timestamp_millis, schema, out));
  return EmitPositions(data, restored, kInsert, version, timestamp_millis, schema, out);
}

// Reads one change file as change rows of `schema`.
Status ReadChangeFile(const Scan& scan, const ChangeFile& change, int64_t version,
                      int64_t timestamp_millis, const SchemaPtr& schema, FileSystem& fs,
                      std::vector<BatchPtr>* out) {
  if (change.dv_update) {
    return ReadDvUpdate(scan, change, version, timestamp_millis, schema, fs, out);
  }
  SLUICE_ASSIGN_OR_RETURN(BatchPtr data, ReadRows(scan, change.file));
  const int64_t rows = data->num_rows();
  VectorPtr change_type;
  if (change.change_type.empty()) {
    SLUICE_ASSIGN_OR_RETURN(change_type,
                            ReadChangeTypes(scan.snapshot()->table_root(), change.file.path));
    if (change_type->length() != rows) {
      return Status::Corruption(fmt::format(
          "Delta table '{}' change data file '{}': {} _change_type values for {} rows",
          scan.snapshot()->table_root(), change.file.path, change_type->length(), rows));
    }
  } else {
    SLUICE_ASSIGN_OR_RETURN(
        change_type,
        MakeConstantVector(StringType(), parquet::Literal{StringType(), change.change_type}, rows));
  }
  return EmitChangeRows(data, std::move(change_type), version, timestamp_millis, schema, out);
}

// Versions and (increasing) commit timestamps, oldest first.
Result<std::vector<std::pair<int64_t, int64_t>>> CommitTimes(const std::string& table_root,
                                                             FileSystem& fs) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<CommitRecord> history, ReadHistory(table_root, fs));
  std::vector<std::pair<int64_t, int64_t>> times;
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    times.emplace_back(it->version, it->timestamp_millis);
  }
  if (times.empty()) {
    return Status::NotFound(fmt::format("Delta table '{}' has no commits", table_root));
  }
  return times;
}

std::string FormatMillis(int64_t millis) {
  return FormatTimestamp(millis * 1000);
}

}  // namespace

Result<SchemaPtr> ChangeDataSchema(const Snapshot& snapshot) {
  std::vector<Field> fields = snapshot.schema()->fields();
  for (const Field& field : fields) {
    if (field.name == kChangeTypeColumn || field.name == kCommitVersionColumn ||
        field.name == kCommitTimestampColumn) {
      return Status::InvalidArgument(fmt::format(
          "[DELTA_TABLE_ALREADY_CONTAINS_CDC_COLUMNS] Unable to read the Change Data Feed of "
          "Delta table '{}': the table contains the reserved column [{}] that the Change Data "
          "Feed uses as metadata.",
          snapshot.table_root(), field.name));
    }
  }
  fields.push_back(MakeField(std::string(kChangeTypeColumn), StringType()));
  fields.push_back(MakeField(std::string(kCommitVersionColumn), LongType()));
  fields.push_back(MakeField(std::string(kCommitTimestampColumn), TimestampType()));
  return MakeSchema(std::move(fields));
}

Result<std::vector<BatchPtr>> ReadChangeData(const std::string& table_root, int64_t start_version,
                                             int64_t end_version, FileSystem& fs) {
  SLUICE_ASSIGN_OR_RETURN(SnapshotPtr latest, Snapshot::Load(table_root, fs));
  if (start_version > latest->version()) {
    return Status::InvalidArgument(fmt::format(
        "[DELTA_INVALID_CDC_RANGE] Provided Start version({}) for reading change data is "
        "invalid. Start version cannot be greater than the latest version of the table({}).",
        start_version, latest->version()));
  }
  if (end_version < start_version) {
    return Status::InvalidArgument(
        fmt::format("[DELTA_INVALID_CDC_RANGE] CDC range from start {} to end {} was invalid. "
                    "End cannot be before start.",
                    start_version, end_version));
  }
  if (start_version < 0) {
    return Status::InvalidArgument(fmt::format(
        "[DELTA_INVALID_CDC_RANGE] CDC range from start {} to end {} was invalid. The start "
        "version must not be negative.",
        start_version, end_version));
  }
  const int64_t end = std::min(end_version, latest->version());
  SLUICE_ASSIGN_OR_RETURN(SnapshotPtr start_snapshot,
                          Snapshot::Load(table_root, fs, start_version));
  if (!ChangeDataFeedEnabled(start_snapshot->metadata())) {
    return MissingChangeData(start_version, end, start_version);
  }
  SnapshotPtr end_snapshot = latest;
  if (end != latest->version()) {
    SLUICE_ASSIGN_OR_RETURN(end_snapshot, Snapshot::Load(table_root, fs, end));
  }
  SLUICE_ASSIGN_OR_RETURN(SchemaPtr schema, ChangeDataSchema(*end_snapshot));
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Scan> scan, Scan::Make(end_snapshot, {}, fs));
  SLUICE_ASSIGN_OR_RETURN(auto times, CommitTimes(table_root, fs));
  std::map<int64_t, int64_t> timestamp_of(times.begin(), times.end());
  SLUICE_ASSIGN_OR_RETURN(LogListing listing, ListLog(LogDirectory(table_root), fs));
  std::map<int64_t, const LogFile*> commit_of;
  for (const LogFile& commit : listing.commits) {
    commit_of[commit.version] = &commit;
  }

  std::vector<BatchPtr> out;
  for (int64_t version = start_version; version <= end; ++version) {
    auto commit = commit_of.find(version);
    if (commit == commit_of.end() || timestamp_of.count(version) == 0) {
      return Status::NotFound(fmt::format(
          "Delta table '{}': the commit file of version {} is missing (cleaned up?); change "
          "data of versions [{}, {}] cannot be read",
          table_root, version, start_version, end));
    }
    SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(commit->second->path));
    SLUICE_ASSIGN_OR_RETURN(std::vector<Action> actions, ParseActions(text, commit->second->name));
    for (const Action& action : actions) {
      const auto* metadata = std::get_if<Metadata>(&action);
      if (metadata != nullptr && !ChangeDataFeedEnabled(*metadata)) {
        return MissingChangeData(start_version, end, version);
      }
    }
    for (const ChangeFile& file : CommitChangeFiles(actions)) {
      SLUICE_RETURN_IF_ERROR(
          ReadChangeFile(*scan, file, version, timestamp_of[version], schema, fs, &out));
    }
  }
  return out;
}

Result<int64_t> VersionAtOrAfter(const std::string& table_root, int64_t timestamp_millis,
                                 FileSystem& fs) {
  SLUICE_ASSIGN_OR_RETURN(auto times, CommitTimes(table_root, fs));
  for (const auto& [version, millis] : times) {
    if (millis >= timestamp_millis) {
      return version;
    }
  }
  return Status::InvalidArgument(fmt::format(
      "[DELTA_TIMESTAMP_GREATER_THAN_COMMIT] The provided timestamp ({}) is after the latest "
      "version available to this table ({}). Please use a timestamp before or at {}.",
      FormatMillis(timestamp_millis), table_root, FormatMillis(times.back().second)));
}

Result<int64_t> VersionAtOrBefore(const std::string& table_root, int64_t timestamp_millis,
                                  FileSystem& fs) {
  SLUICE_ASSIGN_OR_RETURN(auto times, CommitTimes(table_root, fs));
  for (auto it = times.rbegin(); it != times.rend(); ++it) {
    if (it->second <= timestamp_millis) {
      return it->first;
    }
  }
  return Status::InvalidArgument(fmt::format(
      "[DELTA_TIMESTAMP_EARLIER_THAN_COMMIT_RETENTION] The provided timestamp ({}) is before "
      "the earliest version available to this table ({}). Please use a timestamp after {}.",
      FormatMillis(timestamp_millis), table_root, FormatMillis(times.front().second)));
}

}  // namespace sluice::delta
