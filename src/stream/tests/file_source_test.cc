// SPDX-License-Identifier: Apache-2.0
#include "stream/file_source.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "columnar/builder.h"
#include "columnar/printer.h"
#include "common/sync_point.h"
#include "formats/parquet/writer.h"
#include "stream/factory.h"
#include "stream/streaming_query.h"
#include "types/ddl.h"

namespace sluice::stream {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

/// A data directory and a metadata directory, removed at the end.
class TempDirs {
 public:
  TempDirs() {
    std::string pattern = JoinPath(::testing::TempDir(), "file_source_test_XXXXXX");
    root_ = mkdtemp(pattern.data());
    data = root_ + "/in";
    metadata = root_ + "/checkpoint/sources/0";
    EXPECT_TRUE(LocalFileSystem::Default().CreateDirectories(data).ok());
  }
  ~TempDirs() { (void)LocalFileSystem::Default().DeleteRecursively(root_); }

  /// Writes `name` in the data directory with modification time `seconds`.
  void Write(const std::string& name, const std::string& content, int64_t seconds) const {
    const std::string path = data + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    SetTime(name, seconds);
  }
  void SetTime(const std::string& name, int64_t seconds) const {
    const std::string path = data + "/" + name;
    timespec times[2] = {{seconds, 0}, {seconds, 0}};
    ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, 0), 0) << path;
  }
  SourceContext Context() const { return SourceContext{metadata, nullptr, "query"}; }
  const std::string& root() const { return root_; }

  std::string data;
  std::string metadata;

 private:
  std::string root_;
};

SchemaPtr IdNameSchema() {
  return *ParseDdlSchema("id BIGINT, name STRING");
}

std::unique_ptr<StreamSource> MakeOpen(const TempDirs& dirs, const std::string& format,
                                       OptionList options, SchemaPtr schema = IdNameSchema(),
                                       std::string path = "") {
  SourceSpec spec;
  spec.format = format;
  spec.options = std::move(options);
  spec.schema = std::move(schema);
  spec.path = path.empty() ? dirs.data : path;
  Result<std::unique_ptr<StreamSource>> source = MakeSource(spec);
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  if (!source.ok()) {
    return nullptr;
  }
  Status opened = (*source)->Open(dirs.Context());
  EXPECT_TRUE(opened.ok()) << opened.ToString();
  return std::move(*source);
}

/// Every row as its cells joined by ','.
std::vector<std::string> Rows(const std::vector<BatchPtr>& batches) {
  std::vector<std::string> rows;
  for (const BatchPtr& batch : batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      std::string text;
      for (int column = 0; column < batch->num_columns(); ++column) {
        text += (column > 0 ? "," : "") + FormatCell(*batch->column(column), row);
      }
      rows.push_back(text);
    }
  }
  return rows;
}

std::optional<Offset> Latest(StreamSource& source, const std::optional<Offset>& start,
                             ReadLimit limit = ReadLimit::kRateLimited) {
  Result<std::optional<Offset>> offset = source.LatestOffset(start, limit);
  EXPECT_TRUE(offset.ok()) << offset.status().ToString();
  return offset.ok() ? *offset : std::nullopt;
}

std::vector<std::string> Read(StreamSource& source, const std::optional<Offset>& start,
                              const Offset& end) {
  Result<std::vector<BatchPtr>> batches = source.GetBatch(start, end);
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  return batches.ok() ? Rows(*batches) : std::vector<std::string>{};
}

std::string Json(int64_t id, const std::string& name) {
  return "{\"id\":" + std::to_string(id) + ",\"name\":\"" + name + "\"}\n";
}

const OptionList kImmediate = {{"sluice.fileStableChecks", "0"}};

