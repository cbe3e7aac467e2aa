// SPDX-License-Identifier: Apache-2.0
// Delta table benchmarks (release build). Three parts, each selectable with --only:
//
//   commit    commit latency of small appends, one at a time, on a fresh table:
//             floor:           LocalFileSystem::PutIfAbsent of a commit-sized file (write a
//                              temporary file, fsync, link, unlink, directory fsync): the
//                              durable-commit floor of this machine, measured beside the rest;
//             add_action:      Transaction::Start + Add(one add action with stats) + Commit
//                              (the file it names is not written);
//             add_action_commit: the Commit() call alone of the same transactions;
//             append_100_rows: delta::Append of a 100-row batch: Parquet file written and
//                              synced, snapshot loaded, commit.
//             Checkpoints (every delta.checkpointInterval = 10 commits) and their cost are
//             part of every measurement, as they are of a real writer; each measurement
//             is printed again split into the commits that wrote no checkpoint
//             (<name>_no_checkpoint) and those that did (<name>_checkpoint).
//   snapshot  Snapshot::Load of a table of --versions commits (one add action each, a
//             checkpoint every 10 commits), built once under --dir and reused: the latest
//             version, and time travel to an old version just after a checkpoint
//             (versions/2 + 5) and to version 9 (ten JSON commits, no checkpoint); and
//             ListLog of its _delta_log alone, which every load starts with.
//   scan      Scan::Make + ReadAll of every column of a --rows table in --files files
//             (id long, value double, name string, ts timestamp; unpartitioned), written
//             once with delta::Append (one commit per file) and reused: one thread, then
//             with a ThreadPool of --threads. The live files' absolute paths go to
//             DIR/scan_files.txt for bench/duckdb_delta_scan.mjs.
//
// Prints one machine-readable line per measurement, e.g.
//   sluice commit add_action n=1000 p50_ms=1.52 p99_ms=4.80 mean_ms=1.71 max_ms=9.10
//   sluice snapshot latest version=10000 files=10000 checkpoint=10000 json_commits=0 n=10
//     best_ms=41.2 median_ms=43.0                                        (one line)
//   sluice scan threads=1 rows=10000000 files=10 bytes=190100479 best_seconds=1.52
//     rows_per_s=6578947                                                 (one line)
// Usage: delta_bench --dir DIR [--only commit,snapshot,scan] [--commits 1000]
//        [--appends 1000] [--versions 10000] [--rows 10000000] [--files 10]
//        [--repeat 10] [--threads N]
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "columnar/batch.h"
#include "columnar/builder.h"
#include "common/file_system.h"
#include "common/thread_pool.h"
#include "delta/actions.h"
#include "delta/partition_values.h"
#include "delta/scan.h"
#include "delta/snapshot.h"
#include "delta/transaction.h"
#include "delta/writer.h"
#include "types/data_type.h"
#include "types/schema_json.h"

