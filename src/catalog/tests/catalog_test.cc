// SPDX-License-Identifier: Apache-2.0
#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "delta/snapshot.h"

namespace sluice::catalog {
namespace {

std::string Warehouse() {
  const std::string dir = ::testing::TempDir() + "/catalog_" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(dir);
  return dir;
}

std::unique_ptr<Catalog> OpenCatalog(const std::string& dir) {
  Result<std::unique_ptr<Catalog>> catalog = Catalog::Open(dir);
  EXPECT_TRUE(catalog.ok()) << catalog.status().ToString();
  return std::move(catalog).value();
}

TableDefinition Orders(std::string database = {}) {
  TableDefinition definition;
  definition.database = std::move(database);
  definition.name = "Orders";
  definition.schema = MakeSchema({MakeField("id", LongType()), MakeField("day", StringType())});
  definition.partition_columns = {"day"};
  return definition;
}

TEST(CatalogTest, OpenCreatesTheDefaultDatabase) {
  const std::string dir = Warehouse();
  auto catalog = OpenCatalog(dir);
  Result<std::vector<DatabaseEntry>> databases = catalog->ListDatabases();
  ASSERT_TRUE(databases.ok()) << databases.status().ToString();
  ASSERT_EQ(databases->size(), 1u);
  EXPECT_EQ((*databases)[0].name, "default");
  EXPECT_EQ((*databases)[0].location, catalog->warehouse_dir());
  EXPECT_TRUE(std::filesystem::is_directory(dir + "/_sluice_catalog"));
}

TEST(CatalogTest, CreateTableWritesDeltaVersionZeroUnderTheWarehouse) {
  const std::string dir = Warehouse();
  auto catalog = OpenCatalog(dir);
  TableDefinition definition = Orders();
  definition.properties = {{"delta.appendOnly", "true"}};
  Result<TableEntry> entry = catalog->CreateTable(definition, false);
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  EXPECT_EQ(entry->database, "default");
  EXPECT_EQ(entry->name, "orders");
  EXPECT_TRUE(entry->managed);
  EXPECT_EQ(entry->location, catalog->warehouse_dir() + "/orders");
  EXPECT_EQ(entry->QualifiedName(), "`default`.`orders`");

  auto snapshot = delta::Snapshot::Load(entry->location, LocalFileSystem::Default());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ((*snapshot)->version(), 0);
  EXPECT_EQ((*snapshot)->schema()->ToString(), "struct<id:bigint,day:string>");
  EXPECT_EQ((*snapshot)->partition_columns(), std::vector<std::string>{"day"});
  ASSERT_NE((*snapshot)->Property("delta.appendOnly"), nullptr);
  EXPECT_EQ(*(*snapshot)->Property("delta.appendOnly"), "true");
}

TEST(CatalogTest, ChangeDataFeedPropertyUpgradesTheProtocolToWriterFour) {
  auto catalog = OpenCatalog(Warehouse());
  TableDefinition definition = Orders();
  definition.properties = {{"delta.enableChangeDataFeed", "true"}};
  Result<TableEntry> entry = catalog->CreateTable(definition, false);
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  auto snapshot = delta::Snapshot::Load(entry->location, LocalFileSystem::Default());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ((*snapshot)->protocol().min_reader_version, 1);
  EXPECT_EQ((*snapshot)->protocol().min_writer_version, 4);
}

TEST(CatalogTest, ReopenedCatalogSeesDatabasesAndTables) {
  const std::string dir = Warehouse();
  {
    auto catalog = OpenCatalog(dir);
    ASSERT_TRUE(catalog->CreateDatabase("Sales", false, {}, "the sales").ok());
    ASSERT_TRUE(catalog->CreateTable(Orders("sales"), false).ok());
    ASSERT_TRUE(catalog->CreateTable(Orders(), false).ok());
  }
  auto reopened = OpenCatalog(dir);
  Result<std::vector<DatabaseEntry>> databases = reopened->ListDatabases();
  ASSERT_TRUE(databases.ok());
  ASSERT_EQ(databases->size(), 2u);
  EXPECT_EQ((*databases)[0].name, "default");
  EXPECT_EQ((*databases)[1].name, "sales");
  EXPECT_EQ((*databases)[1].comment, "the sales");
  EXPECT_EQ((*databases)[1].location, reopened->warehouse_dir() + "/sales.db");

  Result<TableEntry> table = reopened->LookupTable("SALES", "ORDERS");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->location, reopened->warehouse_dir() + "/sales.db/orders");
  Result<std::vector<TableEntry>> tables = reopened->ListTables("default");
  ASSERT_TRUE(tables.ok());
  ASSERT_EQ(tables->size(), 1u);
  EXPECT_EQ((*tables)[0].name, "orders");
}

TEST(CatalogTest, SecondCatalogOnTheSameWarehouseSeesCommittedChanges) {
  const std::string dir = Warehouse();
  auto first = OpenCatalog(dir);
  auto second = OpenCatalog(dir);
  ASSERT_TRUE(first->CreateTable(Orders(), false).ok());
  EXPECT_TRUE(second->LookupTable("default", "orders").ok());
  ASSERT_TRUE(second->DropTable("default", "orders", false).ok());
  EXPECT_EQ(first->LookupTable("default", "orders").status().code(), StatusCode::kNotFound);
}

TEST(CatalogTest, DuplicateTableIsAnErrorUnlessIfNotExists) {
  auto catalog = OpenCatalog(Warehouse());
  ASSERT_TRUE(catalog->CreateTable(Orders(), false).ok());
  Result<TableEntry> again = catalog->CreateTable(Orders(), false);
  ASSERT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().message().rfind(
                "[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view `default`.`orders` "
                "because it already exists.",
                0),
            0u)
      << again.status().message();
  Result<TableEntry> tolerated = catalog->CreateTable(Orders(), true);
  ASSERT_TRUE(tolerated.ok());
  EXPECT_EQ(tolerated->name, "orders");
}

