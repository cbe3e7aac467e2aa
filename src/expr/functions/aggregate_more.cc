// SPDX-License-Identifier: Apache-2.0
// percentile/median (exact), bit_and/bit_or/bit_xor, covar_pop/covar_samp/corr,
// skewness/kurtosis and mode.
#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <utility>

#include "columnar/builder.h"
#include "columnar/row_hash.h"
#include "expr/functions/aggregate_states.h"
#include "expr/functions/more_util.h"

namespace sluice::expr::agg {

namespace {

using more::ArgRow;

class ExactPercentileState final : public GroupedAggregateState {
 public:
  ExactPercentileState(std::vector<double> percentages, bool as_array)
      : percentages_(std::move(percentages)), as_array_(as_array) {}
  void Resize(int64_t num_groups) override { values_.resize(num_groups); }
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override {
    const Vector& arg = *args[0];
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t row = ArgRow(arg, r);
      if (!arg.IsNull(row)) {
        values_[group_ids[r]].push_back(more::NumericAsDouble(arg, row));
      }
    }
    return Status::Ok();
  }
  Status Merge(GroupedAggregateState& other, const int64_t* group_map) override {
    auto& from = static_cast<ExactPercentileState&>(other);
    for (size_t g = 0; g < from.values_.size(); ++g) {
      std::vector<double>& into = values_[group_map[g]];
      into.insert(into.end(), from.values_[g].begin(), from.values_[g].end());
    }
    return Status::Ok();
  }
  Result<VectorPtr> Finalize(const EvalContext& /*ctx*/) override {
    std::unique_ptr<VectorBuilder> builder =
        VectorBuilder::Make(as_array_ ? ArrayType(DoubleType(), false) : DoubleType());
    for (std::vector<double>& values : values_) {
      if (values.empty()) {
        builder->AppendNull();
        continue;
      }
      std::sort(values.begin(), values.end());
      auto* out = static_cast<DoubleBuilder*>(
          as_array_ ? static_cast<ArrayBuilder*>(builder.get())->element() : builder.get());
      for (double p : percentages_) {
        const double position = p * static_cast<double>(values.size() - 1);
        const auto lower = static_cast<size_t>(std::floor(position));
        const auto upper = static_cast<size_t>(std::ceil(position));
        const double fraction = position - static_cast<double>(lower);
        out->Append(lower == upper ? values[lower]
                                   : values[lower] + fraction * (values[upper] - values[lower]));
      }
      if (as_array_) {
        static_cast<ArrayBuilder*>(builder.get())->Append();
      }
    }
    return builder->Finish();
  }
  int64_t memory_bytes() const override {
    int64_t bytes = static_cast<int64_t>(values_.size()) * 24;
    for (const auto& v : values_) {
      bytes += static_cast<int64_t>(v.capacity()) * 8;
    }
    return bytes;
  }

 private:
  std::vector<double> percentages_;
  bool as_array_;
  std::vector<std::vector<double>> values_;
};

class BitState final : public GroupedAggregateState {
 public:
  BitState(TypePtr type, char op) : type_(std::move(type)), op_(op) {}
  void Resize(int64_t num_groups) override {
    values_.resize(num_groups, 0);
    seen_.resize(num_groups, 0);
  }
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override {
    const Vector& arg = *args[0];
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t row = ArgRow(arg, r);
      if (!arg.IsNull(row)) {
        Fold(group_ids[r], more::IntegralAsLong(arg, row));
      }
    }
    return Status::Ok();
  }
  Status Merge(GroupedAggregateState& other, const int64_t* group_map) override {
    auto& from = static_cast<BitState&>(other);
    for (size_t g = 0; g < from.values_.size(); ++g) {
      if (from.seen_[g] != 0) {
        Fold(group_map[g], from.values_[g]);
      }
    }
    return Status::Ok();
  }
  Result<VectorPtr> Finalize(const EvalContext& /*ctx*/) override {
    std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type_);
    for (size_t g = 0; g < values_.size(); ++g) {
      if (seen_[g] == 0) {
        builder->AppendNull();
        continue;
      }
      switch (type_->id()) {
        case TypeId::kByte:
          static_cast<Int8Builder*>(builder.get())->Append(static_cast<int8_t>(values_[g]));
          break;
        case TypeId::kShort:
          static_cast<Int16Builder*>(builder.get())->Append(static_cast<int16_t>(values_[g]));
          break;
        case TypeId::kInt:
          static_cast<Int32Builder*>(builder.get())->Append(static_cast<int32_t>(values_[g]));
          break;
        default:
          static_cast<Int64Builder*>(builder.get())->Append(values_[g]);
          break;
      }
    }
    return builder->Finish();
  }
  int64_t memory_bytes() const override { return static_cast<int64_t>(values_.size()) * 9; }

 private:
  void Fold(int64_t group, int64_t value) {
    int64_t& state = values_[group];
    if (seen_[group] == 0) {
      state = value;
      seen_[group] = 1;
    } else {
      state = op_ == '&' ? (state & value) : op_ == '|' ? (state | value) : (state ^ value);
    }
  }

  TypePtr type_;
  char op_;
  std::vector<int64_t> values_;
  std::vector<uint8_t> seen_;
};

