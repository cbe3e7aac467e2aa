// SPDX-License-Identifier: Apache-2.0
#include "columnar/printer.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <string_view>

#include "common/utf8.h"
#include "types/datetime.h"
#include "types/decimal.h"
#include "types/number_format.h"
#include "types/variant.h"

namespace sluice {
namespace {

constexpr int64_t kMinimumColumnWidth = 3;

// ---- cells ----

void AppendCell(const Vector& vector, int64_t row, std::string* out) {
  if (vector.IsNull(row)) {
    out->append("NULL");
    return;
  }
  auto sink = std::back_inserter(*out);
  switch (vector.type_id()) {
    case TypeId::kBoolean:
      out->append(vector.BoolValue(row) ? "true" : "false");
      return;
    case TypeId::kByte:
      fmt::format_to(sink, "{}", static_cast<int>(vector.Value<int8_t>(row)));
      return;
    case TypeId::kShort:
      fmt::format_to(sink, "{}", vector.Value<int16_t>(row));
      return;
    case TypeId::kInt:
      fmt::format_to(sink, "{}", vector.Value<int32_t>(row));
      return;
    case TypeId::kLong:
      fmt::format_to(sink, "{}", vector.Value<int64_t>(row));
      return;
    case TypeId::kFloat:
      out->append(FormatFloat(vector.Value<float>(row)));
      return;
    case TypeId::kDouble:
      out->append(FormatDouble(vector.Value<double>(row)));
      return;
    case TypeId::kDecimal:
      out->append(FormatDecimal(vector.DecimalValue(row), vector.type()->scale()));
      return;
    case TypeId::kString:
      out->append(vector.StringValue(row));
      return;
    case TypeId::kBinary: {
      static constexpr char kHex[] = "0123456789ABCDEF";
      const std::string_view bytes = vector.StringValue(row);
      out->push_back('[');
      for (size_t i = 0; i < bytes.size(); ++i) {
        if (i > 0) {
          out->push_back(' ');
        }
        const auto byte = static_cast<uint8_t>(bytes[i]);
        out->push_back(kHex[byte >> 4]);
        out->push_back(kHex[byte & 15]);
      }
      out->push_back(']');
      return;
    }
    case TypeId::kDate:
      out->append(FormatDate(vector.Value<int32_t>(row)));
      return;
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      // An NTZ value is a local date-time; formatting it as UTC prints it unchanged.
      out->append(FormatTimestamp(vector.Value<int64_t>(row)));
      return;
    case TypeId::kStruct: {
      out->push_back('{');
      for (int k = 0; k < vector.num_children(); ++k) {
        if (k > 0) {
          out->append(", ");
        }
        AppendCell(*vector.child(k), vector.offset() + row, out);
      }
      out->push_back('}');
      return;
    }
    case TypeId::kArray: {
      out->push_back('[');
      for (int32_t j = vector.ListStart(row); j < vector.ListEnd(row); ++j) {
        if (j > vector.ListStart(row)) {
          out->append(", ");
        }
        AppendCell(*vector.child(0), j, out);
      }
      out->push_back(']');
      return;
    }
    case TypeId::kMap: {
      out->push_back('{');
      for (int32_t j = vector.ListStart(row); j < vector.ListEnd(row); ++j) {
        if (j > vector.ListStart(row)) {
          out->append(", ");
        }
        AppendCell(*vector.child(0), j, out);
        out->append(" -> ");
        AppendCell(*vector.child(1), j, out);
      }
      out->push_back('}');
      return;
    }
    case TypeId::kVariant: {
      // Spark shows a variant as its JSON text (Variant.toJson).
      Result<std::string> json =
          VariantToJson(vector.VariantMetadata(row), vector.VariantValue(row));
      if (json.ok()) {
        out->append(*json);
      } else {
        fmt::format_to(sink, "<{}>", json.status().message());
      }
      return;
    }
    case TypeId::kNull:
      out->append("NULL");  // not reached: every row of a void vector is null
      return;
  }
  SLUICE_CHECK(false, "cannot format {}", vector.type()->ToString());
}

// ---- text measurement, as Java strings measure ----

/// Java's String.length() share of one code point.
int Utf16Units(char32_t code_point) {
  return code_point >= 0x10000 ? 2 : 1;
}

/// The ranges of Spark's Utils.fullWidthRegex, whose characters take two columns.
bool IsFullWidth(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE10 && c <= 0xFE19) || (c >= 0xFE30 && c <= 0xFE6F) ||
         (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6);
}

/// SchemaUtils.escapeMetaCharacters: control characters as two-character escapes.
std::u32string EscapeMetaCharacters(const std::u32string& text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    char32_t escape = 0;
    switch (c) {
      case U'\n':
        escape = U'n';
        break;
      case U'\r':
        escape = U'r';
        break;
      case U'\t':
        escape = U't';
        break;
      case U'\f':
        escape = U'f';
        break;
      case U'\b':
        escape = U'b';
        break;
      case U'\v':
        escape = U'v';
        break;
      case U'\a':
        escape = U'a';
        break;
      default:
        break;
    }
    if (escape != 0) {
      out.push_back(U'\\');
      out.push_back(escape);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

/// A cell ready to print, with its display width (Utils.stringHalfWidth).
struct Cell {
  std::string text;
  int64_t width = 0;
};

/// Escapes `raw` and, when truncate > 0, cuts it as Dataset.getRows does.
Cell PrepareCell(std::string_view raw, int truncate) {
  std::u32string text = EscapeMetaCharacters(DecodeUtf8(raw));
  int64_t units = 0;
  for (char32_t c : text) {
    units += Utf16Units(c);
  }
  bool ellipsis = false;
  if (truncate > 0 && units > truncate) {
    // Java's substring(0, keep) counts UTF-16 units; a pair it would split is dropped.
    const int64_t keep = truncate < 4 ? truncate : truncate - 3;
    ellipsis = truncate >= 4;
    int64_t kept_units = 0;
    size_t kept = 0;
    while (kept < text.size() && kept_units + Utf16Units(text[kept]) <= keep) {
      kept_units += Utf16Units(text[kept]);
      ++kept;
    }
    text.resize(kept);
  }
  Cell cell;
  for (char32_t c : text) {
    AppendUtf8(c, &cell.text);
    cell.width += Utf16Units(c) + (IsFullWidth(c) ? 1 : 0);
  }
  if (ellipsis) {
    cell.text.append("...");
    cell.width += 3;
  }
  return cell;
}

// ---- layout ----

void AppendRepeated(char c, int64_t count, std::string* out) {
  if (count > 0) {
    out->append(static_cast<size_t>(count), c);
  }
}

/// Pads `cell` to `width` columns: spaces before it (right-aligned) or after it.
void AppendPadded(const Cell& cell, int64_t width, bool align_right, std::string* out) {
  if (align_right) {
    AppendRepeated(' ', width - cell.width, out);
  }
  out->append(cell.text);
  if (!align_right) {
    AppendRepeated(' ', width - cell.width, out);
  }
}

void AppendTable(const std::vector<Cell>& header, const std::vector<std::vector<Cell>>& rows,
                 bool align_right, std::string* out) {
  std::vector<int64_t> widths(header.size(), kMinimumColumnWidth);
  for (size_t c = 0; c < header.size(); ++c) {
    widths[c] = std::max(widths[c], header[c].width);
    for (const auto& row : rows) {
      widths[c] = std::max(widths[c], row[c].width);
    }
  }
  std::string separator = "+";
  for (int64_t width : widths) {
    AppendRepeated('-', width, &separator);
    separator.push_back('+');
  }
  separator.push_back('\n');

  auto append_row = [&](const std::vector<Cell>& cells) {
    out->push_back('|');
    for (size_t c = 0; c < cells.size(); ++c) {
      AppendPadded(cells[c], widths[c], align_right, out);
      out->push_back('|');
    }
    out->push_back('\n');
  };
  out->append(separator);
  append_row(header);
  out->append(separator);
  for (const auto& row : rows) {
    append_row(row);
  }
  out->append(separator);
}

void AppendVertical(const std::vector<Cell>& header, const std::vector<std::vector<Cell>>& rows,
                    std::string* out) {
  int64_t name_width = kMinimumColumnWidth;
  for (const Cell& name : header) {
    name_width = std::max(name_width, name.width);
  }
  int64_t data_width = kMinimumColumnWidth;
  for (const auto& row : rows) {
    for (const Cell& cell : row) {
      data_width = std::max(data_width, cell.width);
    }
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    // "+ 5": the spaces and '|' around the name and the data.
    const std::string record = fmt::format("-RECORD {}", i);
    out->append(record);
    AppendRepeated('-', name_width + data_width + 5 - static_cast<int64_t>(record.size()), out);
    out->push_back('\n');
    for (size_t c = 0; c < header.size(); ++c) {
      out->push_back(' ');
      AppendPadded(header[c], name_width, /*align_right=*/false, out);
      out->append(" | ");
      AppendPadded(rows[i][c], data_width, /*align_right=*/false, out);
      out->append(" \n");
    }
  }
}

std::string Show(const std::vector<const Batch*>& batches, const Schema& schema,
                 const ShowOptions& options) {
  const int64_t limit = std::max<int64_t>(options.num_rows, 0);
  std::vector<Cell> header;
  header.reserve(schema.fields().size());
  for (const Field& field : schema.fields()) {
    header.push_back(PrepareCell(field.name, /*truncate=*/0));
  }

  std::vector<std::vector<Cell>> rows;
  int64_t total_rows = 0;
  std::string raw;
  for (const Batch* batch : batches) {
    total_rows += batch->num_rows();
    for (int64_t r = 0; r < batch->num_rows() && static_cast<int64_t>(rows.size()) < limit; ++r) {
      std::vector<Cell>& row = rows.emplace_back();
      row.reserve(batch->columns().size());
      for (const VectorPtr& column : batch->columns()) {
        raw.clear();
        AppendCell(*column, r, &raw);
        row.push_back(PrepareCell(raw, options.truncate));
      }
    }
  }
  const bool has_more = total_rows > limit;

  std::string out;
  if (options.vertical) {
    AppendVertical(header, rows, &out);
  } else {
    AppendTable(header, rows, /*align_right=*/options.truncate > 0, &out);
  }
  if (options.vertical && rows.empty()) {
    out.append("(0 rows)\n");
  } else if (has_more) {
    out.append(fmt::format("only showing top {} {}\n", limit, limit == 1 ? "row" : "rows"));
  }
  return out;
}

}  // namespace

std::string FormatCell(const Vector& vector, int64_t row) {
  std::string out;
  AppendCell(vector, row, &out);
  return out;
}

std::string ShowString(const Batch& batch, const ShowOptions& options) {
  return Show({&batch}, *batch.schema(), options);
}

std::string ShowAll(const std::vector<BatchPtr>& batches, const SchemaPtr& schema,
                    const ShowOptions& options) {
  std::vector<const Batch*> pointers;
  pointers.reserve(batches.size());
  for (const BatchPtr& batch : batches) {
    SLUICE_CHECK(batch->schema()->Equals(*schema), "showing a batch of {} as {}",
                 batch->schema()->ToString(), schema->ToString());
    pointers.push_back(batch.get());
  }
  return Show(pointers, *schema, options);
}

}  // namespace sluice
