// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "common/result.h"
#include "formats/option_map.h"
#include "sql/ast.h"
#include "sql/binder.h"

namespace sluice::sql {

/// True when `call` is a read_kafka(...) table function reference.
bool IsReadKafkaCall(const TableRef& call);

/// Evaluates the arguments of a read_kafka(option => value, ...) call (Databricks'
/// table-valued function: named arguments only, constant expressions bound with
/// `binder` over no columns) into the Kafka source's options, in Spark's spelling:
/// bootstrapServers becomes kafka.bootstrap.servers, `kafka.*` names pass through to
/// the client, the other names are the Kafka source's (subscribe, subscribePattern,
/// assign, startingOffsets, endingOffsets, maxOffsetsPerTrigger, failOnDataLoss,
/// includeHeaders, ...). `streaming` (STREAM read_kafka) refuses the ending options,
/// which only bound batch reads. Errors are kBindError naming the argument: a
/// positional argument, an unknown or repeated name, a non-constant or NULL value, a
/// missing bootstrapServers, none or several of assign/subscribe/subscribePattern.
Result<OptionList> ResolveReadKafka(const TableRef& call, Binder& binder, bool streaming);

}  // namespace sluice::sql
