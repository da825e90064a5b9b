// The chat format of models Strata creates: ChatML turns (<|im_start|>role\ncontent<|im_end|>\n) after the
// begin-of-text token, written as a Jinja template because that is what llama.cpp and node-llama-cpp read from
// tokenizer.chat_template. The tokenizer trainer must reserve these control tokens so each is one token id.

export const beginOfTextToken = "<|begin_of_text|>";
export const endOfTextToken = "<|end_of_text|>";
export const turnStartToken = "<|im_start|>";
/** llama.cpp recognises "<|im_end|>" by its text as the end-of-turn token, so generation stops there. */
export const turnEndToken = "<|im_end|>";

export const chatControlTokens = [turnStartToken, turnEndToken] as const;

/** Every control token the template and the model file rely on, BOS and EOS first. */
export const reservedControlTokens = [beginOfTextToken, endOfTextToken, ...chatControlTokens] as const;

// bos_token is passed in by the renderer (node-llama-cpp maps it to the BOS token), so the template does not
// spell the BOS text; a system message, when present, is simply the first turn, as in ChatML.
export const defaultChatTemplate = [
  "{{- bos_token -}}",
  "{%- for message in messages -%}",
  `{{- '${turnStartToken}' + message['role'] + '\\n' + message['content'] + '${turnEndToken}' + '\\n' -}}`,
  "{%- endfor -%}",
  "{%- if add_generation_prompt -%}",
  `{{- '${turnStartToken}assistant\\n' -}}`,
  "{%- endif -%}",
].join("\n");
