// SPDX-License-Identifier: Apache-2.0
// Opens every Delta table of the shared test data and checks what sluice reads against
// the facts ../shared/testdata/SOURCES.md states for it (latest version, live files,
// rows). SOURCES.md is parsed when the test runs, so the test follows the data. The
// delta-dat tables are also compared row by row with their expected Parquet contents.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/printer.h"
#include "common/json.h"
#include "delta/scan.h"
#include "delta/snapshot.h"
#include "formats/parquet/reader.h"

namespace sluice::delta {
namespace {

/// The folders of SOURCES.md whose entries are Delta tables.
constexpr std::string_view kCorpora[] = {"delta-golden",     "delta-rs",    "delta-kernel-java",
                                         "delta-kernel-rs",  "delta-spark", "delta-dat",
                                         "delta-rs-err-logs"};

std::string TestData() {
  return SLUICE_TESTDATA_DIR;
}

FileSystem& Fs() {
  return LocalFileSystem::Default();
}

/// What SOURCES.md states about one table.
struct TableFacts {
  std::string path;  // relative to the test data folder: "<corpus>/<name>"
  int64_t version = 0;
  int64_t live_files = 0;
  /// Rows of the live files: read from the data when `data_present`, otherwise (when
  /// set) per the log's stats.
  std::optional<int64_t> rows;
  bool data_present = false;
  std::string line;  // the bullet, for messages
};

/// Parses the decimal integer (optionally negative) starting at `pos`.
std::optional<int64_t> IntegerAt(std::string_view text, size_t pos) {
  size_t end = pos;
  if (end < text.size() && text[end] == '-')
    ++end;
  const size_t digits = end;
  while (end < text.size() && text[end] >= '0' && text[end] <= '9')
    ++end;
  if (end == digits)
    return std::nullopt;
  return std::stoll(std::string(text.substr(pos, end - pos)));
}

/// Parses the decimal integer that ends just before `end` (after skipping nothing).
std::optional<int64_t> IntegerBefore(std::string_view text, size_t end) {
  size_t begin = end;
  while (begin > 0 && text[begin - 1] >= '0' && text[begin - 1] <= '9')
    --begin;
  if (begin == end)
    return std::nullopt;
  return std::stoll(std::string(text.substr(begin, end - begin)));
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// Reads the "_Computed:_" part of one bullet. Returns false when it does not have the
/// expected shape.
bool ParseComputed(std::string_view computed, TableFacts* facts) {
  const size_t latest = computed.find("latest v");
  if (latest == std::string_view::npos)
    return false;
  std::optional<int64_t> version = IntegerAt(computed, latest + 8);
  if (!version.has_value())
    return false;
  facts->version = *version;
  const size_t live = computed.rfind(" live file");
  if (live == std::string_view::npos)
    return false;
  std::optional<int64_t> files = IntegerBefore(computed, live);
  if (!files.has_value())
    return false;
  facts->live_files = *files;
  const std::string_view after = computed.substr(live + 10);
  std::string_view before = computed.substr(0, live);
  before.remove_suffix(std::to_string(*files).size());
  if (after.starts_with(" entr")) {
    // "F live file entries by naive replay, data files not present (log-only)".
    facts->data_present = false;
  } else if (EndsWith(before, " rows in ") || EndsWith(before, " row in ")) {
    const size_t rows_end = before.rfind(" row");
    facts->rows = IntegerBefore(before, rows_end);
    if (!facts->rows.has_value())
      return false;
    facts->data_present =
        after.find("(per log stats; data files not included)") == std::string_view::npos;
  } else {
    return false;
  }
  // A note that naive replay is wrong overrides the count.
  const size_t correct = computed.find("the correct answer is ");
  if (correct != std::string_view::npos) {
    std::optional<int64_t> answer = IntegerAt(computed, correct + 22);
    if (!answer.has_value())
      return false;
    facts->live_files = *answer;
  }
  return true;
}

/// The Delta tables SOURCES.md describes, in its order; `errors` collects bullets that
/// could not be read.
std::vector<TableFacts> ParseSources(std::string_view text, std::vector<std::string>* errors) {
  std::vector<TableFacts> tables;
  std::string corpus;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos)
      end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.starts_with("## ")) {
      corpus.clear();
      const std::string_view title = line.substr(3);
      for (std::string_view name : kCorpora) {
        if (title.starts_with(name) && title.substr(name.size()).starts_with("/"))
          corpus = std::string(name);
      }
      continue;
    }
    if (corpus.empty() || !line.starts_with("- `"))
      continue;
    const size_t name_end = line.find('`', 3);
    const size_t computed = line.find("_Computed:_");
    TableFacts facts;
    facts.line = std::string(line);
    if (name_end == std::string_view::npos || computed == std::string_view::npos ||
        !ParseComputed(line.substr(computed), &facts)) {
      errors->push_back(std::string(line));
      continue;
    }
    facts.path = corpus + "/" + std::string(line.substr(3, name_end - 3));
    tables.push_back(std::move(facts));
  }
  return tables;
}

