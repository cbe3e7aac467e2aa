// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "formats/csv/csv_options.h"

namespace sluice::csv {

/// Writes `batch` as CSV the way Spark's CSV writer does (univocity with Spark's
/// settings): the column names first when `header`; white space around values trimmed
/// (Spark's writer default); a value quoted when it contains the separator, the quote
/// (with escapeQuotes), "\r" or "\n", starts with the comment byte, or always with
/// quoteAll; inside quotes the quote and the escape byte are escaped; nulls as
/// `null_value`, empty strings as `empty_value` (`""`); booleans true/false; doubles and
/// floats as Java's toString; decimals plain; dates and timestamps (UTC) with the
/// format options. Every record ends with `line_sep`.
/// kInvalidArgument names the first column of a nested type, which Spark's CSV refuses.
Result<std::string> WriteCsv(const Batch& batch, const CsvWriteOptions& options);

/// Writes several batches of one schema, the header (if asked) once at the top.
Result<std::string> WriteCsv(const std::vector<BatchPtr>& batches, const Schema& schema,
                             const CsvWriteOptions& options);

}  // namespace sluice::csv
