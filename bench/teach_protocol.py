#!/usr/bin/env python3
"""Teach it your handwriting, measured: for every UNIPEN val writer with at least 6 drawings
of every digit, teach the built-in model (or --model's) 3 drawings of each digit (the writer's
first, in file order) with `digitpad-cli teach`, then read the writer's other drawings with
`digitpad --classify-strokes`, before and after; and check every taught model on MNIST test.

    bench/teach_protocol.py [--build build/release] [--model M.dpm] [--per-digit 3] [--mnist DIR] [-- TEACH-OPTIONS...]

Prints one row a writer, then the mean and the worst writer before and after, and the lowest
MNIST test accuracy of the taught models. Extra options after -- go to `digitpad-cli teach`.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))


def accuracy(output):
    m = re.search(r"accuracy: ([0-9.]+)%", output)
    if not m:
        sys.exit("no accuracy in:\n" + output)
    return float(m.group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(here, "..", "build", "release"))
    parser.add_argument("--val", default=os.path.join(here, "..", "..", "shared", "data", "unipen-1a", "val.jsonl"))
    parser.add_argument("--mnist", default=os.path.join(here, "..", "..", "shared", "data", "mnist"))
    parser.add_argument("--model", help="the model to teach (default: the built-in model)")
    parser.add_argument("--per-digit", type=int, default=3)
    parser.add_argument("--min-per-digit", type=int, default=6)
    args, teach_options = parser.parse_known_args()
    teach_options = [o for o in teach_options if o != "--"]
    if not os.path.exists(args.val):
        print(f"skipped: no UNIPEN val at {args.val}")
        return
    cli = os.path.join(args.build, "app", "digitpad-cli", "digitpad-cli")
    app = os.path.join(args.build, "app", "digitpad", "digitpad")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    base = ["--model", args.model] if args.model else []

    by_writer = collections.defaultdict(list)
    with open(args.val) as f:
        for line in f:
            record = json.loads(line)
            by_writer[record["writer"]].append(record)
    writers = [w for w, rs in sorted(by_writer.items())
               if all(sum(r["label"] == d for r in rs) >= args.min_per_digit for d in range(10))]
    print(f"{len(writers)} UNIPEN val writers with ≥ {args.min_per_digit} drawings of every digit; teaching "
          f"{args.per_digit} of each digit{' with ' + ' '.join(teach_options) if teach_options else ''}")
    print(f"{'writer':<16} {'taught':>6} {'tested':>6} {'before':>8} {'after':>8} {'seconds':>8} {'MNIST test':>10}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        taught_file, rest_file, model = (os.path.join(tmp, n) for n in ("taught.jsonl", "rest.jsonl", "taught.dpm"))
        for writer in writers:
            seen = collections.Counter()
            taught, rest = [], []
            for r in by_writer[writer]:
                (taught if seen[r["label"]] < args.per_digit else rest).append(r)
                seen[r["label"]] += 1
            for path, records in ((taught_file, taught), (rest_file, rest)):
                with open(path, "w") as f:
                    f.writelines(json.dumps(r) + "\n" for r in records)
            before = accuracy(subprocess.run([app, "--classify-strokes", rest_file, *base], env=env, check=True,
                                             capture_output=True, text=True).stdout)
            start = time.monotonic()
            out = subprocess.run([cli, "teach", *base, "--drawings", taught_file, "--out", model, *teach_options],
                                 env=env, check=True, capture_output=True, text=True).stdout
            seconds = float(re.search(r"in ([0-9.]+) s", out).group(1))
            after = accuracy(subprocess.run([app, "--classify-strokes", rest_file, "--model", model], env=env,
                                            check=True, capture_output=True, text=True).stdout)
            mnist = None
            if os.path.isdir(args.mnist):
                mnist = accuracy(subprocess.run([cli, "eval", "--model", model, "--data", args.mnist], env=env,
                                                check=True, capture_output=True, text=True).stdout)
            rows.append((writer, before, after, mnist))
            print(f"{writer:<16} {len(taught):>6} {len(rest):>6} {before:>7.2f}% {after:>7.2f}% {seconds:>8.2f} "
                  f"{'' if mnist is None else f'{mnist:.2f}%':>10}", flush=True)
    mean = lambda xs: sum(xs) / len(xs)
    print(f"mean: {mean([r[1] for r in rows]):.2f}% before, {mean([r[2] for r in rows]):.2f}% after; worst writer: "
          f"{min(r[1] for r in rows):.2f}% before, {min(r[2] for r in rows):.2f}% after", end="")
    if all(r[3] is not None for r in rows):
        print(f"; MNIST test of the taught models: lowest {min(r[3] for r in rows):.2f}%")
    else:
        print()


if __name__ == "__main__":
    main()
