// SPDX-License-Identifier: Apache-2.0
#pragma once

/// sluice's public C++ API, with PySpark's names:
///
///   auto session = sluice::Session::builder().warehouse("/tmp/wh").getOrCreate();
///   sluice::DataFrame orders = session->read().format("delta").load("/data/orders");
///   using namespace sluice::functions;
///   auto totals = orders.filter(col("status") == "shipped")
///                     .groupBy("country")
///                     .agg(sum("total").alias("total"));
///   totals.show();
///
/// The headers in include/sluice are the only stable ones. Errors come back as
/// sluice::Status / sluice::Result<T> (common/status.h, common/result.h).
#include "common/result.h"
#include "common/status.h"
#include "sluice/column.h"
#include "sluice/dataframe.h"
#include "sluice/session.h"
#include "sluice/streaming.h"
