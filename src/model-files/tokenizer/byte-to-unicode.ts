// GPT-2's bytes_to_unicode table: every byte gets a printable, non-whitespace character so that byte-level
// tokens can be stored as ordinary strings in vocab files and GGUF (llama.cpp's unicode_byte_to_utf8 uses the
// same table). Printable Latin-1 bytes map to themselves; the other 68 bytes (controls, space, DEL, NBSP,
// soft hyphen...) map to U+0100 onwards, in byte order.

function buildByteToUnicode(): string[] {
  const table: string[] = new Array<string>(256);
  const keepsItsOwnCharacter = (byte: number): boolean =>
    (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
  let nextShiftedCodePoint = 256;
  for (let byte = 0; byte < 256; byte++) {
    table[byte] = String.fromCodePoint(keepsItsOwnCharacter(byte) ? byte : nextShiftedCodePoint++);
  }
  return table;
}

/** byteToUnicode[byte] is the one-character string that stands for that byte in token strings. */
export const byteToUnicode: readonly string[] = buildByteToUnicode();

/** The inverse table: character (as stored in token strings) → byte. */
export const unicodeToByte: ReadonlyMap<string, number> = new Map(
  byteToUnicode.map((character, byte) => [character, byte]),
);

/** Maps raw bytes to their byte-level token alphabet string. */
export function bytesToUnicodeString(bytes: Uint8Array): string {
  let result = "";
  // The table covers all 256 bytes, so the fallback never applies.
  for (const byte of bytes) result += byteToUnicode[byte] ?? "";
  return result;
}
