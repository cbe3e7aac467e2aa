// SPDX-License-Identifier: Apache-2.0
// Session, its builder, spark.read and spark.conf, and the helpers DataFrames share.
#include "sluice/session.h"

#include <fmt/format.h>

#include <cctype>

#include "api/api_internal.h"
#include "common/ascii.h"
#include "sql/parser.h"

namespace sluice {

namespace api_internal {

std::string SessionState::NewName(std::string_view prefix) {
  std::lock_guard<std::mutex> lock(mu);
  return fmt::format("{}{}", prefix, next_id++);
}

Result<engine::QueryResult> SessionState::Execute(std::string_view sql) {
  std::lock_guard<std::recursive_mutex> lock(engine_mu);
  return engine->Execute(sql);
}

DataFrame ErrorFrame(const std::shared_ptr<SessionState>& session, Status status) {
  auto state = std::make_shared<DataFrameState>();
  state->session = session;
  state->status = std::move(status);
  return DataFrame(std::move(state));
}

DataFrame NewFrame(const std::shared_ptr<SessionState>& session, std::string sql) {
  auto state = std::make_shared<DataFrameState>();
  state->session = session;
  state->sql = std::move(sql);
  return DataFrame(std::move(state));
}

DataFrame DeriveFrame(std::string sql, const std::vector<const DataFrameState*>& inputs) {
  auto state = std::make_shared<DataFrameState>();
  state->sql = std::move(sql);
  for (const DataFrameState* input : inputs) {
    if (state->session == nullptr) {
      state->session = input->session;
    }
    state->sources.insert(state->sources.end(), input->sources.begin(), input->sources.end());
    state->holds.insert(state->holds.end(), input->holds.begin(), input->holds.end());
  }
  return DataFrame(std::move(state));
}

std::string Subquery(const DataFrameState& state, std::string_view default_alias) {
  return fmt::format("(\n{}\n) AS {}", state.sql,
                     QuoteIdentifier(state.alias.empty() ? default_alias : state.alias));
}

std::string Source(const DataFrameState& state) {
  if (state.from.empty() || !state.alias.empty()) {
    return Subquery(state);
  }
  return state.where.empty() ? state.from : fmt::format("{} WHERE {}", state.from, state.where);
}

std::string QuoteString(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "'";
}

std::string QuoteName(std::string_view name) {
  return col(name).sql();
}

namespace {

/// Whether `text` holds `word` as a whole identifier (case-insensitive).
bool MentionsWord(std::string_view text, std::string_view word) {
  const std::string lower_text = ToLowerAscii(text);
  const std::string lower_word = ToLowerAscii(word);
  auto is_ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t at = lower_text.find(lower_word); at != std::string::npos;
       at = lower_text.find(lower_word, at + 1)) {
    const size_t end = at + lower_word.size();
    if ((at == 0 || !is_ident(lower_text[at - 1])) &&
        (end == lower_text.size() || !is_ident(lower_text[end]))) {
      return true;
    }
  }
  return false;
}

/// The position after a leading WITH keyword (after white space), or npos.
size_t AfterLeadingWith(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) {
    ++i;
  }
  if (text.size() >= i + 5 && EqualsIgnoreCase(text.substr(i, 4), "with") &&
      std::isspace(static_cast<unsigned char>(text[i + 4]))) {
    return i + 4;
  }
  return std::string_view::npos;
}

}  // namespace

std::string InlineViews(SessionState& session, std::string_view text, DataFrameState* into) {
  std::vector<std::pair<std::string, std::shared_ptr<const DataFrameState>>> used;
  {
    std::lock_guard<std::mutex> lock(session.mu);
    for (const auto& [name, view] : session.views) {
      if (MentionsWord(text, name)) {
        used.emplace_back(name, view);
      }
    }
  }
  if (used.empty()) {
    return std::string(text);
  }
  std::string ctes;
  for (const auto& [name, view] : used) {
    ctes +=
        fmt::format("{}{} AS (\n{}\n)", ctes.empty() ? "" : ", ", QuoteIdentifier(name), view->sql);
    into->sources.insert(into->sources.end(), view->sources.begin(), view->sources.end());
    into->holds.insert(into->holds.end(), view->holds.begin(), view->holds.end());
  }
  const size_t after_with = AfterLeadingWith(text);
  if (after_with != std::string_view::npos) {
    return fmt::format("WITH {},\n{}", ctes, text.substr(after_with));
  }
  return fmt::format("WITH {}\n{}", ctes, text);
}

}  // namespace api_internal

