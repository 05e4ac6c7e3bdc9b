import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/domain-errors.ts";
import { largestOrderRequest } from "./largest-request.ts";
import {
  MAX_EMAIL_LENGTH,
  MAX_LINES,
  MAX_ORDER_REQUEST_JSON_BYTES,
  MAX_QUANTITY,
  MAX_SKU_LENGTH,
  MAX_TRANSACTION_ACTIONS,
  ORDER_WRITES_BESIDES_LINES,
  OrderRequest,
  parseOrderRequest,
  TEXT_LIMITS,
  utf8ByteLength,
} from "./request.ts";

function validRequest(): Record<string, unknown> {
  return {
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
    shippingAddress: {
      line1: "12 Analytical Street",
      line2: "Flat 3",
      city: "Berlin",
      postalCode: "10115",
      region: "BE",
      country: "DE",
    },
    lines: [{ sku: "MUG-STONE-350", quantity: 2 }],
    promotionCode: "WELCOME10",
  };
}

function withCustomer(fields: Record<string, unknown>) {
  const request = validRequest();
  request.customer = { ...(request.customer as object), ...fields };
  return request;
}

function withAddress(fields: Record<string, unknown>) {
  const request = validRequest();
  request.shippingAddress = { ...(request.shippingAddress as object), ...fields };
  return request;
}

function withLines(lines: unknown) {
  const request = validRequest();
  request.lines = lines;
  return request;
}

/** Returns the error of a rejected request; fails the test when the request is accepted. */
function validationErrorOf(input: unknown): ValidationError {
  try {
    parseOrderRequest(input);
  } catch (error) {
    if (error instanceof ValidationError) {
      return error;
    }
    throw error;
  }
  throw new Error("expected the request to be rejected");
}

function issuesOf(input: unknown) {
  return validationErrorOf(input).errors;
}

function distinctLines(count: number) {
  return Array.from({ length: count }, (_, index) => ({ sku: `SKU-${index}`, quantity: 1 }));
}

