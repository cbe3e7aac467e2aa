// SPDX-License-Identifier: Apache-2.0
#include "engine/variable_substitution.h"

#include <array>
#include <cstdlib>

namespace sluice::engine {

std::string SubstituteVariables(
    std::string_view sql,
    const std::function<std::optional<std::string>(std::string_view name)>& setting) {
  static constexpr std::array<std::string_view, 4> kConfPrefixes = {
      "spark:", "sparkconf:", "hiveconf:", "hivevar:"};
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t open = sql.find("${", pos);
    size_t close = open == std::string_view::npos ? open : sql.find('}', open + 2);
    if (close == std::string_view::npos)
      break;
    std::string_view name = sql.substr(open + 2, close - open - 2);
    std::optional<std::string> value;
    if (name.starts_with("env:")) {
      std::string variable(name.substr(4));
      if (const char* env = std::getenv(variable.c_str()))
        value = env;
    } else {
      for (std::string_view prefix : kConfPrefixes) {
        if (name.starts_with(prefix)) {
          name.remove_prefix(prefix.size());
          break;
        }
      }
      value = setting(name);
    }
    out.append(sql.substr(pos, open - pos));
    if (value.has_value()) {
      out.append(*value);
    } else {
      out.append(sql.substr(open, close + 1 - open));
    }
    pos = close + 1;
  }
  out.append(sql.substr(pos));
  return out;
}

}  // namespace sluice::engine
