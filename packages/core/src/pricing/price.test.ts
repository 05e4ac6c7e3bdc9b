import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidPromotionError, ValidationError } from "../errors/domain-errors.ts";
import { findSeedPromotion, type Promotion } from "../promotion/promotion.ts";
import {
  allocateProportionally,
  divideRoundHalfUp,
  FLAT_SHIPPING_FEE,
  FREE_SHIPPING_THRESHOLD,
  type PriceLineInput,
  priceOrder,
  type Quote,
} from "./price.ts";
import { SHIPPING_COUNTRIES } from "./tax.ts";

const now = new Date("2026-12-04T10:00:00.000Z");

function seedPromotion(code: string): Promotion {
  const promotion = findSeedPromotion(code);
  if (promotion === undefined) {
    throw new Error(`seed promotion ${code} is missing`);
  }
  return promotion;
}

function line(sku: string, quantity: number, unitPrice: number): PriceLineInput {
  return { sku, name: `Product ${sku}`, quantity, unitPrice };
}

const fifteenPercent: Promotion = {
  code: "FIFTEEN",
  kind: "percent",
  basisPoints: 1500,
  minSubtotal: 0,
  freeShipping: false,
};

interface ExactCase {
  label: string;
  lines: PriceLineInput[];
  country: string;
  promotion?: Promotion;
  /** [subtotal, discount, tax, total] per line. */
  expectedLines: [number, number, number, number][];
  /** [subtotal, discount, shipping, tax, total]. */
  expectedTotals: [number, number, number, number, number];
}

