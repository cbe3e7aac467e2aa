// SPDX-License-Identifier: Apache-2.0
#include "sql/logical_plan.h"

#include <fmt/format.h>

namespace sluice::sql {

namespace {

std::string JoinExprs(const std::vector<expr::ExprPtr>& exprs) {
  std::string text;
  for (size_t i = 0; i < exprs.size(); ++i) {
    text += (i > 0 ? ", " : "") + exprs[i]->ToString();
  }
  return text;
}

std::string JoinKeys(const std::vector<SortKey>& keys) {
  std::string text;
  for (size_t i = 0; i < keys.size(); ++i) {
    text += fmt::format("{}{} {} NULLS {}", i > 0 ? ", " : "", keys[i].expr->ToString(),
                        keys[i].ascending ? "ASC" : "DESC", keys[i].nulls_first ? "FIRST" : "LAST");
  }
  return text;
}

void Render(const LogicalPlan& plan, int depth, std::string* out) {
  out->append(static_cast<size_t>(depth) * 2, ' ');
  if (depth > 0) {
    out->append("+- ");
  }
  out->append(plan.Describe());
  out->push_back('\n');
  for (const PlanPtr& child : plan.children()) {
    Render(*child, depth + 1, out);
  }
}

std::string_view FormatName(ScanFormat format) {
  switch (format) {
    case ScanFormat::kDelta:
      return "delta";
    case ScanFormat::kParquet:
      return "parquet";
    case ScanFormat::kJson:
      return "json";
    case ScanFormat::kCsv:
      return "csv";
  }
  return "?";
}

}  // namespace

std::string LogicalPlan::ToString() const {
  std::string out;
  Render(*this, 0, &out);
  return out;
}

std::string ScanNode::Describe() const {
  std::string text = fmt::format("Scan {} {}", FormatName(format), table_name);
  if (snapshot != nullptr) {
    text += fmt::format(" (version {})", snapshot->version());
  }
  text += " [";
  for (size_t i = 0; i < columns.size(); ++i) {
    text += (i > 0 ? ", " : "") + columns[i];
  }
  text += "]";
  if (!pushed_filters.empty()) {
    text += fmt::format(" PushedFilters: [{}]", JoinExprs(pushed_filters));
  }
  return text;
}

std::string ValuesNode::Describe() const {
  int64_t rows = 0;
  for (const BatchPtr& batch : batches) {
    rows += batch->num_rows();
  }
  return fmt::format("LocalRelation [{} columns, {} rows]", schema()->num_fields(), rows);
}

std::string FilterNode::Describe() const {
  return "Filter " + predicate->ToString();
}

std::string ProjectNode::Describe() const {
  return fmt::format("Project [{}]", JoinExprs(exprs));
}

std::string AggregateNode::Describe() const {
  std::string aggregates_text;
  for (size_t i = 0; i < aggregates.size(); ++i) {
    aggregates_text += (i > 0 ? ", " : "") + aggregates[i].display;
  }
  return fmt::format("Aggregate [{}], [{}]", JoinExprs(groups), aggregates_text);
}

std::string JoinNode::Describe() const {
  static constexpr std::string_view kNames[] = {"Inner",    "LeftOuter", "RightOuter", "FullOuter",
                                                "LeftSemi", "LeftAnti",  "Cross"};
  std::string text = fmt::format("Join {}", kNames[static_cast<int>(join_kind)]);
  for (size_t i = 0; i < left_keys.size(); ++i) {
    text += fmt::format("{}{} {} {}", i == 0 ? ", " : " AND ", left_keys[i]->ToString(),
                        null_safe[i] ? "<=>" : "=", right_keys[i]->ToString());
  }
  if (residual != nullptr) {
    text += ", " + residual->ToString();
  }
  if (build_left) {
    text += " (build left)";
  }
  return text;
}

std::string SortNode::Describe() const {
  return fmt::format("Sort [{}]", JoinKeys(keys));
}

std::string LimitNode::Describe() const {
  std::string text = limit ? fmt::format("Limit {}", *limit) : std::string("Limit ALL");
  if (offset > 0) {
    text += fmt::format(" Offset {}", offset);
  }
  return text;
}

std::string SetOpNode::Describe() const {
  static constexpr std::string_view kNames[] = {"Union", "Intersect", "Except"};
  return fmt::format("{}{}", kNames[static_cast<int>(op)], all ? " All" : "");
}

std::string WindowNode::Describe() const {
  std::string text = "Window [";
  for (size_t i = 0; i < calls.size(); ++i) {
    const WindowCall& call = calls[i];
    text += fmt::format("{}{} OVER (PARTITION BY [{}] ORDER BY [{}])", i > 0 ? ", " : "",
                        call.display, JoinExprs(call.partition_by), JoinKeys(call.order_by));
  }
  return text + "]";
}

std::string GenerateNode::Describe() const {
  return fmt::format("Generate {}{}({})", generator.name, outer ? " outer" : "", JoinExprs(args));
}

std::string TableChangesNode::Describe() const {
  return fmt::format("TableChanges {} versions [{}, {}]", table_name, start_version, end_version);
}

}  // namespace sluice::sql
