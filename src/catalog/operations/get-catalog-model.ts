import { ResourceNotFoundException } from "../../protocol/aws-errors.js";
import { operation } from "../../protocol/dispatcher.js";
import type {
  GetCatalogModelRequest,
  GetCatalogModelResponse,
} from "../../protocol/generated/strata-types.js";
import type { Catalog } from "../catalog.js";

export const getCatalogModel = (catalog: Catalog) =>
  operation<GetCatalogModelRequest, GetCatalogModelResponse>(async (_context, input) => {
    const entry = await catalog.get(input.modelIdentifier);
    if (!entry) throw new ResourceNotFoundException(`No model ${input.modelIdentifier} in the catalog.`);
    return { model: entry.model };
  });
