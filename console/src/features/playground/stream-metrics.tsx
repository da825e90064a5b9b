// The numbers under an answer: time to first token, latency, tokens, throughput and cost.
import { formatInteger, formatMs, formatUsd } from "../../components/format.js";
import type { StreamResult } from "./playground-api.js";

export interface AnswerMetrics extends Partial<StreamResult> {
  costUsd?: number;
  priceBasis?: string;
}

export function tokensPerSecond(metrics: AnswerMetrics): number | undefined {
  if (metrics.outputTokens === undefined || !metrics.latencyMs) return undefined;
  const generating = metrics.latencyMs - (metrics.timeToFirstTokenMs ?? 0);
  return generating > 0 ? (metrics.outputTokens / generating) * 1000 : undefined;
}

export function StreamMetrics(props: { metrics: AnswerMetrics }) {
  const { metrics } = props;
  const speed = tokensPerSecond(metrics);
  return (
    <dl className="metrics">
      <dt>Time to first token</dt>
      <dd data-metric="ttft">{formatMs(metrics.timeToFirstTokenMs)}</dd>
      <dt>Latency</dt>
      <dd data-metric="latency">{formatMs(metrics.latencyMs)}</dd>
      <dt>Tokens in / out</dt>
      <dd data-metric="tokens">
        {formatInteger(metrics.inputTokens)} / {formatInteger(metrics.outputTokens)}
      </dd>
      <dt>Tokens/s</dt>
      <dd data-metric="speed">{speed === undefined ? "—" : speed.toFixed(1)}</dd>
      <dt>Cost</dt>
      <dd data-metric="cost" title={metrics.priceBasis ? `price basis: ${metrics.priceBasis}` : undefined}>
        {formatUsd(metrics.costUsd)}
      </dd>
    </dl>
  );
}
