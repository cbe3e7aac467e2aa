// SPDX-License-Identifier: Apache-2.0
// Data files: WriteDataFiles (partition split, rolling, statistics, add actions).
#include "delta/writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <utility>

#include "columnar/concat.h"
#include "common/ascii.h"
#include "delta/column_mapping.h"
#include "delta/partition_values.h"
#include "delta/stats.h"
#include "delta/table_properties.h"
#include "formats/parquet/writer.h"
#include "types/schema_json.h"

namespace sluice::delta {

namespace {

// Passes writes through to `inner` and publishes the bytes written so far.
class CountingOutputStream final : public parquet::OutputStream {
 public:
  CountingOutputStream(std::unique_ptr<parquet::OutputStream> inner,
                       std::shared_ptr<int64_t> position)
      : inner_(std::move(inner)), position_(std::move(position)) {}
  Status Write(std::string_view data) override {
    SLUICE_RETURN_IF_ERROR(inner_->Write(data));
    *position_ = inner_->position();
    return Status::Ok();
  }
  Status Close() override { return inner_->Close(); }
  int64_t position() const override { return inner_->position(); }

 private:
  std::unique_ptr<parquet::OutputStream> inner_;
  std::shared_ptr<int64_t> position_;
};

// The file name extension Spark gives a codec ("snappy." in part-...-c000.snappy.parquet).
std::string CodecExtension(parquet::Codec codec) {
  std::string name = ToLowerAscii(parquet::CodecName(codec));
  if (name == "uncompressed")
    return "";
  if (name == "gzip")
    return "gz.";
  if (name == "lz4_raw")
    return "lz4raw.";
  return name + ".";
}

std::string RandomPrefix() {
  static constexpr std::string_view kAlphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::random_device device;
  std::string prefix;
  for (int i = 0; i < 2; ++i)
    prefix.push_back(kAlphabet[device() % kAlphabet.size()]);
  return prefix;
}

using PartitionKey = std::vector<std::optional<std::string>>;

/// One data file being written.
struct OpenFile {
  std::string relative_path;  // on disk, relative to the table root (not URI-encoded)
  std::unique_ptr<parquet::ParquetWriter> writer;
  std::shared_ptr<int64_t> position = std::make_shared<int64_t>(0);
  int64_t rows = 0;
  std::vector<int64_t> null_counts;  // per top-level column, for the stats
};

/// Writes the files of one WriteDataFiles call.
class DataFileWriter {
 public:
  DataFileWriter(const WriteTarget& target, FileSystem& fs) : target_(target), fs_(fs) {}

  ~DataFileWriter() {
    if (!finished_) {
      // A failed write: the files are no one's; remove them (best effort).
      open_.clear();
      for (const std::string& path : written_)
        fs_.DeleteFile(JoinPath(target_.table_root, path)).IgnoreError();  // cleanup only
    }
  }

  Status Init(const DataFileOptions& options) {
    options_ = options;
    SLUICE_ASSIGN_OR_RETURN(TableProperties props,
                            TableProperties::FromConfiguration(target_.metadata.configuration));
    target_file_size_ = options.target_file_size.value_or(props.target_file_size);
    if (target_file_size_ <= 0)
      return Status::InvalidArgument("the target file size must be positive");
    num_indexed_cols_ = props.data_skipping_num_indexed_cols;
    if (options.compression.has_value()) {
      parquet_options_.compression = *options.compression;
    } else {
      SLUICE_ASSIGN_OR_RETURN(parquet_options_.compression,
                              parquet::ParseCodec(props.parquet_compression_codec));
    }
    parquet_options_.row_group_size = std::min<int64_t>(128LL << 20, target_file_size_);
    SLUICE_ASSIGN_OR_RETURN(mode_, GetColumnMappingMode(target_.protocol, target_.metadata));

    const Schema& schema = *target_.schema;
    std::vector<Field> data_fields;
    for (const std::string& column : target_.metadata.partition_columns) {
      const int index = schema.FieldIndex(column);
      if (index < 0) {
        return Status::InvalidArgument(
            fmt::format("Delta table '{}': partition column `{}` is not in the schema",
                        target_.table_root, column));
      }
      partition_index_.push_back(index);
      SLUICE_ASSIGN_OR_RETURN(std::string key, PhysicalPartitionColumn(schema, column, mode_));
      partition_keys_.push_back(std::move(key));
    }
    for (int i = 0; i < schema.num_fields(); ++i) {
      if (std::find(partition_index_.begin(), partition_index_.end(), i) ==
          partition_index_.end()) {
        data_index_.push_back(i);
        data_fields.push_back(schema.field(i));
      }
    }
    SLUICE_ASSIGN_OR_RETURN(file_schema_, PhysicalSchema(Schema(std::move(data_fields)), mode_));
    return Status::Ok();
  }

