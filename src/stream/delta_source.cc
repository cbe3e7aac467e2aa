// SPDX-License-Identifier: Apache-2.0
#include "stream/delta_source.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <limits>
#include <tuple>
#include <utility>

#include "common/ascii.h"
#include "common/json.h"
#include "delta/change_data_feed.h"
#include "delta/log_files.h"
#include "delta/partition_values.h"
#include "delta/protocol.h"
#include "formats/option_map.h"
#include "formats/parquet/statistics.h"
#include "types/datetime.h"
#include "types/schema_json.h"

namespace sluice::stream {

namespace {

constexpr int64_t kBaseIndex = -1;
constexpr int64_t kDefaultMaxFilesPerTrigger = 1000;

Status IllegalOption(std::string_view name, std::string_view value, std::string_view explain) {
  return Status::InvalidArgument(fmt::format(
      "[DELTA_ILLEGAL_OPTION] Invalid value '{}' for option '{}', {}", value, name, explain));
}

// Java's JavaUtils.byteStringAsBytes: digits and an optional unit (b, k/kb, m/mb, g/gb,
// t/tb, p/pb), any case; no unit means bytes.
std::optional<int64_t> ParseByteString(std::string_view text) {
  const std::string lower = ToLowerAscii(text);
  size_t digits = 0;
  while (digits < lower.size() && std::isdigit(static_cast<unsigned char>(lower[digits])) != 0)
    ++digits;
  if (digits == 0 || digits > 18)
    return std::nullopt;
  const int64_t number = std::stoll(lower.substr(0, digits));
  const std::string unit = lower.substr(digits);
  int shift = 0;
  if (unit.empty() || unit == "b") {
    shift = 0;
  } else if (unit == "k" || unit == "kb") {
    shift = 10;
  } else if (unit == "m" || unit == "mb") {
    shift = 20;
  } else if (unit == "g" || unit == "gb") {
    shift = 30;
  } else if (unit == "t" || unit == "tb") {
    shift = 40;
  } else if (unit == "p" || unit == "pb") {
    shift = 50;
  } else {
    return std::nullopt;
  }
  if (number > (std::numeric_limits<int64_t>::max() >> shift))
    return std::nullopt;
  return number << shift;
}

std::string QualifiedPath(const std::string& root) {
  return root.starts_with("/") ? "file:" + root : root;
}

// Delta's SchemaUtils.isReadCompatible: data written with `existing` can be read with
// `read` (every column of `existing` is in `read` with the same type, and `read` does not
// make a nullable column non-nullable).
bool IsReadCompatible(const Schema& existing, const Schema& read) {
  for (const Field& field : existing.fields()) {
    const Field* match = nullptr;
    for (const Field& candidate : read.fields()) {
      if (EqualsIgnoreCase(candidate.name, field.name)) {
        match = &candidate;
        break;
      }
    }
    if (match == nullptr || !match->type->Equals(*field.type))
      return false;
    if (field.nullable && !match->nullable)
      return false;
  }
  return true;
}

}  // namespace

Result<DeltaSourceOptions> DeltaSourceOptions::Parse(const OptionList& list) {
  const OptionMap map(list, "Delta");
  DeltaSourceOptions options;
  if (const std::string* value = map.Find("maxFilesPerTrigger")) {
    int64_t files = 0;
    if (!map.GetInt("maxFilesPerTrigger", &files).ok() || files <= 0)
      return IllegalOption("maxFilesPerTrigger", *value, "must be a positive integer");
    options.max_files_per_trigger = files;
  }
  if (const std::string* value = map.Find("maxBytesPerTrigger")) {
    const std::optional<int64_t> bytes = ParseByteString(*value);
    if (!bytes.has_value() || *bytes <= 0)
      return IllegalOption("maxBytesPerTrigger", *value,
                           "must be a size configuration such as 10g");
    options.max_bytes_per_trigger = bytes;
  }
  SLUICE_RETURN_IF_ERROR(map.GetBool("ignoreDeletes", &options.ignore_deletes));
  SLUICE_RETURN_IF_ERROR(map.GetBool("ignoreChanges", &options.ignore_changes));
  SLUICE_RETURN_IF_ERROR(map.GetBool("skipChangeCommits", &options.skip_change_commits));
  SLUICE_RETURN_IF_ERROR(map.GetBool("ignoreFileDeletion", &options.ignore_file_deletion));
  SLUICE_RETURN_IF_ERROR(map.GetBool("failOnDataLoss", &options.fail_on_data_loss));
  SLUICE_RETURN_IF_ERROR(map.GetBool("readChangeData", &options.read_change_feed));
  SLUICE_RETURN_IF_ERROR(map.GetBool("readChangeFeed", &options.read_change_feed));
  const std::string* starting_version = map.Find("startingVersion");
  const std::string* starting_timestamp = map.Find("startingTimestamp");
  if (starting_version != nullptr && starting_timestamp != nullptr) {
    return Status::InvalidArgument(
        "[DELTA_STARTING_VERSION_AND_TIMESTAMP_BOTH_SET] Please either provide "
        "'startingVersion' or 'startingTimestamp'.");
  }
  if (starting_version != nullptr) {
    if (EqualsIgnoreCase(*starting_version, "latest")) {
      options.starting_version = -1;
    } else {
      const std::string& text = *starting_version;
      const bool digits =
          !text.empty() && text.size() <= 18 && std::all_of(text.begin(), text.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
          });
      if (!digits) {
        return IllegalOption("startingVersion", text,
                             "must be greater than or equal to zero, or 'latest'");
      }
      options.starting_version = std::stoll(text);
    }
  }
  if (starting_timestamp != nullptr) {
    int64_t micros = 0;
    if (!ParseTimestamp(*starting_timestamp, &micros)) {
      return Status::InvalidArgument(fmt::format(
          "[DELTA_TIMESTAMP_INVALID] The provided timestamp ({}) cannot be converted to a valid "
          "timestamp.",
          *starting_timestamp));
    }
    options.starting_timestamp_millis = micros / 1000;
  }
  if (const std::string* value = map.Find("excludeRegex"))
    options.exclude_regex = *value;
  return options;
}

