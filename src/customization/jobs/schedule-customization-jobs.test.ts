import { describe, expect, it } from "vitest";
import { jobsToStart } from "./schedule-customization-jobs.js";

const at = (jobId: string, second: number) => ({ jobId, creationTime: new Date(second * 1000) });

describe("jobsToStart", () => {
  it("starts the oldest queued jobs up to the free capacity", () => {
    expect(jobsToStart([at("c", 3), at("a", 1), at("b", 2)], 0, 2)).toEqual(["a", "b"]);
    expect(jobsToStart([at("c", 3), at("a", 1)], 1, 2)).toEqual(["a"]);
  });

  it("starts nothing when the capacity is taken", () => {
    expect(jobsToStart([at("a", 1)], 2, 2)).toEqual([]);
    expect(jobsToStart([at("a", 1)], 3, 2)).toEqual([]);
    expect(jobsToStart([], 0, 1)).toEqual([]);
  });
});
