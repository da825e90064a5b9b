// Transfer learning end to end on a subset of the SpamAssassin corpus, against a real server with the built-in
// strata.tiny-base-v1: labeled files into the embedded S3 (@aws-sdk/client-s3), CreateTransferLearningJob
// (Strata's extension), the job followed and its custom model read through @aws-sdk/client-bedrock, a
// provisioned throughput bought with the SDK, Classify on it (API and CLI), the held-out evaluation against
// both baselines, the export as a classifier GGUF — and the refusals: bad labeled data, a custom model called
// directly, generation on a classifier.
import {
  BedrockClient,
  CreateProvisionedModelThroughputCommand,
  DeleteCustomModelCommand,
  GetCustomModelCommand,
  GetModelCustomizationJobCommand,
  GetProvisionedModelThroughputCommand,
  ListModelCustomizationJobsCommand,
} from "@aws-sdk/client-bedrock";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  labeledJsonl,
  spamAssassinEmails,
  splitEmails,
} from "../../examples/spam-classifier/spam-assassin-emails.js";
import { ApiClient, pathLabel } from "../../src/cli/api-client.js";
import type {
  ClassifyResponse,
  CreateTransferLearningJobResponse,
  ExportCustomModelResponse,
  GetCustomModelLineageResponse,
  GetTransferLearningJobResponse,
  GetUsageReportResponse,
  InvocationSummary,
} from "../../src/protocol/generated/strata-types.js";
import { parseClassifierGguf } from "../../src/transfer-learning/classifier/read-classifier-gguf.js";
import { runCli } from "../support/run-cli.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

const split = splitEmails(spamAssassinEmails(), { training: 96, validation: 32, test: 48 }, 7);

let strata: TestStrata;
let bedrock: BedrockClient;
let runtime: BedrockRuntimeClient;
let s3: S3Client;
let api: ApiClient;

async function put(key: string, body: string): Promise<string> {
  await s3.send(new PutObjectCommand({ Bucket: "strata", Key: key, Body: body }));
  return `s3://strata/${key}`;
}

function createJob(body: Record<string, unknown>) {
  return api.call<CreateTransferLearningJobResponse>({
    method: "POST",
    path: "/strata/transfer-learning-jobs",
    body,
  });
}

beforeAll(async () => {
  strata = await startTestStrata({ provisionedThroughput: { reservableCores: 1, unitsPerCore: 2 } });
  const client = {
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
    maxAttempts: 1,
  };
  bedrock = new BedrockClient(client);
  runtime = new BedrockRuntimeClient(client);
  s3 = new S3Client({ ...client, endpoint: strata.s3Url, forcePathStyle: true });
  api = new ApiClient(strata.apiUrl, strata.credentials, "us-east-1");
}, 60_000);

afterAll(async () => {
  bedrock?.destroy();
  runtime?.destroy();
  s3?.destroy();
  await strata?.stop();
});

describe("labeled data is checked before a job exists", () => {
  const base = {
    customModelName: "never-made",
    baseModelIdentifier: "strata.tiny-base-v1",
    outputDataConfig: { s3Uri: "s3://strata/tl/output/" },
  };

  it("names the file, line and field of each problem (ValidationException)", async () => {
    const good = await put(
      "tl/bad/good.jsonl",
      '{"text":"hello there","label":"ham"}\n{"text":"win cash","label":"spam"}\n',
    );
    const cases: [string, string, RegExp][] = [
      [
        "one-class.jsonl",
        '{"text":"a","label":"spam"}\n{"text":"b","label":"spam"}\n',
        /one-class\.jsonl:0 label: every record has the label "spam": a classifier needs at least two classes/,
      ],
      [
        "empty-text.jsonl",
        '{"text":"a","label":"ham"}\n{"text":"","label":"spam"}\n',
        /empty-text\.jsonl:2 text: "text" must be a non-empty string, but it is an empty string/,
      ],
      [
        "missing-label.jsonl",
        '{"text":"a","label":"ham"}\n{"text":"b"}\n',
        /missing-label\.jsonl:2 label: "label" is missing/,
      ],
    ];
    for (const [name, body, message] of cases) {
      const uri = await put(`tl/bad/${name}`, body);
      await expect(
        createJob({ ...base, jobName: `bad-${name.split(".")[0]}`, trainingDataConfig: { s3Uri: uri } }),
      ).rejects.toThrow(
        new RegExp(`^ValidationException: The dataset is not valid: s3://strata/tl/bad/${message.source}`),
      );
    }
    const unknown = await put(
      "tl/bad/unknown-label.jsonl",
      '{"text":"a","label":"ham"}\n{"text":"b","label":"eggs"}\n',
    );
    await expect(
      createJob({
        ...base,
        jobName: "bad-unknown",
        trainingDataConfig: { s3Uri: good },
        validationDataConfig: { s3Uri: unknown },
      }),
    ).rejects.toThrow(
      /unknown-label\.jsonl:2 label: the label "eggs" does not occur in the training data \(its labels: ham, spam\)/,
    );
    const jobs = await bedrock.send(new ListModelCustomizationJobsCommand({}));
    expect(jobs.modelCustomizationJobSummaries ?? []).toEqual([]);
  });
});

