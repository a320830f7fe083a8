#include "onnx_file.h"

#include "atomic_file.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>

namespace digitpad {
namespace {

constexpr const char* kInput = "input";
constexpr const char* kOutput = "probabilities";
// ONNX IR version 8 (ONNX 1.10 and later): what opset 13 needs, read by every current runtime.
constexpr std::int64_t kIrVersion = 8;

std::string layer_name(const char* what, std::size_t j) { return what + std::to_string(j + 1); }

void add_tensor(onnx::GraphProto& graph, const std::string& name, std::initializer_list<std::int64_t> dims,
                const float* data) {
    onnx::TensorProto& t = *graph.add_initializer();
    t.set_name(name);
    t.set_data_type(onnx::TensorProto::FLOAT);
    std::int64_t count = 1;
    for (std::int64_t d : dims) {
        t.add_dims(d);
        count *= d;
    }
    t.set_raw_data(data, static_cast<std::size_t>(count) * sizeof(float));  // little-endian, as x86-64 holds it
}

void add_node(onnx::GraphProto& graph, const char* op, std::initializer_list<std::string> inputs, const std::string& output) {
    onnx::NodeProto& node = *graph.add_node();
    node.set_op_type(op);
    node.set_name(output);
    for (const auto& in : inputs) node.add_input(in);
    node.add_output(output);
}

// A float32 [N, width] tensor: N is the batch, left free.
void describe(onnx::ValueInfoProto& value, const char* name, int width) {
    value.set_name(name);
    auto& tensor = *value.mutable_type()->mutable_tensor_type();
    tensor.set_elem_type(onnx::TensorProto::FLOAT);
    tensor.mutable_shape()->add_dim()->set_dim_param("N");
    tensor.mutable_shape()->add_dim()->set_dim_value(width);
}

// Reading: where each tensor name comes from, and what the walk has built so far.
class GraphReader {
public:
    explicit GraphReader(const onnx::GraphProto& graph) : graph_(graph) {}

    // The float32 initializer `name` as a rows × cols matrix (a vector when rows is 0),
    // or throws naming what it is instead.
    Matrix weights(const std::string& name, const std::string& node) const {
        const onnx::TensorProto* t = initializer(name);
        if (!t) throw ModelFileError(node + ": its input '" + name + "' is not a weight tensor stored in the file");
        if (t->data_type() != onnx::TensorProto::FLOAT)
            throw ModelFileError("tensor '" + name + "' holds " + onnx::TensorProto::DataType_Name(t->data_type()) +
                                 " values; DigitPad takes FLOAT (float32)");
        if (t->data_location() == onnx::TensorProto::EXTERNAL)
            throw ModelFileError("tensor '" + name + "' is stored in a separate file; DigitPad reads weights inside the model");
        std::vector<std::int64_t> dims(t->dims().begin(), t->dims().end());
        if (dims.empty() || dims.size() > 2)
            throw ModelFileError("tensor '" + name + "' has " + std::to_string(dims.size()) +
                                 " dimensions; a layer's weights have 2 and its bias 1");
        for (std::int64_t d : dims)
            if (d < 1 || d > kMaxLayerSize)
                throw ModelFileError("tensor '" + name + "' has a dimension of " + std::to_string(d) + "; DigitPad takes 1 to " +
                                     std::to_string(kMaxLayerSize));
        const Eigen::Index rows = dims.size() == 2 ? dims[0] : 1, cols = dims.back();
        const std::size_t count = static_cast<std::size_t>(rows * cols);
        // The data must be there before anything the size fields ask for is allocated.
        const bool raw = t->has_raw_data();
        if (raw ? t->raw_data().size() != count * sizeof(float) : static_cast<std::size_t>(t->float_data_size()) != count)
            throw ModelFileError("tensor '" + name + "' has " +
                                 std::to_string(raw ? t->raw_data().size() / sizeof(float) : std::size_t(t->float_data_size())) +
                                 " values for " + std::to_string(count));
        Matrix m(rows, cols);
        std::memcpy(m.data(), raw ? static_cast<const void*>(t->raw_data().data()) : t->float_data().data(), count * sizeof(float));
        return m;
    }

    // The float32 initializer `name` as the bias of a layer of `units` units.
    RowVector bias(const std::string& name, const std::string& node, Eigen::Index units) const {
        const Matrix b = weights(name, node);
        if (b.rows() != 1 || b.cols() != units)
            throw ModelFileError(node + ": its bias has " + std::to_string(b.size()) + " values for " +
                                 std::to_string(units) + " units");
        return b;
    }

