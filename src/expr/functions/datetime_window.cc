// SPDX-License-Identifier: Apache-2.0
// Interval arithmetic for the binder (add_interval) and event-time windows: the
// tumbling `window` function and the `sliding_window` generator.
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "common/ascii.h"
#include "expr/functions/datetime_internal.h"
#include "expr/functions/more_util.h"
#include "types/datetime.h"

namespace sluice::expr::datetime {

namespace {

using more::ArgRow;

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// LocalDate.plusMonths(months).plusDays(days).
int64_t PlusMonthsDays(int64_t days, int64_t months, int64_t add_days) {
  if (months != 0) {
    int64_t year = 0;
    int month = 0;
    int day = 0;
    CivilFromDays(static_cast<int32_t>(days), &year, &month, &day);
    const int64_t total = year * 12 + (month - 1) + months;
    year = FloorDiv(total, 12);
    month = static_cast<int>(FloorMod(total, 12)) + 1;
    days = DaysFromCivil(year, month, std::min(day, DaysInMonth(year, month)));
  }
  return days + add_days;
}

Result<BoundScalarFunction> BindAddInterval(const std::vector<ExprPtr>& args,
                                            const BindContext& ctx) {
  SLUICE_RETURN_IF_ERROR(CheckArity("add_interval", args, 4, 4));
  int64_t micros_literal = -1;
  bool micros_null = false;
  const bool zero_micros = more::LiteralInt(args[3], &micros_literal, &micros_null) &&
                           !micros_null && micros_literal == 0;
  const bool date_result = args[0]->type()->id() == TypeId::kDate && zero_micros;
  SLUICE_ASSIGN_OR_RETURN(TypePtr first,
                          ExpectArg(ctx, args, 0, date_result ? Arg::kDate : Arg::kTimestamp));
  SLUICE_ASSIGN_OR_RETURN(TypePtr months_type, ExpectArg(ctx, args, 1, Arg::kInt));
  SLUICE_ASSIGN_OR_RETURN(TypePtr days_type, ExpectArg(ctx, args, 2, Arg::kInt));
  SLUICE_ASSIGN_OR_RETURN(TypePtr micros_type, ExpectArg(ctx, args, 3, Arg::kLong));
  ScalarKernel kernel = [date_result](const std::vector<VectorPtr>& in, int64_t num_rows,
                                      const EvalContext& ectx) -> Result<VectorPtr> {
    auto field = [&](int i, int64_t r) -> int64_t {
      return i == 3 ? in[3]->Value<int64_t>(ArgRow(*in[3], r))
                    : in[i]->Value<int32_t>(ArgRow(*in[i], r));
    };
    if (date_result) {
      return more::MapRows<int32_t>(DateType(), in, num_rows, [&](int64_t r, Status*) {
        return std::optional<int32_t>(
            static_cast<int32_t>(PlusMonthsDays(field(0, r), field(1, r), field(2, r))));
      });
    }
    SLUICE_ASSIGN_OR_RETURN(TimeZonePtr zone, SessionZone(ectx));
    return more::MapRows<int64_t>(TimestampType(), in, num_rows, [&](int64_t r, Status*) {
      int64_t micros = in[0]->Value<int64_t>(ArgRow(*in[0], r));
      const int64_t months = field(1, r);
      const int64_t days = field(2, r);
      if (months != 0 || days != 0) {
        const int64_t local = zone->UtcToLocal(micros);
        const int64_t day = FloorDiv(local, kMicrosPerDay);
        const int64_t shifted =
            PlusMonthsDays(day, months, days) * kMicrosPerDay + FloorMod(local, kMicrosPerDay);
        micros = zone->LocalToUtc(shifted);
      }
      return std::optional<int64_t>(micros + field(3, r));
    });
  };
  return more::MakeScalar("add_interval", date_result ? DateType() : TimestampType(),
                          {first, months_type, days_type, micros_type}, kernel);
}

// Parses a window duration: "5 minutes", "1 hour 30 minutes", "interval 10 seconds".
bool ParseDuration(std::string_view text, int64_t* micros) {
  std::string lower = ToLowerAscii(text);
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < lower.size()) {
    while (pos < lower.size() && lower[pos] == ' ') {
      ++pos;
    }
    size_t end = pos;
    while (end < lower.size() && lower[end] != ' ') {
      ++end;
    }
    if (end > pos) {
      words.push_back(lower.substr(pos, end - pos));
    }
    pos = end;
  }
  size_t i = !words.empty() && words[0] == "interval" ? 1 : 0;
  if (i >= words.size()) {
    return false;
  }
  int64_t total = 0;
  for (; i < words.size(); i += 2) {
    if (i + 1 >= words.size()) {
      return false;
    }
    const std::string& number = words[i];
    int64_t value = 0;
    size_t k = number[0] == '-' || number[0] == '+' ? 1 : 0;
    if (k == number.size()) {
      return false;
    }
    for (; k < number.size(); ++k) {
      if (number[k] < '0' || number[k] > '9' || value > 1000000000000LL) {
        return false;
      }
      value = value * 10 + (number[k] - '0');
    }
    if (number[0] == '-') {
      value = -value;
    }
    std::string unit = words[i + 1];
    if (unit.size() > 1 && unit.back() == 's') {
      unit.pop_back();
    }
    int64_t scale = 0;
    if (unit == "microsecond") {
      scale = 1;
    } else if (unit == "millisecond") {
      scale = 1000;
    } else if (unit == "second") {
      scale = kMicrosPerSecond;
    } else if (unit == "minute") {
      scale = 60 * kMicrosPerSecond;
    } else if (unit == "hour") {
      scale = 3600 * kMicrosPerSecond;
    } else if (unit == "day") {
      scale = kMicrosPerDay;
    } else if (unit == "week") {
      scale = 7 * kMicrosPerDay;
    } else {
      return false;
    }
    total += value * scale;
  }
  *micros = total;
  return true;
}

struct WindowSpec {
  int64_t duration = 0;
  int64_t slide = 0;
  int64_t start = 0;
};

Result<WindowSpec> BindWindowSpec(std::string_view name, const std::vector<ExprPtr>& args,
                                  const BindContext& ctx) {
  const TypeId id = args[0]->type()->id();
  if (id != TypeId::kTimestamp && id != TypeId::kTimestampNtz && id != TypeId::kDate &&
      id != TypeId::kString) {
    return more::UnexpectedType(ctx, 0, "\"TIMESTAMP\"", args[0]);
  }
  WindowSpec spec;
  int64_t* targets[] = {&spec.duration, &spec.slide, &spec.start};
  static constexpr std::string_view kParams[] = {"windowDuration", "slideDuration", "startTime"};
  for (size_t i = 1; i < args.size(); ++i) {
    std::string text;
    bool is_null = false;
    if (!more::LiteralString(args[i], &text, &is_null) || is_null ||
        !ParseDuration(text, targets[i - 1])) {
      return Status::BindError(
          fmt::format("[DATATYPE_MISMATCH.INVALID_INTERVAL] Cannot resolve \"{}\" due to data type "
                      "mismatch: The {} `{}` of {} must be a valid interval string, got {}.",
                      ctx.call_sql, more::Ordinal(static_cast<int>(i)), kParams[i - 1], name,
                      more::ArgSql(args[i])));
    }
  }
  if (args.size() < 3) {
    spec.slide = spec.duration;
  }
  if (spec.duration <= 0 || spec.slide <= 0 || spec.slide > spec.duration) {
    return Status::BindError(fmt::format(
        "[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve \"{}\" due to data type "
        "mismatch: The window duration and slide must be positive, and the slide at most the "
        "duration.",
        ctx.call_sql));
  }
  return spec;
}

TypePtr WindowType() {
  return StructType({MakeField("start", TimestampType()), MakeField("end", TimestampType())});
}

void AppendWindow(StructBuilder* builder, int64_t start, int64_t end) {
  static_cast<Int64Builder*>(builder->child(0))->Append(start);
  static_cast<Int64Builder*>(builder->child(1))->Append(end);
  builder->Append();
}

Result<BoundScalarFunction> BindWindow(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  SLUICE_RETURN_IF_ERROR(CheckArity("window", args, 2, 4));
  SLUICE_ASSIGN_OR_RETURN(WindowSpec spec, BindWindowSpec("window", args, ctx));
  if (spec.slide != spec.duration) {
    return Status::BindError(
        fmt::format("[UNSUPPORTED_FEATURE] \"{}\": a sliding window (slide shorter than the "
                    "duration) is expanded by the sliding_window generator.",
                    ctx.call_sql));
  }
  std::vector<TypePtr> types = {args[0]->type()->id() == TypeId::kTimestampNtz ? TimestampNtzType()
                                                                               : TimestampType()};
  for (size_t i = 1; i < args.size(); ++i) {
    types.push_back(StringType());
  }
  ScalarKernel kernel = [spec](const std::vector<VectorPtr>& in, int64_t num_rows,
                               const EvalContext&) -> Result<VectorPtr> {
    StructBuilder builder(WindowType());
    const Vector& ts = *in[0];
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t row = ArgRow(ts, r);
      if (ts.IsNull(row)) {
        builder.AppendNull();
        continue;
      }
      const int64_t micros = ts.Value<int64_t>(row);
      const int64_t start = micros - FloorMod(micros - spec.start, spec.duration);
      AppendWindow(&builder, start, start + spec.duration);
    }
    return builder.Finish();
  };
  BoundScalarFunction function = more::MakeScalar("window", WindowType(), types, kernel);
  function.null_intolerant = true;
  return function;
}

}  // namespace

