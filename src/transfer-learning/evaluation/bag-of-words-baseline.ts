// The bag-of-words baseline, trained on the job's own training records (vocabulary from them too) and stopped
// early on its validation records, with the same multinomial logistic regression and trainer as the head. Its
// learning rate and L2 are fixed: sparse unit-length rows want a larger step than standardized embeddings.
import { LogisticRegression } from "../classifier/logistic-regression.js";
import { trainClassifier } from "../classifier/train-classifier.js";
import type { LabeledRecord } from "../datasets/labeled-dataset.js";
import { bagOfWordsRow, buildVocabulary } from "./bag-of-words.js";

export const bagOfWordsSettings = { learningRate: 0.05, l2: 1e-5, maxWords: 20_000 };

export async function bagOfWordsPredictions(request: {
  labels: readonly string[];
  training: readonly LabeledRecord[];
  validation: readonly LabeledRecord[];
  test: readonly LabeledRecord[];
  schedule: { maxEpochs: number; batchSize: number; patience: number; seed: number };
  signal: AbortSignal;
}): Promise<{ predicted: string[]; vocabularySize: number }> {
  const { labels } = request;
  const vocabulary = buildVocabulary(
    request.training.map((record) => record.text),
    bagOfWordsSettings.maxWords,
  );
  const rowsOf = (records: readonly LabeledRecord[]) => ({
    rows: records.map((record) => bagOfWordsRow(record.text, vocabulary)),
    labels: records.map((record) => labels.indexOf(record.label)),
  });
  const model = new LogisticRegression(Math.max(vocabulary.words.size, 1), labels.length);
  await trainClassifier(model, rowsOf(request.training), rowsOf(request.validation), {
    ...request.schedule,
    learningRate: bagOfWordsSettings.learningRate,
    l2: bagOfWordsSettings.l2,
    signal: request.signal,
  });
  const predicted = request.test.map((record) => {
    const probabilities = model.probabilities(bagOfWordsRow(record.text, vocabulary));
    let best = 0;
    for (let c = 1; c < probabilities.length; c++)
      if ((probabilities[c] ?? 0) > (probabilities[best] ?? 0)) best = c;
    return labels[best] ?? "";
  });
  return { predicted, vocabularySize: vocabulary.words.size };
}
