// SPDX-License-Identifier: Apache-2.0
#include "stream/foreach_batch_sink.h"

#include <gtest/gtest.h>

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

TEST(ForeachBatchSinkTest, CallsTheFunctionWithEachBatchAndItsId) {
  std::vector<int64_t> batch_ids;
  std::vector<int64_t> rows;
  SinkSpec spec;
  spec.format = "foreachBatch";
  spec.foreach_batch = [&](const SchemaPtr& schema, const std::vector<BatchPtr>& batches,
                           int64_t batch_id) {
    EXPECT_TRUE(schema->Equals(*IdSchema()));
    batch_ids.push_back(batch_id);
    int64_t count = 0;
    for (const BatchPtr& batch : batches) {
      count += batch->num_rows();
    }
    rows.push_back(count);
    return Status::Ok();
  };
  auto sink = MakeSink(spec);
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  EXPECT_EQ((*sink)->Description(), "ForeachBatchSink");
  ASSERT_TRUE((*sink)->AddBatch(0, IdSchema(), {Ids({1, 2}), Ids({3})}).ok());
  ASSERT_TRUE((*sink)->AddBatch(1, IdSchema(), {}).ok());
  // At-least-once: a re-run batch is handed over again, with its id.
  ASSERT_TRUE((*sink)->AddBatch(1, IdSchema(), {}).ok());
  EXPECT_EQ(batch_ids, (std::vector<int64_t>{0, 1, 1}));
  EXPECT_EQ(rows, (std::vector<int64_t>{3, 0, 0}));
}

TEST(ForeachBatchSinkTest, AnErrorOfTheFunctionFailsTheBatch) {
  ForeachBatchSink sink([](const SchemaPtr&, const std::vector<BatchPtr>&, int64_t batch_id) {
    if (batch_id == 1) {
      return Status::IoError("the target is down");
    }
    return Status::Ok();
  });
  EXPECT_TRUE(sink.AddBatch(0, IdSchema(), {}).ok());
  Status failed = sink.AddBatch(1, IdSchema(), {});
  EXPECT_EQ(failed.code(), StatusCode::kIoError);
  EXPECT_EQ(failed.message(), "the target is down");
}

TEST(ForeachBatchSinkTest, NeedsAFunction) {
  SinkSpec spec;
  spec.format = "foreachbatch";
  EXPECT_EQ(MakeSink(spec).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sluice::stream
