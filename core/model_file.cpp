#include "model_file.h"

#include "atomic_file.h"
#include "dataset.h"
#include "regular_file.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

namespace digitpad {
namespace {

static_assert(std::endian::native == std::endian::little, "the model format stores little-endian floats");

constexpr char kMagic[8] = {'D', 'I', 'G', 'I', 'T', 'P', 'A', 'D'};
constexpr std::uint32_t kMaxMetadata = 1u << 16;
constexpr std::uint8_t kRelu = 0, kSoftmax = 1;

class Writer {
public:
    void bytes(const void* p, std::size_t n) {
        const auto* b = static_cast<const std::uint8_t*>(p);
        out.insert(out.end(), b, b + n);
    }
    void u32(std::uint32_t v) { bytes(&v, 4); }
    void u8(std::uint8_t v) { out.push_back(v); }
    std::vector<std::uint8_t> out;
};

class Reader {
public:
    explicit Reader(std::span<const std::uint8_t> in) : in_(in) {}
    std::size_t remaining() const { return in_.size() - pos_; }
    void bytes(void* p, std::size_t n, const char* what) {
        if (remaining() < n)
            throw ModelFileError(std::string("the file is truncated (it ends inside the ") + what + ")");
        std::memcpy(p, in_.data() + pos_, n);
        pos_ += n;
    }
    std::uint32_t u32(const char* what) {
        std::uint32_t v;
        bytes(&v, 4, what);
        return v;
    }
    std::uint8_t u8(const char* what) {
        std::uint8_t v;
        bytes(&v, 1, what);
        return v;
    }

private:
    std::span<const std::uint8_t> in_;
    std::size_t pos_ = 0;
};

std::uint32_t crc32_of(std::span<const std::uint8_t> bytes) {
    return static_cast<std::uint32_t>(crc32(0L, bytes.data(), static_cast<uInt>(bytes.size())));
}

// A value on one line: a line break in it would start another entry.
std::string one_line(std::string value) {
    std::replace(value.begin(), value.end(), '\n', ' ');
    return value;
}

// The whole of `value` as a number of type T, or nullopt ("12abc", "-1" for an unsigned
// field, and a number past T's range are not numbers of that field).
template <typename T>
std::optional<T> whole_number(const std::string& value) {
    T v{};
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (error != std::errc() || end != value.data() + value.size() || value.empty()) return std::nullopt;
    return v;
}

}  // namespace

std::string metadata_text(const ModelInfo& info, const Network& net) {
    std::ostringstream s;
    s.precision(17);
    s << "dataset=" << one_line(info.dataset) << '\n'
      << "epochs=" << info.epochs << '\n'
      << "test_accuracy=" << info.test_accuracy << '\n'
      << "created=" << one_line(info.created) << '\n'
      << "seed=" << info.seed << '\n'
      << "recipe=" << one_line(info.recipe) << '\n';
    if (net.deskew() != 0) s << "deskew=" << net.deskew() << '\n';
    if (net.deskew_trim() != 0) s << "deskew-trim=" << net.deskew_trim() << '\n';
    return s.str();
}

Metadata parse_metadata(const std::string& text) {
    Metadata m;
    ModelInfo& info = m.info;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        const auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
        auto unreadable = [&](const char* expected) {
            return ModelFileError("the metadata entry '" + key + "' has the value '" + value + "'; expected " + expected);
        };
        if (key == "dataset") {
            info.dataset = value;
        } else if (key == "epochs") {
            const auto v = whole_number<std::uint32_t>(value);
            if (!v) throw unreadable("a whole number of epochs from 0 to 4294967295");
            info.epochs = *v;
        } else if (key == "test_accuracy") {
            const auto v = whole_number<double>(value);
            // Written as a share in [0, 1], or -1 where it was never measured.
            if (!v || !(*v == -1 || (*v >= 0 && *v <= 1))) throw unreadable("a share from 0 to 1, or -1 (never measured)");
            info.test_accuracy = *v;
        } else if (key == "created") {
            info.created = value;
        } else if (key == "seed") {
            const auto v = whole_number<std::uint64_t>(value);
            if (!v) throw unreadable("a whole number ≥ 0");
            info.seed = *v;
        } else if (key == "recipe") {
            info.recipe = value;
        } else if (key == "deskew") {
            const auto v = whole_number<double>(value);
            if (!v || !(*v >= 0 && *v <= 1)) throw unreadable("a share of the slant from 0 to 1");
            m.deskew = *v;
        } else if (key == "deskew-trim") {
            const auto v = whole_number<double>(value);
            if (!v || !(*v >= 0 && *v < 0.5)) throw unreadable("a share of the ink from 0 to under 0.5");
            m.deskew_trim = *v;
        }
        // Unknown keys come from newer writers of the same format version: ignored.
    }
    return m;
}

