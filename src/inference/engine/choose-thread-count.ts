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

/**
 * Decode speed of one sequence alone and of `sequences` sequences decoding together (llama.cpp batches them)
 * on `threads` threads: what a reservation's model unit is defined from.
 */
export async function measureBatchedDecodeSpeed(
  model: LlamaModel,
  options: { threads: number; sequences: number; tokenCount?: number },
): Promise<{
  threads: number;
  sequences: number;
  perSequenceTokensPerSecond: number;
  aggregateTokensPerSecond: number;
}> {
  const tokenCount = options.tokenCount ?? 48;
  const context = await model.createContext({
    contextSize: 128 * options.sequences,
    sequences: options.sequences,
    threads: options.threads,
  });
  try {
    const decode = async (sequence: ReturnType<typeof context.getSequence>) => {
      let generated = 0;
      for await (const _token of sequence.evaluate(model.tokenize("The"), { temperature: 0 })) {
        generated++;
        if (generated >= tokenCount) break;
      }
      await sequence.clearHistory();
      return generated;
    };
    const sequences = Array.from({ length: options.sequences }, () => context.getSequence());
    const [first] = sequences;
    if (!first) throw new Error("no sequence to measure with");
    await decode(first); // warm-up: the first decode pays for allocations
    let started = performance.now();
    const alone = await decode(first);
    const perSequenceTokensPerSecond = alone / Math.max((performance.now() - started) / 1000, 1e-6);
    started = performance.now();
    const together = await Promise.all(sequences.map(decode));
    const total = together.reduce((sum, count) => sum + count, 0);
    const aggregateTokensPerSecond = total / Math.max((performance.now() - started) / 1000, 1e-6);
    return {
      threads: options.threads,
      sequences: options.sequences,
      perSequenceTokensPerSecond,
      aggregateTokensPerSecond,
    };
  } finally {
    await context.dispose();
  }
}
