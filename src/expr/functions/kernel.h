// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "columnar/builder.h"
#include "columnar/vector.h"
#include "common/result.h"
#include "common/status.h"
#include "expr/expression.h"
#include "expr/function.h"
#include "types/data_type.h"
#include "types/decimal.h"

/// Private helpers for writing scalar kernels: reading arguments that may be length-1
/// constants, null propagation, and typed builders. Header-only templates.
namespace sluice::expr::kernel {

/// The length of a kernel's result: 1 when every argument is a length-1 constant (and
/// there is at least one), else num_rows.
inline int64_t OutputLength(const std::vector<VectorPtr>& args, int64_t num_rows) {
  if (args.empty()) {
    return num_rows;
  }
  for (const VectorPtr& arg : args) {
    if (arg->length() != 1) {
      return num_rows;
    }
  }
  return 1;
}

/// The physical row of `vector` that stands for output row `row` (0 for constants).
inline int64_t RowOf(const Vector& vector, int64_t row) {
  return vector.length() == 1 ? 0 : row;
}

/// True when argument `vector` is null at output row `row`.
inline bool IsNullAt(const Vector& vector, int64_t row) {
  return vector.IsNull(RowOf(vector, row));
}

/// Reads value `index` of `vector` as C type T: bool, int8..int64, float, double, Int128
/// (decimals), std::string_view (string and binary).
template <typename T>
T Read(const Vector& vector, int64_t index) {
  if constexpr (std::is_same_v<T, bool>) {
    return vector.BoolValue(index);
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    return vector.StringValue(index);
  } else {
    return vector.Value<T>(index);
  }
}

/// Reads output row `row` of an argument that may be a constant.
template <typename T>
T ReadAt(const Vector& vector, int64_t row) {
  return Read<T>(vector, RowOf(vector, row));
}

/// The builder class for values of C type T.
template <typename T>
struct BuilderFor {
  using type = FixedWidthBuilder<T>;
};
template <>
struct BuilderFor<bool> {
  using type = BooleanBuilder;
};
template <>
struct BuilderFor<std::string_view> {
  using type = StringBuilder;
};
template <>
struct BuilderFor<std::string> {
  using type = StringBuilder;
};
template <typename T>
using BuilderOf = typename BuilderFor<T>::type;

template <typename R>
struct IsOptional : std::false_type {};
template <typename R>
struct IsOptional<std::optional<R>> : std::true_type {};
template <typename R>
struct IsResult : std::false_type {};
template <typename R>
struct IsResult<Result<R>> : std::true_type {};

VectorPtr MakeNulls(const TypePtr& type, int64_t num_rows);

/// Appends what a row function returned: a value, std::optional (nullopt = null),
/// Result<value> or Result<std::optional<value>> (an error stops the kernel).
template <typename Builder, typename R>
Status Emit(Builder& builder, R&& value) {
  using V = std::decay_t<R>;
  if constexpr (IsResult<V>::value) {
    if (!value.ok()) {
      return value.status();
    }
    return Emit(builder, std::move(*value));
  } else if constexpr (IsOptional<V>::value) {
    if (value.has_value()) {
      builder.Append(*value);
    } else {
      builder.AppendNull();
    }
    return Status::Ok();
  } else {
    builder.Append(value);
    return Status::Ok();
  }
}

namespace internal {

template <typename R>
struct ResultValue {
  using type = R;
};
template <typename R>
struct ResultValue<Result<R>> {
  using type = R;
};

/// How a fast-path reader finds an argument's value for an output row: at that row, at
/// row 0 (a length-1 constant), or either, chosen when the reader is made.
enum class Access : uint8_t { kFlat, kConst, kAny };
template <typename>
inline constexpr Access kAnyAccess = Access::kAny;

/// Reads argument values of C type T straight from the buffers (no null check).
template <typename T, Access kAccess>
class ArgReader {
 public:
  explicit ArgReader(const Vector& vector)
      : values_(vector.values_buffer()->data_as<T>() + vector.offset()),
        mask_(vector.length() == 1 ? 0 : ~int64_t{0}),
        constant_(values_[0]) {}
  T operator()(int64_t row) const {
    if constexpr (kAccess == Access::kFlat) {
      return values_[row];
    } else if constexpr (kAccess == Access::kConst) {
      return constant_;
    } else {
      return values_[row & mask_];
    }
  }

