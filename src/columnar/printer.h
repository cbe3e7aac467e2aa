// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "columnar/vector.h"
#include "types/data_type.h"

namespace sluice {

/// The arguments of Spark's Dataset.show(numRows, truncate, vertical).
struct ShowOptions {
  /// Rows to show; negative counts as 0.
  int64_t num_rows = 20;
  /// Cells longer than this are cut (to truncate - 3 characters and "...", or to
  /// truncate characters when it is below 4); 0 or less keeps whole cells and aligns
  /// them left (show(n, truncate=false)), otherwise they are aligned right.
  int truncate = 20;
  /// One "-RECORD i---" block per row, a line per column.
  bool vertical = false;
};

/// Returns what Spark 3.5/4.0 Dataset.showString prints for the first
/// options.num_rows rows of `batch`: the header, '+---+' borders, cells padded to
/// the widest value (at least 3), and "only showing top N rows\n" when rows are left
/// out. As Spark: cells and column names have their control characters escaped
/// ("\n" becomes the two characters \n; also \r \t \f \b \v \a), lengths count UTF-16
/// code units (a character outside the BMP counts 2), display widths add 1 for each
/// East-Asian wide or fullwidth character (Utils.stringHalfWidth), and bytes that
/// are not UTF-8 show as U+FFFD.
std::string ShowString(const Batch& batch, const ShowOptions& options = {});

/// As ShowString, over the rows of `batches` in order, all of `schema` (checked).
/// Formats only the rows shown; copies no column.
std::string ShowAll(const std::vector<BatchPtr>& batches, const SchemaPtr& schema,
                    const ShowOptions& options = {});

/// Returns Spark's show() text of one value (ToPrettyString): "NULL" for null, at any
/// depth; true/false; integers in decimal; floats and doubles as Java's toString;
/// decimals plain; strings as they are (not escaped, not truncated); binary as
/// uppercase hex bytes in brackets, "[01 AB]"; dates "2024-01-31"; timestamps and
/// timestamp_ntz "2024-01-31 10:00:00[.fraction]" (UTC); arrays "[1, 2, NULL]";
/// structs "{1, a}"; maps "{a -> 1, b -> NULL}"; void "NULL"; variants as their JSON
/// text ({"a":1,"b":[true,null]}, see VariantToJson), or "<malformed variant: ...>" when
/// the bytes break the encoding.
std::string FormatCell(const Vector& vector, int64_t row);

}  // namespace sluice
