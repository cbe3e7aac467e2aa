// SPDX-License-Identifier: Apache-2.0
// Parquet write and read throughput on Nexmark bids, one thread, the same data DuckDB
// gets in bench/duckdb_parquet.mjs: the NDJSON file of bench/nexmark_gen, decoded into
// in-memory batches first (untimed). Then, best of --repeat runs each:
//   write: the batches to a Parquet file (SNAPPY, then ZSTD), file closed;
//   read:  that file back, every column decoded into batches.
// Prints one line per measurement: "sluice <write|read> <codec> rows_per_s=N bytes=N".
// Usage: parquet_bench --in bids.ndjson [--dir /tmp] [--repeat 3]
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "common/ascii.h"
#include "common/file_system.h"
#include "formats/json/json_decoder.h"
#include "formats/json/json_options.h"
#include "formats/parquet/compression.h"
#include "formats/parquet/reader.h"
#include "formats/parquet/writer.h"
#include "nexmark.h"

namespace {

using Clock = std::chrono::steady_clock;
using sluice::BatchPtr;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int Fail(const sluice::Status& status) {
  std::fprintf(stderr, "parquet_bench: %s\n", status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Parquet write/read throughput on Nexmark bids"};
  std::string input;
  std::string dir = "/tmp";
  int repeat = 3;
  app.add_option("--in", input, "NDJSON bids (bench/nexmark_gen)")->required();
  app.add_option("--dir", dir, "where the Parquet files go");
  app.add_option("--repeat", repeat, "runs per measurement (the best counts)");
  CLI11_PARSE(app, argc, argv);

  auto data = sluice::LocalFileSystem::Default().ReadFile(input);
  if (!data.ok())
    return Fail(data.status());
  const sluice::SchemaPtr schema = sluice::bench::NexmarkBidGenerator::Schema();
  sluice::json::JsonReadOptions json_options;
  auto batches = sluice::json::ReadJson(*data, schema, json_options);
  if (!batches.ok())
    return Fail(batches.status());
  int64_t rows = 0;
  for (const BatchPtr& batch : *batches)
    rows += batch->num_rows();

  using sluice::parquet::Codec;
  for (Codec codec : {sluice::parquet::format::CompressionCodec::SNAPPY,
                      sluice::parquet::format::CompressionCodec::ZSTD}) {
    const std::string name = sluice::ToLowerAscii(sluice::parquet::CodecName(codec));
    const std::string path = fmt::format("{}/sluice_bids_{}.parquet", dir, name);
    double best_write = 1e100;
    int64_t bytes = 0;
    for (int run = 0; run < repeat; ++run) {
      sluice::parquet::ParquetWriteOptions options;
      options.compression = codec;
      const auto start = Clock::now();
      auto writer = sluice::parquet::ParquetWriter::Open(path, schema, options);
      if (!writer.ok())
        return Fail(writer.status());
      for (const BatchPtr& batch : *batches) {
        if (auto status = (*writer)->Write(*batch); !status.ok())
          return Fail(status);
      }
      auto result = (*writer)->Close();
      if (!result.ok())
        return Fail(result.status());
      best_write = std::min(best_write, Seconds(start));
      bytes = result->file_size;
    }
    std::printf("sluice write %s rows_per_s=%.0f bytes=%lld\n", name.c_str(), rows / best_write,
                static_cast<long long>(bytes));

    double best_read = 1e100;
    for (int run = 0; run < repeat; ++run) {
      const auto start = Clock::now();
      auto reader = sluice::parquet::ParquetReader::Open(path);
      if (!reader.ok())
        return Fail(reader.status());
      auto read = (*reader)->ReadAll();
      if (!read.ok())
        return Fail(read.status());
      int64_t read_rows = 0;
      for (const BatchPtr& batch : *read)
        read_rows += batch->num_rows();
      best_read = std::min(best_read, Seconds(start));
      if (read_rows != rows) {
        return Fail(sluice::Status::Internal(fmt::format("read {} rows of {}", read_rows, rows)));
      }
    }
    std::printf("sluice read %s rows_per_s=%.0f\n", name.c_str(), rows / best_read);
    std::fflush(stdout);
  }
  return 0;
}
