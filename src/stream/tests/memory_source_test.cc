// SPDX-License-Identifier: Apache-2.0
#include "stream/memory_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "columnar/builder.h"
#include "columnar/printer.h"
#include "common/file_system.h"
#include "stream/streaming_query.h"

namespace sluice::stream {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

SchemaPtr ValueSchema() {
  return MakeSchema({Field{"value", LongType(), true, {}}});
}

BatchPtr Values(const std::vector<int64_t>& values) {
  BatchBuilder builder(ValueSchema());
  for (int64_t value : values) {
    static_cast<Int64Builder*>(builder.column(0))->Append(value);
  }
  return builder.Finish();
}

std::vector<std::string> Rows(const std::vector<BatchPtr>& batches) {
  std::vector<std::string> rows;
  for (const BatchPtr& batch : batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      rows.push_back(FormatCell(*batch->column(0), row));
    }
  }
  return rows;
}

TEST(MemorySourceTest, OffsetsCountAddedBlocks) {
  MemoryStream stream(ValueSchema());
  std::unique_ptr<StreamSource> source = stream.MakeSource();
  ASSERT_TRUE(source->Open({}).ok());
  EXPECT_FALSE(stream.LatestOffset().has_value());
  EXPECT_FALSE(source->LatestOffset(std::nullopt, ReadLimit::kRateLimited)->has_value());

  EXPECT_EQ(*stream.AddData({Values({1, 2})}), "0");
  EXPECT_EQ(*stream.AddData({Values({3}), Values({4})}), "1");
  EXPECT_EQ(**source->LatestOffset(std::nullopt, ReadLimit::kRateLimited), "1");
  EXPECT_EQ(source->ReportLatestOffset(), std::optional<Offset>("1"));
}

TEST(MemorySourceTest, GetBatchReturnsTheBlocksOfTheRange) {
  MemoryStream stream(ValueSchema());
  std::unique_ptr<StreamSource> source = stream.MakeSource();
  ASSERT_TRUE(stream.AddData({Values({1, 2})}).ok());
  ASSERT_TRUE(stream.AddData({Values({3})}).ok());
  ASSERT_TRUE(stream.AddData({Values({4, 5})}).ok());

  EXPECT_THAT(Rows(*source->GetBatch(std::nullopt, "2")), ElementsAre("1", "2", "3", "4", "5"));
  EXPECT_THAT(Rows(*source->GetBatch(std::optional<Offset>("0"), "1")), ElementsAre("3"));
  EXPECT_THAT(Rows(*source->GetBatch(std::optional<Offset>("1"), "2")), ElementsAre("4", "5"));
  EXPECT_THAT(Rows(*source->GetBatch(std::optional<Offset>("2"), "2")), IsEmpty());
  // Spark's LongOffset JSON may also come wrapped.
  EXPECT_THAT(Rows(*source->GetBatch(std::optional<Offset>("{\"offset\":1}"), "2")),
              ElementsAre("4", "5"));
}

TEST(MemorySourceTest, ASecondSourceSeesTheSameData) {
  MemoryStream stream(ValueSchema());
  std::unique_ptr<StreamSource> first = stream.MakeSource();
  ASSERT_TRUE(stream.AddData({Values({7})}).ok());
  std::unique_ptr<StreamSource> restarted = stream.MakeSource();
  ASSERT_TRUE(stream.AddData({Values({8})}).ok());
  EXPECT_THAT(Rows(*restarted->GetBatch(std::nullopt, "1")), ElementsAre("7", "8"));
  EXPECT_EQ(first->Identity(), restarted->Identity());
}

TEST(MemorySourceTest, RejectsRangesBeyondTheDataAndBadOffsets) {
  MemoryStream stream(ValueSchema());
  std::unique_ptr<StreamSource> source = stream.MakeSource();
  ASSERT_TRUE(stream.AddData({Values({1})}).ok());
  EXPECT_EQ(source->GetBatch(std::nullopt, "3").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(source->GetBatch(std::nullopt, "x").status().code(), StatusCode::kInvalidArgument);
}

TEST(MemorySourceTest, RejectsBatchesOfAnotherSchema) {
  MemoryStream stream(ValueSchema());
  BatchBuilder builder(MakeSchema({Field{"name", StringType(), true, {}}}));
  static_cast<StringBuilder*>(builder.column(0))->Append("a");
  Result<Offset> added = stream.AddData({builder.Finish()});
  EXPECT_EQ(added.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(stream.LatestOffset().has_value());
}

TEST(MemorySourceTest, AddDataIsSafeWhileTheDriverReads) {
  MemoryStream stream(ValueSchema());
  std::unique_ptr<StreamSource> source = stream.MakeSource();
  std::thread writer([&] {
    for (int64_t i = 0; i < 200; ++i) {
      ASSERT_TRUE(stream.AddData({Values({i})}).ok());
    }
  });
  int64_t rows = 0;
  std::optional<Offset> consumed;
  while (rows < 200) {
    std::optional<Offset> end = *source->LatestOffset(consumed, ReadLimit::kRateLimited);
    if (end.has_value() && end != consumed) {
      rows += static_cast<int64_t>(Rows(*source->GetBatch(consumed, *end)).size());
      consumed = end;
    }
  }
  writer.join();
  EXPECT_EQ(rows, 200);
  EXPECT_EQ(consumed, std::optional<Offset>("199"));
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

TEST(MemorySourceTest, AQueryRestartedInProcessReadsOnlyTheNewBlocks) {
  std::string pattern = JoinPath(::testing::TempDir(), "memory_source_test_XXXXXX");
  const std::string root = mkdtemp(pattern.data());
  MemoryStream stream(ValueSchema());
  std::map<int64_t, std::vector<std::string>> batches;
  auto run = [&] {
    StreamingQueryOptions options;
    options.checkpoint_location = JoinPath(root, "checkpoint");
    options.sources.push_back(stream.MakeSource());
    options.sink = std::make_unique<CollectingSink>(&batches);
    options.plan = [&](const MicroBatchInput& input) -> Result<MicroBatchOutput> {
      return MicroBatchOutput{stream.schema(), input.sources[0]};
    };
    Result<std::unique_ptr<MicroBatchExecution>> query =
        MicroBatchExecution::Open(std::move(options));
    ASSERT_TRUE(query.ok()) << query.status().ToString();
    ASSERT_TRUE((*query)->ProcessAllAvailable().ok());
    (*query)->Close();
  };
  ASSERT_TRUE(stream.AddData({Values({1, 2})}).ok());
  run();
  ASSERT_TRUE(stream.AddData({Values({3})}).ok());
  ASSERT_TRUE(stream.AddData({Values({4})}).ok());
  run();
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_THAT(batches[0], ElementsAre("1", "2"));
  EXPECT_THAT(batches[1], ElementsAre("3", "4"));
  EXPECT_TRUE(LocalFileSystem::Default().DeleteRecursively(root).ok());
}

}  // namespace
}  // namespace sluice::stream
