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
/// normalized (row_hash.h): -0.0 and 0.0 are one group, all NaNs another, and a float
/// key is returned normalized (0.0, the canonical NaN), as Spark's
/// NormalizeFloatingNumbers does. Keeps compact copies of each group's key values.
/// Single-threaded: each thread has its own, merged through Insert of the other's keys.
///
/// The layout is chosen on the first call, from the key column types (which must stay
/// the same for the table's life):
/// - fixed-width keys (booleans, integers, dates, timestamps, floats, decimals, and
///   structs of these) are packed into a row of 64-bit words per group (float bit
///   patterns normalized, a word of null bits), compared as words; a single such key
///   is one word whose hash is a bijection, so a slot's hash alone decides equality;
/// - other keys (strings, arrays, ...) are kept as compact vector copies and compared
///   with RowsEqual.
/// Each slot of the open-addressing table holds the full hash next to the group id, so
/// a probe touches the group's key only when the hashes match.
class GroupTable {
 public:
  /// Writes the group id of each row of `keys` (each at least num_rows long, or no
  /// columns at all: one group) to group_ids, adding groups for keys not seen before.
  Status FindOrInsert(const std::vector<VectorPtr>& keys, int64_t num_rows, int64_t* group_ids);

  int64_t num_groups() const { return num_groups_; }
  /// Returns the key values of every group, in group id order (one vector per key
  /// column, num_groups() long). Needs num_groups() > 0.
  Result<std::vector<VectorPtr>> KeyColumns(int num_keys) const;
  /// Bytes held (slots, packed rows, references, key copies).
  int64_t memory_bytes() const;

  /// How a table stores its keys (chosen on the first FindOrInsert); for tests.
  enum class Layout : uint8_t { kUnset, kNoKeys, kPacked, kGeneric };
  Layout layout() const { return layout_; }

  /// One key column or struct field in the packed layout.
  struct PackedField {
    TypePtr type;
    int first_word = 0;  // the field's value words: [first_word, end_word)
    int end_word = 0;
    int null_bit = -1;  // bit in the null word; -1 for the single key without a null word
    int first_bit = 0;  // null bits of the field and its subfields: [first_bit, end_bit)
    int end_bit = 0;
    std::vector<PackedField> children;  // struct fields
  };

 private:
  struct Slot {
    uint64_t hash;
    int64_t group;  // -1: empty
  };

  void Init(const std::vector<VectorPtr>& keys);
  void Grow();
  template <int kWords>
  void InsertPacked(int64_t num_rows, const uint8_t* nulls, int64_t* group_ids);
  int64_t AddPackedGroup(uint64_t hash, const uint64_t* row);
  Status InsertGeneric(const std::vector<VectorPtr>& keys, int64_t num_rows, int64_t* group_ids);
  void HashGeneric(const std::vector<VectorPtr>& keys, int64_t num_rows);
  template <bool kSingleString>
  int64_t ProbeGeneric(uint64_t hash, const std::vector<VectorPtr>& keys, int64_t row,
                       int64_t pending);
  VectorPtr UnpackField(const PackedField& field) const;

  Layout layout_ = Layout::kUnset;
  int64_t num_groups_ = 0;
  std::vector<Slot> slots_;  // capacity a power of two, at most half full

  // kPacked: words_ words per group in rows_; the null word last when has_null_word_.
  std::vector<PackedField> fields_;
  int words_ = 0;
  bool has_null_word_ = false;
  std::vector<uint64_t> rows_;
  int64_t null_group_ = -1;  // the null key's group when there is no null word
  std::vector<uint64_t> batch_rows_;
  std::vector<uint64_t> hashes_;

  // kGeneric: where each group's key values are: (chunk, row); chunk == chunks_.size()
  // is the batch being inserted.
  std::vector<std::pair<int64_t, int64_t>> group_ref_;
  std::vector<std::vector<VectorPtr>> chunks_;
  /// Equality of one key column's values, chosen once per column.
  using EqualFn = bool (*)(const Vector&, int64_t, const Vector&, int64_t);
  std::vector<EqualFn> equal_;
  bool single_string_ = false;  // one string or binary key column
  std::vector<uint64_t> column_hashes_;
  /// single_string_: each group's bytes, in its chunk (in the batch while pending).
  struct StoredString {
    const char* data;
    size_t size;
    bool is_null;
  };
  std::vector<StoredString> group_strings_;
  int64_t key_bytes_ = 0;
};

}  // namespace sluice::exec
