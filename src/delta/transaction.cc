// SPDX-License-Identifier: Apache-2.0
#include "delta/transaction.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <set>
#include <thread>
#include <unordered_set>
#include <utility>

#include "common/ascii.h"
#include "delta/log_files.h"
#include "delta/log_maintenance.h"
#include "types/schema_json.h"

namespace sluice::delta {

namespace {

constexpr std::string_view kConcurrencyDocs =
    "Refer to https://docs.delta.io/latest/concurrency-control.html for more details.";

// Random bits straight from the OS: safe across fork(), unlike a seeded engine.
uint64_t RandomBits() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

int64_t NowMillis(const Clock& clock) {
  return clock.NowMicros() / 1000;
}

std::string FileKey(const std::string& path, const std::optional<DeletionVectorDescriptor>& dv) {
  if (!dv.has_value())
    return path;
  return path + '\x1f' + dv->UniqueId();
}

std::optional<int64_t> NumRecords(const std::optional<std::string>& stats) {
  if (!stats.has_value())
    return std::nullopt;
  Result<JsonValue> json = JsonValue::Parse(*stats);
  if (!json.ok() || !json->is_object())
    return std::nullopt;
  const JsonValue* records = json->Find("numRecords");
  if (records == nullptr || !records->is_number())
    return std::nullopt;
  Result<int64_t> value = records->AsInt64();
  return value.ok() ? std::optional<int64_t>(*value) : std::nullopt;
}

std::string PrettyPartition(const std::vector<std::string>& columns,
                            const PartitionValues& values) {
  if (columns.empty() || values.empty())
    return "the root of the table";
  std::string out = "partition [";
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::optional<std::string>* value = FindValue(values, columns[i]);
    if (i > 0)
      out += ", ";
    out += columns[i] + "=" + (value != nullptr && value->has_value() ? **value : "null");
  }
  return out + "]";
}

bool ProtocolAtLeast(const Protocol& next, const Protocol& previous) {
  if (next.min_reader_version < previous.min_reader_version ||
      next.min_writer_version < previous.min_writer_version) {
    return false;
  }
  std::vector<std::string> old_features = EffectiveWriterFeatures(previous);
  std::vector<std::string> new_features = EffectiveWriterFeatures(next);
  for (const std::string& feature : old_features) {
    if (std::find(new_features.begin(), new_features.end(), feature) == new_features.end())
      return false;
  }
  return true;
}

bool SupportsWriterFeature(const Protocol& protocol, std::string_view feature) {
  std::vector<std::string> features = EffectiveWriterFeatures(protocol);
  return std::find(features.begin(), features.end(), feature) != features.end();
}

constexpr std::string_view kRowTrackingDomain = "delta.rowTracking";

// The rowIdHighWaterMark of a delta.rowTracking domain configuration, or nullopt.
std::optional<int64_t> HighWaterMark(const DomainMetadata& domain) {
  Result<JsonValue> json = JsonValue::Parse(domain.configuration);
  if (!json.ok() || !json->is_object())
    return std::nullopt;
  const JsonValue* mark = json->Find("rowIdHighWaterMark");
  if (mark == nullptr || !mark->is_number())
    return std::nullopt;
  Result<int64_t> value = mark->AsInt64();
  return value.ok() ? std::optional<int64_t>(*value) : std::nullopt;
}

bool IsTrueProperty(const StringMap& configuration, std::string_view key) {
  const std::string* value = FindValue(configuration, key);
  return value != nullptr && EqualsIgnoreCase(*value, "true");
}

Status ValidateMetadata(const Metadata& metadata, const Schema& schema,
                        std::string_view table_root) {
  std::set<std::string> seen;
  for (const Field& field : schema.fields()) {
    if (!seen.insert(ToLowerAscii(field.name)).second) {
      return Status::InvalidArgument(
          fmt::format("Delta table '{}': found duplicate column(s) in the data schema: `{}`",
                      table_root, field.name));
    }
  }
  std::set<std::string> partitions;
  for (const std::string& column : metadata.partition_columns) {
    if (schema.FieldIndex(column) < 0) {
      return Status::InvalidArgument(
          fmt::format("Delta table '{}': partition column `{}` is not in the schema ({})",
                      table_root, column, schema.ToString()));
    }
    if (!partitions.insert(column).second) {
      return Status::InvalidArgument(fmt::format(
          "Delta table '{}': partition column `{}` is listed twice", table_root, column));
    }
  }
  if (!partitions.empty() && partitions.size() == static_cast<size_t>(schema.num_fields())) {
    return Status::InvalidArgument(
        fmt::format("Delta table '{}': cannot use all columns for partition columns", table_root));
  }
  return Status::Ok();
}

}  // namespace

