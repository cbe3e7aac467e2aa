// SPDX-License-Identifier: Apache-2.0
#include "delta/writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "columnar/builder.h"
#include "common/json.h"
#include "delta/column_mapping.h"
#include "delta/log_files.h"
#include "delta/scan.h"
#include "formats/parquet/reader.h"
#include "types/schema_json.h"

namespace sluice::delta {
namespace {

FileSystem& Fs() {
  return LocalFileSystem::Default();
}

std::string TableDir() {
  const std::string dir = ::testing::TempDir() + "/writer_" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// A batch of (id long, name string) rows; a name of "<null>" is null.
BatchPtr Rows(const std::vector<std::pair<int64_t, std::string>>& rows,
              const std::string& id_name = "id", const std::string& name_name = "name") {
  SchemaPtr schema =
      MakeSchema({MakeField(id_name, LongType()), MakeField(name_name, StringType())});
  BatchBuilder builder(schema);
  for (const auto& [id, name] : rows) {
    static_cast<Int64Builder*>(builder.column(0))->Append(id);
    if (name == "<null>")
      builder.column(1)->AppendNull();
    else
      static_cast<StringBuilder*>(builder.column(1))->Append(name);
  }
  return builder.Finish();
}

BatchPtr Ids(const std::vector<int64_t>& ids, TypePtr type = LongType(),
             const std::string& name = "id") {
  SchemaPtr schema = MakeSchema({MakeField(name, type)});
  BatchBuilder builder(schema);
  for (int64_t id : ids) {
    if (type->id() == TypeId::kInt)
      static_cast<FixedWidthBuilder<int32_t>*>(builder.column(0))->Append(static_cast<int32_t>(id));
    else
      static_cast<Int64Builder*>(builder.column(0))->Append(id);
  }
  return builder.Finish();
}

SnapshotPtr Load(const std::string& root) {
  auto snapshot = Snapshot::Load(root, Fs());
  EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  return snapshot.ok() ? *snapshot : nullptr;
}

JsonValue CommitInfo(const std::string& root, int64_t version) {
  auto text = Fs().ReadFile(JoinPath(LogDirectory(root), CommitFileName(version)));
  EXPECT_TRUE(text.ok());
  auto json = JsonValue::Parse(text->substr(0, text->find('\n')));
  EXPECT_TRUE(json.ok());
  return *json->Find("commitInfo");
}

// Reads every live file of the latest snapshot; returns the batches read.
std::vector<BatchPtr> ReadFiles(const std::string& root, const std::string& decoded_prefix = "") {
  std::vector<BatchPtr> out;
  auto snapshot = Load(root);
  for (const AddFile& file : snapshot->files()) {
    std::string path = file.path;
    if (!decoded_prefix.empty())
      path = decoded_prefix + path.substr(path.find('/'));
    auto reader = parquet::ParquetReader::Open(root + "/" + path);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok())
      continue;
    auto batches = (*reader)->ReadAll();
    EXPECT_TRUE(batches.ok());
    out.insert(out.end(), batches->begin(), batches->end());
  }
  return out;
}

// The ids of the latest snapshot, read through the scan API.
std::multiset<int64_t> ReadIds(const std::string& root) {
  std::multiset<int64_t> ids;
  auto scan = Scan::Make(Load(root), ScanOptions{{"id"}, nullptr, nullptr}, Fs());
  EXPECT_TRUE(scan.ok()) << scan.status().ToString();
  auto batches = (*scan)->ReadAll();
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  for (const BatchPtr& batch : *batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row)
      ids.insert(batch->column(0)->Value<int64_t>(row));
  }
  return ids;
}

size_t CountParquetFiles(const std::string& root) {
  size_t count = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().extension() == ".parquet" &&
        entry.path().string().find("_delta_log") == std::string::npos)
      ++count;
  }
  return count;
}

