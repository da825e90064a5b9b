import { createRequire } from "node:module";
import type { StrataConfig } from "../../config/strata-config.js";
import { operation } from "../../protocol/dispatcher.js";
import type { GetServiceInfoRequest, GetServiceInfoResponse } from "../../protocol/generated/strata-types.js";

const version = (createRequire(import.meta.url)("../../../package.json") as { version: string }).version;

/** Clients (the CLI's uploads) learn the object store from the server instead of guessing its port. */
export const getServiceInfo = (config: StrataConfig, s3Url: () => string) =>
  operation<GetServiceInfoRequest, GetServiceInfoResponse>(async () => ({
    version,
    region: config.region,
    accountId: config.accountId,
    objectStore:
      config.objectStore.kind === "embedded"
        ? {
            kind: "embedded",
            endpoint: s3Url(),
            bucket: config.objectStore.bucket,
            region: config.region,
            forcePathStyle: true,
          }
        : {
            kind: "s3",
            ...(config.objectStore.endpoint ? { endpoint: config.objectStore.endpoint } : {}),
            bucket: config.objectStore.bucket,
            region: config.objectStore.region,
            forcePathStyle: config.objectStore.forcePathStyle,
          },
  }));
