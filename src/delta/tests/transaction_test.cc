// SPDX-License-Identifier: Apache-2.0
#include "delta/transaction.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "common/json.h"
#include "delta/checkpoint.h"
#include "delta/log_files.h"
#include "delta/log_maintenance.h"
#include "types/schema_json.h"

namespace sluice::delta {
namespace {

FileSystem& Fs() {
  return LocalFileSystem::Default();
}

// A fresh directory named after the running test.
std::string TableDir(const std::string& suffix = "") {
  const std::string dir = ::testing::TempDir() + "/txn_" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name() + suffix;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

Metadata TableMetadata(std::vector<std::string> partition_columns = {},
                       StringMap configuration = {}) {
  Metadata metadata;
  metadata.schema_string =
      SchemaToJson(*MakeSchema({MakeField("id", LongType()), MakeField("p", StringType())}));
  metadata.partition_columns = std::move(partition_columns);
  metadata.configuration = std::move(configuration);
  return metadata;
}

AddFile File(const std::string& path, PartitionValues partition_values = {}) {
  AddFile add;
  add.path = path;
  add.partition_values = std::move(partition_values);
  add.size = 100;
  add.modification_time = 1;
  add.stats = R"({"numRecords":3})";
  return add;
}

Operation Op(std::string name) {
  Operation op;
  op.name = std::move(name);
  return op;
}

// Creates a table with `files` at version 0.
void Create(const std::string& root, Metadata metadata, std::vector<AddFile> files = {}) {
  auto txn = Transaction::ForNewTable(root, Fs());
  txn->UpdateMetadata(std::move(metadata));
  for (AddFile& file : files)
    txn->Add(std::move(file));
  auto result = txn->Commit(Op("CREATE TABLE"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->version, 0);
}

std::unique_ptr<Transaction> Begin(const std::string& root, TransactionOptions options = {}) {
  auto txn = Transaction::Start(root, Fs(), std::move(options));
  EXPECT_TRUE(txn.ok()) << txn.status().ToString();
  return std::move(*txn);
}

SnapshotPtr Load(const std::string& root) {
  auto snapshot = Snapshot::Load(root, Fs());
  EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  return snapshot.ok() ? *snapshot : nullptr;
}

std::vector<std::string> CommitLines(const std::string& root, int64_t version) {
  auto text = Fs().ReadFile(JoinPath(LogDirectory(root), CommitFileName(version)));
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text.ok() ? *text : "");
  while (std::getline(in, line))
    lines.push_back(line);
  return lines;
}

void ExpectConflict(const Result<CommitResult>& result, const std::string& exception,
                    const std::string& text = "") {
  ASSERT_FALSE(result.ok()) << "expected " << exception;
  EXPECT_EQ(result.status().code(), StatusCode::kConflict) << result.status().ToString();
  EXPECT_EQ(result.status().message().rfind(exception + ": ", 0), 0u) << result.status().ToString();
  EXPECT_NE(result.status().message().find(text), std::string::npos) << result.status().ToString();
}

TEST(DeltaTransactionTest, CreatesVersionZeroThenAppends) {
  const std::string root = TableDir();
  Create(root, TableMetadata(), {File("a.parquet")});
  auto v0 = Load(root);
  ASSERT_NE(v0, nullptr);
  EXPECT_EQ(v0->version(), 0);
  EXPECT_EQ(v0->protocol().min_reader_version, 1);
  EXPECT_EQ(v0->protocol().min_writer_version, 2);
  EXPECT_EQ(v0->metadata().id.size(), 36u);
  EXPECT_TRUE(v0->metadata().created_time.has_value());
  ASSERT_EQ(v0->files().size(), 1u);

  auto txn = Begin(root);
  EXPECT_EQ(txn->read_version(), 0);
  txn->Add(File("b.parquet"));
  EXPECT_TRUE(txn->IsBlindAppend());
  auto result = txn->Commit(Op("WRITE"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->version, 1);
  EXPECT_EQ(result->attempts, 1);
  EXPECT_FALSE(result->skipped);
  auto v1 = Load(root);
  EXPECT_EQ(v1->version(), 1);
  EXPECT_EQ(v1->files().size(), 2u);
  // A transaction commits once.
  EXPECT_EQ(txn->Commit(Op("WRITE")).status().code(), StatusCode::kInvalidArgument);
}

TEST(DeltaTransactionTest, CommitInfoComesFirstWithSparksFields) {
  const std::string root = TableDir();
  Create(root, TableMetadata());
  auto create = CommitLines(root, 0);
  ASSERT_EQ(create.size(), 3u);
  EXPECT_EQ(create[0].rfind("{\"commitInfo\":{\"timestamp\":", 0), 0u) << create[0];
  EXPECT_EQ(create[1].rfind("{\"protocol\":", 0), 0u) << create[1];
  EXPECT_EQ(create[2].rfind("{\"metaData\":", 0), 0u) << create[2];
  EXPECT_EQ(create[0].find("readVersion"), std::string::npos) << create[0];

  auto txn = Begin(root);
  txn->Add(File("a.parquet"));
  txn->Add(File("b.parquet"));
  Operation op = Op("WRITE");
  op.parameters = {{"mode", "Append"}, {"partitionBy", "[]"}};
  op.user_metadata = "batch 7";
  ASSERT_TRUE(txn->Commit(op).ok());
  auto lines = CommitLines(root, 1);
  ASSERT_EQ(lines.size(), 3u);
  auto json = JsonValue::Parse(lines[0]);
  ASSERT_TRUE(json.ok());
  const JsonValue* info = json->Find("commitInfo");
  ASSERT_NE(info, nullptr);
  std::vector<std::string> keys;
  for (const auto& member : info->members())
    keys.push_back(member.first);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"timestamp", "operation", "operationParameters",
                                      "readVersion", "isolationLevel", "isBlindAppend",
                                      "operationMetrics", "userMetadata", "engineInfo", "txnId"}));
  EXPECT_EQ(info->Find("operationParameters")->Serialize(),
            R"({"mode":"Append","partitionBy":"[]"})");
  EXPECT_EQ(info->Find("readVersion")->text(), "0");
  EXPECT_EQ(info->Find("isolationLevel")->text(), "Serializable");
  EXPECT_TRUE(info->Find("isBlindAppend")->bool_value());
  EXPECT_EQ(info->Find("operationMetrics")->Serialize(),
            R"({"numFiles":"2","numOutputRows":"6","numOutputBytes":"200"})");
  EXPECT_EQ(info->Find("engineInfo")->text(), "sluice/0.1.0");
  EXPECT_EQ(info->Find("txnId")->text().size(), 36u);
}

TEST(DeltaTransactionTest, BlindAppendsRetryAfterALostRace) {
  const std::string root = TableDir();
  Create(root, TableMetadata());
  auto first = Begin(root);
  auto second = Begin(root);
  auto third = Begin(root);
  first->Add(File("1.parquet"));
  second->Add(File("2.parquet"));
  third->Add(File("3.parquet"));
  ASSERT_TRUE(first->Commit(Op("WRITE")).ok());
  ASSERT_TRUE(second->Commit(Op("WRITE")).ok());
  auto result = third->Commit(Op("WRITE"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->version, 3);
  EXPECT_EQ(result->attempts, 2);  // lost at 1, checked 1 and 2, won at 3
  auto snapshot = Load(root);
  EXPECT_EQ(snapshot->version(), 3);
  EXPECT_EQ(snapshot->files().size(), 3u);
  // readVersion stays the version read.
  auto json = JsonValue::Parse(CommitLines(root, 3)[0]);
  EXPECT_EQ(json->Find("commitInfo")->Find("readVersion")->text(), "0");
}

TEST(DeltaTransactionTest, GivesUpAfterMaxAttempts) {
  const std::string root = TableDir();
  Create(root, TableMetadata());
  TransactionOptions options;
  options.max_commit_attempts = 1;
  auto loser = Begin(root, options);
  auto winner = Begin(root);
  loser->Add(File("1.parquet"));
  winner->Add(File("2.parquet"));
  ASSERT_TRUE(winner->Commit(Op("WRITE")).ok());
  auto result = loser->Commit(Op("WRITE"));
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable) << result.status().ToString();
  EXPECT_NE(result.status().message().find("has been tried 1 times"), std::string::npos);
}

TEST(DeltaTransactionTest, ConcurrentAppendToAPartitionThatWasRead) {
  const std::string root = TableDir();
  Create(root, TableMetadata({"p"}), {File("p=a/1.parquet", {{"p", "a"}})});
  auto deleter = Begin(root);
  auto files = deleter->FilterFiles(PartitionEquals({{"p", "a"}}));
  ASSERT_EQ(files.size(), 1u);
  deleter->Remove(MakeRemove(files[0], 5));
  auto other_partition = Begin(root);
  other_partition->Add(File("p=b/2.parquet", {{"p", "b"}}));
  ASSERT_TRUE(other_partition->Commit(Op("WRITE")).ok());
  auto same_partition = Begin(root);
  same_partition->Add(File("p=a/3.parquet", {{"p", "a"}}));
  ASSERT_TRUE(same_partition->Commit(Op("WRITE")).ok());
  ExpectConflict(deleter->Commit(Op("DELETE")), "ConcurrentAppendException",
                 "Files were added to partition [p=a] by a concurrent update.");
}

TEST(DeltaTransactionTest, WriteSerializableIgnoresConcurrentBlindAppends) {
  const std::string root = TableDir();
  Create(root, TableMetadata({"p"}, {{"delta.isolationLevel", "WriteSerializable"}}),
         {File("p=a/1.parquet", {{"p", "a"}})});
  auto deleter = Begin(root);
  auto files = deleter->FilterFiles(PartitionEquals({{"p", "a"}}));
  deleter->Remove(MakeRemove(files.at(0), 5));
  auto appender = Begin(root);
  appender->Add(File("p=a/3.parquet", {{"p", "a"}}));
  ASSERT_TRUE(appender->Commit(Op("WRITE")).ok());
  auto result = deleter->Commit(Op("DELETE"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->version, 2);
  auto json = JsonValue::Parse(CommitLines(root, 2)[0]);
  EXPECT_EQ(json->Find("commitInfo")->Find("isolationLevel")->text(), "WriteSerializable");
}

TEST(DeltaTransactionTest, ConcurrentAppendToAnUnpartitionedTableThatWasRead) {
  const std::string root = TableDir();
  Create(root, TableMetadata());
  auto reader = Begin(root);
  reader->ReadWholeTable();
  reader->Add(File("derived.parquet"));
  EXPECT_FALSE(reader->IsBlindAppend());
  auto appender = Begin(root);
  appender->Add(File("1.parquet"));
  ASSERT_TRUE(appender->Commit(Op("WRITE")).ok());
  ExpectConflict(reader->Commit(Op("WRITE")), "ConcurrentAppendException",
                 "Files were added to the root of the table by a concurrent update. Please try "
                 "the operation again.\nConflicting commit: {\"version\":1,");
}

TEST(DeltaTransactionTest, ConcurrentDeleteOfAFileThatWasRead) {
  const std::string root = TableDir();
  Create(root, TableMetadata({"p"}),
         {File("p=a/1.parquet", {{"p", "a"}}), File("p=b/2.parquet", {{"p", "b"}})});
  auto updater = Begin(root);
  auto files = updater->FilterFiles(PartitionEquals({{"p", "a"}}));
  updater->Add(File("p=b/new.parquet", {{"p", "b"}}));
  auto deleter = Begin(root);
  deleter->Remove(MakeRemove(files.at(0), 5));
  ASSERT_TRUE(deleter->Commit(Op("DELETE")).ok());
  ExpectConflict(updater->Commit(Op("UPDATE")), "ConcurrentDeleteReadException",
                 "(for example p=a/1.parquet in partition [p=a])");
}

TEST(DeltaTransactionTest, ConcurrentDeleteOfTheSameFile) {
  const std::string root = TableDir();
  Create(root, TableMetadata(), {File("1.parquet")});
  auto snapshot = Load(root);
  auto first = Transaction::FromSnapshot(snapshot, Fs());
  auto second = Transaction::FromSnapshot(snapshot, Fs());
  first->Remove(MakeRemove(snapshot->files()[0], 5));
  second->Remove(MakeRemove(snapshot->files()[0], 6));
  ASSERT_TRUE(first->Commit(Op("DELETE")).ok());
  ExpectConflict(second->Commit(Op("DELETE")), "ConcurrentDeleteDeleteException",
                 "deleted (for example 1.parquet) by a concurrent update");
}

TEST(DeltaTransactionTest, ConcurrentMetadataAndProtocolChanges) {
  const std::string root = TableDir();
  Create(root, TableMetadata());
  auto appender = Begin(root);
  appender->Add(File("1.parquet"));
  auto alter = Begin(root);
  Metadata metadata = *alter->metadata();
  metadata.configuration.emplace_back("delta.logRetentionDuration", "interval 2 days");
  alter->UpdateMetadata(metadata);
  ASSERT_TRUE(alter->Commit(Op("SET TBLPROPERTIES")).ok());
  ExpectConflict(appender->Commit(Op("WRITE")), "MetadataChangedException",
                 "The metadata of the Delta table has been changed by a concurrent update.");

  auto appender2 = Begin(root);
  appender2->Add(File("2.parquet"));
  auto upgrade = Begin(root);
  Protocol protocol = *upgrade->protocol();
  protocol.min_writer_version = 3;
  upgrade->UpdateProtocol(protocol);
  ASSERT_TRUE(upgrade->Commit(Op("UPGRADE PROTOCOL")).ok());
  ExpectConflict(appender2->Commit(Op("WRITE")), "ProtocolChangedException",
                 "The protocol version of the Delta table has been changed");
}

TEST(DeltaTransactionTest, ConcurrentCreatesOfOneTable) {
  const std::string root = TableDir();
  auto first = Transaction::ForNewTable(root, Fs());
  auto second = Transaction::ForNewTable(root, Fs());
  first->UpdateMetadata(TableMetadata());
  second->UpdateMetadata(TableMetadata());
  ASSERT_TRUE(first->Commit(Op("CREATE TABLE")).ok());
  ExpectConflict(second->Commit(Op("CREATE TABLE")), "ProtocolChangedException",
                 "This happens when multiple writers are writing to an empty directory.");
}

TEST(DeltaTransactionTest, ConcurrentCommitsOfOneAppId) {
  const std::string root = TableDir();
  Create(root, TableMetadata());
  auto first = Begin(root);
  auto second = Begin(root);
  EXPECT_EQ(first->ReadTransactionVersion("stream-1"), std::nullopt);
  first->SetAppTransaction("stream-1", 0);
  first->Add(File("1.parquet"));
  second->SetAppTransaction("stream-1", 1);
  second->Add(File("2.parquet"));
  ASSERT_TRUE(second->Commit(Op("STREAMING UPDATE")).ok());
  ExpectConflict(first->Commit(Op("STREAMING UPDATE")), "ConcurrentTransactionException",
                 "multiple streaming queries are using the same checkpoint");
}

TEST(DeltaTransactionTest, ConcurrentChangesOfOneMetadataDomain) {
  const std::string root = TableDir();
  Create(root, TableMetadata({}, {{"delta.feature.domainMetadata", "supported"}}));
  auto v0 = Load(root);
  EXPECT_EQ(v0->protocol().min_writer_version, 7);
  EXPECT_TRUE(v0->protocol().HasWriterFeature("domainMetadata"));
  EXPECT_EQ(v0->Property("delta.feature.domainMetadata"), nullptr);
  auto first = Begin(root);
  auto second = Begin(root);
  first->SetDomainMetadata({"com.example.owner", R"({"v":1})", false});
  second->SetDomainMetadata({"com.example.owner", R"({"v":2})", false});
  ASSERT_TRUE(second->Commit(Op("SET DOMAIN")).ok());
  ExpectConflict(first->Commit(Op("SET DOMAIN")), "ConcurrentTransactionException",
                 "A conflicting metadata domain com.example.owner is added.");
  auto system = Begin(root);
  system->SetDomainMetadata({"delta.rowTracking", "{}", false});
  EXPECT_EQ(system->Commit(Op("SET DOMAIN")).status().code(), StatusCode::kInvalidArgument);
}

TEST(DeltaTransactionTest, AppendOnlyTablesRefuseDataChangingRemoves) {
  const std::string root = TableDir();
  Create(root, TableMetadata({}, {{"delta.appendOnly", "true"}}), {File("1.parquet")});
  auto snapshot = Load(root);
  EXPECT_EQ(snapshot->protocol().min_writer_version, 2);
  auto deleter = Transaction::FromSnapshot(snapshot, Fs());
  deleter->Remove(MakeRemove(snapshot->files()[0], 5));
  auto result = deleter->Commit(Op("DELETE"));
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find(
                "This table is configured to only allow appends. If you would like to permit "
                "updates or deletes, use 'ALTER TABLE <table_name> SET TBLPROPERTIES "
                "(delta.appendOnly=false)'."),
            std::string::npos)
      << result.status().ToString();
  // Rearranging (dataChange=false) is allowed, and runs under snapshot isolation.
  auto compact = Transaction::FromSnapshot(snapshot, Fs());
  compact->Remove(MakeRemove(snapshot->files()[0], 5, /*data_change=*/false));
  AddFile merged = File("merged.parquet");
  merged.data_change = false;
  compact->Add(merged);
  ASSERT_TRUE(compact->Commit(Op("OPTIMIZE")).ok());
  auto json = JsonValue::Parse(CommitLines(root, 1)[0]);
  EXPECT_EQ(json->Find("commitInfo")->Find("isolationLevel")->text(), "SnapshotIsolation");
}

TEST(DeltaTransactionTest, SameAppIdAndVersionCommitsOnce) {
  const std::string root = TableDir();
  Create(root, TableMetadata());
  for (int run = 0; run < 2; ++run) {
    auto txn = Begin(root);
    txn->SetAppTransaction("query-42", 5);
    txn->Add(File("batch5-run" + std::to_string(run) + ".parquet"));
    auto result = txn->Commit(Op("WRITE"));
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result->version, 1);
    EXPECT_EQ(result->skipped, run == 1);
  }
  auto snapshot = Load(root);
  EXPECT_EQ(snapshot->version(), 1);
  EXPECT_EQ(snapshot->files().size(), 1u);
  EXPECT_EQ(snapshot->TransactionVersion("query-42"), 5);
  // An older batch is skipped too; the next one commits.
  auto older = Begin(root);
  older->SetAppTransaction("query-42", 3);
  EXPECT_TRUE(older->Commit(Op("WRITE"))->skipped);
  auto next = Begin(root);
  next->SetAppTransaction("query-42", 6);
  next->Add(File("batch6.parquet"));
  auto result = next->Commit(Op("WRITE"));
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->skipped);
  EXPECT_EQ(Load(root)->TransactionVersion("query-42"), 6);
  auto lines = CommitLines(root, 2);
  EXPECT_NE(lines.at(1).find(R"({"txn":{"appId":"query-42","version":6,"lastUpdated":)"),
            std::string::npos)
      << lines.at(1);
}

