// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include "formats/parquet/column_writer.h"
#include "formats/parquet/shredder.h"
#include "formats/parquet/write_schema.h"
#include "types/schema_json.h"

namespace sluice::parquet {
namespace {

constexpr std::string_view kMagic = "PAR1";
constexpr std::string_view kSparkSchemaKey = "org.apache.spark.sql.parquet.row.metadata";
// Spark reads dates and timestamps of files that name a Spark 3+ writer as proleptic
// Gregorian (which sluice's are); without it, old dates would need a rebase mode.
constexpr std::string_view kSparkVersionKey = "org.apache.spark.version";
constexpr std::string_view kSparkVersion = "4.0.0";

// A write is cut into slices of at most this many rows, so the shredded levels of a
// large batch stay small and row groups close near their target.
constexpr int64_t kMaxSliceRows = 64 * 1024;
// The first slice of a file, before the bytes per row are known.
constexpr int64_t kFirstSliceRows = 1024;

constexpr size_t kFileBufferSize = 1 << 20;
// Writes at least this long skip the buffer (pages usually are).
constexpr size_t kDirectWriteSize = 64 * 1024;

Status IoErrorFor(std::string_view what, const std::string& path, int err) {
  return Status::IoError(
      fmt::format("Cannot {} Parquet file: {}: {}", what, path, std::strerror(err)));
}

class FileOutputStream final : public OutputStream {
 public:
  FileOutputStream(int fd, std::string path, bool sync)
      : fd_(fd), path_(std::move(path)), sync_(sync) {
    buffer_.reserve(kFileBufferSize);
  }
  ~FileOutputStream() override {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FileOutputStream(const FileOutputStream&) = delete;
  FileOutputStream& operator=(const FileOutputStream&) = delete;

  Status Write(std::string_view data) override {
    if (fd_ < 0) {
      return Status::IoError(fmt::format("Write after Close of Parquet file: {}", path_));
    }
    position_ += static_cast<int64_t>(data.size());
    if (data.size() < kDirectWriteSize && buffer_.size() + data.size() <= kFileBufferSize) {
      buffer_.append(data);
      return Status::Ok();
    }
    SLUICE_RETURN_IF_ERROR(Flush());
    if (data.size() >= kDirectWriteSize) {
      return WriteAll(data);
    }
    buffer_.append(data);
    return Status::Ok();
  }

  Status Close() override {
    if (fd_ < 0) {
      return Status::Ok();
    }
    Status status = Flush();
    if (status.ok() && sync_ && ::fsync(fd_) != 0) {
      status = IoErrorFor("sync", path_, errno);
    }
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0 && status.ok()) {
      status = IoErrorFor("close", path_, errno);
    }
    return status;
  }

  int64_t position() const override { return position_; }

 private:
  Status Flush() {
    Status status = WriteAll(buffer_);
    buffer_.clear();
    return status;
  }
  Status WriteAll(std::string_view data) {
    size_t written = 0;
    while (written < data.size()) {
      const ssize_t n = ::write(fd_, data.data() + written, data.size() - written);
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        return IoErrorFor("write", path_, errno);
      }
      written += static_cast<size_t>(n);
    }
    return Status::Ok();
  }

  int fd_;
  std::string path_;
  bool sync_;
  std::string buffer_;
  int64_t position_ = 0;
};

// Returns whether `a` and `b` have the same shape: type ids, decimal precision and
// scale, and the same shape member by member (names, nullability and metadata aside).
bool SameShape(const DataType& a, const DataType& b) {
  if (a.id() != b.id()) {
    return false;
  }
  switch (a.id()) {
    case TypeId::kDecimal:
      return a.precision() == b.precision() && a.scale() == b.scale();
    case TypeId::kStruct:
      if (a.num_fields() != b.num_fields()) {
        return false;
      }
      for (int i = 0; i < a.num_fields(); ++i) {
        if (!SameShape(*a.field(i).type, *b.field(i).type)) {
          return false;
        }
      }
      return true;
    case TypeId::kArray:
      return SameShape(*a.element_type(), *b.element_type());
    case TypeId::kMap:
      return SameShape(*a.key_type(), *b.key_type()) && SameShape(*a.value_type(), *b.value_type());
    default:
      return true;
  }
}

}  // namespace

Result<std::unique_ptr<OutputStream>> OpenFileOutputStream(const std::string& path, bool sync) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return IoErrorFor("create", path, errno);
  }
  return std::unique_ptr<OutputStream>(std::make_unique<FileOutputStream>(fd, path, sync));
}