TEST(DeltaWriterTest, CreateTableWritesTheMinimalProtocolAndMetadata) {
  const std::string root = TableDir();
  SchemaPtr schema = MakeSchema({MakeField("id", LongType(), false), MakeField("p", StringType())});
  auto created = CreateTable(root, schema, {"P"}, {{"delta.appendonly", "true"}}, Fs());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->version, 0);
  auto snapshot = Load(root);
  EXPECT_EQ(snapshot->protocol(), (Protocol{1, 2, std::nullopt, std::nullopt}));
  EXPECT_EQ(snapshot->partition_columns(), std::vector<std::string>{"p"});
  EXPECT_EQ(snapshot->metadata().configuration, (StringMap{{"delta.appendOnly", "true"}}));
  EXPECT_EQ(snapshot->metadata().id.size(), 36u);
  EXPECT_TRUE(snapshot->schema()->Equals(*schema));
  JsonValue info = CommitInfo(root, 0);
  EXPECT_EQ(info.Find("operation")->text(), "CREATE TABLE");
  EXPECT_EQ(
      info.Find("operationParameters")->Serialize(),
      R"({"isManaged":"false","partitionBy":"[\"p\"]","properties":"{\"delta.appendOnly\":\"true\"}"})");
  EXPECT_EQ(CreateTable(root, schema, {}, {}, Fs()).status().code(), StatusCode::kAlreadyExists);

  const std::string ntz_root = TableDir() + "_ntz";
  std::filesystem::remove_all(ntz_root);
  ASSERT_TRUE(CreateTable(ntz_root, MakeSchema({MakeField("t", TimestampNtzType())}), {},
                          {{"delta.enableChangeDataFeed", "true"}}, Fs())
                  .ok());
  auto ntz = Load(ntz_root);
  EXPECT_EQ(ntz->protocol().min_reader_version, 3);
  EXPECT_TRUE(ntz->protocol().HasReaderFeature("timestampNtz"));
  EXPECT_TRUE(ntz->protocol().HasWriterFeature("changeDataFeed"));

  const std::string bad_root = TableDir() + "_bad";
  std::filesystem::remove_all(bad_root);
  SchemaPtr nested = MakeSchema(
      {MakeField("s", StructType({MakeField("a", IntType())})), MakeField("id", LongType())});
  auto bad = CreateTable(bad_root, nested, {"s"}, {}, Fs());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("as a partition column is not supported"),
            std::string::npos);
  EXPECT_EQ(CreateTable(bad_root, schema, {}, {{"delta.unknownThing", "1"}}, Fs()).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(DeltaWriterTest, AppendCreatesAMissingTableThenAppends) {
  const std::string root = TableDir();
  auto first = Append(root, {Rows({{1, "a"}, {2, "b"}})}, {}, Fs());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->commit.version, 0);
  EXPECT_EQ(first->num_output_rows, 2);
  ASSERT_EQ(first->added.size(), 1u);
  const AddFile& add = first->added[0];
  EXPECT_EQ(add.path.rfind("part-00000-", 0), 0u) << add.path;
  EXPECT_NE(add.path.find("-c000.snappy.parquet"), std::string::npos) << add.path;
  EXPECT_TRUE(add.data_change);
  EXPECT_GT(add.size, 0);
  EXPECT_GT(add.modification_time, 0);
  ASSERT_TRUE(add.stats.has_value());
  EXPECT_EQ(*add.stats,
            R"({"numRecords":2,"minValues":{"id":1,"name":"a"},"maxValues":{"id":2,"name":"b"},)"
            R"("nullCount":{"id":0,"name":0}})");
  EXPECT_EQ(add.size, static_cast<int64_t>(std::filesystem::file_size(root + "/" + add.path)));

  auto second = Append(root, {Rows({{3, "c"}})}, {}, Fs());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->commit.version, 1);
  EXPECT_EQ(ReadIds(root), (std::multiset<int64_t>{1, 2, 3}));
  JsonValue info = CommitInfo(root, 1);
  EXPECT_EQ(info.Find("operation")->text(), "WRITE");
  EXPECT_EQ(info.Find("operationParameters")->Serialize(),
            R"({"mode":"Append","partitionBy":"[]"})");
  EXPECT_TRUE(info.Find("isBlindAppend")->bool_value());
  EXPECT_EQ(info.Find("operationMetrics")->Find("numOutputRows")->text(), "1");
}

