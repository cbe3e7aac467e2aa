// SPDX-License-Identifier: Apache-2.0
// `sluice parquet schema FILE` and `sluice parquet meta FILE`: what a Parquet file holds,
// read from its footer (parquet-cli's `schema` and `meta`).
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "formats/parquet/compression.h"
#include "formats/parquet/reader.h"
#include "formats/parquet/schema.h"
#include "formats/parquet/statistics.h"

namespace sluice::cli {
namespace {

using parquet::format::ColumnChunk;
using parquet::format::ColumnMetaData;
using parquet::format::FileMetaData;

/// A key-value entry's value, shortened so one long JSON schema does not flood the
/// terminal.
std::string Shorten(const std::string& text, size_t limit) {
  if (text.size() <= limit)
    return text;
  return fmt::format("{}... ({} bytes)", text.substr(0, limit), text.size());
}

std::string Encodings(const ColumnMetaData& meta) {
  std::vector<std::string> names;
  for (auto encoding : meta.encodings) {
    names.push_back(parquet::format::to_string(encoding));
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "" : ",") + names[i];
  }
  return out;
}

/// Prints rows of cells as left-aligned columns two spaces apart.
void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line = "  ";
    for (size_t i = 0; i < row.size(); ++i) {
      line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], widths[i]);
    }
    std::printf("%s\n", line.c_str());
  }
}

}  // namespace

Status RunParquetSchema(const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(auto reader, parquet::ParquetReader::Open(path));
  std::printf("%s", parquet::FormatParquetSchema(reader->file_schema()).c_str());
  std::printf("\nsluice schema: %s\n", reader->schema()->ToDdl().c_str());
  return Status::Ok();
}

Status RunParquetMeta(const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(auto reader, parquet::ParquetReader::Open(path));
  const FileMetaData& metadata = reader->metadata();
  std::printf("file:           %s\n", path.c_str());
  std::printf("created by:     %s\n",
              metadata.__isset.created_by ? metadata.created_by.c_str() : "(not set)");
  std::printf("format version: %d\n", metadata.version);
  std::printf("rows:           %lld in %zu row group(s)\n",
              static_cast<long long>(metadata.num_rows), metadata.row_groups.size());
  if (!metadata.key_value_metadata.empty()) {
    std::printf("key-value metadata:\n");
    for (const auto& entry : metadata.key_value_metadata) {
      std::printf("  %s = %s\n", entry.key.c_str(),
                  entry.__isset.value ? Shorten(entry.value, 100).c_str() : "(no value)");
    }
  }
  std::printf("schema:\n%s", parquet::FormatParquetSchema(reader->file_schema()).c_str());

  const auto& leaves = reader->file_schema().leaves();
  for (size_t g = 0; g < metadata.row_groups.size(); ++g) {
    const auto& group = metadata.row_groups[g];
    std::printf("\nrow group %zu: %lld rows, %lld bytes uncompressed", g,
                static_cast<long long>(group.num_rows),
                static_cast<long long>(group.total_byte_size));
    if (group.__isset.total_compressed_size) {
      std::printf(", %lld compressed", static_cast<long long>(group.total_compressed_size));
    }
    std::printf("\n");
    std::vector<std::vector<std::string>> rows = {{"column", "type", "codec", "encodings", "values",
                                                   "nulls", "compressed", "uncompressed", "min",
                                                   "max"}};
    for (size_t c = 0; c < group.columns.size() && c < leaves.size(); ++c) {
      const ColumnChunk& chunk = group.columns[c];
      if (!chunk.__isset.meta_data) {
        rows.push_back({leaves[c].path, "(no column metadata)"});
        continue;
      }
      const ColumnMetaData& meta = chunk.meta_data;
      std::string nulls = "-";
      std::string min = "-";
      std::string max = "-";
      const auto* order = c < metadata.column_orders.size() ? &metadata.column_orders[c] : nullptr;
      Result<parquet::ColumnStatistics> stats = parquet::DecodeStatistics(leaves[c], meta, order);
      if (stats.ok()) {
        // "~" marks a bound the file says is not exact (truncated).
        const auto& raw = meta.statistics;
        const bool min_inexact = raw.__isset.is_min_value_exact && !raw.is_min_value_exact;
        const bool max_inexact = raw.__isset.is_max_value_exact && !raw.is_max_value_exact;
        if (stats->null_count)
          nulls = std::to_string(*stats->null_count);
        if (stats->min)
          min = parquet::FormatLiteral(*stats->min) + (min_inexact ? "~" : "");
        if (stats->max)
          max = parquet::FormatLiteral(*stats->max) + (max_inexact ? "~" : "");
      } else {
        min = "(" + stats.status().message() + ")";
      }
      rows.push_back(
          {leaves[c].path, parquet::format::to_string(meta.type),
           std::string(parquet::CodecName(meta.codec)), Encodings(meta),
           std::to_string(meta.num_values), nulls, std::to_string(meta.total_compressed_size),
           std::to_string(meta.total_uncompressed_size), Shorten(min, 40), Shorten(max, 40)});
    }
    PrintTable(rows);
  }
  return Status::Ok();
}

}  // namespace sluice::cli
