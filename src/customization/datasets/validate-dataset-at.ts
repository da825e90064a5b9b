// Validates a dataset where it lives (s3:// or a file) against the limits of a job: the configured record and
// size limits and, when a base model is given, its context length counted with its own tokenizer. Exposed by
// the ValidateDataset extension operation (`strata data validate`) and run by CreateModelCustomizationJob on
// every file before a job is accepted, so both give the same report.
import type { LlamaModel } from "node-llama-cpp";
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";
import { openDatasetStream } from "./dataset-lines.js";
import { type DatasetFormat, type DatasetReport, validateDataset } from "./validate-dataset.js";

export interface DatasetLimits {
  maxRecords?: number;
  maxBytes?: number;
  maxProblems?: number;
}

export interface ValidateDatasetAtOptions {
  objectStores: ObjectStoreResolver;
  /** The request field that named the location, for error messages (e.g. trainingDataConfig.s3Uri). */
  fieldName: string;
  limits: DatasetLimits;
  /** The base model's tokenizer (vocabulary-only load) and context: records longer than it are refused. */
  tokenizer?: { model: LlamaModel; contextLength: number };
}

export async function validateDatasetAt(
  location: string,
  options: ValidateDatasetAtOptions,
): Promise<DatasetReport> {
  const stream = await openDatasetStream(location, options.objectStores, options.fieldName);
  const { model, contextLength } = options.tokenizer ?? {};
  return validateDataset(stream, {
    fileName: location,
    ...(options.limits.maxRecords === undefined ? {} : { maxRecords: options.limits.maxRecords }),
    ...(options.limits.maxBytes === undefined ? {} : { maxBytes: options.limits.maxBytes }),
    ...(options.limits.maxProblems === undefined ? {} : { maxProblems: options.limits.maxProblems }),
    ...(model && contextLength
      ? { countTokens: (text: string) => model.tokenize(text).length, maxRecordTokens: contextLength }
      : {}),
  });
}

/** The record formats each customization type trains on. */
export const formatsFor: Record<
  "FINE_TUNING" | "CONTINUED_PRE_TRAINING" | "TRANSFER_LEARNING",
  readonly DatasetFormat[]
> = {
  FINE_TUNING: ["prompt-completion", "conversation"],
  CONTINUED_PRE_TRAINING: ["continued-pre-training"],
  // Labeled {"text", "label"} records, validated by src/transfer-learning/datasets/, never by this path.
  TRANSFER_LEARNING: [],
};

/** One line per problem, as error messages and the CLI print them: file:line field: reason. */
export function describeProblems(report: DatasetReport, limit = 10): string {
  const lines = report.problems
    .slice(0, limit)
    .map(
      (problem) =>
        `${problem.file}:${problem.line}${problem.field ? ` ${problem.field}` : ""}: ${problem.reason}`,
    );
  const more = report.problems.length - lines.length + report.omittedProblems;
  return more > 0 ? `${lines.join("; ")}; and ${more} more problem(s)` : lines.join("; ");
}