TEST(DeltaWriterTest, StatisticsCoverTheIndexedColumns) {
  const std::string root = TableDir();
  WriteOptions options;
  options.configuration = {{"delta.dataSkippingNumIndexedCols", "1"}};
  auto result = Append(root, {Rows({{5, "x"}, {7, "<null>"}})}, options, Fs());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->added.at(0).stats,
            R"({"numRecords":2,"minValues":{"id":5},"maxValues":{"id":7},"nullCount":{"id":0}})");
}

TEST(DeltaWriterTest, PartitionedWritesSplitRowsIntoHiveDirectories) {
  const std::string root = TableDir();
  WriteOptions options;
  options.partition_columns = {"name"};
  auto result = Append(
      root, {Rows({{1, "a"}, {2, "b"}, {3, "a"}, {4, "<null>"}, {5, "x y=z"}}), Rows({{6, "b"}})},
      options, Fs());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  auto snapshot = Load(root);
  ASSERT_EQ(snapshot->files().size(), 4u);
  std::map<std::string, std::optional<std::string>> dirs;
  for (const AddFile& file : snapshot->files()) {
    ASSERT_EQ(file.partition_values.size(), 1u);
    EXPECT_EQ(file.partition_values[0].first, "name");
    dirs[file.path.substr(0, file.path.find('/'))] = file.partition_values[0].second;
  }
  EXPECT_EQ(dirs, (std::map<std::string, std::optional<std::string>>{
                      {"name=a", "a"},
                      {"name=b", "b"},
                      {"name=__HIVE_DEFAULT_PARTITION__", std::nullopt},
                      {"name=x%20y%253Dz", "x y=z"}}));
  EXPECT_TRUE(std::filesystem::is_directory(root + "/name=x y%3Dz"));
  // The files hold the data columns only.
  std::multiset<int64_t> ids;
  for (const AddFile& file : snapshot->files()) {
    std::string dir = file.path.substr(0, file.path.find('/'));
    if (dir == "name=x%20y%253Dz")
      dir = "name=x y%3Dz";
    auto reader =
        parquet::ParquetReader::Open(root + "/" + dir + file.path.substr(file.path.find('/')));
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    EXPECT_EQ((*reader)->schema()->num_fields(), 1);
    auto batches = (*reader)->ReadAll();
    for (const BatchPtr& batch : *batches) {
      for (int64_t row = 0; row < batch->num_rows(); ++row)
        ids.insert(batch->column(0)->Value<int64_t>(row));
    }
  }
  EXPECT_EQ(ids, (std::multiset<int64_t>{1, 2, 3, 4, 5, 6}));
}

TEST(DeltaWriterTest, RollsFilesAtTheRecordLimitAndTheTargetSize) {
  const std::string root = TableDir();
  WriteOptions options;
  options.files.max_records_per_file = 3;
  auto by_rows = Append(root, {Ids({1, 2, 3, 4, 5}), Ids({6, 7, 8, 9, 10})}, options, Fs());
  ASSERT_TRUE(by_rows.ok()) << by_rows.status().ToString();
  EXPECT_EQ(by_rows->added.size(), 4u);  // 3 + 3 + 3 + 1
  EXPECT_EQ(ReadIds(root).size(), 10u);

  WriteOptions tiny;
  tiny.files.target_file_size = 1;
  auto by_size = Append(root, {Ids({11, 12}), Ids({13}), Ids({14})}, tiny, Fs());
  ASSERT_TRUE(by_size.ok()) << by_size.status().ToString();
  EXPECT_EQ(by_size->added.size(), 3u);
  EXPECT_EQ(ReadIds(root).size(), 14u);
}

