// SPDX-License-Identifier: Apache-2.0
#include "expr/functions/more_util.h"

#include <fmt/format.h>

#include <cmath>
#include <utility>

#include "columnar/concat.h"
#include "columnar/printer.h"
#include "common/check.h"
#include "expr/evaluator.h"

namespace sluice::expr::more {

std::string Ordinal(int index) {
  switch (index) {
    case 0:
      return "first";
    case 1:
      return "second";
    case 2:
      return "third";
    default:
      return fmt::format("{}th", index + 1);
  }
}

std::string ArgSql(const ExprPtr& arg) {
  return arg->ToString();
}

Status WrongNumArgs(std::string_view name, std::string_view expected, size_t actual) {
  return Status::BindError(fmt::format(
      "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `{}` requires {} parameters but the actual "
      "number is {}. Please, refer to "
      "'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.",
      name, expected, actual));
}

Status UnexpectedType(const BindContext& ctx, int index, std::string_view required,
                      const ExprPtr& arg) {
  return Status::BindError(fmt::format(
      "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{}\" due to data type "
      "mismatch: The {} parameter requires the {} type, however \"{}\" has the type \"{}\".",
      ctx.call_sql, Ordinal(index), required, ArgSql(arg), arg->type()->ToDdl()));
}

Status NonFoldable(const BindContext& ctx, std::string_view param, std::string_view required,
                   const ExprPtr& arg) {
  return Status::BindError(fmt::format(
      "[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve \"{}\" due to data type "
      "mismatch: the input {} should be a foldable \"{}\" expression; however, got \"{}\".",
      ctx.call_sql, param, required, ArgSql(arg)));
}

VectorPtr ConstantArg(const ExprPtr& arg) {
  if (IsLiteral(arg)) {
    return arg->literal();
  }
  if (!arg->IsConstant() || !arg->IsDeterministic()) {
    return nullptr;
  }
  Result<VectorPtr> value = EvaluateConstant(*arg, EvalContext{});
  return value.ok() && (*value)->length() == 1 ? *value : nullptr;
}

bool LiteralString(const ExprPtr& arg, std::string* value, bool* is_null) {
  VectorPtr constant = ConstantArg(arg);
  if (constant == nullptr) {
    return false;
  }
  *is_null = constant->IsNull(0);
  if (*is_null) {
    value->clear();
    return true;
  }
  const Vector& literal = *constant;
  if (literal.type_id() == TypeId::kString || literal.type_id() == TypeId::kBinary) {
    *value = std::string(literal.StringValue(0));
  } else {
    *value = FormatCell(literal, 0);
  }
  return true;
}

bool LiteralInt(const ExprPtr& arg, int64_t* value, bool* is_null) {
  VectorPtr constant = ConstantArg(arg);
  if (constant == nullptr) {
    return false;
  }
  *is_null = constant->IsNull(0);
  if (*is_null) {
    return arg->type()->is_integral() || arg->type()->id() == TypeId::kNull;
  }
  if (!arg->type()->is_integral()) {
    return false;
  }
  *value = IntegralAsLong(*constant, 0);
  return true;
}

bool LiteralDouble(const ExprPtr& arg, double* value, bool* is_null) {
  VectorPtr constant = ConstantArg(arg);
  if (constant == nullptr) {
    return false;
  }
  *is_null = constant->IsNull(0);
  if (*is_null) {
    return arg->type()->is_numeric() || arg->type()->id() == TypeId::kNull;
  }
  if (!arg->type()->is_numeric()) {
    return false;
  }
  *value = NumericAsDouble(*constant, 0);
  return true;
}

int64_t IntegralAsLong(const Vector& vector, int64_t row) {
  switch (vector.type_id()) {
    case TypeId::kByte:
      return vector.Value<int8_t>(row);
    case TypeId::kShort:
      return vector.Value<int16_t>(row);
    case TypeId::kInt:
    case TypeId::kDate:
      return vector.Value<int32_t>(row);
    default:
      return vector.Value<int64_t>(row);
  }
}

double NumericAsDouble(const Vector& vector, int64_t row) {
  switch (vector.type_id()) {
    case TypeId::kFloat:
      return vector.Value<float>(row);
    case TypeId::kDouble:
      return vector.Value<double>(row);
    case TypeId::kDecimal:
      return static_cast<double>(vector.DecimalValue(row)) / std::pow(10.0, vector.type()->scale());
    case TypeId::kBoolean:
      return vector.BoolValue(row) ? 1 : 0;
    default:
      return static_cast<double>(IntegralAsLong(vector, row));
  }
}

bool IsOrderable(const TypePtr& type) {
  switch (type->id()) {
    case TypeId::kMap:
    case TypeId::kVariant:
      return false;
    case TypeId::kArray:
      return IsOrderable(type->element_type());
    case TypeId::kStruct:
      for (const Field& field : type->fields()) {
        if (!IsOrderable(field.type)) {
          return false;
        }
      }
      return true;
    default:
      return true;
  }
}

namespace {

template <typename T>
int Compare3(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

template <typename T>
int CompareFloating(T a, T b) {
  const bool a_nan = std::isnan(a);
  const bool b_nan = std::isnan(b);
  if (a_nan || b_nan) {
    return a_nan == b_nan ? 0 : (a_nan ? 1 : -1);
  }
  return Compare3(a, b);
}

// Compares with nulls first (inside nested values).
int CompareNullable(const Vector& left, int64_t left_row, const Vector& right, int64_t right_row) {
  const bool left_null = left.IsNull(left_row);
  const bool right_null = right.IsNull(right_row);
  if (left_null || right_null) {
    return left_null == right_null ? 0 : (left_null ? -1 : 1);
  }
  return CompareValues(left, left_row, right, right_row);
}

}  // namespace

int CompareValues(const Vector& left, int64_t left_row, const Vector& right, int64_t right_row) {
  switch (left.type_id()) {
    case TypeId::kBoolean:
      return Compare3<int>(left.BoolValue(left_row), right.BoolValue(right_row));
    case TypeId::kByte:
      return Compare3(left.Value<int8_t>(left_row), right.Value<int8_t>(right_row));
    case TypeId::kShort:
      return Compare3(left.Value<int16_t>(left_row), right.Value<int16_t>(right_row));
    case TypeId::kInt:
    case TypeId::kDate:
      return Compare3(left.Value<int32_t>(left_row), right.Value<int32_t>(right_row));
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return Compare3(left.Value<int64_t>(left_row), right.Value<int64_t>(right_row));
    case TypeId::kFloat:
      return CompareFloating(left.Value<float>(left_row), right.Value<float>(right_row));
    case TypeId::kDouble:
      return CompareFloating(left.Value<double>(left_row), right.Value<double>(right_row));
    case TypeId::kDecimal:
      return Compare3(left.DecimalValue(left_row), right.DecimalValue(right_row));
    case TypeId::kString:
    case TypeId::kBinary: {
      const int c = left.StringValue(left_row).compare(right.StringValue(right_row));
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case TypeId::kStruct:
      for (int i = 0; i < left.num_children(); ++i) {
        const int c = CompareNullable(*left.child(i), left.offset() + left_row, *right.child(i),
                                      right.offset() + right_row);
        if (c != 0) {
          return c;
        }
      }
      return 0;
    case TypeId::kArray: {
      const int32_t ls = left.ListStart(left_row);
      const int32_t ll = left.ListEnd(left_row) - ls;
      const int32_t rs = right.ListStart(right_row);
      const int32_t rl = right.ListEnd(right_row) - rs;
      for (int32_t i = 0; i < ll && i < rl; ++i) {
        const int c = CompareNullable(*left.child(0), ls + i, *right.child(0), rs + i);
        if (c != 0) {
          return c;
        }
      }
      return Compare3(ll, rl);
    }
    default:
      return 0;
  }
}

ValueStore::ValueStore(TypePtr type)
    : type_(std::move(type)), builder_(VectorBuilder::Make(type_)) {}

void ValueStore::Begin(VectorPtr source) {
  source_ = std::move(source);
  pending_.clear();
}

int64_t ValueStore::Add(int64_t row) {
  pending_.push_back(row);
  ++num_values_;
  return (static_cast<int64_t>(chunks_.size()) << 32) | static_cast<int64_t>(pending_.size() - 1);
}

void ValueStore::End() {
  if (!pending_.empty()) {
    builder_->Reserve(static_cast<int64_t>(pending_.size()));
    for (int64_t row : pending_) {
      AppendValue(*source_, row, builder_.get());
    }
    VectorPtr chunk = builder_->Finish();
    int64_t bytes = 64;
    for (const BufferPtr& buffer : {chunk->values_buffer(), chunk->data_buffer()}) {
      bytes += buffer != nullptr ? buffer->size() : 0;
    }
    memory_bytes_ += bytes + chunk->length() * 8;
    chunks_.push_back(std::move(chunk));
  }
  pending_.clear();
  source_.reset();
}

int64_t ValueStore::Absorb(ValueStore& other) {
  const int64_t offset = static_cast<int64_t>(chunks_.size());
  for (VectorPtr& chunk : other.chunks_) {
    chunks_.push_back(std::move(chunk));
  }
  num_values_ += other.num_values_;
  memory_bytes_ += other.memory_bytes_;
  other.chunks_.clear();
  other.num_values_ = 0;
  other.memory_bytes_ = 0;
  return offset;
}

const Vector& ValueStore::vector(int64_t ref) const {
  const size_t chunk = static_cast<size_t>(ref >> 32);
  return chunk == chunks_.size() ? *source_ : *chunks_[chunk];
}

int64_t ValueStore::row(int64_t ref) const {
  const size_t chunk = static_cast<size_t>(ref >> 32);
  const int64_t index = ref & 0xffffffffLL;
  return chunk == chunks_.size() ? pending_[index] : index;
}

void ValueStore::AppendTo(int64_t ref, VectorBuilder* builder) const {
  AppendValue(vector(ref), row(ref), builder);
}

int64_t ValueStore::CopyFrom(const ValueStore& other, int64_t ref) {
  other.AppendTo(ref, builder_.get());
  VectorPtr chunk = builder_->Finish();
  memory_bytes_ += 64 + (chunk->values_buffer() ? chunk->values_buffer()->size() : 0) +
                   (chunk->data_buffer() ? chunk->data_buffer()->size() : 0);
  chunks_.push_back(std::move(chunk));
  ++num_values_;
  return static_cast<int64_t>(chunks_.size() - 1) << 32;
}

void ValueStore::Compact(std::vector<int64_t>* refs) {
  SLUICE_CHECK(source_ == nullptr, "compacting between Begin and End");
  int64_t count = 0;
  for (int64_t& ref : *refs) {
    if (ref >= 0) {
      AppendTo(ref, builder_.get());
      ref = count++;
    }
  }
  chunks_.clear();
  memory_bytes_ = 0;
  num_values_ = 0;
  VectorPtr chunk = builder_->Finish();
  if (count > 0) {
    memory_bytes_ = 64 + (chunk->values_buffer() ? chunk->values_buffer()->size() : 0) +
                    (chunk->data_buffer() ? chunk->data_buffer()->size() : 0) + count * 8;
    num_values_ = count;
    chunks_.push_back(std::move(chunk));
  }
}

BoundScalarFunction MakeScalar(std::string name, TypePtr return_type,
                               std::vector<TypePtr> arg_types, ScalarKernel kernel) {
  BoundScalarFunction function;
  function.name = std::move(name);
  function.return_type = std::move(return_type);
  function.arg_types = std::move(arg_types);
  function.kernel = std::move(kernel);
  return function;
}

VectorPtr BuildFromRefs(const TypePtr& type, const ValueStore& store,
                        const std::vector<int64_t>& refs) {
  std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type);
  builder->Reserve(static_cast<int64_t>(refs.size()));
  for (int64_t ref : refs) {
    if (ref < 0) {
      builder->AppendNull();
    } else {
      store.AppendTo(ref, builder.get());
    }
  }
  return builder->Finish();
}

}  // namespace sluice::expr::more
