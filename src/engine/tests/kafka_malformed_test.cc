// SPDX-License-Identifier: Apache-2.0
// Malformed Kafka messages (issue 7, Tests): a Kafka -> from_json -> Delta stream over an
// in-process broker. PERMISSIVE routes each record either to the main table (parsed) or
// to a quarantine table (raw value and an error description), so rows_in = rows_ok +
// rows_quarantined; FAILFAST stops the query naming the record, and a restart from the
// same checkpoint with PERMISSIVE loses and duplicates nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/session.h"
#include "engine/tests/kafka_session_test_base.h"
#include "engine/tests/test_rows.h"
#include "kafka/client.h"
#include "kafka/mock_cluster.h"

namespace sluice::engine {
namespace {

using Strings = std::vector<std::string>;

constexpr const char* kSchema = "order_id BIGINT, region STRING, amount DOUBLE";

/// The parsed order events, for the main table and the quarantine.
std::string ParsedOrders(const std::string& mode) {
  return std::string("SELECT value, partition, offset, from_json(CAST(value AS STRING), '") +
         kSchema + ", _corrupt_record STRING', map('mode', '" + mode +
         "', 'columnNameOfCorruptRecord', '_corrupt_record')) AS o FROM src";
}

/// Rows from_json parsed: the main table.
std::string MainQuery(const std::string& mode) {
  return "SELECT o.order_id, o.region, o.amount, partition AS kafka_partition, "
         "offset AS kafka_offset FROM (" +
         ParsedOrders(mode) + ") WHERE o IS NOT NULL AND o._corrupt_record IS NULL";
}

/// Everything else, with the raw value and why it is there: the quarantine table.
std::string QuarantineQuery() {
  const std::string v = "CAST(value AS STRING)";
  auto mismatch = [&](const std::string& field, const std::string& type) {
    return "CASE WHEN o." + field + " IS NULL AND get_json_object(" + v + ", '$." + field +
           "') IS NOT NULL THEN '" + field + " is not " + type + "' END";
  };
  return "SELECT " + v + " AS raw_value, CASE WHEN value IS NULL THEN 'null value' " +
         "WHEN trim(" + v + ") = '' THEN 'empty value' " +  //
         "WHEN get_json_object(" + v + ", '$') IS NULL THEN 'not valid JSON' " +
         "WHEN json_object_keys(" + v + ") IS NULL THEN 'not a JSON object' " +
         "ELSE concat_ws(', ', " + mismatch("order_id", "a BIGINT") + ", " +
         mismatch("region", "a STRING") + ", " + mismatch("amount", "a DOUBLE") +
         ") END AS error, partition AS kafka_partition, offset AS kafka_offset FROM (" +
         ParsedOrders("PERMISSIVE") + ") WHERE o IS NULL OR o._corrupt_record IS NOT NULL";
}

std::string Good(int id) {
  return "{\"order_id\":" + std::to_string(id) +
         ",\"region\":\"eu\",\"amount\":" + std::to_string(id) + ".5}";
}

/// A Kafka topic of order events read into Delta tables, all under a scratch directory.
class KafkaMalformedTest : public KafkaSessionTestBase {
 protected:
  /// Produces `values` (nullopt: a null value) round robin over `partitions` partitions.
  void Produce(const std::vector<std::optional<std::string>>& values, int partitions) {
    for (size_t i = 0; i < values.size(); ++i) {
      kafka::OutgoingRecord record;
      record.topic = "orders";
      record.partition = static_cast<int32_t>(i % partitions);
      if (values[i].has_value()) {
        record.value = *values[i];
      }
      ASSERT_TRUE(producer_->Produce(record).ok());
    }
    ASSERT_TRUE(producer_->Flush().ok());
  }

  /// readStream.format("kafka") from earliest, at most `max_offsets` records a batch.
  stream::SourceSpec Source(int max_offsets) const {
    stream::SourceSpec source;
    source.format = "kafka";
    source.options = {{"kafka.bootstrap.servers", cluster_->bootstrap_servers()},
                      {"subscribe", "orders"},
                      {"startingOffsets", "earliest"},
                      {"maxOffsetsPerTrigger", std::to_string(max_offsets)},
                      {"kafkaConsumer.pollTimeoutMs", "10000"}};
    return source;
  }

  /// Runs `sql` over the topic into the Delta table `table` (trigger availableNow) and
  /// returns how the query ended and the records it read.
  std::pair<Status, int64_t> Run(const std::string& sql, const std::string& table,
                                 int max_offsets) {
    StreamWriteSpec write;
    write.sink.format = "delta";
    write.sink.path = path(table);
    write.checkpoint_location = path("checkpoints/" + table);
    write.trigger = stream::Trigger::AvailableNow();
    Result<std::shared_ptr<stream::StreamingQuery>> query =
        session_->StartStream(sql, {{"src", Source(max_offsets)}}, write);
    if (!query.ok()) {
      return {query.status(), 0};
    }
    Result<bool> ended = (*query)->AwaitTermination(60000);
    Status status = ended.ok() ? Status::Ok() : ended.status();
    if (ended.ok() && !*ended) {
      (*query)->Stop();
      status = Status::Internal("the query did not end within 60 s");
    }
    int64_t rows_in = 0;
    for (const stream::StreamingQueryProgress& progress : (*query)->recent_progress()) {
      rows_in += progress.num_input_rows;
    }
    return {status, rows_in};
  }

  std::string path(const std::string& name) const { return (root_ / name).string(); }
  std::string Table(const std::string& name) const { return "delta.`" + path(name) + "`"; }

