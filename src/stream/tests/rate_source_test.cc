// SPDX-License-Identifier: Apache-2.0
#include "stream/rate_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <utility>
#include <vector>

#include "stream/factory.h"

namespace sluice::stream {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr int64_t kStartMs = 1'700'000'000'000;

/// A metadata directory, removed at the end.
class MetadataDir {
 public:
  MetadataDir() {
    std::string pattern = JoinPath(::testing::TempDir(), "rate_source_test_XXXXXX");
    root_ = mkdtemp(pattern.data());
  }
  ~MetadataDir() { (void)LocalFileSystem::Default().DeleteRecursively(root_); }
  SourceContext Context() const { return SourceContext{root_ + "/sources/0", nullptr, "q"}; }

 private:
  std::string root_;
};

std::unique_ptr<RateStreamSource> MakeOpen(const MetadataDir& dir, Clock& clock,
                                           const OptionList& options) {
  Result<std::unique_ptr<RateStreamSource>> source =
      RateStreamSource::Make(options, nullptr, clock);
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  Status opened = (*source)->Open(dir.Context());
  EXPECT_TRUE(opened.ok()) << opened.ToString();
  return std::move(*source);
}

/// (timestamp ms, value) of every row.
std::vector<std::pair<int64_t, int64_t>> Rows(const std::vector<BatchPtr>& batches) {
  std::vector<std::pair<int64_t, int64_t>> rows;
  for (const BatchPtr& batch : batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      rows.emplace_back(batch->column(0)->Value<int64_t>(row) / 1000,
                        batch->column(1)->Value<int64_t>(row));
    }
  }
  return rows;
}

std::vector<std::pair<int64_t, int64_t>> Read(StreamSource& source,
                                              const std::optional<Offset>& start,
                                              const Offset& end) {
  Result<std::vector<BatchPtr>> batches = source.GetBatch(start, end);
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  return batches.ok() ? Rows(*batches) : std::vector<std::pair<int64_t, int64_t>>{};
}

