// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <librdkafka/rdkafka.h>

#include "common/status.h"
#include "kafka/client.h"

/// What the kafka module's librdkafka clients share (internal to the module).
namespace sluice::kafka {

/// A librdkafka configuration from `defaults` (the user may override them), then the
/// user's properties, then `forced` (what the caller manages); librdkafka's warnings and
/// errors go to sluice's log. A bad property is kInvalidArgument naming `kafka.<name>`.
Result<rd_kafka_conf_t*> MakeConf(const Properties& defaults, const Properties& user,
                                  const Properties& forced);

/// A consumer and its queue, closed and destroyed with the handle.
struct ConsumerHandle {
  ConsumerHandle() = default;
  ~ConsumerHandle();
  ConsumerHandle(const ConsumerHandle&) = delete;
  ConsumerHandle& operator=(const ConsumerHandle&) = delete;

  rd_kafka_t* rk = nullptr;
  rd_kafka_queue_t* queue = nullptr;
};

/// Creates the consumer of `handle` from the properties, as MakeConf orders them.
Status OpenConsumer(const Properties& defaults, const Properties& user, const Properties& forced,
                    ConsumerHandle* handle);

}  // namespace sluice::kafka
