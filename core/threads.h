// How many threads Eigen's matrix products may use.
#pragma once

namespace digitpad {

// 0 means all cores. Without OpenMP the products run on the calling thread only.
void set_compute_threads(int threads);
int compute_threads();

// Makes the calling thread and its OpenMP threads treat denormal floats (below ~1e-38) as 0.
// Arithmetic on denormals is ~100 times slower, and training makes them: Adam's second moment
// of tiny gradients, momentum of units that have stopped. Flushing them changes no result that
// matters and tripled Adam's speed here. x86 only; elsewhere a no-op.
void flush_denormals_to_zero();

}  // namespace digitpad
