#!/usr/bin/env python3
"""DigitPad against PyTorch on this CPU: the paper's 784-800-10 network, plain SGD, the same
data, batch sizes and threads, both timed in this one invocation.

Uses Debian's python3-torch where it is installed and installs nothing
(`sudo apt-get install python3-torch libopenblas0-pthread`: without an optimised BLAS,
Debian's PyTorch falls back to the reference BLAS and is ~50 times slower). PyTorch runs at
its best: OMP_WAIT_POLICY=PASSIVE and without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, set for
its own process only. Where DigitPad has its BF16 path, PyTorch's BF16 (autocast) runs beside it.

    bench/compare_pytorch.py [--digitpad-bench build/release/bench/digitpad-bench] [--threads 2] [--runs 3] [--avx2]

--avx2 holds both to AVX2 + FMA on a CPU that has more: DigitPad on its AVX2 kernels, PyTorch
with ATEN_CPU_CAPABILITY=avx2, DNNL_MAX_CPU_ISA (ONEDNN_) = AVX2 and OpenBLAS's Haswell kernels
(OPENBLAS_CORETYPE=Haswell), no BF16. A stand-in for an AVX2-only CPU, not the same: the
caches, the clocks and the rest of the core stay this CPU's.
"""
import argparse
import os
import re
import subprocess
import sys

TORCH_WORKER = r"""
import gzip, struct, sys, time, torch
import contextlib
threads, batches, data, bf16 = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4] == "bf16"
torch.set_num_threads(threads)
torch.manual_seed(1)
if data:
    raw = gzip.open(data + '/train-images-idx3-ubyte.gz').read()
    n = struct.unpack('>I', raw[4:8])[0]
    x = torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).reshape(n, 784)
    y = torch.frombuffer(bytearray(gzip.open(data + '/train-labels-idx1-ubyte.gz').read()[8:]), dtype=torch.uint8).long()
else:
    n = 60000
    x = torch.randint(0, 256, (n, 784), dtype=torch.uint8)
    y = torch.randint(0, 10, (n,))
model = torch.nn.Sequential(torch.nn.Linear(784, 800), torch.nn.ReLU(), torch.nn.Linear(800, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = torch.nn.CrossEntropyLoss()
for batch in (32, 128, 256):
    order = torch.randperm(n)
    def step(k):
        idx = order[(k * batch) % (n - batch):][:batch]
        xb = x[idx].float().div_(255)
        opt.zero_grad(set_to_none=True)
        # BF16: PyTorch's own mixed precision on the CPU (its oneDNN), FP32 weights
        with torch.autocast("cpu", dtype=torch.bfloat16) if bf16 else contextlib.nullcontext():
            loss = loss_fn(model(xb), y[idx])
        loss.backward()
        opt.step()
    for k in range(5):
        step(k)
    start = time.perf_counter()
    for k in range(batches):
        step(k)
    print(f"{batch} {batches * batch / (time.perf_counter() - start):.0f}", flush=True)
"""

# The BLAS that NumPy (and PyTorch) load, alone on the five products of one training step.
BLAS_WORKER = r"""
import sys, time, numpy as np
B = int(sys.argv[1])
r = np.random.default_rng(1)
X, W1, W2 = r.random((B, 784), np.float32), r.random((784, 800), np.float32), r.random((800, 10), np.float32)
H, D1, D2 = r.random((B, 800), np.float32), r.random((B, 800), np.float32), r.random((B, 10), np.float32)
def step():
    X @ W1; H @ W2; H.T @ D2; D2 @ W2.T; X.T @ D1
for _ in range(10):
    step()
n = 200
start = time.perf_counter()
for _ in range(n):
    step()
libraries = {l.split()[-1] for l in open("/proc/self/maps") if "blas" in l and ".so" in l}
blas = next((l for l in libraries if "openblas" in l.split("/")[-1]), min(libraries, default="?"))
print(f"{2 * B * (784 * 800 * 2 + 800 * 10 * 3) * n / (time.perf_counter() - start) / 1e9:.0f} {blas}")
"""