 private:
  const T* values_;
  int64_t mask_;
  T constant_;
};

template <Access kAccess>
class ArgReader<bool, kAccess> {
 public:
  explicit ArgReader(const Vector& vector)
      : bits_(vector.values_buffer()->data()),
        offset_(vector.offset()),
        mask_(vector.length() == 1 ? 0 : ~int64_t{0}),
        constant_(bits::Get(bits_, offset_)) {}
  bool operator()(int64_t row) const {
    if constexpr (kAccess == Access::kFlat) {
      return bits::Get(bits_, offset_ + row);
    } else if constexpr (kAccess == Access::kConst) {
      return constant_;
    } else {
      return bits::Get(bits_, offset_ + (row & mask_));
    }
  }

 private:
  const uint8_t* bits_;
  int64_t offset_;
  int64_t mask_;
  bool constant_;
};

template <Access kAccess>
class ArgReader<std::string_view, kAccess> {
 public:
  explicit ArgReader(const Vector& vector)
      : offsets_(vector.values_buffer()->data_as<int32_t>() + vector.offset()),
        data_(vector.data_buffer() == nullptr
                  ? nullptr
                  : reinterpret_cast<const char*>(vector.data_buffer()->data())),
        mask_(vector.length() == 1 ? 0 : ~int64_t{0}),
        constant_(At(0)) {}
  std::string_view operator()(int64_t row) const {
    if constexpr (kAccess == Access::kFlat) {
      return At(row);
    } else if constexpr (kAccess == Access::kConst) {
      return constant_;
    } else {
      return At(row & mask_);
    }
  }

 private:
  std::string_view At(int64_t index) const {
    const int32_t begin = offsets_[index];
    return {data_ + begin, static_cast<size_t>(offsets_[index + 1] - begin)};
  }

  const int32_t* offsets_;
  const char* data_;
  int64_t mask_;
  std::string_view constant_;
};

/// True for the result C types the fast path writes to raw buffers.
template <typename Out>
inline constexpr bool kRawOutput =
    std::is_same_v<Out, bool> || std::is_arithmetic_v<Out> || std::is_same_v<Out, Int128>;

/// The validity of the output: the AND of the arguments' bitmaps, word by word.
class ValidityAnd {
 public:
  explicit ValidityAnd(const std::vector<VectorPtr>& args) {
    for (const VectorPtr& arg : args) {
      if (arg->validity_buffer() != nullptr && arg->length() != 1) {
        inputs_.push_back({arg->validity_buffer()->data(), arg->offset()});
      }
    }
  }
  bool empty() const { return inputs_.empty(); }
  /// The validity of rows [64 * index, 64 * index + count).
  uint64_t Word(int64_t index, int64_t count) const {
    uint64_t word = bits::LowMask(count);
    for (const auto& [bitmap, offset] : inputs_) {
      word &= bits::ReadWord(bitmap, offset + index * 64, count);
    }
    return word;
  }

