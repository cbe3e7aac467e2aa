// SPDX-License-Identifier: Apache-2.0
// Binding FROM items: tables (with time travel), path tables, subqueries, joins, VALUES
// and table functions (table_changes, range).
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "columnar/builder.h"
#include "common/ascii.h"
#include "delta/snapshot.h"
#include "expr/cast.h"
#include "expr/evaluator.h"
#include "expr/type_coercion.h"
#include "formats/csv/csv_infer.h"
#include "formats/json/json_infer.h"
#include "formats/parquet/reader.h"
#include "sql/binder_impl.h"
#include "sql/read_kafka.h"

namespace sluice::sql {

using expr::Expression;
using expr::ExprPtr;
using internal::BoundRelation;
using internal::ExprBinder;
using internal::Scope;
using internal::ScopeColumn;

namespace {

/// -1: no column; 0: only left columns; 1: only right columns; 2: both.
int Side(const ExprPtr& value, int left_width) {
  std::vector<int> columns;
  value->CollectColumns(&columns);
  if (columns.empty()) {
    return -1;
  }
  bool left = false;
  bool right = false;
  for (int column : columns) {
    (column < left_width ? left : right) = true;
  }
  return left && right ? 2 : (left ? 0 : 1);
}

/// The first data file under `path` (the path itself when it is a file).
Result<std::string> FirstDataFile(const std::string& path, FileSystem& fs) {
  Result<std::vector<FileInfo>> entries = fs.ListDirectory(path);
  if (!entries.ok()) {
    return path;  // not a directory: read it as a file
  }
  std::vector<FileInfo> sorted = std::move(entries).value();
  std::sort(sorted.begin(), sorted.end(),
            [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  for (const FileInfo& entry : sorted) {
    const std::string name = entry.path.substr(entry.path.find_last_of('/') + 1);
    if (IsHiddenDataName(name)) {
      continue;
    }
    if (entry.is_directory) {
      Result<std::string> nested = FirstDataFile(entry.path, fs);
      if (nested.ok() && *nested != entry.path) {
        return nested;
      }
      continue;
    }
    return entry.path;
  }
  return Status::NotFound(fmt::format(
      "[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for the files at {}: no data files.", path));
}

}  // namespace

Result<BoundRelation> Binder::Impl::ApplyAlias(BoundRelation relation, const TableRef& table) {
  if (!table.alias.empty()) {
    for (ScopeColumn& column : relation.scope.columns) {
      column.qualifier = {table.alias};
    }
  }
  if (!table.column_aliases.empty()) {
    if (table.column_aliases.size() != relation.scope.columns.size()) {
      return Status::BindError(fmt::format(
          "[ASSIGNMENT_ARITY_MISMATCH] The number of columns or variables assigned or aliased: {} "
          "does not match the number of source tuples: {}.{}",
          table.column_aliases.size(), relation.scope.columns.size(),
          internal::PositionSuffix(table.position)));
    }
    std::vector<TypePtr> types;
    for (size_t i = 0; i < table.column_aliases.size(); ++i) {
      relation.scope.columns[i].name = table.column_aliases[i];
      types.push_back(relation.scope.columns[i].type);
    }
    relation.plan = CastPlan(relation.plan, types, &table.column_aliases);
  }
  return relation;
}

Result<BoundRelation> Binder::Impl::BindFrom(const TableRef& table, const Scope* outer) {
  if (table.stream) {
    // The engine replaces the STREAM items of a streaming table's query before binding;
    // one reaching here is in a batch query.
    return Status::BindError(fmt::format(
        "Queries with streaming sources must be executed with writeStream.start(), or from a "
        "streaming table or flow definition within a Spark Declarative Pipeline.{}",
        internal::PositionSuffix(table.position)));
  }
  switch (table.kind) {
    case TableRefKind::kNamed: {
      if (table.name.size() == 1 && !table.time_travel.has_value()) {
        if (const CommonTableExpr* cte = FindCte(table.name[0])) {
          // Bind the CTE's query without the CTEs defined after it at the same level.
          SLUICE_ASSIGN_OR_RETURN(BoundRelation relation,
                                  BindQueryNode(*cte->query, outer, nullptr));
          for (ScopeColumn& column : relation.scope.columns) {
            column.qualifier = {cte->name};
          }
          if (!cte->column_aliases.empty()) {
            TableRef aliases;
            aliases.column_aliases = cte->column_aliases;
            aliases.position = table.position;
            SLUICE_ASSIGN_OR_RETURN(relation, ApplyAlias(std::move(relation), aliases));
          }
          return ApplyAlias(std::move(relation), table);
        }
      }
      SLUICE_ASSIGN_OR_RETURN(BoundRelation relation, BindNamedTable(table));
      return ApplyAlias(std::move(relation), table);
    }
    case TableRefKind::kPath: {
      SLUICE_ASSIGN_OR_RETURN(BoundRelation relation, BindPathTable(table));
      return ApplyAlias(std::move(relation), table);
    }
    case TableRefKind::kSubquery: {
      SLUICE_ASSIGN_OR_RETURN(BoundRelation relation,
                              BindQueryNode(*table.subquery, outer, nullptr));
      for (ScopeColumn& column : relation.scope.columns) {
        column.qualifier.clear();
      }
      return ApplyAlias(std::move(relation), table);
    }
    case TableRefKind::kJoin:
      return BindJoin(table, outer);
    case TableRefKind::kLateralView:
      return BindLateralView(table, outer);
    case TableRefKind::kFunction: {
      SLUICE_ASSIGN_OR_RETURN(BoundRelation relation, BindTableFunction(table));
      return ApplyAlias(std::move(relation), table);
    }
    case TableRefKind::kValues: {
      SLUICE_ASSIGN_OR_RETURN(BoundRelation relation,
                              BindValues(table.values_rows, table.column_aliases, table.position));
      TableRef alias_only;
      alias_only.alias = table.alias;
      return ApplyAlias(std::move(relation), alias_only);
    }
  }
  return Status::Internal("unknown FROM item");
}

Result<delta::SnapshotPtr> Binder::Impl::LoadSnapshot(const ResolvedTable& table,
                                                      const std::optional<TimeTravel>& time_travel,
                                                      const SourcePosition& position) {
  if (!time_travel.has_value()) {
    return delta::Snapshot::Load(table.table_root, *fs);
  }
  if (time_travel->version.has_value()) {
    return delta::Snapshot::Load(table.table_root, *fs, *time_travel->version);
  }
  Scope empty;
  ExprBinder expr_binder(empty, options, eval, binder);
  SLUICE_ASSIGN_OR_RETURN(ExprPtr bound, expr_binder.Bind(*time_travel->timestamp));
  if (!bound->IsConstant()) {
    return Status::BindError(fmt::format(
        "[INVALID_TIME_TRAVEL_TIMESTAMP_EXPR.INPUT] The time travel timestamp expression {} is "
        "invalid. Cannot be casted to the \"TIMESTAMP\" type.{}",
        PrettyName(*time_travel->timestamp), internal::PositionSuffix(position)));
  }
  std::string text;
  if (bound->type()->id() == TypeId::kString &&
      time_travel->timestamp->kind == ExprKind::kLiteral) {
    text = time_travel->timestamp->text;
  }
  Result<VectorPtr> value =
      expr::EvaluateConstant(*Expression::Cast(bound, TimestampType(), /*try_cast=*/true), eval);
  if (!value.ok() || (*value)->IsNull(0)) {
    // table@yyyyMMddHHmmssSSS
    if (text.size() == 17 && std::all_of(text.begin(), text.end(), ::isdigit)) {
      const std::string iso = fmt::format(
          "{}-{}-{} {}:{}:{}.{}", text.substr(0, 4), text.substr(4, 2), text.substr(6, 2),
          text.substr(8, 2), text.substr(10, 2), text.substr(12, 2), text.substr(14, 3));
      value = expr::CastVector(expr::MakeStringScalar(iso), TimestampType(), eval, true);
    }
  }
  if (!value.ok() || (*value)->IsNull(0)) {
    return Status::BindError(fmt::format(
        "[INVALID_TIME_TRAVEL_TIMESTAMP_EXPR.INPUT] The time travel timestamp expression {} is "
        "invalid. Cannot be casted to the \"TIMESTAMP\" type.{}",
        PrettyName(*time_travel->timestamp), internal::PositionSuffix(position)));
  }
  const int64_t micros = (*value)->Value<int64_t>(0);
  return delta::Snapshot::LoadAtTimestamp(table.table_root, *fs,
                                          micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000));
}

Result<BoundRelation> Binder::Impl::BindNamedTable(const TableRef& table) {
  SLUICE_ASSIGN_OR_RETURN(ResolvedTable resolved, resolver.ResolveTable(table.name));
  if (resolved.data != nullptr) {
    return BindInMemoryTable(table, resolved);
  }
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot,
                          LoadSnapshot(resolved, table.time_travel, table.position));
  const SchemaPtr& schema = snapshot->schema();
  auto scan = std::make_shared<ScanNode>(schema, ScanFormat::kDelta, resolved.display_name);
  scan->snapshot = snapshot;
  scan->source_schema = schema;
  for (const Field& field : schema->fields()) {
    scan->columns.push_back(field.name);
  }
  BoundRelation relation;
  relation.plan = scan;
  // `orders.x` and `default.orders.x` both resolve: qualify with every name part.
  std::vector<std::string> qualifier = table.name;
  relation.scope = internal::MakeScope(*schema, qualifier);
  return relation;
}

Result<BoundRelation> Binder::Impl::BindInMemoryTable(const TableRef& table,
                                                      const ResolvedTable& resolved) {
  if (table.time_travel.has_value()) {
    return Status::BindError(fmt::format(
        "[UNSUPPORTED_FEATURE.TIME_TRAVEL] The feature is not supported: Time travel on the "
        "relation: {}.{}",
        resolved.display_name, internal::PositionSuffix(table.position)));
  }
  const InMemoryRelation& data = *resolved.data;
  BoundRelation relation;
  relation.plan = std::make_shared<ValuesNode>(data.schema, data.batches);
  relation.scope = internal::MakeScope(*data.schema, table.name);
  return relation;
}

Result<BoundRelation> Binder::Impl::BindPathTable(const TableRef& table) {
  const std::string format = ToLowerAscii(table.format);
  BoundRelation relation;
  if (format == "delta") {
    ResolvedTable resolved{fmt::format("delta.`{}`", table.path), table.path, nullptr};
    SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot,
                            LoadSnapshot(resolved, table.time_travel, table.position));
    auto scan =
        std::make_shared<ScanNode>(snapshot->schema(), ScanFormat::kDelta, resolved.display_name);
    scan->snapshot = snapshot;
    scan->source_schema = snapshot->schema();
    for (const Field& field : snapshot->schema()->fields()) {
      scan->columns.push_back(field.name);
    }
    relation.plan = scan;
    relation.scope = internal::MakeScope(*snapshot->schema(), {"delta", table.path});
    return relation;
  }
  ScanFormat scan_format;
  SchemaPtr schema;
  SLUICE_ASSIGN_OR_RETURN(std::string first, FirstDataFile(table.path, *fs));
  if (format == "parquet") {
    scan_format = ScanFormat::kParquet;
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<parquet::ParquetReader> reader,
                            parquet::ParquetReader::Open(first));
    schema = AsNullable(reader->schema());
  } else if (format == "json") {
    scan_format = ScanFormat::kJson;
    SLUICE_ASSIGN_OR_RETURN(std::string text, fs->ReadFile(first));
    SLUICE_ASSIGN_OR_RETURN(schema, json::InferJsonSchema(text, json::JsonReadOptions{}));
  } else if (format == "csv") {
    scan_format = ScanFormat::kCsv;
    SLUICE_ASSIGN_OR_RETURN(std::string text, fs->ReadFile(first));
    SLUICE_ASSIGN_OR_RETURN(schema, csv::InferCsvSchema(text, csv::CsvReadOptions{}));
  } else {
    return Status::BindError(fmt::format(
        "[UNSUPPORTED_DATASOURCE_FOR_DIRECT_QUERY] Unsupported data source type for direct "
        "query on files: {}.{}",
        table.format, internal::PositionSuffix(table.position)));
  }
  auto scan =
      std::make_shared<ScanNode>(schema, scan_format, fmt::format("{}.`{}`", format, table.path));
  scan->path = table.path;
  scan->source_schema = schema;
  for (const Field& field : schema->fields()) {
    scan->columns.push_back(field.name);
  }
  relation.plan = scan;
  relation.scope = internal::MakeScope(*schema, {format, table.path});
  return relation;
}

