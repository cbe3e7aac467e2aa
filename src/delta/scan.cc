// SPDX-License-Identifier: Apache-2.0
#include "delta/scan.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>

#include "columnar/concat.h"
#include "common/ascii.h"
#include "delta/column_mapping.h"
#include "delta/conform.h"
#include "delta/deletion_vector.h"
#include "delta/partition_values.h"
#include "delta/stats.h"
#include "formats/parquet/reader.h"

namespace sluice::delta {

/// What every file read shares: the resolved columns.
struct Scan::State {
  ColumnMappingMode mode = ColumnMappingMode::kNone;
  /// One per output column.
  struct Column {
    Field field;  // the table's logical field
    bool is_partition = false;
    std::string physical;  // name in the files, or the partition-value key
  };
  std::vector<Column> columns;
  std::atomic<int64_t> rows_deleted{0};
};

namespace {

// Finds `name` among the schema's fields: exact match first, then the single field that
// equals ignoring ASCII case.
Result<int> ResolveColumn(const Schema& schema, const std::string& name) {
  const int exact = schema.FieldIndex(name);
  if (exact >= 0)
    return exact;
  int found = -1;
  for (int i = 0; i < schema.num_fields(); ++i) {
    if (EqualsIgnoreCase(schema.field(i).name, name)) {
      if (found >= 0) {
        return Status::InvalidArgument(
            fmt::format("Ambiguous column '{}' in Delta table schema {}", name, schema.ToDdl()));
      }
      found = i;
    }
  }
  if (found < 0) {
    return Status::InvalidArgument(fmt::format(
        "Column '{}' does not exist in the Delta table; its columns are {}", name, schema.ToDdl()));
  }
  return found;
}

// Decides per file whether the filter may match: first on partition values alone, then
// with the file's statistics too.
class FileSkipping {
 public:
  enum Decision { kRead, kPrunedByPartition, kSkippedByStats };

  static Result<FileSkipping> Make(const Snapshot& snapshot, parquet::PredicatePtr filter,
                                   ColumnMappingMode mode) {
    FileSkipping skipping;
    skipping.filter_ = std::move(filter);
    if (skipping.filter_ == nullptr)
      return skipping;
    const Schema& schema = *snapshot.schema();
    SLUICE_ASSIGN_OR_RETURN(skipping.physical_schema_, PhysicalSchema(schema, mode));
    skipping.logical_schema_ = snapshot.schema();
    for (const std::string& column : snapshot.partition_columns()) {
      SLUICE_ASSIGN_OR_RETURN(int index, ResolveColumn(schema, column));
      PartitionColumn partition;
      partition.name = schema.field(index).name;
      partition.type = schema.field(index).type;
      SLUICE_ASSIGN_OR_RETURN(partition.key, PhysicalPartitionColumn(schema, column, mode));
      skipping.partitions_.push_back(std::move(partition));
    }
    return skipping;
  }

  Decision Check(const AddFile& file) const {
    if (filter_ == nullptr)
      return kRead;
    FileStats partition_stats;
    for (const PartitionColumn& partition : partitions_) {
      const std::optional<std::string>* value = FindValue(file.partition_values, partition.key);
      Result<parquet::Literal> literal = ParsePartitionValue(
          partition.type, value != nullptr ? *value : std::optional<std::string>());
      if (!literal.ok())
        return kRead;  // the read reports the bad value
      partition_stats.AddPartitionValue(partition.name, std::move(*literal));
    }
    if (!partitions_.empty() && !parquet::MayMatch(*filter_, partition_stats)) {
      return kPrunedByPartition;
    }
    if (!file.stats.has_value())
      return kRead;
    FileStats stats = ParseFileStats(*file.stats, *physical_schema_, logical_schema_.get());
    for (const auto& [name, column] : partition_stats.columns()) {
      stats.AddPartitionValue(name, column.min.value_or(parquet::Literal{column.type, {}}));
    }
    return parquet::MayMatch(*filter_, stats) ? kRead : kSkippedByStats;
  }

