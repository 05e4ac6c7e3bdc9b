import { describe, expect, it } from "vitest";
import { formatMoney, toDecimalString } from "./money.ts";

describe("toDecimalString", () => {
  it.each([
    [3682, 2, "36.82"],
    [5, 2, "0.05"],
    [0, 2, "0.00"],
    [-298, 2, "-2.98"],
    [1234, 0, "1234"],
    [1234, 3, "1.234"],
    [Number.MAX_SAFE_INTEGER, 2, "90071992547409.91"],
  ])("writes %i with %i digits as %s", (amount, digits, expected) => {
    expect(toDecimalString(amount, digits)).toBe(expected);
  });
});

describe("formatMoney", () => {
  it.each([
    [3682, "EUR", "en-IE", "€36.82"],
    [3682, "EUR", "de-DE", "36,82 €"],
    [100000, "EUR", "en-IE", "€1,000.00"],
    [1490, "JPY", "en-US", "¥1,490"],
    [1, "EUR", "en-IE", "€0.01"],
  ])("formats %i %s in %s as %s", (amount, currency, locale, expected) => {
    expect(formatMoney(amount, currency, locale).replace(/\u00a0/g, " ")).toBe(expected);
  });

  it("rejects an amount that is not whole minor units", () => {
    expect(() => formatMoney(12.5, "EUR", "en-IE")).toThrow(/integer number of minor units/);
  });
});
