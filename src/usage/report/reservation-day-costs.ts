// The reservation part of the usage report: each provisioned throughput's billing periods, cut at UTC midnight by
// the cost ledger's own accrual, per reservation, day and commitment term — and the same model-unit hours at
// Bedrock's published Provisioned Throughput price for the term. A Strata model unit is this host's measured
// capacity, not Bedrock's (whose size per model is unpublished): the comparison is of the bill, not of speed.
import type { UsageReportReservation } from "../../protocol/generated/strata-types.js";
import { accrueReservationCost } from "../../provisioned-throughput/cost/accrue-reservation-cost.js";
import {
  type CommitmentTerm,
  defaultReservationPrices,
} from "../../provisioned-throughput/cost/reservation-prices.js";

export interface ReservationPeriodRecord {
  provisionedModelArn: string;
  modelArn: string;
  commitmentTerm: CommitmentTerm;
  modelUnits: number;
  pricePerUnitHourUsd: number;
  startedAt: Date;
  endedAt?: Date;
}

/** Rows ordered by day, then provisioned-model ARN. */
export function reservationDayCosts(
  periods: readonly ReservationPeriodRecord[],
  range: { from: Date; to: Date },
): UsageReportReservation[] {
  const rows = new Map<string, UsageReportReservation>();
  for (const period of periods) {
    const accrued = accrueReservationCost([{ ...period }], range);
    for (const slice of accrued) {
      const key = `${slice.day}\n${period.provisionedModelArn}\n${period.modelArn}\n${period.commitmentTerm}`;
      const row = rows.get(key) ?? {
        day: slice.day,
        provisionedModelArn: period.provisionedModelArn,
        modelArn: period.modelArn,
        commitmentTerm: period.commitmentTerm,
        unitHours: 0,
        costUsd: 0,
        bedrockEquivalent: { basis: "" },
      };
      row.unitHours += slice.unitHours;
      row.costUsd += slice.costUsd;
      rows.set(key, row);
    }
  }
  return [...rows.values()]
    .map((row) => ({ ...row, bedrockEquivalent: bedrockReservationEquivalent(row) }))
    .sort((a, b) => a.day.localeCompare(b.day) || a.provisionedModelArn.localeCompare(b.provisionedModelArn));
}

function bedrockReservationEquivalent(row: UsageReportReservation) {
  const term = row.commitmentTerm as CommitmentTerm;
  const price = defaultReservationPrices.perUnitHourUsd[term];
  return {
    costUsd: row.unitHours * price,
    basis: `Bedrock Provisioned Throughput list price, $${price} per model-unit hour (${term === "None" ? "no commitment" : term}; ${defaultReservationPrices.source}); a Strata model unit is this host's measured capacity, not Bedrock's`,
  };
}
