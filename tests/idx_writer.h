// Builds IDX files byte by byte for tests.
#pragma once

#include <QString>

#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <vector>

namespace digitpad::testing {

inline void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

inline std::vector<std::uint8_t> idx_images(const std::vector<std::uint8_t>& pixels, std::uint32_t count,
                                            std::uint32_t rows = 28, std::uint32_t cols = 28, std::uint32_t magic = 0x803) {
    std::vector<std::uint8_t> out;
    put_u32(out, magic);
    put_u32(out, count);
    put_u32(out, rows);
    put_u32(out, cols);
    out.insert(out.end(), pixels.begin(), pixels.end());
    return out;
}

inline std::vector<std::uint8_t> idx_labels(const std::vector<std::uint8_t>& labels, std::uint32_t magic = 0x801) {
    std::vector<std::uint8_t> out;
    put_u32(out, magic);
    put_u32(out, static_cast<std::uint32_t>(labels.size()));
    out.insert(out.end(), labels.begin(), labels.end());
    return out;
}

inline void write_file(const QString& path, const std::vector<std::uint8_t>& bytes, bool gzip) {
    if (gzip) {
        gzFile f = gzopen(path.toLocal8Bit().constData(), "wb");
        gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
        gzclose(f);
    } else {
        std::ofstream(path.toStdString(), std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
}

// Writes `data` as <dir>/<stem>-images-idx3-ubyte.gz and <dir>/<stem>-labels-idx1-ubyte.gz,
// stem "train" or "t10k", as MNIST names its files.
template <typename DatasetT>
void write_mnist_part(const QString& dir, const char* stem, const DatasetT& data) {
    write_file(dir + "/" + stem + "-images-idx3-ubyte.gz", idx_images(data.images, static_cast<std::uint32_t>(data.size())), true);
    write_file(dir + "/" + stem + "-labels-idx1-ubyte.gz", idx_labels(data.labels), true);
}

}  // namespace digitpad::testing
