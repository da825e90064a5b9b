import { ResourceNotFoundException } from "../../protocol/aws-errors.js";
import { operation } from "../../protocol/dispatcher.js";
import type {
  GetFoundationModelRequest,
  GetFoundationModelResponse,
} from "../../protocol/generated/bedrock-types.js";
import type { Catalog } from "../catalog.js";

export const getFoundationModel = (catalog: Catalog) =>
  operation<GetFoundationModelRequest, GetFoundationModelResponse>(async (_context, input) => {
    const entry = await catalog.get(input.modelIdentifier);
    if (!entry) {
      throw new ResourceNotFoundException(
        `Could not resolve the foundation model from the provided model identifier: ${input.modelIdentifier}`,
      );
    }
    return { modelDetails: entry.summary };
  });
