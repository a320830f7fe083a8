// The recipe: the line a model file keeps, the problems a person is told, the trainer's
// config, the hidden-size parser, and train_model against the trainer assembled by hand.
#include "optimizer.h"
#include "recipe.h"
#include "synthetic_data.h"
#include "threads.h"

#include <QtTest>

using namespace digitpad;

class TestRecipe : public QObject {
    Q_OBJECT
private slots:
    // The one line a model file keeps of how it was made (CLI and app write the same).
    void describe_names_every_setting() {
        Recipe r;
        r.optimizer = "nesterov";
        r.eta = 0.05f;
        r.weight_decay = 0.0005f;
        r.epochs = 30;
        r.batch = 64;
        r.schedule = TrainingConfig::Schedule::cosine;
        r.warmup_epochs = 1.5;
        r.dropout = 0.25f;
        r.augment = 0.6;
        r.precision = TrainingConfig::Precision::bf16;
        r.deskew = 0.35;
        QCOMPARE(r.describe(), std::string("nesterov eta=0.05 batch=64 weight_decay=0.0005 epochs=30 schedule=cosine "
                                           "warmup=1.5 dropout=0.25 augment=0.6 precision=bf16 deskew=0.35 deskew_trim=0.2"));
        r.deskew_trim = 0;  // the slant of every row: not written
        QVERIFY(r.describe().ends_with(" deskew=0.35"));
        Recipe plain;
        plain.epochs = 20;
        plain.batch = 32;
        QCOMPARE(plain.describe(), std::string("sgd eta=0.1 batch=32 weight_decay=0 epochs=20 schedule=constant warmup=0 dropout=0"));
        // The built-in recipe, with its drawings.
        Recipe built_in = Recipe::built_in();
        built_in.drawings.strokes = "/somewhere/train.jsonl";
        QCOMPARE(built_in.describe(), std::string("nesterov eta=0.05 batch=64 weight_decay=0 epochs=60 schedule=cosine warmup=0 "
                                                  "dropout=0 augment=1 strokes=train.jsonl copies=10 stroke_augment=1 traced=1 "
                                                  "mix=0.35,0.57,0.08 distort_drawings"));
    }

    void config_carries_the_trainers_part() {
        Recipe r = Recipe::built_in();
        r.threads = 2;
        const TrainingConfig c = r.config();
        QCOMPARE(c.epochs, 60);
        QCOMPARE(c.batch_size, std::size_t{64});
        QCOMPARE(c.schedule, TrainingConfig::Schedule::cosine);
        QVERIFY(c.augment.has_value());
        QVERIFY(!c.auto_threads);
        r.threads = 0;
        QVERIFY(r.config().auto_threads);
        r.augment.reset();
        QVERIFY(!r.config().augment);
    }

    void problems_are_told_in_words_data() {
        QTest::addColumn<std::function<void(Recipe&)>>("change");
        QTest::addColumn<QString>("message");
        QTest::newRow("eta 0") << std::function<void(Recipe&)>([](Recipe& r) { r.eta = 0; }) << "learning rate";
        QTest::newRow("eta NaN") << std::function<void(Recipe&)>([](Recipe& r) { r.eta = std::nanf(""); }) << "learning rate";
        QTest::newRow("negative decay") << std::function<void(Recipe&)>([](Recipe& r) { r.weight_decay = -1; }) << "weight decay";
        QTest::newRow("no epochs") << std::function<void(Recipe&)>([](Recipe& r) { r.epochs = 0; }) << "one epoch";
        QTest::newRow("empty batch") << std::function<void(Recipe&)>([](Recipe& r) { r.batch = 0; }) << "one image";
        QTest::newRow("dropout 1") << std::function<void(Recipe&)>([](Recipe& r) { r.dropout = 1; }) << "dropout";
        QTest::newRow("optimizer") << std::function<void(Recipe&)>([](Recipe& r) { r.optimizer = "rmsprop"; }) << "unknown optimizer 'rmsprop'";
        QTest::newRow("past the format") << std::function<void(Recipe&)>([](Recipe& r) { r.sizes = {784, 65537, 10}; })
                                         << "a model file holds 1 to 65536";
        QTest::newRow("deskew past 1") << std::function<void(Recipe&)>([](Recipe& r) { r.deskew = 1.5; }) << "share of the slant";
        QTest::newRow("deskew NaN") << std::function<void(Recipe&)>([](Recipe& r) { r.deskew = std::nan(""); }) << "share of the slant";
        QTest::newRow("deskew trim of half") << std::function<void(Recipe&)>([](Recipe& r) { r.deskew_trim = 0.5; }) << "share of the ink";
        QTest::newRow("no copies") << std::function<void(Recipe&)>([](Recipe& r) { r.drawings.stroke_copies = 0; }) << "rendering";
    }

