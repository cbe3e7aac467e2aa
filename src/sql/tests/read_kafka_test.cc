// SPDX-License-Identifier: Apache-2.0
#include "sql/read_kafka.h"

#include <gtest/gtest.h>

#include <string>

#include "sql/parser.h"

namespace sluice::sql {
namespace {

/// A resolver without tables or table functions of its own.
class NoTables final : public TableResolver {
 public:
  Result<ResolvedTable> ResolveTable(const QualifiedName&) override {
    return Status::NotFound("no tables");
  }
};

/// Resolves the read_kafka call of `SELECT * FROM <call>` (STREAM <call> when streaming).
Result<OptionList> Resolve(const std::string& call, bool streaming = false) {
  SLUICE_ASSIGN_OR_RETURN(
      StatementPtr statement,
      ParseStatement("SELECT * FROM " + std::string(streaming ? "STREAM " : "") + call));
  const TableRef& ref = *statement->query->body->select->from;
  EXPECT_TRUE(IsReadKafkaCall(ref));
  NoTables resolver;
  Binder binder(resolver, BinderOptions{});
  return ResolveReadKafka(ref, binder, streaming);
}

TEST(ReadKafkaArgumentsTest, ArgumentsBecomeTheKafkaSourcesOptions) {
  Result<OptionList> options = Resolve(
      "read_kafka(bootstrapServers => 'h1:9092,' || 'h2:9092', SUBSCRIBE => 'orders', "
      "startingoffsets => 'earliest', maxOffsetsPerTrigger => 10 * 10, "
      "includeHeaders => 1 > 0, `kafka.security.protocol` => 'SASL_SSL')");
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(*options, (OptionList{{"kafka.bootstrap.servers", "h1:9092,h2:9092"},
                                  {"subscribe", "orders"},
                                  {"startingOffsets", "earliest"},
                                  {"maxOffsetsPerTrigger", "100"},
                                  {"includeHeaders", "true"},
                                  {"kafka.security.protocol", "SASL_SSL"}}));
}

TEST(ReadKafkaArgumentsTest, StreamingRefusesEndingArgumentsOnly) {
  const std::string call =
      "read_kafka(bootstrapServers => 'h:1', assign => '{\"t\":[0]}', endingTimestamp => 5)";
  EXPECT_TRUE(Resolve(call, /*streaming=*/false).ok());
  Result<OptionList> streaming = Resolve(call, /*streaming=*/true);
  ASSERT_FALSE(streaming.ok());
  EXPECT_EQ(streaming.status().code(), StatusCode::kBindError);
  EXPECT_NE(streaming.status().message().find("argument `endingTimestamp`"), std::string::npos)
      << streaming.status().ToString();
}

TEST(ReadKafkaArgumentsTest, ColumnsAreNotConstants) {
  Result<OptionList> options = Resolve("read_kafka(bootstrapServers => 'h:1', subscribe => x)");
  ASSERT_FALSE(options.ok());
  // Bound over no columns, `x` does not resolve.
  EXPECT_EQ(options.status().code(), StatusCode::kBindError) << options.status().ToString();
}

}  // namespace
}  // namespace sluice::sql