Result<PlanPtr> Binder::Impl::MakeJoin(PlanPtr left, PlanPtr right, JoinKind kind,
                                       ExprPtr condition, const SchemaPtr& schema) {
  auto join = std::make_shared<JoinNode>(schema, left, right, kind);
  const int left_width = left->schema()->num_fields();
  const int right_width = right->schema()->num_fields();
  std::vector<int> right_mapping(left_width + right_width, -1);
  for (int i = 0; i < right_width; ++i) {
    right_mapping[left_width + i] = i;
  }
  std::vector<ExprPtr> residual;
  if (condition != nullptr) {
    std::vector<ExprPtr> conjuncts;
    expr::SplitConjuncts(condition, &conjuncts);
    for (const ExprPtr& conjunct : conjuncts) {
      const bool is_equality =
          conjunct->kind() == expr::ExprKind::kCall &&
          (conjunct->function().name == "=" || conjunct->function().name == "==" ||
           conjunct->function().name == "<=>");
      if (is_equality) {
        const int side0 = Side(conjunct->child(0), left_width);
        const int side1 = Side(conjunct->child(1), left_width);
        if ((side0 == 0 && side1 == 1) || (side0 == 1 && side1 == 0)) {
          const ExprPtr& left_key = side0 == 0 ? conjunct->child(0) : conjunct->child(1);
          const ExprPtr& right_key = side0 == 0 ? conjunct->child(1) : conjunct->child(0);
          join->left_keys.push_back(left_key);
          join->right_keys.push_back(right_key->RemapColumns(right_mapping));
          join->null_safe.push_back(conjunct->function().name == "<=>");
          continue;
        }
      }
      residual.push_back(conjunct);
    }
  }
  for (const ExprPtr& conjunct : residual) {
    join->residual =
        join->residual == nullptr ? conjunct : Expression::And(join->residual, conjunct);
  }
  if (kind == JoinKind::kCross && (!join->left_keys.empty() || join->residual != nullptr)) {
    join->join_kind = JoinKind::kInner;
  }
  return PlanPtr(std::move(join));
}

