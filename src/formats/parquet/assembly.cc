// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/assembly.h"

#include <fmt/format.h>

#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "columnar/buffer.h"

namespace sluice::parquet {
namespace {

constexpr int64_t kMaxOffset = std::numeric_limits<int32_t>::max();

/// The levels of one leaf; a null pointer stands for all zeros (maximum level 0).
struct Levels {
  const int16_t* def = nullptr;
  const int16_t* rep = nullptr;
  int64_t count = 0;
  /// A flat leaf's definition levels (maximum 1) as a bitmap, in place of `def`
  /// (LeafData::definition_bitmap): `validity` null means all ones.
  bool bitmap = false;
  BufferPtr validity;
  int64_t null_count = 0;
};

/// The entries of a node: how many, and which are valid.
struct Entries {
  int64_t length = 0;
  int64_t null_count = 0;
  /// One bit per entry, set when valid; nullptr when every entry is valid.
  BufferPtr validity;
};

/// Cuts `levels` into the entries of `node` (see FieldNode).
Entries ComputeEntries(const FieldNode& node, const Levels& levels) {
  Entries out;
  const int16_t def_level = node.definition_level;
  if (levels.bitmap) {
    // Flat (CheckLeaves saw no repetition): every slot is an entry, valid where its level
    // (0 or 1) reaches the node's, which is 0 or 1.
    out.length = levels.count;
    if (def_level > 0) {
      out.null_count = levels.null_count;
      out.validity = levels.validity;
    }
    return out;
  }
  if (levels.def == nullptr || def_level == 0) {
    // Every slot that is an entry is valid.
    if (levels.rep == nullptr) {
      out.length = levels.count;
    } else {
      for (int64_t i = 0; i < levels.count; ++i) {
        const int16_t def = levels.def == nullptr ? 0 : levels.def[i];
        out.length += levels.rep[i] <= node.repetition_level &&
                      def >= node.repeated_ancestor_definition_level;
      }
    }
    return out;
  }
  auto validity = std::make_shared<Buffer>(bits::BytesFor(levels.count));
  uint8_t* bitmap = validity->mutable_data();
  int64_t length = 0;
  if (levels.rep == nullptr && node.repeated_ancestor_definition_level == 0) {
    for (int64_t i = 0; i < levels.count; ++i) {
      if (levels.def[i] >= def_level) {
        bits::Set(bitmap, i);
      }
    }
    length = levels.count;
  } else {
    const int16_t rep_level = node.repetition_level;
    const int16_t ancestor_def = node.repeated_ancestor_definition_level;
    for (int64_t i = 0; i < levels.count; ++i) {
      const int16_t rep = levels.rep == nullptr ? 0 : levels.rep[i];
      const int16_t def = levels.def[i];
      if (rep <= rep_level && def >= ancestor_def) {
        if (def >= def_level) {
          bits::Set(bitmap, length);
        }
        ++length;
      }
    }
  }
  out.length = length;
  out.null_count = length - bits::CountSet(bitmap, 0, length);
  if (out.null_count > 0) {
    validity->Resize(bits::BytesFor(length));
    out.validity = std::move(validity);
  }
  return out;
}

/// Copies value k of `values` (W bytes wide) to slot j for every valid slot j.
template <int W>
BufferPtr ScatterFixed(const Vector& values, const uint8_t* valid, int64_t length) {
  auto out = std::make_shared<Buffer>(length * W);
  const uint8_t* src = values.values_buffer()->data() + values.offset() * W;
  uint8_t* dst = out->mutable_data();
  int64_t k = 0;
  for (int64_t j = 0; j < length; ++j) {
    if (bits::Get(valid, j)) {
      std::memcpy(dst + j * W, src + k * W, W);
      ++k;
    }
  }
  return out;
}

BufferPtr ScatterBits(const Vector& values, const uint8_t* valid, int64_t length) {
  auto out = std::make_shared<Buffer>(bits::BytesFor(length));
  const uint8_t* src = values.values_buffer()->data();
  uint8_t* dst = out->mutable_data();
  int64_t k = values.offset();
  for (int64_t j = 0; j < length; ++j) {
    if (bits::Get(valid, j)) {
      if (bits::Get(src, k)) {
        bits::Set(dst, j);
      }
      ++k;
    }
  }
  return out;
}

/// String and binary: new offsets into the leaf's bytes, which are shared.
BufferPtr ScatterOffsets(const Vector& values, const uint8_t* valid, int64_t length) {
  auto out = std::make_shared<Buffer>((length + 1) * static_cast<int64_t>(sizeof(int32_t)));
  const int32_t* src = values.values_buffer()->data_as<int32_t>() + values.offset();
  int32_t* dst = out->mutable_data_as<int32_t>();
  int64_t k = 0;
  dst[0] = src[0];
  for (int64_t j = 0; j < length; ++j) {
    k += bits::Get(valid, j);
    dst[j + 1] = src[k];
  }
  return out;
}

class Assembler {
 public:
  Assembler(const FieldNode& column, std::span<const LeafData> leaves)
      : column_(column), leaves_(leaves) {}

