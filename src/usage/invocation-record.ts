// One row of the usage ledger: what every runtime invocation (Bedrock or OpenAI-compatible, local or
// pass-through) reports when it ends, successfully or not.
export interface InvocationRecord {
  requestId: string;
  /** The identifier the caller used (model id, ARN, alias). */
  requestedModelId: string;
  /** The catalog model that served it. */
  modelId: string;
  servedBy: "LOCAL_ENGINE" | "PASS_THROUGH";
  /** Converse, ConverseStream, InvokeModel, InvokeModelWithResponseStream, openai.chat.completions, … */
  operation: string;
  callerKeyId: string;
  inputTokens: number;
  outputTokens: number;
  timeToFirstTokenMs?: number;
  latencyMs: number;
  /** "success", or the AWS error type that ended it. */
  status: string;
  startedAt: Date;
}

/** Where runtime operations report invocations; the ledger prices and stores them. */
export interface UsageRecorder {
  record(invocation: InvocationRecord): void;
}
