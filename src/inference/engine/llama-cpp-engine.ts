// The inference engine on llama.cpp through node-llama-cpp 3.21.1 (prebuilt binaries, CPU). One loaded model
// per GGUF file; on it one context per (adapter, capacity): on-demand requests share one context per model and
// adapter (llama.cpp batches their sequences' decoding), each reservation gets its own context with its own
// sequences and threads on the same weights. The model's own chat template, threads chosen by measurement.
import {
  type ChatWrapper,
  getLlama,
  type Llama,
  LlamaChat,
  LlamaCompletion,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaEmbeddingContext,
  LlamaLogLevel,
  type LlamaModel,
  readGgufFileInfo,
  resolveChatWrapper,
} from "node-llama-cpp";
import type { Logger } from "../../logging/logger.js";
import { toChatHistory } from "./chat-history.js";
import { chooseThreadCount, measureBatchedDecodeSpeed } from "./choose-thread-count.js";
import { generateForcedToolCall } from "./forced-tool-call.js";
import {
  type ContinuationScore,
  type EmbeddingOptions,
  EngineError,
  type EngineModel,
  type GenerationEvent,
  type GenerationRequest,
  type InferenceEngine,
  type MeasuredCapacity,
  type Prompt,
  type ReservableEngine,
  type ScoringEngine,
  type ScoringRequest,
  type StopReason,
} from "./inference-engine.js";
import { scoreOnSequence } from "./score-on-sequence.js";
import { scoringTokens } from "./scoring-tokens.js";
import { SequencePool } from "./sequence-pool.js";

export interface LlamaCppEngineOptions {
  logger?: Logger;
  /** Parallel sequences per loaded model (concurrent requests beyond this wait). */
  sequencesPerModel?: number;
  /** Upper bound of each sequence's context, below the model's trained context. */
  maxContextSize?: number;
  /** Skips the measurement (tests of other things, or an operator who knows the host). */
  threads?: number;
  /** Cores left to on-demand contexts once reservations hold theirs: their threads never exceed it. */
  onDemandCores?: () => number;
}

/** One load of a GGUF's weights, shared by every context on it (on-demand, reservations, adapters). */
interface SharedModel {
  model: LlamaModel;
  chatWrapper: ChatWrapper;
  threads: number;
  hasToolTemplate: boolean;
  embeddingContext?: Promise<LlamaEmbeddingContext>;
}

/** A context on a shared model: its sequences, its threads, and the adapter applied in it. */
interface LoadedModel extends SharedModel {
  shared: SharedModel;
  pool: SequencePool;
  contextSize: number;
  capacityKey?: string;
  /** A reservation's own embedding context (its threads), so its embeddings do not queue behind others'. */
  dedicatedEmbeddingContext?: Promise<LlamaEmbeddingContext>;
  /** One sequence of its own for scoring (made on first use): see scoreContinuation. */
  scoringPool?: Promise<SequencePool>;
}

export class LlamaCppEngine implements InferenceEngine, ReservableEngine, ScoringEngine {
  private llama: Promise<Llama> | undefined;
  private readonly models = new Map<string, Promise<SharedModel>>();
  private readonly loaded = new Map<string, Promise<LoadedModel>>();

  constructor(private readonly options: LlamaCppEngineOptions = {}) {}

  private getLlama(): Promise<Llama> {
    this.llama ??= getLlama({
      build: "never",
      gpu: false,
      logLevel: LlamaLogLevel.error,
      progressLogs: false,
      // Strata assigns threads itself (measured per model, whole cores per reservation): node-llama-cpp must
      // neither lower them when contexts run at once nor make one context wait for another's threads.
      maxThreads: 0,
    });
    return this.llama;
  }

  private loadShared(engineModel: EngineModel): Promise<SharedModel> {
    let loading = this.models.get(engineModel.filePath);
    if (!loading) {
      loading = this.loadSharedUncached(engineModel);
      // A failed load is not cached: the file may be fixed or replaced.
      loading.catch(() => this.models.delete(engineModel.filePath));
      this.models.set(engineModel.filePath, loading);
    }
    return loading;
  }