    void problems_are_told_in_words() {
        QFETCH(std::function<void(Recipe&)>, change);
        QFETCH(QString, message);
        QVERIFY(!Recipe().problem());
        QVERIFY(!Recipe::built_in().problem());
        Recipe r;
        change(r);
        const auto why = r.problem();
        QVERIFY(why);
        QVERIFY2(QString::fromStdString(*why).contains(message), why->c_str());
    }

    void hidden_sizes_parse_into_a_digit_network() {
        QCOMPARE(parse_hidden_sizes("800"), (std::vector<int>{784, 800, 10}));
        QCOMPARE(parse_hidden_sizes("256, 128"), (std::vector<int>{784, 256, 128, 10}));
        QCOMPARE(parse_hidden_sizes("none"), (std::vector<int>{784, 10}));
        QCOMPARE(parse_hidden_sizes(""), (std::vector<int>{784, 10}));
        for (const char* bad : {"0", "80o", "-5", "8,,8", "abc", "12 3"})
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parse_hidden_sizes(bad));
    }

    // train_model is the trainer assembled from the recipe: the same network, bit for bit.
    void train_model_is_the_recipes_trainer() {
        const Dataset train = testing::synthetic_digits(600, 1), test = testing::synthetic_digits(200, 2);
        Recipe r;
        r.sizes = {784, 32, 10};
        r.optimizer = "nesterov";
        r.eta = 0.02f;
        r.epochs = 2;
        r.batch = 50;
        r.seed = 7;
        r.threads = 1;
        r.deskew = 0.5;  // the network keeps it, and trains on its inputs deskewed
        int epochs_seen = 0, batches_seen = 0;
        TrainingListener listener;
        listener.on_batch = [&](const BatchProgress&, const Network&) { ++batches_seen; };
        listener.on_epoch = [&](const EpochResult&, const Network&) { ++epochs_seen; };
        const TrainedModel trained = train_model(r, {{&train, 1.0, true}}, "synthetic", test, nullptr, listener);
        QCOMPARE(trained.outcome, TrainingOutcome::finished);
        QCOMPARE(epochs_seen, 2);
        QCOMPARE(batches_seen, 2 * 12);
        QCOMPARE(trained.info.epochs, 2u);
        QCOMPARE(trained.info.recipe, r.describe());
        QCOMPARE(trained.info.dataset, std::string("synthetic"));
        QVERIFY(trained.info.test_accuracy > 0.5);

        set_compute_threads(1);
        QCOMPARE(trained.network.deskew(), 0.5);
        QCOMPARE(trained.network.deskew_trim(), kDeskewTrim);
        Network by_hand(r.sizes, r.seed);
        by_hand.set_deskew(0.5, kDeskewTrim);
        const auto optimizer = make_optimizer(r.optimizer, r.eta, r.weight_decay);
        Trainer trainer(by_hand, *optimizer, r.config());
        trainer.run(train, &test);
        for (std::size_t j = 0; j < by_hand.layer_count(); ++j) {
            QVERIFY(trained.network.layer(j).W == by_hand.layer(j).W);
            QVERIFY(trained.network.layer(j).b == by_hand.layer(j).b);
        }
    }
};

QTEST_GUILESS_MAIN(TestRecipe)
#include "test_recipe.moc"
