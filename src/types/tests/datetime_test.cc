// SPDX-License-Identifier: Apache-2.0
#include "types/datetime.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sluice {
namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000LL;
constexpr int32_t kDay20240105 = 19727;  // 2024-01-05, from Python's date.toordinal()

/// Micros of a UTC date-time given its day number; independent of the code under test.
int64_t At(int64_t days, int hour, int minute, int second, int64_t micros = 0) {
  return days * kMicrosPerDay + ((hour * 60LL + minute) * 60 + second) * 1'000'000 + micros;
}

std::optional<int32_t> Date(std::string_view text) {
  int32_t days = 0;
  if (!ParseDate(text, &days)) {
    return std::nullopt;
  }
  return days;
}

std::optional<int64_t> Timestamp(std::string_view text) {
  int64_t micros = 0;
  if (!ParseTimestamp(text, &micros)) {
    return std::nullopt;
  }
  return micros;
}

std::optional<int64_t> TimestampNtz(std::string_view text) {
  int64_t micros = 0;
  if (!ParseTimestampNtz(text, &micros)) {
    return std::nullopt;
  }
  return micros;
}

DateTimePattern Compile(std::string_view pattern) {
  auto compiled = DateTimePattern::Compile(pattern);
  EXPECT_TRUE(compiled.ok()) << compiled.status().ToString();
  return std::move(compiled).value();
}

std::optional<int64_t> PatternTimestamp(const DateTimePattern& pattern, std::string_view text) {
  int64_t micros = 0;
  if (!pattern.ParseTimestamp(text, &micros)) {
    return std::nullopt;
  }
  return micros;
}

std::optional<int32_t> PatternDate(const DateTimePattern& pattern, std::string_view text) {
  int32_t days = 0;
  if (!pattern.ParseDate(text, &days)) {
    return std::nullopt;
  }
  return days;
}

TEST(DateTimeTest, DaysFromCivilKnownDates) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(2024, 2, 29), 19782);
  EXPECT_EQ(DaysFromCivil(2024, 1, 5), kDay20240105);
  EXPECT_EQ(DaysFromCivil(1900, 3, 1), -25508);
  EXPECT_EQ(DaysFromCivil(1, 1, 1), -719162);
  EXPECT_EQ(DaysFromCivil(9999, 12, 31), 2932896);
  // Proleptic Gregorian: no gap at the 1582 switch.
  EXPECT_EQ(DaysFromCivil(1582, 10, 4), -141438);
  EXPECT_EQ(DaysFromCivil(1582, 10, 15), -141427);
  // Year 0 is a leap year, then negative years.
  EXPECT_EQ(DaysFromCivil(0, 12, 31), -719163);
  EXPECT_EQ(DaysFromCivil(0, 1, 1), -719528);
  EXPECT_EQ(DaysFromCivil(-1, 1, 1), -719893);
}

TEST(DateTimeTest, CivilFromDaysWalksTheCalendar) {
  // Walk day by day with an independent next-day rule across ~1200 years around year 0.
  int64_t year = -600;
  int month = 1;
  int day = 1;
  const int32_t start = DaysFromCivil(year, month, day);
  for (int32_t days = start; days < start + 365 * 1200; ++days) {
    int64_t y = 0;
    int m = 0;
    int d = 0;
    CivilFromDays(days, &y, &m, &d);
    ASSERT_EQ(y, year) << days;
    ASSERT_EQ(m, month) << days;
    ASSERT_EQ(d, day) << days;
    ASSERT_EQ(DaysFromCivil(y, m, d), days);
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int month_days[] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (++day > month_days[month - 1]) {
      day = 1;
      if (++month > 12) {
        month = 1;
        ++year;
      }
    }
  }
}

TEST(DateTimeTest, CivilFromDaysExtremes) {
  int64_t y = 0;
  int m = 0;
  int d = 0;
  for (int32_t days : {INT32_MIN, INT32_MIN + 1, -1, 0, INT32_MAX - 1, INT32_MAX}) {
    CivilFromDays(days, &y, &m, &d);
    EXPECT_EQ(DaysFromCivil(y, m, d), days);
  }
}

