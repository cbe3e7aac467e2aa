// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/thrift_io.h"

#include <fmt/format.h>
#include <thrift/TConfiguration.h>
#include <thrift/Thrift.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include <algorithm>
#include <memory>

namespace sluice::parquet {
namespace {

using apache::thrift::TConfiguration;
using apache::thrift::protocol::TCompactProtocolT;
using apache::thrift::transport::TMemoryBuffer;

// Thrift's own limits: the message is the input, so a container or string may not claim
// more than the bytes left in it (checked by the transport before it allocates); nested
// structs stop at depth 64.
std::shared_ptr<TConfiguration> MakeConfiguration(uint32_t message_bytes) {
  const int size = static_cast<int>(std::max<uint32_t>(message_bytes, 1));
  return std::make_shared<TConfiguration>(size, size, 64);
}

}  // namespace

template <typename T>
Status DeserializeThrift(std::string_view input, std::string_view what, T* out,
                         uint32_t* consumed) {
  const ThriftLimits limits;
  const auto size = static_cast<uint32_t>(
      std::min<int64_t>(static_cast<int64_t>(input.size()), limits.max_message_bytes));
  try {
    // TMemoryBuffer's OBSERVE mode reads in place; it takes a non-const pointer but does
    // not write through it.
    auto buffer =
        std::make_shared<TMemoryBuffer>(reinterpret_cast<uint8_t*>(const_cast<char*>(input.data())),
                                        size, TMemoryBuffer::OBSERVE, MakeConfiguration(size));
    // Thrift counts an empty struct as zero bytes, so its transport check alone lets a
    // list of structs claim 2^31 elements; every element takes at least its stop byte,
    // so no container may hold more elements than the message has bytes.
    const auto limit = static_cast<int32_t>(std::max<uint32_t>(size, 1));
    TCompactProtocolT<TMemoryBuffer> protocol(buffer, limit, limit);
    *out = T();
    const uint32_t read = out->read(&protocol);
    if (consumed != nullptr)
      *consumed = read;
  } catch (const apache::thrift::TException& e) {
    return Status::Corruption(fmt::format("invalid {}: {}", what, e.what()));
  } catch (const std::exception& e) {
    return Status::Corruption(fmt::format("invalid {}: {}", what, e.what()));
  }
  return Status::Ok();
}

template <typename T>
Status SerializeThrift(const T& value, std::string* out) {
  try {
    auto buffer = std::make_shared<TMemoryBuffer>(
        std::make_shared<TConfiguration>(ThriftLimits().max_message_bytes));
    TCompactProtocolT<TMemoryBuffer> protocol(buffer);
    value.write(&protocol);
    uint8_t* data = nullptr;
    uint32_t size = 0;
    buffer->getBuffer(&data, &size);
    out->append(reinterpret_cast<const char*>(data), size);
  } catch (const apache::thrift::TException& e) {
    return Status::Internal(fmt::format("cannot serialize Parquet metadata: {}", e.what()));
  }
  return Status::Ok();
}

#define SLUICE_PARQUET_DEFINE_THRIFT(T)                                                    \
  template Status DeserializeThrift<T>(std::string_view, std::string_view, T*, uint32_t*); \
  template Status SerializeThrift<T>(const T&, std::string*);
SLUICE_PARQUET_THRIFT_TYPES(SLUICE_PARQUET_DEFINE_THRIFT)
#undef SLUICE_PARQUET_DEFINE_THRIFT

}  // namespace sluice::parquet