  /// Checks every leaf's levels and value count against the schema.
  Status CheckLeaves(const FieldNode& node) {
    if (node.kind != FieldKind::kPrimitive) {
      for (const FieldNode& child : node.children) {
        SLUICE_RETURN_IF_ERROR(CheckLeaves(child));
      }
      return Status::Ok();
    }
    const LeafData& leaf = LeafOf(node);
    const int64_t count = leaf.num_levels;
    if (count < 0) {
      return Fail(node, fmt::format("a negative number of levels ({})", count));
    }
    if (leaf.definition_bitmap) {
      return CheckBitmapLeaf(node, leaf);
    }
    if (leaf.definition_levels.empty()
            ? (node.definition_level > 0 && count > 0)
            : static_cast<int64_t>(leaf.definition_levels.size()) != count) {
      return Fail(node, fmt::format("{} definition levels for {} slots",
                                    leaf.definition_levels.size(), count));
    }
    if (leaf.repetition_levels.empty()
            ? (node.repetition_level > 0 && count > 0)
            : static_cast<int64_t>(leaf.repetition_levels.size()) != count) {
      return Fail(node, fmt::format("{} repetition levels for {} slots",
                                    leaf.repetition_levels.size(), count));
    }
    int64_t present = count;
    if (!leaf.definition_levels.empty()) {
      const int16_t max = node.definition_level;
      present = 0;
      for (int16_t def : leaf.definition_levels) {
        if (def < 0 || def > max) [[unlikely]] {
          return Fail(node, fmt::format("definition level {} out of range [0, {}]", def, max));
        }
        present += def == max;
      }
    }
    if (!leaf.repetition_levels.empty()) {
      const int16_t max = node.repetition_level;
      for (int16_t rep : leaf.repetition_levels) {
        if (rep < 0 || rep > max) [[unlikely]] {
          return Fail(node, fmt::format("repetition level {} out of range [0, {}]", rep, max));
        }
      }
      if (count > 0 && leaf.repetition_levels[0] != 0) {
        return Fail(node, fmt::format("the first repetition level is {}, not 0",
                                      leaf.repetition_levels[0]));
      }
    }
    if (node.type->id() == TypeId::kNull) {
      return Status::Ok();  // the values of a void column are never looked at
    }
    if (leaf.values == nullptr || leaf.values->length() != present) {
      return Fail(node, fmt::format("{} values for {} non-null slots",
                                    leaf.values == nullptr ? 0 : leaf.values->length(), present));
    }
    return Status::Ok();
  }

  /// CheckLeaves for a leaf whose definition levels are a bitmap.
  Status CheckBitmapLeaf(const FieldNode& node, const LeafData& leaf) const {
    const int64_t count = leaf.num_levels;
    if (node.definition_level != 1 || node.repetition_level != 0 ||
        !leaf.definition_levels.empty() || !leaf.repetition_levels.empty()) {
      return Fail(node, "definition levels as a bitmap for a leaf that is not flat and optional");
    }
    if (leaf.null_count < 0 || leaf.null_count > count ||
        (leaf.validity == nullptr ? leaf.null_count != 0
                                  : leaf.validity->size() < bits::BytesFor(count))) {
      return Fail(node, fmt::format("a definition bitmap of {} nulls for {} slots", leaf.null_count,
                                    count));
    }
    if (node.type->id() == TypeId::kNull) {
      return Status::Ok();
    }
    const int64_t present = count - leaf.null_count;
    if (leaf.values == nullptr || leaf.values->length() != present) {
      return Fail(node, fmt::format("{} values for {} non-null slots",
                                    leaf.values == nullptr ? 0 : leaf.values->length(), present));
    }
    return Status::Ok();
  }

  Result<VectorPtr> Assemble(const FieldNode& node) {
    switch (node.kind) {
      case FieldKind::kPrimitive:
        return AssemblePrimitive(node);
      case FieldKind::kStruct:
        return AssembleStruct(node);
      case FieldKind::kList:
      case FieldKind::kMap:
        return AssembleList(node);
      case FieldKind::kVariant:
        return AssembleVariant(node);
    }
    return Status::Internal("unknown field kind");
  }

