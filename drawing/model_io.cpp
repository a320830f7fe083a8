#include "model_io.h"

#include "onnx_file.h"
#include "regular_file.h"

#include <QFile>
#include <QStringList>

namespace digitpad {

Model read_model(const QString& path) {
    // A Qt resource (":/…") is the program's own; anything else must be a regular file.
    if (!path.startsWith(':'))
        if (const auto why = not_a_regular_file(path.toStdString())) throw ModelFileError("cannot open it: " + *why);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) throw ModelFileError("cannot open it: " + file.errorString().toStdString());
    constexpr qint64 kMaxModel = qint64{1} << 31;
    if (file.size() > kMaxModel) throw ModelFileError("it is too large to be a DigitPad model");
    const QByteArray bytes = file.readAll();
    if (bytes.size() != file.size()) throw ModelFileError("cannot read it: " + file.errorString().toStdString());
    const std::span<const std::uint8_t> content(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                                                static_cast<std::size_t>(bytes.size()));
    Model model = is_onnx_path(path) ? parse_onnx(content) : parse_model(content);
    check_digit_model(model.network);
    return model;
}

void write_model(const QString& path, const Network& network, const ModelInfo& info) {
    if (is_onnx_path(path))
        save_onnx(path.toStdString(), network, info);
    else
        save_model(path.toStdString(), network, info);
}

bool is_onnx_path(const QString& path) { return path.endsWith(QStringLiteral(".onnx"), Qt::CaseInsensitive); }

QString layer_sizes_text(const Network& network) {
    QStringList parts;
    for (int n : network.sizes()) parts << QString::number(n);
    return parts.join(QChar('-'));
}

}  // namespace digitpad
