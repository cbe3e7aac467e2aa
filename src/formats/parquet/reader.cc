// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <limits>
#include <mutex>
#include <span>
#include <utility>

#include "common/ascii.h"
#include "formats/parquet/assembly.h"
#include "formats/parquet/column_reader.h"
#include "formats/parquet/page_reader.h"

namespace sluice::parquet {
namespace {

constexpr int64_t kMagicBytes = 4;
constexpr int64_t kTailBytes = 8;  // footer length (4, little-endian) and magic (4)
constexpr std::string_view kMagic = "PAR1";
constexpr std::string_view kEncryptedMagic = "PARE";

Status EncryptedError(const std::string& file) {
  return Status::NotImplemented(fmt::format("{}: encrypted Parquet is not supported", file));
}

template <typename E>
void SetRawEnum(E* value, int32_t raw) {
  std::memcpy(value, &raw, sizeof raw);
}

bool InRange(int32_t raw, int32_t first, int32_t last) {
  return raw >= first && raw <= last;
}

/// Checks (or drops) the enum values of a footer before anything reads them as enums.
Status CheckFooterEnums(format::FileMetaData* metadata) {
  for (format::SchemaElement& element : metadata->schema) {
    if (element.__isset.type && !InRange(EnumValue(element.type), format::Type::BOOLEAN,
                                         format::Type::FIXED_LEN_BYTE_ARRAY)) {
      return Status::Corruption(fmt::format("schema element '{}' has an unknown physical type {}",
                                            element.name, EnumValue(element.type)));
    }
    if (element.__isset.repetition_type &&
        !InRange(EnumValue(element.repetition_type), format::FieldRepetitionType::REQUIRED,
                 format::FieldRepetitionType::REPEATED)) {
      return Status::Corruption(fmt::format("schema element '{}' has an unknown repetition type {}",
                                            element.name, EnumValue(element.repetition_type)));
    }
    // Converted types past the known ones are ignored (schema.h keeps parquet-cpp's NA,
    // 24, as void); values outside the enum's range are dropped here.
    if (element.__isset.converted_type && !InRange(EnumValue(element.converted_type), 0, 31)) {
      SetRawEnum(&element.converted_type, 0);
      element.__isset.converted_type = false;
    }
  }
  for (format::RowGroup& row_group : metadata->row_groups) {
    for (format::ColumnChunk& chunk : row_group.columns) {
      if (!chunk.__isset.meta_data) {
        continue;
      }
      format::ColumnMetaData& meta = chunk.meta_data;
      if (!InRange(EnumValue(meta.type), format::Type::BOOLEAN,
                   format::Type::FIXED_LEN_BYTE_ARRAY)) {
        return Status::Corruption(fmt::format("column chunk '{}' has an unknown physical type {}",
                                              fmt::join(meta.path_in_schema, "."),
                                              EnumValue(meta.type)));
      }
      if (!InRange(EnumValue(meta.codec), format::CompressionCodec::UNCOMPRESSED,
                   format::CompressionCodec::LZ4_RAW)) {
        return Status::NotImplemented(
            fmt::format("column chunk '{}' uses an unknown compression codec {}",
                        fmt::join(meta.path_in_schema, "."), EnumValue(meta.codec)));
      }
      for (format::Encoding::type& encoding : meta.encodings) {
        // The list only describes the pages (whose headers are checked when read): an
        // encoding unknown to this reader is kept as a value in the enum's range.
        if (!InRange(EnumValue(encoding), 0, 15)) {
          SetRawEnum(&encoding, format::Encoding::PLAIN);
        }
      }
      bool stats_ok = true;
      for (const format::PageEncodingStats& stats : meta.encoding_stats) {
        stats_ok = stats_ok && InRange(EnumValue(stats.page_type), 0, 3) &&
                   InRange(EnumValue(stats.encoding), 0, 15);
      }
      if (!stats_ok) {
        meta.encoding_stats.clear();
        meta.__isset.encoding_stats = false;
      }
    }
  }
  return Status::Ok();
}

/// Runs fn(0), ..., fn(n - 1) on the pool's workers and the calling thread; returns when
/// all have run. The caller takes work too, so it finishes even when every worker is
/// busy (or the caller is one of them); helpers that start late find nothing left.
void ParallelFor(ThreadPool* pool, int64_t n, const std::function<void(int64_t)>& fn) {
  if (pool == nullptr || n <= 1) {
    for (int64_t i = 0; i < n; ++i) {
      fn(i);
    }
    return;
  }
  struct State {
    std::atomic<int64_t> next{0};
    int64_t total = 0;
    const std::function<void(int64_t)>* fn = nullptr;
    std::mutex mu;
    std::condition_variable done_cv;
    int64_t done = 0;  // guarded by mu
  };
  auto state = std::make_shared<State>();
  state->total = n;
  state->fn = &fn;
  auto work = [state]() {
    for (;;) {
      const int64_t i = state->next.fetch_add(1);
      if (i >= state->total) {
        return;
      }
      (*state->fn)(i);
      std::lock_guard<std::mutex> lock(state->mu);
      if (++state->done == state->total) {
        state->done_cv.notify_all();
      }
    }
  };
  const int64_t helpers = std::min<int64_t>(n - 1, pool->num_threads());
  for (int64_t i = 0; i < helpers; ++i) {
    pool->Submit(work);
  }
  work();
  std::unique_lock<std::mutex> lock(state->mu);
  state->done_cv.wait(lock, [&] { return state->done == state->total; });
}

std::string ColumnList(const Schema& schema) {
  std::string out;
  for (const Field& field : schema.fields()) {
    if (!out.empty()) {
      out += ", ";
    }
    out += field.name;
  }
  return out;
}

}  // namespace

ParquetReader::ParquetReader(std::unique_ptr<RandomAccessFile> file, ParquetReadOptions options)
    : file_(std::move(file)), options_(std::move(options)) {}

ParquetReader::~ParquetReader() = default;

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(const std::string& path,
                                                           ParquetReadOptions options) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, OpenLocalFile(path));
  return Open(std::move(file), std::move(options));
}

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(std::unique_ptr<RandomAccessFile> file,
                                                           ParquetReadOptions options) {
  if (file == nullptr) {
    return Status::InvalidArgument("ParquetReader::Open: no file");
  }
  std::unique_ptr<ParquetReader> reader(new ParquetReader(std::move(file), std::move(options)));
  SLUICE_RETURN_IF_ERROR(reader->Init());
  return reader;
}

