// SPDX-License-Identifier: Apache-2.0
// Parsing and formatting: to_timestamp, try_to_timestamp, to_date, date_format,
// unix_timestamp, to_unix_timestamp, from_unixtime.
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <utility>

#include "expr/functions/datetime_internal.h"
#include "expr/functions/more_util.h"
#include "types/datetime.h"

namespace sluice::expr::datetime {

namespace {

using more::ArgRow;

constexpr std::string_view kDefaultFormat = "yyyy-MM-dd HH:mm:ss";

// True when the pattern reads or prints a zone or offset (letters outside quotes).
bool HasZoneLetters(std::string_view pattern) {
  bool quoted = false;
  for (char c : pattern) {
    if (c == '\'') {
      quoted = !quoted;
    } else if (!quoted && (c == 'X' || c == 'x' || c == 'Z' || c == 'z' || c == 'O' || c == 'V')) {
      return true;
    }
  }
  return false;
}

Status PatternError(const Status& status) {
  return Status::InvalidArgument(fmt::format(
      "[INVALID_DATETIME_PATTERN] Unrecognized datetime pattern: {}", status.message()));
}

// A pattern compiled at bind time (literal) or per distinct value at run time.
class PatternCache {
 public:
  explicit PatternCache(std::shared_ptr<const DateTimePattern> fixed) : fixed_(std::move(fixed)) {}
  Result<const DateTimePattern*> Get(std::string_view text) {
    if (fixed_ != nullptr) {
      return fixed_.get();
    }
    if (!last_.has_value() || last_->pattern() != text) {
      Result<DateTimePattern> compiled = DateTimePattern::Compile(text);
      if (!compiled.ok()) {
        return PatternError(compiled.status());
      }
      last_ = std::move(*compiled);
    }
    return &*last_;
  }

