// Encodes and decodes text with a byte-level BPE vocabulary, giving the same token ids as llama.cpp does for
// a GGUF carrying that vocabulary (tokenizer.ggml.model = "gpt2", tokenizer.ggml.pre = "gpt-2"). Each step
// follows llama.cpp's llm_tokenizer_bpe_session so that ids agree even on unusual vocabularies: special tokens
// are cut out first, words come from the pre-tokenizer, merges are applied lowest rank first (leftmost on
// ties), and a final symbol missing from the vocabulary falls back to single-byte tokens.

import type { BpeVocabulary } from "./bpe-vocabulary.js";
import { TokenType } from "./bpe-vocabulary.js";
import { bytesToUnicodeString, unicodeToByte } from "./byte-to-unicode.js";
import { preTokenize, preTokenizerName } from "./pre-tokenize.js";
import type { SpecialTokenText } from "./split-special-tokens.js";
import { orderSpecialTokensForSplitting, splitSpecialTokens } from "./split-special-tokens.js";
import { SymbolPairQueue } from "./symbol-pair-queue.js";

export interface EncodeOptions {
  /** Put the vocabulary's BOS token first. Default false, like node-llama-cpp's model.tokenize. */
  addBos?: boolean;
  /** Turn control-token text (e.g. "<|eot_id|>") into the control token. Default false. */
  parseSpecialTokens?: boolean;
}

export interface DecodeOptions {
  /** Leave control tokens out of the text instead of writing their text. Default false. */
  skipSpecialTokens?: boolean;
}

/** Words are cached so that repeated words skip the merge loop; past this many the cache starts over. */
const maximumCachedWords = 200_000;

const encoder = new TextEncoder();

export class BpeTokenizer {
  readonly vocabulary: BpeVocabulary;
  private readonly tokenIdByText = new Map<string, number>();
  private readonly mergeRank = new Map<string, number>();
  /** Control, user-defined and unknown tokens: cut out of text when special tokens are parsed. */
  private readonly allSpecialTokens: SpecialTokenText[];
  /** User-defined tokens only: llama.cpp cuts these out even when special tokens are not parsed. */
  private readonly userDefinedTokens: SpecialTokenText[];
  private readonly wordCache = new Map<string, number[]>();

