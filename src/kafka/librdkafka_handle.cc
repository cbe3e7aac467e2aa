// SPDX-License-Identifier: Apache-2.0
#include "kafka/librdkafka_handle.h"

#include <array>
#include <string>

#include "common/logging.h"

namespace sluice::kafka {
namespace {

// librdkafka logs go to ours: warnings and errors only (levels are syslog's).
void LogCallback(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  (void)rk;
  if (level <= 3) {
    SLUICE_LOG_ERROR("librdkafka {}: {}", facility, message);
  } else if (level <= 4) {
    SLUICE_LOG_WARN("librdkafka {}: {}", facility, message);
  }
}

Status ConfSet(rd_kafka_conf_t* conf, const std::string& name, const std::string& value) {
  std::array<char, 512> error{};
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error.data(), error.size()) !=
      RD_KAFKA_CONF_OK) {
    return Status::InvalidArgument("Kafka option 'kafka." + name + "': " + error.data());
  }
  return Status::Ok();
}

}  // namespace

Result<rd_kafka_conf_t*> MakeConf(const Properties& defaults, const Properties& user,
                                  const Properties& forced) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set_log_cb(conf, LogCallback);
  for (const Properties* list : {&defaults, &user, &forced}) {
    for (const auto& [name, value] : *list) {
      Status status = ConfSet(conf, name, value);
      if (!status.ok()) {
        rd_kafka_conf_destroy(conf);
        return status;
      }
    }
  }
  return conf;
}

ConsumerHandle::~ConsumerHandle() {
  if (queue != nullptr)
    rd_kafka_queue_destroy(queue);
  if (rk != nullptr) {
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
  }
}

Status OpenConsumer(const Properties& defaults, const Properties& user, const Properties& forced,
                    ConsumerHandle* handle) {
  SLUICE_ASSIGN_OR_RETURN(rd_kafka_conf_t * conf, MakeConf(defaults, user, forced));
  std::array<char, 512> error{};
  handle->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error.data(), error.size());
  if (handle->rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return Status::InvalidArgument(std::string("cannot create a Kafka consumer: ") + error.data());
  }
  handle->queue = rd_kafka_queue_get_consumer(handle->rk);
  return Status::Ok();
}

}  // namespace sluice::kafka
