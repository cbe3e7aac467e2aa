// SPDX-License-Identifier: Apache-2.0
#include "formats/csv/csv_options.h"

#include <fmt/format.h>

namespace sluice::csv {
namespace {

Status GetSeparator(const OptionMap& map, std::string* out) {
  std::string_view key = "sep";
  const std::string* value = map.Find(key);
  if (value == nullptr) {
    key = "delimiter";
    value = map.Find(key);
  }
  if (value == nullptr) {
    return Status::Ok();
  }
  Result<std::string> sep = ParseDelimiter(*value);
  if (!sep.ok()) {
    return std::move(sep).status().WithContext(fmt::format("CSV option '{}'", key));
  }
  *out = std::move(sep).ValueUnsafe();
  return Status::Ok();
}

Status GetLineSep(const OptionMap& map, std::optional<std::string>* out) {
  const std::string* value = map.Find("lineSep");
  if (value == nullptr) {
    return Status::Ok();
  }
  if (value->empty()) {
    return Status::InvalidArgument("CSV option 'lineSep': cannot be an empty string");
  }
  if (value->size() > 2) {
    return Status::InvalidArgument(
        fmt::format("CSV option 'lineSep': can contain only 1 character, got '{}'", *value));
  }
  *out = *value;
  return Status::Ok();
}

/// Reads the options that reading and writing share (the two structs name them alike).
template <typename Options>
Status GetSharedOptions(const OptionMap& map, Options* options) {
  Options& out = *options;
  SLUICE_RETURN_IF_ERROR(map.GetBool("header", &out.header));
  SLUICE_RETURN_IF_ERROR(GetSeparator(map, &out.sep));
  SLUICE_RETURN_IF_ERROR(map.GetChar("quote", &out.quote));
  SLUICE_RETURN_IF_ERROR(map.GetChar("escape", &out.escape));
  SLUICE_RETURN_IF_ERROR(
      map.GetOptionalChar("charToEscapeQuoteEscaping", &out.char_to_escape_quote_escaping));
  SLUICE_RETURN_IF_ERROR(map.GetChar("comment", &out.comment));
  map.GetString("nullValue", &out.null_value);
  map.GetString("emptyValue", &out.empty_value);
  SLUICE_RETURN_IF_ERROR(map.GetBool("ignoreLeadingWhiteSpace", &out.ignore_leading_white_space));
  SLUICE_RETURN_IF_ERROR(map.GetBool("ignoreTrailingWhiteSpace", &out.ignore_trailing_white_space));
  return Status::Ok();
}

/// Options whose other values this reader does not implement.
Status CheckSupported(const OptionMap& map) {
  for (std::string_view key : {"encoding", "charset"}) {
    if (const std::string* value = map.Find(key)) {
      const std::string lower = ToLowerAscii(*value);
      if (lower != "utf-8" && lower != "utf8") {
        return Status::NotImplemented(
            fmt::format("CSV option '{}': only UTF-8 is supported, got '{}'", key, *value));
      }
    }
  }
  if (const std::string* value = map.Find("timeZone")) {
    const std::string lower = ToLowerAscii(*value);
    if (lower != "utc" && lower != "z" && lower != "gmt" && lower != "etc/utc" &&
        lower != "+00:00") {
      return Status::NotImplemented(fmt::format(
          "CSV option 'timeZone': only UTC is supported (the session time zone), got '{}'",
          *value));
    }
  }
  if (const std::string* value = map.Find("locale")) {
    const std::string lower = ToLowerAscii(*value);
    if (lower != "en-us") {
      return Status::NotImplemented(
          fmt::format("CSV option 'locale': only en-US is supported, got '{}'", *value));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> ParseDelimiter(std::string_view value) {
  if (value.empty()) {
    return Status::InvalidArgument("delimiter cannot be an empty string");
  }
  std::string out;
  size_t i = 0;
  while (i < value.size()) {
    if (value[i] != '\\') {
      out.push_back(value[i]);
      ++i;
      continue;
    }
    if (i + 1 >= value.size()) {
      return Status::InvalidArgument(
          "a single backslash is prohibited in a delimiter: it starts an escape sequence; "
          "pass two backslashes for a backslash");
    }
    const char next = value[i + 1];
    switch (next) {
      case 't':
        out.push_back('\t');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case '"':
      case '\'':
      case '\\':
        out.push_back(next);
        break;
      default:
        return Status::InvalidArgument(fmt::format(
            "unsupported special character for delimiter: '\\{}'", std::string(1, next)));
    }
    i += 2;
  }
  return out;
}

Result<CsvReadOptions> CsvReadOptions::FromOptions(const OptionList& options) {
  const OptionMap map(options, "CSV");
  SLUICE_RETURN_IF_ERROR(CheckSupported(map));
  CsvReadOptions out;
  SLUICE_RETURN_IF_ERROR(GetSharedOptions(map, &out));
  map.GetString("nanValue", &out.nan_value);
  map.GetString("positiveInf", &out.positive_inf);
  map.GetString("negativeInf", &out.negative_inf);
  SLUICE_RETURN_IF_ERROR(map.GetBool("multiLine", &out.multi_line));
  SLUICE_RETURN_IF_ERROR(map.GetMode("mode", &out.mode));
  map.GetString("columnNameOfCorruptRecord", &out.column_name_of_corrupt_record);
  SLUICE_RETURN_IF_ERROR(map.GetBool("inferSchema", &out.infer_schema));
  SLUICE_RETURN_IF_ERROR(map.GetRatio("samplingRatio", &out.sampling_ratio));
  SLUICE_RETURN_IF_ERROR(map.GetBool("preferDate", &out.prefers_date));
  SLUICE_RETURN_IF_ERROR(map.GetBool("prefersDate", &out.prefers_date));
  SLUICE_RETURN_IF_ERROR(map.GetPattern("timestampFormat", &out.timestamp_format));
  SLUICE_RETURN_IF_ERROR(map.GetPattern("timestampNTZFormat", &out.timestamp_ntz_format));
  SLUICE_RETURN_IF_ERROR(map.GetPattern("dateFormat", &out.date_format));
  if (map.Find("enableDateTimeParsingFallback") != nullptr) {
    bool fallback = false;
    SLUICE_RETURN_IF_ERROR(map.GetBool("enableDateTimeParsingFallback", &fallback));
    out.enable_date_time_parsing_fallback = fallback;
  }
  SLUICE_RETURN_IF_ERROR(map.GetBool("enforceSchema", &out.enforce_schema));
  SLUICE_RETURN_IF_ERROR(GetLineSep(map, &out.line_sep));
  SLUICE_RETURN_IF_ERROR(map.GetInt("maxColumns", &out.max_columns));
  SLUICE_RETURN_IF_ERROR(map.GetInt("maxCharsPerColumn", &out.max_chars_per_column));
  SLUICE_RETURN_IF_ERROR(map.GetInt("batchRows", &out.batch_rows));
  if (out.batch_rows <= 0) {
    return Status::InvalidArgument(
        fmt::format("CSV option 'batchRows': expected a positive number, got {}", out.batch_rows));
  }
  if (const std::string* handling = map.Find("unescapedQuoteHandling")) {
    const std::string lower = ToLowerAscii(*handling);
    if (lower == "stop_at_closing_quote" || lower == "back_to_delimiter" || lower == "skip_value" ||
        lower == "raise_error") {
      return Status::NotImplemented(fmt::format(
          "CSV option 'unescapedQuoteHandling': only STOP_AT_DELIMITER is supported, got '{}'",
          *handling));
    }
    if (lower != "stop_at_delimiter") {
      return Status::InvalidArgument(
          fmt::format("CSV option 'unescapedQuoteHandling': unknown value '{}'", *handling));
    }
  }
  SLUICE_RETURN_IF_ERROR(out.Validate());
  return out;
}

Status CsvReadOptions::Validate() const {
  if (sep.empty()) {
    return Status::InvalidArgument("CSV option 'sep': delimiter cannot be an empty string");
  }
  if (line_sep.has_value() && (line_sep->empty() || line_sep->size() > 2)) {
    return Status::InvalidArgument(
        fmt::format("CSV option 'lineSep': expected 1 or 2 characters, got '{}'", *line_sep));
  }
  if (!(sampling_ratio > 0.0) || sampling_ratio > 1.0) {
    return Status::InvalidArgument(fmt::format(
        "CSV option 'samplingRatio': expected a number in (0, 1], got {}", sampling_ratio));
  }
  if (max_columns <= 0) {
    return Status::InvalidArgument(
        fmt::format("CSV option 'maxColumns': expected a positive number, got {}", max_columns));
  }
  if (batch_bytes <= 0 || batch_bytes > (int64_t{1} << 30)) {
    return Status::InvalidArgument(
        fmt::format("CSV reader: batch_bytes must be in [1, 2^30], got {}", batch_bytes));
  }
  if (batch_rows <= 0) {
    return Status::InvalidArgument(
        fmt::format("CSV option 'batchRows': expected a positive number, got {}", batch_rows));
  }
  return Status::Ok();
}

Result<CsvWriteOptions> CsvWriteOptions::FromOptions(const OptionList& options) {
  const OptionMap map(options, "CSV");
  SLUICE_RETURN_IF_ERROR(CheckSupported(map));
  CsvWriteOptions out;
  SLUICE_RETURN_IF_ERROR(GetSharedOptions(map, &out));
  SLUICE_RETURN_IF_ERROR(map.GetBool("quoteAll", &out.quote_all));
  SLUICE_RETURN_IF_ERROR(map.GetBool("escapeQuotes", &out.escape_quotes));
  std::optional<std::string> pattern;
  SLUICE_RETURN_IF_ERROR(map.GetPattern("timestampFormat", &pattern));
  if (pattern.has_value()) {
    out.timestamp_format = *std::exchange(pattern, std::nullopt);
  }
  SLUICE_RETURN_IF_ERROR(map.GetPattern("timestampNTZFormat", &pattern));
  if (pattern.has_value()) {
    out.timestamp_ntz_format = *std::exchange(pattern, std::nullopt);
  }
  SLUICE_RETURN_IF_ERROR(map.GetPattern("dateFormat", &pattern));
  if (pattern.has_value()) {
    out.date_format = *pattern;
  }
  std::optional<std::string> line_sep;
  SLUICE_RETURN_IF_ERROR(GetLineSep(map, &line_sep));
  if (line_sep.has_value()) {
    out.line_sep = *line_sep;
  }
  for (std::string_view key : {"compression", "codec"}) {
    if (const std::string* value = map.Find(key)) {
      const std::string lower = ToLowerAscii(*value);
      if (lower != "none" && lower != "uncompressed") {
        return Status::NotImplemented(fmt::format(
            "CSV option '{}': compressed output is not supported, got '{}'", key, *value));
      }
    }
  }
  return out;
}

}  // namespace sluice::csv
