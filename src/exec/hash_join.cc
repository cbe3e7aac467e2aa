// SPDX-License-Identifier: Apache-2.0
#include "exec/hash_join.h"

#include <algorithm>
#include <limits>
#include <mutex>
#include <utility>

#include "columnar/concat.h"
#include "columnar/row_hash.h"
#include "exec/basic_ops.h"
#include "expr/evaluator.h"

namespace sluice::exec {

/// Whether row `a` of `left` equals row `b` of `right`, two vectors of one key type, as
/// ValuesEqual (null equals null); chosen once per key column.
using KeyEquals = bool (*)(const Vector& left, int64_t a, const Vector& right, int64_t b);

/// One slot of an open-addressing table: a distinct key and the first build row holding
/// it. `tag` is the key itself for a single integer key, else the rows' hash.
struct Slot {
  uint64_t tag = 0;
  int64_t row = -1;  // -1 for an empty slot
};

/// The build side, written by the sink's Combine/Finalize and read by the probes after.
/// Each distinct key (a slot) heads a list of the build rows holding it (in build order,
/// linked by `same`), so a probe compares keys once per candidate key, not per build row.
struct JoinHashTable {
  std::mutex mu;
  // Filled by Combine (guarded by mu), then merged by Finalize.
  std::vector<BatchPtr> batches;
  std::vector<std::vector<VectorPtr>> key_parts;
  // Read-only once Finalize returns.
  BatchPtr build;
  std::vector<VectorPtr> keys;
  // One fixed-width integer key. Keys in a range not much wider than the row count:
  // dense[key - dense_min] is the first build row with the key (-1 for none). Else
  // `slots` tagged with the raw value.
  bool int_key = false;
  std::vector<int32_t> dense;
  int64_t dense_min = 0;
  int64_t null_row = -1;  // a null-safe key's first build row whose key is null
  // Open addressing with linear probing from the top bits of the slot hash.
  std::vector<Slot> slots;  // a power of two
  int slot_shift = 0;       // 64 - log2(slots.size())
  // Other keys: the slots are tagged with the hash, keys compared by key_equals.
  std::vector<KeyEquals> key_equals;  // per key column
  // Both: build row -> next build row with the same key, -1 at the end.
  std::vector<int64_t> same;
  bool unique = true;  // no two build rows share a key
  // Build rows that found a match (outer joins keeping build rows); guarded by mu.
  std::vector<uint8_t> matched;
};

namespace {

constexpr int64_t kPairsPerChunk = kDefaultBatchRows;
/// The most probe rows handled at once.
constexpr int64_t kProbeRows = 4 * kDefaultBatchRows;

/// The width in bytes of a key type compared as a raw integer, 0 for other types.
int IntKeyWidth(TypeId id) {
  switch (id) {
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return ValueWidth(id);
    default:
      return 0;
  }
}

/// Calls f(T{}) with T the signed integer of `width` bytes (1, 2, 4 or 8).
template <typename F>
void DispatchIntWidth(int width, F&& f) {
  switch (width) {
    case 1:
      return f(int8_t{});
    case 2:
      return f(int16_t{});
    case 4:
      return f(int32_t{});
    default:
      return f(int64_t{});
  }
}

/// Fibonacci hashing: the top bits of the product depend on every bit of the key.
inline uint64_t IntSlotOf(int64_t key, int shift) {
  return (static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ULL) >> shift;
}

/// How many rows ahead a probe loop prefetches its slot.
constexpr int64_t kPrefetchRows = 16;

/// Sizes `t.slots` to a power of two at least twice `rows`, all empty.
void AllocateSlots(JoinHashTable& t, int64_t rows) {
  int bits = 4;
  while ((int64_t{1} << bits) < rows * 2)
    ++bits;
  t.slots.assign(size_t{1} << bits, Slot{});
  t.slot_shift = 64 - bits;
}

Result<std::vector<VectorPtr>> EvaluateKeys(const std::vector<expr::ExprPtr>& exprs,
                                            const Batch& batch, const expr::EvalContext& ctx) {
  std::vector<VectorPtr> keys;
  for (const expr::ExprPtr& e : exprs) {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr key, expr::Evaluate(*e, batch, ctx));
    if (key->length() != batch.num_rows()) {
      SLUICE_ASSIGN_OR_RETURN(key, Take(*key, std::vector<int64_t>(batch.num_rows(), 0)));
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

/// True when a key that is not null-safe is null: the row matches nothing.
bool HasNullKey(const std::vector<VectorPtr>& keys, const std::vector<bool>& null_safe,
                int64_t row) {
  for (size_t k = 0; k < keys.size(); ++k) {
    if (!null_safe[k] && keys[k]->IsNull(row))
      return true;
  }
  return false;
}

VectorPtr MakeNulls(const TypePtr& type, int64_t length) {
  auto builder = VectorBuilder::Make(type);
  for (int64_t i = 0; i < length; ++i)
    builder->AppendNull();
  return builder->Finish();
}

/// A 16-byte value (decimal) copied as a block.
struct Bytes16 {
  uint64_t half[2];
};

/// Gathers a fixed-width column in one typed pass; a negative row gives a null.
template <typename T>
VectorPtr GatherFixed(const Vector& source, const std::vector<int64_t>& rows, bool has_null_rows) {
  const auto n = static_cast<int64_t>(rows.size());
  auto values = std::make_shared<Buffer>(n * static_cast<int64_t>(sizeof(T)));
  T* out = values->mutable_data_as<T>();
  const T* in = source.values_buffer() != nullptr
                    ? source.values_buffer()->data_as<T>() + source.offset()
                    : nullptr;
  if (source.null_count() == 0 && !has_null_rows) {
    for (int64_t i = 0; i < n; ++i)
      out[i] = in[rows[i]];
    return std::make_shared<const Vector>(source.type(), n, 0, nullptr, std::move(values), nullptr,
                                          std::vector<VectorPtr>{});
  }
  auto validity = std::make_shared<Buffer>(bits::BytesFor(n));
  uint8_t* bitmap = validity->mutable_data();
  int64_t nulls = 0;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t row = rows[i];
    if (row < 0 || source.IsNull(row)) {
      ++nulls;  // the value stays zeroed
      continue;
    }
    out[i] = in[row];
    bits::Set(bitmap, i);
  }
  return std::make_shared<const Vector>(source.type(), n, nulls,
                                        nulls > 0 ? std::move(validity) : nullptr,
                                        std::move(values), nullptr, std::vector<VectorPtr>{});
}

/// Returns the rows of `source` at `rows`; with `has_null_rows`, a negative row gives a
/// null (the other side of an outer join). Fixed-width types are gathered here in one
/// typed pass, others through Take or builders.
Result<VectorPtr> Gather(const Vector& source, const std::vector<int64_t>& rows,
                         bool has_null_rows) {
  switch (ValueWidth(source.type_id())) {
    case 1:
      return GatherFixed<uint8_t>(source, rows, has_null_rows);
    case 2:
      return GatherFixed<uint16_t>(source, rows, has_null_rows);
    case 4:
      return GatherFixed<uint32_t>(source, rows, has_null_rows);
    case 8:
      return GatherFixed<uint64_t>(source, rows, has_null_rows);
    case 16:
      return GatherFixed<Bytes16>(source, rows, has_null_rows);
    default:
      break;
  }
  if (!has_null_rows)
    return Take(source, rows);
  auto builder = VectorBuilder::Make(source.type());
  builder->Reserve(static_cast<int64_t>(rows.size()));
  for (int64_t row : rows) {
    if (row < 0) {
      builder->AppendNull();
    } else {
      AppendValue(source, row, builder.get());
    }
  }
  return builder->Finish();
}

/// Returns `vector`'s rows under `type`, a type of the same layout.
VectorPtr Relabel(const Vector& vector, const TypePtr& type) {
  return std::make_shared<const Vector>(type, vector.length(), vector.null_count(),
                                        vector.validity_buffer(), vector.values_buffer(),
                                        vector.data_buffer(), vector.children(), vector.offset());
}

Result<std::vector<VectorPtr>> GatherColumns(const Batch& batch, const std::vector<int64_t>& rows,
                                             bool has_null_rows = false) {
  std::vector<VectorPtr> columns;
  for (const VectorPtr& column : batch.columns()) {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr taken, Gather(*column, rows, has_null_rows));
    columns.push_back(std::move(taken));
  }
  return columns;
}

/// Puts the keys in `t.dense` when their range is at most about twice the row count;
/// returns false (and leaves `t` alone) when it is wider.
template <typename T>
bool BuildDenseTable(JoinHashTable& t, const T* values, bool nulls) {
  const Vector& key = *t.keys[0];
  const int64_t rows = key.length();
  if (rows >= std::numeric_limits<int32_t>::max())
    return false;
  int64_t min = std::numeric_limits<int64_t>::max();
  int64_t max = std::numeric_limits<int64_t>::min();
  for (int64_t r = 0; r < rows; ++r) {
    if (nulls && key.IsNull(r))
      continue;
    min = std::min<int64_t>(min, values[r]);
    max = std::max<int64_t>(max, values[r]);
  }
  if (min > max)
    return false;
  const uint64_t range = static_cast<uint64_t>(max) - static_cast<uint64_t>(min) + 1;
  if (range == 0 || range > static_cast<uint64_t>(std::max<int64_t>(2 * rows, 1024)))
    return false;
  t.dense.assign(range, -1);
  t.dense_min = min;
  // Backwards, each row put first: every list ends up in build order.
  for (int64_t r = rows - 1; r >= 0; --r) {
    if (nulls && key.IsNull(r))
      continue;
    int32_t& head = t.dense[static_cast<uint64_t>(values[r]) - static_cast<uint64_t>(min)];
    if (head >= 0) {
      t.unique = false;
      t.same[r] = head;
    }
    head = static_cast<int32_t>(r);
  }
  return true;
}

/// Hashes the rows of a single integer key into `t.dense` or `t.slots`.
template <typename T>
void BuildIntTable(JoinHashTable& t, bool null_safe) {
  const Vector& key = *t.keys[0];
  const int64_t rows = key.length();
  const T* values =
      key.values_buffer() != nullptr ? key.values_buffer()->data_as<T>() + key.offset() : nullptr;
  const bool nulls = key.null_count() > 0;
  if (null_safe && nulls) {
    for (int64_t r = rows - 1; r >= 0; --r) {
      if (key.IsNull(r)) {
        t.unique = t.unique && t.null_row < 0;
        t.same[r] = t.null_row;
        t.null_row = r;
      }
    }
  }
  if (BuildDenseTable(t, values, nulls))
    return;
  AllocateSlots(t, rows);
  const uint64_t mask = t.slots.size() - 1;
  // Backwards, each row put first: every list ends up in build order.
  for (int64_t r = rows - 1; r >= 0; --r) {
    if (nulls && key.IsNull(r))
      continue;
    const auto value = static_cast<uint64_t>(static_cast<int64_t>(values[r]));
    uint64_t s = IntSlotOf(static_cast<int64_t>(value), t.slot_shift);
    while (t.slots[s].row >= 0 && t.slots[s].tag != value)
      s = (s + 1) & mask;
    Slot& slot = t.slots[s];
    if (slot.row >= 0) {
      t.unique = false;
      t.same[r] = slot.row;
    }
    slot.tag = value;
    slot.row = r;
  }
}

template <typename T>
bool FixedEquals(const Vector& left, int64_t a, const Vector& right, int64_t b) {
  const bool left_null = left.IsNull(a);
  const bool right_null = right.IsNull(b);
  if (left_null || right_null)
    return left_null && right_null;
  return left.Value<T>(a) == right.Value<T>(b);
}

bool BytesEqual(const Vector& left, int64_t a, const Vector& right, int64_t b) {
  const bool left_null = left.IsNull(a);
  const bool right_null = right.IsNull(b);
  if (left_null || right_null)
    return left_null && right_null;
  return left.StringValue(a) == right.StringValue(b);
}

/// The typed equality of a key type: raw values for integers, dates, timestamps and
/// decimals (one type has one scale), bytes for strings and binary; ValuesEqual for the
/// rest (floating point normalizes -0.0 and NaN; nested types).
KeyEquals ChooseKeyEquals(TypeId id) {
  switch (id) {
    case TypeId::kByte:
      return FixedEquals<int8_t>;
    case TypeId::kShort:
      return FixedEquals<int16_t>;
    case TypeId::kInt:
    case TypeId::kDate:
      return FixedEquals<int32_t>;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return FixedEquals<int64_t>;
    case TypeId::kDecimal:
      return FixedEquals<Int128>;
    case TypeId::kString:
    case TypeId::kBinary:
      return BytesEqual;
    default:
      return ValuesEqual;
  }
}

bool KeysEqual(const std::vector<KeyEquals>& equals, const std::vector<VectorPtr>& left, int64_t a,
               const std::vector<VectorPtr>& right, int64_t b) {
  for (size_t k = 0; k < equals.size(); ++k) {
    if (!equals[k](*left[k], a, *right[k], b))
      return false;
  }
  return true;
}

/// Hashes the rows of any keys into slots tagged with their hash.
void BuildGenericTable(JoinHashTable& t, const std::vector<bool>& null_safe) {
  const int64_t rows = t.build->num_rows();
  std::vector<uint64_t> hashes(rows);
  HashRows(t.keys, rows, hashes.data());
  AllocateSlots(t, rows);
  const uint64_t mask = t.slots.size() - 1;
  for (const VectorPtr& key : t.keys)
    t.key_equals.push_back(ChooseKeyEquals(key->type_id()));
  // Backwards, each row put first: every list ends up in build order.
  for (int64_t r = rows - 1; r >= 0; --r) {
    if (HasNullKey(t.keys, null_safe, r))
      continue;
    const uint64_t hash = hashes[r];
    uint64_t s = hash >> t.slot_shift;
    while (t.slots[s].row >= 0 && (t.slots[s].tag != hash ||
                                   !KeysEqual(t.key_equals, t.keys, r, t.keys, t.slots[s].row))) {
      s = (s + 1) & mask;
    }
    Slot& slot = t.slots[s];
    if (slot.row >= 0) {
      t.unique = false;
      t.same[r] = slot.row;
    }
    slot.tag = hash;
    slot.row = r;
  }
}

/// Sets first[p] to the first build row whose key equals probe row p's, -1 for none.
template <typename T>
void ProbeIntTable(const JoinHashTable& t, const Vector& key, bool null_safe, int64_t* first) {
  const int64_t rows = key.length();
  const T* values =
      key.values_buffer() != nullptr ? key.values_buffer()->data_as<T>() + key.offset() : nullptr;
  const bool nulls = key.null_count() > 0;
  if (!t.dense.empty()) {
    const int32_t* dense = t.dense.data();
    const uint64_t range = t.dense.size();
    const auto min = static_cast<uint64_t>(t.dense_min);
    for (int64_t p = 0; p < rows; ++p) {
      const uint64_t index = static_cast<uint64_t>(static_cast<int64_t>(values[p])) - min;
      first[p] = index < range ? dense[index] : -1;
    }
    if (nulls) {
      for (int64_t p = 0; p < rows; ++p) {
        if (key.IsNull(p))
          first[p] = null_safe ? t.null_row : -1;
      }
    }
    return;
  }
  const Slot* slots = t.slots.data();
  const uint64_t mask = t.slots.size() - 1;
  const int shift = t.slot_shift;
  for (int64_t p = 0; p < rows; ++p) {
    if (p + kPrefetchRows < rows)
      __builtin_prefetch(&slots[IntSlotOf(values[p + kPrefetchRows], shift)]);
    if (nulls && key.IsNull(p)) {
      first[p] = null_safe ? t.null_row : -1;
      continue;
    }
    const auto value = static_cast<uint64_t>(static_cast<int64_t>(values[p]));
    uint64_t s = IntSlotOf(static_cast<int64_t>(value), shift);
    while (slots[s].row >= 0 && slots[s].tag != value)
      s = (s + 1) & mask;
    first[p] = slots[s].row;
  }
}

void ProbeGenericTable(const JoinHashTable& t, const std::vector<VectorPtr>& keys,
                       const std::vector<bool>& null_safe, int64_t rows, int64_t* first) {
  std::vector<uint64_t> hashes(rows);
  HashRows(keys, rows, hashes.data());
  const Slot* slots = t.slots.data();
  const uint64_t mask = t.slots.size() - 1;
  const int shift = t.slot_shift;
  for (int64_t p = 0; p < rows; ++p) {
    if (p + kPrefetchRows < rows)
      __builtin_prefetch(&slots[hashes[p + kPrefetchRows] >> shift]);
    first[p] = -1;
    if (HasNullKey(keys, null_safe, p))
      continue;
    const uint64_t hash = hashes[p];
    for (uint64_t s = hash >> shift; slots[s].row >= 0; s = (s + 1) & mask) {
      if (slots[s].tag == hash && KeysEqual(t.key_equals, keys, p, t.keys, slots[s].row)) {
        first[p] = slots[s].row;
        break;
      }
    }
  }
}

class JoinBuildSink final : public Sink {
 public:
  JoinBuildSink(SchemaPtr schema, std::vector<expr::ExprPtr> keys, std::vector<bool> null_safe,
                int int_key_width, std::shared_ptr<JoinHashTable> table)
      : schema_(std::move(schema)),
        keys_(std::move(keys)),
        null_safe_(std::move(null_safe)),
        int_key_width_(int_key_width),
        table_(std::move(table)) {}
  std::string name() const override { return "HashJoin"; }

