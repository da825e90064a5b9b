// What every Bedrock model family's native InvokeModel body module provides: its request body → the engine's
// prompt and sampling options, the engine's result → that family's response body, and the engine's event
// stream → that family's InvokeModelWithResponseStream chunks. All of it pure: no engine, no HTTP.
import type { GenerationEvent, Prompt, SamplingOptions, ToolCall } from "../engine/inference-engine.js";

export type NativeFamilyName = "anthropic-messages" | "meta-llama" | "amazon-nova" | "amazon-titan-text";

export type ParsedNativeRequest =
  | { ok: true; prompt: Prompt; sampling: SamplingOptions }
  | { ok: false; message: string };

/** What the catalog knows about the model a request names, for the limits that depend on it. */
export interface NativeRequestLimits {
  /** The model's documented output limit (Bedrock models); local models have none beyond their context. */
  maxOutputTokens?: number;
}

export type GenerationEnd = Extract<GenerationEvent, { type: "end" }>;

/** A whole generation, as `collectGeneration` returns it. */
export interface CollectedGeneration {
  text: string;
  toolCalls: ToolCall[];
  end: GenerationEnd;
}

export interface NativeResponseContext {
  /** The model id the response names (the id the caller asked for). */
  modelId: string;
  requestId: string;
}

export interface NativeStreamContext extends NativeResponseContext {
  /** Tokens of the prompt, known before the first chunk (Llama, Titan and Anthropic report it up front). */
  inputTokens: number;
}

/** One piece of the model-native streaming JSON, the decoded `bytes` of one `chunk` event. */
export type NativeChunk = Record<string, unknown>;

/**
 * Turns the engine's events into a family's stream chunks, one event at a time. The `end` event always
 * yields at least one chunk, the last of the stream, which the operation extends with the invocation metrics.
 */
export interface NativeStreamTranslator {
  translate(event: GenerationEvent): NativeChunk[];
}

export interface NativeFamily {
  name: NativeFamilyName;
  /** The body shape in a few words, for the error that lists the accepted shapes. */
  shape: string;
  parseRequest(body: unknown, limits?: NativeRequestLimits): ParsedNativeRequest;
  responseBody(generation: CollectedGeneration, context: NativeResponseContext): NativeChunk;
  createStream(context: NativeStreamContext): NativeStreamTranslator;
}