// Spark's Covariance / Corr running state and merge.
struct CovarianceSums {
  double n = 0;
  double x_avg = 0;
  double y_avg = 0;
  double ck = 0;
  double x_mk = 0;
  double y_mk = 0;
};

class CovarianceState final : public PerGroupState<CovarianceState, CovarianceSums> {
 public:
  explicit CovarianceState(CovarianceKind kind) : kind_(kind) {}
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override {
    const Vector& x = *args[0];
    const Vector& y = *args[1];
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t xr = ArgRow(x, r);
      const int64_t yr = ArgRow(y, r);
      if (!x.IsNull(xr) && !y.IsNull(yr)) {
        Combine(states_[group_ids[r]],
                {1, more::NumericAsDouble(x, xr), more::NumericAsDouble(y, yr), 0, 0, 0});
      }
    }
    return Status::Ok();
  }
  Result<VectorPtr> Finalize(const EvalContext& /*ctx*/) override {
    DoubleBuilder builder(DoubleType());
    for (const CovarianceSums& s : states_) {
      if (s.n == 0 || (kind_ != CovarianceKind::kCovarPop && s.n == 1)) {
        builder.AppendNull();
      } else if (kind_ == CovarianceKind::kCovarPop) {
        builder.Append(s.ck / s.n);
      } else if (kind_ == CovarianceKind::kCovarSamp) {
        builder.Append(s.ck / (s.n - 1));
      } else {
        builder.Append(s.ck / std::sqrt(s.x_mk * s.y_mk));
      }
    }
    return builder.Finish();
  }
  static void Combine(CovarianceSums& a, const CovarianceSums& b) {
    if (b.n == 0) {
      return;
    }
    const double n = a.n + b.n;
    const double dx = b.x_avg - a.x_avg;
    const double dx_n = dx / n;
    const double dy = b.y_avg - a.y_avg;
    const double dy_n = dy / n;
    a.x_avg += dx_n * b.n;
    a.y_avg += dy_n * b.n;
    a.ck += b.ck + dx * dy_n * a.n * b.n;
    a.x_mk += b.x_mk + dx * dx_n * a.n * b.n;
    a.y_mk += b.y_mk + dy * dy_n * a.n * b.n;
    a.n = n;
  }

 private:
  CovarianceKind kind_;
};

// Spark's CentralMomentAgg of order 4 (skewness, kurtosis).
struct CentralMoments {
  double n = 0;
  double avg = 0;
  double m2 = 0;
  double m3 = 0;
  double m4 = 0;
};