  private async loadSharedUncached(engineModel: EngineModel): Promise<SharedModel> {
    const llama = await this.getLlama();
    let model: LlamaModel;
    try {
      model = await llama.loadModel({
        modelPath: engineModel.filePath,
        ...(await meanPoolingUnlessSet(engineModel.filePath)),
      });
    } catch (error) {
      throw new EngineError(
        "model-load",
        `llama.cpp could not load ${engineModel.modelId}: ${(error as Error).message}`,
      );
    }
    const threads: number =
      this.options.threads ??
      (await chooseThreadCount(model).then(({ chosen, measurements }) => {
        this.options.logger?.info("threads measured", { modelId: engineModel.modelId, chosen, measurements });
        return chosen;
      }));
    this.options.logger?.info("model loaded", {
      modelId: engineModel.modelId,
      file: engineModel.filePath,
      threads,
    });
    const template = model.fileInfo.metadata.tokenizer?.chat_template;
    return {
      model,
      chatWrapper: resolveChatWrapper(model),
      threads,
      hasToolTemplate: typeof template === "string" && /\btools\b/.test(template),
    };
  }

  private load(engineModel: EngineModel): Promise<LoadedModel> {
    const key = [
      engineModel.filePath,
      engineModel.adapter?.filePath ?? "",
      engineModel.capacity?.key ?? "",
    ].join("#");
    let loading = this.loaded.get(key);
    if (!loading) {
      loading = this.loadUncached(engineModel);
      loading.catch(() => this.loaded.delete(key));
      this.loaded.set(key, loading);
    }
    return loading;
  }

  private async loadUncached(engineModel: EngineModel): Promise<LoadedModel> {
    const shared = await this.loadShared(engineModel);
    const { model } = shared;
    const threads =
      engineModel.capacity?.threads ??
      Math.min(shared.threads, this.options.onDemandCores?.() ?? shared.threads);
    const contextSize = Math.min(model.trainContextSize, this.options.maxContextSize ?? 4096);
    const context = await this.createContext(model, engineModel, {
      contextSize,
      sequences: engineModel.capacity?.sequences ?? this.options.sequencesPerModel ?? 8,
      threads,
    });
    return {
      ...shared,
      shared,
      threads,
      pool: new SequencePool(context),
      contextSize: context.contextSize,
      ...(engineModel.capacity ? { capacityKey: engineModel.capacity.key } : {}),
    };
  }

  /** A context on the loaded weights with the model's adapter applied, if it has one. */
  private async createContext(
    model: LlamaModel,
    engineModel: EngineModel,
    options: { contextSize: number; sequences: number; threads: number },
  ): Promise<LlamaContext> {
    try {
      return await model.createContext({
        ...options,
        ...(engineModel.adapter
          ? {
              lora: {
                adapters: [{ filePath: engineModel.adapter.filePath, scale: engineModel.adapter.scale }],
              },
            }
          : {}),
      });
    } catch (error) {
      throw new EngineError(
        "model-load",
        `llama.cpp could not create a context for ${engineModel.modelId}: ${(error as Error).message}`,
      );
    }
  }

  async measureCapacity(
    engineModel: EngineModel,
    options: { threads: number; sequences: number },
  ): Promise<MeasuredCapacity> {
    const { model } = await this.loadShared(engineModel);
    const measured = await measureBatchedDecodeSpeed(model, options);
    this.options.logger?.info("capacity measured", { modelId: engineModel.modelId, ...measured });
    return measured;
  }

  async releaseCapacity(capacityKey: string): Promise<void> {
    for (const [key, loading] of this.loaded) {
      if (!key.endsWith(`#${capacityKey}`)) continue;
      this.loaded.delete(key);
      const loaded = await loading.catch(() => undefined);
      await loaded?.pool.drainAndDispose();
      await (await loaded?.dedicatedEmbeddingContext?.catch(() => undefined))?.dispose();
      await (await loaded?.scoringPool?.catch(() => undefined))?.drainAndDispose();
    }
  }