// Each case is worked out by hand in the comment beside it.
const exactCases: ExactCase[] = [
  {
    // 2980 * 10 % = 298; (2980 - 298) * 19 % = 509.58 -> 510; 2682 < 5000 so shipping 490.
    label: "the documented example",
    lines: [line("MUG-STONE-350", 2, 1490)],
    country: "DE",
    promotion: seedPromotion("WELCOME10"),
    expectedLines: [[2980, 298, 510, 3192]],
    expectedTotals: [2980, 298, 490, 510, 3682],
  },
  {
    // 1490 * 19 % = 283.1 -> 283.
    label: "one line without a promotion",
    lines: [line("MUG-STONE-350", 1, 1490)],
    country: "DE",
    expectedLines: [[1490, 0, 283, 1773]],
    expectedTotals: [1490, 0, 490, 283, 2263],
  },
  {
    // 150 * 19 % = 28.5 -> 29 half up (half-even would give 28).
    label: "tax of exactly half a cent",
    lines: [line("FILTER-V60-100", 1, 150)],
    country: "DE",
    expectedLines: [[150, 0, 29, 179]],
    expectedTotals: [150, 0, 490, 29, 669],
  },
  {
    // 50 * 17 % = 8.5 -> 9.
    label: "half a cent at the Luxembourg rate",
    lines: [line("FILTER-V60-100", 1, 50)],
    country: "LU",
    expectedLines: [[50, 0, 9, 59]],
    expectedTotals: [50, 0, 490, 9, 549],
  },
  {
    // 1490 * 25.5 % = 379.95 -> 380.
    label: "a rate in fractions of a percent",
    lines: [line("MUG-STONE-350", 1, 1490)],
    country: "FI",
    expectedLines: [[1490, 0, 380, 1870]],
    expectedTotals: [1490, 0, 490, 380, 2360],
  },
  {
    label: "a zero-rated export",
    lines: [line("MUG-STONE-350", 1, 1490)],
    country: "CH",
    expectedLines: [[1490, 0, 0, 1490]],
    expectedTotals: [1490, 0, 490, 0, 1980],
  },
  {
    // 1495 * 10 % = 149.5 -> 150; 1345 * 19 % = 255.55 -> 256.
    label: "a percent discount of exactly half a cent",
    lines: [line("X-1", 1, 1495)],
    country: "DE",
    promotion: seedPromotion("WELCOME10"),
    expectedLines: [[1495, 150, 256, 1601]],
    expectedTotals: [1495, 150, 490, 256, 2091],
  },
  {
    // 5000 reaches the threshold: no shipping; 5000 * 19 % = 950.
    label: "a subtotal at the free-shipping threshold",
    lines: [line("X-1", 1, FREE_SHIPPING_THRESHOLD)],
    country: "DE",
    expectedLines: [[5000, 0, 950, 5950]],
    expectedTotals: [5000, 0, 0, 950, 5950],
  },
  {
    // 4999 * 19 % = 949.81 -> 950.
    label: "a subtotal one cent below the threshold",
    lines: [line("X-1", 1, FREE_SHIPPING_THRESHOLD - 1)],
    country: "DE",
    expectedLines: [[4999, 0, 950, 5949]],
    expectedTotals: [4999, 0, FLAT_SHIPPING_FEE, 950, 6439],
  },
  {
    // 500 over three equal lines: 166.67 each, floors 166, the two cents left go to lines 0 and
    // 1 (equal remainders, earlier first). Taxes: 833 * 19 % = 158.27 -> 158, 834 -> 158.46 -> 158.
    label: "a fixed discount over equal lines",
    lines: [line("A-1", 1, 1000), line("B-1", 1, 1000), line("C-1", 1, 1000)],
    country: "DE",
    promotion: seedPromotion("FIVEOFF"),
    expectedLines: [
      [1000, 167, 158, 991],
      [1000, 167, 158, 991],
      [1000, 166, 158, 992],
    ],
    expectedTotals: [3000, 500, 490, 474, 3464],
  },
  {
    // 6590 * 15 % = 988.5 -> 989. Exact shares 103.55, 517.76, 367.69: floors 103, 517, 367 leave
    // 2 cents for the largest remainders, lines 1 and 2. Taxes: 587 -> 111.53 -> 112,
    // 2932 -> 557.08 -> 557, 2082 -> 395.58 -> 396. 5601 reaches the threshold: no shipping.
    label: "a percent discount over unequal lines",
    lines: [line("A-1", 1, 690), line("B-1", 3, 1150), line("C-1", 1, 2450)],
    country: "DE",
    promotion: fifteenPercent,
    expectedLines: [
      [690, 103, 112, 699],
      [3450, 518, 557, 3489],
      [2450, 368, 396, 2478],
    ],
    expectedTotals: [6590, 989, 0, 1065, 6666],
  },
  {
    label: "a 100 % code",
    lines: [line("MUG-STONE-350", 2, 1490), line("KETTLE-1", 1, 5900)],
    country: "DE",
    promotion: seedPromotion("FREE100"),
    expectedLines: [
      [2980, 2980, 0, 0],
      [5900, 5900, 0, 0],
    ],
    expectedTotals: [8880, 8880, 0, 0, 0],
  },
  {
    // 1000 off a 690 subtotal is capped at 690; shipping is still charged.
    label: "a fixed discount above the subtotal",
    lines: [line("FILTER-V60-100", 1, 690)],
    country: "DE",
    promotion: seedPromotion("ONCEONLY"),
    expectedLines: [[690, 690, 0, 0]],
    expectedTotals: [690, 690, 490, 0, 490],
  },
  {
    label: "free products",
    lines: [line("SAMPLE-1", 3, 0)],
    country: "DE",
    promotion: seedPromotion("WELCOME10"),
    expectedLines: [[0, 0, 0, 0]],
    expectedTotals: [0, 0, 490, 0, 490],
  },
];

describe("priceOrder exact cases", () => {
  it.each(exactCases)("prices $label to the cent", (testCase) => {
    // Act
    const quote = priceOrder({
      lines: testCase.lines,
      country: testCase.country,
      promotion: testCase.promotion,
      now,
    });

    // Assess
    expect(quote.currency).toBe("EUR");
    expect(
      quote.lines.map((quoteLine) => [
        quoteLine.subtotal,
        quoteLine.discount,
        quoteLine.tax,
        quoteLine.total,
      ]),
    ).toEqual(testCase.expectedLines);
    const { subtotal, discount, shipping, tax, total } = quote.totals;
    expect([subtotal, discount, shipping, tax, total]).toEqual(testCase.expectedTotals);
    expect(quote.promotionCode).toBe(testCase.promotion?.code);
  });

  it("copies each line's SKU, name, quantity and unit price", () => {
    const quote = priceOrder({ lines: [line("MUG-STONE-350", 2, 1490)], country: "DE", now });

    expect(quote.lines[0]).toMatchObject({
      sku: "MUG-STONE-350",
      name: "Product MUG-STONE-350",
      quantity: 2,
      unitPrice: 1490,
    });
  });

  it("omits promotionCode without a promotion", () => {
    const quote = priceOrder({ lines: [line("MUG-STONE-350", 1, 1490)], country: "DE", now });

    expect(quote).not.toHaveProperty("promotionCode");
  });
});

