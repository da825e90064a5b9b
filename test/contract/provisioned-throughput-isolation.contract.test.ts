// A reservation's inference runs in a process of its own, pinned to its reserved core; this server and its
// other children keep the remaining cores. The process dying fails nothing later (the next request starts
// another on the same core), and deleting the reservation ends it and gives the core back.
import { readFileSync } from "node:fs";
import { getPriority } from "node:os";
import {
  BedrockClient,
  CreateProvisionedModelThroughputCommand,
  DeleteProvisionedModelThroughputCommand,
  GetProvisionedModelThroughputCommand,
} from "@aws-sdk/client-bedrock";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { inferenceProcessIds } from "../../src/inference/engine/engine-process/engine-process.js";
import { affinityAvailable, processCpus, threadIds } from "../../src/system/cpu-affinity.js";
import { registerTestModel } from "../support/register-test-model.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

let strata: TestStrata;
let bedrock: BedrockClient;
let runtime: BedrockRuntimeClient;
const startCpus = affinityAvailable() ? processCpus(process.pid) : [];
const startNice = getPriority();

beforeAll(async () => {
  strata = await startTestStrata({
    builtinModels: false,
    provisionedThroughput: { reservableCores: 1, unitsPerCore: 1 },
  });
  await registerTestModel(strata, "local.isolated");
  const client = {
    endpoint: strata.apiUrl,
    region: "us-east-1",
    credentials: strata.credentials,
    maxAttempts: 1,
  };
  bedrock = new BedrockClient(client);
  runtime = new BedrockRuntimeClient(client);
}, 60_000);

afterAll(async () => {
  bedrock?.destroy();
  runtime?.destroy();
  await strata?.stop();
});

const inferenceProcesses = () => inferenceProcessIds(process.pid);

async function converse(modelId: string): Promise<string> {
  const response = await runtime.send(
    new ConverseCommand({
      modelId,
      messages: [{ role: "user", content: [{ text: "Tell me about the Union." }] }],
      inferenceConfig: { maxTokens: 4, temperature: 0 },
    }),
  );
  return response.stopReason ?? "";
}

async function until<T>(what: string, probe: () => T | Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const value = await probe();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it.runIf(affinityAvailable() && startCpus.length >= 2)(
  "pins the reservation's process to its core and keeps this server off it, until the reservation is deleted",
  async () => {
    const created = await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: "isolated",
        modelId: "local.isolated",
        modelUnits: 1,
      }),
    );
    const arn = created.provisionedModelArn ?? "";
    await until(
      "InService",
      () => bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: arn })),
      (got) => got.status === "InService",
    );
    expect(await converse(arn)).toBe("max_tokens");

    const reservedCore = startCpus.at(-1);
    const [child, ...others] = inferenceProcesses();
    expect(others).toEqual([]);
    expect(processCpus(child ?? 0)).toEqual([reservedCore]);
    const shared = startCpus.slice(0, -1);
    expect(processCpus(process.pid)).toEqual(shared);
    // Every thread of this process, not only the main one (llama.cpp's threads are started by worker threads).
    for (const task of threadIds(process.pid)) expect(processCpus(task)).toEqual(shared);
    // Here the event loop goes before on-demand decoding (worker threads) on the shared cores.
    expect(niceOf(process.pid)).toBe(startNice);
    const workers = threadIds(process.pid).filter((task) => task !== process.pid);
    expect(workers.length).toBeGreaterThan(0);
    for (const task of workers) expect(niceOf(task)).toBe(Math.min(19, startNice + 10));
    // On-demand traffic still answers, here on the shared cores.
    expect(await converse("local.isolated")).toBe("max_tokens");

    // The inference process dies: the next request starts another, pinned the same way.
    process.kill(child ?? 0, "SIGKILL");
    await until(
      "the server to see the exit",
      () => strata.logLines.filter((line) => line.msg === "inference process exited").length,
      (count) => count === 1,
    );
    expect(await converse(arn)).toBe("max_tokens");
    const [restarted] = inferenceProcesses();
    expect(restarted).not.toBe(child);
    expect(processCpus(restarted ?? 0)).toEqual([reservedCore]);

    await bedrock.send(new DeleteProvisionedModelThroughputCommand({ provisionedModelId: arn }));
    await until(
      "the process to exit",
      () => inferenceProcesses(),
      (pids) => pids.length === 0,
    );
    await until(
      "the cores to come back",
      () => processCpus(process.pid),
      (cpus) => cpus.length === startCpus.length,
    );
    expect(processCpus(process.pid)).toEqual(startCpus);
  },
  120_000,
);

/** A thread's nice value (field 19 of /proc/<pid>/task/<tid>/stat, counted after the command's parenthesis). */
function niceOf(task: number): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${task}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
}
