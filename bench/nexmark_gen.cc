// SPDX-License-Identifier: Apache-2.0
// nexmark_gen --rows N --out FILE [--seed S]: writes N Nexmark bids as NDJSON.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <string>

#include "nexmark.h"

int main(int argc, char** argv) {
  CLI::App app{"Writes deterministic Nexmark bid events as NDJSON"};
  int64_t rows = 1000000;
  std::string out_path;
  uint64_t seed = 42;
  app.add_option("--rows", rows, "number of bids")->check(CLI::PositiveNumber);
  app.add_option("--out", out_path, "output file")->required();
  app.add_option("--seed", seed, "PRNG seed");
  CLI11_PARSE(app, argc, argv);

  sluice::bench::NexmarkBidGenerator generator(seed);
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  if (!out) {
    std::fprintf(stderr, "nexmark_gen: cannot open %s\n", out_path.c_str());
    return 1;
  }
  std::string chunk;
  int64_t bytes = 0;
  for (int64_t done = 0; done < rows;) {
    chunk.clear();
    for (int i = 0; i < 10000 && done < rows; ++i, ++done) {
      generator.AppendBid(&chunk);
    }
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    bytes += static_cast<int64_t>(chunk.size());
  }
  out.close();
  if (!out) {
    std::fprintf(stderr, "nexmark_gen: write to %s failed\n", out_path.c_str());
    return 1;
  }
  std::printf("wrote %lld bids, %lld bytes (%.1f bytes/line) to %s\n", static_cast<long long>(rows),
              static_cast<long long>(bytes), static_cast<double>(bytes) / static_cast<double>(rows),
              out_path.c_str());
  return 0;
}
