// SPDX-License-Identifier: Apache-2.0
// The binary arithmetic operators: + - * / % div pmod and try_add, try_subtract,
// try_multiply, try_divide. The unary and math functions are in math.cc.
#include <fmt/format.h>

#include <cmath>

#include "expr/builtins.h"
#include "expr/cast_internal.h"
#include "expr/functions/core_internal.h"
#include "expr/functions/decimal_ops.h"
#include "expr/functions/kernel.h"
#include "expr/type_coercion.h"

namespace sluice::expr {

namespace {

enum class ArithOp : uint8_t { kAdd, kSubtract, kMultiply, kDivide, kRemainder, kDiv, kPmod };

char OpChar(ArithOp op) {
  switch (op) {
    case ArithOp::kAdd:
      return '+';
    case ArithOp::kSubtract:
      return '-';
    case ArithOp::kMultiply:
      return '*';
    case ArithOp::kDivide:
      return '/';
    default:
      return '%';
  }
}

std::string_view TryName(ArithOp op) {
  switch (op) {
    case ArithOp::kAdd:
      return "try_add";
    case ArithOp::kSubtract:
      return "try_subtract";
    case ArithOp::kMultiply:
      return "try_multiply";
    default:
      return "try_divide";
  }
}

// How failures are reported: null (try_* or non-ANSI) or an error.
struct Failure {
  ArithOp op;
  bool raise;     // ANSI and not a try_ function
  bool try_mode;  // try_add, ...: overflow gives null instead of wrapping

