// Admission in front of the engine: each capacity (a reservation's dedicated sequences, or one model's
// on-demand sequences) runs at most its sequences at once and keeps a bounded queue in arrival order; one
// more is a ThrottlingException. The decision is admission-policy.ts's admit(); this keeps the counters.
import { ThrottlingException } from "../protocol/aws-errors.js";
import { admit, type CapacityLimits, type CapacityLoad } from "./admission-policy.js";

interface Gate {
  limits: CapacityLimits;
  running: number;
  waiters: { wake: () => void; fail: (error: Error) => void }[];
  describe: string;
}

export class CapacityGates {
  private readonly gates = new Map<string, Gate>();

  /** Sets (or changes) a capacity's limits; a smaller limit lets running generations finish. */
  define(key: string, limits: CapacityLimits, describe: string): void {
    const gate = this.gates.get(key);
    if (gate) {
      gate.limits = limits;
      gate.describe = describe;
      this.wakeWaiters(gate);
    } else this.gates.set(key, { limits, running: 0, waiters: [], describe });
  }

  /** Removes the capacity; those still waiting for it get `error` (it was deleted). */
  remove(key: string, error?: Error): void {
    const gate = this.gates.get(key);
    this.gates.delete(key);
    for (const waiter of gate?.waiters.splice(0) ?? [])
      waiter.fail(error ?? new Error("the capacity was removed"));
  }

  load(key: string): CapacityLoad | undefined {
    const gate = this.gates.get(key);
    return gate ? { running: gate.running, waiting: gate.waiters.length } : undefined;
  }

  /** Refuses now when the capacity's queue is full (before a stream's 200 goes out). */
  assertAdmissible(key: string): void {
    const gate = this.gates.get(key);
    if (gate && admit(this.loadOf(gate), gate.limits).kind === "throttle") throw this.throttled(gate);
  }

  /** Runs now, or waits its turn; resolves to the release function. */
  async acquire(key: string, signal: AbortSignal): Promise<() => void> {
    const gate = this.gates.get(key);
    if (!gate) return () => undefined;
    const decision = admit(this.loadOf(gate), gate.limits);
    if (decision.kind === "throttle") throw this.throttled(gate);
    if (decision.kind === "wait") {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const index = gate.waiters.indexOf(waiter);
          if (index !== -1) gate.waiters.splice(index, 1);
          reject(signal.reason);
        };
        const waiter = {
          wake: () => {
            signal.removeEventListener("abort", onAbort);
            resolve();
          },
          fail: (error: Error) => {
            signal.removeEventListener("abort", onAbort);
            reject(error);
          },
        };
        signal.addEventListener("abort", onAbort, { once: true });
        gate.waiters.push(waiter);
      });
    } else gate.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      gate.running--;
      this.wakeWaiters(gate);
    };
  }

  private wakeWaiters(gate: Gate): void {
    while (gate.running < gate.limits.sequences && gate.waiters.length > 0) {
      const next = gate.waiters.shift();
      // Counted as running from the moment it is woken, so that no later arrival overtakes it.
      gate.running++;
      next?.wake();
    }
  }

  private loadOf(gate: Gate): CapacityLoad {
    return { running: gate.running, waiting: gate.waiters.length };
  }

  private throttled(gate: Gate): ThrottlingException {
    return new ThrottlingException(
      `Too many requests for ${gate.describe}: its ${gate.limits.sequences} sequences are busy and ${gate.limits.queueLength} requests already wait. Retry later${gate.describe.startsWith("provisioned") ? ", or add model units" : ", or use a provisioned throughput"}.`,
    );
  }
}