// What one commit holds, for the source.
struct DeltaSource::CommitChanges {
  std::vector<delta::AddFile> adds;  // dataChange=true, in commit order
  std::optional<std::string> removed_path;
  std::optional<delta::Metadata> metadata;
  std::optional<delta::Protocol> protocol;
  int64_t change_files = 0;  // readChangeFeed: cdc files, else data-change adds and removes
  int64_t change_bytes = 0;
};

Result<std::unique_ptr<DeltaSource>> DeltaSource::Make(const SourceSpec& spec) {
  std::unique_ptr<DeltaSource> source(new DeltaSource());
  source->fs_ = spec.fs != nullptr ? spec.fs : &LocalFileSystem::Default();
  if (spec.path.empty())
    return Status::InvalidArgument("'path' is not specified");
  std::string root = spec.path;
  if (root.starts_with("file:"))
    root = root.substr(5);
  if (root.find("://") == std::string::npos) {  // a local path: absolute and normalized
    std::error_code error;
    root = std::filesystem::absolute(root, error).lexically_normal().string();
  }
  while (root.size() > 1 && root.ends_with("/"))
    root.pop_back();
  source->table_root_ = root;
  SLUICE_ASSIGN_OR_RETURN(source->options_, DeltaSourceOptions::Parse(spec.options));
  if (source->options_.exclude_regex.has_value()) {
    RE2::Options re2_options;
    re2_options.set_log_errors(false);
    auto regex = std::make_shared<const RE2>(*source->options_.exclude_regex, re2_options);
    if (!regex->ok()) {
      return Status::InvalidArgument(
          "[DELTA_REGEX_OPT_SYNTAX_ERROR] Please recheck your syntax for 'excludeRegex'");
    }
    source->exclude_ = std::move(regex);
  }
  SLUICE_ASSIGN_OR_RETURN(bool is_table, delta::IsDeltaTable(root, *source->fs_));
  Result<delta::SnapshotPtr> snapshot = is_table ? delta::Snapshot::Load(root, *source->fs_)
                                                 : Result<delta::SnapshotPtr>(Status::NotFound(""));
  if (!snapshot.ok()) {
    if (snapshot.status().code() != StatusCode::kNotFound)
      return snapshot.status();
    return Status::NotFound(
        fmt::format("[DELTA_TABLE_NOT_FOUND] Delta table `{}` doesn't exist.", root));
  }
  source->snapshot_at_init_ = *snapshot;
  source->table_id_ = (*snapshot)->metadata().id;
  SLUICE_ASSIGN_OR_RETURN(source->scan_, delta::Scan::Make(*snapshot, {}, *source->fs_));
  if (source->options_.read_change_feed) {
    SLUICE_ASSIGN_OR_RETURN(source->schema_, delta::ChangeDataSchema(**snapshot));
  } else {
    source->schema_ = source->scan_->schema();
  }
  return source;
}

