// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "formats/csv/csv_options.h"
#include "types/data_type.h"

namespace sluice::csv {

/// Infers the schema of CSV text as Spark's CSV source does (CSVInferSchema).
///
/// Columns: as many as the first record has fields, named from it when `header` (empty
/// or null-valued names become `_c<i>`, names repeated case-insensitively get their
/// index appended: `a0`, `a1`), otherwise `_c0`, `_c1`, ... Every column is a string
/// unless `infer_schema`.
///
/// Types, per field, starting from the type so far: int -> bigint -> decimal(p,0) (an
/// integer too long for bigint, up to 38 digits) -> double (also nanValue/positiveInf/
/// negativeInf) -> date (when prefersDate, matching dateFormat, default "yyyy-MM-dd") ->
/// timestamp (only timestampFormat if set, else Spark's lenient parser; timestampNTZFormat
/// plays no part, as the session timestamp type is TIMESTAMP) -> boolean -> string.
/// Across records: int+bigint = bigint, integral/decimal+double = double, decimals widen
/// (beyond 38 digits: double), date+timestamp = timestamp when no timestampFormat is set
/// and dateFormat is one the lenient timestamp parser reads (yyyy-MM-dd, yyyy-M-d,
/// yyyy-M-dd, yyyy-MM-d, yyyy-MM, yyyy-M, yyyy), else string; anything else incompatible
/// = string; nulls, empty fields and `nullValue` are ignored; a column with no value is a
/// string. Fields beyond the first record's count are ignored.
///
/// Empty input gives a schema without columns.
Result<SchemaPtr> InferCsvSchema(std::string_view data, const CsvReadOptions& options);

/// Spark's CSVUtils.makeSafeHeader: the column names for the fields of a first record
/// (unquoted empty fields passed as ""), as described above.
std::vector<std::string> MakeSafeHeader(const std::vector<std::string>& names,
                                        const CsvReadOptions& options);

}  // namespace sluice::csv