  struct Local final : SinkState {
    explicit Local(ExecContext& ctx) : reservation(&ctx.memory, "HashJoin") {}
    std::vector<BatchPtr> batches;
    std::vector<std::vector<VectorPtr>> keys;
    MemoryReservation reservation;
  };

  Result<std::unique_ptr<SinkState>> MakeLocalState(ExecContext& ctx) const override {
    return std::unique_ptr<SinkState>(std::make_unique<Local>(ctx));
  }

  Status Consume(ExecContext& ctx, SinkState& local, const BatchPtr& batch,
                 int /*input*/) const override {
    auto& state = static_cast<Local&>(local);
    SLUICE_ASSIGN_OR_RETURN(auto keys, EvaluateKeys(keys_, *batch, ctx.options.eval));
    int64_t bytes = BatchBytes(*batch);
    for (const VectorPtr& key : keys)
      bytes += VectorBytes(*key);
    state.batches.push_back(batch);
    state.keys.push_back(std::move(keys));
    return state.reservation.Set(state.reservation.bytes() + bytes);
  }

  Status Combine(ExecContext& /*ctx*/, SinkState& local) const override {
    auto& state = static_cast<Local&>(local);
    std::lock_guard<std::mutex> lock(table_->mu);
    for (size_t i = 0; i < state.batches.size(); ++i) {
      table_->batches.push_back(std::move(state.batches[i]));
      table_->key_parts.push_back(std::move(state.keys[i]));
    }
    // The rows stay held by the table: keep them counted for the rest of the query.
    reserved_ += state.reservation.bytes();
    return Status::Ok();
  }

