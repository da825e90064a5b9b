#!/usr/bin/python3
"""A small PyTorch reference for Strata's trainer core (native/trainer): the same Llama forward pass, masked
mean cross-entropy, LoRA, gradient accumulation, global-norm clipping and AdamW, written plainly so that
every number the C++ trainer produces can be checked against it.

    /usr/bin/python3 scripts/reference/llama_reference.py model.gguf --tokens 1,2,3,4 --mode full \\
        --steps 2 --lr 1e-3 --dump OUT          # writes OUT/step-0, OUT/step-1, OUT/step-2

Flags mirror `strata-trainer-cli train` (--mode, --tokens, --mask-from, --docs, --accumulate, --clip,
--weight-decay, --alpha, --lr, --steps). LoRA needs --initial DIR, the trainer's `--dump-initial DIR`: the
adapter pairs (their targets and rank) and A as the trainer initialised it are read from there.

Each dump folder holds <name>.f32 (little-endian float32, ggml order: ne0 fastest, i.e. a weight mapping n_in
to n_out features is stored row-major as [n_out, n_in]) and parameters.json {name: element count}, the format
of the trainer's --dump. One JSON line per step goes to stdout: {"step", "loss", "grad_norm", "n_trained"}.

Computes in float64 by default (--dtype float32 to compare like with like). Needs only numpy and torch
(Debian: python3-numpy, python3-torch; libopenblas0-pthread makes it fast).
"""
import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

# ---- GGUF (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md) -----------------------------------

GGUF_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
GGUF_STRING, GGUF_ARRAY = 8, 9
GGML_F32, GGML_F16 = 0, 1


class Cursor:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def unpack(self, fmt):
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return values[0]

    def string(self):
        length = self.unpack("<Q")
        text = bytes(self.data[self.pos : self.pos + length]).decode("utf-8")
        self.pos += length
        return text

    def value(self, kind):
        if kind == GGUF_STRING:
            return self.string()
        if kind == GGUF_ARRAY:
            item_kind, count = self.unpack("<I"), self.unpack("<Q")
            return [self.value(item_kind) for _ in range(count)]
        return self.unpack(GGUF_SCALARS[kind])


