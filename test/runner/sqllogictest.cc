// SPDX-License-Identifier: Apache-2.0
// sluice_sqllogictest: runs one sqllogictest file (DuckDB's dialect, style-anchors.md
// section 11.10) against a fresh engine::Session over a temporary warehouse.
//
//   sluice_sqllogictest [--testdata DIR] FILE.test
//
// Exit status: 0 when every record passed, 1 on the first failure (printed with the
// file:line, the SQL, and expected vs actual), 77 when a `require` is not met (CTest's
// SKIP_RETURN_CODE), 2 for usage errors and unreadable files.
#include <fmt/format.h>
#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "columnar/printer.h"
#include "common/ascii.h"
#include "common/sync_point.h"
#include "engine/session.h"
#include "kafka/client.h"
#include "kafka/mock_cluster.h"
#include "slt_file.h"

namespace sluice::slt {
namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSkipped = 77;
constexpr std::string_view kKafkaBootstrap = "{KAFKA_BOOTSTRAP}";

// Whether a file talks to Kafka: a `produce` record or {KAFKA_BOOTSTRAP} anywhere.
bool UsesKafka(const std::vector<Record>& records) {
  return std::any_of(records.begin(), records.end(), [](const Record& record) {
    auto mentions = [](const std::string& text) {
      return text.find(kKafkaBootstrap) != std::string::npos;
    };
    return record.kind == Record::Kind::kProduce || mentions(record.sql) ||
           mentions(record.expected_error) || mentions(record.contents) ||
           std::any_of(record.expected.begin(), record.expected.end(), mentions);
  });
}

// Features `require` accepts; any other skips the file.
const std::set<std::string>& SupportedFeatures() {
  static const std::set<std::string> features = {"delta",       "parquet",    "json", "csv",
                                                 "skip_reload", "syncpoints", "kafka"};
  return features;
}

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  size_t position = 0;
  while ((position = text.find(from, position)) != std::string::npos) {
    text.replace(position, from.size(), to);
    position += to.size();
  }
  return text;
}

// Whether an error matches a `statement error <code>`: the Spark error class in brackets
// at the start of the message (a prefix up to a '.' sub-class counts), or the status code
// by name (ParseError, BindError, NotFound, ...).
bool CodeMatches(const Status& status, const std::string& code) {
  const std::string& message = status.message();
  if (message.rfind("[" + code + "]", 0) == 0 || message.rfind("[" + code + ".", 0) == 0) {
    return true;
  }
  std::string normalized;
  for (char c : std::string(StatusCodeName(status.code()))) {
    if (c != ' ')
      normalized += LowerAscii(c);
  }
  const std::string wanted = ToLowerAscii(code);
  return wanted == normalized || (wanted == "binderror" && normalized == "bindererror");
}

// A result as text: one vector of values per row.
using Rows = std::vector<std::vector<std::string>>;

std::string RenderValue(const Vector& vector, int64_t row) {
  if (vector.IsNull(row)) {
    return "NULL";
  }
  std::string text = FormatCell(vector, row);
  return text.empty() ? "(empty)" : text;
}

Rows RenderRows(const engine::QueryResult& result) {
  Rows rows;
  for (const BatchPtr& batch : result.batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      std::vector<std::string> values;
      for (int column = 0; column < batch->schema()->num_fields(); ++column) {
        values.push_back(RenderValue(*batch->column(column), row));
      }
      rows.push_back(std::move(values));
    }
  }
  return rows;
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> values;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    values.push_back(line.substr(start, tab == std::string::npos ? tab : tab - start));
    if (tab == std::string::npos)
      break;
    start = tab + 1;
  }
  return values;
}

