// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::engine {

/// Spark's VariableSubstitution (spark.sql.variable.substitute, on by default): every
/// `${name}`, `${spark:name}`, `${sparkconf:name}`, `${hiveconf:name}` and
/// `${hivevar:name}` in the SQL text becomes the value of setting `name`, and
/// `${env:NAME}` the environment variable NAME; a reference to something unset is left
/// as it is. Substitution is textual and happens before parsing, so it works inside
/// string literals: `read_kafka(bootstrapServers => '${kafka.bootstrap}', ...)`.
std::string SubstituteVariables(
    std::string_view sql,
    const std::function<std::optional<std::string>(std::string_view name)>& setting);

}  // namespace sluice::engine
