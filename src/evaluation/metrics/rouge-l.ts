// ROUGE-L (Lin 2004, §3.1): the longest common subsequence of the prediction and the reference, as precision
// (LCS / prediction tokens), recall (LCS / reference tokens) and their F-measure with β = 1 — what Google's
// `rouge-score` package reports as rougeL (no stemming, its default). Tokens as rouge-score makes them: lower
// case, every run of characters that are not letters or digits is a separator. rouge-score keeps only ASCII
// letters and digits; here any Unicode letter or digit counts, so non-English answers are not scored as empty
// (for ASCII text the two tokenisers agree).

export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

export function rougeTokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token !== "");
}

/** Length of the longest common subsequence, in O(n·m) time and O(m) memory. */
export function longestCommonSubsequence(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  let current = new Array<number>(b.length + 1).fill(0);
  for (const tokenA of a) {
    for (let j = 1; j <= b.length; j++) {
      current[j] =
        tokenA === b[j - 1]
          ? (previous[j - 1] as number) + 1
          : Math.max(previous[j] as number, current[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

export function rougeL(prediction: string, reference: string): RougeScore {
  const predicted = rougeTokens(prediction);
  const expected = rougeTokens(reference);
  if (predicted.length === 0 || expected.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const lcs = longestCommonSubsequence(expected, predicted);
  const precision = lcs / predicted.length;
  const recall = lcs / expected.length;
  const fmeasure = lcs === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, fmeasure };
}
