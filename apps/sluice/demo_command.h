// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace sluice::cli {

/// What `sluice demo` runs.
struct KafkaDemoRequest {
  /// The warehouse of the tables orders and orders_quarantine (sluice sql's default, so a
  /// second terminal finds them without flags).
  std::string warehouse = "sluice-warehouse";
  /// Where the broker's and generator's logs go.
  std::string dir = "sluice-demo";
  /// Order events a second the generator produces.
  int64_t rate = 200;
  /// Seconds between two reports.
  double refresh_seconds = 3;
  /// Seconds to run (0: until Ctrl-C).
  double duration_seconds = 0;
};

/// The product's main job on an embedded broker: starts `sluice kafka serve` and
/// `sluice gen orders` as child processes (the broker in its own process, as in
/// production), runs examples/pipelines/orders.sql (embedded) into `warehouse`, and
/// every few seconds prints the orders by region and the last progress of each
/// streaming table, until Ctrl-C (or `duration_seconds`). The demo's two tables are
/// replaced at start: the new broker's offsets start again at 0.
Status RunKafkaDemo(const KafkaDemoRequest& request);

}  // namespace sluice::cli
