// SPDX-License-Identifier: Apache-2.0
// SQL engine benchmark (issue 5; release build): the seven queries below through
// engine::Session::Execute over Delta tables, beside DuckDB running the same queries on
// the same Parquet files (bench/duckdb_sql_bench.mjs; bench/run_sql_bench.sh runs both).
//
// Tables, written once under --dir with delta::Append and reused (delete DIR to rebuild):
//   bids      --rows Nexmark-style bids in --files files (one Append of rows/files rows
//             each): auction, bidder, price BIGINT, channel STRING (4 values), url STRING,
//             date_time TIMESTAMP (10 ms apart plus up to 9 ms, from 2024-01-01), extra
//             STRING. Bidders: half from 10,000 hot ones, half uniform over 1,000,000
//             (about 1 M distinct); auctions: 90% from 100 hot ones (a new hot set every
//             file), else uniform over the dimension table; prices 100 + uniform below
//             10,000 (one in ten below 1,000,000).
//   auctions  --auctions rows: id (0 .. auctions-1), seller, category (20 values),
//             initial_bid BIGINT; one file.
// The live files' absolute paths go to DIR/bids_files.txt and DIR/auctions_files.txt for
// DuckDB. The tables are registered in the warehouse DIR/warehouse (rebuilt every run) by
// `CREATE TABLE bids USING DELTA LOCATION '...'`.
//
// Each query runs --repeat times (best time kept) on a session of each --threads count
// (SessionOptions.num_threads), its result materialized as Execute returns it. Prints
// one machine-readable line per query and thread count, e.g.
//   sluice sql query=group_by_channel threads=1 best_ms=412.345 rows=4
// with `value=<first column of the first row>` added for results of one row or in a
// defined order (to compare with DuckDB's).
// Usage: sql_bench --dir DIR [--rows 10000000] [--files 10] [--auctions 100000]
//        [--repeat 3] [--threads 1,2] [--only name,name]
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "columnar/builder.h"
#include "columnar/printer.h"
#include "common/file_system.h"
#include "delta/partition_values.h"
#include "delta/snapshot.h"
#include "delta/writer.h"
#include "engine/session.h"
#include "types/data_type.h"