  Status Finalize(ExecContext& ctx) const override {
    std::lock_guard<std::mutex> lock(table_->mu);
    ctx.memory.ForceReserve(reserved_);
    JoinHashTable& t = *table_;
    SLUICE_RETURN_IF_ERROR(MergeBatches(t));
    const int64_t rows = t.build->num_rows();
    t.matched.assign(rows, 0);
    if (keys_.empty())
      return Status::Ok();
    t.same.assign(rows, -1);
    if (int_key_width_ > 0) {
      t.int_key = true;
      DispatchIntWidth(int_key_width_,
                       [&](auto zero) { BuildIntTable<decltype(zero)>(t, null_safe_[0]); });
    } else {
      BuildGenericTable(t, null_safe_);
    }
    const auto table_bytes =
        static_cast<int64_t>(t.dense.size() * sizeof(int32_t) + t.slots.size() * sizeof(Slot) +
                             t.same.size() * sizeof(int64_t));
    return ctx.memory.Reserve(table_bytes, "HashJoin");
  }

 private:
  /// Concatenates the collected batches and key columns into t.build and t.keys.
  Status MergeBatches(JoinHashTable& t) const {
    if (t.batches.empty()) {
      t.build = Batch::MakeEmpty(schema_);
      for (const expr::ExprPtr& key : keys_)
        t.keys.push_back(MakeNulls(key->type(), 0));
    } else {
      SLUICE_ASSIGN_OR_RETURN(BatchPtr build, ConcatenateBatches(t.batches));
      t.build = build;
      for (size_t k = 0; k < keys_.size(); ++k) {
        std::vector<VectorPtr> parts;
        for (const auto& part : t.key_parts)
          parts.push_back(part[k]);
        SLUICE_ASSIGN_OR_RETURN(VectorPtr key, Concatenate(parts));
        t.keys.push_back(std::move(key));
      }
    }
    t.batches.clear();
    t.key_parts.clear();
    return Status::Ok();
  }

