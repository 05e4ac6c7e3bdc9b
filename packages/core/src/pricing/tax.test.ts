import { describe, expect, it } from "vitest";
import {
  isShippingCountry,
  SHIPPING_COUNTRIES,
  SHIPPING_COUNTRY_CODES,
  taxRateBasisPoints,
} from "./tax.ts";

describe("shipping countries", () => {
  it("lists each country once, sorted by code", () => {
    const codes = SHIPPING_COUNTRIES.map((country) => country.code);

    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual([...codes].sort());
    expect(SHIPPING_COUNTRY_CODES).toEqual(codes);
  });

  it.each(SHIPPING_COUNTRIES.map((country) => [country.code, country]))(
    "%s has a code, name, rate and postal format",
    (_code, country) => {
      expect(country.code).toMatch(/^[A-Z]{2}$/);
      expect(country.name.length).toBeGreaterThan(0);
      expect(Number.isInteger(country.taxRateBasisPoints)).toBe(true);
      expect(country.taxRateBasisPoints).toBeGreaterThanOrEqual(0);
      expect(country.taxRateBasisPoints).toBeLessThan(10_000);
      expect(country.postalCodePattern.test(country.postalCodeExample)).toBe(true);
      expect(country.postalCodePattern.flags).not.toContain("g");
    },
  );

  it.each([
    ["DE", 1900],
    ["FR", 2000],
    ["FI", 2550],
    ["LU", 1700],
    ["CH", 0],
  ])("charges %s at %i basis points", (code, rate) => {
    expect(taxRateBasisPoints(code)).toBe(rate);
  });

  it.each(["US", "de", "", "DEU"])("does not ship to %j", (code) => {
    expect(isShippingCountry(code)).toBe(false);
    expect(taxRateBasisPoints(code)).toBeUndefined();
  });
});
