/**
 * Promotion codes and the rule that decides whether one applies to an order.
 *
 * The order's transaction enforces the redemption limit atomically, because it increments the
 * code's counter with a condition. `checkPromotion` applies the same rule to a count read earlier,
 * so that pricing can reject a used-up code before any write.
 */
import * as z from "zod/mini";
import { InvalidPromotionError } from "../errors/domain-errors.ts";
import { PromotionCode } from "../order/request.ts";

/** Basis points in 100 %, the largest percent discount. */
export const FULL_DISCOUNT_BASIS_POINTS = 10_000;

const PromotionBase = {
  code: PromotionCode,
  /** Order subtotal before discount, in minor units, below which the code does not apply. */
  minSubtotal: z.int().check(z.minimum(0)),
  /** Start of validity, inclusive, as an ISO 8601 timestamp; absent means always started. */
  validFrom: z.optional(z.iso.datetime({ offset: true })),
  /** End of validity, exclusive, as an ISO 8601 timestamp; absent means never expires. */
  validUntil: z.optional(z.iso.datetime({ offset: true })),
  /** Orders that may use the code; absent means unlimited. */
  maxRedemptions: z.optional(z.int().check(z.minimum(1))),
  /** Whether the code also waives the shipping fee. */
  freeShipping: z.boolean(),
};

export const PercentPromotion = z.strictObject({
  ...PromotionBase,
  kind: z.literal("percent"),
  /** Discount as basis points of the subtotal: 1000 is 10 %. */
  basisPoints: z.int().check(z.minimum(1), z.maximum(FULL_DISCOUNT_BASIS_POINTS)),
});

export const FixedPromotion = z.strictObject({
  ...PromotionBase,
  kind: z.literal("fixed"),
  /** Discount in minor units, capped at the subtotal. */
  amount: z.int().check(z.minimum(1)),
});

export const Promotion = z.discriminatedUnion("kind", [PercentPromotion, FixedPromotion]).check(
  z.superRefine((promotion, context) => {
    if (
      promotion.validFrom !== undefined &&
      promotion.validUntil !== undefined &&
      Date.parse(promotion.validFrom) >= Date.parse(promotion.validUntil)
    ) {
      context.addIssue({
        code: "custom",
        path: ["validUntil"],
        message: "must be later than validFrom",
        params: { code: "invalid_value" },
        input: promotion.validUntil,
      });
    }
    // A code that takes the whole subtotal must take shipping too, so the order costs nothing.
    if (
      promotion.kind === "percent" &&
      promotion.basisPoints === FULL_DISCOUNT_BASIS_POINTS &&
      !promotion.freeShipping
    ) {
      context.addIssue({
        code: "custom",
        path: ["freeShipping"],
        message: "must be true for a 100 % discount",
        params: { code: "invalid_value" },
        input: promotion.freeShipping,
      });
    }
  }),
);
export type Promotion = z.infer<typeof Promotion>;

/**
 * Throws InvalidPromotionError when `promotion` cannot be applied to an order with this subtotal
 * (minor units, before discount) at `now`, having been redeemed `redemptions` times already.
 */
export function checkPromotion(
  promotion: Promotion,
  subtotal: number,
  now: Date,
  redemptions: number,
): void {
  const time = now.getTime();

  if (promotion.validFrom !== undefined && time < Date.parse(promotion.validFrom)) {
    throw new InvalidPromotionError(promotion.code, "not_yet_valid");
  }
  if (promotion.validUntil !== undefined && time >= Date.parse(promotion.validUntil)) {
    throw new InvalidPromotionError(promotion.code, "expired");
  }
  if (promotion.maxRedemptions !== undefined && redemptions >= promotion.maxRedemptions) {
    throw new InvalidPromotionError(promotion.code, "used_up");
  }
  if (subtotal < promotion.minSubtotal) {
    throw new InvalidPromotionError(promotion.code, "below_minimum", {
      minSubtotal: promotion.minSubtotal,
    });
  }
}

export const seedPromotions: readonly Promotion[] = Object.freeze(
  (
    [
      {
        code: "WELCOME10",
        kind: "percent",
        basisPoints: 1000,
        minSubtotal: 0,
        freeShipping: false,
      },
      { code: "FIVEOFF", kind: "fixed", amount: 500, minSubtotal: 3000, freeShipping: false },
      { code: "FREE100", kind: "percent", basisPoints: 10_000, minSubtotal: 0, freeShipping: true },
      {
        code: "SUMMER2025",
        kind: "percent",
        basisPoints: 1500,
        minSubtotal: 0,
        validFrom: "2025-06-01T00:00:00.000Z",
        validUntil: "2025-09-01T00:00:00.000Z",
        freeShipping: false,
      },
      {
        code: "ONCEONLY",
        kind: "fixed",
        amount: 1000,
        minSubtotal: 0,
        maxRedemptions: 1,
        freeShipping: false,
      },
    ] satisfies z.input<typeof Promotion>[]
  ).map((promotion) => Object.freeze(Promotion.parse(promotion))),
);

/** Returns the seed promotion with this code, or undefined. */
export function findSeedPromotion(code: string): Promotion | undefined {
  return seedPromotions.find((promotion) => promotion.code === code);
}