std::vector<TableFacts> SourcesTables(std::vector<std::string>* errors = nullptr) {
  std::vector<std::string> ignored;
  Result<std::string> text = Fs().ReadFile(TestData() + "/SOURCES.md");
  if (!text.ok())
    return {};
  return ParseSources(*text, errors != nullptr ? errors : &ignored);
}

/// A table sluice does not read as SOURCES.md says, and why.
struct KnownFailure {
  std::string_view path;
  /// The code of the error; nullopt when the table reads but with other results.
  std::optional<StatusCode> code;
  std::string_view reason;
};

// Tables that must fail, each with the reason in the data or in what sluice supports.
// A table that starts to read must be taken off (the test fails until it is).
constexpr KnownFailure kExpectedFailures[] = {
    // Broken on purpose (SOURCES.md "Intentionally broken inputs").
    {"delta-golden/deltalog-state-reconstruction-from-checkpoint-missing-metadata",
     StatusCode::kCorruption, "the checkpoint has no metaData action"},
    {"delta-golden/deltalog-state-reconstruction-from-checkpoint-missing-protocol",
     StatusCode::kCorruption, "the checkpoint has no protocol action"},
    {"delta-golden/deltalog-state-reconstruction-without-metadata", StatusCode::kCorruption,
     "no metaData action"},
    {"delta-golden/deltalog-state-reconstruction-without-protocol", StatusCode::kCorruption,
     "no protocol action"},
    {"delta-golden/versions-not-contiguous", StatusCode::kCorruption, "commit 1 is missing"},
    {"delta-golden/deltalog-invalid-protocol-version", StatusCode::kNotImplemented,
     "minReaderVersion 99"},
    {"delta-kernel-rs/crc-malformed", StatusCode::kNotFound,
     "no commit at all, only a malformed .crc"},
    {"delta-rs/simple_table_features", StatusCode::kNotImplemented,
     "unknown reader feature blahabl"},
    {"delta-rs-err-logs/table_c", StatusCode::kCorruption, "commit 12 missing after checkpoint 10"},
    {"delta-rs-err-logs/table_d", StatusCode::kNotImplemented, "reader feature catalogOwned"},
    {"delta-rs-err-logs/table_e", StatusCode::kNotImplemented, "reader feature catalogOwned"},
    {"delta-rs-err-logs/table_f", StatusCode::kNotImplemented, "reader feature catalogOwned"},
    {"delta-rs-err-logs/table_h", StatusCode::kNotImplemented,
     "reader feature catalogOwned (and missing commits)"},
    {"delta-rs-err-logs/table_i", StatusCode::kNotImplemented,
     "reader feature catalogOwned (and missing commits)"},
    // Not readable as stored here.
    {"delta-golden/data-reader-absolute-paths-escaped-chars", StatusCode::kCorruption,
     "hand-written log without a metaData action"},
    {"delta-spark/table-with-dv-small", StatusCode::kNotFound,
     "DV files carry Delta's test-only name prefix test%dv%prefix- that the 'u' "
     "descriptors do not record"},
    {"delta-spark/table-with-dv-large", StatusCode::kNotFound,
     "DV files carry Delta's test-only name prefix test%dv%prefix-"},
    {"delta-spark/partitioned-table-with-dv-large", StatusCode::kNotFound,
     "DV files carry Delta's test-only name prefix test%dv%prefix-"},
    {"delta-spark/table-with-dv-special-char", StatusCode::kCorruption,
     "the 'p' DV path is a template (file:{{FOLDER_WITH_SPECIAL_CHAR}}/...) the upstream "
     "test fills in"},
    // Features sluice does not read yet.
    {"delta-golden/spark-variant-checkpoint", StatusCode::kNotImplemented, "variantType-preview"},
    {"delta-kernel-java/spark-variant-checkpoint", StatusCode::kNotImplemented,
     "variantType-preview"},
    {"delta-rs/spark-variant-checkpoint", StatusCode::kNotImplemented, "variantType-preview"},
    {"delta-kernel-rs/unshredded-variant", StatusCode::kNotImplemented, "variantType-preview"},
    {"delta-kernel-java/spark-variant-stable-feature-checkpoint", StatusCode::kNotImplemented,
     "variantType"},
    {"delta-rs/spark-variant-stable-feature-checkpoint", StatusCode::kNotImplemented,
     "variantType"},
    {"delta-kernel-java/spark-shredded-variant-preview-delta", StatusCode::kNotImplemented,
     "variantType, variantShredding-preview"},
    {"delta-rs/spark-shredded-variant-preview-delta", StatusCode::kNotImplemented,
     "variantType, variantShredding-preview"},
    {"delta-spark/variant-stats-no-checkpoint", StatusCode::kNotImplemented,
     "variantType, variantShredding-preview"},
    {"delta-spark/variant-stats-nested-no-checkpoint", StatusCode::kNotImplemented,
     "variantType, variantShredding-preview"},
    {"delta-spark/variant-stats-state-reconstruction", StatusCode::kNotImplemented,
     "variantType, variantShredding-preview"},
    {"delta-spark/variant-stats-with-struct-no-checkpoint", StatusCode::kNotImplemented,
     "variantType, variantShredding-preview"},
    {"delta-kernel-java/catalog-owned-preview", StatusCode::kNotImplemented,
     "catalogManaged (commits ratified by a catalog)"},
    {"delta-kernel-rs/catalog_managed_0", StatusCode::kNotImplemented,
     "catalogManaged (commits ratified by a catalog)"},
    {"delta-kernel-rs/table-with-geo", StatusCode::kNotImplemented, "geospatial"},
};

