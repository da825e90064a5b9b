// Measures trainBpeTokenizer: an 8k vocabulary on about 30 MB. Run with `npx tsx
// src/model-files/tokenizer/measure-training-speed.ts [megabytes]`.
//
// Two runs:
//  1. English corpus (State of the Union + Moby-Dick when the @stdlib datasets are installed, the Markdown of
//     node_modules otherwise), repeated until the size is reached. Repeating only raises word counts, so it
//     measures pre-tokenization at scale but not a larger set of distinct words.
//  2. Distinct text: Markdown, TypeScript declarations and JavaScript from node_modules, no repeats. Code
//     has many more distinct words than prose, which is the expensive case for the merge phase.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { corpusPackagesInstalled, englishCorpusTexts, limitTexts } from "./corpus-texts.js";
import { trainBpeTokenizer } from "./train-bpe-tokenizer.js";

const vocabularySize = 8192;
const targetMegabytes = Number(process.argv[2] ?? 30);
const targetBytes = targetMegabytes * 1e6;

function byteLength(texts: readonly string[]): number {
  return texts.reduce((sum, text) => sum + Buffer.byteLength(text, "utf8"), 0);
}

function repeatedEnglishCorpus(): { texts: string[]; description: string } {
  const once = [...englishCorpusTexts()];
  const onceBytes = byteLength(once);
  const texts: string[] = [];
  let copies = 0;
  while (byteLength(texts) < targetBytes) {
    texts.push(...limitTexts(once, targetBytes - byteLength(texts)));
    copies++;
  }
  const installed = corpusPackagesInstalled();
  const source =
    installed.stateOfTheUnion || installed.mobyDick
      ? "State of the Union + Moby-Dick"
      : "node_modules Markdown (the @stdlib datasets are not installed)";
  return {
    texts,
    description: `${source}: ${(onceBytes / 1e6).toFixed(1)} MB, repeated ${copies} time(s)`,
  };
}

function distinctLocalText(): { texts: string[]; description: string } {
  const files: string[] = [];
  const visit = (directory: string): void => {
    const entries = readdirSync(directory, { withFileTypes: true }).sort((left, right) =>
      left.name < right.name ? -1 : left.name > right.name ? 1 : 0,
    );
    for (const entry of entries) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && /\.(md|d\.ts|js)$/u.test(entry.name)) files.push(path);
    }
  };
  visit(join(process.cwd(), "node_modules"));
  const texts: string[] = [];
  let bytes = 0;
  for (const file of files) {
    if (bytes >= targetBytes) break;
    const text = readFileSync(file, "utf8");
    texts.push(text);
    bytes += Buffer.byteLength(text, "utf8");
  }
  return { texts, description: "node_modules .md/.d.ts/.js files, no repeats" };
}

async function measure(name: string, corpus: { texts: string[]; description: string }): Promise<void> {
  const megabytes = byteLength(corpus.texts) / 1e6;
  const started = performance.now();
  const vocabulary = await trainBpeTokenizer({
    texts: corpus.texts,
    vocabularySize,
    specialTokens: ["<|eot_id|>"],
    bosToken: "<|begin_of_text|>",
    eosToken: "<|end_of_text|>",
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(`${name}: ${corpus.description}`);
  console.log(
    `  ${megabytes.toFixed(1)} MB, ${vocabulary.tokens.length} tokens, ${seconds.toFixed(2)} s, ` +
      `${(megabytes / seconds).toFixed(1)} MB/s`,
  );
}

await measure("English corpus", repeatedEnglishCorpus());
await measure("Distinct text", distinctLocalText());
