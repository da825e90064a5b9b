// Generates the wire layer from the AWS service models (botocore JSON form): one table module and one types
// module per service under src/protocol/generated/. Run `npm run generate`; `--check` exits non-zero when the
// checked-in output differs from what the models produce (the wire-staleness test runs it that way).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateServiceModule, generateTypesModule, type SourceModel } from "./wire/generate-service.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export const services = [
  { source: "spec/aws-models/bedrock.json", serviceName: "bedrock", exportName: "bedrockService" },
  {
    source: "spec/aws-models/bedrock-runtime.json",
    serviceName: "bedrock-runtime",
    exportName: "bedrockRuntimeService",
  },
  { source: "spec/strata.json", serviceName: "strata", exportName: "strataService" },
] as const;

export function generateAll(): Map<string, string> {
  const files = new Map<string, string>();
  for (const service of services) {
    const model = JSON.parse(readFileSync(join(root, service.source), "utf8")) as SourceModel;
    files.set(
      `src/protocol/generated/${service.serviceName}.ts`,
      generateServiceModule(model, service.serviceName, service.exportName, service.source),
    );
    files.set(
      `src/protocol/generated/${service.serviceName}-types.ts`,
      generateTypesModule(model, service.source),
    );
  }
  return files;
}

function main(): void {
  const check = process.argv.includes("--check");
  const stale: string[] = [];
  for (const [path, content] of generateAll()) {
    const fullPath = join(root, path);
    let current: string | undefined;
    try {
      current = readFileSync(fullPath, "utf8");
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    if (check) stale.push(path);
    else writeFileSync(fullPath, content);
  }
  if (check && stale.length > 0) {
    console.error(`generated wire code is stale (run \`npm run generate\`): ${stale.join(", ")}`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