const std::string& ParquetReader::file_name() const {
  return file_->name();
}

Status ParquetReader::Init() {
  const std::string& name = file_->name();
  const int64_t size = file_->size();
  if (size < kMagicBytes + kTailBytes) {
    return Status::Corruption(
        fmt::format("{}: not a Parquet file: {} bytes is too small", name, size));
  }
  std::string scratch;
  SLUICE_ASSIGN_OR_RETURN(std::string_view head, file_->ReadAt(0, kMagicBytes, &scratch));
  const bool head_encrypted = head == kEncryptedMagic;
  const bool head_plain = head == kMagic;
  std::string tail_scratch;
  SLUICE_ASSIGN_OR_RETURN(std::string_view tail,
                          file_->ReadAt(size - kTailBytes, kTailBytes, &tail_scratch));
  const std::string_view tail_magic = tail.substr(4);
  if (tail_magic == kEncryptedMagic || (head_encrypted && tail_magic != kMagic)) {
    return EncryptedError(name);
  }
  if (!head_plain || tail_magic != kMagic) {
    return Status::Corruption(
        fmt::format("{}: not a Parquet file: no PAR1 magic at the start and end", name));
  }
  uint32_t footer_length = 0;
  std::memcpy(&footer_length, tail.data(), sizeof footer_length);  // little-endian hosts
  if (static_cast<int64_t>(footer_length) > size - kMagicBytes - kTailBytes) {
    return Status::Corruption(
        fmt::format("{}: the footer length {} does not fit in the file of {} bytes", name,
                    footer_length, size));
  }
  footer_offset_ = size - kTailBytes - footer_length;
  SLUICE_ASSIGN_OR_RETURN(std::string_view footer,
                          file_->ReadAt(footer_offset_, footer_length, &scratch));
  SLUICE_RETURN_IF_ERROR(DeserializeThrift(footer, "file footer", &metadata_).WithContext(name));
  SLUICE_RETURN_IF_ERROR(CheckFooterEnums(&metadata_).WithContext(name));
  // A plaintext footer with encryption metadata (AES_GCM_*) may still hold plaintext
  // columns, which legacy readers are meant to read; encrypted chunks are refused when
  // a projected column has one (CheckRowGroups).
  Result<FileSchema> schema = FileSchema::Make(metadata_.schema);
  if (!schema.ok()) {
    return std::move(schema).status().WithContext(name);
  }
  file_schema_ = std::move(schema).value();
  SLUICE_RETURN_IF_ERROR(Project());
  return CheckRowGroups();
}

