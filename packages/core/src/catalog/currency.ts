/**
 * The store's currency, in a module of its own so that code which only formats or labels
 * amounts loads neither zod nor the seed catalog.
 */

/** ISO 4217 code of the currency every price and total is in. */
export const STORE_CURRENCY = "EUR";
export type StoreCurrency = typeof STORE_CURRENCY;

/** Minor units per major unit of STORE_CURRENCY (cents per euro). */
export const MINOR_UNITS_PER_MAJOR = 100;