describe("a spam classifier on the frozen tiny base model", () => {
  let jobArn = "";
  let customModelArn = "";
  let reservationArn = "";
  let job: GetTransferLearningJobResponse;

  it("trains: the job is a customization job of type TRANSFER_LEARNING and registers a custom model", async () => {
    ({ jobArn } = await createJob({
      jobName: "spam-tl",
      customModelName: "spam-head",
      baseModelIdentifier: "strata.tiny-base-v1",
      trainingDataConfig: { s3Uri: await put("tl/train.jsonl", labeledJsonl(split.training)) },
      validationDataConfig: { s3Uri: await put("tl/validation.jsonl", labeledJsonl(split.validation)) },
      testDataConfig: { s3Uri: await put("tl/test.jsonl", labeledJsonl(split.test)) },
      outputDataConfig: { s3Uri: "s3://strata/tl/output/" },
      hyperParameters: { maxInputTokens: "96", epochCount: "60" },
    }));
    let status = "InProgress";
    for (let attempt = 0; attempt < 600 && (status === "InProgress" || status === "Stopping"); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const got = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
      status = got.status ?? "";
      if (got.failureMessage) throw new Error(got.failureMessage);
    }
    const done = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
    expect(done).toMatchObject({ status: "Completed", customizationType: "TRANSFER_LEARNING" });
    expect(done.validationMetrics?.[0]?.validationLoss).toBeGreaterThan(0);
    customModelArn = done.outputModelArn ?? "";
    const model = await bedrock.send(new GetCustomModelCommand({ modelIdentifier: customModelArn }));
    expect(model).toMatchObject({ modelName: "spam-head", customizationType: "TRANSFER_LEARNING", jobArn });

    job = await api.call<GetTransferLearningJobResponse>({
      method: "GET",
      path: `/strata/transfer-learning-jobs/${pathLabel(jobArn)}`,
    });
    expect(job).toMatchObject({
      status: "Completed",
      labels: ["ham", "spam"],
      embeddedTexts: 176,
      textsToEmbed: 176,
      customModelArn,
    });
    expect(job.heads?.map((head) => head.headType)).toEqual(["logistic-regression", "mlp"]);
    expect(job.heads?.filter((head) => head.selected)).toHaveLength(1);
  }, 120_000);

  it("evaluates the head and both baselines on the same held-out records", () => {
    const evaluation = job.evaluation;
    if (!evaluation) throw new Error("no evaluation");
    const results = [...evaluation.heads, evaluation.bagOfWords, evaluation.zeroShot];
    const spam = split.test.filter((email) => email.label === "spam").length;
    for (const result of results) {
      expect(result.records).toBe(48);
      expect(result.confusionMatrix.flat().reduce((sum, count) => sum + count, 0)).toBe(48);
      expect(result.confusionMatrix.map((row) => row.reduce((sum, count) => sum + count, 0))).toEqual([
        48 - spam,
        spam,
      ]);
      const correct = result.confusionMatrix.reduce((sum, row, index) => sum + (row[index] ?? 0), 0);
      expect(result.accuracy).toBeCloseTo(correct / 48, 12);
      expect(result.macroF1).toBeCloseTo(
        ((result.perClass[0]?.f1 ?? 0) + (result.perClass[1]?.f1 ?? 0)) / 2,
        12,
      );
    }
    console.log(
      "transfer learning on 48 held-out mails:",
      results.map(
        (result) =>
          `${result.headType ?? (result.vocabularySize ? "bag-of-words" : "zero-shot")} ${result.accuracy.toFixed(3)}/${result.macroF1.toFixed(3)}`,
      ),
    );
    // What even 96 training mails give: the selected head beats always answering the majority class.
    const selected = evaluation.heads.find((head) => head.selected);
    expect(selected?.accuracy).toBeGreaterThan(Math.max(spam, 48 - spam) / 48);
    expect(evaluation.zeroShot.prompt).toContain("ham, spam");
    // The zero-shot baseline scores both labels for every mail, so every mail gets one of them.
    expect(evaluation.zeroShot).toMatchObject({
      method: "zero-shot by label likelihood",
      unanswered: 0,
      predictedLabels: ["ham", "spam"],
    });
    expect(evaluation.zeroShot.sampleNegativeLogLikelihoods).toHaveLength(3);
    for (const likelihoods of evaluation.zeroShot.sampleNegativeLogLikelihoods ?? [])
      for (const label of ["ham", "spam"]) expect(likelihoods[label]).toBeGreaterThan(0);
  });

  it("exports as a GGUF that reads back as the same classifier (not as its JSON)", async () => {
    const exported = await api.call<ExportCustomModelResponse>({
      method: "POST",
      path: `/strata/custom-models/${pathLabel(customModelArn)}/export`,
      body: {},
    });
    expect(exported).toMatchObject({
      s3Uri: "s3://strata/exports/spam-head.gguf",
      artifactKind: "classification-head",
      baseModelId: "strata.tiny-base-v1",
    });
    const object = await s3.send(new GetObjectCommand({ Bucket: "strata", Key: "exports/spam-head.gguf" }));
    const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("GGUF");
    expect(bytes.byteLength).toBe(exported.fileSizeBytes);
    const parsed = await parseClassifierGguf(bytes, "spam-head.gguf");
    if (!parsed.ok) throw new Error(parsed.reason);
    const selected = job.heads?.find((head) => head.selected);
    expect(parsed.classifier).toMatchObject({
      name: "spam-head",
      head: {
        headType: selected?.headType,
        labels: ["ham", "spam"],
        features: { baseModelId: "strata.tiny-base-v1", pooling: "mean", maxInputTokens: 96 },
      },
      base: { fileName: expect.stringMatching(/\.gguf$/) },
    });
    const lineage = await api.call<GetCustomModelLineageResponse>({
      method: "GET",
      path: `/strata/custom-models/${pathLabel(customModelArn)}/lineage`,
    });
    console.log(
      `exported classifier: GGUF ${bytes.byteLength} bytes, JSON head ${lineage.fileSizeBytes} bytes`,
    );
  });

  it("is refused on demand, like every custom model, for generation and for Classify", async () => {
    const invoked = await runtime
      .send(
        new ConverseCommand({
          modelId: customModelArn,
          messages: [{ role: "user", content: [{ text: "hi" }] }],
        }),
      )
      .catch((error: Error) => error);
    expect((invoked as Error).name).toBe("ValidationException");
    expect((invoked as Error).message).toMatch(/doesn't support on-demand throughput/);
    await expect(
      api.call({
        method: "POST",
        path: `/strata/model/${pathLabel(customModelArn)}/classify`,
        body: { texts: ["hi"] },
      }),
    ).rejects.toThrow(/^ValidationException: The provided model doesn't support on-demand throughput/);
  });

  it("classifies through its provisioned throughput, as the job's evaluation did", async () => {
    const created = await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: "spam-pt",
        modelId: customModelArn,
        modelUnits: 1,
      }),
    );
    reservationArn = created.provisionedModelArn ?? "";
    for (let attempt = 0; attempt < 600; attempt++) {
      const got = await bedrock.send(
        new GetProvisionedModelThroughputCommand({ provisionedModelId: reservationArn }),
      );
      if (got.status === "InService") break;
      if (got.status === "Failed") throw new Error(got.failureMessage);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const classified = await api.call<ClassifyResponse>({
      method: "POST",
      path: `/strata/model/${pathLabel(reservationArn)}/classify`,
      body: { texts: split.test.map((email) => email.text) },
    });
    expect(classified).toMatchObject({ modelId: reservationArn, customModelArn, labels: ["ham", "spam"] });
    expect(classified.results).toHaveLength(48);
    for (const result of classified.results) {
      expect((result.probabilities.ham ?? 0) + (result.probabilities.spam ?? 0)).toBeCloseTo(1, 9);
      expect(result.probabilities[result.label]).toBeGreaterThanOrEqual(0.5);
    }
    // The same head on the same embeddings (now on the reservation's own context) reproduces the job's matrix.
    const selected = job.evaluation?.heads.find((head) => head.selected);
    const matrix = [
      [0, 0],
      [0, 0],
    ];
    for (const [index, result] of classified.results.entries()) {
      const truth = split.test[index]?.label === "spam" ? 1 : 0;
      const row = matrix[truth] as number[];
      row[result.label === "spam" ? 1 : 0] = (row[result.label === "spam" ? 1 : 0] ?? 0) + 1;
    }
    expect(matrix).toEqual(selected?.confusionMatrix);
    // The call is an invocation of the usage ledger, as a Converse on the reservation would be: its caller, the
    // provisioned model that served it, its embedded tokens (at most maxInputTokens a mail) as the input and no
    // output, priced at the local rate. The call refused on demand above is in the ledger too, with no tokens.
    const ledger = await api.call<{ invocations: InvocationSummary[] }>({
      method: "GET",
      path: "/strata/usage/invocations",
    });
    const classifyRows = ledger.invocations.filter((row) => row.operation === "Classify");
    expect(classifyRows.map((row) => row.status).sort()).toEqual(["ValidationException", "success"]);
    const row = classifyRows.find((candidate) => candidate.status === "success");
    expect(row).toMatchObject({
      requestedModelId: reservationArn,
      modelId: reservationArn,
      servedBy: "LOCAL_ENGINE",
      callerKeyId: strata.credentials.accessKeyId,
      outputTokens: 0,
      priceBasis: "local-default",
    });
    expect(row?.inputTokens).toBeGreaterThan(48);
    expect(row?.inputTokens).toBeLessThanOrEqual(48 * 96);
    expect(row?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(row?.costUsd).toBeCloseTo(
      ((row?.inputTokens ?? 0) / 1000) * (row?.inputPricePer1kTokens ?? 0),
      12,
    );
    expect(row?.costUsd).toBeGreaterThan(0);
    expect(classifyRows.find((candidate) => candidate.status !== "success")).toMatchObject({
      requestedModelId: customModelArn,
      inputTokens: 0,
      outputTokens: 0,
    });
    const report = await api.call<GetUsageReportResponse>({
      method: "GET",
      path: "/strata/usage/report",
      query: { modelId: reservationArn },
    });
    expect(report.models).toEqual([
      expect.objectContaining({
        modelId: reservationArn,
        billing: "provisioned",
        invocations: 1,
        errors: 0,
        inputTokens: row?.inputTokens,
        outputTokens: 0,
      }),
    ]);

    const generated = await runtime
      .send(
        new ConverseCommand({
          modelId: reservationArn,
          messages: [{ role: "user", content: [{ text: "hi" }] }],
        }),
      )
      .catch((error: Error) => error);
    expect((generated as Error).message).toMatch(/serves a text classifier .* call Classify/);
  }, 120_000);

  it("answers `strata classify -m NAME TEXT…` from the CLI, and keeps its model while the reservation uses it", async () => {
    const common = ["--data-dir", strata.dataDirectory, "--endpoint", strata.apiUrl];
    const result = await runCli([
      "classify",
      "-m",
      "spam-pt",
      "Minutes of Monday's meeting",
      "WIN A FREE PRIZE",
      ...common,
    ]);
    expect(result.stderr).toBe("");
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^(ham |spam) {2}[01]\.\d{3} {2}Minutes of Monday's meeting$/);
    expect(lines[1]).toMatch(/^(ham |spam) {2}[01]\.\d{3} {2}WIN A FREE PRIZE$/);

    const deleted = await bedrock
      .send(new DeleteCustomModelCommand({ modelIdentifier: customModelArn }))
      .catch((error: Error) => error);
    expect((deleted as Error).name).toBe("ConflictException");
  }, 60_000);
});
