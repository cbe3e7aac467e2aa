// SPDX-License-Identifier: Apache-2.0
// variance/stddev, collect_list/collect_set, approx_count_distinct (HyperLogLog++),
// percentile_approx, and the DISTINCT wrapper.
#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <utility>

#include "columnar/builder.h"
#include "columnar/concat.h"
#include "columnar/row_hash.h"
#include "expr/functions/aggregate_states.h"
#include "expr/functions/more_util.h"

namespace sluice::expr::agg {

namespace {

using more::ArgRow;

uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

uint64_t GroupKey(uint64_t value_hash, int64_t group) {
  return Mix(value_hash ^ (static_cast<uint64_t>(group) * 0x9E3779B97F4A7C15ULL));
}

struct Moments {
  double n = 0;
  double mean = 0;
  double m2 = 0;
};

class MomentState final : public PerGroupState<MomentState, Moments> {
 public:
  explicit MomentState(MomentKind kind) : kind_(kind) {}
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override {
    const Vector& arg = *args[0];
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t row = ArgRow(arg, r);
      if (!arg.IsNull(row)) {
        Combine(states_[group_ids[r]], {1, more::NumericAsDouble(arg, row), 0});
      }
    }
    return Status::Ok();
  }
  Result<VectorPtr> Finalize(const EvalContext& /*ctx*/) override {
    DoubleBuilder builder(DoubleType());
    const bool sample = kind_ == MomentKind::kVarSamp || kind_ == MomentKind::kStddevSamp;
    for (const Moments& m : states_) {
      if (m.n == 0 || (sample && m.n == 1)) {
        builder.AppendNull();
        continue;
      }
      const double variance = m.m2 / (sample ? m.n - 1 : m.n);
      const bool stddev = kind_ == MomentKind::kStddevSamp || kind_ == MomentKind::kStddevPop;
      builder.Append(stddev ? std::sqrt(variance) : variance);
    }
    return builder.Finish();
  }

  // Chan et al.'s parallel update (Spark's CentralMomentAgg merge).
  static void Combine(Moments& into, const Moments& add) {
    if (add.n == 0) {
      return;
    }
    const double n = into.n + add.n;
    const double delta = add.mean - into.mean;
    const double delta_n = delta / n;
    into.mean += delta_n * add.n;
    into.m2 += add.m2 + delta * delta_n * into.n * add.n;
    into.n = n;
  }

 private:
  MomentKind kind_;
};

class CollectState final : public GroupedAggregateState {
 public:
  CollectState(TypePtr element_type, bool distinct)
      : element_type_(std::move(element_type)), distinct_(distinct), store_(element_type_) {}

  void Resize(int64_t num_groups) override { lists_.resize(num_groups); }
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override {
    const Vector& arg = *args[0];
    store_.Begin(args[0]);
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t row = ArgRow(arg, r);
      if (!arg.IsNull(row)) {
        AddValue(group_ids[r], arg, row, [&] { return store_.Add(row); });
      }
    }
    store_.End();
    return Status::Ok();
  }
  Status Merge(GroupedAggregateState& other, const int64_t* group_map) override {
    auto& from = static_cast<CollectState&>(other);
    const int64_t offset = store_.Absorb(from.store_);
    for (size_t g = 0; g < from.lists_.size(); ++g) {
      for (int64_t ref : from.lists_[g]) {
        const int64_t rebased = more::ValueStore::Rebase(ref, offset);
        AddValue(group_map[g], store_.vector(rebased), store_.row(rebased),
                 [rebased] { return rebased; });
      }
    }
    return Status::Ok();
  }
  Result<VectorPtr> Finalize(const EvalContext& /*ctx*/) override {
    ArrayBuilder builder(ArrayType(element_type_, false));
    for (const std::vector<int64_t>& list : lists_) {
      for (int64_t ref : list) {
        store_.AppendTo(ref, builder.element());
      }
      builder.Append();
    }
    return builder.Finish();
  }
  int64_t memory_bytes() const override {
    return store_.memory_bytes() + store_.num_values() * (distinct_ ? 40 : 8) +
           static_cast<int64_t>(lists_.size()) * 24;
  }

 private:
  template <typename AddRef>
  void AddValue(int64_t group, const Vector& vector, int64_t row, AddRef add_ref) {
    if (!distinct_) {
      lists_[group].push_back(add_ref());
      return;
    }
    const uint64_t key = GroupKey(HashValue(vector, row), group);
    auto [begin, end] = seen_.equal_range(key);
    for (auto it = begin; it != end; ++it) {
      if (it->second.first == group && ValuesEqual(store_.vector(it->second.second),
                                                   store_.row(it->second.second), vector, row)) {
        return;
      }
    }
    const int64_t ref = add_ref();
    seen_.emplace(key, std::make_pair(group, ref));
    lists_[group].push_back(ref);
  }

