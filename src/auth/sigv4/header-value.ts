export type IncomingHeaders = Record<string, string | string[] | undefined>;

/**
 * One header's value as a single string. Repeated headers are joined with "," as SigV4 canonicalisation
 * does; only own properties count, so a header named "constructor" cannot read the object's prototype.
 */
export function headerValue(headers: IncomingHeaders, lowerCaseName: string): string | undefined {
  if (!Object.hasOwn(headers, lowerCaseName)) return undefined;
  const value = headers[lowerCaseName];
  if (Array.isArray(value)) return value.join(",");
  return typeof value === "string" ? value : undefined;
}
