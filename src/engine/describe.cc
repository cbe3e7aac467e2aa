// SPDX-License-Identifier: Apache-2.0
// SHOW, DESCRIBE and EXPLAIN.
#include <fmt/format.h>

#include <algorithm>

#include "columnar/builder.h"
#include "common/ascii.h"
#include "common/json.h"
#include "delta/snapshot.h"
#include "engine/session_internal.h"
#include "sql/optimizer.h"

namespace sluice::engine {

namespace {

using sql::Statement;

/// SQL LIKE-style pattern of SHOW ... LIKE: `*` matches anything, `|` separates
/// alternatives (Spark's legacy pattern), case-insensitive.
bool MatchesPattern(std::string_view name, std::string_view pattern) {
  if (pattern.empty()) {
    return true;
  }
  size_t start = 0;
  while (start <= pattern.size()) {
    size_t bar = pattern.find('|', start);
    std::string_view alternative =
        pattern.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    // Glob match with '*'.
    std::string text = ToLowerAscii(name);
    std::string glob = ToLowerAscii(alternative);
    size_t t = 0;
    size_t g = 0;
    size_t star = std::string::npos;
    size_t mark = 0;
    while (t < text.size()) {
      if (g < glob.size() && (glob[g] == text[t] || glob[g] == '%')) {
        if (glob[g] == '%') {
          star = g++;
          mark = t;
          continue;
        }
        ++t;
        ++g;
      } else if (g < glob.size() && glob[g] == '*') {
        star = g++;
        mark = t;
      } else if (star != std::string::npos) {
        g = star + 1;
        t = ++mark;
      } else {
        break;
      }
    }
    while (g < glob.size() && (glob[g] == '*' || glob[g] == '%')) {
      ++g;
    }
    if (t == text.size() && g == glob.size()) {
      return true;
    }
    if (bar == std::string_view::npos) {
      break;
    }
    start = bar + 1;
  }
  return false;
}

std::optional<std::string> FieldComment(const Field& field) {
  for (const auto& [key, value] : field.metadata) {
    if (key == "comment") {
      Result<JsonValue> parsed = JsonValue::Parse(value);
      return parsed.ok() && parsed->is_string() ? parsed->text() : value;
    }
  }
  return std::nullopt;
}

void AppendStringMap(const std::vector<std::pair<std::string, std::string>>& entries,
                     MapBuilder* builder) {
  for (const auto& [key, value] : entries) {
    static_cast<StringBuilder*>(builder->keys())->Append(key);
    static_cast<StringBuilder*>(builder->values())->Append(value);
  }
  builder->Append();
}

std::vector<std::pair<std::string, std::string>> JsonObjectEntries(const JsonValue* object) {
  std::vector<std::pair<std::string, std::string>> entries;
  if (object == nullptr || !object->is_object()) {
    return entries;
  }
  for (const auto& [key, value] : object->members()) {
    entries.emplace_back(key, value.is_string() ? value.text() : value.Serialize());
  }
  return entries;
}

}  // namespace

Result<QueryResult> Session::Impl::RunShow(const Statement& statement) {
  switch (statement.kind) {
    case sql::StatementKind::kShowDatabases: {
      SLUICE_ASSIGN_OR_RETURN(std::vector<catalog::DatabaseEntry> databases,
                              catalog->ListDatabases());
      std::vector<StringRow> rows;
      for (const catalog::DatabaseEntry& database : databases) {
        if (MatchesPattern(database.name, statement.pattern)) {
          rows.push_back({database.name});
        }
      }
      return StringRows({"namespace"}, rows);
    }
    case sql::StatementKind::kShowTables: {
      const std::string database =
          statement.database.empty() ? current_database : ToLowerAscii(statement.database);
      SLUICE_ASSIGN_OR_RETURN(std::vector<catalog::TableEntry> tables,
                              catalog->ListTables(database));
      std::vector<StringRow> rows;
      for (const catalog::TableEntry& table : tables) {
        if (MatchesPattern(table.name, statement.pattern)) {
          rows.push_back({table.database, table.name, "false"});
        }
      }
      QueryResult result = StringRows({"namespace", "tableName", "isTemporary"}, rows);
      return result;
    }
    default:
      break;
  }
  CatalogResolver resolver(*catalog, current_database, &temp_relations);
  sql::Binder binder(resolver, MakeBinderOptions());
  std::string display;
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot,
                          binder.LoadTable(*statement.table, &display));
  if (statement.kind == sql::StatementKind::kShowColumns) {
    std::vector<StringRow> rows;
    for (const Field& field : snapshot->schema()->fields()) {
      rows.push_back({field.name});
    }
    return StringRows({"col_name"}, rows);
  }
  // SHOW TBLPROPERTIES: the table's configuration plus the protocol versions, as Delta.
  std::vector<std::pair<std::string, std::string>> properties;
  for (const auto& [key, value] : snapshot->metadata().configuration) {
    properties.emplace_back(key, value);
  }
  const delta::Protocol& protocol = snapshot->protocol();
  properties.emplace_back("delta.minReaderVersion", std::to_string(protocol.min_reader_version));
  properties.emplace_back("delta.minWriterVersion", std::to_string(protocol.min_writer_version));
  std::sort(properties.begin(), properties.end());
  std::vector<StringRow> rows;
  if (!statement.property_keys.empty()) {
    for (const std::string& key : statement.property_keys) {
      auto it = std::find_if(properties.begin(), properties.end(),
                             [&](const auto& entry) { return entry.first == key; });
      rows.push_back({key, it != properties.end()
                               ? it->second
                               : fmt::format("Table {} does not have property: {}", display, key)});
    }
  } else {
    for (const auto& [key, value] : properties) {
      rows.push_back({key, value});
    }
  }
  return StringRows({"key", "value"}, rows);
}

