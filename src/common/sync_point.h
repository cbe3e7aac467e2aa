// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"

/// Named sync points (RocksDB's sync/kill points): code calls SLUICE_SYNC_POINT("Area::Point")
/// at places where a crash or an interleaving matters; tests install a callback that may
/// fail the call (a simulated crash: the caller returns the error as if the process died
/// there) or block. With no callback installed a sync point costs one relaxed atomic load.
namespace sluice {

class SyncPoints {
 public:
  /// A callback receives the point's name; a non-OK status is returned by the sync point.
  using Callback = std::function<Status(std::string_view point)>;

  /// Installs `callback` for every sync point (replacing any previous one). Safe for
  /// concurrent use with Process.
  static void SetCallback(Callback callback);
  /// Removes the callback.
  static void ClearCallback();
  /// Runs the installed callback for `point`, or returns OK.
  static Status Process(std::string_view point);
};

}  // namespace sluice

#define SLUICE_SYNC_POINT(name) ::sluice::SyncPoints::Process(name)