  TypePtr element_type_;
  bool distinct_;
  more::ValueStore store_;
  std::vector<std::vector<int64_t>> lists_;
  std::unordered_multimap<uint64_t, std::pair<int64_t, int64_t>> seen_;  // collect_set
};

// HyperLogLog++ (Heule et al.) as Spark's HyperLogLogPlusPlus, without the empirical
// bias tables: linear counting below Spark's thresholds, the raw estimate above.
class HllState final : public GroupedAggregateState {
 public:
  explicit HllState(int precision) : p_(precision), m_(1 << precision) {}

  void Resize(int64_t num_groups) override {
    registers_.resize(static_cast<size_t>(num_groups) * m_, 0);
  }
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override {
    const Vector& arg = *args[0];
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t row = ArgRow(arg, r);
      if (arg.IsNull(row)) {
        continue;
      }
      const uint64_t hash = Mix(HashValue(arg, row) + 0x9E3779B97F4A7C15ULL);
      const uint64_t index = hash >> (64 - p_);
      const uint64_t rest = (hash << p_) | (uint64_t{1} << (p_ - 1));
      const auto rank = static_cast<uint8_t>(__builtin_clzll(rest) + 1);
      uint8_t& reg = registers_[static_cast<size_t>(group_ids[r]) * m_ + index];
      reg = std::max(reg, rank);
    }
    return Status::Ok();
  }
  Status Merge(GroupedAggregateState& other, const int64_t* group_map) override {
    auto& from = static_cast<HllState&>(other);
    const size_t groups = from.registers_.size() / m_;
    for (size_t g = 0; g < groups; ++g) {
      uint8_t* into = &registers_[static_cast<size_t>(group_map[g]) * m_];
      const uint8_t* add = &from.registers_[g * m_];
      for (int i = 0; i < m_; ++i) {
        into[i] = std::max(into[i], add[i]);
      }
    }
    return Status::Ok();
  }
  Result<VectorPtr> Finalize(const EvalContext& /*ctx*/) override {
    static constexpr double kThresholds[] = {10,   20,   40,    80,    220,   400,    900,   1800,
                                             3100, 6500, 11500, 20000, 50000, 120000, 350000};
    const double m = m_;
    const double alpha = p_ == 4   ? 0.673
                         : p_ == 5 ? 0.697
                         : p_ == 6 ? 0.709
                                   : 0.7213 / (1 + 1.079 / m);
    Int64Builder builder(LongType());
    const size_t groups = registers_.size() / m_;
    for (size_t g = 0; g < groups; ++g) {
      double z = 0;
      int zeros = 0;
      for (int i = 0; i < m_; ++i) {
        const uint8_t reg = registers_[g * m_ + i];
        z += std::ldexp(1.0, -reg);
        zeros += reg == 0 ? 1 : 0;
      }
      const double raw = alpha * m * m / z;
      double estimate = raw;
      if (zeros > 0) {
        const double linear = m * std::log(m / zeros);
        if (linear <= kThresholds[p_ - 4] || raw <= 2.5 * m) {
          estimate = linear;
        }
      }
      builder.Append(static_cast<int64_t>(std::llround(estimate)));
    }
    return builder.Finish();
  }
  int64_t memory_bytes() const override { return static_cast<int64_t>(registers_.size()); }

 private:
  int p_;
  int m_;
  std::vector<uint8_t> registers_;
};

// Exact percentiles with the rank rule of Spark's QuantileSummaries on uncompressed
// samples: the value at position ceil(p * n) (1-based, at least 1) of the sorted values.
class PercentileState final : public GroupedAggregateState {
 public:
  PercentileState(TypePtr input, std::vector<double> percentages, bool as_array)
      : input_(std::move(input)), percentages_(std::move(percentages)), as_array_(as_array) {}

