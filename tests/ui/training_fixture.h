// What the training tests share: a folder of synthetic MNIST-style digits and small recipes
// on it, a worker on its own thread as the app runs it, and closing the window as a person does.
#pragma once

#include "idx_writer.h"
#include "synthetic_data.h"
#include "training_worker.h"

#include <QAbstractButton>
#include <QMessageBox>
#include <QSettings>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

namespace digitpad::testing {

// A worker on its own thread, as the panel runs it.
struct WorkerThread {
    QThread thread;
    TrainingWorker* worker = new TrainingWorker;
    WorkerThread() {
        worker->moveToThread(&thread);
        QObject::connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        thread.start();
    }
    ~WorkerThread() {
        worker->stop();
        thread.quit();
        thread.wait();
    }
    void train(const TrainingRequest& r) { worker->start(r); }
};

// Takes the worker's updates on the main thread, as the app's training panel does.
struct Recorder : QObject {
    TrainingWorker* worker;
    QList<Preparation> preparations;
    QList<TrainingProgress> progress;
    QList<EpochSummary> epochs;
    int snapshots = 0;
    QList<TrainingResult> finished;

    explicit Recorder(TrainingWorker* w) : worker(w) {
        connect(w, &TrainingWorker::updated, this, [this] {
            TrainingUpdate u = worker->takeUpdate();
            if (u.preparation) preparations << *u.preparation;
            if (u.progress) progress << *u.progress;
            epochs += u.epochs;
            snapshots += u.snapshot != nullptr;
            if (u.result) finished << *u.result;
        });
    }
    bool waitFinished(int ms) { return QTest::qWaitFor([this] { return !finished.isEmpty(); }, ms); }
    bool waitProgress(int ms) {
        const auto before = progress.size();
        return QTest::qWaitFor([this, before] { return progress.size() > before; }, ms);
    }
};

// Closes the window as a person would and answers its question with the button `answer`:
// true when the window then closed.
inline bool close_answering(QWidget& window, const QString& answer) {
    if (window.close()) return true;
    auto* box = window.findChild<QMessageBox*>("closeQuestion");
    if (!box) return false;
    for (QAbstractButton* b : box->buttons())
        if (b->text().remove('&') == answer) {
            b->click();
            QCoreApplication::processEvents();
            return !window.isVisible();
        }
    return false;
}

// 2,000 training and 300 test digits in a temporary folder (writeData() in initTestCase), and
// plain SGD recipes on them.
struct TrainingFixture {
    QTemporaryDir data;

    void writeData() {
        QSettings().remove("training");  // the panel remembers the last run: start from none
        write_mnist_part(data.path(), "train", synthetic_digits(2000, 1));
        write_mnist_part(data.path(), "t10k", synthetic_digits(300, 2));
    }
    TrainingRequest request(int epochs, int hidden = 64) const {
        TrainingRequest r;  // plain SGD, no augmentation
        r.dataDir = data.path();
        r.recipe.sizes = {784, hidden, 10};
        r.recipe.epochs = epochs;
        r.recipe.batch = 16;
        r.recipe.eta = 0.05f;
        return r;
    }
};

}  // namespace digitpad::testing
