// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "expr/function.h"

/// Registration of the parts of the core families that live in files of their own.
namespace sluice::expr {

/// abs, negative, round, ceil, floor, sqrt, pow, log, greatest, least, rand, ... (math.cc).
void RegisterMathFunctions(FunctionRegistry& registry);
/// like, ilike, rlike, regexp_extract(_all), regexp_replace, split (regexp.cc).
void RegisterRegexpFunctions(FunctionRegistry& registry);

/// hex, unhex, base64, substring_index, levenshtein, overlay, format_number, ...
/// (string_encode.cc).
void RegisterStringEncodeFunctions(FunctionRegistry& registry);
/// format_string / printf (format_string.cc).
void RegisterFormatFunctions(FunctionRegistry& registry);

}  // namespace sluice::expr