namespace sluice::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Millis(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

int Fail(const Status& status) {
  std::fprintf(stderr, "sql_bench: %s\n", status.ToString().c_str());
  return 1;
}

/// One benchmark query. Keep these in step with QUERIES in duckdb_sql_bench.mjs.
struct Query {
  const char* name;
  const char* sql;
  /// Print the first value of the first row (one-row or ordered results).
  bool print_value;
};

const std::vector<Query>& Queries() {
  static const std::vector<Query> queries{
      {"count", "SELECT count(*) FROM bids", true},
      {"filtered_sum", "SELECT sum(price) FROM bids WHERE price > 5000 AND channel = 'Google'",
       true},
      {"group_by_channel",
       "SELECT channel, count(*), sum(price), avg(price) FROM bids GROUP BY channel", false},
      {"group_by_bidder", "SELECT bidder, count(*), max(price) FROM bids GROUP BY bidder", false},
      {"top10_price", "SELECT price, auction, bidder FROM bids ORDER BY price DESC LIMIT 10", true},
      {"window_10s_by_auction",
       "SELECT count(*) FROM (SELECT window(date_time, '10 seconds') AS w, auction, "
       "count(*) AS bids FROM bids GROUP BY window(date_time, '10 seconds'), auction)",
       true},
      {"join_category",
       "SELECT a.category, sum(b.price) FROM bids b JOIN auctions a ON b.auction = a.id "
       "GROUP BY a.category",
       false},
      // Scan-only floors: three BIGINT columns, and one dictionary-encoded string column.
      {"scan_longs", "SELECT max(price), max(auction), max(bidder) FROM bids", true},
      {"scan_channel", "SELECT count(*) FROM bids WHERE channel = 'Apple'", true},
  };
  return queries;
}

constexpr const char* kChannels[] = {"Google", "Facebook", "Baidu", "Apple"};
constexpr int64_t kStartMicros = 1704067200LL * 1000000;  // 2024-01-01T00:00:00Z
constexpr int64_t kColdBidders = 1000000;
constexpr int64_t kHotBidders = 10000;
constexpr int64_t kCategories = 20;

/// Deterministic rows of both tables (splitmix64, as nexmark.cc).
class Generator {
 public:
  explicit Generator(uint64_t seed) : state_(seed) {}

  static SchemaPtr BidSchema() {
    return MakeSchema({MakeField("auction", LongType()), MakeField("bidder", LongType()),
                       MakeField("price", LongType()), MakeField("channel", StringType()),
                       MakeField("url", StringType()), MakeField("date_time", TimestampType()),
                       MakeField("extra", StringType())});
  }

  static SchemaPtr AuctionSchema() {
    return MakeSchema({MakeField("id", LongType()), MakeField("seller", LongType()),
                       MakeField("category", LongType()), MakeField("initial_bid", LongType())});
  }

  /// Bids number `first` .. first+rows-1; `hot_base` is the first of the 100 hot auctions.
  BatchPtr Bids(int64_t first, int64_t rows, int64_t hot_base, int64_t auctions) {
    BatchBuilder builder(BidSchema());
    auto* auction = static_cast<Int64Builder*>(builder.column(0));
    auto* bidder = static_cast<Int64Builder*>(builder.column(1));
    auto* price = static_cast<Int64Builder*>(builder.column(2));
    auto* channel = static_cast<StringBuilder*>(builder.column(3));
    auto* url = static_cast<StringBuilder*>(builder.column(4));
    auto* date_time = static_cast<Int64Builder*>(builder.column(5));
    auto* extra = static_cast<StringBuilder*>(builder.column(6));
    for (int c = 0; c < builder.num_columns(); ++c)
      builder.column(c)->Reserve(rows);
    std::string text;
    for (int64_t event = first; event < first + rows; ++event) {
      auction->Append(Below(10) < 9 ? hot_base + Below(100) : Below(auctions));
      bidder->Append(Below(2) == 0 ? Below(kHotBidders) : Below(kColdBidders));
      price->Append(100 + Below(Below(10) == 0 ? 1000000 : 10000));
      channel->Append(kChannels[Below(4)]);
      text = "https://www.nexmark.com/";
      AppendWord(5, &text);
      text += '/';
      AppendWord(5, &text);
      text += "/item.htm?query=1";
      url->Append(text);
      date_time->Append(kStartMicros + (event * 10 + Below(10)) * 1000);
      text.clear();
      AppendWord(static_cast<int>(4 + Below(12)), &text);
      extra->Append(text);
    }
    return builder.Finish();
  }

  BatchPtr Auctions(int64_t first, int64_t rows) {
    BatchBuilder builder(AuctionSchema());
    auto* id = static_cast<Int64Builder*>(builder.column(0));
    auto* seller = static_cast<Int64Builder*>(builder.column(1));
    auto* category = static_cast<Int64Builder*>(builder.column(2));
    auto* initial_bid = static_cast<Int64Builder*>(builder.column(3));
    for (int64_t row = first; row < first + rows; ++row) {
      id->Append(row);
      seller->Append(Below(10000));
      category->Append(Below(kCategories));
      initial_bid->Append(100 + Below(1000));
    }
    return builder.Finish();
  }

 private:
  int64_t Below(int64_t bound) {
    return static_cast<int64_t>(Next() % static_cast<uint64_t>(bound));
  }
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  void AppendWord(int length, std::string* out) {
    for (int i = 0; i < length; ++i)
      out->push_back(static_cast<char>('a' + Below(26)));
  }

  uint64_t state_;
};

constexpr int64_t kBatchRows = 65536;

/// Writes both tables under `bids_root` and `auctions_root` unless a previous run
/// finished them (marked by a `_bench_complete` file).
Status BuildTables(const std::string& bids_root, const std::string& auctions_root, int64_t rows,
                   int files, int64_t auctions, FileSystem& fs) {
  const std::string done = bids_root + "/_bench_complete";
  SLUICE_ASSIGN_OR_RETURN(bool complete, fs.Exists(done));
  if (complete)
    return Status::Ok();
  std::fprintf(stderr, "sql_bench: writing %s and %s (untimed)\n", bids_root.c_str(),
               auctions_root.c_str());
  const auto start = Clock::now();
  SLUICE_RETURN_IF_ERROR(fs.DeleteRecursively(bids_root));
  SLUICE_RETURN_IF_ERROR(fs.DeleteRecursively(auctions_root));
  SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(bids_root));
  SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(auctions_root));
  Generator generator(42);
  {
    std::vector<BatchPtr> batches;
    for (int64_t at = 0; at < auctions; at += kBatchRows)
      batches.push_back(generator.Auctions(at, std::min(kBatchRows, auctions - at)));
    SLUICE_ASSIGN_OR_RETURN(delta::WriteResult result,
                            delta::Append(auctions_root, batches, delta::WriteOptions{}, fs));
    SLUICE_RETURN_IF_ERROR(result.commit.post_commit_status);
  }
  for (int f = 0; f < files; ++f) {
    const int64_t first = rows / files * f;
    const int64_t count = f + 1 == files ? rows - first : rows / files;
    const int64_t hot_base = (static_cast<int64_t>(f) * 100) % std::max<int64_t>(1, auctions - 100);
    std::vector<BatchPtr> batches;
    for (int64_t at = 0; at < count; at += kBatchRows)
      batches.push_back(
          generator.Bids(first + at, std::min(kBatchRows, count - at), hot_base, auctions));
    SLUICE_ASSIGN_OR_RETURN(delta::WriteResult result,
                            delta::Append(bids_root, batches, delta::WriteOptions{}, fs));
    SLUICE_RETURN_IF_ERROR(result.commit.post_commit_status);
  }
  SLUICE_RETURN_IF_ERROR(fs.WriteFileAtomic(done, ""));
  std::fprintf(stderr, "sql_bench: written in %.1f s\n", Millis(start) / 1000);
  return Status::Ok();
}

