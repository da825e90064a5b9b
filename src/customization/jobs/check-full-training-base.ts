// Full fine-tuning updates F32 weights, so the job trains an F32 copy of a base stored otherwise — which Strata
// can make from F16 and Q8_0 (the built-in models), not from the k-quants and legacy 4/5-bit types that LoRA
// trains through as they are. Refused when the job is created, not when it starts.
import { dequantizableTensorTypes, nonF32TensorTypes } from "../../model-files/gguf/dequantize-gguf.js";
import { ValidationException } from "../../protocol/aws-errors.js";

export async function checkFullTrainingBase(modelPath: string, baseModelIdentifier: string): Promise<void> {
  const types = await nonF32TensorTypes(modelPath);
  const blocking = types.filter((type) => !(dequantizableTensorTypes as readonly string[]).includes(type));
  if (blocking.length > 0)
    throw new ValidationException(
      `hyperParameters.trainingMethod=full needs ${baseModelIdentifier} in F32, or in a type Strata converts to F32 (${dequantizableTensorTypes.join(", ")}), but it holds ${blocking.join(", ")} tensors. Use trainingMethod=lora, which trains on it as it is, or import an F16 or F32 version of the model.`,
    );
}