TEST(DeltaWriterTest, AWorkerPoolWritesLargeWritesAsParallelParts) {
  const std::string root = TableDir();
  ThreadPool pool(2);
  WriteOptions options;
  options.files.pool = &pool;
  // Below two parts' worth of rows: one file, as without a pool.
  auto small = Append(root, {Ids({1, 2, 3})}, options, Fs());
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  EXPECT_EQ(small->added.size(), 1u);
  // 3.5 parts' worth in uneven batches: three parts (the pool's two workers and the
  // caller), each its own file; every row lands once, in order within the files.
  const int64_t total = kMinRowsPerParallelPart * 7 / 2;
  std::vector<BatchPtr> batches;
  std::vector<int64_t> ids;
  for (int64_t id = 100; id < 100 + total; ++id) {
    ids.push_back(id);
    if (static_cast<int64_t>(ids.size()) == 100'003 || id == 99 + total) {
      batches.push_back(Ids(ids));
      ids.clear();
    }
  }
  auto large = Append(root, batches, options, Fs());
  ASSERT_TRUE(large.ok()) << large.status().ToString();
  ASSERT_EQ(large->added.size(), 3u);
  int64_t records = 0;
  for (const AddFile& add : large->added) {
    const std::string stats = add.stats.value_or("");
    ASSERT_NE(stats.find("\"numRecords\":"), std::string::npos);
    records += std::stoll(stats.substr(stats.find("\"numRecords\":") + 13));
  }
  EXPECT_EQ(records, total);
  std::multiset<int64_t> read = ReadIds(root);
  EXPECT_EQ(static_cast<int64_t>(read.size()), total + 3);
  EXPECT_EQ(*read.rbegin(), 99 + total);
  EXPECT_EQ(std::set<int64_t>(read.begin(), read.end()).size(), read.size());
}

TEST(DeltaWriterTest, MissingColumnsAreWrittenAsNulls) {
  const std::string root = TableDir();
  ASSERT_TRUE(Append(root, {Rows({{1, "a"}})}, {}, Fs()).ok());
  ASSERT_TRUE(Append(root, {Ids({2}, LongType(), "ID")}, {}, Fs()).ok());
  EXPECT_EQ(Load(root)->schema()->ToString(), "struct<id:bigint,name:string>");
  int64_t nulls = 0;
  for (const BatchPtr& batch : ReadFiles(root)) {
    ASSERT_EQ(batch->num_columns(), 2);
    nulls += batch->column(1)->null_count();
  }
  EXPECT_EQ(nulls, 1);
}

TEST(DeltaWriterTest, ExtraColumnsNeedMergeSchema) {
  const std::string root = TableDir();
  ASSERT_TRUE(Append(root, {Ids({1})}, {}, Fs()).ok());
  auto extra = Append(root, {Rows({{2, "b"}}, "id", "extra")}, {}, Fs());
  ASSERT_EQ(extra.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(extra.status().message().rfind(
                "A schema mismatch detected when writing to the Delta table (Table ID: ", 0),
            0u)
      << extra.status().message();
  EXPECT_NE(extra.status().message().find("`extra`"), std::string::npos);
  EXPECT_NE(extra.status().message().find("'.option(\"mergeSchema\", \"true\")'"),
            std::string::npos);
  EXPECT_EQ(CountParquetFiles(root), 1u);

  WriteOptions merge;
  merge.merge_schema = true;
  auto merged = Append(root, {Rows({{2, "b"}}, "id", "extra")}, merge, Fs());
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(Load(root)->schema()->ToString(), "struct<id:bigint,extra:string>");
  EXPECT_EQ(CommitInfo(root, 1).Find("isBlindAppend")->bool_value(), true);
}

TEST(DeltaWriterTest, MergeSchemaAddsNestedFields) {
  Schema table(
      {MakeField("id", LongType()), MakeField("s", StructType({MakeField("a", IntType())}))});
  Schema data(
      {MakeField("S", StructType({MakeField("b", StringType()), MakeField("A", IntType())})),
       MakeField("z", DoubleType())});
  auto merged = MergeWriteSchema(table, data, true, "t");
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ((*merged)->ToString(), "struct<id:bigint,s:struct<a:int,b:string>,z:double>");
  auto refused = MergeWriteSchema(table, data, false, "t");
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("`S.b`, `z`"), std::string::npos)
      << refused.status().message();
}

