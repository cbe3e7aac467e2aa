// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/csv/csv_options.h"

namespace sluice::csv::internal {

/// One field of a record, as Spark's tokenizer (univocity) hands it over.
struct CsvField {
  /// The unquoted, unescaped text; valid until the tokenizer's next call.
  std::string_view text;
  /// The field was enclosed in quotes (a quoted empty field reads as `emptyValue`).
  bool quoted = false;
  /// The field was empty and unquoted: Spark reads it as `nullValue`, i.e. null.
  bool is_null = false;
};

/// One record: its fields and where it came from.
struct CsvRecord {
  std::vector<CsvField> fields;
  /// The record's text without its line terminator (what `_corrupt_record` receives).
  std::string_view raw;
  /// Byte offset of the record's first byte and 1-based number of its first line, both
  /// counted from the start of the whole input.
  int64_t offset = 0;
  int64_t line = 0;
};

/// Splits CSV text into records and fields with Spark's rules (univocity's parser with
/// Spark's settings and unescapedQuoteHandling=STOP_AT_DELIMITER):
/// - a record ends at "\n", "\r\n" or "\r" (or at `lineSep` when set); blank lines
///   (only bytes <= ' ') and lines starting with the comment byte are skipped;
/// - a field starting with the quote byte is quoted: inside it, escape+quote and a
///   doubled quote both stand for a quote, escape-escape+escape for the escape; the
///   separator is plain text; a line terminator ends the record unless multiLine;
///   white space after the closing quote is dropped; any other text after the closing
///   quote turns the field into plain text up to the next separator, quote included;
/// - unquoted fields are taken verbatim (quotes and escapes are plain text);
/// - white space around unquoted fields is trimmed only when asked.
class CsvTokenizer {
 public:
  /// `options` must pass CsvReadOptions::Validate().
  explicit CsvTokenizer(const CsvReadOptions& options);

  /// Starts on `data`, whose first byte is byte `base_offset` and line `first_line` of the
  /// whole input. A UTF-8 byte order mark at offset 0 is skipped.
  void Reset(std::string_view data, int64_t base_offset, int64_t first_line);

  /// Reads the next record into `record`. Returns false at the end of the data, or with
  /// `*error` set (kParseError) when a record breaks maxColumns or maxCharsPerColumn,
  /// which Spark treats as fatal in every mode.
  bool Next(CsvRecord* record, Status* error);

  /// The line number the next record would start on.
  int64_t line() const { return line_; }

 private:
  enum class FieldEnd : uint8_t { kSeparator, kLineEnd, kEndOfData };
  /// Where a field's text lives until the record is complete.
  struct Span {
    bool in_scratch = false;
    size_t begin = 0;
    size_t length = 0;
    bool quoted = false;
    bool is_null = false;
  };

  size_t LineEndAt(size_t pos) const;
  bool SeparatorAt(size_t pos) const {
    return data_[pos] == sep_[0] &&
           (sep_.size() == 1 || data_.substr(pos, sep_.size()) == std::string_view(sep_));
  }
  bool IsWhitespaceByte(size_t pos) const { return static_cast<unsigned char>(data_[pos]) <= ' '; }
  /// Skips a blank or comment line at pos_; returns whether it did.
  bool SkipIgnoredLine();
  FieldEnd ParseUnquoted(size_t* pos, Span* span);
  FieldEnd ParseQuoted(size_t* pos, Span* span);

  std::string sep_;
  char quote_;
  char escape_;
  char escape_escape_;
  char comment_;
  bool multi_line_;
  bool trim_leading_;
  bool trim_trailing_;
  std::string line_sep_;  // empty: "\n", "\r\n" and "\r"
  int64_t max_columns_;
  int64_t max_chars_per_column_;
  bool normalize_crlf_in_quotes_ = false;
  bool detected_line_ending_ = false;

  std::string_view data_;
  size_t pos_ = 0;
  int64_t base_offset_ = 0;
  int64_t line_ = 1;
  std::string scratch_;
  std::vector<Span> spans_;
};

}  // namespace sluice::csv::internal
