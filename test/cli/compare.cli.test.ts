// `strata compare` as users see it: the CLI as a real process in a real terminal (a tmux pane, captured with
// `tmux capture-pane -p`), against a real server running the built-in models; and with --json for scripts.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  BedrockClient,
  CreateProvisionedModelThroughputCommand,
  GetProvisionedModelThroughputCommand,
} from "@aws-sdk/client-bedrock";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");
const socket = `strata-compare-${process.pid}`;
const chat = "strata.tiny-chat-v1";

let strata: TestStrata;
let common: string[];
let reservationArn: string;

// The built-in chat model on demand next to a provisioned throughput of it (made with the unmodified
// @aws-sdk/client-bedrock): one model load for the whole file.
beforeAll(async () => {
  strata = await startTestStrata({
    sequencesPerModel: 2,
    provisionedThroughput: { reservableCores: 1, unitsPerCore: 1 },
  });
  common = ["--data-dir", strata.dataDirectory, "--endpoint", strata.apiUrl];
  const bedrock = new BedrockClient({
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
    maxAttempts: 1,
  });
  try {
    const created = await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: "cli-compare",
        modelId: chat,
        modelUnits: 1,
      }),
    );
    reservationArn = created.provisionedModelArn ?? "";
    for (let attempt = 0; attempt < 900; attempt++) {
      const got = await bedrock.send(
        new GetProvisionedModelThroughputCommand({ provisionedModelId: reservationArn }),
      );
      if (got.status === "InService") break;
      if (got.status === "Failed") throw new Error(got.failureMessage);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    bedrock.destroy();
  }
}, 120_000);

afterAll(async () => {
  await run("tmux", ["-L", socket, "kill-server"]).catch(() => undefined);
  await strata?.stop();
});

const tmux = (...args: string[]) => run("tmux", ["-L", socket, ...args]);
const capture = async () => (await tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "compare")).stdout;
const shellQuote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

it.concurrent("shows the models side by side in a terminal, redrawn in place as they stream", async () => {
  const promptsFile = join(strata.dataDirectory, "prompts.txt");
  writeFileSync(
    promptsFile,
    'What is Strata?\n{"prompt": "Tell me about the whale.", "system": "Be brief."}\n',
  );
  const rawOutput = join(strata.dataDirectory, "pane.raw");
  const command = [
    // Held until the pane's raw output is being recorded.
    `tmux -L ${socket} wait-for go;`,
    "NODE_NO_WARNINGS=1 node --import tsx src/cli/main.ts compare",
    ...[...common, "-m", chat, "-m", reservationArn, "--prompts", promptsFile, "--max-tokens", "32"].map(
      shellQuote,
    ),
    "; echo __EXIT_$?__; sleep 600",
  ].join(" ");
  await tmux("new-session", "-d", "-s", "compare", "-x", "150", "-y", "60", "-c", root, command);
  await tmux("pipe-pane", "-o", "-t", "compare", `cat > ${shellQuote(rawOutput)}`);
  await tmux("wait-for", "-S", "go");

  let pane = "";
  for (let attempt = 0; attempt < 600 && !pane.includes("__EXIT_"); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    pane = await capture();
  }
  expect(pane).toContain("__EXIT_0__");
  // Live frames were drawn (a column still waiting or streaming) and each was overwritten in place: the cursor
  // went back up over it, and nothing of it is left on the screen or in the scrollback.
  const raw = readFileSync(rawOutput, "utf8");
  expect(raw).toMatch(/… (waiting|streaming)/);
  expect(raw).toMatch(new RegExp(`${String.fromCharCode(27)}\\[\\d+A`));
  expect(pane).not.toMatch(/… (waiting|streaming)/);

  const lines = pane.split("\n").map((line) => line.trimEnd());
  expect(lines.filter((line) => line.startsWith("Prompt "))).toEqual([
    "Prompt 1 of 2: What is Strata?",
    "Prompt 2 of 2: Tell me about the whale.",
  ]);
  expect(lines).toContain("System: Be brief.");
  const header = new RegExp(`^strata\\.tiny-chat-v1 +│ ${reservationArn.replace(/[.:/]/g, "\\$&")}$`);
  expect(lines.filter((line) => header.test(line))).toHaveLength(2);
  // Both columns' metrics, aligned on the same rows, once per prompt.
  for (const metric of [
    /^TTFT +\d+ ms +│ TTFT +\d+ ms$/,
    /^latency +\d+ ms +│ latency +\d+ ms$/,
    /^tokens +\d+ in \/ \d+ out +│ tokens +\d+ in \/ \d+ out$/,
    /^speed +[\d.]+ tok\/s +│ speed +[\d.]+ tok\/s$/,
    /^cost +\$[\d.]+ +│ cost +\$[\d.]+$/,
    // The reservation's traffic is paid by the hour on Bedrock, not per token.
    /^Bedrock +\$[\d.]+ \(meta\.llama3-2-1b-instruct-v1:0\) +│ Bedrock +n\/a$/,
  ]) {
    expect(lines.filter((line) => metric.test(line))).toHaveLength(2);
  }
  // Every line of the side-by-side blocks fits the 150-column pane: nothing wrapped.
  const blockLines = lines.filter((line) => line.includes("│") || line.includes("┼"));
  expect(blockLines.length).toBeGreaterThan(20);
  for (const line of blockLines) expect(line.length).toBeLessThanOrEqual(150);
  expect(lines).toContainEqual(expect.stringMatching(/^MODEL +RUNS +ERRORS +TTFT p50/));
  expect(lines).toContainEqual(expect.stringMatching(/^strata\.tiny-chat-v1 +2 +0 +\d+ ms/));
}, 120_000);

it.concurrent("gives scripts one JSON document with every model's results", async () => {
  const { stdout, stderr, exitCode } = await runCli([
    "compare",
    ...common,
    "-m",
    chat,
    "-m",
    "no.such-model-v1",
    "--max-tokens",
    "16",
    "--json",
    "What is Strata?",
  ]);
  expect([exitCode, stderr]).toEqual([0, ""]);
  const document = JSON.parse(stdout) as {
    models: string[];
    prompts: { text: string; results: Record<string, unknown>[] }[];
    summary: { modelId: string; runs: number; errors: number }[];
  };
  expect(document.models).toEqual([chat, "no.such-model-v1"]);
  expect(document.prompts).toHaveLength(1);
  const [ok, missing] = document.prompts[0]?.results ?? [];
  expect(ok).toMatchObject({ modelId: chat, status: "success", servedBy: "LOCAL_ENGINE" });
  for (const key of [
    "timeToFirstTokenMs",
    "latencyMs",
    "inputTokens",
    "outputTokens",
    "tokensPerSecond",
    "costUsd",
  ])
    expect(typeof ok?.[key]).toBe("number");
  expect(missing).toMatchObject({ status: "error", errorType: "ValidationException" });
  expect(document.summary).toEqual([
    expect.objectContaining({ modelId: chat, runs: 1, errors: 0 }),
    expect.objectContaining({ modelId: "no.such-model-v1", runs: 1, errors: 1 }),
  ]);
}, 60_000);