  Status WriteBatch(const Batch& batch) {
    const Schema& schema = *target_.schema;
    if (batch.num_columns() != schema.num_fields()) {
      return Status::InvalidArgument(fmt::format(
          "Delta table '{}': a batch of {} columns cannot be written to a table of {} columns ({})",
          target_.table_root, batch.num_columns(), schema.num_fields(), schema.ToString()));
    }
    for (int i = 0; i < schema.num_fields(); ++i) {
      if (batch.column(i)->type_id() != schema.field(i).type->id()) {
        return Status::InvalidArgument(
            fmt::format("Delta table '{}': column `{}` is {} in the batch but {} in the table",
                        target_.table_root, schema.field(i).name,
                        batch.column(i)->type()->ToString(), schema.field(i).type->ToString()));
      }
    }
    const int64_t num_rows = batch.num_rows();
    if (num_rows == 0)
      return Status::Ok();
    if (partition_index_.empty()) {
      std::vector<VectorPtr> columns;
      for (int index : data_index_)
        columns.push_back(batch.column(index));
      return WriteRows({}, Batch(file_schema_, std::move(columns), num_rows));
    }
    // Group the rows by partition values, in order of first appearance.
    std::map<PartitionKey, size_t> group_of;
    std::vector<std::pair<PartitionKey, std::vector<int64_t>>> groups;
    for (int64_t row = 0; row < num_rows; ++row) {
      PartitionKey key;
      key.reserve(partition_index_.size());
      for (int index : partition_index_) {
        SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> value,
                                FormatPartitionValue(*batch.column(index), row));
        key.push_back(std::move(value));
      }
      auto [it, inserted] = group_of.emplace(key, groups.size());
      if (inserted)
        groups.emplace_back(std::move(key), std::vector<int64_t>{});
      groups[it->second].second.push_back(row);
    }
    for (auto& [key, rows] : groups) {
      std::vector<VectorPtr> columns;
      for (int index : data_index_) {
        if (groups.size() == 1) {
          columns.push_back(batch.column(index));
        } else {
          SLUICE_ASSIGN_OR_RETURN(VectorPtr taken, Take(*batch.column(index), rows));
          columns.push_back(std::move(taken));
        }
      }
      const int64_t count = static_cast<int64_t>(rows.size());
      SLUICE_RETURN_IF_ERROR(WriteRows(key, Batch(file_schema_, std::move(columns), count)));
    }
    return Status::Ok();
  }

  Result<std::vector<AddFile>> Finish() {
    while (!open_.empty())
      SLUICE_RETURN_IF_ERROR(CloseFile(open_.begin()));
    finished_ = true;
    return std::move(adds_);
  }

  /// Makes a finished writer delete its files when destroyed (another part of a
  /// parallel write failed).
  void Abandon() { finished_ = false; }

