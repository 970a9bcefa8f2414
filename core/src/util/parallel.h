// ParallelFor and BackgroundFor: the one way the core uses more than one thread.
//
// Work is split by index; each index is done exactly once, by whichever thread
// takes it next (an atomic counter, so uneven items balance out). The calling
// thread works too, so `threads` = 1 runs everything in place and starts no
// thread at all: the single-threaded WebAssembly build never creates one.
// Threads are started per call (or BackgroundFor) and joined before it
// returns (or on Wait() and destruction); in the threaded
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

// Calls fn(i) once for every i in [0, n), started now on up to `threads` - 1
// helper threads while the caller goes on with other work; Wait() makes the
// caller take the indices left and returns when all calls have returned. fn
// must be safe to run concurrently for different i (and beside the caller's
// other work), and must outlive the BackgroundFor. If calls throw, the
// remaining indices are skipped and Wait() rethrows the first exception. If a
// thread cannot be started, the others share its part. Destroying it without
// Wait() skips the indices not started and waits for the calls under way.
template <typename Fn>
class BackgroundFor {
 public:
  BackgroundFor(size_t n, int threads, const Fn& fn) : n_(n), fn_(fn) {
#ifdef CALLSIGHT_SINGLE_THREADED
    (void)threads;
#else
    const size_t workers = std::min(n, static_cast<size_t>(std::max(threads, 1)));
    if (workers <= 1) return;
    helpers_.reserve(workers - 1);
    for (size_t t = 1; t < workers; ++t) {
      try {
        helpers_.emplace_back([this] { Work(); });
      } catch (const std::system_error&) {
        break;
      }
    }
#endif
  }
  ~BackgroundFor() {
    next_.store(n_, std::memory_order_relaxed);
    Join();
  }
  BackgroundFor(const BackgroundFor&) = delete;
  BackgroundFor& operator=(const BackgroundFor&) = delete;

  void Wait() {
    Work();
    Join();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void Work() {
    for (size_t i; (i = next_.fetch_add(1, std::memory_order_relaxed)) < n_;) {
      try {
        fn_(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex_);
        if (!error_) error_ = std::current_exception();
        next_.store(n_, std::memory_order_relaxed);  // skip what is left
      }
    }
  }
  void Join() {
    for (std::thread& t : helpers_) t.join();
    helpers_.clear();
  }

  const size_t n_;
  const Fn& fn_;
  std::atomic<size_t> next_{0};
  std::exception_ptr error_;
  std::mutex error_mutex_;
  std::vector<std::thread> helpers_;
};

// Calls fn(i) once for every i in [0, n), on up to `threads` threads including
// the caller, and returns when all calls have returned. fn must be safe to run
// concurrently for different i. If calls throw, the remaining indices are
// skipped and the first exception is rethrown here. If a thread cannot be
// started, the threads running share its part.
template <typename Fn>
void ParallelFor(size_t n, int threads, const Fn& fn) {
  BackgroundFor<Fn>(n, threads, fn).Wait();
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
