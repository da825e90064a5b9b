// Model customization through the unmodified @aws-sdk/client-bedrock against a real server: every operation
// and its errors, then a job end to end on a tiny model — Completed, the custom model listed with its lineage,
// Bedrock's metrics CSVs in S3, and the exported LoRA adapter loaded by node-llama-cpp.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BedrockClient,
  CreateModelCustomizationJobCommand,
  type CreateModelCustomizationJobCommandInput,
  DeleteCustomModelCommand,
  GetCustomModelCommand,
  GetFoundationModelCommand,
  GetModelCustomizationJobCommand,
  ListCustomModelsCommand,
  ListModelCustomizationJobsCommand,
  paginateListModelCustomizationJobs,
  StopModelCustomizationJobCommand,
} from "@aws-sdk/client-bedrock";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, pathLabel } from "../../src/cli/api-client.js";
import type {
  ExportCustomModelResponse,
  GetCustomModelLineageResponse,
  GetModelCustomizationJobProgressResponse,
  QuantizeModelResponse,
} from "../../src/protocol/generated/strata-types.js";
import {
  continuedPreTrainingJsonl,
  conversationJsonl,
  promptCompletionJsonl,
  putText,
  waitForCustomizationJob,
} from "../support/customization-test-data.js";
import { registerTestModel } from "../support/register-test-model.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

const roleArn = "arn:aws:iam::000000000000:role/strata-customization";
const usedBy = new Set<string>();
let strata: TestStrata;
let bedrock: BedrockClient;
let s3: S3Client;
let api: ApiClient;
let trainingUri: string;
let validationUri: string;

/** Few steps on short sequences: each job trains in a few seconds. */
const quick = { epochCount: "1", batchSize: "4", maxSequenceLength: "64", learningRate: "0.005" };

function request(
  overrides: Partial<CreateModelCustomizationJobCommandInput> = {},
): CreateModelCustomizationJobCommandInput {
  const name = `job-${Math.random().toString(36).slice(2, 10)}`;
  return {
    jobName: name,
    customModelName: `model-${name}`,
    roleArn,
    baseModelIdentifier: "local.test-tiny",
    customizationType: "FINE_TUNING",
    trainingDataConfig: { s3Uri: trainingUri },
    outputDataConfig: { s3Uri: "s3://strata/customization-output/" },
    hyperParameters: quick,
    ...overrides,
  };
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error("expected the call to fail");
}

async function text(key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: "strata", Key: key }));
  return (await object.Body?.transformToString()) ?? "";
}

beforeAll(async () => {
  strata = await startTestStrata(undefined, {
    customModelInUse: async (arn) => (usedBy.has(arn) ? ["provisioned-model/test-pt"] : []),
  });
  bedrock = new BedrockClient({
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
    maxAttempts: 1,
  });
  s3 = new S3Client({
    endpoint: strata.s3Url,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: strata.credentials,
  });
  api = new ApiClient(strata.apiUrl, strata.credentials, "us-east-1");
  await registerTestModel(strata, "local.test-tiny", { tensorType: "F32" });
  trainingUri = await putText(s3, "datasets/train.jsonl", promptCompletionJsonl(16));
  validationUri = await putText(s3, "datasets/validation.jsonl", promptCompletionJsonl(4));
}, 60_000);

afterAll(async () => {
  bedrock?.destroy();
  s3?.destroy();
  await strata?.stop();
});

