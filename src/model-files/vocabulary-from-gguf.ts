// Takes the byte-level BPE vocabulary out of an existing GGUF (tokenizer.ggml.*), so a new model can share
// the tokenizer of another one. Parse, don't throw: a file without a gpt2-style vocabulary says what is missing.
import type { GgufHeader } from "./gguf/gguf-header.js";
import { type GgufMetadataValue, metadataNumber, metadataString } from "./gguf/gguf-metadata-value.js";
import type { BpeVocabulary } from "./tokenizer/bpe-vocabulary.js";

export type VocabularyFromGguf = { ok: true; vocabulary: BpeVocabulary } | { ok: false; reason: string };

function stringArray(value: GgufMetadataValue | undefined): string[] | undefined {
  return value?.type === "array" && value.elementType === "string" ? value.values : undefined;
}

function numberArray(value: GgufMetadataValue | undefined): number[] | undefined {
  if (value?.type !== "array") return undefined;
  if (value.elementType === "string" || value.elementType === "bool") return undefined;
  return (value.values as (number | bigint)[]).map(Number);
}

export function vocabularyFromGguf(header: GgufHeader): VocabularyFromGguf {
  const metadata = header.metadata;
  const model = metadataString(metadata.get("tokenizer.ggml.model"));
  if (model !== "gpt2") {
    return {
      ok: false,
      reason: `its tokenizer is ${model ?? "missing"}, not the byte-level BPE (gpt2) Strata trains`,
    };
  }
  const tokens = stringArray(metadata.get("tokenizer.ggml.tokens"));
  const merges = stringArray(metadata.get("tokenizer.ggml.merges"));
  const tokenTypes = numberArray(metadata.get("tokenizer.ggml.token_type"));
  const bosTokenId = metadataNumber(metadata.get("tokenizer.ggml.bos_token_id"));
  const eosTokenId = metadataNumber(metadata.get("tokenizer.ggml.eos_token_id"));
  if (!tokens || !merges || !tokenTypes || bosTokenId === undefined || eosTokenId === undefined) {
    return {
      ok: false,
      reason: "tokenizer.ggml tokens, merges, token_type, bos_token_id or eos_token_id is missing",
    };
  }
  if (tokenTypes.length !== tokens.length) {
    return { ok: false, reason: `${tokens.length} tokens but ${tokenTypes.length} token types` };
  }
  const unknownTokenId = metadataNumber(metadata.get("tokenizer.ggml.unknown_token_id"));
  const paddingTokenId = metadataNumber(metadata.get("tokenizer.ggml.padding_token_id"));
  const addBos = metadata.get("tokenizer.ggml.add_bos_token");
  return {
    ok: true,
    vocabulary: {
      tokens,
      tokenTypes,
      merges,
      bosTokenId,
      eosTokenId,
      ...(unknownTokenId === undefined ? {} : { unknownTokenId }),
      ...(paddingTokenId === undefined ? {} : { paddingTokenId }),
      preTokenizer: metadataString(metadata.get("tokenizer.ggml.pre")) ?? "gpt2",
      addBosToken: addBos?.type === "bool" ? addBos.value : true,
    },
  };
}
