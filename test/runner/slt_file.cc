// SPDX-License-Identifier: Apache-2.0
#include "slt_file.h"

#include <fmt/format.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <sstream>

namespace sluice::slt {
namespace {

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      if (start < text.size()) {
        lines.emplace_back(text.substr(start));
      }
      break;
    }
    std::string line(text.substr(start, end - start));
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  std::string word;
  while (in >> word) {
    words.push_back(word);
  }
  return words;
}

bool IsBlank(const std::string& line) {
  return line.find_first_not_of(" \t") == std::string::npos;
}

// Reads lines from `*index` up to a blank line (or `----` when `stop_at_dashes`),
// joined with '\n'; leaves `*index` on the line that stopped it.
std::string ReadBlock(const std::vector<std::string>& lines, size_t* index, bool stop_at_dashes) {
  std::string block;
  while (*index < lines.size() && !IsBlank(lines[*index]) &&
         !(stop_at_dashes && lines[*index] == "----")) {
    if (!block.empty()) {
      block += '\n';
    }
    block += lines[*index];
    ++*index;
  }
  return block;
}

// The lines after a `----` up to a blank line.
std::vector<std::string> ReadExpected(const std::vector<std::string>& lines, size_t* index) {
  std::vector<std::string> expected;
  if (*index < lines.size() && lines[*index] == "----") {
    ++*index;
    while (*index < lines.size() && !IsBlank(lines[*index])) {
      expected.push_back(lines[*index]);
      ++*index;
    }
  }
  return expected;
}

Result<SortMode> ParseSortMode(const std::string& word, int line) {
  if (word == "nosort")
    return SortMode::kNoSort;
  if (word == "rowsort")
    return SortMode::kRowSort;
  if (word == "valuesort")
    return SortMode::kValueSort;
  return Status::ParseError(fmt::format("line {}: unknown sort mode '{}'", line, word));
}

Status ParseStatement(const std::vector<std::string>& words, const std::vector<std::string>& lines,
                      size_t* index, Record* record) {
  if (words.size() < 2 || (words[1] != "ok" && words[1] != "error")) {
    return Status::ParseError(
        fmt::format("line {}: expected 'statement ok' or 'statement error'", record->line));
  }
  record->kind = words[1] == "ok" ? Record::Kind::kStatementOk : Record::Kind::kStatementError;
  if (words[1] == "error" && words.size() > 2) {
    record->error_code = words[2];
  }
  record->sql = ReadBlock(lines, index, /*stop_at_dashes=*/true);
  std::vector<std::string> expected = ReadExpected(lines, index);
  for (const std::string& line : expected) {
    if (!record->expected_error.empty())
      record->expected_error += '\n';
    record->expected_error += line;
  }
  if (record->sql.empty()) {
    return Status::ParseError(fmt::format("line {}: statement without SQL", record->line));
  }
  return Status::Ok();
}

Status ParseQuery(const std::vector<std::string>& words, const std::vector<std::string>& lines,
                  size_t* index, Record* record) {
  record->kind = Record::Kind::kQuery;
  if (words.size() < 2) {
    return Status::ParseError(
        fmt::format("line {}: 'query' needs the column types (e.g. query IT)", record->line));
  }
  record->types = words[1];
  if (words.size() > 2) {
    SLUICE_ASSIGN_OR_RETURN(record->sort, ParseSortMode(words[2], record->line));
  }
  record->sql = ReadBlock(lines, index, /*stop_at_dashes=*/true);
  if (record->sql.empty()) {
    return Status::ParseError(fmt::format("line {}: query without SQL", record->line));
  }
  record->expected = ReadExpected(lines, index);
  return Status::Ok();
}

Status ParseLoop(const std::vector<std::string>& words, Record* record) {
  if (words[0] == "loop") {
    if (words.size() != 4) {
      return Status::ParseError(
          fmt::format("line {}: expected 'loop <var> <from> <to>'", record->line));
    }
    record->kind = Record::Kind::kLoop;
    record->argument = words[1];
    record->values = {words[2], words[3]};
    return Status::Ok();
  }
  if (words.size() < 3) {
    return Status::ParseError(
        fmt::format("line {}: expected 'foreach <var> <value>...'", record->line));
  }
  record->kind = Record::Kind::kForeach;
  record->argument = words[1];
  record->values.assign(words.begin() + 2, words.end());
  return Status::Ok();
}