def blas_gflops(batch, threads, env):
    env = dict(env, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    out = subprocess.run([sys.executable, "-c", BLAS_WORKER, str(batch)], check=True, capture_output=True, text=True,
                         env=env).stdout.split()
    return float(out[0]), os.path.basename(out[1])


def digitpad_rates(bench, data, threads, kernels):
    """{batch: (FP32 samples/s, BF16 samples/s or None)} from digitpad-bench's training table."""
    out = subprocess.run([bench, "--only-training", "--threads", str(threads)] + kernels + (["--data", data] if data else []),
                         check=True, capture_output=True, text=True).stdout
    rates = {}
    for line in out.splitlines():
        # batch, threads, FP32, its bound, of bound, then BF16 (or "-"), its bound, of bound
        m = re.match(r"\s*(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+%\s+(\d+|-)", line)
        if m and int(m.group(2)) == threads:
            rates[int(m.group(1))] = (float(m.group(3)), None if m.group(4) == "-" else float(m.group(4)))
    return rates


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--digitpad-bench", default=os.path.join(here, "..", "build", "release", "bench", "digitpad-bench"))
    parser.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data", "mnist"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="alternated runs of each (default 3)")
    parser.add_argument("--avx2", action="store_true", help="both on AVX2 + FMA only (see above)")
    args = parser.parse_args()

    try:
        import torch  # noqa: F401  (only to see whether it is there)
    except ImportError:
        print("PyTorch is not installed; Debian has it: sudo apt-get install python3-torch libopenblas0-pthread", file=sys.stderr)
        return 2
    data = args.data if os.path.exists(os.path.join(args.data, "train-images-idx3-ubyte.gz")) else ""

    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env["OMP_WAIT_POLICY"] = "PASSIVE"
    if args.avx2:
        env.update(ATEN_CPU_CAPABILITY="avx2", DNNL_MAX_CPU_ISA="AVX2", ONEDNN_MAX_CPU_ISA="AVX2", OPENBLAS_CORETYPE="Haswell")
    kernels = ["--kernels", "AVX2"] if args.avx2 else []
    def torch_rates(precision):
        out = subprocess.run([sys.executable, "-c", TORCH_WORKER, str(args.threads), str(args.batches), data, precision],
                             check=True, capture_output=True, text=True, env=env).stdout
        return {int(b): float(r) for b, r in (line.split() for line in out.splitlines() if line.strip())}

    # Alternated runs (PyTorch, DigitPad, PyTorch, ...), so that a slow minute of the machine
    # falls on both; each batch's figures are the medians, its ratio the median of the pairs'.
    runs = []
    for run in range(args.runs):
        torch_fp32 = torch_rates("fp32")
        ours = digitpad_rates(args.digitpad_bench, data, args.threads, kernels)
        has_bf16 = any(bf16 for _, bf16 in ours.values()) and not args.avx2
        torch_bf16 = torch_rates("bf16") if has_bf16 else {}
        runs.append((torch_fp32, ours, torch_bf16))
        print(f"run {run + 1} of {args.runs}: FP32 ratio " + ", ".join(
            f"batch {b} {ours.get(b, (0, None))[0] / r:.2f}×" for b, r in sorted(torch_fp32.items())), flush=True)

    def median(values):
        values = sorted(values)
        middle = len(values) // 2
        return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2

    has_bf16 = not args.avx2 and all(any(bf16 for _, bf16 in ours.values()) for _, ours, _ in runs)
    print(f"784-800-10, SGD, {args.threads} threads, {'MNIST' if data else 'synthetic data'}; samples/s, "
          f"median of {args.runs} alternated runs{'; both on AVX2 + FMA only (--avx2)' if args.avx2 else ''}")
    print("(BF16: DigitPad's first layer in BF16; PyTorch under torch.autocast(\"cpu\", bfloat16); the last column\n"
          " is DigitPad's BF16 against PyTorch's FP32 at its best)")
    print(f"{'':>6} {'FP32':-^32} {'BF16':-^43}")
    print(f"{'batch':>6} {'DigitPad':>10} {'PyTorch':>10} {'ratio':>10} {'DigitPad':>10} {'PyTorch':>10} {'ratio':>10} {'vs FP32':>10}")
    for batch in sorted(runs[0][0]):
        fp32 = [ours.get(batch, (0, None))[0] for _, ours, _ in runs]
        theirs = [torch_fp32[batch] for torch_fp32, _, _ in runs]
        line = (f"{batch:>6} {median(fp32):>10.0f} {median(theirs):>10.0f}"
                f" {median([a / b for a, b in zip(fp32, theirs)]):>9.2f}×")
        if has_bf16:
            bf16 = [ours[batch][1] for _, ours, _ in runs]
            theirs_bf16 = [torch_bf16[batch] for _, _, torch_bf16 in runs]
            line += (f" {median(bf16):>10.0f} {median(theirs_bf16):>10.0f}"
                     f" {median([a / b for a, b in zip(bf16, theirs_bf16)]):>9.2f}×"
                     f" {median([a / b for a, b in zip(bf16, theirs)]):>9.2f}×")
        print(line)
    if not has_bf16:
        print("(no BF16 rows: this CPU or this build of DigitPad has no BF16 path)")

    # For digitpad-bench's GEMM table: would Eigen over this BLAS (EIGEN_USE_BLAS) be faster?
    settings = [("OPENBLAS_CORETYPE=Haswell (--avx2)" if args.avx2 else "OPENBLAS_CORETYPE unset", env)]
    if "OPENBLAS_CORETYPE" in os.environ and not args.avx2:
        settings.append((f"OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']}", dict(os.environ)))
    for name, blas_env in settings:
        rates = {batch: blas_gflops(batch, args.threads, blas_env) for batch in sorted(runs[0][0])}
        library = next(iter(rates.values()))[1]
        print(f"{library} alone on the five products, {args.threads} threads, {name}: "
              + ", ".join(f"batch {batch} {gflops:.0f}" for batch, (gflops, _) in rates.items()) + " GFLOP/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
