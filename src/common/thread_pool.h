// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sluice {

/// A fixed set of worker threads running submitted tasks in FIFO order.
/// Safe for concurrent use. The destructor finishes every queued task, then joins.
class ThreadPool {
 public:
  /// Starts `num_threads` workers (at least one).
  explicit ThreadPool(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  /// Queues `task`. Tasks must not throw.
  void Submit(std::function<void()> task);
  /// Blocks until every task submitted so far has finished.
  void Wait();
  int num_threads() const { return static_cast<int>(workers_.size()); }

 private:
  void WorkerLoop();

  std::mutex mu_;
  std::condition_variable work_ready_;  // signalled on Submit and shutdown
  std::condition_variable idle_;        // signalled when pending_ reaches zero
  std::deque<std::function<void()>> queue_;
  int64_t pending_ = 0;  // queued plus running tasks, guarded by mu_
  bool shutting_down_ = false;
  std::vector<std::thread> workers_;
};

/// Runs `fn(i)` for every i in [0, n) on the calling thread and on up to
/// `pool->num_threads()` of the pool's workers, and returns once all n calls have
/// finished. It waits only for its own calls, not for the pool's other work, so it may
/// run concurrently with other users of the pool and from a pool worker (the caller
/// does the work the workers do not get to). `pool` may be null: everything runs on the
/// calling thread.
void ParallelFor(ThreadPool* pool, size_t n, const std::function<void(size_t)>& fn);

}  // namespace sluice
