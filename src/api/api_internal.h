// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "engine/session.h"
#include "sluice/dataframe.h"
#include "stream/factory.h"

/// The state behind the public handles (Session, DataFrame). Not a public header.
namespace sluice::api_internal {

/// A streaming source of a DataFrame: the name its SQL reads and the source's settings.
struct StreamSource {
  std::string name;
  stream::SourceSpec spec;
  /// The rows' schema when known before the query runs (the name then stands for no
  /// rows in this session, for schema()).
  SchemaPtr schema;
};

/// Rows registered in the engine session under `name` (Session::RegisterTempRelation)
/// for as long as a DataFrame reading them lives; dropped when the last one goes.
class TempRelation {
 public:
  TempRelation(std::weak_ptr<SessionState> session, std::string name)
      : session_(std::move(session)), name_(std::move(name)) {}
  ~TempRelation();
  TempRelation(const TempRelation&) = delete;
  TempRelation& operator=(const TempRelation&) = delete;
  const std::string& name() const { return name_; }

 private:
  std::weak_ptr<SessionState> session_;
  std::string name_;
};

struct SessionState {
  std::unique_ptr<engine::Session> engine;
  /// Serializes this API's calls into the engine session (foreachBatch callbacks run on
  /// the query's thread while the caller's thread may use the session too).
  std::recursive_mutex engine_mu;

  std::mutex mu;  // guards the members below
  /// Temporary views by lower-cased name (their `session` is null).
  std::map<std::string, std::shared_ptr<const DataFrameState>> views;
  int64_t next_id = 0;

  /// A fresh relation name: "<prefix><n>", unique in this session.
  std::string NewName(std::string_view prefix);
  /// Runs a statement holding engine_mu.
  Result<engine::QueryResult> Execute(std::string_view sql);
  /// Registers rows under `name` (from NewName); the returned handle drops them.
  Result<std::shared_ptr<const TempRelation>> RegisterRows(
      const std::shared_ptr<SessionState>& self, const std::string& name, SchemaPtr schema,
      std::vector<BatchPtr> batches);
};

struct DataFrameState {
  std::shared_ptr<SessionState> session;
  /// The query; may end with ORDER BY when `ordered`.
  std::string sql;
  /// The alias that qualifies the columns when the query is wrapped next; empty: none.
  std::string alias;
  bool ordered = false;
  /// When set, `sql` is "SELECT * FROM <from>[ WHERE <where>]" and the next
  /// transformation builds on the FROM clause instead of wrapping the query, so the
  /// qualifiers inside it (a join's sides, a table's name) stay visible.
  std::string from;
  std::string where;
  std::vector<StreamSource> sources;
  /// Temporary relations the query reads.
  std::vector<std::shared_ptr<const TempRelation>> holds;
  Status status;

  mutable std::mutex schema_mu;
  mutable SchemaPtr schema;  // cached by DataFrame::schema()
};

/// A DataFrame holding `status` (an error).
DataFrame ErrorFrame(const std::shared_ptr<SessionState>& session, Status status);
/// A DataFrame over `sql` that reads what `inputs` read (sources, temporary relations).
DataFrame DeriveFrame(std::string sql, const std::vector<const DataFrameState*>& inputs);
/// A DataFrame over `sql` in `session`.
DataFrame NewFrame(const std::shared_ptr<SessionState>& session, std::string sql);
/// "(\n<sql>\n) AS `alias`" with the DataFrame's alias, else `default_alias`.
std::string Subquery(const DataFrameState& state, std::string_view default_alias = "__df");
/// What a transformation selects from: "<from>[ WHERE <where>]" when the state has a
/// FROM clause and no alias, else Subquery(state).
std::string Source(const DataFrameState& state);
/// Quotes a string literal for SQL: 'it\'s'.
std::string QuoteString(std::string_view text);
/// Quotes a table name: a.b -> `a`.`b`.
std::string QuoteName(std::string_view name);
/// `text` with a WITH clause defining the session's temporary views it names; also
/// returns the views' sources and holds through `into`.
std::string InlineViews(SessionState& session, std::string_view text, DataFrameState* into);

}  // namespace sluice::api_internal
