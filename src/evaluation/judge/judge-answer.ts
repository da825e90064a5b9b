// LLM as a judge: one generation of the judge model per answer and metric, asked for a 1–5 score on the
// metric's rubric. The score is read from the judge's reply (the first digit 1–5 after "Score:", else the first
// standalone 1–5); a reply without one is recorded as unscored rather than guessed. Scores are reported on 0–1
// ((score − 1) / 4) so they sit on the same scale as the other quality metrics.

export interface JudgeQuestion {
  rubric: string;
  prompt: string;
  reference?: string;
  answer: string;
}

export function judgePrompt(question: JudgeQuestion): string {
  return [
    "You are grading an answer given by an AI model.",
    `Rubric: ${question.rubric}`,
    `Prompt: ${question.prompt}`,
    ...(question.reference === undefined ? [] : [`Reference answer: ${question.reference}`]),
    `Answer to grade: ${question.answer}`,
    'Reply with "Score: N" where N is a whole number from 1 to 5, then one sentence explaining why.',
  ].join("\n");
}

/** The 1–5 score in the judge's reply, or undefined when it gave none. */
export function parseJudgeScore(reply: string): number | undefined {
  const labelled = /score\s*[:=-]?\s*\**\s*([1-5])\b/i.exec(reply);
  const digit = labelled?.[1] ?? /(?<!\d|\d\.)([1-5])(?!\d|\.\d)/.exec(reply)?.[1];
  return digit === undefined ? undefined : Number(digit);
}

export function normalizedJudgeScore(score: number): number {
  return (score - 1) / 4;
}
