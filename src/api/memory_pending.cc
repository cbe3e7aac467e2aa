// SPDX-License-Identifier: Apache-2.0
// Rows in memory while the engine cannot register temporary relations yet: every
// registration fails with kNotImplemented. Replaced by memory.cc.
#include "api/api_internal.h"

namespace sluice {

namespace api_internal {

TempRelation::~TempRelation() = default;

Result<std::shared_ptr<const TempRelation>> SessionState::RegisterRows(
    const std::shared_ptr<SessionState>& self, std::string_view prefix, SchemaPtr schema,
    std::vector<BatchPtr> batches) {
  (void)self;
  (void)prefix;
  (void)schema;
  (void)batches;
  return Status::NotImplemented("rows in memory need the engine's temporary relations");
}

}  // namespace api_internal

}  // namespace sluice
