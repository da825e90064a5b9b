// Bedrock's list pagination: maxResults (1–1000, default 1000 here) and an opaque nextToken that is absent on
// the last page, so the SDK paginators stop. Tokens carry the offset; a forged one is a ValidationException.
import { ValidationException } from "./aws-errors.js";

export interface Page<Item> {
  items: Item[];
  nextToken?: string;
}

export function paginate<Item>(items: readonly Item[], maxResults = 1000, nextToken?: string): Page<Item> {
  let offset = 0;
  if (nextToken !== undefined) {
    const decoded = /^o(\d{1,9})$/.exec(Buffer.from(nextToken, "base64url").toString("utf8"));
    if (!decoded?.[1])
      throw new ValidationException(`The nextToken ${nextToken} is not one this service issued.`);
    offset = Number(decoded[1]);
  }
  const page = items.slice(offset, offset + maxResults);
  const next = offset + page.length;
  return next < items.length
    ? { items: page, nextToken: Buffer.from(`o${next}`).toString("base64url") }
    : { items: page };
}

export function sortByCreationTime<Item extends { creationTime: Date }>(
  items: readonly Item[],
  sortOrder: "Ascending" | "Descending" = "Descending",
): Item[] {
  const direction = sortOrder === "Ascending" ? 1 : -1;
  return [...items].sort((a, b) => direction * (a.creationTime.getTime() - b.creationTime.getTime()));
}
