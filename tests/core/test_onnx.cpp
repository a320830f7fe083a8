// ONNX export and import: DigitPad → ONNX → DigitPad bit-identical, the graph as the paper's
// forward pass, a PyTorch-shaped graph (Gemm, transposed weights) read, and every other
// graph refused naming what it can't take. Tests against ONNX Runtime and PyTorch
// themselves: test_onnx_consumers.cpp.
#include "model_file.h"
#include "model_io.h"
#include "onnx_file.h"
#include "same_parameters.h"

#include <onnx/onnx_pb.h>

#include <QTemporaryDir>
#include <QtTest>

#include <limits>
#include <random>

using namespace digitpad;

namespace {

ModelInfo sample_info() { return {"mnist (train)", 12, 0.9842, "2026-11-29T01:02:03Z", 77, "sgd eta=0.1 batch=64"}; }

Network random_network(std::vector<int> sizes, std::uint64_t seed) {
    Network net(std::move(sizes), seed);
    std::mt19937 rng(static_cast<std::uint32_t>(seed));
    std::normal_distribution<float> d(0, 0.5f);
    for (std::size_t j = 0; j < net.layer_count(); ++j)
        for (Eigen::Index i = 0; i < net.layer(j).b.size(); ++i) net.layer(j).b(i) = d(rng);  // biases not 0
    return net;
}

onnx::ModelProto proto_of(const std::vector<std::uint8_t>& bytes) {
    onnx::ModelProto m;
    if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) qFatal("unparsable");
    return m;
}

std::vector<std::uint8_t> bytes_of(const onnx::ModelProto& m) {
    std::vector<std::uint8_t> out(m.ByteSizeLong());
    m.SerializeToArray(out.data(), static_cast<int>(out.size()));
    return out;
}

void add_float_tensor(onnx::GraphProto& g, const std::string& name, std::vector<std::int64_t> dims, const float* data) {
    auto& t = *g.add_initializer();
    t.set_name(name);
    t.set_data_type(onnx::TensorProto::FLOAT);
    std::int64_t n = 1;
    for (auto d : dims) t.add_dims(d), n *= d;
    for (std::int64_t i = 0; i < n; ++i) t.add_float_data(data[i]);  // float_data, not raw_data: the other encoding
}

// The graph PyTorch writes for nn.Sequential(nn.Linear, nn.ReLU, ..., nn.Softmax(dim=1)):
// Gemm with transB=1 on weights stored as [out, in], opset 11, Softmax over axis 1.
onnx::ModelProto pytorch_style(const Network& net) {
    onnx::ModelProto m;
    m.set_ir_version(6);
    m.set_producer_name("pytorch");
    auto& op = *m.add_opset_import();
    op.set_version(11);
    auto& g = *m.mutable_graph();
    std::string x = "onnx::Gemm_0";
    auto& in = *g.add_input();
    in.set_name(x);
    in.mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    in.mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(1);
    in.mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(net.input_size());
    for (std::size_t j = 0; j < net.layer_count(); ++j) {
        const Matrix Wt = net.layer(j).W.transpose();
        const std::string w = std::to_string(j) + ".weight", b = std::to_string(j) + ".bias";
        add_float_tensor(g, w, {Wt.rows(), Wt.cols()}, Wt.data());
        add_float_tensor(g, b, {net.layer(j).b.size()}, net.layer(j).b.data());
        auto& gemm = *g.add_node();
        gemm.set_op_type("Gemm");
        gemm.set_name("/" + std::to_string(j) + "/Gemm");
        gemm.add_input(x), gemm.add_input(w), gemm.add_input(b);
        for (auto [name, v] : {std::pair{"alpha", 1.0f}, {"beta", 1.0f}}) {
            auto& a = *gemm.add_attribute();
            a.set_name(name), a.set_type(onnx::AttributeProto::FLOAT), a.set_f(v);
        }
        auto& t = *gemm.add_attribute();
        t.set_name("transB"), t.set_type(onnx::AttributeProto::INT), t.set_i(1);
        x = "/" + std::to_string(j) + "/Gemm_output_0";
        gemm.add_output(x);
        auto& act = *g.add_node();
        const bool last = j + 1 == net.layer_count();
        act.set_op_type(last ? "Softmax" : "Relu");
        act.add_input(x);
        x = last ? "26" : "/" + std::to_string(j) + "/Relu_output_0";
        act.add_output(x);
        if (last) {
            auto& a = *act.add_attribute();
            a.set_name("axis"), a.set_type(onnx::AttributeProto::INT), a.set_i(1);
        }
    }
    g.add_output()->set_name(x);
    return m;
}

QString refusal(const std::vector<std::uint8_t>& bytes) {
    try {
        parse_onnx(bytes);
    } catch (const ModelFileError& e) {
        return e.what();
    }
    return {};
}

}  // namespace

