// Every quantized type the trainer accepts as a frozen base, as llama.cpp's own quantizer writes it: an F32
// llama whose matrices are all whole 256-blocks wide (so no type falls back to a substitute), quantized by the
// trainer CLI (llama_model_quantize from the prebuilt libllama) to each type, then for each file: the
// trainer's forward logits against node-llama-cpp's, and LoRA steps that lower the loss. Real models ship
// mixes of these (a Qwen2.5-0.5B q4_k_m holds Q5_0 and Q8_0 rows where 896 is not a multiple of 256, Q6_K
// elsewhere). Also: the server's lists of trainable architectures and types (trainer-compatibility.ts, what the
// catalog and the customization job go by) equal the native core's.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, type Llama, LlamaLogLevel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readGgufHeader } from "../../src/model-files/gguf/read-gguf.js";
import { trainableArchitectures, trainableTensorTypes } from "../../src/model-files/trainer-compatibility.js";
import { makeTestModel } from "../support/make-test-model.js";
import {
  buildTrainer,
  maxCenteredRelativeError,
  nodeLlamaLogProbabilities,
  readFloat32File,
  runTrainerCli,
  stepLosses,
} from "./trainer-cli.js";

const text =
  "The Congress of the United States shall assemble at least once in every year, and such meeting shall be on the first Monday in December";
const comparedTokens = 16;

let directory: string;
let llama: Llama;
let f32Model: string;
let tokens: number[];

beforeAll(async () => {
  buildTrainer();
  directory = mkdtempSync(join(tmpdir(), "strata-quantized-bases-"));
  llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
  f32Model = join(directory, "k256-F32.gguf");
  await makeTestModel(f32Model, {
    name: "strata-test-k256",
    seed: 5,
    tensorType: "F32",
    dimensions: { embeddingLength: 256, feedForwardLength: 512 },
  });
  const model = await llama.loadModel({ modelPath: f32Model });
  tokens = [model.tokens.bos as number, ...(model.tokenize(text) as number[])];
  await model.dispose();
}, 120_000);

