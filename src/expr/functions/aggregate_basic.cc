// SPDX-License-Identifier: Apache-2.0
// count, count_if, sum, avg, min, max, first, last, min_by, max_by, bool_and, bool_or.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "columnar/builder.h"
#include "expr/functions/aggregate_states.h"
#include "expr/functions/more_util.h"
#include "types/decimal.h"

namespace sluice::expr::agg {

namespace {

using more::ArgRow;

class CountState final : public GroupedAggregateState {
 public:
  explicit CountState(int num_args, bool count_if) : num_args_(num_args), count_if_(count_if) {}

  void Resize(int64_t num_groups) override { counts_.resize(num_groups, 0); }
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override {
    int64_t* counts = counts_.data();
    if (args.empty() || (!count_if_ && args.size() == 1 && args[0]->null_count() == 0)) {
      // count(*), or count(x) of a column without nulls: every row counts.
      constexpr int64_t kAhead = 16;
      for (int64_t r = 0; r < num_rows; ++r) {
        if (r + kAhead < num_rows) {
          __builtin_prefetch(counts + group_ids[r + kAhead], 1);
        }
        ++counts[group_ids[r]];
      }
      return Status::Ok();
    }
    if (!count_if_ && args.size() == 1 && args[0]->length() == num_rows) {
      const Vector& arg = *args[0];
      for (int64_t r = 0; r < num_rows; ++r) {
        counts[group_ids[r]] += arg.IsNull(r) ? 0 : 1;
      }
      return Status::Ok();
    }
    for (int64_t r = 0; r < num_rows; ++r) {
      bool counted = true;
      for (const VectorPtr& arg : args) {
        const int64_t row = ArgRow(*arg, r);
        if (arg->IsNull(row) || (count_if_ && !arg->BoolValue(row))) {
          counted = false;
          break;
        }
      }
      counts_[group_ids[r]] += counted ? 1 : 0;
    }
    return Status::Ok();
  }
  Status Merge(GroupedAggregateState& other, const int64_t* group_map) override {
    auto& from = static_cast<CountState&>(other);
    for (size_t g = 0; g < from.counts_.size(); ++g) {
      counts_[group_map[g]] += from.counts_[g];
    }
    return Status::Ok();
  }
  Result<VectorPtr> Finalize(const EvalContext& /*ctx*/) override {
    Int64Builder builder(LongType());
    builder.Reserve(static_cast<int64_t>(counts_.size()));
    for (int64_t count : counts_) {
      builder.Append(count);
    }
    return builder.Finish();
  }
  int64_t memory_bytes() const override { return static_cast<int64_t>(counts_.size()) * 8; }

 private:
  [[maybe_unused]] int num_args_;
  bool count_if_;
  std::vector<int64_t> counts_;
};

Status LongOverflow() {
  return Status::InvalidArgument(
      "[ARITHMETIC_OVERFLOW] long overflow. Use 'try_sum' to tolerate overflow and return NULL "
      "instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.");
}

Status DecimalOverflow(Int128 value, int precision, int scale) {
  return Status::InvalidArgument(fmt::format(
      "[NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION] {} cannot be represented as Decimal({}, {}). "
      "If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error, and "
      "return NULL instead.",
      FormatDecimal(value, scale), precision, scale));
}

bool FitsPrecision(Int128 value, int precision) {
  return DecimalDigits(value < 0 ? -value : value) <= precision;
}

// Sum and average: a running sum (int64, double or Int128) and a count per group.
template <typename Acc>
class SumAvgState final : public GroupedAggregateState {
 public:
  SumAvgState(TypePtr input, TypePtr result, bool ansi, bool average, bool try_mode)
      : input_(std::move(input)),
        result_(std::move(result)),
        ansi_(ansi && !try_mode),
        try_(try_mode),
        average_(average) {}