 private:
  std::vector<std::pair<const uint8_t*, int64_t>> inputs_;
};

/// The null-free loop of Map over raw buffers: `call(row)` for the valid rows, written
/// 64 rows at a time (bit-packed for booleans). Stops at the first error of `call`.
template <typename Out, typename Call>
Result<VectorPtr> MapRaw(const std::vector<VectorPtr>& args, const TypePtr& out_type,
                         int64_t length, Call&& call, const Status& error) {
  const ValidityAnd validity(args);
  BufferPtr validity_out;
  int64_t nulls = 0;
  if (!validity.empty()) {
    validity_out = Buffer::Uninitialized(bits::BytesFor(length));
  }
  constexpr bool kBits = std::is_same_v<Out, bool>;
  const int64_t value_bytes = kBits ? bits::BytesFor(length) : length * sizeof(Out);
  BufferPtr values = Buffer::Uninitialized(value_bytes);
  const int64_t words = (length + 63) / 64;
  for (int64_t w = 0; w < words; ++w) {
    const int64_t base = w * 64;
    const int64_t count = std::min<int64_t>(64, length - base);
    const uint64_t full = bits::LowMask(count);
    uint64_t valid = full;
    if (validity_out != nullptr) {
      valid = validity.Word(w, count);
      bits::WriteWord(validity_out->mutable_data(), w, valid, validity_out->size());
      nulls += count - std::popcount(valid);
    }
    if constexpr (kBits) {
      uint64_t word = 0;
      if (valid == full) {
        for (int64_t j = 0; j < count; ++j) {
          word |= static_cast<uint64_t>(call(base + j)) << j;
        }
      } else {
        for (uint64_t rest = valid; rest != 0; rest &= rest - 1) {
          const int j = std::countr_zero(rest);
          word |= static_cast<uint64_t>(call(base + j)) << j;
        }
      }
      bits::WriteWord(values->mutable_data(), w, word, value_bytes);
    } else {
      Out* out = values->mutable_data_as<Out>() + base;
      if (valid == full) {
        for (int64_t j = 0; j < count; ++j) {
          out[j] = call(base + j);
        }
      } else {
        for (int64_t j = 0; j < count; ++j) {
          out[j] = (valid >> j) & 1 ? call(base + j) : Out{};
        }
      }
    }
    if (!error.ok()) [[unlikely]] {
      return error;
    }
  }
  return std::make_shared<const Vector>(out_type, length, nulls,
                                        nulls == 0 ? nullptr : std::move(validity_out),
                                        std::move(values), nullptr, std::vector<VectorPtr>{});
}

/// Map over raw buffers with the readers given by kAccess (one per argument).
template <typename Out, typename... Ins>
struct RawMapper {
  template <Access... kAccess, typename Fn, size_t... I>
  static Result<VectorPtr> Run(std::index_sequence<I...>, const std::vector<VectorPtr>& args,
                               const TypePtr& out_type, int64_t length, Fn& fn) {
    const std::tuple<ArgReader<Ins, kAccess>...> readers{ArgReader<Ins, kAccess>(*args[I])...};
    using R = std::decay_t<decltype(fn(std::get<I>(readers)(0)...))>;
    Status error;
    auto call = [&](int64_t row) -> Out {
      if constexpr (IsResult<R>::value) {
        auto value = fn(std::get<I>(readers)(row)...);
        if (!value.ok()) [[unlikely]] {
          if (error.ok()) {
            error = value.status();
          }
          return Out{};
        }
        return static_cast<Out>(std::move(value).ValueUnsafe());
      } else {
        return static_cast<Out>(fn(std::get<I>(readers)(row)...));
      }
    };
    return MapRaw<Out>(args, out_type, length, call, error);
  }
};

/// True when Map can run over raw buffers: a fixed-width or boolean result that is
/// never null by itself, and arguments with buffers, none a null constant (those give
/// an all-null result).
template <typename Out, typename R>
constexpr bool kMapsRaw = kRawOutput<Out> && !IsOptional<typename ResultValue<R>::type>::value;

template <typename Out, typename... Ins, typename Fn, size_t... I>
Result<VectorPtr> MapImpl(std::index_sequence<I...> seq, const std::vector<VectorPtr>& args,
                          const TypePtr& out_type, int64_t num_rows, Fn& fn) {
  const int64_t length = OutputLength(args, num_rows);
  using R = std::decay_t<std::invoke_result_t<Fn&, Ins...>>;
  if constexpr (kMapsRaw<Out, R>) {
    bool raw = length > 0;
    bool all_null = false;
    for (const VectorPtr& arg : args) {
      raw = raw && arg->values_buffer() != nullptr;
      all_null = all_null || (arg->length() > 0 && arg->null_count() == arg->length());
    }
    if (all_null) {
      return MakeNulls(out_type, length);
    }
    if (raw) {
      using Mapper = RawMapper<Out, Ins...>;
      if constexpr (sizeof...(Ins) == 2) {
        const bool const0 = args[0]->length() == 1 && length != 1;
        const bool const1 = args[1]->length() == 1 && length != 1;
        if (const0) {
          return Mapper::template Run<Access::kConst, Access::kFlat>(seq, args, out_type, length,
                                                                     fn);
        }
        if (const1) {
          return Mapper::template Run<Access::kFlat, Access::kConst>(seq, args, out_type, length,
                                                                     fn);
        }
        return Mapper::template Run<Access::kFlat, Access::kFlat>(seq, args, out_type, length, fn);
      } else if constexpr (sizeof...(Ins) == 1) {
        return Mapper::template Run<Access::kFlat>(seq, args, out_type, length, fn);
      } else {
        return Mapper::template Run<kAnyAccess<Ins>...>(seq, args, out_type, length, fn);
      }
    }
  }
  BuilderOf<Out> builder(out_type);
  builder.Reserve(length);
  for (int64_t row = 0; row < length; ++row) {
    if ((IsNullAt(*args[I], row) || ...)) {
      builder.AppendNull();
      continue;
    }
    SLUICE_RETURN_IF_ERROR(Emit(builder, fn(ReadAt<Ins>(*args[I], row)...)));
  }
  return builder.Finish();
}

}  // namespace internal

/// Runs a null-intolerant row function: the result is null where any argument is null,
/// else fn(values...) (see Emit for what fn may return). `Out` is the C type of the
/// result (std::string / std::string_view for strings), `Ins` those of the arguments.
/// args.size() must equal sizeof...(Ins).
template <typename Out, typename... Ins, typename Fn>
Result<VectorPtr> Map(const std::vector<VectorPtr>& args, const TypePtr& out_type, int64_t num_rows,
                      Fn&& fn) {
  return internal::MapImpl<Out, Ins...>(std::index_sequence_for<Ins...>{}, args, out_type, num_rows,
                                        fn);
}

/// Runs fn(row, builder) -> Status for every output row; fn reads the arguments itself
/// (with IsNullAt / ReadAt) and appends exactly one value or null.
template <typename Out, typename Fn>
Result<VectorPtr> ForEachRow(const std::vector<VectorPtr>& args, const TypePtr& out_type,
                             int64_t num_rows, Fn&& fn) {
  const int64_t length = OutputLength(args, num_rows);
  BuilderOf<Out> builder(out_type);
  builder.Reserve(length);
  for (int64_t row = 0; row < length; ++row) {
    SLUICE_RETURN_IF_ERROR(fn(row, builder));
  }
  return builder.Finish();
}

/// Calls f(T{}) with the C type of a fixed-width, boolean, decimal or string TypeId
/// (bool, int8..int64, float, double, Int128, std::string_view); dates are int32_t and
/// timestamps int64_t. Returns false (without calling) for other types.
template <typename F>
bool DispatchPhysical(TypeId id, F&& f) {
  switch (id) {
    case TypeId::kBoolean:
      f(bool{});
      return true;
    case TypeId::kByte:
      f(int8_t{});
      return true;
    case TypeId::kShort:
      f(int16_t{});
      return true;
    case TypeId::kInt:
    case TypeId::kDate:
      f(int32_t{});
      return true;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      f(int64_t{});
      return true;
    case TypeId::kFloat:
      f(float{});
      return true;
    case TypeId::kDouble:
      f(double{});
      return true;
    case TypeId::kDecimal:
      f(Int128{});
      return true;
    case TypeId::kString:
    case TypeId::kBinary:
      f(std::string_view{});
      return true;
    default:
      return false;
  }
}

/// Spark's ordering of two same-typed values (neither null): -1, 0 or 1. Doubles and
/// floats order NaN above everything and equal to itself, -0.0 equal to 0.0; strings
/// and binary compare as unsigned bytes; arrays and structs element by element with
/// nulls first.
int CompareValues(const Vector& left, int64_t left_index, const Vector& right, int64_t right_index);

/// Compares two doubles as Spark does (NaN largest and equal to NaN, -0.0 == 0.0).
inline int CompareDoubles(double a, double b) {
  if (a < b) {
    return -1;
  }
  if (a > b) {
    return 1;
  }
  if (a == b) {
    return 0;
  }
  const bool a_nan = a != a;
  const bool b_nan = b != b;
  return a_nan == b_nan ? 0 : (a_nan ? 1 : -1);
}

/// Compares two values of one C type as Spark does (see CompareValues).
template <typename T>
int CompareScalar(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    return CompareDoubles(a, b);
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    const int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  } else {
    return a < b ? -1 : (a > b ? 1 : 0);
  }
}

