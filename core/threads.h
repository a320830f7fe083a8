// How many threads Eigen's matrix products may use.
#pragma once

#include <cstddef>
#ifdef _OPENMP
#include <omp.h>
#endif

namespace digitpad {

// The machine's cores (at least 1): the most threads worth running, and Auto's ceiling.
int core_count();

// 0 means all cores. Without OpenMP the products run on the calling thread only.
void set_compute_threads(int threads);
int compute_threads();

// How many parts the work of a step whose sums depend on the split is cut into, whatever the
// threads: the machine's cores, or more threads where more were asked for. A training run is
// then the same on any number of threads up to the cores (Auto threads changes the count as
// the machine's load changes).
int compute_shares();

// Makes the calling thread and its OpenMP threads treat denormal floats (below ~1e-38) as 0.
// Arithmetic on denormals is ~100 times slower, and training makes them: Adam's second moment
// of tiny gradients, momentum of units that have stopped. Flushing them changes no result that
// matters and tripled Adam's speed here. x86 only; elsewhere a no-op.
void flush_denormals_to_zero();

// f(first, last) on each compute thread for its share [first, last) of `count` items (hidden
// units, groups of the input to index, images of a batch), in one OpenMP parallel region; on
// the calling thread alone without OpenMP. Call it from the training thread only (see docs/architecture.md,
// "Threads").
template <typename Index, typename F>
void on_shares(Index count, F f) {
#ifdef _OPENMP
#pragma omp parallel num_threads(compute_threads())
    {
        const Index t = omp_get_thread_num(), T = omp_get_num_threads();
        f(count * t / T, count * (t + 1) / T);
    }
#else
    f(Index{0}, count);
#endif
}

}  // namespace digitpad