const KnownFailure* Find(const KnownFailure* begin, const KnownFailure* end,
                         std::string_view path) {
  const KnownFailure* found = std::find_if(
      begin, end, [path](const KnownFailure& failure) { return failure.path == path; });
  return found == end ? nullptr : found;
}

/// The rows of the live files per their stats (numRecords minus deleted rows), or
/// nullopt when a file has no numRecords.
std::optional<int64_t> RowsPerStats(const Snapshot& snapshot) {
  int64_t rows = 0;
  for (const AddFile& file : snapshot.files()) {
    if (!file.stats.has_value())
      return std::nullopt;
    Result<JsonValue> stats = JsonValue::Parse(*file.stats);
    const JsonValue* records = stats.ok() ? stats->Find("numRecords") : nullptr;
    if (records == nullptr || !records->AsInt64().ok())
      return std::nullopt;
    rows += *records->AsInt64();
    if (file.deletion_vector.has_value())
      rows -= file.deletion_vector->cardinality;
  }
  return rows;
}

Result<int64_t> CountRows(const SnapshotPtr& snapshot) {
  SLUICE_ASSIGN_OR_RETURN(auto scan, Scan::Make(snapshot, ScanOptions{}, Fs()));
  int64_t rows = 0;
  for (size_t i = 0; i < scan->files().size(); ++i) {
    SLUICE_RETURN_IF_ERROR(scan->ReadFile(i, [&rows](BatchPtr batch) {
      rows += batch->num_rows();
      return Status::Ok();
    }));
  }
  return rows;
}