Result<BoundRelation> Binder::Impl::BindJoin(const TableRef& table, const Scope* outer) {
  SLUICE_ASSIGN_OR_RETURN(BoundRelation left, BindFrom(*table.left, outer));
  SLUICE_ASSIGN_OR_RETURN(BoundRelation right, BindFrom(*table.right, outer));
  JoinKind kind = static_cast<JoinKind>(table.join_type);
  Scope combined;
  combined.outer = outer;
  combined.columns = left.scope.columns;
  combined.columns.insert(combined.columns.end(), right.scope.columns.begin(),
                          right.scope.columns.end());
  const int left_width = static_cast<int>(left.scope.columns.size());
  std::vector<std::string> using_columns = table.using_columns;
  if (table.natural) {
    for (const ScopeColumn& column : left.scope.columns) {
      for (const ScopeColumn& other : right.scope.columns) {
        if (!column.hidden && !other.hidden && EqualsIgnoreCase(column.name, other.name)) {
          using_columns.push_back(column.name);
        }
      }
    }
  }
  ExprPtr condition;
  std::vector<std::pair<int, int>> using_pairs;
  if (!using_columns.empty()) {
    for (const std::string& name : using_columns) {
      auto find = [&](const Scope& scope) {
        for (size_t i = 0; i < scope.columns.size(); ++i) {
          if (!scope.columns[i].hidden && EqualsIgnoreCase(scope.columns[i].name, name)) {
            return static_cast<int>(i);
          }
        }
        return -1;
      };
      const int l = find(left.scope);
      const int r = find(right.scope);
      if (l < 0 || r < 0) {
        return Status::BindError(fmt::format(
            "[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column {} cannot be resolved on the {} side "
            "of the join.{}",
            internal::QuoteIdentifier(name), l < 0 ? "left" : "right",
            internal::PositionSuffix(table.position)));
      }
      using_pairs.emplace_back(l, r);
      ExprBinder expr_binder(combined, options, eval, binder);
      const ScopeColumn& lc = combined.columns[l];
      const ScopeColumn& rc = combined.columns[left_width + r];
      SLUICE_ASSIGN_OR_RETURN(
          ExprPtr equal,
          expr_binder.CallFunction("=",
                                   {Expression::Column(l, lc.type, lc.nullable),
                                    Expression::Column(left_width + r, rc.type, rc.nullable)},
                                   fmt::format("({} = {})", name, name)));
      condition = condition == nullptr ? equal : Expression::And(condition, equal);
    }
  } else if (table.join_condition != nullptr) {
    ExprBinder expr_binder(combined, options, eval, binder);
    SLUICE_ASSIGN_OR_RETURN(condition, expr_binder.BindCondition(*table.join_condition, "Join"));
  }
  const bool semi_or_anti = kind == JoinKind::kLeftSemi || kind == JoinKind::kLeftAnti;
  Scope output = semi_or_anti ? left.scope : combined;
  for (ScopeColumn& column : output.columns) {
    if (kind == JoinKind::kLeft || kind == JoinKind::kFull) {
      if (&column - output.columns.data() >= left_width) {
        column.nullable = true;
      }
    }
    if ((kind == JoinKind::kRight || kind == JoinKind::kFull) &&
        &column - output.columns.data() < left_width) {
      column.nullable = true;
    }
  }
  SLUICE_ASSIGN_OR_RETURN(PlanPtr plan, MakeJoin(left.plan, right.plan, kind, condition,
                                                 internal::ScopeSchema(output)));
  BoundRelation relation{plan, output};
  if (using_pairs.empty() || semi_or_anti) {
    return relation;
  }
  // USING / NATURAL: the join columns once (coalesced for FULL, unqualified), then every
  // column of both sides, the sides' keys hidden (reachable as a.id, b.id, a.*, b.*).
  std::vector<ExprPtr> exprs;
  Scope projected;
  projected.outer = outer;
  std::vector<bool> used(output.columns.size(), false);
  ExprBinder expr_binder(output, options, eval, binder);
  for (const auto& [l, r] : using_pairs) {
    const int right_index = left_width + r;
    const ScopeColumn& lc = output.columns[l];
    const ScopeColumn& rc = output.columns[right_index];
    ExprPtr value;
    if (kind == JoinKind::kFull) {
      SLUICE_ASSIGN_OR_RETURN(
          value, expr_binder.CallFunction("coalesce",
                                          {Expression::Column(l, lc.type, true),
                                           Expression::Column(right_index, rc.type, true)},
                                          "coalesce"));
    } else if (kind == JoinKind::kRight) {
      value = Expression::Column(right_index, rc.type, rc.nullable);
    } else {
      value = Expression::Column(l, lc.type, lc.nullable);
    }
    exprs.push_back(value);
    projected.columns.push_back({{}, lc.name, value->type(), value->nullable()});
    used[l] = true;
    used[right_index] = true;
  }
  for (size_t i = 0; i < output.columns.size(); ++i) {
    ScopeColumn column = output.columns[i];
    exprs.push_back(Expression::Column(static_cast<int>(i), column.type, column.nullable));
    column.hidden = column.hidden || used[i];
    projected.columns.push_back(std::move(column));
  }
  relation.plan =
      std::make_shared<ProjectNode>(internal::ScopeSchema(projected), plan, std::move(exprs));
  relation.scope = std::move(projected);
  return relation;
}