TEST(DeltaWriterTest, IncompatibleTypesAreRefused) {
  const std::string root = TableDir();
  ASSERT_TRUE(Append(root, {Ids({1})}, {}, Fs()).ok());
  WriteOptions merge;
  merge.merge_schema = true;
  for (const WriteOptions& options : {WriteOptions{}, merge}) {
    auto narrower = Append(root, {Ids({2}, IntType())}, options, Fs());
    ASSERT_EQ(narrower.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(narrower.status().message().find(
                  "Failed to merge fields 'id' and 'id'. Failed to merge incompatible data types "
                  "LongType and IntegerType"),
              std::string::npos)
        << narrower.status().message();
  }
  auto decimal = MergeWriteSchema(Schema({MakeField("d", DecimalType(10, 2))}),
                                  Schema({MakeField("d", DecimalType(12, 2))}), true, "t");
  EXPECT_EQ(decimal.status().code(), StatusCode::kInvalidArgument);
  // An all-null (void) column fits any type.
  auto void_column = MergeWriteSchema(Schema({MakeField("d", DecimalType(10, 2))}),
                                      Schema({MakeField("d", NullType())}), false, "t");
  ASSERT_TRUE(void_column.ok());
  EXPECT_EQ((*void_column)->ToString(), "struct<d:decimal(10,2)>");
}

TEST(DeltaWriterTest, NotNullColumnsAndDuplicateColumnsAreChecked) {
  const std::string root = TableDir();
  ASSERT_TRUE(
      CreateTable(root,
                  MakeSchema({MakeField("id", LongType(), false), MakeField("name", StringType())}),
                  {}, {}, Fs())
          .ok());
  WriteOptions merge;
  merge.merge_schema = true;
  auto missing = Append(root, {Rows({{1, "a"}}, "x", "name")}, merge, Fs());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("NOT NULL constraint violated for column: id."),
            std::string::npos)
      << missing.status().message();
  auto duplicate = Append(root, {Rows({{1, "a"}}, "id", "ID")}, {}, Fs());
  EXPECT_EQ(duplicate.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(duplicate.status().message().find("Found duplicate column(s) in the data to save"),
            std::string::npos);
  EXPECT_EQ(Load(root)->version(), 0);
  EXPECT_EQ(CountParquetFiles(root), 0u);
}

TEST(DeltaWriterTest, OverwriteReplacesTheFiles) {
  const std::string root = TableDir();
  ASSERT_TRUE(Append(root, {Ids({1, 2})}, {}, Fs()).ok());
  ASSERT_TRUE(Append(root, {Ids({3})}, {}, Fs()).ok());
  auto result = Overwrite(root, {Ids({10})}, {}, Fs());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->num_removed_files, 2);
  auto snapshot = Load(root);
  EXPECT_EQ(snapshot->version(), 2);
  EXPECT_EQ(snapshot->files().size(), 1u);
  ASSERT_EQ(snapshot->tombstones().size(), 2u);
  EXPECT_TRUE(snapshot->tombstones()[0].deletion_timestamp.has_value());
  EXPECT_EQ(snapshot->tombstones()[0].extended_file_metadata, true);
  EXPECT_EQ(ReadIds(root), (std::multiset<int64_t>{10}));
  JsonValue info = CommitInfo(root, 2);
  EXPECT_EQ(info.Find("operationParameters")->Find("mode")->text(), "Overwrite");
  EXPECT_FALSE(info.Find("isBlindAppend")->bool_value());

  // Changing the schema or the partitioning needs overwriteSchema.
  WriteOptions repartition;
  repartition.partition_columns = {"name"};
  auto refused = Overwrite(root, {Rows({{1, "a"}})}, repartition, Fs());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("overwriteSchema"), std::string::npos);
  repartition.overwrite_schema = true;
  auto replaced = Overwrite(root, {Rows({{1, "a"}, {2, "b"}})}, repartition, Fs());
  ASSERT_TRUE(replaced.ok()) << replaced.status().ToString();
  snapshot = Load(root);
  EXPECT_EQ(snapshot->schema()->ToString(), "struct<id:bigint,name:string>");
  EXPECT_EQ(snapshot->partition_columns(), std::vector<std::string>{"name"});
  EXPECT_EQ(snapshot->files().size(), 2u);
}

