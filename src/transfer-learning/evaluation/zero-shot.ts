// The zero-shot baseline: the base model itself is asked, in a plain-text prompt, to answer with one of the
// labels; its greedy continuation is read for the first label it names (a whole word, any case). A continuation
// that names none is "no answer" — counted wrong, and reported as such.

export function zeroShotPrompt(labels: readonly string[], text: string): string {
  return `Classify the text. Answer with one of these labels: ${labels.join(", ")}.\n\nText: ${text}\n\nLabel:`;
}

/** The label the answer names first (the longest one when two start at the same place), or undefined. */
export function parseZeroShotAnswer(labels: readonly string[], answer: string): string | undefined {
  let found: { label: string; at: number } | undefined;
  for (const label of labels) {
    const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const match = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "iu").exec(answer);
    if (!match) continue;
    if (!found || match.index < found.at || (match.index === found.at && label.length > found.label.length))
      found = { label, at: match.index };
  }
  return found?.label;
}