  template <typename T>
  Result<std::optional<T>> Overflow(std::string_view what) const {
    if (!raise) {
      return std::optional<T>();
    }
    return Status::InvalidArgument(fmt::format(
        "[ARITHMETIC_OVERFLOW] {} overflow. Use '{}' to tolerate overflow and return NULL "
        "instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this "
        "error.",
        what, TryName(op)));
  }
  template <typename T>
  Result<std::optional<T>> DivideByZero() const {
    if (!raise) {
      return std::optional<T>();
    }
    return Status::InvalidArgument(
        "[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and "
        "return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to "
        "bypass this error.");
  }
  template <typename T>
  Result<std::optional<T>> OutOfRange(Int128 value, int scale, const TypePtr& type) const {
    if (!raise) {
      return std::optional<T>();
    }
    return internal::NumericOutOfRange(FormatDecimal(value, scale), type->precision(),
                                       type->scale());
  }
};

template <typename T>
std::string_view IntegralName() {
  return sizeof(T) == 8 ? "long"
                        : (sizeof(T) == 4 ? "integer" : (sizeof(T) == 2 ? "short" : "byte"));
}

template <typename T>
Result<std::optional<T>> IntegralOp(const Failure& f, T a, T b) {
  T out{};
  switch (f.op) {
    case ArithOp::kAdd:
      if (__builtin_add_overflow(a, b, &out) && (f.raise || f.try_mode)) {
        return f.Overflow<T>(IntegralName<T>());
      }
      return std::optional<T>(out);  // wraps like Java when not raising
    case ArithOp::kSubtract:
      if (__builtin_sub_overflow(a, b, &out) && (f.raise || f.try_mode)) {
        return f.Overflow<T>(IntegralName<T>());
      }
      return std::optional<T>(out);
    case ArithOp::kMultiply:
      if (__builtin_mul_overflow(a, b, &out) && (f.raise || f.try_mode)) {
        return f.Overflow<T>(IntegralName<T>());
      }
      return std::optional<T>(out);
    case ArithOp::kRemainder:
    case ArithOp::kPmod: {
      if (b == 0) {
        return f.DivideByZero<T>();
      }
      if (b == -1) {
        return std::optional<T>(0);
      }
      T r = static_cast<T>(a % b);
      if (f.op == ArithOp::kPmod && r < 0) {
        r = static_cast<T>((r + b) % b);
      }
      return std::optional<T>(r);
    }
    case ArithOp::kDiv:
      if (b == 0) {
        return f.DivideByZero<T>();
      }
      if (b == -1) {
        __builtin_sub_overflow(T{0}, a, &out);  // MIN div -1 wraps to MIN
        return std::optional<T>(out);
      }
      return std::optional<T>(static_cast<T>(a / b));
    case ArithOp::kDivide:
      break;
  }
  return std::optional<T>();
}

template <typename T>
Result<std::optional<T>> FloatingOp(const Failure& f, T a, T b) {
  switch (f.op) {
    case ArithOp::kAdd:
      return std::optional<T>(a + b);
    case ArithOp::kSubtract:
      return std::optional<T>(a - b);
    case ArithOp::kMultiply:
      return std::optional<T>(a * b);
    case ArithOp::kDivide:
      if (b == 0) {
        return f.DivideByZero<T>();
      }
      return std::optional<T>(a / b);
    case ArithOp::kRemainder:
    case ArithOp::kPmod: {
      if (b == 0) {
        return f.DivideByZero<T>();
      }
      T r = std::fmod(a, b);
      if (f.op == ArithOp::kPmod && r < 0) {
        r = std::fmod(r + b, b);
      }
      return std::optional<T>(r);
    }
    case ArithOp::kDiv:
      break;
  }
  return std::optional<T>();
}

// Decimal operands of scales s1 and s2 into `type` (decimal, or bigint for div).
Result<std::optional<Int128>> DecimalOp(const Failure& f, Int128 a, int s1, Int128 b, int s2,
                                        const TypePtr& type) {
  const int scale = type->id() == TypeId::kDecimal ? type->scale() : 0;
  const int precision = type->id() == TypeId::kDecimal ? type->precision() : 38;
  Int128 exact = 0;  // at scale `exact_scale`
  int exact_scale = std::max(s1, s2);
  Int128 aa = 0;
  Int128 bb = 0;
  const bool aligned = decimal_ops::ScaleUp(a, exact_scale - s1, &aa) &&
                       decimal_ops::ScaleUp(b, exact_scale - s2, &bb);
  switch (f.op) {
    case ArithOp::kAdd:
    case ArithOp::kSubtract: {
      const bool overflow =
          !aligned || (f.op == ArithOp::kAdd ? __builtin_add_overflow(aa, bb, &exact)
                                             : __builtin_sub_overflow(aa, bb, &exact));
      if (overflow) {
        return f.OutOfRange<Int128>(0, 0, type);
      }
      break;
    }
    case ArithOp::kMultiply: {
      int drop = s1 + s2 - scale;
      Int128 product = 0;
      if (!decimal_ops::MulDivRound(a, b, PowerOfTen(std::min(drop, 38)), &product)) {
        return f.OutOfRange<Int128>(0, 0, type);
      }
      exact = product;
      exact_scale = s1 + s2 - std::min(drop, 38);
      break;
    }
    case ArithOp::kDivide: {
      if (b == 0) {
        return f.DivideByZero<Int128>();
      }
      const int exponent = scale + s2 - s1;
      Int128 quotient = 0;
      bool ok = false;
      if (exponent >= 0 && exponent <= 38) {
        ok = decimal_ops::MulDivRound(a, PowerOfTen(exponent), b, &quotient);
      } else if (exponent < 0) {
        Int128 divisor = 0;
        ok = true;
        if (!decimal_ops::ScaleUp(b < 0 ? -b : b, -exponent, &divisor)) {
          quotient = 0;
        } else {
          ok = decimal_ops::MulDivRound(b < 0 ? -a : a, 1, divisor, &quotient);
        }
      }
      if (!ok) {
        return f.OutOfRange<Int128>(0, 0, type);
      }
      exact = quotient;
      exact_scale = scale;
      break;
    }
    case ArithOp::kRemainder:
    case ArithOp::kPmod:
    case ArithOp::kDiv: {
      if (b == 0) {
        return f.DivideByZero<Int128>();
      }
      if (!aligned) {
        return f.OutOfRange<Int128>(0, 0, type);
      }
      if (f.op == ArithOp::kDiv) {
        return std::optional<Int128>(aa / bb);  // the caller narrows to bigint
      }
      exact = aa % bb;
      if (f.op == ArithOp::kPmod && exact < 0) {
        exact = (exact + bb) % bb;
      }
      break;
    }
  }
  Int128 out = 0;
  if (!internal::RescaleDecimal(exact, exact_scale, precision, scale, &out)) {
    return f.OutOfRange<Int128>(exact, exact_scale, type);
  }
  return std::optional<Int128>(out);
}

Result<VectorPtr> ArithmeticKernel(const Failure& f, const TypePtr& type,
                                   const std::vector<VectorPtr>& args, int64_t num_rows) {
  const TypeId arg_id = args[0]->type_id();
  if (arg_id == TypeId::kDecimal) {
    const int s1 = args[0]->type()->scale();
    const int s2 = args[1]->type()->scale();
    if (type->id() == TypeId::kLong) {  // div
      return kernel::Map<int64_t, Int128, Int128>(
          args, type, num_rows, [&](Int128 a, Int128 b) -> Result<std::optional<int64_t>> {
            SLUICE_ASSIGN_OR_RETURN(std::optional<Int128> q, DecimalOp(f, a, s1, b, s2, type));
            if (!q.has_value()) {
              return std::optional<int64_t>();
            }
            if (*q > std::numeric_limits<int64_t>::max() ||
                *q < std::numeric_limits<int64_t>::min()) {
              return f.Overflow<int64_t>("long");
            }
            return std::optional<int64_t>(static_cast<int64_t>(*q));
          });
    }
    return kernel::Map<Int128, Int128, Int128>(
        args, type, num_rows, [&](Int128 a, Int128 b) { return DecimalOp(f, a, s1, b, s2, type); });
  }
  Result<VectorPtr> result = Status::Internal("unsupported arithmetic type");
  kernel::DispatchPhysical(arg_id, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      result = kernel::Map<T, T, T>(args, type, num_rows,
                                    [&](T a, T b) { return FloatingOp<T>(f, a, b); });
    } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      result = kernel::Map<T, T, T>(args, type, num_rows,
                                    [&](T a, T b) { return IntegralOp<T>(f, a, b); });
    }
  });
  return result;
}