TEST(CatalogTest, MissingTableIsTableOrViewNotFound) {
  auto catalog = OpenCatalog(Warehouse());
  Result<TableEntry> missing = catalog->LookupTable("default", "Nope");
  ASSERT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message().rfind(
                "[TABLE_OR_VIEW_NOT_FOUND] The table or view `default`.`nope` cannot be found. "
                "Verify the spelling and correctness of the schema and catalog.",
                0),
            0u)
      << missing.status().message();
  EXPECT_EQ(catalog->DropTable("default", "nope", false).code(), StatusCode::kNotFound);
  EXPECT_TRUE(catalog->DropTable("default", "nope", true).ok());
}

TEST(CatalogTest, DroppingAManagedTableDeletesItsData) {
  auto catalog = OpenCatalog(Warehouse());
  Result<TableEntry> entry = catalog->CreateTable(Orders(), false);
  ASSERT_TRUE(entry.ok());
  ASSERT_TRUE(std::filesystem::exists(entry->location + "/_delta_log"));
  ASSERT_TRUE(catalog->DropTable("default", "ORDERS", false).ok());
  EXPECT_FALSE(std::filesystem::exists(entry->location));
  EXPECT_EQ(catalog->LookupTable("default", "orders").status().code(), StatusCode::kNotFound);
  // The name and the location are free again.
  EXPECT_TRUE(catalog->CreateTable(Orders(), false).ok());
}

TEST(CatalogTest, DroppingAnExternalTableKeepsItsData) {
  const std::string dir = Warehouse();
  auto catalog = OpenCatalog(dir);
  TableDefinition definition = Orders();
  definition.location = dir + "_external/orders";
  std::filesystem::remove_all(dir + "_external");
  Result<TableEntry> entry = catalog->CreateTable(definition, false);
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  EXPECT_FALSE(entry->managed);
  ASSERT_TRUE(catalog->DropTable("default", "orders", false).ok());
  EXPECT_TRUE(
      std::filesystem::exists(definition.location + "/_delta_log/00000000000000000000.json"));

  // Registering the location again picks up the existing table, schema or not.
  definition.schema = nullptr;
  Result<TableEntry> again = catalog->CreateTable(definition, false);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->location, entry->location);
}

