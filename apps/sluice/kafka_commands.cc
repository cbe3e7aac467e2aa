// SPDX-License-Identifier: Apache-2.0
// `sluice kafka serve` (the embedded broker) and `sluice gen orders` (the order generator).
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "common/file_system.h"
#include "kafka/bootstrap_proxy.h"
#include "kafka/mock_cluster.h"

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

}  // namespace

int RunKafkaServe(const KafkaServeRequest& request) {
  // SIGINT and SIGTERM are blocked in every thread (the mock's threads inherit the mask)
  // and taken by sigwait below: the broker stops cleanly from the main thread.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

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
