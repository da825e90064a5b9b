// Which models Strata's trainer can customize: the architectures its graph builds and the tensor types it can
// hold frozen. One place on the server side, so the catalog's customizationsSupported and the customization
// job's refusal can never disagree; test/native/quantized-bases.test.ts checks both lists against the native
// core's own (`strata-trainer-cli info`), which is what finally accepts or refuses a file.
import type { GgufHeader } from "./gguf/gguf-header.js";

/** qwen2 is llama plus q/k/v biases and NEOX-style RoPE; Mistral's GGUFs are written as llama. */
export const trainableArchitectures: readonly string[] = ["llama", "qwen2"];
/** The k-quants and the legacy 4/5/8-bit types; not the importance-matrix IQ* types (untested). */
export const trainableTensorTypes: readonly string[] = [
  "F32",
  "F16",
  "Q8_0",
  "Q4_0",
  "Q4_1",
  "Q5_0",
  "Q5_1",
  "Q2_K",
  "Q3_K",
  "Q4_K",
  "Q5_K",
  "Q6_K",
];

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
