// SPDX-License-Identifier: Apache-2.0
#include "formats/option_map.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "common/ascii.h"
#include "types/datetime.h"

namespace sluice {

OptionMap::OptionMap(const OptionList& options, std::string_view format) : format_(format) {
  for (const auto& [key, value] : options) {
    values_[ToLowerAscii(key)] = value;
  }
}

const std::string* OptionMap::Find(std::string_view key) const {
  auto it = values_.find(ToLowerAscii(key));
  return it == values_.end() ? nullptr : &it->second;
}

Status OptionMap::Invalid(std::string_view key, std::string_view what) const {
  return Status::InvalidArgument(fmt::format("{} option '{}': {}", format_, key, what));
}

Status OptionMap::GetBool(std::string_view key, bool* out) const {
  const std::string* value = Find(key);
  if (value == nullptr) {
    return Status::Ok();
  }
  const std::string lower = ToLowerAscii(*value);
  if (lower != "true" && lower != "false") {
    return Invalid(key, fmt::format("expected true or false, got '{}'", *value));
  }
  *out = lower == "true";
  return Status::Ok();
}

Status OptionMap::GetChar(std::string_view key, char* out) const {
  const std::string* value = Find(key);
  if (value == nullptr) {
    return Status::Ok();
  }
  if (value->size() > 1) {
    return Invalid(key, fmt::format("expected a single (ASCII) character, got '{}'", *value));
  }
  *out = value->empty() ? '\0' : (*value)[0];
  return Status::Ok();
}

Status OptionMap::GetOptionalChar(std::string_view key, std::optional<char>* out) const {
  const std::string* value = Find(key);
  if (value == nullptr || value->empty()) {
    return Status::Ok();
  }
  char c = '\0';
  SLUICE_RETURN_IF_ERROR(GetChar(key, &c));
  *out = c;
  return Status::Ok();
}

Status OptionMap::GetInt(std::string_view key, int64_t* out) const {
  const std::string* value = Find(key);
  if (value == nullptr) {
    return Status::Ok();
  }
  std::string_view digits(*value);
  if (!digits.empty() && digits.front() == '+') {
    digits.remove_prefix(1);  // Integer.parseInt takes a '+'; from_chars does not
  }
  int32_t parsed = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
      (digits.front() == '-' && value->front() == '+')) {
    return Invalid(key, fmt::format("expected an integer, got '{}'", *value));
  }
  *out = parsed;
  return Status::Ok();
}

Status OptionMap::GetRatio(std::string_view key, double* out) const {
  const std::string* value = Find(key);
  if (value == nullptr) {
    return Status::Ok();
  }
  double parsed = 0;
  const char* begin = value->data();
  const char* end = begin + value->size();
  const auto [stop, error] = std::from_chars(begin, end, parsed);
  if (value->empty() || error != std::errc() || stop != end || !std::isfinite(parsed) ||
      !(parsed > 0.0) || parsed > 1.0) {
    return Invalid(key, fmt::format("expected a number in (0, 1], got '{}'", *value));
  }
  *out = parsed;
  return Status::Ok();
}

void OptionMap::GetString(std::string_view key, std::string* out) const {
  if (const std::string* value = Find(key)) {
    *out = *value;
  }
}

void OptionMap::GetString(std::string_view key, std::optional<std::string>* out) const {
  if (const std::string* value = Find(key)) {
    *out = *value;
  }
}

Status OptionMap::GetPattern(std::string_view key, std::optional<std::string>* out) const {
  const std::string* value = Find(key);
  if (value == nullptr) {
    return Status::Ok();
  }
  Result<DateTimePattern> pattern = DateTimePattern::Compile(*value);
  if (!pattern.ok()) {
    return std::move(pattern).status().WithContext(fmt::format("{} option '{}'", format_, key));
  }
  *out = *value;
  return Status::Ok();
}

Status OptionMap::GetMode(std::string_view key, ParseMode* out) const {
  const std::string* value = Find(key);
  if (value == nullptr) {
    return Status::Ok();
  }
  Result<ParseMode> mode = ParseModeFromString(*value);
  if (!mode.ok()) {
    return Invalid(key,
                   fmt::format("expected PERMISSIVE, DROPMALFORMED or FAILFAST, got '{}'", *value));
  }
  *out = *mode;
  return Status::Ok();
}

}  // namespace sluice
