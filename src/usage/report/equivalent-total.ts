// Sums Bedrock equivalents of several items (invocations of one model and day, reservation periods): the costs
// that exist, and every distinct basis, so that a mixed group says how each part was priced.
import type { BedrockEquivalent } from "../bedrock-equivalent.js";

export class EquivalentTotal {
  private costUsd: number | undefined;
  private readonly bases = new Set<string>();
  private readonly modelIds = new Set<string>();

  add(equivalent: BedrockEquivalent): void {
    if (equivalent.costUsd !== undefined) this.costUsd = (this.costUsd ?? 0) + equivalent.costUsd;
    if (equivalent.bedrockModelId !== undefined) this.modelIds.add(equivalent.bedrockModelId);
    this.bases.add(equivalent.basis);
  }

  result(): BedrockEquivalent {
    const [onlyModelId] = this.modelIds.size === 1 ? [...this.modelIds] : [];
    return {
      ...(this.costUsd === undefined ? {} : { costUsd: this.costUsd }),
      ...(onlyModelId === undefined ? {} : { bedrockModelId: onlyModelId }),
      basis: [...this.bases].join("; "),
    };
  }
}
