// What a job does with its trainer's events: every step and evaluation persisted in order (metrics rows and
// the job's progress), the step speeds kept for the throughput store, and early stopping decided.
import type { Logger } from "../../logging/logger.js";
import type { ChildMessage } from "../../training/training-messages.js";
import type { CustomizationJobStore } from "./customization-job-store.js";
import type { CustomizationMetricsStore } from "./customization-metrics-store.js";
import { EarlyStopping } from "./early-stopping.js";
import { epochOfStep } from "./plan-training-steps.js";

export class TrainingEventRecorder {
  readonly speeds: number[] = [];
  private readonly earlyStopping: EarlyStopping;
  // Events arrive faster than SQLite writes settle: chain the writes so they land in order.
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly jobId: string,
    private readonly stores: {
      jobs: CustomizationJobStore;
      metrics: CustomizationMetricsStore;
      logger: Logger;
    },
    private readonly stepsPerEpoch: number,
    earlyStoppingPatience: number,
  ) {
    this.earlyStopping = new EarlyStopping(earlyStoppingPatience);
  }

  /** Records one event; true when early stopping says the run should end now. */
  record(event: Exclude<ChildMessage, { type: "finished" | "failed" }>): boolean {
    const { jobs, metrics, logger } = this.stores;
    const jobId = this.jobId;
    if (event.type === "step") {
      this.speeds.push(event.tokensPerSecond);
      this.persist(async () => {
        await metrics.record(jobId, {
          kind: "training",
          step: event.step,
          epoch: epochOfStep(event.step, this.stepsPerEpoch),
          loss: event.loss,
          perplexity: Math.exp(event.loss),
          learningRate: event.learningRate,
          tokensPerSecond: event.tokensPerSecond,
        });
        await jobs.recordProgress(jobId, {
          currentStep: event.step,
          trainingLoss: event.loss,
          tokensPerSecond: event.tokensPerSecond,
        });
      });
    } else if (event.type === "validation") {
      this.persist(async () => {
        await metrics.record(jobId, {
          kind: "validation",
          step: event.step,
          epoch: epochOfStep(event.step, this.stepsPerEpoch),
          loss: event.loss,
          perplexity: event.perplexity,
        });
        // Step 0 is the base model's loss (measured before the first step): a metric row only; the job's
        // validation loss and early stopping are about the model being trained.
        if (event.step > 0) await jobs.recordProgress(jobId, { validationLosses: [event.loss] });
      });
      return event.step > 0 && this.earlyStopping.observe(event.loss);
    } else if (event.type === "started") {
      logger.info("customization training started", {
        jobId,
        resumedFromStep: event.resumedFromStep,
        rows: event.rows,
        memory: event.memory,
        matmulKernel: event.matmulKernel,
      });
    }
    return false;
  }

  /** Resolves when every event so far is persisted. */
  async flushed(): Promise<void> {
    await this.writes;
  }

  private persist(write: () => Promise<void>): void {
    this.writes = this.writes
      .then(write)
      .catch((error: unknown) =>
        this.stores.logger.error("cannot record job progress", { jobId: this.jobId, error: String(error) }),
      );
  }
}
