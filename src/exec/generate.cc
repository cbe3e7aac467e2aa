// SPDX-License-Identifier: Apache-2.0
#include "exec/generate.h"

#include <utility>

#include "columnar/concat.h"
#include "expr/evaluator.h"

namespace sluice::exec {
namespace {

/// Returns the rows `rows` of `column`, with a null where the row is -1.
Result<VectorPtr> TakeOrNull(const Vector& column, const std::vector<int64_t>& rows) {
  auto builder = VectorBuilder::Make(column.type());
  builder->Reserve(static_cast<int64_t>(rows.size()));
  for (int64_t row : rows) {
    if (row < 0) {
      builder->AppendNull();
    } else {
      AppendValue(column, row, builder.get());
    }
  }
  return builder->Finish();
}

class GenerateOperator final : public Operator {
 public:
  explicit GenerateOperator(const sql::GenerateNode& node) : node_(node) {}
  std::string name() const override { return "Generate"; }

  Status Execute(ExecContext& ctx, OperatorState* /*state*/, const BatchPtr& input,
                 const Emit& emit) const override {
    std::vector<VectorPtr> args;
    for (const expr::ExprPtr& arg : node_.args) {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr value, expr::Evaluate(*arg, *input, ctx.options.eval));
      args.push_back(std::move(value));
    }
    SLUICE_ASSIGN_OR_RETURN(expr::GeneratorOutput out,
                            node_.generator.generate(args, input->num_rows(), ctx.options.eval));
    std::vector<int64_t> source_rows = std::move(out.source_rows);
    std::vector<VectorPtr> generated = std::move(out.columns);
    if (node_.outer) {
      // Interleave a row of nulls for every input row that generated nothing.
      std::vector<int64_t> merged_source;
      std::vector<int64_t> generated_rows;
      bool any_null_row = false;
      size_t next = 0;
      for (int64_t r = 0; r < input->num_rows(); ++r) {
        if (next < source_rows.size() && source_rows[next] == r) {
          while (next < source_rows.size() && source_rows[next] == r) {
            merged_source.push_back(r);
            generated_rows.push_back(static_cast<int64_t>(next++));
          }
        } else {
          merged_source.push_back(r);
          generated_rows.push_back(-1);
          any_null_row = true;
        }
      }
      if (any_null_row) {
        for (VectorPtr& column : generated) {
          SLUICE_ASSIGN_OR_RETURN(column, TakeOrNull(*column, generated_rows));
        }
        source_rows = std::move(merged_source);
      }
    }
    const int64_t rows = static_cast<int64_t>(source_rows.size());
    if (rows == 0)
      return Status::Ok();
    std::vector<VectorPtr> columns;
    for (const VectorPtr& column : input->columns()) {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr taken, Take(*column, source_rows));
      columns.push_back(std::move(taken));
    }
    for (VectorPtr& column : generated)
      columns.push_back(std::move(column));
    return emit(std::make_shared<const Batch>(node_.schema(), std::move(columns), rows));
  }

 private:
  const sql::GenerateNode& node_;
};

}  // namespace

std::shared_ptr<const Operator> MakeGenerate(const sql::GenerateNode& node) {
  return std::make_shared<GenerateOperator>(node);
}

}  // namespace sluice::exec