TEST(FileSourceTest, OffsetsAdvanceAsFilesAppear) {
  TempDirs dirs;
  auto source = MakeOpen(dirs, "json", kImmediate);
  EXPECT_FALSE(Latest(*source, std::nullopt).has_value());

  dirs.Write("a.json", Json(1, "a") + Json(2, "b"), 1000);
  const std::optional<Offset> first = Latest(*source, std::nullopt);
  EXPECT_EQ(first, std::optional<Offset>("{\"logOffset\":0}"));
  EXPECT_THAT(Read(*source, std::nullopt, *first), ElementsAre("1,a", "2,b"));
  EXPECT_EQ(Latest(*source, first), first);

  dirs.Write("b.json", Json(3, "c"), 1001);
  const std::optional<Offset> second = Latest(*source, first);
  EXPECT_EQ(second, std::optional<Offset>("{\"logOffset\":1}"));
  EXPECT_THAT(Read(*source, first, *second), ElementsAre("3,c"));
  EXPECT_THAT(Read(*source, std::nullopt, *second), ElementsAre("1,a", "2,b", "3,c"));
  EXPECT_EQ(source->ReportLatestOffset(), second);
}

TEST(FileSourceTest, WritesSparksMetadataLogBeforeReturningTheOffset) {
  TempDirs dirs;
  auto source = MakeOpen(dirs, "json", kImmediate);
  dirs.Write("b.json", Json(2, "b"), 2000);
  dirs.Write("a.json", Json(1, "a"), 2000);
  ASSERT_TRUE(Latest(*source, std::nullopt).has_value());
  Result<std::string> log = LocalFileSystem::Default().ReadFile(dirs.metadata + "/0");
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(*log, "v1\n{\"path\":\"file://" + dirs.data +
                      "/a.json\",\"timestamp\":2000000,\"batchId\":0}\n{\"path\":\"file://" +
                      dirs.data + "/b.json\",\"timestamp\":2000000,\"batchId\":0}");
}

TEST(FileSourceTest, MaxFilesPerTriggerTakesTheOldestFirst) {
  TempDirs dirs;
  auto source =
      MakeOpen(dirs, "json", {{"sluice.fileStableChecks", "0"}, {"MAXFILESPERTRIGGER", "2"}});
  dirs.Write("c.json", Json(3, "c"), 1003);
  dirs.Write("a.json", Json(1, "a"), 1001);
  dirs.Write("b.json", Json(2, "b"), 1002);
  const std::optional<Offset> first = Latest(*source, std::nullopt);
  EXPECT_THAT(Read(*source, std::nullopt, *first), ElementsAre("1,a", "2,b"));
  EXPECT_EQ(source->Metrics(first)["numFilesOutstanding"], "1");
  EXPECT_EQ(source->Metrics(first)["numBytesOutstanding"], std::to_string(Json(3, "c").size()));
  const std::optional<Offset> second = Latest(*source, first);
  EXPECT_THAT(Read(*source, first, *second), ElementsAre("3,c"));
  EXPECT_EQ(Latest(*source, second), second);
  EXPECT_EQ(source->Metrics(second)["numFilesOutstanding"], "0");
}

TEST(FileSourceTest, AllAvailableIgnoresTheRateLimit) {
  TempDirs dirs;
  auto source =
      MakeOpen(dirs, "json", {{"sluice.fileStableChecks", "0"}, {"maxFilesPerTrigger", "1"}});
  dirs.Write("a.json", Json(1, "a"), 1001);
  dirs.Write("b.json", Json(2, "b"), 1002);
  const std::optional<Offset> end = Latest(*source, std::nullopt, ReadLimit::kAllAvailable);
  EXPECT_THAT(Read(*source, std::nullopt, *end), ElementsAre("1,a", "2,b"));
}