  SchemaPtr schema_;
  std::vector<expr::ExprPtr> keys_;
  std::vector<bool> null_safe_;
  int int_key_width_;  // > 0: one integer key of this width, hashed by BuildIntTable
  std::shared_ptr<JoinHashTable> table_;
  mutable int64_t reserved_ = 0;  // guarded by table_->mu
};

}  // namespace

namespace {

/// Which rows a join keeps besides the matched pairs.
struct JoinShape {
  sql::JoinKind kind;
  bool probe_is_left;
  bool keep_unmatched_probe;  // the probe side is an outer side
  bool keep_unmatched_build;  // the build side is an outer side
  bool semi_or_anti;
};

class JoinProbe final : public Operator {
 public:
  JoinProbe(const sql::JoinNode& node, JoinShape shape, std::shared_ptr<JoinHashTable> table)
      : node_(node),
        shape_(shape),
        table_(std::move(table)),
        probe_keys_(shape.probe_is_left ? node.left_keys : node.right_keys),
        build_schema_(node.child(shape.probe_is_left ? 1 : 0)->schema()),
        probe_schema_(node.child(shape.probe_is_left ? 0 : 1)->schema()),
        joined_schema_(JoinedSchema(node)) {
    // A build column that is a key equal only to identical values (not floating point,
    // not nested) is, in a matched row, a copy of the probe key.
    const auto& build_keys = shape.probe_is_left ? node.right_keys : node.left_keys;
    key_of_build_column_.assign(build_schema_->num_fields(), -1);
    for (size_t k = 0; k < build_keys.size(); ++k) {
      const TypeId id = build_keys[k]->type()->id();
      const bool identity = ChooseKeyEquals(id) != ValuesEqual;
      if (identity && id == probe_keys_[k]->type()->id() &&
          build_keys[k]->kind() == expr::ExprKind::kColumn &&
          build_schema_->field(build_keys[k]->column_index()).type->id() == id) {
        key_of_build_column_[build_keys[k]->column_index()] = static_cast<int>(k);
      }
    }
  }

