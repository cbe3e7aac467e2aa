// SPDX-License-Identifier: Apache-2.0
#include "exec/group_table.h"

#include "columnar/concat.h"
#include "columnar/row_hash.h"
#include "exec/memory.h"

namespace sluice::exec {

void GroupTable::Grow() {
  const size_t capacity = slots_.empty() ? 1024 : slots_.size() * 2;
  slots_.assign(capacity, -1);
  const uint64_t mask = capacity - 1;
  for (int64_t group = 0; group < num_groups(); ++group) {
    uint64_t slot = group_hash_[group] & mask;
    while (slots_[slot] >= 0)
      slot = (slot + 1) & mask;
    slots_[slot] = group;
  }
}

int64_t GroupTable::Probe(uint64_t hash, const std::vector<VectorPtr>& keys, int64_t row,
                          int64_t pending) {
  const uint64_t mask = slots_.size() - 1;
  uint64_t slot = hash & mask;
  while (true) {
    const int64_t group = slots_[slot];
    if (group < 0) {
      const int64_t id = num_groups();
      slots_[slot] = id;
      group_hash_.push_back(hash);
      group_ref_.emplace_back(pending, row);
      return id;
    }
    if (group_hash_[group] == hash) {
      const auto [chunk, chunk_row] = group_ref_[group];
      const std::vector<VectorPtr>& stored = chunk == pending ? keys : chunks_[chunk];
      if (RowsEqual(keys, row, stored, chunk_row))
        return group;
    }
    slot = (slot + 1) & mask;
  }
}

Status GroupTable::FindOrInsert(const std::vector<VectorPtr>& keys, int64_t num_rows,
                                int64_t* group_ids) {
  std::vector<uint64_t> hashes(num_rows);
  HashRows(keys, num_rows, hashes.data());
  const int64_t pending = static_cast<int64_t>(chunks_.size());
  const int64_t first_new = num_groups();
  for (int64_t row = 0; row < num_rows; ++row) {
    if ((num_groups() + 1) * 2 > static_cast<int64_t>(slots_.size()))
      Grow();
    group_ids[row] = Probe(hashes[row], keys, row, pending);
  }
  if (num_groups() > first_new) {
    // Keep compact copies of the new groups' keys, not the whole batch.
    std::vector<int64_t> rows;
    for (int64_t group = first_new; group < num_groups(); ++group) {
      rows.push_back(group_ref_[group].second);
      group_ref_[group] = {pending, group - first_new};
    }
    std::vector<VectorPtr> chunk;
    for (const VectorPtr& key : keys) {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr copy, Take(*key, rows));
      key_bytes_ += VectorBytes(*copy);
      chunk.push_back(std::move(copy));
    }
    chunks_.push_back(std::move(chunk));
  }
  return Status::Ok();
}

Result<std::vector<VectorPtr>> GroupTable::KeyColumns(int num_keys) const {
  std::vector<VectorPtr> columns;
  for (int k = 0; k < num_keys; ++k) {
    std::vector<VectorPtr> parts;
    for (const auto& chunk : chunks_)
      parts.push_back(chunk[k]);
    if (parts.size() == 1) {
      columns.push_back(parts[0]);
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(VectorPtr column, Concatenate(parts));
    columns.push_back(std::move(column));
  }
  return columns;
}

}  // namespace sluice::exec
