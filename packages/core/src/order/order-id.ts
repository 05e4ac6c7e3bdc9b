import { ulid } from "ulid";

/** ULIDs: 26 characters of Crockford's base32, sorting by creation time. */
export const ORDER_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Returns a new order id, a ULID, so that order ids sort by time. */
export function newOrderId(): string {
  return ulid();
}

export function isOrderId(value: string): boolean {
  return ORDER_ID_PATTERN.test(value);
}
