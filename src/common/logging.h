// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <fmt/format.h>

#include <string_view>
#include <utility>

namespace sluice {

enum class LogLevel : uint8_t { kTrace, kDebug, kInfo, kWarn, kError, kOff };

/// Sets the process-wide log level (default kInfo, or SLUICE_LOG_LEVEL from the environment:
/// trace, debug, info, warn, error, off). Logs go to stderr. Thread-safe.
void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
/// Parses "trace".."off"; returns false on an unknown name.
bool ParseLogLevel(std::string_view name, LogLevel* level);

namespace internal {
void LogMessage(LogLevel level, std::string_view message);
}  // namespace internal

/// Logs a fmt-style message at `level` when enabled. Thread-safe.
template <typename... Args>
void Log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) {
  if (level >= GetLogLevel()) {
    internal::LogMessage(level, fmt::format(format, std::forward<Args>(args)...));
  }
}

}  // namespace sluice

#define SLUICE_LOG_DEBUG(...) ::sluice::Log(::sluice::LogLevel::kDebug, __VA_ARGS__)
#define SLUICE_LOG_INFO(...) ::sluice::Log(::sluice::LogLevel::kInfo, __VA_ARGS__)
#define SLUICE_LOG_WARN(...) ::sluice::Log(::sluice::LogLevel::kWarn, __VA_ARGS__)
#define SLUICE_LOG_ERROR(...) ::sluice::Log(::sluice::LogLevel::kError, __VA_ARGS__)
