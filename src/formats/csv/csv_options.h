// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "formats/option_map.h"
#include "formats/parse_mode.h"

namespace sluice::csv {

/// How Spark's CSV source reads: the options of `spark.read.csv` with Spark's defaults.
/// Single-character options hold one byte; '\0' means "disabled" (Spark's '\u0000').
struct CsvReadOptions {
  /// The first record (after blank and comment lines) holds column names and is skipped.
  bool header = false;
  /// The field separator ("sep" or "delimiter"); may be several bytes (Spark 3+).
  std::string sep = ",";
  /// The quote byte; '\0' disables quoting ("quote" set to "").
  char quote = '"';
  /// The byte that escapes a quote inside a quoted value.
  char escape = '\\';
  /// The byte that escapes the escape byte inside a quoted value
  /// ("charToEscapeQuoteEscaping"); unset means `escape` itself, or none when escape ==
  /// quote.
  std::optional<char> char_to_escape_quote_escaping;
  /// Lines starting with this byte are skipped; '\0' disables comments (Spark's default).
  char comment = '\0';
  /// A field equal to this (after unquoting) is null, for every column type.
  std::string null_value;
  /// What a quoted empty field ("") reads as.
  std::string empty_value;
  /// Special floating-point spellings for float and double columns.
  std::string nan_value = "NaN";
  std::string positive_inf = "Inf";
  std::string negative_inf = "-Inf";
  /// Trim white space (bytes <= ' ') around unquoted values and before an opening quote.
  bool ignore_leading_white_space = false;
  bool ignore_trailing_white_space = false;
  /// Quoted values may span lines; otherwise every line is a record.
  bool multi_line = false;
  ParseMode mode = ParseMode::kPermissive;
  /// The string column that receives the raw text of malformed records, when the schema
  /// has a column of this name.
  std::string column_name_of_corrupt_record = std::string(kDefaultCorruptRecordColumn);
  /// Infer column types (otherwise every column is a string).
  bool infer_schema = false;
  /// Fraction of records used for inference, in (0, 1].
  double sampling_ratio = 1.0;
  /// Infer date columns (with `date_format`, default "yyyy-MM-dd") before timestamps:
  /// Spark's "prefersDate" ("preferDate" is accepted as well).
  bool prefers_date = true;
  /// Java DateTimeFormatter patterns; unset means Spark's lenient CAST-like parsing.
  std::optional<std::string> timestamp_format;
  std::optional<std::string> timestamp_ntz_format;
  std::optional<std::string> date_format;
  /// Whether a value that does not match a user-given date/timestamp pattern is tried
  /// with the lenient parser; unset means "only when no pattern was given".
  std::optional<bool> enable_date_time_parsing_fallback;
  /// With a schema and a header: true ignores the header's names; false checks them
  /// against the schema (case-insensitively) and fails on a mismatch.
  bool enforce_schema = true;
  /// The record separator (1 or 2 bytes); unset means any of "\n", "\r\n", "\r".
  std::optional<std::string> line_sep;
  /// A record with more fields than this is malformed (Spark's "maxColumns").
  int64_t max_columns = 20480;
  /// A field longer than this many bytes makes its record malformed; -1: no limit.
  int64_t max_chars_per_column = -1;
  /// Rows per output batch (not a Spark option; "batchRows" sets it).
  int64_t batch_rows = kDefaultBatchRows;
  /// A batch is also cut once its records took this many bytes of input, at most 1 GiB,
  /// so that no buffer nears the 2 GiB its int32 offsets address (sluice's own).
  int64_t batch_bytes = int64_t{256} << 20;

  /// Builds options from Spark's option names, matched case-insensitively; the last of a
  /// repeated key wins and unknown keys are ignored, as in Spark. A bad value returns
  /// kInvalidArgument naming the option.
  static Result<CsvReadOptions> FromOptions(const OptionList& options);

  /// Checks values a caller may have set directly: a non-empty separator, a lineSep of
  /// 1 or 2 bytes, a samplingRatio in (0, 1], positive maxColumns and batch_rows,
  /// batch_bytes in [1, 1 GiB].
  Status Validate() const;

  /// The byte that escapes the escape byte inside quoted values ('\0': none).
  char EffectiveEscapeEscape() const {
    if (char_to_escape_quote_escaping.has_value()) {
      return *char_to_escape_quote_escaping;
    }
    return escape == quote ? '\0' : escape;
  }
};

/// How Spark's CSV source writes: the options of `DataFrame.write.csv`.
struct CsvWriteOptions {
  /// Write the column names as the first line.
  bool header = false;
  std::string sep = ",";
  /// The quote byte; '\0' never quotes.
  char quote = '"';
  /// Escapes quotes (and itself) inside quoted values.
  char escape = '\\';
  std::optional<char> char_to_escape_quote_escaping;
  /// Values starting with this byte are quoted so they do not read back as comments.
  char comment = '\0';
  /// How a null is written.
  std::string null_value;
  /// How an empty string is written (Spark's default: a quoted empty string).
  std::string empty_value = "\"\"";
  /// Quote every non-null value.
  bool quote_all = false;
  /// Quote values that contain the quote byte (Spark's "escapeQuotes").
  bool escape_quotes = true;
  /// Trim white space around values: Spark's writer defaults both to true.
  bool ignore_leading_white_space = true;
  bool ignore_trailing_white_space = true;
  /// Spark's default patterns for writing.
  std::string timestamp_format = "yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]";
  std::string timestamp_ntz_format = "yyyy-MM-dd'T'HH:mm:ss[.SSS]";
  std::string date_format = "yyyy-MM-dd";
  /// Ends every record.
  std::string line_sep = "\n";

  /// Builds options from Spark's option names (see CsvReadOptions::FromOptions).
  static Result<CsvWriteOptions> FromOptions(const OptionList& options);

  char EffectiveEscapeEscape() const {
    if (char_to_escape_quote_escaping.has_value()) {
      return *char_to_escape_quote_escaping;
    }
    return escape == quote ? '\0' : escape;
  }
};

/// Turns a "sep" option value into the separator bytes as Spark's
/// CSVExprUtils.toDelimiterStr does: "\t" (backslash, t) means a tab, "\\" a backslash,
/// and so on; kInvalidArgument for an empty value, a lone backslash or an unknown escape.
Result<std::string> ParseDelimiter(std::string_view value);

}  // namespace sluice::csv