// date + n, date - n, n + date: days.
Result<VectorPtr> DateAddKernel(bool subtract, bool date_first, const std::vector<VectorPtr>& args,
                                int64_t num_rows) {
  std::vector<VectorPtr> ordered = date_first ? args : std::vector<VectorPtr>{args[1], args[0]};
  return kernel::Map<int32_t, int32_t, int32_t>(
      ordered, DateType(), num_rows,
      [subtract](int32_t days, int32_t n) { return subtract ? days - n : days + n; });
}

TypePtr DecimalOperand(const TypePtr& type) {
  switch (type->id()) {
    case TypeId::kByte:
      return DecimalType(3, 0);
    case TypeId::kShort:
      return DecimalType(5, 0);
    case TypeId::kInt:
      return DecimalType(10, 0);
    case TypeId::kLong:
      return DecimalType(20, 0);
    default:
      return type;
  }
}

/// Spark's literalPickMinimumPrecision: an integral literal beside a decimal counts as
/// the narrowest decimal that holds its value (3 -> decimal(1,0), -250 -> decimal(3,0)),
/// not as its type's full decimal (decimal(10,0) for an int). Other arguments keep `type`.
TypePtr NarrowIntegralLiteral(const ExprPtr& arg, const TypePtr& type, const TypePtr& other) {
  if (other->id() != TypeId::kDecimal || !type->is_integral() ||
      arg->kind() != ExprKind::kLiteral || arg->literal()->IsNull(0)) {
    return type;
  }
  const Vector& literal = *arg->literal();
  int64_t value = 0;
  switch (type->id()) {
    case TypeId::kByte:
      value = literal.Value<int8_t>(0);
      break;
    case TypeId::kShort:
      value = literal.Value<int16_t>(0);
      break;
    case TypeId::kInt:
      value = literal.Value<int32_t>(0);
      break;
    default:
      value = literal.Value<int64_t>(0);
      break;
  }
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  int digits = 1;
  while (magnitude >= 10) {
    magnitude /= 10;
    ++digits;
  }
  return DecimalType(digits, 0);
}

