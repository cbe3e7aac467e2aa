// SPDX-License-Identifier: Apache-2.0
#include "delta/conform.h"

#include <fmt/format.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "columnar/builder.h"
#include "common/check.h"
#include "common/json.h"
#include "common/utf8.h"
#include "types/decimal.h"
#include "types/schema_json.h"

namespace sluice::delta {
namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000;

std::string ChildPath(const std::string& parent, std::string_view child) {
  return fmt::format("{}.{}", parent, child);
}

Status TypeMismatch(const std::string& path, const DataType& file_type,
                    const DataType& table_type) {
  return Status::Corruption(
      fmt::format("Data file column cannot be read as the table's type: {} is {} in the file, {} "
                  "in the table",
                  path, file_type.ToString(), table_type.ToString()));
}

/// Returns `file` with type `type` and `children`, sharing its buffers.
VectorPtr Retype(const Vector& file, const TypePtr& type, std::vector<VectorPtr> children) {
  return std::make_shared<const Vector>(type, file.length(), file.null_count(),
                                        file.validity_buffer(), file.values_buffer(),
                                        file.data_buffer(), std::move(children), file.offset());
}

/// The index in `file_fields` of the field holding `table_field` (see conform.h).
Result<std::optional<int>> MatchField(const std::vector<Field>& file_fields,
                                      const Field& table_field, ColumnMappingMode mode,
                                      const std::string& path) {
  if (mode == ColumnMappingMode::kId) {
    if (const std::optional<int32_t> id = FieldId(table_field); id.has_value()) {
      bool file_has_ids = false;
      std::optional<int> found;
      for (size_t i = 0; i < file_fields.size(); ++i) {
        const std::optional<int32_t> file_id = ParquetFieldId(file_fields[i]);
        file_has_ids = file_has_ids || file_id.has_value();
        if (file_id != id) {
          continue;
        }
        if (found.has_value()) {
          return Status::Corruption(
              fmt::format("Data file has two fields with the column's field id {}: {} ({}, {})",
                          *id, path, file_fields[*found].name, file_fields[i].name));
        }
        found = static_cast<int>(i);
      }
      if (file_has_ids) {
        return found;
      }
    }
  }
  SLUICE_ASSIGN_OR_RETURN(std::string name, PhysicalName(table_field, mode, path));
  Result<std::optional<int>> index = FindFieldByName(file_fields, name);
  if (!index.ok()) {
    return std::move(index).status().WithContext(fmt::format("data file column {}", path));
  }
  return index;
}

/// Converts each value of a fixed-width `file` vector with `convert` (From -> To), into
/// a vector of `type` sharing the validity. Null slots are converted too: `convert`
/// must be defined for every From value.
template <typename From, typename To, typename Convert>
VectorPtr ConvertValues(const Vector& file, const TypePtr& type, Convert convert) {
  const int64_t end = file.offset() + file.length();
  auto values = std::make_shared<Buffer>(end * static_cast<int64_t>(sizeof(To)));
  To* out = values->mutable_data_as<To>();
  if (file.length() > 0) {
    const From* in = file.values_buffer()->data_as<From>();
    for (int64_t i = file.offset(); i < end; ++i) {
      out[i] = convert(in[i]);
    }
  }
  return std::make_shared<const Vector>(type, file.length(), file.null_count(),
                                        file.validity_buffer(), std::move(values), nullptr,
                                        std::vector<VectorPtr>{}, file.offset());
}

/// As ConvertValues, for conversions that can fail: `convert(From, To*)` returns false
/// when the value does not fit, an error naming `path`. Null slots are left 0.
template <typename From, typename To, typename Convert>
Result<VectorPtr> ConvertValidValues(const Vector& file, const TypePtr& type,
                                     const std::string& path, Convert convert) {
  const int64_t end = file.offset() + file.length();
  auto values = std::make_shared<Buffer>(end * static_cast<int64_t>(sizeof(To)));
  To* out = values->mutable_data_as<To>();
  if (file.length() > 0) {
    const From* in = file.values_buffer()->data_as<From>();
    for (int64_t row = 0; row < file.length(); ++row) {
      const int64_t i = file.offset() + row;
      if (file.IsValid(row) && !convert(in[i], &out[i])) {
        return Status::Corruption(
            fmt::format("Data file value does not fit the table's type: {} row {} as {}", path, row,
                        type->ToString()));
      }
    }
  }
  return std::make_shared<const Vector>(type, file.length(), file.null_count(),
                                        file.validity_buffer(), std::move(values), nullptr,
                                        std::vector<VectorPtr>{}, file.offset());
}

/// Widens integers of C type From to `type` (short, int, long, double or decimal).
template <typename From>
VectorPtr WidenInteger(const Vector& file, const TypePtr& type) {
  switch (type->id()) {
    case TypeId::kShort:
      return ConvertValues<From, int16_t>(file, type,
                                          [](From v) { return static_cast<int16_t>(v); });
    case TypeId::kInt:
      return ConvertValues<From, int32_t>(file, type,
                                          [](From v) { return static_cast<int32_t>(v); });
    case TypeId::kLong:
      return ConvertValues<From, int64_t>(file, type,
                                          [](From v) { return static_cast<int64_t>(v); });
    case TypeId::kDouble:
      return ConvertValues<From, double>(file, type, [](From v) { return static_cast<double>(v); });
    case TypeId::kDecimal: {
      // The table's integer digits hold every From value (IsSupportedTypeWidening).
      const Int128 scale = PowerOfTen(type->scale());
      return ConvertValues<From, Int128>(
          file, type, [scale](From v) { return static_cast<Int128>(v) * scale; });
    }
    default:
      SLUICE_CHECK(false, "no integer widening to {}", type->ToString());
      return nullptr;
  }
}

/// Converts a vector of a supported widening (IsSupportedTypeWidening).
Result<VectorPtr> Widen(const Vector& file, const TypePtr& type, const std::string& path) {
  const DataType& to = *type;
  switch (file.type_id()) {
    case TypeId::kByte:
      return WidenInteger<int8_t>(file, type);
    case TypeId::kShort:
      return WidenInteger<int16_t>(file, type);
    case TypeId::kInt:
      return WidenInteger<int32_t>(file, type);
    case TypeId::kLong:
      return WidenInteger<int64_t>(file, type);
    case TypeId::kFloat:
      return ConvertValues<float, double>(file, type, [](float v) { return double{v}; });
    case TypeId::kDate:
      return ConvertValidValues<int32_t, int64_t>(file, type, path, [](int32_t days, int64_t* out) {
        return !__builtin_mul_overflow(int64_t{days}, kMicrosPerDay, out);
      });
    case TypeId::kDecimal: {
      const int scale_up = to.scale() - file.type()->scale();
      if (scale_up == 0) {
        // Only the precision grows: the unscaled values stay.
        return Retype(file, type, {});
      }
      const Int128 factor = PowerOfTen(scale_up);
      const Int128 limit = PowerOfTen(to.precision());
      return ConvertValidValues<Int128, Int128>(
          file, type, path, [factor, limit](Int128 unscaled, Int128* out) {
            return !__builtin_mul_overflow(unscaled, factor, out) && *out<limit&& * out> - limit;
          });
    }
    default:
      return Status::Internal(
          fmt::format("No widening of {} to {}: {}", file.type()->ToString(), to.ToString(), path));
  }
}

/// Reads binary as string (checking UTF-8) or string as binary, sharing the bytes.
Result<VectorPtr> RetypeBytes(const Vector& file, const TypePtr& type, const std::string& path) {
  if (type->id() == TypeId::kString) {
    for (int64_t row = 0; row < file.length(); ++row) {
      if (file.IsValid(row) && !IsValidUtf8(file.StringValue(row))) {
        return Status::Corruption(fmt::format(
            "Data file binary value is not UTF-8 and cannot be read as string: {} row {}", path,
            row));
      }
    }
  }
  return Retype(file, type, {});
}

Result<VectorPtr> Conform(const VectorPtr& file, const TypePtr& table_type, ColumnMappingMode mode,
                          const std::string& path);

Result<VectorPtr> ConformStruct(const Vector& file, const TypePtr& table_type,
                                ColumnMappingMode mode, const std::string& path) {
  const std::vector<Field>& file_fields = file.type()->fields();
  // Children are indexed like the struct's own buffers: row i at offset + i.
  const int64_t child_length = file.offset() + file.length();
  std::vector<VectorPtr> children;
  children.reserve(table_type->fields().size());
  for (const Field& table_field : table_type->fields()) {
    const std::string child_path = ChildPath(path, table_field.name);
    SLUICE_ASSIGN_OR_RETURN(std::optional<int> index,
                            MatchField(file_fields, table_field, mode, child_path));
    if (!index.has_value()) {
      children.push_back(MakeNullVector(table_field.type, child_length));
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(VectorPtr child,
                            Conform(file.child(*index), table_field.type, mode, child_path));
    children.push_back(std::move(child));
  }
  return Retype(file, table_type, std::move(children));
}

Result<VectorPtr> Conform(const VectorPtr& file, const TypePtr& table_type, ColumnMappingMode mode,
                          const std::string& path) {
  const DataType& from = *file->type();
  const DataType& to = *table_type;
  if (from.Equals(to)) {
    return file;
  }
  if (to.id() == TypeId::kNull || from.id() == TypeId::kNull) {
    return MakeNullVector(table_type, file->length());
  }
  if (to.id() == TypeId::kStruct || to.id() == TypeId::kArray || to.id() == TypeId::kMap ||
      to.id() == TypeId::kVariant) {
    if (from.id() != to.id()) {
      return TypeMismatch(path, from, to);
    }
  }
  switch (to.id()) {
    case TypeId::kStruct:
      return ConformStruct(*file, table_type, mode, path);
    case TypeId::kArray: {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr element, Conform(file->child(0), to.element_type(), mode,
                                                         ChildPath(path, "element")));
      return Retype(*file, table_type, {std::move(element)});
    }
    case TypeId::kMap: {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr keys,
                              Conform(file->child(0), to.key_type(), mode, ChildPath(path, "key")));
      SLUICE_ASSIGN_OR_RETURN(VectorPtr values, Conform(file->child(1), to.value_type(), mode,
                                                        ChildPath(path, "value")));
      return Retype(*file, table_type, {std::move(keys), std::move(values)});
    }
    case TypeId::kVariant:
      return Retype(*file, table_type, file->children());
    default:
      break;
  }
  const bool bytes = (from.id() == TypeId::kBinary && to.id() == TypeId::kString) ||
                     (from.id() == TypeId::kString && to.id() == TypeId::kBinary);
  if (bytes) {
    return RetypeBytes(*file, table_type, path);
  }
  if (from.id() == TypeId::kTimestampNtz && to.id() == TypeId::kTimestamp) {
    // A TIMESTAMP(isAdjustedToUTC=false) file column of a timestamp table column: the
    // microseconds are read as UTC, as Spark and delta-rs read them.
    return Retype(*file, table_type, {});
  }
  if (IsSupportedTypeWidening(from, to)) {
    return Widen(*file, table_type, path);
  }
  return TypeMismatch(path, from, to);
}