std::string DeltaSource::Description() const {
  return fmt::format("DeltaSource[{}]", QualifiedPath(table_root_));
}

std::string DeltaSource::Identity() const {
  JsonValue identity = JsonValue::Object({{"format", JsonValue::String("delta")},
                                          {"path", JsonValue::String(table_root_)},
                                          {"tableId", JsonValue::String(table_id_)}});
  return identity.Serialize();
}

Status DeltaSource::Open(const SourceContext& context) {
  if (context.fs != nullptr)
    fs_ = context.fs;
  metadata_dir_ = context.metadata_dir;
  return Status::Ok();
}

Offset DeltaSource::SerializeOffset(const DeltaSourcePosition& position) const {
  JsonValue offset = JsonValue::Object({
      {"sourceVersion", JsonValue::Int(1)},
      {"reservoirId", JsonValue::String(table_id_)},
      {"reservoirVersion", JsonValue::Int(position.version)},
      {"index", JsonValue::Int(position.index)},
      {"isStartingVersion", JsonValue::Bool(position.is_initial_snapshot)},
  });
  return offset.Serialize();
}

Result<DeltaSourcePosition> DeltaSource::ParseOffset(const Offset& offset) const {
  const Status invalid = Status::InvalidArgument(
      fmt::format("[DELTA_INVALID_SOURCE_OFFSET_FORMAT] The stored source offset format is "
                  "invalid: {}",
                  offset));
  Result<JsonValue> json = JsonValue::Parse(offset);
  if (!json.ok() || !json->is_object())
    return invalid;
  const JsonValue* source_version = json->Find("sourceVersion");
  const JsonValue* id = json->Find("reservoirId");
  const JsonValue* version = json->Find("reservoirVersion");
  const JsonValue* index = json->Find("index");
  const JsonValue* starting = json->Find("isStartingVersion");
  if (source_version == nullptr || id == nullptr || !id->is_string() || version == nullptr ||
      index == nullptr || starting == nullptr || !starting->is_bool()) {
    return invalid;
  }
  Result<int64_t> format = source_version->AsInt64();
  if (!format.ok())
    return invalid;
  if (*format != 1 && *format != 3) {
    return Status::InvalidArgument(fmt::format(
        "[DELTA_INVALID_SOURCE_VERSION] sourceVersion({}) is invalid", source_version->text()));
  }
  if (id->text() != table_id_) {
    return Status::InvalidArgument(fmt::format(
        "[DIFFERENT_DELTA_TABLE_READ_BY_STREAMING_SOURCE] The streaming query was reading from "
        "an unexpected Delta table (id = '{}'). It used to read from another Delta table "
        "(id = '{}') according to checkpoint. This may happen when you changed the code to read "
        "from a new table or you deleted and re-created a table. Please revert your change or "
        "delete your streaming query checkpoint to restart from scratch.",
        table_id_, id->text()));
  }
  Result<int64_t> v = version->AsInt64();
  Result<int64_t> i = index->AsInt64();
  if (!v.ok() || !i.ok())
    return invalid;
  return DeltaSourcePosition{*v, *i, starting->bool_value()};
}

