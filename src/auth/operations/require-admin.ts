import { AccessDeniedException } from "../../protocol/aws-errors.js";
import type { RequestContext } from "../../protocol/dispatcher.js";

/** Key management is for the admin key that first start created (or keys made admin by it). */
export function requireAdmin(context: RequestContext): void {
  if (!context.caller.isAdmin) {
    throw new AccessDeniedException(
      `Key ${context.caller.keyId} is not authorized to perform ${context.operationName}: it needs an admin key.`,
    );
  }
}