TEST(DeltaTransactionTest, RefusesInvalidCommits) {
  const std::string root = TableDir();
  auto no_metadata = Transaction::ForNewTable(root, Fs());
  no_metadata->Add(File("1.parquet"));
  EXPECT_EQ(no_metadata->Commit(Op("WRITE")).status().code(), StatusCode::kInvalidArgument);
  Create(root, TableMetadata({"p"}));
  auto twice = Begin(root);
  twice->Add(File("p=a/1.parquet", {{"p", "a"}}));
  twice->Add(File("p=a/1.parquet", {{"p", "a"}}));
  EXPECT_EQ(twice->Commit(Op("WRITE")).status().code(), StatusCode::kInvalidArgument);
  auto unpartitioned = Begin(root);
  unpartitioned->Add(File("1.parquet"));
  auto result = unpartitioned->Commit(Op("WRITE"));
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("partitioned by [p]"), std::string::npos);
  auto downgrade = Begin(root);
  downgrade->UpdateProtocol(Protocol{1, 1, std::nullopt, std::nullopt});
  EXPECT_EQ(downgrade->Commit(Op("X")).status().code(), StatusCode::kInvalidArgument);
  auto bad_property = Begin(root);
  Metadata metadata = *bad_property->metadata();
  metadata.configuration = {{"delta.appendOnly", "maybe"}};
  bad_property->UpdateMetadata(metadata);
  EXPECT_EQ(bad_property->Commit(Op("X")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Load(root)->version(), 0);
}

