// SPDX-License-Identifier: Apache-2.0
// Rows in memory as temporary relations of the engine session.
#include "api/api_internal.h"

namespace sluice {

namespace api_internal {

TempRelation::~TempRelation() {
  if (std::shared_ptr<SessionState> session = session_.lock()) {
    std::lock_guard<std::recursive_mutex> lock(session->engine_mu);
    session->engine->DropTempRelation(name_);
  }
}

Result<std::shared_ptr<const TempRelation>> SessionState::RegisterRows(
    const std::shared_ptr<SessionState>& self, const std::string& name, SchemaPtr schema,
    std::vector<BatchPtr> batches) {
  auto data = std::make_shared<sql::InMemoryRelation>();
  data->schema = std::move(schema);
  data->batches = std::move(batches);
  {
    std::lock_guard<std::recursive_mutex> lock(engine_mu);
    engine->RegisterTempRelation(name, std::move(data));
  }
  return std::shared_ptr<const TempRelation>(std::make_shared<const TempRelation>(self, name));
}

}  // namespace api_internal

}  // namespace sluice
