// A prompt→completion task whose effect shows in every answer: given a sentence, answer with one line of JSON
// saying where it comes from, {"source":"moby-dick"} or {"source":"state-of-the-union"}. strata.tiny-base-v1
// read both books but only continues text; after fine-tuning on {"prompt","completion"} records it answers in
// the format, for sentences it never saw in training. Trained with trainingMethod=full (a merged GGUF),
// exported, imported, and called next to the base model through InvokeModel's text body ({"prompt"}: no chat
// template, as the records were trained).
//
//   npx tsx examples/answer-in-a-fixed-format.ts [--quick]
import { mobyDickTexts, stateOfTheUnionSpeeches } from "../src/model-files/tokenizer/corpus-texts.js";
import {
  complete,
  customize,
  importCustomModel,
  jsonl,
  quick,
  seededRandom,
  shuffled,
  startExampleStrata,
  upload,
} from "./support/example-kit.js";

const baseModel = "strata.tiny-base-v1";
const size = quick
  ? { training: 96, validation: 8, heldOut: 4, epochs: "2", batch: "4" }
  : { training: 600, validation: 24, heldOut: 20, epochs: "3", batch: "8" };

/** Plain sentences of 6–20 words, shuffled the same way every run. */
function sentencesOf(texts: Iterable<string>, seed: number): string[] {
  const sentences = [...texts]
    .flatMap((text) => text.replace(/\s+/g, " ").split(/(?<=[.!?])\s+/))
    .filter((sentence) => {
      const words = sentence.split(" ").length;
      return words >= 6 && words <= 20 && /^[A-Z][A-Za-z ,;'-]+[.!?]$/.test(sentence);
    });
  return shuffled(sentences, seededRandom(seed));
}
const sources = {
  "moby-dick": sentencesOf(mobyDickTexts(), 7),
  "state-of-the-union": sentencesOf(
    stateOfTheUnionSpeeches({ before: 1900 }).map((speech) => speech.text),
    8,
  ),
};
type Source = keyof typeof sources;
/** Alternating sources: `count` sentences from `offset` on, half from each. */
function take(offset: number, count: number): { sentence: string; source: Source }[] {
  return Array.from({ length: count }, (_, i) => {
    const source: Source = i % 2 === 0 ? "moby-dick" : "state-of-the-union";
    return { sentence: sources[source][offset + Math.floor(i / 2)] ?? "", source };
  });
}

const promptFor = (sentence: string) => `Sentence: ${sentence}\nJSON:`;
const record = ({ sentence, source }: { sentence: string; source: Source }) => ({
  prompt: promptFor(sentence),
  completion: ` ${JSON.stringify({ source })}`,
});

const training = take(0, size.training);
const validation = take(size.training / 2, size.validation);
const heldOut = take((size.training + size.validation) / 2, size.heldOut);
console.log(`example records: ${JSON.stringify(record(training[0] as (typeof training)[0]))}`);
console.log(`                 ${JSON.stringify(record(training[1] as (typeof training)[0]))}`);

/** Whether an answer begins like the format, is the format, and names the right source. */
function score(source: Source, answer: string): { begins: boolean; json: boolean; correct: boolean } {
  const begins = answer.trim().startsWith('{"source":');
  try {
    const parsed = JSON.parse(answer.trim().split("\n")[0] ?? "") as Record<string, unknown>;
    return { begins, json: typeof parsed.source === "string", correct: parsed.source === source };
  } catch {
    return { begins, json: false, correct: false };
  }
}

const strata = await startExampleStrata();
try {
  const run = await customize(strata, {
    jobName: `fixed-format-${Date.now().toString(36)}`,
    customModelName: "tiny-base-json-source",
    baseModelIdentifier: baseModel,
    customizationType: "FINE_TUNING",
    trainingDataConfig: {
      s3Uri: await upload(strata, "examples/fixed-format/train.jsonl", jsonl(training.map(record))),
    },
    validationDataConfig: {
      validators: [
        {
          s3Uri: await upload(
            strata,
            "examples/fixed-format/validation.jsonl",
            jsonl(validation.map(record)),
          ),
        },
      ],
    },
    hyperParameters: {
      trainingMethod: "full",
      epochCount: size.epochs,
      batchSize: size.batch,
      learningRate: "0.001",
      learningRateWarmupSteps: "2",
      maxSequenceLength: "128",
    },
  });
  const before = run.validation[0];
  const after = run.validation.at(-1);
  console.log(
    `validation loss on the completions: before ${before?.loss.toFixed(4)}, after ${after?.loss.toFixed(4)}`,
  );
  const tuned = await importCustomModel(strata, run.job.outputModelArn ?? "", "tiny_base_json_source");

  const totals = { base: { begins: 0, json: 0, correct: 0 }, tuned: { begins: 0, json: 0, correct: 0 } };
  for (const [index, { sentence, source }] of heldOut.entries()) {
    const answers = {
      base: await complete(strata, baseModel, promptFor(sentence), 24),
      tuned: await complete(strata, tuned, promptFor(sentence), 24),
    };
    for (const model of ["base", "tuned"] as const) {
      const { begins, json, correct } = score(source, answers[model]);
      totals[model].begins += begins ? 1 : 0;
      totals[model].json += json ? 1 : 0;
      totals[model].correct += correct ? 1 : 0;
    }
    if (index < 4) {
      console.log(`held-out sentence (${source}): ${sentence}`);
      console.log(`  base:  ${answers.base.trim().replaceAll("\n", " ⏎ ")}`);
      console.log(`  tuned: ${answers.tuned.trim().replaceAll("\n", " ⏎ ")}`);
    }
  }
  for (const model of ["base", "tuned"] as const)
    console.log(
      `${model}: ${totals[model].begins}/${heldOut.length} answers begin like the format, ${totals[model].json}/${heldOut.length} are the JSON format, ${totals[model].correct}/${heldOut.length} name the right source`,
    );
} finally {
  await strata.stop();
}