describe("CreateModelCustomizationJob refuses what it cannot run", () => {
  it("a Bedrock-hosted base model: only local models are customized here", async () => {
    const error = await errorOf(
      bedrock.send(
        new CreateModelCustomizationJobCommand(request({ baseModelIdentifier: "amazon.nova-micro-v1:0" })),
      ),
    );
    expect(error.name).toBe("ValidationException");
    expect(error.message).toMatch(
      /amazon\.nova-micro-v1:0 is a Bedrock-hosted model; Strata customizes only local models/,
    );
  });

  it("a customization type the base model does not support", async () => {
    const error = await errorOf(
      bedrock.send(new CreateModelCustomizationJobCommand(request({ customizationType: "DISTILLATION" }))),
    );
    expect(error).toEqual({
      name: "ValidationException",
      message:
        "local.test-tiny does not support customizationType DISTILLATION; it supports FINE_TUNING, CONTINUED_PRE_TRAINING.",
    });
  });

  it("a local model the trainer cannot customize", async () => {
    const tiny = await strata.localModels.find("local.test-tiny");
    await strata.localModels.register({
      ...(tiny as NonNullable<typeof tiny>),
      modelId: "local.not-trainable",
      modelName: "not-trainable",
      architecture: "gemma2",
      trainerSupported: false,
      importedModelId: "nottrainable",
    });
    const error = await errorOf(
      bedrock.send(
        new CreateModelCustomizationJobCommand(request({ baseModelIdentifier: "local.not-trainable" })),
      ),
    );
    expect(error.name).toBe("ValidationException");
    expect(error.message).toMatch(
      /^local\.not-trainable cannot be customized: Strata's trainer does not support its architecture \(gemma2\)/,
    );
  });

  it("an unknown base model", async () => {
    const error = await errorOf(
      bedrock.send(
        new CreateModelCustomizationJobCommand(request({ baseModelIdentifier: "local.nothing-here" })),
      ),
    );
    expect(error).toEqual({
      name: "ResourceNotFoundException",
      message: "No base model local.nothing-here.",
    });
  });

  it("a missing S3 object", async () => {
    const error = await errorOf(
      bedrock.send(
        new CreateModelCustomizationJobCommand(
          request({ trainingDataConfig: { s3Uri: "s3://strata/datasets/missing.jsonl" } }),
        ),
      ),
    );
    expect(error).toEqual({
      name: "ValidationException",
      message: "trainingDataConfig.s3Uri: no object at s3://strata/datasets/missing.jsonl.",
    });
  });

  it("invalid and unknown hyperparameters", async () => {
    expect(
      await errorOf(
        bedrock.send(
          new CreateModelCustomizationJobCommand(request({ hyperParameters: { epochCount: "11" } })),
        ),
      ),
    ).toEqual({
      name: "ValidationException",
      message: "hyperParameters.epochCount must be in 1–10, but it is 11.",
    });
    const unknown = await errorOf(
      bedrock.send(new CreateModelCustomizationJobCommand(request({ hyperParameters: { epochs: "2" } }))),
    );
    expect(unknown.name).toBe("ValidationException");
    expect(unknown.message).toMatch(/^hyperParameters\.epochs is not a hyperparameter Strata knows/);
  });

  it("a dataset with a bad line, naming the file, line and field", async () => {
    const uri = await putText(
      s3,
      "datasets/bad.jsonl",
      `${promptCompletionJsonl(2)}{"prompt": "x", "completion": ""}\n`,
    );
    const error = await errorOf(
      bedrock.send(new CreateModelCustomizationJobCommand(request({ trainingDataConfig: { s3Uri: uri } }))),
    );
    expect(error.name).toBe("ValidationException");
    expect(error.message).toContain(
      `${uri}:3 completion: "completion" must be a non-empty string, but it is an empty string`,
    );
  });

  it("a dataset whose format does not fit the customization type", async () => {
    const error = await errorOf(
      bedrock.send(
        new CreateModelCustomizationJobCommand(request({ customizationType: "CONTINUED_PRE_TRAINING" })),
      ),
    );
    expect(error.name).toBe("ValidationException");
    expect(error.message).toMatch(
      /holds prompt-completion records, but CONTINUED_PRE_TRAINING trains on continued-pre-training records/,
    );
  });
});