class HigherMomentState final : public PerGroupState<HigherMomentState, CentralMoments> {
 public:
  explicit HigherMomentState(bool kurtosis) : kurtosis_(kurtosis) {}
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override {
    const Vector& arg = *args[0];
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t row = ArgRow(arg, r);
      if (!arg.IsNull(row)) {
        Add(states_[group_ids[r]], more::NumericAsDouble(arg, row));
      }
    }
    return Status::Ok();
  }
  Result<VectorPtr> Finalize(const EvalContext& /*ctx*/) override {
    DoubleBuilder builder(DoubleType());
    for (const CentralMoments& s : states_) {
      if (s.n == 0 || s.m2 == 0) {
        builder.AppendNull();
      } else if (kurtosis_) {
        builder.Append(s.n * s.m4 / (s.m2 * s.m2) - 3.0);
      } else {
        builder.Append(std::sqrt(s.n) * s.m3 / std::sqrt(s.m2 * s.m2 * s.m2));
      }
    }
    return builder.Finish();
  }
  // The update expressions of Spark's CentralMomentAgg (the same float operations, so
  // results match Spark's digits for the same partitioning).
  static void Add(CentralMoments& s, double x) {
    const double n = s.n + 1;
    const double delta = x - s.avg;
    const double delta_n = delta / n;
    const double m2 = s.m2 + delta * (delta - delta_n);
    const double delta2 = delta * delta;
    const double delta_n2 = delta_n * delta_n;
    const double m3 = s.m3 - 3.0 * delta_n * m2 + delta * (delta2 - delta_n2);
    const double m4 = s.m4 - 4.0 * delta_n * m3 - 6.0 * delta_n2 * m2 +
                      delta * (delta * delta2 - delta_n * delta_n2);
    s = {n, s.avg + delta_n, m2, m3, m4};
  }
  // The merge expressions of Spark's CentralMomentAgg.
  static void Combine(CentralMoments& a, const CentralMoments& b) {
    const double n1 = a.n;
    const double n2 = b.n;
    const double n = n1 + n2;
    if (n2 == 0) {
      return;
    }
    const double delta = b.avg - a.avg;
    const double delta_n = n == 0 ? 0 : delta / n;
    const double m2 = a.m2 + b.m2 + delta * delta_n * n1 * n2;
    const double m3 = a.m3 + b.m3 + delta_n * delta_n * delta * n1 * n2 * (n1 - n2) +
                      3.0 * delta_n * (n1 * b.m2 - n2 * a.m2);
    const double m4 =
        a.m4 + b.m4 +
        delta_n * delta_n * delta_n * delta * n1 * n2 * (n1 * n1 - n1 * n2 + n2 * n2) +
        6.0 * delta_n * delta_n * (n1 * n1 * b.m2 + n2 * n2 * a.m2) +
        4.0 * delta_n * (n1 * b.m3 - n2 * a.m3);
    a = {n, a.avg + delta_n * n2, m2, m3, m4};
  }

 private:
  bool kurtosis_;
};

class ModeState final : public GroupedAggregateState {
 public:
  explicit ModeState(TypePtr type) : type_(type), store_(std::move(type)) {}
  void Resize(int64_t num_groups) override { entries_.resize(num_groups); }
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override {
    const Vector& arg = *args[0];
    store_.Begin(args[0]);
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t row = ArgRow(arg, r);
      if (!arg.IsNull(row)) {
        Count(group_ids[r], arg, row, 1, [&] { return store_.Add(row); });
      }
    }
    store_.End();
    return Status::Ok();
  }
  Status Merge(GroupedAggregateState& other, const int64_t* group_map) override {
    auto& from = static_cast<ModeState&>(other);
    const int64_t offset = store_.Absorb(from.store_);
    for (size_t g = 0; g < from.entries_.size(); ++g) {
      for (const auto& [ref, count] : from.entries_[g]) {
        const int64_t rebased = more::ValueStore::Rebase(ref, offset);
        Count(group_map[g], store_.vector(rebased), store_.row(rebased), count,
              [rebased] { return rebased; });
      }
    }
    return Status::Ok();
  }
  Result<VectorPtr> Finalize(const EvalContext& /*ctx*/) override {
    std::vector<int64_t> refs;
    for (const auto& entries : entries_) {
      int64_t best = -1;
      int64_t best_count = 0;
      for (const auto& [ref, count] : entries) {
        if (count > best_count) {
          best = ref;
          best_count = count;
        }
      }
      refs.push_back(best);
    }
    return more::BuildFromRefs(type_, store_, refs);
  }
  int64_t memory_bytes() const override {
    return store_.memory_bytes() + static_cast<int64_t>(seen_.size()) * 48 +
           static_cast<int64_t>(entries_.size()) * 24;
  }

 private:
  template <typename AddRef>
  void Count(int64_t group, const Vector& vector, int64_t row, int64_t count, AddRef add_ref) {
    const uint64_t key =
        HashValue(vector, row) * 0x9E3779B97F4A7C15ULL ^ static_cast<uint64_t>(group);
    auto [begin, end] = seen_.equal_range(key);
    for (auto it = begin; it != end; ++it) {
      if (it->second.first != group) {
        continue;
      }
      auto& entry = entries_[group][it->second.second];
      if (ValuesEqual(store_.vector(entry.first), store_.row(entry.first), vector, row)) {
        entry.second += count;
        return;
      }
    }
    seen_.emplace(key, std::make_pair(group, static_cast<int64_t>(entries_[group].size())));
    entries_[group].emplace_back(add_ref(), count);
  }

  TypePtr type_;
  more::ValueStore store_;
  std::vector<std::vector<std::pair<int64_t, int64_t>>> entries_;  // (ref, count)
  std::unordered_multimap<uint64_t, std::pair<int64_t, int64_t>> seen_;
};

