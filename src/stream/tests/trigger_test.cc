// SPDX-License-Identifier: Apache-2.0
#include "stream/trigger.h"

#include <gtest/gtest.h>

namespace sluice::stream {
namespace {

TEST(TriggerTest, ParsesSparkIntervals) {
  EXPECT_EQ(*ParseDurationMs("2 seconds"), 2000);
  EXPECT_EQ(*ParseDurationMs("1 minute"), 60000);
  EXPECT_EQ(*ParseDurationMs("interval 10 seconds"), 10000);
  EXPECT_EQ(*ParseDurationMs("500 milliseconds"), 500);
  EXPECT_EQ(*ParseDurationMs("250 ms"), 250);
  EXPECT_EQ(*ParseDurationMs("1 hour 30 minutes"), 5400000);
  EXPECT_EQ(*ParseDurationMs("0.5 seconds"), 500);
  EXPECT_EQ(*ParseDurationMs("1500"), 1500);
}

TEST(TriggerTest, RejectsMalformedIntervals) {
  for (const char* text : {"", "seconds", "10 fortnights", "1 second 5", "-1 second"}) {
    Result<int64_t> parsed = ParseDurationMs(text);
    EXPECT_FALSE(parsed.ok()) << text;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << text;
    }
  }
}

TEST(TriggerTest, NamesTriggersAsSparkDoes) {
  EXPECT_EQ(Trigger::Default().ToString(), "ProcessingTime(0)");
  EXPECT_EQ(Trigger::ProcessingTime("2 seconds")->ToString(), "ProcessingTime(2000)");
  EXPECT_EQ(Trigger::Once().ToString(), "Once");
  EXPECT_EQ(Trigger::AvailableNow().ToString(), "AvailableNow");
  EXPECT_FALSE(Trigger::Default().terminates());
  EXPECT_TRUE(Trigger::AvailableNow().terminates());
}

}  // namespace
}  // namespace sluice::stream