// The expected lines as rows of `columns` values: tab-separated rows, or (DuckDB's other
// form) one value per line when no line has a tab.
Rows ExpectedRows(const std::vector<std::string>& lines, size_t columns) {
  const bool any_tab = std::any_of(lines.begin(), lines.end(), [](const std::string& line) {
    return line.find('\t') != std::string::npos;
  });
  Rows rows;
  if (!any_tab && columns > 1 && lines.size() % columns == 0) {
    for (size_t i = 0; i < lines.size(); i += columns) {
      rows.emplace_back(lines.begin() + static_cast<std::ptrdiff_t>(i),
                        lines.begin() + static_cast<std::ptrdiff_t>(i + columns));
    }
    return rows;
  }
  for (const std::string& line : lines) {
    rows.push_back(SplitTabs(line));
  }
  return rows;
}

std::string JoinRows(const Rows& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0)
        out += '\t';
      out += row[i];
    }
    out += '\n';
  }
  return out;
}

// Puts both sides in the order the sort mode compares them in.
void Normalize(SortMode sort, bool ordered, Rows* rows) {
  if (sort == SortMode::kNoSort || (sort == SortMode::kDefault && ordered)) {
    return;
  }
  if (sort == SortMode::kValueSort) {
    std::vector<std::string> values;
    for (const auto& row : *rows)
      values.insert(values.end(), row.begin(), row.end());
    std::sort(values.begin(), values.end());
    rows->clear();
    for (std::string& value : values)
      rows->push_back({std::move(value)});
    return;
  }
  std::sort(rows->begin(), rows->end());
}

// Writes `contents` to `path` atomically: a hidden temp name in the same directory, then a
// rename (a streaming file source never sees a partial file). Creates the directories.
Status WriteFileAtomically(const std::string& path, const std::string& contents) {
  const std::filesystem::path target(path);
  std::error_code error;
  std::filesystem::create_directories(target.parent_path(), error);
  if (error) {
    return Status::IoError(
        fmt::format("cannot create the directory of {}: {}", path, error.message()));
  }
  const std::filesystem::path temp =
      target.parent_path() / ("." + target.filename().string() + ".slt.tmp");
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << contents;
    out.close();
    if (!out) {
      return Status::IoError(fmt::format("cannot write {}", temp.string()));
    }
  }
  std::filesystem::rename(temp, target, error);
  if (error) {
    return Status::IoError(fmt::format("cannot rename onto {}: {}", path, error.message()));
  }
  return Status::Ok();
}

// Whether a sync point's name is the one a `fail-at` names: the full name
// ("MicroBatch::BeforeOffsetLog"), or the part after the last "::".
bool SyncPointMatches(std::string_view point, const std::string& wanted) {
  if (point == wanted) {
    return true;
  }
  const size_t colons = point.rfind("::");
  return colons != std::string_view::npos && point.substr(colons + 2) == wanted;
}

// A `fail-at` waiting for its statement.
struct PendingFailure {
  std::string point;
  bool once = false;
  int line = 0;
};

/// Runs the records of one file.
class Runner {
 public:
  Runner(std::string file, std::string testdata, std::string temp_dir)
      : file_(std::move(file)), testdata_(std::move(testdata)), temp_dir_(std::move(temp_dir)) {}

  int Run(const std::vector<Record>& records) {
    if (UsesKafka(records)) {
      Status started = StartKafka();
      if (!started.ok()) {
        std::fprintf(stderr, "%s: cannot start the in-process Kafka cluster: %s\n", file_.c_str(),
                     started.ToString().c_str());
        return kExitFailed;
      }
    }
    Status opened = OpenSession();
    if (!opened.ok()) {
      std::fprintf(stderr, "%s: cannot open a session: %s\n", file_.c_str(),
                   opened.ToString().c_str());
      return kExitFailed;
    }
    std::map<std::string, std::string> variables;
    return RunRange(records, 0, records.size(), variables);
  }

  int executed() const { return executed_; }

 private:
  Status OpenSession() {
    session_.reset();
    engine::SessionOptions options;
    options.warehouse_dir = temp_dir_ + "/warehouse";
    options.num_threads = 2;
    options.settings["spark.sql.session.timeZone"] = "UTC";
    SLUICE_ASSIGN_OR_RETURN(session_, engine::Session::Open(std::move(options)));
    return Status::Ok();
  }

