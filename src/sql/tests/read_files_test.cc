// SPDX-License-Identifier: Apache-2.0
#include "sql/read_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <string_view>
#include <vector>

#include "common/file_system.h"
#include "sql/parser.h"

namespace sluice::sql {
namespace {

/// A scratch directory under the test temp dir, removed at the end.
class ScratchDir {
 public:
  ScratchDir() {
    static std::atomic<int> counter{0};
    path_ = ::testing::TempDir() + "/sluice_read_files_" + std::to_string(::getpid()) + "_" +
            std::to_string(counter++);
    EXPECT_TRUE(fs().CreateDirectories(path_).ok());
  }
  ~ScratchDir() { fs().DeleteRecursively(path_).IgnoreError(); }
  static FileSystem& fs() { return LocalFileSystem::Default(); }
  const std::string& path() const { return path_; }
  std::string Write(std::string_view name, std::string_view contents) const {
    const std::string file = path_ + "/" + std::string(name);
    const size_t slash = file.find_last_of('/');
    EXPECT_TRUE(fs().CreateDirectories(file.substr(0, slash)).ok());
    EXPECT_TRUE(fs().WriteFileAtomic(file, contents).ok());
    return file;
  }

 private:
  std::string path_;
};

std::vector<std::string> TextValues(const ReadFilesSpec& spec) {
  Result<std::vector<BatchPtr>> batches = ReadTextFiles(spec, LocalFileSystem::Default());
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  std::vector<std::string> values;
  if (batches.ok()) {
    for (const BatchPtr& batch : *batches) {
      for (int64_t row = 0; row < batch->num_rows(); ++row) {
        values.emplace_back(batch->column(0)->StringValue(row));
      }
    }
  }
  return values;
}

using Strings = std::vector<std::string>;

TEST(ReadFilesTest, FormatComesFromTheExtensionOfTheFirstDataFile) {
  ScratchDir dir;
  dir.Write("_meta/x.txt", "hidden\n");
  dir.Write(".hidden.csv", "a\n");
  dir.Write("b/part-0.json", "{\"k\": 1}\n");
  Result<ReadFilesSpec> spec =
      ResolveReadFilesArguments(dir.path(), {}, LocalFileSystem::Default());
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->format, "json");
  EXPECT_FALSE(spec->schema_given);
  ASSERT_EQ(spec->schema->num_fields(), 1);
  EXPECT_EQ(spec->schema->field(0).name, "k");
  Result<std::vector<std::string>> files =
      ListReadFilesPaths(dir.path(), LocalFileSystem::Default());
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(*files, Strings{dir.path() + "/b/part-0.json"});
}

TEST(ReadFilesTest, InferColumnTypesBecomesReaderOptions) {
  ScratchDir dir;
  const std::string csv = dir.Write("t.csv", "a,b\n1,x\n");
  Result<ReadFilesSpec> spec = ResolveReadFilesArguments(
      csv, {{"header", "true"}, {"inferColumnTypes", "false"}}, LocalFileSystem::Default());
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->format, "csv");
  EXPECT_EQ(spec->options, (OptionList{{"header", "true"}, {"inferSchema", "false"}}));
  EXPECT_EQ(spec->schema->field(0).type->id(), TypeId::kString);

  spec = ResolveReadFilesArguments(csv, {{"header", "true"}}, LocalFileSystem::Default());
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->schema->field(0).type->id(), TypeId::kInt);

  spec = ResolveReadFilesArguments(csv, {{"format", "JSON"}, {"inferColumnTypes", "false"}},
                                   LocalFileSystem::Default());
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->format, "json");
  EXPECT_EQ(spec->options, (OptionList{{"primitivesAsString", "true"}}));
}

