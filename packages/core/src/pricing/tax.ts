/**
 * Countries the store ships to, with the VAT rate charged on goods sent there.
 *
 * Rates are standard rates in basis points (1900 = 19 %), as published by the European
 * Commission for 2025. Switzerland, Norway and the United Kingdom are outside the EU VAT area:
 * exports there are zero-rated and the carrier collects import VAT on delivery.
 * NOTE: rates change by national law; check them before each release.
 */

export interface ShippingCountry {
  /** ISO 3166-1 alpha-2 code. */
  code: string;
  /** English short name, for the checkout form's country list. */
  name: string;
  /** VAT rate in basis points of the taxable amount. */
  taxRateBasisPoints: number;
}

export const SHIPPING_COUNTRIES: readonly ShippingCountry[] = Object.freeze([
  { code: "AT", name: "Austria", taxRateBasisPoints: 2000 },
  { code: "BE", name: "Belgium", taxRateBasisPoints: 2100 },
  { code: "CH", name: "Switzerland", taxRateBasisPoints: 0 },
  { code: "DE", name: "Germany", taxRateBasisPoints: 1900 },
  { code: "DK", name: "Denmark", taxRateBasisPoints: 2500 },
  { code: "ES", name: "Spain", taxRateBasisPoints: 2100 },
  { code: "FI", name: "Finland", taxRateBasisPoints: 2550 },
  { code: "FR", name: "France", taxRateBasisPoints: 2000 },
  { code: "GB", name: "United Kingdom", taxRateBasisPoints: 0 },
  { code: "IE", name: "Ireland", taxRateBasisPoints: 2300 },
  { code: "IT", name: "Italy", taxRateBasisPoints: 2200 },
  { code: "LU", name: "Luxembourg", taxRateBasisPoints: 1700 },
  { code: "NL", name: "Netherlands", taxRateBasisPoints: 2100 },
  { code: "NO", name: "Norway", taxRateBasisPoints: 0 },
  { code: "PL", name: "Poland", taxRateBasisPoints: 2300 },
  { code: "PT", name: "Portugal", taxRateBasisPoints: 2300 },
  { code: "SE", name: "Sweden", taxRateBasisPoints: 2500 },
]);

const countriesByCode = new Map(SHIPPING_COUNTRIES.map((country) => [country.code, country]));

/** ISO codes of the shipping countries, for schema checks. */
export const SHIPPING_COUNTRY_CODES: readonly string[] = Object.freeze(
  SHIPPING_COUNTRIES.map((country) => country.code),
);

export function isShippingCountry(code: string): boolean {
  return countriesByCode.has(code);
}

/** Returns the VAT rate for a destination, or undefined when the store does not ship there. */
export function taxRateBasisPoints(countryCode: string): number | undefined {
  return countriesByCode.get(countryCode)?.taxRateBasisPoints;
}
