// A CreatePretrainingJob request as a recipe: the built-in base model's recipe, with what the request sets.
import {
  type LlamaModelDimensions,
  llamaModelPresets,
} from "../../model-files/create-model/llama-model-spec.js";
import type { CreatePretrainingJobRequest } from "../../protocol/generated/strata-types.js";
import { type PretrainingRecipe, tinyBaseRecipe } from "../pretraining-recipe.js";

export function recipeForRequest(request: CreatePretrainingJobRequest): PretrainingRecipe {
  const dimensions: LlamaModelDimensions = {
    ...llamaModelPresets[request.preset ?? "tiny"],
    ...request.dimensions,
  };
  const steps = request.steps ?? tinyBaseRecipe.steps;
  return {
    ...tinyBaseRecipe,
    name: `local.${request.modelName}`,
    dimensions,
    seed: request.seed ?? tinyBaseRecipe.seed,
    steps,
    rowsPerStep: request.rowsPerStep ?? tinyBaseRecipe.rowsPerStep,
    sequenceLength: Math.min(
      request.sequenceLength ?? tinyBaseRecipe.sequenceLength,
      dimensions.contextLength,
    ),
    learningRate: request.learningRate ?? tinyBaseRecipe.learningRate,
    minimumLearningRate: (request.learningRate ?? tinyBaseRecipe.learningRate) / 10,
    warmupSteps: Math.min(
      request.warmupSteps ?? Math.min(tinyBaseRecipe.warmupSteps, Math.floor(steps / 10)),
      steps,
    ),
    // Four held-out measurements over the run, and a checkpoint at least every 100 steps.
    validationEvery: Math.max(1, Math.ceil(steps / 4)),
    checkpointEvery: Math.max(1, Math.min(100, Math.ceil(steps / 10))),
    quantization: request.quantization ?? tinyBaseRecipe.quantization,
    ...(request.heldOutCharacters ? { heldOutCharacters: request.heldOutCharacters } : {}),
  };
}
