// Cuts special tokens out of text before pre-tokenization, the way llama.cpp's tokenizer_st_partition does:
// special tokens are tried longest first (by UTF-8 length), and each one splits every remaining text fragment
// at all of its non-overlapping occurrences, leftmost first. So a longer special token wins over a shorter one
// it contains, whatever their positions.

export interface SpecialTokenText {
  id: number;
  text: string;
}

export type TextFragment = { kind: "text"; text: string } | { kind: "special"; id: number };

const encoder = new TextEncoder();

/** Orders special tokens the way llama.cpp tries them: longest UTF-8 first, then by id for equal lengths. */
export function orderSpecialTokensForSplitting(tokens: readonly SpecialTokenText[]): SpecialTokenText[] {
  return tokens
    .filter((token) => token.text.length > 0)
    .map((token) => ({ token, byteLength: encoder.encode(token.text).length }))
    .sort((left, right) => right.byteLength - left.byteLength || left.token.id - right.token.id)
    .map(({ token }) => token);
}

/** specialTokens must already be ordered by orderSpecialTokensForSplitting. */
export function splitSpecialTokens(text: string, specialTokens: readonly SpecialTokenText[]): TextFragment[] {
  let fragments: TextFragment[] = [{ kind: "text", text }];
  for (const special of specialTokens) {
    const next: TextFragment[] = [];
    for (const fragment of fragments) {
      if (fragment.kind === "special" || !fragment.text.includes(special.text)) {
        next.push(fragment);
        continue;
      }
      let searchFrom = 0;
      for (
        let found = fragment.text.indexOf(special.text, searchFrom);
        found !== -1;
        found = fragment.text.indexOf(special.text, searchFrom)
      ) {
        if (found > searchFrom) next.push({ kind: "text", text: fragment.text.slice(searchFrom, found) });
        next.push({ kind: "special", id: special.id });
        searchFrom = found + special.text.length;
      }
      if (searchFrom < fragment.text.length)
        next.push({ kind: "text", text: fragment.text.slice(searchFrom) });
    }
    fragments = next;
  }
  return fragments;
}