afterAll(async () => {
  await llama?.dispose();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe("quantized bases", () => {
  it("the server's trainable architectures and types are the native core's", async () => {
    const result = await runTrainerCli(["info"]);
    expect(result.exitCode, result.stderr).toBe(0);
    const info = JSON.parse(result.stdout) as { architectures: string[]; frozen_types: string[] };
    expect([...trainableArchitectures].sort()).toEqual([...info.architectures].sort());
    expect([...trainableTensorTypes].sort()).toEqual(
      info.frozen_types.map((type) => type.toUpperCase()).sort(),
    );
  });

  // [llama.cpp's quantization name, the type its attn_q then has]. Measured logit errors: 7.7e-3 to 1.1e-2 for
  // every type alike, 2 bits or 6 — not the weights' precision (both sides read the same blocks) but the
  // activations' rounding to Q8 for the quantized dot products and llama.cpp's F16 K/V; a misread block moves
  // the logits by far more.
  it.each([
    ["q4_0", "Q4_0"],
    ["q4_1", "Q4_1"],
    ["q5_0", "Q5_0"],
    ["q5_1", "Q5_1"],
    ["q2_k", "Q2_K"],
    ["q3_k_m", "Q3_K"],
    ["q5_k_m", "Q5_K"],
    ["q6_k", "Q6_K"],
  ])(
    "%s: forward logits match node-llama-cpp's, and LoRA lowers the loss",
    async (quantization, attnQType) => {
      const path = join(directory, `k256-${quantization}.gguf`);
      const quantized = await runTrainerCli(["quantize", f32Model, path, quantization, "--threads", "2"]);
      expect(quantized.exitCode, quantized.stderr).toBe(0);
      const header = await readGgufHeader(path);
      if (!header.ok) throw new Error(header.reason);
      const types = new Set(
        header.header.tensors.filter((t) => t.dimensions.length > 1).map((t) => t.typeName),
      );
      expect(header.header.tensors.find((t) => t.name === "blk.0.attn_q.weight")?.typeName).toBe(attnQType);

      const compared = tokens.slice(0, comparedTokens);
      const logitsPath = join(directory, `logits-${quantization}.f32`);
      const logits = await runTrainerCli(["logits", path, logitsPath, ...compared.map(String)]);
      expect(logits.exitCode, logits.stderr).toBe(0);
      const reference = await nodeLlamaLogProbabilities(llama, path, compared);
      const error = maxCenteredRelativeError(
        readFloat32File(logitsPath),
        reference.logProbabilities,
        reference.vocabularySize,
      );

      const trained = await runTrainerCli([
        "train",
        path,
        "--mode",
        "lora",
        "--tokens",
        tokens.join(","),
        "--steps",
        "5",
        "--lr",
        "1e-2",
        "--threads",
        "2",
      ]);
      expect(trained.exitCode, trained.stderr).toBe(0);
      const losses = stepLosses(trained.stdout);
      console.log(
        `${quantization} (matrices ${[...types].join(", ")}): max relative logit error ${error.toExponential(2)}; LoRA loss ${losses[0]?.toFixed(4)} → ${losses.at(-1)?.toFixed(4)}`,
      );
      expect(error).toBeLessThan(2e-2);
      expect(losses).toHaveLength(5);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.at(-1)).toBeLessThan((losses[0] ?? 0) - 0.05);
    },
  );

  it("refuses a type it does not train through (bf16) before training, naming the tensor and the accepted types", async () => {
    const path = join(directory, "k256-bf16.gguf");
    expect((await runTrainerCli(["quantize", f32Model, path, "bf16"])).exitCode).toBe(0);
    const result = await runTrainerCli(["train", path, "--tokens", tokens.join(","), "--steps", "1"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("tensor 'token_embd.weight' is bf16");
    expect(result.stderr).toContain("convert the model to one of f32,f16,q8_0,q4_0");
    expect(result.stdout).toBe("");
  });

  it("a k-quant base widens to an all-F32 copy that full fine-tuning trains (llama.cpp's quantizer, target f32)", async () => {
    const quantized = join(directory, "k256-q4_k_m.gguf");
    const widened = join(directory, "k256-q4_k_m-f32.gguf");
    expect((await runTrainerCli(["quantize", f32Model, quantized, "q4_k_m"])).exitCode).toBe(0);
    const result = await runTrainerCli(["quantize", quantized, widened, "f32"]);
    expect(result.exitCode, result.stderr).toBe(0);
    const [from, to] = [await readGgufHeader(quantized), await readGgufHeader(widened)];
    if (!from.ok || !to.ok) throw new Error("unreadable GGUF");
    expect(new Set(to.header.tensors.map((tensor) => tensor.typeName))).toEqual(new Set(["F32"]));
    expect(to.header.tensors.map((tensor) => tensor.name)).toEqual(
      from.header.tensors.map((tensor) => tensor.name),
    );
    expect(to.header.metadata.get("tokenizer.ggml.merges")).toEqual(
      from.header.metadata.get("tokenizer.ggml.merges"),
    );

    // The same function: the widened copy's logits are the quantized base's, up to the activations' Q8 rounding
    // that quantized products do and F32 ones do not.
    const compared = tokens.slice(0, comparedTokens).map(String);
    const [quantizedLogits, widenedLogits] = [join(directory, "q4.f32"), join(directory, "widened.f32")];
    const base = await runTrainerCli(["logits", quantized, quantizedLogits, ...compared]);
    expect(base.exitCode, base.stderr).toBe(0);
    expect((await runTrainerCli(["logits", widened, widenedLogits, ...compared])).exitCode).toBe(0);
    const reference = Float64Array.from(readFloat32File(quantizedLogits));
    const vocabulary = (JSON.parse(base.stdout) as { n_vocab: number }).n_vocab;
    const error = maxCenteredRelativeError(readFloat32File(widenedLogits), reference, vocabulary);
    console.log(
      `q4_k_m widened to F32: max relative logit error vs the quantized base ${error.toExponential(2)}`,
    );
    expect(error).toBeLessThan(2e-2);

    const trained = await runTrainerCli([
      "train",
      widened,
      "--mode",
      "full",
      "--tokens",
      tokens.join(","),
      "--steps",
      "3",
      "--lr",
      "1e-3",
    ]);
    expect(trained.exitCode, trained.stderr).toBe(0);
    const losses = stepLosses(trained.stdout);
    expect(losses.at(-1)).toBeLessThan(losses[0] ?? 0);
  });
});