namespace sluice::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Millis(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

int Fail(const Status& status) {
  std::fprintf(stderr, "delta_bench: %s\n", status.ToString().c_str());
  return 1;
}

// Nearest-rank percentile of sorted `values`.
double Percentile(const std::vector<double>& sorted, double p) {
  size_t rank = static_cast<size_t>(p * static_cast<double>(sorted.size()) + 0.999999);
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

// Prints "sluice <what> n=.. p50_ms=.. p99_ms=.. mean_ms=.. max_ms=..".
void PrintLatencies(const std::string& what, std::vector<double> millis) {
  if (millis.empty())
    return;
  std::sort(millis.begin(), millis.end());
  double sum = 0;
  for (double value : millis)
    sum += value;
  std::printf("sluice %s n=%zu p50_ms=%.3f p99_ms=%.3f mean_ms=%.3f max_ms=%.3f\n", what.c_str(),
              millis.size(), Percentile(millis, 0.50), Percentile(millis, 0.99),
              sum / static_cast<double>(millis.size()), millis.back());
  std::fflush(stdout);
}

// Prints "sluice snapshot <what> ... n=.. best_ms=.. median_ms=..".
void PrintBestMedian(const std::string& what, std::vector<double> millis) {
  std::sort(millis.begin(), millis.end());
  std::printf("sluice snapshot %s n=%zu best_ms=%.3f median_ms=%.3f\n", what.c_str(), millis.size(),
              millis.front(), Percentile(millis, 0.50));
  std::fflush(stdout);
}

// The benchmark table's schema: id long, value double, name string, ts timestamp.
SchemaPtr TableSchema() {
  return MakeSchema({MakeField("id", DataType::MakePrimitive(TypeId::kLong)),
                     MakeField("value", DataType::MakePrimitive(TypeId::kDouble)),
                     MakeField("name", DataType::MakePrimitive(TypeId::kString)),
                     MakeField("ts", TimestampType())});
}

// Deterministic rows of TableSchema(): ids from `first_id`, values uniform in [0, 1000),
// names drawn from 10,000 random lower-case words of 6 to 14 letters, timestamps one
// millisecond apart (plus up to a millisecond of jitter) from 2024-01-01.
class RowGenerator {
 public:
  RowGenerator() : random_(42) {
    std::uniform_int_distribution<int> length(6, 14);
    std::uniform_int_distribution<int> letter('a', 'z');
    words_.resize(10000);
    for (std::string& word : words_) {
      word.resize(static_cast<size_t>(length(random_)));
      for (char& c : word)
        c = static_cast<char>(letter(random_));
    }
  }

  BatchPtr Make(int64_t first_id, int64_t rows) {
    BatchBuilder builder(TableSchema());
    auto* id = static_cast<Int64Builder*>(builder.column(0));
    auto* value = static_cast<DoubleBuilder*>(builder.column(1));
    auto* name = static_cast<StringBuilder*>(builder.column(2));
    auto* ts = static_cast<Int64Builder*>(builder.column(3));
    for (int c = 0; c < 4; ++c)
      builder.column(c)->Reserve(rows);
    std::uniform_real_distribution<double> uniform(0, 1000);
    std::uniform_int_distribution<size_t> word(0, words_.size() - 1);
    std::uniform_int_distribution<int64_t> jitter(0, 999);
    constexpr int64_t kStartMicros = 1704067200LL * 1000000;  // 2024-01-01T00:00:00Z
    for (int64_t row = first_id; row < first_id + rows; ++row) {
      id->Append(row);
      value->Append(uniform(random_));
      name->Append(words_[word(random_)]);
      ts->Append(kStartMicros + row * 1000 + jitter(random_));
    }
    return builder.Finish();
  }

 private:
  std::mt19937_64 random_;
  std::vector<std::string> words_;
};

// Creates an empty table of TableSchema() at `root` (replacing whatever is there).
Status CreateFreshTable(const std::string& root, FileSystem& fs) {
  SLUICE_RETURN_IF_ERROR(fs.DeleteRecursively(root));
  std::unique_ptr<delta::Transaction> txn = delta::Transaction::ForNewTable(root, fs);
  delta::Metadata metadata;
  metadata.schema_string = SchemaToJson(*TableSchema());
  txn->UpdateMetadata(std::move(metadata));
  return txn->Commit(delta::Operation{"CREATE TABLE", {}, {}, std::nullopt}).status();
}

// An add action for a small made-up file number `n` of 100 rows, with stats.
delta::AddFile MakeAdd(int64_t n) {
  delta::AddFile add;
  add.path = fmt::format("part-{:05d}-6f1c2a5e-3d4b-4c8a-9e2f-{:012d}-c000.snappy.parquet", n, n);
  add.size = 4096;
  add.modification_time = 1732406400000 + n;
  add.stats = fmt::format(
      "{{\"numRecords\":100,\"minValues\":{{\"id\":{},\"value\":0.5,\"name\":\"aaa\","
      "\"ts\":\"2024-01-01T00:00:00.000Z\"}},\"maxValues\":{{\"id\":{},\"value\":999.5,"
      "\"name\":\"zzz\",\"ts\":\"2024-01-01T00:00:01.000Z\"}},\"nullCount\":{{\"id\":0,"
      "\"value\":0,\"name\":0,\"ts\":0}}}}",
      n * 100, n * 100 + 99);
  return add;
}

const delta::Operation& AppendOperation() {
  static const delta::Operation operation{
      "WRITE", {{"mode", "Append"}, {"partitionBy", "[]"}}, {}, std::nullopt};
  return operation;
}

// Starts a transaction on `root`, adds `add`, commits. `commit_millis` gets the time of
// Commit() alone, `checkpoint` whether the commit wrote a checkpoint.
Status CommitAdd(const std::string& root, FileSystem& fs, delta::AddFile add, double* commit_millis,
                 bool* checkpoint) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<delta::Transaction> txn,
                          delta::Transaction::Start(root, fs));
  txn->Add(std::move(add));
  const auto start = Clock::now();
  SLUICE_ASSIGN_OR_RETURN(delta::CommitResult result, txn->Commit(AppendOperation()));
  *commit_millis = Millis(start);
  *checkpoint = result.checkpoint_written;
  return result.post_commit_status;
}