 private:
  std::shared_ptr<const DateTimePattern> fixed_;
  std::optional<DateTimePattern> last_;
};

// Compiles the format argument `index` when it is a literal (nullptr otherwise, or the
// default when absent).
Result<std::shared_ptr<const DateTimePattern>> BindPattern(const std::vector<ExprPtr>& args,
                                                           size_t index,
                                                           std::string_view fallback) {
  std::string text(fallback);
  if (index < args.size()) {
    bool is_null = false;
    if (!more::LiteralString(args[index], &text, &is_null) || is_null) {
      return std::shared_ptr<const DateTimePattern>();
    }
  } else if (fallback.empty()) {
    return std::shared_ptr<const DateTimePattern>();
  }
  Result<DateTimePattern> compiled = DateTimePattern::Compile(text);
  if (!compiled.ok()) {
    return PatternError(compiled.status());
  }
  return std::make_shared<const DateTimePattern>(std::move(*compiled));
}

Status ParseFailure(std::string_view text, bool as_date) {
  return Status::InvalidArgument(fmt::format(
      "[{}] Text '{}' could not be parsed at index 0. Use `try_to_timestamp` to tolerate "
      "invalid input string and return NULL instead. If necessary set "
      "\"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
      as_date ? "CANNOT_PARSE_TIMESTAMP" : "CANNOT_PARSE_TIMESTAMP", text));
}

// Parses `text` into an instant: with `pattern` (zone letters give an absolute time, else
// the session's local time), or as CAST(text AS TIMESTAMP) in the session zone.
bool ParseInstant(std::string_view text, const DateTimePattern* pattern, const TimeZone& zone,
                  int64_t* micros) {
  if (pattern != nullptr) {
    if (!pattern->ParseTimestamp(text, micros)) {
      return false;
    }
    if (!HasZoneLetters(pattern->pattern())) {
      *micros = zone.LocalToUtc(*micros);
    }
    return true;
  }
  if (ParseTimestampNtz(text, micros)) {
    *micros = zone.LocalToUtc(*micros);
    return true;
  }
  return ParseTimestamp(text, micros);
}

enum class Output : uint8_t { kTimestamp, kDate, kUnixSeconds };

// to_timestamp, try_to_timestamp, to_date, unix_timestamp, to_unix_timestamp.
ScalarBinder ParseBinder(std::string name, Output output, bool never_fail,
                         std::string_view default_format, bool allow_no_args) {
  return [=](const std::vector<ExprPtr>& args,
             const BindContext& ctx) -> Result<BoundScalarFunction> {
    SLUICE_RETURN_IF_ERROR(CheckArity(name, args, allow_no_args ? 0 : 1, 2));
    if (args.empty()) {  // unix_timestamp(): the query's start
      return more::MakeScalar(name, LongType(), {},
                              [](const std::vector<VectorPtr>&, int64_t num_rows,
                                 const EvalContext& ectx) -> Result<VectorPtr> {
                                Int64Builder builder(LongType());
                                for (int64_t r = 0; r < num_rows; ++r) {
                                  builder.Append(FloorDiv(ectx.now_micros, kMicrosPerSecond));
                                }
                                return builder.Finish();
                              });
    }
    const TypeId input = args[0]->type()->id();
    std::vector<TypePtr> types;
    if (input == TypeId::kDate || input == TypeId::kTimestamp || input == TypeId::kTimestampNtz) {
      types.push_back(output == Output::kDate ? DateType() : TimestampType());
    } else if (input == TypeId::kString || input == TypeId::kNull) {
      types.push_back(StringType());
    } else {
      return more::UnexpectedType(ctx, 0, "(\"STRING\" or \"DATE\" or \"TIMESTAMP\")", args[0]);
    }
    if (args.size() == 2) {
      SLUICE_ASSIGN_OR_RETURN(TypePtr type, ExpectArg(ctx, args, 1, Arg::kString));
      types.push_back(type);
    }
    SLUICE_ASSIGN_OR_RETURN(std::shared_ptr<const DateTimePattern> fixed,
                            BindPattern(args, 1, default_format));
    const bool is_string = types[0]->id() == TypeId::kString;
    const bool has_format_arg = args.size() == 2;
    TypePtr result = output == Output::kTimestamp ? TimestampType()
                     : output == Output::kDate    ? DateType()
                                                  : LongType();
    ScalarKernel kernel = [=](const std::vector<VectorPtr>& in, int64_t num_rows,
                              const EvalContext& ectx) -> Result<VectorPtr> {
      SLUICE_ASSIGN_OR_RETURN(TimeZonePtr zone, SessionZone(ectx));
      PatternCache patterns(fixed);
      auto instant = [&](int64_t r, Status* error) -> std::optional<int64_t> {
        const Vector& value = *in[0];
        const int64_t row = ArgRow(value, r);
        if (!is_string) {
          if (value.type_id() == TypeId::kDate) {
            return zone->LocalToUtc(int64_t{value.Value<int32_t>(row)} * kMicrosPerDay);
          }
          return value.Value<int64_t>(row);
        }
        const DateTimePattern* pattern = nullptr;
        if (has_format_arg || fixed != nullptr) {
          Result<const DateTimePattern*> found =
              patterns.Get(has_format_arg ? in[1]->StringValue(ArgRow(*in[1], r)) : "");
          if (!found.ok()) {
            *error = found.status();
            return std::nullopt;
          }
          pattern = *found;
        }
        int64_t micros = 0;
        const std::string_view text = value.StringValue(row);
        if (!ParseInstant(text, pattern, *zone, &micros)) {
          if (ectx.ansi && !never_fail) {
            *error = ParseFailure(text, output == Output::kDate);
          }
          return std::nullopt;
        }
        return micros;
      };
      if (output == Output::kDate) {
        if (!is_string) {
          return in[0];
        }
        return more::MapRows<int32_t>(
            DateType(), in, num_rows, [&](int64_t r, Status* error) -> std::optional<int32_t> {
              if (!has_format_arg && fixed == nullptr) {
                int32_t days = 0;
                const std::string_view text = in[0]->StringValue(ArgRow(*in[0], r));
                if (ParseDate(text, &days)) {
                  return days;
                }
                if (ectx.ansi) {
                  *error = ParseFailure(text, true);
                }
                return std::nullopt;
              }
              std::optional<int64_t> micros = instant(r, error);
              if (!micros.has_value()) {
                return std::nullopt;
              }
              return static_cast<int32_t>(FloorDiv(zone->UtcToLocal(*micros), kMicrosPerDay));
            });
      }
      return more::MapRows<int64_t>(output == Output::kTimestamp ? TimestampType() : LongType(), in,
                                    num_rows,
                                    [&](int64_t r, Status* error) -> std::optional<int64_t> {
                                      std::optional<int64_t> micros = instant(r, error);
                                      if (micros.has_value() && output == Output::kUnixSeconds) {
                                        return FloorDiv(*micros, kMicrosPerSecond);
                                      }
                                      return micros;
                                    });
    };
    BoundScalarFunction function = more::MakeScalar(name, result, types, kernel);
    return function;
  };
}

// date_format(ts, fmt) and from_unixtime(seconds[, fmt]).
ScalarBinder FormatBinder(std::string name, bool from_seconds) {
  return [=](const std::vector<ExprPtr>& args,
             const BindContext& ctx) -> Result<BoundScalarFunction> {
    SLUICE_RETURN_IF_ERROR(CheckArity(name, args, from_seconds ? 1 : 2, 2));
    std::vector<TypePtr> types;
    SLUICE_ASSIGN_OR_RETURN(TypePtr first,
                            ExpectArg(ctx, args, 0, from_seconds ? Arg::kLong : Arg::kTimestamp));
    types.push_back(first);
    if (args.size() == 2) {
      SLUICE_ASSIGN_OR_RETURN(TypePtr type, ExpectArg(ctx, args, 1, Arg::kString));
      types.push_back(type);
    }
    SLUICE_ASSIGN_OR_RETURN(std::shared_ptr<const DateTimePattern> fixed,
                            BindPattern(args, 1, from_seconds ? kDefaultFormat : ""));
    ScalarKernel kernel = [=](const std::vector<VectorPtr>& in, int64_t num_rows,
                              const EvalContext& ectx) -> Result<VectorPtr> {
      SLUICE_ASSIGN_OR_RETURN(TimeZonePtr zone, SessionZone(ectx));
      PatternCache patterns(fixed);
      return more::MapRows<std::string>(
          StringType(), in, num_rows, [&](int64_t r, Status* error) -> std::optional<std::string> {
            Result<const DateTimePattern*> pattern =
                patterns.Get(in.size() > 1 ? in[1]->StringValue(ArgRow(*in[1], r)) : "");
            if (!pattern.ok()) {
              *error = pattern.status();
              return std::nullopt;
            }
            int64_t micros = in[0]->Value<int64_t>(ArgRow(*in[0], r));
            if (from_seconds && __builtin_mul_overflow(micros, kMicrosPerSecond, &micros)) {
              return std::nullopt;
            }
            return (*pattern)->FormatTimestamp(zone->UtcToLocal(micros));
          });
    };
    return more::MakeScalar(name, StringType(), types, kernel);
  };
}

}  // namespace

void RegisterDatetimeFormatFunctions(FunctionRegistry& registry) {
  registry.AddScalar("to_timestamp",
                     ParseBinder("to_timestamp", Output::kTimestamp, false, "", false));
  registry.AddScalar("try_to_timestamp",
                     ParseBinder("try_to_timestamp", Output::kTimestamp, true, "", false));
  registry.AddScalar("to_date", ParseBinder("to_date", Output::kDate, false, "", false));
  registry.AddScalar("unix_timestamp", ParseBinder("unix_timestamp", Output::kUnixSeconds, true,
                                                   kDefaultFormat, true));
  registry.AddScalar("to_unix_timestamp", ParseBinder("to_unix_timestamp", Output::kUnixSeconds,
                                                      true, kDefaultFormat, false));
  registry.AddScalar("date_format", FormatBinder("date_format", false));
  registry.AddScalar("from_unixtime", FormatBinder("from_unixtime", true));
}

}  // namespace sluice::expr::datetime
