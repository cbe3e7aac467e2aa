// SPDX-License-Identifier: Apache-2.0
// Unary numeric and math functions: negative, positive, abs, round, bround, ceil, floor,
// sqrt, exp, ln, log, log10, log2, pow, sign, trigonometry, greatest, least, rand.
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <mutex>
#include <random>

#include "columnar/concat.h"
#include "expr/builtins.h"
#include "expr/cast.h"
#include "expr/cast_internal.h"
#include "expr/functions/core_internal.h"
#include "expr/functions/decimal_ops.h"
#include "expr/functions/kernel.h"
#include "expr/type_coercion.h"
#include "types/number_format.h"

namespace sluice::expr {

namespace {

using Args = std::vector<ExprPtr>;
using Values = std::vector<VectorPtr>;

Status NumericArgError(const BindContext& ctx, size_t index, const ExprPtr& arg) {
  return kernel::UnexpectedInputType(ctx, index, "\"NUMERIC\"", arg);
}

// The type a numeric argument is taken as: strings as double, void as `fallback`.
Result<TypePtr> NumericArg(const BindContext& ctx, size_t index, const ExprPtr& arg,
                           const TypePtr& fallback) {
  const TypeId id = arg->type()->id();
  if (id == TypeId::kNull) {
    return fallback;
  }
  if (id == TypeId::kString) {
    return DoubleType();
  }
  if (!arg->type()->is_numeric()) {
    return NumericArgError(ctx, index, arg);
  }
  return arg->type();
}

Status ArithmeticOverflow(std::string_view what) {
  return Status::InvalidArgument(fmt::format(
      "[ARITHMETIC_OVERFLOW] {} overflow. If necessary set \"spark.sql.ansi.enabled\" to "
      "\"false\" to bypass this error.",
      what));
}

// negative(x) and abs(x): integral overflow wraps, or fails in ANSI mode.
ScalarBinder SignBinder(std::string name, bool is_abs, bool is_positive) {
  return [name, is_abs, is_positive](const Args& args,
                                     const BindContext& ctx) -> Result<BoundScalarFunction> {
    if (args.size() != 1) {
      return kernel::WrongNumArgs(name, "1", args.size());
    }
    SLUICE_ASSIGN_OR_RETURN(TypePtr type, NumericArg(ctx, 0, args[0], DoubleType()));
    ScalarKernel fn = [type, is_abs, is_positive](const Values& values, int64_t num_rows,
                                                  const EvalContext& ectx) -> Result<VectorPtr> {
      if (is_positive) {
        return values[0];
      }
      Result<VectorPtr> result = Status::Internal("not numeric");
      kernel::DispatchPhysical(type->id(), [&](auto tag) {
        using T = decltype(tag);
        if constexpr (!std::is_same_v<T, bool> && !std::is_same_v<T, std::string_view>) {
          result = kernel::Map<T, T>(values, type, num_rows, [&](T x) -> Result<T> {
            if (is_abs && !(x < 0)) {
              return x;
            }
            if constexpr (std::is_integral_v<T>) {
              T out{};
              if (__builtin_sub_overflow(T{0}, x, &out) && ectx.ansi) {
                return ArithmeticOverflow(sizeof(T) == 8 ? "long" : "integer");
              }
              return out;
            } else {
              return static_cast<T>(-x);
            }
          });
        }
      });
      return result;
    };
    return kernel::MakeFunction(name, type, {type}, std::move(fn));
  };
}

// One-argument double functions; `domain` false gives null (ln of x <= 0).
ScalarBinder DoubleFunction(std::string name, double (*fn)(double),
                            bool (*domain)(double) = nullptr) {
  return
      [name, fn, domain](const Args& args, const BindContext& ctx) -> Result<BoundScalarFunction> {
        if (args.size() != 1) {
          return kernel::WrongNumArgs(name, "1", args.size());
        }
        SLUICE_RETURN_IF_ERROR(NumericArg(ctx, 0, args[0], DoubleType()).status());
        ScalarKernel kernel_fn = [fn, domain](const Values& values, int64_t num_rows,
                                              const EvalContext&) {
          return kernel::Map<double, double>(values, DoubleType(), num_rows,
                                             [&](double x) -> std::optional<double> {
                                               if (domain != nullptr && !domain(x)) {
                                                 return std::nullopt;
                                               }
                                               return fn(x);
                                             });
        };
        return kernel::MakeFunction(name, DoubleType(), {DoubleType()}, std::move(kernel_fn));
      };
}

bool Positive(double x) {
  return x > 0;
}

double Signum(double x) {
  if (std::isnan(x)) {
    return x;
  }
  return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
}

double Degrees(double x) {
  return x * 180.0 / M_PI;
}
double Radians(double x) {
  return x / 180.0 * M_PI;
}
double Ln(double x) {
  return std::log(x);
}
double Log10(double x) {
  return std::log10(x);
}
double Log2(double x) {
  return std::log2(x);
}

// Two-argument double functions: pow, atan2, log(base, x).
ScalarBinder DoubleFunction2(std::string name, std::optional<double> (*fn)(double, double)) {
  return [name, fn](const Args& args, const BindContext& ctx) -> Result<BoundScalarFunction> {
    if (args.size() != 2) {
      return kernel::WrongNumArgs(name, "2", args.size());
    }
    for (size_t i = 0; i < 2; ++i) {
      SLUICE_RETURN_IF_ERROR(NumericArg(ctx, i, args[i], DoubleType()).status());
    }
    ScalarKernel kernel_fn = [fn](const Values& values, int64_t num_rows, const EvalContext&) {
      return kernel::Map<double, double, double>(values, DoubleType(), num_rows, fn);
    };
    return kernel::MakeFunction(name, DoubleType(), {DoubleType(), DoubleType()},
                                std::move(kernel_fn));
  };
}

std::optional<double> Pow(double x, double y) {
  return std::pow(x, y);
}
std::optional<double> Atan2(double y, double x) {
  return std::atan2(y, x);
}
std::optional<double> LogBase(double base, double x) {
  if (base <= 0 || x <= 0) {
    return std::nullopt;
  }
  return std::log(x) / std::log(base);
}

Result<BoundScalarFunction> BindLog(const Args& args, const BindContext& ctx) {
  if (args.size() == 1) {
    return DoubleFunction("log", Ln, Positive)(args, ctx);
  }
  return DoubleFunction2("log", LogBase)(args, ctx);
}

// Rounds the decimal text of a double (Java's Double.toString, as Scala's BigDecimal(d))
// to `places` fraction digits.
double RoundDoubleText(const std::string& text, int places, bool half_even) {
  DecimalLiteral literal;
  if (!ScanDecimalLiteral(text, &literal)) {
    return std::strtod(text.c_str(), nullptr);
  }
  std::string digits = std::string(literal.integer_digits) + std::string(literal.fraction_digits);
  const int64_t point = static_cast<int64_t>(literal.integer_digits.size()) + literal.exponent;
  const int64_t keep = point + places;
  if (keep >= static_cast<int64_t>(digits.size())) {
    return std::strtod(text.c_str(), nullptr);
  }
  const double sign = literal.negative ? -1.0 : 1.0;
  if (keep < 0) {
    return sign * 0.0;
  }
  std::string kept = digits.substr(0, static_cast<size_t>(keep));
  const char next = digits[static_cast<size_t>(keep)];
  bool rest_nonzero = false;
  for (size_t i = static_cast<size_t>(keep) + 1; i < digits.size(); ++i) {
    rest_nonzero = rest_nonzero || digits[i] != '0';
  }
  const bool last_odd = !kept.empty() && ((kept.back() - '0') % 2 == 1);
  const bool up =
      half_even ? (next > '5' || (next == '5' && (rest_nonzero || last_odd))) : next >= '5';
  if (up) {
    int i = static_cast<int>(kept.size()) - 1;
    while (i >= 0 && kept[i] == '9') {
      kept[i] = '0';
      --i;
    }
    if (i >= 0) {
      ++kept[i];
    } else {
      kept.insert(kept.begin(), '1');
    }
  }
  if (kept.empty()) {
    kept = "0";
  }
  const std::string rounded = fmt::format("{}e{}", kept, -static_cast<int64_t>(places));
  return sign * std::strtod(rounded.c_str(), nullptr);
}

// value / 10^drop rounded HALF_UP or HALF_EVEN (drop >= 0).
Int128 RoundUnscaled(Int128 value, int drop, bool half_even) {
  if (drop == 0) {
    return value;
  }
  if (drop > 38) {
    return 0;
  }
  const Int128 divisor = PowerOfTen(drop);
  Int128 quotient = value / divisor;
  const Int128 remainder = value % divisor;
  const Int128 twice = (remainder < 0 ? -remainder : remainder) * 2;
  const bool odd = quotient % 2 != 0;
  if (twice > divisor || (twice == divisor && (!half_even || odd))) {
    quotient += value < 0 ? -1 : 1;
  }
  return quotient;
}

Result<BoundScalarFunction> BindRound(const Args& args, const BindContext& ctx, bool half_even) {
  const std::string name = half_even ? "bround" : "round";
  if (args.empty() || args.size() > 2) {
    return kernel::WrongNumArgs(name, "[1, 2]", args.size());
  }
  SLUICE_ASSIGN_OR_RETURN(TypePtr type, NumericArg(ctx, 0, args[0], DoubleType()));
  int places = 0;
  if (args.size() == 2) {
    const ExprPtr& scale = args[1];
    if (scale->kind() != ExprKind::kLiteral || !scale->type()->is_integral() ||
        scale->literal_is_null()) {
      return kernel::UnexpectedInputType(ctx, 1, "\"INT\" (foldable)", scale);
    }
    Result<VectorPtr> as_int = CastVector(scale->literal(), IntType(), {});
    SLUICE_RETURN_IF_ERROR(as_int.status());
    places = (*as_int)->Value<int32_t>(0);
  }
  TypePtr result = type;
  if (type->id() == TypeId::kDecimal) {
    const int p = type->precision();
    const int s = type->scale();
    const int integral_digits = p - s + 1;
    if (places < 0) {
      result = DecimalType(std::min(integral_digits - places, 38), 0);
    } else {
      const int new_scale = std::min(s, places);
      result = DecimalType(std::min(integral_digits + new_scale, 38), new_scale);
    }
  }
  ScalarKernel fn = [type, result, places, half_even](const Values& values, int64_t num_rows,
                                                      const EvalContext&) -> Result<VectorPtr> {
    switch (type->id()) {
      case TypeId::kDouble:
        return kernel::Map<double, double>(values, result, num_rows, [&](double x) {
          return std::isfinite(x) ? RoundDoubleText(FormatDouble(x), places, half_even) : x;
        });
      case TypeId::kFloat:
        return kernel::Map<float, float>(values, result, num_rows, [&](float x) {
          return std::isfinite(x)
                     ? static_cast<float>(RoundDoubleText(FormatFloat(x), places, half_even))
                     : x;
        });
      case TypeId::kDecimal: {
        const int s = type->scale();
        return kernel::Map<Int128, Int128>(
            values, result, num_rows, [&](Int128 x) -> std::optional<Int128> {
              Int128 out = places >= 0 ? RoundUnscaled(x, s - result->scale(), half_even)
                                       : RoundUnscaled(x, s - places, half_even);
              if (places < 0 && !decimal_ops::ScaleUp(out, -places, &out)) {
                return std::nullopt;
              }
              if (DecimalDigits(out) > result->precision()) {
                return std::nullopt;
              }
              return out;
            });
      }
      default: {
        Result<VectorPtr> out = Status::Internal("round");
        kernel::DispatchPhysical(type->id(), [&](auto tag) {
          using T = decltype(tag);
          if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
            out = kernel::Map<T, T>(values, result, num_rows, [&](T x) {
              if (places >= 0) {
                return x;
              }
              const Int128 rounded = RoundUnscaled(x, -places, half_even);
              Int128 scaled = 0;
              if (!decimal_ops::ScaleUp(rounded, -places, &scaled)) {
                return T{0};
              }
              return static_cast<T>(scaled);
            });
          }
        });
        return out;
      }
    }
  };
  std::vector<TypePtr> arg_types = {type};
  if (args.size() == 2) {
    arg_types.push_back(args[1]->type());
  }
  return kernel::MakeFunction(name, result, std::move(arg_types), std::move(fn));
}

Result<BoundScalarFunction> BindCeilFloor(const Args& args, const BindContext& ctx, bool ceil) {
  const std::string name = ceil ? "ceil" : "floor";
  if (args.size() != 1) {
    return kernel::WrongNumArgs(name, "1", args.size());
  }
  SLUICE_ASSIGN_OR_RETURN(TypePtr type, NumericArg(ctx, 0, args[0], DoubleType()));
  if (type->id() == TypeId::kDecimal) {
    const int s = type->scale();
    TypePtr result = DecimalType(std::min(type->precision() - s + 1, 38), 0);
    ScalarKernel fn = [s, result, ceil](const Values& values, int64_t num_rows,
                                        const EvalContext&) {
      return kernel::Map<Int128, Int128>(values, result, num_rows, [&](Int128 x) {
        const Int128 divisor = PowerOfTen(s);
        Int128 q = x / divisor;
        const Int128 r = x % divisor;
        if (ceil && r > 0) {
          ++q;
        } else if (!ceil && r < 0) {
          --q;
        }
        return q;
      });
    };
    return kernel::MakeFunction(name, result, {type}, std::move(fn));
  }
  if (type->is_integral()) {
    ScalarKernel fn = [](const Values& values, int64_t, const EvalContext&) -> Result<VectorPtr> {
      return values[0];
    };
    return kernel::MakeFunction(name, LongType(), {LongType()}, std::move(fn));
  }
  ScalarKernel fn = [ceil](const Values& values, int64_t num_rows, const EvalContext&) {
    return kernel::Map<int64_t, double>(values, LongType(), num_rows, [&](double x) {
      const double r = ceil ? std::ceil(x) : std::floor(x);
      if (std::isnan(r)) {
        return int64_t{0};
      }
      if (r >= 9223372036854775807.0) {
        return std::numeric_limits<int64_t>::max();
      }
      if (r <= -9223372036854775808.0) {
        return std::numeric_limits<int64_t>::min();
      }
      return static_cast<int64_t>(r);
    });
  };
  return kernel::MakeFunction(name, LongType(), {DoubleType()}, std::move(fn));
}

// greatest / least: nulls skipped, null when every argument is null.
ScalarBinder ExtremeBinder(std::string name, bool greatest) {
  return [name, greatest](const Args& args, const BindContext& ctx) -> Result<BoundScalarFunction> {
    if (args.size() < 2) {
      return kernel::WrongNumArgs(name, "> 1", args.size());
    }
    std::vector<TypePtr> types;
    for (const ExprPtr& arg : args) {
      types.push_back(arg->type());
    }
    TypePtr type = WiderCommonType(types, ctx.ansi);
    if (type == nullptr) {
      return Status::BindError(
          fmt::format("[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve \"{}\" due to data type "
                      "mismatch: Input to `{}` should all be the same type.",
                      ctx.call_sql, name));
    }
    ScalarKernel fn = [type, greatest](const Values& values, int64_t num_rows,
                                       const EvalContext&) -> Result<VectorPtr> {
      const int64_t length = kernel::OutputLength(values, num_rows);
      std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type);
      builder->Reserve(length);
      for (int64_t row = 0; row < length; ++row) {
        const Vector* best = nullptr;
        int64_t best_index = 0;
        for (const VectorPtr& value : values) {
          if (kernel::IsNullAt(*value, row)) {
            continue;
          }
          const int64_t index = kernel::RowOf(*value, row);
          if (best == nullptr) {
            best = value.get();
            best_index = index;
            continue;
          }
          const int c = kernel::CompareValues(*value, index, *best, best_index);
          if (greatest ? c > 0 : c < 0) {
            best = value.get();
            best_index = index;
          }
        }
        if (best == nullptr) {
          builder->AppendNull();
        } else {
          AppendValue(*best, best_index, builder.get());
        }
      }
      return builder->Finish();
    };
    return kernel::MakeFunction(name, type, std::vector<TypePtr>(args.size(), type), std::move(fn),
                                /*null_intolerant=*/false);
  };
}

