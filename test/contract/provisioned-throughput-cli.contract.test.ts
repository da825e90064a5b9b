// `strata throughput` as a real process against a real server: create (waiting for InService), list, get
// (with the measured model unit), update (units), delete --force of a committed reservation (the refusal
// without --force is in provisioned-throughput.contract.test.ts).
import { afterAll, beforeAll, expect, it } from "vitest";
import { registerTestModel } from "../support/register-test-model.js";
import { runCli } from "../support/run-cli.js";
import { startTestStrata, type TestStrata } from "../support/start-test-strata.js";

let strata: TestStrata;
let common: string[];

beforeAll(async () => {
  strata = await startTestStrata({
    builtinModels: false,
    provisionedThroughput: { reservableCores: 1, unitsPerCore: 2 },
  });
  await registerTestModel(strata, "local.cli-base");
  common = ["--data-dir", strata.dataDirectory, "--endpoint", strata.apiUrl];
}, 90_000);

afterAll(async () => {
  await strata?.stop();
});

it("creates, lists, shows, resizes and force-deletes a reservation", async () => {
  const created = await runCli([
    "throughput",
    "create",
    "cli-pt",
    "--model",
    "local.cli-base",
    "--commitment",
    "OneMonth",
    "--wait",
    ...common,
    "--json",
  ]);
  expect(created.stderr).toBe("");
  const reservation = JSON.parse(created.stdout) as { status: string; provisionedModelArn: string };
  expect(reservation.status).toBe("InService");

  const listed = await runCli(["throughput", "list", ...common]);
  expect(listed.stdout).toMatch(/cli-pt\s+InService\s+1\s+OneMonth until/);

  const shown = await runCli(["throughput", "get", "cli-pt", ...common]);
  expect(shown.stdout).toMatch(/one model unit\s+\d+ output tokens\/min \(measured on this host\)/);

  const resized = await runCli(["throughput", "update", "cli-pt", "--units", "2", ...common]);
  expect(resized.exitCode).toBe(0);

  const forced = await runCli(["throughput", "delete", "cli-pt", "--force", ...common]);
  expect(forced.stdout).toContain("Deleted cli-pt.");
}, 90_000);
