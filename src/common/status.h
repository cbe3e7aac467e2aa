// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace sluice {

/// Classifies a failure. Tests match on the code, never on the full message.
enum class StatusCode : uint8_t {
  kOk,
  kInvalidArgument,
  kParseError,
  kBindError,
  kNotFound,
  kAlreadyExists,
  kIoError,
  kCorruption,
  kUnavailable,  // retriable
  kResourceExhausted,
  kCancelled,
  kNotImplemented,
  kInternal,
  kConflict,  // a concurrent writer committed something this operation conflicts with
};

/// Returns the name of `code`, e.g. "Parse error".
std::string_view StatusCodeName(StatusCode code);

/// The outcome of an operation that can fail for reasons outside the programmer's
/// control. Cheap when OK: one null pointer. Copyable and movable.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message);
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {StatusCode::kInvalidArgument, std::move(msg)};
  }
  static Status ParseError(std::string msg) { return {StatusCode::kParseError, std::move(msg)}; }
  static Status BindError(std::string msg) { return {StatusCode::kBindError, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) {
    return {StatusCode::kAlreadyExists, std::move(msg)};
  }
  static Status IoError(std::string msg) { return {StatusCode::kIoError, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status ResourceExhausted(std::string msg) {
    return {StatusCode::kResourceExhausted, std::move(msg)};
  }
  static Status Cancelled(std::string msg) { return {StatusCode::kCancelled, std::move(msg)}; }
  static Status NotImplemented(std::string msg) {
    return {StatusCode::kNotImplemented, std::move(msg)};
  }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status Conflict(std::string msg) { return {StatusCode::kConflict, std::move(msg)}; }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  /// Returns the message without the code's name; empty when OK.
  const std::string& message() const;
  /// Returns "<code name>: <message>", or "OK".
  std::string ToString() const;

  /// Returns this status with "<context>: " put before its message (no-op when OK).
  Status WithContext(std::string_view context) &&;
  Status WithContext(std::string_view context) const&;

  /// Marks a deliberately ignored status. Every call needs a comment saying why.
  void IgnoreError() const {}

  bool operator==(const Status& other) const {
    return code() == other.code() && message() == other.message();
  }

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  std::unique_ptr<State> state_;
};

}  // namespace sluice

/// Returns the Status of `expr` from the enclosing function when it is not OK.
#define SLUICE_RETURN_IF_ERROR(expr)          \
  do {                                        \
    ::sluice::Status _sluice_status = (expr); \
    if (!_sluice_status.ok()) [[unlikely]] {  \
      return _sluice_status;                  \
    }                                         \
  } while (false)

#define SLUICE_CONCAT_INNER(a, b) a##b
#define SLUICE_CONCAT(a, b) SLUICE_CONCAT_INNER(a, b)

/// Evaluates `rexpr` (a Result<T>); on error returns its Status from the enclosing
/// function, otherwise moves the value into `lhs` (which may be a declaration).
/// Expands to several statements: do not use as the body of an unbraced if.
#define SLUICE_ASSIGN_OR_RETURN(lhs, rexpr) \
  SLUICE_ASSIGN_OR_RETURN_IMPL(SLUICE_CONCAT(_sluice_result_, __LINE__), lhs, rexpr)

#define SLUICE_ASSIGN_OR_RETURN_IMPL(result_name, lhs, rexpr) \
  auto result_name = (rexpr);                                 \
  if (!result_name.ok()) [[unlikely]] {                       \
    return std::move(result_name).status();                   \
  }                                                           \
  lhs = std::move(result_name).ValueUnsafe()