ScalarBinder ArithmeticBinder(std::string name, ArithOp op, bool try_mode) {
  return [name, op, try_mode](const std::vector<ExprPtr>& args,
                              const BindContext& ctx) -> Result<BoundScalarFunction> {
    if (args.size() != 2) {
      return kernel::WrongNumArgs(name, "2", args.size());
    }
    TypePtr left = args[0]->type();
    TypePtr right = args[1]->type();
    // Non-ANSI Spark casts strings to double in arithmetic; void takes the other side.
    auto normalize = [](TypePtr type) {
      return type->id() == TypeId::kString ? DoubleType() : type;
    };
    left = normalize(left);
    right = normalize(right);
    if (left->id() == TypeId::kNull) {
      left = right->id() == TypeId::kNull ? DoubleType() : right;
    }
    if (right->id() == TypeId::kNull) {
      right = left;
    }
    left = NarrowIntegralLiteral(args[0], left, right);
    right = NarrowIntegralLiteral(args[1], right, left);
    if ((op == ArithOp::kAdd || op == ArithOp::kSubtract) && left->id() == TypeId::kDate &&
        right->is_integral() && right->id() != TypeId::kLong) {
      const bool subtract = op == ArithOp::kSubtract;
      return kernel::MakeFunction(
          name, DateType(), {DateType(), IntType()},
          [subtract](const std::vector<VectorPtr>& values, int64_t num_rows, const EvalContext&) {
            return DateAddKernel(subtract, true, values, num_rows);
          });
    }
    if (op == ArithOp::kAdd && right->id() == TypeId::kDate && left->is_integral() &&
        left->id() != TypeId::kLong) {
      return kernel::MakeFunction(
          name, DateType(), {IntType(), DateType()},
          [](const std::vector<VectorPtr>& values, int64_t num_rows, const EvalContext&) {
            return DateAddKernel(false, false, values, num_rows);
          });
    }
    for (size_t i = 0; i < 2; ++i) {
      const TypePtr& type = i == 0 ? left : right;
      if (!type->is_numeric()) {
        return Status::BindError(fmt::format(
            "[DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE] Cannot resolve \"{}\" due to data type "
            "mismatch: the binary operator requires the input type (\"NUMERIC\" or \"INTERVAL "
            "DAY TO SECOND\" or \"INTERVAL YEAR TO MONTH\" or \"INTERVAL\"), not \"{}\".",
            ctx.call_sql, kernel::TypeSql(args[i]->type())));
      }
    }
    TypePtr result;
    std::vector<TypePtr> arg_types;
    const bool decimal = left->id() == TypeId::kDecimal || right->id() == TypeId::kDecimal;
    const bool floating = left->id() == TypeId::kFloat || left->id() == TypeId::kDouble ||
                          right->id() == TypeId::kFloat || right->id() == TypeId::kDouble;
    if (op == ArithOp::kDiv) {
      result = LongType();
      if (decimal && !floating) {
        arg_types = {DecimalOperand(left), DecimalOperand(right)};
      } else {
        arg_types = {LongType(), LongType()};
      }
    } else {
      result = ArithmeticResultType(OpChar(op), left, right);
      if (result->id() == TypeId::kDecimal) {
        arg_types = {DecimalOperand(left), DecimalOperand(right)};
      } else if (op == ArithOp::kDivide) {
        arg_types = {DoubleType(), DoubleType()};
      } else {
        arg_types = {result, result};
      }
    }
    ScalarKernel kernel_fn = [op, try_mode, result](const std::vector<VectorPtr>& values,
                                                    int64_t num_rows, const EvalContext& ectx) {
      const Failure f{op, ectx.ansi && !try_mode, try_mode};
      return ArithmeticKernel(f, result, values, num_rows);
    };
    return kernel::MakeFunction(name, result, std::move(arg_types), std::move(kernel_fn));
  };
}

}  // namespace

void RegisterArithmeticFunctions(FunctionRegistry& registry) {
  registry.AddScalar("+", ArithmeticBinder("+", ArithOp::kAdd, false));
  registry.AddScalar("-", ArithmeticBinder("-", ArithOp::kSubtract, false));
  registry.AddScalar("*", ArithmeticBinder("*", ArithOp::kMultiply, false));
  registry.AddScalar("/", ArithmeticBinder("/", ArithOp::kDivide, false));
  registry.AddScalar("%", ArithmeticBinder("%", ArithOp::kRemainder, false));
  registry.AddAlias("mod", "%");
  registry.AddScalar("div", ArithmeticBinder("div", ArithOp::kDiv, false));
  registry.AddScalar("pmod", ArithmeticBinder("pmod", ArithOp::kPmod, false));
  registry.AddScalar("try_add", ArithmeticBinder("try_add", ArithOp::kAdd, true));
  registry.AddScalar("try_subtract", ArithmeticBinder("try_subtract", ArithOp::kSubtract, true));
  registry.AddScalar("try_multiply", ArithmeticBinder("try_multiply", ArithOp::kMultiply, true));
  registry.AddScalar("try_divide", ArithmeticBinder("try_divide", ArithOp::kDivide, true));
  RegisterMathFunctions(registry);
}

}  // namespace sluice::expr
