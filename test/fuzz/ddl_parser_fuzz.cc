// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the Spark DDL parser: any input either fails cleanly or parses
// to a schema whose ToDdl() parses back to the same schema.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/check.h"
#include "types/data_type.h"
#include "types/ddl.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  sluice::Result<sluice::SchemaPtr> schema = sluice::ParseDdlSchema(input);
  if (!schema.ok()) {
    SLUICE_CHECK(schema.status().code() == sluice::StatusCode::kParseError ||
                     schema.status().code() == sluice::StatusCode::kNotImplemented,
                 "unexpected error code: {}", schema.status().ToString());
    return 0;
  }
  const std::string ddl = (*schema)->ToDdl();
  sluice::Result<sluice::SchemaPtr> again = sluice::ParseDdlSchema(ddl);
  SLUICE_CHECK(again.ok(), "ToDdl() output does not parse: '{}': {}", ddl,
               again.status().ToString());
  SLUICE_CHECK(**again == **schema, "round trip changed the schema: '{}' became '{}'", ddl,
               (*again)->ToDdl());
  // The type parser agrees with the schema parser on the same columns as a struct.
  sluice::Result<sluice::TypePtr> type = sluice::ParseDdlType((*schema)->struct_type()->ToDdl());
  SLUICE_CHECK(type.ok() && (*type)->Equals(*(*schema)->struct_type()),
               "ParseDdlType disagrees on '{}'", (*schema)->struct_type()->ToDdl());
  return 0;
}