/// The number of integer digits every value of an integral type fits in, as Spark's
/// DecimalType.forType counts them (3 for byte, 5 for short, 10 for int, 20 for long).
/// The protocol's Type Widening table lists only decimal(10 + k1, k2) for byte, short
/// and int, but Delta Spark widens byte to decimal(4,1) and delta-kernel-rs reads it.
int IntegerDigits(TypeId id) {
  switch (id) {
    case TypeId::kByte:
      return 3;
    case TypeId::kShort:
      return 5;
    case TypeId::kInt:
      return 10;
    default:
      return 20;
  }
}

/// Parses a type name of a type change record ("integer", "decimal(10, 2)").
Result<TypePtr> ParseTypeName(const JsonValue* name, const std::string& path) {
  if (name == nullptr || !name->is_string()) {
    return Status::Corruption(
        fmt::format("Type change record (field metadata {}) lacks a fromType or toType string: {}",
                    kTypeChangesKey, path));
  }
  Result<TypePtr> type = TypeFromJson(JsonValue::String(name->text()).Serialize());
  if (!type.ok()) {
    return Status::Corruption(
        fmt::format("Type change record (field metadata {}) has an unknown type: {} {} ({})",
                    kTypeChangesKey, path, name->text(), type.status().message()));
  }
  return type;
}

