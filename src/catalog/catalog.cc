// SPDX-License-Identifier: Apache-2.0
#include "catalog/catalog.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "common/ascii.h"
#include "common/json.h"
#include "delta/snapshot.h"
#include "delta/table_properties.h"
#include "delta/writer.h"

namespace sluice::catalog {
namespace {

constexpr std::string_view kCatalogDir = "_sluice_catalog";
constexpr std::string_view kRecordSuffix = ".json";
constexpr int64_t kRecordFormat = 1;

// Spark's SessionCatalog.validateName: names are made of [A-Za-z0-9_] only. It also keeps
// record file names and table directories free of path characters.
Status ValidateName(std::string_view name) {
  bool valid = !name.empty();
  for (char c : name) {
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    valid = valid && word;
  }
  if (valid) {
    return Status::Ok();
  }
  return Status::InvalidArgument(fmt::format(
      "[INVALID_SCHEMA_OR_RELATION_NAME] `{}` is not a valid name for tables/schemas. Valid "
      "names only contain alphabet characters, numbers and _.",
      name));
}

std::string SchemaNotFound(std::string_view database) {
  return fmt::format(
      "[SCHEMA_NOT_FOUND] The schema `{}` cannot be found. Verify the spelling and "
      "correctness of the schema and catalog.\nIf you did not qualify the name with a "
      "catalog, verify the current_schema() output, or qualify the name with the correct "
      "catalog.\nTo tolerate the error on drop use DROP SCHEMA IF EXISTS.",
      database);
}

std::string TableExists(const TableEntry& entry) {
  return fmt::format(
      "[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view {} because it already "
      "exists.\nChoose a different name, drop or replace the existing object, or add the IF "
      "NOT EXISTS clause to tolerate pre-existing objects.",
      entry.QualifiedName());
}

std::string TableNotFound(std::string_view database, std::string_view name) {
  return fmt::format(
      "[TABLE_OR_VIEW_NOT_FOUND] The table or view `{}`.`{}` cannot be found. Verify the "
      "spelling and correctness of the schema and catalog.\nIf you did not qualify the name "
      "with a schema, verify the current_schema() output, or qualify the name with the "
      "correct schema and catalog.\nTo tolerate the error on drop use DROP VIEW IF EXISTS or "
      "DROP TABLE IF EXISTS.",
      database, name);
}

// An absolute, lexically normal form of a local path (locations are stored absolute).
std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) {
    return path;
  }
  std::string normal = absolute.lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/') {
    normal.pop_back();
  }
  return normal;
}

std::string EncodeDatabase(const DatabaseEntry& entry) {
  return JsonValue::Object({{"format", JsonValue::Int(kRecordFormat)},
                            {"name", JsonValue::String(entry.name)},
                            {"location", JsonValue::String(entry.location)},
                            {"comment", JsonValue::String(entry.comment)}})
      .Serialize();
}

std::string EncodeTable(const TableEntry& entry, std::string_view comment) {
  return JsonValue::Object({{"format", JsonValue::Int(kRecordFormat)},
                            {"database", JsonValue::String(entry.database)},
                            {"name", JsonValue::String(entry.name)},
                            {"location", JsonValue::String(entry.location)},
                            {"managed", JsonValue::Bool(entry.managed)},
                            {"comment", JsonValue::String(std::string(comment))}})
      .Serialize();
}

Result<std::string> StringMember(const JsonValue& record, std::string_view key,
                                 const std::string& path) {
  const JsonValue* value = record.Find(key);
  if (value == nullptr || !value->is_string()) {
    return Status::Corruption(
        fmt::format("catalog record without a string '{}' member: {}", key, path));
  }
  return value->text();
}

Result<JsonValue> ReadRecord(FileSystem& fs, const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  Result<JsonValue> record = JsonValue::Parse(text);
  if (!record.ok() || !record->is_object()) {
    return Status::Corruption(fmt::format("catalog record is not a JSON object: {}", path));
  }
  return record;
}

Result<DatabaseEntry> DecodeDatabase(const JsonValue& record, const std::string& path) {
  DatabaseEntry entry;
  SLUICE_ASSIGN_OR_RETURN(entry.name, StringMember(record, "name", path));
  SLUICE_ASSIGN_OR_RETURN(entry.location, StringMember(record, "location", path));
  SLUICE_ASSIGN_OR_RETURN(entry.comment, StringMember(record, "comment", path));
  return entry;
}

