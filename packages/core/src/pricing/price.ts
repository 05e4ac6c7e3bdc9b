/**
 * Prices an order: line subtotals, the promotion's discount spread over the lines, shipping and
 * tax, all in integer minor units of STORE_CURRENCY.
 *
 * Rounding rule: wherever a share of an amount is taken (a percent discount, a tax rate), the
 * exact result is rounded half up to a whole minor unit, so 0.5 cent becomes 1 cent. Tax is
 * computed and rounded per line, on the line's subtotal after its discount, and the order's tax
 * is the sum of the line taxes.
 *
 * The order discount is spread over the lines in proportion to their subtotals by the
 * largest-remainder method. Each line gets the floor of its exact share. The cents left over go
 * one each to the lines with the largest remainders, earlier lines first on a tie. Line discounts
 * therefore add up exactly to the order discount and never exceed a line's subtotal.
 *
 * Shipping is a flat fee, waived when the discounted subtotal reaches FREE_SHIPPING_THRESHOLD or
 * the promotion waives it. NOTE: shipping is charged without tax, although EU VAT usually taxes
 * shipping at the rate of the goods shipped.
 *
 * All arithmetic is on bigint, so no intermediate product can lose precision; results are
 * checked to be safe integers before they are returned as numbers.
 */
import * as z from "zod/mini";
import { STORE_CURRENCY } from "../catalog/currency.ts";
import { parseWithSchema } from "../errors/field-issues.ts";
import { CountryCode, PromotionCode, Sku } from "../order/request.ts";
import { checkPromotion, Promotion } from "../promotion/promotion.ts";
import { taxRateBasisPoints } from "./tax.ts";

/** Shipping fee in minor units when shipping is not free. */
export const FLAT_SHIPPING_FEE = 490;

/** Subtotal after discount, in minor units, from which shipping is free. */
export const FREE_SHIPPING_THRESHOLD = 5000;

const BASIS_POINTS = 10_000n;

const MinorUnits = z.int().check(z.minimum(0));

export const PriceLineInput = z.object({
  sku: Sku,
  name: z.string(),
  quantity: z.int().check(z.minimum(1)),
  unitPrice: MinorUnits,
});
export type PriceLineInput = z.infer<typeof PriceLineInput>;

export const PriceOrderInput = z.object({
  lines: z.array(PriceLineInput).check(z.minLength(1)),
  country: CountryCode,
  promotion: z.optional(Promotion),
  /** Times the promotion was redeemed already; the order's transaction enforces the limit. */
  promotionRedemptions: z.optional(z.int().check(z.minimum(0))),
  now: z.date(),
});
export type PriceOrderInput = z.input<typeof PriceOrderInput>;

export const QuoteLine = z.object({
  sku: Sku,
  name: z.string(),
  quantity: z.int().check(z.minimum(1)),
  unitPrice: MinorUnits,
  subtotal: MinorUnits,
  discount: MinorUnits,
  tax: MinorUnits,
  total: MinorUnits,
});
export type QuoteLine = z.infer<typeof QuoteLine>;

export const QuoteTotals = z.object({
  subtotal: MinorUnits,
  discount: MinorUnits,
  shipping: MinorUnits,
  tax: MinorUnits,
  total: MinorUnits,
});
export type QuoteTotals = z.infer<typeof QuoteTotals>;

export const Quote = z.object({
  currency: z.literal(STORE_CURRENCY),
  lines: z.array(QuoteLine).check(z.minLength(1)),
  totals: QuoteTotals,
  promotionCode: z.optional(PromotionCode),
});
export type Quote = z.infer<typeof Quote>;

/** Divides and rounds half up; both operands are non-negative and `divisor` is positive. */
export function divideRoundHalfUp(dividend: bigint, divisor: bigint): bigint {
  return (dividend * 2n + divisor) / (divisor * 2n);
}

/**
 * Splits `total` over `weights` in proportion, by the largest-remainder method. Requires
 * non-negative weights and 0 <= total <= sum of weights; returns shares that sum to `total`.
 */