    bool is_initializer(const std::string& name) const { return initializer(name) != nullptr; }

private:
    const onnx::TensorProto* initializer(const std::string& name) const {
        for (const auto& t : graph_.initializer())
            if (t.name() == name) return &t;
        return nullptr;
    }
    const onnx::GraphProto& graph_;
};

std::string describe_node(const onnx::NodeProto& node, int index) {
    return "node " + std::to_string(index) + (node.name().empty() ? "" : " '" + node.name() + "'") + " (" + node.op_type() + ")";
}

const onnx::AttributeProto* attribute(const onnx::NodeProto& node, const char* name) {
    for (const auto& a : node.attribute())
        if (a.name() == name) return &a;
    return nullptr;
}

std::int64_t int_attribute(const onnx::NodeProto& node, const char* name, std::int64_t otherwise) {
    const auto* a = attribute(node, name);
    return a ? a->i() : otherwise;
}

float float_attribute(const onnx::NodeProto& node, const char* name, float otherwise) {
    const auto* a = attribute(node, name);
    return a ? a->f() : otherwise;
}

// The declared width of the graph input `name`, a float32 [N, width] tensor (nullopt where the
// width is left free); throws for any other type or rank.
std::optional<std::int64_t> row_width(const onnx::GraphProto& graph, const std::string& name) {
    for (const auto& in : graph.input()) {
        if (in.name() != name) continue;
        const auto& tensor = in.type().tensor_type();
        if (!in.type().has_tensor_type() || tensor.elem_type() != onnx::TensorProto::FLOAT)
            throw ModelFileError("the input '" + name + "' is not a float32 tensor");
        if (!tensor.has_shape()) return std::nullopt;
        if (tensor.shape().dim_size() != 2) {
            std::string dims;
            for (const auto& d : tensor.shape().dim())
                dims += (dims.empty() ? "" : ", ") + (d.has_dim_value() ? std::to_string(d.dim_value()) : d.dim_param());
            throw ModelFileError("the input '" + name + "' has shape [" + dims + "]; DigitPad takes rows of pixels, [N, 784]");
        }
        const auto& width = tensor.shape().dim(1);
        if (width.has_dim_value()) return width.dim_value();
    }
    return std::nullopt;
}

}  // namespace

std::vector<std::uint8_t> serialize_onnx(const Network& net, const ModelInfo& info) {
    onnx::ModelProto model;
    model.set_ir_version(kIrVersion);
    auto& opset = *model.add_opset_import();
    opset.set_domain("");
    opset.set_version(kOnnxOpset);
    model.set_producer_name("DigitPad");
    std::string doc = "A feed-forward network of dense layers (On a simple matrix based neural network model): "
                      "input float32 [N, 784], 28x28 pixels in [0, 1], ink 1; output the ten digits' probabilities.";
    // The graph starts at the first layer: a reader prepares the input as DigitPad does.
    if (net.deskew() != 0)
        doc += " Deskew each input first (metadata 'deskew'): shear it along x about its centre of mass by that share "
               "of its slant mu11/mu02, the moments taken over the rows left when those holding the first and the "
               "last 'deskew-trim' of the ink are set aside (docs/file-formats.md).";
    model.set_doc_string(doc);
    std::istringstream lines(metadata_text(info, net));
    for (std::string line; std::getline(lines, line);) {
        const auto eq = line.find('=');
        auto& prop = *model.add_metadata_props();
        prop.set_key(line.substr(0, eq));
        prop.set_value(line.substr(eq + 1));
    }

    onnx::GraphProto& graph = *model.mutable_graph();
    graph.set_name("digitpad");
    std::string out = kInput;
    for (std::size_t j = 0; j < net.layer_count(); ++j) {
        const auto& L = net.layer(j);
        const std::string W = layer_name("W", j), b = layer_name("b", j), net_j = layer_name("net", j);
        add_tensor(graph, W, {L.W.rows(), L.W.cols()}, L.W.data());  // row-major, as ONNX lays tensors out
        add_tensor(graph, b, {L.b.cols()}, L.b.data());
        add_node(graph, "MatMul", {out, W}, layer_name("product", j));
        add_node(graph, "Add", {layer_name("product", j), b}, net_j);
        const bool last = j + 1 == net.layer_count();
        out = last ? kOutput : layer_name("out", j);
        add_node(graph, last ? "Softmax" : "Relu", {net_j}, out);
    }
    auto& axis = *graph.mutable_node(graph.node_size() - 1)->add_attribute();
    axis.set_name("axis");
    axis.set_type(onnx::AttributeProto::INT);
    axis.set_i(-1);
    describe(*graph.add_input(), kInput, net.input_size());
    describe(*graph.add_output(), kOutput, net.output_size());

    std::vector<std::uint8_t> bytes(model.ByteSizeLong());
    model.SerializeToArray(bytes.data(), static_cast<int>(bytes.size()));
    return bytes;
}

// Walks the nodes in their order (ONNX keeps them sorted so that each comes after its inputs),
// following one tensor from the input: each layer is MatMul then Add, or Gemm, then Relu, or
// Softmax to end. One function, so that the accepted shape of a graph reads in one place.
Model parse_onnx(std::span<const std::uint8_t> bytes) {
    onnx::ModelProto model;
    if (bytes.size() > static_cast<std::size_t>(INT32_MAX) || !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
        throw ModelFileError("this is not an ONNX model (its bytes are not an ONNX ModelProto)");
    if (!model.has_graph() || model.graph().input_size() == 0) throw ModelFileError("the ONNX model holds no graph");
    const onnx::GraphProto& graph = model.graph();
    const GraphReader reader(graph);

    std::string input;
    for (const auto& in : graph.input())
        if (!reader.is_initializer(in.name())) {
            if (!input.empty()) throw ModelFileError("the graph has more than one input ('" + input + "', '" + in.name() + "')");
            input = in.name();
        }
    if (input.empty()) throw ModelFileError("the graph has no input for the pixels");
    const auto input_width = row_width(graph, input);
    if (graph.output_size() != 1) throw ModelFileError("the graph has " + std::to_string(graph.output_size()) + " outputs; DigitPad's has one");

    std::vector<DenseLayer<float>> layers;
    std::string current = input;  // the tensor the walk is at
    bool ended = false;
    for (int i = 0; i < graph.node_size(); ++i) {
        const onnx::NodeProto& node = graph.node(i);
        const std::string where = describe_node(node, i);
        if (ended) throw ModelFileError(where + " comes after the Softmax; DigitPad's graph ends there");
        const std::string& op = node.op_type();
        // Add may take the bias first (b + x·W); every other operator takes the layer's tensor first.
        const int at = op == "Add" && node.input_size() == 2 && node.input(1) == current ? 1 : 0;
        if (node.input_size() == 0 || node.input(at) != current || node.output_size() != 1)
            throw ModelFileError(where + " does not take the previous layer's output '" + current + "'");
        const bool after_product = !layers.empty() && layers.back().b.size() == 0;
        if (op == "MatMul" || op == "Gemm") {
            if (after_product) throw ModelFileError(where + " follows a MatMul without its Add");
            if (node.input_size() < 2) throw ModelFileError(where + " has no weight input");
            Matrix W = reader.weights(node.input(1), where);
            RowVector b;
            if (op == "Gemm") {
                if (float_attribute(node, "alpha", 1) != 1 || float_attribute(node, "beta", 1) != 1 || int_attribute(node, "transA", 0) != 0)
                    throw ModelFileError(where + " scales or transposes its input (alpha, beta, transA); DigitPad takes input · W + b");
                if (int_attribute(node, "transB", 0) != 0) W = Matrix(W.transpose());
                if (node.input_size() < 3) throw ModelFileError(where + " has no bias");
                b = reader.bias(node.input(2), where, W.cols());
            }
            const Eigen::Index fan_in = layers.empty() ? W.rows() : layers.back().W.cols();
            if (W.rows() != fan_in)
                throw ModelFileError(where + ": its weights are " + std::to_string(W.rows()) + " × " + std::to_string(W.cols()) +
                                     ", but the layer before gives " + std::to_string(fan_in) + " values");
            layers.push_back({std::move(W), std::move(b)});
        } else if (op == "Add") {
            if (!after_product) throw ModelFileError(where + " adds to something that is not a MatMul's product");
            layers.back().b = reader.bias(node.input_size() == 2 ? node.input(1 - at) : std::string(), where,
                                          layers.back().W.cols());
        } else if (op == "Relu" || op == "Softmax") {
            if (layers.empty() || after_product) throw ModelFileError(where + " does not follow a complete dense layer");
            if (op == "Softmax") {
                const std::int64_t axis = int_attribute(node, "axis", -1);
                if (axis != -1 && axis != 1) throw ModelFileError(where + " takes the softmax over axis " + std::to_string(axis) + "; DigitPad's is over the classes (axis -1)");
                ended = true;
            }
        } else {
            throw ModelFileError(where + " is not an operator DigitPad's network has (MatMul, Add, Gemm, Relu, Softmax)");
        }
        current = node.output(0);
    }
    if (!ended) throw ModelFileError("the graph does not end in a Softmax over the classes");
    if (graph.output(0).name() != current)
        throw ModelFileError("the graph's output '" + graph.output(0).name() + "' is not the Softmax's '" + current + "'");

    std::vector<int> sizes{static_cast<int>(layers.front().W.rows())};
    if (input_width && *input_width != sizes[0])
        throw ModelFileError("the input '" + input + "' has " + std::to_string(*input_width) + " values a row, but the first layer takes " +
                             std::to_string(sizes[0]));
    for (const auto& L : layers) sizes.push_back(static_cast<int>(L.W.cols()));
    if (const auto why = unsavable_shape(sizes)) throw ModelFileError(*why);
    Model result{Network(sizes, 0), {}};
    for (std::size_t j = 0; j < layers.size(); ++j) result.network.layer(j) = std::move(layers[j]);
    check_finite(result.network);
    std::string meta;
    for (const auto& prop : model.metadata_props()) {
        std::string value = prop.value();
        std::replace(value.begin(), value.end(), '\n', ' ');
        meta += prop.key() + "=" + value + "\n";
    }
    const Metadata metadata = parse_metadata(meta);
    result.info = metadata.info;
    result.network.set_deskew(metadata.deskew, metadata.deskew_trim);
    if (result.info.dataset.empty())
        result.info.dataset = "imported from ONNX" + (model.producer_name().empty() ? "" : " (" + model.producer_name() + ")");
    return result;
}

void save_onnx(const std::filesystem::path& path, const Network& net, const ModelInfo& info) {
    write_file_atomically(path, serialize_onnx(net, info));
}

}  // namespace digitpad