/// The state of one file being written (ParquetWriter's implementation).
class FileWriter {
 public:
  FileWriter(std::unique_ptr<OutputStream> out, SchemaPtr schema, ParquetWriteOptions options,
             WriteSchema write_schema)
      : out_(std::move(out)),
        schema_(std::move(schema)),
        options_(std::move(options)),
        write_schema_(std::move(write_schema)) {
    for (const WriteLeaf& leaf : write_schema_.leaves) {
      columns_.push_back(ColumnChunkWriter::Make(leaf, options_));
    }
    levels_.resize(write_schema_.leaves.size());
  }

  Status Start() { return Fail(out_->Write(kMagic)); }
  Status Write(const Batch& batch);
  Result<ParquetWriteResult> Close();

 private:
  Status CheckUsable() const {
    if (closed_) {
      return Status::InvalidArgument("Parquet writer used after Close");
    }
    return failed_;
  }
  // Remembers the first error: the file is unusable after it.
  Status Fail(Status status) {
    if (!status.ok() && failed_.ok()) {
      failed_ = status;
    }
    return status;
  }
  Status CheckBatch(const Batch& batch);
  Status WriteSlice(const Batch& slice);
  int64_t NextSliceRows(int64_t remaining) const;
  int64_t EstimatedRowGroupSize() const;
  Status FlushRowGroup();
  Status WritePageIndexes();

  std::unique_ptr<OutputStream> out_;
  SchemaPtr schema_;
  ParquetWriteOptions options_;
  WriteSchema write_schema_;
  std::vector<std::unique_ptr<ColumnChunkWriter>> columns_;  // one per leaf
  std::vector<LeafLevels> levels_;                           // one per leaf
  Shredder shredder_;

  int64_t row_group_rows_ = 0;
  int64_t total_rows_ = 0;
  double bytes_per_row_ = 0;  // from the last closed row group; 0 = unknown yet
  std::vector<format::RowGroup> row_groups_;
  // Per row group and leaf: the page indexes, written after the last row group.
  std::vector<std::vector<std::optional<format::ColumnIndex>>> column_indexes_;
  std::vector<std::vector<std::optional<format::OffsetIndex>>> offset_indexes_;
  Status failed_;
  bool closed_ = false;
};

Status FileWriter::CheckBatch(const Batch& batch) {
  if (batch.num_columns() != schema_->num_fields()) {
    return Status::InvalidArgument(
        fmt::format("Batch does not match the Parquet file's schema: {} columns, expected {}",
                    batch.num_columns(), schema_->num_fields()));
  }
  for (int i = 0; i < batch.num_columns(); ++i) {
    const Field& field = schema_->field(i);
    const Vector& column = *batch.column(i);
    if (!SameShape(*column.type(), *field.type)) {
      return Status::InvalidArgument(fmt::format(
          "Batch column type does not match the Parquet file's schema: {} is {}, expected {}",
          field.name, column.type()->ToString(), field.type->ToString()));
    }
    SLUICE_RETURN_IF_ERROR(shredder_.CheckNulls(write_schema_.columns[i], column, 0));
  }
  return Status::Ok();
}

Status FileWriter::Write(const Batch& batch) {
  SLUICE_RETURN_IF_ERROR(CheckUsable());
  SLUICE_RETURN_IF_ERROR(CheckBatch(batch));
  const int64_t rows = batch.num_rows();
  int64_t start = 0;
  while (start < rows) {
    const int64_t length = NextSliceRows(rows - start);
    if (start == 0 && length == rows) {
      SLUICE_RETURN_IF_ERROR(Fail(WriteSlice(batch)));
    } else {
      SLUICE_RETURN_IF_ERROR(Fail(WriteSlice(*batch.Slice(start, length))));
    }
    start += length;
    if (row_group_rows_ >= options_.row_group_row_limit ||
        EstimatedRowGroupSize() >= options_.row_group_size) {
      SLUICE_RETURN_IF_ERROR(Fail(FlushRowGroup()));
    }
  }
  return Status::Ok();
}

int64_t FileWriter::NextSliceRows(int64_t remaining) const {
  int64_t rows = std::min({remaining, kMaxSliceRows,
                           std::max<int64_t>(1, options_.row_group_row_limit - row_group_rows_)});
  double bytes_per_row = bytes_per_row_;
  if (row_group_rows_ > 0) {
    bytes_per_row =
        static_cast<double>(EstimatedRowGroupSize()) / static_cast<double>(row_group_rows_);
  }
  if (bytes_per_row <= 0) {
    return std::min(rows, kFirstSliceRows);
  }
  const double left = static_cast<double>(options_.row_group_size - EstimatedRowGroupSize());
  const double fitting = std::max(1.0, left / bytes_per_row);
  if (fitting < static_cast<double>(rows)) {
    rows = std::max<int64_t>(1, static_cast<int64_t>(fitting));
  }
  return rows;
}