/// Returns `vector` (length 1) repeated `num_rows` times; other lengths unchanged.
Result<VectorPtr> Broadcast(const VectorPtr& vector, int64_t num_rows);

/// Returns a vector of `type` holding `num_rows` nulls.
VectorPtr MakeNulls(const TypePtr& type, int64_t num_rows);

/// "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `name` requires `expected` parameters but the
/// actual number is `actual`. ..." as a kBindError.
Status WrongNumArgs(std::string_view name, std::string_view expected, size_t actual);

/// "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "<call_sql>" due to data type
/// mismatch: the `index`-th parameter requires the `required` type, however `<arg sql>`
/// has the type `<type>`." as a kBindError (index is 0-based here, printed 1-based as
/// an ordinal).
Status UnexpectedInputType(const BindContext& ctx, size_t index, std::string_view required,
                           const ExprPtr& arg);

/// Spark's SQL rendering of a type in errors: "INT", "STRING", "DECIMAL(10,2)".
std::string TypeSql(const TypePtr& type);

/// The type argument `index` is cast to when the function expects `expected` (Spark's
/// ImplicitTypeCasts.implicitCast: void to anything, numbers to numbers, strings to
/// numbers, dates, timestamps and binary, atomic values to strings, dates to timestamps
/// and back); UnexpectedInputType with `required` (e.g. "\"STRING\"") otherwise.
Result<TypePtr> ImplicitArgType(const BindContext& ctx, size_t index, const ExprPtr& arg,
                                const TypePtr& expected, std::string_view required);

/// Returns the literal value of a constant string argument (nullopt when the argument
/// is not a literal or is null).
std::optional<std::string> LiteralString(const ExprPtr& arg);

/// Returns a ScalarBinder-made function with the fields set.
BoundScalarFunction MakeFunction(std::string name, TypePtr return_type,
                                 std::vector<TypePtr> arg_types, ScalarKernel kernel,
                                 bool null_intolerant = true, bool deterministic = true);

}  // namespace sluice::expr::kernel
