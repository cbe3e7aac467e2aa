// SPDX-License-Identifier: Apache-2.0
// JSONTestSuite (test_parsing) and DuckDB's JSON edge-case files through the reader.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "formats/json/json_decoder.h"
#include "formats/json/json_infer.h"
#include "formats/json/tests/json_test_util.h"

namespace sluice::json {
namespace {

namespace fs = std::filesystem;
using testing::Ddl;
using testing::Rows;
using testing::ToRows;

const std::string kSuiteDir = std::string(SLUICE_TESTDATA_DIR) + "/json/JSONTestSuite/test_parsing";
const std::string kDuckDbDir = std::string(SLUICE_TESTDATA_DIR) + "/json/duckdb-json";

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// The suite's files whose names start with `prefix`, sorted.
std::vector<fs::path> SuiteFiles(const std::string& prefix) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kSuiteDir)) {
    if (entry.path().filename().string().rfind(prefix, 0) == 0) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// Whether the first non-blank character is '{'.
bool StartsWithObject(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string::npos && text[first] == '{';
}

struct Decoded {
  Status status;
  std::vector<BatchPtr> batches;
  ReadStats stats;
};

/// Decodes `text` as one record (a file of the suite is one document, which may span
/// lines) against a schema every object can match.
Decoded DecodeAsRecord(const std::string& text, ParseMode mode) {
  JsonReadOptions options;
  options.mode = mode;
  auto decoder = JsonDecoder::Make(Ddl("a STRING, _corrupt_record STRING"), options);
  Decoded result;
  if (!decoder.ok()) {
    ADD_FAILURE() << "JsonDecoder::Make failed: " << decoder.status().ToString();
    result.status = decoder.status();
    return result;
  }
  result.status = (*decoder)->DecodeRecord(text);
  if (BatchPtr batch = (*decoder)->Flush()) {
    result.batches.push_back(batch);
  }
  result.stats = (*decoder)->stats();
  return result;
}

TEST(JsonConformanceTest, SuiteIsPresent) {
  EXPECT_GE(SuiteFiles("y_").size(), 90u);
  EXPECT_GE(SuiteFiles("n_").size(), 180u);
  EXPECT_GE(SuiteFiles("i_").size(), 30u);
}

TEST(JsonConformanceTest, ValidateAcceptsEveryY) {
  for (const fs::path& path : SuiteFiles("y_")) {
    const Status status = ValidateJson(Slurp(path));
    EXPECT_TRUE(status.ok()) << path.filename() << ": " << status.ToString();
  }
}

TEST(JsonConformanceTest, ValidateRejectsEveryN) {
  for (const fs::path& path : SuiteFiles("n_")) {
    const Status status = ValidateJson(Slurp(path));
    EXPECT_FALSE(status.ok()) << path.filename() << " was accepted";
    if (!status.ok()) {
      EXPECT_EQ(status.code(), StatusCode::kParseError) << path.filename();
    }
  }
}

TEST(JsonConformanceTest, YObjectsDecodeToOneCleanRow) {
  int objects = 0;
  for (const fs::path& path : SuiteFiles("y_")) {
    const std::string text = Slurp(path);
    const Decoded decoded = DecodeAsRecord(text, ParseMode::kFailFast);
    if (StartsWithObject(text)) {
      ++objects;
      EXPECT_TRUE(decoded.status.ok()) << path.filename() << ": " << decoded.status.ToString();
      EXPECT_EQ(decoded.stats.malformed_records, 0) << path.filename();
      const Rows rows = ToRows(decoded.batches);
      ASSERT_EQ(rows.size(), 1u) << path.filename();
      EXPECT_EQ(rows[0][1], "NULL") << path.filename();
    } else if (text.find_first_not_of(" \t\r\n") != std::string::npos &&
               text[text.find_first_not_of(" \t\r\n")] != '[') {
      // A scalar document is valid JSON but, as Spark reads it, a malformed record.
      EXPECT_EQ(decoded.status.code(), StatusCode::kParseError) << path.filename();
    }
  }
  EXPECT_GE(objects, 10);
}

TEST(JsonConformanceTest, YObjectValuesAreRead) {
  const Decoded decoded = DecodeAsRecord(
      Slurp(fs::path(kSuiteDir) / "y_object_duplicated_key.json"), ParseMode::kFailFast);
  ASSERT_TRUE(decoded.status.ok());
  EXPECT_EQ(ToRows(decoded.batches), (Rows{{"c", "NULL"}}));
}

TEST(JsonConformanceTest, NIsRejectedInFailFastAndCorruptInPermissive) {
  for (const fs::path& path : SuiteFiles("n_")) {
    const std::string text = Slurp(path);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
      continue;  // an empty document is no record at all (Spark skips blank input)
    }
    const Decoded failfast = DecodeAsRecord(text, ParseMode::kFailFast);
    EXPECT_EQ(failfast.status.code(), StatusCode::kParseError) << path.filename();

    const Decoded permissive = DecodeAsRecord(text, ParseMode::kPermissive);
    ASSERT_TRUE(permissive.status.ok()) << path.filename();
    const Rows rows = ToRows(permissive.batches);
    ASSERT_EQ(rows.size(), 1u) << path.filename();
    EXPECT_EQ(rows[0][0], "NULL") << path.filename();
    EXPECT_EQ(permissive.stats.malformed_records, 1) << path.filename();
  }
}

