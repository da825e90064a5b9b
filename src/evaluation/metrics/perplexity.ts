// Loss and perplexity of the reference responses: the mean negative log-likelihood per token (nats) of each
// reference given its prompt, as the engine measured it, and exp of that. Over a set of examples the mean is
// taken over all their tokens together (not per example), which is how the trainer's validation loss is
// computed — so the two figures can be compared.

export interface ReferenceLikelihood {
  /** −Σ log p(token | everything before it), natural log, over the scored tokens. */
  negativeLogLikelihood: number;
  tokenCount: number;
}

export interface LossAndPerplexity {
  loss: number;
  perplexity: number;
  tokenCount: number;
}

export function lossAndPerplexity(
  likelihoods: readonly ReferenceLikelihood[],
): LossAndPerplexity | undefined {
  let negativeLogLikelihood = 0;
  let tokenCount = 0;
  for (const likelihood of likelihoods) {
    negativeLogLikelihood += likelihood.negativeLogLikelihood;
    tokenCount += likelihood.tokenCount;
  }
  if (tokenCount === 0) return undefined;
  const loss = negativeLogLikelihood / tokenCount;
  return { loss, perplexity: Math.exp(loss), tokenCount };
}