Status CheckFieldTypeChanges(const Field& field, const std::string& path) {
  const std::string* text = FindFieldMetadata(field, kTypeChangesKey);
  if (text == nullptr) {
    return Status::Ok();
  }
  Result<JsonValue> changes = JsonValue::Parse(*text);
  if (!changes.ok() || !changes->is_array()) {
    return Status::Corruption(fmt::format("Field metadata {} is not a JSON array: {} = {}",
                                          kTypeChangesKey, path, *text));
  }
  for (const JsonValue& change : changes->items()) {
    std::string where = path;
    if (const JsonValue* field_path = change.Find("fieldPath"); field_path != nullptr) {
      where = field_path->is_string() ? ChildPath(path, field_path->text()) : path;
    }
    SLUICE_ASSIGN_OR_RETURN(TypePtr from, ParseTypeName(change.Find("fromType"), where));
    SLUICE_ASSIGN_OR_RETURN(TypePtr to, ParseTypeName(change.Find("toType"), where));
    if (!IsSupportedTypeWidening(*from, *to)) {
      return Status::NotImplemented(
          fmt::format("Unsupported type change recorded in the table schema: {} from {} to {}",
                      where, from->ToString(), to->ToString()));
    }
  }
  return Status::Ok();
}

Status CheckNestedTypeChanges(const DataType& type, const std::string& path) {
  switch (type.id()) {
    case TypeId::kStruct:
      for (const Field& field : type.fields()) {
        const std::string child_path = path.empty() ? field.name : ChildPath(path, field.name);
        SLUICE_RETURN_IF_ERROR(CheckFieldTypeChanges(field, child_path));
        SLUICE_RETURN_IF_ERROR(CheckNestedTypeChanges(*field.type, child_path));
      }
      return Status::Ok();
    case TypeId::kArray:
      return CheckNestedTypeChanges(*type.element_type(), ChildPath(path, "element"));
    case TypeId::kMap:
      SLUICE_RETURN_IF_ERROR(CheckNestedTypeChanges(*type.key_type(), ChildPath(path, "key")));
      return CheckNestedTypeChanges(*type.value_type(), ChildPath(path, "value"));
    default:
      return Status::Ok();
  }
}

}  // namespace