  std::string name() const override { return "HashJoin"; }

  struct State final : OperatorState {
    std::vector<uint8_t> build_matched;
    std::vector<int64_t> first;  // per probe row of a slice, reused
  };

  std::unique_ptr<OperatorState> MakeState(ExecContext& /*ctx*/) const override {
    return std::make_unique<State>();
  }

  Status Execute(ExecContext& ctx, OperatorState* state, const BatchPtr& input,
                 const Emit& emit) const override {
    auto& local = *static_cast<State*>(state);
    const JoinHashTable& t = *table_;
    if (shape_.keep_unmatched_build && local.build_matched.empty()) {
      local.build_matched.assign(t.build->num_rows(), 0);
    }
    // Large batches are probed in slices, so that the per-slice buffers stay in cache.
    const int64_t total = input->num_rows();
    if (total <= kProbeRows)
      return ExecuteSlice(ctx, local, input, emit);
    for (int64_t start = 0; start < total; start += kProbeRows) {
      SLUICE_RETURN_IF_ERROR(
          ExecuteSlice(ctx, local, input->Slice(start, std::min(kProbeRows, total - start)), emit));
    }
    return Status::Ok();
  }

  Status Combine(ExecContext& /*ctx*/, OperatorState* state) const override {
    auto& local = *static_cast<State*>(state);
    if (local.build_matched.empty())
      return Status::Ok();
    std::lock_guard<std::mutex> lock(table_->mu);
    for (size_t b = 0; b < local.build_matched.size(); ++b) {
      table_->matched[b] |= local.build_matched[b];
    }
    return Status::Ok();
  }

