import { operation } from "../../protocol/dispatcher.js";
import type {
  ListCatalogModelsRequest,
  ListCatalogModelsResponse,
} from "../../protocol/generated/strata-types.js";
import type { Catalog } from "../catalog.js";

export const listCatalogModels = (catalog: Catalog) =>
  operation<ListCatalogModelsRequest, ListCatalogModelsResponse>(async (_context, input) => {
    const entries = await catalog.list(input);
    return { models: entries.map((entry) => entry.model) };
  });
