import { describe, expect, it } from "vitest";
import {
  DOMAIN_ERROR_NAMES,
  DomainError,
  domainErrorFromCause,
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
  InvalidPromotionError,
  MAX_LISTED_FIELD_ISSUES,
  MalformedRequestError,
  OrderNotFoundError,
  OutOfStockError,
  PayloadTooLargeError,
  RouteNotFoundError,
  ServiceBusyError,
  UnknownProductError,
  UnsupportedMediaTypeError,
  ValidationError,
  WorkflowTimeoutError,
} from "./domain-errors.ts";

const examples: [string, () => DomainError, string, number][] = [
  [
    "ValidationError",
    () =>
      new ValidationError([
        { path: "lines.0.quantity", code: "too_small", message: "must be at least 1" },
      ]),
    "validation_failed",
    422,
  ],
  [
    "UnknownProductError",
    () => new UnknownProductError(["NOPE-1", "NOPE-2"]),
    "unknown_product",
    422,
  ],
  [
    "OutOfStockError",
    () =>
      new OutOfStockError([
        { sku: "MUG-STONE-350", requested: 3, available: 1 },
        { sku: "TEA-SENCHA-100", requested: 2, available: 0 },
      ]),
    "out_of_stock",
    409,
  ],
  [
    "InvalidPromotionError",
    () => new InvalidPromotionError("FIVEOFF", "below_minimum", { minSubtotal: 3000 }),
    "invalid_promotion",
    422,
  ],
  ["IdempotencyKeyInUseError", () => new IdempotencyKeyInUseError(), "idempotency_key_in_use", 409],
  [
    "IdempotencyKeyReusedError",
    () => new IdempotencyKeyReusedError(),
    "idempotency_key_reused",
    422,
  ],
  ["PayloadTooLargeError", () => new PayloadTooLargeError(65_536), "payload_too_large", 413],
  [
    "MalformedRequestError",
    () => new MalformedRequestError("malformed_json"),
    "malformed_json",
    400,
  ],
  ["MalformedRequestError", () => new MalformedRequestError("missing_body"), "missing_body", 400],
  [
    "UnsupportedMediaTypeError",
    () => new UnsupportedMediaTypeError(),
    "unsupported_media_type",
    415,
  ],
  ["OrderNotFoundError", () => new OrderNotFoundError(), "not_found", 404],
  ["RouteNotFoundError", () => new RouteNotFoundError("GET", "/nothing"), "not_found", 404],
  ["ServiceBusyError", () => new ServiceBusyError(2), "busy", 503],
  ["WorkflowTimeoutError", () => new WorkflowTimeoutError(), "timeout", 504],
];

/** What Lambda reports for an error thrown by a handler: `{errorType, errorMessage, trace}`. */
function lambdaErrorPayload(error: Error) {
  return { errorType: error.name, errorMessage: error.message, trace: ["at handler (index.js:1)"] };
}