TEST(CatalogTest, ExternalLocationWithAnotherSchemaIsRefused) {
  const std::string dir = Warehouse();
  auto catalog = OpenCatalog(dir);
  TableDefinition definition = Orders();
  definition.location = dir + "_other/t";
  std::filesystem::remove_all(dir + "_other");
  ASSERT_TRUE(catalog->CreateTable(definition, false).ok());
  definition.name = "t2";
  definition.schema = MakeSchema({MakeField("x", StringType())});
  Result<TableEntry> mismatch = catalog->CreateTable(definition, false);
  ASSERT_EQ(mismatch.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(mismatch.status().message().find("[DELTA_CREATE_TABLE_SCHEME_MISMATCH]"),
            std::string::npos);
  EXPECT_EQ(catalog->LookupTable("default", "t2").status().code(), StatusCode::kNotFound);
}

TEST(CatalogTest, ExternalLocationWithOtherPartitioningOrPropertiesIsRefused) {
  const std::string dir = Warehouse();
  auto catalog = OpenCatalog(dir);
  TableDefinition definition = Orders();
  definition.location = dir + "_parts/t";
  definition.properties = {{"delta.appendOnly", "true"}};
  std::filesystem::remove_all(dir + "_parts");
  ASSERT_TRUE(catalog->CreateTable(definition, false).ok());

  TableDefinition other = definition;
  other.name = "t2";
  other.partition_columns = {"id"};
  EXPECT_NE(catalog->CreateTable(other, false)
                .status()
                .message()
                .find("[DELTA_CREATE_TABLE_WITH_DIFFERENT_PARTITIONING]"),
            std::string::npos);
  other.partition_columns = {"DAY"};
  other.properties = {{"delta.appendOnly", "false"}};
  EXPECT_NE(catalog->CreateTable(other, false)
                .status()
                .message()
                .find("[DELTA_CREATE_TABLE_WITH_DIFFERENT_PROPERTY]"),
            std::string::npos);
  // The same partitioning (any case) and properties (any key spelling) are accepted.
  other.properties = {{"delta.appendonly", "true"}};
  Result<TableEntry> same = catalog->CreateTable(other, false);
  EXPECT_TRUE(same.ok()) << same.status().ToString();
}

TEST(CatalogTest, ManagedTableOverAnExistingDirectoryIsLocationAlreadyExists) {
  const std::string dir = Warehouse();
  auto catalog = OpenCatalog(dir);
  std::filesystem::create_directories(catalog->warehouse_dir() + "/orders/stale");
  Result<TableEntry> entry = catalog->CreateTable(Orders(), false);
  ASSERT_EQ(entry.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(entry.status().message().find("[LOCATION_ALREADY_EXISTS]"), std::string::npos);
}

TEST(CatalogTest, DatabaseErrorsUseSparkTexts) {
  auto catalog = OpenCatalog(Warehouse());
  ASSERT_TRUE(catalog->CreateDatabase("db1", false).ok());
  Status duplicate = catalog->CreateDatabase("DB1", false);
  EXPECT_EQ(duplicate.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.message().rfind(
                "[SCHEMA_ALREADY_EXISTS] Cannot create schema `db1` because it already exists.", 0),
            0u);
  EXPECT_TRUE(catalog->CreateDatabase("db1", true).ok());

  Status missing = catalog->DropDatabase("nodb", false, false);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message().rfind("[SCHEMA_NOT_FOUND] The schema `nodb` cannot be found.", 0),
            0u);
  EXPECT_TRUE(catalog->DropDatabase("nodb", true, false).ok());
  EXPECT_EQ(catalog->ListTables("nodb").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(catalog->CreateTable(Orders("nodb"), false).status().code(), StatusCode::kNotFound);

  EXPECT_NE(catalog->DropDatabase("default", false, true)
                .message()
                .find("[UNSUPPORTED_FEATURE.DROP_DATABASE]"),
            std::string::npos);
  EXPECT_NE(catalog->CreateDatabase("bad-name", false)
                .message()
                .find("[INVALID_SCHEMA_OR_RELATION_NAME]"),
            std::string::npos);
}

TEST(CatalogTest, DropDatabaseNeedsCascadeWhenItHasTables) {
  auto catalog = OpenCatalog(Warehouse());
  ASSERT_TRUE(catalog->CreateDatabase("sales", false).ok());
  Result<TableEntry> entry = catalog->CreateTable(Orders("sales"), false);
  ASSERT_TRUE(entry.ok());
  Status not_empty = catalog->DropDatabase("sales", false, false);
  EXPECT_EQ(not_empty.message().rfind(
                "[SCHEMA_NOT_EMPTY] Cannot drop a schema `sales` because it contains objects.", 0),
            0u)
      << not_empty.message();
  ASSERT_TRUE(catalog->DropDatabase("sales", false, true).ok());
  EXPECT_FALSE(std::filesystem::exists(entry->location));
  EXPECT_EQ(catalog->GetDatabase("sales").status().code(), StatusCode::kNotFound);
  // Recreated, it starts empty.
  ASSERT_TRUE(catalog->CreateDatabase("sales", false).ok());
  Result<std::vector<TableEntry>> tables = catalog->ListTables("sales");
  ASSERT_TRUE(tables.ok());
  EXPECT_TRUE(tables->empty());
}

TEST(CatalogTest, ConcurrentCreatesOfOneNameHaveOneWinner) {
  const std::string dir = Warehouse();
  auto first = OpenCatalog(dir);
  auto second = OpenCatalog(dir);  // as another process would: its own lock
  for (int round = 0; round < 5; ++round) {
    TableDefinition definition = Orders();
    definition.name = "t" + std::to_string(round);
    Status a, b;
    std::thread ta([&] { a = first->CreateTable(definition, false).status(); });
    std::thread tb([&] { b = second->CreateTable(definition, false).status(); });
    ta.join();
    tb.join();
    EXPECT_NE(a.ok(), b.ok()) << a.ToString() << " / " << b.ToString();
    EXPECT_EQ((a.ok() ? b : a).code(), StatusCode::kAlreadyExists);
    auto snapshot = delta::Snapshot::Load(dir + "/" + definition.name, LocalFileSystem::Default());
    EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  }
}

TEST(CatalogTest, ConcurrentCreatesOfDistinctNamesAllSucceed) {
  auto catalog = OpenCatalog(Warehouse());
  std::vector<std::thread> threads;
  std::vector<Status> results(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      TableDefinition definition = Orders();
      definition.name = "t" + std::to_string(i);
      results[i] = catalog->CreateTable(definition, false).status();
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  for (const Status& status : results)
    EXPECT_TRUE(status.ok()) << status.ToString();
  Result<std::vector<TableEntry>> tables = catalog->ListTables("default");
  ASSERT_TRUE(tables.ok());
  EXPECT_EQ(tables->size(), 4u);
}

}  // namespace
}  // namespace sluice::catalog
