// SPDX-License-Identifier: Apache-2.0
#include "stream/file_source.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <utility>

#include "columnar/builder.h"
#include "common/ascii.h"
#include "common/json.h"
#include "formats/csv/csv_options.h"
#include "formats/csv/csv_reader.h"
#include "formats/json/json_decoder.h"
#include "formats/json/json_options.h"
#include "formats/parquet/leaf.h"
#include "formats/parquet/reader.h"

namespace sluice::stream {

namespace {

constexpr std::string_view kOptionsFormat = "File source";
constexpr std::string_view kLogVersion = "v1";

/// Parses a positive 64-bit integer option (Spark's `str.toLong`, then > 0).
Status GetPositiveLong(const OptionMap& map, std::string_view key, std::optional<int64_t>* out) {
  const std::string* text = map.Find(key);
  if (text == nullptr) {
    return Status::Ok();
  }
  int64_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || value <= 0) {
    return map.Invalid(key, fmt::format("must be a positive integer, got '{}'", *text));
  }
  *out = value;
  return Status::Ok();
}

bool HasGlob(std::string_view name) {
  return name.find_first_of("*?[") != std::string_view::npos;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// Spark's hidden-path filter plus the in-progress names of common writers.
bool IsHiddenOrTemporary(std::string_view name) {
  return IsHiddenDataName(name) || EndsWith(name, ".tmp") || EndsWith(name, ".crc") ||
         EndsWith(name, "._COPYING_");
}

std::string FileUri(std::string_view path) {
  return fmt::format("file://{}", path);
}

bool IsLogFileName(std::string_view name) {
  std::string_view digits = name;
  if (EndsWith(digits, ".compact")) {
    digits.remove_suffix(std::string_view(".compact").size());
  }
  return !digits.empty() &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<int64_t> ParseTimeStringMs(std::string_view text, std::string_view option,
                                  int64_t default_unit_ms) {
  const std::string lower = ToLowerAscii(TrimAscii(text));
  size_t digits_end = 0;
  while (digits_end < lower.size() && lower[digits_end] >= '0' && lower[digits_end] <= '9') {
    ++digits_end;
  }
  int64_t amount = 0;
  auto [ptr, ec] = std::from_chars(lower.data(), lower.data() + digits_end, amount);
  const std::string_view unit = std::string_view(lower).substr(digits_end);
  int64_t unit_micros = -1;
  if (unit.empty()) {
    unit_micros = default_unit_ms * 1000;
  } else if (unit == "us") {
    unit_micros = 1;
  } else if (unit == "ms") {
    unit_micros = 1000;
  } else if (unit == "s") {
    unit_micros = 1000 * 1000;
  } else if (unit == "m" || unit == "min") {
    unit_micros = int64_t{60} * 1000 * 1000;
  } else if (unit == "h") {
    unit_micros = int64_t{3600} * 1000 * 1000;
  } else if (unit == "d") {
    unit_micros = int64_t{24} * 3600 * 1000 * 1000;
  }
  (void)ptr;
  if (digits_end == 0 || ec != std::errc() || unit_micros < 0 || amount > INT64_MAX / unit_micros) {
    return Status::InvalidArgument(fmt::format(
        "option '{}': invalid time string '{}' (expected a non-negative integer and a unit "
        "such as 500ms, 10s, 5m, 2h, 7d)",
        option, text));
  }
  return amount * unit_micros / 1000;
}

Result<FileSourceOptions> FileSourceOptions::FromOptions(const OptionList& options) {
  const OptionMap map(options, kOptionsFormat);
  FileSourceOptions result;
  SLUICE_RETURN_IF_ERROR(GetPositiveLong(map, "maxFilesPerTrigger", &result.max_files_per_trigger));
  SLUICE_RETURN_IF_ERROR(GetPositiveLong(map, "maxBytesPerTrigger", &result.max_bytes_per_trigger));
  if (result.max_files_per_trigger.has_value() && result.max_bytes_per_trigger.has_value()) {
    return Status::InvalidArgument(
        "Options 'maxFilesPerTrigger' and 'maxBytesPerTrigger' can't be both set at the same "
        "time");
  }
  SLUICE_RETURN_IF_ERROR(map.GetBool("latestFirst", &result.latest_first));
  SLUICE_RETURN_IF_ERROR(map.GetBool("fileNameOnly", &result.file_name_only));
  if (const std::string* age = map.Find("maxFileAge")) {
    SLUICE_ASSIGN_OR_RETURN(result.max_file_age_ms, ParseTimeStringMs(*age, "maxFileAge"));
  }
  if (result.latest_first && result.max_files_per_trigger.has_value()) {
    result.max_file_age_ms = INT64_MAX;  // Spark ignores maxFileAge then
  }
  if (const std::string* clean = map.Find("cleanSource")) {
    const std::string mode = ToLowerAscii(*clean);
    if (mode == "archive" || mode == "delete") {
      return Status::NotImplemented(fmt::format(
          "File source option 'cleanSource': '{}' is not supported yet (only 'off')", *clean));
    }
    if (mode != "off") {
      return map.Invalid("cleanSource",
                         fmt::format("expected archive, delete or off, got '{}'", *clean));
    }
  }
  int64_t stable_checks = result.stable_checks;
  SLUICE_RETURN_IF_ERROR(map.GetInt("sluice.fileStableChecks", &stable_checks));
  if (stable_checks < 0) {
    return map.Invalid("sluice.fileStableChecks",
                       fmt::format("must be 0 or more, got {}", stable_checks));
  }
  result.stable_checks = stable_checks;
  return result;
}

std::string LocalPathOfUri(std::string_view uri) {
  if (uri.substr(0, 7) == "file://") {
    return std::string(uri.substr(7));
  }
  if (uri.substr(0, 5) == "file:") {
    return std::string(uri.substr(5));
  }
  return std::string(uri);
}

Offset FormatFileOffset(int64_t log_offset) {
  return fmt::format("{{\"logOffset\":{}}}", log_offset);
}

Result<int64_t> ParseFileOffset(const Offset& offset) {
  Result<JsonValue> parsed = JsonValue::Parse(offset);
  if (parsed.ok()) {
    const JsonValue* number = &*parsed;
    if (parsed->is_object()) {
      number = parsed->Find("logOffset");
    }
    if (number != nullptr && number->is_number()) {
      Result<int64_t> value = number->AsInt64();
      if (value.ok() && *value >= -1) {
        return *value;
      }
    }
  }
  return Status::InvalidArgument(
      fmt::format("file source offset must be {{\"logOffset\":<n>}}, got '{}'", offset));
}

// ---------------------------------------------------------------------------------------
// FileDiscovery

FileDiscovery::FileDiscovery(FileSystem* fs, std::string path, FileSourceOptions options)
    : fs_(fs), options_(options) {
  const size_t slash = path.find_last_of('/');
  const std::string_view last = slash == std::string::npos
                                    ? std::string_view(path)
                                    : std::string_view(path).substr(slash + 1);
  if (HasGlob(last)) {
    name_glob_ = std::string(last);
    directory_ = ParentPath(path);
  } else {
    directory_ = std::move(path);
  }
}

std::string FileDiscovery::SeenKey(const std::string& path) const {
  if (!options_.file_name_only) {
    return path;
  }
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Status FileDiscovery::Open(FileSystem* log_fs, std::string metadata_dir) {
  log_fs_ = log_fs;
  metadata_dir_ = std::move(metadata_dir);
  SLUICE_RETURN_IF_ERROR(log_fs_->CreateDirectories(metadata_dir_));
  SLUICE_ASSIGN_OR_RETURN(std::vector<FileInfo> files, log_fs_->ListDirectory(metadata_dir_));
  for (const FileInfo& file : files) {
    if (!file.is_directory && IsLogFileName(file.name)) {
      SLUICE_RETURN_IF_ERROR(LoadLogFile(file.path));
    }
  }
  return Status::Ok();
}

Status FileDiscovery::LoadLogFile(const std::string& file) {
  SLUICE_ASSIGN_OR_RETURN(std::string text, log_fs_->ReadFile(file));
  size_t line_end = text.find('\n');
  const std::string_view version = TrimAscii(std::string_view(text).substr(0, line_end));
  if (version != kLogVersion) {
    return Status::Corruption(fmt::format("file source log {}: expected version {}, found '{}'",
                                          file, kLogVersion, version));
  }
  while (line_end != std::string::npos) {
    const size_t start = line_end + 1;
    line_end = text.find('\n', start);
    const std::string_view line = TrimAscii(std::string_view(text).substr(
        start, line_end == std::string::npos ? std::string::npos : line_end - start));
    if (line.empty()) {
      continue;
    }
    Result<JsonValue> entry = JsonValue::Parse(line);
    const JsonValue* path = entry.ok() ? entry->Find("path") : nullptr;
    const JsonValue* timestamp = entry.ok() ? entry->Find("timestamp") : nullptr;
    const JsonValue* batch_id = entry.ok() ? entry->Find("batchId") : nullptr;
    if (path == nullptr || !path->is_string() || timestamp == nullptr ||
        !timestamp->AsInt64().ok() || batch_id == nullptr || !batch_id->AsInt64().ok()) {
      return Status::Corruption(
          fmt::format("file source log {}: malformed entry '{}'", file, line));
    }
    FileEntry file_entry{path->text(), *timestamp->AsInt64(), *batch_id->AsInt64()};
    seen_.insert(SeenKey(LocalPathOfUri(file_entry.path)));
    newest_seen_ms_ = std::max(newest_seen_ms_, file_entry.timestamp);
    latest_log_offset_ = std::max(latest_log_offset_, file_entry.batch_id);
    std::vector<FileEntry>& batch = log_[file_entry.batch_id];
    const bool duplicate = std::any_of(batch.begin(), batch.end(), [&](const FileEntry& other) {
      return other.path == file_entry.path;
    });
    if (!duplicate) {
      batch.push_back(std::move(file_entry));
    }
  }
  return Status::Ok();
}

Result<std::vector<FileInfo>> FileDiscovery::ListCandidates() {
  Result<std::vector<FileInfo>> listed = fs_->ListDirectory(directory_);
  if (!listed.ok()) {
    if (listed.status().code() == StatusCode::kNotFound) {
      return std::vector<FileInfo>();  // not created yet: no files
    }
    return listed.status();
  }
  const int64_t threshold_ms = (newest_seen_ms_ < 0 || options_.max_file_age_ms == INT64_MAX)
                                   ? INT64_MIN
                                   : newest_seen_ms_ - options_.max_file_age_ms;
  std::vector<FileInfo> candidates;
  for (FileInfo& file : *listed) {
    if (file.is_directory || IsHiddenOrTemporary(file.name)) {
      continue;
    }
    if (!name_glob_.empty() && fnmatch(name_glob_.c_str(), file.name.c_str(), 0) != 0) {
      continue;
    }
    if (seen_.count(SeenKey(file.path)) > 0 || file.modification_micros / 1000 < threshold_ms) {
      continue;
    }
    if (available_now_.has_value() && available_now_->count(file.path) == 0) {
      continue;
    }
    candidates.push_back(std::move(file));
  }
  return candidates;
}

Result<int64_t> FileDiscovery::NextBatch(int64_t start, bool rate_limited) {
  if (start > latest_log_offset_) {
    return Status::Corruption(
        fmt::format("file source offset {} is beyond the newest entry {} of the metadata log {}",
                    start, latest_log_offset_, metadata_dir_));
  }
  if (start < latest_log_offset_) {
    // Logged before a restart but not consumed: hand those batches out first.
    return rate_limited ? start + 1 : latest_log_offset_;
  }
  SLUICE_ASSIGN_OR_RETURN(std::vector<FileInfo> candidates, ListCandidates());
  std::map<std::string, Observation> observed;
  std::vector<FileInfo> eligible;
  for (const FileInfo& file : candidates) {
    Observation now{file.size, file.modification_micros, 0};
    auto previous = observed_.find(file.path);
    if (previous != observed_.end() && previous->second.size == file.size &&
        previous->second.modification_micros == file.modification_micros) {
      now.unchanged = previous->second.unchanged + 1;
    }
    // Trigger.Once and AvailableNow take what is listed now: they must not end early.
    if (now.unchanged >= options_.stable_checks || available_now_.has_value() || !rate_limited) {
      eligible.push_back(file);
    }
    observed.emplace(file.path, now);
  }
  observed_ = std::move(observed);
  std::sort(eligible.begin(), eligible.end(), [&](const FileInfo& a, const FileInfo& b) {
    if (a.modification_micros != b.modification_micros) {
      return options_.latest_first ? a.modification_micros > b.modification_micros
                                   : a.modification_micros < b.modification_micros;
    }
    return a.path < b.path;
  });
  size_t take = eligible.size();
  if (rate_limited && options_.max_files_per_trigger.has_value()) {
    take = std::min(take, static_cast<size_t>(*options_.max_files_per_trigger));
  } else if (rate_limited && options_.max_bytes_per_trigger.has_value() && take > 0) {
    int64_t bytes = eligible[0].size;
    take = 1;
    while (take < eligible.size() &&
           bytes + eligible[take].size <= *options_.max_bytes_per_trigger) {
      bytes += eligible[take].size;
      ++take;
    }
  }
  eligible.resize(take);
  num_files_outstanding_ = static_cast<int64_t>(candidates.size() - take);
  num_bytes_outstanding_ = 0;
  for (const FileInfo& file : candidates) {
    num_bytes_outstanding_ += file.size;
  }
  for (const FileInfo& file : eligible) {
    num_bytes_outstanding_ -= file.size;
  }
  if (eligible.empty()) {
    return start;
  }
  SLUICE_RETURN_IF_ERROR(WriteBatch(latest_log_offset_ + 1, eligible));
  return latest_log_offset_;
}

Status FileDiscovery::WriteBatch(int64_t batch_id, const std::vector<FileInfo>& files) {
  std::vector<FileEntry> entries;
  std::string text(kLogVersion);
  for (const FileInfo& file : files) {
    FileEntry entry{FileUri(file.path), file.modification_micros / 1000, batch_id};
    JsonValue json = JsonValue::Object({{"path", JsonValue::String(entry.path)},
                                        {"timestamp", JsonValue::Int(entry.timestamp)},
                                        {"batchId", JsonValue::Int(batch_id)}});
    text += '\n';
    json.SerializeTo(&text);
    entries.push_back(std::move(entry));
  }
  const std::string log_file = JoinPath(metadata_dir_, std::to_string(batch_id));
  Status written = log_fs_->PutIfAbsent(log_file, text);
  if (!written.ok()) {
    if (written.code() == StatusCode::kAlreadyExists) {
      return Status::Conflict(fmt::format(
          "file source log entry {} was written concurrently: is another query using the "
          "checkpoint?",
          log_file));
    }
    return written;
  }
  for (FileEntry& entry : entries) {
    seen_.insert(SeenKey(LocalPathOfUri(entry.path)));
    newest_seen_ms_ = std::max(newest_seen_ms_, entry.timestamp);
    observed_.erase(LocalPathOfUri(entry.path));
  }
  log_[batch_id] = std::move(entries);
  latest_log_offset_ = batch_id;
  return Status::Ok();
}

Result<std::vector<FileEntry>> FileDiscovery::FilesOf(int64_t first, int64_t last) const {
  std::vector<FileEntry> files;
  for (int64_t offset = first; offset <= last; ++offset) {
    auto batch = log_.find(offset);
    if (batch == log_.end()) {
      return Status::Corruption(
          fmt::format("file source metadata log {} has no entry {}", metadata_dir_, offset));
    }
    files.insert(files.end(), batch->second.begin(), batch->second.end());
  }
  return files;
}

Status FileDiscovery::SnapshotForAvailableNow() {
  available_now_.reset();
  SLUICE_ASSIGN_OR_RETURN(std::vector<FileInfo> candidates, ListCandidates());
  std::set<std::string> paths;
  for (const FileInfo& file : candidates) {
    paths.insert(file.path);
  }
  available_now_ = std::move(paths);
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// Readers

namespace {

void KeepNonEmpty(std::vector<BatchPtr>* batches, std::vector<BatchPtr>* out) {
  for (BatchPtr& batch : *batches) {
    if (batch->num_rows() > 0) {
      out->push_back(std::move(batch));
    }
  }
}

/// A text format decoded whole by its batch reader (`Read`: json::ReadJson or
/// csv::ReadCsv) with the given schema and options.
template <typename Options,
          Result<std::vector<BatchPtr>> (*Read)(std::string_view, SchemaPtr, const Options&)>
class TextFormatDecoderReader final : public FileFormatReader {
 public:
  TextFormatDecoderReader(SchemaPtr given, SchemaPtr output, Options options)
      : given_(std::move(given)), output_(std::move(output)), options_(std::move(options)) {}
  const SchemaPtr& schema() const override { return output_; }
  Result<std::vector<BatchPtr>> ReadFile(FileSystem* fs, const std::string& path) const override {
    SLUICE_ASSIGN_OR_RETURN(std::string data, fs->ReadFile(path));
    SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> batches, Read(data, given_, options_));
    std::vector<BatchPtr> rows;
    KeepNonEmpty(&batches, &rows);
    return rows;
  }

 private:
  SchemaPtr given_;
  SchemaPtr output_;
  Options options_;
};

using JsonFormatReader = TextFormatDecoderReader<json::JsonReadOptions, json::ReadJson>;
Result<std::vector<BatchPtr>> ReadCsvRows(std::string_view data, SchemaPtr schema,
                                          const csv::CsvReadOptions& options) {
  return csv::ReadCsv(data, std::move(schema), options);
}
using CsvFormatReader = TextFormatDecoderReader<csv::CsvReadOptions, ReadCsvRows>;

/// Parquet with a given schema: columns are matched by name (exactly, else ignoring
/// case); a column the file lacks reads as nulls, one of another type is an error.
class ParquetFormatReader final : public FileFormatReader {
 public:
  explicit ParquetFormatReader(SchemaPtr output) : output_(std::move(output)) {}
  const SchemaPtr& schema() const override { return output_; }
  Result<std::vector<BatchPtr>> ReadFile(FileSystem* fs, const std::string& path) const override {
    SLUICE_ASSIGN_OR_RETURN(std::string data, fs->ReadFile(path));
    auto bytes = std::make_shared<const std::string>(std::move(data));
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<parquet::ParquetReader> footer,
                            parquet::ParquetReader::Open(parquet::MakeBufferFile(path, bytes)));
    parquet::ParquetReadOptions options;
    std::vector<int> source_column;  // per output field: index among the read columns, or -1
    for (const Field& field : output_->fields()) {
      int index = footer->schema()->FieldIndex(field.name);
      if (index < 0) {
        for (int i = 0; i < footer->schema()->num_fields(); ++i) {
          if (EqualsIgnoreCase(footer->schema()->field(i).name, field.name)) {
            index = i;
            break;
          }
        }
      }
      if (index < 0) {
        source_column.push_back(-1);
        continue;
      }
      const Field& file_field = footer->schema()->field(index);
      if (!AsNullable(file_field.type)->Equals(*field.type)) {
        return Status::InvalidArgument(
            fmt::format("Parquet file {}: column '{}' is {}, but the stream's schema says {}", path,
                        file_field.name, file_field.type->ToString(), field.type->ToString()));
      }
      source_column.push_back(static_cast<int>(options.columns.size()));
      options.columns.push_back(file_field.name);
    }
    SLUICE_ASSIGN_OR_RETURN(
        std::unique_ptr<parquet::ParquetReader> reader,
        parquet::ParquetReader::Open(parquet::MakeBufferFile(path, bytes), std::move(options)));
    SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> batches, reader->ReadAll());
    std::vector<BatchPtr> rows;
    for (const BatchPtr& batch : batches) {
      if (batch->num_rows() == 0) {
        continue;
      }
      std::vector<VectorPtr> columns;
      for (int i = 0; i < output_->num_fields(); ++i) {
        if (source_column[i] >= 0) {
          columns.push_back(batch->column(source_column[i]));
          continue;
        }
        std::unique_ptr<VectorBuilder> nulls = VectorBuilder::Make(output_->field(i).type);
        for (int64_t row = 0; row < batch->num_rows(); ++row) {
          nulls->AppendNull();
        }
        columns.push_back(nulls->Finish());
      }
      SLUICE_ASSIGN_OR_RETURN(BatchPtr row_batch,
                              Batch::Make(output_, std::move(columns), batch->num_rows()));
      rows.push_back(std::move(row_batch));
    }
    return rows;
  }

 private:
  SchemaPtr output_;
};

/// Spark's text source: one row per line ("\n", "\r\n" or "\r" end a line, or lineSep),
/// or one row per file with wholetext.
class TextFormatReader final : public FileFormatReader {
 public:
  TextFormatReader(bool whole_text, std::optional<std::string> line_separator)
      : output_(MakeSchema({Field{"value", StringType(), true, {}}})),
        whole_text_(whole_text),
        line_separator_(std::move(line_separator)) {}
  const SchemaPtr& schema() const override { return output_; }
  Result<std::vector<BatchPtr>> ReadFile(FileSystem* fs, const std::string& path) const override {
    SLUICE_ASSIGN_OR_RETURN(std::string data, fs->ReadFile(path));
    std::vector<BatchPtr> rows;
    BatchBuilder builder(output_);
    auto* values = static_cast<StringBuilder*>(builder.column(0));
    auto emit = [&](std::string_view line) {
      values->Append(line);
      if (builder.num_rows() >= kDefaultBatchRows) {
        rows.push_back(builder.Finish());
      }
    };
    if (whole_text_) {
      emit(data);
    } else {
      const std::string_view text = data;
      size_t pos = 0;
      while (pos < text.size()) {
        size_t end = 0;
        size_t next = 0;
        if (line_separator_.has_value()) {
          end = text.find(*line_separator_, pos);
          next = end == std::string_view::npos ? text.size() : end + line_separator_->size();
        } else {
          end = text.find_first_of("\r\n", pos);
          next = end == std::string_view::npos ? text.size()
                 : (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') ? end + 2
                                                                                         : end + 1;
        }
        emit(text.substr(pos, (end == std::string_view::npos ? text.size() : end) - pos));
        pos = next;
      }
    }
    if (builder.num_rows() > 0) {
      rows.push_back(builder.Finish());
    }
    return rows;
  }

 private:
  SchemaPtr output_;
  bool whole_text_;
  std::optional<std::string> line_separator_;
};

Status RequireSchema(const SchemaPtr& schema) {
  if (schema == nullptr) {
    return Status::InvalidArgument(
        "Schema must be specified when creating a streaming source DataFrame. If some files "
        "already exist in the directory, then depending on the file format you may be able "
        "to create a static DataFrame on that directory with 'spark.read.load(directory)' "
        "and infer schema from it.");
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<FileFormatReader>> FileFormatReader::Make(const std::string& format,
                                                                 const SchemaPtr& schema,
                                                                 const OptionList& options) {
  if (format == "json") {
    SLUICE_RETURN_IF_ERROR(RequireSchema(schema));
    SLUICE_ASSIGN_OR_RETURN(json::JsonReadOptions read,
                            json::JsonReadOptions::FromOptions(options));
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<json::JsonDecoder> decoder,
                            json::JsonDecoder::Make(schema, read));
    return std::unique_ptr<FileFormatReader>(
        std::make_unique<JsonFormatReader>(schema, decoder->schema(), std::move(read)));
  }
  if (format == "csv") {
    SLUICE_RETURN_IF_ERROR(RequireSchema(schema));
    SLUICE_ASSIGN_OR_RETURN(csv::CsvReadOptions read, csv::CsvReadOptions::FromOptions(options));
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<csv::CsvDecoder> decoder,
                            csv::CsvDecoder::Make(schema, read));
    return std::unique_ptr<FileFormatReader>(
        std::make_unique<CsvFormatReader>(schema, decoder->schema(), std::move(read)));
  }
  if (format == "parquet") {
    SLUICE_RETURN_IF_ERROR(RequireSchema(schema));
    return std::unique_ptr<FileFormatReader>(
        std::make_unique<ParquetFormatReader>(AsNullable(schema)));
  }
  if (format == "text") {
    const OptionMap map(options, "Text");
    bool whole_text = false;
    SLUICE_RETURN_IF_ERROR(map.GetBool("wholetext", &whole_text));
    std::optional<std::string> line_separator;
    map.GetString("lineSep", &line_separator);
    if (line_separator.has_value() && line_separator->empty()) {
      return map.Invalid("lineSep", "should not be an empty string");
    }
    return std::unique_ptr<FileFormatReader>(
        std::make_unique<TextFormatReader>(whole_text, std::move(line_separator)));
  }
  return Status::InvalidArgument(
      fmt::format("file source: unsupported format '{}' (json, csv, parquet or text)", format));
}

// ---------------------------------------------------------------------------------------
// FileStreamSource

FileStreamSource::FileStreamSource(std::string format, std::string path, FileSystem* fs,
                                   std::unique_ptr<FileFormatReader> reader,
                                   FileSourceOptions options)
    : format_(std::move(format)),
      path_(path),
      fs_(fs),
      reader_(std::move(reader)),
      discovery_(fs, std::move(path), options) {}

Result<std::unique_ptr<FileStreamSource>> FileStreamSource::Make(const std::string& format,
                                                                 const std::string& path,
                                                                 const SchemaPtr& schema,
                                                                 const OptionList& options,
                                                                 FileSystem* fs) {
  if (path.empty()) {
    return Status::InvalidArgument("file source: a path is required (load(path))");
  }
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<FileFormatReader> reader,
                          FileFormatReader::Make(format, schema, options));
  SLUICE_ASSIGN_OR_RETURN(FileSourceOptions source_options,
                          FileSourceOptions::FromOptions(options));
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(LocalPathOfUri(path), error);
  if (error) {
    return Status::InvalidArgument(
        fmt::format("file source: cannot make path '{}' absolute: {}", path, error.message()));
  }
  std::string normal = absolute.lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/') {
    normal.pop_back();
  }
  return std::unique_ptr<FileStreamSource>(new FileStreamSource(
      format, std::move(normal), fs != nullptr ? fs : &LocalFileSystem::Default(),
      std::move(reader), source_options));
}

std::string FileStreamSource::Description() const {
  return fmt::format("FileStreamSource[file:{}]", path_);
}

std::string FileStreamSource::Identity() const {
  return JsonValue::Object(
             {{"format", JsonValue::String(format_)}, {"path", JsonValue::String(path_)}})
      .Serialize();
}

Status FileStreamSource::Open(const SourceContext& context) {
  if (context.metadata_dir.empty()) {
    return Status::InvalidArgument("file source: the source context has no metadata_dir");
  }
  pool_ = context.pool;
  return discovery_.Open(context.fs != nullptr ? context.fs : fs_, context.metadata_dir);
}

Result<std::optional<Offset>> FileStreamSource::LatestOffset(const std::optional<Offset>& start,
                                                             ReadLimit limit) {
  int64_t start_offset = -1;
  if (start.has_value()) {
    SLUICE_ASSIGN_OR_RETURN(start_offset, ParseFileOffset(*start));
  }
  SLUICE_ASSIGN_OR_RETURN(int64_t end,
                          discovery_.NextBatch(start_offset, limit == ReadLimit::kRateLimited));
  if (end < 0) {
    return std::optional<Offset>();
  }
  return std::optional<Offset>(FormatFileOffset(end));
}

std::optional<Offset> FileStreamSource::ReportLatestOffset() {
  if (discovery_.latest_log_offset() < 0) {
    return std::nullopt;
  }
  return FormatFileOffset(discovery_.latest_log_offset());
}

Result<std::vector<BatchPtr>> FileStreamSource::GetBatch(const std::optional<Offset>& start,
                                                         const Offset& end) {
  int64_t first = 0;
  if (start.has_value()) {
    SLUICE_ASSIGN_OR_RETURN(int64_t start_offset, ParseFileOffset(*start));
    first = start_offset + 1;
  }
  SLUICE_ASSIGN_OR_RETURN(int64_t last, ParseFileOffset(end));
  SLUICE_ASSIGN_OR_RETURN(std::vector<FileEntry> files, discovery_.FilesOf(first, last));
  // Files are decoded in parallel (the calling thread and the pool's workers take the
  // next file in turn); rows come out in log order whatever the timing.
  std::vector<std::vector<BatchPtr>> decoded(files.size());
  std::vector<Status> errors(files.size());
  ParallelFor(pool_, files.size(), [&](size_t i) {
    Result<std::vector<BatchPtr>> batches = reader_->ReadFile(fs_, LocalPathOfUri(files[i].path));
    if (batches.ok()) {
      decoded[i] = std::move(*batches);
    } else {
      errors[i] = batches.status();
    }
  });
  std::vector<BatchPtr> rows;
  for (size_t i = 0; i < files.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(errors[i]);
    rows.insert(rows.end(), decoded[i].begin(), decoded[i].end());
  }
  return rows;
}

Status FileStreamSource::PrepareForTriggerAvailableNow() {
  return discovery_.SnapshotForAvailableNow();
}

bool FileStreamSource::HasPendingInput() const {
  return discovery_.num_files_outstanding() > 0;
}

std::map<std::string, std::string> FileStreamSource::Metrics(
    const std::optional<Offset>& consumed) {
  (void)consumed;
  return {{"numFilesOutstanding", std::to_string(discovery_.num_files_outstanding())},
          {"numBytesOutstanding", std::to_string(discovery_.num_bytes_outstanding())}};
}

}  // namespace sluice::stream
