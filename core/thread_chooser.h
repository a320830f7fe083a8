// Auto threads: how many compute threads the next training batch should use, chosen from
// how fast batches really run. On a quiet machine all cores win; when another program holds
// a core, threads that meet at barriers wait for one another to be scheduled and one thread
// alone is several times faster. The chooser runs on the best count it has measured, and every
// `probe_interval` seconds tries the others for a few batches, so that it follows the load as
// it comes and goes.
#pragma once

#include <cstddef>
#include <vector>

namespace digitpad {

class ThreadChooser {
public:
    // Counts 1…max_threads are candidates (only the extremes, 1 and max_threads, are tried).
    explicit ThreadChooser(int max_threads, double probe_interval = 2.0, int probe_batches = 8);  // windows: ≥ 8 batches and ≥ 30 ms

    int threads() const;  // for the next batch
    // The batch just run on threads() took `seconds` for `samples` images.
    void record(double seconds, int samples);

private:
    struct Candidate {
        int threads;
        double seconds_per_sample = 0;  // the newest measurement; 0: never measured
    };
    void pick_best();

    std::vector<Candidate> candidates_;
    double probe_interval_;
    int probe_batches_;
    std::size_t current_ = 0;  // index into candidates_
    std::size_t best_ = 0;
    static constexpr double kMinWindow = 0.03;  // seconds
    // The batches of the running measurement: their seconds per image, and their time.
    std::vector<double> window_;
    double window_seconds_ = 0;
    double since_probe_ = 0;  // seconds on the best count since the last round of probes
    bool probing_ = true;     // a round measures every candidate once; the first comes first
    bool skip_ = false;       // the next batch is the first after a switch
    std::size_t probed_ = 0;  // candidates measured in this round (the best counts as measured in a re-probe)
};

}  // namespace digitpad
