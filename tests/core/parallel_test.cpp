// ParallelFor, BackgroundFor, BackgroundOrdered, ParallelOrdered and Flatten
// (core/src/util/parallel.h).
#include "util/parallel.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace callsight;

TEST_CASE("ParallelFor calls every index exactly once", "[parallel]") {
  for (int threads : {1, 2, 3, 8}) {
    for (size_t n : {0, 1, 2, 7, 1000}) {
      INFO(threads << " threads, n = " << n);
      std::vector<std::atomic<int>> calls(n);
      ParallelFor(n, threads, [&](size_t i) { ++calls[i]; });
      for (size_t i = 0; i < n; ++i) CHECK(calls[i] == 1);
    }
  }
}

TEST_CASE("ParallelFor with one thread runs in place, in order", "[parallel]") {
  std::vector<size_t> order;
  std::set<std::thread::id> ids;
  ParallelFor(50, 1, [&](size_t i) {
    order.push_back(i);
    ids.insert(std::this_thread::get_id());
  });
  CHECK(ids == std::set<std::thread::id>{std::this_thread::get_id()});
  for (size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);
}

TEST_CASE("ParallelFor spreads slow items over its threads", "[parallel]") {
  std::mutex m;
  std::set<std::thread::id> ids;
  ParallelFor(40, 4, [&](size_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::lock_guard<std::mutex> lock(m);
    ids.insert(std::this_thread::get_id());
  });
  CHECK(ids.size() > 1);
  CHECK(ids.size() <= 4);
  CHECK(ids.count(std::this_thread::get_id()) == 1);  // the caller works too
}

TEST_CASE("ParallelFor rethrows the first exception and skips the rest", "[parallel]") {
  for (int threads : {1, 3}) {
    std::atomic<int> calls{0};
    CHECK_THROWS_WITH(ParallelFor(10000, threads,
                                  [&](size_t i) {
                                    ++calls;
                                    if (i == 5) throw std::runtime_error("item 5");
                                  }),
                      "item 5");
    CHECK(calls < 10000);
  }
}

