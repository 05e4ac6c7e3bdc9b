/**
 * The order request: the single definition of a valid `POST /orders` and `POST /quotes` body,
 * used by the API, the workflow and the checkout form in the browser. This module must not
 * import anything Node- or AWS-specific.
 *
 * Rules beyond the field types:
 * - Objects are strict: an unknown key is a field error, not silently dropped.
 * - Nothing is coerced: `"2"`, `1.5`, `0`, `-1` and unsafe integers are not quantities.
 * - Text is normalised to NFC and trimmed in the parsed output; limits apply to that output.
 * - Text must contain a letter or digit, and no control, text-direction or invisible character.
 * - The e-mail address is kept exactly as sent (no trimming or case change).
 * - Two lines for the same SKU are rejected, with the error on the later line's `sku`, so the
 *   client decides how to combine them.
 */
// The schemas use zod/mini because its checks are plain functions that esbuild drops when unused.
// With the classic API, zod took about 94 KB of each minified Lambda bundle; with zod/mini, 22 KB.
import * as z from "zod/mini";
import { ValidationError } from "../errors/domain-errors.ts";
import { fieldIssuesFromZod } from "../errors/field-issues.ts";
import { findShippingCountry, SHIPPING_COUNTRY_CODES } from "../pricing/tax.ts";

/*
 * Free-text fields (names, address lines) are normalised to NFC and trimmed, then limited in
 * Unicode code points and in UTF-8 bytes. The code-point limit matches what a shopper counts as
 * "characters". The byte cap bounds what each field adds to the stored order and the workflow
 * input, because a code point takes up to 4 bytes.
 */
export interface TextLimits {
  maxCodePoints: number;
  maxBytes: number;
}

// C0 and C1 controls, line and paragraph separators, the bidirectional embedding, override and
// isolate characters, and the zero-width space, word joiner and byte order mark. All of them can
// make stored text display differently from what it contains. The zero-width joiner and
// non-joiner stay allowed, because emoji sequences and some scripts need them.
const FORBIDDEN_CHARACTERS = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069\u200B\u2060\uFEFF]/u;

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Counts UTF-8 bytes without TextEncoder, so the count is the same in every runtime. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (const character of text) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (codePoint < 0x80) {
      bytes += 1;
    } else if (codePoint < 0x800) {
      bytes += 2;
    } else if (codePoint < 0x10000) {
      bytes += 3;
    } else {
      bytes += 4;
    }
  }
  return bytes;
}

export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) {
    count += 1;
  }
  return count;
}

/** Returns the first problem with an already normalised text, as a field issue code and message. */
export function checkText(
  text: string,
  limits: TextLimits,
): { code: string; message: string } | undefined {
  if (!text.isWellFormed()) {
    return {
      code: "invalid_characters",
      message: "must not contain unpaired surrogate code units",
    };
  }
  if (FORBIDDEN_CHARACTERS.test(text)) {
    return {
      code: "invalid_characters",
      message: "must not contain control, line-separator, text-direction or invisible characters",
    };
  }
  if (text.length === 0) {
    return { code: "too_small", message: "must not be empty" };
  }
  if (!LETTER_OR_DIGIT.test(text)) {
    return { code: "invalid_format", message: "must contain at least one letter or digit" };
  }
  if (codePointLength(text) > limits.maxCodePoints) {
    return { code: "too_big", message: `must be at most ${limits.maxCodePoints} characters long` };
  }
  if (utf8ByteLength(text) > limits.maxBytes) {
    return { code: "too_big", message: `must be at most ${limits.maxBytes} bytes long in UTF-8` };
  }
  return undefined;
}

/**
 * Builds the schema of a required text field: NFC, trimmed, without control characters, with at
 * least one letter or digit, and within `limits`.
 */
export function textField(limits: TextLimits) {
  return z.string().check(
    z.normalize("NFC"),
    z.trim(),
    z.superRefine((text, context) => {
      const problem = checkText(text, limits);
      if (problem) {
        context.addIssue({
          code: "custom",
          message: problem.message,
          params: { code: problem.code },
          input: text,
        });
      }
    }),
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** DynamoDB's limit on actions in one TransactWriteItems call. */
export const MAX_TRANSACTION_ACTIONS = 100;

/**
 * Writes of one order besides the per-line stock updates: the order item, the idempotency
 * record and the promotion redemption counter.
 */
export const ORDER_WRITES_BESIDES_LINES = 3;

/**
 * Lines per order. Each line is one conditional stock update in the order's transaction, and
 * MAX_LINES + ORDER_WRITES_BESIDES_LINES stays within MAX_TRANSACTION_ACTIONS with room to spare.
 */
export const MAX_LINES = 50;

/** Units of one SKU per line. */
export const MAX_QUANTITY = 99;

/** Upper-case letters and digits in groups joined by single hyphens, such as `MUG-STONE-350`. */
export const SKU_PATTERN = /^[A-Z0-9]+(?:-[A-Z0-9]+)*$/;
export const MAX_SKU_LENGTH = 40;

/** Upper-case letters and digits, such as `WELCOME10`. */
export const PROMOTION_CODE_PATTERN = /^[A-Z0-9]+$/;
export const MAX_PROMOTION_CODE_LENGTH = 32;

/** Maximum length of an e-mail address, the limit of an SMTP forward path (RFC 5321). */
export const MAX_EMAIL_LENGTH = 254;

/**
 * Upper bound on the UTF-8 size of a valid request after parsing, serialised by JSON.stringify,
 * even with every non-ASCII character written as a \u escape. It bounds the request's share of
 * the workflow's input and of the stored order.
 */
export const MAX_ORDER_REQUEST_JSON_BYTES = 8 * 1024;

/** Postal codes are letters and digits with inner spaces or hyphens. */
export const POSTAL_CODE_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9 -]*[A-Za-z0-9])?$/;