TEST(FileSourceTest, MaxBytesPerTriggerTakesAtLeastOneFile) {
  TempDirs dirs;
  const std::string a = Json(1, "a");
  auto source = MakeOpen(
      dirs, "json",
      {{"sluice.fileStableChecks", "0"}, {"maxBytesPerTrigger", std::to_string(2 * a.size())}});
  dirs.Write("a.json", a, 1001);
  dirs.Write("b.json", Json(2, "b"), 1002);
  dirs.Write("big.json", Json(3, "c") + Json(4, "d") + Json(5, "e"), 1003);
  dirs.Write("z.json", Json(6, "f"), 1004);
  const std::optional<Offset> first = Latest(*source, std::nullopt);
  EXPECT_THAT(Read(*source, std::nullopt, *first), ElementsAre("1,a", "2,b"));
  const std::optional<Offset> second = Latest(*source, first);
  EXPECT_THAT(Read(*source, first, *second), ElementsAre("3,c", "4,d", "5,e"));
  const std::optional<Offset> third = Latest(*source, second);
  EXPECT_THAT(Read(*source, second, *third), ElementsAre("6,f"));
}

TEST(FileSourceTest, LatestFirstTakesTheNewestFirst) {
  TempDirs dirs;
  auto source = MakeOpen(
      dirs, "json",
      {{"sluice.fileStableChecks", "0"}, {"latestFirst", "true"}, {"maxFilesPerTrigger", "1"}});
  dirs.Write("a.json", Json(1, "a"), 1001);
  dirs.Write("b.json", Json(2, "b"), 1002);
  const std::optional<Offset> first = Latest(*source, std::nullopt);
  EXPECT_THAT(Read(*source, std::nullopt, *first), ElementsAre("2,b"));
  const std::optional<Offset> second = Latest(*source, first);
  EXPECT_THAT(Read(*source, first, *second), ElementsAre("1,a"));
}

TEST(FileSourceTest, MaxFileAgeSkipsFilesOlderThanTheNewestTaken) {
  TempDirs dirs;
  auto source = MakeOpen(dirs, "json", {{"sluice.fileStableChecks", "0"}, {"maxFileAge", "1h"}});
  dirs.Write("new.json", Json(1, "new"), 100000);
  const std::optional<Offset> first = Latest(*source, std::nullopt);
  dirs.Write("old.json", Json(2, "old"), 100000 - 7200);
  dirs.Write("recent.json", Json(3, "recent"), 100000 - 1800);
  const std::optional<Offset> second = Latest(*source, first);
  EXPECT_THAT(Read(*source, first, *second), ElementsAre("3,recent"));
  EXPECT_EQ(Latest(*source, second), second);
}

TEST(FileSourceTest, EachFileIsTakenOnceAcrossARestart) {
  TempDirs dirs;
  std::optional<Offset> committed;
  std::vector<std::string> before;
  {
    auto source = MakeOpen(dirs, "json", kImmediate);
    dirs.Write("a.json", Json(1, "a"), 1001);
    committed = Latest(*source, std::nullopt);
    dirs.Write("b.json", Json(2, "b"), 1002);
    committed = Latest(*source, committed);
    before = Read(*source, std::nullopt, *committed);
  }
  auto restarted = MakeOpen(dirs, "json", kImmediate);
  EXPECT_EQ(Latest(*restarted, committed), committed);
  EXPECT_THAT(Read(*restarted, std::nullopt, *committed), ElementsAre("1,a", "2,b"));
  EXPECT_EQ(Read(*restarted, std::nullopt, *committed), before);
  dirs.Write("c.json", Json(3, "c"), 1003);
  const std::optional<Offset> next = Latest(*restarted, committed);
  EXPECT_EQ(next, std::optional<Offset>("{\"logOffset\":2}"));
  EXPECT_THAT(Read(*restarted, committed, *next), ElementsAre("3,c"));
}

