// Rebuilds Strata's built-in models from nothing, with the same code the server's pretraining jobs run:
//   npm run build:builtin-models            base, then chat (each resumes from its checkpoints)
//   npm run build:builtin-models -- base    only strata.tiny-base-v1
//   npm run build:builtin-models -- chat    only strata.tiny-chat-v1 (needs the base's trained F32 work file)
// Work files (checkpoints, F32 models) go to .scratch/builtin-models/; the shipped GGUFs and their recipe
// records to models/.
import { join } from "node:path";
import {
  buildBaseModel,
  buildChatModel,
  builtinModelsDirectory,
} from "../src/pretraining/builtin-models-build.js";

const workDirectory = join(process.cwd(), ".scratch", "builtin-models");
const which = process.argv[2] ?? "all";
if (!["all", "base", "chat"].includes(which)) {
  console.error(`usage: build-builtin-models [all|base|chat], got ${which}`);
  process.exit(2);
}
const log = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);
if (which !== "chat") await buildBaseModel(workDirectory, builtinModelsDirectory, log);
if (which !== "base") await buildChatModel(workDirectory, builtinModelsDirectory, log);