Status ParquetReader::CheckRowGroups() {
  const std::string& name = file_->name();
  const std::vector<LeafDescriptor>& leaves = file_schema_.leaves();
  std::vector<bool> projected(leaves.size(), false);
  for (int index : column_indices_) {
    const FieldNode& column = file_schema_.columns()[static_cast<size_t>(index)];
    for (int leaf = column.first_leaf; leaf < column.first_leaf + column.num_leaves; ++leaf) {
      projected[static_cast<size_t>(leaf)] = true;
    }
  }
  if (metadata_.num_rows < 0) {
    return Status::Corruption(
        fmt::format("{}: the footer has a negative number of rows ({})", name, metadata_.num_rows));
  }
  total_rows_ = 0;
  for (size_t r = 0; r < metadata_.row_groups.size(); ++r) {
    const format::RowGroup& row_group = metadata_.row_groups[r];
    if (row_group.num_rows < 0) {
      return Status::Corruption(fmt::format("{}: row group {} has a negative number of rows ({})",
                                            name, r, row_group.num_rows));
    }
    if (row_group.columns.size() != leaves.size()) {
      return Status::Corruption(
          fmt::format("{}: row group {} has {} column chunks where the schema has {} columns", name,
                      r, row_group.columns.size(), leaves.size()));
    }
    for (size_t c = 0; c < leaves.size(); ++c) {
      const format::ColumnChunk& chunk = row_group.columns[c];
      if (chunk.__isset.crypto_metadata || chunk.__isset.encrypted_column_metadata) {
        if (projected[c]) {
          return Status::NotImplemented(
              fmt::format("{}: column '{}' is encrypted: encrypted Parquet is not supported", name,
                          leaves[c].path));
        }
        continue;
      }
      if (chunk.__isset.file_path && !chunk.file_path.empty()) {
        return Status::NotImplemented(fmt::format(
            "{}: row group {}, column '{}': column chunks stored in another file ('{}') are not "
            "supported",
            name, r, leaves[c].path, chunk.file_path));
      }
      if (!chunk.__isset.meta_data) {
        return Status::Corruption(
            fmt::format("{}: row group {}, column '{}': the column chunk has no metadata", name, r,
                        leaves[c].path));
      }
      if (chunk.meta_data.type != leaves[c].element.type) {
        return Status::Corruption(fmt::format(
            "{}: row group {}, column '{}': the chunk's physical type {} differs from the "
            "schema's {}",
            name, r, leaves[c].path, static_cast<int>(chunk.meta_data.type),
            static_cast<int>(leaves[c].element.type)));
      }
    }
    if (row_group.num_rows > std::numeric_limits<int64_t>::max() - total_rows_) {
      return Status::Corruption(fmt::format("{}: the row groups' row counts overflow", name));
    }
    total_rows_ += row_group.num_rows;
  }
  return Status::Ok();
}

