// Runs the `strata` CLI as a real process (through tsx, so no build is needed for the test run).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const cliEntry = join(root, "src", "cli", "main.ts");

export interface CliResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export function spawnCli(args: string[], environment: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", cliEntry, ...args], {
    cwd: root,
    env: { ...process.env, ...environment, NODE_NO_WARNINGS: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export async function runCli(args: string[], environment: Record<string, string> = {}): Promise<CliResult> {
  const child = spawnCli(args, environment);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const [exitCode] = (await once(child, "exit")) as [number | null];
  return { exitCode, stdout, stderr };
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
