// The engine behind admission: every generation first takes a place at its capacity's gate (the reservation's
// dedicated sequences, or its model's on-demand sequences), so a capacity never holds more generations than it
// has sequences, and never more waiting than its bounded queue.
import {
  type ContinuationScore,
  type EmbeddingOptions,
  EngineError,
  type EngineModel,
  type GenerationEvent,
  type GenerationRequest,
  type InferenceEngine,
  type Prompt,
  type ScoringEngine,
  type ScoringRequest,
} from "../inference/engine/inference-engine.js";
import type { CapacityGates } from "./capacity-gates.js";

/**
 * The gate a generation on this model goes through: one per reservation (its capacity keys are
 * `<provisionedModelId>.<generation>`, a new generation per resize), one per model file for on-demand traffic.
 */
export function capacityKeyOf(model: EngineModel): string {
  return model.capacity ? `reserved:${model.capacity.key.split(".")[0]}` : `on-demand:${model.filePath}`;
}

export class GatedEngine implements InferenceEngine, ScoringEngine {
  constructor(
    /** Scoring is passed on when this engine can score (every real one can; a test's stand-in may not). */
    private readonly engine: InferenceEngine & Partial<ScoringEngine>,
    private readonly gates: CapacityGates,
    /** Defines a model's on-demand gate the first time it is used. */
    private readonly defineOnDemand: (model: EngineModel) => void,
    /**
     * The capacity a reserved generation runs on once admitted: a request that waited through a resize runs on
     * the new capacity; those already running finish on the old one.
     */
    private readonly currentModel: (model: EngineModel) => EngineModel = (model) => model,
  ) {}

  async *generate(request: GenerationRequest): AsyncGenerator<GenerationEvent> {
    if (!request.model.capacity) this.defineOnDemand(request.model);
    const release = await this.gates.acquire(capacityKeyOf(request.model), request.signal);
    try {
      yield* this.engine.generate({ ...request, model: this.currentModel(request.model) });
    } finally {
      release();
    }
  }

  countTokens(model: EngineModel, prompt: Prompt): Promise<number> {
    return this.engine.countTokens(model, prompt);
  }

  /** Embeddings take a place at the gate too: a classifier's reservation (transfer learning) serves them. */
  async embed(model: EngineModel, texts: string[], options?: EmbeddingOptions): Promise<number[][]> {
    if (!model.capacity) this.defineOnDemand(model);
    const release = await this.gates.acquire(capacityKeyOf(model), new AbortController().signal);
    try {
      return await this.engine.embed(this.currentModel(model), texts, options);
    } finally {
      release();
    }
  }

  /**
   * Scoring takes a place at the gate as generation does: transfer learning's zero-shot baseline scores labels on
   * the base model's on-demand capacity, next to its other traffic.
   */
  async scoreContinuation(request: ScoringRequest): Promise<ContinuationScore> {
    const { engine } = this;
    if (!engine.scoreContinuation)
      throw new EngineError("unsupported", "the engine behind the gate has no scoreContinuation");
    if (!request.model.capacity) this.defineOnDemand(request.model);
    const release = await this.gates.acquire(capacityKeyOf(request.model), request.signal);
    try {
      return await engine.scoreContinuation({ ...request, model: this.currentModel(request.model) });
    } finally {
      release();
    }
  }

  supportsTools(model: EngineModel): Promise<boolean> {
    return this.engine.supportsTools(model);
  }

  contextLength(model: EngineModel): Promise<number> {
    return this.engine.contextLength(model);
  }

  dispose(): Promise<void> {
    return this.engine.dispose();
  }
}