Result<BoundRelation> Binder::Impl::BindLateralView(const TableRef& table, const Scope* outer) {
  SLUICE_ASSIGN_OR_RETURN(BoundRelation relation, BindFrom(*table.left, outer));
  const ParsedExpr& call = *table.generator;
  const expr::FunctionEntry* entry = call.kind == ExprKind::kFunction && call.window == nullptr
                                         ? expr::FunctionRegistry::Default().Find(call.text)
                                         : nullptr;
  if (entry == nullptr || entry->kind != expr::FunctionKind::kGenerator) {
    return Status::BindError(fmt::format(
        "[UNSUPPORTED_GENERATOR.NOT_GENERATOR] The generator is not supported: {} is expected "
        "to be a generator. However, it is not a generator.{}",
        internal::QuoteIdentifier(PrettyName(call)), internal::PositionSuffix(call.position)));
  }
  ExprBinder arg_binder(relation.scope, options, eval, binder);
  std::vector<ExprPtr> args;
  for (const ParsedExprPtr& child : call.children) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr arg, arg_binder.Bind(*child));
    args.push_back(std::move(arg));
  }
  expr::BindContext context{eval.ansi, eval.time_zone, PrettyName(call)};
  SLUICE_ASSIGN_OR_RETURN(expr::BoundGenerator bound, entry->generator(args, context));
  for (size_t i = 0; i < args.size() && i < bound.arg_types.size(); ++i) {
    if (bound.arg_types[i] != nullptr) {
      args[i] = internal::CastIfNeeded(args[i], bound.arg_types[i]);
    }
  }
  const std::vector<Field>& generated = bound.output_fields;
  if (!table.column_aliases.empty() && table.column_aliases.size() != generated.size()) {
    return Status::BindError(fmt::format(
        "[UDTF_ALIAS_NUMBER_MISMATCH] The number of aliases supplied in the AS clause does not "
        "match the number of columns output by the UDTF. Expected {} aliases, but got {}.{}",
        generated.size(), table.column_aliases.size(), internal::PositionSuffix(call.position)));
  }
  std::vector<Field> fields = relation.plan->schema()->fields();
  for (size_t j = 0; j < generated.size(); ++j) {
    const std::string& name =
        table.column_aliases.empty() ? generated[j].name : table.column_aliases[j];
    fields.push_back(MakeField(name, generated[j].type, true));
    relation.scope.columns.push_back({{table.alias}, name, generated[j].type, true});
  }
  const bool outer_generator =
      table.lateral_outer ||
      (call.text.size() > 6 && EqualsIgnoreCase(call.text.substr(call.text.size() - 6), "_outer"));
  relation.plan =
      std::make_shared<GenerateNode>(MakeSchema(std::move(fields)), relation.plan, std::move(bound),
                                     std::move(args), outer_generator);
  return relation;
}