Status CheckTypeChanges(const Schema& schema) {
  return CheckNestedTypeChanges(*schema.struct_type(), "");
}

bool IsSupportedTypeWidening(const DataType& from, const DataType& to) {
  switch (from.id()) {
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
      if (to.is_integral()) {
        return ValueWidth(to.id()) > ValueWidth(from.id());
      }
      if (to.id() == TypeId::kDouble) {
        return from.id() != TypeId::kLong;
      }
      return to.id() == TypeId::kDecimal && to.precision() - to.scale() >= IntegerDigits(from.id());
    case TypeId::kFloat:
      return to.id() == TypeId::kDouble;
    case TypeId::kDate:
      return to.id() == TypeId::kTimestampNtz;
    case TypeId::kDecimal:
      // decimal(p, s) -> decimal(p + k1, s + k2) with k1 >= k2 >= 0, not the identity.
      return to.id() == TypeId::kDecimal && to.scale() >= from.scale() &&
             to.precision() - to.scale() >= from.precision() - from.scale() &&
             (to.precision() != from.precision() || to.scale() != from.scale());
    default:
      return false;
  }
}

Result<std::optional<int>> FindFileColumn(const Schema& file_schema, const Field& table_field,
                                          ColumnMappingMode mode) {
  return MatchField(file_schema.fields(), table_field, mode, table_field.name);
}

Result<VectorPtr> ConformVector(const VectorPtr& file_vector, const Field& file_field,
                                const Field& table_field, ColumnMappingMode mode) {
  SLUICE_DCHECK(file_vector->type_id() == file_field.type->id(),
                "file vector of type {} for file field {} of type {}",
                file_vector->type()->ToString(), file_field.name, file_field.type->ToString());
  return Conform(file_vector, table_field.type, mode, table_field.name);
}

Result<BatchPtr> ConformBatch(const Batch& file_batch, const SchemaPtr& table_schema,
                              ColumnMappingMode mode) {
  const Schema& file_schema = *file_batch.schema();
  std::vector<VectorPtr> columns;
  columns.reserve(table_schema->fields().size());
  for (const Field& table_field : table_schema->fields()) {
    SLUICE_ASSIGN_OR_RETURN(std::optional<int> index,
                            FindFileColumn(file_schema, table_field, mode));
    if (!index.has_value()) {
      columns.push_back(MakeNullVector(table_field.type, file_batch.num_rows()));
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(
        VectorPtr column,
        ConformVector(file_batch.column(*index), file_schema.field(*index), table_field, mode));
    columns.push_back(std::move(column));
  }
  return Batch::Make(table_schema, std::move(columns), file_batch.num_rows());
}

VectorPtr MakeNullVector(const TypePtr& type, int64_t length) {
  if (type->id() == TypeId::kNull) {
    return std::make_shared<const Vector>(type, length, length, nullptr, nullptr, nullptr,
                                          std::vector<VectorPtr>{});
  }
  std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type);
  builder->Reserve(length);
  for (int64_t i = 0; i < length; ++i) {
    builder->AppendNull();
  }
  return builder->Finish();
}

}  // namespace sluice::delta
