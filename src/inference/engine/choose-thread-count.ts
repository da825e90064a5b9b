// llama.cpp's thread count decides decode speed by an order of magnitude on small hosts: on a 2-vCPU VM a 30M
// model decoded at ~500 tokens/s with 1 thread, ~49 with 2 and ~2 with node-llama-cpp's default (the Node
// thread and ggml's spinning workers oversubscribe the cores). So it is measured per model at load, not
// assumed: a short greedy decode with each candidate count, the fastest wins.
import { availableParallelism } from "node:os";
import type { LlamaModel } from "node-llama-cpp";

export interface ThreadMeasurement {
  threads: number;
  tokensPerSecond: number;
}

export function threadCandidates(): number[] {
  const cores = availableParallelism();
  const candidates = [1, 2, 4, 8].filter((count) => count <= cores);
  return candidates.length > 0 ? candidates : [1];
}

export async function measureDecodeSpeed(
  model: LlamaModel,
  threads: number,
  tokenCount = 24,
): Promise<number> {
  const context = await model.createContext({ contextSize: 256, sequences: 1, threads });
  try {
    const sequence = context.getSequence();
    const prompt = model.tokenize("The");
    const started = performance.now();
    let generated = 0;
    for await (const _token of sequence.evaluate(prompt, { temperature: 0 })) {
      generated++;
      if (generated >= tokenCount) break;
    }
    const seconds = (performance.now() - started) / 1000;
    return generated / Math.max(seconds, 1e-6);
  } finally {
    await context.dispose();
  }
}

export async function chooseThreadCount(
  model: LlamaModel,
): Promise<{ chosen: number; measurements: ThreadMeasurement[] }> {
  const measurements: ThreadMeasurement[] = [];
  for (const threads of threadCandidates()) {
    measurements.push({ threads, tokensPerSecond: await measureDecodeSpeed(model, threads) });
  }
  const best = measurements.reduce((fastest, current) =>
    current.tokensPerSecond > fastest.tokensPerSecond ? current : fastest,
  );
  return { chosen: best.threads, measurements };
}
