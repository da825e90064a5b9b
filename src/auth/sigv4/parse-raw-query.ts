// Decodes a query string exactly once, the way the request router will see it, so that the signer's
// re-encoding reproduces the canonical query the client signed.
export interface QueryParameter {
  name: string;
  value: string;
}

export type RawQueryParse = { ok: true; parameters: QueryParameter[] } | { ok: false; message: string };

export function parseRawQuery(rawQuery: string): RawQueryParse {
  const parameters: QueryParameter[] = [];
  for (const pair of rawQuery.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    // "?uploads" and "?uploads=" both canonicalise to "uploads=" in SigV4.
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    const rawValue = equals === -1 ? "" : pair.slice(equals + 1);
    const name = decodeQueryComponent(rawName);
    const value = decodeQueryComponent(rawValue);
    if (name === undefined || value === undefined) {
      return { ok: false, message: "The query string contains malformed percent-encoding." };
    }
    parameters.push({ name, value });
  }
  return { ok: true, parameters };
}

// "+" means a space here because that is how node's querystring (and so Koa and every router downstream)
// reads it: verifying what the application will act on matters more than accepting a client that sent a
// literal "+" yet signed "%2B".
function decodeQueryComponent(component: string): string | undefined {
  try {
    return decodeURIComponent(component.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/** Groups repeated names into lists, the shape @smithy/signature-v4 expects for `?a=1&a=2`. */
export function toSignerQuery(parameters: readonly QueryParameter[]): Record<string, string | string[]> {
  const grouped = new Map<string, string[]>();
  for (const { name, value } of parameters) {
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  }
  // Object.fromEntries defines own properties, so a parameter named "__proto__" stays an ordinary key.
  return Object.fromEntries(
    [...grouped].map(([name, values]) => [name, values.length === 1 ? (values[0] ?? "") : values]),
  );
}
