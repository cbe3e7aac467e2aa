// SPDX-License-Identifier: Apache-2.0
#include "stop_signal.h"

#include <signal.h>

#include <atomic>

namespace sluice::cli {
namespace {

std::atomic<int> g_stop_signal{0};

void OnStopSignal(int signal_number) {
  g_stop_signal.store(signal_number, std::memory_order_relaxed);
}

}  // namespace

void CatchStopSignals() {
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int StopSignal() {
  return g_stop_signal.load(std::memory_order_relaxed);
}

}  // namespace sluice::cli