TEST_CASE("BackgroundFor works while the caller does something else", "[parallel]") {
  // The caller waits (up to 10 s) for a helper to finish an item before it
  // calls Wait(): only a helper started by the constructor can do that.
  std::vector<std::atomic<int>> calls(100);
  std::atomic<int> done{0};
  const auto fn = [&](size_t i) {
    ++calls[i];
    ++done;
  };
  BackgroundFor<decltype(fn)> running(calls.size(), 2, fn);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (done == 0 && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
  CHECK(done > 0);
  running.Wait();
  for (size_t i = 0; i < calls.size(); ++i) CHECK(calls[i] == 1);
}

TEST_CASE("BackgroundFor with one thread does everything in Wait(), in order", "[parallel]") {
  std::vector<size_t> order;
  const auto fn = [&](size_t i) { order.push_back(i); };
  BackgroundFor<decltype(fn)> running(20, 1, fn);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(order.empty());
  running.Wait();
  CHECK(order.size() == 20);
  for (size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);
}

TEST_CASE("BackgroundFor rethrows at Wait(), and stops when dropped unwaited", "[parallel]") {
  std::atomic<int> calls{0};
  const auto throwing = [&](size_t i) {
    ++calls;
    if (i == 5) throw std::runtime_error("item 5");
  };
  BackgroundFor<decltype(throwing)> failing(10000, 3, throwing);
  CHECK_THROWS_WITH(failing.Wait(), "item 5");
  CHECK(calls < 10000);

  // Dropped without Wait(): the items not started are skipped, the helpers joined.
  std::atomic<int> slow_calls{0};
  const auto slow = [&](size_t) {
    ++slow_calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  };
  { BackgroundFor<decltype(slow)> dropped(100000, 2, slow); }
  CHECK(slow_calls < 100000);
}

TEST_CASE("ParallelOrdered consumes every result in order, on the calling thread", "[parallel]") {
  const std::thread::id caller = std::this_thread::get_id();
  for (int threads : {1, 2, 3}) {
    for (size_t ahead : {1, 2, 5, 1000}) {
      for (size_t n : {0, 1, 2, 7, 300}) {
        INFO(threads << " threads, ahead " << ahead << ", n = " << n);
        // produce(i) must not start before result i - ahead - 1 is consumed
        // (at most ahead + 1 results held, the one being consumed included);
        // produce cannot assert (Catch2 is single-threaded), so it counts.
        std::atomic<size_t> consumed{0}, too_far{0};
        std::mutex m;
        std::set<std::thread::id> producers;
        const auto produce = [&](size_t i) {
          if (i > consumed + ahead) ++too_far;
          if (i % 3 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
          std::lock_guard<std::mutex> lock(m);
          producers.insert(std::this_thread::get_id());
          return std::to_string(i);
        };
        std::vector<std::string> got;
        bool on_caller = true;
        ParallelOrdered<std::string>(n, threads, ahead, produce, [&](size_t i, std::string s) {
          on_caller = on_caller && std::this_thread::get_id() == caller;
          CHECK(i == got.size());
          got.push_back(std::move(s));
          ++consumed;
        });
        REQUIRE(got.size() == n);
        for (size_t i = 0; i < n; ++i) CHECK(got[i] == std::to_string(i));
        CHECK(on_caller);
        CHECK(too_far == 0);
        CHECK(producers.size() <= static_cast<size_t>(threads));
        if (threads == 1) CHECK(producers.size() <= 1);
      }
    }
  }
}

TEST_CASE("ParallelOrdered stops at the first exception, from either side", "[parallel]") {
  for (int threads : {1, 3}) {
    std::atomic<int> produced{0};
    size_t consumed = 0;
    CHECK_THROWS_WITH(ParallelOrdered<int>(
                          10000, threads, 8,
                          [&](size_t i) {
                            ++produced;
                            if (i == 50) throw std::runtime_error("produce 50");
                            return static_cast<int>(i);
                          },
                          [&](size_t, int) { ++consumed; }),
                      "produce 50");
    CHECK(consumed <= 50);
    CHECK(produced < 10000);

    produced = 0;
    CHECK_THROWS_WITH(ParallelOrdered<int>(
                          10000, threads, 8,
                          [&](size_t i) {
                            ++produced;
                            return static_cast<int>(i);
                          },
                          [&](size_t i, int) {
                            if (i == 20) throw std::runtime_error("consume 20");
                          }),
                      "consume 20");
    CHECK(produced <= 20 + 8 + 1);  // 0..20, and at most `ahead` past 20
  }
}

TEST_CASE("BackgroundOrdered produces while the caller does something else", "[parallel]") {
  // The caller waits (up to 10 s) for a helper to produce before it calls
  // Wait(): only a helper started by the constructor can do that. Nothing is
  // consumed before Wait(), and then everything, in order, on the caller.
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<int> produced{0};
  std::vector<size_t> consumed;
  bool on_caller = true;
  BackgroundOrdered<size_t, std::function<size_t(size_t)>, std::function<void(size_t, size_t)>>
      running(
          200, 2, 200,
          [&](size_t i) {
            ++produced;
            return i * 10;
          },
          [&](size_t i, size_t r) {
            on_caller = on_caller && std::this_thread::get_id() == caller;
            CHECK(r == i * 10);
            consumed.push_back(i);
          });
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (produced == 0 && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
  CHECK(produced > 0);
  CHECK(consumed.empty());
  running.Wait();
  REQUIRE(consumed.size() == 200);
  for (size_t i = 0; i < consumed.size(); ++i) CHECK(consumed[i] == i);
  CHECK(on_caller);
}

TEST_CASE("BackgroundOrdered with one thread does everything in Wait(); dropped, it stops",
          "[parallel]") {
  std::vector<size_t> order;
  {
    const auto produce = [&](size_t i) {
      order.push_back(i);
      return i;
    };
    const auto consume = [](size_t, size_t) {};
    BackgroundOrdered<size_t, decltype(produce), decltype(consume)> running(20, 1, 4, produce,
                                                                            consume);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(order.empty());
    running.Wait();
  }
  CHECK(order.size() == 20);

  // Dropped without Wait(): production stops (at most `ahead` + 1 results
  // wait, and nothing consumes them), the helpers are joined, nothing is consumed.
  std::atomic<int> produced{0};
  int consumed = 0;
  {
    const auto produce = [&](size_t i) {
      ++produced;
      return i;
    };
    const auto consume = [&](size_t, size_t) { ++consumed; };
    BackgroundOrdered<size_t, decltype(produce), decltype(consume)> dropped(100000, 3, 8, produce,
                                                                            consume);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(produced <= 9);
  CHECK(consumed == 0);
}

TEST_CASE("BackgroundOrdered joins its helpers before its produce and consume go", "[parallel]") {
  // produce (owned by the BackgroundOrdered) is slow and checks that it is
  // still alive when it returns: dropping the runner mid-production must wait
  // for it before destroying it.
  struct Produce {
    std::shared_ptr<std::atomic<bool>> alive = std::make_shared<std::atomic<bool>>(true);
    std::shared_ptr<std::atomic<int>> after_death = std::make_shared<std::atomic<int>>(0);
    Produce() = default;
    Produce(const Produce&) = default;
    Produce(Produce&& o) noexcept  // a moved-from copy no longer speaks for it
        : alive(std::move(o.alive)), after_death(o.after_death) {}
    ~Produce() {
      if (alive) *alive = false;
    }
    size_t operator()(size_t i) const {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      if (!*alive) ++*after_death;
      return i;
    }
  };
  const auto consume = [](size_t, size_t) {};
  const auto after_death = std::make_shared<std::atomic<int>>(0);
  {
    Produce produce;
    produce.after_death = after_death;
    BackgroundOrdered<size_t, Produce, decltype(consume)> dropped(1000, 4, 8, std::move(produce),
                                                                  consume);
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
  }
  CHECK(*after_death == 0);
}

TEST_CASE("ParallelForWith gives every index once, each worker its own scratch", "[parallel]") {
  struct Scratch {
    std::atomic<int> busy{0};  // calls running with this scratch
    std::vector<size_t> seen;  // indices done with it
  };
  for (int threads : {1, 2, 3, 8}) {
    for (size_t n : {0, 1, 2, 7, 1000}) {
      INFO(threads << " threads, n = " << n);
      std::vector<std::atomic<int>> calls(n);
      std::mutex m;
      std::set<const Scratch*> scratches;
      std::atomic<int> shared{0};
      ParallelForWith<Scratch>(n, threads, [&](Scratch& scratch, size_t i) {
        shared += ++scratch.busy > 1;
        ++calls[i];
        scratch.seen.push_back(i);  // unsynchronized: only its worker touches it
        {
          std::lock_guard<std::mutex> lock(m);
          scratches.insert(&scratch);
        }
        --scratch.busy;
      });
      for (size_t i = 0; i < n; ++i) CHECK(calls[i] == 1);
      CHECK(shared == 0);
      CHECK(scratches.size() <= static_cast<size_t>(threads));
    }
  }
}

TEST_CASE("ParallelForWith with one thread keeps one scratch, in order", "[parallel]") {
  std::vector<size_t> order;
  std::set<std::vector<size_t>*> scratches;
  ParallelForWith<std::vector<size_t>>(30, 1, [&](std::vector<size_t>& scratch, size_t i) {
    scratches.insert(&scratch);
    scratch.push_back(i);  // what earlier calls left is still there
    CHECK(scratch.size() == i + 1);
    order.push_back(i);
  });
  CHECK(scratches.size() == 1);
  for (size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);
}

TEST_CASE("ParallelForWith rethrows the first exception and skips the rest", "[parallel]") {
  for (int threads : {1, 3}) {
    std::atomic<int> calls{0};
    CHECK_THROWS_WITH(ParallelForWith<int>(10000, threads,
                                           [&](int&, size_t i) {
                                             ++calls;
                                             if (i == 5) throw std::runtime_error("item 5");
                                           }),
                      "item 5");
    CHECK(calls < 10000);
  }
}

TEST_CASE("Flatten puts the parts one after the other, in order", "[parallel]") {
  std::vector<std::vector<std::string>> parts = {{"a", "b"}, {}, {"c"}, {"d", "e", "f"}};
  CHECK(Flatten(std::move(parts)) == std::vector<std::string>{"a", "b", "c", "d", "e", "f"});
  CHECK(Flatten(std::vector<std::vector<int>>{}).empty());
}
