// Trains a byte-level BPE vocabulary (GPT-2 / llama-3 style) that llama.cpp can load from GGUF.
//
// Speed matters (the goal is an 8k vocabulary from tens of megabytes in about a minute), so the text is read
// once: it is pre-tokenized and each distinct word is counted. BPE then runs over distinct words weighted by
// their counts. Merging a pair only touches the words that contain it (a pair → words index) and updates the
// counts of the neighbouring pairs in place; a priority queue with lazy deletion yields the next best pair.
// Nothing rescans the corpus per merge.

import type { BpeVocabulary } from "./bpe-vocabulary.js";
import { TokenType } from "./bpe-vocabulary.js";
import { byteToUnicode } from "./byte-to-unicode.js";
import { PairPriorityQueue } from "./pair-priority-queue.js";
import { createPreTokenizerRegex, preTokenizerName } from "./pre-tokenize.js";

export interface TrainBpeTokenizerOptions {
  texts: Iterable<string> | AsyncIterable<string>;
  /** Total number of tokens: 256 byte tokens + learned merges + special tokens. */
  vocabularySize: number;
  /** Control tokens (BOS/EOS/chat markers...), added verbatim after the learned tokens, in this order. */
  specialTokens: string[];
  /** Added to the special tokens if not already listed. */
  bosToken: string;
  eosToken: string;
  paddingToken?: string;
  /** Pairs seen fewer times than this are never merged, so the vocabulary may stay smaller. Default 2. */
  minimumPairFrequency?: number;
  /** tokenizer.ggml.add_bos_token. Default true, as for Llama models. */
  addBosToken?: boolean;
}

const byteTokenCount = 256;

export async function trainBpeTokenizer(options: TrainBpeTokenizerOptions): Promise<BpeVocabulary> {
  const minimumPairFrequency = Math.max(1, options.minimumPairFrequency ?? 2);
  const specialTokens = collectSpecialTokens(options);
  const learnedTokenBudget = options.vocabularySize - byteTokenCount - specialTokens.length;
  if (!Number.isInteger(options.vocabularySize) || learnedTokenBudget < 0) {
    throw new RangeError(
      `vocabularySize must be an integer of at least ${byteTokenCount + specialTokens.length} ` +
        `(256 byte tokens + ${specialTokens.length} special tokens), got ${options.vocabularySize}`,
    );
  }

  // Byte tokens in code-point order of their characters: GPT-2's order ("!" is token 0).
  const byteOrder = Array.from({ length: byteTokenCount }, (_, byte) => byte).sort(
    (left, right) => (byteToUnicode[left]?.codePointAt(0) ?? 0) - (byteToUnicode[right]?.codePointAt(0) ?? 0),
  );
  const tokenTexts: string[] = byteOrder.map((byte) => byteToUnicode[byte] ?? "");
  const byteTokenId = new Int32Array(byteTokenCount);
  byteOrder.forEach((byte, id) => {
    byteTokenId[byte] = id;
  });
  const tokenIdByText = new Map<string, number>(tokenTexts.map((text, id) => [text, id]));
  for (const special of specialTokens) {
    if (tokenIdByText.has(special)) {
      throw new Error(`special token ${JSON.stringify(special)} is also a byte token`);
    }
  }

  const wordFrequencies = await countWords(options.texts);
  const words = WordTable.fromFrequencies(wordFrequencies, byteTokenId);
  wordFrequencies.clear();

  const merges: string[] = [];
  const targetTokenCount = byteTokenCount + learnedTokenBudget;
  if (tokenTexts.length < targetTokenCount) {
    const trainer = new PairMerger(words, tokenTexts, byteTokenCount + learnedTokenBudget + 1);
    const forbiddenTexts = new Set(specialTokens);
    trainer.countAllPairs(minimumPairFrequency);
    while (tokenTexts.length < targetTokenCount) {
      const best = trainer.popBestPair(minimumPairFrequency);
      if (best === undefined) break;
      const leftText = tokenTexts[best.left] ?? "";
      const rightText = tokenTexts[best.right] ?? "";
      const mergedText = leftText + rightText;
      // A learned token equal to a special token's text would make llama.cpp's text → id lookup ambiguous.
      if (forbiddenTexts.has(mergedText)) {
        trainer.forbid(best.left, best.right);
        continue;
      }
      // Two different pairs can spell the same text ("ab"+"c", "a"+"bc"); they share one token, as in
      // Hugging Face's trainer, and each keeps its merge rule.
      let mergedId = tokenIdByText.get(mergedText);
      if (mergedId === undefined) {
        mergedId = tokenTexts.length;
        tokenTexts.push(mergedText);
        tokenIdByText.set(mergedText, mergedId);
      }
      merges.push(`${leftText} ${rightText}`);
      trainer.merge(best.left, best.right, mergedId, minimumPairFrequency);
    }
  }

  const tokenTypes = tokenTexts.map(() => TokenType.normal as number);
  const specialTokenIds = new Map<string, number>();
  for (const special of specialTokens) {
    specialTokenIds.set(special, tokenTexts.length);
    tokenTexts.push(special);
    tokenTypes.push(TokenType.control);
  }
  const vocabulary: BpeVocabulary = {
    tokens: tokenTexts,
    tokenTypes,
    merges,
    bosTokenId: specialTokenIds.get(options.bosToken) ?? -1,
    eosTokenId: specialTokenIds.get(options.eosToken) ?? -1,
    preTokenizer: preTokenizerName,
    addBosToken: options.addBosToken ?? true,
  };
  if (options.paddingToken !== undefined)
    vocabulary.paddingTokenId = specialTokenIds.get(options.paddingToken);
  return vocabulary;
}

