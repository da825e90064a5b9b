// The base models' tokenizers (node-llama-cpp, vocabulary only), kept loaded: validating a dataset, creating a
// job and the dry run all tokenize with the base model, and a load costs about a second even for a tiny GGUF.
// Keyed by path, size and modification time, so a replaced file is loaded afresh; the least recently used
// tokenizer goes when more than `capacity` are held. Callers never dispose what they get.
import { stat } from "node:fs/promises";
import type { LlamaModel } from "node-llama-cpp";
import { loadTokenizerModel } from "../../training/data/prepare-training-data.js";

export class TokenizerCache {
  private readonly entries = new Map<string, Promise<LlamaModel>>();

  constructor(private readonly capacity = 8) {}

  async get(modelPath: string): Promise<LlamaModel> {
    const { size, mtimeMs } = await stat(modelPath);
    const key = `${modelPath}\u0000${size}\u0000${mtimeMs}`;
    let entry = this.entries.get(key);
    if (entry) this.entries.delete(key);
    else {
      entry = loadTokenizerModel(modelPath);
      // A failed load is not kept: the next call tries again.
      entry.catch(() => this.entries.delete(key));
    }
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Promise<LlamaModel>];
      this.entries.delete(oldestKey);
      void oldest.then((model) => model.dispose()).catch(() => undefined);
    }
    return entry;
  }

  async dispose(): Promise<void> {
    const held = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(held.map(async (entry) => (await entry).dispose()));
  }
}
