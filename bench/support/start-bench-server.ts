// Starts bench/support/bench-server.ts in its own process (the load generator stays in this one) and returns
// what it printed when ready.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

export interface BenchServer {
  url: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  child: ChildProcess;
}

export async function startBenchServer(args: string[]): Promise<BenchServer> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/support/bench-server.ts", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NODE_NO_WARNINGS: "1" },
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await once(lines, "line")) as [string];
  return { ...(JSON.parse(line) as Omit<BenchServer, "child">), child };
}
