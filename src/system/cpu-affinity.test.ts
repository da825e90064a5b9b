import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import {
  affinityAvailable,
  descendantProcesses,
  formatCpuList,
  parseCpuList,
  processCpus,
  setProcessCpus,
} from "./cpu-affinity.js";

describe("CPU lists", () => {
  it("reads and writes the kernel's list format", () => {
    expect(parseCpuList("0-2,5")).toEqual([0, 1, 2, 5]);
    expect(parseCpuList("3\n")).toEqual([3]);
    expect(formatCpuList([5, 0, 2, 1])).toBe("0-2,5");
    expect(formatCpuList([1, 3])).toBe("1,3");
    expect(() => parseCpuList("2-1")).toThrow(/not a CPU list/);
  });
});

describe.runIf(affinityAvailable())("process affinity", () => {
  it("pins a child process to one core and finds it among this process's descendants", async () => {
    const child = spawn("sleep", ["30"]);
    await once(child, "spawn");
    try {
      const pid = child.pid ?? 0;
      expect(descendantProcesses(process.pid)).toContain(pid);
      const cpu = processCpus(process.pid).at(-1) ?? 0;
      await setProcessCpus(pid, [cpu]);
      expect(processCpus(pid)).toEqual([cpu]);
    } finally {
      child.kill();
    }
  });
});