  void Resize(int64_t num_groups) override {
    sums_.resize(num_groups, Acc{});
    counts_.resize(num_groups, 0);
    overflow_.resize(num_groups, 0);
  }
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override {
    const Vector& arg = *args[0];
    if (arg.length() == num_rows && num_rows > 1 && IsAccType(arg.type_id())) {
      return UpdateTyped(arg, group_ids, num_rows);
    }
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t row = ArgRow(arg, r);
      if (arg.IsNull(row)) {
        continue;
      }
      SLUICE_RETURN_IF_ERROR(Add(group_ids[r], Read(arg, row), 1, false));
    }
    return Status::Ok();
  }
  Status Merge(GroupedAggregateState& other, const int64_t* group_map) override {
    auto& from = static_cast<SumAvgState&>(other);
    for (size_t g = 0; g < from.sums_.size(); ++g) {
      if (from.counts_[g] > 0) {
        SLUICE_RETURN_IF_ERROR(
            Add(group_map[g], from.sums_[g], from.counts_[g], from.overflow_[g] != 0));
      }
    }
    return Status::Ok();
  }
  Result<VectorPtr> Finalize(const EvalContext& /*ctx*/) override;
  int64_t memory_bytes() const override {
    return static_cast<int64_t>(sums_.size()) * (sizeof(Acc) + 9);
  }

 private:
  /// True when `id`'s values are stored as Acc (long, double, decimal).
  static bool IsAccType(TypeId id) {
    if constexpr (std::is_same_v<Acc, int64_t>) {
      return id == TypeId::kLong;
    } else if constexpr (std::is_same_v<Acc, double>) {
      return id == TypeId::kDouble;
    } else {
      return id == TypeId::kDecimal;
    }
  }
  /// Update over a column whose values are Acc: a raw-buffer loop per null case.
  Status UpdateTyped(const Vector& arg, const int64_t* group_ids, int64_t num_rows) {
    const Acc* values = arg.values_buffer()->data_as<Acc>() + arg.offset();
    const bool no_nulls = arg.null_count() == 0;
    if constexpr (std::is_same_v<Acc, Int128>) {
      for (int64_t r = 0; r < num_rows; ++r) {
        if (no_nulls || !arg.IsNull(r)) {
          SLUICE_RETURN_IF_ERROR(Add(group_ids[r], values[r], 1, false));
        }
      }
      return Status::Ok();
    } else {
      if constexpr (std::is_same_v<Acc, int64_t>) {
        if (ansi_ || try_) {
          for (int64_t r = 0; r < num_rows; ++r) {
            if (no_nulls || !arg.IsNull(r)) {
              SLUICE_RETURN_IF_ERROR(Add(group_ids[r], values[r], 1, false));
            }
          }
          return Status::Ok();
        }
      }
      Acc* sums = sums_.data();
      int64_t* counts = counts_.data();
      auto add = [&](int64_t r) {
        const int64_t g = group_ids[r];
        if constexpr (std::is_same_v<Acc, int64_t>) {
          // Wraps around on overflow, as Spark without ANSI mode.
          sums[g] = static_cast<int64_t>(static_cast<uint64_t>(sums[g]) +
                                         static_cast<uint64_t>(values[r]));
        } else {
          sums[g] += values[r];
        }
        ++counts[g];
      };
      if (no_nulls) {
        for (int64_t r = 0; r < num_rows; ++r) {
          add(r);
        }
      } else {
        for (int64_t r = 0; r < num_rows; ++r) {
          if (!arg.IsNull(r)) {
            add(r);
          }
        }
      }
      return Status::Ok();
    }
  }
  static Acc Read(const Vector& arg, int64_t row) {
    if constexpr (std::is_same_v<Acc, int64_t>) {
      return more::IntegralAsLong(arg, row);
    } else if constexpr (std::is_same_v<Acc, double>) {
      return more::NumericAsDouble(arg, row);
    } else {
      return arg.DecimalValue(row);
    }
  }
  Status Add(int64_t group, Acc value, int64_t count, bool overflowed) {
    Acc& sum = sums_[group];
    counts_[group] += count;
    if constexpr (std::is_same_v<Acc, int64_t>) {
      int64_t out = 0;
      if (__builtin_add_overflow(sum, value, &out)) {
        if (ansi_) {
          return LongOverflow();
        }
        if (try_) {
          overflow_[group] = 1;
        }
        out = static_cast<int64_t>(static_cast<uint64_t>(sum) + static_cast<uint64_t>(value));
      }
      if (overflowed && try_) {
        overflow_[group] = 1;
      }
      sum = out;
    } else if constexpr (std::is_same_v<Acc, double>) {
      sum += value;
    } else {
      Int128 out = 0;
      if (overflowed || __builtin_add_overflow(sum, value, &out) ||
          !FitsPrecision(out, kMaxDecimalPrecision)) {
        overflow_[group] = 1;
      } else {
        sum = out;
      }
    }
    return Status::Ok();
  }

