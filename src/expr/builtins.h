// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "expr/function.h"

/// The registration functions of the built-in function families; FunctionRegistry::Default()
/// calls RegisterBuiltinFunctions, which calls the rest.
namespace sluice::expr {

void RegisterBuiltinFunctions(FunctionRegistry& registry);

// Scalar families (src/expr/functions/).
void RegisterArithmeticFunctions(FunctionRegistry& registry);   // + - * / % div, abs, round, ...
void RegisterComparisonFunctions(FunctionRegistry& registry);   // = <=> != < <= > >=, in, between
void RegisterLogicalFunctions(FunctionRegistry& registry);      // not, bitwise & | ^ ~, shifts
void RegisterConditionalFunctions(FunctionRegistry& registry);  // coalesce, if, nullif, nvl, ...
void RegisterStringFunctions(FunctionRegistry& registry);       // concat, substring, like, regexp
void RegisterHashFunctions(FunctionRegistry& registry);         // hash, xxhash64, md5, sha*, crc32
void RegisterDatetimeFunctions(FunctionRegistry& registry);     // current_date, to_timestamp, ...
void RegisterJsonFunctions(FunctionRegistry& registry);         // from_json, to_json, ...
void RegisterCollectionFunctions(FunctionRegistry& registry);   // struct/array/map functions
// Aggregates, window functions and generators.
void RegisterAggregateFunctions(FunctionRegistry& registry);
void RegisterWindowFunctions(FunctionRegistry& registry);
void RegisterGeneratorFunctions(FunctionRegistry& registry);

}  // namespace sluice::expr