  Status Finish(ExecContext& /*ctx*/, const Emit& emit) const override {
    if (!shape_.keep_unmatched_build)
      return Status::Ok();
    std::vector<int64_t> rows;
    {
      std::lock_guard<std::mutex> lock(table_->mu);
      for (size_t b = 0; b < table_->matched.size(); ++b) {
        if (!table_->matched[b])
          rows.push_back(static_cast<int64_t>(b));
      }
    }
    for (size_t start = 0; start < rows.size(); start += kDefaultBatchRows) {
      std::vector<int64_t> chunk(rows.begin() + start,
                                 rows.begin() + std::min(rows.size(), start + kDefaultBatchRows));
      SLUICE_ASSIGN_OR_RETURN(auto build_columns, GatherColumns(*table_->build, chunk));
      std::vector<VectorPtr> probe_columns;
      for (const Field& field : probe_schema_->fields()) {
        probe_columns.push_back(MakeNulls(field.type, static_cast<int64_t>(chunk.size())));
      }
      SLUICE_RETURN_IF_ERROR(
          emit(Joined(std::move(probe_columns), std::move(build_columns), chunk.size())));
    }
    return Status::Ok();
  }

 private:
  /// Probes one slice of at most kProbeRows rows.
  Status ExecuteSlice(ExecContext& ctx, State& local, const BatchPtr& input,
                      const Emit& emit) const {
    const JoinHashTable& t = *table_;
    const int64_t rows = input->num_rows();
    if (rows == 0)
      return Status::Ok();
    if (node_.left_keys.empty())
      return CrossJoin(ctx, *input, local, emit);
    SLUICE_ASSIGN_OR_RETURN(auto keys, EvaluateKeys(probe_keys_, *input, ctx.options.eval));
    std::vector<int64_t>& first = local.first;
    first.resize(rows);
    if (t.int_key) {
      DispatchIntWidth(ValueWidth(keys[0]->type_id()), [&](auto zero) {
        ProbeIntTable<decltype(zero)>(t, *keys[0], node_.null_safe[0], first.data());
      });
    } else {
      ProbeGenericTable(t, keys, node_.null_safe, rows, first.data());
    }
    if (node_.residual == nullptr && (shape_.semi_or_anti || t.unique))
      return EmitFirstMatches(*input, keys, first, local, emit);
    std::vector<uint8_t> probe_matched(rows, 0);
    std::vector<int64_t> probe_rows;
    std::vector<int64_t> build_rows;
    for (int64_t p = 0; p < rows; ++p) {
      for (int64_t b = first[p]; b >= 0; b = t.same[b]) {
        probe_rows.push_back(p);
        build_rows.push_back(b);
        if (static_cast<int64_t>(probe_rows.size()) >= kPairsPerChunk) {
          SLUICE_RETURN_IF_ERROR(
              EmitPairs(ctx, *input, probe_rows, build_rows, probe_matched, local, emit));
        }
      }
    }
    if (!probe_rows.empty()) {
      SLUICE_RETURN_IF_ERROR(
          EmitPairs(ctx, *input, probe_rows, build_rows, probe_matched, local, emit));
    }
    return EmitProbeLeftovers(*input, probe_matched, emit);
  }

  static SchemaPtr JoinedSchema(const sql::JoinNode& node) {
    std::vector<Field> fields = node.child(0)->schema()->fields();
    for (const Field& field : node.child(1)->schema()->fields())
      fields.push_back(field);
    return MakeSchema(std::move(fields));
  }

  /// Left columns then right columns, under the join's schema (semi/anti: the
  /// intermediate joined schema, for the residual).
  BatchPtr Joined(std::vector<VectorPtr> probe, std::vector<VectorPtr> build, int64_t rows) const {
    std::vector<VectorPtr> columns = shape_.probe_is_left ? std::move(probe) : std::move(build);
    std::vector<VectorPtr>& rest = shape_.probe_is_left ? build : probe;
    for (VectorPtr& column : rest)
      columns.push_back(std::move(column));
    return std::make_shared<const Batch>(shape_.semi_or_anti ? joined_schema_ : node_.schema(),
                                         std::move(columns), rows);
  }

