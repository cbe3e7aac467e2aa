// SPDX-License-Identifier: Apache-2.0
// Date/time fields, date arithmetic, epoch conversions and zone shifts.
#include "types/datetime.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "common/ascii.h"
#include "expr/builtins.h"
#include "expr/functions/datetime_internal.h"
#include "expr/functions/more_util.h"
#include "types/decimal.h"

namespace sluice::expr::datetime {

Result<TimeZonePtr> SessionZone(const EvalContext& ctx) {
  return TimeZone::Find(ctx.time_zone);
}

Status CheckArity(std::string_view name, const std::vector<ExprPtr>& args, size_t min, size_t max) {
  if (args.size() >= min && args.size() <= max) {
    return Status::Ok();
  }
  return more::WrongNumArgs(
      name, min == max ? std::to_string(min) : fmt::format("[{}, {}]", min, max), args.size());
}

Result<TypePtr> ExpectArg(const BindContext& ctx, const std::vector<ExprPtr>& args, int index,
                          Arg kind) {
  const TypePtr& type = args[index]->type();
  const TypeId id = type->id();
  const bool is_null = id == TypeId::kNull;
  const bool is_string = id == TypeId::kString;
  const bool is_datetime =
      id == TypeId::kDate || id == TypeId::kTimestamp || id == TypeId::kTimestampNtz;
  switch (kind) {
    case Arg::kDate:
      if (is_null || is_string || is_datetime) {
        return DateType();
      }
      return more::UnexpectedType(ctx, index, "\"DATE\"", args[index]);
    case Arg::kTimestamp:
      if (is_null || is_string || is_datetime) {
        return TimestampType();
      }
      return more::UnexpectedType(ctx, index, "\"TIMESTAMP\"", args[index]);
    case Arg::kInt:  // numbers cast implicitly (ImplicitTypeCasts), strings outside ANSI
      if (is_null || type->is_numeric() || (is_string && !ctx.ansi)) {
        return IntType();
      }
      return more::UnexpectedType(ctx, index, "\"INT\"", args[index]);
    case Arg::kLong:
      if (is_null || type->is_numeric() || (is_string && !ctx.ansi)) {
        return LongType();
      }
      return more::UnexpectedType(ctx, index, "\"BIGINT\"", args[index]);
    case Arg::kString:
      if (!type->is_nested() && id != TypeId::kBinary && id != TypeId::kVariant) {
        return StringType();
      }
      return more::UnexpectedType(ctx, index, "\"STRING\"", args[index]);
    case Arg::kDecimalSeconds:
      if (is_null || type->is_numeric() || (is_string && !ctx.ansi)) {
        return DecimalType(16, 6);
      }
      return more::UnexpectedType(ctx, index, "\"DECIMAL(16,6)\"", args[index]);
  }
  return Status::Internal("unknown argument kind");
}

namespace {

using more::ArgRow;

/// A binder for a function of fixed argument kinds (the last `kinds.size() - min_args`
/// optional) and a fixed return type.
ScalarBinder Fixed(std::string name, std::vector<Arg> kinds, size_t min_args, TypePtr ret,
                   ScalarKernel kernel) {
  return [name, kinds, min_args, ret, kernel](
             const std::vector<ExprPtr>& args,
             const BindContext& ctx) -> Result<BoundScalarFunction> {
    SLUICE_RETURN_IF_ERROR(CheckArity(name, args, min_args, kinds.size()));
    std::vector<TypePtr> types;
    for (size_t i = 0; i < args.size(); ++i) {
      SLUICE_ASSIGN_OR_RETURN(TypePtr type, ExpectArg(ctx, args, static_cast<int>(i), kinds[i]));
      types.push_back(std::move(type));
    }
    return more::MakeScalar(name, ret, std::move(types), kernel);
  };
}

bool IsLeap(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}
int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

struct Civil {
  int64_t year = 0;
  int month = 0;
  int day = 0;
};
Civil ToCivil(int64_t days) {
  Civil c;
  CivilFromDays(static_cast<int32_t>(days), &c.year, &c.month, &c.day);
  return c;
}

// Day of week with Monday = 0.
int WeekdayMonday0(int64_t days) {
  return static_cast<int>(FloorMod(days + 3, 7));
}

int IsoWeek(int64_t days) {
  const int64_t thursday = days - WeekdayMonday0(days) + 3;
  const Civil c = ToCivil(thursday);
  return static_cast<int>((thursday - DaysFromCivil(c.year, 1, 1)) / 7 + 1);
}

using DateFn = int32_t (*)(int64_t days);

ScalarKernel DateFieldKernel(DateFn fn) {
  return [fn](const std::vector<VectorPtr>& args, int64_t num_rows,
              const EvalContext&) -> Result<VectorPtr> {
    const Vector& date = *args[0];
    return more::MapRows<int32_t>(IntType(), args, num_rows, [&](int64_t r, Status*) {
      return std::optional<int32_t>(fn(date.Value<int32_t>(ArgRow(date, r))));
    });
  };
}

using TimeFn = int32_t (*)(int64_t micros_of_day);

ScalarKernel TimeFieldKernel(TimeFn fn) {
  return [fn](const std::vector<VectorPtr>& args, int64_t num_rows,
              const EvalContext& ctx) -> Result<VectorPtr> {
    SLUICE_ASSIGN_OR_RETURN(TimeZonePtr zone, SessionZone(ctx));
    const Vector& ts = *args[0];
    return more::MapRows<int32_t>(IntType(), args, num_rows, [&](int64_t r, Status*) {
      const int64_t local = zone->UtcToLocal(ts.Value<int64_t>(ArgRow(ts, r)));
      return std::optional<int32_t>(fn(FloorMod(local, kMicrosPerDay)));
    });
  };
}

int32_t AddMonthsToDays(int64_t days, int64_t months) {
  const Civil c = ToCivil(days);
  const int64_t total = c.year * 12 + (c.month - 1) + months;
  const int64_t year = FloorDiv(total, 12);
  const int month = static_cast<int>(FloorMod(total, 12)) + 1;
  return DaysFromCivil(year, month, std::min(c.day, DaysInMonth(year, month)));
}

template <typename Fn>
ScalarKernel DatePlusInt(Fn fn) {
  return [fn](const std::vector<VectorPtr>& args, int64_t num_rows,
              const EvalContext&) -> Result<VectorPtr> {
    const Vector& date = *args[0];
    const Vector& n = *args[1];
    return more::MapRows<int32_t>(DateType(), args, num_rows, [&](int64_t r, Status*) {
      return std::optional<int32_t>(
          fn(date.Value<int32_t>(ArgRow(date, r)), n.Value<int32_t>(ArgRow(n, r))));
    });
  };
}

// Spark's DayOfWeek parsing for next_day: SU, SUN, SUNDAY, ... (any case); Monday = 0.
int ParseDayOfWeek(std::string_view text) {
  static constexpr std::string_view kNames[] = {"MONDAY", "TUESDAY",  "WEDNESDAY", "THURSDAY",
                                                "FRIDAY", "SATURDAY", "SUNDAY"};
  const std::string upper = [&] {
    std::string s(text);
    for (char& c : s) {
      c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    }
    return s;
  }();
  for (int i = 0; i < 7; ++i) {
    if (upper == kNames[i] || upper == kNames[i].substr(0, 3) || upper == kNames[i].substr(0, 2)) {
      return i;
    }
  }
  return -1;
}

Result<VectorPtr> NextDay(const std::vector<VectorPtr>& args, int64_t num_rows,
                          const EvalContext& ctx) {
  const Vector& date = *args[0];
  const Vector& name = *args[1];
  return more::MapRows<int32_t>(
      DateType(), args, num_rows, [&](int64_t r, Status* error) -> std::optional<int32_t> {
        const std::string_view text = name.StringValue(ArgRow(name, r));
        const int target = ParseDayOfWeek(text);
        if (target < 0) {
          if (ctx.ansi) {
            *error = Status::InvalidArgument(
                fmt::format("[ILLEGAL_DAY_OF_WEEK] Illegal input for day of week: {}.", text));
          }
          return std::nullopt;
        }
        const int64_t days = date.Value<int32_t>(ArgRow(date, r));
        const int delta = (target - WeekdayMonday0(days) + 7) % 7;
        return static_cast<int32_t>(days + (delta == 0 ? 7 : delta));
      });
}

Result<VectorPtr> MakeDate(const std::vector<VectorPtr>& args, int64_t num_rows,
                           const EvalContext& ctx) {
  return more::MapRows<int32_t>(
      DateType(), args, num_rows, [&](int64_t r, Status* error) -> std::optional<int32_t> {
        const int64_t year = args[0]->Value<int32_t>(ArgRow(*args[0], r));
        const int64_t month = args[1]->Value<int32_t>(ArgRow(*args[1], r));
        const int64_t day = args[2]->Value<int32_t>(ArgRow(*args[2], r));
        if (year < -290000 || year > 290000 || month < 1 || month > 12 || day < 1 ||
            day > DaysInMonth(year, static_cast<int>(month))) {
          if (ctx.ansi) {
            *error = Status::InvalidArgument(fmt::format(
                "[DATETIME_FIELD_OUT_OF_BOUNDS] Invalid date: {}-{}-{}. If necessary set "
                "\"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
                year, month, day));
          }
          return std::nullopt;
        }
        return DaysFromCivil(year, static_cast<int>(month), static_cast<int>(day));
      });
}

Result<VectorPtr> MakeTimestamp(const std::vector<VectorPtr>& args, int64_t num_rows,
                                const EvalContext& ctx) {
  SLUICE_ASSIGN_OR_RETURN(TimeZonePtr session, SessionZone(ctx));
  ZoneCache zones;
  return more::MapRows<int64_t>(
      TimestampType(), args, num_rows, [&](int64_t r, Status*) -> std::optional<int64_t> {
        int64_t field[5];
        for (int i = 0; i < 5; ++i) {
          field[i] = args[i]->Value<int32_t>(ArgRow(*args[i], r));
        }
        const Int128 seconds = args[5]->DecimalValue(ArgRow(*args[5], r));  // scale 6
        if (field[1] < 1 || field[1] > 12 || field[2] < 1 || field[0] < -290000 ||
            field[0] > 290000 || field[2] > DaysInMonth(field[0], static_cast<int>(field[1])) ||
            field[3] < 0 || field[3] > 23 || field[4] < 0 || field[4] > 59 || seconds < 0 ||
            seconds > 60 * Int128{kMicrosPerSecond} ||
            (seconds >= 60 * Int128{kMicrosPerSecond} && seconds % kMicrosPerSecond != 0)) {
          return std::nullopt;
        }
        const TimeZone* zone = session.get();
        if (args.size() > 6) {
          zone = zones.Get(args[6]->StringValue(ArgRow(*args[6], r)));
          if (zone == nullptr) {
            return std::nullopt;
          }
        }
        const int64_t days =
            DaysFromCivil(field[0], static_cast<int>(field[1]), static_cast<int>(field[2]));
        const int64_t local = days * kMicrosPerDay +
                              (field[3] * 3600 + field[4] * 60) * kMicrosPerSecond +
                              static_cast<int64_t>(seconds);
        return zone->LocalToUtc(local);
      });
}

double MonthsBetween(int64_t local1, int64_t local2, bool round_off) {
  const int64_t days1 = FloorDiv(local1, kMicrosPerDay);
  const int64_t days2 = FloorDiv(local2, kMicrosPerDay);
  const Civil c1 = ToCivil(days1);
  const Civil c2 = ToCivil(days2);
  const double month_diff =
      static_cast<double>((c1.year * 12 + c1.month) - (c2.year * 12 + c2.month));
  const bool last1 = c1.day == DaysInMonth(c1.year, c1.month);
  const bool last2 = c2.day == DaysInMonth(c2.year, c2.month);
  if (c1.day == c2.day || (last1 && last2)) {
    return month_diff;
  }
  const int64_t seconds1 = FloorMod(local1, kMicrosPerDay) / kMicrosPerSecond;
  const int64_t seconds2 = FloorMod(local2, kMicrosPerDay) / kMicrosPerSecond;
  const int64_t seconds_diff = int64_t{c1.day - c2.day} * 86400 + seconds1 - seconds2;
  const double diff = month_diff + static_cast<double>(seconds_diff) / (31.0 * 86400);
  return round_off ? std::floor(diff * 1e8 + 0.5) / 1e8 : diff;
}

Result<VectorPtr> MonthsBetweenKernel(const std::vector<VectorPtr>& args, int64_t num_rows,
                                      const EvalContext& ctx) {
  SLUICE_ASSIGN_OR_RETURN(TimeZonePtr zone, SessionZone(ctx));
  return more::MapRows<double>(DoubleType(), args, num_rows, [&](int64_t r, Status*) {
    const int64_t t1 = zone->UtcToLocal(args[0]->Value<int64_t>(ArgRow(*args[0], r)));
    const int64_t t2 = zone->UtcToLocal(args[1]->Value<int64_t>(ArgRow(*args[1], r)));
    const bool round_off = args.size() < 3 || args[2]->BoolValue(ArgRow(*args[2], r));
    return std::optional<double>(MonthsBetween(t1, t2, round_off));
  });
}

Result<BoundScalarFunction> BindMonthsBetween(const std::vector<ExprPtr>& args,
                                              const BindContext& ctx) {
  SLUICE_RETURN_IF_ERROR(CheckArity("months_between", args, 2, 3));
  std::vector<TypePtr> types;
  for (int i = 0; i < 2; ++i) {
    SLUICE_ASSIGN_OR_RETURN(TypePtr type, ExpectArg(ctx, args, i, Arg::kTimestamp));
    types.push_back(type);
  }
  if (args.size() == 3) {
    if (args[2]->type()->id() != TypeId::kBoolean) {
      return more::UnexpectedType(ctx, 2, "\"BOOLEAN\"", args[2]);
    }
    types.push_back(BooleanType());
  }
  return more::MakeScalar("months_between", DoubleType(), types, MonthsBetweenKernel);
}

// from_utc_timestamp / to_utc_timestamp: shift between UTC wall time and `zone` wall time.
ScalarKernel ZoneShiftKernel(bool from_utc) {
  return [from_utc](const std::vector<VectorPtr>& args, int64_t num_rows,
                    const EvalContext&) -> Result<VectorPtr> {
    ZoneCache zones;
    return more::MapRows<int64_t>(
        TimestampType(), args, num_rows, [&](int64_t r, Status*) -> std::optional<int64_t> {
          const TimeZone* zone = zones.Get(args[1]->StringValue(ArgRow(*args[1], r)));
          if (zone == nullptr) {
            return std::nullopt;
          }
          const int64_t micros = args[0]->Value<int64_t>(ArgRow(*args[0], r));
          return from_utc ? zone->UtcToLocal(micros) : zone->LocalToUtc(micros);
        });
  };
}

// Truncation of local micros to `unit`; false for an unknown unit.
bool TruncateLocal(std::string_view unit_text, int64_t* local) {
  const std::string unit = ToLowerAscii(unit_text);
  const int64_t days = FloorDiv(*local, kMicrosPerDay);
  const Civil c = ToCivil(days);
  if (unit == "year" || unit == "yyyy" || unit == "yy") {
    *local = int64_t{DaysFromCivil(c.year, 1, 1)} * kMicrosPerDay;
  } else if (unit == "quarter") {
    *local = int64_t{DaysFromCivil(c.year, (c.month - 1) / 3 * 3 + 1, 1)} * kMicrosPerDay;
  } else if (unit == "month" || unit == "mm" || unit == "mon") {
    *local = int64_t{DaysFromCivil(c.year, c.month, 1)} * kMicrosPerDay;
  } else if (unit == "week") {
    *local = (days - WeekdayMonday0(days)) * kMicrosPerDay;
  } else if (unit == "day" || unit == "dd") {
    *local = days * kMicrosPerDay;
  } else if (unit == "hour") {
    *local -= FloorMod(*local, 3600 * kMicrosPerSecond);
  } else if (unit == "minute") {
    *local -= FloorMod(*local, 60 * kMicrosPerSecond);
  } else if (unit == "second") {
    *local -= FloorMod(*local, kMicrosPerSecond);
  } else if (unit == "millisecond") {
    *local -= FloorMod(*local, 1000);
  } else if (unit != "microsecond") {
    return false;
  }
  return true;
}

Result<VectorPtr> DateTrunc(const std::vector<VectorPtr>& args, int64_t num_rows,
                            const EvalContext& ctx) {
  SLUICE_ASSIGN_OR_RETURN(TimeZonePtr zone, SessionZone(ctx));
  return more::MapRows<int64_t>(
      TimestampType(), args, num_rows, [&](int64_t r, Status*) -> std::optional<int64_t> {
        int64_t local = zone->UtcToLocal(args[1]->Value<int64_t>(ArgRow(*args[1], r)));
        if (!TruncateLocal(args[0]->StringValue(ArgRow(*args[0], r)), &local)) {
          return std::nullopt;
        }
        return zone->LocalToUtc(local);
      });
}

Result<VectorPtr> Trunc(const std::vector<VectorPtr>& args, int64_t num_rows, const EvalContext&) {
  return more::MapRows<int32_t>(
      DateType(), args, num_rows, [&](int64_t r, Status*) -> std::optional<int32_t> {
        const std::string unit = ToLowerAscii(args[1]->StringValue(ArgRow(*args[1], r)));
        if (unit != "year" && unit != "yyyy" && unit != "yy" && unit != "quarter" &&
            unit != "month" && unit != "mm" && unit != "mon" && unit != "week") {
          return std::nullopt;
        }
        int64_t local = int64_t{args[0]->Value<int32_t>(ArgRow(*args[0], r))} * kMicrosPerDay;
        TruncateLocal(unit, &local);
        return static_cast<int32_t>(FloorDiv(local, kMicrosPerDay));
      });
}

// timestamp_seconds / _millis / _micros of integral input.
ScalarKernel FromEpochKernel(int64_t micros_per_unit) {
  return [micros_per_unit](const std::vector<VectorPtr>& args, int64_t num_rows,
                           const EvalContext& ctx) -> Result<VectorPtr> {
    return more::MapRows<int64_t>(
        TimestampType(), args, num_rows, [&](int64_t r, Status* error) -> std::optional<int64_t> {
          const int64_t value = args[0]->Value<int64_t>(ArgRow(*args[0], r));
          int64_t micros = 0;
          if (__builtin_mul_overflow(value, micros_per_unit, &micros)) {
            if (ctx.ansi) {
              *error = Status::InvalidArgument(
                  "[ARITHMETIC_OVERFLOW] long overflow. If necessary set "
                  "\"spark.sql.ansi.enabled\" to \"false\" to bypass this error.");
            }
            return std::nullopt;
          }
          return micros;
        });
  };
}

Result<BoundScalarFunction> BindTimestampSeconds(const std::vector<ExprPtr>& args,
                                                 const BindContext& ctx) {
  SLUICE_RETURN_IF_ERROR(CheckArity("timestamp_seconds", args, 1, 1));
  const TypePtr& type = args[0]->type();
  if (type->is_integral() || type->id() == TypeId::kNull) {
    return more::MakeScalar("timestamp_seconds", TimestampType(), {LongType()},
                            FromEpochKernel(kMicrosPerSecond));
  }
  if (!type->is_numeric()) {
    return more::UnexpectedType(ctx, 0, "\"NUMERIC\"", args[0]);
  }
  return more::MakeScalar(
      "timestamp_seconds", TimestampType(), {DoubleType()},
      [](const std::vector<VectorPtr>& in, int64_t num_rows,
         const EvalContext&) -> Result<VectorPtr> {
        return more::MapRows<int64_t>(
            TimestampType(), in, num_rows, [&](int64_t r, Status*) -> std::optional<int64_t> {
              const double micros = in[0]->Value<double>(ArgRow(*in[0], r)) * 1e6;
              if (!std::isfinite(micros) || std::fabs(micros) >= 9.2e18) {
                return std::nullopt;
              }
              return static_cast<int64_t>(micros);
            });
      });
}

ScalarKernel ToEpochKernel(int64_t micros_per_unit) {
  return [micros_per_unit](const std::vector<VectorPtr>& args, int64_t num_rows,
                           const EvalContext&) -> Result<VectorPtr> {
    return more::MapRows<int64_t>(LongType(), args, num_rows, [&](int64_t r, Status*) {
      return std::optional<int64_t>(
          FloorDiv(args[0]->Value<int64_t>(ArgRow(*args[0], r)), micros_per_unit));
    });
  };
}

ScalarBinder NowBinder(std::string name, TypeId result) {
  return [name, result](const std::vector<ExprPtr>& args,
                        const BindContext&) -> Result<BoundScalarFunction> {
    SLUICE_RETURN_IF_ERROR(CheckArity(name, args, 0, 0));
    TypePtr type = result == TypeId::kDate        ? DateType()
                   : result == TypeId::kTimestamp ? TimestampType()
                                                  : TimestampNtzType();
    return more::MakeScalar(
        name, type, {},
        [result](const std::vector<VectorPtr>&, int64_t num_rows,
                 const EvalContext& ctx) -> Result<VectorPtr> {
          SLUICE_ASSIGN_OR_RETURN(TimeZonePtr zone, SessionZone(ctx));
          const int64_t local = zone->UtcToLocal(ctx.now_micros);
          if (result == TypeId::kDate) {
            Int32Builder builder(DateType());
            for (int64_t r = 0; r < num_rows; ++r) {
              builder.Append(static_cast<int32_t>(FloorDiv(local, kMicrosPerDay)));
            }
            return builder.Finish();
          }
          Int64Builder builder(result == TypeId::kTimestamp ? TimestampType() : TimestampNtzType());
          for (int64_t r = 0; r < num_rows; ++r) {
            builder.Append(result == TypeId::kTimestamp ? ctx.now_micros : local);
          }
          return builder.Finish();
        });
  };
}

int32_t YearOf(int64_t d) {
  return static_cast<int32_t>(ToCivil(d).year);
}
int32_t QuarterOf(int64_t d) {
  return (ToCivil(d).month - 1) / 3 + 1;
}
int32_t MonthOf(int64_t d) {
  return ToCivil(d).month;
}
int32_t DayOf(int64_t d) {
  return ToCivil(d).day;
}
int32_t DayOfWeekOf(int64_t d) {
  return (WeekdayMonday0(d) + 1) % 7 + 1;
}
int32_t WeekdayOf(int64_t d) {
  return WeekdayMonday0(d);
}
int32_t IsoDayOfWeekOf(int64_t d) {
  return WeekdayMonday0(d) + 1;
}
int32_t DayOfYearOf(int64_t d) {
  return static_cast<int32_t>(d - DaysFromCivil(ToCivil(d).year, 1, 1) + 1);
}
int32_t WeekOfYearOf(int64_t d) {
  return IsoWeek(d);
}
int32_t YearOfWeekOf(int64_t d) {
  return YearOf(d - WeekdayMonday0(d) + 3);  // the year of the ISO week's Thursday
}
int32_t HourOf(int64_t m) {
  return static_cast<int32_t>(m / (3600 * kMicrosPerSecond));
}
int32_t MinuteOf(int64_t m) {
  return static_cast<int32_t>(m / (60 * kMicrosPerSecond) % 60);
}
int32_t SecondOf(int64_t m) {
  return static_cast<int32_t>(m / kMicrosPerSecond % 60);
}

// A date field of a timestamp, read in the session zone.
ScalarKernel DateFieldOfTimestampKernel(DateFn fn) {
  return [fn](const std::vector<VectorPtr>& args, int64_t num_rows,
              const EvalContext& ctx) -> Result<VectorPtr> {
    SLUICE_ASSIGN_OR_RETURN(TimeZonePtr zone, SessionZone(ctx));
    const Vector& ts = *args[0];
    return more::MapRows<int32_t>(IntType(), args, num_rows, [&](int64_t r, Status*) {
      const int64_t local = zone->UtcToLocal(ts.Value<int64_t>(ArgRow(ts, r)));
      return std::optional<int32_t>(fn(FloorDiv(local, kMicrosPerDay)));
    });
  };
}

// extract(field FROM source) / date_part(field, source), as Spark's DatePart.
Result<BoundScalarFunction> BindDatePart(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  SLUICE_RETURN_IF_ERROR(CheckArity("date_part", args, 2, 2));
  std::string field;
  bool is_null = false;
  if (!more::LiteralString(args[0], &field, &is_null) || is_null) {
    return more::NonFoldable(ctx, "`field`", "STRING", args[0]);
  }
  const std::string upper = [&] {
    std::string text = ToLowerAscii(field);
    for (char& c : text) {
      c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    }
    return text;
  }();
  auto is = [&](std::initializer_list<std::string_view> names) {
    for (std::string_view name : names) {
      if (upper == name) {
        return true;
      }
    }
    return false;
  };
  DateFn date_fn = nullptr;
  TimeFn time_fn = nullptr;
  bool seconds = false;
  if (is({"YEAR", "Y", "YEARS", "YR", "YRS"})) {
    date_fn = YearOf;
  } else if (is({"YEAROFWEEK"})) {
    date_fn = YearOfWeekOf;
  } else if (is({"QUARTER", "QTR"})) {
    date_fn = QuarterOf;
  } else if (is({"MONTH", "MON", "MONS", "MONTHS"})) {
    date_fn = MonthOf;
  } else if (is({"WEEK", "W", "WEEKS"})) {
    date_fn = WeekOfYearOf;
  } else if (is({"DAY", "D", "DAYS"})) {
    date_fn = DayOf;
  } else if (is({"DAYOFWEEK", "DOW"})) {
    date_fn = DayOfWeekOf;
  } else if (is({"DAYOFWEEK_ISO", "DOW_ISO"})) {
    date_fn = IsoDayOfWeekOf;
  } else if (is({"DOY"})) {
    date_fn = DayOfYearOf;
  } else if (is({"HOUR", "H", "HOURS", "HR", "HRS"})) {
    time_fn = HourOf;
  } else if (is({"MINUTE", "M", "MIN", "MINS", "MINUTES"})) {
    time_fn = MinuteOf;
  } else if (is({"SECOND", "S", "SEC", "SECONDS", "SECS"})) {
    seconds = true;
  } else {
    return Status::BindError(fmt::format("[INVALID_EXTRACT_FIELD] Cannot extract {} from {}.",
                                         field, more::ArgSql(args[1])));
  }
  const TypeId source = args[1]->type()->id();
  if (date_fn != nullptr && source == TypeId::kDate) {
    return more::MakeScalar(
        "date_part", IntType(), {StringType(), DateType()},
        [kernel = DateFieldKernel(date_fn)](const std::vector<VectorPtr>& in, int64_t num_rows,
                                            const EvalContext& ectx) {
          return kernel({in[1]}, num_rows, ectx);
        });
  }
  SLUICE_ASSIGN_OR_RETURN(TypePtr type, ExpectArg(ctx, args, 1, Arg::kTimestamp));
  ScalarKernel kernel;
  TypePtr result = IntType();
  if (date_fn != nullptr) {
    kernel = DateFieldOfTimestampKernel(date_fn);
  } else if (time_fn != nullptr) {
    kernel = TimeFieldKernel(time_fn);
  } else if (seconds) {
    result = DecimalType(8, 6);
    kernel = [](const std::vector<VectorPtr>& in, int64_t num_rows,
                const EvalContext& ectx) -> Result<VectorPtr> {
      SLUICE_ASSIGN_OR_RETURN(TimeZonePtr zone, SessionZone(ectx));
      const Vector& ts = *in[0];
      return more::MapRows<Int128>(DecimalType(8, 6), in, num_rows, [&](int64_t r, Status*) {
        const int64_t local = zone->UtcToLocal(ts.Value<int64_t>(ArgRow(ts, r)));
        return std::optional<Int128>(FloorMod(local, 60 * kMicrosPerSecond));
      });
    };
  }
  return more::MakeScalar(
      "date_part", result, {StringType(), type},
      [kernel](const std::vector<VectorPtr>& in, int64_t num_rows, const EvalContext& ectx) {
        return kernel({in[1]}, num_rows, ectx);
      });
}

void RegisterFields(FunctionRegistry& registry) {
  auto date_field = [&](std::string name, DateFn fn) {
    registry.AddScalar(name, Fixed(name, {Arg::kDate}, 1, IntType(), DateFieldKernel(fn)));
  };
  date_field("year", YearOf);
  date_field("quarter", QuarterOf);
  date_field("month", MonthOf);
  date_field("day", DayOf);
  registry.AddAlias("dayofmonth", "day");
  date_field("dayofweek", DayOfWeekOf);
  date_field("weekday", WeekdayOf);
  date_field("dayofyear", DayOfYearOf);
  date_field("weekofyear", WeekOfYearOf);
  auto time_field = [&](std::string name, TimeFn fn) {
    registry.AddScalar(name, Fixed(name, {Arg::kTimestamp}, 1, IntType(), TimeFieldKernel(fn)));
  };
  time_field("hour", HourOf);
  time_field("minute", MinuteOf);
  time_field("second", SecondOf);
  registry.AddScalar("date_part", BindDatePart);
  registry.AddAlias("extract", "date_part");
  registry.AddAlias("datepart", "date_part");
}

void RegisterArithmetic(FunctionRegistry& registry) {
  registry.AddScalar(
      "date_add",
      Fixed("date_add", {Arg::kDate, Arg::kInt}, 2, DateType(),
            DatePlusInt([](int64_t d, int64_t n) { return static_cast<int32_t>(d + n); })));
  registry.AddAlias("dateadd", "date_add");
  registry.AddScalar(
      "date_sub",
      Fixed("date_sub", {Arg::kDate, Arg::kInt}, 2, DateType(),
            DatePlusInt([](int64_t d, int64_t n) { return static_cast<int32_t>(d - n); })));
  registry.AddScalar(
      "add_months", Fixed("add_months", {Arg::kDate, Arg::kInt}, 2, DateType(),
                          DatePlusInt([](int64_t d, int64_t n) { return AddMonthsToDays(d, n); })));
  registry.AddScalar(
      "datediff",
      Fixed("datediff", {Arg::kDate, Arg::kDate}, 2, IntType(),
            [](const std::vector<VectorPtr>& args, int64_t num_rows,
               const EvalContext&) -> Result<VectorPtr> {
              return more::MapRows<int32_t>(IntType(), args, num_rows, [&](int64_t r, Status*) {
                return std::optional<int32_t>(args[0]->Value<int32_t>(ArgRow(*args[0], r)) -
                                              args[1]->Value<int32_t>(ArgRow(*args[1], r)));
              });
            }));
  registry.AddScalar(
      "last_day",
      Fixed("last_day", {Arg::kDate}, 1, DateType(),
            [](const std::vector<VectorPtr>& args, int64_t num_rows,
               const EvalContext&) -> Result<VectorPtr> {
              return more::MapRows<int32_t>(DateType(), args, num_rows, [&](int64_t r, Status*) {
                const Civil c = ToCivil(args[0]->Value<int32_t>(ArgRow(*args[0], r)));
                return std::optional<int32_t>(
                    DaysFromCivil(c.year, c.month, DaysInMonth(c.year, c.month)));
              });
            }));
  registry.AddScalar("next_day",
                     Fixed("next_day", {Arg::kDate, Arg::kString}, 2, DateType(), NextDay));
  registry.AddScalar(
      "make_date", Fixed("make_date", {Arg::kInt, Arg::kInt, Arg::kInt}, 3, DateType(), MakeDate));
  registry.AddScalar("make_timestamp", Fixed("make_timestamp",
                                             {Arg::kInt, Arg::kInt, Arg::kInt, Arg::kInt, Arg::kInt,
                                              Arg::kDecimalSeconds, Arg::kString},
                                             6, TimestampType(), MakeTimestamp));
  registry.AddScalar("months_between", BindMonthsBetween);
  registry.AddScalar("from_utc_timestamp",
                     Fixed("from_utc_timestamp", {Arg::kTimestamp, Arg::kString}, 2,
                           TimestampType(), ZoneShiftKernel(true)));
  registry.AddScalar("to_utc_timestamp", Fixed("to_utc_timestamp", {Arg::kTimestamp, Arg::kString},
                                               2, TimestampType(), ZoneShiftKernel(false)));
  registry.AddScalar("date_trunc", Fixed("date_trunc", {Arg::kString, Arg::kTimestamp}, 2,
                                         TimestampType(), DateTrunc));
  registry.AddScalar("trunc", Fixed("trunc", {Arg::kDate, Arg::kString}, 2, DateType(), Trunc));
}

void RegisterEpoch(FunctionRegistry& registry) {
  registry.AddScalar("timestamp_seconds", BindTimestampSeconds);
  registry.AddScalar("timestamp_millis", Fixed("timestamp_millis", {Arg::kLong}, 1, TimestampType(),
                                               FromEpochKernel(1000)));
  registry.AddScalar("timestamp_micros", Fixed("timestamp_micros", {Arg::kLong}, 1, TimestampType(),
                                               FromEpochKernel(1)));
  registry.AddScalar("unix_seconds", Fixed("unix_seconds", {Arg::kTimestamp}, 1, LongType(),
                                           ToEpochKernel(kMicrosPerSecond)));
  registry.AddScalar("unix_millis",
                     Fixed("unix_millis", {Arg::kTimestamp}, 1, LongType(), ToEpochKernel(1000)));
  registry.AddScalar("unix_micros",
                     Fixed("unix_micros", {Arg::kTimestamp}, 1, LongType(), ToEpochKernel(1)));
  registry.AddScalar("current_date", NowBinder("current_date", TypeId::kDate));
  registry.AddAlias("curdate", "current_date");
  registry.AddScalar("current_timestamp", NowBinder("current_timestamp", TypeId::kTimestamp));
  registry.AddScalar("now", NowBinder("now", TypeId::kTimestamp));
  registry.AddScalar("localtimestamp", NowBinder("localtimestamp", TypeId::kTimestampNtz));
  registry.AddScalar(
      "current_timezone",
      [](const std::vector<ExprPtr>& args, const BindContext&) -> Result<BoundScalarFunction> {
        SLUICE_RETURN_IF_ERROR(CheckArity("current_timezone", args, 0, 0));
        return more::MakeScalar("current_timezone", StringType(), {},
                                [](const std::vector<VectorPtr>&, int64_t,
                                   const EvalContext& ctx) -> Result<VectorPtr> {
                                  return MakeStringScalar(ctx.time_zone);
                                });
      });
}

}  // namespace

}  // namespace sluice::expr::datetime

namespace sluice::expr {

void RegisterDatetimeFunctions(FunctionRegistry& registry) {
  datetime::RegisterFields(registry);
  datetime::RegisterArithmetic(registry);
  datetime::RegisterEpoch(registry);
  datetime::RegisterDatetimeFormatFunctions(registry);
  datetime::RegisterDatetimeWindowFunctions(registry);
}

}  // namespace sluice::expr
