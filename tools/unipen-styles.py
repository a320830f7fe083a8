#!/usr/bin/env python3
"""Finds five writing styles in a stroke file (the --classify-strokes JSON Lines format) by the
shape of their strokes, and writes each style's drawings to a file of its own:

  slashed-0     a 0 with a straight stroke through it
  lead-in-1     a 1 whose first stroke climbs before it comes down
  crossed-7     a 7 with a short horizontal bar across its stem
  open-4        a 4 whose left arm does not meet the stem at the top
  curved-tail-9 a 9 whose tail ends curving back to the left, like a "g"

usage: tools/unipen-styles.py FILE.jsonl OUT_DIR
Then, per style: digitpad --classify-strokes OUT_DIR/STYLE.jsonl --model M.dpm
"""
import json
import math
import os
import sys


def box(strokes):
    xs = [p[0] for s in strokes for p in s]
    ys = [p[1] for s in strokes for p in s]
    return min(xs), min(ys), max(xs), max(ys)


def length(s):
    return sum(math.dist(s[i - 1], s[i]) for i in range(1, len(s)))


def straight(s):
    """A stroke whose ends are as far apart as its length (a bar or a slash)."""
    n = length(s)
    return n > 0 and math.dist(s[0], s[-1]) > 0.85 * n


def slashed_0(strokes, b):
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    for s in strokes[1:]:
        if not straight(s) or length(s) < 0.5 * max(w, h):
            continue
        dx, dy = s[-1][0] - s[0][0], s[-1][1] - s[0][1]
        mx, my = (s[0][0] + s[-1][0]) / 2, (s[0][1] + s[-1][1]) / 2
        if abs(dx) > 0.25 * abs(dy) and abs(mx - (x0 + w / 2)) < 0.25 * w and abs(my - (y0 + h / 2)) < 0.25 * h:
            return True
    return False


def lead_in_1(strokes, b):
    x0, y0, x1, y1 = b
    h = y1 - y0
    s = strokes[0]
    top = min(range(len(s)), key=lambda i: s[i][1])
    # The stroke starts well below its highest point and climbs to it.
    return len(strokes) <= 2 and s[0][1] - s[top][1] > 0.2 * h and length(s[: top + 1]) > 0.2 * h


def crossed_7(strokes, b):
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    for s in strokes[1:]:
        dx, dy = abs(s[-1][0] - s[0][0]), abs(s[-1][1] - s[0][1])
        my = (s[0][1] + s[-1][1]) / 2
        if straight(s) and dx > 2 * dy and dx < 0.9 * w and y0 + 0.3 * h < my < y0 + 0.8 * h:
            return True
    return False


def open_4(strokes, b):
    x0, y0, x1, y1 = b
    w = x1 - x0
    if len(strokes) < 2:
        return False
    arm, stem = strokes[0], strokes[-1]
    arm_top = min(arm, key=lambda p: p[1])
    stem_x = sum(p[0] for p in stem) / len(stem)
    stem_top = min(p[1] for p in stem)
    # The arm's top stays well left of the stem: the two do not close a triangle.
    return stem_x - arm_top[0] > 0.35 * w and arm_top[1] <= stem_top + 0.3 * (y1 - y0)


def curved_tail_9(strokes, b):
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    s = strokes[-1]
    low = max(range(len(s)), key=lambda i: s[i][1])
    # The tail reaches the bottom and then runs back left and up.
    return low < len(s) - 1 and s[low][1] > y0 + 0.75 * h and s[-1][0] < s[low][0] - 0.2 * w


STYLES = {
    "slashed-0": (0, slashed_0),
    "lead-in-1": (1, lead_in_1),
    "crossed-7": (7, crossed_7),
    "open-4": (4, open_4),
    "curved-tail-9": (9, curved_tail_9),
}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    found = {name: [] for name in STYLES}
    totals = {}
    with open(source) as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            strokes = [s for s in d["strokes"] if s]
            if not strokes or "label" not in d:
                continue
            totals[d["label"]] = totals.get(d["label"], 0) + 1
            b = box(strokes)
            if b[2] - b[0] <= 0 or b[3] - b[1] <= 0:
                continue
            for name, (digit, test) in STYLES.items():
                if d["label"] == digit and test(strokes, b):
                    found[name].append(line if line.endswith("\n") else line + "\n")
    for name, lines in found.items():
        with open(os.path.join(out_dir, name + ".jsonl"), "w") as f:
            f.writelines(lines)
        digit = STYLES[name][0]
        print(f"{name}: {len(lines)} of {totals.get(digit, 0)} {digit}s")


if __name__ == "__main__":
    main()