  TypePtr input_;
  TypePtr result_;
  bool ansi_;  // overflow is an error (ANSI mode, not try_sum / try_avg)
  bool try_;   // overflow is null (try_sum / try_avg)
  bool average_;
  std::vector<Acc> sums_;
  std::vector<int64_t> counts_;
  std::vector<uint8_t> overflow_;
};

// Divides with HALF_UP rounding.
Int128 DivideRound(Int128 numerator, Int128 denominator) {
  Int128 quotient = numerator / denominator;
  Int128 remainder = numerator % denominator;
  if (remainder < 0) {
    remainder = -remainder;
  }
  if (remainder * 2 >= (denominator < 0 ? -denominator : denominator)) {
    quotient += (numerator < 0) != (denominator < 0) ? -1 : 1;
  }
  return quotient;
}

template <typename Acc>
Result<VectorPtr> SumAvgState<Acc>::Finalize(const EvalContext& /*ctx*/) {
  std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(result_);
  for (size_t g = 0; g < sums_.size(); ++g) {
    if (counts_[g] == 0) {
      builder->AppendNull();
      continue;
    }
    if constexpr (std::is_same_v<Acc, int64_t>) {
      if (average_) {
        static_cast<DoubleBuilder*>(builder.get())
            ->Append(static_cast<double>(sums_[g]) / static_cast<double>(counts_[g]));
      } else if (overflow_[g] != 0) {
        builder->AppendNull();  // try_sum overflowed
      } else {
        static_cast<Int64Builder*>(builder.get())->Append(sums_[g]);
      }
    } else if constexpr (std::is_same_v<Acc, double>) {
      static_cast<DoubleBuilder*>(builder.get())
          ->Append(average_ ? sums_[g] / static_cast<double>(counts_[g]) : sums_[g]);
    } else {
      Int128 value = sums_[g];
      bool overflow = overflow_[g] != 0;
      if (!overflow && average_) {
        const int shift = result_->scale() - input_->scale();
        Int128 scaled = 0;
        overflow = __builtin_mul_overflow(value, PowerOfTen(shift), &scaled);
        value = overflow ? 0 : DivideRound(scaled, counts_[g]);
      }
      if (overflow || !FitsPrecision(value, result_->precision())) {
        if (ansi_) {
          return DecimalOverflow(value, result_->precision(), result_->scale());
        }
        builder->AppendNull();
        continue;
      }
      static_cast<DecimalBuilder*>(builder.get())->Append(value);
    }
  }
  return builder->Finish();
}

// min, max, first, last, min_by, max_by: one kept value (and key) per group.
class SelectState final : public GroupedAggregateState {
 public:
  SelectState(SelectKind kind, const TypePtr& value_type, const TypePtr& key_type,
              bool ignore_nulls)
      : kind_(kind),
        ignore_nulls_(ignore_nulls),
        by_(kind == SelectKind::kMinBy || kind == SelectKind::kMaxBy),
        values_(value_type),
        keys_(by_ ? key_type : value_type),
        value_type_(value_type) {}

  void Resize(int64_t num_groups) override {
    refs_.resize(num_groups, -1);
    key_refs_.resize(num_groups, -1);
    candidates_.resize(num_groups, -1);
  }
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override;
  Status Merge(GroupedAggregateState& other, const int64_t* group_map) override;
  Result<VectorPtr> Finalize(const EvalContext& /*ctx*/) override {
    return more::BuildFromRefs(value_type_, values_, refs_);
  }
  int64_t memory_bytes() const override {
    return values_.memory_bytes() + (by_ ? keys_.memory_bytes() : 0) +
           static_cast<int64_t>(refs_.size()) * 24;
  }

 private:
  // True when key (vector, row) should replace the current best key.
  bool Better(const Vector& key, int64_t row, const Vector& best, int64_t best_row) const {
    const int c = more::CompareValues(key, row, best, best_row);
    return kind_ == SelectKind::kMin || kind_ == SelectKind::kMinBy ? c < 0 : c > 0;
  }
  const more::ValueStore& key_store() const { return by_ ? keys_ : values_; }
  bool Ordered() const { return kind_ != SelectKind::kFirst && kind_ != SelectKind::kLast; }
  void MaybeCompact();