TEST(JsonConformanceTest, EveryFileAsNdjsonNeverCrashes) {
  for (const fs::path& path : SuiteFiles("")) {
    const std::string text = Slurp(path);
    for (ParseMode mode :
         {ParseMode::kPermissive, ParseMode::kDropMalformed, ParseMode::kFailFast}) {
      JsonReadOptions options;
      options.mode = mode;
      auto batches =
          ReadJson(text, Ddl("a STRING, b ARRAY<BIGINT>, _corrupt_record STRING"), options);
      if (mode != ParseMode::kFailFast) {
        EXPECT_TRUE(batches.ok()) << path.filename();
      }
      (void)InferJsonSchema(text, options);
    }
    (void)ValidateJson(text);
  }
}

Rows ReadDuckDb(const std::string& name, std::string* schema = nullptr) {
  auto batches = ReadJsonFile(kDuckDbDir + "/" + name, nullptr, {});
  EXPECT_TRUE(batches.ok()) << name << ": " << batches.status().ToString();
  if (!batches.ok()) {
    return {};
  }
  if (schema != nullptr) {
    *schema = batches->empty() ? "" : (*batches)[0]->schema()->ToString();
  }
  return ToRows(*batches);
}

TEST(JsonConformanceTest, DuckDbFilesReadWithInferenceWithoutCrashing) {
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kDuckDbDir)) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".json" && ext != ".ndjson" && ext != ".jsonl")) {
      continue;
    }
    ++files;
    auto batches = ReadJsonFile(entry.path().string(), nullptr, {});
    EXPECT_TRUE(batches.ok()) << entry.path() << ": " << batches.status().ToString();
  }
  EXPECT_GE(files, 30);
}

TEST(JsonConformanceTest, DuckDbNewlineVariantsGiveTheSameRows) {
  std::string schema_n;
  std::string schema_r;
  std::string schema_rn;
  const Rows n = ReadDuckDb("example_n.ndjson", &schema_n);
  EXPECT_EQ(n.size(), 5u);
  EXPECT_EQ(schema_n, "struct<id:bigint,name:string>");
  EXPECT_EQ(n[0], (std::vector<std::string>{"1", "O Brother, Where Art Thou?"}));
  EXPECT_EQ(ReadDuckDb("example_r.ndjson", &schema_r), n);
  EXPECT_EQ(ReadDuckDb("example_rn.ndjson", &schema_rn), n);
  EXPECT_EQ(schema_r, schema_n);
  EXPECT_EQ(schema_rn, schema_n);
}

TEST(JsonConformanceTest, DuckDbDuplicateKeyLastWins) {
  const Rows rows = ReadDuckDb("duplicate_key.ndjson");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[2], (std::vector<std::string>{"42", "The Firm"}));
}

TEST(JsonConformanceTest, DuckDbDifferentSchemasInferTheUnion) {
  std::string schema;
  const Rows rows = ReadDuckDb("different_schemas.ndjson", &schema);
  EXPECT_EQ(schema, "struct<id:bigint,name:string>");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "NULL"}));
}

TEST(JsonConformanceTest, DuckDbEmptyFilesGiveNoRows) {
  for (const char* name : {"empty.ndjson", "whitespace_only.json"}) {
    EXPECT_TRUE(ReadDuckDb(name).empty()) << name;
  }
  // "[\n\t\n]" is an empty array only as one document: read by lines, as Spark does,
  // it is two malformed records.
  std::string schema;
  EXPECT_EQ(ReadDuckDb("empty_no_newline.json", &schema), (Rows{{"["}, {"]"}}));
  EXPECT_EQ(schema, "struct<_corrupt_record:string>");
}

TEST(JsonConformanceTest, DuckDbSeveralObjectsOnALineAreOneCorruptRecord) {
  std::string schema;
  const Rows rows = ReadDuckDb("multiple_objects_per_line.ndjson", &schema);
  EXPECT_EQ(schema, "struct<_corrupt_record:string>");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].substr(0, 8), "{\"id\":1,");
}

TEST(JsonConformanceTest, DuckDbTopLevelArrayGivesOneRowPerElement) {
  const std::string text = Slurp(fs::path(kDuckDbDir) / "top_level_array.json");
  auto schema = InferJsonSchema(text, {});
  ASSERT_TRUE(schema.ok());
  auto batches = ReadJson(text, *schema, {});
  ASSERT_TRUE(batches.ok());
  int64_t rows = 0;
  for (const BatchPtr& batch : *batches) {
    rows += batch->num_rows();
  }
  EXPECT_GT(rows, 1);
}

}  // namespace
}  // namespace sluice::json
