// SPDX-License-Identifier: Apache-2.0
// GROUP BY ROLLUP / CUBE / GROUPING SETS and grouping() / grouping_id(), as Spark's
// ResolveGroupingAnalytics: the input is expanded once per grouping set (the grouping
// expressions a set leaves out are null in its copy) with a grouping id, and one
// aggregate groups by the expressions plus the id.
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "common/ascii.h"
#include "sql/binder_internal.h"

namespace sluice::sql::internal {

namespace {

using expr::Expression;
using expr::ExprPtr;

/// Spark's limit: the grouping id is a bigint with one bit per grouping expression.
constexpr size_t kMaxGroupingExpressions = 64;

/// The index of `value` in `groups` (compared as bound expressions), added if absent.
int AddGroup(ExprPtr value, std::vector<ExprPtr>* groups) {
  const std::string key = value->ToString();
  for (size_t i = 0; i < groups->size(); ++i) {
    if ((*groups)[i]->ToString() == key) {
      return static_cast<int>(i);
    }
  }
  groups->push_back(std::move(value));
  return static_cast<int>(groups->size() - 1);
}

/// CUBE's sets in Spark's order: cube(a, rest) = cube(rest) with a, then without.
void CubeSets(const std::vector<int>& items, size_t from, std::vector<std::vector<int>>* out) {
  if (from == items.size()) {
    out->push_back({});
    return;
  }
  std::vector<std::vector<int>> rest;
  CubeSets(items, from + 1, &rest);
  for (const std::vector<int>& set : rest) {
    std::vector<int> with = {items[from]};
    with.insert(with.end(), set.begin(), set.end());
    out->push_back(std::move(with));
  }
  out->insert(out->end(), rest.begin(), rest.end());
}

bool IsGroupingCall(const Expression& value) {
  return value.kind() == expr::ExprKind::kCall &&
         (value.function().name == "grouping" || value.function().name == "grouping_id");
}

/// A bound expression as errors show it: a column by its name.
std::string Describe(const ExprPtr& value, const Scope& scope) {
  if (value->kind() == expr::ExprKind::kColumn &&
      value->column_index() < static_cast<int>(scope.columns.size())) {
    return scope.columns[value->column_index()].name;
  }
  return value->ToString();
}

std::string DescribeAll(const std::vector<ExprPtr>& values, const Scope& scope) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    out += (i > 0 ? "," : "") + Describe(values[i], scope);
  }
  return out;
}