Result<TableEntry> DecodeTable(const JsonValue& record, const std::string& path) {
  TableEntry entry;
  SLUICE_ASSIGN_OR_RETURN(entry.database, StringMember(record, "database", path));
  SLUICE_ASSIGN_OR_RETURN(entry.name, StringMember(record, "name", path));
  SLUICE_ASSIGN_OR_RETURN(entry.location, StringMember(record, "location", path));
  const JsonValue* managed = record.Find("managed");
  if (managed == nullptr || !managed->is_bool()) {
    return Status::Corruption(
        fmt::format("catalog record without a boolean 'managed' member: {}", path));
  }
  entry.managed = managed->bool_value();
  return entry;
}

// The names of the records in `dir` (without the suffix), sorted; none when `dir` is
// missing. Temporary files of writers in flight are skipped.
Result<std::vector<std::string>> ListRecords(FileSystem& fs, const std::string& dir) {
  Result<std::vector<FileInfo>> listing = fs.ListDirectory(dir);
  if (!listing.ok()) {
    if (listing.status().code() == StatusCode::kNotFound) {
      return std::vector<std::string>{};
    }
    return listing.status();
  }
  std::vector<std::string> names;
  for (const FileInfo& info : *listing) {
    const std::string& name = info.name;
    if (info.is_directory || name.size() <= kRecordSuffix.size() ||
        name.compare(name.size() - kRecordSuffix.size(), kRecordSuffix.size(), kRecordSuffix) !=
            0) {
      continue;
    }
    names.push_back(name.substr(0, name.size() - kRecordSuffix.size()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Whether `dir` exists and holds anything.
Result<bool> IsNonEmptyDirectory(FileSystem& fs, const std::string& dir) {
  SLUICE_ASSIGN_OR_RETURN(bool exists, fs.Exists(dir));
  if (!exists) {
    return false;
  }
  Result<std::vector<FileInfo>> listing = fs.ListDirectory(dir);
  if (!listing.ok()) {
    return true;  // a file, or unreadable: either way the location is taken
  }
  return !listing->empty();
}

// Delta's check for CREATE TABLE on a location that holds a table: the given schema must
// be the existing one (names ignoring case, types ignoring nullability).
Status CheckSchemaMatches(const Schema& given, const Schema& existing,
                          const std::string& location) {
  bool same = given.num_fields() == existing.num_fields();
  for (int i = 0; same && i < given.num_fields(); ++i) {
    const Field& a = given.field(i);
    const Field& b = existing.field(i);
    same = EqualsIgnoreCase(a.name, b.name) && AsNullable(a.type)->Equals(*AsNullable(b.type));
  }
  if (same) {
    return Status::Ok();
  }
  return Status::InvalidArgument(fmt::format(
      "[DELTA_CREATE_TABLE_SCHEME_MISMATCH] The specified schema does not match the existing "
      "schema at {}.\n\n== Specified ==\n{}\n\n== Existing ==\n{}",
      location, given.ToTreeString(), existing.ToTreeString()));
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names)
    out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string FormatProperties(const delta::StringMap& properties) {
  std::string out;
  for (const auto& [key, value] : properties)
    out += (out.empty() ? "" : "\n") + key + "=" + value;
  return out;
}

// Delta's checks for CREATE TABLE on a location that already holds a table: what the
// definition specifies (schema, partitioning, properties) must be what the table has.
Status CheckMatchesExisting(const TableDefinition& definition, const std::string& location,
                            FileSystem& fs) {
  if (definition.schema == nullptr && definition.partition_columns.empty() &&
      definition.properties.empty()) {
    return Status::Ok();
  }
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot, delta::Snapshot::Load(location, fs));
  if (definition.schema != nullptr) {
    SLUICE_RETURN_IF_ERROR(CheckSchemaMatches(*definition.schema, *snapshot->schema(), location));
  }
  const std::vector<std::string>& existing = snapshot->partition_columns();
  bool same_partitioning = definition.partition_columns.size() == existing.size();
  for (size_t i = 0; same_partitioning && i < existing.size(); ++i) {
    same_partitioning = EqualsIgnoreCase(definition.partition_columns[i], existing[i]);
  }
  if (!definition.partition_columns.empty() && !same_partitioning) {
    return Status::InvalidArgument(fmt::format(
        "[DELTA_CREATE_TABLE_WITH_DIFFERENT_PARTITIONING] The specified partitioning does not "
        "match the existing partitioning at {}.\n\n== Specified ==\n{}\n\n== Existing ==\n{}",
        location, JoinNames(definition.partition_columns), JoinNames(existing)));
  }
  if (!definition.properties.empty()) {
    SLUICE_ASSIGN_OR_RETURN(delta::StringMap specified,
                            delta::NormalizeConfiguration(delta::StringMap(
                                definition.properties.begin(), definition.properties.end())));
    delta::StringMap actual = snapshot->metadata().configuration;
    std::sort(specified.begin(), specified.end());
    std::sort(actual.begin(), actual.end());
    if (specified != actual) {
      return Status::InvalidArgument(fmt::format(
          "[DELTA_CREATE_TABLE_WITH_DIFFERENT_PROPERTY] The specified properties do not match "
          "the existing properties at {}.\n\n== Specified ==\n{}\n\n== Existing ==\n{}",
          location, FormatProperties(specified), FormatProperties(actual)));
    }
  }
  return Status::Ok();
}

}  // namespace

std::string TableEntry::QualifiedName() const {
  return fmt::format("`{}`.`{}`", database, name);
}

Catalog::Catalog(std::string warehouse_dir, FileSystem& fs)
    : warehouse_dir_(std::move(warehouse_dir)), fs_(&fs) {}

namespace {

std::string CatalogDir(const std::string& warehouse) {
  return JoinPath(warehouse, kCatalogDir);
}
std::string DatabasesDir(const std::string& warehouse) {
  return JoinPath(CatalogDir(warehouse), "databases");
}
std::string DatabaseRecord(const std::string& warehouse, std::string_view database) {
  return JoinPath(DatabasesDir(warehouse), std::string(database) + std::string(kRecordSuffix));
}
std::string TablesDir(const std::string& warehouse, std::string_view database) {
  return JoinPath(JoinPath(CatalogDir(warehouse), "tables"), database);
}
std::string TableRecord(const std::string& warehouse, std::string_view database,
                        std::string_view name) {
  return JoinPath(TablesDir(warehouse, database), std::string(name) + std::string(kRecordSuffix));
}

}  // namespace

Result<std::unique_ptr<Catalog>> Catalog::Open(std::string warehouse_dir, FileSystem& fs) {
  std::string warehouse = AbsolutePath(warehouse_dir);
  SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(DatabasesDir(warehouse)));
  SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(TablesDir(warehouse, kDefaultDatabase)));
  DatabaseEntry default_db{std::string(kDefaultDatabase), warehouse, "default database"};
  Status put =
      fs.PutIfAbsent(DatabaseRecord(warehouse, kDefaultDatabase), EncodeDatabase(default_db));
  if (!put.ok() && put.code() != StatusCode::kAlreadyExists) {
    return put;
  }
  return std::unique_ptr<Catalog>(new Catalog(std::move(warehouse), fs));
}

