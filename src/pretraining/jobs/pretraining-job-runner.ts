// Runs pretraining jobs one at a time (each one takes every core it is given), in creation order. A job is a
// call of pretrainModel() on its own work directory under <data-dir>/pretraining/<job id>/, so a job that was
// running when the server stopped resumes from its last checkpoint when the server starts again. The model is
// registered only once the quantized file has been measured; a stopped or failed job registers nothing.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { LocalModelRegistry } from "../../catalog/local-model-registry.js";
import { describeError, type Logger } from "../../logging/logger.js";
import { modelsDirectoryName, registerGgufModel } from "../../model-import/register-gguf-model.js";
import { newResourceId } from "../../model-import/resource-ids.js";
import { pretrainModel } from "../pretrain-model.js";
import { pretrainingCorpus } from "../pretraining-corpus.js";
import type { PretrainingJob, PretrainingJobStore, PretrainingProgress } from "./pretraining-job-store.js";
import { recipeForRequest } from "./recipe-for-request.js";

export class PretrainingJobRunner {
  private queue: Promise<void> = Promise.resolve();
  private readonly pending = new Set<string>();
  private readonly stops = new Map<string, AbortController>();

  constructor(
    private readonly options: {
      dataDirectory: string;
      jobs: PretrainingJobStore;
      registry: LocalModelRegistry;
      logger: Logger;
      /** Threads the trainer may use; default: the recipe's. */
      threads?: number;
    },
  ) {}

  enqueue(job: PretrainingJob): void {
    if (this.pending.has(job.jobId)) return;
    this.pending.add(job.jobId);
    const controller = new AbortController();
    this.stops.set(job.jobId, controller);
    this.queue = this.queue
      .then(() => this.run(job, controller.signal))
      .finally(() => {
        this.pending.delete(job.jobId);
        this.stops.delete(job.jobId);
      });
  }

  async resumeInterruptedJobs(): Promise<void> {
    for (const job of await this.options.jobs.listUnfinished()) {
      if (job.status === "Stopping") await this.options.jobs.setStatus(job.jobId, "Stopped");
      else this.enqueue(job);
    }
  }

  /** Asks the job to stop after its step in flight (a queued job stops before it starts). */
  stop(jobId: string): void {
    this.stops.get(jobId)?.abort();
  }

  shutdown(): Promise<void> {
    // The training child is stopped with the server; its checkpoints stay, and the job resumes at next start.
    for (const controller of this.stops.values()) controller.abort("shutdown");
    return this.queue;
  }

  private async run(job: PretrainingJob, signal: AbortSignal): Promise<void> {
    const { jobs, logger, dataDirectory } = this.options;
    const workDirectory = join(dataDirectory, "pretraining", job.jobId);
    const incomingPath = join(dataDirectory, modelsDirectoryName, ".incoming", `${job.jobId}.gguf`);
    const recipe = {
      ...recipeForRequest(job.request),
      ...(this.options.threads ? { threads: this.options.threads } : {}),
    };
    const progress: PretrainingProgress = { ...job.progress, steps: recipe.steps };
    let saving = Promise.resolve();
    const save = () => {
      saving = saving.then(() => jobs.saveProgress(job.jobId, progress)).catch(() => {});
    };
    try {
      if (signal.aborted) return await this.finishStopped(job.jobId, signal);
      const corpus = pretrainingCorpus();
      progress.corpus = corpus.description;
      const outcome = await pretrainModel(
        recipe,
        corpus,
        workDirectory,
        incomingPath,
        {
          onPhase: (phase) => {
            progress.phase = phase;
            save();
          },
          onResume: (step) => {
            progress.resumedFromStep = step;
            save();
          },
          onStep: (metrics) => {
            Object.assign(progress, {
              step: metrics.step,
              loss: metrics.loss,
              tokensPerSecond: metrics.tokensPerSecond,
            });
            if (metrics.step % 10 === 0) save();
          },
          onValidation: (metrics) => {
            progress.heldOutPerplexity = [
              ...progress.heldOutPerplexity.filter((point) => point.step !== metrics.step),
              { step: metrics.step, perplexity: metrics.perplexity },
            ];
            save();
          },
        },
        signal,
      );
      await saving;
      if (outcome.status === "cancelled") return await this.finishStopped(job.jobId, signal);
      const model = await registerGgufModel({
        dataDirectory,
        registry: this.options.registry,
        incomingPath,
        describedAs: `the model of pretraining job ${job.jobName}`,
        modelId: job.modelId,
        modelName: job.request.modelName,
        providerName: "Local",
        source: "created",
        importedModelId: newResourceId(),
        sourceUri: `pretrained by Strata: job ${job.jobName} (${job.jobId}) on ${corpus.description}`,
      });
      Object.assign(progress, {
        phase: "completed",
        shippedPerplexity: outcome.result.shippedPerplexity,
        parameterCount: outcome.result.parameterCount,
        fileSizeBytes: model.fileSizeBytes,
      });
      await jobs.saveProgress(job.jobId, progress);
      await jobs.setStatus(job.jobId, "Completed");
      await rm(workDirectory, { recursive: true, force: true });
      logger.info("pretraining job completed", { jobId: job.jobId, modelId: job.modelId });
    } catch (error) {
      await saving;
      await rm(incomingPath, { force: true });
      if (signal.aborted && signal.reason === "shutdown") return;
      await jobs.setStatus(job.jobId, "Failed", error instanceof Error ? error.message : String(error));
      logger.warn("pretraining job failed", { jobId: job.jobId, error: describeError(error) });
    }
  }

  private async finishStopped(jobId: string, signal: AbortSignal): Promise<void> {
    // A shutdown is not a stop: the job stays InProgress and resumes at the next start.
    if (signal.reason === "shutdown") return;
    await this.options.jobs.setStatus(jobId, "Stopped");
    await rm(join(this.options.dataDirectory, "pretraining", jobId), { recursive: true, force: true });
  }
}
