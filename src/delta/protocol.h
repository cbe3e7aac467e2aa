// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

#include "common/status.h"
#include "delta/actions.h"

/// Which Delta protocols sluice can read and write (PROTOCOL.md "Protocol Evolution",
/// "Table Features").
namespace sluice::delta {

/// The highest reader and writer versions sluice implements.
inline constexpr int kMaxReaderVersion = 3;
inline constexpr int kMaxWriterVersion = 7;

/// Whether sluice reads tables that list `feature` as a reader feature.
bool IsSupportedReaderFeature(std::string_view feature);

/// OK when sluice can read a table with `protocol`. Otherwise kNotImplemented naming
/// the table, the reader version it requires, or the reader features sluice does not
/// support (Spark's DELTA_UNSUPPORTED_FEATURES_FOR_READ wording).
Status CheckReadable(const Protocol& protocol, std::string_view table_root);

}  // namespace sluice::delta
