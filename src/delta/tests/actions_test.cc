// SPDX-License-Identifier: Apache-2.0
#include "delta/actions.h"

#include <gtest/gtest.h>

namespace sluice::delta {
namespace {

TEST(DeltaActionsTest, ParsesEveryActionOfACommit) {
  const std::string commit =
      R"({"commitInfo":{"timestamp":1700000000000,"operation":"WRITE","inCommitTimestamp":1700000000001}})"
      "\n"
      R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors"]}})"
      "\n"
      R"({"metaData":{"id":"abc","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[]}","partitionColumns":["p"],"configuration":{"delta.appendOnly":"true"},"createdTime":5}})"
      "\n\n"
      R"({"add":{"path":"p=1/a.parquet","partitionValues":{"p":"1","q":null},"size":10,"modificationTime":7,"dataChange":true,"stats":"{\"numRecords\":3}","deletionVector":{"storageType":"u","pathOrInlineDv":"ab^-aqEH.-t@S}K{vb[*k^","offset":1,"sizeInBytes":36,"cardinality":2}}})"
      "\n"
      R"({"remove":{"path":"b.parquet","deletionTimestamp":9,"dataChange":true}})"
      "\n"
      R"({"cdc":{"path":"_change_data/c.parquet","partitionValues":{},"size":4,"dataChange":false}})"
      "\n"
      R"({"txn":{"appId":"app","version":4,"lastUpdated":3}})"
      "\n"
      R"({"domainMetadata":{"domain":"delta.rowTracking","configuration":"{}","removed":false}})"
      "\n"
      R"({"unknownAction":{"x":1}})"
      "\n";
  Result<std::vector<Action>> actions = ParseActions(commit, "00000000000000000000.json");
  ASSERT_TRUE(actions.ok()) << actions.status().ToString();
  ASSERT_EQ(actions->size(), 8u);
  const auto& info = std::get<CommitInfo>((*actions)[0]);
  EXPECT_EQ(info.timestamp(), 1700000000000);
  EXPECT_EQ(info.in_commit_timestamp(), 1700000000001);
  EXPECT_EQ(info.operation(), "WRITE");
  const auto& protocol = std::get<Protocol>((*actions)[1]);
  EXPECT_EQ(protocol.min_reader_version, 3);
  EXPECT_TRUE(protocol.HasReaderFeature("deletionVectors"));
  EXPECT_FALSE(protocol.HasWriterFeature("columnMapping"));
  const auto& metadata = std::get<Metadata>((*actions)[2]);
  EXPECT_EQ(metadata.partition_columns, std::vector<std::string>{"p"});
  ASSERT_NE(FindValue(metadata.configuration, "delta.appendOnly"), nullptr);
  const auto& add = std::get<AddFile>((*actions)[3]);
  EXPECT_EQ(add.size, 10);
  ASSERT_EQ(add.partition_values.size(), 2u);
  EXPECT_FALSE(add.partition_values[1].second.has_value());
  ASSERT_TRUE(add.deletion_vector.has_value());
  EXPECT_EQ(add.deletion_vector->UniqueId(), "uab^-aqEH.-t@S}K{vb[*k^@1");
  EXPECT_EQ(std::get<SetTransaction>((*actions)[6]).version, 4);
  EXPECT_EQ(std::get<DomainMetadata>((*actions)[7]).domain, "delta.rowTracking");

  // Serializing and parsing again gives the same actions.
  Result<std::vector<Action>> again = ParseActions(SerializeActions(*actions), "again");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *actions);
}

TEST(DeltaActionsTest, MissingRequiredFieldNamesActionFieldAndLine) {
  Result<std::vector<Action>> actions =
      ParseActions("{\"txn\":{\"appId\":\"a\",\"version\":1}}\n{\"add\":{\"size\":1}}\n", "3.json");
  ASSERT_FALSE(actions.ok());
  EXPECT_EQ(actions.status().code(), StatusCode::kCorruption);
  EXPECT_NE(actions.status().message().find("3.json line 2"), std::string::npos);
  EXPECT_NE(actions.status().message().find("'add'"), std::string::npos);
  EXPECT_NE(actions.status().message().find("'path'"), std::string::npos);
}

TEST(DeltaActionsTest, WrongFieldTypeAndBrokenJsonAreCorruption) {
  EXPECT_EQ(ParseActions("{\"add\":{\"path\":1,\"size\":1}}", "x").status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(ParseActions("{\"add\":", "x").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ParseActions("[1]", "x").status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace sluice::delta
