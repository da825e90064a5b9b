// ListFoundationModels under load: requests/s and p50/p99 latency of Strata (SigV4-verified, routed,
// validated, encoded, logged) against a bare node:http server returning the same response bytes, measured
// in the same run with the same load generator (autocannon, HTTP/1.1 keep-alive, as the control-plane SDK).
// Each server runs in its own process; the load generator in this one. Usage: npm run bench:catalog
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import autocannon from "autocannon";
import { startBenchServer } from "./support/start-bench-server.js";

const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);

async function load(url: string, headers: Record<string, string>) {
  const result = await autocannon({ url, connections, duration: durationSeconds, headers });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  }
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const strata = await startBenchServer(["strata"]);
try {
  const target = new URL("/foundation-models", strata.url);
  const signer = new SignatureV4({
    service: "bedrock",
    region: "us-east-1",
    sha256: Sha256,
    credentials: strata.credentials ?? { accessKeyId: "", secretAccessKey: "" },
  });
  // One signature, valid for 15 minutes, replayed: each request is still fully verified by the server.
  const signed = await signer.sign({
    method: "GET",
    protocol: "http:",
    hostname: target.hostname,
    port: Number(target.port),
    path: target.pathname,
    headers: { host: target.host },
  });
  const headers = signed.headers as Record<string, string>;
  const body = Buffer.from(await (await fetch(target, { headers })).arrayBuffer());
  const reference = await startBenchServer(["reference", body.toString("base64")]);
  try {
    await load(target.href, headers); // warm-up of both paths' JIT before measuring
    const strataResult = await load(target.href, headers);
    const referenceResult = await load(`${reference.url}/foundation-models`, {});
    const rows = [
      ["Strata ListFoundationModels", strataResult],
      ["reference (bare node:http, same bytes)", referenceResult],
    ] as const;
    console.log(
      `ListFoundationModels, ${body.length} response bytes, ${connections} connections, ${durationSeconds} s each`,
    );
    for (const [name, result] of rows) {
      console.log(
        `${name.padEnd(40)} ${result.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${result.p50} ms   p99 ${result.p99} ms`,
      );
    }
    console.log(
      `ratio Strata / reference requests/s: ${(strataResult.requestsPerSecond / referenceResult.requestsPerSecond).toFixed(2)}`,
    );
  } finally {
    reference.child.kill();
  }
} finally {
  strata.child.kill();
}