TEST(DeltaTransactionTest, RefusesTablesWithFeaturesItCannotWrite) {
  const std::string root = TableDir();
  auto create = Transaction::ForNewTable(root, Fs());
  create->UpdateMetadata(TableMetadata({}, {{"delta.constraints.positive", "id > 0"}}));
  auto created = create->Commit(Op("CREATE TABLE"));
  EXPECT_EQ(created.status().code(), StatusCode::kNotImplemented) << created.status().ToString();
  // A table another engine created with a CHECK constraint.
  Metadata metadata = TableMetadata({}, {{"delta.constraints.positive", "id > 0"}});
  metadata.id = "0b1d6a2e-5b8e-4d43-9d6e-1f0c2f0e8a11";
  ASSERT_TRUE(Fs().CreateDirectories(LogDirectory(root)).ok());
  ASSERT_TRUE(
      Fs().PutIfAbsent(JoinPath(LogDirectory(root), CommitFileName(0)),
                       SerializeActions({Protocol{1, 3, std::nullopt, std::nullopt}, metadata}))
          .ok());
  auto txn = Begin(root);
  txn->Add(File("1.parquet"));
  auto result = txn->Commit(Op("WRITE"));
  EXPECT_EQ(result.status().code(), StatusCode::kNotImplemented) << result.status().ToString();
  EXPECT_NE(result.status().message().find("checkConstraints"), std::string::npos);
}

