// Admission of a generation to a capacity (a reservation's dedicated sequences, or a model's on-demand
// sequences) and the per-key on-demand quotas: pure functions of the current load, the limits and the clock.

export interface CapacityLoad {
  /** Generations running on the capacity's sequences. */
  running: number;
  /** Generations waiting for a sequence, in arrival order. */
  waiting: number;
}

export interface CapacityLimits {
  sequences: number;
  /** At most this many wait; one more is refused (ThrottlingException). */
  queueLength: number;
}

export type AdmissionDecision = { kind: "run" } | { kind: "wait"; position: number } | { kind: "throttle" };

export function admit(load: CapacityLoad, limits: CapacityLimits): AdmissionDecision {
  if (load.running < limits.sequences && load.waiting === 0) return { kind: "run" };
  if (load.waiting < limits.queueLength) return { kind: "wait", position: load.waiting + 1 };
  return { kind: "throttle" };
}

/** Requests and tokens per minute for one caller key on on-demand capacity; undefined means unlimited. */
export interface OnDemandQuota {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

/** One admitted request of a key: when, and the tokens it used (filled in when it ends). */
export interface QuotaEvent {
  at: number;
  tokens: number;
}

export const quotaWindowMs = 60_000;

export type QuotaDecision = { kind: "allow" } | { kind: "throttle"; message: string; retryAfterMs: number };

/** A sliding one-minute window: the request is refused when the key's requests or tokens in it reach the quota. */
export function checkQuota(events: readonly QuotaEvent[], now: number, quota: OnDemandQuota): QuotaDecision {
  const recent = events.filter((event) => event.at > now - quotaWindowMs);
  const oldest = recent.reduce((earliest, event) => Math.min(earliest, event.at), now);
  const retryAfterMs = Math.max(0, oldest + quotaWindowMs - now);
  if (quota.requestsPerMinute !== undefined && recent.length >= quota.requestsPerMinute) {
    return {
      kind: "throttle",
      retryAfterMs,
      message: `Too many requests: this key's on-demand quota is ${quota.requestsPerMinute} requests per minute. Retry in ${Math.ceil(retryAfterMs / 1000)} s, or use a provisioned throughput.`,
    };
  }
  const tokens = recent.reduce((sum, event) => sum + event.tokens, 0);
  if (quota.tokensPerMinute !== undefined && tokens >= quota.tokensPerMinute) {
    return {
      kind: "throttle",
      retryAfterMs,
      message: `Too many tokens: this key used ${tokens} tokens in the last minute; its on-demand quota is ${quota.tokensPerMinute} tokens per minute. Retry in ${Math.ceil(retryAfterMs / 1000)} s, or use a provisioned throughput.`,
    };
  }
  return { kind: "allow" };
}

/** Drops the events that left the window (what the caller keeps in memory). */
export function pruneQuotaEvents(events: readonly QuotaEvent[], now: number): QuotaEvent[] {
  return events.filter((event) => event.at > now - quotaWindowMs);
}
