// ParallelFor, BackgroundFor, BackgroundOrdered and ParallelOrdered: the one way
// the core uses more than one thread.
//
// Work is split by index; each index is done exactly once, by whichever thread
// takes it next (an atomic counter, so uneven items balance out). The calling
// thread works too, so `threads` = 1 runs everything in place and starts no
// thread at all: the single-threaded WebAssembly build never creates one.
// Threads are started per call (or when a Background* is made) and joined
// before it returns (or on Wait() and destruction); in the threaded
// WebAssembly build they come from Emscripten's pool of started workers.
// Builds that define CALLSIGHT_SINGLE_THREADED (the browser's WebAssembly)
// compile the threaded path out.
//
// Who owns a thread joins it. The rule for every class that holds threads
// (here, and any class holding a BackgroundFor or BackgroundOrdered):
//   - its destructor body stops and joins them itself (Join(), Stop(), or
//     resetting the std::optional that holds the runner), so they have ended
//     before any member is destroyed, whatever order the members are declared
//     in;
//   - what the threads use is owned by the same object or outlives it, and
//     is never moved while they run (the classes are not copyable or
//     movable).
// Scratch memory a task needs belongs to the task (a local) or to the worker
// that runs it (ParallelForWith), never to thread_local storage.
#ifndef CALLSIGHT_UTIL_PARALLEL_H_
#define CALLSIGHT_UTIL_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

namespace callsight {

#ifndef CALLSIGHT_SINGLE_THREADED
namespace internal {

// Up to `count` threads running body(); fewer if the system cannot start more.
template <typename Body>
std::vector<std::thread> StartThreads(size_t count, const Body& body) {
  std::vector<std::thread> started;
  started.reserve(count);
  for (size_t t = 0; t < count; ++t) {
    try {
      started.emplace_back(body);
    } catch (const std::system_error&) {
      break;
    }
  }
  return started;
}

}  // namespace internal
#endif

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
    if (workers > 1) helpers_ = internal::StartThreads(workers - 1, [this] { Work(); });
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
  std::vector<std::thread> helpers_;  // joined by the destructor's Join()
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

// ParallelFor where each worker owns a Scratch (default-constructed when the
// worker starts, destroyed when it is done): calls fn(scratch, i) once for
// every i in [0, n), with the scratch of the worker running it, which no other
// call uses at the same time. For buffers a task reuses across items. If calls
// throw, the remaining indices are skipped and the first exception is
// rethrown here.
template <typename Scratch, typename Fn>
void ParallelForWith(size_t n, int threads, const Fn& fn) {
  const size_t workers = std::min(n, static_cast<size_t>(std::max(threads, 1)));
  std::atomic<size_t> next{0};
  ParallelFor(workers, static_cast<int>(workers), [&](size_t) {
    Scratch scratch;
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) {
      try {
        fn(scratch, i);
      } catch (...) {
        next.store(n, std::memory_order_relaxed);  // skip what is left
        throw;
      }
    }
  });
}

#ifndef CALLSIGHT_SINGLE_THREADED
namespace internal {

// BackgroundOrdered on helper threads beside the caller.
template <typename T, typename Produce, typename Consume>
class OrderedRun {
 public:
  OrderedRun(size_t n, size_t ahead, const Produce& produce, const Consume& consume)
      : n_(n), ahead_(ahead), produce_(produce), consume_(consume), results_(n) {}
  ~OrderedRun() { Stop(); }  // joins before any member goes
  OrderedRun(const OrderedRun&) = delete;
  OrderedRun& operator=(const OrderedRun&) = delete;

  // Starts `helpers` threads producing.
  void Start(size_t helpers) {
    helpers_ = StartThreads(helpers, [this] { Help(); });
  }

  // The caller's part: consumes in order, produces when nothing is ready,
  // until all is consumed or something threw; then joins and rethrows.
  void Finish() {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      while (!stop_ && consumed_ < n_) {
        if (results_[consumed_]) {
          T result = std::move(*results_[consumed_]);
          results_[consumed_].reset();
          const size_t i = consumed_++;
          changed_.notify_all();  // the window moved on
          lock.unlock();
          try {
            consume_(i, std::move(result));
          } catch (...) {
            lock.lock();
            Fail(std::current_exception());
            break;
          }
          lock.lock();
        } else if (const size_t i = Claim(); i < n_) {
          Make(lock, i);
        } else {
          changed_.wait(lock);
        }
      }
    }
    Stop();
    if (error_) std::rethrow_exception(error_);
  }

