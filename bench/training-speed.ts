// Training speed of Strata's trainer core (native/trainer, through strata-trainer-cli) against the PyTorch
// reference (scripts/reference/train_speed.py: PyTorch 1.13 + OpenBLAS, the reference model code), in the
// same run, on the same F32 GGUF, the same sequence (batch 1 × 256 tokens), forward + backward + AdamW per
// step: training tokens/s after a warm-up step, peak RSS (VmHWM of each process), and utilisation against
// each side's forward matmul GFLOP/s measured in the same run on the model's feed-forward shape.
// Models are made here: the `tiny` (≈5M) and `small` (≈32M) presets, random weights, a tokenizer trained on
// the pre-1900 State of the Union speeches. Each of {tiny, small} × {LoRA r8 on q,k,v,o,gate,up,down, full}.
// Usage: npm run bench:training   (BENCH_STEPS=N timed steps per run, BENCH_THREADS=T, default 2)
// Both sides run with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset (OpenBLAS's best kernel for this CPU; the one
// that ran is printed) unless BENCH_KEEP_OPENBLAS_ENV=1. Strata's trainer runs its large products through the
// host's OpenBLAS when installed (native/trainer/blas-products.h), as PyTorch does; BENCH_STRATA_BLAS=0 runs
// them on ggml's own kernel instead. PyTorch's first-step loss is checked against Strata's.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createLlamaModel } from "../src/model-files/create-model/create-llama-model.js";
import {
  beginOfTextToken,
  endOfTextToken,
  reservedControlTokens,
} from "../src/model-files/create-model/default-chat-template.js";
import { llamaModelPresets } from "../src/model-files/create-model/llama-model-spec.js";
import { BpeTokenizer } from "../src/model-files/tokenizer/bpe-tokenizer.js";
import { limitTexts, stateOfTheUnionTexts } from "../src/model-files/tokenizer/corpus-texts.js";
import { trainBpeTokenizer } from "../src/model-files/tokenizer/train-bpe-tokenizer.js";

const root = new URL("..", import.meta.url).pathname;
const cli = join(root, "native/trainer/build/strata-trainer-cli");
const python = "/usr/bin/python3";
const reference = join(root, "scripts/reference/train_speed.py");
const threads = Number(process.env.BENCH_THREADS ?? 2);
const sequenceLength = 256;
const presets = ["tiny", "small"] as const;
const modes = ["lora", "full"] as const;
const stepsFor = (preset: string) => Number(process.env.BENCH_STEPS ?? (preset === "tiny" ? 10 : 4));

const torchEnv = { ...process.env };
if (process.env.BENCH_KEEP_OPENBLAS_ENV !== "1") {
  delete torchEnv.OPENBLAS_CORETYPE;
  delete torchEnv.OPENBLAS_L2_SIZE;
}
const strataEnv = { ...torchEnv, STRATA_TRAINER_BLAS: process.env.BENCH_STRATA_BLAS ?? "1" };

interface SpeedResult {
  n_tokens: number;
  warmup_s: number;
  step_s: number[];
  tokens_per_s: number;
  loss_first: number;
  loss_last: number;
  n_trainable: number;
  peak_rss_kib: number;
  blas?: string;
  matmul_kernel?: string;
  cpu_s_per_step?: number;
}
interface MatmulResult {
  op: string;
  ms: number;
  gflops: number;
  backend: string;
}

function runJson<T>(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): T {
  const out = execFileSync(command, args, {
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 1 << 26,
  });
  const line = out.trim().split("\n").at(-1) ?? "";
  return JSON.parse(line) as T;
}

