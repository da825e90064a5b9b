// The zero-setup S3 endpoint: s3rver provides the S3 API over a directory, and this module puts Strata's
// own front door before it. s3rver does not verify SigV4 signatures at all (and lets unsigned requests
// through), so every request is verified here first; only then does s3rver see it, with a body that has
// already been decoded and checked where the client made integrity claims about it.
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { headerValue } from "../../auth/sigv4/header-value.js";
import { parseRawQuery } from "../../auth/sigv4/parse-raw-query.js";
import { type AccessKeyLookup, verifySignature } from "../../auth/sigv4/verify-signature.js";
import { confineFilesystemStore } from "./confine-filesystem-store.js";
import { refusalForSignatureFailure } from "./refusal-for-signature-failure.js";
import { S3RequestError } from "./s3-request-error.js";
import { AwsAccountModel, type KoaMiddleware, S3rver } from "./s3rver-module.js";
import { sendS3Error } from "./send-s3-error.js";
import { needsSpooling, planRequestBody, spoolRequestBody } from "./spool-request-body.js";
import { validateS3RequestTarget } from "./validate-s3-request-target.js";

export interface EmbeddedS3Options {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Where objects live, e.g. <data-dir>/objects. */
  directory: string;
  /** Created at start if missing. */
  bucket: string;
  /** Consulted on every request, so keys can be added and revoked while running. */
  lookupAccessKey: AccessKeyLookup;
  /** One entry per request: method, path (never the query), status, latencyMs, accessKeyId. */
  log?: (entry: Record<string, unknown>) => void;
}

export interface EmbeddedS3 {
  url: string;
  port: number;
  close(): Promise<void>;
}

const maxClockSkewMs = 15 * 60 * 1000;
// s3rver's registry wants an account for every key it sees; the id only shows up in ACL stubs.
const strataAccountId = 100_000_000_000;

