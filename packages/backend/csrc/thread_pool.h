// A small persistent worker pool. Kernels split their work into a fixed number of
// contiguous parts so results are deterministic for a given thread count.
#pragma once

#include <functional>

namespace cnnlab {

// Number of threads kernels may use (the caller's thread included).
int pool_threads();

// Sets the number of threads (>= 1); returns the number actually in use.
int set_pool_threads(int n);

// Runs fn(part) for every part in [0, parts), spread over the pool; the calling thread takes
// part 0 and any parts beyond the pool's size. If another JS thread is using the pool, the
// parts run one after another on the caller's thread instead.
void parallel_run(int parts, const std::function<void(int)>& fn);

// Runs fn(chunk, part) for chunk in [0, chunks): the threads take chunks as they finish the
// previous ones, so a thread slowed down by other processes takes fewer. `part` (< the number of
// threads used) lets fn pick per-thread scratch space. Only for work whose result does not
// depend on which thread does which chunk.
void parallel_chunks(long chunks, int parts, const std::function<void(long, int)>& fn);

// Splits [0, total) into `parts` contiguous ranges and returns the bounds of range `part`.
inline void split_range(long total, int parts, int part, long* begin, long* end) {
  long base = total / parts;
  long rem = total % parts;
  *begin = part * base + (part < rem ? part : rem);
  *end = *begin + base + (part < rem ? 1 : 0);
}

// Waking a sleeping worker costs tens of microseconds, so a thread must get at least this much
// work: multiply-adds for the GEMM-based kernels, elements for the memory-bound ones.
long grain_macs();
long grain_elements();

// How many parts a job of `work` units deserves: one per `grain` units, at most the pool size.
inline int parts_for(long work, long grain) {
  long p = grain > 0 ? work / grain : work;
  if (p < 1) p = 1;
  int t = pool_threads();
  return p < t ? static_cast<int>(p) : t;
}

}  // namespace cnnlab
