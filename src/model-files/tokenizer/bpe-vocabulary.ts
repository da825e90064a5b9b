// A byte-level BPE vocabulary as llama.cpp reads it from GGUF (tokenizer.ggml.model = "gpt2"): token strings
// in GPT-2's byte-to-unicode alphabet, their types, the merges in rank order and the special token ids.

/** llama.cpp's llama_token_type values as stored in tokenizer.ggml.token_type. */
export const TokenType = {
  normal: 1,
  unknown: 2,
  control: 3,
  userDefined: 4,
  unused: 5,
  byte: 6,
} as const;

export interface BpeVocabulary {
  /** Token strings, index = token id, in GPT-2's byte-to-unicode alphabet; special tokens verbatim. */
  tokens: string[];
  /** One TokenType value per token. */
  tokenTypes: number[];
  /** Merges in rank order, each "left right" in the byte-to-unicode alphabet. */
  merges: string[];
  bosTokenId: number;
  eosTokenId: number;
  unknownTokenId?: number;
  paddingTokenId?: number;
  /** tokenizer.ggml.pre: a pre-tokenizer name llama.cpp (node-llama-cpp 3.21.1's build) accepts. */
  preTokenizer: string;
  /** tokenizer.ggml.add_bos_token */
  addBosToken: boolean;
}
