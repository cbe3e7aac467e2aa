// SPDX-License-Identifier: Apache-2.0
#include "stream/kafka_sink.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "columnar/builder.h"
#include "common/sync_point.h"
#include "kafka/client.h"
#include "kafka/mock_cluster.h"
#include "stream/factory.h"
#include "stream/memory_source.h"
#include "stream/streaming_query.h"

namespace sluice::stream {
namespace {

using Header = std::pair<std::string, std::optional<std::string>>;

// One record read back from the cluster.
struct Record {
  int32_t partition = 0;
  std::optional<std::string> key;
  std::optional<std::string> value;
  int64_t timestamp_us = 0;
  std::vector<Header> headers;
};

// A row to write: every column of the sink's schema.
struct Row {
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::optional<std::string> topic;
  std::optional<int32_t> partition;
  std::vector<Header> headers;
};

TypePtr HeadersType() {
  return ArrayType(StructType({MakeField("key", StringType()), MakeField("value", BinaryType())}));
}

SchemaPtr RowSchema() {
  return MakeSchema({MakeField("key", StringType()), MakeField("value", BinaryType()),
                     MakeField("topic", StringType()), MakeField("partition", IntType()),
                     MakeField("headers", HeadersType()), MakeField("extra", LongType())});
}

void AppendOptional(VectorBuilder* builder, const std::optional<std::string>& text) {
  if (text.has_value()) {
    static_cast<StringBuilder*>(builder)->Append(*text);
  } else {
    builder->AppendNull();
  }
}

BatchPtr Rows(const std::vector<Row>& rows) {
  BatchBuilder builder(RowSchema());
  for (const Row& row : rows) {
    AppendOptional(builder.column(0), row.key);
    AppendOptional(builder.column(1), row.value);
    AppendOptional(builder.column(2), row.topic);
    if (row.partition.has_value()) {
      static_cast<Int32Builder*>(builder.column(3))->Append(*row.partition);
    } else {
      builder.column(3)->AppendNull();
    }
    auto* headers = static_cast<ArrayBuilder*>(builder.column(4));
    auto* entry = static_cast<StructBuilder*>(headers->element());
    for (const Header& header : row.headers) {
      static_cast<StringBuilder*>(entry->child(0))->Append(header.first);
      AppendOptional(entry->child(1), header.second);
      entry->Append();
    }
    headers->Append();
    static_cast<Int64Builder*>(builder.column(5))->Append(7);
  }
  return builder.Finish();
}

// Rows of only a value column.
SchemaPtr ValueSchema() {
  return MakeSchema({MakeField("value", StringType())});
}

BatchPtr Values(const std::vector<std::string>& values) {
  BatchBuilder builder(ValueSchema());
  for (const std::string& value : values) {
    static_cast<StringBuilder*>(builder.column(0))->Append(value);
  }
  return builder.Finish();
}

std::optional<std::string> OptionalCell(const Vector& column, int64_t row) {
  if (column.IsNull(row)) {
    return std::nullopt;
  }
  return std::string(column.StringValue(row));
}

std::vector<std::string> ValuesOf(const std::vector<Record>& records) {
  std::vector<std::string> values;
  for (const Record& record : records) {
    values.push_back(record.value.value_or("<null>"));
  }
  std::sort(values.begin(), values.end());
  return values;
}

std::optional<std::string> HeaderValue(const Record& record, std::string_view name) {
  for (const Header& header : record.headers) {
    if (header.first == name) {
      return header.second;
    }
  }
  return std::nullopt;
}

class KafkaSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = kafka::MockCluster::Start(1);
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = std::move(cluster).value();
    ASSERT_TRUE(cluster_->CreateTopic("out", 2).ok());
    ASSERT_TRUE(cluster_->CreateTopic("other", 1).ok());
  }

  void TearDown() override {
    if (!dir_.empty()) {
      std::filesystem::remove_all(dir_);
    }
  }

  OptionList Options(OptionList extra = {}) const {
    OptionList options = {{"kafka.bootstrap.servers", cluster_->bootstrap_servers()}};
    options.insert(options.end(), extra.begin(), extra.end());
    return options;
  }

