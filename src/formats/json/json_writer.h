// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "columnar/batch.h"
#include "common/result.h"
#include "formats/json/json_options.h"

namespace sluice::json {

/// Writes every row of `batch` as one JSON object followed by '\n', as Spark's
/// write.json / to_json: null fields left out (ignore_null_fields), timestamps and dates
/// formatted with the option patterns, doubles and floats as Java prints them (NaN and
/// infinities as the strings "NaN", "Infinity", "-Infinity"), decimals plain, binary as
/// base64, maps as objects keyed by the key's string form. Patterns that do not compile
/// fall back to the defaults of JsonWriteOptions.
std::string WriteJson(const Batch& batch, const JsonWriteOptions& options = {});

}  // namespace sluice::json
