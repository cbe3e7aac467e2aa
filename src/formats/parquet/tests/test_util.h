// SPDX-License-Identifier: Apache-2.0
#pragma once

// Builders shared by the module's tests: Parquet schema elements and typed literals.

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "formats/parquet/reader.h"
#include "formats/parquet/statistics.h"
#include "formats/parquet/thrift_io.h"
#include "types/data_type.h"

namespace sluice::parquet::test_util {

using format::ConvertedType;
using format::FieldRepetitionType;
using PhysicalType = format::Type;

inline constexpr auto kRequired = FieldRepetitionType::REQUIRED;
inline constexpr auto kOptional = FieldRepetitionType::OPTIONAL;
inline constexpr auto kRepeated = FieldRepetitionType::REPEATED;

/// The root of a schema with `num_children` top-level fields.
inline format::SchemaElement Root(int num_children, const std::string& name = "schema") {
  format::SchemaElement element;
  element.__set_name(name);
  element.__set_num_children(num_children);
  return element;
}

inline format::SchemaElement Group(const std::string& name, FieldRepetitionType::type repetition,
                                   int num_children) {
  format::SchemaElement element;
  element.__set_name(name);
  element.__set_repetition_type(repetition);
  element.__set_num_children(num_children);
  return element;
}

inline format::SchemaElement Group(const std::string& name, FieldRepetitionType::type repetition,
                                   int num_children, ConvertedType::type converted) {
  format::SchemaElement element = Group(name, repetition, num_children);
  element.__set_converted_type(converted);
  return element;
}

/// A primitive field; FIXED_LEN_BYTE_ARRAY gets a length of 16.
inline format::SchemaElement Leaf(const std::string& name, FieldRepetitionType::type repetition,
                                  PhysicalType::type type) {
  format::SchemaElement element;
  element.__set_name(name);
  element.__set_repetition_type(repetition);
  element.__set_type(type);
  if (type == PhysicalType::FIXED_LEN_BYTE_ARRAY) {
    element.__set_type_length(16);
  }
  return element;
}

/// Reads the footer and the leaf descriptors of the Parquet file at `path`.
inline Status LoadFooter(const std::string& path, format::FileMetaData* metadata,
                         std::vector<LeafDescriptor>* leaves) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<ParquetReader> reader, ParquetReader::Open(path));
  *metadata = reader->metadata();
  *leaves = reader->file_schema().leaves();
  return Status::Ok();
}

inline Literal Int(int64_t value) {
  return Literal{IntType(), value};
}
inline Literal Long(int64_t value) {
  return Literal{LongType(), value};
}
inline Literal Float(double value) {
  return Literal{FloatType(), value};
}
inline Literal Double(double value) {
  return Literal{DoubleType(), value};
}
inline Literal Decimal(Int128 unscaled, int precision, int scale) {
  return Literal{DecimalType(precision, scale), unscaled};
}
inline Literal String(std::string value) {
  return Literal{StringType(), std::move(value)};
}
inline Literal Binary(std::string value) {
  return Literal{BinaryType(), std::move(value)};
}
inline Literal Date(int64_t days) {
  return Literal{DateType(), days};
}
inline Literal Null(TypePtr type) {
  return Literal{std::move(type), std::monostate{}};
}

}  // namespace sluice::parquet::test_util