Result<BoundRelation> Binder::Impl::BindTableFunction(const TableRef& table) {
  const std::string name = table.name.empty() ? std::string() : ToLowerAscii(table.name.back());
  Scope empty;
  if (name == "range") {
    std::vector<int64_t> args;
    for (const ParsedExprPtr& arg : table.function_args) {
      SLUICE_ASSIGN_OR_RETURN(int64_t value,
                              internal::EvaluateInteger(*arg, empty, options, eval, binder, "range",
                                                        /*allow_negative=*/true));
      args.push_back(value);
    }
    if (args.empty() || args.size() > 4) {
      return Status::BindError(fmt::format(
          "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `range` requires [1, 2, 3, 4] parameters but "
          "the actual number is {}.{}",
          args.size(), internal::PositionSuffix(table.position)));
    }
    const int64_t start = args.size() == 1 ? 0 : args[0];
    const int64_t end = args.size() == 1 ? args[0] : args[1];
    const int64_t step = args.size() >= 3 ? args[2] : 1;
    if (step == 0) {
      return Status::BindError("[FAILED_FUNCTION_CALL] range: step cannot be 0.");
    }
    SchemaPtr schema = MakeSchema({MakeField("id", LongType(), false)});
    std::vector<BatchPtr> batches;
    Int64Builder builder(LongType());
    for (int64_t value = start; step > 0 ? value < end : value > end; value += step) {
      builder.Append(value);
      if (builder.length() == kDefaultBatchRows) {
        const int64_t rows = builder.length();
        batches.push_back(
            std::make_shared<Batch>(schema, std::vector<VectorPtr>{builder.Finish()}, rows));
      }
    }
    if (builder.length() > 0 || batches.empty()) {
      const int64_t rows = builder.length();
      batches.push_back(
          std::make_shared<Batch>(schema, std::vector<VectorPtr>{builder.Finish()}, rows));
    }
    BoundRelation relation;
    relation.plan = std::make_shared<ValuesNode>(schema, std::move(batches));
    relation.scope = internal::MakeScope(*schema, {});
    return relation;
  }
  if (name == "table_changes") {
    return BindTableChanges(table);
  }
  if (name == "read_files") {
    return BindReadFiles(table);
  }
  if (name == "read_kafka") {
    // The records between startingOffsets (earliest) and endingOffsets (latest), read
    // now by the engine (the Kafka source lives above the binder).
    SLUICE_ASSIGN_OR_RETURN(const OptionList kafka_options,
                            ResolveReadKafka(table, binder, /*streaming=*/false));
    SLUICE_ASSIGN_OR_RETURN(std::shared_ptr<const InMemoryRelation> data,
                            resolver.ReadTableFunction(name, kafka_options));
    BoundRelation relation;
    relation.plan = std::make_shared<ValuesNode>(data->schema, data->batches);
    relation.scope = internal::MakeScope(*data->schema, {});
    return relation;
  }
  return Status::BindError(fmt::format(
      "[UNRESOLVABLE_TABLE_VALUED_FUNCTION] Could not resolve {} to a table-valued function. "
      "Please make sure that {} is defined as a table-valued function and that all required "
      "parameters are provided correctly.{}",
      internal::QuoteIdentifier(name), internal::QuoteIdentifier(name),
      internal::PositionSuffix(table.position)));
}

}  // namespace sluice::sql
