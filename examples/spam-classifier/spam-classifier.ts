// Transfer learning on real data: a spam filter on the frozen strata.tiny-base-v1 (a 4.9M-parameter model that
// read only State of the Union addresses and Moby-Dick), trained and evaluated in one job on the SpamAssassin
// public corpus, then served through a provisioned throughput. One run prints the transfer-learning heads, both
// baselines measured on the same held-out mails (a bag-of-words logistic regression, and the base model's
// zero-shot label likelihood), their confusion matrices, and a few Classify answers.
//
// The split is fixed: the corpus's 6,046 messages in a seeded order (seed 20261129), then consecutive slices
// for training, validation (early stopping) and test (spam-assassin-emails.ts says what a record's text is).
//
//   npx tsx examples/spam-classifier/spam-classifier.ts [--quick]
import {
  CreateProvisionedModelThroughputCommand,
  GetModelCustomizationJobCommand,
  GetProvisionedModelThroughputCommand,
} from "@aws-sdk/client-bedrock";
import { pathLabel } from "../../src/cli/api-client.js";
import type {
  ClassifyResponse,
  CreateTransferLearningJobResponse,
  GetTransferLearningJobResponse,
} from "../../src/protocol/generated/strata-types.js";
import { formatEvaluation } from "../../src/transfer-learning/evaluation/format-evaluation.js";
import { bucket, quick, startExampleStrata, upload } from "../support/example-kit.js";
import { labeledJsonl, spamAssassinEmails, splitEmails } from "./spam-assassin-emails.js";

const seed = 20261129;
const size = quick
  ? { training: 64, validation: 16, test: 32, maxInputTokens: "64", epochCount: "60" }
  : { training: 2000, validation: 400, test: 1000, maxInputTokens: "256", epochCount: "200" };
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

const emails = spamAssassinEmails();
const split = splitEmails(emails, size, seed);
const count = (list: typeof emails, label: string) => list.filter((email) => email.label === label).length;
for (const [name, list] of Object.entries(split))
  console.log(`${name}: ${list.length} mails (${count(list, "spam")} spam, ${count(list, "ham")} ham)`);

const strata = await startExampleStrata();
try {
  const { jobArn } = await strata.api.call<CreateTransferLearningJobResponse>({
    method: "POST",
    path: "/strata/transfer-learning-jobs",
    body: {
      jobName: `spam-classifier-${Date.now().toString(36)}`,
      customModelName: "tiny-base-spam-filter",
      baseModelIdentifier: "strata.tiny-base-v1",
      trainingDataConfig: {
        s3Uri: await upload(strata, "examples/spam/train.jsonl", labeledJsonl(split.training)),
      },
      validationDataConfig: {
        s3Uri: await upload(strata, "examples/spam/validation.jsonl", labeledJsonl(split.validation)),
      },
      testDataConfig: { s3Uri: await upload(strata, "examples/spam/test.jsonl", labeledJsonl(split.test)) },
      outputDataConfig: { s3Uri: `s3://${bucket}/examples/spam/output/` },
      hyperParameters: {
        headType: "auto",
        maxInputTokens: size.maxInputTokens,
        epochCount: size.epochCount,
        seed: "1",
      },
    },
  });
  console.log(`job ${jobArn}`);
  const details = () =>
    strata.api.call<GetTransferLearningJobResponse>({
      method: "GET",
      path: `/strata/transfer-learning-jobs/${pathLabel(jobArn)}`,
    });
  let lastPrinted = 0;
  for (;;) {
    const job = await strata.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
    if (job.status !== "InProgress") {
      if (job.status !== "Completed") throw new Error(`the job ended ${job.status}: ${job.failureMessage}`);
      break;
    }
    if (Date.now() - lastPrinted > 15_000) {
      lastPrinted = Date.now();
      const progress = await details();
      console.log(
        `  ${progress.phase}: ${progress.embeddedTexts}/${progress.textsToEmbed ?? "?"} texts embedded (${seconds()})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const job = await details();
  console.log(`job completed in ${seconds()}: ${job.customModelArn}`);
  for (const head of job.heads ?? [])
    console.log(
      `head ${head.headType}: best validation loss ${head.bestValidationLoss.toFixed(4)} at epoch ${head.bestEpoch} of ${head.epochs}${head.selected ? " (selected)" : ""}`,
    );
  if (!job.evaluation) throw new Error("the job has no evaluation");
  console.log(formatEvaluation(job.evaluation));

  // Serving: custom models run only through provisioned throughput, the classifier too.
  const { provisionedModelArn = "" } = await strata.bedrock.send(
    new CreateProvisionedModelThroughputCommand({
      provisionedModelName: "spam-filter",
      modelId: job.customModelArn ?? "",
      modelUnits: 1,
    }),
  );
  for (;;) {
    const reservation = await strata.bedrock.send(
      new GetProvisionedModelThroughputCommand({ provisionedModelId: provisionedModelArn }),
    );
    if (reservation.status === "InService") break;
    if (reservation.status === "Failed") throw new Error(reservation.failureMessage);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const samples = [
    ...split.test.filter((e) => e.label === "spam").slice(0, 2),
    ...split.test.filter((e) => e.label === "ham").slice(0, 2),
  ];
  const classified = await strata.api.call<ClassifyResponse>({
    method: "POST",
    path: `/strata/model/${pathLabel(provisionedModelArn)}/classify`,
    body: { texts: samples.map((email) => email.text) },
  });
  console.log(`Classify on ${provisionedModelArn}:`);
  for (const [index, result] of classified.results.entries()) {
    const email = samples[index];
    const subject = (email?.text.split("\n")[0] ?? "").slice(0, 50);
    console.log(
      `  classified ${result.label} (p=${(result.probabilities[result.label] ?? 0).toFixed(3)}), truly ${email?.label}: ${subject}`,
    );
  }
  console.log(`total ${seconds()}`);
} finally {
  await strata.stop();
}
