// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <vector>

#include "expr/function.h"

/// The grouped states of the built-in aggregates (functions/aggregate*.cc); the binders
/// in aggregate.cc choose one per call.
namespace sluice::expr::agg {

using StatePtr = std::unique_ptr<GroupedAggregateState>;

/// The base of states that keep one plain struct `S` per group, merged group by group
/// with `Derived::Combine(S& into, const S& from)` (moments, covariance).
template <typename Derived, typename S>
class PerGroupState : public GroupedAggregateState {
 public:
  void Resize(int64_t num_groups) override { states_.resize(num_groups); }
  Status Merge(GroupedAggregateState& other, const int64_t* group_map) override {
    auto& from = static_cast<PerGroupState&>(other);
    for (size_t g = 0; g < from.states_.size(); ++g) {
      Derived::Combine(states_[group_map[g]], from.states_[g]);
    }
    return Status::Ok();
  }
  int64_t memory_bytes() const override { return static_cast<int64_t>(states_.size() * sizeof(S)); }

 protected:
  std::vector<S> states_;
};

/// count(*) with no arguments counts rows; count(a, b, ...) rows where none is null.
StatePtr MakeCountState(int num_args);
/// count_if(bool): rows where the argument is true.
StatePtr MakeCountIfState();
/// sum over `input` (long, double or decimal after the binder's casts) into `result`
/// (long, double or decimal(p+10, s)); `ansi` makes overflow an error; `try_mode`
/// (try_sum) makes it null instead, in either mode.
StatePtr MakeSumState(const TypePtr& input, const TypePtr& result, bool ansi,
                      bool try_mode = false);
/// avg over `input` (double or decimal) into `result` (double or decimal(p+4, s+4)).
StatePtr MakeAvgState(const TypePtr& input, const TypePtr& result, bool ansi,
                      bool try_mode = false);

enum class SelectKind : uint8_t { kMin, kMax, kFirst, kLast, kMinBy, kMaxBy };
/// min, max, first, last (any_value), min_by, max_by: keeps one value per group;
/// `value_type` is the kept value's, `key_type` the ordering argument's (the *_by
/// functions; else the value's own).
StatePtr MakeSelectState(SelectKind kind, const TypePtr& value_type, const TypePtr& key_type,
                         bool ignore_nulls);
/// bool_and (every) when `is_and`, else bool_or (some, any).
StatePtr MakeBoolState(bool is_and);

enum class MomentKind : uint8_t { kVarSamp, kVarPop, kStddevSamp, kStddevPop };
/// Variance and standard deviation over doubles.
StatePtr MakeMomentState(MomentKind kind);
/// collect_list (or collect_set when `distinct`) of `element_type` values.
StatePtr MakeCollectState(const TypePtr& element_type, bool distinct);
/// approx_count_distinct with 2^precision HyperLogLog++ registers.
StatePtr MakeHllState(int precision);
/// percentile_approx of `input` (numeric, date, timestamp) at `percentages`; the result
/// is one value of `input`'s type, or an array of them when `as_array`.
StatePtr MakePercentileState(const TypePtr& input, std::vector<double> percentages, bool as_array);
/// percentile / median: exact percentiles of numbers with linear interpolation, as doubles
/// (an array of them when `as_array`).
StatePtr MakeExactPercentileState(std::vector<double> percentages, bool as_array);
/// bit_and, bit_or, bit_xor (`op` '&', '|', '^') of integral `type` values.
StatePtr MakeBitState(const TypePtr& type, char op);
enum class CovarianceKind : uint8_t { kCovarPop, kCovarSamp, kCorr };
/// covar_pop, covar_samp, corr over pairs of doubles (rows with a null skipped).
StatePtr MakeCovarianceState(CovarianceKind kind);
/// skewness (`kurtosis` false) or kurtosis of doubles.
StatePtr MakeHigherMomentState(bool kurtosis);
/// nth_value: the n-th (1-based) value of `type` in arrival order, nulls skipped when
/// `ignore_nulls`; null when fewer values arrived.
StatePtr MakeNthValueState(const TypePtr& type, int64_t n, bool ignore_nulls);
/// mode: the most frequent non-null value of `type`.
StatePtr MakeModeState(const TypePtr& type);
/// Wraps `inner` so that each group feeds it each distinct tuple of arguments once.
StatePtr MakeDistinctState(std::vector<TypePtr> arg_types, StatePtr inner);

}  // namespace sluice::expr::agg
