#include "thread_pool.h"

#ifdef __linux__
#include <sched.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace cnnlab {
namespace {

class Pool {
 public:
  ~Pool() { stop_workers(); }

  int threads() {
    std::call_once(init_, [this] { resize(default_threads()); });
    return threads_;
  }

  int resize(int n) {
    std::lock_guard<std::mutex> busy(busy_);
    stop_workers();
    if (n < 1) n = 1;
    if (n > 256) n = 256;
    threads_ = 1;
    stopping_ = false;
    // The generation is read here, not in the new thread: a job posted before the thread
    // first runs must still count as new to it.
    const unsigned long start = generation_.load(std::memory_order_acquire);
    for (int i = 1; i < n; ++i) {
      try {
        workers_.emplace_back([this, i, start] { work(i, start); });
        threads_ = i + 1;
      } catch (const std::system_error&) {
        break;  // fewer threads than asked for is still correct, only slower
      }
    }
    return threads_;
  }

  void run(int parts, const std::function<void(int)>& fn) {
    threads();  // the first call sizes the pool
    std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
    // Read under the lock: setThreads from another JS thread may have resized the pool.
    const int used = busy.owns_lock() ? std::min(parts, threads_.load()) : 1;
    if (used <= 1) {
      // One thread, or another JS thread (worker_threads) holds the pool: run serially.
      for (int p = 0; p < parts; ++p) fn(p);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &fn;
      parts_ = used;
      pending_.store(used - 1, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    fn(0);
    // Parts beyond the pool's size (it shrank since the caller sized the job) are ours too.
    for (int p = used; p < parts; ++p) fn(p);
    // The workers' parts are of the same size as ours, so a short spin usually suffices.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
    while (pending_.load(std::memory_order_acquire) != 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [this] { return pending_.load(std::memory_order_acquire) == 0; });
        break;
      }
    }
  }

 private:
  static int default_threads() {
    if (const char* env = std::getenv("CNNLAB_NATIVE_THREADS")) {
      int n = std::atoi(env);
      if (n > 0) return n;
    }
#ifdef __linux__
    // The cores this process may run on (a container's or taskset's limit), not the machine's.
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
      int n = CPU_COUNT(&set);
      if (n > 0) return n;
    }
#endif
    unsigned hc = std::thread::hardware_concurrency();
    return hc > 0 ? static_cast<int>(hc) : 1;
  }

  void work(int index, unsigned long seen) {
    for (;;) {
      // Spin a little before sleeping: kernels come in quick succession during a training step.
      auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(50);
      while (generation_.load(std::memory_order_acquire) == seen && !stopping_.load() &&
             std::chrono::steady_clock::now() < deadline) {
      }
      const std::function<void(int)>* job;
      int parts;
      {
        // Take the job and its size under the lock, together with its generation: a worker not
        // needed for one job may wake only once the next one has been posted.
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] {
          return stopping_.load() || generation_.load(std::memory_order_acquire) != seen;
        });
        if (stopping_.load()) return;
        seen = generation_.load(std::memory_order_acquire);
        job = job_;
        parts = parts_;
      }
      if (index < parts) {
        (*job)(index);
        if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
          std::lock_guard<std::mutex> lock(mutex_);
          done_.notify_one();
        }
      }
    }
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

  std::once_flag init_;
  std::mutex busy_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::vector<std::thread> workers_;
  std::atomic<unsigned long> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stopping_{false};
  const std::function<void(int)>* job_ = nullptr;
  int parts_ = 0;
  std::atomic<int> threads_{1};
};

Pool& pool() {
  // Leaked on purpose: joining threads from a static destructor at process exit can deadlock.
  static Pool* p = new Pool();
  return *p;
}

}  // namespace

int pool_threads() { return pool().threads(); }

// Measured on the workshop CNN (2 cores): smaller grains woke the worker for dense layers and
// optimizer updates whose work took less time than the wake-up.
long grain_macs() { return 1L << 21; }
long grain_elements() { return 1L << 18; }

int set_pool_threads(int n) {
  pool().threads();  // make sure the default initialisation does not run later and override n
  return pool().resize(n);
}

void parallel_run(int parts, const std::function<void(int)>& fn) { pool().run(parts, fn); }

void parallel_chunks(long chunks, int parts, const std::function<void(long, int)>& fn) {
  if (parts > chunks) parts = int(chunks);
  std::atomic<long> next{0};
  pool().run(parts, [&](int part) {
    for (long chunk = next.fetch_add(1); chunk < chunks; chunk = next.fetch_add(1)) fn(chunk, part);
  });
}

}  // namespace cnnlab