def read_gguf(path):
    """Metadata and tensors of a GGUF file; tensors as float32 numpy arrays in numpy order (ggml dims reversed)."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    c = Cursor(data)
    if bytes(data[:4]) != b"GGUF":
        sys.exit(f"{path} is not a GGUF file")
    c.pos = 4
    version, n_tensors, n_kv = c.unpack("<I"), c.unpack("<Q"), c.unpack("<Q")
    if version < 2:
        sys.exit(f"{path}: GGUF version {version} is not supported")
    metadata = {}
    for _ in range(n_kv):
        key = c.string()
        metadata[key] = c.value(c.unpack("<I"))
    infos = []
    for _ in range(n_tensors):
        name = c.string()
        dims = [c.unpack("<Q") for _ in range(c.unpack("<I"))]
        infos.append((name, dims, c.unpack("<I"), c.unpack("<Q")))
    alignment = metadata.get("general.alignment", 32)
    start = (c.pos + alignment - 1) // alignment * alignment
    tensors = {}
    for name, dims, kind, offset in infos:
        count = int(np.prod(dims))
        if kind == GGML_F32:
            values = np.frombuffer(data, dtype="<f4", count=count, offset=start + offset)
        elif kind == GGML_F16:
            values = np.frombuffer(data, dtype="<f2", count=count, offset=start + offset).astype(np.float32)
        else:
            sys.exit(f"tensor '{name}' has ggml type {kind}; the reference reads only F32 and F16 models")
        tensors[name] = np.array(values, dtype=np.float32).reshape(list(reversed(dims)))
    return metadata, tensors


# ---- the model ----------------------------------------------------------------------------------------

TARGETS = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"]


class Hparams:
    def __init__(self, metadata, tensors):
        arch = metadata["general.architecture"]
        if arch not in ("llama", "qwen2"):
            sys.exit(f"architecture '{arch}' is not supported by the reference")

        def get(key, fallback=None):
            value = metadata.get(f"{arch}.{key}", fallback)
            if value is None:
                sys.exit(f"the GGUF has no '{arch}.{key}' key")
            return value

        self.n_embd, self.n_layer = get("embedding_length"), get("block_count")
        self.n_head = get("attention.head_count")
        self.n_head_kv = get("attention.head_count_kv", self.n_head)
        self.head_dim = self.n_embd // self.n_head
        self.n_rot = get("rope.dimension_count", self.head_dim)
        self.rope_base = get("rope.freq_base", 10000.0)
        self.rope_scale = 1.0 / get("rope.scaling.factor", 1.0) if get("rope.scaling.type", "none") == "linear" else 1.0
        self.rms_eps = get("attention.layer_norm_rms_epsilon", 1e-5)
        # llama.cpp's rope types: NORMAL (llama) rotates adjacent pairs (x[2i], x[2i+1]); NEOX (qwen2) rotates
        # (x[i], x[i + n_rot/2]).
        self.rope_neox = arch == "qwen2"
        self.tied_output = "output.weight" not in tensors


def rms_norm(x, weight, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rope(x, positions, hp, freq_factors):
    """x: [T, heads, head_dim]. Angle of pair i at position p: p · scale · base^(-2i/n_rot) / freq_factor[i]."""
    n = hp.n_rot
    i = torch.arange(n // 2, dtype=torch.float64)
    inv_freq = hp.rope_scale * hp.rope_base ** (-2.0 * i / n)
    if freq_factors is not None:
        inv_freq = inv_freq / freq_factors.to(torch.float64)
    angle = positions.to(torch.float64)[:, None] * inv_freq[None, :]  # [T, n/2]
    cos, sin = angle.cos().to(x.dtype)[:, None, :], angle.sin().to(x.dtype)[:, None, :]
    rotated, rest = x[..., :n], x[..., n:]
    if hp.rope_neox:
        x0, x1 = rotated[..., : n // 2], rotated[..., n // 2 :]
        out = torch.cat([x0 * cos - x1 * sin, x0 * sin + x1 * cos], dim=-1)
    else:
        x0, x1 = rotated[..., 0::2], rotated[..., 1::2]
        out = torch.stack([x0 * cos - x1 * sin, x0 * sin + x1 * cos], dim=-1).flatten(-2)
    return torch.cat([out, rest], dim=-1)


class Llama:
    """Weights by GGUF name (torch layout [n_out, n_in]) plus LoRA pairs {weight name: (A [r, n_in], B [n_out, r])}."""

    def __init__(self, hp, weights, lora, lora_scale):
        self.hp, self.w, self.lora, self.lora_scale = hp, weights, lora, lora_scale

    def linear(self, x, name):
        y = x @ self.w[name].T
        if name in self.lora:
            a, b = self.lora[name]
            y = y + self.lora_scale * ((x @ a.T) @ b.T)
        return y

    def hidden(self, tokens, positions, mask):
        """Hidden states after the final norm, [T, n_embd]. mask: [T, T] additive (0 or -inf)."""
        hp, w = self.hp, self.w
        T, hd = len(tokens), hp.head_dim
        x = w["token_embd.weight"][tokens]
        freq_factors = w.get("rope_freqs.weight")
        for il in range(hp.n_layer):
            p = f"blk.{il}."
            h = rms_norm(x, w[p + "attn_norm.weight"], hp.rms_eps)
            q, k, v = (self.linear(h, p + t + ".weight") for t in ("attn_q", "attn_k", "attn_v"))
            if p + "attn_q.bias" in w:
                q, k, v = q + w[p + "attn_q.bias"], k + w[p + "attn_k.bias"], v + w[p + "attn_v.bias"]
            q = rope(q.view(T, hp.n_head, hd), positions, hp, freq_factors)
            k = rope(k.view(T, hp.n_head_kv, hd), positions, hp, freq_factors)
            v = v.view(T, hp.n_head_kv, hd)
            # GQA: query head h reads K/V head h // (n_head / n_head_kv), as ggml's broadcasting mul_mat does.
            group = hp.n_head // hp.n_head_kv
            k, v = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
            scores = torch.einsum("qhd,khd->hqk", q, k) / math.sqrt(hd) + mask
            o = torch.einsum("hqk,khd->qhd", scores.softmax(-1), v).reshape(T, hp.n_embd)
            x = x + self.linear(o, p + "attn_output.weight")
            h = rms_norm(x, w[p + "ffn_norm.weight"], hp.rms_eps)
            ffn = F.silu(self.linear(h, p + "ffn_gate.weight")) * self.linear(h, p + "ffn_up.weight")
            x = x + self.linear(ffn, p + "ffn_down.weight")
        return rms_norm(x, w["output_norm.weight"], hp.rms_eps)

    def output_weight(self):
        return self.w["token_embd.weight"] if self.hp.tied_output else self.w["output.weight"]


# ---- batches, as strata-trainer-cli builds them -------------------------------------------------------


def parse_ints(text):
    return [int(part) for part in text.split(",") if part != ""] if text else []


def micro_batches(args):
    """The sequence tokens[0..n] gives n predictions; split into --accumulate contiguous micro-batches, each an
    independent sequence. Micro-batches without a trained position are skipped."""
    tokens = parse_ints(args.tokens)
    if len(tokens) < 2:
        sys.exit("--tokens needs at least two ids")
    n = len(tokens) - 1
    inputs, targets = tokens[:-1], tokens[1:]
    trained = [i >= args.mask_from for i in range(n)]
    docs = parse_ints(args.docs) if args.docs is not None else [0] * n
    docs = (docs + [docs[-1] if docs else 0] * n)[:n]
    count = max(1, min(args.accumulate, n))
    batches = []
    for b in range(count):
        lo, hi = n * b // count, n * (b + 1) // count
        if any(trained[lo:hi]):
            batches.append((inputs[lo:hi], targets[lo:hi], trained[lo:hi], docs[lo:hi]))
    if not batches:
        sys.exit("the batch has no trained positions (loss_mask is all zero)")
    return batches


def positions_and_mask(docs, dtype):
    """Positions restart at each document; attention is causal within a contiguous run of one document."""
    T = len(docs)
    positions = [0] * T
    mask = torch.full((T, T), float("-inf"), dtype=dtype)
    for q in range(T):
        positions[q] = positions[q - 1] + 1 if q > 0 and docs[q - 1] == docs[q] else 0
        k = q
        while k >= 0 and docs[k] == docs[q]:
            mask[q, k] = 0.0
            k -= 1
    return torch.tensor(positions), mask


# ---- dumps --------------------------------------------------------------------------------------------


def read_dump(directory):
    with open(os.path.join(directory, "parameters.json")) as f:
        index = json.load(f)
    return {name: np.fromfile(os.path.join(directory, name + ".f32"), dtype="<f4") for name in index}


def write_f32(path, tensor):
    values = tensor.detach().to(torch.float32).contiguous().numpy().astype("<f4")
    values.tofile(path)
    return int(values.size)


def write_dump(directory, parameters):
    os.makedirs(directory, exist_ok=True)
    index = {}
    for name, tensor in parameters.items():
        index[name] = write_f32(os.path.join(directory, name + ".f32"), tensor)
    with open(os.path.join(directory, "parameters.json"), "w") as f:
        json.dump(index, f)
        f.write("\n")


# ---- training -----------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("--mode", choices=["lora", "full"], default="lora")
    ap.add_argument("--tokens", required=True)
    ap.add_argument("--mask-from", type=int, default=0)
    ap.add_argument("--docs")
    ap.add_argument("--accumulate", type=int, default=1)
    ap.add_argument("--clip", type=float, default=0.0)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=0.0)
    ap.add_argument("--beta1", type=float, default=0.9)
    ap.add_argument("--beta2", type=float, default=0.999)
    ap.add_argument("--adam-eps", type=float, default=1e-8)
    ap.add_argument("--alpha", type=float, default=16.0)
    ap.add_argument("--steps", type=int, default=1)
    ap.add_argument("--initial", help="the trainer's --dump-initial folder (LoRA: A and B as initialised)")
    ap.add_argument("--dump", help="writes DIR/step-0 … DIR/step-N")
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    dtype = getattr(torch, args.dtype)

    metadata, arrays = read_gguf(args.model)
    hp = Hparams(metadata, arrays)
    weights = {name: torch.tensor(values, dtype=dtype) for name, values in arrays.items()}
    lora, lora_scale = {}, 0.0
    if args.mode == "full":
        parameters = weights  # every tensor of the GGUF, as the trainer's full mode
    else:
        if not args.initial:
            sys.exit("LoRA needs --initial DIR (strata-trainer-cli train … --dump-initial DIR)")
        initial = read_dump(args.initial)
        parameters = {}
        for name, values in initial.items():
            if not name.endswith(".lora_a"):
                continue
            base = name[: -len(".lora_a")]
            n_out, n_in = weights[base].shape
            rank = values.size // n_in
            a = torch.tensor(values.reshape(rank, n_in), dtype=dtype)
            b = torch.tensor(initial[base + ".lora_b"].reshape(n_out, rank), dtype=dtype)
            lora[base] = (a, b)
            parameters[name], parameters[base + ".lora_b"] = a, b
            lora_scale = args.alpha / rank
        if not lora:
            sys.exit(f"no .lora_a tensors in {args.initial}")
    for tensor in parameters.values():
        tensor.requires_grad_(True)
    model = Llama(hp, weights, lora, lora_scale)
    # torch's AdamW is ggml_opt_step_adamw exactly: w ← w·(1 − lr·wd) − lr·m̂ / (√v̂ + ε), bias-corrected m̂, v̂.
    optimizer = torch.optim.AdamW(
        list(parameters.values()), lr=args.lr, betas=(args.beta1, args.beta2), eps=args.adam_eps,
        weight_decay=args.weight_decay,
    )
    batches = micro_batches(args)
    n_trained = sum(sum(trained) for _, _, trained, _ in batches)
    if args.dump:
        write_dump(os.path.join(args.dump, "step-0"), parameters)

    for step in range(1, args.steps + 1):
        optimizer.zero_grad(set_to_none=False)
        loss_sum = 0.0
        for inputs, targets, trained, docs in batches:
            positions, mask = positions_and_mask(docs, dtype)
            rows = torch.tensor([i for i, t in enumerate(trained) if t])
            logits = model.hidden(torch.tensor(inputs), positions, mask)[rows] @ model.output_weight().T
            loss = F.cross_entropy(logits, torch.tensor(targets)[rows], reduction="sum")
            (loss / n_trained).backward()  # the mean over every trained position of the step
            loss_sum += loss.item()
        for tensor in parameters.values():
            if tensor.grad is None:
                tensor.grad = torch.zeros_like(tensor)  # AdamW still decays a parameter without gradient
        grad_norm = math.sqrt(sum(float(t.grad.double().pow(2).sum()) for t in parameters.values()))
        # The trainer clips by exactly max_norm / norm (torch's clip_grad_norm_ adds 1e-6 to the norm).
        if args.clip > 0 and grad_norm > args.clip:
            for tensor in parameters.values():
                tensor.grad.mul_(args.clip / grad_norm)
        optimizer.step()
        print(json.dumps({"step": step, "loss": loss_sum / n_trained, "grad_norm": grad_norm, "n_trained": n_trained}))
        if args.dump:
            write_dump(os.path.join(args.dump, f"step-{step}"), parameters)


if __name__ == "__main__":
    main()
