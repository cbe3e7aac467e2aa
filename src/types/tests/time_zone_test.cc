// SPDX-License-Identifier: Apache-2.0
#include "types/time_zone.h"

#include <gtest/gtest.h>

#include "types/datetime.h"

namespace sluice {
namespace {

constexpr int64_t kMicrosPerHour = 3600LL * 1000000;

int64_t Civil(int64_t year, int month, int day, int hour, int minute) {
  return (int64_t{DaysFromCivil(year, month, day)} * 24 + hour) * kMicrosPerHour +
         int64_t{minute} * 60 * 1000000;
}

TimeZonePtr Zone(std::string_view name) {
  Result<TimeZonePtr> zone = TimeZone::Find(name);
  EXPECT_TRUE(zone.ok()) << zone.status().ToString();
  return zone.ok() ? *zone : TimeZone::Utc();
}

TEST(TimeZoneTest, FixedOffsetsInJavaForms) {
  EXPECT_EQ(Zone("+02:00")->OffsetAt(0), 7200);
  EXPECT_EQ(Zone("GMT+2")->OffsetAt(0), 7200);
  EXPECT_EQ(Zone("UTC-08:00")->OffsetAt(0), -8 * 3600);
  EXPECT_EQ(Zone("-0530")->OffsetAt(0), -(5 * 3600 + 1800));
  EXPECT_EQ(Zone("Z")->OffsetAt(123), 0);
  EXPECT_EQ(Zone("UTC")->UtcToLocal(5), 5);
  EXPECT_EQ(Zone("EST")->OffsetAt(0), -5 * 3600);
  EXPECT_FALSE(TimeZone::Find("+19:00").ok());
  EXPECT_FALSE(TimeZone::Find("Mars/Olympus_Mons").ok());
  EXPECT_FALSE(TimeZone::Find("../etc/passwd").ok());
}

TEST(TimeZoneTest, RegionOffsetsFollowDaylightSaving) {
  TimeZonePtr berlin = Zone("Europe/Berlin");
  EXPECT_EQ(berlin->UtcToLocal(Civil(2024, 6, 1, 12, 0)), Civil(2024, 6, 1, 14, 0));
  EXPECT_EQ(berlin->UtcToLocal(Civil(2024, 1, 1, 12, 0)), Civil(2024, 1, 1, 13, 0));
  TimeZonePtr sydney = Zone("Australia/Sydney");
  EXPECT_EQ(sydney->OffsetAt(Civil(2024, 1, 15, 0, 0) / 1000000), 11 * 3600);
  EXPECT_EQ(sydney->OffsetAt(Civil(2024, 7, 15, 0, 0) / 1000000), 10 * 3600);
  EXPECT_EQ(Zone("Asia/Kolkata")->OffsetAt(Civil(2024, 7, 15, 0, 0) / 1000000), 19800);
}

TEST(TimeZoneTest, FarFutureUsesThePosixFooter) {
  TimeZonePtr los_angeles = Zone("America/Los_Angeles");
  EXPECT_EQ(los_angeles->LocalToUtc(Civil(2100, 7, 1, 12, 0)), Civil(2100, 7, 1, 19, 0));
  EXPECT_EQ(los_angeles->LocalToUtc(Civil(2100, 12, 1, 12, 0)), Civil(2100, 12, 1, 20, 0));
  TimeZonePtr sydney = Zone("Australia/Sydney");
  EXPECT_EQ(sydney->OffsetAt(Civil(2200, 1, 15, 0, 0) / 1000000), 11 * 3600);
  EXPECT_EQ(sydney->OffsetAt(Civil(2200, 7, 15, 0, 0) / 1000000), 10 * 3600);
}

TEST(TimeZoneTest, GapsMoveForwardAndOverlapsTakeTheEarlierOffset) {
  TimeZonePtr los_angeles = Zone("America/Los_Angeles");
  // 2024-03-10 02:30 does not exist: Java gives 03:30 PDT = 10:30 UTC.
  EXPECT_EQ(los_angeles->LocalToUtc(Civil(2024, 3, 10, 2, 30)), Civil(2024, 3, 10, 10, 30));
  // 2024-11-03 01:30 happens twice: Java keeps PDT (-7), 08:30 UTC.
  EXPECT_EQ(los_angeles->LocalToUtc(Civil(2024, 11, 3, 1, 30)), Civil(2024, 11, 3, 8, 30));
  EXPECT_EQ(los_angeles->LocalToUtc(Civil(2024, 11, 3, 3, 0)), Civil(2024, 11, 3, 11, 0));
  // The same in the footer's years.
  EXPECT_EQ(los_angeles->LocalToUtc(Civil(2090, 3, 12, 2, 30)), Civil(2090, 3, 12, 10, 30));
}

TEST(TimeZoneTest, FindCachesOneInstancePerName) {
  EXPECT_EQ(Zone("Europe/Paris").get(), Zone("Europe/Paris").get());
}

}  // namespace
}  // namespace sluice
