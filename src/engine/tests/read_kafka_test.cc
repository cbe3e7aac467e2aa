// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/session.h"
#include "engine/tests/kafka_session_test_base.h"
#include "engine/tests/test_rows.h"
#include "kafka/client.h"
#include "kafka/mock_cluster.h"

namespace sluice::engine {
namespace {

using Strings = std::vector<std::string>;

/// read_kafka over an in-process broker, in a scratch warehouse removed afterwards.
class ReadKafkaTest : public KafkaSessionTestBase {
 protected:
  void SetUp() override {
    KafkaSessionTestBase::SetUp();
    if (HasFatalFailure())
      return;
    ASSERT_TRUE(cluster_->CreateTopic("orders", 2).ok());
  }

  /// Produces `values` to one partition of `topic`, keyed "k<value>".
  void Produce(const std::string& topic, int32_t partition, const Strings& values) {
    for (const std::string& value : values) {
      const std::string key = "k" + value;
      kafka::OutgoingRecord record;
      record.topic = topic;
      record.partition = partition;
      record.key = key;
      record.value = value;
      ASSERT_TRUE(producer_->Produce(record).ok());
    }
    ASSERT_TRUE(producer_->Flush().ok());
  }

  /// read_kafka(bootstrapServers => <the broker>, <more>).
  std::string ReadKafka(const std::string& more) const {
    return "read_kafka(bootstrapServers => '" + cluster_->bootstrap_servers() + "', " + more + ")";
  }