Result<BoundGenerator> BindSlidingWindow(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  SLUICE_RETURN_IF_ERROR(CheckArity("sliding_window", args, 3, 4));
  SLUICE_ASSIGN_OR_RETURN(WindowSpec spec, BindWindowSpec("sliding_window", args, ctx));
  BoundGenerator generator;
  generator.name = "sliding_window";
  generator.output_fields = {MakeField("window", WindowType())};
  generator.arg_types = {args[0]->type()->id() == TypeId::kTimestampNtz ? TimestampNtzType()
                                                                        : TimestampType()};
  for (size_t i = 1; i < args.size(); ++i) {
    generator.arg_types.push_back(StringType());
  }
  generator.generate = [spec](const std::vector<VectorPtr>& in, int64_t num_rows,
                              const EvalContext&) -> Result<GeneratorOutput> {
    GeneratorOutput output;
    StructBuilder builder(WindowType());
    const Vector& ts = *in[0];
    std::vector<int64_t> starts;
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t row = ArgRow(ts, r);
      if (ts.IsNull(row)) {
        continue;  // Spark filters rows without an event time
      }
      const int64_t micros = ts.Value<int64_t>(row);
      starts.clear();
      for (int64_t start = micros - FloorMod(micros - spec.start, spec.slide);
           start + spec.duration > micros; start -= spec.slide) {
        starts.push_back(start);
      }
      for (auto it = starts.rbegin(); it != starts.rend(); ++it) {
        AppendWindow(&builder, *it, *it + spec.duration);
        output.source_rows.push_back(r);
      }
    }
    output.columns.push_back(builder.Finish());
    return output;
  };
  return generator;
}

void RegisterDatetimeWindowFunctions(FunctionRegistry& registry) {
  registry.AddScalar("add_interval", BindAddInterval);
  registry.AddScalar("window", BindWindow);
}

}  // namespace sluice::expr::datetime