describe("parseOrderRequest", () => {
  it("accepts the documented example unchanged", () => {
    // Prepare
    const input = validRequest();

    // Act
    const parsed = parseOrderRequest(input);

    // Assess
    expect(parsed).toEqual(input);
  });

  it("accepts a request without the optional fields", () => {
    const input = validRequest();
    delete input.promotionCode;
    const address = input.shippingAddress as Record<string, unknown>;
    delete address.line2;
    delete address.region;

    const parsed = parseOrderRequest(input);

    expect(parsed.promotionCode).toBeUndefined();
    expect(parsed.shippingAddress).not.toHaveProperty("line2");
    expect(parsed.shippingAddress).not.toHaveProperty("region");
  });

  it.each([
    ["a string", "2"],
    ["an empty string", ""],
    ["a fraction", 1.5],
    ["a negative number", -1],
    ["zero", 0],
    ["null", null],
    ["a boolean", true],
    ["an unsafe integer", 2 ** 53],
    ["a huge number", 1e300],
    ["one above the maximum", MAX_QUANTITY + 1],
  ])("rejects a quantity that is %s", (_label, quantity) => {
    const issues = issuesOf(withLines([{ sku: "MUG-STONE-350", quantity }]));

    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe("lines.0.quantity");
  });

  it.each([
    [0, "too_small", "must be at least 1"],
    [-1, "too_small", "must be at least 1"],
    [MAX_QUANTITY + 1, "too_big", `must be at most ${MAX_QUANTITY}`],
    [2 ** 53, "too_big", `must be at most ${MAX_QUANTITY}`],
    [1.5, "invalid_type", "must be a whole number"],
    ["2", "invalid_type", "must be a number"],
  ])("explains quantity %j as %s", (quantity, code, message) => {
    const issues = issuesOf(withLines([{ sku: "MUG-STONE-350", quantity }]));

    expect(issues).toEqual([{ path: "lines.0.quantity", code, message }]);
  });

  it.each([1, MAX_QUANTITY])("accepts quantity %i", (quantity) => {
    const parsed = parseOrderRequest(withLines([{ sku: "MUG-STONE-350", quantity }]));

    expect(parsed.lines[0]?.quantity).toBe(quantity);
  });

  it("reports a missing quantity as required", () => {
    const issues = issuesOf(withLines([{ sku: "MUG-STONE-350" }]));

    expect(issues).toEqual([
      { path: "lines.0.quantity", code: "required", message: "is required" },
    ]);
  });

  it("accepts exactly MAX_LINES lines", () => {
    const parsed = parseOrderRequest(withLines(distinctLines(MAX_LINES)));

    expect(parsed.lines).toHaveLength(MAX_LINES);
  });

  it("rejects one line more than MAX_LINES", () => {
    const issues = issuesOf(withLines(distinctLines(MAX_LINES + 1)));

    expect(issues).toEqual([
      { path: "lines", code: "too_big", message: `must contain at most ${MAX_LINES} items` },
    ]);
  });

  it("rejects an order without lines", () => {
    const issues = issuesOf(withLines([]));

    expect(issues).toEqual([
      { path: "lines", code: "too_small", message: "must contain at least 1 item" },
    ]);
  });

  it("keeps the largest order within one DynamoDB transaction", () => {
    expect(MAX_LINES + ORDER_WRITES_BESIDES_LINES).toBeLessThanOrEqual(MAX_TRANSACTION_ACTIONS);
  });

  it("rejects a repeated SKU on the later line", () => {
    const issues = issuesOf(
      withLines([
        { sku: "MUG-STONE-350", quantity: 1 },
        { sku: "TEA-SENCHA-100", quantity: 1 },
        { sku: "MUG-STONE-350", quantity: 2 },
      ]),
    );

    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe("lines.2.sku");
    expect(issues[0]?.code).toBe("duplicate_sku");
    expect(issues[0]?.message).toContain("line 0");
  });

  it("reports a repeated SKU together with other invalid lines", () => {
    const issues = issuesOf(
      withLines([
        { sku: "MUG-STONE-350", quantity: 0 },
        { sku: "MUG-STONE-350", quantity: 1 },
        { quantity: 1 },
      ]),
    );

    expect(issues.map((issue) => [issue.path, issue.code])).toEqual([
      ["lines.0.quantity", "too_small"],
      ["lines.2.sku", "required"],
      ["lines.1.sku", "duplicate_sku"],
    ]);
  });

  it("reports a wrong postal code together with other invalid fields", () => {
    const issues = issuesOf(withAddress({ city: "", postalCode: "ABC" }));

    expect(issues.map((issue) => issue.path)).toEqual([
      "shippingAddress.city",
      "shippingAddress.postalCode",
    ]);
  });

  it("reports every repetition of a SKU", () => {
    const line = { sku: "MUG-STONE-350", quantity: 1 };

    const issues = issuesOf(withLines([line, line, line]));

    expect(issues.map((issue) => issue.path)).toEqual(["lines.1.sku", "lines.2.sku"]);
  });

  it.each([
    ["lower-case letters", "mug-stone-350"],
    ["a double hyphen", "MUG--STONE"],
    ["a leading hyphen", "-MUG"],
    ["a trailing hyphen", "MUG-"],
    ["a space", "MUG STONE"],
    ["an empty string", ""],
    ["one character too many", "A".repeat(MAX_SKU_LENGTH + 1)],
  ])("rejects a SKU with %s", (_label, sku) => {
    const issues = issuesOf(withLines([{ sku, quantity: 1 }]));

    expect(issues.map((issue) => issue.path)).toEqual(["lines.0.sku"]);
  });

  it("accepts a SKU of the maximum length", () => {
    const sku = "A".repeat(MAX_SKU_LENGTH);

    expect(parseOrderRequest(withLines([{ sku, quantity: 1 }])).lines[0]?.sku).toBe(sku);
  });

  it.each([
    ["at the top level", { ...validRequest(), total: 0 }, "total"],
    ["in the customer", withCustomer({ isAdmin: true }), "customer.isAdmin"],
    ["in the address", withAddress({ street: "x" }), "shippingAddress.street"],
    [
      "in a line",
      withLines([{ sku: "MUG-STONE-350", quantity: 1, unitPrice: 1 }]),
      "lines.0.unitPrice",
    ],
  ])("rejects an unknown key %s", (_label, input, path) => {
    const issues = issuesOf(input);

    expect(issues).toEqual([
      { path, code: "unrecognized_key", message: "is not an allowed field" },
    ]);
  });

  it.each([
    ["null", null],
    ["an array", []],
    ["a string", "order"],
    ["a number", 42],
  ])("rejects a body that is %s", (_label, input) => {
    const issues = issuesOf(input);

    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe("");
    expect(issues[0]?.code).toBe("invalid_type");
  });

  it("lists every missing section of an empty object", () => {
    const issues = issuesOf({});

    expect(issues.map((issue) => [issue.path, issue.code])).toEqual([
      ["customer", "required"],
      ["shippingAddress", "required"],
      ["lines", "required"],
    ]);
  });

  it("keeps the error small for thousands of long unknown keys", () => {
    // Prepare
    const input: Record<string, unknown> = validRequest();
    for (let index = 0; index < 5000; index += 1) {
      input[`${index}${"k".repeat(1000)}`] = 1;
    }

    // Act
    const error = validationErrorOf(input);

    // Assess
    expect(error.invalidFieldCount).toBe(5000);
    expect(error.errors[0]?.path).toHaveLength(64);
    expect(utf8ByteLength(error.message)).toBeLessThan(8 * 1024);
  });

  it("rejects null for an optional field", () => {
    const issues = issuesOf(withAddress({ line2: null }));

    expect(issues.map((issue) => issue.path)).toEqual(["shippingAddress.line2"]);
  });
});

