// The cost ledger: per model and UTC day, what reservations accrued (model units × hours × the hourly price of
// their commitment term) next to what on-demand invocations cost (the usage ledger's per-invocation prices).

import type { ArnContext } from "../../model-import/resource-ids.js";
import type { UsageLedger } from "../../usage/usage-ledger.js";
import { provisionedModelArn } from "../provisioned-model-arns.js";
import type { ProvisionedThroughputStore } from "../provisioned-throughput-store.js";
import { accrueReservationCost } from "./accrue-reservation-cost.js";
import type { ReservationPrices } from "./reservation-prices.js";

export interface CostRow {
  day: string;
  modelId: string;
  reservationUnitHours: number;
  reservationCostUsd: number;
  onDemandInvocations: number;
  onDemandTokens: number;
  onDemandCostUsd: number;
  totalCostUsd: number;
}

export class CostLedger {
  constructor(
    private readonly options: {
      store: ProvisionedThroughputStore;
      usage: UsageLedger;
      prices: ReservationPrices;
      context: ArnContext;
    },
  ) {}

  get prices(): ReservationPrices {
    return this.options.prices;
  }

  async summarize(query: { from: Date; to: Date; modelId?: string }): Promise<CostRow[]> {
    const now = new Date();
    const to = query.to < now ? query.to : now;
    const periods = await this.options.store.periods({ from: query.from, to });
    const reserved = accrueReservationCost(
      periods.map((period) => ({
        provisionedModelArn: provisionedModelArn(this.options.context, period.provisionedModelId),
        modelArn: period.modelArn,
        modelUnits: period.modelUnits,
        pricePerUnitHourUsd: period.pricePerUnitHourUsd,
        startedAt: period.startedAt,
        ...(period.endedAt ? { endedAt: period.endedAt } : {}),
      })),
      { from: query.from, to },
    );
    await this.options.usage.flush();
    const onDemand = await this.options.usage.summarize({
      from: query.from,
      to: query.to,
      groupBy: "model-day",
    });
    const rows = new Map<string, CostRow>();
    const row = (day: string, modelId: string): CostRow => {
      const key = `${day}\n${modelId}`;
      let found = rows.get(key);
      if (!found) {
        found = {
          day,
          modelId,
          reservationUnitHours: 0,
          reservationCostUsd: 0,
          onDemandInvocations: 0,
          onDemandTokens: 0,
          onDemandCostUsd: 0,
          totalCostUsd: 0,
        };
        rows.set(key, found);
      }
      return found;
    };
    for (const cost of reserved) {
      const target = row(cost.day, cost.modelArn);
      target.reservationUnitHours += cost.unitHours;
      target.reservationCostUsd += cost.costUsd;
    }
    for (const group of onDemand) {
      const target = row(group.day ?? "", group.modelId);
      target.onDemandInvocations += group.invocations;
      target.onDemandTokens += group.inputTokens + group.outputTokens;
      target.onDemandCostUsd += group.costUsd;
    }
    return [...rows.values()]
      .filter((entry) => !query.modelId || entry.modelId === query.modelId)
      .map((entry) => ({
        ...entry,
        reservationUnitHours: round(entry.reservationUnitHours),
        reservationCostUsd: round(entry.reservationCostUsd),
        onDemandCostUsd: round(entry.onDemandCostUsd),
        totalCostUsd: round(entry.reservationCostUsd + entry.onDemandCostUsd),
      }))
      .sort((a, b) => a.day.localeCompare(b.day) || a.modelId.localeCompare(b.modelId));
  }
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