TEST(FileSourceTest, ARestartHandsOutLoggedButUnconsumedBatchesFirst) {
  TempDirs dirs;
  std::optional<Offset> committed;
  {
    auto source = MakeOpen(dirs, "json", kImmediate);
    dirs.Write("a.json", Json(1, "a"), 1001);
    committed = Latest(*source, std::nullopt);
    dirs.Write("b.json", Json(2, "b"), 1002);
    ASSERT_EQ(Latest(*source, committed), std::optional<Offset>("{\"logOffset\":1}"));
    // Crash before the batch of offset 1 commits.
  }
  dirs.Write("c.json", Json(3, "c"), 1003);
  auto restarted = MakeOpen(dirs, "json", kImmediate);
  const std::optional<Offset> replay = Latest(*restarted, committed);
  EXPECT_EQ(replay, std::optional<Offset>("{\"logOffset\":1}"));
  EXPECT_THAT(Read(*restarted, committed, *replay), ElementsAre("2,b"));
  const std::optional<Offset> next = Latest(*restarted, replay);
  EXPECT_THAT(Read(*restarted, replay, *next), ElementsAre("3,c"));
}

TEST(FileSourceTest, AHalfWrittenFileWaitsUntilItStopsChanging) {
  TempDirs dirs;
  auto source = MakeOpen(dirs, "json", {});
  dirs.Write("a.json", Json(1, "a"), 1001);
  EXPECT_FALSE(Latest(*source, std::nullopt).has_value());  // first seen
  dirs.Write("a.json", Json(1, "a") + Json(2, "b"), 1002);
  EXPECT_FALSE(Latest(*source, std::nullopt).has_value());  // changed since
  EXPECT_EQ(source->Metrics(std::nullopt)["numFilesOutstanding"], "1");
  const std::optional<Offset> end = Latest(*source, std::nullopt);  // unchanged: stable
  ASSERT_TRUE(end.has_value());
  EXPECT_THAT(Read(*source, std::nullopt, *end), ElementsAre("1,a", "2,b"));
}

TEST(FileSourceTest, TriggerOnceTakesFilesWithoutWaitingForStability) {
  TempDirs dirs;
  auto source = MakeOpen(dirs, "json", {});
  dirs.Write("a.json", Json(1, "a"), 1001);
  const std::optional<Offset> end = Latest(*source, std::nullopt, ReadLimit::kAllAvailable);
  ASSERT_TRUE(end.has_value());
  EXPECT_THAT(Read(*source, std::nullopt, *end), ElementsAre("1,a"));
}

TEST(FileSourceTest, HiddenAndTemporaryNamesAreSkipped) {
  TempDirs dirs;
  auto source = MakeOpen(dirs, "json", kImmediate);
  for (const char* name : {".a.json.tmp", "_SUCCESS", "b.json.tmp", "c.json.crc",
                           "d.json._COPYING_", ".hidden.json", "_temporary.json"}) {
    dirs.Write(name, Json(9, name), 1001);
  }
  EXPECT_FALSE(Latest(*source, std::nullopt).has_value());
  ASSERT_EQ(std::rename((dirs.data + "/.a.json.tmp").c_str(), (dirs.data + "/a.json").c_str()), 0);
  const std::optional<Offset> end = Latest(*source, std::nullopt);
  ASSERT_TRUE(end.has_value());
  EXPECT_THAT(Read(*source, std::nullopt, *end), ElementsAre("9,.a.json.tmp"));
}

TEST(FileSourceTest, SubdirectoriesAreNotRead) {
  TempDirs dirs;
  auto source = MakeOpen(dirs, "json", kImmediate);
  ASSERT_TRUE(LocalFileSystem::Default().CreateDirectories(dirs.data + "/sub").ok());
  dirs.Write("sub/a.json", Json(1, "a"), 1001);
  EXPECT_FALSE(Latest(*source, std::nullopt).has_value());
}