// write-file <path>: the lines up to a blank line are the contents.
Status ParseWriteFile(const std::vector<std::string>& words, const std::vector<std::string>& lines,
                      size_t* index, Record* record) {
  if (words.size() != 2) {
    return Status::ParseError(fmt::format("line {}: expected 'write-file <path>'", record->line));
  }
  record->kind = Record::Kind::kWriteFile;
  record->argument = words[1];
  while (*index < lines.size() && !IsBlank(lines[*index])) {
    record->contents += lines[*index];
    record->contents += '\n';
    ++*index;
  }
  return Status::Ok();
}

// fail-at <sync point> [once].
Status ParseFailAt(const std::vector<std::string>& words, Record* record) {
  if (words.size() < 2 || words.size() > 3 || (words.size() == 3 && words[2] != "once")) {
    return Status::ParseError(
        fmt::format("line {}: expected 'fail-at <sync point> [once]'", record->line));
  }
  record->kind = Record::Kind::kFailAt;
  record->argument = words[1];
  if (words.size() == 3) {
    record->values = {"once"};
  }
  return Status::Ok();
}

// produce <topic> [partition=<n>]: the lines up to a blank line are the records' values.
Status ParseProduce(const std::vector<std::string>& words, const std::vector<std::string>& lines,
                    size_t* index, Record* record) {
  const std::string usage =
      fmt::format("line {}: expected 'produce <topic> [partition=<n>]'", record->line);
  if (words.size() < 2 || words.size() > 3) {
    return Status::ParseError(usage);
  }
  record->kind = Record::Kind::kProduce;
  record->argument = words[1];
  if (words.size() == 3) {
    constexpr std::string_view kPrefix = "partition=";
    const std::string& word = words[2];
    char* end = nullptr;
    const long partition = word.rfind(kPrefix, 0) == 0 && word.size() > kPrefix.size()
                               ? std::strtol(word.c_str() + kPrefix.size(), &end, 10)
                               : -1;
    if (partition < 0 || partition > INT32_MAX || end == nullptr || *end != '\0') {
      return Status::ParseError(usage);
    }
    record->partition = static_cast<int32_t>(partition);
  }
  while (*index < lines.size() && !IsBlank(lines[*index])) {
    record->records.push_back(lines[*index]);
    ++*index;
  }
  if (record->records.empty()) {
    return Status::ParseError(fmt::format("line {}: produce without records", record->line));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<Record>> ParseTestFile(std::string_view text) {
  const std::vector<std::string> lines = SplitLines(text);
  std::vector<Record> records;
  size_t index = 0;
  while (index < lines.size()) {
    const std::string& line = lines[index];
    if (IsBlank(line) || line[0] == '#') {
      ++index;
      continue;
    }
    Record record;
    record.line = static_cast<int>(index) + 1;
    const std::vector<std::string> words = Words(line);
    const std::string& head = words[0];
    ++index;
    if (head == "statement") {
      SLUICE_RETURN_IF_ERROR(ParseStatement(words, lines, &index, &record));
    } else if (head == "query") {
      SLUICE_RETURN_IF_ERROR(ParseQuery(words, lines, &index, &record));
    } else if (head == "require" && words.size() >= 2) {
      record.kind = Record::Kind::kRequire;
      record.argument = words[1];
    } else if (head == "mode" && words.size() == 2 && words[1] == "skip") {
      record.kind = Record::Kind::kModeSkip;
    } else if (head == "mode" && words.size() == 2 && words[1] == "unskip") {
      record.kind = Record::Kind::kModeUnskip;
    } else if (head == "loop" || head == "foreach") {
      SLUICE_RETURN_IF_ERROR(ParseLoop(words, &record));
    } else if (head == "endloop") {
      record.kind = Record::Kind::kEndLoop;
    } else if (head == "restart") {
      record.kind = Record::Kind::kRestart;
    } else if (head == "halt") {
      record.kind = Record::Kind::kHalt;
    } else if (head == "write-file") {
      SLUICE_RETURN_IF_ERROR(ParseWriteFile(words, lines, &index, &record));
    } else if (head == "fail-at") {
      SLUICE_RETURN_IF_ERROR(ParseFailAt(words, &record));
    } else if (head == "produce") {
      SLUICE_RETURN_IF_ERROR(ParseProduce(words, lines, &index, &record));
    } else {
      return Status::ParseError(fmt::format("line {}: unknown record '{}'", record.line, line));
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace sluice::slt
