import { requireAdmin } from "../../auth/operations/require-admin.js";
import { operation } from "../../protocol/dispatcher.js";
import type { CreateModelRequest, CreateModelResponse } from "../../protocol/generated/strata-types.js";
import { type CreateLocalModelDependencies, createLocalModel } from "../create-local-model.js";

export const createModel = (dependencies: CreateLocalModelDependencies) =>
  operation<CreateModelRequest, CreateModelResponse>(async (context, input) => {
    requireAdmin(context);
    const { model: _model, ...response } = await createLocalModel(dependencies, input);
    return response;
  });
