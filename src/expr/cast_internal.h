// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "columnar/vector.h"
#include "common/result.h"
#include "expr/function.h"
#include "types/data_type.h"
#include "types/decimal.h"
#include "types/time_zone.h"

/// Pieces of CAST shared by the cast and by string functions (private to src/expr).
namespace sluice::expr::internal {

/// Strips the white space and control characters (<= ' ') Spark trims before parsing.
std::string_view TrimForCast(std::string_view text);
/// Spark's UTF8String.toLong: trimmed, [+-]digits[.digits] (the fraction is dropped);
/// nullopt on bad syntax or long overflow.
std::optional<int64_t> ParseIntegral(std::string_view text);
/// Java's Double.parseDouble after trimming, plus Spark's inf/infinity/nan words.
std::optional<double> ParseDouble(std::string_view text);
/// 't', 'true', 'y', 'yes', '1' / 'f', 'false', 'n', 'no', '0' in any case, trimmed.
std::optional<bool> ParseBoolean(std::string_view text);
/// Changes a decimal's scale rounding HALF_UP; false when it needs more than
/// `to_precision` digits.
bool RescaleDecimal(Int128 value, int from_scale, int to_precision, int to_scale, Int128* out);
double DecimalToDouble(Int128 unscaled, int scale);

/// The session zone of `ctx` (kInvalidArgument for an unknown zone).
Result<int64_t> UtcToSession(int64_t utc_micros, const EvalContext& ctx);
Result<int64_t> SessionToUtc(int64_t local_micros, const EvalContext& ctx);

/// Appends value `index` of `vector` as CAST(... AS STRING) prints it (timestamps in
/// `zone`); nested nulls print as "null". The value itself must not be null.
void AppendCastString(const Vector& vector, int64_t index, const TimeZone& zone, std::string* out);

/// Spark's toSQLValue rendering of a value's text for errors: 'abc', 1L, 1.0D, 2BD, ...
std::string SqlValue(std::string_view text, TypeId id);
Status CastInvalidInput(std::string_view value, const TypePtr& from, const TypePtr& to);
Status CastOverflow(std::string_view value, const TypePtr& from, const TypePtr& to);
Status NumericOutOfRange(std::string_view value, int precision, int scale);

}  // namespace sluice::expr::internal
