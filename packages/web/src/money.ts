/**
 * Formats an integer amount of minor units (cents for EUR) as a price in the shopper's locale.
 * The amount is turned into a decimal string, not a float, so no rounding happens on the way.
 */
export function formatMoney(amountMinor: number, currency: string, locale?: string): string {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new RangeError(`amount must be an integer number of minor units, got ${amountMinor}`);
  }

  const formatter = new Intl.NumberFormat(locale, { style: "currency", currency });
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(toDecimalString(amountMinor, digits));
}

/** Writes `amountMinor` as a decimal with `digits` fraction digits: 3682, 2 → "36.82". */
export function toDecimalString(amountMinor: number, digits: number): `${number}` {
  const sign = amountMinor < 0 ? "-" : "";
  const magnitude = Math.abs(amountMinor)
    .toString()
    .padStart(digits + 1, "0");
  if (digits === 0) {
    return `${sign}${magnitude}` as `${number}`;
  }

  const whole = magnitude.slice(0, -digits);
  const fraction = magnitude.slice(-digits);
  return `${sign}${whole}.${fraction}` as `${number}`;
}