TEST(ReadFilesTest, GivenSchemaIsUsedAsIs) {
  ScratchDir dir;
  const std::string json = dir.Write("t.json", "{\"a\": 1}\n");
  Result<ReadFilesSpec> spec = ResolveReadFilesArguments(
      json, {{"schema", "a INT NOT NULL, b ARRAY<STRING>"}}, LocalFileSystem::Default());
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_TRUE(spec->schema_given);
  ASSERT_EQ(spec->schema->num_fields(), 2);
  EXPECT_EQ(spec->schema->field(0).type->id(), TypeId::kInt);
  EXPECT_TRUE(spec->schema->field(0).nullable);
  EXPECT_TRUE(spec->options.empty());
}

TEST(ReadFilesTest, ErrorsNameTheArgument) {
  ScratchDir dir;
  const std::string data = dir.Write("t.dat", "x\n");
  FileSystem& fs = LocalFileSystem::Default();
  Result<ReadFilesSpec> spec = ResolveReadFilesArguments(data, {}, fs);
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.status().message().find("argument `format`"), std::string::npos)
      << spec.status().ToString();
  spec = ResolveReadFilesArguments(data, {{"format", "orc"}}, fs);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message().rfind("[DATA_SOURCE_NOT_FOUND]", 0), 0u);
  spec = ResolveReadFilesArguments(data, {{"format", "text"}, {"schema", "a INT"}}, fs);
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.status().message().find("argument `schema`"), std::string::npos);
  spec = ResolveReadFilesArguments(data, {{"inferColumnTypes", "sometimes"}}, fs);
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.status().message().find("argument `inferColumnTypes`"), std::string::npos);
  spec = ResolveReadFilesArguments(dir.path() + "/none", {{"format", "json"}}, fs);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message().rfind("[PATH_NOT_FOUND]", 0), 0u);
}

TEST(ReadFilesTest, TextLinesSplitLikeSpark) {
  ScratchDir dir;
  dir.Write("a.txt", "one\r\ntwo\n\nthree\rfour");
  dir.Write("b.txt", "five\n");
  Result<ReadFilesSpec> spec =
      ResolveReadFilesArguments(dir.path(), {}, LocalFileSystem::Default());
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->format, "text");
  ASSERT_EQ(spec->schema->num_fields(), 1);
  EXPECT_EQ(spec->schema->field(0).name, "value");
  EXPECT_EQ(TextValues(*spec), (Strings{"one", "two", "", "three", "four", "five"}));

  spec->options = {{"wholetext", "true"}};
  EXPECT_EQ(TextValues(*spec), (Strings{"one\r\ntwo\n\nthree\rfour", "five\n"}));

  const std::string semi = dir.Write("c/s.txt", "a;;b;");
  spec = ResolveReadFilesArguments(semi, {{"lineSep", ";"}}, LocalFileSystem::Default());
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(TextValues(*spec), (Strings{"a", "", "b"}));
}

TEST(ReadFilesTest, ArgumentsAreEvaluatedAsConstants) {
  ScratchDir dir;
  dir.Write("t.json", "{\"a\": 1}\n");
  Result<StatementPtr> statement = ParseStatement(
      "SELECT * FROM read_files('" + dir.path() +
      "' || '/t.json', format => lower('JSON'), samplingRatio => 0.5, prefersDecimal => 1 > 0)");
  ASSERT_TRUE(statement.ok()) << statement.status().ToString();
  const TableRef& call = *(*statement)->query->body->select->from;
  EXPECT_TRUE(IsReadFilesCall(call));
  class NoTables final : public TableResolver {
   public:
    Result<ResolvedTable> ResolveTable(const QualifiedName&) override {
      return Status::NotFound("no tables");
    }
  } resolver;
  Binder binder(resolver, BinderOptions{});
  Result<ReadFilesSpec> spec = ResolveReadFiles(call, binder, LocalFileSystem::Default());
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->path, dir.path() + "/t.json");
  EXPECT_EQ(spec->format, "json");
  EXPECT_EQ(spec->options, (OptionList{{"samplingRatio", "0.5"}, {"prefersDecimal", "true"}}));
}

}  // namespace
}  // namespace sluice::sql
