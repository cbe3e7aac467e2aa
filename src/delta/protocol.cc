// SPDX-License-Identifier: Apache-2.0
#include "delta/protocol.h"

#include <fmt/format.h>

#include <array>
#include <string>
#include <vector>

namespace sluice::delta {

namespace {

// Reader features whose read-side requirements sluice meets. vacuumProtocolCheck only
// constrains VACUUM; v2Checkpoint, deletionVectors, columnMapping and timestampNtz are
// handled by log replay and scans.
constexpr std::array<std::string_view, 7> kSupportedReaderFeatures = {
    "columnMapping",       "deletionVectors", "timestampNtz",         "v2Checkpoint",
    "vacuumProtocolCheck", "typeWidening",    "typeWidening-preview",
};

}  // namespace

bool IsSupportedReaderFeature(std::string_view feature) {
  for (std::string_view supported : kSupportedReaderFeatures) {
    if (supported == feature)
      return true;
  }
  return false;
}

Status CheckReadable(const Protocol& protocol, std::string_view table_root) {
  std::vector<std::string> unsupported;
  if (protocol.reader_features.has_value()) {
    for (const std::string& feature : *protocol.reader_features) {
      if (!IsSupportedReaderFeature(feature))
        unsupported.push_back(feature);
    }
  }
  if (protocol.min_reader_version < 1 || protocol.min_reader_version > kMaxReaderVersion) {
    std::string features;
    if (!unsupported.empty()) {
      features = fmt::format(" and reader table feature(s) {}", fmt::join(unsupported, ", "));
    }
    return Status::NotImplemented(fmt::format(
        "Delta table '{}' requires reader version {}{}, but sluice supports reader versions 1 "
        "to {}",
        table_root, protocol.min_reader_version, features, kMaxReaderVersion));
  }
  if (protocol.min_reader_version == 3 && !unsupported.empty()) {
    return Status::NotImplemented(fmt::format(
        "Unable to read Delta table '{}' because it requires reader table feature(s) that "
        "are unsupported by sluice: {}",
        table_root, fmt::join(unsupported, ", ")));
  }
  return Status::Ok();
}

}  // namespace sluice::delta