 private:
  Status WriteRows(const PartitionKey& key, const Batch& rows) {
    int64_t offset = 0;
    while (offset < rows.num_rows()) {
      auto it = open_.find(key);
      if (it == open_.end()) {
        SLUICE_ASSIGN_OR_RETURN(OpenFile file, OpenNewFile(key));
        it = open_.emplace(key, std::move(file)).first;
      }
      OpenFile& file = it->second;
      int64_t take = rows.num_rows() - offset;
      if (options_.max_records_per_file > 0)
        take = std::min(take, options_.max_records_per_file - file.rows);
      BatchPtr slice;
      const Batch* part = &rows;
      if (offset != 0 || take != rows.num_rows()) {
        slice = rows.Slice(offset, take);
        part = slice.get();
      }
      SLUICE_RETURN_IF_ERROR(file.writer->Write(*part));
      for (int i = 0; i < part->num_columns(); ++i)
        file.null_counts[i] += part->column(i)->null_count();
      file.rows += take;
      offset += take;
      const bool full_rows =
          options_.max_records_per_file > 0 && file.rows >= options_.max_records_per_file;
      if (full_rows || *file.position >= target_file_size_)
        SLUICE_RETURN_IF_ERROR(CloseFile(it));
    }
    return Status::Ok();
  }

  Result<OpenFile> OpenNewFile(const PartitionKey& key) {
    std::string directory;
    if (mode_ != ColumnMappingMode::kNone) {
      if (!partition_index_.empty())
        directory = RandomPrefix();
    } else if (!partition_index_.empty()) {
      PartitionValues values;
      for (size_t i = 0; i < key.size(); ++i)
        values.emplace_back(partition_keys_[i], key[i]);
      directory = PartitionDirectory(values);
    }
    OpenFile file;
    file.null_counts.assign(file_schema_->num_fields(), 0);
    const std::string name =
        fmt::format("part-{:05d}-{}-c000.{}parquet", file_counter_++, RandomUuid(),
                    CodecExtension(parquet_options_.compression));
    file.relative_path = directory.empty() ? name : directory + "/" + name;
    const std::string full_path = JoinPath(target_.table_root, file.relative_path);
    if (!directory.empty())
      SLUICE_RETURN_IF_ERROR(fs_.CreateDirectories(ParentPath(full_path)));
    written_.push_back(file.relative_path);
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<parquet::OutputStream> out,
                            parquet::OpenFileOutputStream(full_path, /*sync=*/true));
    auto counting = std::make_unique<CountingOutputStream>(std::move(out), file.position);
    SLUICE_ASSIGN_OR_RETURN(file.writer, parquet::ParquetWriter::Open(
                                             std::move(counting), file_schema_, parquet_options_));
    keys_[file.relative_path] = key;
    return file;
  }

  Status CloseFile(std::map<PartitionKey, OpenFile>::iterator it) {
    OpenFile file = std::move(it->second);
    open_.erase(it);
    SLUICE_ASSIGN_OR_RETURN(parquet::ParquetWriteResult written, file.writer->Close());
    const std::string full_path = JoinPath(target_.table_root, file.relative_path);
    SLUICE_ASSIGN_OR_RETURN(FileInfo info, fs_.GetFileInfo(full_path));
    AddFile add;
    add.path = EncodeUriPath(file.relative_path);
    const PartitionKey& key = keys_[file.relative_path];
    for (size_t i = 0; i < key.size(); ++i)
      add.partition_values.emplace_back(partition_keys_[i], key[i]);
    add.size = written.file_size;
    add.modification_time = info.modification_micros / 1000;
    add.data_change = options_.data_change;
    add.stats = BuildStatsJson(written, *file_schema_, num_indexed_cols_, file.null_counts);
    adds_.push_back(std::move(add));
    return Status::Ok();
  }