Result<std::vector<DatabaseEntry>> Catalog::ListDatabases() const {
  SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> names,
                          ListRecords(*fs_, DatabasesDir(warehouse_dir_)));
  std::vector<DatabaseEntry> databases;
  for (const std::string& name : names) {
    Result<DatabaseEntry> entry = GetDatabase(name);
    if (entry.ok()) {
      databases.push_back(std::move(entry).value());
    } else if (entry.status().code() != StatusCode::kNotFound) {
      return entry.status();  // a database dropped since the listing is skipped
    }
  }
  return databases;
}

Result<DatabaseEntry> Catalog::GetDatabase(std::string_view name) const {
  const std::string lower = ToLowerAscii(name);
  if (!ValidateName(lower).ok()) {
    return Status::NotFound(SchemaNotFound(lower));
  }
  const std::string path = DatabaseRecord(warehouse_dir_, lower);
  Result<JsonValue> record = ReadRecord(*fs_, path);
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNotFound) {
      return Status::NotFound(SchemaNotFound(lower));
    }
    return record.status();
  }
  return DecodeDatabase(*record, path);
}

Status Catalog::CreateDatabase(std::string_view name, bool if_not_exists, std::string location,
                               std::string comment) {
  SLUICE_RETURN_IF_ERROR(ValidateName(name));
  DatabaseEntry entry;
  entry.name = ToLowerAscii(name);
  entry.location =
      location.empty() ? JoinPath(warehouse_dir_, entry.name + ".db") : AbsolutePath(location);
  entry.comment = std::move(comment);
  std::lock_guard<std::mutex> lock(mu_);
  SLUICE_RETURN_IF_ERROR(fs_->CreateDirectories(TablesDir(warehouse_dir_, entry.name)));
  Status put = fs_->PutIfAbsent(DatabaseRecord(warehouse_dir_, entry.name), EncodeDatabase(entry));
  if (put.code() == StatusCode::kAlreadyExists) {
    if (if_not_exists) {
      return Status::Ok();
    }
    return Status::AlreadyExists(fmt::format(
        "[SCHEMA_ALREADY_EXISTS] Cannot create schema `{}` because it already exists.\nChoose "
        "a different name, drop the existing schema, or add the IF NOT EXISTS clause to "
        "tolerate pre-existing schema.",
        entry.name));
  }
  SLUICE_RETURN_IF_ERROR(put);
  return fs_->CreateDirectories(entry.location);
}