TEST(DateTimeTest, FormatDate) {
  EXPECT_EQ(FormatDate(0), "1970-01-01");
  EXPECT_EQ(FormatDate(-1), "1969-12-31");
  EXPECT_EQ(FormatDate(19782), "2024-02-29");
  EXPECT_EQ(FormatDate(-719162), "0001-01-01");
  EXPECT_EQ(FormatDate(2932896), "9999-12-31");
  EXPECT_EQ(FormatDate(2932897), "+10000-01-01");
  EXPECT_EQ(FormatDate(-719528), "0000-01-01");
  EXPECT_EQ(FormatDate(-719893), "-0001-01-01");
  EXPECT_EQ(FormatDate(-141438), "1582-10-04");
}

TEST(DateTimeTest, FormatTimestamp) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01 00:00:00");
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(FormatTimestamp(-1'000'000), "1969-12-31 23:59:59");
  EXPECT_EQ(FormatTimestamp(-1'500'000), "1969-12-31 23:59:58.5");
  EXPECT_EQ(FormatTimestamp(500'000), "1970-01-01 00:00:00.5");
  EXPECT_EQ(FormatTimestamp(1), "1970-01-01 00:00:00.000001");
  EXPECT_EQ(FormatTimestamp(120'000), "1970-01-01 00:00:00.12");
  EXPECT_EQ(FormatTimestamp(1704449472123456), "2024-01-05 10:11:12.123456");
  EXPECT_EQ(FormatTimestamp(253402300799999999), "9999-12-31 23:59:59.999999");
  EXPECT_EQ(FormatTimestamp(-62135596800000000), "0001-01-01 00:00:00");
  EXPECT_EQ(FormatTimestamp(-62135596800000001), "0000-12-31 23:59:59.999999");
  // The extremes do not overflow.
  EXPECT_EQ(FormatTimestamp(INT64_MIN), "-290308-12-21 19:59:05.224192");
  EXPECT_EQ(FormatTimestamp(INT64_MAX), "+294247-01-10 04:00:54.775807");
}

TEST(DateTimeTest, ParseDateAccepts) {
  EXPECT_EQ(Date("2024-01-05"), kDay20240105);
  EXPECT_EQ(Date("2024-1-5"), kDay20240105);
  EXPECT_EQ(Date(" 2024-01-05 "), kDay20240105);
  EXPECT_EQ(Date("\t2024-01-05\n"), kDay20240105);
  EXPECT_EQ(Date("2024-01-05T10:11"), kDay20240105);
  EXPECT_EQ(Date("2024-01-05 anything at all"), kDay20240105);
  EXPECT_EQ(Date("2024-01-05T"), kDay20240105);
  EXPECT_EQ(Date("2024"), DaysFromCivil(2024, 1, 1));
  EXPECT_EQ(Date("2024-02"), DaysFromCivil(2024, 2, 1));
  EXPECT_EQ(Date("+2024-01-05"), kDay20240105);
  EXPECT_EQ(Date("2024-02-29"), 19782);
  EXPECT_EQ(Date("0001-01-01"), -719162);
  EXPECT_EQ(Date("9999-12-31"), 2932896);
  EXPECT_EQ(Date("-0001-01-01"), -719893);
  EXPECT_EQ(Date("1582-10-10"), DaysFromCivil(1582, 10, 10));
  EXPECT_EQ(Date("12345-01-01"), DaysFromCivil(12345, 1, 1));
}

TEST(DateTimeTest, ParseDateRejects) {
  for (std::string_view text : {"",
                                "   ",
                                "abc",
                                "2024-13-01",
                                "2024-00-01",
                                "2024-02-30",
                                "2023-02-29",
                                "2024-01-00",
                                "2024-01-32",
                                "2024-01-05X",
                                "24-01-05",
                                "2024-001-05",
                                "2024-01-005",
                                "2024 x",
                                "2024-01 x",
                                "2024-",
                                "2024--05",
                                "2024/01/05",
                                "-",
                                "2024-01-05-01",
                                "99999999-01-01",
                                "5881610-01-01"}) {
    EXPECT_EQ(Date(text), std::nullopt) << text;
  }
}

TEST(DateTimeTest, ParseTimestampAccepts) {
  const int32_t d = kDay20240105;
  EXPECT_EQ(Timestamp("2024-01-05T10:11:12.123456Z"), At(d, 10, 11, 12, 123456));
  EXPECT_EQ(Timestamp("2024-01-05 10:11:12+02:00"), At(d, 8, 11, 12));
  EXPECT_EQ(Timestamp("2024-01-05 10:11:12-0530"), At(d, 15, 41, 12));
  EXPECT_EQ(Timestamp("2024-01-05 10:11:12+02"), At(d, 8, 11, 12));
  EXPECT_EQ(Timestamp("2024-01-05 10:11:12+2"), At(d, 8, 11, 12));
  EXPECT_EQ(Timestamp("2024-01-05 10:11:12+1:30"), At(d, 8, 41, 12));
  EXPECT_EQ(Timestamp("2024-01-05 10:11:12 UTC"), At(d, 10, 11, 12));
  EXPECT_EQ(Timestamp("2024-01-05 10:11:12GMT+01:00"), At(d, 9, 11, 12));
  EXPECT_EQ(Timestamp("2024-01-05 10:11:12.5 UTC-01:00"), At(d, 11, 11, 12, 500000));
  EXPECT_EQ(Timestamp("2024-01-05T10:11"), At(d, 10, 11, 0));
  EXPECT_EQ(Timestamp("2024-01-05T10"), At(d, 10, 0, 0));
  EXPECT_EQ(Timestamp("2024-01-05 1:2:3"), At(d, 1, 2, 3));
  EXPECT_EQ(Timestamp("2024-01-05"), At(d, 0, 0, 0));
  EXPECT_EQ(Timestamp(" 2024-01-05 "), At(d, 0, 0, 0));
  EXPECT_EQ(Timestamp("2024-1-5"), At(d, 0, 0, 0));
  EXPECT_EQ(Timestamp("2024"), At(DaysFromCivil(2024, 1, 1), 0, 0, 0));
  EXPECT_EQ(Timestamp("2024-01-05T10:11:12.5"), At(d, 10, 11, 12, 500000));
  EXPECT_EQ(Timestamp("2024-01-05T10:11:12."), At(d, 10, 11, 12));
  EXPECT_EQ(Timestamp("2024-01-05T10:11:12.1234567"), At(d, 10, 11, 12, 123456));
  EXPECT_EQ(Timestamp("2024-01-05T10:11:12.123456999999Z"), At(d, 10, 11, 12, 123456));
  EXPECT_EQ(Timestamp("1969-12-31 23:59:59.999999"), -1);
  EXPECT_EQ(Timestamp("0001-01-01 00:00:00"), -62135596800000000);
  EXPECT_EQ(Timestamp("-0001-01-01"), At(-719893, 0, 0, 0));
  EXPECT_EQ(Timestamp("2024-01-05 10:11:12EST"), At(d, 15, 11, 12));
}

TEST(DateTimeTest, ParseTimestampRejects) {
  for (std::string_view text : {"",
                                "abc",
                                "2024-13-01",
                                "2024-02-30",
                                "2024-01-05X",
                                "2024-01-05T",
                                "2024-01-05 25:00:00",
                                "2024-01-05 24:00",
                                "2024-01-05 10:60",
                                "2024-01-05 10:11:60",
                                "2024-01-05 10:11Z",
                                "2024-01-05 10:11:12X",
                                "2024-01-05 10:11:12+19:00",
                                "2024-01-05 10:11:12+02:0x",
                                "2024-01-05 10:11:12 utc",
                                "2024-01-05 10:11:12Mars/Base",
                                "10:11:12",
                                "T10:11:12",
                                "2024-01-05 10:11:123",
                                "2024-01-05 100:11:12",
                                "2024-01-05T10:11:12.5.6",
                                "999999-01-01",
                                "-999999-01-01",
                                "1234567-01-01"}) {
    EXPECT_EQ(Timestamp(text), std::nullopt) << text;
  }
}

TEST(DateTimeTest, ParseTimestampNtz) {
  EXPECT_EQ(TimestampNtz("2024-01-05 10:11:12.5"), At(kDay20240105, 10, 11, 12, 500000));
  EXPECT_EQ(TimestampNtz("2024-01-05"), At(kDay20240105, 0, 0, 0));
  EXPECT_EQ(TimestampNtz("2024-01-05T10:11:12Z"), std::nullopt);
  EXPECT_EQ(TimestampNtz("2024-01-05T10:11:12+02:00"), std::nullopt);
  EXPECT_EQ(TimestampNtz("2024-02-30"), std::nullopt);
}

TEST(DateTimeTest, FormatParseRoundTrip) {
  for (int64_t micros :
       {int64_t{0}, int64_t{-1}, int64_t{1704449472123456}, int64_t{-62135596800000001},
        int64_t{253402300799999999}, int64_t{-12219292800000000}}) {
    EXPECT_EQ(Timestamp(FormatTimestamp(micros)), micros) << micros;
  }
  for (int32_t days : {0, -1, 19782, -719162, 2932896, -141438, -719893, 2932897}) {
    EXPECT_EQ(Date(FormatDate(days)), days) << days;
  }
}

TEST(DateTimeTest, PatternSparkJsonDefault) {
  const DateTimePattern pattern = Compile("yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]");
  const int32_t d = kDay20240105;
  EXPECT_EQ(pattern.pattern(), "yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]");
  EXPECT_EQ(PatternTimestamp(pattern, "2024-01-05T10:11:12.123Z"), At(d, 10, 11, 12, 123000));
  EXPECT_EQ(PatternTimestamp(pattern, "2024-01-05T10:11:12"), At(d, 10, 11, 12));
  EXPECT_EQ(PatternTimestamp(pattern, "2024-01-05T10:11:12+02:00"), At(d, 8, 11, 12));
  EXPECT_EQ(PatternTimestamp(pattern, "2024-01-05T10:11:12.123-01:30"), At(d, 11, 41, 12, 123000));
  EXPECT_EQ(PatternTimestamp(pattern, "2024-01-05t10:11:12z"), At(d, 10, 11, 12));
  // Spark parses S..S as one up to that many digits.
  EXPECT_EQ(PatternTimestamp(pattern, "2024-01-05T10:11:12.5Z"), At(d, 10, 11, 12, 500000));
  for (std::string_view text :
       {"2024-01-05T10:11:12.1234Z", "2024-01-05 10:11:12", "2024-01-05T10:11",
        "2024-1-05T10:11:12", "2024-01-05T10:11:12+0200", "2024-01-05T10:11:12+02",
        "2024-02-30T10:11:12", "2024-01-05T24:00:00", "2024-01-05T10:11:12Z ",
        " 2024-01-05T10:11:12", "24-01-05T10:11:12", "12024-01-05T10:11:12"}) {
    EXPECT_EQ(PatternTimestamp(pattern, text), std::nullopt) << text;
  }
  EXPECT_EQ(pattern.FormatTimestamp(At(d, 10, 11, 12, 123456)), "2024-01-05T10:11:12.123Z");
  EXPECT_EQ(pattern.FormatTimestamp(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(pattern.FormatDate(d), "2024-01-05T00:00:00.000Z");
}

TEST(DateTimeTest, PatternCommonForms) {
  const int32_t d = kDay20240105;
  const DateTimePattern plain = Compile("yyyy-MM-dd HH:mm:ss");
  EXPECT_EQ(PatternTimestamp(plain, "2024-01-05 10:11:12"), At(d, 10, 11, 12));
  EXPECT_EQ(PatternTimestamp(plain, "2024-01-05 10:11"), std::nullopt);
  EXPECT_EQ(PatternTimestamp(plain, "2024-01-05 10:11:12.5"), std::nullopt);
  EXPECT_EQ(plain.FormatTimestamp(At(d, 10, 11, 12, 999999)), "2024-01-05 10:11:12");
  EXPECT_EQ(PatternDate(plain, "2024-01-05 23:59:59"), d);

  const DateTimePattern european = Compile("dd/MM/yyyy");
  EXPECT_EQ(PatternDate(european, "05/01/2024"), d);
  EXPECT_EQ(PatternDate(european, "29/02/2023"), std::nullopt);
  EXPECT_EQ(PatternDate(european, "5/1/2024"), std::nullopt);
  EXPECT_EQ(european.FormatDate(d), "05/01/2024");
  EXPECT_EQ(european.FormatDate(-719162), "01/01/0001");
  EXPECT_EQ(PatternTimestamp(european, "05/01/2024"), At(d, 0, 0, 0));

  const DateTimePattern us = Compile("MM-dd-yyyy HH:mm");
  EXPECT_EQ(PatternTimestamp(us, "01-05-2024 10:11"), At(d, 10, 11, 0));
  EXPECT_EQ(us.FormatTimestamp(At(d, 10, 11, 12)), "01-05-2024 10:11");

  const DateTimePattern micros = Compile("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");
  EXPECT_EQ(PatternTimestamp(micros, "2024-01-05T10:11:12.123456+05:30"), At(d, 4, 41, 12, 123456));
  EXPECT_EQ(micros.FormatTimestamp(At(d, 10, 11, 12, 123456)), "2024-01-05T10:11:12.123456Z");
  EXPECT_EQ(micros.FormatTimestamp(At(d, 10, 11, 12, 5)), "2024-01-05T10:11:12.000005Z");

  const DateTimePattern rfc = Compile("EEE, dd MMM yyyy HH:mm:ss Z");
  EXPECT_EQ(PatternTimestamp(rfc, "Fri, 05 Jan 2024 10:11:12 +0100"), At(d, 9, 11, 12));
  EXPECT_EQ(PatternTimestamp(rfc, "fri, 05 JAN 2024 10:11:12 -0000"), At(d, 10, 11, 12));
  EXPECT_EQ(PatternTimestamp(rfc, "Fri, 05 Jan 2024 10:11:12 +01:00"), std::nullopt);
  EXPECT_EQ(PatternTimestamp(rfc, "Fri, 05 January 2024 10:11:12 +0100"), std::nullopt);
  EXPECT_EQ(PatternTimestamp(rfc, "Xyz, 05 Jan 2024 10:11:12 +0100"), std::nullopt);
  EXPECT_EQ(rfc.FormatTimestamp(At(d, 10, 11, 12)), "Fri, 05 Jan 2024 10:11:12 +0000");
  EXPECT_EQ(rfc.FormatTimestamp(At(DaysFromCivil(2023, 9, 3), 0, 0, 0)),
            "Sun, 03 Sep 2023 00:00:00 +0000");
}

TEST(DateTimeTest, PatternNamesAndTwelveHourClock) {
  const int32_t d = kDay20240105;
  const DateTimePattern pattern = Compile("EEEE d MMMM yyyy hh:mm a");
  EXPECT_EQ(PatternTimestamp(pattern, "Friday 5 January 2024 12:30 AM"), At(d, 0, 30, 0));
  EXPECT_EQ(PatternTimestamp(pattern, "Friday 5 January 2024 12:30 PM"), At(d, 12, 30, 0));
  EXPECT_EQ(PatternTimestamp(pattern, "Friday 5 January 2024 01:00 pm"), At(d, 13, 0, 0));
  EXPECT_EQ(PatternTimestamp(pattern, "Friday 5 January 2024 13:00 PM"), std::nullopt);
  EXPECT_EQ(PatternTimestamp(pattern, "Friday 5 January 2024 00:00 AM"), std::nullopt);
  EXPECT_EQ(pattern.FormatTimestamp(At(d, 0, 30, 0)), "Friday 5 January 2024 12:30 AM");
  EXPECT_EQ(pattern.FormatTimestamp(At(d, 13, 5, 0)), "Friday 5 January 2024 01:05 PM");
  EXPECT_EQ(pattern.FormatTimestamp(At(DaysFromCivil(2024, 12, 25), 12, 0, 0)),
            "Wednesday 25 December 2024 12:00 PM");
  // 'h' without 'a' reads as AM.
  const DateTimePattern no_marker = Compile("yyyy-MM-dd hh");
  EXPECT_EQ(PatternTimestamp(no_marker, "2024-01-05 12"), At(d, 0, 0, 0));
  EXPECT_EQ(PatternTimestamp(no_marker, "2024-01-05 11"), At(d, 11, 0, 0));
}

TEST(DateTimeTest, PatternDefaultsAndVariableWidths) {
  const DateTimePattern time_only = Compile("HH:mm");
  EXPECT_EQ(PatternTimestamp(time_only, "10:11"), At(0, 10, 11, 0));
  const DateTimePattern loose = Compile("y-M-d H:m:s");
  EXPECT_EQ(PatternTimestamp(loose, "2024-1-5 1:2:3"), At(kDay20240105, 1, 2, 3));
  EXPECT_EQ(PatternTimestamp(loose, "2024-01-05 10:11:12"), At(kDay20240105, 10, 11, 12));
  EXPECT_EQ(PatternTimestamp(loose, "-44-3-15 0:0:0"), At(DaysFromCivil(-44, 3, 15), 0, 0, 0));
  EXPECT_EQ(loose.FormatTimestamp(At(kDay20240105, 1, 2, 3)), "2024-1-5 1:2:3");
  const DateTimePattern compact = Compile("yyyyMMddHHmmss");
  EXPECT_EQ(PatternTimestamp(compact, "20240105101112"), At(kDay20240105, 10, 11, 12));
  EXPECT_EQ(compact.FormatTimestamp(At(kDay20240105, 10, 11, 12)), "20240105101112");
  const DateTimePattern two_digit_year = Compile("yy-MM-dd");
  EXPECT_EQ(PatternDate(two_digit_year, "24-01-05"), kDay20240105);
  EXPECT_EQ(PatternDate(two_digit_year, "99-01-05"), DaysFromCivil(2099, 1, 5));
  EXPECT_EQ(two_digit_year.FormatDate(kDay20240105), "24-01-05");
}

TEST(DateTimeTest, PatternYearSigns) {
  const DateTimePattern pattern = Compile("yyyy-MM-dd");
  EXPECT_EQ(PatternDate(pattern, "+12345-01-01"), DaysFromCivil(12345, 1, 1));
  EXPECT_EQ(PatternDate(pattern, "12345-01-01"), std::nullopt);
  EXPECT_EQ(PatternDate(pattern, "+2024-01-05"), std::nullopt);
  EXPECT_EQ(PatternDate(pattern, "-0001-01-01"), -719893);
  EXPECT_EQ(PatternDate(pattern, "-0000-01-01"), std::nullopt);
  EXPECT_EQ(PatternDate(pattern, "024-01-05"), std::nullopt);
  EXPECT_EQ(pattern.FormatDate(2932897), "+10000-01-01");
  EXPECT_EQ(pattern.FormatDate(-719893), "-0001-01-01");
  EXPECT_EQ(pattern.FormatDate(-719528), "0000-01-01");
}

TEST(DateTimeTest, PatternOffsets) {
  const int64_t t = At(kDay20240105, 10, 11, 12);
  struct Case {
    std::string_view pattern;
    std::string_view formatted;
  };
  for (const Case& c : {Case{"X", "Z"}, Case{"XX", "Z"}, Case{"XXX", "Z"}, Case{"x", "+00"},
                        Case{"xx", "+0000"}, Case{"xxx", "+00:00"}, Case{"Z", "+0000"},
                        Case{"ZZZZ", "GMT"}, Case{"ZZZZZ", "Z"}, Case{"z", "UTC"}}) {
    const DateTimePattern pattern = Compile(std::string("HH ") + std::string(c.pattern));
    EXPECT_EQ(pattern.FormatTimestamp(t), "10 " + std::string(c.formatted)) << c.pattern;
    EXPECT_EQ(PatternTimestamp(pattern, "10 " + std::string(c.formatted)), At(0, 10, 0, 0))
        << c.pattern;
  }
  const DateTimePattern x1 = Compile("HH X");
  EXPECT_EQ(PatternTimestamp(x1, "10 +02"), At(0, 8, 0, 0));
  EXPECT_EQ(PatternTimestamp(x1, "10 +0230"), At(0, 7, 30, 0));
  EXPECT_EQ(PatternTimestamp(x1, "10 +02:30"), std::nullopt);
  const DateTimePattern x2 = Compile("HH XX");
  EXPECT_EQ(PatternTimestamp(x2, "10 -0230"), At(0, 12, 30, 0));
  EXPECT_EQ(PatternTimestamp(x2, "10 -02"), std::nullopt);
  const DateTimePattern x5 = Compile("HH XXXXX");
  EXPECT_EQ(PatternTimestamp(x5, "10 +02:30:15"), At(0, 7, 29, 45));
  EXPECT_EQ(PatternTimestamp(x5, "10 +02:30"), At(0, 7, 30, 0));
  const DateTimePattern gmt = Compile("HH ZZZZ");
  EXPECT_EQ(PatternTimestamp(gmt, "10 GMT+8"), At(0, 2, 0, 0));
  EXPECT_EQ(PatternTimestamp(gmt, "10 GMT-08:30"), At(0, 18, 30, 0));
  const DateTimePattern xxx = Compile("HH XXX");
  EXPECT_EQ(PatternTimestamp(xxx, "10 +24:00"), std::nullopt);
  EXPECT_EQ(PatternTimestamp(xxx, "10 +02:60"), std::nullopt);
}

TEST(DateTimeTest, PatternLiteralsAndOptionalSections) {
  const DateTimePattern quoted = Compile("yyyy''MM 'o''clock' HH");
  EXPECT_EQ(quoted.FormatTimestamp(At(kDay20240105, 9, 0, 0)), "2024'01 o'clock 09");
  EXPECT_EQ(PatternTimestamp(quoted, "2024'01 o'clock 09"), At(DaysFromCivil(2024, 1, 1), 9, 0, 0));
  const DateTimePattern nested = Compile("yyyy-MM-dd[ HH:mm[:ss]]");
  EXPECT_EQ(PatternTimestamp(nested, "2024-01-05"), At(kDay20240105, 0, 0, 0));
  EXPECT_EQ(PatternTimestamp(nested, "2024-01-05 10:11"), At(kDay20240105, 10, 11, 0));
  EXPECT_EQ(PatternTimestamp(nested, "2024-01-05 10:11:12"), At(kDay20240105, 10, 11, 12));
  EXPECT_EQ(PatternTimestamp(nested, "2024-01-05 10"), std::nullopt);
  EXPECT_EQ(nested.FormatTimestamp(At(kDay20240105, 10, 11, 12)), "2024-01-05 10:11:12");
  // A failed optional section leaves no fields behind.
  const DateTimePattern optional_hour = Compile("yyyy-MM-dd[ HH:mm]['x']");
  EXPECT_EQ(PatternTimestamp(optional_hour, "2024-01-05 10:1x"), std::nullopt);
  EXPECT_EQ(PatternTimestamp(optional_hour, "2024-01-05x"), At(kDay20240105, 0, 0, 0));
}

TEST(DateTimeTest, PatternFractionFormatting) {
  const DateTimePattern nine = Compile("ss.SSSSSSSSS");
  EXPECT_EQ(nine.FormatTimestamp(At(0, 0, 0, 7, 123456)), "07.123456000");
  const DateTimePattern one = Compile("ss.S");
  EXPECT_EQ(one.FormatTimestamp(At(0, 0, 0, 7, 987654)), "07.9");
  EXPECT_EQ(PatternTimestamp(nine, "07.123456789"), At(0, 0, 0, 7, 123456));
  EXPECT_EQ(PatternTimestamp(nine, "07.1"), At(0, 0, 0, 7, 100000));
}

TEST(DateTimeTest, PatternCompileErrors) {
  auto bad_letter = DateTimePattern::Compile("yyyy-qq");
  ASSERT_FALSE(bad_letter.ok());
  EXPECT_EQ(bad_letter.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_letter.status().message().find("'q'"), std::string::npos);
  EXPECT_NE(bad_letter.status().message().find("position 5"), std::string::npos);
  for (std::string_view pattern : {"yyyy-MM-dd'T", "[yyyy", "yyyy]", "YYYY", "yyyy-ww", "MMMMMM",
                                   "ddd", "HHH", "SSSSSSSSSS", "aa", "yyyy{", "#", "uuuu"}) {
    auto compiled = DateTimePattern::Compile(pattern);
    EXPECT_FALSE(compiled.ok()) << pattern;
    if (!compiled.ok()) {
      EXPECT_EQ(compiled.status().code(), StatusCode::kInvalidArgument) << pattern;
    }
  }
  EXPECT_TRUE(DateTimePattern::Compile("").ok());
  EXPECT_TRUE(DateTimePattern::Compile("'only text'").ok());
}

}  // namespace
}  // namespace sluice