// nth_value: the n-th value of each group in the order the rows arrive (the window
// operator feeds a frame's rows in order); null when fewer arrived. Keeps the first n.
class NthValueState final : public GroupedAggregateState {
 public:
  NthValueState(TypePtr type, int64_t n, bool ignore_nulls)
      : type_(std::move(type)), n_(n), ignore_nulls_(ignore_nulls), store_(type_) {}
  void Resize(int64_t num_groups) override { kept_.resize(num_groups); }
  Status Update(const std::vector<VectorPtr>& args, const int64_t* group_ids,
                int64_t num_rows) override {
    const Vector& arg = *args[0];
    store_.Begin(args[0]);
    for (int64_t r = 0; r < num_rows; ++r) {
      std::vector<int64_t>& kept = kept_[group_ids[r]];
      const int64_t row = ArgRow(arg, r);
      const bool null = arg.IsNull(row);
      if (static_cast<int64_t>(kept.size()) >= n_ || (null && ignore_nulls_)) {
        continue;
      }
      kept.push_back(null ? -1 : store_.Add(row));
    }
    store_.End();
    return Status::Ok();
  }
  Status Merge(GroupedAggregateState& other, const int64_t* group_map) override {
    auto& from = static_cast<NthValueState&>(other);
    const int64_t offset = store_.Absorb(from.store_);
    for (size_t g = 0; g < from.kept_.size(); ++g) {
      std::vector<int64_t>& kept = kept_[group_map[g]];
      for (int64_t ref : from.kept_[g]) {
        if (static_cast<int64_t>(kept.size()) < n_) {
          kept.push_back(ref < 0 ? -1 : more::ValueStore::Rebase(ref, offset));
        }
      }
    }
    return Status::Ok();
  }
  Result<VectorPtr> Finalize(const EvalContext& /*ctx*/) override {
    std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type_);
    for (const std::vector<int64_t>& kept : kept_) {
      if (static_cast<int64_t>(kept.size()) < n_ || kept[n_ - 1] < 0) {
        builder->AppendNull();
      } else {
        store_.AppendTo(kept[n_ - 1], builder.get());
      }
    }
    return builder->Finish();
  }
  int64_t memory_bytes() const override {
    return store_.memory_bytes() + static_cast<int64_t>(kept_.size()) * (24 + 8 * n_);
  }

 private:
  TypePtr type_;
  int64_t n_;
  bool ignore_nulls_;
  more::ValueStore store_;
  std::vector<std::vector<int64_t>> kept_;
};

}  // namespace

StatePtr MakeExactPercentileState(std::vector<double> percentages, bool as_array) {
  return std::make_unique<ExactPercentileState>(std::move(percentages), as_array);
}
StatePtr MakeBitState(const TypePtr& type, char op) {
  return std::make_unique<BitState>(type, op);
}
StatePtr MakeCovarianceState(CovarianceKind kind) {
  return std::make_unique<CovarianceState>(kind);
}
StatePtr MakeHigherMomentState(bool kurtosis) {
  return std::make_unique<HigherMomentState>(kurtosis);
}
StatePtr MakeNthValueState(const TypePtr& type, int64_t n, bool ignore_nulls) {
  return std::make_unique<NthValueState>(type, n, ignore_nulls);
}
StatePtr MakeModeState(const TypePtr& type) {
  return std::make_unique<ModeState>(type);
}

}  // namespace sluice::expr::agg