  /// The nested loop of a join without keys: every probe row with every build row.
  Status CrossJoin(ExecContext& ctx, const Batch& input, State& local, const Emit& emit) const {
    const int64_t rows = input.num_rows();
    const int64_t build_rows_total = table_->build->num_rows();
    std::vector<uint8_t> probe_matched(rows, 0);
    std::vector<int64_t> probe_rows;
    std::vector<int64_t> build_rows;
    for (int64_t p = 0; p < rows; ++p) {
      for (int64_t b = 0; b < build_rows_total; ++b) {
        probe_rows.push_back(p);
        build_rows.push_back(b);
        if (static_cast<int64_t>(probe_rows.size()) >= kPairsPerChunk) {
          SLUICE_RETURN_IF_ERROR(
              EmitPairs(ctx, input, probe_rows, build_rows, probe_matched, local, emit));
        }
      }
    }
    if (!probe_rows.empty()) {
      SLUICE_RETURN_IF_ERROR(
          EmitPairs(ctx, input, probe_rows, build_rows, probe_matched, local, emit));
    }
    return EmitProbeLeftovers(input, probe_matched, emit);
  }

  /// Emits a probe batch when each probe row needs only its first match (first[p], -1
  /// for none): the build keys are unique, or a semi/anti join only asks whether one
  /// exists; no residual. Probe columns pass through or are selected, build columns
  /// are gathered once, in probe order. `probe_keys` are the probe rows' keys.
  Status EmitFirstMatches(const Batch& input, const std::vector<VectorPtr>& probe_keys,
                          const std::vector<int64_t>& first, State& local, const Emit& emit) const {
    const int64_t rows = input.num_rows();
    if (shape_.semi_or_anti) {
      const bool want_matched = shape_.kind == sql::JoinKind::kLeftSemi;
      std::vector<int64_t> selected;
      for (int64_t p = 0; p < rows; ++p) {
        if ((first[p] >= 0) == want_matched)
          selected.push_back(p);
      }
      return EmitSelected(input, selected, node_.schema(), emit);
    }
    if (shape_.keep_unmatched_build) {
      for (int64_t p = 0; p < rows; ++p) {
        if (first[p] >= 0)
          local.build_matched[first[p]] = 1;
      }
    }
    if (shape_.keep_unmatched_probe) {
      // Every probe row once, with its match or nulls.
      SLUICE_ASSIGN_OR_RETURN(auto build_columns, GatherColumns(*table_->build, first, true));
      return emit(Joined(input.columns(), std::move(build_columns), rows));
    }
    const auto matched =
        std::count_if(first.begin(), first.end(), [](int64_t b) { return b >= 0; });
    if (matched == 0)
      return Status::Ok();
    std::vector<VectorPtr> probe_columns = input.columns();
    std::vector<int64_t> selected;
    std::vector<int64_t> build_rows;
    if (matched < rows) {
      selected.reserve(matched);
      build_rows.reserve(matched);
      for (int64_t p = 0; p < rows; ++p) {
        if (first[p] >= 0) {
          selected.push_back(p);
          build_rows.push_back(first[p]);
        }
      }
      SLUICE_ASSIGN_OR_RETURN(probe_columns, GatherColumns(input, selected));
    }
    const std::vector<int64_t>& gather_rows = matched < rows ? build_rows : first;
    std::vector<VectorPtr> build_columns;
    for (int c = 0; c < table_->build->num_columns(); ++c) {
      const Vector& column = *table_->build->column(c);
      VectorPtr out;
      if (const int k = key_of_build_column_[c]; k >= 0) {
        // Keys equal only when identical: the matched build keys are the probe keys.
        const Vector& probe_key = *probe_keys[k];
        VectorPtr key;
        SLUICE_ASSIGN_OR_RETURN(key, matched < rows ? Gather(probe_key, selected, false)
                                                    : Relabel(probe_key, column.type()));
        out = Relabel(*key, column.type());
      } else {
        SLUICE_ASSIGN_OR_RETURN(out, Gather(column, gather_rows, false));
      }
      build_columns.push_back(std::move(out));
    }
    return emit(Joined(std::move(probe_columns), std::move(build_columns), matched));
  }

  /// Emits rows `selected` of `input` (all of it unchanged when it selects every row).
  static Status EmitSelected(const Batch& input, const std::vector<int64_t>& selected,
                             const SchemaPtr& schema, const Emit& emit) {
    const auto n = std::ssize(selected);
    if (n == 0)
      return Status::Ok();
    if (n == input.num_rows())
      return emit(std::make_shared<const Batch>(schema, input.columns(), n));
    SLUICE_ASSIGN_OR_RETURN(auto columns, GatherColumns(input, selected));
    return emit(std::make_shared<const Batch>(schema, std::move(columns), n));
  }