class TestOnnx : public QObject {
    Q_OBJECT
    QTemporaryDir dir;

private slots:
    void round_trip_is_bit_identical_data() {
        QTest::addColumn<std::vector<int>>("sizes");
        QTest::newRow("the paper's 784-800-10") << std::vector<int>{784, 800, 10};
        QTest::newRow("three layers") << std::vector<int>{784, 64, 32, 10};
        QTest::newRow("one layer") << std::vector<int>{784, 10};
    }
    void round_trip_is_bit_identical() {
        QFETCH(std::vector<int>, sizes);
        const Network net = random_network(sizes, 3);
        const Model back = parse_onnx(serialize_onnx(net, sample_info()));
        QVERIFY(testing::same_parameters(net, back.network));
        // The model file written from what came back is the original's, byte for byte.
        QCOMPARE(serialize_model(back.network, back.info), serialize_model(net, sample_info()));
    }

    // The graph starts at the first layer; the deskew a reader must do first is in the metadata
    // (and said in the doc string), and comes back from it.
    void the_deskew_strength_travels_in_the_metadata() {
        Network net = random_network({784, 32, 10}, 4);
        net.set_deskew(0.5, 0.2);
        const auto bytes = serialize_onnx(net, sample_info());
        QCOMPARE(parse_onnx(bytes).network.deskew(), 0.5);
        QCOMPARE(parse_onnx(bytes).network.deskew_trim(), 0.2);
        QVERIFY(QString::fromStdString(proto_of(bytes).doc_string()).contains("Deskew each input first"));
        QVERIFY(QString::fromStdString(proto_of(bytes).doc_string()).contains("deskew-trim"));
        net.set_deskew(0);
        QCOMPARE(parse_onnx(serialize_onnx(net, sample_info())).network.deskew(), 0.0);
        QVERIFY(!QString::fromStdString(proto_of(serialize_onnx(net, sample_info())).doc_string()).contains("Deskew"));
    }

    void graph_is_the_papers_forward_pass() {
        const auto m = proto_of(serialize_onnx(random_network({784, 800, 10}, 1), sample_info()));
        QCOMPARE(m.opset_import(0).version(), kOnnxOpset);
        QStringList ops;
        for (const auto& n : m.graph().node()) ops << QString::fromStdString(n.op_type());
        QCOMPARE(ops, (QStringList{"MatMul", "Add", "Relu", "MatMul", "Add", "Softmax"}));
        QCOMPARE(m.graph().input_size(), 1);
        const auto& in = m.graph().input(0).type().tensor_type();
        QCOMPARE(m.graph().input(0).name(), std::string("input"));
        QCOMPARE(in.elem_type(), int(onnx::TensorProto::FLOAT));
        QCOMPARE(in.shape().dim(0).dim_param(), std::string("N"));
        QCOMPARE(in.shape().dim(1).dim_value(), std::int64_t{784});
        QCOMPARE(m.graph().output(0).name(), std::string("probabilities"));
        QCOMPARE(m.graph().output(0).type().tensor_type().shape().dim(1).dim_value(), std::int64_t{10});
        std::map<std::string, std::string> props;
        for (const auto& p : m.metadata_props()) props[p.key()] = p.value();
        QCOMPARE(props["dataset"], std::string("mnist (train)"));
        QCOMPARE(props["recipe"], std::string("sgd eta=0.1 batch=64"));
        QCOMPARE(std::stod(props["test_accuracy"]), 0.9842);
        // W1 as ONNX lays a [784, 800] tensor out: row-major, element (i, k) at i·800 + k.
        const auto& W1 = m.graph().initializer(0);
        QCOMPARE(W1.name(), std::string("W1"));
        float w;
        std::memcpy(&w, W1.raw_data().data() + (3 * 800 + 5) * sizeof(float), sizeof w);
        QCOMPARE(w, random_network({784, 800, 10}, 1).layer(0).W(3, 5));
    }

    // PyTorch's layout (Gemm, transposed weights, float_data) gives the same network.
    void a_pytorch_shaped_graph_is_read() {
        const Network net = random_network({784, 40, 10}, 9);
        const Model back = parse_onnx(bytes_of(pytorch_style(net)));
        QVERIFY(testing::same_parameters(net, back.network));
        QCOMPARE(back.info.dataset, std::string("imported from ONNX (pytorch)"));
        std::vector<float> image(784);
        for (std::size_t i = 0; i < image.size(); ++i) image[i] = float(i % 29) / 29;
        QCOMPARE(back.network.predict(image), net.predict(image));
    }

