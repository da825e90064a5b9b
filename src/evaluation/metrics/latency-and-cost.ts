// What answering the dataset took: latency percentiles by the usage ledger's nearest-rank method (always a
// latency that was observed) and the summed cost of the invocations, priced as the usage ledger prices them.
import { percentile, sortedAscending } from "../../usage/percentile.js";

export interface InvocationMeasurement {
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface LatencyAndCost {
  latencyP50Ms: number;
  latencyP99Ms: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export function latencyAndCost(measurements: readonly InvocationMeasurement[]): LatencyAndCost | undefined {
  if (measurements.length === 0) return undefined;
  const latencies = sortedAscending(measurements.map((measurement) => measurement.latencyMs));
  const sum = (pick: (measurement: InvocationMeasurement) => number) =>
    measurements.reduce((total, measurement) => total + pick(measurement), 0);
  return {
    latencyP50Ms: percentile(latencies, 50) as number,
    latencyP99Ms: percentile(latencies, 99) as number,
    inputTokens: sum((measurement) => measurement.inputTokens),
    outputTokens: sum((measurement) => measurement.outputTokens),
    costUsd: sum((measurement) => measurement.costUsd),
  };
}
