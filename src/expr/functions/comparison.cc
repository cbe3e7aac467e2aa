// SPDX-License-Identifier: Apache-2.0
// = == <=> != <> < <= > >=, in, isnull, isnotnull, isnan, nanvl.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "expr/builtins.h"
#include "expr/functions/kernel.h"
#include "expr/type_coercion.h"

namespace sluice::expr {

namespace {

enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

bool Apply(CompareOp op, int c) {
  switch (op) {
    case CompareOp::kEq:
      return c == 0;
    case CompareOp::kNe:
      return c != 0;
    case CompareOp::kLt:
      return c < 0;
    case CompareOp::kLe:
      return c <= 0;
    case CompareOp::kGt:
      return c > 0;
    case CompareOp::kGe:
      return c >= 0;
  }
  return false;
}

// a <op> b for two values of C type T, as Spark orders them (see CompareScalar); the
// operator is a template argument so that the row loop has no switch.
// Byte equality of two strings of one length: short ones inline (most keys and
// categories), longer ones with memcmp.
[[gnu::always_inline]] inline bool SameBytes(const char* a, const char* b, size_t length) {
  if (length > 16) {
    return std::memcmp(a, b, length) == 0;
  }
  for (size_t i = 0; i < length; ++i) {
    if (a[i] != b[i]) {
      return false;
    }
  }
  return true;
}

template <CompareOp kOp, typename T>
[[gnu::always_inline]] inline bool CompareAs(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, std::string_view> &&
                (kOp == CompareOp::kEq || kOp == CompareOp::kNe)) {
    const bool equal = a.size() == b.size() && SameBytes(a.data(), b.data(), a.size());
    return equal == (kOp == CompareOp::kEq);
  } else if constexpr (std::is_floating_point_v<T>) {
    return Apply(kOp, kernel::CompareScalar<T>(a, b));
  } else if constexpr (kOp == CompareOp::kEq) {
    return a == b;
  } else if constexpr (kOp == CompareOp::kNe) {
    return a != b;
  } else if constexpr (kOp == CompareOp::kLt) {
    return a < b;
  } else if constexpr (kOp == CompareOp::kLe) {
    return a <= b;
  } else if constexpr (kOp == CompareOp::kGt) {
    return a > b;
  } else {
    return a >= b;
  }
}

template <CompareOp kOp>
bool CompareTyped(TypeId id, const std::vector<VectorPtr>& args, int64_t num_rows,
                  Result<VectorPtr>* result) {
  return kernel::DispatchPhysical(id, [&](auto tag) {
    using T = decltype(tag);
    *result = kernel::Map<bool, T, T>(args, BooleanType(), num_rows,
                                      [](T a, T b) { return CompareAs<kOp, T>(a, b); });
  });
}

Result<VectorPtr> CompareKernel(CompareOp op, const std::vector<VectorPtr>& args,
                                int64_t num_rows) {
  const TypeId id = args[0]->type_id();
  if (id == TypeId::kNull || args[1]->type_id() == TypeId::kNull) {
    return kernel::MakeNulls(BooleanType(), kernel::OutputLength(args, num_rows));
  }
  Result<VectorPtr> result = Status::Internal("unreached");
  bool handled = false;
  switch (op) {
    case CompareOp::kEq:
      handled = CompareTyped<CompareOp::kEq>(id, args, num_rows, &result);
      break;
    case CompareOp::kNe:
      handled = CompareTyped<CompareOp::kNe>(id, args, num_rows, &result);
      break;
    case CompareOp::kLt:
      handled = CompareTyped<CompareOp::kLt>(id, args, num_rows, &result);
      break;
    case CompareOp::kLe:
      handled = CompareTyped<CompareOp::kLe>(id, args, num_rows, &result);
      break;
    case CompareOp::kGt:
      handled = CompareTyped<CompareOp::kGt>(id, args, num_rows, &result);
      break;
    case CompareOp::kGe:
      handled = CompareTyped<CompareOp::kGe>(id, args, num_rows, &result);
      break;
  }
  if (handled) {
    return result;
  }
  const Vector& left = *args[0];
  const Vector& right = *args[1];
  return kernel::ForEachRow<bool>(
      args, BooleanType(), num_rows, [&](int64_t row, BooleanBuilder& out) {
        if (kernel::IsNullAt(left, row) || kernel::IsNullAt(right, row)) {
          out.AppendNull();
        } else {
          out.Append(Apply(op, kernel::CompareValues(left, kernel::RowOf(left, row), right,
                                                     kernel::RowOf(right, row))));
        }
        return Status::Ok();
      });
}

Result<VectorPtr> NullSafeEqualKernel(const std::vector<VectorPtr>& args, int64_t num_rows) {
  const Vector& left = *args[0];
  const Vector& right = *args[1];
  return kernel::ForEachRow<bool>(
      args, BooleanType(), num_rows, [&](int64_t row, BooleanBuilder& out) {
        const bool left_null = kernel::IsNullAt(left, row);
        const bool right_null = kernel::IsNullAt(right, row);
        if (left_null || right_null) {
          out.Append(left_null && right_null);
        } else {
          out.Append(kernel::CompareValues(left, kernel::RowOf(left, row), right,
                                           kernel::RowOf(right, row)) == 0);
        }
        return Status::Ok();
      });
}

bool Orderable(const TypePtr& type) {
  switch (type->id()) {
    case TypeId::kMap:
    case TypeId::kVariant:
      return false;
    case TypeId::kArray:
      return Orderable(type->element_type());
    case TypeId::kStruct:
      for (const Field& field : type->fields()) {
        if (!Orderable(field.type)) {
          return false;
        }
      }
      return true;
    default:
      return true;
  }
}

ScalarBinder ComparisonBinder(std::string name, std::string symbol, CompareOp op, bool null_safe) {
  return [name, symbol, op, null_safe](const std::vector<ExprPtr>& args,
                                       const BindContext& ctx) -> Result<BoundScalarFunction> {
    if (args.size() != 2) {
      return kernel::WrongNumArgs(symbol, "2", args.size());
    }
    TypePtr type = ComparisonType(args[0]->type(), args[1]->type(), ctx.ansi);
    if (type == nullptr) {
      return Status::BindError(fmt::format(
          "[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] Cannot resolve \"{}\" due to data type "
          "mismatch: the left and right operands of the binary operator have incompatible "
          "types (\"{}\" and \"{}\").",
          ctx.call_sql, kernel::TypeSql(args[0]->type()), kernel::TypeSql(args[1]->type())));
    }
    if (!Orderable(type)) {
      return Status::BindError(fmt::format(
          "[DATATYPE_MISMATCH.INVALID_ORDERING_TYPE] Cannot resolve \"{}\" due to data type "
          "mismatch: The `{}` does not support ordering on type \"{}\".",
          ctx.call_sql, symbol, kernel::TypeSql(type)));
    }
    ScalarKernel kernel_fn;
    if (null_safe) {
      kernel_fn = [](const std::vector<VectorPtr>& values, int64_t num_rows, const EvalContext&) {
        return NullSafeEqualKernel(values, num_rows);
      };
    } else {
      kernel_fn = [op](const std::vector<VectorPtr>& values, int64_t num_rows, const EvalContext&) {
        return CompareKernel(op, values, num_rows);
      };
    }
    return kernel::MakeFunction(name, BooleanType(), {type, type}, std::move(kernel_fn),
                                !null_safe);
  };
}

// x IN (v1, v2, ...): true when found; else null when x or any vi is null; else false.
Result<BoundScalarFunction> BindIn(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  if (args.size() < 2) {
    return kernel::WrongNumArgs("in", "> 1", args.size());
  }
  std::vector<TypePtr> types;
  for (const ExprPtr& arg : args) {
    types.push_back(arg->type());
  }
  TypePtr type = types[0];
  for (size_t i = 1; i < types.size() && type != nullptr; ++i) {
    TypePtr common = ComparisonType(type, types[i], ctx.ansi);
    type = common;
  }
  if (type == nullptr) {
    return Status::BindError(fmt::format(
        "[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve \"{}\" due to data type mismatch: "
        "Input to `in` should all be the same type, but it's [{}].",
        ctx.call_sql, [&] {
          std::string list;
          for (size_t i = 0; i < types.size(); ++i) {
            list += (i > 0 ? ", " : "") + ("\"" + kernel::TypeSql(types[i]) + "\"");
          }
          return list;
        }()));
  }
  ScalarKernel kernel_fn = [](const std::vector<VectorPtr>& values, int64_t num_rows,
                              const EvalContext&) -> Result<VectorPtr> {
    const Vector& needle = *values[0];
    const bool constant_list = std::all_of(values.begin() + 1, values.end(),
                                           [](const VectorPtr& v) { return v->length() == 1; });
    // A constant list: sorted once, then a binary search per row.
    std::vector<size_t> sorted;
    bool list_has_null = false;
    if (constant_list && needle.type_id() != TypeId::kNull) {
      for (size_t i = 1; i < values.size(); ++i) {
        if (values[i]->IsNull(0)) {
          list_has_null = true;
        } else {
          sorted.push_back(i);
        }
      }
      std::sort(sorted.begin(), sorted.end(), [&](size_t a, size_t b) {
        return kernel::CompareValues(*values[a], 0, *values[b], 0) < 0;
      });
    }
    return kernel::ForEachRow<bool>(
        values, BooleanType(), num_rows, [&](int64_t row, BooleanBuilder& out) {
          if (kernel::IsNullAt(needle, row)) {
            out.AppendNull();
            return Status::Ok();
          }
          const int64_t index = kernel::RowOf(needle, row);
          if (constant_list) {
            const bool found = std::binary_search(
                sorted.begin(), sorted.end(), size_t{0}, [&](size_t a, size_t b) {
                  const int c = a == 0 ? kernel::CompareValues(needle, index, *values[b], 0)
                                       : kernel::CompareValues(*values[a], 0, needle, index);
                  return c < 0;
                });
            if (found) {
              out.Append(true);
            } else if (list_has_null) {
              out.AppendNull();
            } else {
              out.Append(false);
            }
            return Status::Ok();
          }
          bool has_null = false;
          for (size_t i = 1; i < values.size(); ++i) {
            const Vector& item = *values[i];
            if (kernel::IsNullAt(item, row)) {
              has_null = true;
            } else if (kernel::CompareValues(needle, index, item, kernel::RowOf(item, row)) == 0) {
              out.Append(true);
              return Status::Ok();
            }
          }
          if (has_null) {
            out.AppendNull();
          } else {
            out.Append(false);
          }
          return Status::Ok();
        });
  };
  return kernel::MakeFunction("in", BooleanType(), std::vector<TypePtr>(args.size(), type),
                              std::move(kernel_fn), /*null_intolerant=*/false);
}

// isnull / isnotnull: the validity bitmap (inverted for isnull), 64 rows at a time.
VectorPtr NullTest(const Vector& value, int64_t length, bool want_null) {
  const int64_t num_bytes = bits::BytesFor(length);
  BufferPtr out = Buffer::Uninitialized(num_bytes);
  const bool constant = value.length() == 1;
  const bool constant_null = constant && value.IsNull(0);
  const uint8_t* validity =
      value.validity_buffer() == nullptr ? nullptr : value.validity_buffer()->data();
  const bool all_null = value.type_id() == TypeId::kNull;
  for (int64_t w = 0; w * 64 < length; ++w) {
    const int64_t count = std::min<int64_t>(64, length - w * 64);
    const uint64_t full = bits::LowMask(count);
    uint64_t valid = full;
    if (constant) {
      valid = constant_null ? 0 : full;
    } else if (all_null) {
      valid = 0;
    } else if (validity != nullptr) {
      valid = bits::ReadWord(validity, value.offset() + w * 64, count);
    }
    bits::WriteWord(out->mutable_data(), w, want_null ? ~valid & full : valid, num_bytes);
  }
  return std::make_shared<const Vector>(BooleanType(), length, 0, nullptr, std::move(out), nullptr,
                                        std::vector<VectorPtr>{});
}

ScalarBinder NullTestBinder(std::string name, bool want_null) {
  return [name, want_null](const std::vector<ExprPtr>& args,
                           const BindContext&) -> Result<BoundScalarFunction> {
    if (args.size() != 1) {
      return kernel::WrongNumArgs(name, "1", args.size());
    }
    ScalarKernel kernel_fn = [want_null](const std::vector<VectorPtr>& values, int64_t num_rows,
                                         const EvalContext&) -> Result<VectorPtr> {
      return NullTest(*values[0], kernel::OutputLength(values, num_rows), want_null);
    };
    return kernel::MakeFunction(name, BooleanType(), {args[0]->type()}, std::move(kernel_fn),
                                /*null_intolerant=*/false);
  };
}

// The floating type an argument of isnan / nanvl is cast to.
Result<TypePtr> FloatingArg(const BindContext& ctx, size_t index, const ExprPtr& arg) {
  const TypeId id = arg->type()->id();
  if (id == TypeId::kFloat || id == TypeId::kDouble) {
    return arg->type();
  }
  if (arg->type()->is_numeric() || id == TypeId::kNull || id == TypeId::kString) {
    return DoubleType();
  }
  return kernel::UnexpectedInputType(ctx, index, "(\"DOUBLE\" or \"FLOAT\")", arg);
}

Result<BoundScalarFunction> BindIsNan(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  if (args.size() != 1) {
    return kernel::WrongNumArgs("isnan", "1", args.size());
  }
  SLUICE_ASSIGN_OR_RETURN(TypePtr type, FloatingArg(ctx, 0, args[0]));
  ScalarKernel kernel_fn = [](const std::vector<VectorPtr>& values, int64_t num_rows,
                              const EvalContext&) {
    const Vector& value = *values[0];
    const bool is_float = value.type_id() == TypeId::kFloat;
    return kernel::ForEachRow<bool>(values, BooleanType(), num_rows,
                                    [&](int64_t row, BooleanBuilder& out) {
                                      if (kernel::IsNullAt(value, row)) {
                                        out.Append(false);
                                      } else {
                                        const int64_t i = kernel::RowOf(value, row);
                                        out.Append(is_float ? std::isnan(value.Value<float>(i))
                                                            : std::isnan(value.Value<double>(i)));
                                      }
                                      return Status::Ok();
                                    });
  };
  return kernel::MakeFunction("isnan", BooleanType(), {type}, std::move(kernel_fn), false);
}

Result<BoundScalarFunction> BindNanvl(const std::vector<ExprPtr>& args, const BindContext& ctx) {
  if (args.size() != 2) {
    return kernel::WrongNumArgs("nanvl", "2", args.size());
  }
  SLUICE_ASSIGN_OR_RETURN(TypePtr left, FloatingArg(ctx, 0, args[0]));
  SLUICE_ASSIGN_OR_RETURN(TypePtr right, FloatingArg(ctx, 1, args[1]));
  TypePtr type =
      left->id() == TypeId::kFloat && right->id() == TypeId::kFloat ? FloatType() : DoubleType();
  ScalarKernel kernel_fn = [type](const std::vector<VectorPtr>& values, int64_t num_rows,
                                  const EvalContext&) {
    const Vector& a = *values[0];
    const Vector& b = *values[1];
    auto run = [&](auto tag) {
      using T = decltype(tag);
      return kernel::ForEachRow<T>(values, type, num_rows, [&](int64_t row, auto& out) {
        if (kernel::IsNullAt(a, row)) {
          out.AppendNull();
        } else if (const T value = kernel::ReadAt<T>(a, row); !std::isnan(value)) {
          out.Append(value);
        } else if (kernel::IsNullAt(b, row)) {
          out.AppendNull();
        } else {
          out.Append(kernel::ReadAt<T>(b, row));
        }
        return Status::Ok();
      });
    };
    return type->id() == TypeId::kFloat ? run(float{}) : run(double{});
  };
  return kernel::MakeFunction("nanvl", type, {type, type}, std::move(kernel_fn), false);
}

}  // namespace

