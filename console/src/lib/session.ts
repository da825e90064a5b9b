// The signed-in session: the access key id and SigV4 signing keys derived from the secret at sign-in, for
// today and tomorrow (UTC) — never the secret. Kept in sessionStorage (this tab only, gone when it closes,
// never sent anywhere, not a cookie) so that a reload does not sign the user out.
import { deriveSigningKey, type SigningKey } from "./sigv4-signer.js";

export interface Session {
  accessKeyId: string;
  region: string;
  keys: SigningKey[];
}

const storageKey = "strata.console.session";
export const signingService = "bedrock";
const dayMs = 86_400_000;

function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10).replaceAll("-", "");
}

function isSession(value: unknown): value is Session {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<Session>;
  return (
    typeof candidate.accessKeyId === "string" &&
    typeof candidate.region === "string" &&
    Array.isArray(candidate.keys) &&
    candidate.keys.every((key) => typeof key?.keyHex === "string" && typeof key.date === "string")
  );
}

function load(): Session | undefined {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(storageKey) ?? "null");
    return isSession(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

let current: Session | undefined = typeof sessionStorage === "undefined" ? undefined : load();
let endedBecause: string | undefined;
const listeners = new Set<() => void>();

function changed(): void {
  for (const listener of listeners) listener();
}

export function currentSession(): Session | undefined {
  return current;
}

/** Why the last session ended when the user did not sign out (revoked key, keys expired). */
export function sessionEndReason(): string | undefined {
  return endedBecause;
}

export function subscribeToSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Derives the keys for today and tomorrow (UTC); the secret is not kept. */
export async function deriveSession(
  accessKeyId: string,
  secretAccessKey: string,
  region: string,
  now = Date.now(),
): Promise<Session> {
  const keys = await Promise.all(
    [utcDay(now), utcDay(now + dayMs)].map((day) =>
      deriveSigningKey(secretAccessKey, day, region, signingService),
    ),
  );
  return { accessKeyId, region, keys };
}

export function startSession(session: Session): void {
  current = session;
  endedBecause = undefined;
  sessionStorage.setItem(storageKey, JSON.stringify(session));
  changed();
}

export function endSession(reason?: string): void {
  current = undefined;
  endedBecause = reason;
  sessionStorage.removeItem(storageKey);
  changed();
}

export function signingKeyFor(session: Session, now: Date): SigningKey | undefined {
  return session.keys.find((key) => key.date === utcDay(now.getTime()));
}