export const TEXT_LIMITS = {
  customerName: { maxCodePoints: 100, maxBytes: 256 },
  addressLine: { maxCodePoints: 100, maxBytes: 256 },
  city: { maxCodePoints: 85, maxBytes: 256 },
  region: { maxCodePoints: 50, maxBytes: 128 },
  postalCode: { maxCodePoints: 16, maxBytes: 16 },
} as const satisfies Record<string, TextLimits>;

function patternCheck(pattern: RegExp, maxLength: number, description: string) {
  return (value: string, context: z.core.$RefinementCtx<string>) => {
    if (value.length > maxLength) {
      context.addIssue({
        code: "custom",
        message: `must be at most ${maxLength} characters long`,
        params: { code: "too_big" },
        input: value,
      });
    } else if (!pattern.test(value)) {
      context.addIssue({
        code: "custom",
        message: `must be ${description}`,
        params: { code: "invalid_format" },
        input: value,
      });
    }
  };
}

export const Sku = z
  .string()
  .check(
    z.superRefine(
      patternCheck(
        SKU_PATTERN,
        MAX_SKU_LENGTH,
        "upper-case letters and digits in groups joined by hyphens, such as MUG-STONE-350",
      ),
    ),
  );
export type Sku = z.infer<typeof Sku>;

export const PromotionCode = z
  .string()
  .check(
    z.superRefine(
      patternCheck(
        PROMOTION_CODE_PATTERN,
        MAX_PROMOTION_CODE_LENGTH,
        "upper-case letters and digits, such as WELCOME10",
      ),
    ),
  );
export type PromotionCode = z.infer<typeof PromotionCode>;

export const Quantity = z.int().check(z.minimum(1), z.maximum(MAX_QUANTITY));

export const CountryCode = z.string().check(
  z.superRefine((code, context) => {
    if (findShippingCountry(code) === undefined) {
      context.addIssue({
        code: "custom",
        message: `must be the code of a country the store ships to: ${SHIPPING_COUNTRY_CODES.join(", ")}`,
        params: { code: "invalid_value" },
        input: code,
      });
    }
  }),
);

// NOTE: zod's default e-mail pattern accepts ASCII addresses only, so an internationalised
// address (RFC 6531), such as one with an accented local part, is rejected.
export const Email = z.email().check(z.maxLength(MAX_EMAIL_LENGTH));

export const PostalCode = textField(TEXT_LIMITS.postalCode).check(
  z.superRefine((code, context) => {
    if (code.length > 0 && !POSTAL_CODE_PATTERN.test(code)) {
      context.addIssue({
        code: "custom",
        message: "must be letters and digits, with spaces or hyphens only between them",
        params: { code: "invalid_format" },
        input: code,
      });
    }
  }),
);

export const Customer = z.strictObject({
  name: textField(TEXT_LIMITS.customerName),
  email: Email,
});
export type Customer = z.infer<typeof Customer>;

export const ShippingAddress = z
  .strictObject({
    line1: textField(TEXT_LIMITS.addressLine),
    line2: z.optional(textField(TEXT_LIMITS.addressLine)),
    city: textField(TEXT_LIMITS.city),
    postalCode: PostalCode,
    region: z.optional(textField(TEXT_LIMITS.region)),
    country: CountryCode,
  })
  .check(
    z.superRefine(
      (address, context) => {
        // Runs even when other fields failed, so one response lists every problem.
        const { postalCode, country } = address as Partial<Record<string, unknown>>;
        if (typeof postalCode !== "string" || typeof country !== "string") {
          return;
        }
        const destination = findShippingCountry(country);
        if (destination === undefined || destination.postalCodePattern.test(postalCode)) {
          return;
        }
        context.addIssue({
          code: "custom",
          path: ["postalCode"],
          message: `must be a postal code of ${destination.name}, such as ${destination.postalCodeExample}`,
          params: { code: "invalid_format" },
          input: postalCode,
        });
      },
      { when: (payload) => isPlainObject(payload.value) },
    ),
  );
export type ShippingAddress = z.infer<typeof ShippingAddress>;

export const OrderLineRequest = z.strictObject({
  sku: Sku,
  quantity: Quantity,
});
export type OrderLineRequest = z.infer<typeof OrderLineRequest>;

export const OrderRequest = z.strictObject({
  customer: Customer,
  shippingAddress: ShippingAddress,
  lines: z.array(OrderLineRequest).check(
    z.minLength(1),
    z.maxLength(MAX_LINES),
    z.superRefine(
      (lines, context) => {
        // Runs even when other lines failed, so one response lists every repeated SKU.
        const firstLineOfSku = new Map<unknown, number>();
        lines.forEach((line: unknown, index) => {
          if (!isPlainObject(line) || typeof line.sku !== "string") {
            return;
          }
          const first = firstLineOfSku.get(line.sku);
          if (first === undefined) {
            firstLineOfSku.set(line.sku, index);
            return;
          }
          context.addIssue({
            code: "custom",
            path: [index, "sku"],
            message: `repeats the SKU of line ${first}; put the whole quantity on one line`,
            params: { code: "duplicate_sku" },
            input: line.sku,
          });
        });
      },
      { when: (payload) => Array.isArray(payload.value) },
    ),
  ),
  promotionCode: z.optional(PromotionCode),
});
export type OrderRequest = z.infer<typeof OrderRequest>;

/** Parses a JSON-decoded request body, throwing a ValidationError that lists every bad field. */
export function parseOrderRequest(input: unknown): OrderRequest {
  const result = OrderRequest.safeParse(input, { reportInput: true });
  if (result.success) {
    return result.data;
  }
  throw new ValidationError(fieldIssuesFromZod(result.error.issues));
}