  void Resize(int64_t num_groups) override { values_.resize(num_groups); }
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override {
    const Vector& arg = *args[0];
    const bool integral = arg.type()->is_integral() || arg.type_id() == TypeId::kDate ||
                          arg.type_id() == TypeId::kTimestamp ||
                          arg.type_id() == TypeId::kTimestampNtz;
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t row = ArgRow(arg, r);
      if (!arg.IsNull(row)) {
        values_[group_ids[r]].push_back(integral
                                            ? static_cast<double>(more::IntegralAsLong(arg, row))
                                            : more::NumericAsDouble(arg, row));
      }
    }
    return Status::Ok();
  }
  Status Merge(GroupedAggregateState& other, const int64_t* group_map) override {
    auto& from = static_cast<PercentileState&>(other);
    for (size_t g = 0; g < from.values_.size(); ++g) {
      std::vector<double>& into = values_[group_map[g]];
      into.insert(into.end(), from.values_[g].begin(), from.values_[g].end());
    }
    return Status::Ok();
  }
  Result<VectorPtr> Finalize(const EvalContext& /*ctx*/) override;
  int64_t memory_bytes() const override {
    int64_t bytes = static_cast<int64_t>(values_.size()) * 24;
    for (const auto& v : values_) {
      bytes += static_cast<int64_t>(v.capacity()) * 8;
    }
    return bytes;
  }

 private:
  void AppendAs(double value, VectorBuilder* builder) const {
    switch (input_->id()) {
      case TypeId::kByte:
        static_cast<Int8Builder*>(builder)->Append(static_cast<int8_t>(value));
        break;
      case TypeId::kShort:
        static_cast<Int16Builder*>(builder)->Append(static_cast<int16_t>(value));
        break;
      case TypeId::kInt:
      case TypeId::kDate:
        static_cast<Int32Builder*>(builder)->Append(static_cast<int32_t>(value));
        break;
      case TypeId::kLong:
      case TypeId::kTimestamp:
      case TypeId::kTimestampNtz:
        static_cast<Int64Builder*>(builder)->Append(static_cast<int64_t>(value));
        break;
      case TypeId::kFloat:
        static_cast<FloatBuilder*>(builder)->Append(static_cast<float>(value));
        break;
      case TypeId::kDecimal:
        static_cast<DecimalBuilder*>(builder)->Append(
            static_cast<Int128>(std::llround(value * std::pow(10.0, input_->scale()))));
        break;
      default:
        static_cast<DoubleBuilder*>(builder)->Append(value);
        break;
    }
  }

  TypePtr input_;
  std::vector<double> percentages_;
  bool as_array_;
  std::vector<std::vector<double>> values_;
};

Result<VectorPtr> PercentileState::Finalize(const EvalContext& /*ctx*/) {
  std::unique_ptr<VectorBuilder> builder =
      VectorBuilder::Make(as_array_ ? ArrayType(input_, false) : input_);
  for (std::vector<double>& values : values_) {
    if (values.empty()) {
      builder->AppendNull();
      continue;
    }
    std::sort(values.begin(), values.end());
    const auto n = static_cast<double>(values.size());
    VectorBuilder* out =
        as_array_ ? static_cast<ArrayBuilder*>(builder.get())->element() : builder.get();
    for (double p : percentages_) {
      const auto rank = static_cast<int64_t>(std::ceil(p * n));
      const int64_t index = std::clamp<int64_t>(rank - 1, 0, static_cast<int64_t>(n) - 1);
      AppendAs(values[index], out);
    }
    if (as_array_) {
      static_cast<ArrayBuilder*>(builder.get())->Append();
    }
  }
  return builder->Finish();
}

// Feeds the inner state each (group, argument tuple) once; Merge replays the other
// side's tuples that are new here instead of merging the inner states.
class DistinctState final : public GroupedAggregateState {
 public:
  DistinctState(std::vector<TypePtr> arg_types, StatePtr inner)
      : types_(std::move(arg_types)), inner_(std::move(inner)) {
    for (const TypePtr& type : types_) {
      stores_.emplace_back(type);
    }
  }

  void Resize(int64_t num_groups) override { inner_->Resize(num_groups); }
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override;
  Status Merge(GroupedAggregateState& other, const int64_t* group_map) override;
  Result<VectorPtr> Finalize(const EvalContext& ctx) override { return inner_->Finalize(ctx); }
  int64_t memory_bytes() const override {
    int64_t bytes = inner_->memory_bytes() + static_cast<int64_t>(seen_.size()) * 48;
    for (const more::ValueStore& store : stores_) {
      bytes += store.memory_bytes();
    }
    return bytes;
  }

 private:
  uint64_t TupleHash(const std::vector<const Vector*>& vectors,
                     const std::vector<int64_t>& rows) const {
    uint64_t hash = 0x12345;
    for (size_t i = 0; i < vectors.size(); ++i) {
      hash = Mix(hash * 31 + HashValue(*vectors[i], rows[i]));
    }
    return hash;
  }
  // Looks (group, tuple) up; adds it with `add` when new. True when it was new.
  template <typename AddRef>
  bool Insert(int64_t group, const std::vector<const Vector*>& vectors,
              const std::vector<int64_t>& rows, AddRef add) {
    const uint64_t key = GroupKey(TupleHash(vectors, rows), group);
    auto [begin, end] = seen_.equal_range(key);
    for (auto it = begin; it != end; ++it) {
      if (it->second.first != group) {
        continue;
      }
      const int64_t ref = it->second.second;
      bool equal = true;
      for (size_t i = 0; i < vectors.size() && equal; ++i) {
        equal = ValuesEqual(stores_[i].vector(ref), stores_[i].row(ref), *vectors[i], rows[i]);
      }
      if (equal) {
        return false;
      }
    }
    seen_.emplace(key, std::make_pair(group, add()));
    return true;
  }