void check_finite(const Network& net) {
    if (!net.all_finite())
        throw ModelFileError("the model's parameters contain NaN or infinite values (it was saved after training diverged)");
}

std::vector<std::uint8_t> serialize_model(const Network& net, const ModelInfo& info) {
    Writer w;
    w.bytes(kMagic, sizeof kMagic);
    w.u32(kModelFormatVersion);
    w.u32(static_cast<std::uint32_t>(net.layer_count()));
    for (int n : net.sizes()) w.u32(static_cast<std::uint32_t>(n));
    for (std::size_t j = 0; j < net.layer_count(); ++j) w.u8(j + 1 < net.layer_count() ? kRelu : kSoftmax);
    const std::string meta = metadata_text(info, net);
    w.u32(static_cast<std::uint32_t>(meta.size()));
    w.bytes(meta.data(), meta.size());
    for (std::size_t j = 0; j < net.layer_count(); ++j) {
        const auto& L = net.layer(j);
        w.bytes(L.W.data(), static_cast<std::size_t>(L.W.size()) * sizeof(float));
        w.bytes(L.b.data(), static_cast<std::size_t>(L.b.size()) * sizeof(float));
    }
    w.u32(crc32_of(w.out));
    return std::move(w.out);
}

// Reads the format (docs/file-formats.md) in file order, each field checked as it is read; one
// function, about 60 lines, so that it reads beside the format's description.
Model parse_model(std::span<const std::uint8_t> bytes) {
    Reader r(bytes);
    char magic[8];
    r.bytes(magic, sizeof magic, "file signature");
    if (std::memcmp(magic, kMagic, sizeof magic) != 0)
        throw ModelFileError("this is not a DigitPad model file (its first bytes are not \"DIGITPAD\")");
    const std::uint32_t version = r.u32("format version");
    if (version == 0 || version > kModelFormatVersion)
        throw ModelFileError("the file has model format version " + std::to_string(version) +
                             "; this DigitPad reads version " + std::to_string(kModelFormatVersion) +
                             " (it may come from a newer DigitPad)");
    const std::uint32_t m = r.u32("layer count");
    if (m == 0 || m > kMaxLayers)
        throw ModelFileError("the file claims " + std::to_string(m) + " layers (expected 1 to " +
                             std::to_string(kMaxLayers) + "): it is damaged");
    std::vector<int> sizes;
    std::uint64_t parameters = 0;
    for (std::uint32_t j = 0; j <= m; ++j) {
        const std::uint32_t n = r.u32("layer sizes");
        if (n == 0 || n > kMaxLayerSize)
            throw ModelFileError("layer " + std::to_string(j) + " has an impossible size " + std::to_string(n) +
                                 ": the file is damaged");
        if (j > 0) parameters += std::uint64_t(sizes.back()) * n + n;
        sizes.push_back(static_cast<int>(n));
    }
    for (std::uint32_t j = 0; j < m; ++j) {
        const std::uint8_t a = r.u8("activations");
        const std::uint8_t expected = j + 1 < m ? kRelu : kSoftmax;
        if (a != expected)
            throw ModelFileError("layer " + std::to_string(j + 1) + " has activation code " + std::to_string(a) +
                                 "; DigitPad networks use ReLU on hidden layers and softmax on the output");
    }
    const std::uint32_t meta_size = r.u32("metadata size");
    if (meta_size > kMaxMetadata)
        throw ModelFileError("the metadata block claims " + std::to_string(meta_size) + " bytes: the file is damaged");
    // Everything the header promises must be present before anything is allocated from it.
    const std::uint64_t expected_rest = std::uint64_t{meta_size} + parameters * sizeof(float) + 4;
    if (r.remaining() < expected_rest)
        throw ModelFileError("the file is truncated: the header promises " + std::to_string(expected_rest) +
                             " more bytes, only " + std::to_string(r.remaining()) + " are there");
    if (r.remaining() > expected_rest)
        throw ModelFileError("the file has " + std::to_string(r.remaining() - expected_rest) +
                             " bytes more than its header describes: it is damaged");
    const std::uint32_t stored_crc = [&] {
        std::uint32_t v;
        std::memcpy(&v, bytes.data() + bytes.size() - 4, 4);
        return v;
    }();
    if (crc32_of(bytes.first(bytes.size() - 4)) != stored_crc)
        throw ModelFileError("the file is damaged: its CRC-32 checksum does not match its content");

    std::string meta(meta_size, '\0');
    r.bytes(meta.data(), meta_size, "metadata");
    const Metadata metadata = parse_metadata(meta);
    Model model{Network(sizes, 0), metadata.info};
    model.network.set_deskew(metadata.deskew, metadata.deskew_trim);
    for (std::size_t j = 0; j < model.network.layer_count(); ++j) {
        auto& L = model.network.layer(j);
        r.bytes(L.W.data(), static_cast<std::size_t>(L.W.size()) * sizeof(float), "weights");
        r.bytes(L.b.data(), static_cast<std::size_t>(L.b.size()) * sizeof(float), "biases");
    }
    check_finite(model.network);
    return model;
}