  // A sink from writeStream settings, opened for `query_id`.
  std::unique_ptr<StreamSink> OpenSink(OptionList options, std::string query_id = "q-1") {
    SinkSpec spec;
    spec.format = "kafka";
    spec.options = std::move(options);
    auto sink = MakeSink(spec);
    EXPECT_TRUE(sink.ok()) << sink.status().ToString();
    if (!sink.ok()) {
      return nullptr;
    }
    SinkContext context;
    context.query_id = std::move(query_id);
    Status opened = (*sink)->Open(context);
    EXPECT_TRUE(opened.ok()) << opened.ToString();
    return std::move(sink).value();
  }

  Status MakeSinkStatus(OptionList options) const {
    SinkSpec spec;
    spec.format = "kafka";
    spec.options = std::move(options);
    return MakeSink(spec).status();
  }

  // Every record of `topic`, partition by partition in offset order.
  std::vector<Record> ReadAll(const std::string& topic) {
    std::vector<Record> records;
    auto client = kafka::Client::Make({{"bootstrap.servers", cluster_->bootstrap_servers()}});
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    auto topics = (*client)->ListTopics();
    EXPECT_TRUE(topics.ok()) << topics.status().ToString();
    std::vector<kafka::FetchRange> ranges;
    for (int32_t partition = 0; partition < topics->at(topic); ++partition) {
      auto marks = (*client)->QueryWatermarks({topic, partition});
      EXPECT_TRUE(marks.ok()) << marks.status().ToString();
      if (marks->high > marks->low) {
        ranges.push_back({{topic, partition}, marks->low, marks->high});
      }
    }
    std::vector<BatchPtr> batches;
    kafka::FetchStats stats;
    Status fetched = (*client)->Fetch(ranges, true, &batches, &stats);
    EXPECT_TRUE(fetched.ok()) << fetched.ToString();
    for (const BatchPtr& batch : batches) {
      const Vector& headers = *batch->column(7);
      const Vector& entries = *headers.child(0);
      for (int64_t row = 0; row < batch->num_rows(); ++row) {
        Record record;
        record.key = OptionalCell(*batch->column(0), row);
        record.value = OptionalCell(*batch->column(1), row);
        record.partition = batch->column(3)->Value<int32_t>(row);
        record.timestamp_us = batch->column(5)->Value<int64_t>(row);
        for (int32_t i = headers.ListStart(row); i < headers.ListEnd(row); ++i) {
          const int64_t slot = entries.offset() + i;
          record.headers.emplace_back(std::string(entries.child(0)->StringValue(slot)),
                                      OptionalCell(*entries.child(1), slot));
        }
        records.push_back(std::move(record));
      }
    }
    return records;
  }

  std::string MakeTempDir() {
    std::string pattern = ::testing::TempDir() + "/kafka_sink_test_XXXXXX";
    EXPECT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    return dir_;
  }

  std::unique_ptr<kafka::MockCluster> cluster_;
  std::string dir_;
};

TEST_F(KafkaSinkTest, WritesKeysValuesHeadersAndPartitionsFromColumns) {
  auto sink = OpenSink(Options({{"topic", "out"}}));
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->Description(), "KafkaSink[out]");
  std::vector<Row> rows = {
      {"k1", "v1", std::nullopt, 1, {{"h", "x"}, {"empty", std::nullopt}}},
      {std::nullopt, "v2", std::nullopt, 0, {}},
      {"k3", std::nullopt, std::nullopt, 1, {}},
  };
  Status added = sink->AddBatch(0, RowSchema(), {Rows(rows)});
  ASSERT_TRUE(added.ok()) << added.ToString();
  EXPECT_EQ(sink->Metrics().at("numRecordsWritten"), "3");

  std::vector<Record> records = ReadAll("out");
  ASSERT_EQ(records.size(), 3u);
  // Partition 0 first.
  EXPECT_EQ(records[0].partition, 0);
  EXPECT_EQ(records[0].key, std::nullopt);
  EXPECT_EQ(records[0].value, "v2");
  EXPECT_TRUE(records[0].headers.empty());
  EXPECT_EQ(records[1].partition, 1);
  EXPECT_EQ(records[1].key, "k1");
  EXPECT_EQ(records[1].value, "v1");
  EXPECT_EQ(records[1].headers, (std::vector<Header>{{"h", "x"}, {"empty", std::nullopt}}));
  EXPECT_EQ(records[2].key, "k3");
  EXPECT_EQ(records[2].value, std::nullopt);  // a tombstone
}

