// SPDX-License-Identifier: Apache-2.0
#include "run_command.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "common/file_system.h"
#include "engine/session.h"
#include "stop_signal.h"

namespace sluice::cli {

namespace {

/// Prints one line per micro-batch to stdout (flushed, so a supervisor sees progress).
class ProgressPrinter final : public stream::StreamingQueryListener {
 public:
  void OnQueryProgress(const stream::StreamingQueryProgress& progress) override {
    if (progress.num_input_rows == 0 && progress.sink.num_output_rows == 0) {
      return;
    }
    std::fprintf(stdout, "%s batch %lld: %lld input rows, %lld output rows, %lld ms\n",
                 progress.name.c_str(), static_cast<long long>(progress.batch_id),
                 static_cast<long long>(progress.num_input_rows),
                 static_cast<long long>(progress.sink.num_output_rows),
                 static_cast<long long>(progress.batch_duration_ms));
    std::fflush(stdout);
  }
};

int Fail(const Status& status) {
  std::fprintf(stderr, "sluice: %s\n", status.ToString().c_str());
  return 1;
}

}  // namespace

int RunPipeline(const RunRequest& request) {
  Result<std::string> script = LocalFileSystem::Default().ReadFile(request.file);
  if (!script.ok()) {
    return Fail(script.status());
  }
  engine::SessionOptions options;
  options.warehouse_dir = request.warehouse;
  for (const auto& [key, value] : request.settings) {
    options.settings[key] = value;
  }
  Result<std::unique_ptr<engine::Session>> session = engine::Session::Open(options);
  if (!session.ok()) {
    return Fail(session.status());
  }
  stream::Trigger trigger = stream::Trigger::Default();
  if (request.available_now) {
    trigger = stream::Trigger::AvailableNow();
  } else if (!request.trigger_interval.empty()) {
    Result<stream::Trigger> parsed = stream::Trigger::ProcessingTime(request.trigger_interval);
    if (!parsed.ok()) {
      return Fail(parsed.status());
    }
    trigger = *parsed;
  }
  // Signals are noted, not acted on in the handler: the main loop stops the queries.
  CatchStopSignals();

  (*session)->AddStreamingListener(std::make_shared<ProgressPrinter>());
  Result<std::vector<std::shared_ptr<stream::StreamingQuery>>> queries =
      (*session)->StartPipeline(*script, trigger);
  if (!queries.ok()) {
    for (const auto& query : (*session)->ActiveStreams()) {
      query->Stop();
    }
    return Fail(queries.status());
  }
  if (trigger.terminates()) {
    return 0;  // StartPipeline ran every query to its end
  }
  std::fprintf(stdout, "sluice: %zu streaming table(s) running; Ctrl-C stops them\n",
               queries->size());
  std::fflush(stdout);
  Status failure;
  while (StopSignal() == 0 && failure.ok()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    for (const auto& query : *queries) {
      if (!query->IsActive()) {
        failure = query->exception();
      }
    }
  }
  for (const auto& query : *queries) {
    query->Stop();
  }
  if (!failure.ok()) {
    return Fail(failure);
  }
  std::fprintf(stdout, "sluice: stopped\n");
  return 0;
}

}  // namespace sluice::cli
