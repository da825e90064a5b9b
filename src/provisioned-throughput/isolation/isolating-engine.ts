// Reserved capacity in processes of its own, kept on cores of their own. Generations on a dedicated capacity
// (a reservation's context) run in an inference process per base model file — several reservations and custom
// models on one base still share one load of its weights there — pinned to the cores assign-cores.ts gives it;
// this process, its other children (training) and on-demand inference stay on the remaining cores. Measured
// need: with thread counts alone, on-demand decoding and the server's own threads ran on the reserved core and
// doubled a reservation's p99 on 2 cores (README, bench:provisioned-throughput).

import { getPriority } from "node:os";
import { EngineProcess } from "../../inference/engine/engine-process/engine-process.js";
import type {
  ContinuationScore,
  DedicatedCapacity,
  EmbeddingOptions,
  EngineModel,
  GenerationEvent,
  GenerationRequest,
  InferenceEngine,
  MeasuredCapacity,
  Prompt,
  ReservableEngine,
  ScoringEngine,
  ScoringRequest,
} from "../../inference/engine/inference-engine.js";
import type { LlamaCppEngineOptions } from "../../inference/engine/llama-cpp-engine.js";
import { describeError, type Logger } from "../../logging/logger.js";
import {
  affinityAvailable,
  descendantProcesses,
  formatCpuList,
  processCpus,
  setProcessCpus,
  setWorkerThreadsNice,
} from "../../system/cpu-affinity.js";
import { TurnTaking } from "../turn-taking.js";
import { assignCores } from "./assign-cores.js";

/** How much nicer than the event loop this process's worker threads (on-demand decoding) run while reservations hold cores. */
const onDemandNiceIncrement = 10;

type SharedEngine = InferenceEngine & ReservableEngine & ScoringEngine;

interface DedicatedProcess {
  engine: EngineProcess;
  /** Threads of each capacity (reservation context) it holds, by capacity key. */
  capacities: Map<string, number>;
  /** Settles once the process is pinned for the capacities it holds. */
  pinned: Promise<void>;
}

export interface IsolatingEngineOptions {
  logger?: Logger;
  /** For the inference processes' engines. */
  engine?: Pick<LlamaCppEngineOptions, "sequencesPerModel" | "maxContextSize">;
}

export class IsolatingEngine implements SharedEngine {
  private readonly processes = new Map<string, DedicatedProcess>();
  /** The cores this server was started on: reservations are carved out of them, and they come back. */
  private readonly cores: number[] | undefined;
  private readonly affinityChanges = new TurnTaking();
  /** The event loop's nice value (Strata may have been started niced): worker threads go 10 above it. */
  private readonly startNice = getPriority();

  constructor(
    private readonly shared: SharedEngine,
    private readonly options: IsolatingEngineOptions = {},
  ) {
    this.cores = affinityAvailable() ? processCpus(process.pid) : undefined;
    if (!this.cores)
      options.logger?.warn("reservations run in their own processes but cannot be pinned to cores here", {
        platform: process.platform,
        hint: "Linux with taskset (util-linux) pins each reservation's inference process to its cores",
      });
  }

  /** The engine a model runs on: its reservation's inference process, or the shared in-process engine. */
  private async engineFor(model: EngineModel): Promise<InferenceEngine & ScoringEngine> {
    return model.capacity ? this.dedicatedFor(model, model.capacity) : this.shared;
  }

  /** The inference process of the model's base file, holding (and pinned for) this capacity. */
  private async dedicatedFor(model: EngineModel, capacity: DedicatedCapacity): Promise<EngineProcess> {
    let dedicated = this.processes.get(model.filePath);
    if (dedicated && !dedicated.engine.alive) {
      this.options.logger?.warn("inference process exited; starting another", { modelFile: model.filePath });
      this.processes.delete(model.filePath);
      dedicated = undefined;
    }
    if (!dedicated) {
      dedicated = {
        engine: new EngineProcess({
          label: model.modelId,
          ...(this.options.logger ? { logger: this.options.logger } : {}),
          ...(this.options.engine ? { engine: this.options.engine } : {}),
        }),
        capacities: new Map(),
        pinned: Promise.resolve(),
      };
      this.processes.set(model.filePath, dedicated);
    }
    if (dedicated.capacities.get(capacity.key) !== capacity.threads) {
      dedicated.capacities.set(capacity.key, capacity.threads);
      // Unpinned is slower, not wrong: a failure to pin is logged and the request goes on.
      dedicated.pinned = this.reassignCores().catch((error: unknown) =>
        this.options.logger?.warn("could not assign cores", describeError(error)),
      );
    }
    // A request that arrives while its capacity is being pinned waits for it too (it ran unpinned otherwise).
    await dedicated.pinned;
    return dedicated.engine;
  }

