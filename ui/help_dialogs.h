// Help ▸ How It Works (the drawing path, the network, training, teaching) and Help ▸ About (version,
// the data the built-in model learnt from and their licences, the libraries').
#pragma once

class QWidget;

namespace digitpad {

void showHowItWorks(QWidget* parent);  // window-modal, does not block
void showAbout(QWidget* parent);

}  // namespace digitpad
