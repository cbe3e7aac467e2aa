// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/shredder.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

namespace sluice::parquet {
namespace {

// Returns whether a non-nullable node under `node` (or `node` itself) holds a null,
// judged by null counts alone (a null there may still be hidden by a null ancestor).
bool MayHideNulls(const WriteNode& node, const Vector& vector) {
  if (!node.optional && vector.null_count() > 0) {
    return true;
  }
  switch (node.kind) {
    case WriteNode::Kind::kPrimitive:
      return false;
    case WriteNode::Kind::kStruct:
    case WriteNode::Kind::kVariant:
    case WriteNode::Kind::kList:
    case WriteNode::Kind::kMap:
      for (size_t i = 0; i < node.children.size(); ++i) {
        // A list's element and a map's key and value are child 0 and 1, like a struct's
        // fields.
        if (MayHideNulls(node.children[i], *vector.child(static_cast<int>(i)))) {
          return true;
        }
      }
      return false;
  }
  return false;
}

}  // namespace

void Shredder::EmitNull(const WriteNode& node, int16_t def, int16_t rep) {
  for (int leaf = node.first_leaf; leaf < node.end_leaf; ++leaf) {
    LeafLevels& levels = (*leaves_)[leaf];
    levels.definition_levels.push_back(def);
    levels.repetition_levels.push_back(rep);
  }
}

template <bool kEmit>
bool Shredder::Visit(const WriteNode& node, const Vector& vector, int64_t index, int16_t def,
                     int16_t rep) {
  if (vector.IsNull(index)) {
    if (!node.optional) {
      if constexpr (!kEmit) {
        null_path_.push_back(&node);
      }
      return false;
    }
    if constexpr (kEmit) {
      EmitNull(node, def, rep);
    }
    return true;
  }
  if (node.optional) {
    ++def;
  }
  bool ok = true;
  switch (node.kind) {
    case WriteNode::Kind::kPrimitive:
      if constexpr (kEmit) {
        LeafLevels& levels = (*leaves_)[node.first_leaf];
        levels.definition_levels.push_back(def);
        levels.repetition_levels.push_back(rep);
        levels.value_indices.push_back(index);
        levels.values = &vector;
      }
      break;
    case WriteNode::Kind::kStruct:
    case WriteNode::Kind::kVariant: {
      // Struct (and variant) children are as long as the parent and share its offset.
      const int64_t child_index = vector.offset() + index;
      for (size_t i = 0; i < node.children.size() && ok; ++i) {
        ok = Visit<kEmit>(node.children[i], *vector.child(static_cast<int>(i)), child_index, def,
                          rep);
      }
      break;
    }
    case WriteNode::Kind::kList:
    case WriteNode::Kind::kMap: {
      const int64_t start = vector.ListStart(index);
      const int64_t end = vector.ListEnd(index);
      if (start >= end) {
        if constexpr (kEmit) {
          EmitNull(node, def, rep);
        }
        break;
      }
      const int16_t inner_def = static_cast<int16_t>(def + 1);
      for (int64_t element = start; element < end && ok; ++element) {
        const int16_t element_rep = element == start ? rep : node.repetition_level;
        for (size_t i = 0; i < node.children.size() && ok; ++i) {
          ok = Visit<kEmit>(node.children[i], *vector.child(static_cast<int>(i)), element,
                            inner_def, element_rep);
        }
      }
      break;
    }
  }
  if constexpr (!kEmit) {
    if (!ok) {
      null_path_.push_back(&node);
    }
  }
  return ok;
}

void Shredder::Shred(const WriteNode& node, const Vector& column, std::vector<LeafLevels>* leaves) {
  leaves_ = leaves;
  for (int leaf = node.first_leaf; leaf < node.end_leaf; ++leaf) {
    (*leaves)[leaf].Clear();
  }
  const int64_t rows = column.length();
  for (int64_t row = 0; row < rows; ++row) {
    Visit<true>(node, column, row, 0, 0);
  }
  leaves_ = nullptr;
}

Status Shredder::CheckNulls(const WriteNode& node, const Vector& column, int64_t first_row) {
  if (!MayHideNulls(node, column)) {
    return Status::Ok();
  }
  const int64_t rows = column.length();
  for (int64_t row = 0; row < rows; ++row) {
    null_path_.clear();
    if (Visit<false>(node, column, row, 0, 0)) {
      continue;
    }
    // null_path_ runs from the null field up to the column; list and map levels show as
    // their element, key and value names, as in the Parquet schema.
    std::string path;
    for (auto it = null_path_.rbegin(); it != null_path_.rend(); ++it) {
      if (!path.empty()) {
        path += '.';
      }
      path += (*it)->name;
    }
    return Status::InvalidArgument(
        fmt::format("Null value in non-nullable field: {} at row {}", path, first_row + row));
  }
  return Status::Ok();
}

}  // namespace sluice::parquet
