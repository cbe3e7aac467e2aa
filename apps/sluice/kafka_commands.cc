// SPDX-License-Identifier: Apache-2.0
// `sluice kafka serve` (the embedded broker) and `sluice gen orders` (the order generator).
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "commands.h"
#include "common/file_system.h"
#include "kafka/bootstrap_proxy.h"
#include "kafka/client.h"
#include "kafka/mock_cluster.h"
#include "kafka/order_generator.h"
#include "stop_signal.h"
#include "types/datetime.h"

namespace sluice::cli {
namespace {

int Fail(const Status& status) {
  std::fprintf(stderr, "sluice: %s\n", status.ToString().c_str());
  return 1;
}

/// Parses "name:partitions" (or "name", 1 partition) of --topic.
Status ParseTopic(const std::string& spec, std::string* name, int32_t* partitions) {
  const size_t colon = spec.rfind(':');
  *name = spec.substr(0, colon);
  *partitions = 1;
  if (colon != std::string::npos) {
    const std::string count = spec.substr(colon + 1);
    char* end = nullptr;
    const long value = std::strtol(count.c_str(), &end, 10);
    if (count.empty() || *end != '\0' || value < 1 || value > 100000) {
      return Status::InvalidArgument(
          fmt::format("--topic expects name:partitions with partitions >= 1, got '{}'", spec));
    }
    *partitions = static_cast<int32_t>(value);
  }
  if (name->empty()) {
    return Status::InvalidArgument(fmt::format("--topic: empty topic name in '{}'", spec));
  }
  return Status::Ok();
}

/// Writes events as NDJSON files under a directory: a file every `events_per_file` events
/// or every second, each written to a temporary name (ending in .tmp, which the file
/// source skips) and renamed into place.
class NdjsonFiles {
 public:
  NdjsonFiles(std::string dir, std::string prefix, int64_t events_per_file)
      : dir_(std::move(dir)), prefix_(std::move(prefix)), events_per_file_(events_per_file) {}

  Status Add(const std::string& line) {
    if (lines_ == 0)
      opened_ = std::chrono::steady_clock::now();
    buffer_ += line;
    buffer_ += '\n';
    ++lines_;
    if (lines_ >= events_per_file_ ||
        std::chrono::steady_clock::now() - opened_ >= std::chrono::seconds(1)) {
      return Close();
    }
    return Status::Ok();
  }

  /// Writes the file being filled, if it has any line.
  Status Close() {
    if (lines_ == 0)
      return Status::Ok();
    const std::string path = fmt::format("{}/{}-{:06d}.json", dir_, prefix_, files_);
    SLUICE_RETURN_IF_ERROR(LocalFileSystem::Default().WriteFileAtomic(path, buffer_));
    ++files_;
    buffer_.clear();
    lines_ = 0;
    return Status::Ok();
  }

  int64_t files() const { return files_; }

 private:
  std::string dir_;
  std::string prefix_;
  int64_t events_per_file_;
  std::string buffer_;
  int64_t lines_ = 0;
  int64_t files_ = 0;
  std::chrono::steady_clock::time_point opened_;
};

/// What a run of the generator did.
struct GenCounts {
  int64_t events = 0;
  int64_t duplicates = 0;
  int64_t malformed = 0;
  int64_t late = 0;
};

Result<int64_t> StartTimeMs(const std::string& text) {
  if (text.empty()) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  int64_t micros = 0;
  if (!ParseTimestamp(text, &micros)) {
    return Status::InvalidArgument(
        fmt::format("--start-time expects an ISO-8601 timestamp, got '{}'", text));
  }
  return micros / 1000;
}

Status CheckGenRequest(const GenOrdersRequest& request) {
  if (request.bootstrap.empty() && request.files_dir.empty()) {
    return Status::InvalidArgument("sluice gen orders needs --bootstrap, --files or both");
  }
  for (double pct : {request.late_pct, request.duplicate_pct, request.malformed_pct}) {
    if (pct < 0 || pct > 100) {
      return Status::InvalidArgument(fmt::format("a percentage must be in 0..100, got {}", pct));
    }
  }
  if (request.duplicate_pct + request.malformed_pct > 100) {
    return Status::InvalidArgument("--duplicates plus --malformed must be at most 100");
  }
  if (request.rate < 0) {
    return Status::InvalidArgument(fmt::format("--rate must be >= 0, got {}", request.rate));
  }
  return Status::Ok();
}

/// Produces and/or writes events until --count, --duration or a signal.
Status GenerateOrders(const GenOrdersRequest& request, kafka::Producer* producer,
                      NdjsonFiles* files, GenCounts* counts) {
  kafka::OrderGenerator::Options options;
  options.seed = request.seed;
  options.late_pct = request.late_pct;
  options.duplicate_pct = request.duplicate_pct;
  options.malformed_pct = request.malformed_pct;
  SLUICE_ASSIGN_OR_RETURN(options.start_time_ms, StartTimeMs(request.start_time));
  options.event_interval_us =
      request.rate > 0 ? std::max<int64_t>(1, static_cast<int64_t>(1e6 / request.rate)) : 1000;
  kafka::OrderGenerator generator(options);

  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  const auto deadline = request.duration_s
                            ? start + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(*request.duration_s))
                            : Clock::time_point::max();
  for (int64_t n = 0; !request.count || n < *request.count; ++n) {
    if (request.rate > 0) {
      // Event n is due n / rate seconds after the start; sleep in short steps so a
      // signal is noticed.
      const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(n / request.rate));
      if (due >= deadline)
        break;
      while (Clock::now() < due && StopSignal() == 0) {
        std::this_thread::sleep_until(std::min(due, Clock::now() + std::chrono::milliseconds(100)));
      }
    } else if (Clock::now() >= deadline) {
      break;
    }
    if (StopSignal() != 0)
      break;
    const kafka::OrderEvent event = generator.Next();
    if (producer != nullptr) {
      kafka::OutgoingRecord record;
      record.topic = request.topic;
      record.key = event.key;
      record.value = event.value;
      if (request.partitions > 0) {
        record.partition = static_cast<int32_t>(event.order_id % request.partitions);
      }
      SLUICE_RETURN_IF_ERROR(producer->Produce(record));
    }
    if (files != nullptr) {
      SLUICE_RETURN_IF_ERROR(files->Add(event.value));
    }
    ++counts->events;
    counts->duplicates += event.kind == kafka::OrderEventKind::kDuplicate ? 1 : 0;
    counts->malformed += event.kind == kafka::OrderEventKind::kMalformed ? 1 : 0;
    counts->late += event.late && event.kind == kafka::OrderEventKind::kOrder ? 1 : 0;
  }
  if (producer != nullptr) {
    SLUICE_RETURN_IF_ERROR(producer->Flush());
  }
  if (files != nullptr) {
    SLUICE_RETURN_IF_ERROR(files->Close());
  }
  return Status::Ok();
}

}  // namespace

