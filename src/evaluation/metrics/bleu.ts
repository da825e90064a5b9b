// Corpus BLEU (Papineni et al. 2002) as sacrebleu computes it by default: text tokenised with the mteval-v13a
// rules, case kept, n-grams up to 4, each n-gram's count clipped by its largest count in any one reference,
// the precisions summed over the whole corpus before dividing (not averaged per sentence), the brevity penalty
// exp(1 − r/c) from the reference length closest to each hypothesis (the shorter on a tie), and sacrebleu's
// default "exp" smoothing for orders without a single match (none: Papineni's original, where one such order
// makes the score 0). Scores are in 0–1; sacrebleu prints them ×100.

export type BleuSmoothing = "exp" | "none";

export interface BleuScore {
  score: number;
  /** Modified n-gram precisions, 1- to 4-grams (after smoothing). */
  precisions: number[];
  brevityPenalty: number;
  hypothesisLength: number;
  referenceLength: number;
}

const maxOrder = 4;

/** sacrebleu's Tokenizer13a: mteval-v13a's punctuation splitting. */
export function tokenize13a(text: string): string[] {
  let line = ` ${text.replaceAll("<skipped>", "").replaceAll("-\n", "").replaceAll("\n", " ")} `;
  if (line.includes("&"))
    line = line
      .replaceAll("&quot;", '"')
      .replaceAll("&amp;", "&")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">");
  line = line
    // Python's class [\{-\~\[-\` -\&\(-\+\:-\@\/], as code points: { | } ~, [ \ ] ^ _ `, space ! " # $ % &,
    // ( ) * +, : ; < = > ? @ and /. The apostrophe and the hyphen are not in it ("wasn't" stays one token).
    .replace(/([\x7b-\x7e\x5b-\x60\x20-\x26\x28-\x2b\x3a-\x40\x2f])/g, " $1 ")
    // Period and comma unless preceded, then unless followed, by a digit; a dash after a digit.
    .replace(/([^0-9])([.,])/g, "$1 $2 ")
    .replace(/([.,])([^0-9])/g, " $1 $2")
    .replace(/([0-9])(-)/g, "$1 $2 ");
  return line.split(/\s+/).filter((token) => token !== "");
}

function ngramCounts(tokens: readonly string[], order: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + order <= tokens.length; i++) {
    const key = tokens.slice(i, i + order).join(" ");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Clipped matches and candidate n-grams of one order (Papineni's modified precision, numerator/denominator). */
export function modifiedPrecisionCounts(
  hypothesis: readonly string[],
  references: readonly (readonly string[])[],
  order: number,
): { matches: number; total: number } {
  const counts = ngramCounts(hypothesis, order);
  const maxReferenceCounts = new Map<string, number>();
  for (const reference of references)
    for (const [ngram, count] of ngramCounts(reference, order))
      maxReferenceCounts.set(ngram, Math.max(maxReferenceCounts.get(ngram) ?? 0, count));
  let matches = 0;
  for (const [ngram, count] of counts) matches += Math.min(count, maxReferenceCounts.get(ngram) ?? 0);
  return { matches, total: Math.max(0, hypothesis.length - order + 1) };
}

/** The reference length closest to the hypothesis length; the shorter one on a tie. */
function closestReferenceLength(
  hypothesisLength: number,
  references: readonly (readonly string[])[],
): number {
  let best = Number.POSITIVE_INFINITY;
  for (const { length } of references) {
    const distance = Math.abs(length - hypothesisLength);
    const bestDistance = Math.abs(best - hypothesisLength);
    if (distance < bestDistance || (distance === bestDistance && length < best)) best = length;
  }
  return Number.isFinite(best) ? best : 0;
}

/**
 * `references[i]` holds every reference of hypothesis i (one or more). Empty corpus or no matching unigram:
 * score 0, as in sacrebleu.
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  smoothing: BleuSmoothing = "exp",
): BleuScore {
  const matches = new Array<number>(maxOrder).fill(0);
  const totals = new Array<number>(maxOrder).fill(0);
  let hypothesisLength = 0;
  let referenceLength = 0;
  for (const [index, hypothesisText] of hypotheses.entries()) {
    const hypothesis = tokenize13a(hypothesisText);
    const referenceTokens = (references[index] ?? []).map(tokenize13a);
    hypothesisLength += hypothesis.length;
    referenceLength += closestReferenceLength(hypothesis.length, referenceTokens);
    for (let order = 1; order <= maxOrder; order++) {
      const counts = modifiedPrecisionCounts(hypothesis, referenceTokens, order);
      matches[order - 1] = (matches[order - 1] as number) + counts.matches;
      totals[order - 1] = (totals[order - 1] as number) + counts.total;
    }
  }
  const precisions = new Array<number>(maxOrder).fill(0);
  let smoothingFactor = 1;
  for (let order = 0; order < maxOrder; order++) {
    const total = totals[order] as number;
    const matched = matches[order] as number;
    if (total === 0) break;
    if (matched > 0) precisions[order] = matched / total;
    else if (smoothing === "exp") {
      smoothingFactor *= 2;
      precisions[order] = 1 / (smoothingFactor * total);
    }
  }
  const brevityPenalty =
    hypothesisLength === 0
      ? 0
      : hypothesisLength < referenceLength
        ? Math.exp(1 - referenceLength / hypothesisLength)
        : 1;
  const zero = (matches[0] as number) === 0 || precisions.some((precision) => precision === 0);
  const score = zero
    ? 0
    : brevityPenalty *
      Math.exp(precisions.reduce((sum, precision) => sum + Math.log(precision), 0) / maxOrder);
  return { score, precisions, brevityPenalty, hypothesisLength, referenceLength };
}
