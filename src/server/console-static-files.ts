// Serves the built web console (console/ → dist/console/) under /console/, and sends browsers that open the
// server's root there. Only GET/HEAD, only regular files inside the build folder with a known content type,
// every path label decoded and checked before it touches the file system; the console's page is sent with a
// Content-Security-Policy that allows this origin's scripts, styles and API and nothing else. API clients are
// unaffected: "/" is redirected only for a GET that accepts text/html (SDKs never ask for it).
import { lstat, readFile } from "node:fs/promises";
import { extname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { WireRequest, WireResponse } from "../protocol/wire-request.js";

export const consolePath = "/console/";

/** dist/console/ of this checkout: the same folder from src/server/ (tsx) and dist/server/ (built). */
export function defaultConsoleDirectory(): string {
  return fileURLToPath(new URL("../../dist/console/", import.meta.url));
}

const contentTypes: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

// Text compresses to about a third; a console opened from another machine should not fetch 300 KB of script raw.
const compressible = new Set([".html", ".js", ".css", ".svg", ".json", ".txt"]);
const gzipAsync = promisify(gzip);

/** Whether the client takes gzip (a "gzip" token without q=0). */
function acceptsGzip(request: WireRequest): boolean {
  return header(request, "accept-encoding")
    .split(",")
    .some((entry) => {
      const [coding, ...parameters] = entry.trim().toLowerCase().split(";");
      const zero = parameters.some((parameter) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(parameter));
      return (coding === "gzip" || coding === "*") && !zero;
    });
}

// No inline script or style, no other origin: the console's bundle and this server's API only.
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const commonHeaders: Readonly<Record<string, string>> = {
  "content-security-policy": contentSecurityPolicy,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

function header(request: WireRequest, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value.join(",") : value) ?? "";
}

/** Whether the console answers this request rather than the APIs. */
export function isConsoleRequest(request: WireRequest): boolean {
  if (request.rawPath === "/console" || request.rawPath.startsWith(consolePath)) return true;
  return (
    request.rawPath === "/" && request.method === "GET" && /\btext\/html\b/i.test(header(request, "accept"))
  );
}

function plain(status: number, text: string, extra: Record<string, string> = {}): WireResponse {
  return {
    status,
    headers: { ...commonHeaders, "content-type": "text/plain; charset=utf-8", ...extra },
    body: text,
    operationName: "console",
  };
}

function redirect(location: string): WireResponse {
  return { ...plain(302, `See ${location}`, { location, "cache-control": "no-store" }) };
}

/** The path below /console/ as checked labels, or undefined when a label is unusable. */
function pathLabels(rest: string): string[] | undefined {
  if (rest === "") return [];
  const labels: string[] = [];
  for (const raw of rest.split("/")) {
    let label: string;
    try {
      label = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    // Dot-files, "..", empty labels and anything a file system reads as a separator are never served.
    if (label === "" || label.startsWith(".") || /[/\\\0]/.test(label)) return undefined;
    labels.push(label);
  }
  return labels;
}

async function regularFile(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isFile();
  } catch {
    return false;
  }
}

export function createConsoleHandler(options: {
  directory: string;
}): (request: WireRequest) => Promise<WireResponse> {
  const root = resolve(options.directory);
  const indexFile = join(root, "index.html");

  // Compressed once per file version (path, size, modification time): the build's files are few and small.
  const compressed = new Map<string, { version: string; body: Uint8Array }>();
  const gzipped = async (file: string, body: Uint8Array): Promise<Uint8Array> => {
    const stat = await lstat(file);
    const version = `${stat.size}:${stat.mtimeMs}`;
    const cached = compressed.get(file);
    if (cached?.version === version) return cached.body;
    const result = new Uint8Array(await gzipAsync(body));
    compressed.set(file, { version, body: result });
    return result;
  };

  const serve = async (request: WireRequest, file: string, immutable: boolean): Promise<WireResponse> => {
    const extension = extname(file).toLowerCase();
    const type = contentTypes[extension];
    if (type === undefined) return plain(404, "Not found");
    const raw = new Uint8Array(await readFile(file));
    const compress = compressible.has(extension) && acceptsGzip(request);
    return {
      status: 200,
      headers: {
        ...commonHeaders,
        "content-type": type,
        // Vite puts a content hash in every asset's name; the page itself must always be fetched again.
        "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
        ...(compressible.has(extension) ? { vary: "accept-encoding" } : {}),
        ...(compress ? { "content-encoding": "gzip" } : {}),
      },
      body: compress ? await gzipped(file, raw) : raw,
      operationName: "console",
    };
  };

  return async (request) => {
    if (request.rawPath === "/" || request.rawPath === "/console") return redirect(consolePath);
    if (request.method !== "GET" && request.method !== "HEAD") {
      return plain(405, "The console's files are read with GET.", { allow: "GET, HEAD" });
    }
    const labels = pathLabels(request.rawPath.slice(consolePath.length));
    if (labels === undefined) return plain(404, "Not found");
    const file = join(root, ...labels);
    const inside = relative(root, file);
    if (inside.startsWith("..") || isAbsolute(inside)) return plain(404, "Not found");

    if (labels.length > 0 && (await regularFile(file))) return serve(request, file, labels[0] === "assets");
    // A page of the console itself (no extension): the app; a missing file with an extension: 404.
    if (labels.length > 0 && extname(file) !== "") return plain(404, "Not found");
    if (!(await regularFile(indexFile))) {
      return plain(503, "The web console is not built: run `npm run build`, then reload.");
    }
    return serve(request, indexFile, false);
  };
}
