// What a transfer-learning job keeps beyond its model_customization_jobs row (same job id): the held-out test
// data, the classes, how far feature extraction got, the heads trained and the evaluation. JSON columns are
// written and read only here.
import type { Kysely, Selectable } from "kysely";
import type { StrataDatabase, TransferLearningJobTable } from "../../storage/database/database-schema.js";
import type { HeadType } from "../classifier/classification-head.js";
import type { ClassificationReport } from "../evaluation/classification-metrics.js";

export interface HeadTrainingSummary {
  headType: HeadType;
  epochs: number;
  bestEpoch: number;
  bestValidationLoss: number;
  stoppedEarly: boolean;
  selected: boolean;
}

export interface TransferLearningEvaluation {
  /** Where the held-out records came from. */
  testDataUri: string;
  records: number;
  /** Every head trained, each on the test set; the selected one (lowest validation loss) is the custom model. */
  heads: (ClassificationReport & { headType: HeadType; selected: boolean })[];
  bagOfWords: ClassificationReport & { vocabularySize: number };
  zeroShot: ClassificationReport & {
    /** "zero-shot by label likelihood" (zero-shot.ts). */
    method: string;
    prompt: string;
    /** The first records' per-label negative log-likelihoods, what their predictions were chosen from. */
    sampleNegativeLogLikelihoods: Record<string, number>[];
  };
}

export interface TransferLearningDetails {
  jobId: string;
  testDataUri?: string;
  labels?: string[];
  embeddedTexts: number;
  textsToEmbed?: number;
  headTraining?: HeadTrainingSummary[];
  evaluation?: TransferLearningEvaluation;
}

export class TransferLearningJobStore {
  constructor(private readonly database: Kysely<StrataDatabase>) {}

  async insert(jobId: string, testDataUri: string | undefined): Promise<void> {
    await this.database
      .insertInto("transfer_learning_jobs")
      .values({
        job_id: jobId,
        test_data_uri: testDataUri ?? null,
        labels: null,
        embedded_texts: 0,
        texts_to_embed: null,
        head_training: null,
        evaluation: null,
      })
      .execute();
  }

  async find(jobId: string): Promise<TransferLearningDetails | undefined> {
    const row = await this.database
      .selectFrom("transfer_learning_jobs")
      .selectAll()
      .where("job_id", "=", jobId)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async recordLabels(jobId: string, labels: readonly string[], textsToEmbed: number): Promise<void> {
    await this.database
      .updateTable("transfer_learning_jobs")
      .set({ labels: JSON.stringify(labels), texts_to_embed: textsToEmbed, embedded_texts: 0 })
      .where("job_id", "=", jobId)
      .execute();
  }

  async recordEmbedded(jobId: string, embeddedTexts: number): Promise<void> {
    await this.database
      .updateTable("transfer_learning_jobs")
      .set({ embedded_texts: embeddedTexts })
      .where("job_id", "=", jobId)
      .execute();
  }

  async recordHeadTraining(jobId: string, heads: readonly HeadTrainingSummary[]): Promise<void> {
    await this.database
      .updateTable("transfer_learning_jobs")
      .set({ head_training: JSON.stringify(heads) })
      .where("job_id", "=", jobId)
      .execute();
  }

  async recordEvaluation(jobId: string, evaluation: TransferLearningEvaluation): Promise<void> {
    await this.database
      .updateTable("transfer_learning_jobs")
      .set({ evaluation: JSON.stringify(evaluation) })
      .where("job_id", "=", jobId)
      .execute();
  }
}

function fromRow(row: Selectable<TransferLearningJobTable>): TransferLearningDetails {
  return {
    jobId: row.job_id,
    ...(row.test_data_uri ? { testDataUri: row.test_data_uri } : {}),
    ...(row.labels ? { labels: JSON.parse(row.labels) as string[] } : {}),
    embeddedTexts: row.embedded_texts,
    ...(row.texts_to_embed === null ? {} : { textsToEmbed: row.texts_to_embed }),
    ...(row.head_training ? { headTraining: JSON.parse(row.head_training) as HeadTrainingSummary[] } : {}),
    ...(row.evaluation ? { evaluation: JSON.parse(row.evaluation) as TransferLearningEvaluation } : {}),
  };
}
