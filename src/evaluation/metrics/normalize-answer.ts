// The answer normalisation of the SQuAD evaluation script (Rajpurkar et al. 2016, evaluate-v2.0.py
// `normalize_answer`): lower case, ASCII punctuation removed, the articles a/an/the removed, whitespace
// collapsed. Exact match, token F1 and the classification label matcher all compare answers in this form, so
// "The Congress." and "congress" are the same answer.

/** Python's string.punctuation: the 32 ASCII punctuation characters. */
const punctuation = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const articles = /\b(a|an|the)\b/g;

export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(punctuation, "")
    .replace(articles, " ")
    .split(/\s+/)
    .filter(Boolean)
    .join(" ");
}

/** The normalised answer's whitespace tokens (SQuAD's `get_tokens`). */
export function answerTokens(text: string): string[] {
  const normalized = normalizeAnswer(text);
  return normalized === "" ? [] : normalized.split(" ");
}
