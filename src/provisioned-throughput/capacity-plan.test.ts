import { describe, expect, it } from "vitest";
import { hostCapacity, onDemandCores, planReservation } from "./capacity-plan.js";

describe("planReservation", () => {
  it("keeps one core for on-demand traffic", () => {
    expect(hostCapacity(2, 4)).toEqual({ cores: 2, reservableCores: 1, unitsPerCore: 4 });
    expect(hostCapacity(1, 4).reservableCores).toBe(0);
    expect(hostCapacity(16, 4, 20).reservableCores).toBe(15);
    expect(hostCapacity(16, 4, 3).reservableCores).toBe(3);
  });

  it("grants whole cores: units become sequences, cores become threads", () => {
    const host = hostCapacity(8, 4);
    expect(planReservation(5, 0, host)).toEqual({
      kind: "granted",
      shape: { units: 5, cores: 2, sequences: 5, threads: 2 },
    });
  });

  it("refuses what the free cores cannot hold, stating the free capacity", () => {
    const host = hostCapacity(4, 4);
    const decision = planReservation(9, 1, host);
    expect(decision.kind).toBe("refused");
    if (decision.kind !== "refused") return;
    expect(decision.freeUnits).toBe(8);
    expect(decision.freeCores).toBe(2);
    expect(decision.message).toContain("can guarantee 8 more model units");
  });

  it("leaves on-demand traffic the cores reservations do not hold, never fewer than one", () => {
    const host = hostCapacity(4, 4);
    expect(onDemandCores(host, 3)).toBe(1);
    expect(onDemandCores(host, 1)).toBe(3);
  });
});
