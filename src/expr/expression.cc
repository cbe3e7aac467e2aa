// SPDX-License-Identifier: Apache-2.0
#include "expr/expression.h"

#include <fmt/format.h>

#include <utility>

#include "columnar/builder.h"
#include "columnar/printer.h"
#include "common/check.h"

namespace sluice::expr {

Expression::Expression(ExprKind kind, TypePtr type, bool nullable)
    : kind_(kind), type_(std::move(type)), nullable_(nullable) {}

ExprPtr Expression::Column(int index, TypePtr type, bool nullable) {
  auto expr = std::make_shared<Expression>(ExprKind::kColumn, std::move(type), nullable);
  expr->column_index_ = index;
  return expr;
}

ExprPtr Expression::Literal(VectorPtr value) {
  SLUICE_CHECK(value != nullptr && value->length() == 1, "a literal is one value");
  const bool is_null = value->IsNull(0);
  auto expr = std::make_shared<Expression>(ExprKind::kLiteral, value->type(), is_null);
  expr->literal_ = std::move(value);
  return expr;
}

ExprPtr Expression::Call(BoundScalarFunction function, std::vector<ExprPtr> args) {
  // A function may produce nulls of its own (element_at past the end, a failed
  // to_date): every call counts as nullable.
  auto expr = std::make_shared<Expression>(ExprKind::kCall, function.return_type, true);
  expr->function_ = std::move(function);
  expr->children_ = std::move(args);
  return expr;
}

ExprPtr Expression::Cast(ExprPtr input, TypePtr to, bool try_cast) {
  auto expr = std::make_shared<Expression>(ExprKind::kCast, std::move(to), true);
  expr->try_cast_ = try_cast;
  expr->children_.push_back(std::move(input));
  return expr;
}

ExprPtr Expression::Case(std::vector<ExprPtr> children, bool has_else, TypePtr type) {
  auto expr = std::make_shared<Expression>(ExprKind::kCase, std::move(type), true);
  expr->children_ = std::move(children);
  expr->has_else_ = has_else;
  return expr;
}

ExprPtr Expression::And(ExprPtr left, ExprPtr right) {
  const bool nullable = left->nullable() || right->nullable();
  auto expr = std::make_shared<Expression>(ExprKind::kAnd, BooleanType(), nullable);
  expr->children_ = {std::move(left), std::move(right)};
  return expr;
}

ExprPtr Expression::Or(ExprPtr left, ExprPtr right) {
  const bool nullable = left->nullable() || right->nullable();
  auto expr = std::make_shared<Expression>(ExprKind::kOr, BooleanType(), nullable);
  expr->children_ = {std::move(left), std::move(right)};
  return expr;
}

bool Expression::IsDeterministic() const {
  if (kind_ == ExprKind::kCall && !function_.deterministic) {
    return false;
  }
  for (const ExprPtr& child : children_) {
    if (!child->IsDeterministic()) {
      return false;
    }
  }
  return true;
}

bool Expression::IsConstant() const {
  if (kind_ == ExprKind::kColumn) {
    return false;
  }
  for (const ExprPtr& child : children_) {
    if (!child->IsConstant()) {
      return false;
    }
  }
  return true;
}

void Expression::CollectColumns(std::vector<int>* columns) const {
  if (kind_ == ExprKind::kColumn) {
    columns->push_back(column_index_);
  }
  for (const ExprPtr& child : children_) {
    child->CollectColumns(columns);
  }
}

ExprPtr Expression::RemapColumns(const std::vector<int>& mapping) const {
  auto copy = std::make_shared<Expression>(*this);
  if (kind_ == ExprKind::kColumn) {
    SLUICE_CHECK(column_index_ < static_cast<int>(mapping.size()) && mapping[column_index_] >= 0,
                 "column #{} is not mapped", column_index_);
    copy->column_index_ = mapping[column_index_];
  }
  for (ExprPtr& child : copy->children_) {
    child = child->RemapColumns(mapping);
  }
  return copy;
}

ExprPtr Expression::WithChildren(std::vector<ExprPtr> children) const {
  auto copy = std::make_shared<Expression>(*this);
  copy->children_ = std::move(children);
  return copy;
}

std::string Expression::ToString() const {
  auto join_children = [this](std::string_view separator) {
    std::string text;
    for (size_t i = 0; i < children_.size(); ++i) {
      if (i > 0) {
        text += separator;
      }
      text += children_[i]->ToString();
    }
    return text;
  };
  switch (kind_) {
    case ExprKind::kColumn:
      return fmt::format("#{}", column_index_);
    case ExprKind::kLiteral: {
      if (literal_->IsNull(0)) {
        return "null";
      }
      std::string cell = FormatCell(*literal_, 0);
      if (type_->id() == TypeId::kString) {
        return fmt::format("'{}'", cell);
      }
      return cell;
    }
    case ExprKind::kCall:
      return fmt::format("{}({})", function_.name, join_children(", "));
    case ExprKind::kCast:
      return fmt::format("{}({} AS {})", try_cast_ ? "try_cast" : "cast", children_[0]->ToString(),
                         type_->ToDdl());
    case ExprKind::kCase: {
      std::string text = "CASE";
      const size_t pairs = (children_.size() - (has_else_ ? 1 : 0)) / 2;
      for (size_t i = 0; i < pairs; ++i) {
        text += fmt::format(" WHEN {} THEN {}", children_[2 * i]->ToString(),
                            children_[2 * i + 1]->ToString());
      }
      if (has_else_) {
        text += fmt::format(" ELSE {}", children_.back()->ToString());
      }
      return text + " END";
    }
    case ExprKind::kAnd:
      return fmt::format("({} AND {})", children_[0]->ToString(), children_[1]->ToString());
    case ExprKind::kOr:
      return fmt::format("({} OR {})", children_[0]->ToString(), children_[1]->ToString());
  }
  return "?";
}

ExprPtr ReplaceColumns(const ExprPtr& value,
                       const std::function<ExprPtr(const ExprPtr& column)>& replace) {
  if (value->kind() == ExprKind::kColumn) {
    return replace(value);
  }
  std::vector<ExprPtr> children;
  bool changed = false;
  for (const ExprPtr& child : value->children()) {
    children.push_back(ReplaceColumns(child, replace));
    changed = changed || children.back() != child;
  }
  return changed ? value->WithChildren(std::move(children)) : value;
}

void SplitConjuncts(const ExprPtr& condition, std::vector<ExprPtr>* conjuncts) {
  if (condition->kind() == ExprKind::kAnd) {
    SplitConjuncts(condition->child(0), conjuncts);
    SplitConjuncts(condition->child(1), conjuncts);
    return;
  }
  conjuncts->push_back(condition);
}

namespace {

template <typename Builder, typename T>
VectorPtr MakeScalar(TypePtr type, T value) {
  Builder builder(std::move(type));
  builder.Append(value);
  return builder.Finish();
}

}  // namespace

VectorPtr MakeNullScalar(const TypePtr& type) {
  std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type);
  builder->AppendNull();
  return builder->Finish();
}

