// The base-vs-custom gate of customization jobs (src/customization/jobs/custom-model-gate.ts): the custom model
// and the base it was trained from, on the job's validation data, straight through the engine — no
// reservation: each model gets a small dedicated context for the gate, released when it ends. Metrics: loss and
// perplexity of the references (what training optimised, so it decides the verdict), and for prompts the
// answers' exact match, ROUGE-L, BLEU, token F1, latency and cost. results.json and report.html go under the
// job's output prefix, next to Bedrock's metrics CSVs.

import { customModelArn } from "../../customization/customization-arns.js";
import type {
  CustomModelEvaluation,
  CustomModelGate,
  CustomModelGateRequest,
} from "../../customization/jobs/custom-model-gate.js";
import type {
  EngineModel,
  InferenceEngine,
  ReservableEngine,
  ScoringEngine,
} from "../../inference/engine/inference-engine.js";
import type { ArnContext } from "../../model-import/resource-ids.js";
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";
import type { GenerationSettings, MetricSelection, PlannedDataset } from "../evaluation-plan.js";
import { writeEvaluationResults } from "../jobs/write-evaluation-results.js";
import { evaluateExample, type ModelUnderEvaluation } from "../run/evaluate-example.js";
import type { EvaluationCase, ExampleResult } from "../run/evaluation-case.js";
import { evaluationDocument } from "../run/evaluation-results.js";
import { validationCases } from "./validation-cases.js";

/** Generation on a large validation set would take longer than the training; the first records stand for it. */
export const maxGateExamples = 100;

export interface CustomModelGateDependencies {
  engine: InferenceEngine & ScoringEngine & ReservableEngine;
  objectStores: ObjectStoreResolver;
  context: ArnContext;
  /** Cores for the gate's contexts (the job's trainer threads: training is over when it runs). */
  threads: number;
  /** USD for one invocation of a local model (the usage ledger's prices). */
  price(modelId: string, inputTokens: number, outputTokens: number): number;
}

/** Enough new tokens for the longest reference (≈ 4 characters a token, twice over), within 32–256. */
function generationSettings(cases: readonly EvaluationCase[]): GenerationSettings {
  const longest = Math.max(0, ...cases.map((example) => example.reference?.length ?? 0));
  return {
    maxTokens: Math.min(256, Math.max(32, Math.ceil(longest / 2))),
    temperature: 0,
    promptFormat: "chat",
  };
}

export function createCustomModelGate(deps: CustomModelGateDependencies): CustomModelGate {
  return async (request) => {
    const started = performance.now();
    const { cases, records, documentsOnly } = await validationCases(
      request.validationData.map((file) => file.path),
      maxGateExamples,
    );
    const metrics: MetricSelection = documentsOnly
      ? { text: [], likelihood: true, classification: false, operational: false, judge: [] }
      : {
          text: ["exactMatch", "rougeL", "bleu", "tokenF1"],
          likelihood: true,
          classification: false,
          operational: true,
          judge: [],
        };
    const dataset: PlannedDataset = {
      name: "validation",
      taskType: "Generation",
      s3Uri: request.validationData.map((file) => file.s3Uri).join(", "),
      metricNames: documentsOnly ? ["Strata.Perplexity"] : ["Builtin.Accuracy", "Strata.Perplexity"],
      metrics,
      primaryMetric: "perplexity",
    };
    const customArn = customModelArn(deps.context, request.job.baseModelId, request.customModelId);
    const capacityKey = `evaluation-gate-${request.job.jobId}`;
    const settings = generationSettings(cases);
    const underEvaluation = (
      modelIdentifier: string,
      engineModel: EngineModel,
      priceAs: string,
    ): ModelUnderEvaluation => ({
      modelIdentifier,
      engineModel: { ...engineModel, capacity: { key: capacityKey, sequences: 1, threads: deps.threads } },
      settings,
      price: (inputTokens, outputTokens) => deps.price(priceAs, inputTokens, outputTokens),
    });
    const models = [
      underEvaluation(request.job.baseModelId, request.base, request.job.baseModelId),
      underEvaluation(customArn, request.custom, request.job.baseModelId),
    ];
    const results: ExampleResult[][] = [];
    try {
      for (const model of models) {
        const modelResults: ExampleResult[] = [];
        for (const example of cases) {
          request.signal.throwIfAborted();
          modelResults.push(
            await evaluateExample(example, model, {
              metrics,
              labels: [],
              engines: { generator: deps.engine, scorer: deps.engine },
              generate: !documentsOnly,
              signal: request.signal,
            }),
          );
        }
        results.push(modelResults);
      }
    } finally {
      await deps.engine.releaseCapacity(capacityKey);
    }
    const document = evaluationDocument([{ dataset, cases, results }], [request.job.baseModelId, customArn]);
    const written = await writeEvaluationResults(
      request.outputPrefixUri,
      "outputDataConfig.s3Uri",
      document,
      {
        title: `Base vs custom: ${request.job.customModelName}`,
        facts: [
          ["Customization job", `${request.job.jobName} (${request.job.jobId})`],
          ["Base model", request.job.baseModelId],
          ["Custom model", customArn],
          ["Validation data", dataset.s3Uri],
        ],
      },
      deps.objectStores,
    );
    return gateSummary(request, document.datasets[0], {
      records,
      examplesEvaluated: cases.length,
      seconds: (performance.now() - started) / 1000,
      ...written,
    });
  };
}

function gateSummary(
  request: CustomModelGateRequest,
  results: ReturnType<typeof evaluationDocument>["datasets"][number] | undefined,
  facts: {
    records: number;
    examplesEvaluated: number;
    seconds: number;
    resultsS3Uri: string;
    reportS3Uri: string;
  },
): CustomModelEvaluation {
  const comparison = results?.comparison;
  return {
    status: "Completed",
    baseModelId: request.job.baseModelId,
    validationData: request.validationData.map((file) => file.s3Uri),
    ...facts,
    evaluatedAt: new Date().toISOString(),
    ...(comparison ? { primaryMetric: comparison.primaryMetric, verdict: comparison.verdict } : {}),
    metrics: comparison?.metrics ?? [],
    improvedExamples: comparison?.improvedExamples ?? 0,
    regressedExamples: comparison?.regressedExamples ?? 0,
  };
}
