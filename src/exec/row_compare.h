// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <vector>

#include "columnar/vector.h"

namespace sluice::exec {

/// Returns <0, 0 or >0 as row `ra` of `a` sorts before, with or after row `rb` of `b`
/// (vectors of the same type) in Spark's ascending order: NaN above every other number,
/// -0.0 equal to 0.0, strings and binary by unsigned bytes, structs field by field,
/// arrays element by element then by length; a null sorts first, at any depth.
int CompareValues(const Vector& a, int64_t ra, const Vector& b, int64_t rb);

/// One ORDER BY key's direction.
struct SortOrder {
  bool ascending = true;
  bool nulls_first = true;
};

/// Compares two rows on several keys (key k of both rows in a[k] and b[k]).
int CompareRows(const std::vector<VectorPtr>& a, int64_t ra, const std::vector<VectorPtr>& b,
                int64_t rb, const std::vector<SortOrder>& orders);

/// Compares rows on several keys as CompareRows does, with the type dispatch done once
/// per key (when constructed) instead of once per value.
class RowComparator {
 public:
  /// `types[k]` is key k's type (every vector passed for key k has it).
  RowComparator(const std::vector<TypePtr>& types, std::vector<SortOrder> orders);

  /// Compares keys [first_key, number of keys) of row `ra` of `a` and row `rb` of `b`.
  int Compare(const std::vector<VectorPtr>& a, int64_t ra, const std::vector<VectorPtr>& b,
              int64_t rb, size_t first_key = 0) const;

  /// Compares key k alone: row `rx` of `x` with row `ry` of `y`.
  int CompareKey(size_t k, const Vector& x, int64_t rx, const Vector& y, int64_t ry) const;

  const std::vector<SortOrder>& orders() const { return orders_; }

 private:
  using ValueCompare = int (*)(const Vector&, int64_t, const Vector&, int64_t);
  std::vector<ValueCompare> compares_;
  std::vector<SortOrder> orders_;
};

/// Returns the rows [0, n) of `keys` (n = their common length) in the order of `orders`,
/// equal rows in row order (a stable sort); with a `limit` >= 0 only the first `limit`
/// of them (selected, then sorted). With `equal_keys`, sets (*equal_keys)[i] for each
/// returned position i > 0 to the number of leading keys on which its row compares equal
/// to the row before (0 at position 0). The keys are encoded into order-preserving
/// integers (a string by 16 bytes after the prefix all its values share), their
/// constant bits dropped and packed into
/// as few words as fit, and radix-sorted; what those do not decide is compared with
/// RowComparator.
std::vector<int64_t> SortRows(const std::vector<VectorPtr>& keys,
                              const std::vector<SortOrder>& orders, int64_t limit = -1,
                              std::vector<uint32_t>* equal_keys = nullptr);

/// Appends to `out` the rows [0, num_rows) of `keys` that sort strictly before row
/// `bound_row` of `bound` (as RowComparator does), in row order. The first key is
/// compared in a tight typed loop when it is fixed-width; the others only on its ties.
void SelectRowsBefore(const std::vector<VectorPtr>& keys, int64_t num_rows,
                      const std::vector<VectorPtr>& bound, int64_t bound_row,
                      const RowComparator& comparator, std::vector<int64_t>* out);

}  // namespace sluice::exec
