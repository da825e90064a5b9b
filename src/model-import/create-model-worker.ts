// Runs in a worker thread: tokenizer training and weight initialisation are CPU-bound for seconds to a
// minute and must not stall the server's event loop. Input and output travel as plain structured data.
import { parentPort, workerData } from "node:worker_threads";
import { createLlamaModel } from "../model-files/create-model/create-llama-model.js";
import {
  beginOfTextToken,
  endOfTextToken,
  reservedControlTokens,
} from "../model-files/create-model/default-chat-template.js";
import {
  type LlamaModelDimensions,
  llamaModelDimensionProblems,
} from "../model-files/create-model/llama-model-spec.js";
import type { GgufWritableTensorType } from "../model-files/gguf/write-gguf.js";
import type { BpeVocabulary } from "../model-files/tokenizer/bpe-vocabulary.js";
import { limitTexts, mobyDickTexts, stateOfTheUnionTexts } from "../model-files/tokenizer/corpus-texts.js";
import { trainBpeTokenizer } from "../model-files/tokenizer/train-bpe-tokenizer.js";

export type CorpusSource =
  | { builtin: "sotu-before-1900" | "moby-dick" | "sotu-before-1900-and-moby-dick" }
  | { texts: string[] };

export interface CreateModelWork {
  path: string;
  name: string;
  dimensions: LlamaModelDimensions;
  seed: number;
  tensorType: GgufWritableTensorType;
  /** Either a vocabulary to reuse, or a corpus to train one on. */
  vocabulary?: BpeVocabulary;
  corpus?: CorpusSource;
  maxCorpusBytes: number;
}

export type CreateModelWorkResult =
  | {
      ok: true;
      parameterCount: number;
      vocabularySize: number;
      fileSizeBytes: number;
      tokenizerTrainingSeconds: number;
    }
  | { ok: false; problem: string };

function* corpusTexts(source: CorpusSource): Generator<string> {
  if ("texts" in source) {
    yield* source.texts;
    return;
  }
  if (source.builtin !== "moby-dick") yield* stateOfTheUnionTexts({ before: 1900 });
  if (source.builtin !== "sotu-before-1900") yield* mobyDickTexts();
}

async function createModel(work: CreateModelWork): Promise<CreateModelWorkResult> {
  const started = performance.now();
  const vocabulary =
    work.vocabulary ??
    (await trainBpeTokenizer({
      texts: limitTexts(corpusTexts(work.corpus ?? { builtin: "sotu-before-1900" }), work.maxCorpusBytes),
      vocabularySize: work.dimensions.vocabularySize,
      specialTokens: [...reservedControlTokens],
      bosToken: beginOfTextToken,
      eosToken: endOfTextToken,
    }));
  const tokenizerTrainingSeconds = work.vocabulary ? 0 : (performance.now() - started) / 1000;
  // A corpus too small for the requested size yields fewer merges: the model takes the vocabulary it got.
  const dimensions = { ...work.dimensions, vocabularySize: vocabulary.tokens.length };
  const problems = llamaModelDimensionProblems(dimensions);
  if (problems.length > 0) return { ok: false, problem: problems.join("; ") };
  const created = await createLlamaModel({
    path: work.path,
    name: work.name,
    dimensions,
    vocabulary,
    seed: work.seed,
    tensorType: work.tensorType,
  });
  return {
    ok: true,
    parameterCount: created.parameterCount,
    vocabularySize: vocabulary.tokens.length,
    fileSizeBytes: created.fileSizeBytes,
    tokenizerTrainingSeconds,
  };
}

if (parentPort) {
  const port = parentPort;
  createModel(workerData as CreateModelWork).then(
    (result) => port.postMessage(result),
    (error: unknown) => port.postMessage({ ok: false, problem: (error as Error).message ?? String(error) }),
  );
}
