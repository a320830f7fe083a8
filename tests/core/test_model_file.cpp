// The model file: bit-exact round trips; truncation and corruption rejected cleanly;
// a save that fails half-way leaves the previous file as it was.
#include "atomic_file.h"
#include "model_file.h"
#include "model_bytes.h"
#include "same_parameters.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

#include <csignal>
#include <fstream>
#include <random>
#include <sys/resource.h>

using namespace digitpad;

namespace {

ModelInfo sample_info() { return {"mnist (train)", 12, 0.9842, "2026-11-29T01:02:03Z", 77, "sgd eta=0.1 batch=64"}; }

std::vector<std::uint8_t> read_all(const QString& path) {
    std::ifstream in(path.toStdString(), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

using testing::same_parameters;

}  // namespace

class TestModelFile : public QObject {
    Q_OBJECT
    QTemporaryDir dir;

private slots:
    void round_trip_is_bit_exact() {
        Network net({784, 800, 10}, 5);
        net.layer(1).b(3) = -0.125f;
        const QString path = dir.filePath("m.dpm");
        save_model(path.toStdString(), net, sample_info());
        const Model loaded = load_model(path.toStdString());
        QVERIFY(same_parameters(net, loaded.network));
        QCOMPARE(loaded.info.dataset, sample_info().dataset);
        QCOMPARE(loaded.info.epochs, 12u);
        QCOMPARE(loaded.info.test_accuracy, 0.9842);
        QCOMPARE(loaded.info.created, sample_info().created);
        QCOMPARE(loaded.info.seed, std::uint64_t{77});
        QCOMPARE(loaded.info.recipe, sample_info().recipe);
        QCOMPARE(loaded.network.deskew(), 0.0);
        // Saving what was loaded reproduces the same bytes.
        QCOMPARE(serialize_model(loaded.network, loaded.info), read_all(path));
    }

    // A network that deskews its inputs keeps its strength through the file, and one that does
    // not writes no such entry (its file is what an older DigitPad wrote).
    void the_deskew_strength_travels_with_the_weights() {
        Network net({784, 16, 10}, 5);
        net.set_deskew(0.5, 0.2);
        const auto bytes = serialize_model(net, sample_info());
        const Model loaded = parse_model(bytes);
        QCOMPARE(loaded.network.deskew(), 0.5);
        QCOMPARE(loaded.network.deskew_trim(), 0.2);
        QVERIFY(same_parameters(net, loaded.network));
        const std::string text(bytes.begin(), bytes.end());
        QVERIFY(text.find("deskew=0.5\n") != std::string::npos);
        QVERIFY(text.find("deskew-trim=0.2") != std::string::npos);  // 17 digits: 0.20000000000000001
        // Without a trim (the slant of every row, as files written before it had) none is written.
        net.set_deskew(0.5);
        const auto untrimmed = serialize_model(net, sample_info());
        QVERIFY(std::string(untrimmed.begin(), untrimmed.end()).find("deskew-trim") == std::string::npos);
        QCOMPARE(parse_model(untrimmed).network.deskew_trim(), 0.0);
        // Nothing deskewed, nothing trimmed: a recipe's trim (there whether it deskews or not)
        // writes no key for a network that reads its inputs as they are.
        net.set_deskew(0, 0.2);
        QCOMPARE(net.deskew_trim(), 0.0);
        net.set_deskew(0);
        const auto plain = serialize_model(net, sample_info());
        QVERIFY(std::string(plain.begin(), plain.end()).find("deskew") == std::string::npos);
    }

    // Every metadata number is read whole and within its field's range, or the file is
    // refused naming the field (a checksum-correct file: only the parser stands in the way).
    void metadata_values_are_checked_data() {
        QTest::addColumn<QString>("entry");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("epochs") << "epochs=12" << true;
        QTest::newRow("negative epochs") << "epochs=-1" << false;
        QTest::newRow("epochs past 32 bits") << "epochs=99999999999" << false;
        QTest::newRow("trailing letters") << "epochs=12abc" << false;
        QTest::newRow("empty") << "epochs=" << false;
        QTest::newRow("accuracy") << "test_accuracy=0.9935" << true;
        QTest::newRow("never measured") << "test_accuracy=-1" << true;
        QTest::newRow("nan") << "test_accuracy=nan" << false;
        QTest::newRow("inf") << "test_accuracy=inf" << false;
        QTest::newRow("seven") << "test_accuracy=7" << false;
        QTest::newRow("seed") << "seed=18446744073709551615" << true;
        QTest::newRow("seed past 64 bits") << "seed=18446744073709551616" << false;
        QTest::newRow("deskew") << "deskew=0.35" << true;
        QTest::newRow("deskew past 1") << "deskew=1.5" << false;
        QTest::newRow("negative deskew") << "deskew=-0.5" << false;
        QTest::newRow("deskew nan") << "deskew=nan" << false;
        QTest::newRow("deskew trim") << "deskew-trim=0.2" << true;
        QTest::newRow("deskew trim of half") << "deskew-trim=0.5" << false;
        QTest::newRow("negative deskew trim") << "deskew-trim=-0.1" << false;
        QTest::newRow("unknown key") << "colour=blue" << true;
    }
    void metadata_values_are_checked() {
        QFETCH(QString, entry);
        QFETCH(bool, accepted);
        const auto bytes = testing::with_metadata(serialize_model(Network({4, 2}, 1), {}), entry.toStdString() + "\n");
        try {
            parse_model(bytes);
            QVERIFY2(accepted, "accepted");
        } catch (const ModelFileError& e) {
            QVERIFY2(!accepted, e.what());
            QVERIFY2(QString(e.what()).contains("'" + entry.section('=', 0, 0) + "'"), e.what());
        }
    }

    // A line break inside a value (a data folder may be named so) cannot add entries.
    void values_cannot_inject_metadata_lines() {
        ModelInfo info = sample_info();
        info.dataset = "odd\nepochs=999";
        const Model m = parse_model(serialize_model(Network({4, 2}, 1), info));
        QCOMPARE(m.info.epochs, 12u);
        QCOMPARE(m.info.dataset, std::string("odd epochs=999"));
    }

    void deep_networks_round_trip() {
        const Network net({784, 64, 32, 16, 10}, 6);
        const auto bytes = serialize_model(net, {});
        QVERIFY(same_parameters(net, parse_model(bytes).network));
    }

    void every_truncation_is_rejected() {
        const auto bytes = serialize_model(Network({30, 12, 10}, 1), sample_info());
        for (std::size_t n = 0; n < bytes.size(); ++n)
            QVERIFY_THROWS_EXCEPTION(ModelFileError, parse_model(std::span(bytes).first(n)));
    }

    void random_single_byte_corruptions_are_rejected() {
        const auto good = serialize_model(Network({30, 12, 10}, 1), sample_info());
        std::mt19937_64 rng(2026);
        for (int trial = 0; trial < 1000; ++trial) {
            auto bad = good;
            const std::size_t at = rng() % bad.size();
            bad[at] ^= static_cast<std::uint8_t>(1 + rng() % 255);  // always a different byte
            QVERIFY_THROWS_EXCEPTION(ModelFileError, parse_model(bad));
        }
    }

    void each_header_fault_has_a_clear_reason_data() {
        QTest::addColumn<int>("offset");
        QTest::addColumn<quint32>("value");
        QTest::addColumn<QString>("reason");
        QTest::newRow("magic") << 0 << 0x58585858u << "not a DigitPad model";
        QTest::newRow("newer version") << 8 << 2u << "version 2";
        QTest::newRow("layer count") << 12 << 100000u << "layers";
        QTest::newRow("huge layer") << 16 << 0x7fffffffu << "impossible size";
    }
    void each_header_fault_has_a_clear_reason() {
        QFETCH(int, offset);
        QFETCH(quint32, value);
        QFETCH(QString, reason);
        auto bytes = serialize_model(Network({30, 12, 10}, 1), sample_info());
        std::memcpy(bytes.data() + offset, &value, 4);
        try {
            parse_model(bytes);
            QFAIL("accepted a damaged header");
        } catch (const ModelFileError& e) {
            QVERIFY2(QString(e.what()).contains(reason), e.what());
        }
    }

    void missing_file_is_reported() {
        QVERIFY_THROWS_EXCEPTION(ModelFileError, load_model(dir.filePath("nope.dpm").toStdString()));
    }

    // The file system refuses to grow the file past 64 KiB (as a full disk would): the save
    // fails, the previous model is untouched and no temporary file is left behind.
    void failed_save_leaves_previous_file_intact() {
        QTemporaryDir own;
        const QString path = own.filePath("keep.dpm");
        const Network old_net({30, 12, 10}, 1);
        save_model(path.toStdString(), old_net, sample_info());
        const auto before = read_all(path);

        std::signal(SIGXFSZ, SIG_IGN);
        rlimit saved{};
        getrlimit(RLIMIT_FSIZE, &saved);
        rlimit small = saved;
        small.rlim_cur = 64 * 1024;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
        bool threw = false;
        try {
            save_model(path.toStdString(), Network({784, 800, 10}, 2), sample_info());
        } catch (const SaveError& e) {
            threw = true;
            qInfo("%s", e.what());
        }
        setrlimit(RLIMIT_FSIZE, &saved);
        QVERIFY(threw);
        QCOMPARE(read_all(path), before);
        QCOMPARE(QDir(own.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"keep.dpm"});
    }

    // Each step of a save failing as a disk can (full while writing, an I/O error on flush,
    // a rename refused) leaves the previous model byte-identical and no temporary file.
    void every_failing_step_of_a_save_leaves_the_previous_file() {
        QTemporaryDir own;
        const QString path = own.filePath("keep.dpm");
        save_model(path.toStdString(), Network({30, 12, 10}, 1), sample_info());
        const auto before = read_all(path);
        for (SaveStep step : {SaveStep::write, SaveStep::flush, SaveStep::rename}) {
            fail_next_save_at(step);
            try {
                save_model(path.toStdString(), Network({30, 12, 10}, 2), sample_info());
                QFAIL("the injected failure did not happen");
            } catch (const SaveError& e) {
                qInfo("%s", e.what());
            }
            QCOMPARE(read_all(path), before);
            QCOMPARE(QDir(own.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"keep.dpm"});
        }
        save_model(path.toStdString(), Network({30, 12, 10}, 2), sample_info());  // the fault is used up
        QVERIFY(read_all(path) != before);
    }

    // As a careful editor does: a link is written through (it stays a link), a file's
    // permissions are kept, a new file gets 0666 less the umask.
    void saves_keep_links_and_permissions() {
        QTemporaryDir own;
        const QString real = own.filePath("real.dpm"), link = own.filePath("link.dpm");
        save_model(real.toStdString(), Network({4, 2}, 1), {});
        QVERIFY(QFile::link("real.dpm", link));  // relative, as links usually are
        QVERIFY(QFile::setPermissions(real, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        save_model(link.toStdString(), Network({4, 3, 2}, 1), {});
        QVERIFY(QFileInfo(link).isSymLink());
        QCOMPARE(load_model(real.toStdString()).network.sizes(), (std::vector<int>{4, 3, 2}));
        QCOMPARE(QFile::permissions(real), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser |
                                               QFileDevice::WriteUser);
        const mode_t mask = ::umask(022);
        save_model(own.filePath("new.dpm").toStdString(), Network({4, 2}, 1), {});
        ::umask(mask);
        struct stat st{};
        QCOMPARE(::stat(own.filePath("new.dpm").toLocal8Bit().constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t{0644});
        QCOMPARE(QDir(own.path()).entryList(QDir::Files | QDir::Hidden | QDir::System).size(), 3);
    }

    void save_into_missing_folder_fails_cleanly() {
        QVERIFY_THROWS_EXCEPTION(SaveError, save_model(dir.filePath("no/such/dir/m.dpm").toStdString(),
                                                       Network({4, 2}, 1), {}));
    }

    void non_finite_parameters_are_rejected() {
        Network net({4, 3}, 1);
        net.layer(0).W(0, 0) = std::numeric_limits<float>::quiet_NaN();
        QVERIFY_THROWS_EXCEPTION(ModelFileError, parse_model(serialize_model(net, {})));
    }
};

QTEST_GUILESS_MAIN(TestModelFile)
#include "test_model_file.moc"