std::string RandomUuid() {
  uint64_t high = RandomBits();
  uint64_t low = RandomBits();
  high = (high & ~0xF000ULL) | 0x4000ULL;                // version 4
  low = (low & ~(0xC000ULL << 48)) | (0x8000ULL << 48);  // variant 10
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xFFFF,
                     high & 0xFFFF, low >> 48, low & 0xFFFFFFFFFFFFULL);
}

PartitionFilter PartitionEquals(PartitionValues spec) {
  std::string description;
  for (const auto& [column, value] : spec) {
    if (!description.empty())
      description += " AND ";
    description += value.has_value() ? fmt::format("{} = '{}'", column, *value)
                                     : fmt::format("{} IS NULL", column);
  }
  PartitionFilter filter;
  filter.description = description.empty() ? "true" : description;
  filter.matches = [spec = std::move(spec)](const PartitionValues& values) {
    for (const auto& [column, value] : spec) {
      const std::optional<std::string>* actual = FindValue(values, column);
      const bool actual_null = actual == nullptr || !actual->has_value();
      if (actual_null != !value.has_value())
        return false;
      if (!actual_null && **actual != *value)
        return false;
    }
    return true;
  };
  return filter;
}

RemoveFile MakeRemove(const AddFile& add, int64_t deletion_timestamp_millis, bool data_change) {
  RemoveFile remove;
  remove.path = add.path;
  remove.deletion_timestamp = deletion_timestamp_millis;
  remove.data_change = data_change;
  remove.extended_file_metadata = true;
  remove.partition_values = add.partition_values;
  remove.size = add.size;
  remove.stats = add.stats;
  remove.tags = add.tags;
  remove.deletion_vector = add.deletion_vector;
  remove.base_row_id = add.base_row_id;
  remove.default_row_commit_version = add.default_row_commit_version;
  return remove;
}

// ---------------------------------------------------------------------------------------
// Transaction

/// Everything Commit derives once from the collected changes.
struct Transaction::Prepared {
  Protocol protocol;
  Metadata metadata;
  SchemaPtr schema;
  TableProperties properties;
  IsolationLevel isolation = IsolationLevel::kSerializable;
  bool protocol_changed = false;
  bool metadata_changed = false;
  bool blind_append = false;
  bool use_in_commit_timestamps = false;
  bool enables_in_commit_timestamps = false;
  std::string txn_id;
  int64_t timestamp = 0;
  /// The commitInfo fields after timestamp (operation ... txnId).
  std::vector<JsonValue::Member> info_tail;
  /// Keys (path and deletion vector) of the removed files.
  std::unordered_set<std::string> removed_paths;
  std::vector<std::string> app_ids;  // read or set
  std::vector<std::string> domains;
  /// Row tracking: fresh row ids for the adds without a baseRowId.
  bool row_tracking = false;
  int64_t row_id_high_water_mark = -1;
  std::vector<int64_t> add_records;  // numRecords per add (0 for adds keeping their ids)
};

/// One commit that won a race against this transaction.
struct Transaction::Winner {
  int64_t version = 0;
  std::vector<Action> actions;
  std::optional<CommitInfo> info;
};

Transaction::Transaction(std::string table_root, SnapshotPtr snapshot, FileSystem& fs,
                         TransactionOptions options)
    : table_root_(std::move(table_root)),
      snapshot_(std::move(snapshot)),
      fs_(&fs),
      options_(std::move(options)) {}

Result<std::unique_ptr<Transaction>> Transaction::Start(const std::string& table_root,
                                                        FileSystem& fs,
                                                        TransactionOptions options) {
  Result<SnapshotPtr> snapshot = Snapshot::Load(table_root, fs);
  if (!snapshot.ok()) {
    if (snapshot.status().code() != StatusCode::kNotFound)
      return snapshot.status();
    // Absent only when the log has no commit at all; any other kNotFound is an error.
    Result<LogListing> listing = ListLog(LogDirectory(table_root), fs);
    if (listing.ok() && listing->latest_commit_version() >= 0)
      return snapshot.status();
    if (!listing.ok() && listing.status().code() != StatusCode::kNotFound)
      return listing.status();
    return ForNewTable(table_root, fs, std::move(options));
  }
  return FromSnapshot(std::move(*snapshot), fs, std::move(options));
}

std::unique_ptr<Transaction> Transaction::FromSnapshot(SnapshotPtr snapshot, FileSystem& fs,
                                                       TransactionOptions options) {
  std::string root = snapshot->table_root();
  return std::unique_ptr<Transaction>(
      new Transaction(std::move(root), std::move(snapshot), fs, std::move(options)));
}

std::unique_ptr<Transaction> Transaction::ForNewTable(std::string table_root, FileSystem& fs,
                                                      TransactionOptions options) {
  return std::unique_ptr<Transaction>(
      new Transaction(std::move(table_root), nullptr, fs, std::move(options)));
}