  // One broker for the whole file (it outlives `restart`, as a broker process would).
  Status StartKafka() {
    SLUICE_ASSIGN_OR_RETURN(kafka_, kafka::MockCluster::Start(1));
    SLUICE_ASSIGN_OR_RETURN(
        producer_, kafka::Producer::Make({{"bootstrap.servers", kafka_->bootstrap_servers()}}));
    return Status::Ok();
  }

  // produce <topic> [partition=<n>]: the records (values; no key), flushed before the
  // next record runs. Without partition= they go to partition 0, so files stay
  // deterministic.
  Status Produce(const Record& record, const std::map<std::string, std::string>& vars) {
    const std::string topic = Substitute(record.argument, vars);
    for (const std::string& line : record.records) {
      const std::string value = Substitute(line, vars);
      kafka::OutgoingRecord outgoing;
      outgoing.topic = topic;
      outgoing.partition = record.partition < 0 ? 0 : record.partition;
      outgoing.value = value;
      SLUICE_RETURN_IF_ERROR(producer_->Produce(outgoing));
    }
    return producer_->Flush();
  }

  std::string Substitute(std::string text, const std::map<std::string, std::string>& vars) const {
    if (kafka_ != nullptr) {
      text = ReplaceAll(std::move(text), kKafkaBootstrap, kafka_->bootstrap_servers());
    }
    text = ReplaceAll(std::move(text), "{TEST_DIR}", temp_dir_ + "/test_dir");
    text = ReplaceAll(std::move(text), "__TEST_DIR__", temp_dir_ + "/test_dir");
    text = ReplaceAll(std::move(text), "{TESTDATA}", testdata_);
    for (const auto& [name, value] : vars) {
      text = ReplaceAll(std::move(text), "${" + name + "}", value);
    }
    return text;
  }

  // The index of the endloop closing the loop at `begin`, or `end` when missing.
  static size_t MatchingEnd(const std::vector<Record>& records, size_t begin, size_t end) {
    int depth = 0;
    for (size_t i = begin; i < end; ++i) {
      const Record::Kind kind = records[i].kind;
      if (kind == Record::Kind::kLoop || kind == Record::Kind::kForeach)
        ++depth;
      if (kind == Record::Kind::kEndLoop && --depth == 0)
        return i;
    }
    return end;
  }

  int RunRange(const std::vector<Record>& records, size_t begin, size_t end,
               std::map<std::string, std::string>& vars) {
    for (size_t i = begin; i < end; ++i) {
      const Record& record = records[i];
      if (skipping_ && record.kind != Record::Kind::kModeUnskip) {
        continue;
      }
      switch (record.kind) {
        case Record::Kind::kModeSkip:
          skipping_ = true;
          break;
        case Record::Kind::kModeUnskip:
          skipping_ = false;
          break;
        case Record::Kind::kRequire:
          if (SupportedFeatures().count(record.argument) == 0) {
            std::printf("%s: skipped (require %s)\n", file_.c_str(), record.argument.c_str());
            return kExitSkipped;
          }
          break;
        case Record::Kind::kHalt:
          return 0;
        case Record::Kind::kWriteFile: {
          std::string path = Substitute(record.argument, vars);
          if (path.empty() || path[0] != '/')
            path = temp_dir_ + "/test_dir/" + path;
          Status status = WriteFileAtomically(path, Substitute(record.contents, vars));
          if (!status.ok())
            return Fail(record, "", "write-file failed: " + status.ToString());
          break;
        }
        case Record::Kind::kProduce: {
          Status status = Produce(record, vars);
          if (!status.ok())
            return Fail(record, "", "produce failed: " + status.ToString());
          break;
        }
        case Record::Kind::kFailAt:
          pending_failure_ = PendingFailure{Substitute(record.argument, vars),
                                            !record.values.empty(), record.line};
          break;
        case Record::Kind::kRestart: {
          Status status = OpenSession();
          if (!status.ok())
            return Fail(record, "restart", "restart failed: " + status.ToString());
          break;
        }
        case Record::Kind::kLoop:
        case Record::Kind::kForeach: {
          const size_t close = MatchingEnd(records, i, end);
          if (close == end)
            return Fail(record, "", "loop without endloop");
          if (int rc = RunLoop(records, i, close, vars); rc != 0)
            return rc;
          i = close;
          break;
        }
        case Record::Kind::kEndLoop:
          return Fail(record, "", "endloop without loop");
        case Record::Kind::kStatementOk:
        case Record::Kind::kStatementError:
        case Record::Kind::kQuery:
          ++executed_;
          if (int rc =
                  pending_failure_.has_value() ? RunCrashing(record, vars) : RunSql(record, vars);
              rc != 0)
            return rc;
          break;
      }
    }
    return 0;
  }

