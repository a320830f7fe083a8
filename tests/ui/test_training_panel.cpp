// The training panel's form: the built-in recipe at first, the last run remembered, large and
// refused values, a request through the form and back, networks too large to train.
#include "training_fixture.h"

#include "dataset.h"
#include "drawing_canvas.h"
#include "loss_chart.h"
#include "main_window.h"
#include "model_io.h"
#include "recipe_form.h"
#include "training_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>

#include <random>

using namespace digitpad;
using namespace digitpad::testing;

class TestTrainingPanel : public QObject, public TrainingFixture {
    Q_OBJECT

private slots:
    void initTestCase() { writeData(); }

    void the_panel_starts_with_the_built_in_recipe() {
        QSettings().remove("training/form");
        TrainingPanel panel;
        const TrainingRequest built_in = TrainingRequest{{}, Recipe::built_in()}, form = panel.request();
        QCOMPARE(form.recipe.optimizer, built_in.recipe.optimizer);
        QCOMPARE(form.recipe.eta, built_in.recipe.eta);
        QCOMPARE(form.recipe.batch, built_in.recipe.batch);
        QCOMPARE(form.recipe.epochs, built_in.recipe.epochs);
        QCOMPARE(form.recipe.schedule, built_in.recipe.schedule);
        QCOMPARE(form.recipe.augment, built_in.recipe.augment);
        QCOMPARE(form.recipe.deskew, built_in.recipe.deskew);
        QCOMPARE(form.recipe.threads, 0);  // Auto
        QCOMPARE(form.recipe.drawings.stroke_copies, built_in.recipe.drawings.stroke_copies);
        QCOMPARE(form.recipe.drawings.traced, built_in.recipe.drawings.traced);
        QCOMPARE(form.recipe.drawings.traced_share, built_in.recipe.drawings.traced_share);
        if (!form.recipe.drawings.strokes.empty()) {  // a drawings file remembered from another test
            QCOMPARE(form.recipe.drawings.strokes_share, built_in.recipe.drawings.strokes_share);
            QCOMPARE(form.recipe.drawings.scans_share, built_in.recipe.drawings.scans_share);
        }
    }

    // #16 item 15: a network past the model format, or past the machine's memory, is refused
    // at Start with the figures, not trained into std::bad_alloc.
    void an_oversized_network_is_refused_at_start() {
        TrainingPanel panel;
        TrainingRequest r = request(1);
        r.recipe.sizes = {784, 65536, 65536, 65536, 65536, 65536, 65536, 65536, 65536, 10};
        panel.setRequest(r);
        panel.start();
        QVERIFY(!panel.isTraining());
        const QLabel* status = nullptr;
        for (const QLabel* l : panel.findChildren<QLabel*>())
            if (l->text().startsWith("Not started")) status = l;
        QVERIFY(status);
        QVERIFY2(status->text().contains("GB of memory; this machine has"), qPrintable(status->text()));
    }

    // #16 item 13: the next launch shows the data the last run used (the MNIST sample here,
    // though a folder was chosen before) and its hyper-parameters; picking an optimizer
    // keeps an η the person typed (#16 item 15).
    void the_panel_remembers_the_last_run() {
        QSettings().remove("training");
        const QString sample = RecipeForm::sampleDataFolder();
        // CTest gives the tests their own data folder; run by hand, never touch a real sample.
        if (QFileInfo::exists(sample)) QSKIP("an MNIST sample is installed in this data folder; run under CTest");
        QVERIFY(QDir().mkpath(sample));
        testing::write_mnist_part(sample, "train", testing::synthetic_digits(300, 3));
        testing::write_mnist_part(sample, "t10k", testing::synthetic_digits(50, 4));
        {
            TrainingPanel panel;
            panel.setDataFolder(data.path());  // a folder chosen once
            TrainingRequest r = request(1, 32);
            r.dataDir.clear();  // the form only: the data is picked in the list below
            r.recipe.optimizer = "adam";
            r.recipe.eta = 0.02f;
            r.recipe.batch = 48;
            panel.setRequest(r);
            QComboBox* source = nullptr;
            for (QComboBox* c : panel.findChildren<QComboBox*>())
                if (c->findData(sample) >= 0) source = c;
            QVERIFY(source);
            source->setCurrentIndex(source->findData(sample));
            QCOMPARE(panel.request().dataDir, sample);
            QSignalSpy ended(&panel, &TrainingPanel::trainingEnded);
            panel.start();
            QVERIFY(ended.wait(60000));
        }
        TrainingPanel next;
        const TrainingRequest back = next.request();
        QCOMPARE(back.dataDir, sample);
        QCOMPARE(back.recipe.optimizer, std::string("adam"));
        QCOMPARE(back.recipe.eta, 0.02f);
        QCOMPARE(back.recipe.batch, std::size_t{48});
        QCOMPARE(back.recipe.sizes, (std::vector<int>{784, 32, 10}));
        QComboBox* optimizer = nullptr;
        for (QComboBox* c : next.findChildren<QComboBox*>())
            if (c->findData("nesterov") >= 0) optimizer = c;
        QVERIFY(optimizer);
        optimizer->setCurrentIndex(optimizer->findData("nesterov"));
        QCOMPARE(next.request().recipe.eta, 0.02f);  // typed, so kept
        QSettings().remove("training");
        QDir(sample).removeRecursively();
    }

