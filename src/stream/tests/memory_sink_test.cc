// SPDX-License-Identifier: Apache-2.0
#include "stream/memory_sink.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "columnar/builder.h"
#include "stream/factory.h"

namespace sluice::stream {
namespace {

SchemaPtr IdSchema() {
  return MakeSchema({MakeField("id", LongType())});
}

BatchPtr Ids(const std::vector<int64_t>& ids) {
  BatchBuilder builder(IdSchema());
  for (int64_t id : ids) {
    static_cast<Int64Builder*>(builder.column(0))->Append(id);
  }
  return builder.Finish();
}

std::vector<int64_t> TableIds(const MemoryTable& table) {
  std::vector<int64_t> ids;
  for (const BatchPtr& batch : table.Snapshot()->batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      ids.push_back(batch->column(0)->Value<int64_t>(row));
    }
  }
  return ids;
}

std::unique_ptr<StreamSink> OpenSink(const std::string& name, OutputMode mode,
                                     std::shared_ptr<MemoryTable>* table) {
  SinkSpec spec;
  spec.format = "memory";
  spec.query_name = name;
  auto made = MemorySink::Make(spec);
  EXPECT_TRUE(made.ok()) << made.status().ToString();
  *table = (*made)->table();
  SinkContext context;
  context.query_id = "query-1";
  context.output_mode = mode;
  EXPECT_TRUE((*made)->Open(context).ok());
  return std::move(*made);
}

TEST(MemorySinkTest, AppendKeepsEveryRowAndIgnoresReplays) {
  std::shared_ptr<MemoryTable> table;
  auto sink = OpenSink("counts", OutputMode::kAppend, &table);
  EXPECT_EQ(table->name(), "counts");
  EXPECT_EQ(sink->Description(), "MemorySink");
  EXPECT_EQ(table->Snapshot()->schema, nullptr);
  EXPECT_FALSE(table->last_batch_id().has_value());

  ASSERT_TRUE(sink->AddBatch(0, IdSchema(), {Ids({1, 2})}).ok());
  auto before = table->Snapshot();
  ASSERT_TRUE(sink->AddBatch(1, IdSchema(), {Ids({3}), Ids({})}).ok());
  ASSERT_TRUE(sink->AddBatch(1, IdSchema(), {Ids({3})}).ok());     // a replay
  ASSERT_TRUE(sink->AddBatch(0, IdSchema(), {Ids({1, 2})}).ok());  // stale
  EXPECT_EQ(TableIds(*table), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(table->last_batch_id(), 1);
  EXPECT_TRUE(table->Snapshot()->schema->Equals(*IdSchema()));
  // An earlier snapshot is not changed by later batches.
  EXPECT_EQ(before->batches.size(), 1u);
}

TEST(MemorySinkTest, CompleteKeepsTheLastResult) {
  std::shared_ptr<MemoryTable> table;
  auto sink = OpenSink("totals", OutputMode::kComplete, &table);
  ASSERT_TRUE(sink->AddBatch(0, IdSchema(), {Ids({1, 2})}).ok());
  ASSERT_TRUE(sink->AddBatch(1, IdSchema(), {Ids({5}), Ids({6})}).ok());
  EXPECT_EQ(TableIds(*table), (std::vector<int64_t>{5, 6}));
  ASSERT_TRUE(sink->AddBatch(1, IdSchema(), {Ids({9})}).ok());  // a replay
  EXPECT_EQ(TableIds(*table), (std::vector<int64_t>{5, 6}));
  ASSERT_TRUE(sink->AddBatch(2, IdSchema(), {}).ok());
  EXPECT_TRUE(TableIds(*table).empty());
  EXPECT_TRUE(table->Snapshot()->schema->Equals(*IdSchema()));
}

TEST(MemorySinkTest, ReadersSeeConsistentSnapshotsWhileBatchesArrive) {
  std::shared_ptr<MemoryTable> table;
  auto sink = OpenSink("live", OutputMode::kAppend, &table);
  std::thread reader([&table] {
    for (int i = 0; i < 200; ++i) {
      auto snapshot = table->Snapshot();
      for (const BatchPtr& batch : snapshot->batches) {
        EXPECT_EQ(batch->num_rows(), 2);
      }
    }
  });
  for (int64_t batch_id = 0; batch_id < 200; ++batch_id) {
    ASSERT_TRUE(sink->AddBatch(batch_id, IdSchema(), {Ids({batch_id, batch_id})}).ok());
  }
  reader.join();
  EXPECT_EQ(TableIds(*table).size(), 400u);
}

TEST(MemorySinkTest, NeedsAQueryName) {
  SinkSpec spec;
  spec.format = "memory";
  auto sink = MakeSink(spec);
  EXPECT_EQ(sink.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(sink.status().message(), "queryName must be specified for memory sink");
}

}  // namespace
}  // namespace sluice::stream
