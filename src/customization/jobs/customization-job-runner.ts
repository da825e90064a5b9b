// Runs customization jobs: a queue (oldest first, at most maxConcurrentJobs training at once; the policy is
// schedule-customization-jobs.ts), each job's driver (run-customization-job.ts) with its trainer in a child
// process. Jobs InProgress when the server stopped are queued again at start and resume from their last
// checkpoint; jobs that were Stopping become Stopped.
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { describeError, type Logger } from "../../logging/logger.js";
import { DatasetNotFoundError } from "../datasets/dataset-lines.js";
import { DatasetProblemsError } from "../datasets/prepare-job-data.js";
import type { CustomizationJob, CustomizationJobStore } from "./customization-job-store.js";
import {
  type CustomizationJobDependencies,
  JobFailure,
  jobDirectory,
  runCustomizationJob,
  type StopReason,
} from "./run-customization-job.js";
import { jobsToStart } from "./schedule-customization-jobs.js";

export interface CustomizationJobRunnerOptions extends CustomizationJobDependencies {
  jobs: CustomizationJobStore;
  maxConcurrentJobs: number;
  logger: Logger;
}

/**
 * Runs one job of a customization type the trainer does not train (transfer learning: src/transfer-learning/),
 * with the same contract as runCustomizationJob: throws JobFailure to fail the job, returns once it completed.
 */
export type CustomizationJobDriver = (job: CustomizationJob, signal: AbortSignal) => Promise<void>;

interface RunningJob {
  controller: AbortController;
  done: Promise<void>;
}

export class CustomizationJobRunner {
  private readonly running = new Map<string, RunningJob>();
  private readonly drivers = new Map<CustomizationJob["customizationType"], CustomizationJobDriver>();
  private pumping: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: CustomizationJobRunnerOptions) {}

  /**
   * Runs jobs of this type with `driver` (registered by the composition root before interrupted jobs resume:
   * the transfer-learning driver needs the inference engine, which is made after customization).
   */
  registerDriver(
    customizationType: CustomizationJob["customizationType"],
    driver: CustomizationJobDriver,
  ): void {
    this.drivers.set(customizationType, driver);
  }

  /** Looks at the queue again (after a job was created or one ended). */
  schedule(): void {
    this.pumping = this.pumping
      .then(() => this.pump())
      .catch((error: unknown) =>
        this.options.logger.error("customization queue failed", describeError(error)),
      );
  }

  async resumeInterruptedJobs(): Promise<void> {
    for (const job of await this.options.jobs.listWithStatus("Stopping"))
      await this.options.jobs.finish(job.jobId, "Stopped");
    this.schedule();
    await this.pumping;
  }

  /** Asks a running job to stop (the job store already says Stopping); a queued one is Stopped at once. */
  async stop(jobId: string): Promise<void> {
    const running = this.running.get(jobId);
    if (running) running.controller.abort("stop" satisfies StopReason);
    else {
      await this.options.jobs.finish(jobId, "Stopped");
      await this.discardJobFiles(jobId);
    }
  }

  isRunning(jobId: string): boolean {
    return this.running.has(jobId);
  }

  /** Resolves when every job started so far has ended (tests). */
  async settled(): Promise<void> {
    await this.pumping;
    await Promise.allSettled([...this.running.values()].map((job) => job.done));
  }

  /** Server shutdown: trainers are cancelled, jobs stay InProgress and resume at the next start. */
  async close(): Promise<void> {
    this.closed = true;
    await this.pumping;
    for (const job of this.running.values()) job.controller.abort("shutdown" satisfies StopReason);
    await Promise.allSettled([...this.running.values()].map((job) => job.done));
  }

  private async pump(): Promise<void> {
    if (this.closed) return;
    const queued = (await this.options.jobs.listWithStatus("InProgress")).filter(
      (job) => !this.running.has(job.jobId),
    );
    for (const jobId of jobsToStart(queued, this.running.size, this.options.maxConcurrentJobs)) {
      const job = queued.find((candidate) => candidate.jobId === jobId);
      if (!job) continue;
      const controller = new AbortController();
      const done = this.run(job, controller.signal).finally(() => {
        this.running.delete(job.jobId);
        this.schedule();
      });
      this.running.set(job.jobId, { controller, done });
    }
  }

  private async run(job: Parameters<typeof runCustomizationJob>[0], signal: AbortSignal): Promise<void> {
    await this.attempt(job, signal);
    // A job that ended without a model leaves nothing behind: no checkpoints, staged data or partial GGUF.
    const ended = await this.options.jobs.find(job.jobId);
    if (ended?.status === "Failed" || ended?.status === "Stopped") await this.discardJobFiles(job.jobId);
  }

  /**
   * A job that ended without a model leaves nothing behind: no checkpoints, staged data or partial GGUF, and no
   * artifact already moved into models/ (a job stopped during its base-vs-custom evaluation had moved it there).
   */
  private async discardJobFiles(jobId: string): Promise<void> {
    const directory = jobDirectory(this.options.dataDirectory, jobId);
    const reserved = (await readFile(join(directory, "custom-model-id"), "utf8").catch(() => "")).trim();
    if (reserved && !(await this.options.customModels.find(reserved)))
      await rm(join(this.options.dataDirectory, "models", `custom-${reserved}.gguf`), { force: true });
    await rm(directory, { recursive: true, force: true });
  }

  private async attempt(job: Parameters<typeof runCustomizationJob>[0], signal: AbortSignal): Promise<void> {
    const { jobs, logger } = this.options;
    try {
      const driver = this.drivers.get(job.customizationType);
      if (driver) await driver(job, signal);
      else await runCustomizationJob(job, this.options, signal);
    } catch (error) {
      if (signal.aborted && signal.reason === "shutdown") return;
      if (signal.aborted && signal.reason === "stop") {
        await jobs.finish(job.jobId, "Stopped");
        return;
      }
      const known =
        error instanceof JobFailure ||
        error instanceof DatasetProblemsError ||
        error instanceof DatasetNotFoundError;
      if (!known)
        logger.error("customization job failed unexpectedly", { jobId: job.jobId, ...describeError(error) });
      await jobs.finish(job.jobId, "Failed", {
        failureMessage: known ? (error as Error).message : `Internal error: ${(error as Error).message}`,
      });
    }
  }
}
