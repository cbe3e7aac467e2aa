// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <vector>

#include "columnar/vector.h"

namespace sluice {

// Row hashing and equality for hash-based grouping, joins and deduplication.
//
// Hashes are process-local: the mixing constants and the combination order may change
// between versions, so never persist a hash or send it to another process (use a
// stable, documented hash such as Spark's Murmur3 for partitioning on disk).
//
// Semantics, which HashValue and ValuesEqual share (equal values hash equal):
// - null equals null (grouping semantics, as GROUP BY and DISTINCT, not SQL's `=`),
//   and every null hashes to the same fixed value;
// - values are compared by logical row, so slice offsets never matter;
// - float and double are normalized as Spark's NormalizeFloatingNumbers: -0.0 equals
//   0.0, and all NaNs equal each other (and nothing else);
// - string and binary compare their bytes; decimals their unscaled values (one type
//   has one scale);
// - struct: field by field; a null struct differs from a struct of null fields;
// - array: same length and elements pairwise (null elements equal);
// - map: same entries in the same order (Spark refuses maps as grouping keys; the
//   entry order is the order stored).
// Both sides must have the same type; only the type id is checked (in debug builds).

/// Hashes rows [0, num_rows) of `key_columns` into `hashes` (num_rows entries), column
/// by column: the first column's value hashes, then each further column combined in.
/// With a single column hashes[i] == HashValue(*key_columns[0], i); with no columns
/// every row gets the same constant (one group). Every column must have at least
/// `num_rows` rows.
void HashRows(const std::vector<VectorPtr>& key_columns, int64_t num_rows, uint64_t* hashes);

/// Returns whether row `left_row` of `left` equals row `right_row` of `right`, column by
/// column; the two lists must have the same length and column types. Null equals null.
bool RowsEqual(const std::vector<VectorPtr>& left, int64_t left_row,
               const std::vector<VectorPtr>& right, int64_t right_row);

/// Returns the hash of row `row` of `vector` (see the semantics above).
uint64_t HashValue(const Vector& vector, int64_t row);

/// Returns whether row `left_row` of `left` equals row `right_row` of `right`, two
/// vectors of the same type. Null equals null.
bool ValuesEqual(const Vector& left, int64_t left_row, const Vector& right, int64_t right_row);

}  // namespace sluice
