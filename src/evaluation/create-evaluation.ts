// Evaluation's part of the composition root: the job store, the runner (one job at a time), the service and the
// operations, plus the base-vs-custom gate customization jobs run. Made after the engine and the runtime resolver
// (an evaluation runs models as the runtime does); start-strata registers the operations, resumes interrupted
// jobs after the server listens, and closes the runner before the engine.
import type { Kysely } from "kysely";
import type { CustomModelGate } from "../customization/jobs/custom-model-gate.js";
import type {
  InferenceEngine,
  ReservableEngine,
  ScoringEngine,
} from "../inference/engine/inference-engine.js";
import type { RuntimeModelResolver } from "../inference/resolve-runtime-model.js";
import type { Logger } from "../logging/logger.js";
import type { ArnContext } from "../model-import/resource-ids.js";
import type { OperationHandler } from "../protocol/dispatcher.js";
import type { StrataDatabase } from "../storage/database/database-schema.js";
import type { ObjectStoreResolver } from "../storage/object-store/object-store-resolver.js";
import type { UsageRecorder } from "../usage/invocation-record.js";
import { type PriceList, priceInvocation } from "../usage/price-invocation.js";
import { evaluationModelResolver } from "./evaluation-models.js";
import { EvaluationService } from "./evaluation-service.js";
import { createCustomModelGate } from "./gate/evaluate-custom-model.js";
import { EvaluationJobRunner } from "./jobs/evaluation-job-runner.js";
import { EvaluationJobStore } from "./jobs/evaluation-job-store.js";
import { evaluationOperations } from "./operations/evaluation-operations.js";

export interface Evaluation {
  service: EvaluationService;
  runner: EvaluationJobRunner;
  bedrockOperations: Record<string, OperationHandler>;
  strataOperations: Record<string, OperationHandler>;
  close(): Promise<void>;
}

export function createEvaluation(options: {
  context: ArnContext;
  dataDirectory: string;
  database: Kysely<StrataDatabase>;
  objectStores: ObjectStoreResolver;
  /** The runtime's engine: generation goes through the same admission as runtime traffic. */
  generator: InferenceEngine;
  /** The engine itself: scores references (loss, perplexity). */
  scorer: ScoringEngine;
  resolver: RuntimeModelResolver;
  prices: PriceList;
  logger: Logger;
  /** Where the jobs' answers and verdicts are recorded as invocations. */
  usage?: UsageRecorder;
}): Evaluation {
  const jobs = new EvaluationJobStore(options.database);
  const resolveModel = evaluationModelResolver(options.resolver, options.prices);
  const runner = new EvaluationJobRunner({
    dataDirectory: options.dataDirectory,
    jobs,
    objectStores: options.objectStores,
    engines: { generator: options.generator, scorer: options.scorer },
    resolveModel,
    context: options.context,
    logger: options.logger,
    ...(options.usage ? { usage: options.usage } : {}),
  });
  const service = new EvaluationService({ jobs, runner, objectStores: options.objectStores, resolveModel });
  const operations = evaluationOperations(service, options.context);
  return {
    service,
    runner,
    bedrockOperations: operations.bedrock,
    strataOperations: operations.strata,
    close: () => runner.close(),
  };
}

/** The gate customization jobs run, straight on the engine (no reservation, no admission queue). */
export function createEvaluationGate(options: {
  engine: InferenceEngine & ScoringEngine & ReservableEngine;
  objectStores: ObjectStoreResolver;
  context: ArnContext;
  threads: number;
  prices: PriceList;
}): CustomModelGate {
  return createCustomModelGate({
    engine: options.engine,
    objectStores: options.objectStores,
    context: options.context,
    threads: options.threads,
    price: (modelId, inputTokens, outputTokens) =>
      priceInvocation(
        {
          requestId: "evaluation-gate",
          requestedModelId: modelId,
          modelId,
          servedBy: "LOCAL_ENGINE",
          operation: "CustomizationEvaluation",
          callerKeyId: "customization",
          inputTokens,
          outputTokens,
          latencyMs: 0,
          status: "success",
          startedAt: new Date(0),
        },
        options.prices,
      ).costUsd,
  });
}