TEST_F(KafkaSinkTest, TheTopicColumnRoutesRowsAndTheTopicOptionOverridesIt) {
  auto by_column = OpenSink(Options());
  ASSERT_NE(by_column, nullptr);
  EXPECT_EQ(by_column->Description(), "KafkaSink[topic column]");
  Status added = by_column->AddBatch(
      0, RowSchema(), {Rows({{"a", "to-out", "out", 0, {}}, {"b", "to-other", "other", 0, {}}})});
  ASSERT_TRUE(added.ok()) << added.ToString();
  EXPECT_EQ(ValuesOf(ReadAll("out")), (std::vector<std::string>{"to-out"}));
  EXPECT_EQ(ValuesOf(ReadAll("other")), (std::vector<std::string>{"to-other"}));

  auto by_option = OpenSink(Options({{"topic", "other"}}));
  ASSERT_NE(by_option, nullptr);
  added = by_option->AddBatch(0, RowSchema(), {Rows({{"c", "overridden", "out", 0, {}}})});
  ASSERT_TRUE(added.ok()) << added.ToString();
  EXPECT_EQ(ValuesOf(ReadAll("other")), (std::vector<std::string>{"overridden", "to-other"}));
}

TEST_F(KafkaSinkTest, WithoutAPartitionColumnTheKeyPicksThePartition) {
  auto sink = OpenSink(Options({{"topic", "out"}}));
  ASSERT_NE(sink, nullptr);
  BatchBuilder builder(MakeSchema({MakeField("key", BinaryType()), MakeField("value", StringType()),
                                   MakeField("timestamp", TimestampType())}));
  for (int i = 0; i < 20; ++i) {
    static_cast<StringBuilder*>(builder.column(0))->Append(i % 2 == 0 ? "even" : "odd");
    static_cast<StringBuilder*>(builder.column(1))->Append(std::to_string(i));
    static_cast<Int64Builder*>(builder.column(2))->Append(int64_t{1700000000123456});
  }
  BatchPtr batch = builder.Finish();
  ASSERT_TRUE(sink->AddBatch(0, batch->schema(), {batch}).ok());
  std::vector<Record> records = ReadAll("out");
  ASSERT_EQ(records.size(), 20u);
  std::map<std::string, std::set<int32_t>> partitions_by_key;
  for (const Record& record : records) {
    partitions_by_key[*record.key].insert(record.partition);
    EXPECT_EQ(record.timestamp_us, 1700000000123000);  // milliseconds, as Kafka keeps them
  }
  EXPECT_EQ(partitions_by_key["even"].size(), 1u);
  EXPECT_EQ(partitions_by_key["odd"].size(), 1u);
}

TEST_F(KafkaSinkTest, NeedsATopicOptionOrColumn) {
  auto sink = OpenSink(Options());
  ASSERT_NE(sink, nullptr);
  Status status = sink->AddBatch(0, ValueSchema(), {Values({"v"})});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "topic option required when no 'topic' attribute is present. Use the topic option "
            "for setting a topic.");
}

TEST_F(KafkaSinkTest, RefusesColumnsOfTheWrongTypeNamingThem) {
  auto sink = OpenSink(Options());
  ASSERT_NE(sink, nullptr);
  auto refusal = [&](std::vector<Field> fields) {
    SchemaPtr schema = MakeSchema(std::move(fields));
    return sink->AddBatch(0, schema, {Batch::MakeEmpty(schema)}).message();
  };
  const Field topic = MakeField("topic", StringType());
  const Field value = MakeField("value", StringType());
  EXPECT_EQ(refusal({topic, MakeField("value", IntType())}),
            "value attribute unsupported type int. value must be a(n) string or binary");
  EXPECT_EQ(refusal({topic}), "Required attribute 'value' not found");
  EXPECT_EQ(refusal({MakeField("topic", BinaryType()), value}),
            "topic attribute unsupported type binary. topic must be a(n) string");
  EXPECT_EQ(refusal({topic, value, MakeField("key", LongType())}),
            "key attribute unsupported type bigint. key must be a(n) string or binary");
  EXPECT_EQ(refusal({topic, value, MakeField("partition", LongType())}),
            "partition attribute unsupported type bigint. partition must be a(n) int");
  EXPECT_EQ(refusal({topic, value, MakeField("headers", ArrayType(StringType()))}),
            "headers attribute unsupported type array<string>. headers must be a(n) "
            "array<struct<key:string,value:binary>>");
  EXPECT_EQ(refusal({topic, value, MakeField("timestamp", StringType())}),
            "timestamp attribute unsupported type string. timestamp must be a(n) double or "
            "timestamp");
  // The same columns are fine when well typed.
  EXPECT_EQ(refusal({topic, value, MakeField("key", BinaryType()),
                     MakeField("headers", HeadersType()), MakeField("partition", IntType())}),
            "");
}

