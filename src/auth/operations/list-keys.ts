import { operation } from "../../protocol/dispatcher.js";
import type { ListKeysRequest, ListKeysResponse } from "../../protocol/generated/strata-types.js";
import type { KeyStore } from "../key-store.js";
import { requireAdmin } from "./require-admin.js";

export const listKeys = (keyStore: KeyStore) =>
  operation<ListKeysRequest, ListKeysResponse>(async (context) => {
    requireAdmin(context);
    return { keySummaries: await keyStore.list() };
  });
