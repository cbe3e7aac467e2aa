// SPDX-License-Identifier: Apache-2.0
#include "common/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <utility>

namespace sluice {

ThreadPool::ThreadPool(int num_threads) {
  const int count = num_threads < 1 ? 1 : num_threads;
  workers_.reserve(count);
  for (int i = 0; i < count; ++i) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutting_down_ = true;
  }
  work_ready_.notify_all();
  for (auto& worker : workers_) {
    worker.join();
  }
}

void ThreadPool::Submit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(task));
    ++pending_;
  }
  work_ready_.notify_one();
}

void ThreadPool::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [this] { return pending_ == 0; });
}

void ThreadPool::WorkerLoop() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_ready_.wait(lock, [this] { return shutting_down_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // shutting down with nothing left to run
      }
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
    std::lock_guard<std::mutex> lock(mu_);
    if (--pending_ == 0) {
      idle_.notify_all();
    }
  }
}

namespace {

/// The shared state of one ParallelFor: workers may start after the call returned (when
/// every index was taken), so they hold it by shared_ptr and touch `fn` only for an
/// index they claimed.
struct ParallelForState {
  explicit ParallelForState(size_t count, const std::function<void(size_t)>* function)
      : n(count), fn(function) {}
  const size_t n;
  const std::function<void(size_t)>* fn;
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::condition_variable all_done;
  size_t done = 0;  // guarded by mu

  void Work() {
    // Relaxed: an index is claimed once; the results are published through `mu`.
    for (size_t i = next.fetch_add(1, std::memory_order_relaxed); i < n;
         i = next.fetch_add(1, std::memory_order_relaxed)) {
      (*fn)(i);
      std::lock_guard<std::mutex> lock(mu);
      if (++done == n) {
        all_done.notify_all();
      }
    }
  }
};

}  // namespace

void ParallelFor(ThreadPool* pool, size_t n, const std::function<void(size_t)>& fn) {
  if (n == 0) {
    return;
  }
  auto state = std::make_shared<ParallelForState>(n, &fn);
  const size_t helpers =
      pool == nullptr ? 0 : std::min(static_cast<size_t>(pool->num_threads()), n - 1);
  for (size_t h = 0; h < helpers; ++h) {
    pool->Submit([state] { state->Work(); });
  }
  state->Work();
  std::unique_lock<std::mutex> lock(state->mu);
  state->all_done.wait(lock, [&] { return state->done == n; });
}

}  // namespace sluice