  const WriteTarget& target_;
  FileSystem& fs_;
  DataFileOptions options_;
  int64_t target_file_size_ = 0;
  int num_indexed_cols_ = 32;
  parquet::ParquetWriteOptions parquet_options_;
  ColumnMappingMode mode_ = ColumnMappingMode::kNone;
  std::vector<int> partition_index_;
  std::vector<std::string> partition_keys_;  // partitionValues keys (physical names)
  std::vector<int> data_index_;
  SchemaPtr file_schema_;
  std::map<PartitionKey, OpenFile> open_;
  std::map<std::string, PartitionKey> keys_;
  std::vector<std::string> written_;
  std::vector<AddFile> adds_;
  int file_counter_ = 0;
  bool finished_ = false;
};

}  // namespace

WriteTarget WriteTarget::FromSnapshot(const Snapshot& snapshot) {
  return WriteTarget{snapshot.table_root(), snapshot.protocol(), snapshot.metadata(),
                     snapshot.schema()};
}

namespace {

/// Cuts `batches` into `parts` row-contiguous groups of nearly equal rows (slicing the
/// batches that straddle a boundary).
std::vector<std::vector<BatchPtr>> SplitRows(const std::vector<BatchPtr>& batches, int64_t total,
                                             int parts) {
  std::vector<std::vector<BatchPtr>> groups(static_cast<size_t>(parts));
  auto part_end = [&](int part) { return (part + 1) * total / parts; };  // its first row after
  int part = 0;
  int64_t row = 0;  // rows placed so far
  for (const BatchPtr& batch : batches) {
    int64_t offset = 0;
    while (offset < batch->num_rows()) {
      while (part < parts - 1 && row >= part_end(part))
        ++part;
      int64_t take = batch->num_rows() - offset;
      if (part < parts - 1)
        take = std::min(take, part_end(part) - row);  // > 0: row < part_end(part)
      groups[part].push_back(offset == 0 && take == batch->num_rows() ? batch
                                                                      : batch->Slice(offset, take));
      offset += take;
      row += take;
    }
  }
  return groups;
}

}  // namespace

Result<std::vector<AddFile>> WriteDataFiles(const WriteTarget& target,
                                            const std::vector<BatchPtr>& batches,
                                            const DataFileOptions& options, FileSystem& fs) {
  int64_t total = 0;
  for (const BatchPtr& batch : batches)
    total += batch->num_rows();
  int parts = 1;
  if (options.pool != nullptr && options.max_records_per_file == 0)
    parts = static_cast<int>(
        std::min<int64_t>(options.pool->num_threads() + 1, total / kMinRowsPerParallelPart));
  if (parts <= 1) {
    DataFileWriter writer(target, fs);
    SLUICE_RETURN_IF_ERROR(writer.Init(options));
    for (const BatchPtr& batch : batches)
      SLUICE_RETURN_IF_ERROR(writer.WriteBatch(*batch));
    return writer.Finish();
  }
  // Parallel parts, on the calling thread and the workers.
  std::vector<std::vector<BatchPtr>> groups = SplitRows(batches, total, parts);
  std::vector<std::unique_ptr<DataFileWriter>> writers;
  std::vector<Result<std::vector<AddFile>>> results;
  for (int p = 0; p < parts; ++p) {
    writers.push_back(std::make_unique<DataFileWriter>(target, fs));
    results.emplace_back(Status::Internal("not written"));
  }
  auto write = [&](int p) {
    DataFileWriter& writer = *writers[p];
    Status status = writer.Init(options);
    for (size_t b = 0; status.ok() && b < groups[p].size(); ++b)
      status = writer.WriteBatch(*groups[p][b]);
    results[p] = status.ok() ? writer.Finish() : Result<std::vector<AddFile>>(status);
  };
  ParallelFor(options.pool, static_cast<size_t>(parts),
              [&write](size_t p) { write(static_cast<int>(p)); });
  std::vector<AddFile> adds;
  for (int p = 0; p < parts; ++p) {
    if (!results[p].ok()) {
      for (const std::unique_ptr<DataFileWriter>& writer : writers)
        writer->Abandon();  // no part's files may stay
      return results[p].status();
    }
    for (AddFile& add : *results[p])
      adds.push_back(std::move(add));
  }
  return adds;
}

}  // namespace sluice::delta
