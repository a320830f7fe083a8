// A model with mistakes known in advance, for the evaluation and the views that show it.
//
// One layer, 784 → 10: pixel 100 + d votes 10 for class d, except that the pixel of 4 votes
// for 9 and the pixel of 7 votes for 2. The data: three images of each digit, each one pixel
// (its digit's) at 255, 128 and 51, so the network is 99.96%, 94% or 47% sure of its answer.
#pragma once

#include "dataset.h"
#include "network.h"

namespace digitpad::testing {

constexpr int kMadeUpPixel = 100;  // digit d's pixel is kMadeUpPixel + d
constexpr std::uint8_t kMadeUpInk[3] = {255, 128, 51};

inline int made_up_answer(int digit) { return digit == 4 ? 9 : digit == 7 ? 2 : digit; }

inline Network made_up_model() {
    Network net({784, 10}, 1);
    net.layer(0).W.setZero();
    net.layer(0).b.setZero();
    for (int d = 0; d < 10; ++d) net.layer(0).W(kMadeUpPixel + d, made_up_answer(d)) = 10.0f;
    return net;
}

// Image 3d + k is digit d with ink kMadeUpInk[k].
inline Dataset made_up_digits() {
    Dataset data;
    data.name = "made-up digits";
    for (int d = 0; d < 10; ++d)
        for (std::uint8_t ink : kMadeUpInk) {
            std::vector<std::uint8_t> image(kImagePixels, 0);
            image[kMadeUpPixel + d] = ink;
            data.images.insert(data.images.end(), image.begin(), image.end());
            data.labels.push_back(static_cast<std::uint8_t>(d));
        }
    return data;
}

}  // namespace digitpad::testing