Result<DeltaSourcePosition> DeltaSource::StartingPosition() {
  // startingVersion "latest" and startingTimestamp resolve against the log as it is when
  // the query first starts; the result is kept in the source's metadata directory, so a
  // restart (which may re-read ranges from the start) starts from the same version.
  const std::string saved_path =
      metadata_dir_.empty() ? std::string() : metadata_dir_ + "/startingVersion";
  const bool resolved_from_log =
      options_.starting_timestamp_millis.has_value() ||
      (options_.starting_version.has_value() && *options_.starting_version < 0);
  if (!starting_version_.has_value() && resolved_from_log && !saved_path.empty()) {
    Result<std::string> saved = fs_->ReadFile(saved_path);
    if (saved.ok()) {
      int64_t version = 0;
      auto [ptr, ec] = std::from_chars(saved->data(), saved->data() + saved->size(), version);
      if (ec != std::errc() || ptr != saved->data() + saved->size()) {
        return Status::Corruption(
            fmt::format("{}: expected a version number, found '{}'", saved_path, *saved));
      }
      starting_version_ = std::optional<int64_t>(version);
    } else if (saved.status().code() != StatusCode::kNotFound) {
      return saved.status();
    }
  }
  if (!starting_version_.has_value()) {
    std::optional<int64_t> version;
    if (options_.starting_version.has_value()) {
      SLUICE_ASSIGN_OR_RETURN(delta::LogListing listing,
                              delta::ListLog(delta::LogDirectory(table_root_), *fs_));
      const int64_t latest = listing.latest_version();
      if (*options_.starting_version < 0) {
        version = latest + 1;
      } else {
        const int64_t earliest = listing.commits.empty() ? 0 : listing.commits.front().version;
        if (*options_.starting_version > latest || *options_.starting_version < earliest) {
          return Status::InvalidArgument(fmt::format(
              "[DELTA_VERSION_NOT_FOUND] Cannot time travel Delta table to version {}. Available "
              "versions: [{}, {}].",
              *options_.starting_version, earliest, latest));
        }
        version = *options_.starting_version;
      }
    } else if (options_.starting_timestamp_millis.has_value()) {
      SLUICE_ASSIGN_OR_RETURN(
          version, delta::VersionAtOrAfter(table_root_, *options_.starting_timestamp_millis, *fs_));
    }
    if (resolved_from_log && version.has_value() && !saved_path.empty()) {
      Status put = fs_->PutIfAbsent(saved_path, std::to_string(*version));
      if (!put.ok() && put.code() != StatusCode::kAlreadyExists) {
        return put;
      }
      if (!put.ok()) {
        return StartingPosition();  // another instance saved it first: use that
      }
    }
    starting_version_ = version;
  }
  if (starting_version_->has_value())
    return DeltaSourcePosition{**starting_version_, kBaseIndex, false};
  return DeltaSourcePosition{snapshot_at_init_->version(), kBaseIndex, true};
}

Result<delta::SnapshotPtr> DeltaSource::SnapshotAt(int64_t version) {
  if (initial_snapshot_ == nullptr || initial_snapshot_->version() != version) {
    delta::SnapshotPtr snapshot;
    if (version == snapshot_at_init_->version()) {
      snapshot = snapshot_at_init_;
    } else {
      SLUICE_ASSIGN_OR_RETURN(snapshot, delta::Snapshot::Load(table_root_, *fs_, version));
      // An older snapshot (a restart inside the initial snapshot) must be readable with
      // the source's schema.
      SLUICE_RETURN_IF_ERROR(CheckSchema(snapshot->metadata(), version));
    }
    std::vector<const delta::AddFile*> files;
    for (const delta::AddFile& add : snapshot->files())
      files.push_back(&add);
    std::stable_sort(
        files.begin(), files.end(), [](const delta::AddFile* a, const delta::AddFile* b) {
          return std::tie(a->modification_time, a->path) < std::tie(b->modification_time, b->path);
        });
    initial_files_.clear();
    for (size_t i = 0; i < files.size(); ++i) {
      IndexedFile file;
      file.version = version;
      file.index = static_cast<int64_t>(i);
      file.is_last = i + 1 == files.size();
      file.in_snapshot = true;
      file.is_file = true;
      file.add = *files[i];
      file.size = files[i]->size;
      initial_files_.push_back(std::move(file));
    }
    initial_snapshot_ = std::move(snapshot);
  }
  return initial_snapshot_;
}

