// SPDX-License-Identifier: Apache-2.0
#include "demo_command.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "commands.h"
#include "common/file_system.h"
#include "engine/session.h"
#include "stop_signal.h"

extern char** environ;

namespace sluice {
// examples/pipelines/orders.sql, embedded at build time.
extern const std::string_view kKafkaDemoPipelineSql;
}  // namespace sluice

namespace sluice::cli {

namespace {

/// A child process (this binary with other arguments) in a process group of its own,
/// stopped with SIGTERM when the object goes away.
class Child {
 public:
  static Result<std::unique_ptr<Child>> Spawn(const std::string& name,
                                              const std::vector<std::string>& args,
                                              const std::string& log_path) {
    std::vector<char> self(4096);
    ssize_t length = readlink("/proc/self/exe", self.data(), self.size() - 1);
    if (length <= 0)
      return Status::IoError("cannot find this program's path (/proc/self/exe)");
    std::string exe(self.data(), static_cast<size_t>(length));
    std::vector<std::string> argv_strings = {exe};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : argv_strings)
      argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    // A process group of its own: Ctrl-C in a terminal signals the whole foreground
    // group, and the broker must outlive the queries, which the demo stops first.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    pid_t pid = 0;
    int error = posix_spawn(&pid, exe.c_str(), &actions, &attributes, argv.data(), environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) {
      return Status::IoError(fmt::format("cannot start {}: {}", name, std::strerror(error)));
    }
    return std::unique_ptr<Child>(new Child(name, pid));
  }

  ~Child() {
    if (!Exited()) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }

  /// Whether the process has ended (reaped).
  bool Exited() {
    if (exited_)
      return true;
    int status = 0;
    exited_ = waitpid(pid_, &status, WNOHANG) == pid_;
    return exited_;
  }

  const std::string& name() const { return name_; }

 private:
  Child(std::string name, pid_t pid) : name_(std::move(name)), pid_(pid) {}
  std::string name_;
  pid_t pid_;
  bool exited_ = false;
};

/// Waits for the broker's ready file and returns the bootstrap servers in it.
Result<std::string> AwaitBroker(const std::string& ready_file, Child& broker) {
  FileSystem& fs = LocalFileSystem::Default();
  for (int i = 0; i < 300; ++i) {
    auto text = fs.ReadFile(ready_file);
    if (text.ok() && !text->empty()) {
      std::string servers = *text;
      while (!servers.empty() && (servers.back() == '\n' || servers.back() == ' ')) {
        servers.pop_back();
      }
      return servers;
    }
    if (broker.Exited())
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Status::Unavailable("the embedded Kafka broker did not start (see its log)");
}

void PrintProgress(const stream::StreamingQuery& query) {
  std::optional<stream::StreamingQueryProgress> progress = query.last_progress();
  if (!progress)
    return;
  std::printf(
      "  %-18s batch %lld: %lld records read, %lld rows written, %.1f records/s in, %.1f "
      "records/s processed, %lld ms\n",
      progress->name.c_str(), static_cast<long long>(progress->batch_id),
      static_cast<long long>(progress->num_input_rows),
      static_cast<long long>(progress->sink.num_output_rows), progress->input_rows_per_second,
      progress->processed_rows_per_second, static_cast<long long>(progress->batch_duration_ms));
}

}  // namespace

Status RunKafkaDemo(const KafkaDemoRequest& request) {
  FileSystem& fs = LocalFileSystem::Default();
  SLUICE_RETURN_IF_ERROR(fs.DeleteRecursively(request.dir));
  SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(request.dir));
  const std::string ready_file = request.dir + "/broker.ready";

  CatchStopSignals();

