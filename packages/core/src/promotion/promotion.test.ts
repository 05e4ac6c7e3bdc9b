import { describe, expect, it } from "vitest";
import { InvalidPromotionError } from "../errors/domain-errors.ts";
import { checkPromotion, findSeedPromotion, Promotion, seedPromotions } from "./promotion.ts";

const now = new Date("2026-12-04T10:00:00.000Z");

function seed(code: string): Promotion {
  const promotion = findSeedPromotion(code);
  if (promotion === undefined) {
    throw new Error(`seed promotion ${code} is missing`);
  }
  return promotion;
}

/** Returns the reason checkPromotion gives, or "applies" when it throws nothing. */
function outcome(promotion: Promotion, subtotal: number, at: Date, redemptions: number) {
  try {
    checkPromotion(promotion, subtotal, at, redemptions);
    return "applies";
  } catch (error) {
    if (error instanceof InvalidPromotionError) {
      return error.reason;
    }
    throw error;
  }
}

describe("checkPromotion", () => {
  const summer = seed("SUMMER2025");

  it.each([
    ["WELCOME10 on any subtotal", seed("WELCOME10"), 1, now, 0, "applies"],
    ["FIVEOFF at its minimum", seed("FIVEOFF"), 3000, now, 0, "applies"],
    ["FIVEOFF one cent below its minimum", seed("FIVEOFF"), 2999, now, 0, "below_minimum"],
    [
      "SUMMER2025 a millisecond before it starts",
      summer,
      1000,
      new Date("2025-05-31T23:59:59.999Z"),
      0,
      "not_yet_valid",
    ],
    ["SUMMER2025 when it starts", summer, 1000, new Date("2025-06-01T00:00:00.000Z"), 0, "applies"],
    [
      "SUMMER2025 a millisecond before it ends",
      summer,
      1000,
      new Date("2025-08-31T23:59:59.999Z"),
      0,
      "applies",
    ],
    ["SUMMER2025 when it ends", summer, 1000, new Date("2025-09-01T00:00:00.000Z"), 0, "expired"],
    ["SUMMER2025 today", summer, 1000, now, 0, "expired"],
    ["ONCEONLY before its first use", seed("ONCEONLY"), 1000, now, 0, "applies"],
    ["ONCEONLY after its first use", seed("ONCEONLY"), 1000, now, 1, "used_up"],
    ["WELCOME10 after many uses", seed("WELCOME10"), 1000, now, 1_000_000, "applies"],
  ])("decides %s", (_label, promotion, subtotal, at, redemptions, expected) => {
    expect(outcome(promotion, subtotal, at, redemptions)).toBe(expected);
  });

  it("names the code and the minimum in the error", () => {
    const act = () => checkPromotion(seed("FIVEOFF"), 100, now, 0);

    expect(act).toThrow(
      expect.objectContaining({
        name: "InvalidPromotionError",
        promotionCode: "FIVEOFF",
        minSubtotal: 3000,
        detail: "Promotion code FIVEOFF requires a higher order subtotal",
      }),
    );
  });

  it("reports expiry before the minimum", () => {
    expect(outcome(summer, 0, now, 0)).toBe("expired");
  });
});

describe("Promotion schema", () => {
  it("accepts every seed promotion", () => {
    for (const promotion of seedPromotions) {
      expect(Promotion.safeParse(promotion).success).toBe(true);
    }
  });

  it("includes the promotions the checkout and the tests rely on", () => {
    expect(seedPromotions.map((promotion) => promotion.code)).toEqual(
      expect.arrayContaining(["WELCOME10", "FIVEOFF", "FREE100", "SUMMER2025", "ONCEONLY"]),
    );
  });

  it.each([
    [
      "a 100 % code that charges shipping",
      { code: "ALL", kind: "percent", basisPoints: 10_000, minSubtotal: 0, freeShipping: false },
      "freeShipping",
    ],
    [
      "more than 100 %",
      { code: "MORE", kind: "percent", basisPoints: 10_001, minSubtotal: 0, freeShipping: true },
      "basisPoints",
    ],
    [
      "a zero fixed amount",
      { code: "NONE", kind: "fixed", amount: 0, minSubtotal: 0, freeShipping: false },
      "amount",
    ],
    [
      "a fractional amount",
      { code: "FRAC", kind: "fixed", amount: 1.5, minSubtotal: 0, freeShipping: false },
      "amount",
    ],
    [
      "an end before the start",
      {
        code: "BACKWARDS",
        kind: "fixed",
        amount: 100,
        minSubtotal: 0,
        freeShipping: false,
        validFrom: "2026-02-01T00:00:00Z",
        validUntil: "2026-01-01T00:00:00Z",
      },
      "validUntil",
    ],
    [
      "a date without a time zone",
      {
        code: "LOCAL",
        kind: "fixed",
        amount: 100,
        minSubtotal: 0,
        freeShipping: false,
        validFrom: "2026-02-01T00:00:00",
      },
      "validFrom",
    ],
    [
      "zero redemptions",
      {
        code: "ZERO",
        kind: "fixed",
        amount: 100,
        minSubtotal: 0,
        freeShipping: false,
        maxRedemptions: 0,
      },
      "maxRedemptions",
    ],
  ])("rejects %s", (_label, input, path) => {
    const result = Promotion.safeParse(input);

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toContain(path);
  });
});
