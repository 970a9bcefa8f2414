// ParallelFor: the one way the core uses more than one thread.
//
// Work is split by index; each index is done exactly once, by whichever thread
// takes it next (an atomic counter, so uneven items balance out). The calling
// thread works too, so `threads` = 1 runs everything in place and starts no
// thread at all: the single-threaded WebAssembly build never creates one.
// Threads are started per call and joined before it returns; in the threaded
// WebAssembly build they come from Emscripten's pool of started workers.
// Builds that define CALLSIGHT_SINGLE_THREADED (the browser's WebAssembly)
// compile the threaded path out.
#ifndef CALLSIGHT_UTIL_PARALLEL_H_
#define CALLSIGHT_UTIL_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace callsight {

// Calls fn(i) once for every i in [0, n), on up to `threads` threads including
// the caller, and returns when all calls have returned. fn must be safe to run
// concurrently for different i. If calls throw, the remaining indices are
// skipped and the first exception is rethrown here. If a thread cannot be
// started, the threads running share its part.
template <typename Fn>
void ParallelFor(size_t n, int threads, const Fn& fn) {
#ifdef CALLSIGHT_SINGLE_THREADED
  (void)threads;
  for (size_t i = 0; i < n; ++i) fn(i);
#else
  const size_t workers = std::min(n, static_cast<size_t>(std::max(threads, 1)));
  if (workers <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  const auto work = [&] {
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) {
      try {
        fn(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        next.store(n, std::memory_order_relaxed);  // skip what is left
      }
    }
  };
  std::vector<std::thread> helpers;
  helpers.reserve(workers - 1);
  for (size_t t = 1; t < workers; ++t) {
    try {
      helpers.emplace_back(work);
    } catch (const std::system_error&) {
      break;
    }
  }
  work();
  for (std::thread& t : helpers) t.join();
  if (error) std::rethrow_exception(error);
#endif
}

// The parts one after the other, moved: how results made per item by
// ParallelFor are put back in the order one thread would have made them.
template <typename T>
std::vector<T> Flatten(std::vector<std::vector<T>>&& parts) {
  size_t total = 0;
  for (const auto& part : parts) total += part.size();
  std::vector<T> out;
  out.reserve(total);
  for (auto& part : parts) {
    for (T& x : part) out.push_back(std::move(x));
  }
  return out;
}

}  // namespace callsight

#endif  // CALLSIGHT_UTIL_PARALLEL_H_
