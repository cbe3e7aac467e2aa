// SPDX-License-Identifier: Apache-2.0
#include "formats/json/json_options.h"

#include "formats/option_map.h"

namespace sluice::json {

Result<JsonReadOptions> JsonReadOptions::FromOptions(const OptionList& options) {
  const OptionMap map(options, "JSON");
  JsonReadOptions result;
  SLUICE_RETURN_IF_ERROR(map.GetMode("mode", &result.mode));
  map.GetString("columnNameOfCorruptRecord", &result.column_name_of_corrupt_record);
  SLUICE_RETURN_IF_ERROR(map.GetPattern("timestampFormat", &result.timestamp_format));
  SLUICE_RETURN_IF_ERROR(map.GetPattern("timestampNTZFormat", &result.timestamp_ntz_format));
  SLUICE_RETURN_IF_ERROR(map.GetPattern("dateFormat", &result.date_format));
  SLUICE_RETURN_IF_ERROR(map.GetBool("primitivesAsString", &result.primitives_as_string));
  SLUICE_RETURN_IF_ERROR(map.GetBool("prefersDecimal", &result.prefers_decimal));
  SLUICE_RETURN_IF_ERROR(map.GetRatio("samplingRatio", &result.sampling_ratio));
  // Anything else is ignored, as Spark ignores options it does not know.
  return result;
}

}  // namespace sluice::json