int64_t FileWriter::EstimatedRowGroupSize() const {
  int64_t size = 0;
  for (const auto& column : columns_) {
    size += column->EstimatedChunkSize();
  }
  return size;
}

Status FileWriter::WriteSlice(const Batch& slice) {
  for (size_t i = 0; i < write_schema_.columns.size(); ++i) {
    const WriteNode& node = write_schema_.columns[i];
    const Vector& column = *slice.column(static_cast<int>(i));
    if (node.kind == WriteNode::Kind::kPrimitive) {
      SLUICE_RETURN_IF_ERROR(columns_[node.first_leaf]->WriteColumn(column));
      continue;
    }
    shredder_.Shred(node, column, &levels_);
    for (int leaf = node.first_leaf; leaf < node.end_leaf; ++leaf) {
      SLUICE_RETURN_IF_ERROR(columns_[leaf]->WriteLevels(levels_[leaf]));
    }
  }
  row_group_rows_ += slice.num_rows();
  return Status::Ok();
}

Status FileWriter::FlushRowGroup() {
  if (row_group_rows_ == 0) {
    return Status::Ok();
  }
  bytes_per_row_ =
      static_cast<double>(EstimatedRowGroupSize()) / static_cast<double>(row_group_rows_);
  format::RowGroup row_group;
  const int64_t start = out_->position();
  int64_t total_uncompressed = 0;
  int64_t total_compressed = 0;
  std::vector<std::optional<format::ColumnIndex>> column_indexes;
  std::vector<std::optional<format::OffsetIndex>> offset_indexes;
  for (auto& column : columns_) {
    WrittenChunk written;
    SLUICE_RETURN_IF_ERROR(column->FlushChunk(out_.get(), &written));
    total_uncompressed += written.chunk.meta_data.total_uncompressed_size;
    total_compressed += written.chunk.meta_data.total_compressed_size;
    row_group.columns.push_back(std::move(written.chunk));
    column_indexes.push_back(std::move(written.column_index));
    offset_indexes.push_back(std::move(written.offset_index));
  }
  row_group.__set_total_byte_size(total_uncompressed);
  row_group.__set_num_rows(row_group_rows_);
  row_group.__set_file_offset(start);
  row_group.__set_total_compressed_size(total_compressed);
  if (row_groups_.size() <= static_cast<size_t>(INT16_MAX)) {
    row_group.__set_ordinal(static_cast<int16_t>(row_groups_.size()));
  }
  row_groups_.push_back(std::move(row_group));
  column_indexes_.push_back(std::move(column_indexes));
  offset_indexes_.push_back(std::move(offset_indexes));
  total_rows_ += row_group_rows_;
  row_group_rows_ = 0;
  return Status::Ok();
}

Status FileWriter::WritePageIndexes() {
  // All column indexes, then all offset indexes, as parquet-mr and Arrow lay them out.
  std::string bytes;
  for (size_t group = 0; group < row_groups_.size(); ++group) {
    for (size_t leaf = 0; leaf < columns_.size(); ++leaf) {
      const auto& index = column_indexes_[group][leaf];
      if (!index.has_value()) {
        continue;
      }
      bytes.clear();
      SLUICE_RETURN_IF_ERROR(SerializeThrift(*index, &bytes));
      format::ColumnChunk& chunk = row_groups_[group].columns[leaf];
      chunk.__set_column_index_offset(out_->position());
      chunk.__set_column_index_length(static_cast<int32_t>(bytes.size()));
      SLUICE_RETURN_IF_ERROR(out_->Write(bytes));
    }
  }
  for (size_t group = 0; group < row_groups_.size(); ++group) {
    for (size_t leaf = 0; leaf < columns_.size(); ++leaf) {
      const auto& index = offset_indexes_[group][leaf];
      if (!index.has_value()) {
        continue;
      }
      bytes.clear();
      SLUICE_RETURN_IF_ERROR(SerializeThrift(*index, &bytes));
      format::ColumnChunk& chunk = row_groups_[group].columns[leaf];
      chunk.__set_offset_index_offset(out_->position());
      chunk.__set_offset_index_length(static_cast<int32_t>(bytes.size()));
      SLUICE_RETURN_IF_ERROR(out_->Write(bytes));
    }
  }
  return Status::Ok();
}

