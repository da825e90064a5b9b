// The reservation side of the cost ledger: billing periods (units × hourly price, from a start to an end or
// to now) cut at UTC day boundaries and summed per day and model. Pro rata to the millisecond: Bedrock bills
// whole hours, Strata shows what has accrued so far.

export interface BillingPeriod {
  provisionedModelArn: string;
  modelArn: string;
  modelUnits: number;
  pricePerUnitHourUsd: number;
  startedAt: Date;
  /** Absent while the period is still open. */
  endedAt?: Date;
}

export interface DailyReservationCost {
  /** YYYY-MM-DD (UTC). */
  day: string;
  modelArn: string;
  unitHours: number;
  costUsd: number;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

export function accrueReservationCost(
  periods: readonly BillingPeriod[],
  range: { from: Date; to: Date },
): DailyReservationCost[] {
  const totals = new Map<string, DailyReservationCost>();
  for (const period of periods) {
    const start = Math.max(period.startedAt.getTime(), range.from.getTime());
    const end = Math.min(period.endedAt?.getTime() ?? range.to.getTime(), range.to.getTime());
    for (let cursor = start; cursor < end; ) {
      const dayStart = Math.floor(cursor / dayMs) * dayMs;
      const sliceEnd = Math.min(end, dayStart + dayMs);
      const day = new Date(dayStart).toISOString().slice(0, 10);
      const key = `${day}\n${period.modelArn}`;
      const total = totals.get(key) ?? { day, modelArn: period.modelArn, unitHours: 0, costUsd: 0 };
      const unitHours = (period.modelUnits * (sliceEnd - cursor)) / hourMs;
      total.unitHours += unitHours;
      total.costUsd += unitHours * period.pricePerUnitHourUsd;
      totals.set(key, total);
      cursor = sliceEnd;
    }
  }
  return [...totals.values()].sort(
    (a, b) => a.day.localeCompare(b.day) || a.modelArn.localeCompare(b.modelArn),
  );
}
