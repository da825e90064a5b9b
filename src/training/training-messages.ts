// The messages between the server and the training child, parsed on arrival (never trusted as typed).
import { z } from "zod";
import type { TrainingConfigInput } from "./training-config.js";

const turnSchema = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() });
const dataSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("conversations"), conversations: z.array(z.array(turnSchema).min(1)) }),
  z.object({
    kind: z.literal("promptCompletion"),
    pairs: z.array(z.object({ prompt: z.string(), completion: z.string() })),
  }),
  z.object({ kind: z.literal("text"), documents: z.array(z.string()) }),
]);
const positiveInteger = z.number().int().positive();
const configSchema = z
  .object({
    modelPath: z.string().min(1),
    checkpointDirectory: z.string().min(1),
    training: dataSchema,
    validation: dataSchema.optional(),
    outputPath: z.string().min(1).optional(),
    mode: z.enum(["lora", "full"]).optional(),
    loraRank: positiveInteger.optional(),
    loraAlpha: z.number().optional(),
    loraTargets: z
      .union([z.literal("all"), z.array(z.enum(["q", "k", "v", "o", "gate", "up", "down"]))])
      .optional(),
    steps: z.number().int().nonnegative().optional(),
    rowsPerStep: positiveInteger.optional(),
    sequenceLength: positiveInteger.optional(),
    learningRate: z.number().nonnegative().optional(),
    minimumLearningRate: z.number().nonnegative().optional(),
    warmupSteps: z.number().int().nonnegative().optional(),
    decay: z.enum(["cosine", "linear", "constant"]).optional(),
    weightDecay: z.number().nonnegative().optional(),
    maxGradNorm: z.number().nonnegative().optional(),
    adamBeta1: z.number().optional(),
    adamBeta2: z.number().optional(),
    adamEpsilon: z.number().optional(),
    validationEvery: positiveInteger.optional(),
    validateAtStart: z.boolean().optional(),
    checkpointEvery: positiveInteger.optional(),
    seed: z.number().int().nonnegative().optional(),
    threads: positiveInteger.optional(),
    memoryLimitBytes: z.number().positive().optional(),
  })
  .strict();

const parentMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("start"), config: configSchema }),
  z.object({ type: z.literal("cancel") }),
]);
export type ParentMessage = { type: "start"; config: TrainingConfigInput } | { type: "cancel" };

const childMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("started"),
    resumedFromStep: z.number(),
    rows: z.number(),
    validationRows: z.number(),
    memory: z.string(),
    matmulKernel: z.string(),
  }),
  z.object({
    type: z.literal("step"),
    step: z.number(),
    loss: z.number(),
    learningRate: z.number(),
    gradientNorm: z.number(),
    trainedTokens: z.number(),
    tokensPerSecond: z.number(),
  }),
  z.object({ type: z.literal("validation"), step: z.number(), loss: z.number(), perplexity: z.number() }),
  z.object({ type: z.literal("checkpoint"), step: z.number() }),
  z.object({
    type: z.literal("finished"),
    status: z.enum(["completed", "cancelled"]),
    step: z.number(),
    outputPath: z.string().optional(),
  }),
  z.object({ type: z.literal("failed"), error: z.string(), refused: z.boolean() }),
]);
export type ChildMessage = z.infer<typeof childMessageSchema>;

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

export function parseParentMessage(value: unknown): Parsed<ParentMessage> {
  const parsed = parentMessageSchema.safeParse(value);
  return parsed.success
    ? { ok: true, message: parsed.data as ParentMessage }
    : { ok: false, error: parsed.error.message };
}

export function parseChildMessage(value: unknown): Parsed<ChildMessage> {
  const parsed = childMessageSchema.safeParse(value);
  return parsed.success ? { ok: true, message: parsed.data } : { ok: false, error: parsed.error.message };
}
