import { describe, expect, it } from "vitest";
import { accrueReservationCost } from "./accrue-reservation-cost.js";
import { commitmentExpiration } from "./reservation-prices.js";

const arn = "arn:aws:bedrock:us-east-1:000000000000:provisioned-model/abcdefabcdef";
const model = "arn:aws:bedrock:us-east-1:000000000000:custom-model/local.tiny/abcdefabcdef";

describe("accrueReservationCost", () => {
  it("prices units × hours and cuts periods at UTC midnight", () => {
    const rows = accrueReservationCost(
      [
        {
          provisionedModelArn: arn,
          modelArn: model,
          modelUnits: 2,
          pricePerUnitHourUsd: 10,
          startedAt: new Date("2026-11-28T22:00:00Z"),
          endedAt: new Date("2026-11-29T01:00:00Z"),
        },
      ],
      { from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") },
    );
    expect(rows).toEqual([
      { day: "2026-11-28", modelArn: model, unitHours: 4, costUsd: 40 },
      { day: "2026-11-29", modelArn: model, unitHours: 2, costUsd: 20 },
    ]);
  });

  it("accrues an open period up to the end of the range, and sums resizes of one model", () => {
    const rows = accrueReservationCost(
      [
        {
          provisionedModelArn: arn,
          modelArn: model,
          modelUnits: 1,
          pricePerUnitHourUsd: 8,
          startedAt: new Date("2026-11-29T10:00:00Z"),
          endedAt: new Date("2026-11-29T11:00:00Z"),
        },
        {
          provisionedModelArn: arn,
          modelArn: model,
          modelUnits: 3,
          pricePerUnitHourUsd: 8,
          startedAt: new Date("2026-11-29T11:00:00Z"),
        },
      ],
      { from: new Date("2026-11-29T00:00:00Z"), to: new Date("2026-11-29T11:30:00Z") },
    );
    expect(rows).toEqual([{ day: "2026-11-29", modelArn: model, unitHours: 2.5, costUsd: 20 }]);
  });

  it("ends commitments one or six calendar months later", () => {
    expect(commitmentExpiration(new Date("2026-01-31T12:00:00Z"), "SixMonths").toISOString()).toBe(
      "2026-07-31T12:00:00.000Z",
    );
    expect(commitmentExpiration(new Date("2026-11-29T12:00:00Z"), "OneMonth").toISOString()).toBe(
      "2026-12-29T12:00:00.000Z",
    );
  });
});
