/**
 * The largest order request the schema accepts, for tests that prove the size budgets: the
 * request body limit and Step Functions' limit on a state's input and output.
 */
import {
  MAX_EMAIL_LENGTH,
  MAX_LINES,
  MAX_PROMOTION_CODE_LENGTH,
  MAX_QUANTITY,
  MAX_SKU_LENGTH,
  TEXT_LIMITS,
} from "./request.ts";

/**
 * Returns text of at most `bytes` UTF-8 bytes made of letters outside the Basic Multilingual
 * Plane. Those take the most bytes per code point, both in UTF-8 and as `\u` escapes in JSON.
 */
function lettersOfBytes(bytes: number): string {
  return "\u{20000}".repeat(Math.floor(bytes / 4));
}

/**
 * Builds a request with every text field at its byte cap, the most lines, the longest SKUs, the
 * highest quantity and the longest promotion code.
 */
export function largestOrderRequest() {
  return {
    customer: {
      name: lettersOfBytes(TEXT_LIMITS.customerName.maxBytes),
      email: `${"a".repeat(64)}@${"d".repeat(MAX_EMAIL_LENGTH - 69)}.com`,
    },
    shippingAddress: {
      line1: lettersOfBytes(TEXT_LIMITS.addressLine.maxBytes),
      line2: lettersOfBytes(TEXT_LIMITS.addressLine.maxBytes),
      city: lettersOfBytes(TEXT_LIMITS.city.maxBytes),
      postalCode: "10115",
      region: lettersOfBytes(TEXT_LIMITS.region.maxBytes),
      country: "DE",
    },
    lines: Array.from({ length: MAX_LINES }, (_, index) => ({
      sku: `${"A".repeat(MAX_SKU_LENGTH - 3)}-${String(index).padStart(2, "0")}`,
      quantity: MAX_QUANTITY,
    })),
    promotionCode: "A".repeat(MAX_PROMOTION_CODE_LENGTH),
  };
}