Result<QueryResult> Session::Impl::RunDescribe(const Statement& statement) {
  CatalogResolver resolver(*catalog, current_database, &temp_relations);
  sql::Binder binder(resolver, MakeBinderOptions());
  if (statement.kind == sql::StatementKind::kDescribeQuery) {
    SLUICE_ASSIGN_OR_RETURN(sql::BoundQuery bound, PlanQuery(*statement.query, binder));
    std::vector<StringRow> rows;
    for (const Field& field : bound.plan->schema()->fields()) {
      rows.push_back({field.name, field.type->ToString(), FieldComment(field)});
    }
    return StringRows({"col_name", "data_type", "comment"}, rows);
  }
  std::string display;
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot,
                          binder.LoadTable(*statement.table, &display));
  if (statement.kind == sql::StatementKind::kDescribeTable) {
    std::vector<StringRow> rows;
    for (const Field& field : snapshot->schema()->fields()) {
      rows.push_back({field.name, field.type->ToString(), FieldComment(field)});
    }
    const auto& partitions = snapshot->partition_columns();
    if (!partitions.empty()) {
      rows.push_back({"# Partition Information", "", ""});
      rows.push_back({"# col_name", "data_type", "comment"});
      for (const std::string& name : partitions) {
        const int index = snapshot->schema()->FieldIndex(name);
        const Field& field = snapshot->schema()->field(index);
        rows.push_back({field.name, field.type->ToString(), FieldComment(field)});
      }
    }
    if (statement.extended) {
      rows.push_back({"", "", ""});
      rows.push_back({"# Detailed Table Information", "", ""});
      rows.push_back({"Name", display, ""});
      rows.push_back({"Type", "MANAGED", ""});
      rows.push_back({"Location", snapshot->table_root(), ""});
      rows.push_back({"Provider", "delta", ""});
      std::string properties;
      for (const auto& [key, value] : snapshot->metadata().configuration) {
        properties += fmt::format("{}{}={}", properties.empty() ? "" : ",", key, value);
      }
      rows.push_back({"Table Properties", "[" + properties + "]", ""});
    }
    return StringRows({"col_name", "data_type", "comment"}, rows);
  }
  if (statement.kind == sql::StatementKind::kDescribeDetail) {
    SchemaPtr schema = MakeSchema(
        {MakeField("format", StringType()), MakeField("id", StringType()),
         MakeField("name", StringType()), MakeField("description", StringType()),
         MakeField("location", StringType()), MakeField("createdAt", TimestampType()),
         MakeField("lastModified", TimestampType()),
         MakeField("partitionColumns", ArrayType(StringType())), MakeField("numFiles", LongType()),
         MakeField("sizeInBytes", LongType()),
         MakeField("properties", MapType(StringType(), StringType())),
         MakeField("minReaderVersion", IntType()), MakeField("minWriterVersion", IntType()),
         MakeField("tableFeatures", ArrayType(StringType()))});
    BatchBuilder builder(schema);
    const delta::Metadata& metadata = snapshot->metadata();
    auto string_column = [&](int index) {
      return static_cast<StringBuilder*>(builder.column(index));
    };
    string_column(0)->Append("delta");
    string_column(1)->Append(metadata.id);
    string_column(2)->Append(display);
    if (metadata.description) {
      string_column(3)->Append(*metadata.description);
    } else {
      string_column(3)->AppendNull();
    }
    string_column(4)->Append(snapshot->table_root());
    auto* created = static_cast<Int64Builder*>(builder.column(5));
    if (metadata.created_time) {
      created->Append(*metadata.created_time * 1000);
    } else {
      created->AppendNull();
    }
    static_cast<Int64Builder*>(builder.column(6))->Append(snapshot->timestamp_millis() * 1000);
    auto* partitions = static_cast<ArrayBuilder*>(builder.column(7));
    for (const std::string& name : metadata.partition_columns) {
      static_cast<StringBuilder*>(partitions->element())->Append(name);
    }
    partitions->Append();
    static_cast<Int64Builder*>(builder.column(8))
        ->Append(static_cast<int64_t>(snapshot->files().size()));
    static_cast<Int64Builder*>(builder.column(9))->Append(snapshot->size_in_bytes());
    AppendStringMap(metadata.configuration, static_cast<MapBuilder*>(builder.column(10)));
    const delta::Protocol& protocol = snapshot->protocol();
    static_cast<Int32Builder*>(builder.column(11))->Append(protocol.min_reader_version);
    static_cast<Int32Builder*>(builder.column(12))->Append(protocol.min_writer_version);
    auto* features = static_cast<ArrayBuilder*>(builder.column(13));
    std::vector<std::string> names;
    for (const auto* list : {&protocol.reader_features, &protocol.writer_features}) {
      if (list->has_value()) {
        for (const std::string& feature : **list) {
          if (std::find(names.begin(), names.end(), feature) == names.end()) {
            names.push_back(feature);
          }
        }
      }
    }
    std::sort(names.begin(), names.end());
    for (const std::string& feature : names) {
      static_cast<StringBuilder*>(features->element())->Append(feature);
    }
    features->Append();
    QueryResult result;
    result.schema = schema;
    result.batches.push_back(builder.Finish());
    result.has_rows = true;
    return result;
  }
  // DESCRIBE HISTORY.
  std::optional<int64_t> limit;
  if (statement.limit != nullptr) {
    limit = std::strtoll(statement.limit->text.c_str(), nullptr, 10);
  }
  SLUICE_ASSIGN_OR_RETURN(
      std::vector<delta::CommitRecord> history,
      delta::ReadHistory(snapshot->table_root(), LocalFileSystem::Default(), limit));
  SchemaPtr schema =
      MakeSchema({MakeField("version", LongType()), MakeField("timestamp", TimestampType()),
                  MakeField("operation", StringType()),
                  MakeField("operationParameters", MapType(StringType(), StringType())),
                  MakeField("readVersion", LongType()), MakeField("isolationLevel", StringType()),
                  MakeField("isBlindAppend", BooleanType()),
                  MakeField("operationMetrics", MapType(StringType(), StringType())),
                  MakeField("userMetadata", StringType()), MakeField("engineInfo", StringType())});
  BatchBuilder builder(schema);
  for (const delta::CommitRecord& commit : history) {
    const JsonValue& info = commit.info.value;
    static_cast<Int64Builder*>(builder.column(0))->Append(commit.version);
    static_cast<Int64Builder*>(builder.column(1))->Append(commit.timestamp_millis * 1000);
    static_cast<StringBuilder*>(builder.column(2))->Append(commit.info.operation());
    AppendStringMap(JsonObjectEntries(info.Find("operationParameters")),
                    static_cast<MapBuilder*>(builder.column(3)));
    const JsonValue* read_version = info.Find("readVersion");
    if (read_version != nullptr && read_version->is_number()) {
      static_cast<Int64Builder*>(builder.column(4))->Append(read_version->AsInt64().ValueOr(0));
    } else {
      builder.column(4)->AppendNull();
    }
    auto append_string = [&](int column, const char* key) {
      const JsonValue* value = info.Find(key);
      if (value != nullptr && value->is_string()) {
        static_cast<StringBuilder*>(builder.column(column))->Append(value->text());
      } else {
        builder.column(column)->AppendNull();
      }
    };
    append_string(5, "isolationLevel");
    const JsonValue* blind = info.Find("isBlindAppend");
    if (blind != nullptr && blind->is_bool()) {
      static_cast<BooleanBuilder*>(builder.column(6))->Append(blind->bool_value());
    } else {
      builder.column(6)->AppendNull();
    }
    AppendStringMap(JsonObjectEntries(info.Find("operationMetrics")),
                    static_cast<MapBuilder*>(builder.column(7)));
    append_string(8, "userMetadata");
    append_string(9, "engineInfo");
  }
  QueryResult result;
  result.schema = schema;
  result.batches.push_back(builder.Finish());
  result.has_rows = true;
  result.ordered = true;
  return result;
}

Result<QueryResult> Session::Impl::RunExplain(const Statement& statement) {
  const Statement& explained = *statement.explained;
  const sql::QueryNode* query = explained.query.get();
  if (query == nullptr) {
    return Status::NotImplemented(
        "[UNSUPPORTED_FEATURE] EXPLAIN is supported for queries, INSERT and CREATE TABLE AS "
        "SELECT.");
  }
  CatalogResolver resolver(*catalog, current_database, &temp_relations);
  sql::Binder binder(resolver, MakeBinderOptions());
  SLUICE_ASSIGN_OR_RETURN(sql::BoundQuery bound, binder.BindQuery(*query));
  std::string text;
  if (statement.explain_mode == "extended") {
    text += "== Analyzed Logical Plan ==\n" + bound.plan->ToString() + "\n";
  }
  SLUICE_ASSIGN_OR_RETURN(sql::PlanPtr optimized, sql::Optimize(bound.plan, binder.eval_context()));
  if (statement.explain_mode == "extended") {
    text += "== Optimized Logical Plan ==\n" + optimized->ToString() + "\n";
  }
  text += "== Physical Plan ==\n" + optimized->ToString();
  return StringRows({"plan"}, {{text}});
}

}  // namespace sluice::engine