describe("parseOrderRequest text fields", () => {
  const { customerName } = TEXT_LIMITS;

  it("normalises to NFC and trims", () => {
    const decomposed = "  Zoe\u0308 Ma\u0301rquez  ";

    const parsed = parseOrderRequest(withCustomer({ name: decomposed }));

    expect(parsed.customer.name).toBe("Zo\u00eb M\u00e1rquez");
  });

  it("counts combining characters after NFC", () => {
    // Each "e" + U+0301 is two code points on input and one "é" after NFC.
    const name = "e\u0301".repeat(customerName.maxCodePoints);

    const parsed = parseOrderRequest(withCustomer({ name }));

    expect(parsed.customer.name).toBe("\u00e9".repeat(customerName.maxCodePoints));
  });

  it("keeps combining marks that have no precomposed form", () => {
    const name = "q\u0307".repeat(customerName.maxCodePoints / 2 + 1);

    const issues = issuesOf(withCustomer({ name }));

    expect(issues[0]?.path).toBe("customer.name");
    expect(issues[0]?.code).toBe("too_big");
  });

  // U+20000 is a CJK ideograph outside the BMP: one code point, four UTF-8 bytes, a letter.
  const fourByteLetter = "\u{20000}";
  // U+4E2D is a CJK ideograph inside the BMP: one code point, three UTF-8 bytes.
  const threeByteLetter = "\u4e2d";

  it.each([
    ["at the limit", true, "a".repeat(customerName.maxCodePoints)],
    ["one over the limit", false, "a".repeat(customerName.maxCodePoints + 1)],
    ["of 4-byte letters at the byte cap", true, fourByteLetter.repeat(customerName.maxBytes / 4)],
    ["of 4-byte letters over the cap", false, fourByteLetter.repeat(customerName.maxBytes / 4 + 1)],
    ["at the byte cap", true, `${threeByteLetter.repeat(84)}abcd`],
    ["one byte over the cap", false, `${threeByteLetter.repeat(84)}abcde`],
  ])("treats a name %s as valid: %s", (_label, valid, name) => {
    const result = OrderRequest.safeParse(withCustomer({ name }));

    expect(result.success).toBe(valid);
  });

  it("counts an emoji as one code point", () => {
    // 100 code points but 101 UTF-16 code units.
    const name = `${"a".repeat(customerName.maxCodePoints - 1)}\u{1F600}`;

    const parsed = parseOrderRequest(withCustomer({ name }));

    expect(parsed.customer.name).toBe(name);
    expect(issuesOf(withCustomer({ name: `a${name}` }))[0]?.code).toBe("too_big");
  });

  it("counts an emoji sequence by its code points", () => {
    // Man, zero-width joiner, woman, zero-width joiner, girl: one picture, five code points.
    const family = "\u{1F468}\u200d\u{1F469}\u200d\u{1F467}";
    const atLimit = `${"a".repeat(customerName.maxCodePoints - 5)}${family}`;
    const overLimit = `${atLimit}x`;

    expect(parseOrderRequest(withCustomer({ name: atLimit })).customer.name).toBe(atLimit);
    expect(issuesOf(withCustomer({ name: overLimit }))[0]?.code).toBe("too_big");
  });

  it.each([
    ["only emoji", "\u{1F600}\u{1F600}"],
    ["only punctuation", "--- ..."],
  ])("rejects a name of %s", (_label, name) => {
    const issues = issuesOf(withCustomer({ name }));

    expect(issues).toEqual([
      {
        path: "customer.name",
        code: "invalid_format",
        message: "must contain at least one letter or digit",
      },
    ]);
  });

  it("names the byte cap in the message", () => {
    const issues = issuesOf(withCustomer({ name: threeByteLetter.repeat(86) }));

    expect(issues).toEqual([
      {
        path: "customer.name",
        code: "too_big",
        message: `must be at most ${customerName.maxBytes} bytes long in UTF-8`,
      },
    ]);
  });

  it.each([
    ["NUL", "Ada\u0000"],
    ["a line feed", "Ada\nLovelace"],
    ["a tab", "Ada\tLovelace"],
    ["a C1 control", "Ada\u0085"],
    ["a line separator", "Ada\u2028Lovelace"],
    ["a right-to-left override", "Ada\u202eecalevol"],
    ["a left-to-right isolate", "Ada\u2066x"],
    ["an unpaired surrogate", "Ada\ud800"],
    ["a zero-width space", "Ada\u200bLovelace"],
    ["a byte order mark inside", "Ada\ufeffLovelace"],
  ])("rejects a name containing %s", (_label, name) => {
    const issues = issuesOf(withCustomer({ name }));

    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe("customer.name");
    expect(issues[0]?.code).toBe("invalid_characters");
  });

  it.each([
    ["empty", ""],
    ["only spaces", "   "],
  ])("rejects a name that is %s", (_label, name) => {
    const issues = issuesOf(withCustomer({ name }));

    expect(issues).toEqual([
      { path: "customer.name", code: "too_small", message: "must not be empty" },
    ]);
  });

  it.each([
    ["line1", TEXT_LIMITS.addressLine],
    ["line2", TEXT_LIMITS.addressLine],
    ["city", TEXT_LIMITS.city],
    ["region", TEXT_LIMITS.region],
  ])("limits address field %s in code points", (field, limits) => {
    const atLimit = OrderRequest.safeParse(
      withAddress({ [field]: "x".repeat(limits.maxCodePoints) }),
    );
    const overLimit = issuesOf(withAddress({ [field]: "x".repeat(limits.maxCodePoints + 1) }));

    expect(atLimit.success).toBe(true);
    expect(overLimit).toEqual([
      {
        path: `shippingAddress.${field}`,
        code: "too_big",
        message: `must be at most ${limits.maxCodePoints} characters long`,
      },
    ]);
  });

  it.each([
    ["DE", "10115", true],
    ["DE", "1011", false],
    ["DE", "101155", false],
    ["GB", "SW1A 1AA", true],
    ["GB", "sw1a1aa", true],
    ["GB", "SW1A-1AA", false],
    ["IE", "D02 X285", true],
    ["LU", "L-1009", true],
    ["NL", "1012 AB", true],
    ["NL", "1012AB", true],
    ["NL", "AB 1012", false],
    ["PL", "00-950", true],
    ["PL", "00950", false],
    ["PT", "1100-148", true],
    ["SE", "111 52", true],
    ["AT", "1010", true],
    ["AT", "10115", false],
  ])("checks a postal code of %s: %j is valid: %s", (country, postalCode, valid) => {
    const result = OrderRequest.safeParse(withAddress({ country, postalCode }));

    expect(result.success).toBe(valid);
  });

  it("names the country and an example for a wrong postal code", () => {
    const issues = issuesOf(withAddress({ country: "DE", postalCode: "SW1A 1AA" }));

    expect(issues).toEqual([
      {
        path: "shippingAddress.postalCode",
        code: "invalid_format",
        message: "must be a postal code of Germany, such as 10115",
      },
    ]);
  });

  it.each([
    ["too long", "1".repeat(TEXT_LIMITS.postalCode.maxCodePoints + 1), "too_big"],
    ["a symbol", "10115!", "invalid_format"],
    ["a leading hyphen", "-1011", "invalid_format"],
    ["empty", "", "too_small"],
  ])("rejects a postal code that is %s", (_label, postalCode, code) => {
    const issues = issuesOf(withAddress({ postalCode }));

    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe("shippingAddress.postalCode");
    expect(issues[0]?.code).toBe(code);
  });
});

