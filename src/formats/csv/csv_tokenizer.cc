// SPDX-License-Identifier: Apache-2.0
#include "formats/csv/csv_tokenizer.h"

#include <fmt/format.h>

namespace sluice::csv::internal {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace

CsvTokenizer::CsvTokenizer(const CsvReadOptions& options)
    : sep_(options.sep),
      quote_(options.quote),
      escape_(options.escape),
      escape_escape_(options.EffectiveEscapeEscape()),
      comment_(options.comment),
      multi_line_(options.multi_line),
      trim_leading_(options.ignore_leading_white_space),
      trim_trailing_(options.ignore_trailing_white_space),
      line_sep_(options.line_sep.value_or("")),
      max_columns_(options.max_columns),
      max_chars_per_column_(options.max_chars_per_column) {
  SLUICE_CHECK(!sep_.empty(), "CsvTokenizer needs validated options (an empty separator)");
}

void CsvTokenizer::Reset(std::string_view data, int64_t base_offset, int64_t first_line) {
  data_ = data;
  pos_ = 0;
  base_offset_ = base_offset;
  line_ = first_line;
  if (base_offset == 0 && data_.starts_with(kUtf8Bom)) {
    pos_ = kUtf8Bom.size();
  }
  // Spark's multiLine reader detects the input's line ending (univocity) and, when it is
  // "\r\n", turns "\r\n" inside quoted values into "\n".
  if (!detected_line_ending_ && multi_line_ && line_sep_.empty()) {
    const size_t first = data_.find_first_of("\r\n", pos_);
    if (first != std::string_view::npos) {
      detected_line_ending_ = true;
      normalize_crlf_in_quotes_ =
          data_[first] == '\r' && first + 1 < data_.size() && data_[first + 1] == '\n';
    }
  }
}

size_t CsvTokenizer::LineEndAt(size_t pos) const {
  if (!line_sep_.empty()) {
    return data_.substr(pos, line_sep_.size()) == std::string_view(line_sep_) ? line_sep_.size()
                                                                              : 0;
  }
  const char c = data_[pos];
  if (c == '\n') {
    return 1;
  }
  if (c == '\r') {
    return pos + 1 < data_.size() && data_[pos + 1] == '\n' ? 2 : 1;
  }
  return 0;
}

bool CsvTokenizer::SkipIgnoredLine() {
  const bool comment = comment_ != '\0' && data_[pos_] == comment_;
  size_t pos = pos_;
  while (pos < data_.size()) {
    const size_t end = LineEndAt(pos);
    if (end > 0) {
      pos_ = pos + end;
      ++line_;
      return true;
    }
    if (!comment && !IsWhitespaceByte(pos)) {
      return false;
    }
    ++pos;
  }
  pos_ = pos;
  return true;
}

CsvTokenizer::FieldEnd CsvTokenizer::ParseUnquoted(size_t* pos, Span* span) {
  const size_t n = data_.size();
  size_t p = *pos;
  const size_t begin = p;
  FieldEnd end = FieldEnd::kEndOfData;
  if (line_sep_.empty() && sep_.size() == 1) {
    const char sep = sep_[0];
    while (p < n) {
      const char c = data_[p];
      if (c == sep) {
        end = FieldEnd::kSeparator;
        break;
      }
      if (c == '\n' || c == '\r') {
        end = FieldEnd::kLineEnd;
        break;
      }
      ++p;
    }
  } else {
    while (p < n) {
      if (SeparatorAt(p)) {
        end = FieldEnd::kSeparator;
        break;
      }
      if (LineEndAt(p) > 0) {
        end = FieldEnd::kLineEnd;
        break;
      }
      ++p;
    }
  }
  size_t stop = p;
  if (trim_trailing_) {
    while (stop > begin && IsWhitespaceByte(stop - 1)) {
      --stop;
    }
  }
  span->in_scratch = false;
  span->begin = begin;
  span->length = stop - begin;
  span->is_null = span->length == 0;
  *pos = p;
  return end;
}

CsvTokenizer::FieldEnd CsvTokenizer::ParseQuoted(size_t* pos, Span* span) {
  const size_t n = data_.size();
  const size_t content = *pos + 1;  // past the opening quote
  size_t p = content;
  // The text stays in place, [content, p), until the first byte that unescaping changes;
  // from then on it is built in scratch_ from `begin`, with data_[run, p) not yet copied.
  bool copied = false;
  size_t begin = 0;
  size_t run = content;
  // Copies the pending bytes up to `until`, switching to scratch_ on the first call.
  auto copy_to = [&](size_t until) {
    if (!copied) {
      copied = true;
      begin = scratch_.size();
    }
    scratch_.append(data_.data() + run, until - run);
  };
  // Replaces the `length` bytes at p with `c`.
  auto replace = [&](size_t length, char c) {
    copy_to(p);
    scratch_.push_back(c);
    p += length;
    run = p;
  };
  size_t stop = 0;  // end of the field's text in data_, when not copied
  FieldEnd end = FieldEnd::kEndOfData;
  span->quoted = true;
  while (true) {
    if (p >= n) {
      stop = p;
      end = FieldEnd::kEndOfData;  // an unclosed quote runs to the end of the input
      break;
    }
    const char c = data_[p];
    const bool has_next = p + 1 < n;
    if (escape_escape_ != '\0' && c == escape_escape_ && escape_escape_ != escape_ &&
        escape_ != '\0' && has_next && data_[p + 1] == escape_) {
      replace(2, escape_);
      continue;
    }
    if (escape_ != '\0' && c == escape_ && escape_ != quote_) {
      if (has_next && data_[p + 1] == quote_) {
        replace(2, quote_);
        continue;
      }
      if (has_next && data_[p + 1] == escape_ && escape_escape_ == escape_) {
        replace(2, escape_);
        continue;
      }
      ++p;  // a lone escape byte is plain text
      continue;
    }
    if (c == quote_) {
      if (has_next && data_[p + 1] == quote_) {
        replace(2, quote_);
        continue;
      }
      stop = p;
      // The closing quote: white space may follow before the separator or line end.
      size_t q = p + 1;
      while (q < n && IsWhitespaceByte(q) && LineEndAt(q) == 0 && !SeparatorAt(q)) {
        ++q;
      }
      if (q >= n) {
        p = q;
        end = FieldEnd::kEndOfData;
        break;
      }
      if (LineEndAt(q) > 0) {
        p = q;
        end = FieldEnd::kLineEnd;
        break;
      }
      if (SeparatorAt(q)) {
        p = q;
        end = FieldEnd::kSeparator;
        break;
      }
      // An unescaped quote (STOP_AT_DELIMITER): the quote and what follows are plain text
      // up to the next separator or line end, so the text runs on in data_ from here.
      span->quoted = false;
      ++p;
      const size_t tail = p;
      while (p < n && !SeparatorAt(p) && LineEndAt(p) == 0) {
        ++p;
      }
      stop = p;
      if (trim_trailing_) {
        while (stop > tail && IsWhitespaceByte(stop - 1)) {
          --stop;
        }
      }
      end = p >= n ? FieldEnd::kEndOfData
                   : (SeparatorAt(p) ? FieldEnd::kSeparator : FieldEnd::kLineEnd);
      break;
    }
    const size_t line_end = LineEndAt(p);
    if (line_end > 0) {
      if (!multi_line_) {
        stop = p;
        end = FieldEnd::kLineEnd;  // the line ends the record even inside quotes
        break;
      }
      if (normalize_crlf_in_quotes_ && line_end == 2) {
        replace(2, '\n');
      } else {
        p += line_end;
      }
      ++line_;
      continue;
    }
    ++p;
  }
  if (copied) {
    copy_to(stop);
    span->in_scratch = true;
    span->begin = begin;
    span->length = scratch_.size() - begin;
  } else {
    span->in_scratch = false;
    span->begin = content;
    span->length = stop - content;
  }
  span->is_null = false;
  *pos = p;
  return end;
}

bool CsvTokenizer::Next(CsvRecord* record, Status* error) {
  const size_t n = data_.size();
  // Skip blank and comment lines.
  while (pos_ < n && SkipIgnoredLine()) {
  }
  if (pos_ >= n) {
    return false;
  }
  const size_t record_start = pos_;
  record->offset = base_offset_ + static_cast<int64_t>(record_start);
  record->line = line_;
  scratch_.clear();
  spans_.clear();
  size_t p = pos_;
  size_t content_end = n;
  while (true) {
    if (trim_leading_) {
      while (p < n && IsWhitespaceByte(p) && LineEndAt(p) == 0 && !SeparatorAt(p)) {
        ++p;
      }
    }
    Span span;
    FieldEnd end;
    if (p >= n) {
      span.is_null = true;
      end = FieldEnd::kEndOfData;
    } else if (LineEndAt(p) > 0) {
      span.is_null = true;
      end = FieldEnd::kLineEnd;
    } else if (SeparatorAt(p)) {
      span.is_null = true;
      end = FieldEnd::kSeparator;
    } else if (quote_ != '\0' && data_[p] == quote_) {
      end = ParseQuoted(&p, &span);
    } else {
      end = ParseUnquoted(&p, &span);
    }
    spans_.push_back(span);
    if (max_chars_per_column_ >= 0 && static_cast<int64_t>(span.length) > max_chars_per_column_) {
      *error = Status::ParseError(fmt::format(
          "CSV record at line {} (byte offset {}): field {} is longer than maxCharsPerColumn "
          "({} bytes)",
          record->line, record->offset, spans_.size(), max_chars_per_column_));
      return false;
    }
    if (static_cast<int64_t>(spans_.size()) > max_columns_) {
      *error = Status::ParseError(
          fmt::format("CSV record at line {} (byte offset {}): more than maxColumns ({}) fields",
                      record->line, record->offset, max_columns_));
      return false;
    }
    if (end == FieldEnd::kSeparator) {
      p += sep_.size();
      continue;
    }
    if (end == FieldEnd::kLineEnd) {
      content_end = p;
      p += LineEndAt(p);
      ++line_;
    } else {
      content_end = n;
      p = n;
    }
    break;
  }
  pos_ = p;
  record->raw = data_.substr(record_start, content_end - record_start);
  record->fields.resize(spans_.size());
  for (size_t i = 0; i < spans_.size(); ++i) {
    const Span& span = spans_[i];
    CsvField& field = record->fields[i];
    field.text = span.in_scratch ? std::string_view(scratch_).substr(span.begin, span.length)
                                 : data_.substr(span.begin, span.length);
    field.quoted = span.quoted;
    field.is_null = span.is_null;
  }
  return true;
}

}  // namespace sluice::csv::internal