describe("a fine-tuning job end to end", () => {
  let jobArn: string;
  let modelArn: string;
  it("is created, and a retry with the same token returns the same job", async () => {
    const input = request({
      jobName: "fine-tune-tiny",
      customModelName: "tiny-facts",
      validationDataConfig: { validators: [{ s3Uri: validationUri }] },
      clientRequestToken: "token-fine-tune-tiny",
    });
    const created = await bedrock.send(new CreateModelCustomizationJobCommand(input));
    jobArn = created.jobArn ?? "";
    expect(jobArn).toMatch(
      /^arn:aws:bedrock:us-east-1:000000000000:model-customization-job\/local\.test-tiny\/[a-z0-9]{12}$/,
    );
    const retried = await bedrock.send(new CreateModelCustomizationJobCommand(input));
    expect(retried.jobArn).toBe(jobArn);
    const reused = await errorOf(
      bedrock.send(
        new CreateModelCustomizationJobCommand({ ...input, hyperParameters: { ...quick, epochCount: "2" } }),
      ),
    );
    expect(reused).toEqual({
      name: "ConflictException",
      message: "The clientRequestToken token-fine-tune-tiny was already used with a different request.",
    });
    const duplicate = await errorOf(
      bedrock.send(
        new CreateModelCustomizationJobCommand({
          ...input,
          clientRequestToken: "another-token",
          customModelName: "other",
        }),
      ),
    );
    expect(duplicate).toEqual({
      name: "ConflictException",
      message: "A model customization job named fine-tune-tiny already exists.",
    });
  });

  it("runs to Completed with Bedrock's fields, metrics and the output model", async () => {
    const job = await waitForCustomizationJob(bedrock, jobArn);
    expect(job.failureMessage).toBeUndefined();
    expect(job).toMatchObject({
      jobArn,
      jobName: "fine-tune-tiny",
      outputModelName: "tiny-facts",
      clientRequestToken: "token-fine-tune-tiny",
      roleArn,
      status: "Completed",
      baseModelArn: "arn:aws:bedrock:us-east-1::foundation-model/local.test-tiny",
      customizationType: "FINE_TUNING",
      trainingDataConfig: { s3Uri: trainingUri },
      validationDataConfig: { validators: [{ s3Uri: validationUri }] },
      outputDataConfig: { s3Uri: "s3://strata/customization-output/" },
      hyperParameters: expect.objectContaining({
        epochCount: "1",
        batchSize: "4",
        trainingMethod: "lora",
        loraRank: "8",
      }),
      statusDetails: {
        validationDetails: expect.objectContaining({ status: "Completed" }),
        dataProcessingDetails: expect.objectContaining({ status: "Completed" }),
        trainingDetails: expect.objectContaining({ status: "Completed" }),
      },
    });
    expect(job.creationTime).toBeInstanceOf(Date);
    expect(job.endTime).toBeInstanceOf(Date);
    expect(job.trainingMetrics?.trainingLoss).toBeGreaterThan(0);
    expect(job.validationMetrics?.[0]?.validationLoss).toBeGreaterThan(0);
    modelArn = job.outputModelArn ?? "";
    expect(modelArn).toMatch(
      /^arn:aws:bedrock:us-east-1:000000000000:custom-model\/local\.test-tiny\/[a-z0-9]{12}$/,
    );
  });

  it("wrote step_wise_training_metrics.csv and validation_metrics.csv under the output prefix", async () => {
    const jobId = jobArn.split("/").at(-1);
    const prefix = `customization-output/model-customization-job-${jobId}/`;
    const training = (await text(`${prefix}training_artifacts/step_wise_training_metrics.csv`))
      .trim()
      .split("\n");
    expect(training[0]).toBe("step_number,epoch_number,training_loss,perplexity");
    const steps = Number(
      (await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }))).hyperParameters
        ?.epochCount,
    );
    expect(steps).toBe(1);
    expect(training.length).toBeGreaterThan(1);
    const [step, epoch, loss, perplexity] = (training[1] ?? "").split(",").map(Number);
    expect(step).toBe(0);
    expect(epoch).toBe(0);
    expect(perplexity).toBeCloseTo(Math.exp(loss ?? 0), 6);
    const validation = (
      await text(`${prefix}validation_artifacts/post_fine_tuning_validation/validation_metrics.csv`)
    )
      .trim()
      .split("\n");
    expect(validation[0]).toBe("step_number,epoch_number,validation_loss,perplexity");
    expect(validation.length).toBeGreaterThan(2);
    // Strata's addition: the first row (step_number -1, before the first step) is the base model's loss.
    const [baseStep, baseEpoch, baseLoss, basePerplexity] = (validation[1] ?? "").split(",").map(Number);
    expect([baseStep, baseEpoch]).toEqual([-1, 0]);
    expect(basePerplexity).toBeCloseTo(Math.exp(baseLoss ?? 0), 6);
    const finalLoss = Number(validation.at(-1)?.split(",")[2]);
    expect(finalLoss).toBeLessThan(baseLoss ?? 0);
    const job = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
    expect(job.validationMetrics?.[0]?.validationLoss).toBe(finalLoss);
  });

  it("registered the custom model, listed with its lineage", async () => {
    const model = await bedrock.send(new GetCustomModelCommand({ modelIdentifier: modelArn }));
    expect(model).toMatchObject({
      modelArn,
      modelName: "tiny-facts",
      jobName: "fine-tune-tiny",
      jobArn,
      baseModelArn: "arn:aws:bedrock:us-east-1::foundation-model/local.test-tiny",
      customizationType: "FINE_TUNING",
      modelStatus: "Active",
      trainingDataConfig: { s3Uri: trainingUri },
    });
    const byName = await bedrock.send(new GetCustomModelCommand({ modelIdentifier: "tiny-facts" }));
    expect(byName.modelArn).toBe(modelArn);
    const listed = await bedrock.send(new ListCustomModelsCommand({}));
    expect(listed.modelSummaries?.filter((summary) => summary.modelName === "tiny-facts")).toEqual([
      expect.objectContaining({
        modelArn,
        baseModelName: "local.test-tiny",
        customizationType: "FINE_TUNING",
        modelStatus: "Active",
      }),
    ]);
    const lineage = await api.call<GetCustomModelLineageResponse>({
      method: "GET",
      path: `/strata/custom-models/${pathLabel(modelArn)}/lineage`,
    });
    expect(lineage).toMatchObject({
      modelName: "tiny-facts",
      trainingMethod: "lora",
      artifactKind: "lora-adapter",
      lineage: {
        baseModelId: "local.test-tiny",
        trainingData: { s3Uri: trainingUri, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), records: 16 },
        validationData: [
          { s3Uri: validationUri, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), records: 4 },
        ],
        hyperParameters: expect.objectContaining({ epochCount: "1" }),
        trainerVersion: expect.stringMatching(/^strata \d+\.\d+\.\d+, trainer addon sha256:[0-9a-f]{16}$/),
      },
    });
    expect(lineage.lineage.steps).toBeGreaterThan(0);
    expect(lineage.lineage.trainedTokens).toBeGreaterThan(0);
  });

  it("shows its progress and metrics to the extension API", async () => {
    const progress = await api.call<GetModelCustomizationJobProgressResponse>({
      method: "GET",
      path: `/strata/model-customization-jobs/${pathLabel(jobArn)}/progress`,
    });
    expect(progress).toMatchObject({ status: "Completed", phase: "Done", outputModelArn: modelArn });
    expect(progress.step).toBe(progress.totalSteps);
    expect(progress.metrics.filter((point) => point.kind === "training")).toHaveLength(
      progress.totalSteps ?? -1,
    );
  });

  it("exports the adapter, which node-llama-cpp loads over the base model", async () => {
    const exported = await api.call<ExportCustomModelResponse>({
      method: "POST",
      path: `/strata/custom-models/${pathLabel("tiny-facts")}/export`,
      body: {},
    });
    expect(exported).toMatchObject({
      s3Uri: "s3://strata/exports/tiny-facts.gguf",
      artifactKind: "lora-adapter",
    });
    const object = await s3.send(new GetObjectCommand({ Bucket: "strata", Key: "exports/tiny-facts.gguf" }));
    const bytes = await object.Body?.transformToByteArray();
    expect(bytes?.length).toBe(exported.fileSizeBytes);
    const directory = mkdtempSync(join(tmpdir(), "strata-export-"));
    const adapterPath = join(directory, "adapter.gguf");
    writeFileSync(adapterPath, bytes ?? new Uint8Array());
    const lineage = await api.call<GetCustomModelLineageResponse>({
      method: "GET",
      path: `/strata/custom-models/tiny-facts/lineage`,
    });
    const llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: join(strata.dataDirectory, lineage.baseModelFile) });
    const context = await model.createContext({
      contextSize: 64,
      lora: { adapters: [{ filePath: adapterPath }] },
    });
    const sequence = context.getSequence();
    const tokens = model.tokenize("Who declares war?");
    const evaluated = sequence.evaluate(tokens, { maxTokens: 1 } as never);
    for await (const token of evaluated) {
      expect(typeof token).toBe("number");
      break;
    }
    await context.dispose();
    await model.dispose();
  });
});

