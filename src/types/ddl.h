// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

#include "common/result.h"
#include "types/data_type.h"

namespace sluice {

/// Parses a Spark DDL column list: "order_id BIGINT, items ARRAY<STRUCT<sku: STRING,
/// qty: INT>>, tags MAP<STRING, STRING>". Keywords are case-insensitive; names may be
/// `back-quoted`; the ':' between a struct field's name and type is optional; columns
/// may carry NOT NULL and COMMENT 'text'. Type aliases as in Spark: BYTE/TINYINT,
/// SHORT/SMALLINT, INT/INTEGER, LONG/BIGINT, REAL/FLOAT, DEC/NUMERIC/DECIMAL[(p[,s])]
/// (bare DECIMAL is decimal(10,0)), STRING/VARCHAR(n)/CHAR(n) (read as string),
/// TIMESTAMP_LTZ, TIMESTAMP_NTZ. A bad string gets kParseError naming the 1-based
/// position and what was expected there.
Result<SchemaPtr> ParseDdlSchema(std::string_view ddl);

/// Parses one DDL type: "ARRAY<STRUCT<sku: STRING, qty: INT>>".
Result<TypePtr> ParseDdlType(std::string_view ddl);

}  // namespace sluice
