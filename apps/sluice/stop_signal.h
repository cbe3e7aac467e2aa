// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace sluice::cli {

/// Catches SIGINT and SIGTERM for a long-running command: the handler only notes the
/// signal (system calls restart), and the command's main loop polls StopSignal() and
/// stops cleanly from its own thread.
void CatchStopSignals();

/// The stop signal caught since CatchStopSignals (SIGINT or SIGTERM), or 0.
int StopSignal();

}  // namespace sluice::cli
