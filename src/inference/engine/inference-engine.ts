// The narrow interface between the runtime operations (Bedrock Converse / InvokeModel, the OpenAI-compatible
// API) and whatever runs the model. The llama.cpp implementation is `llama-cpp-engine.ts`; pass-through to
// real Bedrock is not an engine (it forwards whole requests). Operations translate their wire format to a
// GenerationRequest and the event stream back; nothing here knows about HTTP, Bedrock or OpenAI shapes.

/** A model the engine can run: the local model's catalog id and its GGUF file. */
export interface EngineModel {
  modelId: string;
  /** Absolute path of the GGUF file. */
  filePath: string;
  /** A LoRA adapter applied on top, for custom models; the same base stays loaded once. */
  adapter?: { filePath: string; scale: number };
  /**
   * Dedicated capacity (a provisioned throughput): its own context with these sequences and threads on the
   * shared weights, so that other traffic never takes its sequences or its cores. Absent: on-demand capacity.
   */
  capacity?: DedicatedCapacity;
}

export interface DedicatedCapacity {
  /** Names the context; a resized reservation gets a new key and the old context drains. */
  key: string;
  sequences: number;
  threads: number;
}

/** What one loaded model achieves on this host (measured, never assumed). */
export interface MeasuredCapacity {
  threads: number;
  /** Decode speed of one sequence alone on `threads` threads. */
  perSequenceTokensPerSecond: number;
  /** Decode speed of `sequences` sequences batched together on the same threads, all of them summed. */
  aggregateTokensPerSecond: number;
  sequences: number;
}

/** What provisioned throughput needs beyond generation: measuring a model, and letting go of dedicated capacity. */
export interface ReservableEngine {
  measureCapacity(
    model: EngineModel,
    options: { threads: number; sequences: number },
  ): Promise<MeasuredCapacity>;
  /** Disposes the dedicated context once the generations running on it have ended. */
  releaseCapacity(capacityKey: string): Promise<void>;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** A JSON Schema for the tool's input. */
  inputSchema: Record<string, unknown>;
}

/** Bedrock's toolChoice: auto (the model decides), any (some tool must be called), or one named tool. */
export type ToolChoice = { kind: "auto" } | { kind: "any" } | { kind: "tool"; name: string };

export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

export type ChatMessage =
  | { role: "user"; text: string }
  | { role: "assistant"; text: string; toolCalls?: ToolCall[] }
  | { role: "tool"; toolCallId: string; toolName: string; result: string; isError?: boolean };

export interface SamplingOptions {
  /** At most this many generated tokens. */
  maxTokens: number;
  /** 0 means greedy. */
  temperature?: number;
  topP?: number;
  topK?: number;
  seed?: number;
  /** Generation stops before any of these strings; the stop sequence itself is not returned. */
  stopSequences?: string[];
}

export type Prompt =
  /** Formatted with the model's own chat template. */
  | {
      kind: "chat";
      system?: string;
      messages: ChatMessage[];
      tools?: ToolDefinition[];
      toolChoice?: ToolChoice;
    }
  /** Raw text completion, no template (InvokeModel bodies that carry a ready prompt, /v1/completions). */
  | { kind: "text"; text: string };

export interface GenerationRequest {
  model: EngineModel;
  prompt: Prompt;
  sampling: SamplingOptions;
  /** Aborting stops generation promptly and frees the sequence (the client went away). */
  signal: AbortSignal;
}

export type StopReason = "end_turn" | "max_tokens" | "stop_sequence" | "tool_use";

export interface GenerationUsage {
  inputTokens: number;
  outputTokens: number;
}

export type GenerationEvent =
  /** A piece of generated text, in order. */
  | { type: "text"; text: string }
  /** A complete tool call (its input already parsed as JSON). */
  | { type: "toolCall"; toolCall: ToolCall }
  /** Always the last event of a successful generation. */
  | {
      type: "end";
      stopReason: StopReason;
      /** The stop sequence that ended generation, when stopReason is stop_sequence. */
      stopSequence?: string;
      usage: GenerationUsage;
      timeToFirstTokenMs: number;
      totalTimeMs: number;
    };

/** A failure the caller can name for the client (the operation maps it to an AwsError). */
export class EngineError extends Error {
  constructor(
    readonly kind: "model-load" | "context-overflow" | "unsupported" | "internal",
    message: string,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

export interface EmbeddingOptions {
  /**
   * Embeds only the first this many tokens of each text: a longer text would not fit the context, and a
   * classifier (transfer learning) must see the same part of a text when it is trained as when it serves.
   */
  maxTokens?: number;
}

export interface InferenceEngine {
  /** Streams the generation; the iterable ends after the `end` event, or throws EngineError. */
  generate(request: GenerationRequest): AsyncIterable<GenerationEvent>;
  /** Tokens the prompt takes once formatted (what inputTokens would be). */
  countTokens(model: EngineModel, prompt: Prompt): Promise<number>;
  /** One embedding vector per text (mean-pooled hidden states). */
  embed(model: EngineModel, texts: string[], options?: EmbeddingOptions): Promise<number[][]>;
  /** Whether the model's chat template can carry tool definitions and calls. */
  supportsTools(model: EngineModel): Promise<boolean>;
  /** The model's context window in tokens. */
  contextLength(model: EngineModel): Promise<number>;
  dispose(): Promise<void>;
}

/** A text the model is asked how likely it finds after a prompt (evaluation's loss and perplexity). */
export interface ScoringRequest {
  model: EngineModel;
  /** Formatted exactly as generation formats it (chat template, or BOS + text). */
  prompt: Prompt;
  /** Scored token by token, followed by the token that ends it (EOS, or the template's end of turn). */
  continuation: string;
  signal: AbortSignal;
}

export interface ContinuationScore {
  /** −Σ ln p(token | prompt and the tokens before it) over the scored tokens. */
  negativeLogLikelihood: number;
  tokenCount: number;
}

/** What evaluation needs beyond generation: the likelihood of a given text, not a sampled one. */
export interface ScoringEngine {
  scoreContinuation(request: ScoringRequest): Promise<ContinuationScore>;
}

/** Collects a whole generation (non-streaming operations). */
export async function collectGeneration(events: AsyncIterable<GenerationEvent>): Promise<{
  text: string;
  toolCalls: ToolCall[];
  end: Extract<GenerationEvent, { type: "end" }>;
}> {
  let text = "";
  const toolCalls: ToolCall[] = [];
  for await (const event of events) {
    if (event.type === "text") text += event.text;
    else if (event.type === "toolCall") toolCalls.push(event.toolCall);
    else return { text, toolCalls, end: event };
  }
  throw new EngineError("internal", "the generation ended without an end event");
}
