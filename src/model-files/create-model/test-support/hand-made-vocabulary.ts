// A small but valid byte-level BPE vocabulary for tests, built by hand so they do not depend on the tokenizer
// trainer: the 256 byte tokens in GPT-2's byte-to-unicode alphabet, a handful of English merges and the
// control tokens of the default chat template.
import { type BpeVocabulary, TokenType } from "../../tokenizer/bpe-vocabulary.js";
import { beginOfTextToken, endOfTextToken, turnEndToken, turnStartToken } from "../default-chat-template.js";

/** GPT-2's reversible map from bytes to printable characters: printable Latin-1 bytes map to themselves. */
export function byteToUnicode(byte: number): string {
  const printable =
    (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
  if (printable) return String.fromCharCode(byte);
  let rank = 0;
  for (let other = 0; other < byte; other++) {
    const otherPrintable =
      (other >= 0x21 && other <= 0x7e) ||
      (other >= 0xa1 && other <= 0xac) ||
      (other >= 0xae && other <= 0xff);
    if (!otherPrintable) rank++;
  }
  return String.fromCharCode(256 + rank);
}

/** Merges in rank order; each produces a token that is added to the vocabulary. "Ġ" is the space byte. */
const handMadeMerges = [
  "Ġ t",
  "h e",
  "Ġt he",
  "Ġ a",
  "i n",
  "e r",
  "o n",
  "Ġ w",
  "l l",
  "Ġ h",
  "l o",
  "e l",
  "el lo",
  "h ello",
  "Ġh ello",
];

export function handMadeVocabulary(): BpeVocabulary {
  const tokens: string[] = [];
  const tokenTypes: number[] = [];
  const add = (token: string, type: number) => {
    if (tokens.includes(token)) return;
    tokens.push(token);
    tokenTypes.push(type);
  };
  for (let byte = 0; byte < 256; byte++) add(byteToUnicode(byte), TokenType.normal);
  const merges: string[] = [];
  for (const merge of handMadeMerges) {
    const [left, right] = merge.split(" ");
    // A merge is usable only when both halves are tokens; skipping the others keeps the list valid.
    if (left === undefined || right === undefined || !tokens.includes(left) || !tokens.includes(right))
      continue;
    merges.push(merge);
    add(left + right, TokenType.normal);
  }
  const bosTokenId = tokens.length;
  add(beginOfTextToken, TokenType.control);
  const eosTokenId = tokens.length;
  add(endOfTextToken, TokenType.control);
  add(turnStartToken, TokenType.control);
  add(turnEndToken, TokenType.control);
  return {
    tokens,
    tokenTypes,
    merges,
    bosTokenId,
    eosTokenId,
    preTokenizer: "llama-bpe",
    addBosToken: true,
  };
}
