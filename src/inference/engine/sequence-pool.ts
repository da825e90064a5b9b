// Concurrent requests share one llama.cpp context per model: each takes one of its sequences (batched decoding
// runs them together) and waits in line when all are busy.
import type { LlamaContext, LlamaContextSequence } from "node-llama-cpp";

export class SequencePool {
  private readonly waiting: ((sequence: LlamaContextSequence) => void)[] = [];
  private inUse = 0;
  private drained: (() => void) | undefined;

  constructor(private readonly context: LlamaContext) {}

  async acquire(signal: AbortSignal): Promise<LlamaContextSequence> {
    if (this.context.sequencesLeft > 0) {
      this.inUse++;
      return this.context.getSequence();
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(handOver);
        if (index !== -1) this.waiting.splice(index, 1);
        reject(signal.reason);
      };
      const handOver = (sequence: LlamaContextSequence) => {
        signal.removeEventListener("abort", onAbort);
        resolve(sequence);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(handOver);
    });
  }

  /** Frees the sequence's cells, then gives the slot to the next waiter (or back to the context). */
  async release(sequence: LlamaContextSequence): Promise<void> {
    await sequence.dispose();
    const next = this.waiting.shift();
    if (next) {
      next(this.context.getSequence());
      return;
    }
    this.inUse--;
    if (this.inUse === 0) this.drained?.();
  }

  /** Waits for the generations still running (and those waiting) to end, then frees the context. */
  async drainAndDispose(): Promise<void> {
    if (this.inUse > 0) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
      });
    }
    await this.context.dispose();
  }

  get size(): number {
    return this.context.totalSequences;
  }
}
