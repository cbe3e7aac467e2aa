// SPDX-License-Identifier: Apache-2.0
// stream_latency_bench: the fixed cost of a micro-batch (issue 6). A MicroBatchExecution
// reads a MemoryStream and writes into a Delta sink (one Delta commit per batch) or a
// memory sink; the program adds one small block (--rows rows, e.g. 1 and 1000) before
// each of --triggers triggers, then runs --triggers more triggers with no new data (the
// idle trigger cost), all synchronously on this thread (MicroBatchExecution::RunTrigger,
// timed around the call with the steady clock). The phases come from the driver's sync
// points (MicroBatch::BeforeOffsetLog ... AfterCommitLog), timestamped in microseconds:
//
//   latestOffset   trigger start -> BeforeOffsetLog (sources' latest offsets)
//   walCommit      BeforeOffsetLog -> AfterOffsetLog (offsets/<id> written durably)
//   getBatch+plan  AfterOffsetLog -> BeforeSinkCommit (source rows, the plan)
//   sink           BeforeSinkCommit -> AfterSinkCommit (the sink's AddBatch: Delta commit)
//   commitOffsets  BeforeCommitLog -> AfterCommitLog (commits/<id>)
//   rest           AfterCommitLog -> trigger end (log purge, progress, listeners)
//
// progress.durationMs.triggerExecution (whole milliseconds) is reported beside them.
// Usage: stream_latency_bench [--triggers N] [--rows 1,1000] [--sinks delta,memory]
//                             [--dir DIR]
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/batch.h"
#include "columnar/builder.h"
#include "common/file_system.h"
#include "common/sync_point.h"
#include "stream/delta_sink.h"
#include "stream/memory_sink.h"
#include "stream/memory_source.h"
#include "stream/streaming_query.h"
#include "types/data_type.h"

namespace sluice::bench {
namespace {

using stream::MicroBatchExecution;

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// The driver's sync points, in the order a batch passes them.
constexpr std::array<std::string_view, 6> kPoints = {
    "MicroBatch::BeforeOffsetLog", "MicroBatch::AfterOffsetLog",  "MicroBatch::BeforeSinkCommit",
    "MicroBatch::AfterSinkCommit", "MicroBatch::BeforeCommitLog", "MicroBatch::AfterCommitLog"};

/// When each sync point was last passed (ns; 0: not in this trigger).
std::array<int64_t, kPoints.size()> g_stamps{};

void InstallStamps() {
  SyncPoints::SetCallback([](std::string_view point) {
    for (size_t i = 0; i < kPoints.size(); ++i) {
      if (point == kPoints[i]) {
        g_stamps[i] = NowNanos();
      }
    }
    return Status::Ok();
  });
}

/// The phases reported, in microseconds.
constexpr std::array<const char*, 7> kPhases = {
    "total", "latestOffset", "walCommit", "getBatch+plan", "sink", "commitOffsets", "rest"};

struct Sample {
  std::array<double, kPhases.size()> us{};
  int64_t progress_trigger_ms = -1;  // -1: no progress recorded by this trigger
};

Sample Measure(int64_t start, int64_t end) {
  auto us = [](int64_t from, int64_t to) { return static_cast<double>(to - from) / 1000.0; };
  Sample sample;
  sample.us[0] = us(start, end);
  if (g_stamps[0] == 0) {  // an idle trigger: no batch ran
    sample.us[1] = sample.us[0];
    return sample;
  }
  sample.us[1] = us(start, g_stamps[0]);
  sample.us[2] = us(g_stamps[0], g_stamps[1]);
  sample.us[3] = us(g_stamps[1], g_stamps[2]);
  sample.us[4] = us(g_stamps[2], g_stamps[3]);
  sample.us[5] = us(g_stamps[4], g_stamps[5]);
  sample.us[6] = us(g_stamps[5], end);
  return sample;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) {
    return 0;
  }
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

void Report(const std::string& label, const std::vector<Sample>& samples) {
  std::vector<double> progress_ms;
  for (const Sample& sample : samples) {
    if (sample.progress_trigger_ms >= 0) {
      progress_ms.push_back(static_cast<double>(sample.progress_trigger_ms));
    }
  }
  std::printf("%-28s n=%zu", label.c_str(), samples.size());
  if (!progress_ms.empty()) {
    std::printf("  progress.triggerExecution p50=%.0fms p99=%.0fms", Percentile(progress_ms, 0.5),
                Percentile(progress_ms, 0.99));
  }
  std::printf("\n");
  std::printf("  %-14s %10s %10s %10s %10s\n", "phase (us)", "p50", "p99", "mean", "max");
  for (size_t phase = 0; phase < kPhases.size(); ++phase) {
    std::vector<double> values;
    double sum = 0;
    for (const Sample& sample : samples) {
      values.push_back(sample.us[phase]);
      sum += sample.us[phase];
    }
    if (sum == 0 && phase > 0) {
      continue;
    }
    const double max = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
    std::printf("  %-14s %10.1f %10.1f %10.1f %10.1f\n", kPhases[phase], Percentile(values, 0.5),
                Percentile(values, 0.99), sum / static_cast<double>(values.size()), max);
  }
  std::fflush(stdout);
}

SchemaPtr BidSchema() {
  return MakeSchema({Field{"auction", LongType(), true, {}}, Field{"price", LongType(), true, {}},
                     Field{"channel", StringType(), true, {}}});
}

BatchPtr MakeBlock(int64_t first, int64_t rows) {
  BatchBuilder builder(BidSchema());
  for (int64_t row = first; row < first + rows; ++row) {
    static_cast<Int64Builder*>(builder.column(0))->Append(1000 + row % 97);
    static_cast<Int64Builder*>(builder.column(1))->Append(row * 7 % 100000);
    static_cast<StringBuilder*>(builder.column(2))->Append(row % 2 == 0 ? "Google" : "Apple");
  }
  return builder.Finish();
}

/// One configuration: `triggers` triggers with `rows` new rows each, then `triggers`
/// idle triggers.
Status RunCase(const std::string& sink_kind, int64_t rows, int triggers, const std::string& dir) {
  LocalFileSystem& fs = LocalFileSystem::Default();
  const std::string root = fmt::format("{}/{}_{}", dir, sink_kind, rows);
  SLUICE_RETURN_IF_ERROR(fs.DeleteRecursively(root));
  stream::MemoryStream memory(BidSchema());
  SchemaPtr schema = BidSchema();
  stream::StreamingQueryOptions options;
  options.name = "latency_bench";
  options.checkpoint_location = root + "/checkpoint";
  options.sources.push_back(memory.MakeSource());
  if (sink_kind == "delta") {
    options.sink = std::make_unique<stream::DeltaSink>(root + "/table", std::vector<std::string>{},
                                                       stream::DeltaSinkOptions{}, nullptr);
  } else {
    options.sink = std::make_unique<stream::MemorySink>("latency_bench");
  }
  options.plan =
      [schema](const stream::MicroBatchInput& input) -> Result<stream::MicroBatchOutput> {
    stream::MicroBatchOutput output;
    output.schema = schema;
    for (const auto& source : input.sources) {
      output.batches.insert(output.batches.end(), source.begin(), source.end());
    }
    return output;
  };
  // Idle triggers report progress every time, so each idle sample has one.
  options.no_data_progress_interval_ms = 0;
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<MicroBatchExecution> execution,
                          MicroBatchExecution::Open(std::move(options)));

