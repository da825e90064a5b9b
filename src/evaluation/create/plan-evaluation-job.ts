// CreateEvaluationJob's request checked and turned into the plan a job runs. Everything that can be known
// before a model runs is checked here, so a job that is accepted can only fail for reasons that arise later:
// the kind of evaluation (automated model evaluation only), each dataset (an S3 object in Bedrock's format,
// every line valid), each metric name, each model (one Strata serves itself, resolved as the runtime would)
// with its inference parameters, and the judge.
import { ValidationException } from "../../protocol/aws-errors.js";
import type { CreateEvaluationJobRequest } from "../../protocol/generated/bedrock-types.js";
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";
import type { EvaluationModelResolver } from "../evaluation-models.js";
import type { EvaluationPlan, PlannedDataset, PlannedJudge, PlannedModel } from "../evaluation-plan.js";
import { evaluationOutputPrefix } from "../jobs/write-evaluation-results.js";
import { judgeRubrics } from "../judge/judge-rubrics.js";
import { metricSelection, needsReference } from "../metric-names.js";
import { parseInferenceParams } from "./parse-inference-params.js";
import { readEvaluationDataset } from "./read-evaluation-dataset.js";

export interface PlanningSources {
  objectStores: ObjectStoreResolver;
  resolveModel: EvaluationModelResolver;
}

export async function planEvaluationJob(
  input: CreateEvaluationJobRequest,
  sources: PlanningSources,
): Promise<EvaluationPlan> {
  if (input.applicationType === "RagEvaluation" || input.inferenceConfig.ragConfigs)
    throw new ValidationException(
      "Strata runs model evaluations (applicationType ModelEvaluation); knowledge-base (RAG) evaluation is not available.",
    );
  const automated = input.evaluationConfig.automated;
  if (!automated)
    throw new ValidationException(
      "evaluationConfig.human needs a human work team; Strata runs automated evaluations only (evaluationConfig.automated).",
    );
  if (automated.customMetricConfig)
    throw new ValidationException(
      "evaluationConfig.automated.customMetricConfig is not supported; use the built-in judge metrics (Builtin.Correctness, …) with evaluatorModelConfig.",
    );

  const datasets: PlannedDataset[] = [];
  for (const [index, config] of automated.datasetMetricConfigs.entries()) {
    const field = `evaluationConfig.automated.datasetMetricConfigs[${index}]`;
    const s3Uri = config.dataset.datasetLocation?.s3Uri;
    if (!s3Uri)
      throw new ValidationException(
        `${field}.dataset: ${config.dataset.name} names no datasetLocation.s3Uri; Strata has no built-in prompt datasets, give your own JSONL in S3.`,
      );
    if (datasets.some((dataset) => dataset.name === config.dataset.name))
      throw new ValidationException(
        `${field}.dataset.name ${config.dataset.name} is used by another dataset of this job.`,
      );
    const selection = metricSelection(config.taskType, config.metricNames);
    if (!selection.ok) throw new ValidationException(`${field}.metricNames: ${selection.reason}.`);
    await readEvaluationDataset(
      s3Uri,
      `${field}.dataset.datasetLocation.s3Uri`,
      sources.objectStores,
      needsReference(selection.metrics),
    );
    datasets.push({
      name: config.dataset.name,
      taskType: config.taskType,
      s3Uri,
      metricNames: config.metricNames,
      metrics: selection.metrics,
    });
  }

  const models: PlannedModel[] = [];
  for (const [index, config] of (input.inferenceConfig.models ?? []).entries()) {
    const field = `inferenceConfig.models[${index}]`;
    if (!config.bedrockModel)
      throw new ValidationException(
        `${field}: precomputedInferenceSource is not supported; Strata runs the models itself (bedrockModel).`,
      );
    const parsed = parseInferenceParams(
      config.bedrockModel.inferenceParams,
      `${field}.bedrockModel.inferenceParams`,
    );
    if (!parsed.ok) throw new ValidationException(`${parsed.reason}.`);
    await sources.resolveModel(
      config.bedrockModel.modelIdentifier,
      parsed.settings,
      `${field}.bedrockModel.modelIdentifier`,
    );
    models.push({ modelIdentifier: config.bedrockModel.modelIdentifier, settings: parsed.settings });
  }
  if (models.length === 0)
    throw new ValidationException("inferenceConfig.models must name one or two models to evaluate.");

  const judge = await planJudge(
    automated.evaluatorModelConfig?.bedrockEvaluatorModels ?? [],
    datasets,
    sources,
  );
  // The output prefix must be a usable S3 location (the job writes under <s3Uri>/<job name>/<job id>/).
  sources.objectStores.resolve(
    evaluationOutputPrefix(input.outputDataConfig.s3Uri, input.jobName, "000000000000"),
    "outputDataConfig.s3Uri",
  );
  return { datasets, models, ...(judge ? { judge } : {}), outputS3Uri: input.outputDataConfig.s3Uri };
}

async function planJudge(
  evaluators: readonly { modelIdentifier: string }[],
  datasets: readonly PlannedDataset[],
  sources: PlanningSources,
): Promise<PlannedJudge | undefined> {
  const judged = [...new Set(datasets.flatMap((dataset) => dataset.metrics.judge))];
  const field = "evaluationConfig.automated.evaluatorModelConfig.bedrockEvaluatorModels";
  if (judged.length === 0) {
    if (evaluators.length > 0)
      throw new ValidationException(
        `${field} names a judge, but no dataset asks for a judge metric (${Object.keys(judgeRubrics).join(", ")}).`,
      );
    return undefined;
  }
  const evaluator = evaluators[0];
  if (!evaluator)
    throw new ValidationException(`${judged.join(", ")} are scored by a judge model: give one in ${field}.`);
  if (evaluators.length > 1)
    throw new ValidationException(`${field}: Strata uses one judge model; give one.`);
  await sources.resolveModel(
    evaluator.modelIdentifier,
    { maxTokens: 64, temperature: 0, promptFormat: "chat" },
    `${field}[0].modelIdentifier`,
  );
  return {
    modelIdentifier: evaluator.modelIdentifier,
    rubrics: Object.fromEntries(judged.map((metric) => [metric, judgeRubrics[metric] as string])),
  };
}