describe("parseOrderRequest e-mail and codes", () => {
  it.each(["o'brien@example.ie", "a.b+orders@mail.example.co.uk"])(
    "accepts e-mail address %s",
    (email) => {
      expect(parseOrderRequest(withCustomer({ email })).customer.email).toBe(email);
    },
  );

  it("keeps the e-mail address exactly as sent", () => {
    const parsed = parseOrderRequest(withCustomer({ email: "Ada.Lovelace+Orders@Example.COM" }));

    expect(parsed.customer.email).toBe("Ada.Lovelace+Orders@Example.COM");
  });

  it.each([
    ["a leading space", " ada@example.com"],
    ["no at sign", "ada.example.com"],
    ["no domain", "ada@"],
    ["a number", 42],
    ["a non-ASCII local part", "j\u00f6hn@example.com"],
  ])("rejects an e-mail address with %s", (_label, email) => {
    const issues = issuesOf(withCustomer({ email }));

    expect(issues.map((issue) => issue.path)).toEqual(["customer.email"]);
  });

  it("limits the e-mail address to its maximum length", () => {
    const domainFor = (length: number) => `${"d".repeat(length - 4)}.com`;
    const local = "a".repeat(64);
    const atLimit = `${local}@${domainFor(MAX_EMAIL_LENGTH - 65)}`;
    const overLimit = `${local}@${domainFor(MAX_EMAIL_LENGTH - 64)}`;

    expect(atLimit).toHaveLength(MAX_EMAIL_LENGTH);
    expect(parseOrderRequest(withCustomer({ email: atLimit })).customer.email).toBe(atLimit);
    expect(issuesOf(withCustomer({ email: overLimit }))[0]?.code).toBe("too_big");
  });

  it.each(["de", "US", "XX", "DEU", ""])("rejects country %j", (country) => {
    const issues = issuesOf(withAddress({ country }));

    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe("shippingAddress.country");
    expect(issues[0]?.code).toBe("invalid_value");
  });

  it.each(["welcome10", "WELCOME 10", "", "A".repeat(33)])("rejects promotion code %j", (code) => {
    const issues = issuesOf({ ...validRequest(), promotionCode: code });

    expect(issues.map((issue) => issue.path)).toEqual(["promotionCode"]);
  });
});