  Status Fail(const FieldNode& node, std::string_view what) const {
    if (&node == &column_ || node.name == column_.name) {
      return Status::Corruption(fmt::format("column '{}': {}", column_.name, what));
    }
    return Status::Corruption(
        fmt::format("column '{}' (field '{}'): {}", column_.name, node.name, what));
  }

 private:
  const LeafData& LeafOf(const FieldNode& node) const {
    return leaves_[static_cast<size_t>(node.first_leaf - column_.first_leaf)];
  }

  Levels LevelsOf(const FieldNode& node) const {
    const LeafData& leaf = LeafOf(node);
    Levels levels;
    levels.def = leaf.definition_levels.empty() ? nullptr : leaf.definition_levels.data();
    levels.rep = leaf.repetition_levels.empty() ? nullptr : leaf.repetition_levels.data();
    levels.count = leaf.num_levels;
    levels.bitmap = leaf.definition_bitmap;
    levels.validity = leaf.validity;
    levels.null_count = leaf.null_count;
    return levels;
  }

  Result<VectorPtr> AssemblePrimitive(const FieldNode& node) {
    const LeafData& leaf = LeafOf(node);
    const Entries entries = ComputeEntries(node, LevelsOf(node));
    const int64_t length = entries.length;
    if (node.type->id() == TypeId::kNull) {
      return std::make_shared<const Vector>(node.type, length, length, nullptr, nullptr, nullptr,
                                            std::vector<VectorPtr>{});
    }
    const Vector& values = *leaf.values;
    if (entries.validity == nullptr) {
      // Every entry holds a value, in order: the values are the column (no copy).
      if (length != values.length()) {
        return Fail(node, fmt::format("{} entries for {} values", length, values.length()));
      }
      if (values.type()->Equals(*node.type) && values.null_count() == 0) {
        return leaf.values;
      }
      return std::make_shared<const Vector>(node.type, length, 0, nullptr, values.values_buffer(),
                                            values.data_buffer(), std::vector<VectorPtr>{},
                                            values.offset());
    }
    const uint8_t* valid = entries.validity->data();
    BufferPtr out_values;
    BufferPtr out_data;
    switch (node.type->id()) {
      case TypeId::kBoolean:
        out_values = ScatterBits(values, valid, length);
        break;
      case TypeId::kString:
      case TypeId::kBinary:
        out_values = ScatterOffsets(values, valid, length);
        out_data = values.data_buffer();
        break;
      default:
        switch (ValueWidth(node.type->id())) {
          case 1:
            out_values = ScatterFixed<1>(values, valid, length);
            break;
          case 2:
            out_values = ScatterFixed<2>(values, valid, length);
            break;
          case 4:
            out_values = ScatterFixed<4>(values, valid, length);
            break;
          case 8:
            out_values = ScatterFixed<8>(values, valid, length);
            break;
          case 16:
            out_values = ScatterFixed<16>(values, valid, length);
            break;
          default:
            return Status::Internal(fmt::format("column '{}': cannot assemble values of type {}",
                                                column_.name, node.type->ToString()));
        }
    }
    // A required value below a null struct has no value either; it reads as a default
    // (0, empty) so that the column keeps its declared non-nullability.
    const bool keep_nulls = node.nullable;
    return std::make_shared<const Vector>(node.type, length, keep_nulls ? entries.null_count : 0,
                                          keep_nulls ? entries.validity : nullptr,
                                          std::move(out_values), std::move(out_data),
                                          std::vector<VectorPtr>{});
  }

  Result<VectorPtr> AssembleStruct(const FieldNode& node) {
    const Entries entries = ComputeEntries(node, LevelsOf(node));
    std::vector<VectorPtr> children;
    children.reserve(node.children.size());
    for (const FieldNode& child : node.children) {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr vector, Assemble(child));
      if (vector->length() != entries.length) {
        return Fail(node, fmt::format("columns of different lengths: field '{}' has {} values "
                                      "where the struct has {}",
                                      child.name, vector->length(), entries.length));
      }
      children.push_back(std::move(vector));
    }
    const bool keep_nulls = node.nullable;
    return std::make_shared<const Vector>(
        node.type, entries.length, keep_nulls ? entries.null_count : 0,
        keep_nulls ? entries.validity : nullptr, nullptr, nullptr, std::move(children));
  }