Result<DeltaSource::CommitChanges> DeltaSource::ReadCommit(int64_t version) {
  const std::string path = delta::LogDirectory(table_root_) + "/" + delta::CommitFileName(version);
  SLUICE_ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(path));
  SLUICE_ASSIGN_OR_RETURN(std::vector<delta::Action> actions,
                          delta::ParseActions(text, delta::CommitFileName(version)));
  CommitChanges changes;
  int64_t data_files = 0;
  int64_t data_bytes = 0;
  int64_t cdc_files = 0;
  int64_t cdc_bytes = 0;
  for (delta::Action& action : actions) {
    if (auto* add = std::get_if<delta::AddFile>(&action)) {
      if (add->data_change) {
        ++data_files;
        data_bytes += add->size;
        changes.adds.push_back(std::move(*add));
      }
    } else if (auto* remove = std::get_if<delta::RemoveFile>(&action)) {
      if (remove->data_change) {
        ++data_files;
        data_bytes += remove->size.value_or(0);
        if (!changes.removed_path.has_value())
          changes.removed_path = remove->path;
      }
    } else if (auto* cdc = std::get_if<delta::AddCdcFile>(&action)) {
      ++cdc_files;
      cdc_bytes += cdc->size;
    } else if (auto* metadata = std::get_if<delta::Metadata>(&action)) {
      changes.metadata = std::move(*metadata);
    } else if (auto* protocol = std::get_if<delta::Protocol>(&action)) {
      changes.protocol = std::move(*protocol);
    }
  }
  changes.change_files = cdc_files > 0 ? cdc_files : data_files;
  changes.change_bytes = cdc_files > 0 ? cdc_bytes : data_bytes;
  return changes;
}

Status DeltaSource::CheckSchema(const delta::Metadata& metadata, int64_t version) const {
  SLUICE_ASSIGN_OR_RETURN(SchemaPtr changed, SchemaFromJson(metadata.schema_string));
  const SchemaPtr& read = snapshot_at_init_->schema();
  if (IsReadCompatible(*changed, *read))
    return Status::Ok();
  const bool starting =
      options_.starting_version.has_value() || options_.starting_timestamp_millis.has_value();
  std::string message = fmt::format(
      "[{}] Detected schema change in version {}:\nstreaming source schema: {}\n\ndata file "
      "schema: {}\n\nPlease try restarting the query. If this issue repeats across query "
      "restarts without\nmaking progress, you have made an incompatible schema change and need "
      "to start your\nquery from scratch using a new checkpoint directory.\n",
      starting ? "DELTA_SCHEMA_CHANGED_WITH_STARTING_OPTIONS" : "DELTA_SCHEMA_CHANGED_WITH_VERSION",
      version, read->ToTreeString(), changed->ToTreeString());
  if (starting) {
    message += fmt::format(
        "If the issue persists after\nchanging to a new checkpoint directory, you may need to "
        "change the existing\n'startingVersion' or 'startingTimestamp' option to start from a "
        "version newer than\n{} with a new checkpoint directory.\n",
        version);
  }
  return Status::InvalidArgument(std::move(message));
}

