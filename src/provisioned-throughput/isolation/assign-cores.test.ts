import { describe, expect, it } from "vitest";
import { assignCores } from "./assign-cores.js";

describe("assignCores", () => {
  it("gives reservations the highest cores and leaves the rest shared", () => {
    const assignment = assignCores(
      [0, 1, 2, 3, 4, 5, 6, 7],
      [
        { key: "a", threads: 2 },
        { key: "b", threads: 3 },
      ],
    );
    expect(assignment.dedicated.get("a")).toEqual([6, 7]);
    expect(assignment.dedicated.get("b")).toEqual([3, 4, 5]);
    expect(assignment.shared).toEqual([0, 1, 2]);
  });

  it("keeps the first core shared on two cores", () => {
    const assignment = assignCores([0, 1], [{ key: "a", threads: 1 }]);
    expect(assignment.dedicated.get("a")).toEqual([1]);
    expect(assignment.shared).toEqual([0]);
  });

  it("shares reserved cores among processes, not the last shared core, while a resize drains", () => {
    const assignment = assignCores(
      [0, 1, 2],
      [
        { key: "a", threads: 2 },
        { key: "b", threads: 1 },
      ],
    );
    expect(assignment.dedicated.get("a")).toEqual([1, 2]);
    expect(assignment.dedicated.get("b")).toEqual([2]);
    expect(assignment.shared).toEqual([0]);
  });

  it("uses the cores this server was given, whichever they are", () => {
    const assignment = assignCores([4, 6, 9], [{ key: "a", threads: 1 }]);
    expect(assignment.dedicated.get("a")).toEqual([9]);
    expect(assignment.shared).toEqual([4, 6]);
  });

  it("puts everything on the one core of a one-core host", () => {
    const assignment = assignCores([0], [{ key: "a", threads: 1 }]);
    expect(assignment.dedicated.get("a")).toEqual([0]);
    expect(assignment.shared).toEqual([0]);
  });
});
