// One evaluation job, top to bottom: read and parse its datasets → resolve its models (and judge) as the runtime
// would → for every dataset, model and example: answer, score, checkpoint → summarise → results.json and
// report.html under <output>/<job name>/<job id>/ → Completed with the summary.
//
// The signal's reason says why a run is cut short: "stop" (StopEvaluationJob → Stopped) or "shutdown" (the
// server is closing: the job stays InProgress and resumes from its checkpoint at the next start).
import { rm } from "node:fs/promises";
import type { Logger } from "../../logging/logger.js";
import type { ArnContext } from "../../model-import/resource-ids.js";
import { AwsError } from "../../protocol/aws-errors.js";
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";
import type { UsageRecorder } from "../../usage/invocation-record.js";
import { readEvaluationDataset } from "../create/read-evaluation-dataset.js";
import { evaluationJobArn } from "../evaluation-arns.js";
import type { EvaluationModelResolver } from "../evaluation-models.js";
import { needsGeneration } from "../evaluation-plan.js";
import { needsReference } from "../metric-names.js";
import {
  type EvaluationEngines,
  evaluateExample,
  type JudgeUnderEvaluation,
  type ModelUnderEvaluation,
} from "../run/evaluate-example.js";
import type { ExampleResult } from "../run/evaluation-case.js";
import { type DatasetRun, evaluationDocument } from "../run/evaluation-results.js";
import type { EvaluationJob, EvaluationJobStore } from "./evaluation-job-store.js";
import { checkpointKey, ExampleCheckpoint, evaluationWorkDirectory } from "./example-checkpoint.js";
import { evaluationOutputPrefix, writeEvaluationResults } from "./write-evaluation-results.js";

export interface EvaluationRunDependencies {
  dataDirectory: string;
  jobs: EvaluationJobStore;
  objectStores: ObjectStoreResolver;
  engines: EvaluationEngines;
  resolveModel: EvaluationModelResolver;
  context: ArnContext;
  logger: Logger;
  /** The usage ledger: every answer and verdict is an invocation, priced as runtime traffic is. */
  usage?: UsageRecorder;
}

export type EvaluationStopReason = "stop" | "shutdown";

/** The judge answers briefly and deterministically: a score and one sentence. */
const judgeSettings = { maxTokens: 64, temperature: 0, promptFormat: "chat" } as const;

