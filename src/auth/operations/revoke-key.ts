import { operation } from "../../protocol/dispatcher.js";
import type { RevokeKeyRequest, RevokeKeyResponse } from "../../protocol/generated/strata-types.js";
import type { KeyStore } from "../key-store.js";
import { requireAdmin } from "./require-admin.js";

export const revokeKey = (keyStore: KeyStore) =>
  operation<RevokeKeyRequest, RevokeKeyResponse>(async (context, input) => {
    requireAdmin(context);
    await keyStore.revoke(input.keyId, context.caller.keyId);
    return {};
  });
