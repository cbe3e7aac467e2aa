// SPDX-License-Identifier: Apache-2.0
// Several processes committing to one table, and a writer killed before its commit.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <set>

#include "columnar/batch.h"
#include "delta/log_files.h"
#include "delta/scan.h"
#include "delta/snapshot.h"
#include "delta/transaction.h"
#include "delta/writer.h"
#include "formats/parquet/writer.h"
#include "types/schema_json.h"

namespace sluice::delta {
namespace {

FileSystem& Fs() {
  return LocalFileSystem::Default();
}

SchemaPtr IdSchema() {
  return MakeSchema({MakeField("id", LongType())});
}

std::string TableDir() {
  const std::string dir = ::testing::TempDir() + "/concurrency_" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

BatchPtr IdBatch(const std::vector<int64_t>& ids) {
  BatchBuilder builder(IdSchema());
  auto* column = static_cast<Int64Builder*>(builder.column(0));
  for (int64_t id : ids)
    column->Append(id);
  return builder.Finish();
}

// Writes `ids` as a Parquet data file `name` under `root`; returns its add action.
Result<AddFile> WriteIds(const std::string& root, const std::string& name,
                         const std::vector<int64_t>& ids) {
  SLUICE_ASSIGN_OR_RETURN(auto writer, parquet::ParquetWriter::Open(root + "/" + name, IdSchema()));
  SLUICE_RETURN_IF_ERROR(writer->Write(*IdBatch(ids)));
  SLUICE_ASSIGN_OR_RETURN(parquet::ParquetWriteResult written, writer->Close());
  AddFile add;
  add.path = name;
  add.size = written.file_size;
  add.modification_time = 1;
  add.stats = fmt::format(R"({{"numRecords":{}}})", ids.size());
  return add;
}

Status CreateTable(const std::string& root) {
  auto txn = Transaction::ForNewTable(root, Fs());
  Metadata metadata;
  metadata.schema_string = SchemaToJson(*IdSchema());
  txn->UpdateMetadata(metadata);
  return txn->Commit(Operation{"CREATE TABLE", {}, {}, std::nullopt}).status();
}

Status AppendIds(const std::string& root, const std::string& name,
                 const std::vector<int64_t>& ids) {
  SLUICE_ASSIGN_OR_RETURN(AddFile add, WriteIds(root, name, ids));
  SLUICE_ASSIGN_OR_RETURN(auto txn, Transaction::Start(root, Fs()));
  txn->Add(std::move(add));
  Operation op{"WRITE", {{"mode", "Append"}, {"partitionBy", "[]"}}, {}, std::nullopt};
  return txn->Commit(op).status();
}

// Every id of the latest snapshot, read back through the scan API.
std::multiset<int64_t> ReadIds(const std::string& root) {
  std::multiset<int64_t> ids;
  auto snapshot = Snapshot::Load(root, Fs());
  EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  if (!snapshot.ok())
    return ids;
  auto scan = Scan::Make(*snapshot, ScanOptions{}, Fs());
  EXPECT_TRUE(scan.ok()) << scan.status().ToString();
  if (!scan.ok())
    return ids;
  auto batches = (*scan)->ReadAll();
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  if (!batches.ok())
    return ids;
  for (const BatchPtr& batch : *batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row)
      ids.insert(batch->column(0)->Value<int64_t>(row));
  }
  return ids;
}

TEST(DeltaConcurrencyTest, ProcessesAppendingConcurrentlyCommitEachVersionOnce) {
  constexpr int kProcesses = 4;
  constexpr int kAppends = 50;
  const std::string root = TableDir();
  ASSERT_TRUE(CreateTable(root).ok());
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      for (int i = 0; i < kAppends; ++i) {
        const int64_t id = p * 1000 + i;
        Status status = AppendIds(root, fmt::format("part-{}-{}.parquet", p, i), {id, id + 100000});
        if (!status.ok()) {
          std::fprintf(stderr, "process %d append %d: %s\n", p, i, status.ToString().c_str());
          _exit(1);
        }
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }

  auto snapshot = Snapshot::Load(root, Fs());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ((*snapshot)->version(), kProcesses * kAppends);
  EXPECT_EQ((*snapshot)->files().size(), static_cast<size_t>(kProcesses * kAppends));
  // Whoever committed a tenth version checkpointed it; the snapshot starts from the last.
  for (int64_t v = 10; v <= kProcesses * kAppends; v += 10) {
    EXPECT_TRUE(std::filesystem::exists(LogDirectory(root) + "/" + ClassicCheckpointFileName(v)))
        << v;
  }
  ASSERT_TRUE((*snapshot)->segment().checkpoint.has_value());
  EXPECT_EQ((*snapshot)->segment().checkpoint->version, kProcesses * kAppends);
  // Every version holds exactly one of the appends, and no append is in two versions.
  std::set<std::string> paths;
  for (int64_t v = 1; v <= kProcesses * kAppends; ++v) {
    auto text = Fs().ReadFile(JoinPath(LogDirectory(root), CommitFileName(v)));
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    auto actions = ParseActions(*text, CommitFileName(v));
    ASSERT_TRUE(actions.ok()) << actions.status().ToString();
    int adds = 0;
    for (const Action& action : *actions) {
      if (const auto* add = std::get_if<AddFile>(&action)) {
        ++adds;
        EXPECT_TRUE(paths.insert(add->path).second) << add->path << " committed twice";
      }
    }
    EXPECT_EQ(adds, 1) << "version " << v;
  }
  std::multiset<int64_t> expected;
  for (int p = 0; p < kProcesses; ++p) {
    for (int i = 0; i < kAppends; ++i) {
      expected.insert(p * 1000 + i);
      expected.insert(p * 1000 + i + 100000);
    }
  }
  EXPECT_EQ(ReadIds(root), expected);
}

TEST(DeltaConcurrencyTest, WriterKilledBeforeItsCommitLeavesOnlyCommittedData) {
  const std::string root = TableDir();
  ASSERT_TRUE(CreateTable(root).ok());
  ASSERT_TRUE(AppendIds(root, "committed.parquet", {1, 2, 3}).ok());
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Write the data files as a write does, then stop where the commit would follow.
    bool ok = false;
    auto snapshot = Snapshot::Load(root, Fs());
    if (snapshot.ok()) {
      auto files = WriteDataFiles(WriteTarget::FromSnapshot(**snapshot), {IdBatch({7, 8, 9})},
                                  DataFileOptions(), Fs());
      ok = files.ok() && files->size() == 1 &&
           Fs().WriteFileAtomic(root + "/orphan-name", files->front().path).ok();
    }
    const char byte = ok ? '1' : '0';
    if (write(ready[1], &byte, 1) != 1)
      _exit(2);
    while (true)
      pause();
  }
  close(ready[1]);
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  close(ready[0]);
  EXPECT_EQ(byte, '1');
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  // A commit killed inside put-if-absent leaves at most a temporary file in the log.
  const std::string log = LogDirectory(root);
  ASSERT_TRUE(
      Fs().WriteFileAtomic(log + "/" + CommitFileName(2) + ".12345.0.tmp", "{\"commitInfo\":{")
          .ok());

  auto orphan = Fs().ReadFile(root + "/orphan-name");
  ASSERT_TRUE(orphan.ok());
  EXPECT_TRUE(std::filesystem::exists(root + "/" + *orphan)) << *orphan;
  auto snapshot = Snapshot::Load(root, Fs());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ((*snapshot)->version(), 1);
  ASSERT_EQ((*snapshot)->files().size(), 1u);
  EXPECT_EQ((*snapshot)->files()[0].path, "committed.parquet");
  EXPECT_EQ(ReadIds(root), (std::multiset<int64_t>{1, 2, 3}));
  // The table stays writable: the next commit is version 2.
  ASSERT_TRUE(AppendIds(root, "after.parquet", {4}).ok());
  EXPECT_EQ(ReadIds(root), (std::multiset<int64_t>{1, 2, 3, 4}));
}

}  // namespace
}  // namespace sluice::delta
