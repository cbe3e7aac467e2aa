// SPDX-License-Identifier: Apache-2.0
#include "stream/console_sink.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "columnar/builder.h"
#include "stream/factory.h"

namespace sluice::stream {
namespace {

SchemaPtr IdNameSchema() {
  return MakeSchema({MakeField("id", LongType()), MakeField("name", StringType())});
}

BatchPtr Rows(const std::vector<std::pair<int64_t, std::string>>& rows) {
  BatchBuilder builder(IdNameSchema());
  for (const auto& [id, name] : rows) {
    static_cast<Int64Builder*>(builder.column(0))->Append(id);
    static_cast<StringBuilder*>(builder.column(1))->Append(name);
  }
  return builder.Finish();
}

TEST(ConsoleSinkTest, PrintsEachBatchAsSparkDoes) {
  std::ostringstream out;
  ConsoleSink sink(out, ConsoleSinkOptions{});
  ASSERT_TRUE(sink.AddBatch(0, IdNameSchema(), {Rows({{1, "a"}}), Rows({{2, "bb"}})}).ok());
  ASSERT_TRUE(sink.AddBatch(1, IdNameSchema(), {}).ok());
  EXPECT_EQ(out.str(),
            "-------------------------------------------\n"
            "Batch: 0\n"
            "-------------------------------------------\n"
            "+---+----+\n"
            "| id|name|\n"
            "+---+----+\n"
            "|  1|   a|\n"
            "|  2|  bb|\n"
            "+---+----+\n"
            "\n"
            "-------------------------------------------\n"
            "Batch: 1\n"
            "-------------------------------------------\n"
            "+---+----+\n"
            "| id|name|\n"
            "+---+----+\n"
            "+---+----+\n"
            "\n");
}

TEST(ConsoleSinkTest, NumRowsAndTruncateOptions) {
  auto options = ConsoleSinkOptions::Parse({{"NUMROWS", "1"}, {"truncate", "false"}});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  std::ostringstream out;
  ConsoleSink sink(out, *options);
  const std::string long_name(25, 'x');
  ASSERT_TRUE(sink.AddBatch(7, IdNameSchema(), {Rows({{1, long_name}, {2, "b"}})}).ok());
  EXPECT_EQ(out.str(),
            "-------------------------------------------\n"
            "Batch: 7\n"
            "-------------------------------------------\n"
            "+---+-------------------------+\n"
            "|id |name                     |\n"
            "+---+-------------------------+\n"
            "|1  |xxxxxxxxxxxxxxxxxxxxxxxxx|\n"
            "+---+-------------------------+\n"
            "only showing top 1 row\n"
            "\n");

  std::ostringstream truncated;
  ConsoleSink default_sink(truncated, ConsoleSinkOptions{});
  ASSERT_TRUE(default_sink.AddBatch(0, IdNameSchema(), {Rows({{1, long_name}})}).ok());
  EXPECT_NE(truncated.str().find("|xxxxxxxxxxxxxxxxx...|"), std::string::npos) << truncated.str();
}

TEST(ConsoleSinkTest, FactoryMakesItAndRefusesBadOptions) {
  SinkSpec spec;
  spec.format = "Console";
  auto sink = MakeSink(spec);
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  EXPECT_EQ((*sink)->Description(), "org.apache.spark.sql.execution.streaming.ConsoleTable$");
  spec.options = {{"numRows", "many"}};
  EXPECT_EQ(MakeSink(spec).status().code(), StatusCode::kInvalidArgument);
  spec.options = {{"truncate", "sometimes"}};
  EXPECT_EQ(MakeSink(spec).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sluice::stream
