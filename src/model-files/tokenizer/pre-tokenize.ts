// The pre-tokenizer: how text is cut into words before byte-level BPE runs inside each word. It must match
// llama.cpp exactly, or a model built from our vocabulary would see different token ids than we trained on.
//
// We use llama.cpp's "gpt-2" pre-tokenizer (tokenizer.ggml.pre = "gpt-2", LLAMA_VOCAB_PRE_TYPE_GPT2). Its
// regex is GPT-2's own:
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// llama.cpp does not run that through std::regex: unicode.cpp recognises it and runs a hand-written scanner
// over code points, whose character classes come from llama.cpp's own Unicode tables. Two facts about those
// tables change what the JavaScript regex must say:
//  - "\s" is llama.cpp's whitespace set (below), not JavaScript's: it includes U+0085 and leaves out U+FEFF.
//  - The tables are Unicode 15.1. Code points that became letters or numbers in Unicode 16.0 and 17.0 are
//    unassigned there, which the scanner treats like punctuation. Node's ICU may know them as letters, so
//    they are taken out of the letter and number classes and put into the "other" class explicitly.
// Everything else (contractions are lowercase-only, one optional leading space, a run of whitespace leaves
// its last character to the next word) is the regex as written, which the scanner reproduces.

/** tokenizer.ggml.pre value that selects this pre-tokenizer in llama.cpp. */
export const preTokenizerName = "gpt-2";

const whitespace = "\\t\\n\\v\\f\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";

/** Code points that are letters in Unicode 17.0 but were unassigned in Unicode 15.1 (additions of 16.0/17.0). */
const lettersNewerThanUnicode151 = [
  "\\u088F",
  "\\u0C5C",
  "\\u0CDC",
  "\\u1C89-\\u1C8A",
  "\\uA7CB-\\uA7CF",
  "\\uA7D2",
  "\\uA7D4",
  "\\uA7DA-\\uA7DC",
  "\\uA7F1",
  "\\u{105C0}-\\u{105F3}",
  "\\u{10940}-\\u{10959}",
  "\\u{10D4A}-\\u{10D65}",
  "\\u{10D6F}-\\u{10D85}",
  "\\u{10EC2}-\\u{10EC7}",
  "\\u{11380}-\\u{11389}",
  "\\u{1138B}",
  "\\u{1138E}",
  "\\u{11390}-\\u{113B5}",
  "\\u{113B7}",
  "\\u{113D1}",
  "\\u{113D3}",
  "\\u{11BC0}-\\u{11BE0}",
  "\\u{11DB0}-\\u{11DDB}",
  "\\u{13460}-\\u{143FA}",
  "\\u{16100}-\\u{1611D}",
  "\\u{16D40}-\\u{16D6C}",
  "\\u{16EA0}-\\u{16EB8}",
  "\\u{16EBB}-\\u{16ED3}",
  "\\u{16FF2}-\\u{16FF3}",
  "\\u{187F8}-\\u{187FF}",
  "\\u{18CFF}",
  "\\u{18D09}-\\u{18D1E}",
  "\\u{18D80}-\\u{18DF2}",
  "\\u{1E5D0}-\\u{1E5ED}",
  "\\u{1E5F0}",
  "\\u{1E6C0}-\\u{1E6DE}",
  "\\u{1E6E0}-\\u{1E6E2}",
  "\\u{1E6E4}-\\u{1E6E5}",
  "\\u{1E6E7}-\\u{1E6ED}",
  "\\u{1E6F0}-\\u{1E6F4}",
  "\\u{1E6FE}-\\u{1E6FF}",
  "\\u{2B73A}-\\u{2B73F}",
  "\\u{2CEA2}-\\u{2CEAD}",
  "\\u{323B0}-\\u{33479}",
].join("");

/** Code points that are numbers in Unicode 17.0 but were unassigned in Unicode 15.1. */
const numbersNewerThanUnicode151 = [
  "\\u{10D40}-\\u{10D49}",
  "\\u{116D0}-\\u{116E3}",
  "\\u{11BF0}-\\u{11BF9}",
  "\\u{11DE0}-\\u{11DE9}",
  "\\u{16130}-\\u{16139}",
  "\\u{16D70}-\\u{16D79}",
  "\\u{16FF4}-\\u{16FF6}",
  "\\u{1CCF0}-\\u{1CCF9}",
  "\\u{1E5F1}-\\u{1E5FA}",
].join("");

// "[^\P{L}X]" is "a letter that is not in X": the u flag has no set subtraction, but a negated class of the
// complement does the same.
const letter = `[^\\P{L}${lettersNewerThanUnicode151}]`;
const number = `[^\\P{N}${numbersNewerThanUnicode151}]`;
const other = `(?:[^${whitespace}\\p{L}\\p{N}]|[${lettersNewerThanUnicode151}${numbersNewerThanUnicode151}])`;

/** The pre-tokenizer regex source (use with the "gu" flags). */
export const preTokenizerPattern = [
  "'s|'t|'re|'ve|'m|'ll|'d",
  ` ?${letter}+`,
  ` ?${number}+`,
  ` ?${other}+`,
  `[${whitespace}]+(?![^${whitespace}])`,
  `[${whitespace}]+`,
].join("|");

/** A fresh global regex (a shared one would carry lastIndex between callers). */
export function createPreTokenizerRegex(): RegExp {
  return new RegExp(preTokenizerPattern, "gu");
}

const sharedRegex = createPreTokenizerRegex();

/**
 * Splits text into pre-tokenized words exactly as llama.cpp's "gpt-2" pre-tokenizer does. The words cover
 * the text with no gaps, so joining them gives the text back.
 */
export function preTokenize(text: string): string[] {
  const words: string[] = [];
  sharedRegex.lastIndex = 0;
  for (let match = sharedRegex.exec(text); match !== null; match = sharedRegex.exec(text)) {
    words.push(match[0]);
  }
  return words;
}