bool SameExprs(const std::vector<ExprPtr>& left, const std::vector<ExprPtr>& right) {
  if (left.size() != right.size()) {
    return false;
  }
  for (size_t i = 0; i < left.size(); ++i) {
    if (left[i]->ToString() != right[i]->ToString()) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsGroupingAnalytics(const ParsedExpr& parsed) {
  return parsed.kind == ExprKind::kFunction && parsed.window == nullptr &&
         parsed.name.size() == 1 &&
         (EqualsIgnoreCase(parsed.text, "rollup") || EqualsIgnoreCase(parsed.text, "cube") ||
          EqualsIgnoreCase(parsed.text, "grouping_sets"));
}

Result<GroupingSets> BindGroupingSets(
    const std::vector<ParsedExprPtr>& items,
    const std::function<Result<ExprPtr>(const ParsedExpr&)>& bind_group) {
  GroupingSets result;
  result.sets = {{}};
  for (const ParsedExprPtr& item : items) {
    auto bind = [&](const ParsedExpr& parsed) -> Result<int> {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr value, bind_group(parsed));
      return AddGroup(std::move(value), &result.groups);
    };
    std::vector<std::vector<int>> item_sets;
    if (!IsGroupingAnalytics(*item)) {
      SLUICE_ASSIGN_OR_RETURN(int index, bind(*item));
      item_sets.push_back({index});
    } else if (EqualsIgnoreCase(item->text, "grouping_sets")) {
      // Each child is struct(e1, ...): one set (the parser's form of `(e1, ...)`).
      for (const ParsedExprPtr& set : item->children) {
        std::vector<int> indices;
        for (const ParsedExprPtr& element : set->children) {
          SLUICE_ASSIGN_OR_RETURN(int index, bind(*element));
          indices.push_back(index);
        }
        item_sets.push_back(std::move(indices));
      }
    } else {
      std::vector<int> indices;
      for (const ParsedExprPtr& element : item->children) {
        SLUICE_ASSIGN_OR_RETURN(int index, bind(*element));
        indices.push_back(index);
      }
      if (EqualsIgnoreCase(item->text, "rollup")) {
        for (size_t length = indices.size() + 1; length-- > 0;) {
          item_sets.emplace_back(indices.begin(), indices.begin() + static_cast<ptrdiff_t>(length));
        }
      } else {
        CubeSets(indices, 0, &item_sets);
      }
    }
    // The cross product with the sets of the items before.
    std::vector<std::vector<int>> product;
    for (const std::vector<int>& left : result.sets) {
      for (const std::vector<int>& right : item_sets) {
        std::vector<int> set = left;
        for (int index : right) {
          if (std::find(set.begin(), set.end(), index) == set.end()) {
            set.push_back(index);
          }
        }
        product.push_back(std::move(set));
      }
    }
    result.sets = std::move(product);
  }
  if (result.groups.size() > kMaxGroupingExpressions) {
    return Status::BindError(
        fmt::format("[GROUPING_SIZE_LIMIT_EXCEEDED] Grouping sets size cannot be greater than {}.",
                    kMaxGroupingExpressions));
  }
  return result;
}

PlanPtr ExpandGroupingSets(const PlanPtr& input, const GroupingSets& grouping) {
  const Schema& schema = *input->schema();
  const size_t n = grouping.groups.size();
  std::vector<Field> fields = schema.fields();
  for (size_t i = 0; i < n; ++i) {
    fields.push_back(MakeField(fmt::format("_grouping_{}", i), grouping.groups[i]->type(), true));
  }
  fields.push_back(MakeField("spark_grouping_id", LongType(), false));
  const bool duplicate_sets = grouping.HasDuplicateSets();
  if (duplicate_sets) {
    fields.push_back(MakeField("_gen_grouping_pos", IntType(), false));
  }
  SchemaPtr expanded = MakeSchema(std::move(fields));
  std::vector<PlanPtr> copies;
  for (size_t s = 0; s < grouping.sets.size(); ++s) {
    const std::vector<int>& set = grouping.sets[s];
    std::vector<ExprPtr> exprs;
    for (int c = 0; c < schema.num_fields(); ++c) {
      exprs.push_back(Expression::Column(c, schema.field(c).type, schema.field(c).nullable));
    }
    int64_t id = 0;
    for (size_t i = 0; i < n; ++i) {
      const bool kept = std::find(set.begin(), set.end(), static_cast<int>(i)) != set.end();
      exprs.push_back(kept ? grouping.groups[i]
                           : Expression::Literal(expr::MakeNullScalar(grouping.groups[i]->type())));
      if (!kept) {
        id |= int64_t{1} << (n - 1 - i);
      }
    }
    exprs.push_back(Expression::Literal(expr::MakeLongScalar(id)));
    if (duplicate_sets) {
      exprs.push_back(Expression::Literal(expr::MakeIntScalar(static_cast<int32_t>(s))));
    }
    copies.push_back(std::make_shared<ProjectNode>(expanded, input, std::move(exprs)));
  }
  if (copies.size() == 1) {
    return copies[0];
  }
  return std::make_shared<SetOpNode>(expanded, std::move(copies), SetOperation::kUnion,
                                     /*all=*/true);
}

bool GroupingSets::HasDuplicateSets() const {
  for (size_t a = 0; a < sets.size(); ++a) {
    for (size_t b = a + 1; b < sets.size(); ++b) {
      std::vector<int> left = sets[a];
      std::vector<int> right = sets[b];
      std::sort(left.begin(), left.end());
      std::sort(right.begin(), right.end());
      if (left == right) {
        return true;
      }
    }
  }
  return false;
}

Result<ExprPtr> ReplaceGroupingCalls(const ExprPtr& value, const GroupingSets* grouping,
                                     const ExprPtr& grouping_id, const Scope& scope,
                                     ExprBinder& binder) {
  if (!IsGroupingCall(*value)) {
    // Rebuild only the nodes above a replaced call.
    std::vector<ExprPtr> children;
    bool changed = false;
    for (const ExprPtr& child : value->children()) {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr replaced,
                              ReplaceGroupingCalls(child, grouping, grouping_id, scope, binder));
      changed = changed || replaced != child;
      children.push_back(std::move(replaced));
    }
    return changed ? value->WithChildren(std::move(children)) : value;
  }
  if (grouping == nullptr) {
    return Status::BindError(
        "[UNSUPPORTED_GROUPING_EXPRESSION] grouping()/grouping_id() can only be used with "
        "GroupingSets/Cube/Rollup.");
  }
  const std::vector<ExprPtr>& groups = grouping->groups;
  const std::vector<ExprPtr>& args = value->children();
  if (value->function().name == "grouping_id") {
    if (!args.empty() && !SameExprs(args, groups)) {
      return Status::BindError(fmt::format(
          "[GROUPING_ID_COLUMN_MISMATCH] Columns of grouping_id ({}) does not match grouping "
          "columns ({}).",
          DescribeAll(args, scope), DescribeAll(groups, scope)));
    }
    return grouping_id;
  }
  // grouping(x): bit (n - 1 - i) of the grouping id, as a tinyint.
  const std::string key = args[0]->ToString();
  for (size_t i = 0; i < groups.size(); ++i) {
    if (groups[i]->ToString() != key) {
      continue;
    }
    const int shift = static_cast<int>(groups.size() - 1 - i);
    SLUICE_ASSIGN_OR_RETURN(
        ExprPtr shifted,
        binder.CallFunction("shiftright",
                            {grouping_id, Expression::Literal(expr::MakeIntScalar(shift))},
                            "shiftright"));
    SLUICE_ASSIGN_OR_RETURN(
        ExprPtr bit,
        binder.CallFunction("&", {shifted, Expression::Literal(expr::MakeLongScalar(1))}, "&"));
    return Expression::Cast(std::move(bit), ByteType(), /*try_cast=*/false);
  }
  return Status::BindError(fmt::format(
      "[GROUPING_COLUMN_MISMATCH] Column of grouping ({}) can't be found in grouping columns {}.",
      Describe(args[0], scope), DescribeAll(groups, scope)));
}

}  // namespace sluice::sql::internal