export function allocateProportionally(total: bigint, weights: readonly bigint[]): bigint[] {
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0n);
  if (weightSum === 0n) {
    return weights.map(() => 0n);
  }

  const shares = weights.map((weight) => (total * weight) / weightSum);
  const remainders = weights.map((weight, index) => ({
    index,
    remainder: (total * weight) % weightSum,
  }));
  let left = total - shares.reduce((sum, share) => sum + share, 0n);

  remainders.sort((a, b) => {
    if (a.remainder === b.remainder) {
      return a.index - b.index;
    }
    return a.remainder > b.remainder ? -1 : 1;
  });
  for (const { index } of remainders) {
    if (left === 0n) {
      break;
    }
    shares[index] = (shares[index] ?? 0n) + 1n;
    left -= 1n;
  }

  return shares;
}

function orderDiscount(promotion: Promotion | undefined, subtotal: bigint): bigint {
  if (promotion === undefined) {
    return 0n;
  }
  if (promotion.kind === "percent") {
    return divideRoundHalfUp(subtotal * BigInt(promotion.basisPoints), BASIS_POINTS);
  }
  const amount = BigInt(promotion.amount);
  return amount < subtotal ? amount : subtotal;
}

function toSafeNumber(amount: bigint, amountName: string): number {
  if (amount > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(
      `The ${amountName} of the order exceeds Number.MAX_SAFE_INTEGER minor units`,
    );
  }
  return Number(amount);
}

/**
 * Prices the lines for delivery to `country`, applying `promotion` when given.
 * Throws ValidationError for invalid input and InvalidPromotionError when the promotion does not
 * apply at `now` or to this subtotal.
 */
export function priceOrder(input: PriceOrderInput): Quote {
  const { lines, country, promotion, promotionRedemptions, now } = parseWithSchema(
    PriceOrderInput,
    input,
  );

  const subtotals = lines.map((line) => BigInt(line.unitPrice) * BigInt(line.quantity));
  const subtotal = subtotals.reduce((sum, amount) => sum + amount, 0n);

  if (promotion !== undefined) {
    checkPromotion(promotion, toSafeNumber(subtotal, "subtotal"), now, promotionRedemptions ?? 0);
  }
  const discount = orderDiscount(promotion, subtotal);
  const discounts = allocateProportionally(discount, subtotals);

  // CountryCode accepted the country, so it has a rate.
  const rate = BigInt(taxRateBasisPoints(country) ?? 0);
  const taxes = subtotals.map((amount, index) =>
    divideRoundHalfUp((amount - (discounts[index] ?? 0n)) * rate, BASIS_POINTS),
  );
  const tax = taxes.reduce((sum, amount) => sum + amount, 0n);

  const discounted = subtotal - discount;
  const shippingIsFree =
    promotion?.freeShipping === true || discounted >= BigInt(FREE_SHIPPING_THRESHOLD);
  const shipping = shippingIsFree ? 0n : BigInt(FLAT_SHIPPING_FEE);

  const quoteLines = lines.map((line, index) => {
    const lineSubtotal = subtotals[index] ?? 0n;
    const lineDiscount = discounts[index] ?? 0n;
    const lineTax = taxes[index] ?? 0n;
    return {
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      subtotal: toSafeNumber(lineSubtotal, "line subtotal"),
      discount: toSafeNumber(lineDiscount, "line discount"),
      tax: toSafeNumber(lineTax, "line tax"),
      total: toSafeNumber(lineSubtotal - lineDiscount + lineTax, "line total"),
    };
  });

  const quote: Quote = {
    currency: STORE_CURRENCY,
    lines: quoteLines,
    totals: {
      subtotal: toSafeNumber(subtotal, "subtotal"),
      discount: toSafeNumber(discount, "discount"),
      shipping: toSafeNumber(shipping, "shipping"),
      tax: toSafeNumber(tax, "tax"),
      total: toSafeNumber(discounted + shipping + tax, "total"),
    },
  };
  if (promotion !== undefined) {
    quote.promotionCode = promotion.code;
  }
  return quote;
}
