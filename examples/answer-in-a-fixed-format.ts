// A prompt→completion task whose effect shows in every answer: given a sentence, answer with one line of JSON
// naming its first and last word. strata.tiny-base-v1 only continues text; after fine-tuning on
// {"prompt","completion"} records it answers in the format, for sentences it never saw. Trained with
// trainingMethod=full (a merged GGUF), exported, imported, and called next to the base model through
// InvokeModel's text body ({"prompt"}: no chat template, as the records were trained).
//
//   npx tsx examples/answer-in-a-fixed-format.ts [--quick]
import { mobyDickTexts } from "../src/model-files/tokenizer/corpus-texts.js";
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
  : { training: 600, validation: 24, heldOut: 12, epochs: "3", batch: "8" };

const sentences = shuffled(
  [...mobyDickTexts()]
    .flatMap((chapter) => chapter.replace(/\s+/g, " ").split(/(?<=[.!?])\s+/))
    .filter((sentence) => {
      const words = sentence.split(" ").length;
      return words >= 6 && words <= 20 && /^[A-Z][A-Za-z ,;'-]+[.!?]$/.test(sentence);
    }),
  seededRandom(7),
);

const promptFor = (sentence: string) => `Sentence: ${sentence}\nJSON:`;
function answerFor(sentence: string): { first_word: string; last_word: string } {
  const words = sentence
    .replace(/[^A-Za-z' -]/g, "")
    .split(" ")
    .filter(Boolean);
  return { first_word: words[0] ?? "", last_word: words.at(-1) ?? "" };
}
const record = (sentence: string) => ({
  prompt: promptFor(sentence),
  completion: ` ${JSON.stringify(answerFor(sentence))}`,
});

const training = sentences.slice(0, size.training);
const validation = sentences.slice(size.training, size.training + size.validation);
const heldOut = sentences.slice(
  size.training + size.validation,
  size.training + size.validation + size.heldOut,
);
console.log(`example record: ${JSON.stringify(record(training[0] ?? ""))}`);

/** Whether an answer begins like the format, is the format, and has the right words. */
function score(sentence: string, answer: string): { begins: boolean; json: boolean; correct: boolean } {
  const begins = answer.trim().startsWith('{"first_word":');
  try {
    const parsed = JSON.parse(answer.trim().split("\n")[0] ?? "") as Record<string, unknown>;
    const expected = answerFor(sentence);
    return {
      begins,
      json: typeof parsed.first_word === "string" && typeof parsed.last_word === "string",
      correct: parsed.first_word === expected.first_word && parsed.last_word === expected.last_word,
    };
  } catch {
    return { begins, json: false, correct: false };
  }
}

const strata = await startExampleStrata();
try {
  const run = await customize(strata, {
    jobName: `fixed-format-${Date.now().toString(36)}`,
    customModelName: "tiny-base-json-answers",
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
  const tuned = await importCustomModel(strata, run.job.outputModelArn ?? "", "tiny_base_json_answers");

  const totals = { base: { begins: 0, json: 0, correct: 0 }, tuned: { begins: 0, json: 0, correct: 0 } };
  for (const [index, sentence] of heldOut.entries()) {
    const answers = {
      base: await complete(strata, baseModel, promptFor(sentence), 24),
      tuned: await complete(strata, tuned, promptFor(sentence), 24),
    };
    for (const model of ["base", "tuned"] as const) {
      const { begins, json, correct } = score(sentence, answers[model]);
      totals[model].begins += begins ? 1 : 0;
      totals[model].json += json ? 1 : 0;
      totals[model].correct += correct ? 1 : 0;
    }
    if (index < 3) {
      console.log(`held-out sentence: ${sentence}`);
      console.log(`  base:  ${answers.base.trim().replaceAll("\n", " ⏎ ")}`);
      console.log(`  tuned: ${answers.tuned.trim().replaceAll("\n", " ⏎ ")}`);
    }
  }
  for (const model of ["base", "tuned"] as const)
    console.log(
      `${model}: ${totals[model].begins}/${heldOut.length} answers begin like the format, ${totals[model].json}/${heldOut.length} are the JSON format, ${totals[model].correct}/${heldOut.length} with both words right`,
    );
} finally {
  await strata.stop();
}
