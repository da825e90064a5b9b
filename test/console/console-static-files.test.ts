// Serving the built console: content types, caching and security headers, the SPA fallback, and nothing outside
// the build folder whatever the path says; the root redirect only for browsers.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireRequest } from "../../src/protocol/wire-request.js";
import { createConsoleHandler, isConsoleRequest } from "../../src/server/console-static-files.js";

let root: string;
let built: string;
let handle: ReturnType<typeof createConsoleHandler>;

function request(
  rawPath: string,
  options: { method?: string; accept?: string; acceptEncoding?: string } = {},
): WireRequest {
  return {
    method: options.method ?? "GET",
    rawPath,
    rawQuery: "",
    headers: {
      ...(options.accept ? { accept: options.accept } : {}),
      ...(options.acceptEncoding ? { "accept-encoding": options.acceptEncoding } : {}),
    },
    body: new Uint8Array(),
    requestId: "test",
    signal: new AbortController().signal,
  };
}

const text = (body: unknown) => Buffer.from(body as Uint8Array).toString("utf8");

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "strata-console-files-"));
  built = join(root, "console");
  mkdirSync(join(built, "assets"), { recursive: true });
  writeFileSync(join(built, "index.html"), "<!doctype html><title>console</title>");
  writeFileSync(join(built, "assets", "index-abc.js"), "console.log(1)");
  writeFileSync(join(built, "assets", "index-abc.css"), "body{}");
  writeFileSync(join(built, ".secret.html"), "dot file");
  writeFileSync(join(built, "notes.md"), "unknown type");
  writeFileSync(join(root, "outside.html"), "outside the build");
  symlinkSync(join(root, "outside.html"), join(built, "link.html"));
  handle = createConsoleHandler({ directory: built });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the console's static files", () => {
  it("serves the page with a strict Content-Security-Policy and no caching", async () => {
    const response = await handle(request("/console/"));
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.headers["cache-control"]).toBe("no-cache");
    expect(response.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(response.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(response.headers["content-security-policy"]).not.toContain("unsafe");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(text(response.body)).toContain("<title>console</title>");
  });

  it("serves hashed assets with their content type, cached for good", async () => {
    const script = await handle(request("/console/assets/index-abc.js"));
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.headers["cache-control"]).toContain("immutable");
    const style = await handle(request("/console/assets/index-abc.css", { method: "HEAD" }));
    expect(style.status).toBe(200);
    expect(style.headers["content-type"]).toBe("text/css; charset=utf-8");
  });

  it("compresses text for clients that take gzip, and only for them", async () => {
    const zipped = await handle(
      request("/console/assets/index-abc.js", { acceptEncoding: "br, gzip, deflate" }),
    );
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toBe("accept-encoding");
    expect(gunzipSync(zipped.body as Uint8Array).toString("utf8")).toBe("console.log(1)");
    for (const acceptEncoding of [undefined, "identity", "gzip;q=0", "br"]) {
      const plain = await handle(
        request("/console/assets/index-abc.js", acceptEncoding ? { acceptEncoding } : {}),
      );
      expect(`${acceptEncoding} ${plain.headers["content-encoding"]}`).toBe(`${acceptEncoding} undefined`);
      expect(text(plain.body)).toBe("console.log(1)");
    }
  });

  it("answers the console's own pages with the app, and missing files with 404", async () => {
    expect(text((await handle(request("/console/playground"))).body)).toContain("<title>console</title>");
    expect((await handle(request("/console/assets/missing.js"))).status).toBe(404);
  });

  it("never serves anything outside the build folder, dot files, links or unknown types", async () => {
    for (const path of [
      "/console/../outside.html",
      "/console/..%2Foutside.html",
      "/console/%2e%2e/outside.html",
      "/console/%2E%2E%2Foutside.html",
      "/console/assets/..%5C..%5Coutside.html",
      "/console/%00index.html",
      "/console/.secret.html",
      "/console/link.html",
      "/console/notes.md",
      "/console//etc/passwd.html",
      "/console/%E0%A4%A.html",
    ]) {
      const response = await handle(request(path));
      expect(`${path} ${response.status}`).toBe(`${path} 404`);
      expect(text(response.body)).not.toContain("outside the build");
    }
  });

  it("takes GET and HEAD only", async () => {
    const response = await handle(request("/console/", { method: "POST" }));
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("GET, HEAD");
  });

  it("says so when the console is not built", async () => {
    const unbuilt = createConsoleHandler({ directory: join(root, "missing") });
    const response = await unbuilt(request("/console/"));
    expect(response.status).toBe(503);
    expect(text(response.body)).toMatch(/npm run build/);
  });

  it("redirects browsers from / and /console, and leaves API requests to the APIs", async () => {
    expect(isConsoleRequest(request("/", { accept: "text/html,application/xhtml+xml,*/*;q=0.8" }))).toBe(
      true,
    );
    expect(isConsoleRequest(request("/", { accept: "application/json" }))).toBe(false);
    expect(isConsoleRequest(request("/"))).toBe(false);
    expect(isConsoleRequest(request("/", { method: "POST", accept: "text/html" }))).toBe(false);
    expect(isConsoleRequest(request("/foundation-models", { accept: "text/html" }))).toBe(false);
    expect(isConsoleRequest(request("/consoles"))).toBe(false);
    for (const path of ["/", "/console"]) {
      const response = await handle(request(path, { accept: "text/html" }));
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe("/console/");
    }
  });
});