  SLUICE_ASSIGN_OR_RETURN(
      std::unique_ptr<Child> broker,
      Child::Spawn("the Kafka broker",
                   {"kafka", "serve", "--topic", "orders:3", "--ready-file", ready_file},
                   request.dir + "/broker.log"));
  SLUICE_ASSIGN_OR_RETURN(std::string bootstrap, AwaitBroker(ready_file, *broker));
  SLUICE_ASSIGN_OR_RETURN(
      std::unique_ptr<Child> generator,
      Child::Spawn("the order generator",
                   {"gen", "orders", "--bootstrap", bootstrap, "--topic", "orders", "--rate",
                    std::to_string(request.rate), "--late", "2", "--duplicates", "1", "--malformed",
                    "1", "--seed", "42"},
                   request.dir + "/generator.log"));

  engine::SessionOptions options;
  options.warehouse_dir = request.warehouse;
  options.settings["spark.sql.session.timeZone"] = "UTC";
  options.settings["kafka.bootstrap"] = bootstrap;
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Session> session, engine::Session::Open(options));
  // A new broker's offsets start at 0 again, so the checkpoints of an earlier demo's
  // tables would point past them: the demo's tables start afresh.
  for (const char* table : {"orders", "orders_quarantine"}) {
    SLUICE_RETURN_IF_ERROR(
        session->Execute(fmt::format("DROP TABLE IF EXISTS {}", table)).status());
  }
  std::printf(
      "sluice demo: a Kafka broker (%s, topic orders with 3 partitions) and an order generator "
      "(%lld events/s, some late, duplicated or malformed) run as child processes;\n"
      "examples/pipelines/orders.sql (embedded) streams the topic into the Delta tables orders "
      "and orders_quarantine in %s. Ctrl-C stops.\n\n",
      bootstrap.c_str(), static_cast<long long>(request.rate), request.warehouse.c_str());
  std::fflush(stdout);
  SLUICE_ASSIGN_OR_RETURN(stream::Trigger trigger,
                          stream::Trigger::ProcessingTime("500 milliseconds"));
  SLUICE_ASSIGN_OR_RETURN(auto queries, session->StartPipeline(kKafkaDemoPipelineSql, trigger));

  Status failure;
  const auto start = std::chrono::steady_clock::now();
  auto next_report = start + std::chrono::duration<double>(request.refresh_seconds);
  while (StopSignal() == 0 && failure.ok()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    for (const auto& query : queries) {
      if (!query->IsActive())
        failure = query->exception();
    }
    if (generator->Exited() || broker->Exited()) {
      failure = Status::Unavailable(
          fmt::format("{} stopped (see {}/)", broker->Exited() ? broker->name() : generator->name(),
                      request.dir));
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_report && failure.ok()) {
      next_report = now + std::chrono::duration<double>(request.refresh_seconds);
      std::printf("after %.0f s:\n", std::chrono::duration<double>(now - start).count());
      SLUICE_RETURN_IF_ERROR(PrintQuery(
          *session,
          "SELECT region, COUNT(*) AS order_count FROM orders GROUP BY region ORDER BY region",
          100));
      SLUICE_RETURN_IF_ERROR(
          PrintQuery(*session, "SELECT COUNT(*) AS quarantined FROM orders_quarantine", 1));
      for (const auto& query : queries)
        PrintProgress(*query);
      std::printf("\n");
      std::fflush(stdout);
    }
    if (request.duration_seconds > 0 &&
        now - start >= std::chrono::duration<double>(request.duration_seconds)) {
      break;
    }
  }
  for (const auto& query : queries)
    query->Stop();
  generator.reset();
  broker.reset();
  SLUICE_RETURN_IF_ERROR(failure);
  std::printf(
      "sluice demo: stopped. The Delta tables orders and orders_quarantine stay in %s:\n"
      "  sluice sql%s -e \"SELECT count(*) FROM orders\"\n"
      "  sluice sql%s -e \"SELECT error, count(*) FROM orders_quarantine GROUP BY error\"\n",
      request.warehouse.c_str(),
      request.warehouse == "sluice-warehouse" ? "" : (" --warehouse " + request.warehouse).c_str(),
      request.warehouse == "sluice-warehouse" ? "" : (" --warehouse " + request.warehouse).c_str());
  return Status::Ok();
}

}  // namespace sluice::cli