describe("priceOrder rejections", () => {
  it("rejects a promotion below its minimum subtotal", () => {
    const lines = [line("X-1", 1, 2999)];

    const act = () =>
      priceOrder({ lines, country: "DE", promotion: seedPromotion("FIVEOFF"), now });

    expect(act).toThrow(InvalidPromotionError);
    expect(act).toThrow(expect.objectContaining({ reason: "below_minimum", minSubtotal: 3000 }));
  });

  it("rejects an expired promotion", () => {
    const act = () =>
      priceOrder({
        lines: [line("X-1", 1, 1000)],
        country: "DE",
        promotion: seedPromotion("SUMMER2025"),
        now,
      });

    expect(act).toThrow(
      expect.objectContaining({ name: "InvalidPromotionError", reason: "expired" }),
    );
  });

  it("rejects a used-up promotion when given its redemptions", () => {
    const act = () =>
      priceOrder({
        lines: [line("X-1", 1, 1000)],
        country: "DE",
        promotion: seedPromotion("ONCEONLY"),
        promotionRedemptions: 1,
        now,
      });

    expect(act).toThrow(expect.objectContaining({ reason: "used_up" }));
  });

  it.each([
    ["a country the store does not ship to", { country: "US" }, "country"],
    ["a zero quantity", { lines: [line("X-1", 0, 100)] }, "lines.0.quantity"],
    ["a negative price", { lines: [line("X-1", 1, -1)] }, "lines.0.unitPrice"],
    ["a fractional price", { lines: [line("X-1", 1, 9.99)] }, "lines.0.unitPrice"],
    ["no lines", { lines: [] }, "lines"],
    ["an invalid date", { now: new Date(Number.NaN) }, "now"],
  ])("rejects %s", (_label, override, path) => {
    const input = { lines: [line("X-1", 1, 100)], country: "DE", now, ...override };

    const act = () => priceOrder(input);

    expect(act).toThrow(ValidationError);
    expect(act).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ path })] }));
  });

  it("rejects amounts beyond the safe integer range", () => {
    const lines = [line("X-1", 99, Number.MAX_SAFE_INTEGER)];

    expect(() => priceOrder({ lines, country: "DE", now })).toThrow(RangeError);
  });
});

describe("divideRoundHalfUp", () => {
  it.each([
    ["0 / 7", 0n, 7n, 0n],
    ["4 / 10", 4n, 10n, 0n],
    ["5 / 10", 5n, 10n, 1n],
    ["15 / 10", 15n, 10n, 2n],
    ["25 / 10", 25n, 10n, 3n],
    ["26 / 10", 26n, 10n, 3n],
    ["2850 / 100", 2850n, 100n, 29n],
    ["2849 / 100", 2849n, 100n, 28n],
  ])("rounds %s half up", (_label, dividend, divisor, expected) => {
    expect(divideRoundHalfUp(dividend, divisor)).toBe(expected);
  });
});

describe("allocateProportionally", () => {
  it.each([
    ["three equal weights", 500n, [1000n, 1000n, 1000n], [167n, 167n, 166n]],
    ["a tie", 1n, [1n, 1n], [1n, 0n]],
    ["a zero weight", 10n, [0n, 5n], [0n, 10n]],
    ["a zero total", 0n, [3n, 4n], [0n, 0n]],
    ["all weights zero", 0n, [0n, 0n], [0n, 0n]],
    ["one weight", 7n, [7n], [7n]],
  ])("splits with %s", (_label, total, weights, expected) => {
    expect(allocateProportionally(total, weights)).toEqual(expected);
  });

  it("keeps each share within a cent of its exact share", () => {
    const weightsArbitrary = fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), {
      minLength: 1,
      maxLength: 20,
    });

    fc.assert(
      fc.property(
        weightsArbitrary,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (weights, ratio) => {
          const weightSum = weights.reduce((sum, weight) => sum + weight, 0n);
          const total = BigInt(Math.floor(Number(weightSum) * ratio));

          const shares = allocateProportionally(total, weights);

          expect(shares.reduce((sum, share) => sum + share, 0n)).toBe(total);
          shares.forEach((share, index) => {
            const weight = weights[index] ?? 0n;
            const exact = weightSum === 0n ? 0n : total * weight;
            const scaled = share * weightSum;
            expect(scaled >= exact - weightSum).toBe(true);
            expect(scaled <= exact + weightSum).toBe(true);
            expect(share <= weight).toBe(true);
          });
        },
      ),
    );
  });
});

