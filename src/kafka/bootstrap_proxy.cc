// SPDX-License-Identifier: Apache-2.0
#include "kafka/bootstrap_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>
#include <vector>

namespace sluice::kafka {
namespace {

/// Bytes buffered per direction before the proxy stops reading from the sender.
constexpr size_t kMaxBuffered = 256 * 1024;

void CloseFd(int* fd) {
  if (*fd >= 0) {
    ::close(*fd);
    *fd = -1;
  }
}

/// One forwarded connection: the client's socket and the broker's.
struct Connection {
  int client = -1;
  int broker = -1;
  std::string to_broker;
  std::string to_client;
  /// A side closed or failed: forward what is buffered for the other side, then close.
  bool closing = false;
  ~Connection() {
    CloseFd(&client);
    CloseFd(&broker);
  }
};

/// Reads what `from` has into `buffer`; false on EOF or error.
bool ReadInto(int from, std::string* buffer) {
  char chunk[64 * 1024];
  while (buffer->size() < kMaxBuffered) {
    const ssize_t n = ::recv(from, chunk, sizeof(chunk), 0);
    if (n > 0) {
      buffer->append(chunk, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return true;
    if (n < 0 && errno == EINTR)
      continue;
    return false;
  }
  return true;
}

/// Writes as much of `buffer` to `to` as it takes; false on error.
bool WriteFrom(int to, std::string* buffer) {
  while (!buffer->empty()) {
    const ssize_t n = ::send(to, buffer->data(), buffer->size(), MSG_NOSIGNAL);
    if (n > 0) {
      buffer->erase(0, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return true;
    if (n < 0 && errno == EINTR)
      continue;
    return false;
  }
  return true;
}

void SetNonBlocking(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

short Events(bool can_read, const std::string& pending) {
  return static_cast<short>((can_read ? POLLIN : 0) | (pending.empty() ? 0 : POLLOUT));
}

}  // namespace

struct BootstrapProxy::State {
  int listen_fd = -1;
  /// Written by Stop to wake the poll loop.
  int wake[2] = {-1, -1};
  sockaddr_storage target{};
  socklen_t target_len = 0;
  std::thread thread;
  std::vector<std::unique_ptr<Connection>> connections;

  ~State() {
    CloseFd(&listen_fd);
    CloseFd(&wake[0]);
    CloseFd(&wake[1]);
  }

  void Accept() {
    const int client = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0)
      return;
    auto connection = std::make_unique<Connection>();
    connection->client = client;
    // The broker is on loopback: a blocking connect answers at once.
    connection->broker = ::socket(target.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (connection->broker < 0 ||
        ::connect(connection->broker, reinterpret_cast<const sockaddr*>(&target), target_len) !=
            0) {
      return;  // the client sees its connection closed
    }
    SetNonBlocking(connection->client);
    SetNonBlocking(connection->broker);
    connections.push_back(std::move(connection));
  }

  /// Moves bytes both ways as poll reported; false when the connection is done.
  static bool Pump(Connection* c, short client_events, short broker_events) {
    constexpr short kReadable = POLLIN | POLLHUP | POLLERR;
    if (!c->closing && (client_events & kReadable) != 0 && !ReadInto(c->client, &c->to_broker)) {
      c->closing = true;
    }
    if (!c->closing && (broker_events & kReadable) != 0 && !ReadInto(c->broker, &c->to_client)) {
      c->closing = true;
    }
    if (!WriteFrom(c->broker, &c->to_broker) || !WriteFrom(c->client, &c->to_client)) {
      return false;
    }
    return !(c->closing && c->to_broker.empty() && c->to_client.empty());
  }

  void Run() {
    std::vector<pollfd> fds;
    for (;;) {
      fds.clear();
      fds.push_back({wake[0], POLLIN, 0});
      fds.push_back({listen_fd, POLLIN, 0});
      for (const auto& c : connections) {
        const bool read = !c->closing;
        fds.push_back(
            {c->client, Events(read && c->to_broker.size() < kMaxBuffered, c->to_client), 0});
        fds.push_back(
            {c->broker, Events(read && c->to_client.size() < kMaxBuffered, c->to_broker), 0});
      }
      if (::poll(fds.data(), fds.size(), -1) < 0) {
        if (errno == EINTR)
          continue;
        return;
      }
      if (fds[0].revents != 0)
        return;
      std::vector<std::unique_ptr<Connection>> alive;
      for (size_t i = 0; i < connections.size(); ++i) {
        if (Pump(connections[i].get(), fds[2 + 2 * i].revents, fds[3 + 2 * i].revents)) {
          alive.push_back(std::move(connections[i]));
        }
      }
      connections = std::move(alive);
      if ((fds[1].revents & POLLIN) != 0)
        Accept();
    }
  }
};

Result<std::unique_ptr<BootstrapProxy>> BootstrapProxy::Start(int port, const std::string& target) {
  if (port < 0 || port > 65535) {
    return Status::InvalidArgument("port must be in 0..65535, got " + std::to_string(port));
  }
  const size_t colon = target.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument("expected host:port to forward to, got '" + target + "'");
  }
  auto state = std::make_unique<State>();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string host = target.substr(0, colon);
  if (::getaddrinfo(host.c_str(), target.c_str() + colon + 1, &hints, &found) != 0 ||
      found == nullptr) {
    return Status::InvalidArgument("cannot resolve the broker address '" + target + "'");
  }
  std::memcpy(&state->target, found->ai_addr, found->ai_addrlen);
  state->target_len = found->ai_addrlen;
  ::freeaddrinfo(found);

  state->listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  const int one = 1;
  ::setsockopt(state->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (state->listen_fd < 0 ||
      ::bind(state->listen_fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(state->listen_fd, 64) != 0) {
    return Status::Unavailable("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
                               std::strerror(errno));
  }
  socklen_t length = sizeof(address);
  ::getsockname(state->listen_fd, reinterpret_cast<sockaddr*>(&address), &length);
  if (::pipe2(state->wake, O_CLOEXEC) != 0) {
    return Status::Internal(std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  State* raw = state.get();
  state->thread = std::thread([raw] { raw->Run(); });
  return std::unique_ptr<BootstrapProxy>(
      new BootstrapProxy(std::move(state), ntohs(address.sin_port)));
}

BootstrapProxy::BootstrapProxy(std::unique_ptr<State> state, int port)
    : state_(std::move(state)), port_(port) {}

BootstrapProxy::~BootstrapProxy() {
  Stop();
}

void BootstrapProxy::Stop() {
  if (!state_->thread.joinable())
    return;
  const char byte = 0;
  while (::write(state_->wake[1], &byte, 1) < 0 && errno == EINTR) {
  }
  state_->thread.join();
  state_->connections.clear();
  CloseFd(&state_->listen_fd);
}

}  // namespace sluice::kafka