// Latencies of commits, also split by whether the commit wrote a checkpoint.
struct Samples {
  std::vector<double> all;
  std::vector<double> plain;
  std::vector<double> checkpoint;

  void Add(double millis, bool wrote_checkpoint) {
    all.push_back(millis);
    (wrote_checkpoint ? checkpoint : plain).push_back(millis);
  }
  // Prints "commit <name>", "commit <name>_no_checkpoint", "commit <name>_checkpoint".
  void Print(const std::string& name) const {
    PrintLatencies("commit " + name, all);
    if (!plain.empty() && !checkpoint.empty()) {
      PrintLatencies("commit " + name + "_no_checkpoint", plain);
      PrintLatencies("commit " + name + "_checkpoint", checkpoint);
    }
  }
};

// ---------------------------------------------------------------------------------------
// commit

Status RunCommit(const std::string& dir, int commits, int appends, FileSystem& fs) {
  // The floor: a commit-sized file made durable through the same primitive.
  {
    const std::string floor_dir = dir + "/floor";
    SLUICE_RETURN_IF_ERROR(fs.DeleteRecursively(floor_dir));
    SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(floor_dir));
    const std::string body = std::string(900, 'x') + "\n" + *MakeAdd(0).stats + "\n";
    std::vector<double> millis;
    for (int i = 0; i < commits; ++i) {
      const auto start = Clock::now();
      SLUICE_RETURN_IF_ERROR(fs.PutIfAbsent(fmt::format("{}/{:020d}.json", floor_dir, i), body));
      millis.push_back(Millis(start));
    }
    PrintLatencies(fmt::format("commit floor bytes={}", body.size()), std::move(millis));
  }
  {
    const std::string root = dir + "/commit_adds";
    SLUICE_RETURN_IF_ERROR(CreateFreshTable(root, fs));
    Samples total;
    Samples commit_only;
    for (int i = 1; i <= commits; ++i) {
      double commit_millis = 0;
      bool checkpoint = false;
      const auto start = Clock::now();
      SLUICE_RETURN_IF_ERROR(CommitAdd(root, fs, MakeAdd(i), &commit_millis, &checkpoint));
      total.Add(Millis(start), checkpoint);
      commit_only.Add(commit_millis, checkpoint);
    }
    total.Print("add_action");
    commit_only.Print("add_action_commit");
  }
  {
    const std::string root = dir + "/commit_appends";
    SLUICE_RETURN_IF_ERROR(CreateFreshTable(root, fs));
    RowGenerator generator;
    const std::vector<BatchPtr> batches{generator.Make(0, 100)};
    const delta::WriteOptions options;
    Samples millis;
    for (int i = 0; i < appends; ++i) {
      const auto start = Clock::now();
      SLUICE_ASSIGN_OR_RETURN(delta::WriteResult result, delta::Append(root, batches, options, fs));
      millis.Add(Millis(start), result.commit.checkpoint_written);
      SLUICE_RETURN_IF_ERROR(result.commit.post_commit_status);
    }
    millis.Print("append_100_rows");
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// snapshot

Status RunSnapshot(const std::string& dir, int64_t versions, int repeat, FileSystem& fs) {
  const std::string root = fmt::format("{}/snapshot_{}", dir, versions);
  Result<delta::SnapshotPtr> existing = delta::Snapshot::Load(root, fs);
  if (!existing.ok() || (*existing)->version() != versions) {
    std::fprintf(stderr, "delta_bench: building %s (%lld commits, untimed)\n", root.c_str(),
                 static_cast<long long>(versions));
    const auto start = Clock::now();
    SLUICE_RETURN_IF_ERROR(CreateFreshTable(root, fs));
    for (int64_t v = 1; v <= versions; ++v) {
      double ignored_millis = 0;
      bool ignored_checkpoint = false;
      SLUICE_RETURN_IF_ERROR(CommitAdd(root, fs, MakeAdd(v), &ignored_millis, &ignored_checkpoint));
    }
    std::fprintf(stderr, "delta_bench: built in %.1f s\n", Millis(start) / 1000);
  }
  {
    std::vector<double> millis;
    size_t entries = 0;
    for (int run = 0; run < repeat; ++run) {
      const auto start = Clock::now();
      SLUICE_ASSIGN_OR_RETURN(delta::LogListing listing,
                              delta::ListLog(delta::LogDirectory(root), fs));
      millis.push_back(Millis(start));
      entries = listing.commits.size() + listing.checkpoints.size();
    }
    PrintBestMedian(fmt::format("list_log commits_and_checkpoints={}", entries), std::move(millis));
  }
  std::vector<int64_t> targets{-1, versions / 2 + 5, 9};
  for (int64_t target : targets) {
    std::vector<double> millis;
    int64_t version = 0;
    size_t files = 0;
    int64_t checkpoint = -1;
    size_t commits = 0;
    for (int run = 0; run < repeat; ++run) {
      const auto start = Clock::now();
      SLUICE_ASSIGN_OR_RETURN(
          delta::SnapshotPtr snapshot,
          target < 0 ? delta::Snapshot::Load(root, fs) : delta::Snapshot::Load(root, fs, target));
      millis.push_back(Millis(start));
      version = snapshot->version();
      files = snapshot->files().size();
      const delta::LogSegment& segment = snapshot->segment();
      checkpoint = segment.checkpoint ? segment.checkpoint->version : -1;
      commits = segment.commits.size();
    }
    PrintBestMedian(
        fmt::format("{} version={} files={} checkpoint={} json_commits={}",
                    target < 0 ? "latest" : "time_travel", version, files, checkpoint, commits),
        std::move(millis));
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// scan

Status RunScan(const std::string& dir, int64_t rows, int files, int repeat, int threads,
               FileSystem& fs) {
  const std::string root = fmt::format("{}/scan_{}x{}", dir, files, rows / files);
  const std::string done = root + "/_bench_complete";
  SLUICE_ASSIGN_OR_RETURN(bool complete, fs.Exists(done));
  if (!complete) {
    std::fprintf(stderr, "delta_bench: writing %s (untimed)\n", root.c_str());
    SLUICE_RETURN_IF_ERROR(CreateFreshTable(root, fs));
    RowGenerator generator;
    constexpr int64_t kBatchRows = 65536;
    for (int f = 0; f < files; ++f) {
      const int64_t first = rows / files * f;
      const int64_t count = f + 1 == files ? rows - first : rows / files;
      std::vector<BatchPtr> batches;
      for (int64_t at = 0; at < count; at += kBatchRows)
        batches.push_back(generator.Make(first + at, std::min(kBatchRows, count - at)));
      SLUICE_ASSIGN_OR_RETURN(delta::WriteResult result,
                              delta::Append(root, batches, delta::WriteOptions{}, fs));
      SLUICE_RETURN_IF_ERROR(result.commit.post_commit_status);
    }
    SLUICE_RETURN_IF_ERROR(fs.WriteFileAtomic(done, ""));
  }
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot, delta::Snapshot::Load(root, fs));
  std::string list;
  int64_t bytes = 0;
  for (const delta::AddFile& add : snapshot->files()) {
    SLUICE_ASSIGN_OR_RETURN(std::string path, delta::ResolveDataPath(root, add.path));
    list += path + "\n";
    bytes += add.size;
  }
  SLUICE_RETURN_IF_ERROR(fs.WriteFileAtomic(dir + "/scan_files.txt", list));

  ThreadPool pool(threads);
  for (ThreadPool* use : {static_cast<ThreadPool*>(nullptr), &pool}) {
    double best = 1e100;
    int64_t read_rows = 0;
    for (int run = 0; run < repeat; ++run) {
      const auto start = Clock::now();
      delta::ScanOptions options;
      options.pool = use;
      SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<delta::Scan> scan,
                              delta::Scan::Make(snapshot, std::move(options), fs));
      SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> batches, scan->ReadAll());
      best = std::min(best, Millis(start) / 1000);
      read_rows = 0;
      for (const BatchPtr& batch : batches)
        read_rows += batch->num_rows();
    }
    if (read_rows != rows)
      return Status::Internal(fmt::format("scan read {} rows of {}", read_rows, rows));
    std::printf(
        "sluice scan threads=%d rows=%lld files=%zu bytes=%lld best_seconds=%.3f "
        "rows_per_s=%.0f\n",
        use == nullptr ? 1 : threads, static_cast<long long>(read_rows), snapshot->files().size(),
        static_cast<long long>(bytes), best, static_cast<double>(read_rows) / best);
    std::fflush(stdout);
  }
  return Status::Ok();
}

}  // namespace
}  // namespace sluice::bench

