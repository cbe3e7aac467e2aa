// SPDX-License-Identifier: Apache-2.0
#include "expr/functions/kernel.h"

#include <fmt/format.h>

#include <algorithm>

#include "columnar/concat.h"
#include "columnar/printer.h"
#include "common/ascii.h"

namespace sluice::expr::kernel {

Result<VectorPtr> Broadcast(const VectorPtr& vector, int64_t num_rows) {
  if (vector->length() != 1 || num_rows == 1) {
    return vector;
  }
  if (vector->type_id() == TypeId::kNull) {
    return MakeNulls(vector->type(), num_rows);
  }
  return Take(*vector, std::vector<int64_t>(static_cast<size_t>(num_rows), 0));
}

VectorPtr MakeNulls(const TypePtr& type, int64_t num_rows) {
  std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type);
  builder->Reserve(num_rows);
  for (int64_t i = 0; i < num_rows; ++i) {
    builder->AppendNull();
  }
  return builder->Finish();
}

Status WrongNumArgs(std::string_view name, std::string_view expected, size_t actual) {
  return Status::BindError(fmt::format(
      "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `{}` requires {} parameters but the actual "
      "number is {}. Please, refer to 'https://spark.apache.org/docs/latest/"
      "sql-ref-functions.html' for a fix.",
      name, expected, actual));
}

std::string TypeSql(const TypePtr& type) {
  return type->ToDdl();
}

namespace {

std::string ArgSql(const ExprPtr& arg) {
  if (arg->kind() == ExprKind::kLiteral && !arg->literal_is_null() &&
      arg->type()->id() == TypeId::kString) {
    return fmt::format("'{}'", arg->literal()->StringValue(0));
  }
  if (arg->kind() == ExprKind::kLiteral && arg->literal_is_null()) {
    return "NULL";
  }
  return arg->ToString();
}

}  // namespace

Status UnexpectedInputType(const BindContext& ctx, size_t index, std::string_view required,
                           const ExprPtr& arg) {
  return Status::BindError(fmt::format(
      "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{}\" due to data type "
      "mismatch: Parameter {} requires the {} type, however \"{}\" has the type \"{}\".",
      ctx.call_sql, index + 1, required, ArgSql(arg), TypeSql(arg->type())));
}

Result<TypePtr> ImplicitArgType(const BindContext& ctx, size_t index, const ExprPtr& arg,
                                const TypePtr& expected, std::string_view required) {
  const TypePtr& type = arg->type();
  const TypeId from = type->id();
  const TypeId to = expected->id();
  if (type->Equals(*expected) || from == TypeId::kNull) {
    return expected;
  }
  const bool from_atomic = !type->is_nested() && from != TypeId::kVariant;
  bool allowed = false;
  if (expected->is_numeric()) {
    allowed = type->is_numeric() || from == TypeId::kString;
  } else if (to == TypeId::kString) {
    allowed = from_atomic;
  } else if (to == TypeId::kBinary) {
    allowed = from == TypeId::kString;
  } else if (to == TypeId::kDate || to == TypeId::kTimestamp || to == TypeId::kTimestampNtz) {
    allowed = from == TypeId::kString || from == TypeId::kDate || from == TypeId::kTimestamp ||
              from == TypeId::kTimestampNtz;
  }
  if (!allowed) {
    return UnexpectedInputType(ctx, index, required, arg);
  }
  return expected;
}

std::optional<std::string> LiteralString(const ExprPtr& arg) {
  if (arg->kind() != ExprKind::kLiteral || arg->literal_is_null()) {
    return std::nullopt;
  }
  const TypeId id = arg->type()->id();
  if (id != TypeId::kString && id != TypeId::kBinary) {
    return std::nullopt;
  }
  return std::string(arg->literal()->StringValue(0));
}

BoundScalarFunction MakeFunction(std::string name, TypePtr return_type,
                                 std::vector<TypePtr> arg_types, ScalarKernel kernel,
                                 bool null_intolerant, bool deterministic) {
  BoundScalarFunction function;
  function.name = std::move(name);
  function.return_type = std::move(return_type);
  function.arg_types = std::move(arg_types);
  function.kernel = std::move(kernel);
  function.null_intolerant = null_intolerant;
  function.deterministic = deterministic;
  return function;
}

int CompareValues(const Vector& left, int64_t left_index, const Vector& right,
                  int64_t right_index) {
  int result = 0;
  const bool handled = DispatchPhysical(left.type_id(), [&](auto tag) {
    using T = decltype(tag);
    result = CompareScalar<T>(Read<T>(left, left_index), Read<T>(right, right_index));
  });
  if (handled) {
    return result;
  }
  auto compare_nullable = [](const Vector& a, int64_t i, const Vector& b, int64_t j) {
    const bool a_null = a.IsNull(i);
    const bool b_null = b.IsNull(j);
    if (a_null || b_null) {
      return a_null == b_null ? 0 : (a_null ? -1 : 1);
    }
    return CompareValues(a, i, b, j);
  };
  switch (left.type_id()) {
    case TypeId::kStruct:
      for (int f = 0; f < left.num_children(); ++f) {
        const int c = compare_nullable(*left.child(f), left.offset() + left_index, *right.child(f),
                                       right.offset() + right_index);
        if (c != 0) {
          return c;
        }
      }
      return 0;
    case TypeId::kArray:
    case TypeId::kMap: {
      const int32_t a_start = left.ListStart(left_index);
      const int32_t a_len = left.ListEnd(left_index) - a_start;
      const int32_t b_start = right.ListStart(right_index);
      const int32_t b_len = right.ListEnd(right_index) - b_start;
      for (int32_t k = 0; k < std::min(a_len, b_len); ++k) {
        for (int c = 0; c < left.num_children(); ++c) {
          const int cmp =
              compare_nullable(*left.child(c), a_start + k, *right.child(c), b_start + k);
          if (cmp != 0) {
            return cmp;
          }
        }
      }
      return a_len == b_len ? 0 : (a_len < b_len ? -1 : 1);
    }
    default:
      return 0;
  }
}

}  // namespace sluice::expr::kernel
