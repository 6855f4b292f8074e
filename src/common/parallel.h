// parallel_for: the worker pool of the batch stages (pipeline, `storyline extract`, benches).
//
//   parallel_for(items.size(), threads, [&](std::size_t i) { process(items[i]); });
//
// Runs fn(i) for every i in [0, n) on `threads` threads, the caller's included; each thread
// takes the next index when it finishes one, so uneven items balance. Returns when all are
// done. fn must be safe to call concurrently for different i.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace storyline {

// `requested` threads, or one per core when it is 0 or less.
inline int worker_count(int requested) {
  return requested > 0 ? requested
                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

template <typename Fn>
void parallel_for(std::size_t n, int threads, Fn&& fn) {
  const std::size_t workers =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), n);
  if (workers <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::jthread> pool;
  pool.reserve(workers - 1);
  for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
}

}  // namespace storyline
