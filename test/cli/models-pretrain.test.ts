// `strata models pretrain` against a real `strata serve` process: a pretraining job from random weights on the
// built-in corpus ends with a registered, quantized model whose held-out perplexity fell; a stopped job
// registers nothing; a server killed with SIGKILL in the middle of a job resumes it from its checkpoint.
import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCredentialsFile } from "../../src/auth/credentials-file.js";
import { ApiClient, pathLabel } from "../../src/cli/api-client.js";
import type { GetPretrainingJobResponse } from "../../src/protocol/generated/strata-types.js";
import { freePort, runCli, spawnCli } from "../support/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
let dataDirectory: string;
let server: ChildProcess | undefined;
let common: string[];
let serveArgs: string[];

async function startServer(): Promise<void> {
  server = spawnCli(serveArgs);
  const lines = createInterface({ input: server.stdout as NodeJS.ReadableStream });
  await new Promise<void>((resolve, reject) => {
    server?.once("exit", (code) => reject(new Error(`strata serve exited with ${code}`)));
    lines.on("line", (line) => {
      if (line.startsWith("credentials:") || line.includes("listening")) resolve();
    });
  });
}

/** Polls through the API directly: a CLI process per poll is seconds on a busy machine, longer than a step. */
async function job(identifier: string): Promise<GetPretrainingJobResponse> {
  const client = new ApiClient(
    `http://127.0.0.1:${common[3]}`,
    readCredentialsFile(join(dataDirectory, "credentials")),
    "us-east-1",
  );
  return client.call<GetPretrainingJobResponse>({
    method: "GET",
    path: `/strata/pretraining-jobs/${pathLabel(identifier)}`,
  });
}

async function until(identifier: string, done: (job: GetPretrainingJobResponse) => boolean) {
  for (;;) {
    const current = await job(identifier);
    if (done(current)) return current;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const small = ["--rows-per-step", "2", "--sequence-length", "64", "--held-out-characters", "4000"];

beforeAll(async () => {
  execFileSync("bash", [join(root, "native", "trainer", "build.sh"), "addon"], {
    stdio: "pipe",
    timeout: 180_000,
  });
  dataDirectory = mkdtempSync(join(tmpdir(), "strata-models-pretrain-"));
  const port = await freePort();
  common = ["--data-dir", dataDirectory, "--port", String(port)];
  serveArgs = ["serve", ...common, "--s3-port", String(await freePort())];
  await startServer();
}, 240_000);

afterAll(() => {
  server?.kill("SIGKILL");
  if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
});

describe("strata models pretrain", () => {
  it("pretrains a model from random weights that the catalog lists, held-out perplexity lower than at the start", async () => {
    const result = await runCli([
      "models",
      "pretrain",
      "mini",
      "--steps",
      "8",
      ...small,
      ...common,
      "--json",
    ]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const finished = JSON.parse(result.stdout) as GetPretrainingJobResponse;
    expect(finished.status).toBe("Completed");
    expect(finished.modelId).toBe("local.mini");
    const curve = finished.heldOutPerplexity ?? [];
    expect(curve[0]?.step).toBe(0);
    expect(curve.at(-1)?.step).toBe(8);
    expect(curve.at(-1)?.perplexity).toBeLessThan(0.8 * (curve[0]?.perplexity ?? 0));
    // The shipped (Q8_0) file measures about what the trained F32 weights did.
    expect(finished.shippedPerplexity).toBeCloseTo(curve.at(-1)?.perplexity ?? 0, -1);

    const got = await runCli(["models", "get", "local.mini", ...common, "--json"]);
    const model = JSON.parse(got.stdout) as {
      localModel: { quantization: string; source: string; parameterCount: number };
    };
    expect(model.localModel.quantization).toBe("Q8_0");
    expect(model.localModel.source).toBe("created");
    expect(model.localModel.parameterCount).toBe(finished.parameterCount);

    const again = await runCli(["models", "pretrain", "mini", "--steps", "8", ...common]);
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr).toContain("local.mini already exists");
  }, 120_000);

  it("stops a job on request and registers nothing", async () => {
    const started = await runCli([
      "models",
      "pretrain",
      "stopped",
      "--steps",
      "5000",
      ...small,
      ...common,
      "--detach",
      "--json",
    ]);
    const { jobArn } = JSON.parse(started.stdout) as { jobArn: string };
    await until(jobArn, (current) => current.step >= 2);
    const stop = await runCli(["models", "pretraining", "stop", jobArn, ...common]);
    expect(stop.exitCode).toBe(0);
    const ended = await until(jobArn, (current) => !["InProgress", "Stopping"].includes(current.status));
    expect(ended.status).toBe("Stopped");
    const listed = await runCli(["models", "get", "local.stopped", ...common]);
    expect(listed.exitCode).not.toBe(0);
  }, 120_000);

  it("resumes a job from its last checkpoint after the server was killed with SIGKILL", async () => {
    const started = await runCli([
      "models",
      "pretrain",
      "resumed",
      "--steps",
      "100",
      ...small,
      ...common,
      "--detach",
      "--json",
    ]);
    const { jobArn } = JSON.parse(started.stdout) as { jobArn: string };
    // Checkpoints come every 10 steps for a 100-step run: wait for a couple, then kill the server outright.
    const killedAt = (await until(jobArn, (current) => current.step >= 25)).step;
    server?.kill("SIGKILL");
    await new Promise((resolve) => server?.once("exit", resolve));
    await startServer();
    const ended = await until(jobArn, (current) => current.status !== "InProgress");
    expect(ended.status).toBe("Completed");
    expect(ended.resumedFromStep, JSON.stringify({ killedAt, ended })).toBeGreaterThanOrEqual(20);
    expect((ended.resumedFromStep ?? 0) % 10).toBe(0);
    expect(ended.heldOutPerplexity?.at(-1)?.step).toBe(100);
    const list = await runCli(["models", "list", "--provider", "Local", ...common, "--json"]);
    const ids = (JSON.parse(list.stdout) as { modelId: string }[]).map((model) => model.modelId);
    expect(ids.filter((id) => id === "local.resumed")).toHaveLength(1);
  }, 240_000);
});