    void other_graphs_are_refused_naming_why_data() {
        QTest::addColumn<int>("edit");
        QTest::addColumn<QString>("named");
        // Each row edits a PyTorch-shaped 784-40-10 graph in one way.
        QTest::newRow("a convolution") << 0 << "node 0 '/0/Gemm' (Conv) is not an operator DigitPad's network has";
        QTest::newRow("sigmoid for ReLU") << 1 << "node 1 (Sigmoid) is not an operator";
        QTest::newRow("no softmax") << 2 << "does not end in a Softmax";
        QTest::newRow("double weights") << 3 << "tensor '0.weight' holds DOUBLE values";
        QTest::newRow("weights in another file") << 4 << "stored in a separate file";
        QTest::newRow("layers that don't fit") << 5 << "its weights are 41 × 10, but the layer before gives 40 values";
        QTest::newRow("an image input") << 6 << "has shape [1, 1, 28, 28]";
        QTest::newRow("a short bias") << 7 << "its bias has 39 values for 40 units";
        QTest::newRow("softmax over the batch") << 8 << "softmax over axis 0";
        QTest::newRow("a node after the softmax") << 9 << "comes after the Softmax";
        QTest::newRow("missing weight data") << 10 << "has 31359 values for 31360";
        QTest::newRow("a transposed input") << 11 << "scales or transposes its input";
        QTest::newRow("a branch") << 12 << "does not take the previous layer's output";
        QTest::newRow("a NaN weight") << 13 << "NaN or infinite";
    }
    void other_graphs_are_refused_naming_why() {
        QFETCH(int, edit);
        QFETCH(QString, named);
        onnx::ModelProto m = pytorch_style(random_network({784, 40, 10}, 2));
        auto& g = *m.mutable_graph();
        switch (edit) {
        case 0: g.mutable_node(0)->set_op_type("Conv"); break;
        case 1: g.mutable_node(1)->set_op_type("Sigmoid"); break;
        case 2: g.mutable_node(3)->set_op_type("Relu"); break;
        case 3: g.mutable_initializer(0)->set_data_type(onnx::TensorProto::DOUBLE); break;
        case 4: g.mutable_initializer(0)->set_data_location(onnx::TensorProto::EXTERNAL); break;
        case 5:
            g.mutable_initializer(2)->set_dims(1, 41);
            for (int k = 0; k < 10; ++k) g.mutable_initializer(2)->add_float_data(0);
            break;
        case 6: {
            auto& shape = *g.mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
            shape.mutable_dim(1)->set_dim_value(1);
            shape.add_dim()->set_dim_value(28);
            shape.add_dim()->set_dim_value(28);
            break;
        }
        case 7: g.mutable_initializer(1)->set_dims(0, 39); g.mutable_initializer(1)->mutable_float_data()->Truncate(39); break;
        case 8: g.mutable_node(3)->mutable_attribute(0)->set_i(0); break;
        case 9: {
            auto& extra = *g.add_node();
            extra.set_op_type("Relu");
            extra.add_input(g.output(0).name());
            extra.add_output("more");
            break;
        }
        case 10: g.mutable_initializer(0)->mutable_float_data()->RemoveLast(); break;
        case 11: g.mutable_node(0)->mutable_attribute(2)->set_name("transA"); break;
        case 12: g.mutable_node(2)->set_input(0, "onnx::Gemm_0"); break;
        case 13: g.mutable_initializer(2)->set_float_data(3, std::numeric_limits<float>::quiet_NaN()); break;
        }
        const QString why = refusal(bytes_of(m));
        QVERIFY2(why.contains(named), qPrintable(why));
    }

    // Whatever the bytes, parse_onnx returns a model or refuses; ASan checks every read.
    void cut_or_corrupted_bytes_are_refused() {
        const auto bytes = serialize_onnx(random_network({784, 16, 10}, 4), sample_info());
        QVERIFY(refusal({0x44, 0x49, 0x47}).contains("not an ONNX model"));
        // Protobuf writes the graph before the metadata: a file cut after the graph still holds
        // the whole network, and nothing less than it does.
        const Network net = random_network({784, 16, 10}, 4);
        for (std::size_t n = 0; n < bytes.size(); n += 97) {
            try {
                QVERIFY(testing::same_parameters(parse_onnx({bytes.begin(), bytes.begin() + static_cast<long>(n)}).network, net));
            } catch (const ModelFileError&) {
            }
        }
        std::mt19937 rng(5);
        for (int trial = 0; trial < 200; ++trial) {
            auto copy = bytes;
            for (int k = 0; k < 4; ++k) copy[rng() % 400] = static_cast<std::uint8_t>(rng());  // the header and first nodes
            refusal(copy);  // returns or throws ModelFileError; nothing else
        }
    }

    // The app's reader takes .onnx files; a graph of other sizes is refused before use.
    void read_model_opens_onnx_files_and_checks_them() {
        const Network net = random_network({784, 30, 10}, 6);
        const QString path = dir.filePath("m.onnx");
        save_onnx(path.toStdString(), net, sample_info());
        QVERIFY(testing::same_parameters(read_model(path).network, net));
        const QString other = dir.filePath("other.onnx");
        save_onnx(other.toStdString(), random_network({100, 30, 10}, 6), sample_info());
        try {
            read_model(other);
            QFAIL("a 100-input graph was accepted");
        } catch (const ModelFileError& e) {
            QVERIFY2(QString(e.what()).contains("maps 100 inputs"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestOnnx)
#include "test_onnx.moc"