TEST_F(KafkaSinkTest, ARowWithANullTopicFailsTheBatch) {
  auto sink = OpenSink(Options());
  ASSERT_NE(sink, nullptr);
  Status status = sink->AddBatch(
      0, RowSchema(), {Rows({{"a", "fine", "out", 0, {}}, {"b", "lost", std::nullopt, 0, {}}})});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "null topic present in the data. Use the topic option for setting a default topic.");
}

TEST_F(KafkaSinkTest, ChecksItsOptions) {
  Status missing = MakeSinkStatus({{"topic", "out"}});
  EXPECT_EQ(missing.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.message(),
            "Option 'kafka.bootstrap.servers' must be specified for configuring Kafka producer");
  Status managed = MakeSinkStatus(Options({{"kafka.transactional.id", "mine"}}));
  EXPECT_NE(managed.message().find("'kafka.transactional.id' is not supported"), std::string::npos)
      << managed.message();
  Status unsafe = MakeSinkStatus(Options({{"kafka.plugin.library.paths", "/tmp/x.so"}}));
  EXPECT_NE(unsafe.message().find("'kafka.plugin.library.paths' is not allowed"), std::string::npos)
      << unsafe.message();
  Status serializer = MakeSinkStatus(Options({{"kafka.value.serializer", "x"}}));
  EXPECT_EQ(serializer.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(MakeSinkStatus(Options({{"KAFKA.linger.ms", "1"}, {"kafka.acks", "all"}})).ok());

  Status no_topic = MakeSinkStatus(Options({{"exactlyOnce", "true"}}));
  EXPECT_EQ(no_topic.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_topic.message().find("needs the 'topic' option"), std::string::npos);
  Status bad_flag = MakeSinkStatus(Options({{"topic", "out"}, {"exactlyOnce", "yes"}}));
  EXPECT_EQ(bad_flag.code(), StatusCode::kInvalidArgument);

  SinkSpec spec;
  spec.format = "kafka";
  spec.options = Options({{"topic", "out"}, {"exactlyOnce", "true"}});
  auto sink = MakeSink(spec);
  ASSERT_TRUE(sink.ok());
  EXPECT_EQ((*sink)->Open(SinkContext{}).code(), StatusCode::kInvalidArgument);
}

TEST_F(KafkaSinkTest, AFailedDeliveryFailsTheBatch) {
  auto sink = OpenSink(Options({{"topic", "out"}, {"kafka.message.timeout.ms", "2000"}}));
  ASSERT_NE(sink, nullptr);
  // "out" has partitions 0 and 1 only.
  Status status = sink->AddBatch(0, RowSchema(), {Rows({{"a", "nowhere", std::nullopt, 7, {}}})});
  EXPECT_FALSE(status.ok());
  // The sink stays usable: the re-run of a batch goes through.
  Status again = sink->AddBatch(0, RowSchema(), {Rows({{"a", "somewhere", std::nullopt, 1, {}}})});
  EXPECT_TRUE(again.ok()) << again.ToString();
  EXPECT_EQ(ValuesOf(ReadAll("out")), (std::vector<std::string>{"somewhere"}));
}

TEST_F(KafkaSinkTest, ExactlyOnceSkipsBatchesAlreadyInKafkaAfterAReopen) {
  const OptionList options = Options({{"topic", "out"}, {"exactlyOnce", "true"}});
  {
    auto sink = OpenSink(options, "query-a");
    ASSERT_NE(sink, nullptr);
    ASSERT_TRUE(sink->AddBatch(0, ValueSchema(), {Values({"a0", "b0"})}).ok());
    ASSERT_TRUE(sink->AddBatch(1, ValueSchema(), {Values({"a1"})}).ok());
    // A re-run in the same sink writes nothing either.
    ASSERT_TRUE(sink->AddBatch(1, ValueSchema(), {Values({"a1"})}).ok());
    EXPECT_EQ(sink->Metrics().at("numBatchesSkipped"), "1");
  }
  // Another query writes to the same topic afterwards: its records are not ours.
  {
    auto other = OpenSink(options, "query-b");
    ASSERT_NE(other, nullptr);
    ASSERT_TRUE(other->AddBatch(5, ValueSchema(), {Values({"b5"})}).ok());
  }
  // The query restarts (as after a crash between the Kafka commit of batch 1 and the
  // engine's commit log): batch 1 is re-run, batch 2 is new.
  auto reopened = OpenSink(options, "query-a");
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(static_cast<KafkaSink*>(reopened.get())->recovered_batch_id(), 1);
  ASSERT_TRUE(reopened->AddBatch(1, ValueSchema(), {Values({"a1"})}).ok());
  ASSERT_TRUE(reopened->AddBatch(2, ValueSchema(), {Values({"a2"})}).ok());

  std::vector<Record> records = ReadAll("out");
  EXPECT_EQ(ValuesOf(records), (std::vector<std::string>{"a0", "a1", "a2", "b0", "b5"}));
  for (const Record& record : records) {
    ASSERT_TRUE(HeaderValue(record, kKafkaQueryIdHeader).has_value());
    if (record.value == "a2") {
      EXPECT_EQ(HeaderValue(record, kKafkaQueryIdHeader), "query-a");
      EXPECT_EQ(HeaderValue(record, kKafkaBatchIdHeader), "2");
    }
  }
  auto fresh = OpenSink(options, "query-c");
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(static_cast<KafkaSink*>(fresh.get())->recovered_batch_id(), -1);
}

TEST_F(KafkaSinkTest, ExactlyOnceDoesNotTakeATopicWithoutALeaderForAnEmptyOne) {
  const OptionList options = Options({{"topic", "out"}, {"exactlyOnce", "true"}});
  {
    auto sink = OpenSink(options, "query-a");
    ASSERT_NE(sink, nullptr);
    ASSERT_TRUE(sink->AddBatch(0, ValueSchema(), {Values({"a0"})}).ok());
  }
  // During a leader election the topic's metadata has an error: reading it as "no such
  // topic" would make batch 0 look unwritten and write it again.
  cluster_->SetTopicUnavailable("out", true);
  SinkSpec spec;
  spec.format = "kafka";
  spec.options = options;
  auto sink = MakeSink(spec);
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  SinkContext context;
  context.query_id = "query-a";
  Status opened = (*sink)->Open(context);
  EXPECT_EQ(opened.code(), StatusCode::kUnavailable) << opened.ToString();
  EXPECT_NE(opened.message().find("'out'"), std::string::npos) << opened.ToString();
  cluster_->SetTopicUnavailable("out", false);
  auto reopened = OpenSink(options, "query-a");
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(static_cast<KafkaSink*>(reopened.get())->recovered_batch_id(), 0);
}

TEST_F(KafkaSinkTest, ExactlyOnceFindsItsLastBatchBehindManyForeignRecords) {
  const OptionList options = Options({{"topic", "out"}, {"exactlyOnce", "true"}});
  {
    auto sink = OpenSink(options, "query-a");
    ASSERT_NE(sink, nullptr);
    ASSERT_TRUE(sink->AddBatch(3, RowSchema(), {Rows({{"k", "mine", std::nullopt, 0, {}}})}).ok());
  }
  // More records than the first read-back window follow in the same partition.
  auto plain = OpenSink(Options({{"topic", "out"}}));
  ASSERT_NE(plain, nullptr);
  std::vector<Row> rows(1000, Row{"k", "foreign", std::nullopt, 0, {}});
  ASSERT_TRUE(plain->AddBatch(0, RowSchema(), {Rows(rows)}).ok());
  auto reopened = OpenSink(options, "query-a");
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(static_cast<KafkaSink*>(reopened.get())->recovered_batch_id(), 3);
}

// Interop: what the sink writes, kcat (librdkafka's command-line client, installed by
// the bootstrap) reads with read_committed isolation.
TEST_F(KafkaSinkTest, KcatReadsWhatTheSinkWrites) {
  if (std::system("kcat -V >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "kcat is not installed";
  }
  auto sink = OpenSink(Options({{"topic", "other"}, {"exactlyOnce", "true"}}), "query-k");
  ASSERT_NE(sink, nullptr);
  ASSERT_TRUE(
      sink->AddBatch(4, RowSchema(), {Rows({{"k1", "v1", std::nullopt, 0, {{"h", "x"}}}})}).ok());
  const std::string command = fmt::format(
      "kcat -C -b {} -t other -e -q -X isolation.level=read_committed -f '%k=%s %h\\n' 2>&1",
      cluster_->bootstrap_servers());
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 256> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) {
    output += buffer.data();
  }
  EXPECT_EQ(pclose(pipe), 0) << output;
  EXPECT_EQ(output, "k1=v1 h=x,sluice.queryId=query-k,sluice.batchId=4\n");
}

// A query from a memory stream into Kafka, crashed after the sink wrote a batch but
// before the engine's commit log recorded it, then restarted: exactly once keeps every
// value once, at least once writes the re-run batch again.
class KafkaSinkQuery {
 public:
  KafkaSinkQuery(MemoryStream* stream, std::string checkpoint, OptionList options)
      : stream_(stream), checkpoint_(std::move(checkpoint)), options_(std::move(options)) {}

  Status Start() {
    StreamingQueryOptions options;
    options.name = "to_kafka";
    options.checkpoint_location = checkpoint_;
    options.sources.push_back(stream_->MakeSource());
    SinkSpec spec;
    spec.format = "kafka";
    spec.options = options_;
    SLUICE_ASSIGN_OR_RETURN(options.sink, MakeSink(spec));
    options.plan = [](const MicroBatchInput& input) -> Result<MicroBatchOutput> {
      MicroBatchOutput output;
      output.schema = ValueSchema();
      for (const auto& source : input.sources) {
        output.batches.insert(output.batches.end(), source.begin(), source.end());
      }
      return output;
    };
    SLUICE_ASSIGN_OR_RETURN(execution_, MicroBatchExecution::Open(std::move(options)));
    return Status::Ok();
  }

  // Runs triggers with a simulated crash at `point` (the first time it is reached), then
  // drops the driver without a clean stop.
  Status RunAndCrashAt(std::string point) {
    SyncPoints::SetCallback([point](std::string_view reached) -> Status {
      return reached == point ? Status::IoError("simulated crash") : Status::Ok();
    });
    Status status = execution_->ProcessAllAvailable();
    SyncPoints::ClearCallback();
    execution_.reset();
    return status;
  }

  Status ProcessAll() { return execution_->ProcessAllAvailable(); }

 private:
  MemoryStream* stream_;
  std::string checkpoint_;
  OptionList options_;
  std::unique_ptr<MicroBatchExecution> execution_;
};

TEST_F(KafkaSinkTest, ExactlyOnceSurvivesACrashBetweenTheKafkaCommitAndTheCommitLog) {
  const std::string dir = MakeTempDir();
  for (bool exactly_once : {true, false}) {
    SCOPED_TRACE(exactly_once ? "exactly once" : "at least once");
    const std::string topic = exactly_once ? "eos" : "alo";
    ASSERT_TRUE(cluster_->CreateTopic(topic, 2).ok());
    MemoryStream stream(ValueSchema());
    KafkaSinkQuery query(
        &stream, dir + "/" + topic,
        Options({{"topic", topic}, {"exactlyOnce", exactly_once ? "true" : "false"}}));
    ASSERT_TRUE(stream.AddData({Values({"a", "b"})}).ok());
    ASSERT_TRUE(query.Start().ok());
    ASSERT_TRUE(query.ProcessAll().ok());
    ASSERT_TRUE(stream.AddData({Values({"c"})}).ok());
    Status crashed = query.RunAndCrashAt("MicroBatch::AfterSinkCommit");
    ASSERT_NE(crashed.message().find("simulated crash"), std::string::npos) << crashed.ToString();

    ASSERT_TRUE(query.Start().ok());
    ASSERT_TRUE(query.ProcessAll().ok());
    ASSERT_TRUE(stream.AddData({Values({"d"})}).ok());
    ASSERT_TRUE(query.ProcessAll().ok());
    const std::vector<std::string> expected =
        exactly_once ? std::vector<std::string>{"a", "b", "c", "d"}
                     : std::vector<std::string>{"a", "b", "c", "c", "d"};
    EXPECT_EQ(ValuesOf(ReadAll(topic)), expected);
  }
}

}  // namespace
}  // namespace sluice::stream