TEST(DeltaWriterTest, OverwriteOfSomePartitionsKeepsTheOthers) {
  const std::string root = TableDir();
  WriteOptions partitioned;
  partitioned.partition_columns = {"name"};
  ASSERT_TRUE(Append(root, {Rows({{1, "a"}, {2, "b"}, {3, "c"}})}, partitioned, Fs()).ok());

  // replaceWhere-like: only the files the filter accepts go.
  WriteOptions replace;
  replace.replace_partitions = PartitionEquals({{"name", "a"}});
  replace.replace_partitions->description = "name = 'a'";
  auto replaced = Overwrite(root, {Rows({{10, "a"}})}, replace, Fs());
  ASSERT_TRUE(replaced.ok()) << replaced.status().ToString();
  EXPECT_EQ(replaced->num_removed_files, 1);
  EXPECT_EQ(ReadIds(root), (std::multiset<int64_t>{10, 2, 3}));
  JsonValue info = CommitInfo(root, 1);
  EXPECT_EQ(info.Find("operationParameters")->Find("predicate")->text(), "[\"name = 'a'\"]");

  // Dynamic partition overwrite: the partitions the data writes to (b, d) are replaced.
  WriteOptions dynamic;
  dynamic.dynamic_partition_overwrite = true;
  auto written = Overwrite(root, {Rows({{20, "b"}, {40, "d"}})}, dynamic, Fs());
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(written->num_removed_files, 1);
  EXPECT_EQ(ReadIds(root), (std::multiset<int64_t>{10, 20, 3, 40}));
  info = CommitInfo(root, 2);
  EXPECT_EQ(info.Find("operationParameters")->Find("dynamicPartitionOverwrite")->text(), "true");

  // No rows written: nothing is replaced.
  auto empty = Overwrite(root, {Rows({})}, dynamic, Fs());
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(empty->num_removed_files, 0);
  EXPECT_EQ(ReadIds(root), (std::multiset<int64_t>{10, 20, 3, 40}));
}

TEST(DeltaWriterTest, AppendsWithTheSameTxnVersionWriteOnce) {
  const std::string root = TableDir();
  WriteOptions options;
  options.txn_app_id = "stream-7";
  options.txn_version = 0;
  auto first = Append(root, {Ids({1})}, options, Fs());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->commit.skipped);
  auto again = Append(root, {Ids({1})}, options, Fs());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->commit.skipped);
  EXPECT_TRUE(again->added.empty());
  EXPECT_EQ(CountParquetFiles(root), 1u);
  EXPECT_EQ(ReadIds(root), (std::multiset<int64_t>{1}));
  EXPECT_TRUE(*AlreadyCommitted(root, "stream-7", 0, Fs()));
  EXPECT_FALSE(*AlreadyCommitted(root, "stream-7", 1, Fs()));
  EXPECT_FALSE(*AlreadyCommitted(root + "_missing", "stream-7", 0, Fs()));
  options.txn_version = std::nullopt;
  EXPECT_EQ(Append(root, {Ids({2})}, options, Fs()).status().code(), StatusCode::kInvalidArgument);
}

