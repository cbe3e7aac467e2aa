// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <span>

#include "columnar/vector.h"
#include "common/result.h"
#include "formats/parquet/leaf.h"
#include "formats/parquet/schema.h"

// Record assembly: turns the definition and repetition levels and the dense values of
// the leaf columns below a field into one nested sluice vector (Dremel's algorithm,
// column by column rather than record by record).
//
// Each node cuts the level slots of its first leaf into its own entries (see FieldNode):
// a struct takes its validity from them, a list or map its validity and offsets, and a
// primitive scatters the dense values into them. All leaves below a node must agree on
// the node's entries; a mismatch (columns of different lengths, elements continuing a
// null list, levels out of range, more or fewer values than levels at the maximum
// definition level) is kCorruption, never a crash.
//
// Fast paths: a required column outside any list is the leaf's values vector itself (no
// copy); an optional one without nulls too; with nulls, values are scattered by the
// validity bitmap made from the definition levels (strings keep sharing the leaf's
// bytes, only offsets are rebuilt). A flat leaf read with its definition levels as a
// bitmap (LeafData::definition_bitmap, which ParquetReader asks for) gives that bitmap to
// the column as its validity without looking at a level.

namespace sluice::parquet {

/// Builds the vector of the top-level column `column` (a FileSchema::columns() entry)
/// from the data of its leaves: `leaves[k]` belongs to leaf `column.first_leaf + k`, for
/// k < column.num_leaves. The result has `num_rows` rows (the row group's count) and
/// `column.type`; kCorruption naming the column when the levels or values disagree.
Result<VectorPtr> AssembleColumn(const FieldNode& column, std::span<const LeafData> leaves,
                                 int64_t num_rows);

}  // namespace sluice::parquet