Status DeltaSource::CollectChanges(const DeltaSourcePosition& from,
                                   const std::optional<DeltaSourcePosition>& bound,
                                   std::optional<Limits> limits, std::vector<IndexedFile>* out) {
  auto after_start = [&](const IndexedFile& file) {
    return file.version > from.version || file.index > from.index;
  };
  auto within_bound = [&](const IndexedFile& file) {
    return !bound.has_value() || file.version < bound->version ||
           (file.version == bound->version && file.index <= bound->index);
  };
  // Delta's AdmissionLimits.admit for one file: admitted while there is capacity left.
  auto admit = [&](const IndexedFile& file) {
    if (!limits.has_value())
      return true;
    const bool capacity = limits->files > 0 && limits->bytes > 0;
    limits->commit_taken = true;
    if (file.is_file) {
      limits->files -= 1;
      limits->bytes -= file.size;
    }
    return capacity;
  };
  // One file at a time; false: the scan stops here.
  auto offer = [&](IndexedFile file) {
    if (!after_start(file))
      return true;
    if (!within_bound(file) || !admit(file))
      return false;
    out->push_back(std::move(file));
    return true;
  };

  int64_t version = from.version;
  if (from.is_initial_snapshot) {
    SLUICE_RETURN_IF_ERROR(SnapshotAt(from.version).status());
    for (const IndexedFile& file : initial_files_) {
      if (!offer(file))
        return Status::Ok();
    }
    version = from.version + 1;
  }
  SLUICE_ASSIGN_OR_RETURN(delta::LogListing listing,
                          delta::ListLog(delta::LogDirectory(table_root_), *fs_));
  int64_t latest = listing.latest_commit_version();
  if (available_now_cap_.has_value())
    latest = std::min(latest, *available_now_cap_);
  size_t next_commit = 0;
  for (; version <= latest; ++version) {
    IndexedFile start;
    start.version = version;
    start.index = kBaseIndex;
    if (bound.has_value() &&
        (version > bound->version || (version == bound->version && bound->index == kBaseIndex))) {
      // Nothing of this commit is in range but (perhaps) its start.
      offer(start);
      return Status::Ok();
    }
    while (next_commit < listing.commits.size() && listing.commits[next_commit].version < version) {
      ++next_commit;
    }
    if (next_commit == listing.commits.size() || listing.commits[next_commit].version != version) {
      const int64_t seen =
          next_commit < listing.commits.size() ? listing.commits[next_commit].version : latest;
      if (!options_.fail_on_data_loss) {
        version = seen - 1;
        continue;
      }
      return Status::NotFound(fmt::format(
          "[DELTA_MISSING_FILES_UNEXPECTED_VERSION] The stream from your Delta table was "
          "expecting process data from version {}, but the earliest available version in the "
          "_delta_log directory is {}. The files in the transaction log may have been deleted due "
          "to log cleanup. In order to avoid losing data, we recommend that you restart your "
          "stream with a new checkpoint location and to increase your delta.logRetentionDuration "
          "setting, if you have explicitly set it below 30 days. If you would like to ignore the "
          "missed data and continue your stream from where it left off, you can set the "
          ".option(\"failOnDataLoss\", \"false\") as part of your readStream statement.",
          version, seen));
    }
    SLUICE_ASSIGN_OR_RETURN(CommitChanges changes, ReadCommit(version));
    if (changes.protocol.has_value())
      SLUICE_RETURN_IF_ERROR(delta::CheckReadable(*changes.protocol, table_root_));
    if (changes.metadata.has_value())
      SLUICE_RETURN_IF_ERROR(CheckSchema(*changes.metadata, version));
    if (!offer(start))
      return Status::Ok();
    if (options_.read_change_feed) {
      // A commit's change data is admitted whole (Delta's admit(fileActions)).
      if (changes.change_files == 0)
        continue;
      if (limits.has_value()) {
        const bool fits =
            limits->files - changes.change_files >= 0 && limits->bytes - changes.change_bytes >= 0;
        const bool admitted = !limits->commit_taken || fits;
        limits->commit_taken = true;
        limits->files -= changes.change_files;
        limits->bytes -= changes.change_bytes;
        if (!admitted)
          return Status::Ok();
      }
      for (int64_t i = 0; i < changes.change_files; ++i) {
        IndexedFile file;
        file.version = version;
        file.index = i;
        file.is_last = i + 1 == changes.change_files;
        file.is_file = true;
        if (!after_start(file))
          continue;
        if (!within_bound(file))
          return Status::Ok();
        out->push_back(std::move(file));
      }
      continue;
    }
    bool skip = false;
    if (changes.removed_path.has_value()) {
      const bool allow_changes =
          options_.ignore_changes || options_.ignore_file_deletion || options_.skip_change_commits;
      const bool allow_deletes = allow_changes || options_.ignore_deletes;
      const bool seen_add = !changes.adds.empty();
      if (seen_add && !allow_changes) {
        return Status::InvalidArgument(fmt::format(
            "[DELTA_SOURCE_TABLE_IGNORE_CHANGES] Detected a data update (for example {}) in the "
            "source table at version {}. This is currently not supported. If you'd like to "
            "ignore updates, set the option 'skipChangeCommits' to 'true'. If you would like the "
            "data update to be reflected, please restart this query with a fresh checkpoint "
            "directory. The source table can be found at path {}.",
            *changes.removed_path, version, QualifiedPath(table_root_)));
      }
      if (!seen_add && !allow_deletes) {
        return Status::InvalidArgument(fmt::format(
            "[DELTA_SOURCE_IGNORE_DELETE] Detected deleted data (for example {}) from streaming "
            "source at version {}. This is currently not supported. If you'd like to ignore "
            "deletes, set the option 'ignoreDeletes' to 'true'. The source table can be found at "
            "path {}.",
            *changes.removed_path, version, QualifiedPath(table_root_)));
      }
      skip = options_.skip_change_commits;
    }
    if (skip)
      continue;
    for (size_t i = 0; i < changes.adds.size(); ++i) {
      IndexedFile file;
      file.version = version;
      file.index = static_cast<int64_t>(i);
      file.is_last = i + 1 == changes.adds.size();
      file.is_file = true;
      file.size = changes.adds[i].size;
      file.add = std::move(changes.adds[i]);
      if (!offer(std::move(file)))
        return Status::Ok();
    }
  }
  return Status::Ok();
}

