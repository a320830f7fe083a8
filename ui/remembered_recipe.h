// The training form's values as the last Start left them (QSettings, "training/form"), for the
// next launch. The data folder and the drawings file are remembered by the form itself.
#pragma once

#include "recipe.h"

namespace digitpad {

void remember_recipe(const Recipe& recipe);
// `defaults` with what was remembered put in; `defaults` when nothing was.
Recipe remembered_recipe(Recipe defaults);

}  // namespace digitpad