  /// Applies the residual to candidate pairs, records matches, and emits joined rows.
  Status EmitPairs(ExecContext& ctx, const Batch& input, std::vector<int64_t>& probe_rows,
                   std::vector<int64_t>& build_rows, std::vector<uint8_t>& probe_matched,
                   State& local, const Emit& emit) const {
    const int64_t n = static_cast<int64_t>(probe_rows.size());
    SLUICE_ASSIGN_OR_RETURN(auto probe_columns, GatherColumns(input, probe_rows));
    SLUICE_ASSIGN_OR_RETURN(auto build_columns, GatherColumns(*table_->build, build_rows));
    BatchPtr joined = Joined(std::move(probe_columns), std::move(build_columns), n);
    std::vector<uint8_t> keep(n, 1);
    if (node_.residual != nullptr) {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr mask,
                              expr::Evaluate(*node_.residual, *joined, ctx.options.eval));
      for (int64_t i = 0; i < n; ++i) {
        const int64_t m = mask->length() == 1 ? 0 : i;
        keep[i] = mask->IsValid(m) && mask->BoolValue(m);
      }
      if (!shape_.semi_or_anti) {
        SLUICE_ASSIGN_OR_RETURN(joined, expr::FilterBatch(*joined, *mask));
        joined = WithSchema(node_.schema(), joined);
      }
    }
    for (int64_t i = 0; i < n; ++i) {
      if (!keep[i])
        continue;
      probe_matched[probe_rows[i]] = 1;
      if (shape_.keep_unmatched_build)
        local.build_matched[build_rows[i]] = 1;
    }
    probe_rows.clear();
    build_rows.clear();
    if (shape_.semi_or_anti || joined->num_rows() == 0)
      return Status::Ok();
    return emit(joined);
  }

  /// Emits what a probe batch gives besides matched pairs: semi/anti rows, or the
  /// unmatched rows of an outer probe side.
  Status EmitProbeLeftovers(const Batch& input, const std::vector<uint8_t>& probe_matched,
                            const Emit& emit) const {
    const bool want_matched = shape_.kind == sql::JoinKind::kLeftSemi;
    if (!shape_.semi_or_anti && !shape_.keep_unmatched_probe)
      return Status::Ok();
    std::vector<int64_t> rows;
    for (int64_t p = 0; p < input.num_rows(); ++p) {
      if ((probe_matched[p] != 0) == (shape_.semi_or_anti && want_matched))
        rows.push_back(p);
    }
    if (shape_.semi_or_anti)
      return EmitSelected(input, rows, node_.schema(), emit);
    if (rows.empty())
      return Status::Ok();
    SLUICE_ASSIGN_OR_RETURN(auto probe_columns, GatherColumns(input, rows));
    const int64_t n = static_cast<int64_t>(rows.size());
    std::vector<VectorPtr> build_columns;
    for (const Field& field : build_schema_->fields())
      build_columns.push_back(MakeNulls(field.type, n));
    return emit(Joined(std::move(probe_columns), std::move(build_columns), n));
  }

  const sql::JoinNode& node_;
  JoinShape shape_;
  std::shared_ptr<JoinHashTable> table_;
  std::vector<expr::ExprPtr> probe_keys_;
  SchemaPtr build_schema_;
  SchemaPtr probe_schema_;
  SchemaPtr joined_schema_;
  /// Per build column: the key it is (compared by identity), -1 for none.
  std::vector<int> key_of_build_column_;
};

}  // namespace

JoinOperators MakeHashJoin(const sql::JoinNode& node, bool build_left) {
  using sql::JoinKind;
  const bool semi_or_anti =
      node.join_kind == JoinKind::kLeftSemi || node.join_kind == JoinKind::kLeftAnti;
  if (semi_or_anti)
    build_left = false;
  JoinShape shape{node.join_kind, !build_left, false, false, semi_or_anti};
  const bool left_outer = node.join_kind == JoinKind::kLeft || node.join_kind == JoinKind::kFull;
  const bool right_outer = node.join_kind == JoinKind::kRight || node.join_kind == JoinKind::kFull;
  shape.keep_unmatched_probe = shape.probe_is_left ? left_outer : right_outer;
  shape.keep_unmatched_build = shape.probe_is_left ? right_outer : left_outer;
  // One integer key of the same width on both sides: compared as raw integers.
  int int_key_width = 0;
  if (node.left_keys.size() == 1) {
    const TypeId id = node.left_keys[0]->type()->id();
    if (id == node.right_keys[0]->type()->id())
      int_key_width = IntKeyWidth(id);
  }
  auto table = std::make_shared<JoinHashTable>();
  const int build_index = build_left ? 0 : 1;
  JoinOperators ops;
  ops.build = std::make_shared<JoinBuildSink>(node.child(build_index)->schema(),
                                              build_left ? node.left_keys : node.right_keys,
                                              node.null_safe, int_key_width, table);
  ops.probe = std::make_shared<JoinProbe>(node, shape, table);
  return ops;
}

}  // namespace sluice::exec