/// Writes the absolute paths of the live files of the table at `root` to `list`, one a
/// line.
Status WriteFileList(const std::string& root, const std::string& list, FileSystem& fs) {
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot, delta::Snapshot::Load(root, fs));
  std::string text;
  for (const delta::AddFile& add : snapshot->files()) {
    SLUICE_ASSIGN_OR_RETURN(std::string path, delta::ResolveDataPath(root, add.path));
    text += path + "\n";
  }
  return fs.WriteFileAtomic(list, text);
}

std::string Quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\')
      quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

Result<std::unique_ptr<engine::Session>> OpenSession(const std::string& warehouse, int threads) {
  engine::SessionOptions options;
  options.warehouse_dir = warehouse;
  options.num_threads = threads;
  options.settings = {{"spark.sql.session.timeZone", "UTC"}};
  return engine::Session::Open(std::move(options));
}

/// Runs every wanted query `repeat` times on a session of `threads` threads.
Status RunQueries(const std::string& warehouse, int threads, int repeat, const std::string& only) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Session> session,
                          OpenSession(warehouse, threads));
  for (const Query& query : Queries()) {
    if (!only.empty() &&
        ("," + only + ",").find(fmt::format(",{},", query.name)) == std::string::npos)
      continue;
    double best = 1e100;
    engine::QueryResult result;
    for (int run = 0; run < repeat; ++run) {
      const auto start = Clock::now();
      Result<engine::QueryResult> executed = session->Execute(query.sql);
      const double millis = Millis(start);
      if (!executed.ok()) {
        std::printf("sluice sql query=%s threads=%d failed after_ms=%.3f error=\"%s\"\n",
                    query.name, threads, millis, executed.status().ToString().c_str());
        std::fflush(stdout);
        break;
      }
      best = std::min(best, millis);
      result = std::move(*executed);
    }
    if (best > 1e99)
      continue;
    std::string value;
    if (query.print_value) {
      for (const BatchPtr& batch : result.batches) {
        if (batch->num_rows() > 0) {
          value = " value=" + FormatCell(*batch->column(0), 0);
          break;
        }
      }
    }
    std::printf("sluice sql query=%s threads=%d best_ms=%.3f rows=%lld%s\n", query.name, threads,
                best, static_cast<long long>(result.num_rows()), value.c_str());
    std::fflush(stdout);
  }
  return Status::Ok();
}

