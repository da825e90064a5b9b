// Decode speed through Strata's ConverseStream against raw node-llama-cpp on the same GGUF, in the same run:
// single-stream tokens/s (raw at its best thread count), time-to-first-token overhead, and Strata's
// aggregate tokens/s at 1, 4 and 16 concurrent streams. The model is made here: the `small` preset (~32M
// parameters, Q8_0) with random weights and a tokenizer trained on the pre-1900 State of the Union speeches.
// Usage: npm run bench:inference   (BENCH_PRESET=tiny for a quicker run)
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BedrockRuntimeClient, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { getLlama, LlamaChatSession, LlamaLogLevel } from "node-llama-cpp";
import { threadCandidates } from "../src/inference/engine/choose-thread-count.js";
import { createLlamaModel } from "../src/model-files/create-model/create-llama-model.js";
import {
  beginOfTextToken,
  endOfTextToken,
  reservedControlTokens,
} from "../src/model-files/create-model/default-chat-template.js";
import { llamaModelPresets } from "../src/model-files/create-model/llama-model-spec.js";
import { limitTexts, stateOfTheUnionTexts } from "../src/model-files/tokenizer/corpus-texts.js";
import { trainBpeTokenizer } from "../src/model-files/tokenizer/train-bpe-tokenizer.js";
import { startBenchServer } from "./support/start-bench-server.js";

const preset = (process.env.BENCH_PRESET ?? "small") as keyof typeof llamaModelPresets;
const maxTokens = Number(process.env.BENCH_MAX_TOKENS ?? 128);
const prompt = "Write about the state of the Union and the Congress.";

async function makeModel(): Promise<string> {
  const dimensions = llamaModelPresets[preset];
  const vocabulary = await trainBpeTokenizer({
    texts: limitTexts(stateOfTheUnionTexts({ before: 1900 }), 5_000_000),
    vocabularySize: dimensions.vocabularySize,
    specialTokens: [...reservedControlTokens],
    bosToken: beginOfTextToken,
    eosToken: endOfTextToken,
  });
  const path = join(mkdtempSync(join(tmpdir(), "strata-bench-model-")), `${preset}.gguf`);
  const created = await createLlamaModel({
    path,
    name: `bench-${preset}`,
    dimensions: { ...dimensions, vocabularySize: vocabulary.tokens.length },
    vocabulary,
    seed: 7,
    tensorType: "Q8_0",
  });
  console.log(
    `model: ${preset} preset, ${created.parameterCount.toLocaleString("en-US")} parameters, Q8_0, ${(created.fileSizeBytes / 1_048_576).toFixed(1)} MiB`,
  );
  return path;
}

interface StreamMeasurement {
  tokens: number;
  timeToFirstTokenMs: number;
  decodeTokensPerSecond: number;
}

async function rawNodeLlamaCpp(path: string, threads: number): Promise<StreamMeasurement> {
  const llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: path });
  const context = await model.createContext({ contextSize: Math.min(model.trainContextSize, 4096), threads });
  const session = new LlamaChatSession({ contextSequence: context.getSequence() });
  await session.prompt(prompt, { maxTokens: 8, temperature: 0 }); // warm-up
  session.resetChatHistory();
  const started = performance.now();
  let first: number | undefined;
  let tokens = 0;
  await session.prompt(prompt, {
    maxTokens,
    temperature: 0,
    onToken: (generated) => {
      first ??= performance.now();
      tokens += generated.length;
    },
  });
  const ended = performance.now();
  await context.dispose();
  await model.dispose();
  const firstAt = first ?? ended;
  return {
    tokens,
    timeToFirstTokenMs: firstAt - started,
    decodeTokensPerSecond: (tokens - 1) / ((ended - firstAt) / 1000),
  };
}

async function strataStream(client: BedrockRuntimeClient): Promise<StreamMeasurement> {
  const started = performance.now();
  const response = await client.send(
    new ConverseStreamCommand({
      modelId: "local.bench-model",
      messages: [{ role: "user", content: [{ text: prompt }] }],
      inferenceConfig: { maxTokens, temperature: 0 },
    }),
  );
  let first: number | undefined;
  let tokens = 0;
  for await (const event of response.stream ?? []) {
    if (event.contentBlockDelta) first ??= performance.now();
    if (event.metadata) tokens = event.metadata.usage?.outputTokens ?? 0;
  }
  const ended = performance.now();
  const firstAt = first ?? ended;
  return {
    tokens,
    timeToFirstTokenMs: firstAt - started,
    decodeTokensPerSecond: (tokens - 1) / ((ended - firstAt) / 1000),
  };
}

const modelPath = await makeModel();

const raw: Record<number, StreamMeasurement> = {};
for (const threads of threadCandidates()) raw[threads] = await rawNodeLlamaCpp(modelPath, threads);
const [bestThreads, bestRaw] = Object.entries(raw).reduce((best, entry) =>
  entry[1].decodeTokensPerSecond > best[1].decodeTokensPerSecond ? entry : best,
);
for (const [threads, measurement] of Object.entries(raw)) {
  console.log(
    `raw node-llama-cpp, threads ${threads}: ${measurement.decodeTokensPerSecond.toFixed(0)} tokens/s decode, TTFT ${measurement.timeToFirstTokenMs.toFixed(0)} ms (${measurement.tokens} tokens)`,
  );
}

const server = await startBenchServer(["strata", modelPath]);
try {
  const client = new BedrockRuntimeClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: server.credentials ?? { accessKeyId: "", secretAccessKey: "" },
    maxAttempts: 1,
  });
  await strataStream(client); // loads the model and measures its threads
  const single = await strataStream(client);
  console.log(
    `Strata ConverseStream: ${single.decodeTokensPerSecond.toFixed(0)} tokens/s decode, TTFT ${single.timeToFirstTokenMs.toFixed(0)} ms (${single.tokens} tokens)`,
  );
  console.log(
    `ratio Strata / raw (best, threads ${bestThreads}) decode tokens/s: ${(single.decodeTokensPerSecond / bestRaw.decodeTokensPerSecond).toFixed(2)}`,
  );
  console.log(
    `time-to-first-token overhead: ${(single.timeToFirstTokenMs - bestRaw.timeToFirstTokenMs).toFixed(0)} ms`,
  );
  for (const concurrency of [1, 4, 16]) {
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: concurrency }, () => strataStream(client)));
    const seconds = (performance.now() - started) / 1000;
    const tokens = results.reduce((sum, result) => sum + result.tokens, 0);
    console.log(
      `Strata aggregate, ${String(concurrency).padStart(2)} concurrent streams: ${(tokens / seconds).toFixed(0)} tokens/s (${tokens} tokens in ${seconds.toFixed(2)} s)`,
    );
  }
  client.destroy();
} finally {
  server.child.kill();
}
process.exit(0);