  SelectKind kind_;
  bool ignore_nulls_;
  bool by_;
  more::ValueStore values_;
  more::ValueStore keys_;  // min_by/max_by only
  TypePtr value_type_;
  std::vector<int64_t> refs_;
  std::vector<int64_t> key_refs_;
  std::vector<int64_t> candidates_;  // the batch's best row per group during Update
};

Status SelectState::Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                           int64_t num_rows) {
  const Vector& value = *args[0];
  const Vector& key = by_ ? *args[1] : value;
  std::vector<int64_t> touched;
  for (int64_t r = 0; r < num_rows; ++r) {
    const int64_t g = group_ids[r];
    const int64_t vrow = ArgRow(value, r);
    const int64_t krow = ArgRow(key, r);
    if (Ordered() ? key.IsNull(krow) : (ignore_nulls_ && value.IsNull(vrow))) {
      continue;
    }
    int64_t& candidate = candidates_[g];
    bool take = false;
    if (kind_ == SelectKind::kFirst) {
      take = refs_[g] < 0 && candidate < 0;
    } else if (kind_ == SelectKind::kLast) {
      take = true;
    } else if (candidate >= 0) {
      take = Better(key, krow, key, ArgRow(key, candidate));
    } else if (refs_[g] >= 0) {
      const int64_t best = by_ ? key_refs_[g] : refs_[g];
      take = Better(key, krow, key_store().vector(best), key_store().row(best));
    } else {
      take = true;
    }
    if (take) {
      if (candidate < 0) {
        touched.push_back(g);
      }
      candidate = r;
    }
  }
  if (touched.empty()) {
    return Status::Ok();
  }
  values_.Begin(args[0]);
  if (by_) {
    keys_.Begin(args[1]);
  }
  for (int64_t g : touched) {
    refs_[g] = values_.Add(ArgRow(value, candidates_[g]));
    if (by_) {
      key_refs_[g] = keys_.Add(ArgRow(key, candidates_[g]));
    }
    candidates_[g] = -1;
  }
  values_.End();
  if (by_) {
    keys_.End();
  }
  MaybeCompact();
  return Status::Ok();
}

void SelectState::MaybeCompact() {
  const int64_t live = static_cast<int64_t>(refs_.size());
  if (values_.num_values() > 2 * live + 1024 || values_.num_chunks() > 256) {
    values_.Compact(&refs_);
    if (by_) {
      keys_.Compact(&key_refs_);
    }
  }
}

Status SelectState::Merge(GroupedAggregateState& other, const int64_t* group_map) {
  auto& from = static_cast<SelectState&>(other);
  const int64_t offset = values_.Absorb(from.values_);
  const int64_t key_offset = by_ ? keys_.Absorb(from.keys_) : offset;
  for (size_t g = 0; g < from.refs_.size(); ++g) {
    if (from.refs_[g] < 0) {
      continue;
    }
    const int64_t target = group_map[g];
    const int64_t ref = more::ValueStore::Rebase(from.refs_[g], offset);
    const int64_t key_ref = by_ ? more::ValueStore::Rebase(from.key_refs_[g], key_offset) : ref;
    bool take = refs_[target] < 0;
    if (!take && kind_ == SelectKind::kLast) {
      take = true;
    } else if (!take && Ordered()) {
      const int64_t best = by_ ? key_refs_[target] : refs_[target];
      take = Better(key_store().vector(key_ref), key_store().row(key_ref), key_store().vector(best),
                    key_store().row(best));
    }
    if (take) {
      refs_[target] = ref;
      key_refs_[target] = key_ref;
    }
  }
  MaybeCompact();
  return Status::Ok();
}

// min and max of a fixed-width type (integers, dates, timestamps, floats, decimals): the
// best value per group in a typed array. Floats order as Spark: NaN above everything,
// -0.0 equal to 0.0; on a tie the value seen first stays. Each group starts at the
// identity (the lowest value for max, the highest for min), so a row touches only the
// group's value; has_value_ marks the rare groups that saw a value no better than it.
template <typename T>
class MinMaxState final : public GroupedAggregateState {
 public:
  MinMaxState(TypePtr type, bool is_max)
      : type_(std::move(type)), is_max_(is_max), identity_(Identity(is_max)) {}

