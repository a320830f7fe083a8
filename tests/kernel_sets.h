// Tests that run once for each kernel set (core/engine/kernels.h) this build has and this CPU
// runs, as QtTest's global data: initTestCase_data() adds a row per set, named by its
// instruction set, and init() puts that row's set in use.
#pragma once

#include "engine/kernels.h"

#include <QtTest>

namespace digitpad::testing {

// The set named `instruction_set` ("AVX2"), or nullptr (the widest) for an empty name.
inline const Kernels* kernel_set(const QString& instruction_set) {
    return kernels_named(instruction_set.toStdString());
}

inline void add_kernel_set_rows() {
    QTest::addColumn<QString>("kernels");
    for (const Kernels* k : compiled_kernels())
        if (cpu_runs(*k)) QTest::newRow(k->instruction_set) << QString(k->instruction_set);
}

inline void use_kernel_set_of_this_row() {
    QFETCH_GLOBAL(QString, kernels);
    use_kernels(kernel_set(kernels));
}

}  // namespace digitpad::testing
