// A transfer-learning job's held-out evaluation as text: one line per method (the heads, then both baselines)
// with accuracy and macro-F1, the zero-shot baseline's per-label scores of its first records, then each
// method's confusion matrix. Works on the wire shape, so the CLI and the examples print what
// GetTransferLearningJob returned.
import type {
  ClassifierEvaluation,
  TransferLearningEvaluation,
} from "../../protocol/generated/strata-types.js";
import { formatConfusionMatrix } from "./classification-metrics.js";
import { mostLikelyLabel } from "./zero-shot.js";

function scores(evaluation: ClassifierEvaluation): string {
  return `accuracy ${evaluation.accuracy.toFixed(4)}, macro-F1 ${evaluation.macroF1.toFixed(4)}`;
}

export function evaluationLines(
  evaluation: TransferLearningEvaluation,
): { title: string; result: ClassifierEvaluation; line: string }[] {
  return [
    ...evaluation.heads.map((head) => {
      const title = `head ${head.headType ?? "?"}${head.selected ? " (selected)" : ""}`;
      return { title, result: head, line: `${title}: ${scores(head)}` };
    }),
    {
      title: "baseline bag-of-words",
      result: evaluation.bagOfWords,
      line: `baseline bag-of-words: ${scores(evaluation.bagOfWords)} (logistic regression on ${evaluation.bagOfWords.vocabularySize ?? "?"} words)`,
    },
    {
      title: "baseline zero-shot",
      result: evaluation.zeroShot,
      // A job evaluated before label likelihood has no method: its zero-shot labels were generated and parsed.
      line: `baseline zero-shot: ${scores(evaluation.zeroShot)} (${evaluation.zeroShot.method ?? "generated answers"})`,
    },
  ];
}

/** `  zero-shot record 1: negative log-likelihood ham 41.207, spam 43.918 → ham` */
function zeroShotSampleLines(zeroShot: ClassifierEvaluation): string[] {
  const labels = zeroShot.labels;
  return (zeroShot.sampleNegativeLogLikelihoods ?? []).map((likelihoods, index) => {
    const each = labels.map((label) => `${label} ${likelihoods[label]?.toFixed(3) ?? "?"}`).join(", ");
    return `  zero-shot record ${index + 1}: negative log-likelihood ${each} → ${mostLikelyLabel(labels, likelihoods)}`;
  });
}

export function formatEvaluation(evaluation: TransferLearningEvaluation): string {
  const lines = evaluationLines(evaluation);
  return [
    `held-out evaluation: ${evaluation.records} records of ${evaluation.testDataUri}`,
    ...lines.map(({ line }) => line),
    ...zeroShotSampleLines(evaluation.zeroShot),
    "",
    "confusion matrices (rows: true label, columns: predicted label):",
    ...lines.flatMap(({ title, result }) => [
      `${title}:`,
      ...formatConfusionMatrix(result)
        .split("\n")
        .map((row) => `  ${row}`),
    ]),
  ].join("\n");
}