int main(int argc, char** argv) {
  using namespace sluice::bench;
  CLI::App app{"Delta commit latency, snapshot load and scan throughput"};
  std::string dir;
  std::string only = "commit,snapshot,scan";
  int commits = 1000;
  int appends = 1000;
  int64_t versions = 10000;
  int64_t rows = 10000000;
  int files = 10;
  int repeat = 10;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  app.add_option("--dir", dir, "where the tables go (reused between runs)")->required();
  app.add_option("--only", only, "comma-separated parts: commit, snapshot, scan");
  app.add_option("--commits", commits, "add-action commits (and floor writes)");
  app.add_option("--appends", appends, "100-row appends");
  app.add_option("--versions", versions, "commits of the snapshot table");
  app.add_option("--rows", rows, "rows of the scan table");
  app.add_option("--files", files, "files of the scan table");
  app.add_option("--repeat", repeat, "runs of each snapshot load (scans: min(repeat, 3))");
  app.add_option("--threads", threads, "threads of the scan's pool");
  CLI11_PARSE(app, argc, argv);

  sluice::FileSystem& fs = sluice::LocalFileSystem::Default();
  if (auto status = fs.CreateDirectories(dir); !status.ok())
    return Fail(status);
  const auto wants = [&](std::string_view part) { return only.find(part) != std::string::npos; };
  if (wants("commit")) {
    if (auto status = RunCommit(dir, commits, appends, fs); !status.ok())
      return Fail(status);
  }
  if (wants("snapshot")) {
    if (auto status = RunSnapshot(dir, versions, repeat, fs); !status.ok())
      return Fail(status);
  }
  if (wants("scan")) {
    if (auto status = RunScan(dir, rows, files, std::min(repeat, 3), threads, fs); !status.ok())
      return Fail(status);
  }
  return 0;
}