  constructor(vocabulary: BpeVocabulary) {
    if (vocabulary.preTokenizer !== preTokenizerName) {
      throw new Error(
        `BpeTokenizer implements the "${preTokenizerName}" pre-tokenizer, not "${vocabulary.preTokenizer}"`,
      );
    }
    this.vocabulary = vocabulary;
    // llama.cpp builds token_to_id in id order, so when two tokens share a text the later id wins.
    vocabulary.tokens.forEach((text, id) => {
      this.tokenIdByText.set(text, id);
    });
    // llama.cpp keeps the first rank of a repeated merge (bpe_ranks.emplace does not overwrite).
    vocabulary.merges.forEach((merge, rank) => {
      const key = mergeKey(merge);
      if (!this.mergeRank.has(key)) this.mergeRank.set(key, rank);
    });
    const special: SpecialTokenText[] = [];
    const userDefined: SpecialTokenText[] = [];
    vocabulary.tokenTypes.forEach((type, id) => {
      const text = vocabulary.tokens[id] ?? "";
      if (type === TokenType.control || type === TokenType.unknown || type === TokenType.userDefined) {
        special.push({ id, text });
      }
      if (type === TokenType.userDefined) userDefined.push({ id, text });
    });
    this.allSpecialTokens = orderSpecialTokensForSplitting(special);
    this.userDefinedTokens = orderSpecialTokensForSplitting(userDefined);
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    if (options.addBos) ids.push(this.vocabulary.bosTokenId);
    const specialTokens = options.parseSpecialTokens ? this.allSpecialTokens : this.userDefinedTokens;
    for (const fragment of splitSpecialTokens(text, specialTokens)) {
      if (fragment.kind === "special") {
        ids.push(fragment.id);
        continue;
      }
      for (const word of preTokenize(fragment.text)) {
        for (const id of this.encodeWord(word)) ids.push(id);
      }
    }
    return ids;
  }

  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const bytes = new ByteBuffer();
    for (const id of ids) {
      const text = this.vocabulary.tokens[id];
      if (text === undefined) throw new RangeError(`token id ${id} is not in the vocabulary`);
      const type = this.vocabulary.tokenTypes[id];
      if (type === TokenType.control || type === TokenType.userDefined || type === TokenType.unknown) {
        // Special tokens are stored verbatim, not in the byte alphabet.
        if (type === TokenType.userDefined || !options.skipSpecialTokens) bytes.append(encoder.encode(text));
        continue;
      }
      for (const character of text) {
        const byte = unicodeToByte.get(character);
        if (byte === undefined) bytes.append(encoder.encode(character));
        else bytes.push(byte);
      }
    }
    // Decoding all bytes at once joins multi-byte characters that merges split across tokens.
    return new TextDecoder("utf-8").decode(bytes.view());
  }

  private encodeWord(word: string): number[] {
    const cached = this.wordCache.get(word);
    if (cached !== undefined) return cached;
    const ids: number[] = [];
    for (const symbol of this.mergeWord(bytesToUnicodeString(encoder.encode(word)))) {
      const id = this.tokenIdByText.get(symbol);
      if (id !== undefined) {
        ids.push(id);
        continue;
      }
      // llama.cpp's fallback looks up each UTF-8 byte of the symbol as a one-byte token text; only ASCII
      // bytes can match a stored token, so the rest are dropped, exactly as llama.cpp drops them.
      for (const byte of encoder.encode(symbol)) {
        const byteId = byte < 0x80 ? this.tokenIdByText.get(String.fromCharCode(byte)) : undefined;
        if (byteId !== undefined) ids.push(byteId);
      }
    }
    if (this.wordCache.size >= maximumCachedWords) this.wordCache.clear();
    this.wordCache.set(word, ids);
    return ids;
  }

  /** Applies merges to one byte-encoded word; returns the final symbols in order. */
  private mergeWord(encodedWord: string): string[] {
    const symbols = Array.from(encodedWord);
    if (symbols.length < 2) return symbols;
    // A doubly linked list over the symbols: merging keeps the left symbol and empties the right one.
    const previous = symbols.map((_, index) => index - 1);
    const next = symbols.map((_, index) => (index + 1 < symbols.length ? index + 1 : -1));
    const queue = new SymbolPairQueue();
    const addPair = (left: number, right: number): void => {
      if (left < 0 || right < 0) return;
      const leftText = symbols[left] ?? "";
      const rightText = symbols[right] ?? "";
      const rank = this.mergeRank.get(`${leftText} ${rightText}`);
      if (rank !== undefined) queue.push(rank, left, right, leftText + rightText);
    };
    for (let index = 1; index < symbols.length; index++) addPair(index - 1, index);

    for (let pair = queue.pop(); pair !== undefined; pair = queue.pop()) {
      const leftText = symbols[pair.left] ?? "";
      const rightText = symbols[pair.right] ?? "";
      // A pair is stale once either side was merged into something else (same test as llama.cpp).
      if (leftText === "" || rightText === "" || leftText + rightText !== pair.text) continue;
      symbols[pair.left] = pair.text;
      symbols[pair.right] = "";
      const after = next[pair.right] ?? -1;
      next[pair.left] = after;
      if (after >= 0) previous[after] = pair.left;
      addPair(previous[pair.left] ?? -1, pair.left);
      addPair(pair.left, after);
    }
    return symbols.filter((symbol) => symbol !== "");
  }
}

/** "left right" as llama.cpp splits it: at the first space after the first character. */
function mergeKey(merge: string): string {
  const space = merge.indexOf(" ", 1);
  return space === -1 ? " " : `${merge.slice(0, space)} ${merge.slice(space + 1)}`;
}

/** A growable byte array for decode. */
class ByteBuffer {
  private bytes = new Uint8Array(256);
  private length = 0;

  push(byte: number): void {
    this.reserve(1);
    this.bytes[this.length++] = byte;
  }

  append(chunk: Uint8Array): void {
    this.reserve(chunk.length);
    this.bytes.set(chunk, this.length);
    this.length += chunk.length;
  }

  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}