  /** Pins every inference process to its cores and everything else to the rest (one change at a time). */
  private reassignCores(): Promise<void> {
    return this.affinityChanges.run(async () => {
      if (!this.cores) return;
      const assignment = assignCores(
        this.cores,
        [...this.processes].map(([key, dedicated]) => ({
          key,
          threads: [...dedicated.capacities.values()].reduce((sum, threads) => sum + threads, 0),
        })),
      );
      const dedicatedPins = new Map<number, number[]>();
      for (const [key, dedicated] of this.processes) {
        const { pid } = dedicated.engine.child;
        const cpus = assignment.dedicated.get(key);
        if (pid !== undefined && cpus && dedicated.engine.alive) dedicatedPins.set(pid, cpus);
      }
      const sharedPids = [process.pid, ...descendantProcesses(process.pid)].filter(
        (pid) => !dedicatedPins.has(pid),
      );
      await Promise.all([
        ...[...dedicatedPins].map(([pid, cpus]) =>
          setProcessCpus(pid, cpus).catch((error: unknown) =>
            this.options.logger?.warn("could not pin an inference process", { pid, ...describeError(error) }),
          ),
        ),
        // A child may exit between listing and pinning (taskset itself, a finished training run): not an error.
        ...sharedPids.map((pid) => setProcessCpus(pid, assignment.shared).catch(() => undefined)),
      ]);
      // On the shared cores this process's event loop (every request's HTTP, signature check and answer,
      // reserved ones included) goes before its own on-demand decoding, which runs on worker threads: measured
      // on 2 cores, a reservation's client-side p50 under load went from 1.69× to 1.32× of alone with it.
      const refused = setWorkerThreadsNice(
        this.processes.size > 0 ? Math.min(19, this.startNice + onDemandNiceIncrement) : this.startNice,
      );
      if (refused.length > 0 && this.processes.size === 0)
        this.options.logger?.debug("on-demand threads keep their lower priority", {
          threads: refused.length,
          hint: "raising a nice value back needs CAP_SYS_NICE",
        });
      this.options.logger?.info("cores assigned", {
        shared: formatCpuList(assignment.shared),
        dedicated: Object.fromEntries(
          [...assignment.dedicated].map(([key, cpus]) => [
            this.processes.get(key)?.engine.label ?? key,
            formatCpuList(cpus),
          ]),
        ),
      });
    });
  }

  async *generate(request: GenerationRequest): AsyncGenerator<GenerationEvent> {
    yield* (await this.engineFor(request.model)).generate(request);
  }

  async countTokens(model: EngineModel, prompt: Prompt): Promise<number> {
    return (await this.engineFor(model)).countTokens(model, prompt);
  }

  async embed(model: EngineModel, texts: string[], options?: EmbeddingOptions): Promise<number[][]> {
    return (await this.engineFor(model)).embed(model, texts, options);
  }

  async supportsTools(model: EngineModel): Promise<boolean> {
    return (await this.engineFor(model)).supportsTools(model);
  }

  async contextLength(model: EngineModel): Promise<number> {
    return (await this.engineFor(model)).contextLength(model);
  }

  async scoreContinuation(request: ScoringRequest): Promise<ContinuationScore> {
    return (await this.engineFor(request.model)).scoreContinuation(request);
  }

  /**
   * Measured where the reservation will run: in its inference process, on the cores just granted to it, so that
   * on-demand load at that moment does not shrink the model unit. A model without capacity is measured here.
   */
  async measureCapacity(
    model: EngineModel,
    options: { threads: number; sequences: number },
  ): Promise<MeasuredCapacity> {
    if (!model.capacity) return this.shared.measureCapacity(model, options);
    return (await this.dedicatedFor(model, model.capacity)).measureCapacity(model, options);
  }

  /** Frees the capacity's context once its generations end; a process left with none exits, its cores return. */
  async releaseCapacity(capacityKey: string): Promise<void> {
    for (const [key, dedicated] of this.processes) {
      if (!dedicated.capacities.has(capacityKey)) continue;
      if (dedicated.engine.alive) await dedicated.engine.releaseCapacity(capacityKey).catch(() => undefined);
      dedicated.capacities.delete(capacityKey);
      if (dedicated.capacities.size === 0) {
        this.processes.delete(key);
        await dedicated.engine.dispose();
      }
      await this.reassignCores();
    }
    await this.shared.releaseCapacity(capacityKey);
  }

  async dispose(): Promise<void> {
    const processes = [...this.processes.values()];
    this.processes.clear();
    await Promise.all(processes.map((dedicated) => dedicated.engine.dispose()));
    if (processes.length > 0) await this.reassignCores();
    await this.shared.dispose();
  }
}
