// SPDX-License-Identifier: Apache-2.0
// Batches stay far below the 2 GiB that int32 offsets address, whatever the input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/json/json_decoder.h"
#include "formats/json/tests/json_test_util.h"

namespace sluice::json {
namespace {

using testing::Ddl;

Result<std::vector<BatchPtr>> Decode(const std::string& data, std::string_view ddl,
                                     const JsonReadOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<JsonDecoder> decoder,
                          JsonDecoder::Make(Ddl(ddl), options));
  std::vector<BatchPtr> batches;
  SLUICE_RETURN_IF_ERROR(decoder->DecodeNdjson(data, [&](BatchPtr batch) {
    batches.push_back(std::move(batch));
    return Status::Ok();
  }));
  return batches;
}

TEST(JsonDecoderLimitsTest, BatchesAreCutByInputBytes) {
  std::string data;
  for (int i = 0; i < 100; ++i) {
    data += R"({"s":")" + std::string(90, 'x') + "\"}\n";  // 99 bytes a line
  }
  JsonReadOptions options;
  options.batch_bytes = 2000;  // each line counts twice: about 10 lines a batch
  Result<std::vector<BatchPtr>> batches = Decode(data, "s STRING", options);
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  int64_t rows = 0;
  for (const BatchPtr& batch : *batches) {
    EXPECT_LE(batch->num_rows(), 11);
    rows += batch->num_rows();
  }
  EXPECT_EQ(rows, 100);
  EXPECT_GE(batches->size(), 9u);
}

TEST(JsonDecoderLimitsTest, RecordCopiedIntoTooManyCorruptRowsIsAnError) {
  // One line, a top-level array of 40,000 objects each with a bad field: PERMISSIVE
  // would copy the 520 KB line into 40,000 corrupt-record cells (20 GB).
  std::string line = "[";
  for (int i = 0; i < 40000; ++i) {
    line += i == 0 ? R"({"a":"x"})" : R"(,{"a":"x"})";
  }
  line += "]\n";
  Result<std::vector<BatchPtr>> batches = Decode(line, "a INT, _corrupt_record STRING", {});
  ASSERT_FALSE(batches.ok());
  EXPECT_EQ(batches.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(batches.status().message().find("too large"), std::string::npos);
  // Without the corrupt-record column the same line reads: 40,000 rows of nulls.
  Result<std::vector<BatchPtr>> plain = Decode(line, "a INT", {});
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  int64_t rows = 0;
  for (const BatchPtr& batch : *plain) {
    rows += batch->num_rows();
  }
  EXPECT_EQ(rows, 40000);
}

TEST(JsonDecoderLimitsTest, DecodeRecordAsksForAFlushWhenFull) {
  JsonReadOptions options;
  options.batch_bytes = 100;
  Result<std::unique_ptr<JsonDecoder>> decoder = JsonDecoder::Make(Ddl("s STRING"), options);
  ASSERT_TRUE(decoder.ok());
  const std::string message = R"({"s":")" + std::string(60, 'y') + "\"}";
  ASSERT_TRUE((*decoder)->DecodeRecord(message).ok());
  EXPECT_EQ((*decoder)->DecodeRecord(message).code(), StatusCode::kResourceExhausted);
  BatchPtr batch = (*decoder)->Flush();
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(batch->num_rows(), 1);
  EXPECT_TRUE((*decoder)->DecodeRecord(message).ok());
}

TEST(JsonDecoderLimitsTest, BadBatchBytesIsRejected) {
  JsonReadOptions options;
  options.batch_bytes = 0;
  EXPECT_EQ(JsonDecoder::Make(Ddl("s STRING"), options).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sluice::json
