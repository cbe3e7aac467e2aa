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