describe("domain errors", () => {
  it.each(examples)("%s sets its class name", (name, create) => {
    const error = create();

    expect(error.name).toBe(name);
    expect(error.constructor.name).toBe(name);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
  });

  it.each(examples)("%s has a stable code and status", (_name, create, code, status) => {
    const error = create();

    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.title.length).toBeGreaterThan(0);
    expect(error.detail.length).toBeGreaterThan(0);
  });

  it.each(examples)("%s round-trips through toJSON and fromJSON", (_name, create) => {
    const error = create();

    const rebuilt = DomainError.fromJSON(JSON.parse(JSON.stringify(error)));

    expect(rebuilt).toBeInstanceOf(error.constructor);
    expect(rebuilt?.toJSON()).toEqual(error.toJSON());
    expect(rebuilt?.message).toBe(error.message);
  });

  it.each(examples)("%s carries its JSON form as the message", (_name, create) => {
    const error = create();

    expect(JSON.parse(error.message)).toEqual(error.toJSON());
  });

  it.each(examples)("%s survives a Step Functions cause", (_name, create) => {
    const error = create();
    const cause = JSON.stringify(lambdaErrorPayload(error));

    const rebuilt = domainErrorFromCause(cause);

    expect(rebuilt?.name).toBe(error.name);
    expect(rebuilt?.toJSON()).toEqual(error.toJSON());
  });

  it("lists every class name for the workflow's Catch", () => {
    const names = new Set(examples.map(([name]) => name));

    expect(new Set(DOMAIN_ERROR_NAMES)).toEqual(names);
  });

  it("passes the cause on", () => {
    const cause = new Error("ConditionalCheckFailed");

    const error = new OutOfStockError([{ sku: "MUG-STONE-350", requested: 2, available: 1 }], {
      cause,
    });

    expect(error.cause).toBe(cause);
  });

  it("keeps the cause out of the JSON form", () => {
    const error = new UnknownProductError(["X-1"], { cause: new Error("secret table name") });

    expect(error.message).not.toContain("secret");
    expect(JSON.stringify(error)).not.toContain("secret");
  });

  it("describes an out-of-stock error with every short SKU", () => {
    const error = new OutOfStockError([
      { sku: "MUG-STONE-350", requested: 3, available: 1 },
      { sku: "TEA-SENCHA-100", requested: 2, available: 0 },
    ]);

    expect(error.detail).toBe(
      "Not enough stock for MUG-STONE-350 (requested 3, available 1), TEA-SENCHA-100 (requested 2, available 0)",
    );
  });

  it.each([
    [1, "1 field is invalid"],
    [2, "2 fields are invalid"],
  ])("counts %i invalid fields in the detail", (count, detail) => {
    const issues = Array.from({ length: count }, (_, index) => ({
      path: `lines.${index}.quantity`,
      code: "too_small",
      message: "must be at least 1",
    }));

    expect(new ValidationError(issues).detail).toBe(detail);
  });

  it("lists at most MAX_LISTED_FIELD_ISSUES fields", () => {
    const issues = Array.from({ length: MAX_LISTED_FIELD_ISSUES + 70 }, (_, index) => ({
      path: `key${index}`,
      code: "unrecognized_key",
      message: "is not an allowed field",
    }));

    const error = new ValidationError(issues);

    expect(error.errors).toHaveLength(MAX_LISTED_FIELD_ISSUES);
    expect(error.errors[0]?.path).toBe("key0");
    expect(error.invalidFieldCount).toBe(MAX_LISTED_FIELD_ISSUES + 70);
    expect(error.detail).toBe(
      `${MAX_LISTED_FIELD_ISSUES + 70} fields are invalid; the first ${MAX_LISTED_FIELD_ISSUES} are listed`,
    );
  });

  it("keeps the count of a cut list through JSON", () => {
    const issues = Array.from({ length: MAX_LISTED_FIELD_ISSUES + 1 }, (_, index) => ({
      path: `key${index}`,
      code: "unrecognized_key",
      message: "is not an allowed field",
    }));
    const error = new ValidationError(issues);

    const rebuilt = DomainError.fromJSON(JSON.parse(error.message));

    expect(rebuilt?.detail).toBe(error.detail);
    expect((rebuilt as ValidationError).invalidFieldCount).toBe(MAX_LISTED_FIELD_ISSUES + 1);
  });

  it("copies the issues it is given", () => {
    const issues = [{ path: "customer.name", code: "too_small", message: "must not be empty" }];

    const error = new ValidationError(issues);
    issues.push({ path: "extra", code: "x", message: "y" });

    expect(error.errors).toHaveLength(1);
  });
});

describe("DomainError.fromJSON", () => {
  it.each([
    ["undefined", undefined],
    ["null", null],
    ["a string", "OutOfStockError"],
    ["an array", [{ name: "OutOfStockError" }]],
    ["an object without a name", { code: "out_of_stock" }],
    ["an unknown name", { name: "TypeError", message: "x is undefined" }],
    ["a payload of the wrong shape", { name: "OutOfStockError", items: [{ sku: "A" }] }],
    [
      "a negative stock figure",
      { name: "OutOfStockError", items: [{ sku: "A", requested: 1, available: -1 }] },
    ],
    ["issues that are not field issues", { name: "ValidationError", errors: ["bad"] }],
    [
      "an unknown promotion reason",
      { name: "InvalidPromotionError", promotionCode: "X", reason: "late" },
    ],
    ["an unknown malformed-request code", { name: "MalformedRequestError", code: "bad_body" }],
    ["a name inherited from Object", { name: "toString" }],
  ])("returns undefined for %s", (_label, value) => {
    expect(DomainError.fromJSON(value)).toBeUndefined();
  });
});

describe("domainErrorFromCause", () => {
  it("rebuilds an out-of-stock error with every item", () => {
    const error = new OutOfStockError([
      { sku: "MUG-STONE-350", requested: 3, available: 1 },
      { sku: "TEA-SENCHA-100", requested: 2, available: 0 },
    ]);
    const cause = JSON.stringify(lambdaErrorPayload(error));

    const rebuilt = domainErrorFromCause(cause);

    expect(rebuilt).toBeInstanceOf(OutOfStockError);
    expect((rebuilt as OutOfStockError).items).toEqual(error.items);
  });

  it("accepts a bare toJSON text", () => {
    const error = new UnknownProductError(["NOPE-1"]);

    expect(domainErrorFromCause(error.message)).toBeInstanceOf(UnknownProductError);
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["an empty string", ""],
    ["text that is not JSON", "Task timed out after 10.00 seconds"],
    ["a JSON string", JSON.stringify("OutOfStockError")],
    [
      "a foreign Lambda error",
      JSON.stringify({
        errorType: "TypeError",
        errorMessage: "Cannot read properties of undefined",
      }),
    ],
    [
      "a Lambda error whose message is not JSON",
      JSON.stringify({ errorType: "OutOfStockError", errorMessage: "out of stock" }),
    ],
    [
      "a Lambda error whose type differs from the payload",
      JSON.stringify({
        errorType: "Error",
        errorMessage: new IdempotencyKeyInUseError().message,
      }),
    ],
    [
      "a Lambda runtime timeout",
      JSON.stringify({ errorType: "Sandbox.Timedout", errorMessage: "Task timed out" }),
    ],
  ])("returns undefined for %s", (_label, cause) => {
    expect(domainErrorFromCause(cause)).toBeUndefined();
  });
});