function collectSpecialTokens(options: TrainBpeTokenizerOptions): string[] {
  const all = [...options.specialTokens, options.bosToken, options.eosToken];
  if (options.paddingToken !== undefined) all.push(options.paddingToken);
  for (const token of all) {
    if (token.length === 0) throw new Error("special tokens must not be empty");
  }
  return [...new Set(all)];
}

async function countWords(texts: Iterable<string> | AsyncIterable<string>): Promise<Map<string, number>> {
  const frequencies = new Map<string, number>();
  const regex = createPreTokenizerRegex();
  for await (const text of texts) {
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
      const word = match[0];
      frequencies.set(word, (frequencies.get(word) ?? 0) + 1);
    }
  }
  return frequencies;
}

/** Every distinct word as a sequence of token ids, stored flat; merges rewrite words in place. */
class WordTable {
  private constructor(
    readonly frequencies: Float64Array,
    readonly starts: Int32Array,
    readonly lengths: Int32Array,
    readonly symbols: Int32Array,
  ) {}

  get count(): number {
    return this.frequencies.length;
  }

  static fromFrequencies(wordFrequencies: Map<string, number>, byteTokenId: Int32Array): WordTable {
    const encoder = new TextEncoder();
    const count = wordFrequencies.size;
    const frequencies = new Float64Array(count);
    const starts = new Int32Array(count);
    const lengths = new Int32Array(count);
    let symbols = new Int32Array(Math.max(1024, count * 8));
    let used = 0;
    let index = 0;
    for (const [word, frequency] of wordFrequencies) {
      const bytes = encoder.encode(word);
      if (used + bytes.length > symbols.length) {
        const grown = new Int32Array(Math.max(symbols.length * 2, used + bytes.length));
        grown.set(symbols.subarray(0, used));
        symbols = grown;
      }
      for (let position = 0; position < bytes.length; position++) {
        symbols[used + position] = byteTokenId[bytes[position] ?? 0] ?? 0;
      }
      frequencies[index] = frequency;
      starts[index] = used;
      lengths[index] = bytes.length;
      used += bytes.length;
      index++;
    }
    return new WordTable(frequencies, starts, lengths, symbols.subarray(0, used));
  }
}

/** Pair counts, the pair → words index and the priority queue, kept consistent through merges. */
class PairMerger {
  private readonly pairCounts = new Map<number, number>();
  /** Words that contained the pair when it was indexed; may hold stale entries, checked when used. */
  private readonly pairWords = new Map<number, number[]>();
  private readonly forbidden = new Set<number>();
  private readonly queue: PairPriorityQueue;
  /** Pairs whose count changed during the current merge, to push their new counts once at the end. */
  private readonly touchedPairs = new Set<number>();
  /** The merge number that last rewrote each word, so a word listed twice is rewritten once. */
  private readonly lastVisitedByMerge: Int32Array;
  private mergeNumber = 0;

  constructor(
    private readonly words: WordTable,
    /** Read by the queue to order tied pairs; grows as merges add tokens. */
    tokenTexts: readonly string[],
    /** Larger than any token id, so left * keyBase + right is a unique pair key. */
    private readonly keyBase: number,
  ) {
    this.queue = new PairPriorityQueue(tokenTexts);
    this.lastVisitedByMerge = new Int32Array(words.count).fill(-1);
  }