  void Resize(int64_t num_groups) override {
    values_.resize(num_groups, identity_);
    has_value_.resize(num_groups, 0);
  }
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override {
    const Vector& arg = *args[0];
    const T* values =
        arg.values_buffer() == nullptr ? nullptr : arg.values_buffer()->data_as<T>() + arg.offset();
    if (arg.length() == 1 && num_rows > 1) {
      if (!arg.IsNull(0)) {
        for (int64_t r = 0; r < num_rows; ++r) {
          Fold(group_ids[r], values[0]);
        }
      }
      return Status::Ok();
    }
    if (arg.null_count() == 0) {
      if (is_max_) {
        UpdateRows<true>(values, group_ids, num_rows);
      } else {
        UpdateRows<false>(values, group_ids, num_rows);
      }
      return Status::Ok();
    }
    for (int64_t r = 0; r < num_rows; ++r) {
      if (!arg.IsNull(r)) {
        Fold(group_ids[r], values[r]);
      }
    }
    return Status::Ok();
  }
  Status Merge(GroupedAggregateState& other, const int64_t* group_map) override {
    auto& from = static_cast<MinMaxState&>(other);
    for (size_t g = 0; g < from.values_.size(); ++g) {
      if (from.HasValue(static_cast<int64_t>(g))) {
        Fold(group_map[g], from.values_[g]);
      }
    }
    return Status::Ok();
  }
  Result<VectorPtr> Finalize(const EvalContext& /*ctx*/) override {
    const auto n = static_cast<int64_t>(values_.size());
    auto buffer = std::make_shared<Buffer>(n * static_cast<int64_t>(sizeof(T)));
    if (n > 0) {
      std::memcpy(buffer->mutable_data(), values_.data(), values_.size() * sizeof(T));
    }
    BufferPtr validity;
    int64_t null_count = 0;
    for (int64_t g = 0; g < n; ++g) {
      null_count += HasValue(g) ? 0 : 1;
    }
    if (null_count > 0) {
      validity = std::make_shared<Buffer>(bits::BytesFor(n));
      for (int64_t g = 0; g < n; ++g) {
        if (HasValue(g)) {
          bits::Set(validity->mutable_data(), g);
        }
      }
    }
    return std::make_shared<const Vector>(type_, n, null_count, std::move(validity),
                                          std::move(buffer), nullptr, std::vector<VectorPtr>{});
  }
  int64_t memory_bytes() const override {
    return static_cast<int64_t>(values_.size() * (sizeof(T) + 1));
  }

 private:
  /// The start of every group: no value is better for max, none worse for min (NaN
  /// is the largest float).
  static T Identity(bool is_max) {
    if constexpr (std::is_floating_point_v<T>) {
      return is_max ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::quiet_NaN();
    } else if constexpr (std::is_same_v<T, Int128>) {
      const Int128 highest = static_cast<Int128>(~static_cast<unsigned __int128>(0) >> 1);
      return is_max ? -highest - 1 : highest;
    } else {
      return is_max ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
    }
  }
  /// Spark's order: a < b, with NaN above every other float and -0.0 == 0.0.
  static bool Less(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(a)) {
        return false;
      }
      if (std::isnan(b)) {
        return true;
      }
    }
    return a < b;
  }
  bool Better(T value, T best) const { return is_max_ ? Less(best, value) : Less(value, best); }
  bool HasValue(int64_t group) const {
    return has_value_[group] != 0 || Better(values_[group], identity_);
  }
  void Fold(int64_t group, T value) {
    if (Better(value, values_[group])) {
      values_[group] = value;
    }
    if (!Better(value, identity_)) [[unlikely]] {
      has_value_[group] = 1;
    }
  }
  template <bool kMax>
  void UpdateRows(const T* values, const int64_t* group_ids, int64_t num_rows) {
    constexpr int64_t kAhead = 16;
    T* best = values_.data();
    const T identity = identity_;
    for (int64_t r = 0; r < num_rows; ++r) {
      if (r + kAhead < num_rows) {
        __builtin_prefetch(best + group_ids[r + kAhead], 1);
      }
      const int64_t g = group_ids[r];
      const T value = values[r];
      if (kMax ? Less(best[g], value) : Less(value, best[g])) {
        best[g] = value;
      }
      if (!(kMax ? Less(identity, value) : Less(value, identity))) [[unlikely]] {
        has_value_[g] = 1;
      }
    }
  }

  TypePtr type_;
  bool is_max_;
  T identity_;
  std::vector<T> values_;
  std::vector<uint8_t> has_value_;
};

