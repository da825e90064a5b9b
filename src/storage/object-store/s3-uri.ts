// s3:// URIs and object keys arrive from users (job configs, dataset locations) and end up as file paths in
// the embedded store, so anything that could walk out of a directory is refused here, with a reason a person
// can act on.
export type S3UriParse = { ok: true; bucket: string; key: string } | { ok: false; reason: string };
export type Validation = { ok: true } | { ok: false; reason: string };

const maxKeyBytes = 1024;

export function parseS3Uri(uri: string): S3UriParse {
  if (!uri.startsWith("s3://")) {
    return { ok: false, reason: `"${printable(uri)}" is not an S3 URI: it must start with s3://` };
  }
  const rest = uri.slice("s3://".length);
  const slash = rest.indexOf("/");
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? "" : rest.slice(slash + 1);
  const bucketCheck = validateBucketName(bucket);
  if (!bucketCheck.ok) return bucketCheck;
  if (key === "")
    return { ok: false, reason: `S3 URI "${printable(uri)}" has no object key after the bucket` };
  const keyCheck = validateObjectKey(key);
  if (!keyCheck.ok) return keyCheck;
  return { ok: true, bucket, key };
}

/** S3's general-purpose bucket naming rules. */
export function validateBucketName(bucket: string): Validation {
  const shown = `bucket name "${printable(bucket)}"`;
  if (bucket.length < 3 || bucket.length > 63) return fail(`${shown} must be 3 to 63 characters long`);
  if (!/^[a-z0-9.-]+$/.test(bucket)) {
    return fail(`${shown} may contain only lower-case letters, digits, dots and hyphens`);
  }
  if (!/^[a-z0-9]/.test(bucket) || !/[a-z0-9]$/.test(bucket)) {
    return fail(`${shown} must begin and end with a letter or digit`);
  }
  if (bucket.includes("..")) return fail(`${shown} must not contain two adjacent dots`);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) return fail(`${shown} must not be formatted as an IP address`);
  for (const prefix of ["xn--", "sthree-", "amzn-s3-demo-"]) {
    if (bucket.startsWith(prefix))
      return fail(`${shown} must not start with the reserved prefix "${prefix}"`);
  }
  for (const suffix of ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]) {
    if (bucket.endsWith(suffix)) return fail(`${shown} must not end with the reserved suffix "${suffix}"`);
  }
  return { ok: true };
}

/**
 * Rules for an object key given on its own. Besides S3's own limits, refuses what could address a file
 * outside the store when keys map onto paths: "." and ".." segments (split on "/" and on "\"), a leading
 * "/" or "\", control characters, and the percent-encoded forms of all of these (something downstream may
 * decode the key once more).
 */
export function validateObjectKey(key: string): Validation {
  if (key === "") return fail("object key must not be empty");
  if (Buffer.byteLength(key, "utf8") > maxKeyBytes)
    return fail(`object key is longer than ${maxKeyBytes} bytes`);
  const literal = checkDecodedKey(key, "");
  if (literal) return fail(literal);
  // Decode up to three times so "%252e%252e" (double-encoded) is caught too; stop once nothing changes.
  let current = key;
  for (let round = 0; round < 3; round += 1) {
    const decoded = decodePercentEscapes(current);
    if (decoded === current) break;
    const problem = checkDecodedKey(decoded, "percent-encoded ");
    if (problem) return fail(`${problem} (in "${printable(key)}")`);
    current = decoded;
  }
  return { ok: true };
}

function checkDecodedKey(key: string, encoding: string): string | undefined {
  const control = firstControlCharacter(key);
  if (control !== undefined) {
    const code = control.toString(16).toUpperCase().padStart(4, "0");
    return code === "0000"
      ? `object key contains a ${encoding}NUL character (U+0000)`
      : `object key contains a ${encoding}control character (U+${code})`;
  }
  if (key.startsWith("/")) return `object key must not start with a ${encoding}"/"`;
  if (key.startsWith("\\")) return `object key must not start with a ${encoding}"\\"`;
  for (const segment of key.split(/[/\\]/)) {
    if (segment === "..") return `object key contains a ${encoding}".." path segment`;
    if (segment === ".") return `object key contains a ${encoding}"." path segment`;
  }
  return undefined;
}

/**
 * Decodes each %XX escape to the character with that code. Only ASCII matters for the checks above, and
 * unlike decodeURIComponent this never throws on keys that merely contain a "%" (e.g. "100%.csv").
 */
function decodePercentEscapes(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_escape, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** Control characters are shown escaped so a reason can be logged or displayed safely. */
function printable(text: string): string {
  const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  let result = "";
  for (const character of shown) {
    result += isControlCode(character.charCodeAt(0))
      ? `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`
      : character;
  }
  return result;
}

function isControlCode(code: number): boolean {
  return code <= 0x1f || code === 0x7f;
}

function firstControlCharacter(text: string): number | undefined {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (isControlCode(code)) return code;
  }
  return undefined;
}

function fail(reason: string): Validation {
  return { ok: false, reason };
}