DeltaSourcePosition DeltaSource::NextPosition(const IndexedFile& last,
                                              const DeltaSourcePosition& from) const {
  // After the last file of a version the position moves to the next version's start.
  if (last.is_last)
    return DeltaSourcePosition{last.version + 1, kBaseIndex, false};
  return DeltaSourcePosition{last.version, last.index,
                             last.version == from.version && from.is_initial_snapshot};
}

Result<std::optional<Offset>> DeltaSource::LatestOffset(const std::optional<Offset>& start,
                                                        ReadLimit limit) {
  DeltaSourcePosition from;
  if (start.has_value()) {
    SLUICE_ASSIGN_OR_RETURN(from, ParseOffset(*start));
  } else {
    SLUICE_ASSIGN_OR_RETURN(from, StartingPosition());
  }
  std::optional<Limits> limits;
  if (limit == ReadLimit::kRateLimited) {
    int64_t files = options_.max_files_per_trigger.value_or(
        options_.max_bytes_per_trigger.has_value() ? std::numeric_limits<int32_t>::max() - 8
                                                   : kDefaultMaxFilesPerTrigger);
    limits =
        Limits{files, options_.max_bytes_per_trigger.value_or(std::numeric_limits<int64_t>::max())};
  }
  std::vector<IndexedFile> changes;
  SLUICE_RETURN_IF_ERROR(CollectChanges(from, std::nullopt, limits, &changes));
  if (changes.empty())
    return start;
  return std::optional<Offset>(SerializeOffset(NextPosition(changes.back(), from)));
}

Result<DeltaSourcePosition> DeltaSource::BatchStart(const std::optional<Offset>& start,
                                                    const DeltaSourcePosition& end) {
  if (start.has_value())
    return ParseOffset(*start);
  SLUICE_ASSIGN_OR_RETURN(DeltaSourcePosition starting, StartingPosition());
  if (!starting.is_initial_snapshot)
    return starting;
  // The initial snapshot: of the end's version while the end is inside it, else of the
  // version before (so the end's index still counts files of that snapshot).
  if (end.is_initial_snapshot)
    return DeltaSourcePosition{end.version, kBaseIndex, true};
  return DeltaSourcePosition{end.version - 1, kBaseIndex, true};
}

Result<std::vector<BatchPtr>> DeltaSource::GetBatch(const std::optional<Offset>& start,
                                                    const Offset& end) {
  SLUICE_ASSIGN_OR_RETURN(DeltaSourcePosition end_position, ParseOffset(end));
  SLUICE_ASSIGN_OR_RETURN(DeltaSourcePosition from, BatchStart(start, end_position));
  if (start.has_value() && from == end_position)
    return std::vector<BatchPtr>();
  std::vector<IndexedFile> changes;
  SLUICE_RETURN_IF_ERROR(CollectChanges(from, end_position, std::nullopt, &changes));
  return ReadFiles(changes);
}