const Metadata* Transaction::metadata() const {
  if (new_metadata_.has_value())
    return &*new_metadata_;
  return snapshot_ ? &snapshot_->metadata() : nullptr;
}

const Protocol* Transaction::protocol() const {
  if (new_protocol_.has_value())
    return &*new_protocol_;
  return snapshot_ ? &snapshot_->protocol() : nullptr;
}

void Transaction::UpdateMetadata(Metadata metadata) {
  new_metadata_ = std::move(metadata);
}

void Transaction::UpdateProtocol(Protocol protocol) {
  new_protocol_ = std::move(protocol);
}

void Transaction::Add(AddFile add) {
  adds_.push_back(std::move(add));
}

void Transaction::Remove(RemoveFile remove) {
  removes_.push_back(std::move(remove));
}

void Transaction::AddCdc(AddCdcFile cdc) {
  cdcs_.push_back(std::move(cdc));
}

void Transaction::SetAppTransaction(std::string app_id, int64_t version) {
  auto it = std::find_if(app_transactions_.begin(), app_transactions_.end(),
                         [&](const SetTransaction& txn) { return txn.app_id == app_id; });
  if (it != app_transactions_.end()) {
    it->version = version;
    return;
  }
  SetTransaction txn;
  txn.app_id = std::move(app_id);
  txn.version = version;
  app_transactions_.push_back(std::move(txn));
}

void Transaction::SetDomainMetadata(DomainMetadata domain) {
  domains_.push_back(std::move(domain));
}

std::optional<int64_t> Transaction::ReadTransactionVersion(std::string_view app_id) {
  read_app_ids_.emplace_back(app_id);
  return snapshot_ ? snapshot_->TransactionVersion(app_id) : std::nullopt;
}

void Transaction::ReadWholeTable() {
  read_whole_table_ = true;
}

std::vector<AddFile> Transaction::FilterFiles(const PartitionFilter& filter) {
  read_filters_.push_back(filter);
  std::vector<AddFile> files;
  if (snapshot_) {
    for (const AddFile& file : snapshot_->files()) {
      if (filter.matches(file.partition_values))
        files.push_back(file);
    }
  }
  read_files_.insert(read_files_.end(), files.begin(), files.end());
  return files;
}

void Transaction::ReadFiles(const std::vector<AddFile>& files) {
  read_files_.insert(read_files_.end(), files.begin(), files.end());
}

bool Transaction::IsBlindAppend() const {
  return !read_whole_table_ && read_filters_.empty() && read_files_.empty() && removes_.empty();
}