Result<BoundScalarFunction> BindRand(const Args& args, const BindContext& ctx) {
  if (args.size() > 1) {
    return kernel::WrongNumArgs("rand", "[0, 1]", args.size());
  }
  uint64_t seed = std::random_device{}();
  if (args.size() == 1) {
    const ExprPtr& arg = args[0];
    if (arg->kind() != ExprKind::kLiteral ||
        !(arg->type()->is_integral() || arg->type()->id() == TypeId::kNull)) {
      return kernel::UnexpectedInputType(ctx, 0, "(\"INT\" or \"BIGINT\")", arg);
    }
    if (!arg->literal_is_null()) {
      Result<VectorPtr> as_long = CastVector(arg->literal(), LongType(), {});
      SLUICE_RETURN_IF_ERROR(as_long.status());
      seed = static_cast<uint64_t>((*as_long)->Value<int64_t>(0));
    } else {
      seed = 0;
    }
  }
  struct State {
    std::mutex mutex;
    std::mt19937_64 engine;
  };
  auto state = std::make_shared<State>();
  state->engine.seed(seed);
  ScalarKernel fn = [state](const Values&, int64_t num_rows, const EvalContext&) {
    DoubleBuilder builder(DoubleType());
    builder.Reserve(num_rows);
    std::lock_guard<std::mutex> lock(state->mutex);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (int64_t i = 0; i < num_rows; ++i) {
      builder.Append(uniform(state->engine));
    }
    return Result<VectorPtr>(builder.Finish());
  };
  std::vector<TypePtr> arg_types;
  if (args.size() == 1) {
    arg_types.push_back(args[0]->type());
  }
  return kernel::MakeFunction("rand", DoubleType(), std::move(arg_types), std::move(fn),
                              /*null_intolerant=*/false, /*deterministic=*/false);
}

