/** A random idempotency token (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