  int RunLoop(const std::vector<Record>& records, size_t open, size_t close,
              std::map<std::string, std::string>& vars) {
    const Record& loop = records[open];
    std::vector<std::string> values = loop.values;
    if (loop.kind == Record::Kind::kLoop) {
      values.clear();
      const long from = std::strtol(loop.values[0].c_str(), nullptr, 10);
      const long to = std::strtol(loop.values[1].c_str(), nullptr, 10);
      for (long v = from; v < to; ++v)
        values.push_back(std::to_string(v));
    }
    const auto saved = vars.find(loop.argument) == vars.end()
                           ? std::optional<std::string>()
                           : std::optional<std::string>(vars[loop.argument]);
    for (const std::string& value : values) {
      vars[loop.argument] = value;
      if (int rc = RunRange(records, open + 1, close, vars); rc != 0)
        return rc;
    }
    if (saved.has_value()) {
      vars[loop.argument] = *saved;
    } else {
      vars.erase(loop.argument);
    }
    return 0;
  }

  // Runs a statement with the pending `fail-at` installed: the sync point returns an error
  // (a simulated crash: the caller unwinds as if the process died there). The statement
  // must be a `statement error`, and the sync point must be reached.
  int RunCrashing(const Record& record, const std::map<std::string, std::string>& vars) {
    const PendingFailure failure = *pending_failure_;
    pending_failure_.reset();
    if (record.kind != Record::Kind::kStatementError) {
      return Fail(record, "",
                  fmt::format("the statement after 'fail-at' (line {}) must be 'statement error'",
                              failure.line));
    }
    auto hits = std::make_shared<std::atomic<int>>(0);
    SyncPoints::SetCallback([failure, hits](std::string_view point) -> Status {
      if (!SyncPointMatches(point, failure.point)) {
        return Status::Ok();
      }
      if (hits->fetch_add(1) > 0 && failure.once) {
        return Status::Ok();
      }
      return Status::IoError(fmt::format("simulated crash at sync point {}", point));
    });
    const int rc = RunSql(record, vars);
    SyncPoints::ClearCallback();
    if (rc != 0) {
      return rc;
    }
    if (hits->load() == 0) {
      return Fail(record, Substitute(record.sql, vars),
                  fmt::format("the statement never reached the sync point {} (fail-at at line {})",
                              failure.point, failure.line));
    }
    return 0;
  }

  int RunSql(const Record& record, const std::map<std::string, std::string>& vars) {
    const std::string sql = Substitute(record.sql, vars);
    Result<engine::QueryResult> result = session_->Execute(sql);
    if (result.ok()) {
      // Results as Spark shows them: timestamps in the session time zone.
      result = session_->InSessionTimeZone(std::move(result).value());
    }
    if (record.kind == Record::Kind::kStatementOk) {
      if (!result.ok()) {
        return Fail(record, sql, "statement failed: " + result.status().ToString());
      }
      return 0;
    }
    if (record.kind == Record::Kind::kStatementError) {
      if (result.ok())
        return Fail(record, sql, "statement succeeded but an error was expected");
      const Status& status = result.status();
      if (!record.error_code.empty() && !CodeMatches(status, record.error_code)) {
        return Fail(
            record, sql,
            fmt::format("expected error {}, got: {}", record.error_code, status.ToString()));
      }
      const std::string expected = Substitute(record.expected_error, vars);
      if (!expected.empty() && status.message().find(expected) == std::string::npos) {
        return Fail(record, sql,
                    fmt::format("expected an error containing:\n{}\nactual error:\n{}", expected,
                                status.ToString()));
      }
      return 0;
    }
    if (!result.ok()) {
      return Fail(record, sql, "query failed: " + result.status().ToString());
    }
    return CheckRows(record, sql, *result, vars);
  }

