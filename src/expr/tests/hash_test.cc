// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "expr/tests/test_util.h"

namespace sluice::expr {
namespace {

using testing::EvalOne;
using testing::IntLit;
using testing::Lit;
using testing::NullLit;
using testing::StrLit;

ExprPtr ArrayOf123() {
  ArrayBuilder builder(ArrayType(IntType()));
  static_cast<Int32Builder*>(builder.element())->Append(123);
  builder.Append();
  return Lit(builder.Finish());
}

// Expected values are the examples of Spark's function documentation.
TEST(HashTest, HashMatchesSparkMurmur3) {
  EXPECT_EQ(EvalOne("hash", {StrLit("Spark"), ArrayOf123(), IntLit(2)}), "-1321691492");
  EXPECT_EQ(EvalOne("hash", {StrLit("ABC")}), "-757602832");
  EXPECT_EQ(EvalOne("hash", {StrLit("ABC"), StrLit("DEF")}), "599895104");
  // Nulls are skipped: the seed passes through.
  EXPECT_EQ(EvalOne("hash", {StrLit("ABC"), NullLit(StringType())}), "-757602832");
  EXPECT_EQ(EvalOne("hash", {NullLit()}), "42");
}

TEST(HashTest, HashNormalizesNegativeZero) {
  EXPECT_EQ(EvalOne("hash", {testing::DoubleLit(-0.0)}),
            EvalOne("hash", {testing::DoubleLit(0.0)}));
}

TEST(HashTest, XxHash64MatchesSpark) {
  EXPECT_EQ(EvalOne("xxhash64", {StrLit("Spark"), ArrayOf123(), IntLit(2)}), "5602566077635097486");
}

TEST(HashTest, DigestsAreLowerCaseHex) {
  EXPECT_EQ(EvalOne("md5", {StrLit("Spark")}), "8cde774d6f7333752ed72cacddb05126");
  EXPECT_EQ(EvalOne("sha1", {StrLit("Spark")}), "85f5955f4b27a9a4c2aab6ffe5d7189fc298b92c");
  EXPECT_EQ(EvalOne("sha", {StrLit("Spark")}), "85f5955f4b27a9a4c2aab6ffe5d7189fc298b92c");
  EXPECT_EQ(EvalOne("sha2", {StrLit("Spark"), IntLit(256)}),
            "529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b");
  EXPECT_EQ(EvalOne("sha2", {StrLit("Spark"), IntLit(0)}),
            "529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b");
  EXPECT_EQ(EvalOne("sha2", {StrLit("Spark"), IntLit(1)}), "NULL");
  EXPECT_EQ(EvalOne("md5", {NullLit(StringType())}), "NULL");
  EXPECT_EQ(EvalOne("crc32", {StrLit("Spark")}), "1557323817");
}

}  // namespace
}  // namespace sluice::expr
