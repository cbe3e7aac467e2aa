// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "columnar/vector.h"
#include "common/result.h"

namespace sluice::exec {

/// Numbers the distinct key rows it is shown (GROUP BY, DISTINCT, set operations):
/// group ids are dense, in order of first appearance. Null equals null and floats are
/// normalized (row_hash.h). Keeps compact copies of each group's key values.
/// Single-threaded: each thread has its own, merged through Insert of the other's keys.
class GroupTable {
 public:
  /// Writes the group id of each row of `keys` (each at least num_rows long, or no
  /// columns at all: one group) to group_ids, adding groups for keys not seen before.
  Status FindOrInsert(const std::vector<VectorPtr>& keys, int64_t num_rows, int64_t* group_ids);

  int64_t num_groups() const { return static_cast<int64_t>(group_ref_.size()); }
  /// Returns the key values of every group, in group id order (one vector per key
  /// column, num_groups() long). Needs num_groups() > 0.
  Result<std::vector<VectorPtr>> KeyColumns(int num_keys) const;
  /// Bytes held (slots, references, key copies).
  int64_t memory_bytes() const {
    return key_bytes_ + static_cast<int64_t>(slots_.size() * sizeof(int64_t) +
                                             group_hash_.capacity() * sizeof(uint64_t) +
                                             group_ref_.capacity() * 2 * sizeof(int64_t));
  }

 private:
  void Grow();
  int64_t Probe(uint64_t hash, const std::vector<VectorPtr>& keys, int64_t row, int64_t pending);

  std::vector<int64_t> slots_;  // group id or -1; capacity a power of two
  std::vector<uint64_t> group_hash_;
  /// Where each group's key values are: (chunk, row); chunk == chunks_.size() is the
  /// batch being inserted.
  std::vector<std::pair<int64_t, int64_t>> group_ref_;
  std::vector<std::vector<VectorPtr>> chunks_;
  int64_t key_bytes_ = 0;
};

}  // namespace sluice::exec
