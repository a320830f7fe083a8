#include "dataset.h"

#include "atomic_file.h"
#include "engine/kernels.h"
#include "regular_file.h"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <numeric>
#include <random>

namespace digitpad {
namespace {

constexpr std::uint32_t kImagesMagic = 0x00000803;
constexpr std::uint32_t kLabelsMagic = 0x00000801;

// The most images a file may promise: ten times EMNIST's largest split. More is not a data
// set but a mistake or an attack, and would not fit in memory anyway (7.8 GB at this limit).
constexpr std::uint64_t kMaxImages = 10'000'000;
// Deflate expands at most 1032-fold, so a gzip file of C bytes holds at most this much.
constexpr std::uint64_t kMaxGzipRatio = 1032;

// gzread reads gzip and passes raw files through unchanged, so one reader serves both. Every
// read is bounded by what the file can hold: a header's promise is checked against the file's
// size (raw) or its compressed size and gzip trailer before anything is allocated for it.
class GzFile {
public:
    explicit GzFile(const std::filesystem::path& path) : path_(path.string()), file_(open(path)) {
        if (!file_) throw IdxError(IdxError::Kind::cannot_open, "cannot open " + path_);
        std::error_code ec;
        file_size_ = std::filesystem::file_size(path, ec);
    }
    ~GzFile() { gzclose(file_); }
    static gzFile open(const std::filesystem::path& path) {
        if (const auto why = not_a_regular_file(path))
            throw IdxError(IdxError::Kind::cannot_open, "cannot open " + path.string() + ": " + *why);
        return gzopen(path.string().c_str(), "rb");
    }
    GzFile(const GzFile&) = delete;
    GzFile& operator=(const GzFile&) = delete;

    // Reads up to n bytes; returns how many arrived (fewer only at the end of the data).
    std::size_t read(void* into, std::size_t n) {
        std::size_t got = 0;
        auto* bytes = static_cast<unsigned char*>(into);
        while (got < n) {
            const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n - got, 1u << 30));
            const int r = gzread(file_, bytes + got, chunk);
            if (r < 0) {
                int code = 0;
                throw IdxError(IdxError::Kind::truncated,
                               path_ + ": corrupt compressed data (" + gzerror(file_, &code) + ")");
            }
            if (r == 0) {
                int code = 0;
                const char* why = gzerror(file_, &code);
                if (code == Z_BUF_ERROR)  // zlib's "unexpected end of file": a gzip stream cut short
                    throw IdxError(IdxError::Kind::truncated, path_ + ": truncated compressed data (" + why + ")");
                break;
            }
            got += static_cast<std::size_t>(r);
        }
        consumed_ += got;
        return got;
    }

    std::uint32_t read_u32_be(const char* what) {
        unsigned char b[4];
        if (read(b, 4) != 4)
            throw IdxError(IdxError::Kind::truncated, path_ + ": file ends inside its header (" + what + ")");
        return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
    }

    // Reads exactly the n bytes that end the file, after refusing a promise the file cannot
    // keep; the buffer grows only as data arrives. Then checks that nothing follows them
    // (which also makes zlib verify the gzip trailer's checksum).
    std::vector<std::uint8_t> read_to_end(std::size_t n, const std::string& what) {
        check_promise(consumed_ + n, what);
        std::vector<std::uint8_t> out;
        if (gzdirect(file_)) out.reserve(n);  // a raw file's size has been checked: n bytes are there
        constexpr std::size_t kChunk = 1 << 22;
        while (out.size() < n) {
            const std::size_t want = std::min(kChunk, n - out.size());
            const std::size_t old = out.size();
            out.resize(old + want);
            const std::size_t got = read(out.data() + old, want);
            if (got < want) throw truncated(n, old + got, what);
        }
        unsigned char extra[64];
        if (const std::size_t more = read(extra, sizeof extra))
            throw IdxError(IdxError::Kind::trailing_data,
                           path_ + ": " + (more == sizeof extra ? "more than " : "") + std::to_string(more) +
                               " bytes follow the " + what + " its header describes");
        return out;
    }

    const std::string& path() const { return path_; }

private:
    IdxError truncated(std::uint64_t promised, std::uint64_t has, const std::string& what) const {
        return IdxError(IdxError::Kind::truncated, path_ + ": truncated: the header promises " +
                                                       std::to_string(promised) + " bytes of " + what +
                                                       ", the file has " + std::to_string(has));
    }

