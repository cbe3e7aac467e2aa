// SPDX-License-Identifier: Apache-2.0
// Ranking and offset window functions: row_number, rank, dense_rank, percent_rank,
// cume_dist, ntile, lag, lead.
#include <fmt/format.h>

#include <utility>

#include "columnar/concat.h"
#include "expr/builtins.h"
#include "expr/functions/more_util.h"

namespace sluice::expr {

namespace {

using more::ArgRow;

using Evaluate = std::function<Result<VectorPtr>(const WindowPartition&, const EvalContext&)>;

BoundWindowFunction MakeWindow(std::string name, TypePtr type, std::vector<TypePtr> arg_types,
                               Evaluate evaluate) {
  BoundWindowFunction function;
  function.name = std::move(name);
  function.return_type = std::move(type);
  function.arg_types = std::move(arg_types);
  function.evaluate = std::move(evaluate);
  return function;
}

// One value per row computed from the row index and the partition's peer groups.
template <typename T>
WindowBinder Ranking(std::string name, TypePtr type,
                     T (*fn)(int64_t row, int64_t num_rows, const std::vector<int64_t>& peers,
                             int64_t peer_end, int64_t dense)) {
  return [name, type, fn](const std::vector<ExprPtr>& args,
                          const BindContext&) -> Result<BoundWindowFunction> {
    if (!args.empty()) {
      return more::WrongNumArgs(name, "0", args.size());
    }
    return MakeWindow(
        name, type, {},
        [type, fn](const WindowPartition& partition, const EvalContext&) -> Result<VectorPtr> {
          typename more::BuilderFor<T>::type builder(type);
          builder.Reserve(partition.num_rows);
          const int64_t n = partition.num_rows;
          const std::vector<int64_t>& peers = partition.peer_group_start;
          std::vector<int64_t> peer_end(n);  // one past r's last peer
          for (int64_t r = n - 1; r >= 0; --r) {
            peer_end[r] = r + 1 < n && peers[r + 1] == peers[r] ? peer_end[r + 1] : r + 1;
          }
          int64_t dense = 0;
          for (int64_t r = 0; r < n; ++r) {
            if (partition.peer_group_start[r] == r) {
              ++dense;
            }
            builder.Append(fn(r, n, peers, peer_end[r], dense));
          }
          return builder.Finish();
        });
  };
}

int32_t RowNumber(int64_t row, int64_t, const std::vector<int64_t>&, int64_t, int64_t) {
  return static_cast<int32_t>(row + 1);
}
int32_t Rank(int64_t row, int64_t, const std::vector<int64_t>& peers, int64_t, int64_t) {
  return static_cast<int32_t>(peers[row] + 1);
}
int32_t DenseRank(int64_t, int64_t, const std::vector<int64_t>&, int64_t, int64_t dense) {
  return static_cast<int32_t>(dense);
}
double PercentRank(int64_t row, int64_t num_rows, const std::vector<int64_t>& peers, int64_t,
                   int64_t) {
  return num_rows <= 1 ? 0.0 : static_cast<double>(peers[row]) / static_cast<double>(num_rows - 1);
}
double CumeDist(int64_t, int64_t num_rows, const std::vector<int64_t>&, int64_t peer_end, int64_t) {
  return static_cast<double>(peer_end) / static_cast<double>(num_rows);
}

Result<BoundWindowFunction> BindNtile(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  if (args.size() != 1) {
    return more::WrongNumArgs("ntile", "1", args.size());
  }
  int64_t buckets = 0;
  bool is_null = false;
  if (!more::LiteralInt(args[0], &buckets, &is_null) || is_null) {
    return more::NonFoldable(ctx, "`buckets`", "INT", args[0]);
  }
  if (buckets <= 0) {
    return Status::BindError(
        fmt::format("[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve \"{}\" due to data type "
                    "mismatch: The `buckets` must be within the range (0, 2147483647], but got {}.",
                    ctx.call_sql, buckets));
  }
  return MakeWindow(
      "ntile", IntType(), {IntType()},
      [buckets](const WindowPartition& partition, const EvalContext&) -> Result<VectorPtr> {
        const int64_t n = partition.num_rows;
        const int64_t size = n / buckets;
        const int64_t extra = n % buckets;  // the first `extra` get size + 1
        Int32Builder builder(IntType());
        int64_t bucket = 1;
        int64_t left = size + (extra > 0 ? 1 : 0);
        for (int64_t r = 0; r < n; ++r) {
          if (left == 0) {
            ++bucket;
            left = size + (bucket <= extra ? 1 : 0);
          }
          builder.Append(static_cast<int32_t>(bucket));
          --left;
        }
        return builder.Finish();
      });
}

// lag (direction -1) and lead (+1): input[offset rows away] or default.
WindowBinder Offset(std::string name, int direction) {
  return [name, direction](const std::vector<ExprPtr>& args,
                           const BindContext& ctx) -> Result<BoundWindowFunction> {
    if (args.empty() || args.size() > 3) {
      return more::WrongNumArgs(name, "[1, 2, 3]", args.size());
    }
    int64_t offset = 1;
    if (args.size() >= 2) {
      bool is_null = false;
      if (!more::LiteralInt(args[1], &offset, &is_null) || is_null) {
        return more::NonFoldable(ctx, "`offset`", "INT", args[1]);
      }
    }
    const TypePtr type = args[0]->type();
    std::vector<TypePtr> types = {type};
    if (args.size() >= 2) {
      types.push_back(IntType());
    }
    if (args.size() == 3) {
      types.push_back(type);
    }
    const int64_t shift = offset * direction;
    return MakeWindow(
        name, type, types,
        [type, shift](const WindowPartition& partition, const EvalContext&) -> Result<VectorPtr> {
          const Vector& input = *partition.args[0];
          const Vector* fallback = partition.args.size() == 3 ? partition.args[2].get() : nullptr;
          std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type);
          builder->Reserve(partition.num_rows);
          for (int64_t r = 0; r < partition.num_rows; ++r) {
            const int64_t source = r + shift;
            if (source >= 0 && source < partition.num_rows) {
              AppendValue(input, ArgRow(input, source), builder.get());
            } else if (fallback != nullptr) {
              AppendValue(*fallback, ArgRow(*fallback, r), builder.get());
            } else {
              builder->AppendNull();
            }
          }
          return builder->Finish();
        });
  };
}

}  // namespace

void RegisterWindowFunctions(FunctionRegistry& registry) {
  registry.AddWindow("row_number", Ranking<int32_t>("row_number", IntType(), RowNumber));
  registry.AddWindow("rank", Ranking<int32_t>("rank", IntType(), Rank));
  registry.AddWindow("dense_rank", Ranking<int32_t>("dense_rank", IntType(), DenseRank));
  registry.AddWindow("percent_rank", Ranking<double>("percent_rank", DoubleType(), PercentRank));
  registry.AddWindow("cume_dist", Ranking<double>("cume_dist", DoubleType(), CumeDist));
  registry.AddWindow("ntile", BindNtile);
  registry.AddWindow("lag", Offset("lag", -1));
  registry.AddWindow("lead", Offset("lead", 1));
}

}  // namespace sluice::expr
