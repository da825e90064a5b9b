import { describe, expect, it } from "vitest";
import { mergeAsyncIterables } from "./merge-async-iterables.js";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("mergeAsyncIterables", () => {
  it("yields items in arrival order across sources and ends when all have ended", async () => {
    async function* source(name: string, delays: number[]) {
      for (const [index, delay] of delays.entries()) {
        await tick(delay);
        yield `${name}${index}`;
      }
    }
    const items: string[] = [];
    for await (const item of mergeAsyncIterables([source("a", [5, 80, 80]), source("b", [40, 10])]))
      items.push(item);
    expect(items).toEqual(["a0", "b0", "b1", "a1", "a2"]);
  });

  it("closes the sources still open when the consumer stops early", async () => {
    const closed: string[] = [];
    async function* endless(name: string) {
      try {
        for (;;) {
          await tick(1);
          yield name;
        }
      } finally {
        closed.push(name);
      }
    }
    for await (const _item of mergeAsyncIterables([endless("a"), endless("b")])) break;
    expect(closed.sort()).toEqual(["a", "b"]);
  });

  it("passes a source's failure on after closing the others", async () => {
    let closed = false;
    const failing: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          await tick(5);
          throw new Error("boom");
        },
      }),
    };
    async function* slow() {
      try {
        await tick(200);
        yield 1;
      } finally {
        closed = true;
      }
    }
    await expect(async () => {
      for await (const _item of mergeAsyncIterables<number>([failing, slow()])) {
        /* drain */
      }
    }).rejects.toThrow("boom");
    expect(closed).toBe(true);
  });
});
