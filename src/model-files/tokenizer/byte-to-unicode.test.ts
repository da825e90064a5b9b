import { describe, expect, it } from "vitest";
import { bytesToUnicodeString, byteToUnicode, unicodeToByte } from "./byte-to-unicode.js";

describe("byteToUnicode", () => {
  it("gives each byte its own single printable character", () => {
    expect(byteToUnicode).toHaveLength(256);
    expect(new Set(byteToUnicode).size).toBe(256);
    for (const character of byteToUnicode) {
      expect([...character]).toHaveLength(1);
      expect(character).not.toMatch(/\s/u);
    }
  });

  it("matches GPT-2's table on the bytes that show up in every vocabulary", () => {
    expect(byteToUnicode[0x21]).toBe("!");
    expect(byteToUnicode[0x41]).toBe("A");
    expect(byteToUnicode[0x20]).toBe("Ġ");
    expect(byteToUnicode[0x0a]).toBe("Ċ");
    expect(byteToUnicode[0x09]).toBe("ĉ");
    expect(byteToUnicode[0x00]).toBe("Ā");
    expect(byteToUnicode[0x7f]).toBe("ġ");
    expect(byteToUnicode[0xad]).toBe("Ń");
    expect(byteToUnicode[0xe9]).toBe("é");
  });

  it("has an exact inverse", () => {
    for (let byte = 0; byte < 256; byte++) expect(unicodeToByte.get(byteToUnicode[byte] ?? "")).toBe(byte);
    expect(bytesToUnicodeString(new TextEncoder().encode(" é"))).toBe("ĠÃ©");
  });
});