VectorPtr MakeBooleanScalar(bool value) {
  return MakeScalar<BooleanBuilder>(BooleanType(), value);
}
VectorPtr MakeIntScalar(int32_t value) {
  return MakeScalar<Int32Builder>(IntType(), value);
}
VectorPtr MakeLongScalar(int64_t value) {
  return MakeScalar<Int64Builder>(LongType(), value);
}
VectorPtr MakeDoubleScalar(double value) {
  return MakeScalar<DoubleBuilder>(DoubleType(), value);
}
VectorPtr MakeStringScalar(std::string_view value) {
  return MakeScalar<StringBuilder>(StringType(), value);
}
VectorPtr MakeDecimalScalar(Int128 unscaled, int precision, int scale) {
  return MakeScalar<DecimalBuilder>(DecimalType(precision, scale), unscaled);
}
VectorPtr MakeDateScalar(int32_t days) {
  return MakeScalar<Int32Builder>(DateType(), days);
}
VectorPtr MakeTimestampScalar(int64_t micros) {
  return MakeScalar<Int64Builder>(TimestampType(), micros);
}
VectorPtr MakeTimestampNtzScalar(int64_t micros) {
  return MakeScalar<Int64Builder>(TimestampNtzType(), micros);
}

}  // namespace sluice::expr