  countAllPairs(minimumPairFrequency: number): void {
    const { frequencies, starts, lengths, symbols } = this.words;
    for (let word = 0; word < this.words.count; word++) {
      const start = starts[word] ?? 0;
      const end = start + (lengths[word] ?? 0);
      const frequency = frequencies[word] ?? 0;
      for (let position = start; position + 1 < end; position++) {
        const key = this.pairKey(symbols[position] ?? 0, symbols[position + 1] ?? 0);
        this.pairCounts.set(key, (this.pairCounts.get(key) ?? 0) + frequency);
        this.indexWord(key, word);
      }
    }
    for (const [key, count] of this.pairCounts) {
      if (count >= minimumPairFrequency) this.pushPair(key, count);
    }
  }

  /** The best live pair, or undefined when no pair reaches the minimum frequency. */
  popBestPair(minimumPairFrequency: number): { left: number; right: number } | undefined {
    for (let entry = this.queue.pop(); entry !== undefined; entry = this.queue.pop()) {
      const key = this.pairKey(entry.left, entry.right);
      if (this.pairCounts.get(key) !== entry.count || this.forbidden.has(key)) continue;
      // Entries come out highest count first, so the first live one below the minimum ends training.
      if (entry.count < minimumPairFrequency) return undefined;
      return { left: entry.left, right: entry.right };
    }
    return undefined;
  }

  forbid(left: number, right: number): void {
    this.forbidden.add(this.pairKey(left, right));
  }

  /** Replaces every occurrence of (left, right) by mergedId and updates the neighbouring pair counts. */
  merge(left: number, right: number, mergedId: number, minimumPairFrequency: number): void {
    const mergedKey = this.pairKey(left, right);
    const candidates = this.pairWords.get(mergedKey) ?? [];
    const { frequencies, starts, lengths, symbols } = this.words;
    const mergeNumber = this.mergeNumber++;
    for (const word of candidates) {
      if (this.lastVisitedByMerge[word] === mergeNumber) continue;
      this.lastVisitedByMerge[word] = mergeNumber;
      const start = starts[word] ?? 0;
      const end = start + (lengths[word] ?? 0);
      const frequency = frequencies[word] ?? 0;
      let write = start;
      for (let read = start; read < end; ) {
        const symbol = symbols[read] ?? 0;
        if (symbol !== left || read + 1 >= end || symbols[read + 1] !== right) {
          symbols[write++] = symbol;
          read++;
          continue;
        }
        // The symbol before comes from the rewritten part (it may be an earlier merge in this word), the one
        // after from the unrewritten part: the adjustments then stay correct for runs like "a b a b".
        if (write > start) {
          const before = symbols[write - 1] ?? 0;
          this.addToPair(this.pairKey(before, left), -frequency);
          this.addToPair(this.pairKey(before, mergedId), frequency, word);
        }
        if (read + 2 < end) {
          const after = symbols[read + 2] ?? 0;
          this.addToPair(this.pairKey(right, after), -frequency);
          this.addToPair(this.pairKey(mergedId, after), frequency, word);
        }
        symbols[write++] = mergedId;
        read += 2;
      }
      lengths[word] = write - start;
    }
    this.pairCounts.delete(mergedKey);
    this.pairWords.delete(mergedKey);
    this.touchedPairs.delete(mergedKey);
    for (const key of this.touchedPairs) {
      const count = this.pairCounts.get(key);
      if (count !== undefined && count >= minimumPairFrequency) this.pushPair(key, count);
    }
    this.touchedPairs.clear();
  }

  private addToPair(key: number, delta: number, word?: number): void {
    const count = (this.pairCounts.get(key) ?? 0) + delta;
    if (count <= 0) {
      this.pairCounts.delete(key);
      this.pairWords.delete(key);
    } else {
      this.pairCounts.set(key, count);
      if (word !== undefined) this.indexWord(key, word);
    }
    this.touchedPairs.add(key);
  }

  private indexWord(key: number, word: number): void {
    const list = this.pairWords.get(key);
    if (list === undefined) this.pairWords.set(key, [word]);
    // Occurrences of a pair within one word arrive together, so checking the last entry removes most repeats.
    else if (list[list.length - 1] !== word) list.push(word);
  }

  private pushPair(key: number, count: number): void {
    this.queue.push(count, Math.floor(key / this.keyBase), key % this.keyBase);
  }

  private pairKey(left: number, right: number): number {
    return left * this.keyBase + right;
  }
}
