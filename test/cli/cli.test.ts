// The CLI as users run it: `strata serve` as a real process, and client commands signed from the
// credentials file it wrote.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, runCli, spawnCli } from "../support/run-cli.js";

let dataDirectory: string;
let server: ChildProcess;
let serverOutput: string[];
let port: number;
let common: string[];

beforeAll(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), "strata-cli-"));
  port = await freePort();
  const s3Port = await freePort();
  common = ["--data-dir", dataDirectory, "--port", String(port)];
  server = spawnCli(["serve", ...common, "--s3-port", String(s3Port)]);
  serverOutput = [];
  const lines = createInterface({ input: server.stdout as NodeJS.ReadableStream });
  await new Promise<void>((resolve, reject) => {
    server.once("exit", (code) => reject(new Error(`strata serve exited with ${code}`)));
    lines.on("line", (line) => {
      serverOutput.push(line);
      if (line.startsWith("credentials:")) resolve();
    });
  });
});

afterAll(async () => {
  server?.kill("SIGTERM");
  rmSync(dataDirectory, { recursive: true, force: true });
});

describe("strata serve", () => {
  it("prints the lines that point AWS SDKs at it, and no secret when stdout is not a terminal", () => {
    const text = serverOutput.join("\n");
    expect(text).toContain(`Strata listening on http://127.0.0.1:${port}`);
    expect(text).toMatch(
      new RegExp(
        `^export AWS_REGION=us-east-1 AWS_ENDPOINT_URL_BEDROCK=http://127.0.0.1:${port} AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://127.0.0.1:${port} AWS_ENDPOINT_URL_S3=http://127.0.0.1:\\d+$`,
        "m",
      ),
    );
    expect(text).toContain(`credentials: ${join(dataDirectory, "credentials")} (profile strata)`);
    expect(text).not.toContain("AWS_SECRET_ACCESS_KEY");
    expect(statSync(join(dataDirectory, "credentials")).mode & 0o777).toBe(0o600);
  });
});

describe("client commands", () => {
  it("lists and gets models through the API", async () => {
    const list = await runCli(["models", "list", ...common, "--json"]);
    expect(list.exitCode).toBe(0);
    const models = JSON.parse(list.stdout) as { modelId: string; servedBy: string }[];
    expect(models.find((model) => model.modelId === "amazon.nova-micro-v1:0")?.servedBy).toBe("CATALOG_ONLY");

    const filtered = await runCli(["models", "list", ...common, "--provider", "Meta"]);
    expect(filtered.stdout.split("\n")[0]).toMatch(/^MODEL ID\s+PROVIDER/);
    expect(filtered.stdout).toContain("meta.llama3-1-8b-instruct-v1:0");
    expect(filtered.stdout).not.toContain("amazon.");

    const get = await runCli(["models", "get", "amazon.nova-micro-v1:0", ...common]);
    expect(get.exitCode).toBe(0);
    expect(get.stdout).toMatch(/^served by\s+catalog-only/m);
  });

  it("creates, lists and revokes keys, with one-line errors and non-zero exit codes", async () => {
    const created = await runCli([
      "keys",
      "create",
      "--type",
      "api-key",
      "--description",
      "ci",
      ...common,
      "--json",
    ]);
    expect(created.exitCode).toBe(0);
    const key = JSON.parse(created.stdout) as { keyId: string; apiKey: string };
    expect(key.apiKey).toMatch(/^ABSK/);

    const listed = JSON.parse((await runCli(["keys", "list", ...common, "--json"])).stdout) as {
      keyId: string;
      status: string;
    }[];
    expect(listed.find((entry) => entry.keyId === key.keyId)?.status).toBe("Active");
    expect(JSON.stringify(listed)).not.toContain(key.apiKey);

    expect((await runCli(["keys", "revoke", key.keyId, ...common])).stdout.trim()).toBe(
      `Key ${key.keyId} revoked.`,
    );
    const again = await runCli(["keys", "revoke", key.keyId, ...common]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toBe(`strata: ConflictException: Key ${key.keyId} is already revoked.\n`);
  });

  it("reports a missing model and an unreachable server in one line", async () => {
    const missing = await runCli(["models", "get", "acme.nothing-v1:0", ...common]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(
      /^strata: ResourceNotFoundException: No model acme\.nothing-v1:0 in the catalog\.\n$/,
    );

    const unreachable = await runCli(["models", "list", ...common, "--endpoint", "http://127.0.0.1:9"]);
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.stderr).toMatch(/^strata: cannot reach Strata at http:\/\/127\.0\.0\.1:9 .*\n$/);

    const usage = await runCli(["models", "list", "--no-such-flag"]);
    expect(usage.exitCode).toBe(2);
  });

  it("shows the effective configuration with the export lines", async () => {
    const config = await runCli(["config", ...common, "--json"], { STRATA_REGION: "eu-west-1" });
    expect(config.exitCode).toBe(0);
    const parsed = JSON.parse(config.stdout) as {
      config: { region: string; port: number };
      exports: string[];
    };
    expect(parsed.config).toMatchObject({ region: "eu-west-1", port });
    expect(parsed.exports[0]).toContain("AWS_REGION=eu-west-1");
  });
});
