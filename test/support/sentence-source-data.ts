// The task of examples/answer-in-a-fixed-format.ts, as test data: given a sentence, answer with one line of
// JSON naming the book it comes from, {"source":"moby-dick"} or {"source":"state-of-the-union"}.
// strata.tiny-base-v1 read both books but only continues text; a few steps of fine-tuning teach it the format.
// Sentences are drawn the same way every run (seeded), and the training, validation and held-out sets share
// none.
import { mobyDickTexts, stateOfTheUnionSpeeches } from "../../src/model-files/tokenizer/corpus-texts.js";

export type Source = "moby-dick" | "state-of-the-union";

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Plain sentences of 6–20 words, shuffled the same way every run. */
function sentencesOf(texts: Iterable<string>, seed: number): string[] {
  const sentences = [...texts]
    .flatMap((text) => text.replace(/\s+/g, " ").split(/(?<=[.!?])\s+/))
    .filter((sentence) => {
      const words = sentence.split(" ").length;
      return words >= 6 && words <= 20 && /^[A-Z][A-Za-z ,;'-]+[.!?]$/.test(sentence);
    });
  const random = seededRandom(seed);
  for (let i = sentences.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [sentences[i], sentences[j]] = [sentences[j] as string, sentences[i] as string];
  }
  return sentences;
}

let cached: Record<Source, string[]> | undefined;
function sources(): Record<Source, string[]> {
  cached ??= {
    "moby-dick": sentencesOf(mobyDickTexts(), 7),
    "state-of-the-union": sentencesOf(
      stateOfTheUnionSpeeches({ before: 1900 }).map((speech) => speech.text),
      8,
    ),
  };
  return cached;
}

/** `count` sentences from `offset` on, alternating the two books. */
export function sentences(offset: number, count: number): { sentence: string; source: Source }[] {
  return Array.from({ length: count }, (_, i) => {
    const source: Source = i % 2 === 0 ? "moby-dick" : "state-of-the-union";
    return { sentence: sources()[source][offset + Math.floor(i / 2)] ?? "", source };
  });
}

export const promptFor = (sentence: string) => `Sentence: ${sentence}\nJSON:`;
export const answerFor = (source: Source) => JSON.stringify({ source });