ScalarBinder ConstantBinder(std::string name, double value) {
  return [name, value](const Args& args, const BindContext&) -> Result<BoundScalarFunction> {
    if (!args.empty()) {
      return kernel::WrongNumArgs(name, "0", args.size());
    }
    ScalarKernel fn = [value](const Values&, int64_t, const EvalContext&) {
      return Result<VectorPtr>(MakeDoubleScalar(value));
    };
    return kernel::MakeFunction(name, DoubleType(), {}, std::move(fn));
  };
}

}  // namespace

void RegisterMathFunctions(FunctionRegistry& registry) {
  registry.AddScalar("negative", SignBinder("negative", false, false));
  registry.AddScalar("positive", SignBinder("positive", false, true));
  registry.AddScalar("abs", SignBinder("abs", true, false));
  registry.AddScalar("round", [](const Args& args, const BindContext& ctx) {
    return BindRound(args, ctx, false);
  });
  registry.AddScalar("bround", [](const Args& args, const BindContext& ctx) {
    return BindRound(args, ctx, true);
  });
  registry.AddScalar("ceil", [](const Args& args, const BindContext& ctx) {
    return BindCeilFloor(args, ctx, true);
  });
  registry.AddAlias("ceiling", "ceil");
  registry.AddScalar("floor", [](const Args& args, const BindContext& ctx) {
    return BindCeilFloor(args, ctx, false);
  });
  registry.AddScalar("sqrt", DoubleFunction("sqrt", [](double x) { return std::sqrt(x); }));
  registry.AddScalar("cbrt", DoubleFunction("cbrt", [](double x) { return std::cbrt(x); }));
  registry.AddScalar("exp", DoubleFunction("exp", [](double x) { return std::exp(x); }));
  registry.AddScalar("expm1", DoubleFunction("expm1", [](double x) { return std::expm1(x); }));
  registry.AddScalar("ln", DoubleFunction("ln", Ln, Positive));
  registry.AddScalar("log10", DoubleFunction("log10", Log10, Positive));
  registry.AddScalar("log2", DoubleFunction("log2", Log2, Positive));
  registry.AddScalar("log1p", DoubleFunction(
                                  "log1p", [](double x) { return std::log1p(x); },
                                  [](double x) { return x > -1; }));
  registry.AddScalar("log", BindLog);
  registry.AddScalar("pow", DoubleFunction2("pow", Pow));
  registry.AddAlias("power", "pow");
  registry.AddScalar("atan2", DoubleFunction2("atan2", Atan2));
  registry.AddScalar("sign", DoubleFunction("sign", Signum));
  registry.AddAlias("signum", "sign");
  registry.AddScalar("sin", DoubleFunction("sin", [](double x) { return std::sin(x); }));
  registry.AddScalar("cos", DoubleFunction("cos", [](double x) { return std::cos(x); }));
  registry.AddScalar("tan", DoubleFunction("tan", [](double x) { return std::tan(x); }));
  registry.AddScalar("asin", DoubleFunction("asin", [](double x) { return std::asin(x); }));
  registry.AddScalar("acos", DoubleFunction("acos", [](double x) { return std::acos(x); }));
  registry.AddScalar("atan", DoubleFunction("atan", [](double x) { return std::atan(x); }));
  registry.AddScalar("sinh", DoubleFunction("sinh", [](double x) { return std::sinh(x); }));
  registry.AddScalar("cosh", DoubleFunction("cosh", [](double x) { return std::cosh(x); }));
  registry.AddScalar("tanh", DoubleFunction("tanh", [](double x) { return std::tanh(x); }));
  registry.AddScalar("degrees", DoubleFunction("degrees", Degrees));
  registry.AddScalar("radians", DoubleFunction("radians", Radians));
  registry.AddScalar("pi", ConstantBinder("pi", M_PI));
  registry.AddScalar("e", ConstantBinder("e", M_E));
  registry.AddScalar("greatest", ExtremeBinder("greatest", true));
  registry.AddScalar("least", ExtremeBinder("least", false));
  registry.AddScalar("rand", BindRand);
  registry.AddAlias("random", "rand");
}

}  // namespace sluice::expr
