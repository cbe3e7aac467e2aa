// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "types/data_type.h"

namespace sluice {

/// Parses the Spark/Delta JSON schema string (the `schemaString` of a Delta metaData
/// action): {"type":"struct","fields":[{"name":..,"type":..,"nullable":..,"metadata":{..}}]}
/// with primitive types as strings ("long", "decimal(10,2)", "timestamp_ntz") and nested
/// ones as objects ("struct", {"type":"array","elementType":..,"containsNull":..},
/// {"type":"map","keyType":..,"valueType":..,"valueContainsNull":..}). Field metadata is
/// kept in order, each value as its compact JSON text. Errors are kParseError naming
/// the offending path.
Result<SchemaPtr> SchemaFromJson(std::string_view json);
Result<TypePtr> TypeFromJson(std::string_view json);

/// Writes the compact JSON form Spark writes (same key order as Spark's `json`).
std::string SchemaToJson(const Schema& schema);
std::string TypeToJson(const DataType& type);

}  // namespace sluice
