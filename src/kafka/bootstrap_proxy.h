// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "common/result.h"

namespace sluice::kafka {

/// A TCP forwarder on a chosen loopback port to one broker, so `sluice kafka serve --port
/// N` can offer a fixed bootstrap address although the mock cluster picks its listener
/// ports itself. It forwards bytes only: a client that bootstraps through it learns the
/// brokers' real addresses from the metadata response and connects to them directly
/// afterwards. One thread polls every connection; Stop (or the destructor) closes them.
class BootstrapProxy {
 public:
  /// Listens on 127.0.0.1:`port` (0: a free port the system picks) and forwards every
  /// accepted connection to `target` ("host:port"). kUnavailable when the port is taken.
  static Result<std::unique_ptr<BootstrapProxy>> Start(int port, const std::string& target);
  ~BootstrapProxy();
  BootstrapProxy(const BootstrapProxy&) = delete;
  BootstrapProxy& operator=(const BootstrapProxy&) = delete;

  /// The port it listens on.
  int port() const { return port_; }
  /// "127.0.0.1:port".
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  /// Closes the listener and every forwarded connection; waits for the thread.
  void Stop();

 private:
  struct State;
  BootstrapProxy(std::unique_ptr<State> state, int port);
  std::unique_ptr<State> state_;
  int port_ = 0;
};

}  // namespace sluice::kafka
