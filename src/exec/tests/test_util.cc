// SPDX-License-Identifier: Apache-2.0
#include "exec/tests/test_util.h"

#include <memory>

namespace sluice::exec::testing {

expr::ExprPtr Compare(const std::string& op, expr::ExprPtr left, expr::ExprPtr right) {
  expr::BoundScalarFunction function;
  function.name = op;
  function.return_type = BooleanType();
  function.arg_types = {LongType(), LongType()};
  function.kernel = [op](const std::vector<VectorPtr>& args, int64_t num_rows,
                         const expr::EvalContext&) -> Result<VectorPtr> {
    BooleanBuilder builder(BooleanType());
    for (int64_t r = 0; r < num_rows; ++r) {
      const int64_t a_row = args[0]->length() == 1 ? 0 : r;
      const int64_t b_row = args[1]->length() == 1 ? 0 : r;
      if (args[0]->IsNull(a_row) || args[1]->IsNull(b_row)) {
        builder.AppendNull();
        continue;
      }
      const int64_t a = args[0]->Value<int64_t>(a_row);
      const int64_t b = args[1]->Value<int64_t>(b_row);
      bool value = false;
      if (op == "<")
        value = a < b;
      if (op == "<=")
        value = a <= b;
      if (op == ">")
        value = a > b;
      if (op == ">=")
        value = a >= b;
      if (op == "=")
        value = a == b;
      if (op == "!=")
        value = a != b;
      builder.Append(value);
    }
    return builder.Finish();
  };
  return expr::Expression::Call(std::move(function), {std::move(left), std::move(right)});
}

Result<std::vector<std::string>> Run(const sql::PlanPtr& plan, const ExecOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> batches, ExecuteToBatches(plan, options));
  for (const BatchPtr& batch : batches) {
    if (!batch->schema()->Equals(*plan->schema())) {
      return Status::Internal("batch schema " + batch->schema()->ToString() +
                              " differs from the plan's " + plan->schema()->ToString());
    }
  }
  return RowStrings(batches);
}

namespace {

std::vector<std::string> RunTwice(const sql::PlanPtr& plan, ExecOptions options, bool ordered) {
  options.pool = nullptr;
  auto single = Run(plan, options);
  EXPECT_TRUE(single.ok()) << single.status().ToString();
  ThreadPool pool(3);
  options.pool = &pool;
  auto multi = Run(plan, options);
  EXPECT_TRUE(multi.ok()) << multi.status().ToString();
  if (!single.ok() || !multi.ok())
    return {};
  if (ordered) {
    EXPECT_EQ(*single, *multi);
  } else {
    EXPECT_EQ(Sorted(*single), Sorted(*multi));
  }
  return *single;
}

}  // namespace

std::vector<std::string> RunBoth(const sql::PlanPtr& plan, ExecOptions options) {
  return RunTwice(plan, std::move(options), false);
}

std::vector<std::string> RunBothOrdered(const sql::PlanPtr& plan, ExecOptions options) {
  return RunTwice(plan, std::move(options), true);
}

}  // namespace sluice::exec::testing

namespace sluice::exec::testing {

sql::AggregateCall Aggregate(const std::string& name, std::vector<expr::ExprPtr> args,
                             bool distinct) {
  const expr::FunctionEntry* entry = expr::FunctionRegistry::Default().Find(name);
  EXPECT_NE(entry, nullptr) << name;
  expr::AggregateCallOptions options;
  options.distinct = distinct;
  auto bound = entry->aggregate(args, options, expr::BindContext{});
  EXPECT_TRUE(bound.ok()) << bound.status().ToString();
  sql::AggregateCall call;
  call.function = *bound;
  call.args = std::move(args);
  call.distinct = distinct;
  call.display = name;
  return call;
}

}  // namespace sluice::exec::testing
