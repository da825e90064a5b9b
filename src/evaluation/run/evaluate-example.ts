// One example on one model: the answer (generated greedily unless the job says otherwise), its scores, the
// reference's likelihood when loss/perplexity is asked for, and the judge's verdicts. An engine failure on one
// example (a prompt longer than the context, say) is recorded with the example, not thrown: the rest of the
// dataset still runs. A full queue (ThrottlingException) is waited out; an abort ends the whole evaluation.
import {
  collectGeneration,
  EngineError,
  type EngineModel,
  type GenerationEvent,
  type InferenceEngine,
  type Prompt,
  type ScoringEngine,
} from "../../inference/engine/inference-engine.js";
import { AwsError, ThrottlingException } from "../../protocol/aws-errors.js";
import type { InvocationRecord } from "../../usage/invocation-record.js";
import type { GenerationSettings, MetricSelection } from "../evaluation-plan.js";
import { judgePrompt, parseJudgeScore } from "../judge/judge-answer.js";
import type { EvaluationCase, ExampleResult, JudgeVerdict } from "./evaluation-case.js";
import { scoreAnswer } from "./score-answer.js";

/** A model as the runner calls it: resolved to what the engine runs, with its settings and its price. */
export interface ModelUnderEvaluation {
  modelIdentifier: string;
  engineModel: EngineModel;
  settings: GenerationSettings;
  /** USD for one invocation of this many tokens. */
  price(inputTokens: number, outputTokens: number): number;
}

export interface EvaluationEngines {
  /** Generation, through the same admission as runtime traffic. */
  generator: InferenceEngine;
  scorer: ScoringEngine;
}

export interface JudgeUnderEvaluation {
  model: ModelUnderEvaluation;
  rubrics: Record<string, string>;
}

export interface ExampleContext {
  metrics: MetricSelection;
  /** The class labels of the dataset (its distinct references), for Classification. */
  labels: readonly string[];
  engines: EvaluationEngines;
  judge?: JudgeUnderEvaluation;
  /** Whether the model answers at all (not for loss/perplexity alone). */
  generate: boolean;
  signal: AbortSignal;
  /** Told of every generation (answers and the judge's), successful or not: the job's usage-ledger rows. */
  onInvocation?(invocation: EvaluationInvocation): void;
}

/** One answer or verdict: what the usage ledger records of an invocation (status: "success", the AWS error type
 * or "EngineError"), with the model and example it was for. */
export interface EvaluationInvocation
  extends Pick<
    InvocationRecord,
    "inputTokens" | "outputTokens" | "timeToFirstTokenMs" | "latencyMs" | "status" | "startedAt"
  > {
  model: ModelUnderEvaluation;
  /** "answer" or "judge". */
  role: "answer" | "judge";
  line: number;
}

export function promptOf(example: EvaluationCase, settings: GenerationSettings): Prompt {
  if (example.prompt) return example.prompt;
  return settings.promptFormat === "text"
    ? { kind: "text", text: example.promptText }
    : { kind: "chat", messages: [{ role: "user", text: example.promptText }] };
}

async function waitingOutThrottles<T>(signal: AbortSignal, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ThrottlingException) || tries >= 30) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * tries, 2000)));
      signal.throwIfAborted();
    }
  }
}

async function answer(
  model: ModelUnderEvaluation,
  prompt: Prompt,
  context: ExampleContext,
  seed: number,
  role: EvaluationInvocation["role"] = "answer",
) {
  const startedAt = new Date();
  const report = (status: string, end?: Extract<GenerationEvent, { type: "end" }>) =>
    context.onInvocation?.({
      model,
      role,
      line: seed,
      inputTokens: end?.usage.inputTokens ?? 0,
      outputTokens: end?.usage.outputTokens ?? 0,
      ...(end ? { timeToFirstTokenMs: end.timeToFirstTokenMs } : {}),
      latencyMs: Date.now() - startedAt.getTime(),
      status,
      startedAt,
    });
  try {
    const generated = await generateAnswer(model, prompt, context, seed);
    report("success", generated.end);
    return generated;
  } catch (error) {
    // An abort ends the job (stop or shutdown), not an invocation that failed.
    if (!context.signal.aborted)
      report(
        error instanceof AwsError
          ? error.errorType
          : error instanceof EngineError
            ? "EngineError"
            : "InternalServerException",
      );
    throw error;
  }
}

async function generateAnswer(
  model: ModelUnderEvaluation,
  prompt: Prompt,
  context: ExampleContext,
  seed: number,
) {
  const { settings } = model;
  return waitingOutThrottles(context.signal, () =>
    collectGeneration(
      context.engines.generator.generate({
        model: model.engineModel,
        prompt,
        sampling: {
          maxTokens: settings.maxTokens,
          temperature: settings.temperature,
          ...(settings.topP === undefined ? {} : { topP: settings.topP }),
          ...(settings.stopSequences?.length ? { stopSequences: settings.stopSequences } : {}),
          seed,
        },
        signal: context.signal,
      }),
    ),
  );
}

export async function evaluateExample(
  example: EvaluationCase,
  model: ModelUnderEvaluation,
  context: ExampleContext,
): Promise<ExampleResult> {
  const result: ExampleResult = { line: example.line };
  const prompt = promptOf(example, model.settings);
  if (context.generate) {
    try {
      const generated = await answer(model, prompt, context, example.line);
      const usage = generated.end.usage;
      Object.assign(result, {
        response: generated.text,
        stopReason: generated.end.stopReason,
        latencyMs: generated.end.totalTimeMs,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        costUsd: model.price(usage.inputTokens, usage.outputTokens),
        ...scoreAnswer(generated.text, example.reference, context.metrics, context.labels),
      });
      if (context.judge && context.metrics.judge.length > 0)
        result.judge = await judgeAnswer(example, generated.text, context.judge, context);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      result.error = error.message;
    }
  }
  if (context.metrics.likelihood && example.reference !== undefined) {
    try {
      result.likelihood = await context.engines.scorer.scoreContinuation({
        model: model.engineModel,
        prompt,
        continuation: example.reference,
        signal: context.signal,
      });
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      result.likelihoodError = error.message;
    }
  }
  return result;
}

async function judgeAnswer(
  example: EvaluationCase,
  response: string,
  judge: JudgeUnderEvaluation,
  context: ExampleContext,
): Promise<Record<string, JudgeVerdict>> {
  const verdicts: Record<string, JudgeVerdict> = {};
  for (const metric of context.metrics.judge) {
    const question = judgePrompt({
      rubric: judge.rubrics[metric] ?? metric,
      prompt: example.promptText,
      ...(example.reference === undefined ? {} : { reference: example.reference }),
      answer: response,
    });
    const reply = await answer(
      judge.model,
      { kind: "chat", messages: [{ role: "user", text: question }] },
      context,
      example.line,
      "judge",
    );
    const score = parseJudgeScore(reply.text);
    verdicts[metric] = { ...(score === undefined ? {} : { score }), reply: reply.text };
  }
  return verdicts;
}
