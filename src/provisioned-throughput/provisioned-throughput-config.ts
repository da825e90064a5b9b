// Provisioned throughput's settings (config.json "provisionedThroughput", all optional), with their defaults.
import { availableParallelism } from "node:os";
import type { ProvisionedThroughputSettings } from "../config/strata-config.js";
import type { OnDemandQuota } from "./admission-policy.js";
import { defaultReservationPrices, type ReservationPrices } from "./cost/reservation-prices.js";

export interface ProvisionedThroughputConfig {
  /** Cores of this host (default: os.availableParallelism()). */
  hostCores: number;
  /** Cores reservations may hold together; never more than all but one (the default). */
  reservableCores?: number;
  /** Model units per reserved core: each unit is one dedicated sequence on it. */
  unitsPerCore: number;
  /** Requests beyond a reservation's sequences wait in a queue this many per model unit long. */
  queuePerUnit: number;
  /** On-demand requests waiting for one model's sequences before ThrottlingException. */
  onDemandQueueLength: number;
  /** Per caller key, on on-demand capacity only (reserved traffic is bounded by its units). */
  onDemandQuota: OnDemandQuota;
  prices: ReservationPrices;
}

export function provisionedThroughputConfig(
  settings: ProvisionedThroughputSettings = {},
  hostCores = availableParallelism(),
): ProvisionedThroughputConfig {
  const prices = settings.pricesPerUnitHourUsd;
  return {
    hostCores,
    ...(settings.reservableCores !== undefined ? { reservableCores: settings.reservableCores } : {}),
    unitsPerCore: settings.unitsPerCore ?? 4,
    queuePerUnit: settings.queuePerUnit ?? 2,
    onDemandQueueLength: settings.onDemandQueueLength ?? 32,
    onDemandQuota: settings.onDemandQuota ?? {},
    prices: prices
      ? {
          perUnitHourUsd: { ...defaultReservationPrices.perUnitHourUsd, ...prices },
          source: `set in the configuration (${Object.keys(prices).join(", ")}); otherwise ${defaultReservationPrices.source}`,
        }
      : defaultReservationPrices,
  };
}
