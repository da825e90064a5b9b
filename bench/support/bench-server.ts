// A server process for benchmarks: either Strata itself (real database, real SigV4 verification, request
// log written to /dev/null) or the reference — a bare node:http server answering with the same bytes.
// Prints one JSON line {"url":…} once it listens.
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCredentialsFile } from "../../src/auth/credentials-file.js";
import { loadConfig } from "../../src/config/load-config.js";
import { createLogger } from "../../src/logging/logger.js";
import { registerGgufModel } from "../../src/model-import/register-gguf-model.js";
import { startStrata } from "../../src/server/start-strata.js";

const mode = process.argv[2];

if (mode === "strata") {
  const dataDir = mkdtempSync(join(tmpdir(), "strata-bench-"));
  const devNull = createWriteStream("/dev/null");
  const logger = createLogger({ level: "info", write: (line) => devNull.write(`${line}\n`) });
  const strata = await startStrata(loadConfig({ dataDir, port: "0", s3Port: "0" }, {}), logger);
  const credentials = readCredentialsFile(strata.firstStart.credentialsFile);
  // With a GGUF path, it is registered as local.bench-model (a copy: registration moves the file).
  const modelFile = process.argv[3];
  if (modelFile) {
    mkdirSync(join(dataDir, "models", ".incoming"), { recursive: true });
    const incomingPath = join(dataDir, "models", ".incoming", "bench.gguf");
    copyFileSync(modelFile, incomingPath);
    await registerGgufModel({
      dataDirectory: dataDir,
      registry: strata.localModels,
      incomingPath,
      describedAs: modelFile,
      modelId: "local.bench-model",
      providerName: "Local",
      source: "created",
      sourceUri: modelFile,
    });
  }
  process.stdout.write(`${JSON.stringify({ url: strata.apiUrl, credentials })}\n`);
} else if (mode === "reference") {
  const body = Buffer.from(process.argv[3] ?? "{}", "base64");
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "content-type": "application/json", "content-length": body.length });
      response.end(body);
    });
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address() as { port: number };
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}` })}\n`);
  });
} else {
  throw new Error("usage: bench-server strata [model.gguf] | reference [base64 body]");
}