Status Transaction::Prepare(const Operation& operation, int64_t now_millis,
                            Prepared* prepared) const {
  const bool new_table = snapshot_ == nullptr;
  if (new_table && !new_metadata_.has_value()) {
    return Status::InvalidArgument(fmt::format(
        "Delta table '{}' does not exist: creating it needs its metadata (schema)", table_root_));
  }
  prepared->metadata_changed = new_metadata_.has_value();
  prepared->metadata = new_metadata_.has_value() ? *new_metadata_ : snapshot_->metadata();
  Metadata& metadata = prepared->metadata;
  if (metadata.id.empty())
    metadata.id = RandomUuid();
  if (new_table && !metadata.created_time.has_value())
    metadata.created_time = now_millis;
  if (prepared->metadata_changed) {
    SLUICE_ASSIGN_OR_RETURN(metadata.configuration, NormalizeConfiguration(metadata.configuration));
  }
  Result<SchemaPtr> schema = SchemaFromJson(metadata.schema_string);
  if (!schema.ok()) {
    return Status::InvalidArgument(fmt::format("Delta table '{}': bad schemaString: {}",
                                               table_root_, schema.status().message()));
  }
  prepared->schema = std::move(*schema);
  if (prepared->metadata_changed)
    SLUICE_RETURN_IF_ERROR(ValidateMetadata(metadata, *prepared->schema, table_root_));

  // Protocol: explicit, else the snapshot's, else what the new table needs. Protocol keys
  // (delta.minReaderVersion, delta.feature.*) never stay in the configuration.
  StringMap stripped;
  SLUICE_ASSIGN_OR_RETURN(
      Protocol needed, ProtocolForNewTable(*prepared->schema, metadata.configuration, &stripped));
  if (prepared->metadata_changed)
    metadata.configuration = std::move(stripped);
  if (new_protocol_.has_value()) {
    prepared->protocol = *new_protocol_;
    prepared->protocol_changed = true;
  } else if (new_table) {
    prepared->protocol = needed;
    prepared->protocol_changed = true;
  } else {
    prepared->protocol = snapshot_->protocol();
  }
  if (!new_table && prepared->metadata_changed) {
    // New properties or columns may need more (Delta upgrades the protocol then too).
    Protocol merged = MergeProtocols(prepared->protocol,
                                     RequiredProtocol(*prepared->schema, metadata.configuration));
    if (!ProtocolAtLeast(prepared->protocol, merged)) {
      prepared->protocol = std::move(merged);
      prepared->protocol_changed = true;
    }
  }
  if (!new_table && prepared->protocol_changed &&
      !ProtocolAtLeast(prepared->protocol, snapshot_->protocol())) {
    return Status::InvalidArgument(fmt::format(
        "Delta table '{}': the protocol cannot be downgraded from reader {} / writer {}",
        table_root_, snapshot_->protocol().min_reader_version,
        snapshot_->protocol().min_writer_version));
  }
  if (!new_table) {
    // What sluice must respect is what the table had before, too.
    SLUICE_RETURN_IF_ERROR(CheckWritable(snapshot_->protocol(), snapshot_->metadata(),
                                         *snapshot_->schema(), table_root_));
  }
  SLUICE_RETURN_IF_ERROR(
      CheckWritable(prepared->protocol, metadata, *prepared->schema, table_root_));
  SLUICE_ASSIGN_OR_RETURN(prepared->properties,
                          TableProperties::FromConfiguration(metadata.configuration));

  // Append-only tables: no data-changing removes (Delta checks the table as read).
  const TableProperties* append_props = &prepared->properties;
  TableProperties read_props;
  if (!new_table) {
    SLUICE_ASSIGN_OR_RETURN(
        read_props, TableProperties::FromConfiguration(snapshot_->metadata().configuration));
    append_props = &read_props;
  }
  if (append_props->append_only && SupportsWriterFeature(prepared->protocol, "appendOnly")) {
    for (const RemoveFile& remove : removes_) {
      if (remove.data_change) {
        return Status::InvalidArgument(
            "This table is configured to only allow appends. If you would like to permit "
            "updates or deletes, use 'ALTER TABLE <table_name> SET TBLPROPERTIES "
            "(delta.appendOnly=false)'.");
      }
    }
  }

  // Each logical file at most once per commit, and partition values that fit.
  std::unordered_set<std::string> added;
  const bool check_partition_values = prepared->properties.column_mapping_mode == "none";
  for (const AddFile& add : adds_) {
    if (!added.insert(FileKey(add.path, add.deletion_vector)).second) {
      return Status::InvalidArgument(fmt::format(
          "Delta table '{}': the commit adds the file '{}' more than once", table_root_, add.path));
    }
    if (check_partition_values) {
      bool fits = add.partition_values.size() == metadata.partition_columns.size();
      for (const std::string& column : metadata.partition_columns)
        fits = fits && FindValue(add.partition_values, column) != nullptr;
      if (!fits) {
        std::vector<std::string> keys;
        for (const auto& [key, value] : add.partition_values)
          keys.push_back(key);
        return Status::InvalidArgument(fmt::format(
            "Delta table '{}': the file '{}' has partition values for [{}] but the table is "
            "partitioned by [{}]",
            table_root_, add.path, fmt::join(keys, ", "),
            fmt::join(metadata.partition_columns, ", ")));
      }
    }
  }
  for (const RemoveFile& remove : removes_) {
    if (!prepared->removed_paths.insert(FileKey(remove.path, remove.deletion_vector)).second) {
      return Status::InvalidArgument(
          fmt::format("Delta table '{}': the commit removes the file '{}' more than once",
                      table_root_, remove.path));
    }
  }
  for (const DomainMetadata& domain : domains_) {
    if (domain.domain.starts_with("delta.")) {
      return Status::InvalidArgument(fmt::format(
          "Delta table '{}': the metadata domain '{}' is system-controlled and cannot be set",
          table_root_, domain.domain));
    }
    if (!SupportsWriterFeature(prepared->protocol, "domainMetadata")) {
      return Status::InvalidArgument(
          fmt::format("Delta table '{}': setting the metadata domain '{}' needs the table feature "
                      "domainMetadata",
                      table_root_, domain.domain));
    }
    if (std::find(prepared->domains.begin(), prepared->domains.end(), domain.domain) !=
        prepared->domains.end()) {
      return Status::InvalidArgument(
          fmt::format("Delta table '{}': the commit sets the metadata domain '{}' more than once",
                      table_root_, domain.domain));
    }
    prepared->domains.push_back(domain.domain);
  }
  prepared->app_ids = read_app_ids_;
  for (const SetTransaction& txn : app_transactions_)
    prepared->app_ids.push_back(txn.app_id);

  // Isolation: a commit of only dataChange=false file actions (compaction) runs under
  // snapshot isolation, as Delta downgrades it.
  bool any_file = false;
  bool data_changed = false;
  for (const AddFile& add : adds_) {
    any_file = true;
    data_changed = data_changed || add.data_change;
  }
  for (const RemoveFile& remove : removes_) {
    any_file = true;
    data_changed = data_changed || remove.data_change;
  }
  const bool only_files = !prepared->metadata_changed && !prepared->protocol_changed &&
                          app_transactions_.empty() && domains_.empty() && cdcs_.empty();
  if (any_file && only_files && !data_changed) {
    prepared->isolation = IsolationLevel::kSnapshotIsolation;
  } else {
    prepared->isolation = options_.isolation_level.value_or(prepared->properties.isolation_level);
  }
  prepared->blind_append = IsBlindAppend();

  // Row tracking (PROTOCOL.md "Writer Requirements for Row Tracking"): fresh row ids and
  // commit versions for new files, the high water mark in the delta.rowTracking domain.
  prepared->row_tracking = SupportsWriterFeature(prepared->protocol, "rowTracking") &&
                           !IsTrueProperty(metadata.configuration, "delta.rowTrackingSuspended");
  if (prepared->row_tracking) {
    if (IsTrueProperty(metadata.configuration, "delta.enableRowTracking")) {
      if (!new_table &&
          !IsTrueProperty(snapshot_->metadata().configuration, "delta.enableRowTracking")) {
        for (const AddFile& file : snapshot_->files()) {
          if (!file.base_row_id.has_value()) {
            return Status::NotImplemented(fmt::format(
                "Delta table '{}': enabling row tracking on a table whose files have no row "
                "ids needs a backfill, which sluice does not do",
                table_root_));
          }
        }
      }
      if (prepared->metadata_changed) {
        for (std::string_view key : {"delta.rowTracking.materializedRowIdColumnName",
                                     "delta.rowTracking.materializedRowCommitVersionColumnName"}) {
          if (FindValue(metadata.configuration, key) == nullptr) {
            const bool id = key.find("RowId") != std::string_view::npos;
            metadata.configuration.emplace_back(
                std::string(key),
                (id ? "_row-id-col-" : "_row-commit-version-col-") + RandomUuid());
          }
        }
      }
    }
    if (snapshot_ != nullptr) {
      for (const DomainMetadata& domain : snapshot_->domain_metadata()) {
        if (domain.domain == kRowTrackingDomain)
          prepared->row_id_high_water_mark = HighWaterMark(domain).value_or(-1);
      }
    }
    for (const AddFile& add : adds_) {
      if (add.base_row_id.has_value()) {
        prepared->add_records.push_back(0);
        continue;
      }
      std::optional<int64_t> records = NumRecords(add.stats);
      if (!records.has_value()) {
        return Status::InvalidArgument(fmt::format(
            "Delta table '{}' tracks row ids, which needs numRecords in the stats of the added "
            "file '{}'",
            table_root_, add.path));
      }
      prepared->add_records.push_back(*records);
    }
  }

  // In-commit timestamps, when the table (or this commit) has them on.
  prepared->use_in_commit_timestamps =
      prepared->properties.enable_in_commit_timestamps &&
      SupportsWriterFeature(prepared->protocol, "inCommitTimestamp");
  if (prepared->use_in_commit_timestamps && !new_table) {
    const std::string* was = snapshot_->Property("delta.enableInCommitTimestamps");
    prepared->enables_in_commit_timestamps = was == nullptr || !EqualsIgnoreCase(*was, "true");
  }

  // commitInfo (everything after `timestamp`; the timestamp is set per attempt).
  prepared->txn_id = RandomUuid();
  prepared->timestamp = now_millis;
  std::vector<JsonValue::Member> params;
  for (const auto& [key, value] : operation.parameters)
    params.emplace_back(key, JsonValue::String(value));
  std::vector<JsonValue::Member> metrics;
  if (!operation.metrics.empty()) {
    for (const auto& [key, value] : operation.metrics)
      metrics.emplace_back(key, JsonValue::String(value));
  } else {
    int64_t rows = 0;
    bool rows_known = true;
    int64_t bytes = 0;
    for (const AddFile& add : adds_) {
      bytes += add.size;
      std::optional<int64_t> records = NumRecords(add.stats);
      rows_known = rows_known && records.has_value();
      rows += records.value_or(0);
    }
    if (!adds_.empty() || removes_.empty()) {
      metrics.emplace_back("numFiles", JsonValue::String(std::to_string(adds_.size())));
      if (rows_known)
        metrics.emplace_back("numOutputRows", JsonValue::String(std::to_string(rows)));
      metrics.emplace_back("numOutputBytes", JsonValue::String(std::to_string(bytes)));
    }
    if (!removes_.empty()) {
      int64_t removed_bytes = 0;
      for (const RemoveFile& remove : removes_)
        removed_bytes += remove.size.value_or(0);
      metrics.emplace_back("numRemovedFiles", JsonValue::String(std::to_string(removes_.size())));
      metrics.emplace_back("numRemovedBytes", JsonValue::String(std::to_string(removed_bytes)));
    }
  }
  auto& tail = prepared->info_tail;
  tail.emplace_back("operation", JsonValue::String(operation.name));
  tail.emplace_back("operationParameters", JsonValue::Object(std::move(params)));
  if (!new_table)
    tail.emplace_back("readVersion", JsonValue::Int(snapshot_->version()));
  tail.emplace_back("isolationLevel",
                    JsonValue::String(std::string(IsolationLevelName(prepared->isolation))));
  tail.emplace_back("isBlindAppend", JsonValue::Bool(prepared->blind_append));
  tail.emplace_back("operationMetrics", JsonValue::Object(std::move(metrics)));
  if (operation.user_metadata.has_value())
    tail.emplace_back("userMetadata", JsonValue::String(*operation.user_metadata));
  tail.emplace_back("engineInfo", JsonValue::String(std::string(kEngineInfo)));
  tail.emplace_back("txnId", JsonValue::String(prepared->txn_id));
  return Status::Ok();
}