Status Catalog::DropDatabase(std::string_view name, bool if_exists, bool cascade) {
  const std::string lower = ToLowerAscii(name);
  if (lower == kDefaultDatabase) {
    return Status::InvalidArgument(
        "[UNSUPPORTED_FEATURE.DROP_DATABASE] The feature is not supported: Drop the default "
        "database `spark_catalog`.`default`.");
  }
  Result<DatabaseEntry> database = GetDatabase(lower);
  if (!database.ok()) {
    if (database.status().code() == StatusCode::kNotFound && if_exists) {
      return Status::Ok();
    }
    return database.status();
  }
  SLUICE_ASSIGN_OR_RETURN(std::vector<TableEntry> tables, ListTables(lower));
  if (!tables.empty() && !cascade) {
    return Status::InvalidArgument(fmt::format(
        "[SCHEMA_NOT_EMPTY] Cannot drop a schema `{}` because it contains objects.\nUse DROP "
        "SCHEMA ... CASCADE to drop the schema and all its objects.",
        lower));
  }
  for (const TableEntry& table : tables) {
    SLUICE_RETURN_IF_ERROR(DropTable(lower, table.name, /*if_exists=*/true));
  }
  std::lock_guard<std::mutex> lock(mu_);
  Status deleted = fs_->DeleteFile(DatabaseRecord(warehouse_dir_, lower));
  if (!deleted.ok()) {
    if (deleted.code() == StatusCode::kNotFound && if_exists) {
      return Status::Ok();
    }
    if (deleted.code() == StatusCode::kNotFound) {
      return Status::NotFound(SchemaNotFound(lower));
    }
    return deleted;
  }
  SLUICE_RETURN_IF_ERROR(fs_->DeleteRecursively(TablesDir(warehouse_dir_, lower)));
  // Spark deletes the database directory with the database.
  return fs_->DeleteRecursively(database->location);
}

Result<std::vector<TableEntry>> Catalog::ListTables(std::string_view database) const {
  const std::string lower = ToLowerAscii(database);
  SLUICE_RETURN_IF_ERROR(GetDatabase(lower).status());
  SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> names,
                          ListRecords(*fs_, TablesDir(warehouse_dir_, lower)));
  std::vector<TableEntry> tables;
  for (const std::string& name : names) {
    Result<TableEntry> entry = LookupTable(lower, name);
    if (entry.ok()) {
      tables.push_back(std::move(entry).value());
    } else if (entry.status().code() != StatusCode::kNotFound) {
      return entry.status();  // a table dropped since the listing is skipped
    }
  }
  return tables;
}

