import { describe, expect, it } from "vitest";
import { CapacityGates } from "./capacity-gates.js";

describe("CapacityGates", () => {
  it("runs up to the sequences, queues in order up to the bound, then throttles", async () => {
    const gates = new CapacityGates();
    gates.define("r", { sequences: 1, queueLength: 1 }, "provisioned throughput r");
    const signal = new AbortController().signal;
    const releaseFirst = await gates.acquire("r", signal);
    const order: string[] = [];
    const second = gates.acquire("r", signal).then((release) => {
      order.push("second");
      return release;
    });
    expect(gates.load("r")).toEqual({ running: 1, waiting: 1 });
    await expect(gates.acquire("r", signal)).rejects.toMatchObject({ name: "ThrottlingException" });
    expect(() => gates.assertAdmissible("r")).toThrow(/1 sequences are busy and 1 requests already wait/);
    releaseFirst();
    // The woken waiter holds the slot at once: a later arrival queues behind, never overtakes it.
    const third = gates.acquire("r", signal).then((release) => {
      order.push("third");
      return release;
    });
    (await second)();
    (await third)();
    expect(order).toEqual(["second", "third"]);
    expect(gates.load("r")).toEqual({ running: 0, waiting: 0 });
  });

  it("lets a waiter leave the queue when its client goes away, and grows with define", async () => {
    const gates = new CapacityGates();
    gates.define("r", { sequences: 1, queueLength: 2 }, "provisioned throughput r");
    const release = await gates.acquire("r", new AbortController().signal);
    const leaving = new AbortController();
    const waiting = gates.acquire("r", leaving.signal);
    leaving.abort(new Error("gone"));
    await expect(waiting).rejects.toThrow("gone");
    expect(gates.load("r")).toEqual({ running: 1, waiting: 0 });
    const queued = gates.acquire("r", new AbortController().signal);
    gates.define("r", { sequences: 2, queueLength: 2 }, "provisioned throughput r");
    (await queued)();
    release();
    expect(gates.load("r")).toEqual({ running: 0, waiting: 0 });
  });
});
