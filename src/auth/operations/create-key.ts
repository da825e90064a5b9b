import { operation } from "../../protocol/dispatcher.js";
import type { CreateKeyRequest, CreateKeyResponse } from "../../protocol/generated/strata-types.js";
import type { KeyStore } from "../key-store.js";
import { requireAdmin } from "./require-admin.js";

export const createKey = (keyStore: KeyStore) =>
  operation<CreateKeyRequest, CreateKeyResponse>(async (context, input) => {
    requireAdmin(context);
    const options = input.description ? { description: input.description } : {};
    if (input.keyType === "API_KEY") {
      const created = await keyStore.createApiKey(options);
      return {
        keyId: created.keyId,
        keyType: "API_KEY",
        apiKey: created.apiKey,
        creationTime: created.creationTime,
      };
    }
    const created = await keyStore.createAccessKey(options);
    return {
      keyId: created.accessKeyId,
      keyType: "ACCESS_KEY",
      secretAccessKey: created.secretAccessKey,
      creationTime: created.creationTime,
    };
  });
