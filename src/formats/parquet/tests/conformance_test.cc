// SPDX-License-Identifier: Apache-2.0
// Reads every Parquet file of the third-party corpora (../shared/testdata/parquet-testing
// and parquet-duckdb): each file either reads, with the row count SOURCES.md gives and
// the values of the expected CSVs that come with some files, or fails with the error
// the tables below give for it. Run under ASan and UBSan (debug builds), no file may
// crash the reader.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "columnar/printer.h"
#include "formats/parquet/reader.h"

namespace sluice::parquet {
namespace {

const std::filesystem::path kTestData(SLUICE_TESTDATA_DIR);

/// A file (or every file under a folder ending in '/', or every file whose name ends
/// with a pattern starting with '*') that must fail, how, and why.
struct ExpectedFailure {
  const char* path;
  StatusCode code;
  /// A part of the error message.
  const char* message;
  const char* why;
};

/// Inputs that are broken on purpose (or by a fuzzer): they must fail cleanly.
const ExpectedFailure kBrokenFiles[] = {
    {"parquet-testing/bad_data/ARROW-GH-41317.parquet", StatusCode::kCorruption, "",
     "columns of different lengths"},
    {"parquet-testing/bad_data/ARROW-GH-41321.parquet", StatusCode::kCorruption, "",
     "fewer decoded levels than the page header's num_values"},
    {"parquet-testing/bad_data/ARROW-GH-45185.parquet", StatusCode::kCorruption, "repetition level",
     "repetition levels start with 1 instead of 0"},
    {"parquet-testing/bad_data/ARROW-GH-47662.parquet", StatusCode::kCorruption, "",
     "a REQUIRED column that holds nulls"},
    {"parquet-testing/bad_data/ARROW-RS-GH-6229-DICTHEADER.parquet", StatusCode::kCorruption, "",
     "a dictionary page header with a negative number of values"},
    {"parquet-testing/bad_data/ARROW-RS-GH-6229-LEVELS.parquet", StatusCode::kCorruption, "",
     "a page with too few repetition levels"},
    {"parquet-testing/bad_data/PARQUET-1481.parquet", StatusCode::kCorruption,
     "unknown physical type", "a corrupted Thrift value (physical type -7) in the schema"},
    {"parquet-testing/data/nation.dict-malformed.parquet", StatusCode::kCorruption, "",
     "a malformed dictionary page (the README allows an error)"},
    {"parquet-testing/data/large_string_map.brotli.parquet", StatusCode::kResourceExhausted,
     "larger than the limit",
     "a page over ReadLimits::max_page_bytes (its strings exceed 2 GB decompressed)"},
    {"parquet-duckdb/broken/", StatusCode::kCorruption, "",
     "DuckDB's corrupt-file corpus: illegal annotations, broken schema trees, bad sizes"},
    {"parquet-duckdb/afl/", StatusCode::kCorruption, "",
     "files mutated by the AFL fuzzer (broken dictionary pages)"},
    {"parquet-duckdb/internal_6129.parquet", StatusCode::kCorruption, "DELTA",
     "a corrupt DELTA_BINARY_PACKED stream (the same file is in broken/)"},
    {"parquet-duckdb/rle_malicious_bitwidth.parquet", StatusCode::kCorruption, "bit width",
     "dictionary indices with a bit width of 63"},
    {"parquet-duckdb/page_size_corruption.parquet", StatusCode::kCorruption, "compressed size",
     "a page larger than its column chunk"},
    {"parquet-duckdb/parquet_column_num_values_mismatch.parquet", StatusCode::kCorruption,
     "holds 0 rows",
     "column 'x' has num_values 0 in its metadata but 8 values in its pages (a DuckDB "
     "development build's bug; DuckDB reads the pages anyway)"},
    {"parquet-duckdb/broken-arrow.parquet", StatusCode::kCorruption, "RLE",
     "dictionary indices that end before the page's values (Arrow and ClickHouse refuse the "
     "file too; DuckDB reads it)"},
};

/// Valid files sluice cannot read, each failing with an error naming the feature.
const ExpectedFailure kUnsupportedFiles[] = {
    {"*.parquet.encrypted", StatusCode::kNotImplemented, "encrypted",
     "Parquet modular encryption (no keys, no decryption)"},
    {"parquet-duckdb/encryption/", StatusCode::kNotImplemented, "encrypted",
     "Parquet modular encryption (no keys, no decryption)"},
    {"parquet-duckdb/bigdecimal.parquet", StatusCode::kNotImplemented,
     "decimal(77,38) exceeds the maximum precision 38", "Spark decimals stop at 38 digits"},
    {"parquet-duckdb/snowflake_variant.parquet", StatusCode::kNotImplemented,
     "shredded variant is not supported", "a shredded variant (typed_value)"},
    {"parquet-duckdb/plaintext_footer_crypto_metadata.parquet", StatusCode::kNotImplemented,
     "encrypted", "a column chunk encrypted with the footer key (under a plaintext footer)"},
    {"parquet-duckdb/empty-group/empty_group_test.parquet", StatusCode::kNotImplemented,
     "no leaf columns", "a group without leaves has no levels to read rows from"},
};

bool Matches(const char* pattern, const std::string& path) {
  const std::string text(pattern);
  if (text.front() == '*') {
    return path.size() >= text.size() - 1 &&
           path.compare(path.size() - (text.size() - 1), text.size() - 1, text, 1) == 0;
  }
  if (text.back() == '/') {
    return path.rfind(text, 0) == 0;
  }
  return path == text;
}

const ExpectedFailure* FindFailure(const std::string& path) {
  for (const ExpectedFailure& entry : kBrokenFiles) {
    if (Matches(entry.path, path)) {
      return &entry;
    }
  }
  for (const ExpectedFailure& entry : kUnsupportedFiles) {
    if (Matches(entry.path, path)) {
      return &entry;
    }
  }
  return nullptr;
}

/// The row counts SOURCES.md lists ("- `data/x.parquet` — ...; 12 rows, 1 row group"),
/// keyed by path relative to the test data folder.
std::map<std::string, int64_t> RowCountsFromSources() {
  std::ifstream in(kTestData / "SOURCES.md");
  std::map<std::string, int64_t> counts;
  std::string section;
  std::string line;
  const std::regex entry("^- `([^`]+)` — (.*)$");
  const std::regex rows("(\\d+) rows?, \\d+ row groups?");
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      section = line.substr(3, line.find('/') - 3 + 1);
      continue;
    }
    std::smatch match;
    if (section.rfind("parquet-", 0) != 0 || !std::regex_match(line, match, entry)) {
      continue;
    }
    const std::string path = section + match[1].str();
    const std::string description = match[2].str();
    std::smatch count;
    if (std::regex_search(description, count, rows)) {
      counts[path] = std::stoll(count[1].str());
    }
  }
  return counts;
}