void save_model(const std::filesystem::path& path, const Network& net, const ModelInfo& info) {
    write_file_atomically(path, serialize_model(net, info));
}

Model load_model(const std::filesystem::path& path) {
    if (const auto why = not_a_regular_file(path)) throw ModelFileError("cannot open " + path.string() + ": " + *why);
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) throw ModelFileError("cannot open " + path.string() + ": " + ec.message());
    constexpr std::uintmax_t kMaxFile = std::uintmax_t{1} << 31;
    if (size > kMaxFile) throw ModelFileError(path.string() + " is too large to be a DigitPad model");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ModelFileError("cannot open " + path.string());
    std::vector<std::uint8_t> bytes(size);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
    if (static_cast<std::uintmax_t>(in.gcount()) != size) throw ModelFileError("cannot read " + path.string());
    return parse_model(bytes);
}

void check_digit_model(const Network& net) {
    if (net.input_size() != kImagePixels || net.output_size() != kClasses)
        throw ModelFileError("it maps " + std::to_string(net.input_size()) + " inputs to " +
                             std::to_string(net.output_size()) + " classes; DigitPad needs " + std::to_string(kImagePixels) +
                             " inputs (28×28 pixels) and " + std::to_string(kClasses) + " classes (the digits)");
}

std::optional<std::string> unsavable_shape(const std::vector<int>& sizes) {
    if (sizes.size() < 2 || sizes.size() - 1 > kMaxLayers)
        return "a network has 1 to " + std::to_string(kMaxLayers) + " layers of weights, not " +
               std::to_string(static_cast<long>(sizes.size()) - 1);
    for (std::size_t j = 0; j < sizes.size(); ++j)
        if (sizes[j] < 1 || static_cast<std::uint32_t>(sizes[j]) > kMaxLayerSize)
            return "layer " + std::to_string(j) + " has " + std::to_string(sizes[j]) + " units; a model file holds 1 to " +
                   std::to_string(kMaxLayerSize) + " a layer";
    return std::nullopt;
}

std::string now_iso8601() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace digitpad
