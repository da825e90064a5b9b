// GetUsageReport (`GET /strata/usage/report`, `strata usage`): usage and cost over a time range, with the
// Bedrock comparison. An admin key sees every caller's invocations; any other key sees its own (training jobs
// and reservations belong to the account and are listed to every key, as their own List operations are).
import type { Kysely } from "kysely";
import { CustomizationJobStore } from "../../customization/jobs/customization-job-store.js";
import { ValidationException } from "../../protocol/aws-errors.js";
import { type OperationHandler, operation } from "../../protocol/dispatcher.js";
import type { GetUsageReportRequest, GetUsageReportResponse } from "../../protocol/generated/strata-types.js";
import { ProvisionedThroughputStore } from "../../provisioned-throughput/provisioned-throughput-store.js";
import type { StrataDatabase } from "../../storage/database/database-schema.js";
import {
  buildUsageReport,
  type UsageReportSettings,
  type UsageReportSources,
} from "../report/build-usage-report.js";
import { type UsageReportStores, usageReportSources } from "../report/usage-report-sources.js";

const dayMs = 24 * 3_600_000;
/** The default range: the 30 days up to now, as GetCostSummary. */
const defaultRangeDays = 30;
/** Reservation accrual walks the range day by day; a century is far beyond any real question. */
const maxRangeDays = 36_600;

export function getUsageReport(sources: UsageReportSources, settings: UsageReportSettings): OperationHandler {
  return operation<GetUsageReportRequest, GetUsageReportResponse>(async (context, input) => {
    const to = input.to ?? new Date();
    const from = input.from ?? new Date(to.getTime() - defaultRangeDays * dayMs);
    if (from.getTime() >= to.getTime()) {
      throw new ValidationException(
        `The time range is empty: from (${from.toISOString()}) must be before to (${to.toISOString()}).`,
      );
    }
    if (to.getTime() - from.getTime() > maxRangeDays * dayMs) {
      throw new ValidationException(
        `The time range from ${from.toISOString()} to ${to.toISOString()} is longer than ${maxRangeDays} days.`,
      );
    }
    return buildUsageReport(sources, settings, {
      from,
      to,
      ...(input.modelId === undefined ? {} : { modelId: input.modelId }),
      ...(context.caller.isAdmin ? {} : { callerKeyId: context.caller.keyId }),
    });
  });
}

/** GetUsageReport over the server's stores (the composition root's one-line registration). */
export function usageReportOperation(
  stores: Omit<UsageReportStores, "customizationJobs" | "reservations"> & {
    database: Kysely<StrataDatabase>;
  },
  settings: UsageReportSettings,
): OperationHandler {
  return getUsageReport(
    usageReportSources({
      ...stores,
      // Both stores are stateless views of their tables: reading through new instances changes nothing.
      customizationJobs: new CustomizationJobStore(stores.database),
      reservations: new ProvisionedThroughputStore(stores.database),
    }),
    settings,
  );
}