  async *generate(request: GenerationRequest): AsyncGenerator<GenerationEvent> {
    const loaded = await this.load(request.model);
    const started = performance.now();
    const inputTokens = await this.countLoaded(loaded, request.prompt);
    if (inputTokens >= loaded.contextSize) {
      throw new EngineError(
        "context-overflow",
        `The input is ${inputTokens} tokens; ${request.model.modelId} takes at most ${loaded.contextSize - 1} before generating.`,
      );
    }
    const sequence = await loaded.pool.acquire(request.signal);
    try {
      yield* this.generateOnSequence(loaded, sequence, request, inputTokens, started);
    } finally {
      await loaded.pool.release(sequence);
    }
  }

  private async *generateOnSequence(
    loaded: LoadedModel,
    sequence: LlamaContextSequence,
    request: GenerationRequest,
    inputTokens: number,
    started: number,
  ): AsyncGenerator<GenerationEvent> {
    // Generation stops when the client goes away, and also when our consumer stops pulling events early
    // (then the still-running llama.cpp call must end before its sequence is released).
    const stopper = new AbortController();
    const stopSignal = AbortSignal.any([request.signal, stopper.signal]);
    let pending: Promise<unknown> | undefined;
    try {
      yield* this.generateWithSignal(
        loaded,
        sequence,
        request,
        inputTokens,
        started,
        stopSignal,
        (running) => {
          pending = running;
        },
      );
    } finally {
      stopper.abort();
      await pending?.catch(() => undefined);
    }
  }

  private async *generateWithSignal(
    loaded: LoadedModel,
    sequence: LlamaContextSequence,
    request: GenerationRequest,
    inputTokens: number,
    started: number,
    stopSignal: AbortSignal,
    track: (running: Promise<unknown>) => void,
  ): AsyncGenerator<GenerationEvent> {
    const { prompt, sampling } = request;
    const maxTokens = Math.min(sampling.maxTokens, loaded.contextSize - inputTokens);
    let firstTokenAt: number | undefined;
    let outputTokens = 0;
    const onToken = (tokens: readonly unknown[]) => {
      firstTokenAt ??= performance.now();
      outputTokens += tokens.length;
    };
    const end = (stopReason: StopReason, stopSequence?: string): GenerationEvent => ({
      type: "end",
      stopReason,
      ...(stopSequence ? { stopSequence } : {}),
      // The sequence's own meter counts every sampled token; onToken can miss one held back as a possible
      // stop trigger when maxTokens is reached.
      usage: { inputTokens, outputTokens: Math.max(outputTokens, sequence.tokenMeter.usedOutputTokens) },
      timeToFirstTokenMs: Math.round((firstTokenAt ?? performance.now()) - started),
      totalTimeMs: Math.round(performance.now() - started),
    });
    const samplingOptions = {
      maxTokens,
      ...(sampling.temperature !== undefined ? { temperature: sampling.temperature } : {}),
      ...(sampling.topP !== undefined ? { topP: sampling.topP } : {}),
      ...(sampling.topK !== undefined ? { topK: sampling.topK } : {}),
      ...(sampling.seed !== undefined ? { seed: sampling.seed } : {}),
      ...(sampling.stopSequences?.length ? { customStopTriggers: sampling.stopSequences } : {}),
      signal: stopSignal,
      stopOnAbortSignal: false,
      onToken,
    };

    if (prompt.kind === "text") {
      const completion = new LlamaCompletion({ contextSequence: sequence, autoDisposeSequence: false });
      const queue = new TextQueue();
      const running = completion
        .generateCompletionWithMeta(prompt.text, {
          ...samplingOptions,
          onTextChunk: (text) => queue.push(text),
        })
        .finally(() => queue.close());
      track(running);
      yield* queue.drain();
      const result = await running.catch(rethrowAbort);
      completion.dispose();
      const stop = result.metadata;
      yield stop.stopReason === "customStopTrigger"
        ? end("stop_sequence", stopText(stop.customStopTrigger))
        : end(stop.stopReason === "maxTokens" ? "max_tokens" : "end_turn");
      return;
    }

    if (prompt.toolChoice && prompt.toolChoice.kind !== "auto" && prompt.tools?.length) {
      const llama = await this.getLlama();
      const toolCall = await generateForcedToolCall({
        llama,
        sequence,
        chatWrapper: loaded.chatWrapper,
        prompt,
        toolChoice: prompt.toolChoice,
        sampling: samplingOptions,
      });
      if (!toolCall) {
        yield end("max_tokens");
        return;
      }
      yield { type: "toolCall", toolCall };
      yield end("tool_use");
      return;
    }

    const chat = new LlamaChat({
      contextSequence: sequence,
      chatWrapper: loaded.chatWrapper,
      autoDisposeSequence: false,
    });
    const queue = new TextQueue();
    const functions = prompt.tools?.length
      ? Object.fromEntries(
          prompt.tools.map((tool) => [
            tool.name,
            {
              ...(tool.description ? { description: tool.description } : {}),
              params: tool.inputSchema as never,
            },
          ]),
        )
      : undefined;
    const running = chat
      .generateResponse(toChatHistory(prompt.system, prompt.messages), {
        ...samplingOptions,
        onTextChunk: (text) => queue.push(text),
        ...(functions ? { functions } : {}),
      })
      .finally(() => queue.close());
    track(running);
    yield* queue.drain();
    const response = await running.catch(rethrowAbort);
    chat.dispose();
    const calls =
      (response as { functionCalls?: { functionName: string; params: unknown }[] }).functionCalls ?? [];
    for (const [index, call] of calls.entries()) {
      yield {
        type: "toolCall",
        toolCall: {
          id: `tooluse_${Date.now().toString(36)}${index}`,
          name: call.functionName,
          input: call.params,
        },
      };
    }
    const stop = response.metadata;
    if (calls.length > 0) yield end("tool_use");
    else if (stop.stopReason === "customStopTrigger")
      yield end("stop_sequence", stopText(stop.customStopTrigger));
    else yield end(stop.stopReason === "maxTokens" ? "max_tokens" : "end_turn");
  }

