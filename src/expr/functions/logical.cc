// SPDX-License-Identifier: Apache-2.0
// not, and bitwise & | ^ ~, shiftleft, shiftright, shiftrightunsigned, bit_count.
// AND / OR are expression kinds evaluated by the evaluator.
#include <fmt/format.h>

#include <bit>

#include "expr/builtins.h"
#include "expr/functions/kernel.h"
#include "expr/type_coercion.h"

namespace sluice::expr {

namespace {

using Args = std::vector<ExprPtr>;
using Values = std::vector<VectorPtr>;

Result<BoundScalarFunction> BindNot(const Args& args, const BindContext& ctx) {
  if (args.size() != 1) {
    return kernel::WrongNumArgs("not", "1", args.size());
  }
  const TypeId id = args[0]->type()->id();
  if (id != TypeId::kBoolean && id != TypeId::kNull) {
    return kernel::UnexpectedInputType(ctx, 0, "\"BOOLEAN\"", args[0]);
  }
  ScalarKernel fn = [](const Values& values, int64_t num_rows, const EvalContext&) {
    return kernel::Map<bool, bool>(values, BooleanType(), num_rows, [](bool b) { return !b; });
  };
  return kernel::MakeFunction("not", BooleanType(), {BooleanType()}, std::move(fn));
}

// The integral type of a bitwise operand (void as int).
Result<TypePtr> IntegralArg(const BindContext& ctx, size_t index, const ExprPtr& arg) {
  if (arg->type()->id() == TypeId::kNull) {
    return IntType();
  }
  if (!arg->type()->is_integral()) {
    return kernel::UnexpectedInputType(ctx, index, "\"INTEGRAL\"", arg);
  }
  return arg->type();
}

enum class BitOp : uint8_t { kAnd, kOr, kXor };

ScalarBinder BitwiseBinder(std::string name, BitOp op) {
  return [name, op](const Args& args, const BindContext& ctx) -> Result<BoundScalarFunction> {
    if (args.size() != 2) {
      return kernel::WrongNumArgs(name, "2", args.size());
    }
    SLUICE_ASSIGN_OR_RETURN(TypePtr left, IntegralArg(ctx, 0, args[0]));
    SLUICE_ASSIGN_OR_RETURN(TypePtr right, IntegralArg(ctx, 1, args[1]));
    TypePtr type = WiderCommonType(left, right, ctx.ansi);
    ScalarKernel fn = [type, op](const Values& values, int64_t num_rows,
                                 const EvalContext&) -> Result<VectorPtr> {
      Result<VectorPtr> result = Status::Internal("bitwise");
      kernel::DispatchPhysical(type->id(), [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
          result = kernel::Map<T, T, T>(values, type, num_rows, [op](T a, T b) {
            return static_cast<T>(op == BitOp::kAnd  ? (a & b)
                                  : op == BitOp::kOr ? (a | b)
                                                     : (a ^ b));
          });
        }
      });
      return result;
    };
    return kernel::MakeFunction(name, type, {type, type}, std::move(fn));
  };
}

Result<BoundScalarFunction> BindBitwiseNot(const Args& args, const BindContext& ctx) {
  if (args.size() != 1) {
    return kernel::WrongNumArgs("~", "1", args.size());
  }
  SLUICE_ASSIGN_OR_RETURN(TypePtr type, IntegralArg(ctx, 0, args[0]));
  ScalarKernel fn = [type](const Values& values, int64_t num_rows,
                           const EvalContext&) -> Result<VectorPtr> {
    Result<VectorPtr> result = Status::Internal("bitwise not");
    kernel::DispatchPhysical(type->id(), [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        result = kernel::Map<T, T>(values, type, num_rows, [](T a) { return static_cast<T>(~a); });
      }
    });
    return result;
  };
  return kernel::MakeFunction("~", type, {type}, std::move(fn));
}

enum class Shift : uint8_t { kLeft, kRight, kRightUnsigned };

