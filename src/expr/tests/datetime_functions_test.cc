// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "expr/function.h"
#include "expr/tests/more_test_util.h"
#include "types/datetime.h"

namespace sluice::expr {
namespace {

using test_util::Cells;
using test_util::Eval;

VectorPtr Date(std::string_view text) {
  int32_t days = 0;
  EXPECT_TRUE(ParseDate(text, &days)) << text;
  return MakeDateScalar(days);
}
VectorPtr Ts(std::string_view text) {
  int64_t micros = 0;
  EXPECT_TRUE(ParseTimestamp(text, &micros)) << text;
  return MakeTimestampScalar(micros);
}
VectorPtr Str(std::string_view text) {
  return MakeStringScalar(text);
}
VectorPtr Int(int32_t value) {
  return MakeIntScalar(value);
}
EvalContext Zone(std::string zone) {
  EvalContext ctx;
  ctx.time_zone = std::move(zone);
  return ctx;
}

TEST(DatetimeFunctionsTest, FieldsOfDatesAndTimestamps) {
  EXPECT_EQ(Eval("year", {Date("2016-07-30")}), "2016");
  EXPECT_EQ(Eval("quarter", {Date("2016-08-31")}), "3");
  EXPECT_EQ(Eval("month", {Date("2016-07-30")}), "7");
  EXPECT_EQ(Eval("dayofmonth", {Date("2009-07-30")}), "30");
  EXPECT_EQ(Eval("dayofweek", {Date("2009-07-30")}), "5");
  EXPECT_EQ(Eval("weekday", {Date("2009-07-30")}), "3");
  EXPECT_EQ(Eval("dayofyear", {Date("2016-04-09")}), "100");
  EXPECT_EQ(Eval("weekofyear", {Date("2008-02-20")}), "8");
  EXPECT_EQ(Eval("weekofyear", {Date("2021-01-01")}), "53");
  EXPECT_EQ(Eval("hour", {Ts("2009-07-30 12:58:59")}), "12");
  EXPECT_EQ(Eval("minute", {Ts("2009-07-30 12:58:59")}), "58");
  EXPECT_EQ(Eval("second", {Ts("2009-07-30 12:58:59")}), "59");
  EXPECT_EQ(Eval("hour", {Ts("2009-07-30 12:58:59")}, Zone("America/Los_Angeles")), "5");
  EXPECT_EQ(Eval("year", {MakeNullScalar(DateType())}), "NULL");
}

TEST(DatetimeFunctionsTest, DateArithmetic) {
  EXPECT_EQ(Eval("date_add", {Date("2016-07-30"), Int(1)}), "2016-07-31");
  EXPECT_EQ(Eval("date_sub", {Date("2016-07-30"), Int(1)}), "2016-07-29");
  EXPECT_EQ(Eval("datediff", {Date("2009-07-31"), Date("2009-07-30")}), "1");
  EXPECT_EQ(Eval("datediff", {Date("2009-07-30"), Date("2009-07-31")}), "-1");
  EXPECT_EQ(Eval("add_months", {Date("2016-08-31"), Int(1)}), "2016-09-30");
  EXPECT_EQ(Eval("add_months", {Date("2016-01-31"), Int(-13)}), "2014-12-31");
  EXPECT_EQ(Eval("last_day", {Date("2009-01-12")}), "2009-01-31");
  EXPECT_EQ(Eval("next_day", {Date("2015-01-14"), Str("TU")}), "2015-01-20");
  EXPECT_EQ(Eval("next_day", {Date("2015-01-14"), Str("xx")}), "NULL");
  EXPECT_EQ(Eval("make_date", {Int(2013), Int(7), Int(15)}), "2013-07-15");
  EXPECT_EQ(Eval("make_date", {Int(2019), Int(7), MakeNullScalar(IntType())}), "NULL");
  EXPECT_EQ(Eval("make_date", {Int(2019), Int(2), Int(30)}), "NULL");
  EvalContext ansi;
  ansi.ansi = true;
  EXPECT_NE(Eval("make_date", {Int(2019), Int(2), Int(30)}, ansi).find("[DATETIME_FIELD"),
            std::string::npos);
}

TEST(DatetimeFunctionsTest, MonthsBetweenRoundsToEightDigits) {
  EXPECT_EQ(Eval("months_between", {Ts("1997-02-28 10:30:00"), Ts("1996-10-30")}), "3.94959677");
  EXPECT_EQ(Eval("months_between",
                 {Ts("1997-02-28 10:30:00"), Ts("1996-10-30"), MakeBooleanScalar(false)}),
            "3.9495967741935485");
  EXPECT_EQ(Eval("months_between", {Ts("2024-03-31"), Ts("2024-02-29")}), "1.0");
}

TEST(DatetimeFunctionsTest, MakeTimestampAndZoneShifts) {
  EXPECT_EQ(Eval("make_timestamp", {Int(2014), Int(12), Int(28), Int(6), Int(30),
                                    MakeDecimalScalar(45887000, 16, 6)}),
            "2014-12-28 06:30:45.887");
  EXPECT_EQ(Eval("make_timestamp", {Int(2019), Int(6), Int(30), Int(23), Int(59),
                                    MakeDecimalScalar(60000000, 16, 6)}),
            "2019-07-01 00:00:00");
  EXPECT_EQ(Eval("make_timestamp", {Int(2019), Int(6), Int(30), Int(23), Int(59),
                                    MakeDecimalScalar(1000000, 16, 6), Str("CET")}),
            "2019-06-30 21:59:01");
  EXPECT_EQ(Eval("from_utc_timestamp", {Ts("2016-08-31"), Str("Asia/Seoul")}),
            "2016-08-31 09:00:00");
  EXPECT_EQ(Eval("to_utc_timestamp", {Ts("2016-08-31"), Str("Asia/Seoul")}), "2016-08-30 15:00:00");
  EXPECT_EQ(Eval("to_utc_timestamp", {Ts("2016-08-31"), Str("Nowhere/Zone")}), "NULL");
}

TEST(DatetimeFunctionsTest, TruncationInTheSessionZone) {
  VectorPtr ts = Ts("2015-03-05T09:32:05.359");
  EXPECT_EQ(Eval("date_trunc", {Str("YEAR"), ts}), "2015-01-01 00:00:00");
  EXPECT_EQ(Eval("date_trunc", {Str("MM"), ts}), "2015-03-01 00:00:00");
  EXPECT_EQ(Eval("date_trunc", {Str("DD"), ts}), "2015-03-05 00:00:00");
  EXPECT_EQ(Eval("date_trunc", {Str("HOUR"), ts}), "2015-03-05 09:00:00");
  EXPECT_EQ(Eval("date_trunc", {Str("MILLISECOND"), Ts("2015-03-05T09:32:05.123456")}),
            "2015-03-05 09:32:05.123");
  EXPECT_EQ(Eval("date_trunc", {Str("fortnight"), ts}), "NULL");
  // Midnight in Los Angeles is 08:00 UTC.
  EXPECT_EQ(Eval("date_trunc", {Str("DAY"), ts}, Zone("America/Los_Angeles")),
            "2015-03-05 08:00:00");
  EXPECT_EQ(Eval("trunc", {Date("2019-08-04"), Str("week")}), "2019-07-29");
  EXPECT_EQ(Eval("trunc", {Date("2019-08-04"), Str("quarter")}), "2019-07-01");
  EXPECT_EQ(Eval("trunc", {Date("2009-02-12"), Str("MM")}), "2009-02-01");
  EXPECT_EQ(Eval("trunc", {Date("2015-10-27"), Str("YEAR")}), "2015-01-01");
  EXPECT_EQ(Eval("trunc", {Date("2015-10-27"), Str("DD")}), "NULL");
}

TEST(DatetimeFunctionsTest, ParsingWithAndWithoutPatterns) {
  EXPECT_EQ(Eval("to_timestamp", {Str("2016-12-31 00:12:00")}), "2016-12-31 00:12:00");
  EXPECT_EQ(Eval("to_timestamp", {Str("2016-12-31"), Str("yyyy-MM-dd")}), "2016-12-31 00:00:00");
  EXPECT_EQ(
      Eval("to_timestamp", {Str("31/12/2016 13:05"), Str("dd/MM/yyyy HH:mm")}, Zone("+02:00")),
      "2016-12-31 11:05:00");
  EXPECT_EQ(Eval("to_timestamp", {Str("2016-12-31T00:00:00Z")}, Zone("America/Los_Angeles")),
            "2016-12-31 00:00:00");
  EXPECT_EQ(Eval("to_timestamp", {Str("not a time")}), "NULL");
  EvalContext ansi;
  ansi.ansi = true;
  EXPECT_NE(Eval("to_timestamp", {Str("not a time")}, ansi).find("[CANNOT_PARSE_TIMESTAMP]"),
            std::string::npos);
  EXPECT_EQ(Eval("try_to_timestamp", {Str("not a time")}, ansi), "NULL");
  EXPECT_EQ(Eval("to_date", {Str("2009-07-30 04:17:52")}), "2009-07-30");
  EXPECT_EQ(Eval("to_date", {Str("2016-12-31"), Str("yyyy-MM-dd")}), "2016-12-31");
  EXPECT_EQ(Eval("to_date", {Str("12/31/2016"), Str("yyyy-MM-dd")}), "NULL");
  EXPECT_EQ(Eval("to_date", {Date("2016-12-31")}), "2016-12-31");
  EXPECT_NE(Eval("to_timestamp", {Str("2016"), Str("yyyy-qq")}).find("INVALID_DATETIME_PATTERN"),
            std::string::npos);
}

TEST(DatetimeFunctionsTest, UnixTimeConversions) {
  const EvalContext la = Zone("America/Los_Angeles");
  EXPECT_EQ(Eval("unix_timestamp", {Str("2016-04-08"), Str("yyyy-MM-dd")}, la), "1460098800");
  EXPECT_EQ(Eval("to_unix_timestamp", {Str("2016-04-08"), Str("yyyy-MM-dd")}, la), "1460098800");
  EXPECT_EQ(Eval("unix_timestamp", {Str("2016-04-08 00:00:00")}), "1460073600");
  EXPECT_EQ(Eval("unix_timestamp", {Str("garbage")}), "NULL");
  EXPECT_EQ(Eval("from_unixtime", {MakeLongScalar(0), Str("yyyy-MM-dd HH:mm:ss")}, la),
            "1969-12-31 16:00:00");
  EXPECT_EQ(Eval("from_unixtime", {MakeLongScalar(0)}), "1970-01-01 00:00:00");
  EXPECT_EQ(Eval("timestamp_seconds", {MakeLongScalar(1230219000)}), "2008-12-25 15:30:00");
  EXPECT_EQ(Eval("timestamp_seconds", {MakeDoubleScalar(1230219000.123)}),
            "2008-12-25 15:30:00.123");
  EXPECT_EQ(Eval("timestamp_millis", {MakeLongScalar(1230219000123)}), "2008-12-25 15:30:00.123");
  EXPECT_EQ(Eval("timestamp_micros", {MakeLongScalar(1230219000123123)}),
            "2008-12-25 15:30:00.123123");
  EXPECT_EQ(Eval("unix_seconds", {Ts("1970-01-01 00:00:01Z")}), "1");
  EXPECT_EQ(Eval("unix_millis", {Ts("1970-01-01 00:00:01Z")}), "1000");
  EXPECT_EQ(Eval("unix_micros", {Ts("1969-12-31 23:59:59.999999")}), "-1");
  EXPECT_EQ(Eval("unix_seconds", {Ts("1969-12-31 23:59:59.5")}), "-1");
}

TEST(DatetimeFunctionsTest, DateFormatUsesJavaPatternsInTheSessionZone) {
  EXPECT_EQ(Eval("date_format", {Ts("2016-04-08 00:00:00"), Str("y")}), "2016");
  VectorPtr ts = Ts("2024-07-04 15:05:09.123");
  EXPECT_EQ(Eval("date_format", {ts, Str("yyyy-MM-dd HH:mm:ss.SSS")}), "2024-07-04 15:05:09.123");
  EXPECT_EQ(Eval("date_format", {ts, Str("EEE, MMM d yyyy h:mm a")}), "Thu, Jul 4 2024 3:05 PM");
  EXPECT_EQ(Eval("date_format", {ts, Str("HH:mm")}, Zone("Asia/Kolkata")), "20:35");
  EXPECT_EQ(Eval("date_format", {MakeNullScalar(TimestampType()), Str("HH")}), "NULL");
}

TEST(DatetimeFunctionsTest, CurrentTimeReadsTheQueryStart) {
  EvalContext ctx = Zone("Asia/Tokyo");
  int64_t now = 0;
  ASSERT_TRUE(ParseTimestamp("2024-05-01 20:00:00", &now));
  ctx.now_micros = now;
  EXPECT_EQ(Eval("current_timestamp", {}, ctx), "2024-05-01 20:00:00");
  EXPECT_EQ(Eval("now", {}, ctx), "2024-05-01 20:00:00");
  EXPECT_EQ(Eval("current_date", {}, ctx), "2024-05-02");
  EXPECT_EQ(Eval("localtimestamp", {}, ctx), "2024-05-02 05:00:00");
  EXPECT_EQ(Eval("unix_timestamp", {}, ctx), std::to_string(now / 1000000));
}

TEST(DatetimeFunctionsTest, AddIntervalFollowsSparkCalendarRules) {
  EXPECT_EQ(Eval("add_interval", {Date("2024-01-31"), Int(1), Int(0), MakeLongScalar(0)}),
            "2024-02-29");
  // Across the spring-forward gap: one calendar day is 23 hours.
  EXPECT_EQ(Eval("add_interval", {Ts("2024-03-09 20:00:00"), Int(0), Int(1), MakeLongScalar(0)},
                 Zone("America/Los_Angeles")),
            "2024-03-10 19:00:00");
  EXPECT_EQ(
      Eval("add_interval", {Ts("2024-01-31 10:00:00"), Int(1), Int(1), MakeLongScalar(3600000000)}),
      "2024-03-01 11:00:00");
}

TEST(DatetimeFunctionsTest, TumblingAndSlidingWindows) {
  EXPECT_EQ(Eval("window", {Ts("2021-01-01 00:03:00"), Str("5 minutes")}),
            "{2021-01-01 00:00:00, 2021-01-01 00:05:00}");
  EXPECT_EQ(
      Eval("window", {Ts("2021-01-01 00:03:00"), Str("1 hour"), Str("1 hour"), Str("10 minutes")}),
      "{2020-12-31 23:10:00, 2021-01-01 00:10:00}");
  EXPECT_NE(Eval("window", {Ts("2021-01-01 00:03:00"), Str("5 parsecs")}).find("INVALID_INTERVAL"),
            std::string::npos);
  const FunctionEntry* entry = FunctionRegistry::Default().Find("sliding_window");
  ASSERT_NE(entry, nullptr);
  std::vector<ExprPtr> args = {Expression::Column(0, TimestampType()),
                               Expression::Literal(Str("10 minutes")),
                               Expression::Literal(Str("5 minutes"))};
  BindContext bind;
  Result<BoundGenerator> generator = entry->generator(args, bind);
  ASSERT_TRUE(generator.ok()) << generator.status().ToString();
  VectorPtr ts = test_util::Timestamps({1609459380000000, std::nullopt});  // 00:03
  Result<GeneratorOutput> output =
      generator->generate({ts, Str("10 minutes"), Str("5 minutes")}, 2, {});
  ASSERT_TRUE(output.ok());
  EXPECT_EQ(output->source_rows, (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(Cells(output->columns[0]),
            "{2020-12-31 23:55:00, 2021-01-01 00:05:00} | {2021-01-01 00:00:00, 2021-01-01 "
            "00:10:00}");
}

}  // namespace
}  // namespace sluice::expr

namespace sluice::expr {
namespace {

TEST(DatetimeFunctionsTest, ExtractAndDatePartFields) {
  // Spark docs: date_part('YEAR', TIMESTAMP '2019-08-12 01:00:00.123456') -> 2019, ...
  int64_t micros = 0;
  ASSERT_TRUE(ParseTimestamp("2019-08-12 01:00:00.123456", &micros));
  VectorPtr ts = MakeTimestampScalar(micros);
  auto part = [&](std::string_view field, const VectorPtr& source) {
    return test_util::Eval("date_part", {MakeStringScalar(field), source});
  };
  EXPECT_EQ(part("YEAR", ts), "2019");
  EXPECT_EQ(part("week", ts), "33");
  EXPECT_EQ(part("doy", MakeDateScalar(DaysFromCivil(2019, 8, 12))), "224");
  EXPECT_EQ(part("SECONDS", ts), "0.123456");
  EXPECT_EQ(part("dow", ts), "2");
  EXPECT_EQ(part("DAYOFWEEK_ISO", ts), "1");
  EXPECT_EQ(part("HOUR", ts), "1");
  EXPECT_EQ(test_util::Eval("extract", {MakeStringScalar("MONTH"), ts}), "8");
  EXPECT_NE(part("fortnight", ts).find("[INVALID_EXTRACT_FIELD]"), std::string::npos);
}

}  // namespace
}  // namespace sluice::expr

namespace sluice::expr {
namespace {

TEST(DatetimeFunctionsTest, PatternLettersForDayOfYearQuarterAndHourStyles) {
  int64_t micros = 0;
  ASSERT_TRUE(ParseTimestamp("2024-07-04 00:05:09", &micros));
  VectorPtr ts = MakeTimestampScalar(micros);
  auto format = [&](std::string_view pattern) {
    return test_util::Eval("date_format", {ts, MakeStringScalar(pattern)});
  };
  EXPECT_EQ(format("D"), "186");
  EXPECT_EQ(format("DDD"), "186");
  EXPECT_EQ(format("Q QQ QQQ QQQQ"), "3 03 Q3 3rd quarter");
  EXPECT_EQ(format("kk:mm K a"), "24:05 0 AM");
  EXPECT_EQ(format("LLL"), "Jul");
  EXPECT_EQ(test_util::Eval("to_date", {MakeStringScalar("2024-186"), MakeStringScalar("yyyy-D")}),
            "2024-07-04");
  EXPECT_EQ(test_util::Eval("to_date", {MakeStringScalar("2023-366"), MakeStringScalar("yyyy-D")}),
            "NULL");
  EXPECT_EQ(test_util::Eval("to_timestamp", {MakeStringScalar("2024-07-04 24:05"),
                                             MakeStringScalar("yyyy-MM-dd kk:mm")}),
            "2024-07-04 00:05:00");
}

}  // namespace
}  // namespace sluice::expr