  async countTokens(engineModel: EngineModel, prompt: Prompt): Promise<number> {
    return this.countLoaded(await this.load(engineModel), prompt);
  }

  private async countLoaded(loaded: LoadedModel, prompt: Prompt): Promise<number> {
    if (prompt.kind === "text") return loaded.model.tokenize(prompt.text).length;
    const { contextText } = loaded.chatWrapper.generateContextState({
      chatHistory: toChatHistory(prompt.system, prompt.messages),
    });
    return contextText.tokenize(loaded.model.tokenizer).length;
  }

  async embed(
    engineModel: EngineModel,
    texts: string[],
    options: EmbeddingOptions = {},
  ): Promise<number[][]> {
    const loaded = await this.load(engineModel);
    // One batch holds the whole text: llama.cpp pools over the batch it decodes, so a text split across batches
    // would be represented by its last batch alone.
    const create = () =>
      loaded.model.createEmbeddingContext({
        threads: loaded.threads,
        contextSize: loaded.contextSize,
        batchSize: loaded.contextSize,
      });
    let context: LlamaEmbeddingContext;
    if (loaded.capacityKey) {
      loaded.dedicatedEmbeddingContext ??= create();
      context = await loaded.dedicatedEmbeddingContext;
    } else {
      loaded.shared.embeddingContext ??= create();
      context = await loaded.shared.embeddingContext;
    }
    // node-llama-cpp adds BOS (and EOS for some vocabularies) and needs the input shorter than the context.
    const limit = Math.min(options.maxTokens ?? Number.POSITIVE_INFINITY, loaded.contextSize - 3);
    const vectors: number[][] = [];
    for (const text of texts) {
      const tokens = loaded.model.tokenize(text).slice(0, limit);
      vectors.push([...(await context.getEmbeddingFor(tokens)).vector]);
    }
    return vectors;
  }