  std::vector<Sample> data_samples;
  std::vector<Sample> idle_samples;
  for (int phase = 0; phase < 2; ++phase) {
    const bool with_data = phase == 0;
    for (int i = 0; i < triggers; ++i) {
      if (with_data) {
        SLUICE_RETURN_IF_ERROR(memory.AddData({MakeBlock(i * rows, rows)}).status());
      }
      g_stamps.fill(0);
      const int64_t start = NowNanos();
      SLUICE_ASSIGN_OR_RETURN(bool ran, execution->RunTrigger());
      const int64_t end = NowNanos();
      if (ran != with_data) {
        return Status::Internal(fmt::format("trigger {} ran={} with_data={}", i, ran, with_data));
      }
      Sample sample = Measure(start, end);
      // Every trigger records progress (idle ones too: the interval is 0).
      std::optional<stream::StreamingQueryProgress> progress = execution->last_progress();
      if (progress.has_value() && progress->duration_ms.count("triggerExecution") > 0) {
        sample.progress_trigger_ms = progress->duration_ms.at("triggerExecution");
      }
      (with_data ? data_samples : idle_samples).push_back(sample);
    }
  }
  execution->Close();
  Report(fmt::format("{} sink, {} row(s)/trigger", sink_kind, rows), data_samples);
  Report(fmt::format("{} sink, idle (after {} batches)", sink_kind, triggers), idle_samples);
  return fs.DeleteRecursively(root);
}

}  // namespace
}  // namespace sluice::bench

int main(int argc, char** argv) {
  CLI::App app{"Micro-batch trigger latency: small and empty batches, Delta and memory sinks"};
  int triggers = 500;
  std::vector<int64_t> rows = {1, 1000};
  std::vector<std::string> sinks = {"delta", "memory"};
  std::string dir = fmt::format("/tmp/sluice_stream_latency_{}", static_cast<long>(getpid()));
  app.add_option("--triggers", triggers, "triggers with data (and as many idle ones)")
      ->check(CLI::PositiveNumber);
  app.add_option("--rows", rows, "rows per trigger, one case per value")->delimiter(',');
  app.add_option("--sinks", sinks, "delta and/or memory")
      ->delimiter(',')
      ->check(CLI::IsMember({"delta", "memory"}));
  app.add_option("--dir", dir, "scratch directory (removed at the end)");
  CLI11_PARSE(app, argc, argv);

  sluice::bench::InstallStamps();
  for (const std::string& sink : sinks) {
    for (int64_t count : rows) {
      sluice::Status status = sluice::bench::RunCase(sink, count, triggers, dir);
      if (!status.ok()) {
        std::fprintf(stderr, "stream_latency_bench: %s\n", status.ToString().c_str());
        return 1;
      }
    }
  }
  sluice::SyncPoints::ClearCallback();
  (void)sluice::LocalFileSystem::Default().DeleteRecursively(dir);
  return 0;
}