export async function runEvaluationJob(
  job: EvaluationJob,
  deps: EvaluationRunDependencies,
  signal: AbortSignal,
): Promise<void> {
  const { plan } = job;
  // 1. The datasets, parsed again: the objects may have changed since the job was accepted.
  const datasets = [];
  for (const [index, dataset] of plan.datasets.entries())
    datasets.push({
      dataset,
      cases: await readEvaluationDataset(
        dataset.s3Uri,
        `evaluationConfig.automated.datasetMetricConfigs[${index}].dataset.datasetLocation.s3Uri`,
        deps.objectStores,
        needsReference(dataset.metrics),
      ),
    });

  // 2. The models as the runtime serves them now (a provisioned throughput may have been deleted meanwhile),
  // and again before every example: a reservation resized or deleted during the job is seen at once.
  const resolveModel = (index: number): Promise<ModelUnderEvaluation> => {
    const model = plan.models[index] as (typeof plan.models)[number];
    return whenReady(signal, () =>
      deps.resolveModel(
        model.modelIdentifier,
        model.settings,
        `inferenceConfig.models[${index}].bedrockModel.modelIdentifier`,
      ),
    );
  };
  const models: ModelUnderEvaluation[] = [];
  for (const index of plan.models.keys()) models.push(await resolveModel(index));
  const judgeModel = plan.judge;
  const judge: JudgeUnderEvaluation | undefined = judgeModel
    ? {
        model: await whenReady(signal, () =>
          deps.resolveModel(
            judgeModel.modelIdentifier,
            judgeSettings,
            "evaluationConfig.automated.evaluatorModelConfig.bedrockEvaluatorModels[0].modelIdentifier",
          ),
        ),
        rubrics: judgeModel.rubrics,
      }
    : undefined;

  // 3. Every example on every model, resuming from the checkpoint.
  const directory = evaluationWorkDirectory(deps.dataDirectory, job.jobId);
  const checkpoint = new ExampleCheckpoint(directory);
  const known = await checkpoint.load();
  if (known.size > 0)
    deps.logger.info("evaluation job resumed", { jobId: job.jobId, examplesDone: known.size });
  const total = datasets.reduce((sum, { cases }) => sum + cases.length * models.length, 0);
  let done = 0;
  const runs: DatasetRun[] = [];
  for (const [datasetIndex, { dataset, cases }] of datasets.entries()) {
    const labels = [...new Set(cases.flatMap((example) => example.reference ?? []))];
    const results: ExampleResult[][] = [];
    for (const modelIndex of models.keys()) {
      const modelResults: ExampleResult[] = [];
      for (const [exampleIndex, example] of cases.entries()) {
        signal.throwIfAborted();
        const key = checkpointKey(datasetIndex, modelIndex, exampleIndex);
        let result = known.get(key);
        if (!result || result.line !== example.line) {
          result = await evaluateExample(example, await resolveModel(modelIndex), {
            metrics: dataset.metrics,
            labels,
            engines: deps.engines,
            ...(judge ? { judge } : {}),
            generate: needsGeneration(dataset.metrics),
            signal,
            onInvocation: (invocation) =>
              deps.usage?.record({
                requestId: `${job.jobId}/${datasetIndex}/${modelIndex}/${exampleIndex}/${invocation.role}`,
                requestedModelId: invocation.model.modelIdentifier,
                modelId: invocation.model.engineModel.modelId,
                servedBy: "LOCAL_ENGINE",
                operation: invocation.role === "judge" ? "EvaluationJob.judge" : "EvaluationJob",
                callerKeyId: evaluationCaller(job),
                inputTokens: invocation.inputTokens,
                outputTokens: invocation.outputTokens,
                ...(invocation.timeToFirstTokenMs === undefined
                  ? {}
                  : { timeToFirstTokenMs: invocation.timeToFirstTokenMs }),
                latencyMs: invocation.latencyMs,
                status: invocation.status,
                startedAt: invocation.startedAt,
              }),
          });
          await checkpoint.append({
            dataset: datasetIndex,
            model: modelIndex,
            example: exampleIndex,
            result,
          });
        }
        modelResults.push(result);
        done++;
        if (done % 5 === 0 || done === total)
          await deps.jobs.recordProgress(job.jobId, { examplesDone: done, examplesTotal: total });
      }
      results.push(modelResults);
    }
    runs.push({ dataset, cases, results });
  }
  signal.throwIfAborted();

  // 4. Results and report under the output prefix, then Completed with the summary.
  const identifiers = plan.models.map((model) => model.modelIdentifier);
  const document = {
    ...evaluationDocument(runs, identifiers),
    ...(plan.judge ? { judge: plan.judge } : {}),
  };
  const written = await writeEvaluationResults(
    evaluationOutputPrefix(plan.outputS3Uri, job.jobName, job.jobId),
    "outputDataConfig.s3Uri",
    document,
    {
      title: `Evaluation ${job.jobName}`,
      facts: [
        ["Job", evaluationJobArn(deps.context, job.jobId)],
        ["Created", job.creationTime.toISOString()],
        ["Models", identifiers.join(" vs ")],
        ...(plan.judge ? ([["Judge", plan.judge.modelIdentifier]] as [string, string][]) : []),
      ],
    },
    deps.objectStores,
  );
  const { examples: _examples, judge: _judge, ...summary } = document;
  await deps.jobs.complete(job.jobId, { results: summary, ...written });
  await rm(directory, { recursive: true, force: true });
  deps.logger.info("evaluation job completed", { jobId: job.jobId, examples: total });
}

/**
 * A provisioned throughput being made ready (at server start, or while it is updated) answers
 * ModelNotReadyException: the job waits for it, up to ten minutes, as the SDKs retry it.
 */
async function whenReady<T>(signal: AbortSignal, resolve: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      return await resolve();
    } catch (error) {
      if (
        !(error instanceof AwsError && error.errorType === "ModelNotReadyException") ||
        Date.now() > deadline
      )
        throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      signal.throwIfAborted();
    }
  }
}

/** Who the ledger says invoked: the job itself (it runs after its creator's request has ended). */
function evaluationCaller(job: EvaluationJob): string {
  return `evaluation-job/${job.jobId}`;
}
