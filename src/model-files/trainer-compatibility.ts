// Which models Strata's trainer can customize: the architectures its graph builds and the tensor types it can
// hold frozen (the trainer design in docs: llama and mistral; F32, F16, Q8_0 and Q4_K bases). One place, so
// the catalog's customizationsSupported and the customization job's refusal can never disagree.
import type { GgufHeader } from "./gguf/gguf-header.js";

export const trainableArchitectures: readonly string[] = ["llama", "mistral"];
export const trainableTensorTypes: readonly string[] = ["F32", "F16", "Q8_0", "Q4_K"];

export type TrainerCompatibility = { trainable: true } | { trainable: false; reason: string };

export function trainerCompatibility(architecture: string, header: GgufHeader): TrainerCompatibility {
  if (!trainableArchitectures.includes(architecture)) {
    return {
      trainable: false,
      reason: `architecture ${architecture} is not one the trainer builds (${trainableArchitectures.join(", ")})`,
    };
  }
  const unsupported = header.tensors.find((tensor) => !trainableTensorTypes.includes(tensor.typeName));
  if (unsupported) {
    return {
      trainable: false,
      reason: `tensor ${unsupported.name} is ${unsupported.typeName}; the trainer holds ${trainableTensorTypes.join(", ")}`,
    };
  }
  return { trainable: true };
}