  /**
   * The continuation's likelihood, on a context of one sequence kept for scoring (scores queue behind each
   * other, never behind generation). Not on the shared pool: decoded in one batch with other sequences of a
   * context, llama.cpp's probabilities for a continuation's later tokens came out different (by up to 0.27 nats
   * on the built-in model, 3 of 100 scores) from the same text scored alone, and a score must not depend on what
   * else runs.
   */
  async scoreContinuation(request: ScoringRequest): Promise<ContinuationScore> {
    const loaded = await this.load(request.model);
    const tokens = scoringTokens(loaded.model, loaded.chatWrapper, request.prompt, request.continuation);
    const length = tokens.context.length + tokens.continuation.length;
    if (length > loaded.contextSize)
      throw new EngineError(
        "context-overflow",
        `The prompt and the scored text are ${length} tokens; ${request.model.modelId} takes at most ${loaded.contextSize}.`,
      );
    loaded.scoringPool ??= this.createContext(loaded.model, request.model, {
      contextSize: loaded.contextSize,
      sequences: 1,
      threads: loaded.threads,
    }).then((context) => new SequencePool(context));
    const pool = await loaded.scoringPool;
    const sequence = await pool.acquire(request.signal);
    try {
      return await scoreOnSequence(sequence, tokens);
    } catch (error) {
      throw new EngineError("internal", `llama.cpp could not score the text: ${(error as Error).message}`);
    } finally {
      await pool.release(sequence);
    }
  }

  async supportsTools(engineModel: EngineModel): Promise<boolean> {
    return (await this.load(engineModel)).hasToolTemplate;
  }

  async contextLength(engineModel: EngineModel): Promise<number> {
    return (await this.load(engineModel)).contextSize;
  }

  async dispose(): Promise<void> {
    await Promise.allSettled(this.loaded.values());
    this.loaded.clear();
    const models = await Promise.allSettled(this.models.values());
    this.models.clear();
    for (const result of models) if (result.status === "fulfilled") await result.value.model.dispose();
    const llama = await this.llama?.catch(() => undefined);
    await llama?.dispose();
    this.llama = undefined;
  }
}

/** Text chunks from a callback, drained by the generator that yields them as events. */
class TextQueue {
  private readonly chunks: string[] = [];
  private closed = false;
  private wake: (() => void) | undefined;

  push(text: string): void {
    this.chunks.push(text);
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async *drain(): AsyncGenerator<GenerationEvent> {
    while (true) {
      const text = this.chunks.shift();
      if (text !== undefined) {
        if (text !== "") yield { type: "text", text };
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}

function stopText(trigger: readonly unknown[]): string {
  return trigger.filter((part): part is string => typeof part === "string").join("");
}

function rethrowAbort(error: unknown): never {
  if ((error as Error)?.name === "AbortError") throw error;
  throw new EngineError("internal", `llama.cpp generation failed: ${(error as Error).message}`);
}

/**
 * llama.cpp pools embeddings as the GGUF says; a generative model's file usually says nothing, and then an
 * embedding is the last token's hidden state alone. Mean pooling over every token is what `embed` promises, and
 * it represents a whole text far better (spam vs ham on strata.tiny-base-v1 with a logistic head: 0.94 accuracy
 * mean-pooled, 0.70 last-token). Pooling only applies to embedding contexts; generation is unaffected.
 */
async function meanPoolingUnlessSet(
  filePath: string,
): Promise<{ metadataOverrides?: Parameters<Llama["loadModel"]>[0]["metadataOverrides"] }> {
  const info = await readGgufFileInfo(filePath, {
    readTensorInfo: false,
    logWarnings: false,
    ignoreKeys: [
      "tokenizer.ggml.tokens",
      "tokenizer.ggml.scores",
      "tokenizer.ggml.token_type",
      "tokenizer.ggml.merges",
    ],
  }).catch(() => undefined);
  const architecture = info?.metadata.general?.architecture;
  if (!architecture) return {};
  const section = (info.metadata as unknown as Record<string, { pooling_type?: number } | undefined>)[
    architecture
  ];
  if (section?.pooling_type !== undefined) return {};
  return { metadataOverrides: { [architecture]: { pooling_type: 1 } } as never };
}
