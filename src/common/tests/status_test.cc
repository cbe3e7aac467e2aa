// SPDX-License-Identifier: Apache-2.0
#include "common/status.h"

#include <gtest/gtest.h>

#include "common/result.h"

namespace sluice {
namespace {

Result<int> Half(int value) {
  if (value % 2 != 0) {
    return Status::InvalidArgument("odd value");
  }
  return value / 2;
}

Result<int> Quarter(int value) {
  SLUICE_ASSIGN_OR_RETURN(int half, Half(value));
  SLUICE_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Status CheckEven(int value) {
  SLUICE_RETURN_IF_ERROR(Half(value).status());
  return Status::Ok();
}

TEST(StatusTest, OkIsCheapAndEmpty) {
  Status status = Status::Ok();
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kOk);
  EXPECT_EQ(status.message(), "");
  EXPECT_EQ(status.ToString(), "OK");
}

TEST(StatusTest, ErrorCarriesCodeMessageAndContext) {
  Status status = Status::ParseError("unexpected '}'").WithContext("reading orders.json");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kParseError);
  EXPECT_EQ(status.message(), "reading orders.json: unexpected '}'");
  EXPECT_EQ(status.ToString(), "Parse error: reading orders.json: unexpected '}'");
  Status copy = status;
  EXPECT_EQ(copy, status);
}

TEST(StatusTest, MacrosPropagate) {
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(3).code(), StatusCode::kInvalidArgument);
  Result<int> quarter = Quarter(8);
  ASSERT_TRUE(quarter.ok());
  EXPECT_EQ(*quarter, 2);
  EXPECT_EQ(Quarter(6).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Quarter(6).ValueOr(-1), -1);
}

TEST(StatusDeathTest, ValueOfErrorAborts) {
  EXPECT_DEATH({ (void)Half(3).value(); }, "odd value");
}

}  // namespace
}  // namespace sluice
