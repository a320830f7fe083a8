// The first numbers of std::mt19937_64 from a seed, without making its whole state: seeding the
// standard engine fills 312 words and its first draw regenerates all of them, while the first
// 156 draws need only 157 seeded words and one regenerated word each. The augmentation draws a
// handful of numbers from a stream of its own for every image; this gives it the same numbers
// for a seventh of the work. Past the first 156 it goes on with the standard engine itself.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>

namespace digitpad {

class FirstDraws {
public:
    using result_type = std::uint64_t;
    static constexpr result_type min() { return std::mt19937_64::min(); }
    static constexpr result_type max() { return std::mt19937_64::max(); }

    explicit FirstDraws(result_type seed) { word_[0] = seed; }

    result_type operator()() {
        if (next_ >= kCheap) {
            if (!rest_) {
                rest_.emplace(word_[0]);
                rest_->discard(kCheap);
            }
            return (*rest_)();
        }
        // Word k of the regenerated state, from seeded words k, k + 1 and k + m (the
        // standard's recurrence and tempering, w = 64, n = 312, m = 156, r = 31).
        const std::size_t k = next_++;
        while (seeded_ <= k + kM) {
            const result_type x = word_[seeded_ - 1];
            word_[seeded_] = 6364136223846793005ull * (x ^ (x >> 62)) + seeded_;
            ++seeded_;
        }
        const result_type y = (word_[k] & kUpper) | (word_[k + 1] & ~kUpper);
        result_type z = word_[k + kM] ^ (y >> 1) ^ ((y & 1) ? 0xb5026f5aa96619e9ull : 0);
        z ^= (z >> 29) & 0x5555555555555555ull;
        z ^= (z << 17) & 0x71d67fffeda60000ull;
        z ^= (z << 37) & 0xfff7eee000000000ull;
        return z ^ (z >> 43);
    }

private:
    static constexpr std::size_t kM = 156, kCheap = 312 - kM;
    static constexpr result_type kUpper = ~result_type{0} << 31;
    std::array<result_type, 312> word_;  // the seeded words made so far: [0, seeded_)
    std::size_t seeded_ = 1, next_ = 0;
    std::optional<std::mt19937_64> rest_;  // the standard engine, from the 157th draw on
};

}  // namespace digitpad
