// SPDX-License-Identifier: Apache-2.0
// Decodes NDJSON Nexmark bids with an explicit schema, materializing every column.
// items_per_second is rows per second on one thread. With SLUICE_BENCH_FILE set, the
// file is decoded instead of generated bids.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "common/file_system.h"
#include "formats/json/json_decoder.h"
#include "nexmark.h"

namespace sluice::bench {
namespace {

const std::string& Input() {
  static const std::string input = [] {
    if (const char* path = std::getenv("SLUICE_BENCH_FILE")) {
      auto data = LocalFileSystem::Default().ReadFile(path);
      if (!data.ok()) {
        std::fprintf(stderr, "%s\n", data.status().ToString().c_str());
        std::abort();
      }
      return *std::move(data);
    }
    return NexmarkBidGenerator(42).Generate(200000);
  }();
  return input;
}

void BM_DecodeNexmarkBids(benchmark::State& state) {
  const std::string& input = Input();
  auto decoder = json::JsonDecoder::Make(NexmarkBidGenerator::Schema(), {});
  if (!decoder.ok()) {
    state.SkipWithError(decoder.status().ToString().c_str());
    return;
  }
  int64_t rows = 0;
  for (auto _ : state) {
    int64_t nulls = 0;
    Status status = (*decoder)->DecodeNdjson(input, [&](BatchPtr batch) {
      rows += batch->num_rows();
      for (const VectorPtr& column : batch->columns()) {
        nulls += column->null_count();
      }
      benchmark::DoNotOptimize(batch);
      return Status::Ok();
    });
    if (!status.ok() || nulls != 0) {
      state.SkipWithError(status.ok() ? "unexpected nulls" : status.ToString().c_str());
      return;
    }
  }
  state.SetItemsProcessed(rows);
  state.SetBytesProcessed(static_cast<int64_t>(input.size()) * state.iterations());
  state.counters["malformed"] = static_cast<double>((*decoder)->stats().malformed_records);
}
BENCHMARK(BM_DecodeNexmarkBids)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace sluice::bench

BENCHMARK_MAIN();