async function makeModel(preset: (typeof presets)[number], directory: string) {
  const dimensions = llamaModelPresets[preset];
  const vocabulary = await trainBpeTokenizer({
    texts: limitTexts(stateOfTheUnionTexts({ before: 1900 }), 2_000_000),
    vocabularySize: dimensions.vocabularySize,
    specialTokens: [...reservedControlTokens],
    bosToken: beginOfTextToken,
    eosToken: endOfTextToken,
  });
  const path = join(directory, `${preset}-f32.gguf`);
  const created = await createLlamaModel({
    path,
    name: `bench-${preset}`,
    dimensions: { ...dimensions, vocabularySize: vocabulary.tokens.length },
    vocabulary,
    seed: 7,
    tensorType: "F32",
  });
  // The training sequence: the first 257 tokens of a later speech (256 predictions).
  const text = [...stateOfTheUnionTexts({ before: 1950 })].slice(-1)[0] ?? "";
  const tokens = new BpeTokenizer(vocabulary).encode(text, { addBos: true }).slice(0, sequenceLength + 1);
  if (tokens.length < sequenceLength + 1)
    throw new Error(`only ${tokens.length} tokens for the training sequence`);
  return {
    path,
    parameters: created.parameterCount,
    tokens,
    dimensions: { ...dimensions, vocabularySize: vocabulary.tokens.length },
  };
}

/** Model FLOPs per training token: forward = 2 × matmul weights (output head included, embedding lookup not)
 * + 4 · layers · T · n_embd (QKᵀ and attention·V over the full T × T, as both sides compute it). Full fine-tuning
 * is 3 × forward (input and weight gradients); LoRA 2 × forward (no base weight gradients; its small A/B ignored). */
function flopsPerToken(
  d: (typeof llamaModelPresets)[keyof typeof llamaModelPresets] & { vocabularySize: number },
  mode: string,
) {
  const headDim = d.embeddingLength / d.headCount;
  const kvWidth = headDim * d.headCountKv;
  const perLayer =
    2 * d.embeddingLength * d.embeddingLength +
    2 * d.embeddingLength * kvWidth +
    3 * d.embeddingLength * d.feedForwardLength;
  const weights = d.blockCount * perLayer + d.embeddingLength * d.vocabularySize;
  const forward = 2 * weights + 4 * d.blockCount * sequenceLength * d.embeddingLength;
  return (mode === "full" ? 3 : 2) * forward;
}

const fmt = (value: number, digits = 0) =>
  value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mib = (kib: number) => fmt(kib / 1024, 0);

const started = performance.now();
execFileSync("bash", [join(root, "native/trainer/build.sh"), "cli"], { stdio: "inherit" });
const directory = mkdtempSync(join(tmpdir(), "strata-bench-training-"));
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, threads ${threads}, load average at start ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
console.log(`Strata: strata-trainer-cli (C API, same core as the addon); PyTorch: ${python} ${reference}`);

