// First start: an admin access key pair and an admin API key, written to <data-dir>/credentials (0600).
import { existsSync } from "node:fs";
import {
  credentialsFilePath,
  type StrataCredentials,
  writeCredentialsFile,
} from "../auth/credentials-file.js";
import type { KeyStore } from "../auth/key-store.js";

export interface FirstStartResult {
  credentialsFile: string;
  /** Set only when this start created the keys: the caller decides whether a terminal may see them. */
  created?: StrataCredentials;
  /** The database has keys but the credentials file is gone: say so instead of silently making new ones. */
  credentialsFileMissing: boolean;
}

export async function ensureFirstStartCredentials(
  keyStore: KeyStore,
  dataDirectory: string,
): Promise<FirstStartResult> {
  const credentialsFile = credentialsFilePath(dataDirectory);
  if ((await keyStore.countAccessKeys()) > 0) {
    return { credentialsFile, credentialsFileMissing: !existsSync(credentialsFile) };
  }
  const accessKey = await keyStore.createAccessKey({
    description: "admin (created at first start)",
    isAdmin: true,
  });
  const apiKey = await keyStore.createApiKey({
    description: "admin API key (created at first start)",
    isAdmin: true,
  });
  const created: StrataCredentials = {
    accessKeyId: accessKey.accessKeyId,
    secretAccessKey: accessKey.secretAccessKey,
    apiKey: apiKey.apiKey,
  };
  writeCredentialsFile(credentialsFile, created);
  return { credentialsFile, created, credentialsFileMissing: false };
}
