// SPDX-License-Identifier: Apache-2.0
#include "common/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>

#include "common/clock.h"

namespace sluice {
namespace {

TEST(ThreadPoolTest, RunsEveryTaskAndWaits) {
  ThreadPool pool(3);
  EXPECT_EQ(pool.num_threads(), 3);
  std::atomic<int> sum{0};
  for (int i = 1; i <= 1000; ++i) {
    pool.Submit([&sum, i] { sum.fetch_add(i, std::memory_order_relaxed); });
  }
  pool.Wait();
  EXPECT_EQ(sum.load(), 500500);
  pool.Submit([&sum] { sum.store(-1); });
  pool.Wait();
  EXPECT_EQ(sum.load(), -1);
}

TEST(ThreadPoolTest, DestructorDrainsQueue) {
  std::atomic<int> count{0};
  {
    ThreadPool pool(1);
    for (int i = 0; i < 100; ++i) {
      pool.Submit([&count] { count.fetch_add(1); });
    }
  }
  EXPECT_EQ(count.load(), 100);
}

TEST(ThreadPoolTest, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(1000);
  EXPECT_EQ(clock.NowMicros(), 1000);
  clock.AdvanceMicros(500);
  EXPECT_EQ(clock.NowMicros(), 1500);
  EXPECT_EQ(clock.MonotonicNanos(), 1500000);
  EXPECT_GT(Clock::System().NowMicros(), 1'600'000'000'000'000);
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

TEST(ParallelForTest, RunsEveryIndexOnceAndWaitsOnlyForItsOwnCalls) {
  ThreadPool pool(2);
  // A long task of someone else's holds one worker; ParallelFor must not wait for it.
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  pool.Submit([&] {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return release; });
  });
  std::vector<std::atomic<int>> hits(1000);
  ParallelFor(&pool, hits.size(), [&](size_t i) { hits[i].fetch_add(1); });
  for (const std::atomic<int>& hit : hits) {
    EXPECT_EQ(hit.load(), 1);
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  pool.Wait();
}

TEST(ParallelForTest, WorksFromAPoolWorkerAndWithoutAPool) {
  ThreadPool pool(1);
  std::atomic<int> sum{0};
  // Called from the pool's only worker: the caller does all the work itself.
  pool.Submit([&] { ParallelFor(&pool, 10, [&](size_t i) { sum += static_cast<int>(i); }); });
  pool.Wait();
  EXPECT_EQ(sum.load(), 45);
  ParallelFor(nullptr, 4, [&](size_t i) { sum += static_cast<int>(i); });
  EXPECT_EQ(sum.load(), 51);
  ParallelFor(&pool, 0, [&](size_t) { sum = -1; });
  EXPECT_EQ(sum.load(), 51);
}

}  // namespace
}  // namespace sluice