describe("a qwen2 base, as Qwen2 and Qwen2.5 ship", () => {
  it("is customizable in the catalog, and a LoRA job on it completes with a lower validation loss", async () => {
    await registerTestModel(strata, "local.test-qwen2", { tensorType: "Q8_0", architecture: "qwen2" });
    const { modelDetails } = await bedrock.send(
      new GetFoundationModelCommand({ modelIdentifier: "local.test-qwen2" }),
    );
    expect(modelDetails?.customizationsSupported).toEqual(["FINE_TUNING", "CONTINUED_PRE_TRAINING"]);
    const { jobArn } = await bedrock.send(
      new CreateModelCustomizationJobCommand(
        request({
          baseModelIdentifier: "local.test-qwen2",
          validationDataConfig: { validators: [{ s3Uri: validationUri }] },
        }),
      ),
    );
    const job = await waitForCustomizationJob(bedrock, jobArn ?? "");
    expect(job.failureMessage).toBeUndefined();
    expect(job.status).toBe("Completed");
    expect(job.outputModelArn).toMatch(/custom-model\/local\.test-qwen2\//);
    const jobId = jobArn?.split("/").at(-1);
    const validation = (
      await text(
        `customization-output/model-customization-job-${jobId}/validation_artifacts/post_fine_tuning_validation/validation_metrics.csv`,
      )
    )
      .trim()
      .split("\n");
    const first = Number(validation[1]?.split(",")[2]);
    const last = Number(validation.at(-1)?.split(",")[2]);
    console.log(`qwen2 LoRA job: validation loss ${first.toFixed(3)} → ${last.toFixed(3)}`);
    expect(last).toBeLessThan(first);
  });
});

describe("full fine-tuning, training a custom model further, early stopping", () => {
  it("trainingMethod full on a q4_k_m base trains an F32 copy of it and registers a merged model", async () => {
    const quantized = await api.call<QuantizeModelResponse>({
      method: "POST",
      path: `/strata/models/${pathLabel("local.test-tiny")}/quantize`,
      body: { quantizationType: "q4_k_m" },
    });
    const { jobArn } = await bedrock.send(
      new CreateModelCustomizationJobCommand(
        request({
          baseModelIdentifier: quantized.modelId,
          hyperParameters: { ...quick, trainingMethod: "full" },
        }),
      ),
    );
    const job = await waitForCustomizationJob(bedrock, jobArn ?? "");
    expect(job.failureMessage).toBeUndefined();
    expect(job.status).toBe("Completed");
    const model = await bedrock.send(new GetCustomModelCommand({ modelIdentifier: job.outputModelArn }));
    expect(model.hyperParameters?.trainingMethod).toBe("full");
    const lineage = await api.call<GetCustomModelLineageResponse>({
      method: "GET",
      path: `/strata/custom-models/${pathLabel(job.outputModelArn ?? "")}/lineage`,
    });
    expect(lineage.artifactKind).toBe("merged-model");
  });

  let mergedArn: string;

  it("trainingMethod full registers a merged model", async () => {
    const { jobArn } = await bedrock.send(
      new CreateModelCustomizationJobCommand(
        request({
          jobName: "full-tiny",
          customModelName: "tiny-full",
          hyperParameters: { ...quick, trainingMethod: "full" },
        }),
      ),
    );
    const job = await waitForCustomizationJob(bedrock, jobArn ?? "");
    expect([job.status, job.failureMessage, job.hyperParameters?.learningRate]).toEqual([
      "Completed",
      undefined,
      "0.005",
    ]);
    mergedArn = job.outputModelArn ?? "";
    const lineage = await api.call<GetCustomModelLineageResponse>({
      method: "GET",
      path: `/strata/custom-models/${pathLabel(mergedArn)}/lineage`,
    });
    expect(lineage).toMatchObject({ trainingMethod: "full", artifactKind: "merged-model" });
  });

  it("a merged custom model can be customized further; its lineage names it", async () => {
    const { jobArn } = await bedrock.send(
      new CreateModelCustomizationJobCommand(
        request({ jobName: "further-tiny", customModelName: "tiny-further", baseModelIdentifier: mergedArn }),
      ),
    );
    const job = await waitForCustomizationJob(bedrock, jobArn ?? "");
    expect([job.status, job.failureMessage]).toEqual(["Completed", undefined]);
    expect(job.baseModelArn).toBe("arn:aws:bedrock:us-east-1::foundation-model/local.test-tiny");
    const lineage = await api.call<GetCustomModelLineageResponse>({
      method: "GET",
      path: "/strata/custom-models/tiny-further/lineage",
    });
    expect(lineage.lineage.baseCustomModelId).toBe(mergedArn.split("/").at(-1));
    expect(lineage.baseModelFile).not.toBe(lineage.artifactFile);
  });

  it("a LoRA custom model cannot be the base of another job", async () => {
    const { modelArn } = await bedrock.send(new GetCustomModelCommand({ modelIdentifier: "tiny-facts" }));
    const error = await errorOf(
      bedrock.send(new CreateModelCustomizationJobCommand(request({ baseModelIdentifier: modelArn }))),
    );
    expect(error.name).toBe("ValidationException");
    expect(error.message).toMatch(
      /^Custom model tiny-facts is a LoRA adapter; only custom models trained with trainingMethod=full/,
    );
  });

  it("early stopping ends the run at the first evaluation that does not improve, and exports that checkpoint", async () => {
    // Validation on text unlike the training pairs, a large learning rate and one evaluation per step: the
    // validation loss stops improving within a few steps (the run is deterministic: one trainer thread, seed 1).
    const unrelated = await putText(
      s3,
      "datasets/unrelated.jsonl",
      promptCompletionJsonl(2).replaceAll("Congress", "zzz qqq xxx"),
    );
    const { jobArn } = await bedrock.send(
      new CreateModelCustomizationJobCommand(
        request({
          jobName: "early-stop",
          customModelName: "tiny-early",
          validationDataConfig: { validators: [{ s3Uri: unrelated }] },
          hyperParameters: {
            ...quick,
            epochCount: "10",
            batchSize: "1",
            learningRate: "0.01",
            evaluationInterval: "1",
            earlyStoppingPatience: "1",
          },
        }),
      ),
    );
    const job = await waitForCustomizationJob(bedrock, jobArn ?? "");
    expect([job.status, job.failureMessage]).toEqual(["Completed", undefined]);
    const progress = await api.call<GetModelCustomizationJobProgressResponse>({
      method: "GET",
      path: `/strata/model-customization-jobs/${pathLabel(jobArn ?? "")}/progress`,
    });
    const lineage = await api.call<GetCustomModelLineageResponse>({
      method: "GET",
      path: "/strata/custom-models/tiny-early/lineage",
    });
    expect(lineage.lineage.steps).toBeLessThan(progress.totalSteps ?? 0);
    const validation = progress.metrics.filter((point) => point.kind === "validation");
    const last = validation.at(-1)?.loss ?? 0;
    expect(Math.min(...validation.slice(0, -1).map((point) => point.loss))).toBeLessThanOrEqual(last);
  });
});

describe("jobs and custom models: list, stop, delete", () => {
  it("lists jobs with filters, sort and nextToken pagination", async () => {
    const created = await bedrock.send(
      new CreateModelCustomizationJobCommand(
        request({
          jobName: "cpt-tiny",
          customizationType: "CONTINUED_PRE_TRAINING",
          trainingDataConfig: { s3Uri: await putText(s3, "datasets/cpt.jsonl", continuedPreTrainingJsonl()) },
        }),
      ),
    );
    const conversation = await bedrock.send(
      new CreateModelCustomizationJobCommand(
        request({
          jobName: "chat-tiny",
          trainingDataConfig: { s3Uri: await putText(s3, "datasets/chat.jsonl", conversationJsonl()) },
        }),
      ),
    );
    const cpt = await waitForCustomizationJob(bedrock, created.jobArn ?? "");
    expect([cpt.status, cpt.failureMessage]).toEqual(["Completed", undefined]);
    const chat = await waitForCustomizationJob(bedrock, conversation.jobArn ?? "");
    expect([chat.status, chat.failureMessage]).toEqual(["Completed", undefined]);

    const names: string[] = [];
    for await (const page of paginateListModelCustomizationJobs(
      { client: bedrock, pageSize: 1 },
      { sortOrder: "Ascending" },
    ))
      names.push(...(page.modelCustomizationJobSummaries ?? []).map((summary) => summary.jobName ?? ""));
    expect(names.indexOf("fine-tune-tiny")).toBeLessThan(names.indexOf("cpt-tiny"));
    expect(names.indexOf("cpt-tiny")).toBeLessThan(names.indexOf("chat-tiny"));
    const filtered = await bedrock.send(
      new ListModelCustomizationJobsCommand({ nameContains: "cpt", statusEquals: "Completed" }),
    );
    expect(
      filtered.modelCustomizationJobSummaries?.map((summary) => [summary.jobName, summary.customizationType]),
    ).toEqual([["cpt-tiny", "CONTINUED_PRE_TRAINING"]]);
    const none = await bedrock.send(new ListModelCustomizationJobsCommand({ statusEquals: "Stopping" }));
    expect(none.modelCustomizationJobSummaries).toEqual([]);
  });

  it("stops a running job: Stopping → Stopped, and no custom model", async () => {
    const { jobArn } = await bedrock.send(
      new CreateModelCustomizationJobCommand(
        request({
          jobName: "long-run",
          customModelName: "never-made",
          hyperParameters: { ...quick, epochCount: "10", batchSize: "1" },
        }),
      ),
    );
    await bedrock.send(new StopModelCustomizationJobCommand({ jobIdentifier: "long-run" }));
    const stopping = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
    expect(["Stopping", "Stopped"]).toContain(stopping.status);
    const stopped = await waitForCustomizationJob(bedrock, jobArn ?? "");
    expect(stopped.status).toBe("Stopped");
    await strata.customization.runner.settled();
    expect(existsSync(join(strata.dataDirectory, "customization", jobArn?.split("/").at(-1) ?? ""))).toBe(
      false,
    );
    expect(stopped.outputModelArn).toBeUndefined();
    expect(await errorOf(bedrock.send(new GetCustomModelCommand({ modelIdentifier: "never-made" })))).toEqual(
      {
        name: "ResourceNotFoundException",
        message: "No custom model never-made.",
      },
    );
    expect(
      await errorOf(bedrock.send(new StopModelCustomizationJobCommand({ jobIdentifier: "long-run" }))),
    ).toEqual({
      name: "ConflictException",
      message: "Model customization job long-run is Stopped; only an InProgress job can be stopped.",
    });
  });

  it("a trainer that crashes ends the job Failed with the reason, and registers nothing", async () => {
    const { jobArn } = await bedrock.send(
      new CreateModelCustomizationJobCommand(
        request({
          jobName: "crashes",
          customModelName: "never-crashed",
          hyperParameters: { ...quick, epochCount: "10", batchSize: "1" },
        }),
      ),
    );
    const pidFile = join(
      strata.dataDirectory,
      "customization",
      jobArn?.split("/").at(-1) ?? "",
      "trainer.pid",
    );
    let pid = 0;
    while (!pid) {
      pid = Number(existsSync(pidFile) ? readFileSync(pidFile, "utf8") : 0);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    process.kill(pid, "SIGKILL");
    const failed = await waitForCustomizationJob(bedrock, jobArn ?? "");
    expect(failed.status).toBe("Failed");
    expect(failed.failureMessage).toBe(
      "The trainer process ended unexpectedly (SIGKILL) before the run finished.",
    );
    expect(
      (await errorOf(bedrock.send(new GetCustomModelCommand({ modelIdentifier: "never-crashed" })))).name,
    ).toBe("ResourceNotFoundException");
  });

  it("answers ResourceNotFoundException for unknown jobs and models", async () => {
    expect(
      (await errorOf(bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: "no-such-job" }))))
        .name,
    ).toBe("ResourceNotFoundException");
    expect(
      (await errorOf(bedrock.send(new StopModelCustomizationJobCommand({ jobIdentifier: "no-such-job" }))))
        .name,
    ).toBe("ResourceNotFoundException");
    expect(
      (await errorOf(bedrock.send(new DeleteCustomModelCommand({ modelIdentifier: "no-such-model" })))).name,
    ).toBe("ResourceNotFoundException");
  });

  it("refuses to delete a custom model in use, deletes it otherwise", async () => {
    const { modelArn } = await bedrock.send(new GetCustomModelCommand({ modelIdentifier: "tiny-facts" }));
    usedBy.add(modelArn ?? "");
    expect(await errorOf(bedrock.send(new DeleteCustomModelCommand({ modelIdentifier: modelArn })))).toEqual({
      name: "ConflictException",
      message: "Custom model tiny-facts is in use by provisioned-model/test-pt; delete those first.",
    });
    usedBy.clear();
    await bedrock.send(new DeleteCustomModelCommand({ modelIdentifier: modelArn }));
    expect((await errorOf(bedrock.send(new GetCustomModelCommand({ modelIdentifier: modelArn })))).name).toBe(
      "ResourceNotFoundException",
    );
  });
});
