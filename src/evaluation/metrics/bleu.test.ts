// Reference values: sacrebleu's README example (BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944
// hyp_len = 17 ref_len = 18)) and the worked examples of Papineni et al. 2002, §2.1 (modified unigram
// precisions 17/18 and 8/14, bigram 10/17 and 1/13, and 2/7 for "the the the the the the the").
import { describe, expect, it } from "vitest";
import { corpusBleu, modifiedPrecisionCounts, tokenize13a } from "./bleu.js";

describe("corpus BLEU", () => {
  it("reproduces sacrebleu's README example to the printed digits", () => {
    const hypotheses = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];
    const references = [
      ["The dog bit the man.", "The dog had bit the man."],
      ["It was not unexpected.", "No one was surprised."],
      ["The man bit him first.", "The man had bitten the dog."],
    ];
    const bleu = corpusBleu(hypotheses, references);
    expect((bleu.score * 100).toFixed(2)).toBe("48.53");
    expect(bleu.precisions.map((precision) => (precision * 100).toFixed(1))).toEqual([
      "82.4",
      "50.0",
      "45.5",
      "37.5",
    ]);
    expect(bleu.brevityPenalty.toFixed(3)).toBe("0.943");
    expect([bleu.hypothesisLength, bleu.referenceLength]).toEqual([17, 18]);
  });

  it("is 1 for a perfect corpus and 0 with no unigram in common", () => {
    expect(corpusBleu(["a b c d e"], [["a b c d e"]]).score).toBe(1);
    expect(corpusBleu(["v w x y z"], [["a b c d e"]]).score).toBe(0);
    expect(corpusBleu([], []).score).toBe(0);
  });

  it("smooths an order without matches as sacrebleu's exp method does, or gives 0 without smoothing", () => {
    // 4 tokens, 3 unigram matches, 1 bigram match, no trigram or 4-gram match.
    const exp = corpusBleu(["a b x c"], [["a b y c"]]);
    expect(exp.precisions).toEqual([3 / 4, 1 / 3, 1 / (2 * 2), 1 / (4 * 1)]);
    expect(exp.score).toBeCloseTo(
      Math.exp((Math.log(3 / 4) + Math.log(1 / 3) + Math.log(1 / 4) + Math.log(1 / 4)) / 4),
      12,
    );
    expect(corpusBleu(["a b x c"], [["a b y c"]], "none").score).toBe(0);
  });

  it("penalises a hypothesis shorter than its closest reference: exp(1 − r/c)", () => {
    const bleu = corpusBleu(["a b c d"], [["a b c d e f g h"]]);
    expect(bleu.brevityPenalty).toBeCloseTo(Math.exp(1 - 8 / 4), 12);
    // The closest reference length, the shorter one on a tie (5 and 3 are both 1 away from 4).
    expect(corpusBleu(["a b c d"], [["a b c d e", "a b c"]]).referenceLength).toBe(3);
  });
});

describe("Papineni et al. 2002's modified n-gram precision", () => {
  const words = (text: string) => text.toLowerCase().replace(/\./g, "").split(/\s+/);
  const references = [
    "It is a guide to action that ensures that the military will forever heed Party commands.",
    "It is the guiding principle which guarantees the military forces always being under the command of the Party.",
    "It is the practical guide for the army always to heed the directions of the party.",
  ].map(words);
  const candidate1 = words(
    "It is a guide to action which ensures that the military always obeys the commands of the party.",
  );
  const candidate2 = words(
    "It is to insure the troops forever hearing the activity guidebook that party direct.",
  );

  it("matches the paper's unigram and bigram figures", () => {
    expect(modifiedPrecisionCounts(candidate1, references, 1)).toEqual({ matches: 17, total: 18 });
    expect(modifiedPrecisionCounts(candidate2, references, 1)).toEqual({ matches: 8, total: 14 });
    expect(modifiedPrecisionCounts(candidate1, references, 2)).toEqual({ matches: 10, total: 17 });
    expect(modifiedPrecisionCounts(candidate2, references, 2)).toEqual({ matches: 1, total: 13 });
  });

  it("clips a repeated word by its count in any one reference: 2/7", () => {
    const clipped = modifiedPrecisionCounts(
      words("the the the the the the the"),
      [words("The cat is on the mat."), words("There is a cat on the mat.")],
      1,
    );
    expect(clipped).toEqual({ matches: 2, total: 7 });
  });
});

describe("the mteval-v13a tokenizer", () => {
  it("splits punctuation but keeps apostrophes, decimals and hyphens inside words", () => {
    expect(tokenize13a('Hello, world! It\'s 3.14 and well-known (x) "q".')).toEqual([
      "Hello",
      ",",
      "world",
      "!",
      "It's",
      "3.14",
      "and",
      "well-known",
      "(",
      "x",
      ")",
      '"',
      "q",
      '"',
      ".",
    ]);
    expect(tokenize13a("5-3")).toEqual(["5", "-", "3"]);
  });
});
