// The checks every new customization job passes first, whatever its method (fine-tuning, continued pre-training,
// transfer learning): Bedrock's idempotency by clientRequestToken and its name conflicts.
import { createHash } from "node:crypto";
import { ConflictException } from "../../protocol/aws-errors.js";
import type { CustomModelRegistry } from "../custom-models/custom-model-registry.js";
import type { CustomizationJob, CustomizationJobStore } from "./customization-job-store.js";

export type Admission = { kind: "new"; fingerprint: string } | { kind: "retry"; job: CustomizationJob };

/**
 * A retry (the same clientRequestToken with the same request) gets the job it made; the token reused with another
 * request, a taken job name, or a custom model name that exists or is being trained → ConflictException. Otherwise
 * the request's fingerprint (everything but the token), to store with the new job.
 */
export async function admitCustomizationJob(
  stores: { jobs: CustomizationJobStore; customModels: CustomModelRegistry },
  request: { clientRequestToken?: string; jobName: string; customModelName: string },
): Promise<Admission> {
  const { jobs, customModels } = stores;
  const { clientRequestToken, ...fingerprinted } = request;
  const fingerprint = createHash("sha256").update(JSON.stringify(fingerprinted)).digest("hex");
  if (clientRequestToken) {
    const previous = await jobs.findByClientRequestToken(clientRequestToken);
    if (previous) {
      if (previous.requestFingerprint === fingerprint) return { kind: "retry", job: previous };
      throw new ConflictException(
        `The clientRequestToken ${clientRequestToken} was already used with a different request.`,
      );
    }
  }
  if (await jobs.findByName(request.jobName))
    throw new ConflictException(`A model customization job named ${request.jobName} already exists.`);
  if (
    (await customModels.findByName(request.customModelName)) ||
    (await jobs.findActiveForModelName(request.customModelName))
  )
    throw new ConflictException(
      `A custom model named ${request.customModelName} already exists or is being trained.`,
    );
  return { kind: "new", fingerprint };
}