TEST(RateSourceTest, OffsetsAreTheWholeSecondsSinceTheStart) {
  MetadataDir dir;
  ManualClock clock(kStartMs * 1000);
  auto source = MakeOpen(dir, clock, {});
  EXPECT_EQ(source->start_time_ms(), kStartMs);
  EXPECT_EQ(source->schema()->ToString(), "struct<timestamp:timestamp,value:bigint>");
  EXPECT_FALSE(source->LatestOffset(std::nullopt, ReadLimit::kRateLimited)->has_value());
  clock.AdvanceMicros(999'000);
  EXPECT_FALSE(source->LatestOffset(std::nullopt, ReadLimit::kRateLimited)->has_value());
  clock.AdvanceMicros(1'500'000);
  EXPECT_EQ(**source->LatestOffset(std::nullopt, ReadLimit::kRateLimited), "2");
  EXPECT_EQ(**source->LatestOffset(std::optional<Offset>("2"), ReadLimit::kRateLimited), "2");
}

TEST(RateSourceTest, RowsFollowSparksTimestampAndValueFormula) {
  MetadataDir dir;
  ManualClock clock(kStartMs * 1000);
  auto source = MakeOpen(dir, clock, {{"rowsPerSecond", "4"}});
  EXPECT_THAT(Read(*source, std::nullopt, "1"),
              ElementsAre(std::pair(kStartMs, 0), std::pair(kStartMs + 250, 1),
                          std::pair(kStartMs + 500, 2), std::pair(kStartMs + 750, 3)));
  EXPECT_THAT(Read(*source, std::optional<Offset>("1"), "2"),
              ElementsAre(std::pair(kStartMs + 1000, 4), std::pair(kStartMs + 1250, 5),
                          std::pair(kStartMs + 1500, 6), std::pair(kStartMs + 1750, 7)));
  EXPECT_THAT(Read(*source, std::optional<Offset>("2"), "2"), IsEmpty());
  EXPECT_EQ(Read(*source, std::optional<Offset>("{\"seconds\":1}"), "2").size(), 4u);
}

TEST(RateSourceTest, ValuesAreDeterministicAcrossARestart) {
  MetadataDir dir;
  ManualClock clock(kStartMs * 1000);
  std::vector<std::pair<int64_t, int64_t>> before;
  {
    auto source = MakeOpen(dir, clock, {{"rowsPerSecond", "3"}});
    clock.AdvanceMicros(5'000'000);
    ASSERT_EQ(**source->LatestOffset(std::nullopt, ReadLimit::kRateLimited), "5");
    before = Read(*source, std::optional<Offset>("2"), "5");
  }
  clock.AdvanceMicros(100'000'000);  // the restart happens much later
  auto restarted = MakeOpen(dir, clock, {{"rowsPerSecond", "3"}});
  EXPECT_EQ(restarted->start_time_ms(), kStartMs);
  EXPECT_EQ(Read(*restarted, std::optional<Offset>("2"), "5"), before);
  EXPECT_EQ(before.size(), 9u);
  EXPECT_EQ(before.front(), std::pair(kStartMs + 2000, int64_t{6}));
}

TEST(RateSourceTest, RampUpFollowsSparksValueAtSecond) {
  // Spark's example: rampUpTime 4s, 10 rows a second.
  std::vector<int64_t> values;
  for (int64_t second = 0; second <= 6; ++second) {
    values.push_back(RateValueAtSecond(second, 10, 4));
  }
  EXPECT_THAT(values, ElementsAre(0, 2, 6, 12, 20, 30, 40));

  MetadataDir dir;
  ManualClock clock(kStartMs * 1000);
  auto source = MakeOpen(dir, clock, {{"rowsPerSecond", "10"}, {"rampUpTime", "4s"}});
  EXPECT_THAT(Read(*source, std::optional<Offset>("1"), "2"),
              ElementsAre(std::pair(kStartMs + 1000, 2), std::pair(kStartMs + 1250, 3),
                          std::pair(kStartMs + 1500, 4), std::pair(kStartMs + 1750, 5)));
}

TEST(RateSourceTest, NumPartitionsSplitsTheRowsAsSparksReaders) {
  MetadataDir dir;
  ManualClock clock(kStartMs * 1000);
  auto source = MakeOpen(dir, clock, {{"rowsPerSecond", "5"}, {"numPartitions", "2"}});
  Result<std::vector<BatchPtr>> batches = source->GetBatch(std::nullopt, "1");
  ASSERT_TRUE(batches.ok());
  ASSERT_EQ(batches->size(), 2u);
  std::vector<int64_t> first;
  std::vector<int64_t> second;
  for (const auto& [ms, value] : Rows({(*batches)[0]})) {
    first.push_back(value);
  }
  for (const auto& [ms, value] : Rows({(*batches)[1]})) {
    second.push_back(value);
  }
  EXPECT_THAT(first, ElementsAre(0, 2, 4));
  EXPECT_THAT(second, ElementsAre(1, 3));
}

TEST(RateSourceTest, BadOptionValuesNameTheOption) {
  const std::vector<std::pair<OptionList, std::string>> cases = {
      {{{"rowsPerSecond", "0"}}, "rowsPerSecond"}, {{{"rowsPerSecond", "fast"}}, "rowsPerSecond"},
      {{{"rampUpTime", "-5s"}}, "rampUpTime"},     {{{"rampUpTime", "soon"}}, "rampUpTime"},
      {{{"numPartitions", "0"}}, "numPartitions"},
  };
  for (const auto& [options, name] : cases) {
    SourceSpec spec;
    spec.format = "rate";
    spec.options = options;
    Result<std::unique_ptr<StreamSource>> source = MakeSource(spec);
    EXPECT_EQ(source.status().code(), StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(source.status().message(), HasSubstr("'" + name + "'"));
  }
  SourceSpec with_schema;
  with_schema.format = "Rate";
  with_schema.schema = MakeSchema({Field{"x", LongType(), true, {}}});
  EXPECT_EQ(MakeSource(with_schema).status().code(), StatusCode::kInvalidArgument);
}

TEST(RateSourceTest, FactoryMakesTheRateSource) {
  SourceSpec spec;
  spec.format = "rate";
  spec.options = {{"ROWSPERSECOND", "7"}};
  Result<std::unique_ptr<StreamSource>> source = MakeSource(spec);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->Description(),
            "RateStreamV2[rowsPerSecond=7, rampUpTimeSeconds=0, numPartitions=1]");
  EXPECT_EQ((*source)->Identity(), "{\"format\":\"rate\"}");
}

}  // namespace
}  // namespace sluice::stream
