// Typed view of the parts of s3rver@3.7.1 (CommonJS, no type declarations) that Strata touches. Loaded with
// createRequire so that nothing global has to declare the module; the interfaces name only what is used.

import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";

export interface S3rverOptions {
  directory: string;
  silent: boolean;
  vhostBuckets: boolean;
  resetOnClose: boolean;
  configureBuckets: { name: string; configs: string[] }[];
}

export interface KoaContext {
  req: unknown;
  res: ServerResponse;
  request: { req: IncomingMessage };
  state: Record<string, unknown>;
}

export type KoaMiddleware = (context: KoaContext, next: () => Promise<void>) => unknown;

export interface FilesystemStore {
  rootDirectory: string;
  getBucketPath(bucket: string): string;
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  getBucket(bucket: string): Promise<unknown>;
  initiateUpload(bucket: string, key: string, uploadId: string, metadata: unknown): Promise<unknown>;
  putPart(bucket: string, uploadId: string, partNumber: unknown, content: unknown): Promise<unknown>;
  putObjectMultipart(bucket: string, uploadId: string, parts: unknown): Promise<unknown>;
}

export interface S3rverApp {
  middleware: KoaMiddleware[];
  store: FilesystemStore;
  logger: { close(): void };
  callback(): (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  configureBuckets(): Promise<unknown>;
  on(event: "error", listener: (error: unknown, context: KoaContext | undefined) => void): void;
}

export interface AwsAccount {
  createKeyPair(accessKeyId: string, secretAccessKey: string): void;
  revokeAccessKey(accessKeyId: string): void;
}

interface AwsAccountModule {
  new (accountId: number, displayName: string): AwsAccount;
  registry: Map<string, AwsAccount>;
  DUMMY_ACCOUNT: AwsAccount;
}

export type S3ErrorConstructor = new (
  code: string,
  message: string,
  detail?: Record<string, string>,
) => Error;

const require = createRequire(import.meta.url);

export const S3rver: new (options: S3rverOptions) => S3rverApp = require("s3rver");
export const AwsAccountModel: AwsAccountModule = require("s3rver/lib/models/account");
export const S3Error: S3ErrorConstructor = require("s3rver/lib/models/error");
