// A job's data, from its locations to packed rows, on one path shared by CreateModelCustomizationJob (which
// refuses a job whose data does not pass), the dry run and the job itself (on its staged copies): validate
// every file completely with the base model's tokenizer and context, check the format fits the customization
// type, turn the records into training data and pack them with the base model's own chat template.
import type { ObjectStoreResolver } from "../../storage/object-store/object-store-resolver.js";
import type { PackedRow } from "../../training/data/pack-examples.js";
import { prepareRows } from "../../training/data/prepare-training-data.js";
import type { TrainingData } from "../../training/training-config.js";
import type { CustomizationType } from "../jobs/customization-job-store.js";
import { openDatasetStream } from "./dataset-lines.js";
import { datasetToTrainingData } from "./dataset-to-training-data.js";
import type { TokenizerCache } from "./tokenizer-cache.js";
import type { DatasetFormat, DatasetReport } from "./validate-dataset.js";
import {
  type DatasetLimits,
  describeProblems,
  formatsFor,
  validateDatasetAt,
} from "./validate-dataset-at.js";

/** The data cannot train this job; the message lists the problems (file:line field: reason). */
export class DatasetProblemsError extends Error {
  override readonly name = "DatasetProblemsError";
  constructor(
    message: string,
    readonly reports: readonly DatasetReport[],
  ) {
    super(message);
  }
}

export interface JobDataLocations {
  training: string;
  validation: readonly string[];
}

export interface JobDataLimits {
  training: DatasetLimits;
  validation: DatasetLimits;
}

export interface PreparedJobData {
  format: Exclude<DatasetFormat, "unknown">;
  training: TrainingData;
  validation?: TrainingData;
  trainingReport: DatasetReport;
  validationReports: DatasetReport[];
  rows: PackedRow[];
  validationRows: number;
  /** Tokens in the packed training rows (one epoch). */
  tokens: number;
  /** Tokens the loss counts in one epoch (answers only for fine-tuning, every token for pre-training). */
  trainedTokensPerEpoch: number;
}

export async function prepareJobData(request: {
  locations: JobDataLocations;
  fieldNames?: { training: string; validation: string };
  customizationType: CustomizationType;
  modelPath: string;
  contextLength: number;
  sequenceLength: number;
  limits: JobDataLimits;
  objectStores: ObjectStoreResolver;
  tokenizers: TokenizerCache;
}): Promise<PreparedJobData> {
  const fieldNames = request.fieldNames ?? {
    training: "trainingDataConfig.s3Uri",
    validation: "validationDataConfig.validators[].s3Uri",
  };
  const model = await request.tokenizers.get(request.modelPath);
  const tokenizer = { model, contextLength: request.contextLength };
  const common = { objectStores: request.objectStores, tokenizer };
  const trainingReport = await validateDatasetAt(request.locations.training, {
    ...common,
    fieldName: fieldNames.training,
    limits: request.limits.training,
  });
  const validationReports: DatasetReport[] = [];
  for (const location of request.locations.validation)
    validationReports.push(
      await validateDatasetAt(location, {
        ...common,
        fieldName: fieldNames.validation,
        limits: request.limits.validation,
      }),
    );
  const reports = [trainingReport, ...validationReports];
  const withProblems = reports.filter((report) => report.problems.length > 0);
  if (withProblems.length > 0)
    throw new DatasetProblemsError(
      `The dataset is not valid: ${withProblems.map((report) => describeProblems(report)).join("; ")}`,
      reports,
    );
  const format = trainingReport.format as Exclude<DatasetFormat, "unknown">;
  const allowed = formatsFor[request.customizationType];
  if (!allowed.includes(format))
    throw new DatasetProblemsError(
      `${request.locations.training} holds ${format} records, but ${request.customizationType} trains on ${allowed.join(" or ")} records.`,
      reports,
    );
  for (const report of validationReports)
    if (report.format !== format)
      throw new DatasetProblemsError(
        `${report.problems[0]?.file ?? "the validation file"} holds ${report.format} records, but the training data holds ${format} records; they must match.`,
        reports,
      );

  const training = await datasetToTrainingData(
    await openDatasetStream(request.locations.training, request.objectStores, fieldNames.training),
    format,
  );
  // The trainer measures one held-out set: the service accepts at most one validator.
  const validationLocation = request.locations.validation[0];
  const validation = validationLocation
    ? await datasetToTrainingData(
        await openDatasetStream(validationLocation, request.objectStores, fieldNames.validation),
        format,
      )
    : undefined;
  let rows: PackedRow[];
  let validationRows = 0;
  try {
    rows = prepareRows(model, training, request.sequenceLength);
    if (validation) validationRows = prepareRows(model, validation, request.sequenceLength).length;
  } catch (error) {
    throw new DatasetProblemsError(
      `The base model cannot format this data: ${(error as Error).message}`,
      reports,
    );
  }
  if (rows.length === 0)
    throw new DatasetProblemsError(`${request.locations.training} produced no tokens to train on.`, reports);
  return {
    format,
    training,
    ...(validation ? { validation } : {}),
    trainingReport,
    validationReports,
    rows,
    validationRows,
    tokens: rows.reduce((sum, row) => sum + row.tokens.length, 0),
    trainedTokensPerEpoch: rows.reduce(
      (sum, row) => sum + row.lossMask.reduce((total, value) => total + value, 0),
      0,
    ),
  };
}
