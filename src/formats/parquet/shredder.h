// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <vector>

#include "columnar/vector.h"
#include "common/status.h"
#include "formats/parquet/write_schema.h"

// Record shredding (Dremel): turns the rows of a nested column into, per leaf, the
// definition and repetition levels of every value slot and the positions of the values
// that are present.

namespace sluice::parquet {

/// The shredded form of one leaf for a run of rows.
struct LeafLevels {
  /// One entry per value slot (a value, a null, or an empty or null ancestor).
  std::vector<int16_t> definition_levels;
  std::vector<int16_t> repetition_levels;
  /// Logical indices into `values` of the present values (definition level at the
  /// leaf's maximum), in slot order.
  std::vector<int64_t> value_indices;
  /// The leaf's vector; nullptr when no slot reached it.
  const Vector* values = nullptr;

  int64_t num_levels() const { return static_cast<int64_t>(definition_levels.size()); }
  void Clear() {
    definition_levels.clear();
    repetition_levels.clear();
    value_indices.clear();
    values = nullptr;
  }
};

/// Shreds the columns of one schema. Keeps no state between calls besides scratch.
class Shredder {
 public:
  /// Replaces `(*leaves)[node.first_leaf .. node.end_leaf)` with the levels of every row
  /// of `column`, the vector of top-level field `node`. Nulls in non-nullable fields must
  /// have been ruled out with CheckNulls first.
  void Shred(const WriteNode& node, const Vector& column, std::vector<LeafLevels>* leaves);

  /// Returns kInvalidArgument naming the field path and the row (counted from
  /// `first_row`) of the first null in a non-nullable field of `column` that is not
  /// hidden by a null ancestor. Cheap when no non-nullable part of the column has nulls.
  Status CheckNulls(const WriteNode& node, const Vector& column, int64_t first_row);

 private:
  template <bool kEmit>
  bool Visit(const WriteNode& node, const Vector& vector, int64_t index, int16_t def, int16_t rep);
  void EmitNull(const WriteNode& node, int16_t def, int16_t rep);

  std::vector<LeafLevels>* leaves_ = nullptr;
  std::vector<const WriteNode*> null_path_;
};

}  // namespace sluice::parquet
