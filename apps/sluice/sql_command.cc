// SPDX-License-Identifier: Apache-2.0
// `sluice sql`: the SQL shell over engine::Session. libedit is used here only.
#include "sql_command.h"

#include <editline/readline.h>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string_view>

#include "commands.h"
#include "engine/session.h"
#include "sql/parser.h"

namespace sluice::cli {
namespace {

constexpr std::string_view kPrompt = "sluice> ";
constexpr std::string_view kContinuationPrompt = "   ...> ";

constexpr std::string_view kHelp =
    "Statements end with ';' and may span lines. Meta commands:\n"
    "  .help                   this text\n"
    "  .tables [database]      SHOW TABLES\n"
    "  .databases              SHOW DATABASES\n"
    "  .timer on|off           print each statement's time\n"
    "  .mode table|csv|json    how rows are printed\n"
    "  .quit, .exit            leave (also Ctrl-D)\n";

/// How results are printed, changed by .mode and .timer.
struct Shell {
  std::unique_ptr<engine::Session> session;
  std::string mode = "table";
  bool timer = false;
  bool interactive = false;
};

std::string Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r\n\f\v");
  if (begin == std::string_view::npos)
    return "";
  const size_t end = text.find_last_not_of(" \t\r\n\f\v");
  return std::string(text.substr(begin, end - begin + 1));
}

// Whether `text` holds anything but white space and comments.
bool HasStatement(const std::string& text) {
  std::string rest;
  return !sql::SplitStatements(text + "\n;", &rest).empty();
}

Status PrintResult(const Shell& shell, const engine::QueryResult& result, double seconds) {
  const std::string time = shell.timer ? fmt::format(" ({:.3f} s)", seconds) : "";
  if (!result.has_rows) {
    if (shell.interactive)
      std::printf("OK%s\n", time.c_str());
    return Status::Ok();
  }
  OutputRequest output;
  output.limit = INT64_MAX;
  output.truncate = 0;
  output.output = shell.mode;
  SLUICE_RETURN_IF_ERROR(PrintBatches(result.schema, result.batches, output));
  const int64_t rows = result.num_rows();
  const std::string count = fmt::format("{} row{}{}", rows, rows == 1 ? "" : "s", time);
  if (shell.mode == "table") {
    std::printf("%s\n", count.c_str());
  } else if (shell.interactive) {
    std::fprintf(stderr, "%s\n", count.c_str());
  }
  std::fflush(stdout);
  return Status::Ok();
}

Status RunStatement(const Shell& shell, const std::string& statement) {
  const auto start = std::chrono::steady_clock::now();
  Result<engine::QueryResult> result = shell.session->Execute(statement);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  if (!result.ok())
    return result.status();
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult shown,
                          shell.session->InSessionTimeZone(std::move(result).value()));
  return PrintResult(shell, shown, elapsed.count());
}

void PrintError(const Status& status) {
  std::fflush(stdout);
  std::fprintf(stderr, "Error: %s\n", status.message().c_str());
}

// Runs a meta command; sets `*quit` for .quit/.exit.
Status RunMeta(Shell& shell, const std::string& line, bool* quit) {
  std::istringstream in(line);
  std::string command, argument;
  in >> command >> argument;
  if (command == ".quit" || command == ".exit") {
    *quit = true;
    return Status::Ok();
  }
  if (command == ".help") {
    std::printf("%s", kHelp.data());
    return Status::Ok();
  }
  if (command == ".tables") {
    return RunStatement(shell, argument.empty() ? "SHOW TABLES" : "SHOW TABLES IN " + argument);
  }
  if (command == ".databases") {
    return RunStatement(shell, "SHOW DATABASES");
  }
  if (command == ".timer" && (argument == "on" || argument == "off")) {
    shell.timer = argument == "on";
    return Status::Ok();
  }
  if (command == ".mode" && (argument == "table" || argument == "csv" || argument == "json")) {
    shell.mode = argument;
    return Status::Ok();
  }
  return Status::InvalidArgument(
      fmt::format("unknown or malformed meta command '{}'; try .help", Trim(line)));
}

// Runs every statement of a script, stopping at the first error.
int RunScript(const Shell& shell, const std::string& script) {
  std::string rest;
  std::vector<std::string> statements = sql::SplitStatements(script, &rest);
  if (HasStatement(rest))
    statements.push_back(rest);
  for (const std::string& statement : statements) {
    Status status = RunStatement(shell, statement);
    if (!status.ok()) {
      PrintError(status);
      return 1;
    }
  }
  return 0;
}

std::string HistoryPath() {
  const char* home = std::getenv("HOME");
  return home != nullptr && *home != '\0' ? std::string(home) + "/.sluice_history" : "";
}

// The interactive loop: reads lines until .quit or end of input.
int RunInteractive(Shell& shell) {
  const std::string history = HistoryPath();
  using_history();
  if (!history.empty())
    read_history(history.c_str());
  std::printf("sluice SQL shell, warehouse %s. End statements with ';', .help for help.\n",
              shell.session->warehouse_dir().c_str());
  std::string buffer;
  bool quit = false;
  while (!quit) {
    const bool fresh = Trim(buffer).empty();
    char* raw = readline(fresh ? kPrompt.data() : kContinuationPrompt.data());
    if (raw == nullptr)
      break;  // Ctrl-D
    std::string line(raw);
    std::free(raw);
    if (fresh && Trim(line).rfind('.', 0) == 0) {
      add_history(line.c_str());
      Status status = RunMeta(shell, Trim(line), &quit);
      if (!status.ok())
        PrintError(status);
      continue;
    }
    if (!Trim(line).empty())
      add_history(line.c_str());
    buffer += line;
    buffer += '\n';
    std::string rest;
    for (const std::string& statement : sql::SplitStatements(buffer, &rest)) {
      Status status = RunStatement(shell, statement);
      if (!status.ok())
        PrintError(status);
    }
    buffer = HasStatement(rest) ? rest : "";
  }
  if (!history.empty())
    write_history(history.c_str());
  return 0;
}

Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::IoError(fmt::format("cannot read '{}'", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int RunSql(const SqlRequest& request) {
  if (request.output != "table" && request.output != "csv" && request.output != "json") {
    std::fprintf(stderr, "sluice: --output: expected table, csv or json, got '%s'\n",
                 request.output.c_str());
    return 2;
  }
  engine::SessionOptions options;
  options.warehouse_dir = request.warehouse;
  for (const auto& [key, value] : request.settings)
    options.settings[key] = value;
  Result<std::unique_ptr<engine::Session>> session = engine::Session::Open(std::move(options));
  if (!session.ok()) {
    std::fprintf(stderr, "sluice: %s\n", session.status().ToString().c_str());
    return 1;
  }
  Shell shell;
  shell.session = std::move(session).value();
  shell.mode = request.output;
  if (!request.execute.empty()) {
    return RunScript(shell, request.execute);
  }
  if (!request.file.empty()) {
    Result<std::string> script = ReadAll(request.file);
    if (!script.ok()) {
      PrintError(script.status());
      return 1;
    }
    return RunScript(shell, *script);
  }
  if (::isatty(STDIN_FILENO) == 0) {
    std::stringstream text;
    text << std::cin.rdbuf();
    return RunScript(shell, text.str());
  }
  shell.interactive = true;
  shell.timer = true;
  return RunInteractive(shell);
}

}  // namespace sluice::cli
