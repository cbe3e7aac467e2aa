// SPDX-License-Identifier: Apache-2.0
#include "formats/parse_mode.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(ParseModeTest, ParsesSparkNamesCaseInsensitively) {
  EXPECT_EQ(*ParseModeFromString("PERMISSIVE"), ParseMode::kPermissive);
  EXPECT_EQ(*ParseModeFromString("dropMalformed"), ParseMode::kDropMalformed);
  EXPECT_EQ(*ParseModeFromString("failfast"), ParseMode::kFailFast);
  EXPECT_EQ(ParseModeFromString("strict").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseModeName(ParseMode::kFailFast), "FAILFAST");
}

}  // namespace
}  // namespace sluice
