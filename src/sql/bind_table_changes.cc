// SPDX-License-Identifier: Apache-2.0
// table_changes('table', start[, end]): the Delta change data feed of a version range.
#include <fmt/format.h>

#include "common/ascii.h"
#include "delta/change_data_feed.h"
#include "expr/evaluator.h"
#include "sql/binder_impl.h"

namespace sluice::sql {

using expr::Expression;
using expr::ExprPtr;
using internal::BoundRelation;
using internal::ExprBinder;
using internal::Scope;

namespace {

/// Splits `db.table` (backticks allowed) into name parts.
QualifiedName SplitTableName(std::string_view text) {
  QualifiedName parts;
  std::string current;
  bool quoted = false;
  for (char c : text) {
    if (c == '`') {
      quoted = !quoted;
    } else if (c == '.' && !quoted) {
      parts.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  parts.push_back(current);
  return parts;
}

}  // namespace

Result<BoundRelation> Binder::Impl::BindTableChanges(const TableRef& table) {
  const auto& args = table.function_args;
  if (args.size() < 2 || args.size() > 3) {
    return Status::BindError(fmt::format(
        "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `table_changes` requires [2, 3] parameters but "
        "the actual number is {}.{}",
        args.size(), internal::PositionSuffix(table.position)));
  }
  Scope empty;
  ExprBinder expr_binder(empty, options, eval, binder);
  SLUICE_ASSIGN_OR_RETURN(ExprPtr name_expr, expr_binder.Bind(*args[0]));
  if (!name_expr->IsConstant() || name_expr->type()->id() != TypeId::kString) {
    return Status::BindError(fmt::format(
        "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] The first argument of table_changes must be "
        "the table name as a string.{}",
        internal::PositionSuffix(args[0]->position)));
  }
  SLUICE_ASSIGN_OR_RETURN(VectorPtr name_value, expr::EvaluateConstant(*name_expr, eval));
  const std::string table_name(name_value->StringValue(0));
  ResolvedTable resolved;
  QualifiedName parts = SplitTableName(table_name);
  if (parts.size() == 2 && EqualsIgnoreCase(parts[0], "delta") && !parts[1].empty() &&
      parts[1][0] == '/') {
    resolved = {fmt::format("delta.`{}`", parts[1]), parts[1], nullptr};
  } else {
    SLUICE_ASSIGN_OR_RETURN(resolved, resolver.ResolveTable(parts));
  }
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr latest,
                          delta::Snapshot::Load(resolved.table_root, *fs));

  // A bound is a version (integer) or a timestamp (anything castable to one).
  auto resolve_bound = [&](const ParsedExpr& parsed, bool is_start) -> Result<int64_t> {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr bound, expr_binder.Bind(parsed));
    if (!bound->IsConstant()) {
      return Status::BindError(fmt::format(
          "[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] table_changes bounds must be constants.{}",
          internal::PositionSuffix(parsed.position)));
    }
    if (bound->type()->is_integral()) {
      SLUICE_ASSIGN_OR_RETURN(
          VectorPtr value,
          expr::EvaluateConstant(*internal::CastIfNeeded(bound, LongType()), eval));
      return value->Value<int64_t>(0);
    }
    Result<VectorPtr> value =
        expr::EvaluateConstant(*Expression::Cast(bound, TimestampType(), /*try_cast=*/true), eval);
    if (!value.ok() || (*value)->IsNull(0)) {
      return Status::BindError(fmt::format(
          "[DELTA_INVALID_TIMESTAMP_FORMAT] The provided timestamp {} does not match the expected "
          "syntax yyyy-MM-dd HH:mm:ss[.SSS].{}",
          PrettyName(parsed), internal::PositionSuffix(parsed.position)));
    }
    const int64_t micros = (*value)->Value<int64_t>(0);
    const int64_t millis = micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000);
    return is_start ? delta::VersionAtOrAfter(resolved.table_root, millis, *fs)
                    : delta::VersionAtOrBefore(resolved.table_root, millis, *fs);
  };
  SLUICE_ASSIGN_OR_RETURN(int64_t start, resolve_bound(*args[1], true));
  int64_t end = latest->version();
  if (args.size() == 3) {
    SLUICE_ASSIGN_OR_RETURN(end, resolve_bound(*args[2], false));
  }
  // Range errors ([DELTA_INVALID_CDC_RANGE], [DELTA_MISSING_CHANGE_DATA]) come from the
  // change data reader when the query runs; the schema is the end version's.
  end = std::min(end, latest->version());
  delta::SnapshotPtr at_end = latest;
  if (end >= 0 && end < latest->version()) {
    SLUICE_ASSIGN_OR_RETURN(at_end, delta::Snapshot::Load(resolved.table_root, *fs, end));
  }
  SLUICE_ASSIGN_OR_RETURN(SchemaPtr schema, delta::ChangeDataSchema(*at_end));
  auto node =
      std::make_shared<TableChangesNode>(schema, resolved.display_name, resolved.table_root);
  node->start_version = start;
  node->end_version = end;
  BoundRelation relation;
  relation.plan = node;
  relation.scope = internal::MakeScope(*schema, parts);
  return relation;
}

}  // namespace sluice::sql