TEST(DeltaTransactionTest, InCommitTimestampsIncrease) {
  const std::string root = TableDir();
  ManualClock clock(1'700'000'000'000'000);
  TransactionOptions options;
  options.clock = &clock;
  auto create = Transaction::ForNewTable(root, Fs(), options);
  create->UpdateMetadata(TableMetadata({}, {{"delta.enableInCommitTimestamps", "true"}}));
  ASSERT_TRUE(create->Commit(Op("CREATE TABLE")).ok());
  auto v0 = Load(root);
  EXPECT_TRUE(v0->protocol().HasWriterFeature("inCommitTimestamp"));
  EXPECT_EQ(v0->timestamp_millis(), 1'700'000'000'000);
  // The clock going backwards still gives an increasing timestamp.
  clock.SetMicros(1'600'000'000'000'000);
  auto append = Begin(root, options);
  append->Add(File("1.parquet"));
  ASSERT_TRUE(append->Commit(Op("WRITE")).ok());
  auto lines = CommitLines(root, 1);
  EXPECT_EQ(lines[0].rfind(R"({"commitInfo":{"inCommitTimestamp":1700000000001,)", 0), 0u)
      << lines[0];
  EXPECT_EQ(Load(root)->timestamp_millis(), 1'700'000'000'001);
}

TEST(DeltaTransactionTest, MetadataChangesUpgradeTheProtocol) {
  const std::string root = TableDir();
  Create(root, TableMetadata());
  auto alter = Begin(root);
  Metadata metadata = *alter->metadata();
  metadata.configuration.emplace_back("delta.enableChangeDataFeed", "true");
  alter->UpdateMetadata(metadata);
  ASSERT_TRUE(alter->Commit(Op("SET TBLPROPERTIES")).ok());
  auto v1 = Load(root);
  EXPECT_EQ(v1->protocol().min_writer_version, 4);
  auto add_ntz = Begin(root);
  metadata = *add_ntz->metadata();
  metadata.schema_string =
      SchemaToJson(*MakeSchema({MakeField("id", LongType()), MakeField("p", StringType()),
                                MakeField("t", TimestampNtzType())}));
  add_ntz->UpdateMetadata(metadata);
  ASSERT_TRUE(add_ntz->Commit(Op("ADD COLUMNS")).ok());
  auto v2 = Load(root);
  EXPECT_EQ(v2->protocol().min_reader_version, 3);
  EXPECT_EQ(v2->protocol().min_writer_version, 7);
  EXPECT_TRUE(v2->protocol().HasReaderFeature("timestampNtz"));
  EXPECT_TRUE(v2->protocol().HasWriterFeature("changeDataFeed"));
  EXPECT_TRUE(v2->protocol().HasWriterFeature("appendOnly"));
}

// Sets the modification time of `path` to `seconds` since the epoch.
void SetMtime(const std::string& path, int64_t seconds) {
  struct utimbuf times = {seconds, seconds};
  ASSERT_EQ(utime(path.c_str(), &times), 0) << path;
}

void Touch(const std::string& path, int64_t seconds) {
  std::ofstream(path) << "x";
  SetMtime(path, seconds);
}

TEST(DeltaTransactionTest, ExpiredLogCleanupKeepsTheNewestCheckpointBeforeTheCutoff) {
  const std::string root = TableDir();
  const std::string log = LogDirectory(root);
  std::filesystem::create_directories(log);
  const int64_t now = 1'700'000'000;  // seconds
  const int64_t old = now - 40 * 86400;
  for (int64_t v = 0; v <= 25; ++v)
    Touch(log + "/" + CommitFileName(v), v <= 22 ? old + v : now);
  Touch(log + "/" + ClassicCheckpointFileName(10), old + 10);
  Touch(log + "/" + ClassicCheckpointFileName(20), old + 20);
  Touch(log + "/00000000000000000005.crc", old);
  Touch(log + "/.00000000000000000003.json.crc", old);
  Touch(log + "/_last_checkpoint", old);
  Touch(log + "/00000000000000000008.00000000000000000012.compacted.json", old);

  // No checkpoint at or before the cutoff commit: nothing to do.
  auto none = CleanUpExpiredLogs(root, Fs(), 50LL * 86400 * 1000, now * 1000);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(*none, 0);

  auto deleted = CleanUpExpiredLogs(root, Fs(), 30LL * 86400 * 1000, now * 1000);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(*deleted, 20 + 1 + 1 + 1);  // commits 0..19, checkpoint 10, crc 5, compaction
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(log))
    left.push_back(entry.path().filename().string());
  std::sort(left.begin(), left.end());
  std::vector<std::string> expected = {"00000000000000000020.checkpoint.parquet",
                                       "_last_checkpoint"};
  for (int64_t v = 20; v <= 25; ++v)
    expected.push_back(CommitFileName(v));
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(left, expected);
}

TEST(DeltaTransactionTest, CheckpointsAndLogCleanupKeepWhatALiveSnapshotNeeds) {
  const std::string root = TableDir();
  const std::string log = LogDirectory(root);
  ManualClock clock(Clock::System().NowMicros());
  TransactionOptions options;
  options.clock = &clock;
  Create(root, TableMetadata({}, {{"delta.checkpointInterval", "2"}}));
  for (int64_t v = 1; v <= 5; ++v) {
    auto txn = Begin(root, options);
    txn->Add(File(std::to_string(v) + ".parquet"));
    auto result = txn->Commit(Op("WRITE"));
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_TRUE(result->post_commit_status.ok()) << result->post_commit_status.ToString();
    EXPECT_EQ(result->checkpoint_written, v % 2 == 0) << v;
    EXPECT_EQ(result->log_files_deleted, 0);  // nothing is 30 days old
  }
  EXPECT_TRUE(std::filesystem::exists(log + "/" + ClassicCheckpointFileName(2)));
  EXPECT_TRUE(std::filesystem::exists(log + "/" + ClassicCheckpointFileName(4)));
  auto last = Fs().ReadFile(log + "/_last_checkpoint");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->rfind(R"({"version":4,)", 0), 0u) << *last;

  // 40 days later every commit is past the 30-day retention: the newest checkpoint (6,
  // written by this commit) and what follows it stay.
  clock.AdvanceMicros(40LL * 86400 * 1000 * 1000);
  auto txn = Begin(root, options);
  txn->Add(File("6.parquet"));
  auto result = txn->Commit(Op("WRITE"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->checkpoint_written);
  EXPECT_EQ(result->log_files_deleted, 6 + 2);  // commits 0..5, checkpoints 2 and 4
  EXPECT_FALSE(std::filesystem::exists(log + "/" + CommitFileName(5)));
  EXPECT_TRUE(std::filesystem::exists(log + "/" + CommitFileName(6)));
  auto snapshot = Load(root);
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->version(), 6);
  EXPECT_EQ(snapshot->files().size(), 6u);
  EXPECT_EQ(Snapshot::Load(root, Fs(), 5).status().code(), StatusCode::kInvalidArgument);
  auto next = Begin(root, options);
  next->Add(File("7.parquet"));
  ASSERT_TRUE(next->Commit(Op("WRITE")).ok());
  EXPECT_EQ(Load(root)->files().size(), 7u);
}