Status ParquetReader::Project() {
  const Schema& schema = *file_schema_.schema();
  if (options_.columns.empty()) {
    for (int i = 0; i < schema.num_fields(); ++i) {
      column_indices_.push_back(i);
    }
    output_schema_ = file_schema_.schema();
    return Status::Ok();
  }
  std::vector<Field> fields;
  for (const std::string& wanted : options_.columns) {
    int found = schema.FieldIndex(wanted);
    if (found < 0) {
      for (int i = 0; i < schema.num_fields(); ++i) {
        if (!EqualsIgnoreCase(schema.field(i).name, wanted)) {
          continue;
        }
        if (found >= 0) {
          return Status::InvalidArgument(
              fmt::format("{}: column '{}' is ambiguous: it matches '{}' and '{}'", file_->name(),
                          wanted, schema.field(found).name, schema.field(i).name));
        }
        found = i;
      }
    }
    if (found < 0) {
      return Status::InvalidArgument(fmt::format("{}: no column '{}'; the columns are: {}",
                                                 file_->name(), wanted, ColumnList(schema)));
    }
    column_indices_.push_back(found);
    fields.push_back(schema.field(found));
  }
  output_schema_ = MakeSchema(std::move(fields));
  return Status::Ok();
}

std::vector<int> ParquetReader::RowGroupsToRead() const {
  std::vector<int> row_groups;
  for (int i = 0; i < num_row_groups(); ++i) {
    if (options_.filter != nullptr) {
      // Statistics are hints: one that cannot be read never drops a row group.
      Result<bool> may_match =
          RowGroupMayMatch(*options_.filter, file_schema_.leaves(), metadata_, i);
      if (may_match.ok() && !*may_match)
        continue;
    }
    row_groups.push_back(i);
  }
  return row_groups;
}

ParquetReader::RowSelection ParquetReader::SelectRows(int row_group) const {
  const int64_t rows = metadata_.row_groups[static_cast<size_t>(row_group)].num_rows;
  RowSelection all{std::nullopt, rows};
  if (options_.filter == nullptr || rows == 0) {
    return all;
  }
  Result<std::vector<RowRange>> ranges =
      SelectRowRanges(*options_.filter, file_schema_.leaves(), *file_, metadata_, row_group);
  if (!ranges.ok()) {
    return all;  // the page index is unusable: keep every row
  }
  // SelectRowRanges gives sorted, disjoint, non-adjacent ranges; clip them to the row
  // group all the same, as the column readers require.
  RowSelection selection{std::vector<RowRange>(), 0};
  for (const RowRange& range : *ranges) {
    const int64_t begin = std::max<int64_t>(range.begin, 0);
    const int64_t end = std::min(range.end, rows);
    if (begin >= end) {
      continue;
    }
    if (!selection.ranges->empty() && begin <= selection.ranges->back().end) {
      selection.num_rows += std::max<int64_t>(end - selection.ranges->back().end, 0);
      selection.ranges->back().end = std::max(selection.ranges->back().end, end);
      continue;
    }
    selection.ranges->push_back({begin, end});
    selection.num_rows += end - begin;
  }
  return selection.num_rows == rows ? all : selection;
}

Result<VectorPtr> ParquetReader::ReadColumn(const ColumnTask& task, ReadMetrics* metrics) const {
  const format::RowGroup& group = metadata_.row_groups[static_cast<size_t>(task.row_group)];
  const FieldNode& column =
      file_schema_.columns()[static_cast<size_t>(column_indices_[task.output])];
  const RowSelection& selection = *task.selection;
  const std::vector<RowRange>* rows =
      selection.ranges.has_value() ? &selection.ranges.value() : nullptr;
  ColumnChunkContext context;
  context.row_group = task.row_group;
  context.footer_offset = footer_offset_;
  std::vector<LeafData> leaves;
  leaves.reserve(static_cast<size_t>(column.num_leaves));
  for (int leaf = column.first_leaf; leaf < column.first_leaf + column.num_leaves; ++leaf) {
    SLUICE_ASSIGN_OR_RETURN(
        LeafData data,
        ReadColumnChunk(*file_, group.columns[static_cast<size_t>(leaf)],
                        file_schema_.leaves()[static_cast<size_t>(leaf)], group.num_rows,
                        options_.limits, context, rows, metrics, DefinitionForm::kBitmap));
    leaves.push_back(std::move(data));
  }
  Result<VectorPtr> vector = AssembleColumn(column, leaves, selection.num_rows);
  if (!vector.ok()) {
    return std::move(vector).status().WithContext(
        fmt::format("{}: row group {}", file_->name(), task.row_group));
  }
  return vector;
}