TEST(FileSourceTest, AGlobPathTakesTheMatchingNames) {
  TempDirs dirs;
  auto source = MakeOpen(dirs, "json", kImmediate, IdNameSchema(), dirs.data + "/*.json");
  dirs.Write("a.json", Json(1, "a"), 1001);
  dirs.Write("b.txt", Json(2, "b"), 1002);
  dirs.Write("c.json", Json(3, "c"), 1003);
  const std::optional<Offset> end = Latest(*source, std::nullopt);
  EXPECT_THAT(Read(*source, std::nullopt, *end), ElementsAre("1,a", "3,c"));
  EXPECT_EQ(source->Identity(), "{\"format\":\"json\",\"path\":\"" + dirs.data + "/*.json\"}");
}

TEST(FileSourceTest, ReadsCsvWithReaderOptions) {
  TempDirs dirs;
  OptionList options = kImmediate;
  options.emplace_back("header", "true");
  options.emplace_back("sep", ";");
  auto source = MakeOpen(dirs, "csv", options);
  dirs.Write("a.csv", "id;name\n1;x\n2;y\n", 1001);
  dirs.Write("b.csv", "id;name\n3;z\n", 1002);
  const std::optional<Offset> end = Latest(*source, std::nullopt);
  EXPECT_THAT(Read(*source, std::nullopt, *end), ElementsAre("1,x", "2,y", "3,z"));
}

TEST(FileSourceTest, ReadsTextOneRowPerLine) {
  TempDirs dirs;
  auto source = MakeOpen(dirs, "text", kImmediate, nullptr);
  EXPECT_EQ(source->schema()->ToString(), "struct<value:string>");
  dirs.Write("a.txt", "first\r\nsecond\n\nfourth", 1001);
  const std::optional<Offset> end = Latest(*source, std::nullopt);
  EXPECT_THAT(Read(*source, std::nullopt, *end), ElementsAre("first", "second", "", "fourth"));

  TempDirs whole_dirs;
  OptionList whole = kImmediate;
  whole.emplace_back("wholetext", "true");
  auto whole_source = MakeOpen(whole_dirs, "text", whole, nullptr);
  whole_dirs.Write("a.txt", "x\ny", 1001);
  const std::optional<Offset> whole_end = Latest(*whole_source, std::nullopt);
  EXPECT_THAT(Read(*whole_source, std::nullopt, *whole_end), ElementsAre("x\ny"));

  TempDirs separated_dirs;
  OptionList separated = kImmediate;
  separated.emplace_back("lineSep", "||");
  auto separated_source = MakeOpen(separated_dirs, "text", separated, nullptr);
  separated_dirs.Write("a.txt", "x||y\n||z", 1001);
  const std::optional<Offset> separated_end = Latest(*separated_source, std::nullopt);
  EXPECT_THAT(Read(*separated_source, std::nullopt, *separated_end), ElementsAre("x", "y\n", "z"));
}

TEST(FileSourceTest, ReadsParquetByColumnName) {
  TempDirs dirs;
  SchemaPtr file_schema = *ParseDdlSchema("name STRING, id BIGINT");
  BatchBuilder builder(file_schema);
  static_cast<StringBuilder*>(builder.column(0))->Append("p");
  static_cast<Int64Builder*>(builder.column(1))->Append(42);
  Result<std::string> bytes = parquet::WriteParquetToString(file_schema, {builder.Finish()});
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  dirs.Write("a.parquet", *bytes, 1001);
  auto source =
      MakeOpen(dirs, "parquet", kImmediate, *ParseDdlSchema("id BIGINT, name STRING, extra INT"));
  const std::optional<Offset> end = Latest(*source, std::nullopt);
  EXPECT_THAT(Read(*source, std::nullopt, *end), ElementsAre("42,p,NULL"));

  TempDirs mismatch_dirs;
  mismatch_dirs.Write("a.parquet", *bytes, 1001);
  auto mismatch = MakeOpen(mismatch_dirs, "parquet", kImmediate, *ParseDdlSchema("id STRING"));
  const std::optional<Offset> mismatch_end = Latest(*mismatch, std::nullopt);
  Result<std::vector<BatchPtr>> read = mismatch->GetBatch(std::nullopt, *mismatch_end);
  EXPECT_EQ(read.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status().message(), HasSubstr("'id'"));
}