Result<TableEntry> Catalog::LookupTable(std::string_view database, std::string_view name) const {
  const std::string db = ToLowerAscii(database.empty() ? kDefaultDatabase : database);
  const std::string table = ToLowerAscii(name);
  if (!ValidateName(db).ok() || !ValidateName(table).ok()) {
    return Status::NotFound(TableNotFound(db, table));
  }
  const std::string path = TableRecord(warehouse_dir_, db, table);
  Result<JsonValue> record = ReadRecord(*fs_, path);
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNotFound) {
      // A missing database reads as a missing table, as in Spark's lookups.
      return Status::NotFound(TableNotFound(db, table));
    }
    return record.status();
  }
  return DecodeTable(*record, path);
}

Result<TableEntry> Catalog::CreateTable(const TableDefinition& definition, bool if_not_exists) {
  const std::string db =
      ToLowerAscii(definition.database.empty() ? kDefaultDatabase : definition.database);
  SLUICE_RETURN_IF_ERROR(ValidateName(db));
  SLUICE_RETURN_IF_ERROR(ValidateName(definition.name));
  std::lock_guard<std::mutex> lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(DatabaseEntry database, GetDatabase(db));
  TableEntry entry;
  entry.database = db;
  entry.name = ToLowerAscii(definition.name);
  entry.managed = definition.location.empty();
  entry.location =
      entry.managed ? JoinPath(database.location, entry.name) : AbsolutePath(definition.location);

  const std::string record_path = TableRecord(warehouse_dir_, db, entry.name);
  auto already_exists = [&]() -> Result<TableEntry> {
    if (if_not_exists) {
      return LookupTable(db, entry.name);
    }
    return Status::AlreadyExists(TableExists(entry));
  };
  SLUICE_ASSIGN_OR_RETURN(bool registered, fs_->Exists(record_path));
  if (registered) {
    return already_exists();
  }
  SLUICE_ASSIGN_OR_RETURN(bool is_delta, delta::IsDeltaTable(entry.location, *fs_));
  if (entry.managed && definition.schema != nullptr) {
    SLUICE_ASSIGN_OR_RETURN(bool taken, IsNonEmptyDirectory(*fs_, entry.location));
    if (taken) {
      return Status::AlreadyExists(fmt::format(
          "[LOCATION_ALREADY_EXISTS] Cannot name the managed table as {}, as its associated "
          "location '{}' already exists. Please pick a different table name, or remove the "
          "existing location first.",
          entry.QualifiedName(), entry.location));
    }
  }
  if (is_delta) {
    SLUICE_RETURN_IF_ERROR(CheckMatchesExisting(definition, entry.location, *fs_));
  }

  // The record first: of two creators (threads or processes) exactly one wins it.
  Status put = fs_->PutIfAbsent(record_path, EncodeTable(entry, definition.comment));
  if (put.code() == StatusCode::kAlreadyExists) {
    return already_exists();
  }
  SLUICE_RETURN_IF_ERROR(put);
  if (!is_delta && definition.schema != nullptr) {
    delta::StringMap configuration(definition.properties.begin(), definition.properties.end());
    Result<delta::CommitResult> created = delta::CreateTable(
        entry.location, definition.schema, definition.partition_columns, configuration, *fs_);
    if (!created.ok()) {
      // Undo the registration; the creation's error is what the caller needs to see.
      fs_->DeleteFile(record_path).IgnoreError();
      return created.status();
    }
  }
  return entry;
}

Status Catalog::DropTable(std::string_view database, std::string_view name, bool if_exists) {
  Result<TableEntry> entry = LookupTable(database, name);
  if (!entry.ok()) {
    if (entry.status().code() == StatusCode::kNotFound && if_exists) {
      return Status::Ok();
    }
    return entry.status();
  }
  std::lock_guard<std::mutex> lock(mu_);
  Status deleted = fs_->DeleteFile(TableRecord(warehouse_dir_, entry->database, entry->name));
  if (deleted.code() == StatusCode::kNotFound) {
    // Dropped concurrently.
    return if_exists ? Status::Ok() : Status::NotFound(TableNotFound(entry->database, entry->name));
  }
  SLUICE_RETURN_IF_ERROR(deleted);
  if (entry->managed) {
    return fs_->DeleteRecursively(entry->location);
  }
  return Status::Ok();
}

}  // namespace sluice::catalog