Status Transaction::CheckConflict(const Prepared& prepared, const Winner& winner) const {
  auto conflict = [&](std::string_view exception, const std::string& text) {
    JsonValue info = JsonValue::Object({{"version", JsonValue::Int(winner.version)}});
    if (winner.info.has_value()) {
      for (const JsonValue::Member& member : winner.info->value.members())
        info.members().push_back(member);
    }
    return Status::Conflict(fmt::format("{}: {}\nConflicting commit: {}\n{}", exception, text,
                                        info.Serialize(), kConcurrencyDocs));
  };
  const std::vector<std::string> no_columns;
  const std::vector<std::string>& partition_columns =
      snapshot_ ? snapshot_->partition_columns() : no_columns;

  std::vector<const AddFile*> added;
  std::vector<const RemoveFile*> removed;
  const Protocol* winner_protocol = nullptr;
  bool winner_metadata = false;
  for (const Action& action : winner.actions) {
    if (const auto* protocol = std::get_if<Protocol>(&action)) {
      winner_protocol = protocol;
    } else if (std::holds_alternative<Metadata>(action)) {
      winner_metadata = true;
    } else if (const auto* add = std::get_if<AddFile>(&action)) {
      added.push_back(add);
    } else if (const auto* remove = std::get_if<RemoveFile>(&action)) {
      removed.push_back(remove);
    }
  }

  // Protocol: stricter than Delta, which lets the loser proceed when only the winner
  // upgraded: the loser validated its actions against the old protocol.
  if (winner_protocol != nullptr && (snapshot_ == nullptr || prepared.protocol_changed ||
                                     !(*winner_protocol == snapshot_->protocol()))) {
    std::string text =
        "The protocol version of the Delta table has been changed by a concurrent "
        "update. ";
    if (snapshot_ == nullptr) {
      text +=
          "This happens when multiple writers are writing to an empty directory. Creating "
          "the table ahead of time will avoid this conflict. ";
    }
    return conflict("ProtocolChangedException", text + "Please try the operation again.");
  }
  if (winner_metadata) {
    return conflict("MetadataChangedException",
                    "The metadata of the Delta table has been changed by a concurrent update. "
                    "Please try the operation again.");
  }
  for (const Action& action : winner.actions) {
    if (const auto* domain = std::get_if<DomainMetadata>(&action)) {
      if (std::find(prepared.domains.begin(), prepared.domains.end(), domain->domain) !=
          prepared.domains.end()) {
        return conflict("ConcurrentTransactionException",
                        fmt::format("A conflicting metadata domain {} is added.", domain->domain));
      }
    } else if (const auto* txn = std::get_if<SetTransaction>(&action)) {
      if (std::find(prepared.app_ids.begin(), prepared.app_ids.end(), txn->app_id) !=
          prepared.app_ids.end()) {
        return conflict("ConcurrentTransactionException",
                        "This error occurs when multiple streaming queries are using the same "
                        "checkpoint to write into this table. Did you run multiple instances "
                        "of the same streaming query at the same time?");
      }
    }
  }

  // Files added that this transaction should have read.
  if (!prepared.blind_append && prepared.isolation != IsolationLevel::kSnapshotIsolation) {
    bool winner_blind = false;
    if (winner.info.has_value()) {
      const JsonValue* blind = winner.info->value.Find("isBlindAppend");
      winner_blind = blind != nullptr && blind->is_bool() && blind->bool_value();
    }
    const bool check_blind =
        prepared.isolation == IsolationLevel::kSerializable || prepared.metadata_changed;
    if (!winner_blind || check_blind) {
      for (const AddFile* add : added) {
        bool read = read_whole_table_ || partition_columns.empty();
        for (size_t i = 0; !read && i < read_filters_.size(); ++i)
          read = read_filters_[i].matches(add->partition_values);
        if (read) {
          return conflict(
              "ConcurrentAppendException",
              fmt::format("Files were added to {} by a concurrent update. Please try the "
                          "operation again.",
                          PrettyPartition(partition_columns, add->partition_values)));
        }
      }
    }
  }

  // Files removed that this transaction read, or removes too.
  for (const RemoveFile* remove : removed) {
    for (const AddFile& read : read_files_) {
      if (read.path == remove->path) {
        return conflict(
            "ConcurrentDeleteReadException",
            fmt::format("This transaction attempted to read one or more files that were deleted "
                        "(for example {} in {}) by a concurrent update. Please try the "
                        "operation again.",
                        remove->path, PrettyPartition(partition_columns, read.partition_values)));
      }
    }
    if (read_whole_table_) {
      return conflict(
          "ConcurrentDeleteReadException",
          fmt::format("This transaction attempted to read one or more files that were deleted "
                      "(for example {}) by a concurrent update. Please try the operation again.",
                      remove->path));
    }
  }
  for (const RemoveFile* remove : removed) {
    for (const RemoveFile& mine : removes_) {
      if (mine.path == remove->path) {
        return conflict(
            "ConcurrentDeleteDeleteException",
            fmt::format("This transaction attempted to delete one or more files that were "
                        "deleted (for example {}) by a concurrent update. Please try the "
                        "operation again.",
                        remove->path));
      }
    }
  }
  return Status::Ok();
}

