// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

/// The sqllogictest file format, DuckDB's dialect (style-anchors.md section 11.10):
/// records separated by blank lines, `#` comment lines (the `# name:`, `# description:`
/// and `# group:` headers among them).
namespace sluice::slt {

/// How a query's rows are compared.
enum class SortMode {
  kDefault,    // no mode given: rows as returned when the query has ORDER BY, else rowsort
  kNoSort,     // rows as returned
  kRowSort,    // rows sorted (as text) on both sides
  kValueSort,  // every value sorted on its own, on both sides
};

/// One record of a test file.
struct Record {
  enum class Kind {
    kStatementOk,     // statement ok
    kStatementError,  // statement error [CODE] [---- message substring]
    kQuery,           // query <types> [sort mode] ---- rows
    kRequire,         // require <feature>
    kModeSkip,        // mode skip
    kModeUnskip,      // mode unskip
    kLoop,            // loop <var> <from> <to>   (to exclusive, as DuckDB)
    kForeach,         // foreach <var> <value>...
    kEndLoop,         // endloop
    kRestart,         // restart
    kHalt,            // halt
    kWriteFile,       // write-file <path>, then the file's lines up to a blank line
    kFailAt,          // fail-at <sync point> [once]
    kProduce,         // produce <topic> [partition=<n>], then one record value a line
  };
  Kind kind = Kind::kStatementOk;
  /// 1-based line of the record's first line.
  int line = 0;
  /// The SQL (statement and query records).
  std::string sql;
  /// statement error: the code after `error` ("" for any), and the expected message
  /// substring after `----` ("" for any message).
  std::string error_code;
  std::string expected_error;
  /// query: the column types ("I", "IT", "R"...), the sort mode, and the expected lines.
  std::string types;
  SortMode sort = SortMode::kDefault;
  std::vector<std::string> expected;
  /// write-file: the file's contents (each line newline-terminated).
  std::string contents;
  /// produce: the partition (-1 when not given) and the records' values, one a line.
  int32_t partition = -1;
  std::vector<std::string> records;
  /// require: the feature. loop/foreach: the variable and its values. write-file: the
  /// path. fail-at: the sync point, with values {"once"} when only the first hit fails.
  /// produce: the topic.
  std::string argument;
  std::vector<std::string> values;
};

/// Parses the text of a test file. kParseError naming the line for an unknown record
/// or a malformed header.
Result<std::vector<Record>> ParseTestFile(std::string_view text);

}  // namespace sluice::slt