/// Every Parquet file of the two corpora, relative to the test data folder, sorted.
std::vector<std::string> ParquetFiles() {
  std::vector<std::string> files;
  for (const char* corpus : {"parquet-testing", "parquet-duckdb"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(kTestData / corpus)) {
      if (!entry.is_regular_file()) {
        continue;
      }
      const std::string name = entry.path().filename().string();
      auto ends_with = [&](const std::string& suffix) {
        return name.size() >= suffix.size() &&
               name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
      };
      if (ends_with(".parquet") || ends_with(".PARQUET") || ends_with(".parquet.encrypted")) {
        files.push_back(std::filesystem::relative(entry.path(), kTestData).string());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<std::vector<BatchPtr>> ReadFile(const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<ParquetReader> reader,
                          ParquetReader::Open((kTestData / path).string()));
  SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> batches, reader->ReadAll());
  int64_t rows = 0;
  for (const BatchPtr& batch : batches) {
    if (!batch->schema()->Equals(*reader->output_schema())) {
      return Status::Internal("a batch of another schema");
    }
    rows += batch->num_rows();
  }
  if (rows != reader->num_rows()) {
    return Status::Internal(
        fmt::format("read {} rows where the row groups say {}", rows, reader->num_rows()));
  }
  return batches;
}

TEST(ConformanceTest, EveryFileReadsOrFailsAsExpected) {
  const std::map<std::string, int64_t> counts = RowCountsFromSources();
  ASSERT_GT(counts.size(), 200u) << "SOURCES.md row counts not found";
  const std::vector<std::string> files = ParquetFiles();
  ASSERT_GT(files.size(), 250u);
  std::set<const ExpectedFailure*> used;
  int read = 0;
  int checked_counts = 0;
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    Result<std::vector<BatchPtr>> batches = ReadFile(path);
    const ExpectedFailure* failure = FindFailure(path);
    if (failure != nullptr) {
      used.insert(failure);
      if (batches.ok()) {
        ADD_FAILURE() << "expected to fail: " << failure->why;
        continue;
      }
      EXPECT_EQ(batches.status().code(), failure->code) << batches.status().ToString();
      EXPECT_NE(batches.status().message().find(failure->message), std::string::npos)
          << batches.status().ToString();
      // Errors name the file.
      EXPECT_NE(batches.status().message().find(std::filesystem::path(path).filename().string()),
                std::string::npos)
          << batches.status().ToString();
      continue;
    }
    if (!batches.ok()) {
      ADD_FAILURE() << batches.status().ToString();
      continue;
    }
    ++read;
    int64_t rows = 0;
    for (const BatchPtr& batch : *batches) {
      rows += batch->num_rows();
    }
    auto count = counts.find(path);
    if (count != counts.end()) {
      EXPECT_EQ(rows, count->second) << "rows against SOURCES.md";
      ++checked_counts;
    }
  }
  EXPECT_EQ(used.size(), std::size(kBrokenFiles) + std::size(kUnsupportedFiles))
      << "an expected failure matched no file";
  EXPECT_GT(read, 200);
  EXPECT_GT(checked_counts, 200);
}

TEST(ConformanceTest, ArrowGh43605ReadsDespiteItsFolder) {
  // bad_data/ARROW-GH-43605.parquet: dictionary indices RLE-encoded with bit width 0
  // (every index is 0). That is valid, and DuckDB reads the 21186 rows, so sluice does
  // too rather than listing it as broken.
  Result<std::vector<BatchPtr>> batches =
      ReadFile("parquet-testing/bad_data/ARROW-GH-43605.parquet");
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  int64_t rows = 0;
  for (const BatchPtr& batch : *batches) {
    rows += batch->num_rows();
  }
  EXPECT_EQ(rows, 21186);
}

/// A CSV cell: its text and whether it was quoted.
struct Cell {
  std::string text;
  bool quoted = false;
};

/// Splits CSV text (RFC 4180 quoting) into rows of cells.
std::vector<std::vector<Cell>> ParseCsv(const std::string& text, char separator) {
  std::vector<std::vector<Cell>> rows;
  std::vector<Cell> row;
  Cell cell;
  bool in_quotes = false;
  bool row_started = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell.text += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        cell.text += c;
      }
      continue;
    }
    if (c == '"') {
      in_quotes = true;
      cell.quoted = true;
      row_started = true;
    } else if (c == separator) {
      row.push_back(std::move(cell));
      cell = Cell();
      row_started = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
      if (row_started || !cell.text.empty()) {
        row.push_back(std::move(cell));
        rows.push_back(std::move(row));
      }
      row.clear();
      cell = Cell();
      row_started = false;
    } else {
      cell.text += c;
      row_started = true;
    }
  }
  if (row_started || !cell.text.empty()) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

