// Every example in examples/ run as a user runs it (`npx tsx examples/<name>.ts --quick`), as a child process
// with its own Strata on the built-in models: it exits 0 and prints what it promises. The quick forms train a
// few steps on tiny data; the effects they must show here are the ones a few steps already produce (the full
// forms and their figures: examples/README.md).
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));
const timeoutMs = 300_000;

function runExample(name: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      [`examples/${name}.ts`, "--quick"],
      { cwd: root, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The numbers of the first line matching `pattern` (its capture groups). */
function numbers(stdout: string, pattern: RegExp): number[] {
  const match = pattern.exec(stdout);
  if (!match) throw new Error(`no line matches ${pattern} in:\n${stdout}`);
  return match.slice(1).map(Number);
}

describe("examples (--quick)", () => {
  it(
    "continued-pretraining-on-sotu: held-out perplexity before and after, lower after",
    async () => {
      const { code, stdout, stderr } = await runExample("continued-pretraining-on-sotu");
      expect(code, stderr).toBe(0);
      const [before] = numbers(stdout, /^held-out perplexity before: (\d+\.\d+)/m);
      const [after] = numbers(stdout, /^held-out perplexity after: (\d+\.\d+)/m);
      expect(before).toBeGreaterThan(1);
      expect(after).toBeGreaterThan(1);
      expect(after).toBeLessThan(before ?? 0);
      expect(stdout).toMatch(
        /^imported s3:\/\/strata\/examples\/exports\/.+ as arn:aws:bedrock:.+:imported-model\//m,
      );
      expect(stdout).toMatch(/^ {2}base: {2}\S/m);
      expect(stdout).toMatch(/^ {2}tuned: \S/m);
    },
    timeoutMs,
  );

  it(
    "answer-in-a-fixed-format: the tuned model answers held-out sentences in the JSON format, the base model does not",
    async () => {
      const { code, stdout, stderr } = await runExample("answer-in-a-fixed-format");
      expect(code, stderr).toBe(0);
      const [lossBefore, lossAfter] = numbers(
        stdout,
        /^validation loss on the completions: before (\d+\.\d+), after (\d+\.\d+)/m,
      );
      expect(lossAfter).toBeLessThan(lossBefore ?? 0);
      const line =
        /^(base|tuned): (\d+)\/(\d+) answers begin like the format, (\d+)\/\d+ are the JSON format, (\d+)\/\d+ name the right source$/gm;
      const totals = Object.fromEntries(
        [...stdout.matchAll(line)].map((match) => [match[1], match.slice(2).map(Number)]),
      );
      const [baseBegins, heldOut, baseJson] = totals.base ?? [];
      const [tunedBegins, , tunedJson, tunedRight] = totals.tuned ?? [];
      expect(heldOut).toBeGreaterThan(0);
      expect([baseBegins, baseJson]).toEqual([0, 0]);
      expect(tunedBegins).toBeGreaterThan(0);
      expect(tunedJson).toBeGreaterThan(0);
      expect(Number.isInteger(tunedRight)).toBe(true); // right sources: asserted only in the figures of full runs
    },
    timeoutMs,
  );

  it(
    "chatbot-persona: the tuned chat model answers held-out prompts in the persona's tone",
    async () => {
      const { code, stdout, stderr } = await runExample("chatbot-persona");
      expect(code, stderr).toBe(0);
      const [lossBefore, lossAfter] = numbers(
        stdout,
        /^validation loss: before (\d+\.\d+), after (\d+\.\d+)/m,
      );
      expect(lossAfter).toBeLessThan(lossBefore ?? 0);
      const [base, heldOut] = numbers(stdout, /^base answers in Captain Tiny's tone: (\d+)\/(\d+)/m);
      const [tuned] = numbers(stdout, /^tuned answers in Captain Tiny's tone: (\d+)\/\d+/m);
      expect(heldOut).toBeGreaterThan(0);
      expect(base).toBe(0);
      expect(tuned).toBeGreaterThan(0);
    },
    timeoutMs,
  );

  it(
    "spam-classifier: transfer-learning heads and both baselines from one run, then Classify on a reservation",
    async () => {
      const { code, stdout, stderr } = await runExample("spam-classifier/spam-classifier");
      expect(code, stderr).toBe(0);
      const [testMails, testSpam] = numbers(stdout, /^test: (\d+) mails \((\d+) spam/m);
      const majority = Math.max(testSpam ?? 0, (testMails ?? 0) - (testSpam ?? 0)) / (testMails ?? 1);
      const [headAccuracy, headF1] = numbers(
        stdout,
        /^head \S+ \(selected\): accuracy (\d\.\d+), macro-F1 (\d\.\d+)$/m,
      );
      const [wordsAccuracy] = numbers(
        stdout,
        /^baseline bag-of-words: accuracy (\d\.\d+), macro-F1 \d\.\d+/m,
      );
      const [zeroAccuracy] = numbers(
        stdout,
        /^baseline zero-shot: accuracy (\d\.\d+), macro-F1 (\d\.\d+) \(zero-shot by label likelihood\)$/m,
      );
      for (const value of [headAccuracy, headF1, wordsAccuracy, zeroAccuracy]) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
      // Every mail gets a zero-shot prediction: the first three show what it was chosen from.
      expect(
        stdout.match(
          /^ {2}zero-shot record \d: negative log-likelihood ham \d+\.\d{3}, spam \d+\.\d{3} → (ham|spam)$/gm,
        ),
      ).toHaveLength(3);
      // What the quick form's 64 training mails already show: the word baseline beats the majority class.
      // The head's margin over it is asserted in test/contract/transfer-learning.contract.test.ts (96 mails).
      expect(wordsAccuracy).toBeGreaterThan(majority);
      expect(stdout.match(/^ {2}true \\ predicted/gm)).toHaveLength(4);
      expect(stdout.match(/^ {2}classified (spam|ham) \(p=\d\.\d{3}\), truly (spam|ham): /gm)).toHaveLength(
        4,
      );
    },
    timeoutMs,
  );
});