Result<std::vector<BatchPtr>> DeltaSource::ReadFiles(const std::vector<IndexedFile>& files) {
  std::vector<BatchPtr> out;
  std::optional<int64_t> first_change_version;
  int64_t last_change_version = -1;
  for (const IndexedFile& file : files) {
    if (!file.is_file)
      continue;
    if (file.add.has_value() && exclude_ != nullptr &&
        RE2::PartialMatch(file.add->path, *exclude_)) {
      continue;
    }
    if (!file.add.has_value()) {  // change data of a commit, read below
      if (!first_change_version.has_value())
        first_change_version = file.version;
      last_change_version = file.version;
      continue;
    }
    std::vector<BatchPtr> rows;
    Status status = scan_->ReadAnyFile(*file.add, [&](BatchPtr batch) {
      rows.push_back(std::move(batch));
      return Status::Ok();
    });
    if (!status.ok()) {
      Result<std::string> path = delta::ResolveDataPath(table_root_, file.add->path);
      if (path.ok()) {
        Result<bool> exists = fs_->Exists(*path);
        if (exists.ok() && !*exists) {
          return Status::NotFound(fmt::format(
              "[DELTA_FILE_NOT_FOUND_DETAILED] File {} referenced in the transaction log cannot "
              "be found. This occurs when data has been manually deleted from the file system "
              "rather than using the table `DELETE` statement. For more information, see "
              "https://docs.delta.io/latest/delta-intro.html#frequently-asked-questions",
              *path));
        }
      }
      return status;
    }
    if (!options_.read_change_feed) {
      for (BatchPtr& batch : rows)
        out.push_back(std::move(batch));
      continue;
    }
    // The initial snapshot read as change data: every row an insert of its version.
    for (const BatchPtr& batch : rows) {
      const int64_t count = batch->num_rows();
      if (count == 0)
        continue;
      std::vector<VectorPtr> columns;
      for (int i = 0; i < batch->schema()->num_fields(); ++i)
        columns.push_back(batch->column(i));
      SLUICE_ASSIGN_OR_RETURN(
          VectorPtr type,
          delta::MakeConstantVector(StringType(),
                                    parquet::Literal{StringType(), std::string("insert")}, count));
      SLUICE_ASSIGN_OR_RETURN(
          VectorPtr version,
          delta::MakeConstantVector(LongType(), parquet::Literal{LongType(), file.version}, count));
      SLUICE_ASSIGN_OR_RETURN(
          VectorPtr timestamp,
          delta::MakeConstantVector(
              TimestampType(),
              parquet::Literal{TimestampType(), initial_snapshot_->timestamp_millis() * 1000},
              count));
      columns.push_back(std::move(type));
      columns.push_back(std::move(version));
      columns.push_back(std::move(timestamp));
      SLUICE_ASSIGN_OR_RETURN(BatchPtr with_changes,
                              Batch::Make(schema_, std::move(columns), count));
      out.push_back(std::move(with_changes));
    }
  }
  if (first_change_version.has_value()) {
    SLUICE_ASSIGN_OR_RETURN(
        std::vector<BatchPtr> changes,
        delta::ReadChangeData(table_root_, *first_change_version, last_change_version, *fs_));
    for (BatchPtr& batch : changes)
      out.push_back(std::move(batch));
  }
  return out;
}

Status DeltaSource::PrepareForTriggerAvailableNow() {
  SLUICE_ASSIGN_OR_RETURN(delta::LogListing listing,
                          delta::ListLog(delta::LogDirectory(table_root_), *fs_));
  available_now_cap_ = listing.latest_commit_version();
  return Status::Ok();
}

std::map<std::string, std::string> DeltaSource::Metrics(const std::optional<Offset>& consumed) {
  DeltaSourcePosition from;
  if (consumed.has_value()) {
    Result<DeltaSourcePosition> parsed = ParseOffset(*consumed);
    if (!parsed.ok())
      return {};
    from = *parsed;
  } else {
    Result<DeltaSourcePosition> starting = StartingPosition();
    if (!starting.ok())
      return {};
    from = *starting;
  }
  std::vector<IndexedFile> changes;
  if (!CollectChanges(from, std::nullopt, std::nullopt, &changes).ok())
    return {};
  int64_t files = 0;
  int64_t bytes = 0;
  for (const IndexedFile& file : changes) {
    if (file.is_file) {
      ++files;
      bytes += file.size;
    }
  }
  return {{"numBytesOutstanding", std::to_string(bytes)},
          {"numFilesOutstanding", std::to_string(files)}};
}

}  // namespace sluice::stream