/// What sluice reads of a table.
struct Observed {
  int64_t version = 0;
  int64_t live_files = 0;
  std::optional<int64_t> rows;
};

Result<Observed> Observe(const TableFacts& facts) {
  SLUICE_ASSIGN_OR_RETURN(SnapshotPtr snapshot,
                          Snapshot::Load(TestData() + "/" + facts.path, Fs()));
  Observed observed;
  observed.version = snapshot->version();
  observed.live_files = static_cast<int64_t>(snapshot->files().size());
  if (facts.data_present) {
    SLUICE_ASSIGN_OR_RETURN(observed.rows, CountRows(snapshot));
  } else if (facts.rows.has_value()) {
    observed.rows = RowsPerStats(*snapshot);
  }
  return observed;
}

/// Each row of `batches` as one line of its cells (show() text), sorted.
std::vector<std::string> CanonicalRows(const std::vector<BatchPtr>& batches) {
  std::vector<std::string> rows;
  for (const BatchPtr& batch : batches) {
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      std::string row;
      for (int c = 0; c < batch->num_columns(); ++c) {
        row += (c == 0 ? "" : " | ") + FormatCell(*batch->column(c), r);
      }
      rows.push_back(std::move(row));
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

/// Compares a delta-dat table with expected/<latest|vN>/table_content.parquet, for
/// every version that has an expected folder.
void ExpectDatContents(const TableFacts& facts) {
  const std::filesystem::path table = TestData() + "/" + facts.path;
  const std::filesystem::path expected_root = table.parent_path() / "expected";
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(expected_root)) {
    const std::string label = entry.path().filename().string();
    SCOPED_TRACE(facts.path + " expected/" + label);
    auto metadata = Fs().ReadFile((entry.path() / "table_version_metadata.json").string());
    ASSERT_TRUE(metadata.ok()) << metadata.status().ToString();
    auto json = JsonValue::Parse(*metadata);
    ASSERT_TRUE(json.ok()) << json.status().ToString();
    const JsonValue* version_value = json->Find("version");
    ASSERT_NE(version_value, nullptr);
    auto version = version_value->AsInt64();
    ASSERT_TRUE(version.ok());
    if (label != "latest") {
      EXPECT_EQ(label, "v" + std::to_string(*version));
    }

    auto reader = parquet::ParquetReader::Open((entry.path() / "table_content.parquet").string());
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    auto expected_batches = (*reader)->ReadAll();
    ASSERT_TRUE(expected_batches.ok()) << expected_batches.status().ToString();

    auto snapshot = Snapshot::Load(table.string(), Fs(), *version);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    if (label == "latest") {
      EXPECT_EQ((*snapshot)->version(), facts.version);
    }
    ScanOptions options;
    for (const Field& field : (*reader)->schema()->fields())
      options.columns.push_back(field.name);
    auto scan = Scan::Make(*snapshot, options, Fs());
    ASSERT_TRUE(scan.ok()) << scan.status().ToString();
    auto actual_batches = (*scan)->ReadAll();
    ASSERT_TRUE(actual_batches.ok()) << actual_batches.status().ToString();
    EXPECT_EQ(CanonicalRows(*actual_batches), CanonicalRows(*expected_batches));
    ++checked;
  }
  EXPECT_GT(checked, 0) << "no expected results under " << expected_root;
}

/// Whether what sluice reads is what SOURCES.md states.
bool Matches(const Observed& observed, const TableFacts& facts) {
  return observed.version == facts.version && observed.live_files == facts.live_files &&
         (!facts.rows.has_value() || observed.rows == facts.rows);
}

/// How one table came out.
enum class Outcome { kRead, kExpectedFailure };

/// Checks one table against SOURCES.md or its entry on the failure lists.
void CheckTable(const TableFacts& facts, Outcome* outcome) {
  SCOPED_TRACE(facts.line);
  Result<Observed> observed = Observe(facts);
  const KnownFailure* failure =
      Find(std::begin(kExpectedFailures), std::end(kExpectedFailures), facts.path);
  if (failure != nullptr) {
    *outcome = Outcome::kExpectedFailure;
    const KnownFailure& known = *failure;
    const std::string list = "kExpectedFailures";
    if (known.code.has_value()) {
      ASSERT_FALSE(observed.ok()) << facts.path << " is on " << list << " (" << known.reason
                                  << ") but reads: take it off";
      EXPECT_EQ(observed.status().code(), *known.code)
          << facts.path << " (" << known.reason << "): " << observed.status().ToString();
    } else {
      ASSERT_TRUE(observed.ok()) << facts.path << ": " << observed.status().ToString();
      EXPECT_FALSE(Matches(*observed, facts))
          << facts.path << " is on " << list << " (" << known.reason
          << ") but reads as SOURCES.md states: take it off";
    }
    return;
  }
  *outcome = Outcome::kRead;
  ASSERT_TRUE(observed.ok()) << facts.path << ": " << observed.status().ToString();
  EXPECT_EQ(observed->version, facts.version) << facts.path;
  EXPECT_EQ(observed->live_files, facts.live_files) << facts.path;
  if (facts.rows.has_value()) {
    EXPECT_EQ(observed->rows, facts.rows) << facts.path;
  }
  if (facts.path.starts_with("delta-dat/")) {
    ExpectDatContents(facts);
  }
}

/// One test per folder of tables (one process each under ctest); failures name the table.
class DeltaCompatibilityTest : public ::testing::TestWithParam<std::string_view> {};

TEST_P(DeltaCompatibilityTest, ReadsWhatSourcesStates) {
  const std::string prefix = std::string(GetParam()) + "/";
  std::map<Outcome, int> outcomes;
  for (const TableFacts& facts : SourcesTables()) {
    if (!facts.path.starts_with(prefix))
      continue;
    Outcome outcome = Outcome::kRead;
    CheckTable(facts, &outcome);
    ++outcomes[outcome];
  }
  EXPECT_GT(outcomes[Outcome::kRead] + outcomes[Outcome::kExpectedFailure], 0)
      << "SOURCES.md lists no table under " << prefix;
  std::printf("%s: %d tables read as SOURCES.md states, %d expected failures\n",
              std::string(GetParam()).c_str(), outcomes[Outcome::kRead],
              outcomes[Outcome::kExpectedFailure]);
}

std::string TestName(const ::testing::TestParamInfo<std::string_view>& info) {
  std::string name(info.param);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Sources, DeltaCompatibilityTest, ::testing::ValuesIn(kCorpora), TestName);

TEST_F(DeltaCompatibilityTest, DescribesEveryTableOnDisk) {
  std::vector<std::string> errors;
  std::vector<TableFacts> tables = SourcesTables(&errors);
  EXPECT_TRUE(errors.empty()) << "unreadable SOURCES.md bullets, first: " << errors.front();
  std::vector<std::string> described;
  for (const TableFacts& facts : tables)
    described.push_back(facts.path);
  std::sort(described.begin(), described.end());
  std::vector<std::string> on_disk;
  for (std::string_view corpus : kCorpora) {
    const std::filesystem::path root = TestData() + "/" + std::string(corpus);
    for (auto it = std::filesystem::recursive_directory_iterator(root);
         it != std::filesystem::recursive_directory_iterator(); ++it) {
      if (it->is_directory() && it->path().filename() == "_delta_log") {
        on_disk.push_back(std::filesystem::relative(it->path().parent_path(), TestData()).string());
        it.disable_recursion_pending();
      }
    }
  }
  std::sort(on_disk.begin(), on_disk.end());
  EXPECT_EQ(described, on_disk);
  EXPECT_GT(described.size(), 200u);
}

TEST_F(DeltaCompatibilityTest, KnownFailuresNameDescribedTables) {
  std::vector<TableFacts> tables = SourcesTables();
  auto described = [&tables](std::string_view path) {
    return std::any_of(tables.begin(), tables.end(),
                       [path](const TableFacts& facts) { return facts.path == path; });
  };
  for (const KnownFailure& failure : kExpectedFailures) {
    EXPECT_TRUE(described(failure.path)) << failure.path;
  }
}

}  // namespace
}  // namespace sluice::delta
