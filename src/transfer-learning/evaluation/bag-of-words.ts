// The classical baseline: a bag of words. Lower-cased runs of letters and digits; the vocabulary is the words
// in at least two training texts (the most widespread first, at most maxWords, ties in alphabetical order so it
// is the same on every run); a text becomes log(1 + count) per word, scaled to unit length, as a sparse row for
// the same multinomial logistic regression the transfer-learning head uses.
import type { FeatureRow } from "../classifier/feature-row.js";

export interface BagOfWordsVocabulary {
  words: Map<string, number>;
}

export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function buildVocabulary(
  texts: readonly string[],
  maxWords = 20_000,
  minDocuments = 2,
): BagOfWordsVocabulary {
  const documentFrequency = new Map<string, number>();
  for (const text of texts)
    for (const word of new Set(wordsOf(text)))
      documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
  const kept = [...documentFrequency.entries()]
    .filter(([, count]) => count >= minDocuments)
    .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, maxWords);
  return { words: new Map(kept.map(([word], index) => [word, index])) };
}

export function bagOfWordsRow(text: string, vocabulary: BagOfWordsVocabulary): FeatureRow {
  const counts = new Map<number, number>();
  for (const word of wordsOf(text)) {
    const index = vocabulary.words.get(word);
    if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  const entries = [...counts.entries()].sort(([a], [b]) => a - b);
  const values = Float64Array.from(entries, ([, count]) => Math.log1p(count));
  const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));
  if (norm > 0) for (let j = 0; j < values.length; j++) values[j] = (values[j] ?? 0) / norm;
  return { indices: Int32Array.from(entries, ([index]) => index), values };
}