Status ParquetReader::ReadColumns(const std::vector<ColumnTask>& tasks,
                                  std::vector<VectorPtr>* columns, ReadMetrics* metrics) const {
  std::vector<Status> statuses(tasks.size());
  std::vector<ReadMetrics> task_metrics(tasks.size());
  columns->assign(tasks.size(), nullptr);
  ParallelFor(options_.pool, static_cast<int64_t>(tasks.size()), [&](int64_t k) {
    const auto index = static_cast<size_t>(k);
    Result<VectorPtr> vector = ReadColumn(tasks[index], &task_metrics[index]);
    if (vector.ok()) {
      (*columns)[index] = std::move(vector).value();
    } else {
      statuses[index] = std::move(vector).status();
    }
  });
  if (metrics != nullptr) {
    for (const ReadMetrics& task : task_metrics) {
      *metrics += task;
    }
  }
  for (Status& status : statuses) {
    SLUICE_RETURN_IF_ERROR(std::move(status));
  }
  return Status::Ok();
}

Result<BatchPtr> ParquetReader::MakeBatch(int row_group, std::vector<VectorPtr> columns,
                                          int64_t num_rows) const {
  Result<BatchPtr> batch = Batch::Make(output_schema_, std::move(columns), num_rows);
  if (!batch.ok()) {
    return Status::Internal(
        fmt::format("{}: row group {}: {}", file_->name(), row_group, batch.status().message()));
  }
  return batch;
}

Result<BatchPtr> ParquetReader::ReadRowGroup(int index, ReadMetrics* metrics) const {
  if (index < 0 || index >= num_row_groups()) {
    return Status::InvalidArgument(fmt::format("{}: no row group {} (the file has {})",
                                               file_->name(), index, num_row_groups()));
  }
  const RowSelection selection = SelectRows(index);
  std::vector<ColumnTask> tasks;
  if (selection.num_rows > 0) {
    for (int c = 0; c < static_cast<int>(column_indices_.size()); ++c) {
      tasks.push_back({index, c, &selection});
    }
  }
  std::vector<VectorPtr> columns;
  SLUICE_RETURN_IF_ERROR(ReadColumns(tasks, &columns, metrics));
  if (selection.num_rows == 0) {
    return Batch::MakeEmpty(output_schema_);
  }
  return MakeBatch(index, std::move(columns), selection.num_rows);
}

Result<std::vector<BatchPtr>> ParquetReader::ReadAll(ReadMetrics* metrics) const {
  const std::vector<int> row_groups = RowGroupsToRead();
  const int width = static_cast<int>(column_indices_.size());
  std::vector<RowSelection> selections;
  selections.reserve(row_groups.size());
  std::vector<ColumnTask> tasks;
  for (int row_group : row_groups) {
    selections.push_back(SelectRows(row_group));
    if (selections.back().num_rows == 0) {
      continue;  // nothing to read: an empty batch
    }
    for (int c = 0; c < width; ++c) {
      tasks.push_back({row_group, c, &selections.back()});
    }
  }
  std::vector<VectorPtr> columns;
  SLUICE_RETURN_IF_ERROR(ReadColumns(tasks, &columns, metrics));
  std::vector<BatchPtr> batches;
  batches.reserve(row_groups.size());
  auto next = columns.begin();
  for (size_t r = 0; r < row_groups.size(); ++r) {
    if (selections[r].num_rows == 0) {
      batches.push_back(Batch::MakeEmpty(output_schema_));
      continue;
    }
    std::vector<VectorPtr> batch_columns(next, next + width);
    next += width;
    SLUICE_ASSIGN_OR_RETURN(
        BatchPtr batch, MakeBatch(row_groups[r], std::move(batch_columns), selections[r].num_rows));
    batches.push_back(std::move(batch));
  }
  return batches;
}

}  // namespace sluice::parquet
