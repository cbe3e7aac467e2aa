// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/file_system.h"
#include "common/result.h"
#include "types/data_type.h"

/// Table names -> Delta table locations, persisted in a warehouse directory so a
/// restarted process sees the same databases and tables (Spark's session catalog with
/// the Hive-less "in-warehouse" layout).
namespace sluice::catalog {

/// Spark's default database.
inline constexpr std::string_view kDefaultDatabase = "default";

/// A table the catalog knows.
struct TableEntry {
  std::string database;  // lower-cased, as Spark stores names
  std::string name;      // lower-cased
  std::string location;  // absolute path of the Delta table root
  bool managed = true;   // managed: DROP TABLE deletes the data; external: only the entry
  /// `database.name`, as Spark prints it in errors (`spark_catalog.default.orders`
  /// in Spark 3.4+ messages is shortened to `default`.`orders`).
  std::string QualifiedName() const;
};

struct DatabaseEntry {
  std::string name;
  std::string location;  // the directory managed tables of this database go in
  std::string comment;
};

/// What CREATE TABLE asks for.
struct TableDefinition {
  std::string database;  // empty: the current database
  std::string name;
  SchemaPtr schema;  // may be null for CREATE TABLE ... AS SELECT before the query ran
  std::vector<std::string> partition_columns;
  std::string location;  // empty: managed, under the database's directory
  std::string comment;
  std::vector<std::pair<std::string, std::string>> properties;  // TBLPROPERTIES
};

/// The warehouse catalog. Safe for concurrent use within one process; several processes
/// sharing a warehouse see each other's committed changes on their next lookup.
///
/// Layout (documented in src/catalog/README.md): managed tables of `default` live in
/// `<warehouse>/<table>`, of other databases in `<warehouse>/<db>.db/<table>` (Spark's
/// layout); the catalog's own records live in `<warehouse>/_sluice_catalog/`.
class Catalog {
 public:
  /// Opens (creating if missing) the warehouse at `warehouse_dir`, with `default`.
  static Result<std::unique_ptr<Catalog>> Open(std::string warehouse_dir,
                                               FileSystem& fs = LocalFileSystem::Default());

  const std::string& warehouse_dir() const { return warehouse_dir_; }

  /// Databases (SHOW DATABASES), sorted.
  Result<std::vector<DatabaseEntry>> ListDatabases() const;
  Result<DatabaseEntry> GetDatabase(std::string_view name) const;
  /// kAlreadyExists "[SCHEMA_ALREADY_EXISTS] Cannot create schema `x` because it already
  /// exists." unless if_not_exists.
  Status CreateDatabase(std::string_view name, bool if_not_exists, std::string location = {},
                        std::string comment = {});
  /// kNotFound "[SCHEMA_NOT_FOUND] The schema `x` cannot be found." unless if_exists;
  /// "[SCHEMA_NOT_EMPTY]" when it has tables and !cascade; `default` cannot be dropped.
  Status DropDatabase(std::string_view name, bool if_exists, bool cascade);

  /// Tables of `database` (SHOW TABLES), sorted by name.
  Result<std::vector<TableEntry>> ListTables(std::string_view database) const;
  /// Finds `database.name` (both matched case-insensitively). kNotFound with
  /// "[TABLE_OR_VIEW_NOT_FOUND] The table or view `db`.`name` cannot be found. Verify the
  /// spelling and correctness of the schema and catalog." when missing.
  Result<TableEntry> LookupTable(std::string_view database, std::string_view name) const;
  /// Registers a table and creates its Delta table (version 0 with the schema, partition
  /// columns and properties) unless `definition.schema` is null (CTAS registers after
  /// writing). An external LOCATION that already holds a Delta table is registered with
  /// that table's schema (a given schema must then match). kAlreadyExists
  /// "[TABLE_OR_VIEW_ALREADY_EXISTS] ..." unless if_not_exists.
  Result<TableEntry> CreateTable(const TableDefinition& definition, bool if_not_exists);
  /// Removes the entry; a managed table's directory is deleted.
  Status DropTable(std::string_view database, std::string_view name, bool if_exists);

 private:
  Catalog(std::string warehouse_dir, FileSystem& fs);

  std::string warehouse_dir_;
  FileSystem* fs_;
  mutable std::mutex mu_;  // serializes writes of the catalog's records
};

}  // namespace sluice::catalog
