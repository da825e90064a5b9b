// Hourly price of one model unit by commitment term. Bedrock does not publish one price for every model; the
// defaults are the only published triple with all three terms found (bedrock-api.md §6.2): Cohere Command-Light
// (custom), no commitment $8.56, one month $6.85, six months $4.11 per model unit per hour — aws.amazon.com/
// bedrock/pricing as copied on 2024-03-13 (github.com/becloudready/beautiful-jekyll) and LiteLLM's per-second
// rates × 3600. Operators set their own in config.json ("provisionedThroughput": {"prices": {...}}).

export type CommitmentTerm = "None" | "OneMonth" | "SixMonths";

export interface ReservationPrices {
  perUnitHourUsd: Record<CommitmentTerm, number>;
  source: string;
}

export const defaultReservationPrices: ReservationPrices = {
  perUnitHourUsd: { None: 8.56, OneMonth: 6.85, SixMonths: 4.11 },
  source:
    "Amazon Bedrock Provisioned Throughput, Cohere Command-Light (custom), per model unit per hour; aws.amazon.com/bedrock/pricing as of 2024-03-13 (bedrock-api.md §6.2)",
};

export function termOf(commitmentDuration: "OneMonth" | "SixMonths" | null | undefined): CommitmentTerm {
  return commitmentDuration ?? "None";
}

/** When a commitment ends: one or six calendar months after it began (UTC). */
export function commitmentExpiration(start: Date, commitmentDuration: "OneMonth" | "SixMonths"): Date {
  const end = new Date(start);
  end.setUTCMonth(end.getUTCMonth() + (commitmentDuration === "OneMonth" ? 1 : 6));
  return end;
}