  // Stops producing (calls under way finish) and joins the helpers.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
      changed_.notify_all();
    }
    for (std::thread& t : helpers_) t.join();
    helpers_.clear();
  }

 private:
  // Under the lock: the next index to produce, or n if none may be now.
  size_t Claim() {
    return !stop_ && claimed_ < n_ && claimed_ < consumed_ + ahead_ ? claimed_++ : n_;
  }

  // Produces claimed index i outside the lock (held on entry and on return).
  void Make(std::unique_lock<std::mutex>& lock, size_t i) {
    lock.unlock();
    std::optional<T> result;
    std::exception_ptr failed;
    try {
      result.emplace(produce_(i));
    } catch (...) {
      failed = std::current_exception();
    }
    lock.lock();
    if (failed) {
      Fail(failed);
    } else {
      results_[i] = std::move(result);
      changed_.notify_all();
    }
  }

  void Help() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      size_t i = n_;
      changed_.wait(lock, [&] { return stop_ || claimed_ >= n_ || (i = Claim()) < n_; });
      if (i >= n_) return;  // stopped, or nothing left to produce
      Make(lock, i);
    }
  }

  // Under the lock: keeps the first exception and stops everyone.
  void Fail(std::exception_ptr e) {
    if (!error_) error_ = e;
    stop_ = true;
    changed_.notify_all();
  }

  const size_t n_, ahead_;
  const Produce& produce_;
  const Consume& consume_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::optional<T>> results_;  // made, not yet consumed
  size_t claimed_ = 0, consumed_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> helpers_;
};

}  // namespace internal
#endif

// Calls produce(i) for every i in [0, n), started now on up to `threads` - 1
// helper threads while the caller goes on with other work, and consume(i,
// result) in order of i on the thread that calls Wait(): it consumes what is
// ready and produces otherwise, and returns when all is consumed. produce(i)
// starts only once result i - ahead - 1 is consumed (ahead >= 1), so at most
// ahead + 1 results are held at once. produce must be safe to run
// concurrently for different i (and beside consume and the caller's other
// work). If either throws, what is left is skipped and Wait() rethrows the
// first exception, after the helpers stop. Destroying it without Wait() stops
// producing, waits for the calls under way and consumes nothing more. It owns
// produce and consume.
template <typename T, typename Produce, typename Consume>
class BackgroundOrdered {
 public:
  BackgroundOrdered(size_t n, int threads, size_t ahead, Produce produce, Consume consume)
      : n_(n), produce_(std::move(produce)), consume_(std::move(consume)) {
#ifndef CALLSIGHT_SINGLE_THREADED
    if (n > 1 && threads > 1) {
      run_.emplace(n, std::max<size_t>(ahead, 1), produce_, consume_);
      run_->Start(std::min(n, static_cast<size_t>(threads)) - 1);
    }
#else
    (void)threads;
    (void)ahead;
#endif
  }
  // Stops and joins the helpers before produce and consume are destroyed.
  ~BackgroundOrdered() {
#ifndef CALLSIGHT_SINGLE_THREADED
    run_.reset();
#endif
  }
  BackgroundOrdered(const BackgroundOrdered&) = delete;
  BackgroundOrdered& operator=(const BackgroundOrdered&) = delete;

  void Wait() {
#ifndef CALLSIGHT_SINGLE_THREADED
    if (run_) {
      run_->Finish();
      return;
    }
#endif
    for (size_t i = 0; i < n_; ++i) consume_(i, produce_(i));
  }

 private:
  const size_t n_;
  const Produce produce_;
  const Consume consume_;
#ifndef CALLSIGHT_SINGLE_THREADED
  std::optional<internal::OrderedRun<T, Produce, Consume>> run_;  // reset by the destructor
#endif
};

// BackgroundOrdered(...).Wait(): produce on up to `threads` threads including
// the caller, consume in order on the calling thread.
template <typename T, typename Produce, typename Consume>
void ParallelOrdered(size_t n, int threads, size_t ahead, const Produce& produce,
                     const Consume& consume) {
  BackgroundOrdered<T, const Produce&, const Consume&>(n, threads, ahead, produce, consume).Wait();
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
