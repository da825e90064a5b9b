// Exact match as SQuAD defines it: 1 when the normalised prediction equals the normalised reference, else 0.
import { normalizeAnswer } from "./normalize-answer.js";

export function exactMatch(prediction: string, reference: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(reference) ? 1 : 0;
}