Result<ParquetWriteResult> FileWriter::Close() {
  SLUICE_RETURN_IF_ERROR(CheckUsable());
  closed_ = true;
  SLUICE_RETURN_IF_ERROR(FlushRowGroup());
  SLUICE_RETURN_IF_ERROR(WritePageIndexes());

  format::FileMetaData metadata;
  metadata.__set_version(1);
  metadata.__set_schema(write_schema_.elements);
  metadata.__set_num_rows(total_rows_);
  metadata.__set_row_groups(row_groups_);
  std::vector<format::KeyValue> key_values;
  auto given = [&](std::string_view key) {
    return std::any_of(options_.key_value_metadata.begin(), options_.key_value_metadata.end(),
                       [key](const auto& entry) { return entry.first == key; });
  };
  auto add = [&](std::string key, std::string value) {
    format::KeyValue entry;
    entry.__set_key(std::move(key));
    entry.__set_value(std::move(value));
    key_values.push_back(std::move(entry));
  };
  if (!given(kSparkSchemaKey)) {
    add(std::string(kSparkSchemaKey), SchemaToJson(*schema_));
  }
  if (!given(kSparkVersionKey)) {
    add(std::string(kSparkVersionKey), std::string(kSparkVersion));
  }
  for (const auto& [key, value] : options_.key_value_metadata) {
    add(key, value);
  }
  metadata.__set_key_value_metadata(key_values);
  metadata.__set_created_by(options_.created_by);
  format::ColumnOrder order;
  order.__set_TYPE_ORDER(format::TypeDefinedOrder());
  metadata.__set_column_orders(std::vector<format::ColumnOrder>(columns_.size(), order));

  std::string footer;
  SLUICE_RETURN_IF_ERROR(SerializeThrift(metadata, &footer));
  const auto footer_length = static_cast<uint32_t>(footer.size());
  footer.append(reinterpret_cast<const char*>(&footer_length), 4);
  footer.append(kMagic);
  SLUICE_RETURN_IF_ERROR(out_->Write(footer));
  SLUICE_RETURN_IF_ERROR(out_->Close());

  ParquetWriteResult result;
  result.file_size = out_->position();
  result.num_rows = total_rows_;
  result.num_row_groups = static_cast<int>(row_groups_.size());
  for (const auto& column : columns_) {
    result.columns.push_back(column->FileStatistics());
  }
  return result;
}

ParquetWriter::ParquetWriter(std::unique_ptr<FileWriter> impl) : impl_(std::move(impl)) {}
ParquetWriter::~ParquetWriter() = default;

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Open(const std::string& path,
                                                           SchemaPtr schema,
                                                           ParquetWriteOptions options) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<OutputStream> out, OpenFileOutputStream(path));
  return Open(std::move(out), std::move(schema), std::move(options));
}

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Open(std::unique_ptr<OutputStream> out,
                                                           SchemaPtr schema,
                                                           ParquetWriteOptions options) {
  if (options.data_page_size <= 0 || options.data_page_row_limit <= 0 ||
      options.row_group_size <= 0 || options.row_group_row_limit <= 0 ||
      options.dictionary_page_size_limit < 0) {
    return Status::InvalidArgument(
        "Parquet write options: page and row group sizes and limits must be positive");
  }
  SLUICE_ASSIGN_OR_RETURN(WriteSchema write_schema, MakeWriteSchema(*schema));
  auto impl = std::make_unique<FileWriter>(std::move(out), std::move(schema), std::move(options),
                                           std::move(write_schema));
  SLUICE_RETURN_IF_ERROR(impl->Start());
  return std::unique_ptr<ParquetWriter>(new ParquetWriter(std::move(impl)));
}

Status ParquetWriter::Write(const Batch& batch) {
  return impl_->Write(batch);
}

Result<ParquetWriteResult> ParquetWriter::Close() {
  return impl_->Close();
}

Result<std::string> WriteParquetToString(SchemaPtr schema, const std::vector<BatchPtr>& batches,
                                         ParquetWriteOptions options) {
  auto stream = std::make_unique<MemoryOutputStream>();
  MemoryOutputStream* memory = stream.get();
  SLUICE_ASSIGN_OR_RETURN(
      std::unique_ptr<ParquetWriter> writer,
      ParquetWriter::Open(std::move(stream), std::move(schema), std::move(options)));
  for (const BatchPtr& batch : batches) {
    SLUICE_RETURN_IF_ERROR(writer->Write(*batch));
  }
  SLUICE_RETURN_IF_ERROR(writer->Close().status());
  // The writer owns the stream until it is destroyed; take the bytes first.
  std::string bytes = memory->Release();
  return bytes;
}

}  // namespace sluice::parquet