Result<CommitResult> Transaction::Commit(const Operation& operation) {
  if (committed_) {
    return Status::InvalidArgument(
        fmt::format("Delta table '{}': this transaction was already committed", table_root_));
  }
  const Clock& clock = options_.clock != nullptr ? *options_.clock : Clock::System();
  CommitResult result;

  // Idempotent writes: skip when every app id already recorded this version or later.
  if (!app_transactions_.empty() && snapshot_ != nullptr) {
    bool all_done = true;
    for (const SetTransaction& txn : app_transactions_) {
      std::optional<int64_t> recorded = snapshot_->TransactionVersion(txn.app_id);
      all_done = all_done && recorded.has_value() && *recorded >= txn.version;
    }
    if (all_done) {
      committed_ = true;
      result.version = snapshot_->version();
      result.skipped = true;
      return result;
    }
  }

  Prepared prepared;
  SLUICE_RETURN_IF_ERROR(Prepare(operation, NowMillis(clock), &prepared));

  // The actions after commitInfo, in Spark's order.
  std::vector<Action> body;
  const bool new_table = snapshot_ == nullptr;
  if (prepared.protocol_changed)
    body.emplace_back(prepared.protocol);
  const size_t metadata_index = body.size();
  if (prepared.metadata_changed || prepared.enables_in_commit_timestamps)
    body.emplace_back(prepared.metadata);
  for (SetTransaction txn : app_transactions_) {
    txn.last_updated = prepared.timestamp;
    body.emplace_back(std::move(txn));
  }
  for (const DomainMetadata& domain : domains_)
    body.emplace_back(domain);
  const size_t row_tracking_index = body.size();
  if (prepared.row_tracking && !adds_.empty())
    body.emplace_back(DomainMetadata{std::string(kRowTrackingDomain), "", false});
  const size_t adds_index = body.size();
  for (const AddFile& add : adds_)
    body.emplace_back(add);
  for (const RemoveFile& remove : removes_)
    body.emplace_back(remove);
  for (const AddCdcFile& cdc : cdcs_)
    body.emplace_back(cdc);

  int64_t previous_timestamp = new_table ? -1 : snapshot_->timestamp_millis();
  int64_t version = read_version() + 1;
  const std::string log_dir = LogDirectory(table_root_);
  if (new_table)
    SLUICE_RETURN_IF_ERROR(fs_->CreateDirectories(log_dir));
  std::mt19937_64 jitter(RandomBits());
  for (int attempt = 1;; ++attempt) {
    result.attempts = attempt;
    const int64_t now = std::max(NowMillis(clock), prepared.timestamp);
    std::vector<JsonValue::Member> info;
    std::optional<int64_t> ict;
    if (prepared.use_in_commit_timestamps) {
      ict = std::max(now, previous_timestamp + 1);
      info.emplace_back("inCommitTimestamp", JsonValue::Int(*ict));
      if (prepared.enables_in_commit_timestamps) {
        Metadata& metadata = std::get<Metadata>(body[metadata_index]);
        std::erase_if(metadata.configuration, [](const auto& entry) {
          return entry.first.starts_with("delta.inCommitTimestampEnablement");
        });
        metadata.configuration.emplace_back("delta.inCommitTimestampEnablementVersion",
                                            std::to_string(version));
        metadata.configuration.emplace_back("delta.inCommitTimestampEnablementTimestamp",
                                            std::to_string(*ict));
      }
    }
    info.emplace_back("timestamp", JsonValue::Int(ict.value_or(now)));
    info.insert(info.end(), prepared.info_tail.begin(), prepared.info_tail.end());
    if (prepared.row_tracking && !adds_.empty()) {
      // Fresh ids above the (possibly raised) high water mark; this version's commit
      // version for new files.
      int64_t mark = prepared.row_id_high_water_mark;
      for (size_t i = 0; i < adds_.size(); ++i) {
        AddFile& add = std::get<AddFile>(body[adds_index + i]);
        if (!adds_[i].base_row_id.has_value()) {
          add.base_row_id = mark + 1;
          mark += prepared.add_records[i];
        }
        if (!adds_[i].default_row_commit_version.has_value())
          add.default_row_commit_version = version;
      }
      std::get<DomainMetadata>(body[row_tracking_index]).configuration =
          JsonValue::Object({{"rowIdHighWaterMark", JsonValue::Int(mark)}}).Serialize();
    }
    std::vector<Action> actions;
    actions.reserve(body.size() + 1);
    actions.emplace_back(CommitInfo{JsonValue::Object(std::move(info))});
    actions.insert(actions.end(), body.begin(), body.end());
    const std::string content = SerializeActions(actions);

    Status put = fs_->PutIfAbsent(JoinPath(log_dir, CommitFileName(version)), content);
    if (put.ok())
      break;
    if (put.code() != StatusCode::kAlreadyExists)
      return put;

    // Lost the race: check every commit that won, then retry after the newest.
    while (true) {
      Result<std::string> text = fs_->ReadFile(JoinPath(log_dir, CommitFileName(version)));
      if (!text.ok()) {
        if (text.status().code() == StatusCode::kNotFound)
          break;
        return text.status();
      }
      Winner winner;
      winner.version = version;
      SLUICE_ASSIGN_OR_RETURN(winner.actions, ParseActions(*text, CommitFileName(version)));
      for (const Action& action : winner.actions) {
        if (const auto* commit_info = std::get_if<CommitInfo>(&action)) {
          winner.info = *commit_info;
          break;
        }
      }
      SLUICE_RETURN_IF_ERROR(CheckConflict(prepared, winner));
      for (const Action& action : winner.actions) {
        const auto* domain = std::get_if<DomainMetadata>(&action);
        if (domain != nullptr && domain->domain == kRowTrackingDomain) {
          prepared.row_id_high_water_mark =
              std::max(prepared.row_id_high_water_mark, HighWaterMark(*domain).value_or(-1));
        }
      }
      if (winner.info.has_value()) {
        std::optional<int64_t> winner_ts = winner.info->in_commit_timestamp();
        if (!winner_ts.has_value())
          winner_ts = winner.info->timestamp();
        previous_timestamp = std::max(previous_timestamp, winner_ts.value_or(previous_timestamp));
      }
      ++version;
    }
    if (attempt >= options_.max_commit_attempts) {
      return Status::Unavailable(fmt::format(
          "This commit has failed as it has been tried {} times but did not succeed. This can "
          "be caused by the Delta table being committed continuously by many concurrent "
          "commits. Commit started at version: {} Commit failed at version: {} Number of "
          "actions attempted to commit: {} (table '{}')",
          attempt, read_version() + 1, version, body.size() + 1, table_root_));
    }
    const int64_t cap = std::min<int64_t>(
        options_.max_backoff_millis, options_.initial_backoff_millis << std::min(attempt - 1, 20));
    if (cap > 0) {
      std::uniform_int_distribution<int64_t> wait(0, cap * 1000);
      std::this_thread::sleep_for(std::chrono::microseconds(wait(jitter)));
    }
  }
  committed_ = true;
  result.version = version;
  if (options_.post_commit)
    RunPostCommit(prepared, version, &result);
  return result;
}