/// Compares every value of the file with the CSV (header row or not); NULL and empty
/// cells stand for null; floats compare as numbers.
void ExpectValuesMatchCsv(const std::string& parquet, const std::string& csv, char separator,
                          bool header) {
  SCOPED_TRACE(parquet);
  Result<std::vector<BatchPtr>> batches = ReadFile(parquet);
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  std::ifstream in(kTestData / csv, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::vector<Cell>> rows = ParseCsv(text.str(), separator);
  ASSERT_FALSE(rows.empty()) << csv;
  if (header) {
    rows.erase(rows.begin());
  }
  size_t row = 0;
  int mismatches = 0;
  for (const BatchPtr& batch : *batches) {
    for (int64_t r = 0; r < batch->num_rows(); ++r, ++row) {
      ASSERT_LT(row, rows.size()) << "more rows than the CSV";
      ASSERT_EQ(rows[row].size(), static_cast<size_t>(batch->num_columns())) << "row " << row;
      for (int c = 0; c < batch->num_columns(); ++c) {
        const Vector& column = *batch->column(c);
        const Cell& expected = rows[row][c];
        // An empty cell is null, except a quoted one in a string column (p2.csv quotes
        // the null numbers).
        const bool is_string =
            column.type_id() == TypeId::kString || column.type_id() == TypeId::kBinary;
        const bool expect_null =
            expected.text == "NULL" || (expected.text.empty() && (!expected.quoted || !is_string));
        bool equal = false;
        if (column.IsNull(r) || expect_null) {
          equal = column.IsNull(r) == expect_null;
        } else if (column.type_id() == TypeId::kFloat) {
          equal = column.Value<float>(r) == std::strtof(expected.text.c_str(), nullptr);
        } else if (column.type_id() == TypeId::kDouble) {
          equal = column.Value<double>(r) == std::strtod(expected.text.c_str(), nullptr);
        } else {
          equal = FormatCell(column, r) == expected.text;
        }
        if (!equal && ++mismatches <= 10) {
          ADD_FAILURE() << "row " << row << " column " << c << ": read '" << FormatCell(column, r)
                        << "', expected '" << expected.text << "'";
        }
      }
    }
  }
  EXPECT_EQ(row, rows.size()) << "fewer rows than the CSV";
}

TEST(ConformanceTest, DeltaEncodedFilesMatchTheirExpectedCsv) {
  ExpectValuesMatchCsv("parquet-testing/data/delta_binary_packed.parquet",
                       "parquet-testing/data/delta_binary_packed_expect.csv", ',', true);
  ExpectValuesMatchCsv("parquet-testing/data/delta_byte_array.parquet",
                       "parquet-testing/data/delta_byte_array_expect.csv", ',', true);
  ExpectValuesMatchCsv("parquet-testing/data/delta_encoding_optional_column.parquet",
                       "parquet-testing/data/delta_encoding_optional_column_expect.csv", ',', true);
  ExpectValuesMatchCsv("parquet-testing/data/delta_encoding_required_column.parquet",
                       "parquet-testing/data/delta_encoding_required_column_expect.csv", ',', true);
}

TEST(ConformanceTest, DuckDbFilesMatchTheirCsv) {
  ExpectValuesMatchCsv("parquet-duckdb/p2.parquet", "parquet-duckdb/p2.csv", ',', false);
  ExpectValuesMatchCsv("parquet-duckdb/p2strings.parquet", "parquet-duckdb/p2strings.csv", ',',
                       false);
  ExpectValuesMatchCsv("parquet-duckdb/byte_stream_split.parquet",
                       "parquet-duckdb/byte_stream_split.csv", '|', true);
}

}  // namespace
}  // namespace sluice::parquet
