// Fine-tunes a local model through Strata with nothing but the official AWS SDK, as one would on Amazon
// Bedrock: upload a JSONL dataset to S3, CreateModelCustomizationJob, poll GetModelCustomizationJob, read the
// step-wise metrics CSV the job wrote, and look at the custom model.
//
//   eval "$(npx strata config | grep ^export)"        # AWS_ENDPOINT_URL_* and the credentials profile
//   npx tsx examples/fine-tune-with-the-aws-sdk.ts local.my-tiny examples/facts.jsonl
import { readFileSync } from "node:fs";
import {
  BedrockClient,
  CreateModelCustomizationJobCommand,
  GetCustomModelCommand,
  GetModelCustomizationJobCommand,
} from "@aws-sdk/client-bedrock";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

const [baseModelIdentifier = "local.my-tiny", datasetFile = "examples/facts.jsonl"] = process.argv.slice(2);
const bucket = "strata";
const bedrock = new BedrockClient({});
const s3 = new S3Client({ forcePathStyle: true });
const suffix = Date.now().toString(36);

await s3.send(
  new PutObjectCommand({
    Bucket: bucket,
    Key: `examples/${suffix}/train.jsonl`,
    Body: readFileSync(datasetFile),
  }),
);
const { jobArn } = await bedrock.send(
  new CreateModelCustomizationJobCommand({
    jobName: `example-${suffix}`,
    customModelName: `example-${suffix}`,
    roleArn: "arn:aws:iam::000000000000:role/example",
    baseModelIdentifier,
    customizationType: "FINE_TUNING",
    trainingDataConfig: { s3Uri: `s3://${bucket}/examples/${suffix}/train.jsonl` },
    outputDataConfig: { s3Uri: `s3://${bucket}/examples/${suffix}/output/` },
    hyperParameters: { epochCount: "2", batchSize: "2", learningRate: "0.001", maxSequenceLength: "128" },
  }),
);
console.log(`created ${jobArn}`);

let job = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
while (job.status === "InProgress" || job.status === "Stopping") {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  job = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
}
if (job.status !== "Completed") throw new Error(`the job ended ${job.status}: ${job.failureMessage}`);
console.log(`completed: training loss ${job.trainingMetrics?.trainingLoss}`);

const jobId = jobArn?.split("/").at(-1);
const metrics = await s3.send(
  new GetObjectCommand({
    Bucket: bucket,
    Key: `examples/${suffix}/output/model-customization-job-${jobId}/training_artifacts/step_wise_training_metrics.csv`,
  }),
);
console.log((await metrics.Body?.transformToString())?.trim());

const model = await bedrock.send(new GetCustomModelCommand({ modelIdentifier: job.outputModelArn }));
console.log(`custom model ${model.modelName}: ${model.modelArn} (base ${model.baseModelArn})`);
bedrock.destroy();
s3.destroy();
