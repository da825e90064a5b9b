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
// spell the BOS text; a system message, when present, is simply the first turn, as in ChatML. When tools are
// given they are listed in a system turn (Hermes/Qwen style: JSON definitions inside <tools>, calls inside
// <tool_call>), tool results come back in "tool" turns — so Strata's models declare tool support in their
// template, as real tool-capable models do.
export const defaultChatTemplate = [
  "{{- bos_token -}}",
  "{%- if tools -%}",
  `{{- '${turnStartToken}system\\n' -}}`,
  "{%- if messages[0]['role'] == 'system' -%}{{- messages[0]['content'] + '\\n\\n' -}}{%- endif -%}",
  `{{- 'You may call these tools. Answer with <tool_call>{"name": ..., "arguments": {...}}</tool_call>.\\n<tools>\\n' -}}`,
  "{%- for tool in tools -%}{{- tool | tojson -}}{{- '\\n' -}}{%- endfor -%}",
  `{{- '</tools>${turnEndToken}\\n' -}}`,
  "{%- endif -%}",
  "{%- for message in messages -%}",
  "{%- if not (tools and loop.first and message['role'] == 'system') -%}",
  `{{- '${turnStartToken}' + message['role'] + '\\n' + message['content'] + '${turnEndToken}' + '\\n' -}}`,
  "{%- endif -%}",
  "{%- endfor -%}",
  "{%- if add_generation_prompt -%}",
  `{{- '${turnStartToken}assistant\\n' -}}`,
  "{%- endif -%}",
].join("\n");