  Strings SortedRows(const std::string& sql) {
    Strings rows = Rows(*session_, sql);
    std::sort(rows.begin(), rows.end());
    return rows;
  }
};

TEST_F(KafkaMalformedTest, PermissiveRoutesBadRecordsToQuarantineAndLosesNothing) {
  ASSERT_TRUE(cluster_->CreateTopic("orders", 2).ok());
  const std::vector<std::pair<std::optional<std::string>, std::string>> bad = {
      {R"({"order_id":100,"region":"e)", "not valid JSON"},
      {R"({"order_id":"id-101","region":"eu","amount":1.5})", "order_id is not a BIGINT"},
      {R"({"order_id":102,"region":"eu","amount":"lots"})", "amount is not a DOUBLE"},
      {R"({"order_id":"x","region":"eu","amount":"y"})",
       "order_id is not a BIGINT, amount is not a DOUBLE"},
      {"order 104 for eu", "not valid JSON"},
      {R"([{"order_id":105}])", "not a JSON object"},
      {"42", "not a JSON object"},
      {"", "empty value"},
      {std::nullopt, "null value"},
  };
  std::vector<std::optional<std::string>> values;
  Strings expected_quarantine;
  Strings expected_main;
  for (int i = 0; i < 40; ++i) {
    if (i % 4 == 1 && static_cast<size_t>(i / 4) < bad.size()) {
      const auto& [value, error] = bad[i / 4];
      values.push_back(value);
      expected_quarantine.push_back((value.has_value() ? *value : "NULL") + "|" + error);
    } else {
      values.push_back(Good(i));
      expected_main.push_back(std::to_string(i) + "|eu|" + std::to_string(i) + ".5");
    }
  }
  std::sort(expected_main.begin(), expected_main.end());
  std::sort(expected_quarantine.begin(), expected_quarantine.end());
  Produce(values, 2);

  const auto [main_status, main_in] = Run(MainQuery("PERMISSIVE"), "orders", 7);
  ASSERT_TRUE(main_status.ok()) << main_status.ToString();
  const auto [quarantine_status, quarantine_in] = Run(QuarantineQuery(), "quarantine", 7);
  ASSERT_TRUE(quarantine_status.ok()) << quarantine_status.ToString();

  EXPECT_EQ(SortedRows("SELECT order_id, region, amount FROM " + Table("orders")), expected_main);
  EXPECT_EQ(SortedRows("SELECT raw_value, error FROM " + Table("quarantine")), expected_quarantine);
  // rows_in = rows_ok + rows_quarantined, and each Kafka record is in exactly one table.
  const int64_t rows_ok = static_cast<int64_t>(expected_main.size());
  const int64_t rows_quarantined = static_cast<int64_t>(expected_quarantine.size());
  EXPECT_EQ(main_in, 40);
  EXPECT_EQ(quarantine_in, 40);
  EXPECT_EQ(rows_ok + rows_quarantined, main_in);
  EXPECT_EQ(Rows(*session_,
                 "SELECT count(*), count(DISTINCT kafka_partition, kafka_offset) FROM "
                 "(SELECT kafka_partition, kafka_offset FROM " +
                     Table("orders") + " UNION ALL SELECT kafka_partition, kafka_offset FROM " +
                     Table("quarantine") + ")"),
            (Strings{"40|40"}));
}

TEST_F(KafkaMalformedTest, FailFastStopsAtTheRecordAndPermissiveRestartLosesNothing) {
  ASSERT_TRUE(cluster_->CreateTopic("orders", 1).ok());
  const std::string broken = R"({"order_id":10,"region":"e)";
  std::vector<std::optional<std::string>> values;
  Strings expected_main;
  for (int i = 0; i < 20; ++i) {
    values.push_back(i == 10 ? broken : Good(i));
    if (i != 10) {
      expected_main.push_back(std::to_string(i));
    }
  }
  std::sort(expected_main.begin(), expected_main.end());
  Produce(values, 1);

  // Batches of 5 records: [0, 5) and [5, 10) commit, [10, 15) fails on offset 10.
  const auto [failed, failed_in] = Run(MainQuery("FAILFAST"), "orders", 5);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.message().find("[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION]"),
            std::string::npos)
      << failed.ToString();
  EXPECT_NE(failed.message().find("record parsing: " + broken + ". Parse Mode: FAILFAST"),
            std::string::npos)
      << failed.ToString();
  EXPECT_EQ(failed_in, 10);
  EXPECT_EQ(
      Rows(*session_, "SELECT count(*), min(order_id), max(order_id) FROM " + Table("orders")),
      (Strings{"10|0|9"}));

  // Fixed: the same checkpoint with PERMISSIVE re-runs the failed batch and goes on; the
  // quarantine query takes the broken record.
  const auto [fixed, fixed_in] = Run(MainQuery("PERMISSIVE"), "orders", 5);
  ASSERT_TRUE(fixed.ok()) << fixed.ToString();
  const auto [quarantined, quarantine_in] = Run(QuarantineQuery(), "quarantine", 5);
  ASSERT_TRUE(quarantined.ok()) << quarantined.ToString();
  EXPECT_EQ(fixed_in, 10);
  EXPECT_EQ(quarantine_in, 20);
  EXPECT_EQ(SortedRows("SELECT order_id FROM " + Table("orders")), expected_main);
  EXPECT_EQ(Rows(*session_, "SELECT raw_value, error, kafka_offset FROM " + Table("quarantine")),
            (Strings{broken + "|not valid JSON|10"}));
  EXPECT_EQ(Rows(*session_,
                 "SELECT count(*), count(DISTINCT kafka_offset) FROM "
                 "(SELECT kafka_offset FROM " +
                     Table("orders") + " UNION ALL SELECT kafka_offset FROM " +
                     Table("quarantine") + ")"),
            (Strings{"20|20"}));
}

}  // namespace
}  // namespace sluice::engine
