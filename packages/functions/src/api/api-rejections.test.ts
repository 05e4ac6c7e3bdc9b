/**
 * Requests the API handlers reject before they reach AWS: these need no table, workflow or
 * linked resources, so the handlers run here exactly as Lambda would run them.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../shared/http.ts";
import { handler as getOrder } from "./get-order.ts";
import { handler as placeOrder } from "./place-order.ts";
import { handler as quoteOrder } from "./quote-order.ts";

const validOrder = {
  customer: { name: "Ada Lovelace", email: "ada@example.com" },
  shippingAddress: {
    line1: "12 Analytical Street",
    city: "Berlin",
    postalCode: "10115",
    country: "DE",
  },
  lines: [{ sku: "MUG-STONE-350", quantity: 2 }],
};

function post(
  body: string | undefined,
  headers: Record<string, string> = { "content-type": "application/json" },
): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "POST /orders",
    rawPath: "/orders",
    rawQueryString: "",
    headers,
    requestContext: { requestId: "req-1" } as APIGatewayProxyEventV2["requestContext"],
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body }),
  };
}

const json = (value: unknown) => JSON.stringify(value);

describe.each([
  ["place-order", placeOrder],
  ["quote-order", quoteOrder],
])("%s", (_name, handler) => {
  it.each([
    ["no body", post(undefined), 400, "missing_body"],
    ["malformed JSON", post('{"customer": '), 400, "malformed_json"],
    [
      "a text/plain body",
      post(json(validOrder), { "content-type": "text/plain" }),
      415,
      "unsupported_media_type",
    ],
    [
      "an oversized body",
      post(json({ ...validOrder, pad: "x".repeat(MAX_BODY_BYTES) })),
      413,
      "payload_too_large",
    ],
    [
      "a string quantity",
      post(json({ ...validOrder, lines: [{ sku: "MUG-STONE-350", quantity: "2" }] })),
      422,
      "validation_failed",
    ],
    ["an unknown field", post(json({ ...validOrder, price: 1 })), 422, "validation_failed"],
    ["an array body", post("[]"), 422, "validation_failed"],
  ])("answers %s with %i %s", async (_case, request, status, code) => {
    const result = await handler(request);

    expect(result.statusCode).toBe(status);
    expect(result.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(result.body).code).toBe(code);
  });
});

describe("place-order Idempotency-Key", () => {
  it.each([
    ["empty", ""],
    ["too long", "k".repeat(256)],
    ["not ASCII", "schlüssel"],
    ["with a control character", "key\u0007"],
  ])("rejects a key that is %s with 422", async (_case, key) => {
    const request = post(json(validOrder), {
      "content-type": "application/json",
      "idempotency-key": key,
    });

    const result = await placeOrder(request);

    expect(result.statusCode).toBe(422);
    expect(JSON.parse(result.body).errors[0].path).toBe("headers.idempotency-key");
  });
});

describe("get-order", () => {
  function get(
    orderId: string | undefined,
    headers: Record<string, string>,
  ): APIGatewayProxyEventV2 {
    return {
      ...post(undefined, headers),
      routeKey: "GET /orders/{orderId}",
      rawPath: `/orders/${orderId}`,
      ...(orderId === undefined ? {} : { pathParameters: { orderId } }),
    };
  }

  it.each([
    ["no Authorization header", "01JEXAMPLE0000000000000000", {}],
    ["another scheme", "01JEXAMPLE0000000000000000", { authorization: "Basic YTpi" }],
    ["an empty bearer token", "01JEXAMPLE0000000000000000", { authorization: "Bearer " }],
    ["an id that is no ULID", "not-an-id", { authorization: "Bearer abc" }],
  ])("answers 404 for %s", async (_case, orderId, headers) => {
    const result = await getOrder(get(orderId, headers));

    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body).code).toBe("not_found");
  });
});
