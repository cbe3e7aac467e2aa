// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

#include "common/result.h"
#include "formats/json/json_options.h"
#include "types/data_type.h"

namespace sluice::json {

/// Infers the schema of NDJSON records with Spark's rules (JsonInferSchema): integers
/// are bigint (beyond bigint: decimal(p,0) up to 38 digits, else double); fractions are
/// double (decimal with prefers_decimal when they fit); strings stay strings; objects
/// become structs with fields sorted by name; arrays take the merged element type;
/// conflicts widen numerically (bigint+double=double, bigint+decimal=decimal) or fall
/// back to string; null-only and empty-string-only fields are strings; empty structs are
/// dropped. A malformed record adds the corrupt-record column in PERMISSIVE, is skipped
/// in DROPMALFORMED, and is kParseError (naming its line) in FAILFAST. Empty input gives
/// an empty schema.
Result<SchemaPtr> InferJsonSchema(std::string_view ndjson, const JsonReadOptions& options);

}  // namespace sluice::json