int RunGenOrders(const GenOrdersRequest& request) {
  Status valid = CheckGenRequest(request);
  if (!valid.ok()) {
    return Fail(valid);
  }
  std::unique_ptr<kafka::Producer> producer;
  if (!request.bootstrap.empty()) {
    Result<std::unique_ptr<kafka::Producer>> made =
        kafka::Producer::Make({{"bootstrap.servers", request.bootstrap},
                               {"linger.ms", "5"},
                               {"message.timeout.ms", "30000"}});
    if (!made.ok()) {
      return Fail(made.status());
    }
    producer = std::move(made).value();
  }
  std::unique_ptr<NdjsonFiles> files;
  if (!request.files_dir.empty()) {
    Status created = LocalFileSystem::Default().CreateDirectories(request.files_dir);
    if (!created.ok()) {
      return Fail(created);
    }
    // The wall-clock start in the names keeps a later run from overwriting these files.
    files = std::make_unique<NdjsonFiles>(
        request.files_dir,
        fmt::format("{}-{}", request.topic,
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count()),
        request.file_events);
  }
  CatchStopSignals();

  const auto start = std::chrono::steady_clock::now();
  GenCounts counts;
  Status status = GenerateOrders(request, producer.get(), files.get(), &counts);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string where;
  if (producer != nullptr) {
    where += fmt::format(" to topic {} at {}", request.topic, request.bootstrap);
  }
  if (files != nullptr) {
    where += fmt::format("{} {} file(s) in {}", producer != nullptr ? " and" : " as",
                         files->files(), request.files_dir);
  }
  std::fprintf(stdout,
               "sluice gen orders: %lld events (%lld duplicates, %lld malformed, %lld late)%s "
               "in %.2f s, %.0f events/s\n",
               static_cast<long long>(counts.events), static_cast<long long>(counts.duplicates),
               static_cast<long long>(counts.malformed), static_cast<long long>(counts.late),
               where.c_str(), elapsed, elapsed > 0 ? counts.events / elapsed : 0.0);
  std::fflush(stdout);
  return status.ok() ? 0 : Fail(status);
}

int RunKafkaServe(const KafkaServeRequest& request) {
  // SIGINT and SIGTERM are blocked in every thread (the mock's threads inherit the mask)
  // and taken by sigwait below: the broker stops cleanly from the main thread.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A reader of the ready line that goes away (`... | head -1`) must not end the broker.
  signal(SIGPIPE, SIG_IGN);

  Result<std::unique_ptr<kafka::MockCluster>> cluster = kafka::MockCluster::Start(request.brokers);
  if (!cluster.ok()) {
    return Fail(cluster.status());
  }
  for (const std::string& spec : request.topics) {
    std::string name;
    int32_t partitions = 1;
    Status status = ParseTopic(spec, &name, &partitions);
    if (status.ok()) {
      status = (*cluster)->CreateTopic(name, partitions);
    }
    if (!status.ok()) {
      return Fail(status);
    }
  }
  std::string bootstrap = (*cluster)->bootstrap_servers();
  std::unique_ptr<kafka::BootstrapProxy> proxy;
  if (request.port >= 0) {
    // The first broker's address, forwarded from the fixed port.
    const std::string first = bootstrap.substr(0, bootstrap.find(','));
    Result<std::unique_ptr<kafka::BootstrapProxy>> started =
        kafka::BootstrapProxy::Start(request.port, first);
    if (!started.ok()) {
      return Fail(started.status());
    }
    proxy = std::move(started).value();
    std::fprintf(stderr, "sluice kafka serve: 127.0.0.1:%d forwards to %s (brokers: %s)\n",
                 proxy->port(), first.c_str(), bootstrap.c_str());
    bootstrap = proxy->address();
  }
  if (!request.ready_file.empty()) {
    Status written = LocalFileSystem::Default().WriteFileAtomic(request.ready_file, bootstrap);
    if (!written.ok()) {
      return Fail(written);
    }
  }
  std::fprintf(stdout, "sluice kafka serve: bootstrap.servers=%s\n", bootstrap.c_str());
  std::fflush(stdout);

  int signal_number = 0;
  while (sigwait(&stop_signals, &signal_number) != 0) {
  }
  if (proxy != nullptr) {
    proxy->Stop();
  }
  cluster->reset();
  if (!request.ready_file.empty()) {
    ::unlink(request.ready_file.c_str());
  }
  std::fprintf(stderr, "sluice kafka serve: stopped (%s)\n",
               signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  return 0;
}

}  // namespace sluice::cli
