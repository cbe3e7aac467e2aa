// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ascii.h"  // ToLowerAscii, which the option parsers use with OptionMap
#include "common/status.h"
#include "formats/parse_mode.h"

namespace sluice {

/// Reader and writer options as key/value pairs, in Spark's spelling ("header", "sep").
using OptionList = std::vector<std::pair<std::string, std::string>>;

/// Looks options up by name case-insensitively, as Spark's CaseInsensitiveMap does (the
/// last of a repeated key wins), and parses their values. Every error is kInvalidArgument
/// naming the format and the option: "CSV option 'header': expected true or false, got
/// 'yes'". A Get method leaves its output unchanged when the option is absent.
class OptionMap {
 public:
  /// `format` names the source in messages ("CSV", "JSON").
  OptionMap(const OptionList& options, std::string_view format);

  /// Returns the value of `key`, or nullptr when absent.
  const std::string* Find(std::string_view key) const;

  /// "true" or "false", any case.
  Status GetBool(std::string_view key, bool* out) const;
  /// Spark's getChar: "" gives '\0' (disabled), one byte is taken, more is an error.
  Status GetChar(std::string_view key, char* out) const;
  /// Like GetChar, but "" leaves `out` unset.
  Status GetOptionalChar(std::string_view key, std::optional<char>* out) const;
  /// A 32-bit integer, as Java's Integer.parseInt reads it (an optional sign, digits).
  Status GetInt(std::string_view key, int64_t* out) const;
  /// A number in (0, 1], e.g. samplingRatio.
  Status GetRatio(std::string_view key, double* out) const;
  /// Any text.
  void GetString(std::string_view key, std::string* out) const;
  void GetString(std::string_view key, std::optional<std::string>* out) const;
  /// A Java DateTimeFormatter pattern, checked by compiling it.
  Status GetPattern(std::string_view key, std::optional<std::string>* out) const;
  /// PERMISSIVE, DROPMALFORMED or FAILFAST, any case.
  Status GetMode(std::string_view key, ParseMode* out) const;

  /// Returns kInvalidArgument "<format> option '<key>': <what>".
  Status Invalid(std::string_view key, std::string_view what) const;

 private:
  std::map<std::string, std::string> values_;  // by lower-cased key
  std::string format_;
};

}  // namespace sluice