const lineArbitrary = fc.record({
  sku: fc.constantFrom("A-1", "B-2", "C-3", "D-4", "E-5"),
  name: fc.string({ maxLength: 10 }),
  quantity: fc.integer({ min: 1, max: 99 }),
  unitPrice: fc.integer({ min: 0, max: 1_000_000 }),
});

const promotionArbitrary: fc.Arbitrary<Promotion | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: 1, max: 10_000 }).map(
    (basisPoints): Promotion => ({
      code: "PERCENT",
      kind: "percent",
      basisPoints,
      minSubtotal: 0,
      freeShipping: basisPoints === 10_000,
    }),
  ),
  fc.record({ amount: fc.integer({ min: 1, max: 10_000_000 }), freeShipping: fc.boolean() }).map(
    ({ amount, freeShipping }): Promotion => ({
      code: "FIXED",
      kind: "fixed",
      amount,
      minSubtotal: 0,
      freeShipping,
    }),
  ),
);

const orderArbitrary = fc.record({
  lines: fc.array(lineArbitrary, { minLength: 1, maxLength: 12 }),
  country: fc.constantFrom(...SHIPPING_COUNTRIES.map((country) => country.code)),
  promotion: promotionArbitrary,
});

function sumOf(quote: Quote, field: "subtotal" | "discount" | "tax" | "total"): number {
  return quote.lines.reduce((sum, quoteLine) => sum + quoteLine[field], 0);
}

describe("priceOrder properties", () => {
  it("line discounts add up to the order discount", () => {
    fc.assert(
      fc.property(orderArbitrary, (order) => {
        const quote = priceOrder({ ...order, now });

        expect(sumOf(quote, "discount")).toBe(quote.totals.discount);
      }),
    );
  });

  it("line subtotals and taxes add up to the totals", () => {
    fc.assert(
      fc.property(orderArbitrary, (order) => {
        const quote = priceOrder({ ...order, now });

        expect(sumOf(quote, "subtotal")).toBe(quote.totals.subtotal);
        expect(sumOf(quote, "tax")).toBe(quote.totals.tax);
        expect(sumOf(quote, "total") + quote.totals.shipping).toBe(quote.totals.total);
      }),
    );
  });

  it("total is subtotal minus discount plus shipping and tax", () => {
    fc.assert(
      fc.property(orderArbitrary, (order) => {
        const { subtotal, discount, shipping, tax, total } = priceOrder({ ...order, now }).totals;

        expect(total).toBe(subtotal - discount + shipping + tax);
      }),
    );
  });

  it("never produces a negative or fractional amount", () => {
    fc.assert(
      fc.property(orderArbitrary, (order) => {
        const quote = priceOrder({ ...order, now });
        const amounts = [
          ...Object.values(quote.totals),
          ...quote.lines.flatMap((quoteLine) => [
            quoteLine.subtotal,
            quoteLine.discount,
            quoteLine.tax,
            quoteLine.total,
          ]),
        ];

        for (const amount of amounts) {
          expect(Number.isSafeInteger(amount)).toBe(true);
          expect(amount).toBeGreaterThanOrEqual(0);
        }
        for (const quoteLine of quote.lines) {
          expect(quoteLine.discount).toBeLessThanOrEqual(quoteLine.subtotal);
        }
      }),
    );
  });

  it("gives a total of zero for a 100 % code", () => {
    fc.assert(
      fc.property(orderArbitrary, (order) => {
        const quote = priceOrder({ ...order, promotion: seedPromotion("FREE100"), now });

        expect(quote.totals.total).toBe(0);
        expect(quote.totals.discount).toBe(quote.totals.subtotal);
      }),
    );
  });

  it("charges shipping only below the threshold", () => {
    fc.assert(
      fc.property(orderArbitrary, (order) => {
        const { subtotal, discount, shipping } = priceOrder({ ...order, now }).totals;
        const waived = order.promotion?.freeShipping === true;
        const expected =
          waived || subtotal - discount >= FREE_SHIPPING_THRESHOLD ? 0 : FLAT_SHIPPING_FEE;

        expect(shipping).toBe(expected);
      }),
    );
  });
});