TEST(DeltaTransactionTest, CheckpointsDropExpiredTombstonesAndTransactionIds) {
  const std::string root = TableDir();
  ManualClock clock(Clock::System().NowMicros());
  TransactionOptions options;
  options.clock = &clock;
  Create(root,
         TableMetadata({}, {{"delta.checkpointInterval", "2"},
                            {"delta.setTransactionRetentionDuration", "interval 1 day"}}),
         {File("a.parquet"), File("b.parquet")});
  auto v0 = Load(root);
  auto remove = Transaction::FromSnapshot(v0, Fs(), options);
  remove->Remove(MakeRemove(v0->files()[0], clock.NowMicros() / 1000));
  remove->SetAppTransaction("old-stream", 1);
  ASSERT_TRUE(remove->Commit(Op("DELETE")).ok());
  clock.AdvanceMicros(8LL * 86400 * 1000 * 1000);  // past 1 week and past 1 day
  auto append = Begin(root, options);
  append->Add(File("c.parquet"));
  append->SetAppTransaction("new-stream", 1);
  auto result = append->Commit(Op("WRITE"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_TRUE(result->checkpoint_written) << result->post_commit_status.ToString();
  auto actions = ReadCheckpointFile(LogDirectory(root) + "/" + ClassicCheckpointFileName(2),
                                    LogDirectory(root), Fs());
  ASSERT_TRUE(actions.ok()) << actions.status().ToString();
  std::vector<std::string> txns;
  int adds = 0;
  int removes = 0;
  for (const Action& action : *actions) {
    if (const auto* txn = std::get_if<SetTransaction>(&action))
      txns.push_back(txn->app_id);
    adds += std::holds_alternative<AddFile>(action);
    removes += std::holds_alternative<RemoveFile>(action);
  }
  EXPECT_EQ(txns, std::vector<std::string>{"new-stream"});
  EXPECT_EQ(adds, 2);
  EXPECT_EQ(removes, 0);
}

}  // namespace
}  // namespace sluice::delta

