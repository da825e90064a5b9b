// Domain adaptation by continued pre-training: strata.tiny-base-v1 read only speeches before 1900 (and
// Moby-Dick); here it reads State of the Union addresses of 1900–1999 ({"input"} records) and is measured on the
// addresses from 2000 on, which it never trains on. The held-out perplexity before training is the job's first
// validation row (Strata's addition: step_number −1, the base model's loss), after training its last one.
// Then the tuned model (trainingMethod=full: a merged GGUF) is exported, imported and continues a sentence
// next to the base model, through InvokeModel.
//
//   npx tsx examples/continued-pretraining-on-sotu.ts [--quick]
import { stateOfTheUnionSpeeches } from "../src/model-files/tokenizer/corpus-texts.js";
import {
  complete,
  customize,
  importCustomModel,
  jsonl,
  quick,
  startExampleStrata,
  upload,
} from "./support/example-kit.js";

const baseModel = "strata.tiny-base-v1";
const size = quick
  ? { training: 48, validation: 12, epochs: "1", batch: "4" }
  : { training: 720, validation: 60, epochs: "1", batch: "8" };

/** A speech as passages of whole sentences, at most `words` words each (the model's context is 512 tokens). */
function passages(text: string, words = 120): string[] {
  const result: string[] = [];
  let current: string[] = [];
  let count = 0;
  for (const sentence of text
    .replace(/\s+/g, " ")
    .trim()
    .split(/(?<=[.!?])\s+(?=[A-Z])/)) {
    const length = sentence.split(" ").length;
    if (count > 0 && count + length > words) {
      result.push(current.join(" "));
      current = [];
      count = 0;
    }
    if (length > words) continue; // a run-on "sentence" (a table, a list) would not fit
    current.push(sentence);
    count += length;
  }
  if (count > 0) result.push(current.join(" "));
  return result;
}

/** `count` passages spread evenly over all of them (every speech contributes), always the same ones. */
function evenly<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)] as T);
}

const twentiethCentury = stateOfTheUnionSpeeches({ from: 1900, to: 1999 });
const recent = stateOfTheUnionSpeeches({ from: 2000 });
const training = evenly(
  twentiethCentury.flatMap((speech) => passages(speech.text)),
  size.training,
);
const validation = evenly(
  recent.flatMap((speech) => passages(speech.text)),
  size.validation,
);
console.log(
  `training: ${training.length} passages of ${twentiethCentury.length} addresses ${twentiethCentury[0]?.year}–${twentiethCentury.at(-1)?.year}; ` +
    `held out: ${validation.length} passages of ${recent.length} addresses ${recent[0]?.year}–${recent.at(-1)?.year}`,
);

const strata = await startExampleStrata();
try {
  const trainingUri = await upload(
    strata,
    "examples/sotu-1900s/train.jsonl",
    jsonl(training.map((input) => ({ input }))),
  );
  const validationUri = await upload(
    strata,
    "examples/sotu-1900s/validation.jsonl",
    jsonl(validation.map((input) => ({ input }))),
  );
  const run = await customize(strata, {
    jobName: `sotu-1900s-${Date.now().toString(36)}`,
    customModelName: "tiny-base-sotu-1900s",
    baseModelIdentifier: baseModel,
    customizationType: "CONTINUED_PRE_TRAINING",
    trainingDataConfig: { s3Uri: trainingUri },
    validationDataConfig: { validators: [{ s3Uri: validationUri }] },
    hyperParameters: {
      trainingMethod: "full",
      epochCount: size.epochs,
      batchSize: size.batch,
      learningRate: "0.0005",
      learningRateWarmupSteps: "2",
      maxSequenceLength: "256",
    },
  });
  const before = run.validation[0];
  const after = run.validation.at(-1);
  if (!before || !after || before.step !== -1 || after.step < 0)
    throw new Error(
      `validation_metrics.csv lacks the rows before and after training: ${JSON.stringify(run.validation)}`,
    );
  console.log(`held-out perplexity before: ${before.perplexity.toFixed(2)} (loss ${before.loss.toFixed(4)})`);
  console.log(`held-out perplexity after: ${after.perplexity.toFixed(2)} (loss ${after.loss.toFixed(4)})`);
  console.log(
    `held-out perplexity change: ${(((after.perplexity - before.perplexity) / before.perplexity) * 100).toFixed(1)}% after ${after.step + 1} steps`,
  );

  const tuned = await importCustomModel(strata, run.job.outputModelArn ?? "", "tiny_base_sotu_1900s");
  // Words of the 20th century the base model never read in context: how each model continues them.
  for (const prompt of ["Our relations with the Soviet", "The Federal Government will spend"]) {
    console.log(`prompt: ${prompt}`);
    console.log(`  base:  ${(await complete(strata, baseModel, prompt, 16)).trim()}`);
    console.log(`  tuned: ${(await complete(strata, tuned, prompt, 16)).trim()}`);
  }
} finally {
  await strata.stop();
}
