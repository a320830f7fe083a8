#include "help_dialogs.h"

#include <QApplication>
#include <QMessageBox>

namespace digitpad {

void showHowItWorks(QWidget* parent) {
    auto* box = new QMessageBox(
        QMessageBox::Information, QObject::tr("How DigitPad Works"),
        QObject::tr("<h3>From your drawing to a digit</h3>"
                    "<p><b>The drawing path.</b> Your strokes are kept as lines, not pixels. To be read "
                    "they are fitted to the canvas (the digit's longer side at 70% of it), drawn with a "
                    "round pen, and made into a 28×28 grey picture the way MNIST's digits were made: "
                    "cropped to the ink, scaled so that its longer side is 20 pixels, and placed so that "
                    "its centre of mass is at the centre. A model trained on straightened digits (the "
                    "training panel's Deskew) then straightens yours: the picture is sheared sideways to "
                    "take out part of its slant, so that a digit leaning left or right reads like an "
                    "upright one. "
                    "<b>What the network sees</b> shows exactly that picture; the dotted square is the "
                    "20-pixel box.</p>"
                    "<p><b>The network.</b> The 784 pixels, as a row, are multiplied by a 784×800 matrix "
                    "of weights W₁ plus biases; the negative sums are set to zero (ReLU); the 800 results "
                    "are multiplied by an 800×10 matrix W₂ plus biases, and softmax turns the ten sums "
                    "into the ten confidences you see. A tiny mark gets no guess; a best guess under "
                    "60%, or a drawing unlike the digits the network knows (a letter, a star), is shown "
                    "as not sure.</p>"
                    "<p><b>Training.</b> For a batch of digits the network's answers are compared with the "
                    "true ones (cross-entropy), the error is sent back through the two layers "
                    "(back-propagation) and every weight takes a small step against its gradient. The "
                    "chart shows the loss falling as it learns.</p>"
                    "<p><b>Teaching.</b> When the answer is wrong, click the right digit's bar or type "
                    "it: the drawing joins <b>My drawings</b>, and the network is fine-tuned on your "
                    "drawings, each also distorted a little many times, mixed with thousands of built-in "
                    "digits of other people so that it goes on reading theirs. <b>Revert</b> goes back "
                    "to the model from before.</p>"),
        QMessageBox::Ok, parent);
    box->setObjectName("howItWorks");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void showAbout(QWidget* parent) {
    QMessageBox::about(
        parent, QObject::tr("About DigitPad"),
        QObject::tr("<h3>DigitPad %1</h3><p>Draw a digit and watch a neural network recognise it.</p>"
                    "<p>The network is the 784-800-10 feed-forward net of Jimmy Zhang's "
                    "<i>On a simple matrix based neural network model</i>.</p>"
                    "<p>The built-in model learnt from:</p><ul>"
                    "<li><a href='http://yann.lecun.com/exdb/mnist/'>MNIST</a> (Yann LeCun, Corinna Cortes and "
                    "Christopher J.C. Burges), under CC BY-SA 3.0;</li>"
                    "<li>the pen-drawn digits of <a href='https://doi.org/10.5281/zenodo.1195803'>UNIPEN "
                    "train_r01_v07</a> (Unipen Consortium, 1999; International Unipen Foundation; Guyon et al., ICPR "
                    "1994), under CC BY 4.0.</li></ul>"
                    "<p>Teaching rehearses 2,500 digits of each of the two, built in under the same licences.</p>"
                    "<p>Built with Qt %2 (LGPL v3) and Eigen (MPL 2.0).</p>")
            .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

}  // namespace digitpad