  /// Lists, maps and maps read as lists of keys: offsets from the levels, then the
  /// elements (or keys and values).
  Result<VectorPtr> AssembleList(const FieldNode& node) {
    const Levels levels = LevelsOf(node);
    const FieldNode& element = node.children[0];
    auto offsets =
        std::make_shared<Buffer>((levels.count + 1) * static_cast<int64_t>(sizeof(int32_t)));
    int32_t* offset = offsets->mutable_data_as<int32_t>();
    auto validity = std::make_shared<Buffer>(bits::BytesFor(levels.count));
    uint8_t* bitmap = validity->mutable_data();
    const int16_t entry_rep = node.repetition_level;
    const int16_t entry_ancestor_def = node.repeated_ancestor_definition_level;
    const int16_t valid_def = node.definition_level;
    const int16_t element_rep = element.repetition_level;
    const int16_t element_def = element.repeated_ancestor_definition_level;
    int64_t length = 0;
    int64_t elements = 0;
    int64_t null_count = 0;
    bool open = false;  // whether the current entry holds elements
    for (int64_t i = 0; i < levels.count; ++i) {
      const int16_t rep = levels.rep == nullptr ? 0 : levels.rep[i];
      const int16_t def = levels.def == nullptr ? 0 : levels.def[i];
      if (rep <= entry_rep && def >= entry_ancestor_def) {
        if (elements > kMaxOffset) {
          return Status::ResourceExhausted(
              fmt::format("column '{}': more than {} list elements in one row group", column_.name,
                          kMaxOffset));
        }
        offset[length] = static_cast<int32_t>(elements);
        if (def >= valid_def) {
          bits::Set(bitmap, length);
        } else {
          ++null_count;
        }
        open = def >= element_def;
        ++length;
      }
      if (rep <= element_rep && def >= element_def) {
        if (!open) [[unlikely]] {
          return Fail(node, fmt::format("level slot {} continues a null or empty list", i));
        }
        ++elements;
      }
    }
    if (elements > kMaxOffset) {
      return Status::ResourceExhausted(fmt::format(
          "column '{}': more than {} list elements in one row group", column_.name, kMaxOffset));
    }
    offset[length] = static_cast<int32_t>(elements);
    offsets->Resize((length + 1) * static_cast<int64_t>(sizeof(int32_t)));
    std::vector<VectorPtr> children;
    for (const FieldNode& child : node.children) {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr vector, Assemble(child));
      if (vector->length() != elements) {
        return Fail(node, fmt::format("columns of different lengths: '{}' has {} values where "
                                      "the levels give {} elements",
                                      child.name, vector->length(), elements));
      }
      children.push_back(std::move(vector));
    }
    if (node.kind == FieldKind::kMap && children[0]->null_count() > 0) {
      return Fail(node, "a map key is null");
    }
    const bool keep_nulls = node.nullable && null_count > 0;
    if (keep_nulls) {
      validity->Resize(bits::BytesFor(length));
    }
    return std::make_shared<const Vector>(node.type, length, keep_nulls ? null_count : 0,
                                          keep_nulls ? std::move(validity) : nullptr,
                                          std::move(offsets), nullptr, std::move(children));
  }

  Result<VectorPtr> AssembleVariant(const FieldNode& node) {
    const Entries entries = ComputeEntries(node, LevelsOf(node));
    std::vector<VectorPtr> parts;
    for (const FieldNode& child : node.children) {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr vector, AssemblePrimitive(child));
      if (vector->length() != entries.length) {
        return Fail(node, fmt::format("columns of different lengths: '{}' has {} values where "
                                      "the variant has {}",
                                      child.name, vector->length(), entries.length));
      }
      // The parts of a null variant are empty, not null.
      parts.push_back(std::make_shared<const Vector>(BinaryType(), vector->length(), 0, nullptr,
                                                     vector->values_buffer(), vector->data_buffer(),
                                                     std::vector<VectorPtr>{}, vector->offset()));
    }
    const bool keep_nulls = node.nullable;
    return std::make_shared<const Vector>(
        node.type, entries.length, keep_nulls ? entries.null_count : 0,
        keep_nulls ? entries.validity : nullptr, nullptr, nullptr, std::move(parts));
  }

  const FieldNode& column_;
  std::span<const LeafData> leaves_;
};

}  // namespace

Result<VectorPtr> AssembleColumn(const FieldNode& column, std::span<const LeafData> leaves,
                                 int64_t num_rows) {
  Assembler assembler(column, leaves);
  if (column.num_leaves <= 0 || static_cast<int64_t>(leaves.size()) != column.num_leaves) {
    return Status::Internal(fmt::format("column '{}': {} leaves given for {}", column.name,
                                        leaves.size(), column.num_leaves));
  }
  SLUICE_RETURN_IF_ERROR(assembler.CheckLeaves(column));
  SLUICE_ASSIGN_OR_RETURN(VectorPtr vector, assembler.Assemble(column));
  if (vector->length() != num_rows) {
    return assembler.Fail(
        column, fmt::format("{} rows where the row group has {}", vector->length(), num_rows));
  }
  return vector;
}

}  // namespace sluice::parquet
