/**
 * Free-text fields of a request (names, address lines): normalised to NFC and trimmed, then
 * limited in Unicode code points and in UTF-8 bytes.
 *
 * The code-point limit is what a shopper sees as "characters"; the byte cap bounds what each
 * field adds to the stored order and the workflow input, because a code point takes up to 4 bytes.
 */
import { z } from "zod";

export interface TextLimits {
  maxCodePoints: number;
  maxBytes: number;
}

// C0 and C1 controls, line and paragraph separators, and the bidirectional embedding, override
// and isolate characters, which can make stored text display differently from what it contains.
const FORBIDDEN_CHARACTERS = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u;

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
      message: "must not contain control, line-separator or text-direction characters",
    };
  }
  if (text.length === 0) {
    return { code: "too_small", message: "must not be empty" };
  }
  if (codePointLength(text) > limits.maxCodePoints) {
    return { code: "too_big", message: `must be at most ${limits.maxCodePoints} characters long` };
  }
  if (utf8ByteLength(text) > limits.maxBytes) {
    return { code: "too_big", message: `must be at most ${limits.maxBytes} bytes long in UTF-8` };
  }
  return undefined;
}

/** A required text field: NFC, trimmed, without control characters, within `limits`. */
export function textField(limits: TextLimits) {
  return z
    .string()
    .normalize("NFC")
    .trim()
    .superRefine((text, context) => {
      const problem = checkText(text, limits);
      if (problem) {
        context.addIssue({
          code: "custom",
          message: problem.message,
          params: { code: problem.code },
          input: text,
        });
      }
    });
}
