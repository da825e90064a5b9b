// A prompt dataset read from S3 (any configured endpoint; the embedded one by default) and parsed into
// evaluation cases. Used when a job is created (a bad file is refused then, naming its lines) and again when it
// runs (the object may have changed since).
import { ValidationException } from "../../protocol/aws-errors.js";
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";
import { describeDatasetProblems, parseEvaluationDataset } from "../dataset/parse-evaluation-dataset.js";
import type { EvaluationCase } from "../run/evaluation-case.js";

/** Bedrock caps a custom prompt dataset at 1,000 prompts. */
export const maxEvaluationRecords = 1000;
const maxDatasetBytes = 64 * 1024 * 1024;

export async function readEvaluationDataset(
  s3Uri: string,
  fieldName: string,
  objectStores: ObjectStoreResolver,
  requireReference: boolean,
): Promise<EvaluationCase[]> {
  const { store, key } = objectStores.resolve(s3Uri, fieldName);
  const head = await store.head(key);
  if (!head) throw new ValidationException(`${fieldName}: there is no object at ${s3Uri}.`);
  if (head.size > maxDatasetBytes)
    throw new ValidationException(
      `${fieldName}: ${s3Uri} is ${head.size} bytes; an evaluation dataset may hold at most ${maxDatasetBytes}.`,
    );
  const parsed = parseEvaluationDataset(await store.getBytes(key), {
    maxRecords: maxEvaluationRecords,
    requireReference,
  });
  if (!parsed.ok) throw new ValidationException(describeDatasetProblems(s3Uri, parsed.problems));
  return parsed.records.map((record) => ({
    line: record.line,
    promptText: record.prompt,
    ...(record.referenceResponse === undefined ? {} : { reference: record.referenceResponse }),
    ...(record.category === undefined ? {} : { category: record.category }),
  }));
}