void RegisterComparisonFunctions(FunctionRegistry& registry) {
  registry.AddScalar("=", ComparisonBinder("=", "=", CompareOp::kEq, false));
  registry.AddAlias("==", "=");
  registry.AddScalar("<=>", ComparisonBinder("<=>", "<=>", CompareOp::kEq, true));
  registry.AddScalar("equal_null",
                     ComparisonBinder("equal_null", "equal_null", CompareOp::kEq, true));
  registry.AddScalar("!=", ComparisonBinder("!=", "!=", CompareOp::kNe, false));
  registry.AddAlias("<>", "!=");
  registry.AddScalar("<", ComparisonBinder("<", "<", CompareOp::kLt, false));
  registry.AddScalar("<=", ComparisonBinder("<=", "<=", CompareOp::kLe, false));
  registry.AddScalar(">", ComparisonBinder(">", ">", CompareOp::kGt, false));
  registry.AddScalar(">=", ComparisonBinder(">=", ">=", CompareOp::kGe, false));
  registry.AddScalar("in", BindIn);
  registry.AddScalar("isnull", NullTestBinder("isnull", true));
  registry.AddScalar("isnotnull", NullTestBinder("isnotnull", false));
  registry.AddScalar("isnan", BindIsNan);
  registry.AddScalar("nanvl", BindNanvl);
}

}  // namespace sluice::expr