TEST(DeltaWriterTest, CompactionCommitsWithoutDataChange) {
  const std::string root = TableDir();
  ASSERT_TRUE(Append(root, {Ids({1})}, {}, Fs()).ok());
  ASSERT_TRUE(Append(root, {Ids({2})}, {}, Fs()).ok());
  auto snapshot = Load(root);  // version 1
  DataFileOptions rewrite;
  rewrite.data_change = false;
  auto adds = WriteDataFiles(WriteTarget::FromSnapshot(*snapshot), {Ids({1, 2})}, rewrite, Fs());
  ASSERT_TRUE(adds.ok()) << adds.status().ToString();
  EXPECT_FALSE(adds->at(0).data_change);
  std::vector<RemoveFile> removes;
  for (const AddFile& file : snapshot->files())
    removes.push_back(MakeRemove(file, 1, /*data_change=*/false));
  // A concurrent append does not conflict with the compaction.
  ASSERT_TRUE(Append(root, {Ids({3})}, {}, Fs()).ok());
  CommitActionsOptions options;
  options.read_version = 1;
  auto commit = CommitActions(root, *adds, removes, Operation{"OPTIMIZE", {}, {}, std::nullopt},
                              Fs(), options);
  ASSERT_TRUE(commit.ok()) << commit.status().ToString();
  EXPECT_EQ(commit->version, 3);
  EXPECT_EQ(CommitInfo(root, 3).Find("isolationLevel")->text(), "SnapshotIsolation");
  EXPECT_EQ(Load(root)->files().size(), 2u);
  EXPECT_EQ(ReadIds(root), (std::multiset<int64_t>{1, 2, 3}));
  // Removing files that are already gone conflicts.
  auto stale =
      CommitActions(root, {}, removes, Operation{"DELETE", {}, {}, std::nullopt}, Fs(), options);
  EXPECT_EQ(stale.status().code(), StatusCode::kConflict) << stale.status().ToString();
}

TEST(DeltaWriterTest, FailedCommitsDeleteTheirFiles) {
  const std::string root = TableDir();
  WriteOptions append_only;
  append_only.configuration = {{"delta.appendOnly", "true"}};
  ASSERT_TRUE(Append(root, {Ids({1})}, append_only, Fs()).ok());
  auto overwrite = Overwrite(root, {Ids({2})}, {}, Fs());
  EXPECT_EQ(overwrite.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CountParquetFiles(root), 1u);
  EXPECT_EQ(ReadIds(root), (std::multiset<int64_t>{1}));
}

TEST(DeltaWriterTest, ColumnMappingTablesWritePhysicalNames) {
  const std::string root = TableDir();
  SchemaPtr schema = MakeSchema({MakeField("id", LongType()), MakeField("name", StringType())});
  ASSERT_TRUE(
      CreateTable(root, schema, {"name"}, {{"delta.columnMapping.mode", "name"}}, Fs()).ok());
  auto snapshot = Load(root);
  EXPECT_EQ(snapshot->protocol(), (Protocol{2, 5, std::nullopt, std::nullopt}));
  EXPECT_NE(snapshot->Property("delta.columnMapping.maxColumnId"), nullptr);
  EXPECT_EQ(*snapshot->Property("delta.columnMapping.maxColumnId"), "2");
  auto physical_name = PhysicalName(snapshot->schema()->field(1), ColumnMappingMode::kName);
  ASSERT_TRUE(physical_name.ok());
  EXPECT_EQ(physical_name->rfind("col-", 0), 0u);
  auto result = Append(root, {Rows({{1, "a"}, {2, "b"}})}, {}, Fs());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  for (const AddFile& file : result->added) {
    ASSERT_EQ(file.partition_values.size(), 1u);
    EXPECT_EQ(file.partition_values[0].first, *physical_name);
    EXPECT_EQ(file.path[2], '/') << file.path;  // a random two-character prefix directory
    auto reader = parquet::ParquetReader::Open(root + "/" + file.path);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    EXPECT_EQ((*reader)->schema()->field(0).name.rfind("col-", 0), 0u);
  }
  // Read back under the logical names, the partition column included.
  auto scan = Scan::Make(Load(root), ScanOptions{}, Fs());
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  auto batches = (*scan)->ReadAll();
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  std::set<std::pair<int64_t, std::string>> rows;
  for (const BatchPtr& batch : *batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      rows.emplace(batch->column(0)->Value<int64_t>(row),
                   std::string(batch->column(1)->StringValue(row)));
    }
  }
  EXPECT_EQ(rows, (std::set<std::pair<int64_t, std::string>>{{1, "a"}, {2, "b"}}));
}

}  // namespace
}  // namespace sluice::delta