using api_internal::SessionState;

Session::Builder& Session::Builder::warehouse(std::string_view dir) {
  options_.warehouse_dir = std::string(dir);
  return *this;
}
Session::Builder& Session::Builder::config(std::string_view key, std::string_view value) {
  options_.settings[std::string(key)] = std::string(value);
  return *this;
}
Session::Builder& Session::Builder::threads(int num_threads) {
  options_.num_threads = num_threads;
  return *this;
}
Session::Builder& Session::Builder::appName(std::string_view name) {
  (void)name;
  return *this;
}
Result<Session> Session::Builder::getOrCreate() {
  return Session::Open(options_);
}

Result<Session> Session::Open(SessionOptions options) {
  engine::SessionOptions engine_options;
  engine_options.warehouse_dir = std::move(options.warehouse_dir);
  engine_options.num_threads = options.num_threads;
  engine_options.settings = std::move(options.settings);
  auto state = std::make_shared<SessionState>();
  SLUICE_ASSIGN_OR_RETURN(state->engine, engine::Session::Open(std::move(engine_options)));
  return Session(std::move(state));
}

engine::Session& Session::engine() const {
  return *state_->engine;
}

namespace {

std::string_view TrimStatement(std::string_view text) {
  while (!text.empty() &&
         (std::isspace(static_cast<unsigned char>(text.back())) || text.back() == ';')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

Result<DataFrame> Session::sql(std::string_view text) {
  text = TrimStatement(text);
  SLUICE_ASSIGN_OR_RETURN(sql::StatementPtr statement, sql::ParseStatement(text));
  if (statement->kind == sql::StatementKind::kQuery) {
    auto state = std::make_shared<api_internal::DataFrameState>();
    state->session = state_;
    state->sql = api_internal::InlineViews(*state_, text, state.get());
    return DataFrame(std::move(state));
  }
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult result, state_->Execute(text));
  if (!result.has_rows || result.schema == nullptr || result.schema->num_fields() == 0) {
    return api_internal::NewFrame(state_, "SELECT 1 AS `result` WHERE false");
  }
  return createDataFrame(result.schema, std::move(result.batches));
}

DataFrame Session::table(std::string_view name) const {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    auto it = state_->views.find(ToLowerAscii(name));
    if (it != state_->views.end()) {
      auto view = std::make_shared<api_internal::DataFrameState>();
      view->session = state_;
      view->sql = it->second->sql;
      view->ordered = it->second->ordered;
      view->sources = it->second->sources;
      view->holds = it->second->holds;
      view->alias = it->first;
      return DataFrame(std::move(view));
    }
  }
  auto state = std::make_shared<api_internal::DataFrameState>();
  state->session = state_;
  // Built on as a FROM clause, so columns stay qualified by the table's name.
  state->from = api_internal::QuoteName(name);
  state->sql = "SELECT * FROM " + state->from;
  return DataFrame(std::move(state));
}

DataFrame Session::range(int64_t start, int64_t end, int64_t step) const {
  return api_internal::NewFrame(state_,
                                fmt::format("SELECT * FROM range({}, {}, {})", start, end, step));
}

Status RuntimeConfig::set(std::string_view key, std::string_view value) {
  return session_->Execute(fmt::format("SET {} = {}", key, value)).status();
}

std::string RuntimeConfig::get(std::string_view key) const {
  std::lock_guard<std::recursive_mutex> lock(session_->engine_mu);
  return session_->engine->GetSetting(key);
}

}  // namespace sluice
