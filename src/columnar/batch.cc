// SPDX-License-Identifier: Apache-2.0
#include "columnar/batch.h"

#include <fmt/format.h>

namespace sluice {

Result<BatchPtr> Batch::Make(SchemaPtr schema, std::vector<VectorPtr> columns, int64_t num_rows) {
  if (static_cast<int>(columns.size()) != schema->num_fields()) {
    return Status::InvalidArgument(fmt::format("batch has {} columns but its schema has {}",
                                               columns.size(), schema->num_fields()));
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    const Field& field = schema->field(static_cast<int>(i));
    if (columns[i] == nullptr || columns[i]->length() != num_rows) {
      return Status::InvalidArgument(
          fmt::format("column '{}' has {} rows, the batch {}", field.name,
                      columns[i] == nullptr ? 0 : columns[i]->length(), num_rows));
    }
    if (!columns[i]->type()->Equals(*field.type)) {
      return Status::InvalidArgument(fmt::format("column '{}' is {}, its field {}", field.name,
                                                 columns[i]->type()->ToString(),
                                                 field.type->ToString()));
    }
  }
  return std::make_shared<const Batch>(std::move(schema), std::move(columns), num_rows);
}

BatchPtr Batch::MakeEmpty(SchemaPtr schema) {
  BatchBuilder builder(std::move(schema));
  return builder.Finish();
}

Batch::Batch(SchemaPtr schema, std::vector<VectorPtr> columns, int64_t num_rows)
    : schema_(std::move(schema)), columns_(std::move(columns)), num_rows_(num_rows) {}

BatchPtr Batch::Slice(int64_t offset, int64_t length) const {
  SLUICE_CHECK(offset >= 0 && length >= 0 && offset + length <= num_rows_,
               "slice [{}, {}) of a batch of {} rows", offset, offset + length, num_rows_);
  std::vector<VectorPtr> columns;
  columns.reserve(columns_.size());
  for (const VectorPtr& column : columns_) {
    columns.push_back(column->Slice(offset, length));
  }
  return std::make_shared<const Batch>(schema_, std::move(columns), length);
}

BatchBuilder::BatchBuilder(SchemaPtr schema) : schema_(std::move(schema)) {
  builders_.reserve(schema_->num_fields());
  for (const Field& field : schema_->fields()) {
    builders_.push_back(VectorBuilder::Make(field.type));
  }
}

int64_t BatchBuilder::num_rows() const {
  return builders_.empty() ? empty_rows_ : builders_[0]->length();
}

void BatchBuilder::Truncate(int64_t num_rows) {
  for (auto& builder : builders_) {
    // Also when the column is exactly num_rows long: a struct may have children that a
    // half-read row already appended to.
    if (builder->length() >= num_rows) {
      builder->Truncate(num_rows);
    }
  }
  if (empty_rows_ > num_rows) {
    empty_rows_ = num_rows;
  }
}

BatchPtr BatchBuilder::Finish() {
  const int64_t rows = num_rows();
  std::vector<VectorPtr> columns;
  columns.reserve(builders_.size());
  for (size_t i = 0; i < builders_.size(); ++i) {
    SLUICE_CHECK(builders_[i]->length() == rows, "column '{}' has {} rows, column 0 {}",
                 schema_->field(static_cast<int>(i)).name, builders_[i]->length(), rows);
    columns.push_back(builders_[i]->Finish());
  }
  empty_rows_ = 0;
  return std::make_shared<const Batch>(schema_, std::move(columns), rows);
}

}  // namespace sluice
