import { operation } from "../../protocol/dispatcher.js";
import type {
  ListFoundationModelsRequest,
  ListFoundationModelsResponse,
} from "../../protocol/generated/bedrock-types.js";
import type { Catalog } from "../catalog.js";

export const listFoundationModels = (catalog: Catalog) =>
  operation<ListFoundationModelsRequest, ListFoundationModelsResponse>(async (_context, input) => {
    const entries = await catalog.list(input);
    return { modelSummaries: entries.map((entry) => entry.summary) };
  });
