// `strata`: one file per command. `serve` and `config` work locally; every other command is a signed client
// of the running server's public API.
import { CliError } from "./cli-error.js";
import type { CommandEnvironment } from "./command-context.js";

const usage = `usage: strata <command> [options]

  serve            start the API (127.0.0.1:8787) and the embedded S3 endpoint (:8788)
                   --port --host --s3-port --data-dir --region --account-id --config --log-level --no-auth
  config           the effective configuration (secrets masked) and the AWS_* export lines   [--json]
  models list      the catalog   [--provider --customization --output-modality --inference-type --served-by --json]
  models get ID    one model, by id or ARN   [--json]
  models create NAME   a new llama model, random weights + trained tokenizer   [--preset tiny|small --seed N
                   --tensor-type Q8_0|F16|F32 --corpus NAME|s3://… --tokenizer-from MODEL --vocabulary-size N …]
  models import FILE|s3://…   import a GGUF model as local.NAME   [--name NAME --json]
  models remove ID remove an imported or created model
  models pretrain NAME   pretrain local.NAME from random weights on the built-in corpus (a server job)
                   [--steps N --preset tiny|small --rows-per-step N --sequence-length N --learning-rate X --detach]
  models pretraining list|get JOB|stop JOB   pretraining jobs
  models quantize ID   quantize a local model with llama.cpp (q8_0 | q4_k_m) as local.NAME
                   --type q8_0|q4_k_m [--name NAME (default ID-q8-0 / ID-q4-k-m) --json]
  data validate FILE|s3://…   check a customization dataset line by line   [--base-model ID --validation --json]
  data advise FILE|s3://…     which customization method fits the data, and why   [--goal TEXT --json]
  jobs create      --type fine-tuning|continued-pre-training --base-model ID --training-data FILE|s3://…
                   [--validation-data … --name JOB --model-name NAME --output s3://… --hyper-parameter K=V …
                   --dry-run (estimate only) --follow --json]
  jobs create --method transfer-learning --base-model ID --training-data FILE|s3://…   a text classifier on
                   a frozen model: labeled {"text","label"} records   [--validation-data … --test-data … --follow]
  jobs list|get|stop|logs   [JOB] [--status S --name-contains X | --follow] [--json]
  custom-models list|get|delete|export   [NAME|ARN] [--output FILE.gguf --s3-uri s3://…] [--json]
  evaluations create --model ID [--model ID] --dataset FILE|s3://…   evaluate one model, or a base against a
                   candidate   [--task-type qa|summarization|classification|generation --metric NAME … --judge MODEL
                   --max-tokens N --prompt-format chat|text --name JOB --output s3://… --wait --json]
  evaluations list|get|stop|results   [JOB] [--status S --name-contains X | --html FILE] [--json]
  throughput create NAME --model MODEL   provisioned throughput   [--units N --commitment none|OneMonth|SixMonths --wait]
  classify -m PROVISIONED_MODEL TEXT…   label texts with a transfer-learning model's provisioned throughput
  throughput list|get|update|delete|cost   [NAME|ARN] [--name --model --units | --force | --from --to] [--json]
  compare -m MODEL -m MODEL … "PROMPT" | --prompts FILE   the same prompts on several models at once, side by side
                   [--system TEXT --image FILE --max-tokens N --temperature X --top-p X --json]
  usage            invocations, latency, tokens and cost per model and day, training and reservation cost,
                   and the same at Bedrock's prices   [--from DAY --to DAY --model ID --json]
  keys create      [--type access-key|api-key] [--description TEXT] [--json]
  keys list        [--json]
  keys revoke ID

Client commands take --endpoint URL (default http://<host>:<port> of the configuration) and sign with
<data-dir>/credentials. Configuration: flags > STRATA_* environment > <data-dir>/config.json > defaults.`;

type Command = (argv: string[], environment: CommandEnvironment) => Promise<void>;

// Each command's module is loaded when it runs: `serve` pulls in the server and node-llama-cpp (2.3 s to import
// here), which a client command such as `strata jobs list` (0.3 s) never needs.
const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import("./commands/serve.js")).serveCommand,
  config: async () => (await import("./commands/config.js")).configCommand,
  models: async () => (await import("./commands/models.js")).modelsCommand,
  keys: async () => (await import("./commands/keys.js")).keysCommand,
  data: async () => (await import("./commands/data.js")).dataCommand,
  jobs: async () => (await import("./commands/jobs.js")).jobsCommand,
  "custom-models": async () => (await import("./commands/custom-models.js")).customModelsCommand,
  evaluations: async () => (await import("./commands/evaluations.js")).evaluationsCommand,
  throughput: async () => (await import("./commands/throughput.js")).throughputCommand,
  compare: async () => (await import("./commands/compare.js")).compareCommand,
  usage: async () => (await import("./commands/usage.js")).usageCommand,
  classify: async () => (await import("./commands/classify.js")).classifyCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(`${usage}\n`);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`strata: unknown command ${name}\n${usage}\n`);
    return 2;
  }
  const command = await load();
  await command(rest, {
    environment: process.env,
    output: { write: (text) => process.stdout.write(`${text}\n`), isTerminal: process.stdout.isTTY === true },
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`strata: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`strata: ${(error as Error).message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