    // #16 item 15: the form keeps what it is given across the whole useful range and past it
    // (η of 10⁵ reaches the NaN rollback; it was clamped to 100), and a batch of 10,000.
    void the_form_keeps_large_values() {
        QSettings().remove("training/form");
        TrainingPanel panel;
        TrainingRequest r = request(1);
        r.recipe.eta = 1e5f;
        r.recipe.batch = 10000;
        r.recipe.epochs = 5000;
        panel.setRequest(r);
        QCOMPARE(panel.request().recipe.eta, 1e5f);
        QCOMPARE(panel.request().recipe.batch, std::size_t{10000});
        QCOMPARE(panel.request().recipe.epochs, 5000);
    }

    // A run on scans only comes back as scans only in the next session, though a drawings file
    // is known; choosing that file again starts from the built-in recipe's share, not from the
    // box's floor.
    void a_scans_only_recipe_comes_back_as_scans_only() {
        const std::string file = DIGITPAD_SOURCE_DIR "/tests/data/hand_drawn.jsonl";
        QSettings().remove("training");
        QSettings().setValue("training/drawingsFile", QString::fromStdString(file));
        {
            TrainingPanel panel;
            QCOMPARE(panel.request().recipe.drawings.strokes, file);  // the built-in recipe takes the file known
            TrainingRequest scans = request(1);
            scans.recipe.optimizer = "nesterov";
            panel.setRequest(scans);
            QCOMPARE(panel.request().recipe.drawings.strokes, std::string());
            QSignalSpy ended(&panel, &TrainingPanel::trainingEnded);
            panel.start();  // remembers the recipe
            QVERIFY(ended.wait(60000));
        }
        TrainingPanel next;
        QCOMPARE(next.request().recipe.optimizer, std::string("nesterov"));
        QCOMPARE(next.request().recipe.drawings.strokes, std::string());
        QCOMPARE(next.request().recipe.drawings.strokes_share, 0.0);
        QComboBox* drawings = nullptr;
        for (QComboBox* c : next.findChildren<QComboBox*>())
            if (c->findData(QString::fromStdString(file)) >= 0) drawings = c;
        QVERIFY(drawings);
        drawings->setCurrentIndex(drawings->findData(QString::fromStdString(file)));
        QCOMPARE(next.request().recipe.drawings.strokes, file);
        QCOMPARE(next.request().recipe.drawings.strokes_share, Recipe::built_in().drawings.strokes_share);
        {
            QSignalSpy ended(&next, &TrainingPanel::trainingEnded);
            next.start();
            QVERIFY(ended.wait(60000));
        }
        TrainingPanel third;  // and a run on drawings comes back on them
        QCOMPARE(third.request().recipe.drawings.strokes, file);
        QCOMPARE(third.request().recipe.drawings.strokes_share, Recipe::built_in().drawings.strokes_share);
        QSettings().remove("training");
    }

    // #16 item 15: Qt refuses a value typed or pasted past a field's range without a word.
    void a_value_past_a_field_range_is_named() {
        QSettings().remove("training/form");
        TrainingPanel panel;
        panel.show();
        QSpinBox* batch = nullptr;
        QDoubleSpinBox* eta = nullptr;
        for (QSpinBox* b : panel.findChildren<QSpinBox*>())
            if (b->maximum() == 65536) batch = b;
        for (QDoubleSpinBox* b : panel.findChildren<QDoubleSpinBox*>())
            if (b->maximum() == 1e6) eta = b;
        QVERIFY(batch && eta);
        auto statusLine = [&] {
            for (const QLabel* l : panel.findChildren<QLabel*>())
                if (l->text().contains(" takes ")) return l->text();
            return QString();
        };
        const int before = batch->value();
        auto* edit = batch->findChild<QLineEdit*>();
        edit->selectAll();
        edit->insert("100000");  // as a paste goes in
        QCOMPARE(batch->value(), before);
        QVERIFY2(statusLine().contains("Batch size takes 1 to 65,536"), qPrintable(statusLine()));
        eta->findChild<QLineEdit*>()->selectAll();
        QTest::keyClicks(eta->findChild<QLineEdit*>(), "20000000");  // typed: the 8th digit is refused
        QVERIFY2(statusLine().contains("Learning rate η takes 0.0001 to 1,000,000"), qPrintable(statusLine()));
        QCOMPARE(eta->value(), 2e6 / 10);
    }