  int CheckRows(const Record& record, const std::string& sql, const engine::QueryResult& result,
                const std::map<std::string, std::string>& vars) {
    const size_t columns = result.schema ? static_cast<size_t>(result.schema->num_fields()) : 0;
    if (columns != record.types.size()) {
      return Fail(record, sql,
                  fmt::format("the query returned {} column(s), the record declares {} ({})",
                              columns, record.types.size(), record.types));
    }
    std::vector<std::string> lines;
    for (const std::string& line : record.expected)
      lines.push_back(Substitute(line, vars));
    Rows expected = ExpectedRows(lines, columns);
    Rows actual = RenderRows(result);
    Normalize(record.sort, result.ordered, &expected);
    Normalize(record.sort, result.ordered, &actual);
    if (expected == actual) {
      return 0;
    }
    return Fail(record, sql,
                fmt::format("wrong result\nexpected ({} rows):\n{}actual ({} rows):\n{}",
                            expected.size(), JoinRows(expected), actual.size(), JoinRows(actual)));
  }

  int Fail(const Record& record, const std::string& sql, const std::string& what) {
    std::fprintf(stderr, "FAIL %s:%d\n", file_.c_str(), record.line);
    if (!sql.empty())
      std::fprintf(stderr, "SQL:\n%s\n", sql.c_str());
    std::fprintf(stderr, "%s\n", what.c_str());
    return kExitFailed;
  }

  std::string file_;
  std::string testdata_;
  std::string temp_dir_;
  // Started before the session and stopped after it (members go in reverse order).
  std::unique_ptr<kafka::MockCluster> kafka_;
  std::unique_ptr<kafka::Producer> producer_;
  std::unique_ptr<engine::Session> session_;
  bool skipping_ = false;
  int executed_ = 0;
  std::optional<PendingFailure> pending_failure_;
};

// A fresh directory under $TMPDIR (or /tmp) for one file: the warehouse and {TEST_DIR}.
std::string MakeTempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/sluice_slt_XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    return "";
  }
  std::string dir(buffer.data());
  std::filesystem::create_directories(dir + "/test_dir");
  return dir;
}

int Main(int argc, char** argv) {
  std::string testdata = SLUICE_TESTDATA_DIR;
  std::string file;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--testdata" && i + 1 < argc) {
      testdata = argv[++i];
    } else if (file.empty() && arg.rfind("--", 0) != 0) {
      file = arg;
    } else {
      file.clear();
      break;
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "usage: sluice_sqllogictest [--testdata DIR] FILE.test\n");
    return kExitUsage;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot read the file\n", file.c_str());
    return kExitUsage;
  }
  std::stringstream text;
  text << in.rdbuf();
  Result<std::vector<Record>> records = ParseTestFile(text.str());
  if (!records.ok()) {
    std::fprintf(stderr, "%s: %s\n", file.c_str(), records.status().message().c_str());
    return kExitUsage;
  }
  const std::string temp_dir = MakeTempDir();
  if (temp_dir.empty()) {
    std::fprintf(stderr, "%s: cannot create a temporary directory\n", file.c_str());
    return kExitUsage;
  }
  Runner runner(file, testdata, temp_dir);
  const int rc = runner.Run(*records);
  if (rc == 0) {
    std::printf("%s: %d statements and queries passed\n", file.c_str(), runner.executed());
  }
  std::error_code ignored;  // a leftover temp dir is harmless
  std::filesystem::remove_all(temp_dir, ignored);
  return rc;
}

}  // namespace
}  // namespace sluice::slt

int main(int argc, char** argv) {
  return sluice::slt::Main(argc, argv);
}
