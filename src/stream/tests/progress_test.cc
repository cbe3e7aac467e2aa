// SPDX-License-Identifier: Apache-2.0
#include "stream/progress.h"

#include <gtest/gtest.h>

#include "common/json.h"

namespace sluice::stream {
namespace {

StreamingQueryProgress SampleProgress() {
  StreamingQueryProgress p;
  p.id = "8c2f8c4e-0000-4000-8000-000000000001";
  p.run_id = "8c2f8c4e-0000-4000-8000-000000000002";
  p.timestamp = FormatProgressTimestamp(1732500000123);
  p.batch_id = 7;
  p.batch_duration_ms = 40;
  p.num_input_rows = 10;
  p.input_rows_per_second = 5;
  p.processed_rows_per_second = 250;
  p.duration_ms = {{"addBatch", 30}, {"triggerExecution", 40}};
  SourceProgress source;
  source.description = "FileStreamSource[file:/in]";
  source.start_offset = "{\"logOffset\":1}";
  source.end_offset = "{\"logOffset\":2}";
  source.latest_offset = "{\"logOffset\":2}";
  source.num_input_rows = 10;
  p.sources.push_back(source);
  p.sink.description = "DeltaSink[/t]";
  p.sink.num_output_rows = 10;
  return p;
}

TEST(ProgressTest, JsonHasSparksFieldsInOrder) {
  Result<JsonValue> json = JsonValue::Parse(SampleProgress().ToJson());
  ASSERT_TRUE(json.ok());
  std::vector<std::string> keys;
  for (const auto& member : json->members()) {
    keys.push_back(member.first);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "runId", "name", "timestamp", "batchId",
                                            "batchDuration", "numInputRows", "inputRowsPerSecond",
                                            "processedRowsPerSecond", "durationMs",
                                            "stateOperators", "sources", "sink"}));
  EXPECT_TRUE(json->Find("name")->is_null());
  EXPECT_EQ(json->Find("timestamp")->text(), "2024-11-25T02:00:00.123Z");
  EXPECT_EQ(json->Find("inputRowsPerSecond")->text(), "5.0");
  const JsonValue& source = json->Find("sources")->items().at(0);
  // Offsets are embedded as JSON, not as strings.
  ASSERT_TRUE(source.Find("startOffset")->is_object());
  EXPECT_EQ(source.Find("endOffset")->Find("logOffset")->text(), "2");
  EXPECT_EQ(json->Find("sink")->Find("numOutputRows")->text(), "10");
}

TEST(ProgressTest, PrettyJsonUsesJson4sLayout) {
  std::string pretty = SampleProgress().ToPrettyJson();
  EXPECT_EQ(pretty.substr(0, 55), "{\n  \"id\" : \"8c2f8c4e-0000-4000-8000-000000000001\",\n  \"r");
  EXPECT_NE(pretty.find("\"stateOperators\" : [ ],"), std::string::npos);
  EXPECT_NE(pretty.find("\"sources\" : [ {\n    \"description\" : \"FileStreamSource[file:/in]\""),
            std::string::npos);
  EXPECT_TRUE(JsonValue::Parse(pretty).ok());
}

TEST(ProgressTest, StatusJson) {
  StreamingQueryStatus status;
  status.message = "Waiting for data to arrive";
  EXPECT_EQ(status.ToJson(),
            "{\"message\":\"Waiting for data to arrive\",\"isDataAvailable\":false,"
            "\"isTriggerActive\":false}");
}

}  // namespace
}  // namespace sluice::stream
