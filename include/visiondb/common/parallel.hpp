// The one place visiondb includes oneTBB: parallel loops, reductions, sorting, per-thread state
// and the task arena that fixes a Database's worker count.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <utility>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

namespace visiondb {

/// Runs body(begin, end) over [first, last) split into ranges of at least `grain` items.
template <class Body>
void parallel_for(size_t first, size_t last, size_t grain, Body&& body) {
  if (first >= last) return;
  if (last - first <= grain) {
    body(first, last);
    return;
  }
  tbb::parallel_for(tbb::blocked_range<size_t>(first, last, std::max<size_t>(grain, 1)),
                    [&](const tbb::blocked_range<size_t>& r) { body(r.begin(), r.end()); });
}

/// Runs body(i) for every i in [first, last), one task per index (for coarse work items).
template <class Body>
void parallel_for_each_index(size_t first, size_t last, Body&& body) {
  if (first >= last) return;
  tbb::parallel_for(tbb::blocked_range<size_t>(first, last, 1), [&](const tbb::blocked_range<size_t>& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) body(i);
  });
}

/// A reduction whose split points do not depend on the thread count, so float sums are
/// identical at 1 and N threads [STYLE §6].
template <class T, class Body, class Join>
T parallel_deterministic_reduce(size_t first, size_t last, size_t grain, T identity, Body&& body, Join&& join) {
  return tbb::parallel_deterministic_reduce(
      tbb::blocked_range<size_t>(first, last, std::max<size_t>(grain, 1)), identity,
      [&](const tbb::blocked_range<size_t>& r, T acc) { return body(r.begin(), r.end(), std::move(acc)); }, join);
}

/// Runs the callables concurrently and waits for all of them.
template <class... F>
void parallel_invoke(F&&... f) {
  tbb::parallel_invoke(std::forward<F>(f)...);
}

/// Parallel unstable sort.
template <class It, class Less>
void parallel_sort(It first, It last, Less&& less) {
  tbb::parallel_sort(first, last, std::forward<Less>(less));
}

/// Per-thread state, combined after a parallel loop.
template <class T>
using ThreadLocal = tbb::enumerable_thread_specific<T>;

/// A group of tasks that run while the caller goes on (used to overlap stages of a pipeline).
using TaskGroup = tbb::task_group;

/// The number of workers available to the current task arena.
inline int current_concurrency() { return tbb::this_task_arena::max_concurrency(); }

/// The index of the calling worker in its arena, in [0, current_concurrency()).
inline int current_worker_index() { return std::max(0, tbb::this_task_arena::current_thread_index()); }

/// A fixed-size pool of workers; work run through execute() uses at most `threads` of them.
class TaskArena {
 public:
  /// threads <= 0 means one per core.
  explicit TaskArena(int threads = 0) { reset(threads); }
  void reset(int threads) {
    threads_ = threads > 0 ? threads : tbb::info::default_concurrency();
    arena_ = std::make_unique<tbb::task_arena>(threads_);
  }
  int threads() const noexcept { return threads_; }
  template <class F>
  decltype(auto) execute(F&& f) {
    return arena_->execute(std::forward<F>(f));
  }

 private:
  int threads_ = 1;
  std::unique_ptr<tbb::task_arena> arena_;
};

/// Caps the whole process's TBB parallelism while it lives (benchmarks use it).
class GlobalThreadLimit {
 public:
  explicit GlobalThreadLimit(int threads)
      : control_(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(std::max(threads, 1))) {}

 private:
  tbb::global_control control_;
};

/// The number of hardware threads.
inline int hardware_concurrency() { return tbb::info::default_concurrency(); }

}  // namespace visiondb