  std::vector<TypePtr> types_;
  std::vector<more::ValueStore> stores_;  // in lockstep: one reference addresses a tuple
  StatePtr inner_;
  std::unordered_multimap<uint64_t, std::pair<int64_t, int64_t>> seen_;
};

Status DistinctState::Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                             int64_t num_rows) {
  std::vector<const Vector*> vectors;
  for (size_t i = 0; i < args.size(); ++i) {
    stores_[i].Begin(args[i]);
    vectors.push_back(args[i].get());
  }
  std::vector<int64_t> rows(args.size());
  std::vector<int64_t> new_rows;
  std::vector<int64_t> new_groups;
  for (int64_t r = 0; r < num_rows; ++r) {
    for (size_t i = 0; i < args.size(); ++i) {
      rows[i] = ArgRow(*args[i], r);
    }
    const bool added = Insert(group_ids[r], vectors, rows, [&] {
      int64_t ref = 0;
      for (size_t i = 0; i < args.size(); ++i) {
        ref = stores_[i].Add(rows[i]);
      }
      return ref;
    });
    if (added) {
      new_rows.push_back(r);
      new_groups.push_back(group_ids[r]);
    }
  }
  for (more::ValueStore& store : stores_) {
    store.End();
  }
  if (new_rows.empty()) {
    return Status::Ok();
  }
  std::vector<VectorPtr> taken;
  for (const VectorPtr& arg : args) {
    if (arg->length() == 1) {
      taken.push_back(arg);
    } else {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr column, Take(*arg, new_rows));
      taken.push_back(std::move(column));
    }
  }
  return inner_->Update(taken, new_groups.data(), static_cast<int64_t>(new_rows.size()));
}

Status DistinctState::Merge(GroupedAggregateState& other, const int64_t* group_map) {
  auto& from = static_cast<DistinctState&>(other);
  int64_t offset = 0;
  for (size_t i = 0; i < stores_.size(); ++i) {
    offset = stores_[i].Absorb(from.stores_[i]);
  }
  std::vector<std::unique_ptr<VectorBuilder>> builders;
  for (const TypePtr& type : types_) {
    builders.push_back(VectorBuilder::Make(type));
  }
  std::vector<int64_t> groups;
  std::vector<const Vector*> vectors(stores_.size());
  std::vector<int64_t> rows(stores_.size());
  for (const auto& [key, entry] : from.seen_) {
    const int64_t group = group_map[entry.first];
    const int64_t ref = more::ValueStore::Rebase(entry.second, offset);
    for (size_t i = 0; i < stores_.size(); ++i) {
      vectors[i] = &stores_[i].vector(ref);
      rows[i] = stores_[i].row(ref);
    }
    if (Insert(group, vectors, rows, [ref] { return ref; })) {
      for (size_t i = 0; i < stores_.size(); ++i) {
        stores_[i].AppendTo(ref, builders[i].get());
      }
      groups.push_back(group);
    }
  }
  from.seen_.clear();
  if (groups.empty()) {
    return Status::Ok();
  }
  std::vector<VectorPtr> columns;
  for (auto& builder : builders) {
    columns.push_back(builder->Finish());
  }
  return inner_->Update(columns, groups.data(), static_cast<int64_t>(groups.size()));
}

}  // namespace

StatePtr MakeMomentState(MomentKind kind) {
  return std::make_unique<MomentState>(kind);
}
StatePtr MakeCollectState(const TypePtr& element_type, bool distinct) {
  return std::make_unique<CollectState>(element_type, distinct);
}
StatePtr MakeHllState(int precision) {
  return std::make_unique<HllState>(precision);
}
StatePtr MakePercentileState(const TypePtr& input, std::vector<double> percentages, bool as_array) {
  return std::make_unique<PercentileState>(input, std::move(percentages), as_array);
}
StatePtr MakeDistinctState(std::vector<TypePtr> arg_types, StatePtr inner) {
  return std::make_unique<DistinctState>(std::move(arg_types), std::move(inner));
}

}  // namespace sluice::expr::agg
