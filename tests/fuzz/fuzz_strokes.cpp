// The stroke reader (the --classify-strokes and training format) on any bytes, and every
// drawing it accepts sent through the drawing path as the canvas would.
#include "drawing_classifier.h"
#include "fuzz_input.h"
#include "stroke_file.h"

#include <QCoreApplication>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static int argc = 1;
    static char name[] = "fuzz_strokes";
    static char* argv[] = {name, nullptr};
    static QCoreApplication app(argc, argv);
    const auto input = digitpad::fuzzing::write_input({data, size});
    try {
        const digitpad::StrokeSet set = digitpad::read_stroke_file(QString::fromStdString(input.string()));
        for (const digitpad::StrokeRecord& record : set.records) {
            if (record.strokes.isEmpty()) __builtin_trap();
            (void)digitpad::network_input(record.strokes);
        }
    } catch (const std::runtime_error&) {
    }
    return 0;
}
