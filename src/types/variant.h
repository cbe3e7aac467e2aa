// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include "common/json.h"
#include "common/result.h"
#include "common/status.h"

namespace sluice {

// Spark's VariantType values in the Variant binary encoding of the Parquet format
// (parquet-format VariantEncoding.md): a `metadata` buffer holding the dictionary of
// object keys (header byte with version 1, sorted flag and offset size; dictionary size;
// offsets; UTF-8 key bytes) and a `value` buffer holding one self-describing value
// (primitive, short string, object or array; nested values are contiguous, objects list
// their fields by key id in key order and refer to keys by dictionary index).

/// Returns the JSON text Spark shows for a variant (Variant.toJson, session zone UTC):
/// null, true/false; integers of every width; doubles and floats as Java's toString
/// ("1.0E10"), or quoted "NaN" / "Infinity" / "-Infinity"; decimals plain ("1.50");
/// dates "2024-01-31", timestamps "2024-01-31 10:00:00.5+00:00", timestamp_ntz without
/// the offset; binary as quoted base64; strings escaped as Jackson does; uuids in their
/// canonical text; objects {"k":v,...} in key order and arrays [...], without spaces.
/// Errors: kCorruption when the bytes break the encoding (bounds, version, unknown basic
/// type, decimal out of range, nesting beyond 1000 levels, output beyond 256 MiB);
/// kNotImplemented for the primitive types 17-19 (time and nanosecond timestamps), which
/// Spark cannot read either.
Result<std::string> VariantToJson(std::string_view metadata, std::string_view value);

/// Encodes a JSON document as Spark's parse_json does (VariantBuilder), byte for byte:
/// keys enter the dictionary in document order (the sorted flag is not set); object
/// fields are listed in key order (UTF-8 byte order) with their values in document
/// order; integers take the smallest of int8/16/32/64; other numbers without an
/// exponent that fit decimal(38) (precision and scale at most 38) become decimal4/8/16 by
/// precision and scale, everything else a double (beyond the double range: infinity);
/// strings up to 63 bytes are short strings; offsets and ids use the fewest bytes.
/// Errors: kInvalidArgument for an object with a duplicate key (Spark's default), or
/// when the value or dictionary outgrows the 4-byte offsets of the encoding.
Status JsonToVariant(const JsonValue& json, std::string* metadata, std::string* value);

}  // namespace sluice