TEST(FileSourceTest, AvailableNowStopsAtTheFilesListedWhenPrepared) {
  TempDirs dirs;
  auto source = MakeOpen(dirs, "json", {{"maxFilesPerTrigger", "1"}});
  dirs.Write("a.json", Json(1, "a"), 1001);
  dirs.Write("b.json", Json(2, "b"), 1002);
  ASSERT_TRUE(source->PrepareForTriggerAvailableNow().ok());
  dirs.Write("c.json", Json(3, "c"), 1003);
  const std::optional<Offset> first = Latest(*source, std::nullopt);
  EXPECT_THAT(Read(*source, std::nullopt, *first), ElementsAre("1,a"));
  const std::optional<Offset> second = Latest(*source, first);
  EXPECT_THAT(Read(*source, first, *second), ElementsAre("2,b"));
  EXPECT_EQ(Latest(*source, second), second);
  EXPECT_EQ(Latest(*source, second), second);
}

TEST(FileSourceTest, RequiresASchemaForJsonCsvAndParquet) {
  for (const char* format : {"json", "csv", "parquet"}) {
    SourceSpec spec;
    spec.format = format;
    spec.path = "/tmp/in";
    Result<std::unique_ptr<StreamSource>> source = MakeSource(spec);
    EXPECT_EQ(source.status().code(), StatusCode::kInvalidArgument) << format;
    EXPECT_THAT(source.status().message(),
                HasSubstr("Schema must be specified when creating a streaming source DataFrame"));
  }
}

TEST(FileSourceTest, BadOptionValuesNameTheOption) {
  const std::vector<std::pair<OptionList, std::string>> cases = {
      {{{"maxFilesPerTrigger", "0"}}, "maxFilesPerTrigger"},
      {{{"maxFilesPerTrigger", "many"}}, "maxFilesPerTrigger"},
      {{{"maxBytesPerTrigger", "-5"}}, "maxBytesPerTrigger"},
      {{{"maxFilesPerTrigger", "1"}, {"maxBytesPerTrigger", "10"}}, "maxBytesPerTrigger"},
      {{{"latestFirst", "yes"}}, "latestFirst"},
      {{{"fileNameOnly", "1"}}, "fileNameOnly"},
      {{{"maxFileAge", "7 fortnights"}}, "maxFileAge"},
      {{{"sluice.fileStableChecks", "-1"}}, "sluice.fileStableChecks"},
      {{{"cleanSource", "shred"}}, "cleanSource"},
  };
  for (const auto& [options, name] : cases) {
    SourceSpec spec;
    spec.format = "json";
    spec.schema = IdNameSchema();
    spec.path = "/tmp/in";
    spec.options = options;
    Result<std::unique_ptr<StreamSource>> source = MakeSource(spec);
    EXPECT_EQ(source.status().code(), StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(source.status().message(), HasSubstr(name));
  }
}

TEST(FileSourceTest, ParsesJavaTimeStrings) {
  EXPECT_EQ(*ParseTimeStringMs("7d", "x"), 7 * 24 * 3600 * 1000LL);
  EXPECT_EQ(*ParseTimeStringMs("90s", "x"), 90000);
  EXPECT_EQ(*ParseTimeStringMs("5min", "x"), 300000);
  EXPECT_EQ(*ParseTimeStringMs("250", "x"), 250);
  EXPECT_EQ(*ParseTimeStringMs("3", "x", 1000), 3000);
  EXPECT_FALSE(ParseTimeStringMs("", "x").ok());
  EXPECT_FALSE(ParseTimeStringMs("-1s", "x").ok());
}

TEST(FileSourceTest, DescribesItselfAsSparkDoes) {
  TempDirs dirs;
  auto source = MakeOpen(dirs, "JSON", kImmediate);
  EXPECT_EQ(source->Description(), "FileStreamSource[file:" + dirs.data + "]");
  EXPECT_EQ(source->Identity(), "{\"format\":\"json\",\"path\":\"" + dirs.data + "\"}");
}

/// Keeps each batch's rows by batch id; a batch id already written is not written again.
class CollectingSink : public StreamSink {
 public:
  explicit CollectingSink(std::map<int64_t, std::vector<std::string>>* batches)
      : batches_(batches) {}
  std::string Description() const override { return "CollectingSink"; }
  Status AddBatch(int64_t batch_id, const SchemaPtr& schema,
                  const std::vector<BatchPtr>& data) override {
    (void)schema;
    batches_->emplace(batch_id, Rows(data));
    return Status::Ok();
  }

 private:
  std::map<int64_t, std::vector<std::string>>* batches_;
};

Result<std::unique_ptr<MicroBatchExecution>> StartQuery(
    const TempDirs& dirs, const std::string& checkpoint,
    std::map<int64_t, std::vector<std::string>>* batches) {
  SourceSpec spec;
  spec.format = "json";
  spec.path = dirs.data;
  spec.schema = IdNameSchema();
  spec.options = {{"maxFilesPerTrigger", "1"}, {"sluice.fileStableChecks", "0"}};
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<StreamSource> source, MakeSource(spec));
  StreamingQueryOptions options;
  options.checkpoint_location = checkpoint;
  const SchemaPtr schema = source->schema();
  options.sources.push_back(std::move(source));
  options.sink = std::make_unique<CollectingSink>(batches);
  options.plan = [schema](const MicroBatchInput& input) -> Result<MicroBatchOutput> {
    return MicroBatchOutput{schema, input.sources[0]};
  };
  return MicroBatchExecution::Open(std::move(options));
}