const rows: string[][] = [];
const ratios: string[] = [];
for (const preset of presets) {
  const model = await makeModel(preset, directory);
  const d = model.dimensions;
  const shape = [
    "--k",
    String(d.embeddingLength),
    "--n",
    String(d.feedForwardLength),
    "--t",
    String(sequenceLength),
  ];
  const reps = preset === "tiny" ? "50" : "20";
  const ggmlProbe = runJson<MatmulResult>(cli, [
    "matmul",
    ...shape,
    "--threads",
    String(threads),
    "--reps",
    reps,
  ]);
  const blasProbe =
    strataEnv.STRATA_TRAINER_BLAS === "0"
      ? undefined
      : runJson<MatmulResult>(
          cli,
          ["matmul", ...shape, "--op", "blas", "--threads", String(threads), "--reps", reps],
          strataEnv,
        );
  const probe = {
    // Utilisation is against the kernel the trainer's large products ran on.
    strata: blasProbe ?? ggmlProbe,
    torch: runJson<MatmulResult>(
      python,
      [reference, "matmul", ...shape, "--threads", String(threads), "--reps", reps],
      torchEnv,
    ),
    strataOutProd: runJson<MatmulResult>(cli, [
      "matmul",
      ...shape,
      "--op",
      "out_prod",
      "--threads",
      String(threads),
      "--reps",
      reps,
    ]),
    torchOutProd: runJson<MatmulResult>(
      python,
      [reference, "matmul", ...shape, "--op", "out_prod", "--threads", String(threads), "--reps", reps],
      torchEnv,
    ),
  };
  console.log(
    `\n${preset}: ${fmt(model.parameters)} parameters, F32; probe ${d.embeddingLength}→${d.feedForwardLength} × T ${sequenceLength}: ` +
      `ggml mul_mat ${fmt(ggmlProbe.gflops, 1)} GFLOP/s (out_prod ${fmt(probe.strataOutProd.gflops, 1)}), ` +
      (blasProbe
        ? `Strata's OpenBLAS products ${fmt(blasProbe.gflops, 1)} GFLOP/s (${blasProbe.backend}), `
        : "") +
      `torch.matmul ${fmt(probe.torch.gflops, 1)} GFLOP/s (weight-gradient matmul ${fmt(probe.torchOutProd.gflops, 1)}; ${probe.torch.backend})`,
  );
  for (const mode of modes) {
    const steps = String(stepsFor(preset));
    const tokens = model.tokens.join(",");
    const common = ["--tokens", tokens, "--warmup", "1", "--steps", steps, "--threads", String(threads)];
    const strata = runJson<SpeedResult>(
      cli,
      [
        "speed",
        model.path,
        ...common,
        "--mode",
        mode,
        ...(mode === "lora" ? ["--rank", "8", "--alpha", "16", "--targets", "all"] : []),
      ],
      strataEnv,
    );
    const torch = runJson<SpeedResult>(
      python,
      [reference, "train", model.path, ...common, "--mode", mode, "--rank", "8", "--alpha", "16"],
      torchEnv,
    );
    const lossGap = Math.abs(strata.loss_first - torch.loss_first);
    if (lossGap > 1e-3) {
      throw new Error(
        `${preset} ${mode}: first-step loss differs, Strata ${strata.loss_first} vs PyTorch ${torch.loss_first}`,
      );
    }
    const flops = flopsPerToken(d, mode);
    const utilisation = (result: SpeedResult, probeResult: MatmulResult) =>
      (100 * result.tokens_per_s * flops) / (probeResult.gflops * 1e9);
    const label = `${preset === "tiny" ? "5M" : "32M"} ${mode === "lora" ? "LoRA r8" : "full"}`;
    rows.push([
      label,
      fmt(strata.n_trainable),
      fmt(strata.tokens_per_s),
      fmt(torch.tokens_per_s),
      (strata.tokens_per_s / torch.tokens_per_s).toFixed(2),
      mib(strata.peak_rss_kib),
      mib(torch.peak_rss_kib),
      (strata.peak_rss_kib / torch.peak_rss_kib).toFixed(2),
      `${utilisation(strata, probe.strata).toFixed(0)} % of ${fmt(probe.strata.gflops, 1)}`,
      `${utilisation(torch, probe.torch).toFixed(0)} % of ${fmt(probe.torch.gflops, 1)}`,
    ]);
    ratios.push(
      `${label}: Strata/PyTorch tokens/s ${(strata.tokens_per_s / torch.tokens_per_s).toFixed(2)}, peak RSS ${(strata.peak_rss_kib / torch.peak_rss_kib).toFixed(2)}; ` +
        `first-step loss ${strata.loss_first.toFixed(4)} / ${torch.loss_first.toFixed(4)}; warm-up step ${strata.warmup_s.toFixed(2)} s / ${torch.warmup_s.toFixed(2)} s; ` +
        `Strata's products on ${strata.matmul_kernel ?? "?"}, ${strata.cpu_s_per_step?.toFixed(3) ?? "?"} CPU s per step`,
    );
    console.log(ratios.at(-1));
  }
}

const header = [
  "model, mode",
  "trained params",
  "Strata tok/s",
  "PyTorch tok/s",
  "ratio tok/s",
  "Strata peak RSS MiB",
  "PyTorch peak RSS MiB",
  "ratio RSS",
  "Strata utilisation (of its products' GFLOP/s)",
  "PyTorch utilisation (of torch.matmul GFLOP/s)",
];
console.log(`\n| ${header.join(" | ")} |`);
console.log(`|${header.map(() => "---").join("|")}|`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
console.log(
  `\nbatch 1 × ${sequenceLength} tokens, forward + backward + AdamW, F32, threads ${threads}; tok/s = training tokens per second after one warm-up step; ` +
    `utilisation = tok/s × model FLOPs per token / forward matmul GFLOP/s (full 3×, LoRA 2× forward FLOPs)`,
);
console.log(
  `load average at end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}; bench took ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
