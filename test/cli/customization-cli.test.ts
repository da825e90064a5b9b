// `strata data`, `strata jobs` and `strata custom-models` as users run them: a real `strata serve` process and
// the CLI as separate processes, end to end on a tiny model (validate → advise → dry run → create --follow →
// logs → custom-models get/export → delete).
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promptCompletionJsonl } from "../support/customization-test-data.js";
import { makeTestModel } from "../support/make-test-model.js";
import { freePort, runCli, spawnCli } from "../support/run-cli.js";

let directory: string;
let server: ChildProcess;
let common: string[];
let trainingFile: string;
const brokenFile = join(import.meta.dirname, "..", "fixtures", "datasets", "bad-json.jsonl");

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "strata-customization-cli-"));
  const port = await freePort();
  common = ["--data-dir", join(directory, "data"), "--port", String(port)];
  server = spawnCli(["serve", ...common, "--s3-port", String(await freePort()), "--log-level", "error"]);
  const lines = createInterface({ input: server.stdout as NodeJS.ReadableStream });
  await new Promise<void>((resolve, reject) => {
    server.once("exit", (code) => reject(new Error(`strata serve exited with ${code}`)));
    lines.on("line", (line) => {
      if (line.startsWith("credentials:")) resolve();
    });
  });
  const modelPath = join(directory, "tiny.gguf");
  await makeTestModel(modelPath, { tensorType: "F32" });
  const imported = await runCli(["models", "import", modelPath, "--name", "tiny", ...common]);
  expect(imported.stderr).toBe("");
  trainingFile = join(directory, "train.jsonl");
  writeFileSync(trainingFile, promptCompletionJsonl(12));
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await once(server, "exit");
  }
  rmSync(directory, { recursive: true, force: true });
});

describe("strata data", () => {
  it("validate names the problems by the local file, line and field, and exits 1", async () => {
    const result = await runCli(["data", "validate", brokenFile, "--base-model", "local.tiny", ...common]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^${brokenFile}:2: invalid JSON: `, "m"));
    expect(result.stdout).toMatch(/^invalid: 1 problem\(s\); 3 record\(s\), prompt-completion format/m);
  });

  it("validate accepts a good file, and --json gives the extension operation's report", async () => {
    const result = await runCli([
      "data",
      "validate",
      trainingFile,
      "--base-model",
      "local.tiny",
      "--json",
      ...common,
    ]);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { valid: boolean; records: number; format: string };
    expect(report).toMatchObject({ valid: true, records: 12, format: "prompt-completion" });
  });

  it("advise recommends instruction fine-tuning for prompt/completion pairs", async () => {
    const result = await runCli(["data", "advise", trainingFile, "--goal", "classify tickets", ...common]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /^recommended: instruction fine-tuning \(strata jobs create --type fine-tuning\)$/m,
    );
    expect(result.stdout).toMatch(/goal calls for transfer learning/);
    expect(result.stdout).toMatch(/^continued pre-training would need unlabelled text/m);
  });
});

describe("strata jobs and custom-models", () => {
  const hyper = [
    "--hyper-parameter",
    "epochCount=2",
    "--hyper-parameter",
    "batchSize=2",
    "--hyper-parameter",
    "maxSequenceLength=64",
  ];

  it("create --dry-run estimates without creating a job", async () => {
    const result = await runCli([
      "jobs",
      "create",
      "--type",
      "fine-tuning",
      "--base-model",
      "local.tiny",
      "--training-data",
      trainingFile,
      "--dry-run",
      ...hyper,
      ...common,
    ]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^records\s+12 training, 0 validation$/m);
    expect(result.stdout).toMatch(/^trained tokens\s+\d+ \(\d+ × 2 epochs\)$/m);
    expect(result.stdout).toMatch(
      /^wall time\s+about \d+(\.\d)? (s|min) at \d+ tokens\/s \(measured on this host\)$/m,
    );
    expect(result.stdout).toMatch(/^Bedrock Meta Llama 2 13B\s+\$\d+\.\d{4} at \$0\.00149 per 1K tokens/m);
    const list = await runCli(["jobs", "list", "--json", ...common]);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it("create --follow prints every step and ends Completed; logs, list and get agree", async () => {
    const created = await runCli([
      "jobs",
      "create",
      "--type",
      "fine-tuning",
      "--base-model",
      "local.tiny",
      "--training-data",
      trainingFile,
      "--name",
      "cli-job",
      "--model-name",
      "cli-model",
      "--follow",
      ...hyper,
      ...common,
    ]);
    expect(created.stderr).toBe("");
    expect(created.exitCode).toBe(0);
    const stepLines = created.stdout
      .split("\n")
      .filter((line) => /^step\s+\d+\s+epoch \d+\s+training_loss/.test(line));
    expect(stepLines.length).toBeGreaterThan(1);
    expect(created.stdout).toMatch(
      /^Completed: arn:aws:bedrock:us-east-1:000000000000:custom-model\/local\.tiny\/[a-z0-9]{12}$/m,
    );

    const logs = await runCli(["jobs", "logs", "cli-job", ...common]);
    expect(logs.stdout.split("\n").filter((line) => line.startsWith("step"))).toEqual(stepLines);
    expect(logs.stdout).toMatch(/^Completed \(Done\) step (\d+)\/\1$/m);
    const listed = await runCli(["jobs", "list", ...common]);
    expect(listed.stdout).toMatch(/^cli-job\s+Completed\s+fine-tuning\s+local\.tiny\s+cli-model/m);
    const got = await runCli(["jobs", "get", "cli-job", "--json", ...common]);
    expect(JSON.parse(got.stdout)).toMatchObject({
      jobName: "cli-job",
      status: "Completed",
      outputModelName: "cli-model",
    });
    const stop = await runCli(["jobs", "stop", "cli-job", ...common]);
    expect(stop.exitCode).toBe(1);
    expect(stop.stderr).toBe(
      "strata: ConflictException: Model customization job cli-job is Completed; only an InProgress job can be stopped.\n",
    );
  });

  it("custom-models list, get (with lineage), export and delete", async () => {
    const list = await runCli(["custom-models", "list", ...common]);
    expect(list.stdout).toMatch(/^cli-model\s+local\.tiny\s+fine-tuning/m);
    const got = await runCli(["custom-models", "get", "cli-model", ...common]);
    expect(got.stdout).toMatch(
      /^training data\s+s3:\/\/strata\/datasets\/\d+-train\.jsonl sha256:[0-9a-f]{64} \(12 records\)$/m,
    );
    expect(got.stdout).toMatch(/^artifact\s+lora-adapter \(lora\)/m);
    const file = join(directory, "adapter.gguf");
    const exported = await runCli(["custom-models", "export", "cli-model", "--output", file, ...common]);
    expect(exported.stdout).toMatch(/^Exported the LoRA adapter \(apply it to local\.tiny\) to /);
    expect(readFileSync(file).subarray(0, 4).toString("latin1")).toBe("GGUF");
    const deleted = await runCli(["custom-models", "delete", "cli-model", ...common]);
    expect(deleted.stdout).toBe("Deleted cli-model.\n");
    expect((await runCli(["custom-models", "list", "--json", ...common])).stdout.trim()).toBe("[]");
  });
});
