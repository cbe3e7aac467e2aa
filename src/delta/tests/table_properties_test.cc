// SPDX-License-Identifier: Apache-2.0
#include "delta/table_properties.h"

#include <gtest/gtest.h>

namespace sluice::delta {
namespace {

constexpr int64_t kHour = 3600LL * 1000;
constexpr int64_t kDay = 24 * kHour;

int64_t Interval(std::string_view text) {
  auto millis = ParseIntervalMillis("delta.logRetentionDuration", text);
  EXPECT_TRUE(millis.ok()) << text << ": " << millis.status().ToString();
  return millis.ok() ? *millis : -1;
}

TEST(DeltaTablePropertiesTest, ParsesDeltaIntervals) {
  EXPECT_EQ(Interval("interval 30 days"), 30 * kDay);
  EXPECT_EQ(Interval("interval 1 week"), 7 * kDay);
  EXPECT_EQ(Interval("7 days"), 7 * kDay);
  EXPECT_EQ(Interval("interval 2 hours"), 2 * kHour);
  EXPECT_EQ(Interval("INTERVAL 1 DAY 12 HOURS"), kDay + 12 * kHour);
  EXPECT_EQ(Interval("interval 90 seconds 500 milliseconds"), 90'500);
  EXPECT_EQ(Interval("interval 2000 microseconds"), 2);
  for (std::string_view bad : {"interval 1 month", "2 years", "30", "interval", "days 3",
                               "interval -1 day", "interval 1 fortnight", ""}) {
    auto millis = ParseIntervalMillis("delta.logRetentionDuration", bad);
    EXPECT_EQ(millis.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(millis.status().message().find("delta.logRetentionDuration"), std::string::npos);
  }
}

TEST(DeltaTablePropertiesTest, ReadsPropertiesWithDeltaDefaults) {
  auto defaults = TableProperties::FromConfiguration({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_FALSE(defaults->append_only);
  EXPECT_EQ(defaults->checkpoint_interval, 10);
  EXPECT_EQ(defaults->log_retention_millis, 30 * kDay);
  EXPECT_EQ(defaults->deleted_file_retention_millis, 7 * kDay);
  EXPECT_EQ(defaults->data_skipping_num_indexed_cols, 32);
  EXPECT_EQ(defaults->isolation_level, IsolationLevel::kSerializable);
  auto set = TableProperties::FromConfiguration({{"delta.appendOnly", "TRUE"},
                                                 {"delta.checkpointInterval", "5"},
                                                 {"delta.targetFileSize", "64mb"},
                                                 {"delta.dataSkippingNumIndexedCols", "-1"}});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_TRUE(set->append_only);
  EXPECT_EQ(set->checkpoint_interval, 5);
  EXPECT_EQ(set->target_file_size, 64LL << 20);
  EXPECT_EQ(set->data_skipping_num_indexed_cols, -1);
  EXPECT_FALSE(TableProperties::FromConfiguration({{"delta.checkpointInterval", "0"}}).ok());
}

TEST(DeltaTablePropertiesTest, NormalizesKeysAndRefusesUnknownDeltaKeys) {
  auto normalized = NormalizeConfiguration(
      {{"DELTA.APPENDONLY", "true"}, {"delta.constraints.Positive", "x > 0"}, {"owner", "me"}});
  ASSERT_TRUE(normalized.ok()) << normalized.status().ToString();
  EXPECT_EQ(*normalized, (StringMap{{"delta.appendOnly", "true"},
                                    {"delta.constraints.Positive", "x > 0"},
                                    {"owner", "me"}}));
  auto unknown = NormalizeConfiguration({{"delta.appendOnlyy", "true"}});
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(
      unknown.status().message().find("Unknown configuration was specified: delta.appendOnlyy"),
      std::string::npos);
  EXPECT_FALSE(NormalizeConfiguration({{"delta.feature.noSuchFeature", "supported"}}).ok());
  EXPECT_FALSE(NormalizeConfiguration({{"delta.minWriterVersion", "9"}}).ok());
}

Protocol ForNewTable(const SchemaPtr& schema, StringMap configuration, StringMap* stripped) {
  auto protocol = ProtocolForNewTable(*schema, configuration, stripped);
  EXPECT_TRUE(protocol.ok()) << protocol.status().ToString();
  return protocol.ok() ? *protocol : Protocol{};
}

TEST(DeltaTablePropertiesTest, ChoosesTheProtocolOfANewTableAsSparkDoes) {
  const SchemaPtr plain = MakeSchema({MakeField("id", LongType())});
  const SchemaPtr ntz =
      MakeSchema({MakeField("id", LongType()), MakeField("t", TimestampNtzType())});
  StringMap stripped;
  EXPECT_EQ(ForNewTable(plain, {}, &stripped), (Protocol{1, 2, std::nullopt, std::nullopt}));
  EXPECT_EQ(ForNewTable(plain, {{"delta.appendOnly", "true"}}, &stripped),
            (Protocol{1, 2, std::nullopt, std::nullopt}));
  EXPECT_EQ(ForNewTable(plain, {{"delta.enableChangeDataFeed", "true"}}, &stripped),
            (Protocol{1, 4, std::nullopt, std::nullopt}));
  EXPECT_EQ(ForNewTable(ntz, {}, &stripped),
            (Protocol{3, 7, std::vector<std::string>{"timestampNtz"},
                      std::vector<std::string>{"timestampNtz", "appendOnly", "invariants"}}));
  EXPECT_EQ(ForNewTable(plain, {{"delta.enableInCommitTimestamps", "true"}}, &stripped),
            (Protocol{1, 7, std::nullopt,
                      std::vector<std::string>{"inCommitTimestamp", "appendOnly", "invariants"}}));
  EXPECT_EQ(ForNewTable(plain, {{"delta.minWriterVersion", "4"}, {"k", "v"}}, &stripped),
            (Protocol{1, 4, std::nullopt, std::nullopt}));
  EXPECT_EQ(stripped, (StringMap{{"k", "v"}}));
}

TEST(DeltaTablePropertiesTest, MergesProtocols) {
  EXPECT_EQ(MergeProtocols({1, 2, std::nullopt, std::nullopt}, {1, 4, std::nullopt, std::nullopt}),
            (Protocol{1, 4, std::nullopt, std::nullopt}));
  EXPECT_EQ(MergeProtocols({1, 4, std::nullopt, std::nullopt},
                           {3, 7, std::vector<std::string>{"deletionVectors"},
                            std::vector<std::string>{"deletionVectors"}}),
            (Protocol{3, 7, std::vector<std::string>{"deletionVectors"},
                      std::vector<std::string>{"appendOnly", "invariants", "checkConstraints",
                                               "changeDataFeed", "generatedColumns",
                                               "deletionVectors"}}));
}

}  // namespace
}  // namespace sluice::delta