TEST(FileSourceTest, AQueryTakesEachFileExactlyOnceWhateverPointItCrashesAt) {
  for (const char* crash_point :
       {"MicroBatch::BeforeOffsetLog", "MicroBatch::AfterOffsetLog", "MicroBatch::BeforeSinkCommit",
        "MicroBatch::AfterSinkCommit", "MicroBatch::BeforeCommitLog"}) {
    SCOPED_TRACE(crash_point);
    TempDirs dirs;
    const std::string checkpoint = dirs.root() + "/query_checkpoint";
    std::map<int64_t, std::vector<std::string>> batches;
    dirs.Write("a.json", Json(1, "a"), 1001);
    dirs.Write("b.json", Json(2, "b"), 1002);
    {
      auto query = StartQuery(dirs, checkpoint, &batches);
      ASSERT_TRUE(query.ok()) << query.status().ToString();
      ASSERT_TRUE((*query)->RunTrigger().ok());  // batch 0: a.json
      int hits = 0;
      SyncPoints::SetCallback([&](std::string_view point) {
        return point == crash_point && hits++ == 0 ? Status::IoError("simulated crash")
                                                   : Status::Ok();
      });
      EXPECT_FALSE((*query)->RunTrigger().ok());  // batch 1 (b.json) dies at the point
      SyncPoints::ClearCallback();
      (*query)->Close();
    }
    dirs.Write("c.json", Json(3, "c"), 1003);
    {
      auto query = StartQuery(dirs, checkpoint, &batches);
      ASSERT_TRUE(query.ok()) << query.status().ToString();
      ASSERT_TRUE((*query)->ProcessAllAvailable().ok());
      (*query)->Close();
    }
    std::vector<std::string> all;
    for (const auto& [batch_id, rows] : batches) {
      all.insert(all.end(), rows.begin(), rows.end());
    }
    EXPECT_THAT(all, ElementsAre("1,a", "2,b", "3,c"));
    EXPECT_EQ(batches.size(), 3u);
  }
}

}  // namespace
}  // namespace sluice::stream