export async function startEmbeddedS3(options: EmbeddedS3Options): Promise<EmbeddedS3> {
  const directory = path.resolve(options.directory);
  await mkdir(directory, { recursive: true });
  const spoolDirectory = await mkdtemp(path.join(tmpdir(), "strata-s3-spool-"));

  const app = new S3rver({
    directory,
    silent: true,
    vhostBuckets: false,
    resetOnClose: false,
    configureBuckets: [{ name: options.bucket, configs: [] }],
  });
  confineFilesystemStore(app.store);
  await app.configureBuckets();

  // Bodies that were spooled and verified replace the raw request stream inside s3rver (keyed by request).
  const verifiedBodies = new WeakMap<IncomingMessage, Readable>();
  const internalErrors = new WeakMap<ServerResponse, string>();
  replaceVirtualHostMiddleware(app.middleware, (context, next) => {
    // Path-style only: the Host header never selects a bucket (it is client-controlled).
    context.state.vhost = false;
    context.state.service = "s3";
    const verified = verifiedBodies.get(context.request.req);
    if (verified) context.req = verified;
    return next();
  });
  app.on("error", (error, context) => {
    if (context) internalErrors.set(context.res, error instanceof Error ? error.name : "Error");
  });
  const s3rverHandler = app.callback();

  // Strata's keys replace s3rver's built-in S3RVER/S3RVER pair. s3rver only checks that a key is registered,
  // so a key is registered once Strata has verified a signature made with it, with a random secret (s3rver
  // would use it only for SigV2, which Strata never accepts), and dropped again once Strata refuses it.
  AwsAccountModel.DUMMY_ACCOUNT.revokeAccessKey("S3RVER");
  const strataAccount = new AwsAccountModel(strataAccountId, "Strata");

  const handle = async (request: IncomingMessage, response: ServerResponse, expectsContinue: boolean) => {
    const started = performance.now();
    const requestId = randomBytes(8).toString("hex").toUpperCase();
    const method = request.method ?? "GET";
    const url = request.url ?? "/";
    const queryStart = url.indexOf("?");
    const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
    const rawQuery = queryStart === -1 ? "" : url.slice(queryStart + 1);
    let accessKeyId: string | undefined;
    let errorCode: string | undefined;
    let spoolFile: string | undefined;
    // Until s3rver takes over, a body we did not consume means the connection must close after a refusal.
    let bodyUnread = hasBody(request);
    response.setHeader("x-amz-request-id", requestId);

    response.once("close", () => {
      if (spoolFile) void rm(spoolFile, { force: true });
      options.log?.({
        requestId,
        method,
        path: rawPath,
        status: response.statusCode,
        latencyMs: Math.round((performance.now() - started) * 10) / 10,
        accessKeyId,
        ...(errorCode ? { errorCode } : {}),
        ...(internalErrors.has(response) ? { internalError: internalErrors.get(response) } : {}),
      });
    });

    try {
      const verification = await verifySignature(
        { method, rawPath, rawQuery, headers: request.headers },
        options.lookupAccessKey,
        { service: "s3", uriEscapePath: false, maxClockSkewMs },
      );
      if (!verification.ok) {
        const failure = verification.failure;
        if (
          failure.kind === "UnrecognizedAccessKey" &&
          AwsAccountModel.registry.get(failure.accessKeyId) === strataAccount
        ) {
          strataAccount.revokeAccessKey(failure.accessKeyId);
        }
        if ("accessKeyId" in failure) accessKeyId = failure.accessKeyId;
        throw refusalForSignatureFailure(failure, request.headers, maxClockSkewMs);
      }
      accessKeyId = verification.accessKeyId;

      const query = parseRawQuery(rawQuery);
      validateS3RequestTarget(rawPath, query.ok ? query.parameters : [], request.headers);
      const plan = planRequestBody(request.headers, options.lookupAccessKey);
      if (!AwsAccountModel.registry.has(accessKeyId)) {
        strataAccount.createKeyPair(accessKeyId, randomBytes(32).toString("hex"));
      }

      if (expectsContinue) response.writeContinue();
      if (hasBody(request) && needsSpooling(plan)) {
        spoolFile = path.join(spoolDirectory, `${requestId}.body`);
        const { size } = await spoolRequestBody(request, plan, spoolFile);
        rewriteHeadersForDecodedBody(request, size);
        verifiedBodies.set(request, createReadStream(spoolFile));
      }
      bodyUnread = false;
      await s3rverHandler(request, response);
    } catch (error) {
      let refusal: S3RequestError;
      if (error instanceof S3RequestError) {
        refusal = error;
      } else {
        internalErrors.set(response, error instanceof Error ? error.name : "Error");
        refusal = new S3RequestError(
          "InternalError",
          500,
          "We encountered an internal error. Please try again.",
        );
      }
      errorCode = refusal.code;
      sendS3Error(response, refusal, requestId, { method, bodyUnread });
    }
  };

  const server = createServer();
  server.on(
    "request",
    (request: IncomingMessage, response: ServerResponse) => void handle(request, response, false),
  );
  // Answering "Expect: 100-continue" only after the signature holds means refused uploads are never sent.
  server.on(
    "checkContinue",
    (request: IncomingMessage, response: ServerResponse) => void handle(request, response, true),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${urlHost(options.host)}:${port}`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      app.logger.close();
      await rm(spoolDirectory, { recursive: true, force: true });
    },
  };
}

function replaceVirtualHostMiddleware(middleware: KoaMiddleware[], replacement: KoaMiddleware): void {
  const index = middleware.findIndex((entry) => entry.name === "vhost");
  // Pinned to s3rver 3.7.1; fail loudly rather than serve virtual-host buckets if its internals change.
  if (index === -1) throw new Error("s3rver's vhost middleware was not found; check the s3rver version");
  middleware[index] = replacement;
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers["content-length"];
  return request.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

function rewriteHeadersForDecodedBody(request: IncomingMessage, size: number): void {
  // s3rver stores Content-Encoding as object metadata; aws-chunked described the transfer, not the object.
  const encodings = (headerValue(request.headers, "content-encoding") ?? "")
    .split(",")
    .map((token) => token.trim())
    .filter((token) => token !== "" && token.toLowerCase() !== "aws-chunked");
  if (encodings.length > 0) request.headers["content-encoding"] = encodings.join(",");
  else delete request.headers["content-encoding"];
  delete request.headers["transfer-encoding"];
  request.headers["content-length"] = String(size);
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
