#!/usr/bin/python3
"""Training speed of the PyTorch reference (llama_reference.py's model) for bench/training-speed.ts: the same
GGUF, the same sequence, forward + backward + AdamW per step, float32, as `strata-trainer-cli speed` does.

    /usr/bin/python3 scripts/reference/train_speed.py train model.gguf --tokens 1,2,3,… --mode lora|full \\
        [--rank 8 --alpha 16] [--warmup 1] [--steps 5] [--threads 2]
    /usr/bin/python3 scripts/reference/train_speed.py matmul --k 512 --n 1408 --t 256 [--op mul_mat|out_prod]

Each prints one JSON line with the keys of the CLI's `speed` / `matmul` output, plus "blas" (the OpenBLAS
kernel that ran, from openblas_get_corename). LoRA pairs go on every weight of TARGETS (q,k,v,o,gate,up,down)
with A random and B zero, as the trainer initialises them (the values do not change the work done). The causal
mask is built once, outside the timed steps.
"""
import argparse
import ctypes
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from llama_reference import TARGETS, Hparams, Llama, positions_and_mask, read_gguf  # noqa: E402


def peak_rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def blas_kernel():
    """The OpenBLAS kernel loaded into this process ("Haswell", "Cooperlake", …), or what BLAS it is."""
    with open("/proc/self/maps") as f:
        paths = sorted({line.split()[-1] for line in f if "blas" in line.lower() and "/" in line})
    for path in paths:
        try:
            corename = ctypes.CDLL(path).openblas_get_corename
        except (OSError, AttributeError):
            continue
        corename.restype = ctypes.c_char_p
        return "OpenBLAS " + corename().decode()
    return os.path.basename(paths[0]) if paths else "unknown"


def train(args):
    torch.manual_seed(7)
    metadata, arrays = read_gguf(args.model)
    hp = Hparams(metadata, arrays)
    weights = {name: torch.tensor(values, dtype=torch.float32) for name, values in arrays.items()}
    del arrays
    lora, lora_scale = {}, 0.0
    if args.mode == "full":
        parameters = list(weights.values())
    else:
        parameters = []
        for name, w in weights.items():
            if any(name.endswith(f".{t}.weight") for t in TARGETS):
                n_out, n_in = w.shape
                a = torch.randn(args.rank, n_in) / n_in**0.5
                b = torch.zeros(n_out, args.rank)
                lora[name] = (a, b)
                parameters += [a, b]
        lora_scale = args.alpha / args.rank
    for tensor in parameters:
        tensor.requires_grad_(True)
    model = Llama(hp, weights, lora, lora_scale)
    optimizer = torch.optim.AdamW(parameters, lr=args.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    tokens = [int(t) for t in args.tokens.split(",") if t]
    inputs, targets = torch.tensor(tokens[:-1]), torch.tensor(tokens[1:])
    positions, mask = positions_and_mask([0] * len(inputs), torch.float32)

    step_s, losses, warmup_s = [], [], 0.0
    for step in range(args.warmup + args.steps):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=False)
        logits = model.hidden(inputs, positions, mask) @ model.output_weight().T
        loss = F.cross_entropy(logits, targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        seconds = time.perf_counter() - start
        if step < args.warmup:
            warmup_s += seconds
        else:
            step_s.append(seconds)
    print(json.dumps({
        "n_tokens": len(inputs), "warmup_s": warmup_s, "step_s": step_s,
        "tokens_per_s": len(inputs) * len(step_s) / sum(step_s), "loss_first": losses[0], "loss_last": losses[-1],
        "n_trainable": sum(t.numel() for t in parameters), "peak_rss_kib": peak_rss_kib(), "blas": blas_kernel(),
        "threads": torch.get_num_threads(), "torch": torch.__version__,
    }))


def matmul(args):
    torch.manual_seed(7)
    if args.op == "mul_mat":  # y = x · Wᵀ, W [N, K], x [T, K]
        a, b = torch.randn(args.t, args.k) * 0.02, torch.randn(args.n, args.k) * 0.02
        run = lambda: a @ b.T  # noqa: E731
    else:  # dW = dyᵀ · x, as the weight gradient of the same matmul
        a, b = torch.randn(args.t, args.n) * 0.02, torch.randn(args.t, args.k) * 0.02
        run = lambda: a.T @ b  # noqa: E731
    run()  # warm-up
    start = time.perf_counter()
    for _ in range(args.reps):
        run()
    ms = (time.perf_counter() - start) * 1000.0 / args.reps
    print(json.dumps({
        "op": args.op, "k": args.k, "n": args.n, "t": args.t, "threads": torch.get_num_threads(), "ms": ms,
        "gflops": 2.0 * args.k * args.n * args.t / (ms * 1e6), "backend": blas_kernel(),
    }))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("model")
    t.add_argument("--tokens", required=True)
    t.add_argument("--mode", choices=["lora", "full"], default="lora")
    t.add_argument("--rank", type=int, default=8)
    t.add_argument("--alpha", type=float, default=16.0)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--warmup", type=int, default=1)
    t.add_argument("--steps", type=int, default=5)
    t.add_argument("--threads", type=int, default=2)
    m = sub.add_parser("matmul")
    m.add_argument("--k", type=int, default=512)
    m.add_argument("--n", type=int, default=1408)
    m.add_argument("--t", type=int, default=256)
    m.add_argument("--op", choices=["mul_mat", "out_prod"], default="mul_mat")
    m.add_argument("--reps", type=int, default=20)
    m.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    train(args) if args.command == "train" else matmul(args)


if __name__ == "__main__":
    main()
