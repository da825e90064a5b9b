// A transfer-learning job's held-out evaluation as text: one line per method (the heads, then both baselines)
// with accuracy and macro-F1, then each method's confusion matrix. Works on the wire shape, so the CLI and the
// examples print what GetTransferLearningJob returned.
import type {
  ClassifierEvaluation,
  TransferLearningEvaluation,
} from "../../protocol/generated/strata-types.js";
import { formatConfusionMatrix } from "./classification-metrics.js";

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
      line: `baseline zero-shot: ${scores(evaluation.zeroShot)} (${evaluation.zeroShot.unanswered} of ${evaluation.zeroShot.records} answers named no label)`,
    },
  ];
}

export function formatEvaluation(evaluation: TransferLearningEvaluation): string {
  const lines = evaluationLines(evaluation);
  return [
    `held-out evaluation: ${evaluation.records} records of ${evaluation.testDataUri}`,
    ...lines.map(({ line }) => line),
    ...(evaluation.zeroShot.sampleAnswers ?? []).map(
      (answer, index) => `  zero-shot answer ${index + 1}: ${JSON.stringify(answer)}`,
    ),
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
