// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <utility>
#include <variant>

#include "common/check.h"
#include "common/status.h"

namespace sluice {

/// Holds either a value of type T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : storage_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status)                            // NOLINT(google-explicit-constructor)
      : storage_(std::move(status)) {
    SLUICE_CHECK(!std::get<Status>(storage_).ok(), "Result built from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(storage_); }

  /// Returns the error, or OK when a value is held.
  Status status() const& { return ok() ? Status::Ok() : std::get<Status>(storage_); }
  Status status() && { return ok() ? Status::Ok() : std::move(std::get<Status>(storage_)); }

  /// Returns the value; aborts when an error is held.
  const T& value() const& {
    SLUICE_CHECK(ok(), "Result::value() on error: {}", std::get<Status>(storage_).ToString());
    return std::get<T>(storage_);
  }
  T& value() & {
    SLUICE_CHECK(ok(), "Result::value() on error: {}", std::get<Status>(storage_).ToString());
    return std::get<T>(storage_);
  }
  T value() && {
    SLUICE_CHECK(ok(), "Result::value() on error: {}", std::get<Status>(storage_).ToString());
    return std::move(std::get<T>(storage_));
  }
  T ValueUnsafe() && { return std::move(std::get<T>(storage_)); }

  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  /// Returns the value, or `fallback` when an error is held.
  T ValueOr(T fallback) && { return ok() ? std::move(std::get<T>(storage_)) : fallback; }

 private:
  std::variant<T, Status> storage_;
};

}  // namespace sluice