// Java's shifts: int or long operands (byte and short widen to int), the distance masked.
ScalarBinder ShiftBinder(std::string name, Shift shift) {
  return [name, shift](const Args& args, const BindContext& ctx) -> Result<BoundScalarFunction> {
    if (args.size() != 2) {
      return kernel::WrongNumArgs(name, "2", args.size());
    }
    SLUICE_ASSIGN_OR_RETURN(TypePtr base, IntegralArg(ctx, 0, args[0]));
    SLUICE_RETURN_IF_ERROR(IntegralArg(ctx, 1, args[1]).status());
    const bool is_long = base->id() == TypeId::kLong;
    TypePtr type = is_long ? LongType() : IntType();
    ScalarKernel fn = [type, shift, is_long](const Values& values, int64_t num_rows,
                                             const EvalContext&) -> Result<VectorPtr> {
      if (is_long) {
        return kernel::Map<int64_t, int64_t, int32_t>(
            values, type, num_rows, [shift](int64_t a, int32_t n) {
              const int s = n & 63;
              const uint64_t u = static_cast<uint64_t>(a);
              return shift == Shift::kLeft    ? static_cast<int64_t>(u << s)
                     : shift == Shift::kRight ? (a >> s)
                                              : static_cast<int64_t>(u >> s);
            });
      }
      return kernel::Map<int32_t, int32_t, int32_t>(
          values, type, num_rows, [shift](int32_t a, int32_t n) {
            const int s = n & 31;
            const uint32_t u = static_cast<uint32_t>(a);
            return shift == Shift::kLeft    ? static_cast<int32_t>(u << s)
                   : shift == Shift::kRight ? (a >> s)
                                            : static_cast<int32_t>(u >> s);
          });
    };
    return kernel::MakeFunction(name, type, {type, IntType()}, std::move(fn));
  };
}

Result<BoundScalarFunction> BindBitCount(const Args& args, const BindContext& ctx) {
  if (args.size() != 1) {
    return kernel::WrongNumArgs("bit_count", "1", args.size());
  }
  const TypeId id = args[0]->type()->id();
  if (id == TypeId::kBoolean) {
    ScalarKernel fn = [](const Values& values, int64_t num_rows, const EvalContext&) {
      return kernel::Map<int32_t, bool>(values, IntType(), num_rows,
                                        [](bool b) { return b ? 1 : 0; });
    };
    return kernel::MakeFunction("bit_count", IntType(), {BooleanType()}, std::move(fn));
  }
  SLUICE_RETURN_IF_ERROR(IntegralArg(ctx, 0, args[0]).status());
  // Spark counts the bits of the value widened to long (a negative byte has 64 - ...).
  ScalarKernel fn = [](const Values& values, int64_t num_rows, const EvalContext&) {
    return kernel::Map<int32_t, int64_t>(values, IntType(), num_rows, [](int64_t v) {
      return static_cast<int32_t>(std::popcount(static_cast<uint64_t>(v)));
    });
  };
  return kernel::MakeFunction("bit_count", IntType(), {LongType()}, std::move(fn));
}

}  // namespace

void RegisterLogicalFunctions(FunctionRegistry& registry) {
  registry.AddScalar("not", BindNot);
  registry.AddAlias("!", "not");
  registry.AddScalar("&", BitwiseBinder("&", BitOp::kAnd));
  registry.AddScalar("|", BitwiseBinder("|", BitOp::kOr));
  registry.AddScalar("^", BitwiseBinder("^", BitOp::kXor));
  registry.AddScalar("~", BindBitwiseNot);
  registry.AddScalar("shiftleft", ShiftBinder("shiftleft", Shift::kLeft));
  registry.AddScalar("shiftright", ShiftBinder("shiftright", Shift::kRight));
  registry.AddScalar("shiftrightunsigned",
                     ShiftBinder("shiftrightunsigned", Shift::kRightUnsigned));
  registry.AddScalar("bit_count", BindBitCount);
}

}  // namespace sluice::expr
