// Runs evaluation jobs one at a time, in creation order, in the background: an evaluation keeps the engine busy
// for its whole length, and two at once would only measure each other's latency. Jobs InProgress when the
// server stopped resume at the next start from their checkpoint (each example's result was kept as it was
// made, and the datasets and models are read and resolved again); jobs that were Stopping become Stopped.
import { rm } from "node:fs/promises";
import { describeError } from "../../logging/logger.js";
import { AwsError } from "../../protocol/aws-errors.js";
import type { EvaluationJob } from "./evaluation-job-store.js";
import { evaluationWorkDirectory } from "./example-checkpoint.js";
import {
  type EvaluationRunDependencies,
  type EvaluationStopReason,
  runEvaluationJob,
} from "./run-evaluation-job.js";

export class EvaluationJobRunner {
  private queue: Promise<void> = Promise.resolve();
  private readonly controllers = new Map<string, AbortController>();
  private closed = false;

  constructor(private readonly deps: EvaluationRunDependencies) {}

  enqueue(job: EvaluationJob): void {
    if (this.closed || this.controllers.has(job.jobId)) return;
    const controller = new AbortController();
    this.controllers.set(job.jobId, controller);
    this.queue = this.queue
      .then(() => this.run(job, controller.signal))
      .finally(() => this.controllers.delete(job.jobId));
  }

  async resumeInterruptedJobs(): Promise<void> {
    for (const job of await this.deps.jobs.listUnfinished()) {
      if (job.status === "Stopping") await this.finishStopped(job.jobId);
      else this.enqueue(job);
    }
  }

  /** The job store already says Stopping; the job stops before its next example (a queued one before it starts). */
  stop(jobId: string): void {
    this.controllers.get(jobId)?.abort("stop" satisfies EvaluationStopReason);
  }

  /** Resolves when every job queued so far has ended (tests). */
  settled(): Promise<void> {
    return this.queue;
  }

  /** Server shutdown: the running job stays InProgress and resumes at the next start. */
  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.controllers.values())
      controller.abort("shutdown" satisfies EvaluationStopReason);
    await this.queue;
  }

  private async run(job: EvaluationJob, signal: AbortSignal): Promise<void> {
    try {
      if (signal.aborted) throw signal.reason;
      await runEvaluationJob(job, this.deps, signal);
    } catch (error) {
      if (signal.aborted && signal.reason === "shutdown") return;
      if (signal.aborted && signal.reason === "stop") return await this.finishStopped(job.jobId);
      const known = error instanceof AwsError;
      if (!known)
        this.deps.logger.error("evaluation job failed unexpectedly", {
          jobId: job.jobId,
          ...describeError(error),
        });
      await this.deps.jobs.finish(job.jobId, "Failed", [
        known ? (error as Error).message : `Internal error: ${(error as Error).message}`,
      ]);
      await rm(evaluationWorkDirectory(this.deps.dataDirectory, job.jobId), { recursive: true, force: true });
    }
  }

  private async finishStopped(jobId: string): Promise<void> {
    await this.deps.jobs.finish(jobId, "Stopped");
    await rm(evaluationWorkDirectory(this.deps.dataDirectory, jobId), { recursive: true, force: true });
  }
}