namespace sluice::delta {
namespace {

TEST(DeltaTransactionTest, RowTrackingAssignsFreshRowIdsAndCommitVersions) {
  const std::string root = TableDir();
  Create(root, TableMetadata({}, {{"delta.enableRowTracking", "true"}}));
  auto v0 = Load(root);
  EXPECT_TRUE(v0->protocol().HasWriterFeature("rowTracking"));
  EXPECT_TRUE(v0->protocol().HasWriterFeature("domainMetadata"));
  ASSERT_NE(v0->Property("delta.rowTracking.materializedRowIdColumnName"), nullptr);
  EXPECT_EQ(v0->Property("delta.rowTracking.materializedRowIdColumnName")->rfind("_row-id-col-", 0),
            0u);
  auto first = Transaction::FromSnapshot(v0, Fs());
  auto second = Transaction::FromSnapshot(v0, Fs());
  first->Add(File("1.parquet"));  // 3 records each
  first->Add(File("2.parquet"));
  second->Add(File("3.parquet"));
  ASSERT_TRUE(first->Commit(Op("WRITE")).ok());
  auto result = second->Commit(Op("WRITE"));  // loses version 1, reassigns above its mark
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->version, 2);
  auto snapshot = Load(root);
  std::map<std::string, std::pair<int64_t, int64_t>> ids;
  for (const AddFile& file : snapshot->files())
    ids[file.path] = {file.base_row_id.value_or(-1), file.default_row_commit_version.value_or(-1)};
  EXPECT_EQ(ids, (std::map<std::string, std::pair<int64_t, int64_t>>{
                     {"1.parquet", {0, 1}}, {"2.parquet", {3, 1}}, {"3.parquet", {6, 2}}}));
  ASSERT_EQ(snapshot->domain_metadata().size(), 1u);
  EXPECT_EQ(snapshot->domain_metadata()[0].domain, "delta.rowTracking");
  EXPECT_EQ(snapshot->domain_metadata()[0].configuration, R"({"rowIdHighWaterMark":8})");
  // A file without numRecords cannot get row ids.
  auto no_stats = Begin(root);
  AddFile bare = File("4.parquet");
  bare.stats.reset();
  no_stats->Add(bare);
  EXPECT_EQ(no_stats->Commit(Op("WRITE")).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sluice::delta