    void the_form_round_trips_a_request() {
        TrainingPanel panel;
        TrainingRequest r = request(7, 256);
        r.recipe.sizes = {784, 256, 128, 10};
        r.recipe.optimizer = "adam";
        r.recipe.eta = 0.002f;
        r.recipe.batch = 48;
        r.recipe.seed = 42;
        r.recipe.augment = 1.0;
        r.recipe.schedule = TrainingConfig::Schedule::step;
        r.recipe.warmup_epochs = 1.5;
        r.recipe.weight_decay = 0.0005f;
        r.recipe.dropout = 0.25f;
        r.recipe.drawings.strokes = DIGITPAD_SOURCE_DIR "/tests/data/hand_drawn.jsonl";
        r.recipe.drawings.stroke_copies = 7;
        r.recipe.drawings.strokes_share = 0.4;
        r.recipe.drawings.traced = 2;
        r.recipe.drawings.traced_share = 0.1;
        r.recipe.drawings.scans_share = 0.5;
        r.recipe.drawings.distort_drawings = true;
        panel.setRequest(r);
        const TrainingRequest back = panel.request();
        QCOMPARE(back.dataDir, r.dataDir);
        QCOMPARE(back.recipe.drawings.strokes, r.recipe.drawings.strokes);
        QCOMPARE(back.recipe.drawings.stroke_copies, 7);
        QCOMPARE(back.recipe.drawings.strokes_share, 0.4);
        QCOMPARE(back.recipe.drawings.scans_share, 0.5);
        QCOMPARE(back.recipe.drawings.traced, 2);
        QCOMPARE(back.recipe.drawings.traced_share, 0.1);
        QVERIFY(back.recipe.drawings.distort_drawings);
        QCOMPARE(back.recipe.sizes, r.recipe.sizes);
        QCOMPARE(back.recipe.optimizer, r.recipe.optimizer);
        QCOMPARE(back.recipe.eta, r.recipe.eta);
        QCOMPARE(back.recipe.batch, std::size_t{48});
        QCOMPARE(back.recipe.epochs, 7);
        QCOMPARE(back.recipe.seed, std::uint64_t{42});
        QVERIFY(back.recipe.augment.has_value());
        QCOMPARE(back.recipe.schedule, TrainingConfig::Schedule::step);
        QCOMPARE(back.recipe.warmup_epochs, 1.5);
        QCOMPARE(back.recipe.weight_decay, 0.0005f);
        QCOMPARE(back.recipe.dropout, 0.25f);
        QCOMPARE(back.recipe.deskew, 0.0);
        // Deskew: the request's share comes back; ticked by a person, the box takes out kDeskew.
        r.recipe.deskew = 0.35;
        panel.setRequest(r);
        QCOMPARE(panel.request().recipe.deskew, 0.35);
        QCheckBox* deskew = nullptr;
        for (auto* box : panel.findChildren<QCheckBox*>())
            if (box->text() == "Des&kew") deskew = box;
        QVERIFY(deskew);
        QVERIFY(deskew->isChecked());
        QTest::mouseClick(deskew, Qt::LeftButton);
        QCOMPARE(panel.request().recipe.deskew, 0.0);
        r.recipe.deskew = 0;
        panel.setRequest(r);
        QVERIFY(!deskew->isChecked());
        QTest::mouseClick(deskew, Qt::LeftButton);
        QCOMPARE(panel.request().recipe.deskew, kDeskew);
        // BF16 goes through the form where the CPU has it; elsewhere the box is off and disabled.
        r.recipe.precision = TrainingConfig::Precision::bf16;
        panel.setRequest(r);
        QCheckBox* bf16 = nullptr;
        for (auto* box : panel.findChildren<QCheckBox*>())
            if (box->text().contains("BF16")) bf16 = box;
        QVERIFY(bf16);
        QCOMPARE(bf16->isEnabled(), bf16_available());
        QCOMPARE(panel.request().recipe.precision == TrainingConfig::Precision::bf16, bf16_available());
    }

    // With BF16 the worker trains as with FP32 and says so in the model's recipe; where there
    // is no BF16, asking for it fails with a message and no model.
    void bf16_request_trains_or_is_refused() {
        WorkerThread w;
        Recorder r(w.worker);
        TrainingRequest bf16 = request(2);
        bf16.recipe.precision = TrainingConfig::Precision::bf16;
        w.train(bf16);
        QVERIFY(r.waitFinished(60000));
        const TrainingResult& result = r.finished.first();
        if (bf16_available()) {
            QCOMPARE(result.end, TrainingEnd::finished);
            QVERIFY(result.info.test_accuracy > 0.9);
            QVERIFY(QString::fromStdString(result.info.recipe).contains("precision=bf16"));
        } else {
            QCOMPARE(result.end, TrainingEnd::failed);
            QVERIFY(!result.network);
            QVERIFY2(result.message.contains("BF16"), qPrintable(result.message));
        }
    }
};

QTEST_MAIN(TestTrainingPanel)
#include "test_training_panel.moc"
