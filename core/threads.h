// How many threads Eigen's matrix products may use.
#pragma once

namespace digitpad {

// 0 means all cores. Without OpenMP the products run on the calling thread only.
void set_compute_threads(int threads);
int compute_threads();

}  // namespace digitpad