void Transaction::RunPostCommit(const Prepared& prepared, int64_t version,
                                CommitResult* result) const {
  const TableProperties& props = prepared.properties;
  if (version == 0 || version % props.checkpoint_interval != 0)
    return;
  const Clock& clock = options_.clock != nullptr ? *options_.clock : Clock::System();
  const int64_t now = NowMillis(clock);
  // A checkpoint of the version just committed, then (as Delta) the log cleanup.
  Result<SnapshotPtr> snapshot = Snapshot::Load(table_root_, *fs_, version);
  Status checkpoint = snapshot.status();
  if (snapshot.ok())
    checkpoint = WriteSnapshotCheckpoint(**snapshot, *fs_, now);
  if (!checkpoint.ok()) {
    result->post_commit_status = std::move(checkpoint);
    return;
  }
  result->checkpoint_written = true;
  if (!props.enable_expired_log_cleanup ||
      SupportsWriterFeature(prepared.protocol, "checkpointProtection")) {
    return;
  }
  Result<int64_t> deleted = CleanUpExpiredLogs(table_root_, *fs_, props.log_retention_millis, now);
  if (deleted.ok()) {
    result->log_files_deleted = *deleted;
  } else {
    result->post_commit_status = deleted.status();
  }
}

}  // namespace sluice::delta