Status Run(const std::string& dir, int64_t rows, int files, int64_t auctions, int repeat,
           const std::vector<int>& thread_counts, const std::string& only, FileSystem& fs) {
  const std::string bids_root = fmt::format("{}/bids_{}x{}", dir, files, rows / files);
  const std::string auctions_root = fmt::format("{}/auctions_{}", dir, auctions);
  SLUICE_RETURN_IF_ERROR(BuildTables(bids_root, auctions_root, rows, files, auctions, fs));
  SLUICE_RETURN_IF_ERROR(WriteFileList(bids_root, dir + "/bids_files.txt", fs));
  SLUICE_RETURN_IF_ERROR(WriteFileList(auctions_root, dir + "/auctions_files.txt", fs));

  const std::string warehouse = dir + "/warehouse";
  SLUICE_RETURN_IF_ERROR(fs.DeleteRecursively(warehouse));
  {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Session> session,
                            OpenSession(warehouse, thread_counts.front()));
    // The columns are spelled out: the session rejects CREATE TABLE without them on a
    // location that holds a table (it compares an empty schema with the table's).
    const std::string statements[] = {
        fmt::format("CREATE TABLE bids ({}) USING DELTA LOCATION {}",
                    Generator::BidSchema()->ToDdl(), Quote(bids_root)),
        fmt::format("CREATE TABLE auctions ({}) USING DELTA LOCATION {}",
                    Generator::AuctionSchema()->ToDdl(), Quote(auctions_root))};
    for (const std::string& statement : statements)
      SLUICE_RETURN_IF_ERROR(session->Execute(statement).status());
  }
  std::printf("sluice sql rows=%lld files=%d auctions=%lld repeat=%d\n",
              static_cast<long long>(rows), files, static_cast<long long>(auctions), repeat);
  for (int threads : thread_counts)
    SLUICE_RETURN_IF_ERROR(RunQueries(warehouse, threads, repeat, only));
  return Status::Ok();
}

}  // namespace
}  // namespace sluice::bench

int main(int argc, char** argv) {
  using namespace sluice::bench;
  CLI::App app{"SQL queries over Delta tables through the session, best of --repeat"};
  std::string dir;
  int64_t rows = 10000000;
  int files = 10;
  int64_t auctions = 100000;
  int repeat = 3;
  std::vector<int> threads{1, 2};
  std::string only;
  app.add_option("--dir", dir, "where the tables and the warehouse go (reused)")->required();
  app.add_option("--rows", rows, "rows of the bids table");
  app.add_option("--files", files, "files of the bids table")->check(CLI::PositiveNumber);
  app.add_option("--auctions", auctions, "rows of the auctions table")
      ->check(CLI::Range(int64_t{200}, int64_t{1} << 40));
  app.add_option("--repeat", repeat, "runs of each query (the best is kept)")
      ->check(CLI::PositiveNumber);
  app.add_option("--threads", threads, "thread counts (SessionOptions.num_threads)")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  app.add_option("--only", only, "comma-separated query names (default: all)");
  CLI11_PARSE(app, argc, argv);

  sluice::FileSystem& fs = sluice::LocalFileSystem::Default();
  dir = std::filesystem::absolute(dir).lexically_normal().string();
  if (auto status = fs.CreateDirectories(dir); !status.ok())
    return Fail(status);
  if (auto status = Run(dir, rows, files, auctions, repeat, threads, only, fs); !status.ok())
    return Fail(status);
  return 0;
}