  Strings SortedRows(std::string_view sql) {
    Strings rows = Rows(*session_, sql);
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  /// The message of the error `sql` fails with ("" when it succeeds).
  std::string Error(const std::string& sql) {
    Result<QueryResult> result = session_->Execute(sql);
    return result.ok() ? std::string() : result.status().ToString();
  }
};

TEST_F(ReadKafkaTest, BatchSelectReadsEarliestToLatest) {
  Produce("orders", 0, {"a", "b"});
  Produce("orders", 1, {"c"});
  EXPECT_EQ(SortedRows("SELECT CAST(key AS STRING), CAST(value AS STRING), topic, partition, "
                       "offset, timestampType FROM " +
                       ReadKafka("subscribe => 'orders'")),
            (Strings{"ka|a|orders|0|0|0", "kb|b|orders|0|1|0", "kc|c|orders|1|0|0"}));
}

TEST_F(ReadKafkaTest, BatchSchemaIsSparksKafkaSchema) {
  Result<QueryResult> result =
      session_->Execute("SELECT * FROM " + ReadKafka("subscribe => 'orders'"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::vector<std::string> names;
  for (const Field& field : result->schema->fields()) {
    names.push_back(field.name + " " + field.type->ToString());
  }
  EXPECT_EQ(names, (Strings{"key binary", "value binary", "topic string", "partition int",
                            "offset bigint", "timestamp timestamp", "timestampType int"}));
  result = session_->Execute("SELECT * FROM " +
                             ReadKafka("subscribe => 'orders', includeHeaders => true"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->schema->fields().back().name, "headers");
}

TEST_F(ReadKafkaTest, BatchHonoursOffsetArgumentsAndClientOptions) {
  Produce("orders", 0, {"a", "b", "c", "d"});
  Produce("orders", 1, {"e"});
  EXPECT_EQ(SortedRows("SELECT CAST(value AS STRING) FROM " +
                       ReadKafka("assign => '{\"orders\":[0]}', "
                                 "startingOffsets => '{\"orders\":{\"0\":1}}', "
                                 "endingOffsets => '{\"orders\":{\"0\":3}}', "
                                 "`kafka.client.id` => 'sluice-test'")),
            (Strings{"b", "c"}));
  EXPECT_EQ(SortedRows("SELECT count(*) FROM " + ReadKafka("subscribePattern => 'ord.*'")),
            (Strings{"5"}));
}

TEST_F(ReadKafkaTest, StreamingTableParsesJsonExactlyOnceAcrossRefreshes) {
  Produce("orders", 0, {R"({"id":1,"region":"eu"})", R"({"id":2,"region":"us"})"});
  Produce("orders", 1, {R"({"id":3,"region":"eu"})"});
  const std::string create =
      "CREATE OR REFRESH STREAMING TABLE orders AS SELECT o.id, o.region, partition, offset "
      "FROM (SELECT from_json(CAST(value AS STRING), 'id BIGINT, region STRING') AS o, "
      "partition, offset FROM STREAM " +
      ReadKafka("subscribe => 'orders', startingOffsets => 'earliest', maxOffsetsPerTrigger => 2") +
      ")";
  Result<QueryResult> ran = session_->Execute(create);
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_EQ(SortedRows("SELECT id, region FROM orders"), (Strings{"1|eu", "2|us", "3|eu"}));
  // Nothing new: nothing written.
  ran = session_->Execute(create);
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_EQ(SortedRows("SELECT count(*) FROM orders"), (Strings{"3"}));
  Produce("orders", 0, {R"({"id":4,"region":"us"})"});
  Produce("orders", 1, {R"({"id":5,"region":"ap"})"});
  ran = session_->Execute(create);
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_EQ(SortedRows("SELECT id, region, partition, offset FROM orders"),
            (Strings{"1|eu|0|0", "2|us|0|1", "3|eu|1|0", "4|us|0|2", "5|ap|1|1"}));
}

TEST_F(ReadKafkaTest, StreamParenthesizedFormStartsAtLatestByDefault) {
  Produce("orders", 0, {"old"});
  const std::string create =
      "CREATE STREAMING TABLE raw AS SELECT CAST(value AS STRING) AS v "
      "FROM STREAM(" +
      ReadKafka("subscribe => 'orders'") + ")";
  ASSERT_EQ(Error(create), "");
  EXPECT_EQ(SortedRows("SELECT count(*) FROM raw"), (Strings{"0"}));
  Produce("orders", 0, {"new"});
  ASSERT_EQ(Error("CREATE OR REFRESH STREAMING TABLE raw AS SELECT CAST(value AS STRING) AS v "
                  "FROM STREAM(" +
                  ReadKafka("subscribe => 'orders'") + ")"),
            "");
  EXPECT_EQ(SortedRows("SELECT v FROM raw"), (Strings{"new"}));
}

TEST_F(ReadKafkaTest, BadArgumentsAreNamed) {
  const std::string servers = "bootstrapServers => '" + cluster_->bootstrap_servers() + "'";
  auto error = [&](const std::string& args) {
    return Error("SELECT * FROM read_kafka(" + args + ")");
  };
  EXPECT_NE(error("subscribe => 'orders'").find("`bootstrapServers` is required"),
            std::string::npos);
  EXPECT_NE(error(servers).find("`assign`, `subscribe`, `subscribePattern` is required"),
            std::string::npos);
  std::string both = error(servers + ", subscribe => 'orders', subscribePattern => 'o.*'");
  EXPECT_NE(both.find("argument `subscribePattern`"), std::string::npos) << both;
  std::string unknown = error(servers + ", subscribe => 'orders', subscrib => 'x'");
  EXPECT_NE(unknown.find("[UNRECOGNIZED_PARAMETER_NAME]"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("`subscrib`"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("`subscribe`"), std::string::npos) << unknown;
  std::string repeated = error(servers + ", subscribe => 'orders', SUBSCRIBE => 'x'");
  EXPECT_NE(repeated.find("DOUBLE_NAMED_ARGUMENT_REFERENCE"), std::string::npos) << repeated;
  std::string twice = error(servers + ", `kafka.bootstrap.servers` => 'x', subscribe => 'o'");
  EXPECT_NE(twice.find("`kafka.bootstrap.servers` (also given as `bootstrapServers`)"),
            std::string::npos)
      << twice;
  std::string positional = error("'" + cluster_->bootstrap_servers() + "'");
  EXPECT_NE(positional.find("WRONG_NUM_ARGS"), std::string::npos) << positional;
  std::string null_value = error(servers + ", subscribe => NULL");
  EXPECT_NE(null_value.find("argument `subscribe`: the value must not be NULL"), std::string::npos)
      << null_value;
  std::string latest = error(servers + ", subscribe => 'orders', startingOffsets => 'latest'");
  EXPECT_NE(latest.find("starting offset can't be latest for batch queries"), std::string::npos)
      << latest;
  std::string bad_bool = error(servers + ", subscribe => 'orders', failOnDataLoss => 'maybe'");
  EXPECT_NE(bad_bool.find("failOnDataLoss"), std::string::npos) << bad_bool;
  std::string refused = error(servers +
                              ", subscribe => 'orders', `kafka.enable.auto.commit` => "
                              "'true'");
  EXPECT_NE(refused.find("enable.auto.commit"), std::string::npos) << refused;
  std::string ending = Error("CREATE STREAMING TABLE t AS SELECT * FROM STREAM read_kafka(" +
                             servers + ", subscribe => 'orders', endingOffsets => 'latest')");
  EXPECT_NE(ending.find("argument `endingOffsets`"), std::string::npos) << ending;
  EXPECT_NE(ending.find("not valid in streaming queries"), std::string::npos) << ending;
}

}  // namespace
}  // namespace sluice::engine
