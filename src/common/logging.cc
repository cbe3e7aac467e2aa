// SPDX-License-Identifier: Apache-2.0
#include "common/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdlib>
#include <memory>

namespace sluice {
namespace {

LogLevel InitialLevel() {
  LogLevel level = LogLevel::kInfo;
  if (const char* env = std::getenv("SLUICE_LOG_LEVEL")) {
    if (!ParseLogLevel(env, &level)) {
      level = LogLevel::kInfo;
    }
  }
  return level;
}

// Relaxed: the level is a filter; a thread seeing a stale level for a moment is harmless.
std::atomic<LogLevel>& LevelRef() {
  static std::atomic<LogLevel> level{InitialLevel()};
  return level;
}

spdlog::logger& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto created = spdlog::stderr_color_mt("sluice");
    created->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%t] %v");
    created->set_level(spdlog::level::trace);
    return created;
  }();
  return *logger;
}

}  // namespace

void SetLogLevel(LogLevel level) {
  LevelRef().store(level, std::memory_order_relaxed);
}
LogLevel GetLogLevel() {
  return LevelRef().load(std::memory_order_relaxed);
}

bool ParseLogLevel(std::string_view name, LogLevel* level) {
  static constexpr std::pair<std::string_view, LogLevel> kNames[] = {
      {"trace", LogLevel::kTrace}, {"debug", LogLevel::kDebug}, {"info", LogLevel::kInfo},
      {"warn", LogLevel::kWarn},   {"error", LogLevel::kError}, {"off", LogLevel::kOff}};
  for (const auto& [text, value] : kNames) {
    if (name == text) {
      *level = value;
      return true;
    }
  }
  return false;
}

namespace internal {
void LogMessage(LogLevel level, std::string_view message) {
  spdlog::level::level_enum spd = spdlog::level::info;
  switch (level) {
    case LogLevel::kTrace:
      spd = spdlog::level::trace;
      break;
    case LogLevel::kDebug:
      spd = spdlog::level::debug;
      break;
    case LogLevel::kInfo:
      spd = spdlog::level::info;
      break;
    case LogLevel::kWarn:
      spd = spdlog::level::warn;
      break;
    case LogLevel::kError:
      spd = spdlog::level::err;
      break;
    case LogLevel::kOff:
      return;
  }
  Logger().log(spd, "{}", message);
}
}  // namespace internal

}  // namespace sluice
