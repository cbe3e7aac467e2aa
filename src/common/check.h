// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <fmt/format.h>

#include <string>
#include <utility>

namespace sluice::internal {

/// Prints the failed check and aborts. Never returns.
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition,
                              const std::string& message);

inline std::string CheckMessage() {
  return {};
}
template <typename... Args>
std::string CheckMessage(fmt::format_string<Args...> format, Args&&... args) {
  return fmt::format(format, std::forward<Args>(args)...);
}

}  // namespace sluice::internal

/// Always-on check of an internal invariant; aborts with a message when it fails.
/// Never use it for conditions caused by user input: return a Status instead.
#define SLUICE_CHECK(cond, ...)                                                       \
  do {                                                                                \
    if (!(cond)) [[unlikely]] {                                                       \
      ::sluice::internal::CheckFailed(__FILE__, __LINE__, #cond,                      \
                                      ::sluice::internal::CheckMessage(__VA_ARGS__)); \
    }                                                                                 \
  } while (false)

/// Checks `a == b` and prints both values when they differ.
#define SLUICE_CHECK_EQ(a, b)                                                           \
  do {                                                                                  \
    const auto& _sluice_a = (a);                                                        \
    const auto& _sluice_b = (b);                                                        \
    if (!(_sluice_a == _sluice_b)) [[unlikely]] {                                       \
      ::sluice::internal::CheckFailed(__FILE__, __LINE__, #a " == " #b,                 \
                                      ::fmt::format("{} vs {}", _sluice_a, _sluice_b)); \
    }                                                                                   \
  } while (false)

#ifdef NDEBUG
#define SLUICE_DCHECK(cond, ...) \
  do {                           \
  } while (false && (cond))
#else
#define SLUICE_DCHECK(cond, ...) SLUICE_CHECK(cond __VA_OPT__(, ) __VA_ARGS__)
#endif
