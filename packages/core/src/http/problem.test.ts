import { describe, expect, it } from "vitest";
import {
  domainErrorFromCause,
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
  InvalidPromotionError,
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
} from "../errors/domain-errors.ts";
import { PROBLEM_CONTENT_TYPE, toProblem } from "./problem.ts";

describe("toProblem", () => {
  // The table of docs/api.md: every documented status and code.
  it.each([
    { error: new MalformedRequestError("malformed_json"), status: 400, code: "malformed_json" },
    { error: new MalformedRequestError("missing_body"), status: 400, code: "missing_body" },
    { error: new OrderNotFoundError(), status: 404, code: "not_found" },
    { error: new RouteNotFoundError("GET", "/nothing"), status: 404, code: "not_found" },
    {
      error: new OutOfStockError([{ sku: "A-1", requested: 2, available: 1 }]),
      status: 409,
      code: "out_of_stock",
    },
    { error: new IdempotencyKeyInUseError(), status: 409, code: "idempotency_key_in_use" },
    { error: new PayloadTooLargeError(65_536), status: 413, code: "payload_too_large" },
    { error: new UnsupportedMediaTypeError(), status: 415, code: "unsupported_media_type" },
    { error: new ValidationError([]), status: 422, code: "validation_failed" },
    { error: new UnknownProductError(["NOPE-1"]), status: 422, code: "unknown_product" },
    { error: new InvalidPromotionError("NOPE", "unknown"), status: 422, code: "invalid_promotion" },
    { error: new IdempotencyKeyReusedError(), status: 422, code: "idempotency_key_reused" },
    { error: new ServiceBusyError(1), status: 503, code: "busy" },
    { error: new WorkflowTimeoutError(), status: 504, code: "timeout" },
  ])("maps $error.name to $status $code", ({ error, status, code }) => {
    // Act
    const problem = toProblem(error);

    // Assess
    expect(problem.status).toBe(status);
    expect(problem.headers["content-type"]).toBe(PROBLEM_CONTENT_TYPE);
    expect(problem.body.status).toBe(status);
    expect(problem.body.code).toBe(code);
    expect(problem.body.type).toBe(`https://orderflow.dev/problems/${code.replaceAll("_", "-")}`);
    expect(problem.body.title).toBe(error.title);
    expect(problem.body.detail).toBe(error.detail);
  });

  it("lists every invalid field of a validation error", () => {
    const errors = [
      { path: "lines.0.quantity", code: "too_small", message: "must be at least 1" },
      { path: "customer.email", code: "invalid_format", message: "must be an e-mail address" },
    ];

    const { body } = toProblem(new ValidationError(errors));

    expect(body).toEqual({
      type: "https://orderflow.dev/problems/validation-failed",
      title: "The request is invalid",
      status: 422,
      code: "validation_failed",
      detail: "2 fields are invalid",
      errors,
    });
  });

  it("names every short SKU with what is left", () => {
    const items = [
      { sku: "MUG-STONE-350", requested: 3, available: 1 },
      { sku: "TEA-SENCHA-100", requested: 1, available: 0 },
    ];

    const { status, body } = toProblem(new OutOfStockError(items));

    expect(status).toBe(409);
    expect(body.items).toEqual(items);
  });

  it("rebuilds the same answer from a Step Functions cause", () => {
    const error = new OutOfStockError([{ sku: "MUG-STONE-350", requested: 3, available: 1 }]);
    const cause = JSON.stringify({ errorType: error.name, errorMessage: error.message });

    const problem = toProblem(domainErrorFromCause(cause));

    expect(problem).toEqual(toProblem(error));
  });

  it("adds the promotion code and reason", () => {
    const error = new InvalidPromotionError("FIVEOFF", "below_minimum", { minSubtotal: 3000 });

    const { body } = toProblem(error);

    expect(body).toMatchObject({
      promotionCode: "FIVEOFF",
      reason: "below_minimum",
      minSubtotal: 3000,
    });
  });

  it("adds the unknown SKUs", () => {
    expect(toProblem(new UnknownProductError(["NOPE-1", "NOPE-2"])).body.skus).toEqual([
      "NOPE-1",
      "NOPE-2",
    ]);
  });

  it("adds the body limit", () => {
    expect(toProblem(new PayloadTooLargeError(65_536)).body.limitBytes).toBe(65_536);
  });

  it("tells a busy client when to retry", () => {
    expect(toProblem(new ServiceBusyError(3)).headers["retry-after"]).toBe("3");
  });

  it.each([
    ["an Error", new Error("connect ECONNREFUSED 127.0.0.1:8000 table orders-secret")],
    ["a TypeError", new TypeError("Cannot read properties of undefined (reading 'sku')")],
    ["a string", "something broke in table orders-secret"],
    ["undefined", undefined],
    ["null", null],
    ["an object", { message: "orders-secret", status: 409 }],
  ])("answers %s with a generic 500", (_label, thrown) => {
    const problem = toProblem(thrown);

    expect(problem.status).toBe(500);
    expect(problem.body).toEqual({
      type: "https://orderflow.dev/problems/internal-error",
      title: "Internal server error",
      status: 500,
      code: "internal_error",
      detail: "The server could not complete the request. Try again later.",
    });
    expect(JSON.stringify(problem)).not.toMatch(/secret|ECONNREFUSED|undefined/);
  });

  it("leaves the cause of a domain error out of the body", () => {
    const error = new UnknownProductError(["X-1"], { cause: new Error("orders-secret") });

    expect(JSON.stringify(toProblem(error))).not.toContain("orders-secret");
  });
});