    void check_promise(std::uint64_t total, const std::string& what) const {
        const std::uint64_t payload = total - consumed_;
        if (gzdirect(file_)) {
            if (file_size_ < total) throw truncated(payload, file_size_ - consumed_, what);
            if (file_size_ > total)
                throw IdxError(IdxError::Kind::trailing_data, path_ + ": " + std::to_string(file_size_ - total) +
                                                                  " bytes follow the " + what + " its header describes");
            return;
        }
        if (total > kMaxGzipRatio * file_size_)
            throw IdxError(IdxError::Kind::truncated,
                           path_ + ": the header promises " + std::to_string(payload) + " bytes of " + what +
                               ", more than a compressed file of " + std::to_string(file_size_) + " bytes can hold");
        // The gzip trailer ends with the uncompressed size modulo 2^32 (RFC 1952).
        unsigned char isize[4] = {};
        std::ifstream raw(path_, std::ios::binary);
        raw.seekg(-4, std::ios::end);
        raw.read(reinterpret_cast<char*>(isize), 4);
        const std::uint32_t stated = isize[0] | (std::uint32_t{isize[1]} << 8) | (std::uint32_t{isize[2]} << 16) |
                                     (std::uint32_t{isize[3]} << 24);
        // Only a smaller stated size can be judged before reading (modulo 2^32, and a damaged
        // trailer reads as any number): more, or a wrapped size, is judged when the stream ends.
        if (raw && total < (std::uint64_t{1} << 32) && stated < total)
            throw IdxError(IdxError::Kind::truncated,
                           path_ + ": the header promises " + std::to_string(payload) + " bytes of " + what +
                               ", but the gzip trailer gives the data's size as " + std::to_string(stated) +
                               " bytes: the file is damaged or truncated");
    }

    std::string path_;
    gzFile file_;
    std::uint64_t file_size_ = 0;
    std::uint64_t consumed_ = 0;  // uncompressed bytes read so far
};

void check_magic(GzFile& f, std::uint32_t expected, const char* kind) {
    const std::uint32_t magic = f.read_u32_be("magic number");
    if (magic != expected) {
        char buf[160];
        std::snprintf(buf, sizeof buf, ": not an IDX %s file (magic number 0x%08x, expected 0x%08x)", kind, magic,
                      expected);
        throw IdxError(IdxError::Kind::bad_magic, f.path() + buf);
    }
}

std::filesystem::path find_file(const std::filesystem::path& dir, const std::string& stem, const std::string& kind) {
    for (const std::string& name : {stem + "-" + kind + "-ubyte", stem + "." + kind + "-ubyte"})
        for (const char* ext : {".gz", ""})
            if (std::filesystem::exists(dir / (name + ext))) return dir / (name + ext);
    throw IdxError(IdxError::Kind::cannot_open,
                   "no " + stem + "-" + kind + "-ubyte(.gz) in " + dir.string());
}

// The rest of the file, or a clear refusal where it does not fit in memory.
std::vector<std::uint8_t> read_or_refuse(GzFile& f, std::size_t n, const std::string& what) {
    try {
        return f.read_to_end(n, what);
    } catch (const std::bad_alloc&) {
        throw IdxError(IdxError::Kind::cannot_open, f.path() + ": not enough memory for " + std::to_string(n >> 20) +
                                                        " MB of " + what);
    }
}

}  // namespace

Dataset load_idx(const std::filesystem::path& images_file, const std::filesystem::path& labels_file) {
    Dataset data;
    data.name = images_file.parent_path().filename().string();

    GzFile images(images_file);
    check_magic(images, kImagesMagic, "image");
    const std::uint32_t count = images.read_u32_be("image count");
    const std::uint32_t rows = images.read_u32_be("rows");
    const std::uint32_t cols = images.read_u32_be("columns");
    if (rows != kImageSide || cols != kImageSide)
        throw IdxError(IdxError::Kind::bad_dimensions, images.path() + ": images are " + std::to_string(rows) + "×" +
                                                           std::to_string(cols) + ", expected 28×28");
    if (count > kMaxImages)
        throw IdxError(IdxError::Kind::bad_dimensions, images.path() + ": the header promises " + std::to_string(count) +
                                                           " images; DigitPad reads at most " +
                                                           std::to_string(kMaxImages));
    data.images = read_or_refuse(images, std::size_t{count} * kImagePixels, "pixels");

    GzFile labels(labels_file);
    check_magic(labels, kLabelsMagic, "label");
    const std::uint32_t label_count = labels.read_u32_be("label count");
    if (label_count != count)
        throw IdxError(IdxError::Kind::count_mismatch, labels.path() + " has " + std::to_string(label_count) +
                                                           " labels but " + images.path() + " has " +
                                                           std::to_string(count) + " images");
    data.labels = read_or_refuse(labels, count, "labels");
    for (std::size_t i = 0; i < data.labels.size(); ++i)
        if (data.labels[i] >= kClasses)
            throw IdxError(IdxError::Kind::bad_label, labels.path() + ": label " + std::to_string(data.labels[i]) +
                                                          " of item " + std::to_string(i) + " is not a digit 0-9");
    return data;
}

Dataset load_mnist(const std::filesystem::path& dir, MnistPart part) {
    const std::string stem = part == MnistPart::train ? "train" : "t10k";
    const auto images = find_file(dir, stem + "-images", "idx3");
    const auto labels = find_file(dir, stem + "-labels", "idx1");
    Dataset data = load_idx(images, labels);
    data.name = dir.filename().string() + (part == MnistPart::train ? " (train)" : " (test)");
    return data;
}

