/**
 * Countries the store ships to, with the VAT rate charged on goods sent there and the format of
 * their postal codes.
 *
 * Rates are the standard VAT rates in force in 2025, in basis points (1900 = 19 %). Switzerland,
 * Norway and the United Kingdom are outside the EU VAT area, so exports there are zero-rated and
 * their import VAT is not charged here.
 * NOTE: rates change by national law; check them against each country's current rate before a
 * release.
 */

export interface ShippingCountry {
  /** ISO 3166-1 alpha-2 code. */
  code: string;
  /** English short name, for the checkout form's country list. */
  name: string;
  /** VAT rate in basis points of the taxable amount. */
  taxRateBasisPoints: number;
  /** Format of a postal code there, matched against the whole trimmed value. */
  postalCodePattern: RegExp;
  /** A valid postal code, shown in the error message when one does not match. */
  postalCodeExample: string;
}

const FOUR_DIGITS = /^\d{4}$/;
const FIVE_DIGITS = /^\d{5}$/;

export const SHIPPING_COUNTRIES: readonly ShippingCountry[] = Object.freeze([
  {
    code: "AT",
    name: "Austria",
    taxRateBasisPoints: 2000,
    postalCodePattern: FOUR_DIGITS,
    postalCodeExample: "1010",
  },
  {
    code: "BE",
    name: "Belgium",
    taxRateBasisPoints: 2100,
    postalCodePattern: FOUR_DIGITS,
    postalCodeExample: "1000",
  },
  {
    code: "CH",
    name: "Switzerland",
    taxRateBasisPoints: 0,
    postalCodePattern: FOUR_DIGITS,
    postalCodeExample: "8001",
  },
  {
    code: "DE",
    name: "Germany",
    taxRateBasisPoints: 1900,
    postalCodePattern: FIVE_DIGITS,
    postalCodeExample: "10115",
  },
  {
    code: "DK",
    name: "Denmark",
    taxRateBasisPoints: 2500,
    postalCodePattern: FOUR_DIGITS,
    postalCodeExample: "1050",
  },
  {
    code: "ES",
    name: "Spain",
    taxRateBasisPoints: 2100,
    postalCodePattern: FIVE_DIGITS,
    postalCodeExample: "28013",
  },
  {
    code: "FI",
    name: "Finland",
    taxRateBasisPoints: 2550,
    postalCodePattern: FIVE_DIGITS,
    postalCodeExample: "00100",
  },
  {
    code: "FR",
    name: "France",
    taxRateBasisPoints: 2000,
    postalCodePattern: FIVE_DIGITS,
    postalCodeExample: "75001",
  },
  {
    code: "GB",
    name: "United Kingdom",
    taxRateBasisPoints: 0,
    postalCodePattern: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i,
    postalCodeExample: "SW1A 1AA",
  },
  {
    code: "IE",
    name: "Ireland",
    taxRateBasisPoints: 2300,
    postalCodePattern: /^[A-Z]\d[\dW] ?[A-Z\d]{4}$/i,
    postalCodeExample: "D02 X285",
  },
  {
    code: "IT",
    name: "Italy",
    taxRateBasisPoints: 2200,
    postalCodePattern: FIVE_DIGITS,
    postalCodeExample: "00184",
  },
  {
    code: "LU",
    name: "Luxembourg",
    taxRateBasisPoints: 1700,
    postalCodePattern: /^(?:L-)?\d{4}$/,
    postalCodeExample: "1009",
  },
  {
    code: "NL",
    name: "Netherlands",
    taxRateBasisPoints: 2100,
    postalCodePattern: /^\d{4} ?[A-Z]{2}$/i,
    postalCodeExample: "1012 AB",
  },
  {
    code: "NO",
    name: "Norway",
    taxRateBasisPoints: 0,
    postalCodePattern: FOUR_DIGITS,
    postalCodeExample: "0150",
  },
  {
    code: "PL",
    name: "Poland",
    taxRateBasisPoints: 2300,
    postalCodePattern: /^\d{2}-\d{3}$/,
    postalCodeExample: "00-950",
  },
  {
    code: "PT",
    name: "Portugal",
    taxRateBasisPoints: 2300,
    postalCodePattern: /^\d{4}-\d{3}$/,
    postalCodeExample: "1100-148",
  },
  {
    code: "SE",
    name: "Sweden",
    taxRateBasisPoints: 2500,
    postalCodePattern: /^\d{3} ?\d{2}$/,
    postalCodeExample: "111 52",
  },
]);

const countriesByCode = new Map(SHIPPING_COUNTRIES.map((country) => [country.code, country]));

/** ISO codes of the shipping countries, for schema checks. */
export const SHIPPING_COUNTRY_CODES: readonly string[] = Object.freeze(
  SHIPPING_COUNTRIES.map((country) => country.code),
);

export function isShippingCountry(code: string): boolean {
  return countriesByCode.has(code);
}

/** Returns the shipping country with this ISO code, or undefined. */
export function findShippingCountry(code: string): ShippingCountry | undefined {
  return countriesByCode.get(code);
}

/** Returns the VAT rate for a destination, or undefined when the store does not ship there. */
export function taxRateBasisPoints(countryCode: string): number | undefined {
  return countriesByCode.get(countryCode)?.taxRateBasisPoints;
}