describe("largest valid request", () => {
  it("is accepted", () => {
    const parsed = parseOrderRequest(largestOrderRequest());

    expect(parsed.lines).toHaveLength(MAX_LINES);
  });

  it("fits MAX_ORDER_REQUEST_JSON_BYTES as plain JSON", () => {
    const json = JSON.stringify(parseOrderRequest(largestOrderRequest()));

    expect(utf8ByteLength(json)).toBeLessThanOrEqual(MAX_ORDER_REQUEST_JSON_BYTES);
  });

  it("fits MAX_ORDER_REQUEST_JSON_BYTES with escaped characters", () => {
    const json = JSON.stringify(parseOrderRequest(largestOrderRequest()));

    const escaped = json.replace(
      /[^\x20-\x7e]/g,
      (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );

    expect(escaped).not.toMatch(/[^\x20-\x7e]/);
    expect(utf8ByteLength(escaped)).toBeLessThanOrEqual(MAX_ORDER_REQUEST_JSON_BYTES);
  });
});

describe("utf8ByteLength", () => {
  it.each([
    ["ASCII", "abc", 3],
    ["a two-byte letter", "\u00e9", 2],
    ["a three-byte symbol", "\u20ac", 3],
    ["an emoji", "\u{1F600}", 4],
    ["a family emoji of five code points", "\u{1F468}\u200d\u{1F469}\u200d\u{1F467}", 18],
    ["an empty string", "", 0],
  ])("counts %s", (_label, text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
    expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).length);
  });
});

describe("order request module", () => {
  const testDirectory = dirname(fileURLToPath(import.meta.url));

  function importsOf(file: string): string[] {
    const source = readFileSync(file, "utf8");
    return [...source.matchAll(/^import\s[^;]*?from\s+"([^"]+)";/gms)].map(
      (match) => match[1] ?? "",
    );
  }

  // The checkout page bundles this module for the browser.
  it("imports only zod and its own files, transitively", () => {
    const seen = new Set<string>();
    const pending = [resolve(testDirectory, "request.ts")];
    const external = new Set<string>();

    while (pending.length > 0) {
      const file = pending.pop() ?? "";
      if (seen.has(file)) {
        continue;
      }
      seen.add(file);
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith(".")) {
          pending.push(resolve(dirname(file), specifier));
        } else {
          external.add(specifier);
        }
      }
    }

    expect([...external]).toEqual(["zod/mini"]);
    expect(seen.size).toBeGreaterThan(1);
  });
});