 private:
  struct PartitionColumn {
    std::string name;  // logical
    TypePtr type;
    std::string key;  // in add.partitionValues
  };
  parquet::PredicatePtr filter_;
  SchemaPtr physical_schema_;
  SchemaPtr logical_schema_;
  std::vector<PartitionColumn> partitions_;
};

bool IsPartitionColumn(const std::vector<std::string>& partition_columns, const std::string& name) {
  for (const std::string& column : partition_columns) {
    if (EqualsIgnoreCase(column, name))
      return true;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<Scan>> Scan::Make(SnapshotPtr snapshot, ScanOptions options,
                                         FileSystem& fs) {
  std::unique_ptr<Scan> scan(new Scan());
  scan->state_ = std::make_shared<State>();
  State& state = *scan->state_;
  const Schema& table_schema = *snapshot->schema();
  SLUICE_ASSIGN_OR_RETURN(state.mode,
                          GetColumnMappingMode(snapshot->protocol(), snapshot->metadata()));
  std::vector<int> chosen;
  if (options.columns.empty()) {
    for (int i = 0; i < table_schema.num_fields(); ++i)
      chosen.push_back(i);
  } else {
    for (const std::string& name : options.columns) {
      SLUICE_ASSIGN_OR_RETURN(int index, ResolveColumn(table_schema, name));
      chosen.push_back(index);
    }
  }
  std::vector<Field> fields;
  for (int index : chosen) {
    const Field& field = table_schema.field(index);
    State::Column column;
    column.field = field;
    column.is_partition = IsPartitionColumn(snapshot->partition_columns(), field.name);
    if (column.is_partition) {
      SLUICE_ASSIGN_OR_RETURN(column.physical,
                              PhysicalPartitionColumn(table_schema, field.name, state.mode));
    } else {
      SLUICE_ASSIGN_OR_RETURN(column.physical, PhysicalName(field, state.mode));
    }
    state.columns.push_back(std::move(column));
    fields.push_back(field);
  }
  scan->schema_ = MakeSchema(std::move(fields));

  // File selection: partition values and statistics against the filter.
  SLUICE_ASSIGN_OR_RETURN(FileSkipping skipping,
                          FileSkipping::Make(*snapshot, options.filter, state.mode));
  scan->metrics_.files_in_snapshot = static_cast<int64_t>(snapshot->files().size());
  for (const AddFile& file : snapshot->files()) {
    switch (skipping.Check(file)) {
      case FileSkipping::kRead:
        scan->files_.push_back(&file);
        break;
      case FileSkipping::kPrunedByPartition:
        ++scan->metrics_.files_pruned_by_partition;
        break;
      case FileSkipping::kSkippedByStats:
        ++scan->metrics_.files_skipped_by_stats;
        break;
    }
  }
  scan->metrics_.files_selected = static_cast<int64_t>(scan->files_.size());
  scan->snapshot_ = std::move(snapshot);
  scan->options_ = std::move(options);
  scan->fs_ = &fs;
  return scan;
}

ScanMetrics Scan::metrics() const {
  ScanMetrics metrics = metrics_;
  metrics.rows_deleted_by_dv = state_->rows_deleted.load();
  return metrics;
}

Status Scan::ReadFile(size_t index, const std::function<Status(BatchPtr)>& consumer) const {
  return ReadAddFile(*files_.at(index), options_.filter, consumer);
}

Status Scan::ReadAnyFile(const AddFile& add,
                         const std::function<Status(BatchPtr)>& consumer) const {
  return ReadAddFile(add, nullptr, consumer);
}

Status Scan::ReadAddFile(const AddFile& add, const parquet::PredicatePtr& filter,
                         const std::function<Status(BatchPtr)>& consumer) const {
  const std::string& root = snapshot_->table_root();
  SLUICE_ASSIGN_OR_RETURN(std::string path, ResolveDataPath(root, add.path));
  auto with_file = [&](const Status& status) {
    return Status(status.code(),
                  fmt::format("Delta table '{}' file '{}': {}", root, add.path, status.message()));
  };

  // Partition columns: one constant per file.
  std::vector<std::optional<parquet::Literal>> constants(state_->columns.size());
  for (size_t i = 0; i < state_->columns.size(); ++i) {
    const State::Column& column = state_->columns[i];
    if (!column.is_partition)
      continue;
    const std::optional<std::string>* value = FindValue(add.partition_values, column.physical);
    Result<parquet::Literal> literal = ParsePartitionValue(
        column.field.type, value != nullptr ? *value : std::optional<std::string>());
    if (!literal.ok())
      return with_file(literal.status());
    constants[i] = std::move(*literal);
  }

  std::optional<DeletionVector> dv;
  if (add.deletion_vector.has_value()) {
    Result<DeletionVector> loaded = LoadDeletionVector(*add.deletion_vector, root, *fs_);
    if (!loaded.ok())
      return with_file(loaded.status());
    dv = std::move(*loaded);
  }

  // Which file columns to read: open once for the footer, then with the projection.
  Result<std::unique_ptr<parquet::ParquetReader>> footer = parquet::ParquetReader::Open(path);
  if (!footer.ok())
    return with_file(footer.status());
  const Schema& file_schema = *(*footer)->schema();
  std::vector<std::string> projection;
  std::vector<int> output_to_projection(state_->columns.size(), -1);
  for (size_t i = 0; i < state_->columns.size(); ++i) {
    const State::Column& column = state_->columns[i];
    if (column.is_partition)
      continue;
    Result<std::optional<int>> found = FindFileColumn(file_schema, column.field, state_->mode);
    if (!found.ok())
      return with_file(found.status());
    if (!found->has_value())
      continue;  // not in this file: nulls
    output_to_projection[i] = static_cast<int>(projection.size());
    projection.push_back(file_schema.field(**found).name);
  }
  std::vector<int64_t> row_group_rows;
  for (const auto& row_group : (*footer)->metadata().row_groups) {
    row_group_rows.push_back(row_group.num_rows);
  }
  std::unique_ptr<parquet::ParquetReader> reader;
  if (!projection.empty()) {
    parquet::ParquetReadOptions read_options;
    read_options.columns = projection;
    read_options.pool = options_.pool;
    // Page-level skipping changes which rows come back, so it is only used when rows need
    // no positions (no deletion vector) and names in the filter are the files' names.
    if (!dv.has_value() && state_->mode == ColumnMappingMode::kNone) {
      read_options.filter = filter;
    }
    Result<std::unique_ptr<parquet::ParquetReader>> opened =
        parquet::ParquetReader::Open(path, std::move(read_options));
    if (!opened.ok())
      return with_file(opened.status());
    reader = std::move(*opened);
  }
  footer->reset();

  std::vector<int> row_groups;
  if (reader != nullptr) {
    row_groups = reader->RowGroupsToRead();
  } else {
    for (int i = 0; i < static_cast<int>(row_group_rows.size()); ++i)
      row_groups.push_back(i);
  }
  std::vector<int64_t> first_row(row_group_rows.size() + 1, 0);
  for (size_t i = 0; i < row_group_rows.size(); ++i) {
    first_row[i + 1] = first_row[i] + row_group_rows[i];
  }

  for (int row_group : row_groups) {
    int64_t num_rows = row_group_rows[row_group];
    BatchPtr file_batch;
    if (reader != nullptr) {
      Result<BatchPtr> read = reader->ReadRowGroup(row_group);
      if (!read.ok())
        return with_file(read.status());
      file_batch = std::move(*read);
      num_rows = file_batch->num_rows();
    }
    // Rows a deletion vector keeps (positions within the file).
    std::optional<std::vector<int64_t>> keep;
    if (dv.has_value()) {
      const uint64_t first = static_cast<uint64_t>(first_row[row_group]);
      if (dv->CountInRange(first, num_rows) > 0) {
        std::vector<uint8_t> deleted(static_cast<size_t>(num_rows), 0);
        const int64_t count = dv->MarkDeleted(first, num_rows, deleted.data());
        state_->rows_deleted.fetch_add(count);
        keep.emplace();
        keep->reserve(static_cast<size_t>(num_rows - count));
        for (int64_t row = 0; row < num_rows; ++row) {
          if (deleted[static_cast<size_t>(row)] == 0)
            keep->push_back(row);
        }
      }
    }
    const int64_t out_rows = keep.has_value() ? static_cast<int64_t>(keep->size()) : num_rows;
    std::vector<VectorPtr> columns;
    columns.reserve(state_->columns.size());
    for (size_t i = 0; i < state_->columns.size(); ++i) {
      const State::Column& column = state_->columns[i];
      Result<VectorPtr> vector = VectorPtr();
      if (column.is_partition) {
        vector = MakeConstantVector(column.field.type, *constants[i], out_rows);
      } else if (output_to_projection[i] < 0) {
        vector = MakeNullVector(column.field.type, out_rows);
      } else {
        const int k = output_to_projection[i];
        VectorPtr source = file_batch->column(k);
        if (keep.has_value()) {
          Result<VectorPtr> taken = Take(*source, *keep);
          if (!taken.ok())
            return with_file(taken.status());
          source = std::move(*taken);
        }
        vector = ConformVector(source, file_batch->schema()->field(k), column.field, state_->mode);
      }
      if (!vector.ok())
        return with_file(vector.status());
      columns.push_back(std::move(*vector));
    }
    Result<BatchPtr> batch = Batch::Make(schema_, std::move(columns), out_rows);
    if (!batch.ok())
      return with_file(batch.status());
    SLUICE_RETURN_IF_ERROR(consumer(std::move(*batch)));
  }
  return Status::Ok();
}

Result<std::vector<BatchPtr>> Scan::ReadAll() const {
  std::vector<BatchPtr> batches;
  for (size_t i = 0; i < files_.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(ReadFile(i, [&](BatchPtr batch) {
      batches.push_back(std::move(batch));
      return Status::Ok();
    }));
  }
  return batches;
}

}  // namespace sluice::delta