class BoolState final : public GroupedAggregateState {
 public:
  explicit BoolState(bool is_and) : is_and_(is_and) {}
  void Resize(int64_t num_groups) override { values_.resize(num_groups, -1); }
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override {
    const Vector& arg = *args[0];
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t row = ArgRow(arg, r);
      if (!arg.IsNull(row)) {
        Fold(group_ids[r], arg.BoolValue(row) ? 1 : 0);
      }
    }
    return Status::Ok();
  }
  Status Merge(GroupedAggregateState& other, const int64_t* group_map) override {
    auto& from = static_cast<BoolState&>(other);
    for (size_t g = 0; g < from.values_.size(); ++g) {
      if (from.values_[g] >= 0) {
        Fold(group_map[g], from.values_[g]);
      }
    }
    return Status::Ok();
  }
  Result<VectorPtr> Finalize(const EvalContext& /*ctx*/) override {
    BooleanBuilder builder(BooleanType());
    for (int8_t value : values_) {
      if (value < 0) {
        builder.AppendNull();
      } else {
        builder.Append(value != 0);
      }
    }
    return builder.Finish();
  }
  int64_t memory_bytes() const override { return static_cast<int64_t>(values_.size()); }

 private:
  void Fold(int64_t group, int8_t value) {
    int8_t& state = values_[group];
    state = state < 0 ? value : static_cast<int8_t>(is_and_ ? (state & value) : (state | value));
  }

  bool is_and_;
  std::vector<int8_t> values_;  // -1: no value yet
};

}  // namespace

StatePtr MakeCountState(int num_args) {
  return std::make_unique<CountState>(num_args, false);
}
StatePtr MakeCountIfState() {
  return std::make_unique<CountState>(1, true);
}

StatePtr MakeSumState(const TypePtr& input, const TypePtr& result, bool ansi, bool try_mode) {
  switch (result->id()) {
    case TypeId::kLong:
      return std::make_unique<SumAvgState<int64_t>>(input, result, ansi, false, try_mode);
    case TypeId::kDecimal:
      return std::make_unique<SumAvgState<Int128>>(input, result, ansi, false, try_mode);
    default:
      return std::make_unique<SumAvgState<double>>(input, result, ansi, false, try_mode);
  }
}

StatePtr MakeAvgState(const TypePtr& input, const TypePtr& result, bool ansi, bool try_mode) {
  if (result->id() == TypeId::kDecimal) {
    return std::make_unique<SumAvgState<Int128>>(input, result, ansi, true, try_mode);
  }
  return std::make_unique<SumAvgState<double>>(input, result, ansi, true, try_mode);
}

StatePtr MakeSelectState(SelectKind kind, const TypePtr& value_type, const TypePtr& key_type,
                         bool ignore_nulls) {
  if (kind == SelectKind::kMin || kind == SelectKind::kMax) {
    const bool is_max = kind == SelectKind::kMax;
    switch (value_type->id()) {
      case TypeId::kByte:
        return std::make_unique<MinMaxState<int8_t>>(value_type, is_max);
      case TypeId::kShort:
        return std::make_unique<MinMaxState<int16_t>>(value_type, is_max);
      case TypeId::kInt:
      case TypeId::kDate:
        return std::make_unique<MinMaxState<int32_t>>(value_type, is_max);
      case TypeId::kLong:
      case TypeId::kTimestamp:
      case TypeId::kTimestampNtz:
        return std::make_unique<MinMaxState<int64_t>>(value_type, is_max);
      case TypeId::kFloat:
        return std::make_unique<MinMaxState<float>>(value_type, is_max);
      case TypeId::kDouble:
        return std::make_unique<MinMaxState<double>>(value_type, is_max);
      case TypeId::kDecimal:
        return std::make_unique<MinMaxState<Int128>>(value_type, is_max);
      default:
        break;
    }
  }
  return std::make_unique<SelectState>(kind, value_type, key_type, ignore_nulls);
}

StatePtr MakeBoolState(bool is_and) {
  return std::make_unique<BoolState>(is_and);
}

}  // namespace sluice::expr::agg
