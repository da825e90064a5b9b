// Texts the tokenizer tests share: the cases where byte-level BPE and pre-tokenization usually go wrong.

/** Non-ASCII text: multi-byte UTF-8, combining marks, emoji sequences, scripts without spaces. */
export const nonAsciiSamples: readonly string[] = [
  "대한민국의 수도는 서울입니다. 한국어 토크나이저 시험!",
  "Ça déménage: façade, naïve, crème brûlée, São Paulo, Łódź, Ærøskøbing, İstanbul.",
  "Emoji: 😀 👍🏽 👨‍👩‍👧‍👦 🇺🇸 ❤️ — and a flag 🏳️‍🌈.",
  // Combining marks: "e" + U+0301, "n" + U+0303, stacked marks on "a".
  "Combining: e\u0301, n\u0303, a\u0300\u0323\u0302, Z\u0351\u0352\u0353",
  "中文分词没有空格。日本語のテキストとカタカナ、ひらがな。",
  "Ελληνικά, русский текст, עברית, العربية, हिन्दी, ไทย",
  "Numbers: ١٢٣ ½ Ⅻ ⁴² 3.14159 1,000,000 0x1F",
  "Zero width: a\u200bb\u200cc\u200dd\ufeffe and nbsp:\u00a0x, ideographic space:\u3000y, NEL:\u0085z",
  "Letters new in Unicode 16: \u{105C0}\u{105C1} and numbers \u{10D40}\u{10D41}.",
];

/** Whitespace runs and newlines, which the pre-tokenizer splits in its own way. */
export const whitespaceSamples: readonly string[] = [
  "  two leading spaces",
  "trailing spaces   ",
  "tabs\tand\t\tmore\t",
  "line one\nline two\n\nline four\n",
  "windows\r\nline\r\nendings\r\n",
  "   \n\n   \t  \n",
  " ",
  "\n",
  "a  b   c    d",
  "indented:\n    code();\n        deeper();\n",
];

/** Contractions and punctuation that the GPT-2 rules treat specially. */
export const punctuationSamples: readonly string[] = [
  "It's, we're, they've, I'm, you'll, he'd, don't — IT'S, We'Re.",
  "'s 'tis ''quoted'' ' lone quote'",
  "Punctuation!!! ... ?! (parentheses) [brackets] {braces} <angles> @#$%^&*_+=|\\/~`",
  'JSON: {"key": [1, 2.5, -3e10], "nested": {"a": null}}',
  "URL https://example.com/path?query=1&b=two#fragment",
];