bool has_mnist(const std::filesystem::path& dir) {
    try {
        for (const char* stem : {"train-images", "t10k-images"}) find_file(dir, stem, "idx3");
        for (const char* stem : {"train-labels", "t10k-labels"}) find_file(dir, stem, "idx1");
        return true;
    } catch (const IdxError&) {
        return false;
    }
}

void save_idx(const Dataset& data, const std::filesystem::path& images_file, const std::filesystem::path& labels_file) {
    auto header = [](std::vector<std::uint8_t>& out, std::initializer_list<std::uint32_t> words) {
        for (std::uint32_t v : words)
            for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
    };
    const auto n = static_cast<std::uint32_t>(data.size());
    std::vector<std::uint8_t> images, labels;
    header(images, {kImagesMagic, n, kImageSide, kImageSide});
    images.insert(images.end(), data.images.begin(), data.images.end());
    header(labels, {kLabelsMagic, n});
    labels.insert(labels.end(), data.labels.begin(), data.labels.end());
    write_file_atomically(images_file, images);
    write_file_atomically(labels_file, labels);
}

Dataset take(const Dataset& data, std::size_t count) {
    count = std::min(count, data.size());
    Dataset out;
    out.name = data.name;
    out.images.assign(data.images.begin(), data.images.begin() + static_cast<std::ptrdiff_t>(count * kImagePixels));
    out.labels.assign(data.labels.begin(), data.labels.begin() + static_cast<std::ptrdiff_t>(count));
    return out;
}

Dataset last(const Dataset& data, std::size_t count) {
    count = std::min(count, data.size());
    const std::size_t first = data.size() - count;
    Dataset out;
    out.name = data.name;
    out.images.assign(data.images.begin() + static_cast<std::ptrdiff_t>(first * kImagePixels), data.images.end());
    out.labels.assign(data.labels.begin() + static_cast<std::ptrdiff_t>(first), data.labels.end());
    return out;
}

std::pair<Dataset, Dataset> split_holdout(const Dataset& data, std::size_t holdout, std::uint64_t seed) {
    holdout = std::min(holdout, data.size());
    std::vector<std::uint32_t> order(data.size());
    std::iota(order.begin(), order.end(), 0u);
    std::shuffle(order.begin(), order.end(), std::mt19937_64(seed));
    std::pair<Dataset, Dataset> parts;
    parts.first.name = data.name;
    parts.second.name = data.name + " (held out)";
    // Keep each part in the original order so that the split is a choice of images, not a reshuffle.
    std::vector<bool> held(data.size(), false);
    for (std::size_t i = 0; i < holdout; ++i) held[order[i]] = true;
    for (std::size_t i = 0; i < data.size(); ++i) {
        Dataset& part = held[i] ? parts.second : parts.first;
        const auto img = data.image(i);
        part.images.insert(part.images.end(), img.begin(), img.end());
        part.labels.push_back(data.labels[i]);
    }
    return parts;
}

BatchSampler::BatchSampler(std::size_t samples, std::size_t batch_size, std::uint64_t seed)
    : order_(samples), batch_size_(std::max<std::size_t>(1, batch_size)), state_(seed) {
    std::iota(order_.begin(), order_.end(), 0u);
}

void BatchSampler::shuffle() {
    std::mt19937_64 rng(state_);
    std::shuffle(order_.begin(), order_.end(), rng);
    state_ = rng();
}

std::span<const std::uint32_t> BatchSampler::batch(std::size_t k) const {
    const std::size_t begin = k * batch_size_;
    const std::size_t end = std::min(order_.size(), begin + batch_size_);
    return {order_.data() + begin, end - begin};
}

void gather_batch(const Dataset& data, std::span<const std::uint32_t> indices, Matrix& X,
                  std::vector<std::uint8_t>& y) {
    X.resize(static_cast<Eigen::Index>(indices.size()), kImagePixels);
    y.resize(indices.size());
    gather_rows(data, indices, X, y, 0);
}

void gather_rows(const Dataset& data, std::span<const std::uint32_t> indices, Matrix& X,
                 std::vector<std::uint8_t>& y, std::size_t first_row) {
    const std::size_t B = indices.size();
    for (std::size_t r = 0; r < B; ++r) {
        const std::uint32_t i = indices[r];
        const std::uint8_t* pixels = data.image(i).data();
        if (r + 4 < B)  // the rows are scattered over the data set: ask for a later one early
            for (int k = 0; k < kImagePixels; k += 64) __builtin_prefetch(data.image(indices[r + 4]).data() + k);
        float* row = X.row(static_cast<Eigen::Index>(first_row + r)).data();
        kernels().scale_bytes(pixels, kImagePixels, 1.0f / 255.0f, row);
        y[first_row + r] = data.labels[i];
    }
}

}  // namespace digitpad
