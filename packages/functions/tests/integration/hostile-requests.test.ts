/**
 * Malformed and hostile requests through the offline stack's HTTP API. Each must get its
 * documented 4xx problem and write nothing: every request that names a product names one that
 * only this file uses, so its stock and orders show whether anything was written.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createStore, type Store } from "@orderflow/core/db/table";
import { idempotencyRecordId } from "@orderflow/core/idempotency/idempotency";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

let apiUrl: string;
let client: DynamoDBClient;
let store: Store;

const sku = `HOSTILE-${Date.now().toString(36).toUpperCase()}`;
const stock = 7;
const usedKeys: string[] = [];

beforeAll(async () => {
  apiUrl = inject("apiUrl");
  client = new DynamoDBClient({
    endpoint: inject("dynamodbUrl"),
    region: "eu-central-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  store = createStore({ tableName: inject("tableName"), client });
  await store.product
    .put({
      sku,
      name: "Hostile mug",
      description: "For tests",
      unitPrice: 1000,
      currency: "EUR",
      stock,
    })
    .go();
});

afterAll(() => {
  client?.destroy();
});

const valid = () => ({
  customer: { name: "Ada Lovelace", email: "ada@example.com" },
  shippingAddress: {
    line1: "12 Analytical Street",
    city: "Berlin",
    postalCode: "10115",
    country: "DE",
  },
  lines: [{ sku, quantity: 1 }],
});

function withLine(line: Record<string, unknown>): Record<string, unknown> {
  return { ...valid(), lines: [line] };
}

function withCustomer(customer: Record<string, unknown>): Record<string, unknown> {
  return { ...valid(), customer: { ...valid().customer, ...customer } };
}

function withAddress(address: Record<string, unknown>): Record<string, unknown> {
  return { ...valid(), shippingAddress: { ...valid().shippingAddress, ...address } };
}

const json = (value: unknown) => JSON.stringify(value);

/** Returns a valid body's text with `value` written as is in place of the first quantity. */
function withRawQuantity(value: string): string {
  return json(valid()).replace('"quantity":1', `"quantity":${value}`);
}

/** Details of the server that no response may contain: ARNs, the account id, stack frames, paths. */
const internalDetail = /arn:aws|000000000000|\bat .+\(|node_modules|file:\/\/|\.[cm]?[jt]s:\d+/;

interface HostileCase {
  body: string | Uint8Array<ArrayBuffer> | undefined;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

const jsonHeaders = { "content-type": "application/json" };

const cases: Record<string, HostileCase> = {
  "quantity as a string": {
    body: json(withLine({ sku, quantity: "2" })),
    status: 422,
    code: "validation_failed",
  },
  "fractional quantity": {
    body: json(withLine({ sku, quantity: 1.5 })),
    status: 422,
    code: "validation_failed",
  },
  "zero quantity": {
    body: json(withLine({ sku, quantity: 0 })),
    status: 422,
    code: "validation_failed",
  },
  "negative quantity": {
    body: json(withLine({ sku, quantity: -1 })),
    status: 422,
    code: "validation_failed",
  },
  "quantity beyond the safe integers": {
    body: `{"customer":{"name":"Ada","email":"ada@example.com"},"shippingAddress":{"line1":"1 St","city":"Berlin","postalCode":"10115","country":"DE"},"lines":[{"sku":"${sku}","quantity":9007199254740993}]}`,
    status: 422,
    code: "validation_failed",
  },
  "quantity above the maximum": {
    body: json(withLine({ sku, quantity: 100 })),
    status: 422,
    code: "validation_failed",
  },
  "null quantity": {
    body: json(withLine({ sku, quantity: null })),
    status: 422,
    code: "validation_failed",
  },
  "boolean quantity": {
    body: json(withLine({ sku, quantity: true })),
    status: 422,
    code: "validation_failed",
  },
  "no lines": { body: json({ ...valid(), lines: [] }), status: 422, code: "validation_failed" },
  "lines as an object": {
    body: json({ ...valid(), lines: { sku, quantity: 1 } }),
    status: 422,
    code: "validation_failed",
  },
  "51 lines": {
    body: json({
      ...valid(),
      lines: Array.from({ length: 51 }, (_, index) => ({ sku: `${sku}-${index}`, quantity: 1 })),
    }),
    status: 422,
    code: "validation_failed",
  },
  "the same SKU twice": {
    body: json({
      ...valid(),
      lines: [
        { sku, quantity: 1 },
        { sku, quantity: 1 },
      ],
    }),
    status: 422,
    code: "validation_failed",
  },
  "a lower-case SKU": {
    body: json(withLine({ sku: sku.toLowerCase(), quantity: 1 })),
    status: 422,
    code: "validation_failed",
  },
  "an unknown SKU": {
    body: json({
      ...valid(),
      lines: [
        { sku, quantity: 1 },
        { sku: "NOT-IN-CATALOG-1", quantity: 1 },
      ],
    }),
    status: 422,
    code: "unknown_product",
  },
  "no customer": {
    body: json({ shippingAddress: valid().shippingAddress, lines: valid().lines }),
    status: 422,
    code: "validation_failed",
  },
  "an invalid e-mail": {
    body: json(withCustomer({ email: "ada@" })),
    status: 422,
    code: "validation_failed",
  },
  "an e-mail over 254 characters": {
    body: json(withCustomer({ email: `${"a".repeat(64)}@${"b".repeat(200)}.com` })),
    status: 422,
    code: "validation_failed",
  },
  "an empty name": {
    body: json(withCustomer({ name: "" })),
    status: 422,
    code: "validation_failed",
  },
  "a name of spaces": {
    body: json(withCustomer({ name: "   " })),
    status: 422,
    code: "validation_failed",
  },
  "a name over 100 code points": {
    body: json(withCustomer({ name: "é".repeat(101) })),
    status: 422,
    code: "validation_failed",
  },
  "a name with a NUL character": {
    body: json(withCustomer({ name: "Ada\u0000Lovelace" })),
    status: 422,
    code: "validation_failed",
  },
  "a name with a bidi override": {
    body: json(withCustomer({ name: "Ada\u202eecalevoL" })),
    status: 422,
    code: "validation_failed",
  },
  "a name with a lone surrogate": {
    body: '{"customer":{"name":"Ada \\ud800","email":"ada@example.com"},"shippingAddress":{"line1":"1 St","city":"Berlin","postalCode":"10115","country":"DE"},"lines":[{"sku":"X-1","quantity":1}]}',
    status: 422,
    code: "validation_failed",
  },
  "a country the store does not ship to": {
    body: json(withAddress({ country: "US" })),
    status: 422,
    code: "validation_failed",
  },
  "a lower-case country": {
    body: json(withAddress({ country: "de" })),
    status: 422,
    code: "validation_failed",
  },
  "a postal code of symbols": {
    body: json(withAddress({ postalCode: "!!!" })),
    status: 422,
    code: "validation_failed",
  },
  "an unknown top-level field": {
    body: json({ ...valid(), unitPrice: 1 }),
    status: 422,
    code: "validation_failed",
  },
  "an unknown nested field": {
    body: json(withCustomer({ phone: "+49" })),
    status: 422,
    code: "validation_failed",
  },
  "a prototype key": {
    body: `{"__proto__":{"admin":true},${json(valid()).slice(1)}`,
    status: 422,
    code: "validation_failed",
  },
  "an unknown promotion code": {
    body: json({ ...valid(), promotionCode: "NOSUCHCODE" }),
    status: 422,
    code: "invalid_promotion",
  },
  "an expired promotion code": {
    body: json({ ...valid(), promotionCode: "SUMMER2025" }),
    status: 422,
    code: "invalid_promotion",
  },
  "a lower-case promotion code": {
    body: json({ ...valid(), promotionCode: "welcome10" }),
    status: 422,
    code: "validation_failed",
  },
  "a JSON null body": { body: "null", status: 422, code: "validation_failed" },
  "a JSON array body": { body: "[]", status: 422, code: "validation_failed" },
  "a JSON string body": { body: '"order"', status: 422, code: "validation_failed" },
  "a JSON number body": { body: "42", status: 422, code: "validation_failed" },
  "truncated JSON": { body: '{"customer": {"name": "Ada"', status: 400, code: "malformed_json" },
  "trailing garbage": { body: `${json(valid())}x`, status: 400, code: "malformed_json" },
  "single-quoted JSON": { body: "{'lines': []}", status: 400, code: "malformed_json" },
  "an empty body": { body: "", status: 400, code: "missing_body" },
  "no body at all": { body: undefined, status: 400, code: "missing_body" },
  "text/plain": {
    body: json(valid()),
    headers: { "content-type": "text/plain" },
    status: 415,
    code: "unsupported_media_type",
  },
  "no content type": {
    body: json(valid()),
    headers: {},
    status: 415,
    code: "unsupported_media_type",
  },
  "a Latin-1 charset": {
    body: json(valid()),
    headers: { "content-type": "application/json; charset=iso-8859-1" },
    status: 415,
    code: "unsupported_media_type",
  },
  "a form body": {
    body: "lines=1",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    status: 415,
    code: "unsupported_media_type",
  },
  "a body just over the limit": {
    body: json({ ...valid(), pad: "x".repeat(32 * 1024) }),
    status: 413,
    code: "payload_too_large",
  },
  "a body of 1 MB": { body: "x".repeat(1024 * 1024), status: 413, code: "payload_too_large" },
  "a body over the limit only in UTF-8 bytes": {
    body: json({ ...valid(), pad: "€".repeat(11_000) }),
    status: 413,
    code: "payload_too_large",
  },
  "an Idempotency-Key over 255 characters": {
    body: json(valid()),
    headers: { ...jsonHeaders, "idempotency-key": "k".repeat(256) },
    status: 422,
    code: "validation_failed",
  },
  "an Idempotency-Key with a Latin-1 letter": {
    body: json(valid()),
    headers: { ...jsonHeaders, "idempotency-key": "cl\u00e9" },
    status: 422,
    code: "validation_failed",
  },
  "an empty Idempotency-Key": {
    body: json(valid()),
    headers: { ...jsonHeaders, "idempotency-key": "" },
    status: 422,
    code: "validation_failed",
  },
  "an Idempotency-Key with a tab": {
    body: json(valid()),
    headers: { ...jsonHeaders, "idempotency-key": "a\tb" },
    status: 422,
    code: "validation_failed",
  },
  "arrays nested 10,000 deep": {
    body: `${"[".repeat(10_000)}${"]".repeat(10_000)}`,
    status: 422,
    code: "validation_failed",
  },
  "a customer nested 500 deep": {
    body: json({ ...valid(), customer: JSON.parse(`${'{"a":'.repeat(500)}1${"}".repeat(500)}`) }),
    status: 422,
    code: "validation_failed",
  },
  "3,000 numbers as lines": {
    body: json({ ...valid(), lines: Array.from({ length: 3_000 }, () => 1) }),
    status: 422,
    code: "validation_failed",
  },
  "2,000 unknown top-level fields": {
    body: json({
      ...valid(),
      ...Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`k${i}`, 1])),
    }),
    status: 422,
    code: "validation_failed",
  },
  "a duplicate key whose last value is invalid": {
    body: json(valid()).replace('"name":"Ada Lovelace"', '"name":"Ada Lovelace","name":""'),
    status: 422,
    code: "validation_failed",
  },
  "a constructor key": {
    body: `{"constructor":{"prototype":{"admin":true}},${json(valid()).slice(1)}`,
    status: 422,
    code: "validation_failed",
  },
  "a prototype key in a line": {
    body: json(valid()).replace('"quantity":1', '"quantity":1,"__proto__":{"quantity":99}'),
    status: 422,
    code: "validation_failed",
  },
  "quantity 1e400": { body: withRawQuantity("1e400"), status: 422, code: "validation_failed" },
  "quantity -0": { body: withRawQuantity("-0"), status: 422, code: "validation_failed" },
  "quantity 1e-400": { body: withRawQuantity("1e-400"), status: 422, code: "validation_failed" },
  'quantity "NaN"': { body: withRawQuantity('"NaN"'), status: 422, code: "validation_failed" },
  "quantity NaN unquoted": { body: withRawQuantity("NaN"), status: 400, code: "malformed_json" },
  "quantity of 20,000 digits": {
    body: withRawQuantity("9".repeat(20_000)),
    status: 422,
    code: "validation_failed",
  },
  "an address line with a lone surrogate": {
    body: json(valid()).replace("12 Analytical Street", "12 Analytical Street \\udc00"),
    status: 422,
    code: "validation_failed",
  },
  "a name of a zero-width space": {
    body: json(withCustomer({ name: "\u200b" })),
    status: 422,
    code: "validation_failed",
  },
  "a city with a bell character": {
    body: json(withAddress({ city: "Ber\u0007lin" })),
    status: 422,
    code: "validation_failed",
  },
  "an e-mail with a header line": {
    body: json(withCustomer({ email: "ada@example.com\r\nBcc: eve@example.com" })),
    status: 422,
    code: "validation_failed",
  },
  "a name over 100 code points only after NFC": {
    // U+0958 is excluded from composition, so NFC turns each one into two code points.
    body: json(withCustomer({ name: "\u0958".repeat(60) })),
    status: 422,
    code: "validation_failed",
  },
  "bytes that are not UTF-8": {
    body: Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    status: 400,
    code: "malformed_json",
  },
  "a multipart body": {
    body: '--b\r\nContent-Disposition: form-data; name="order"\r\n\r\n{}\r\n--b--\r\n',
    headers: { "content-type": "multipart/form-data; boundary=b" },
    status: 415,
    code: "unsupported_media_type",
  },
  "a UTF-16 charset": {
    body: json(valid()),
    headers: { "content-type": "application/json; charset=utf-16" },
    status: 415,
    code: "unsupported_media_type",
  },
};

describe("POST /orders rejects hostile input", () => {
  it("covers at least 70 cases", () => {
    expect(Object.keys(cases).length).toBeGreaterThanOrEqual(70);
  });

  it.each(Object.entries(cases))(
    "answers %s with the documented problem",
    async (_name, hostile) => {
      // Prepare
      const key = randomUUID();
      usedKeys.push(key);
      const headers = { "idempotency-key": key, ...(hostile.headers ?? jsonHeaders) };

      // Act
      const response = await fetch(`${apiUrl}/orders`, {
        method: "POST",
        headers,
        ...(hostile.body === undefined ? {} : { body: hostile.body }),
      });
      const text = await response.text();
      const problem = JSON.parse(text);

      // Assess
      expect(response.status).toBe(hostile.status);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(problem.code).toBe(hostile.code);
      expect(problem.status).toBe(hostile.status);
      expect(text).not.toMatch(internalDetail);
    },
  );

  it("leaves stock, orders and idempotency records unchanged", async () => {
    const product = await store.product.get({ sku }).go({ consistent: true });
    const orders = await store.order.scan.go({ pages: "all", consistent: true });
    const records = await store.idempotency
      .get(usedKeys.map((key) => ({ recordId: idempotencyRecordId(key) })))
      .go({ consistent: true });

    expect(product.data?.stock).toBe(stock);
    expect(orders.data.filter((order) => order.lines.some((line) => line.sku === sku))).toEqual([]);
    expect(records.data).toEqual([]);
  });
});

describe("GET /orders/{orderId} with hostile requests", () => {
  const readSku = `${sku}-READ`;
  let target: { orderId: string; accessToken: string };
  let other: { orderId: string; accessToken: string };
  let unknownOrderAnswer: string;

  beforeAll(async () => {
    await store.product
      .put({
        sku: readSku,
        name: "Hostile read mug",
        description: "For tests",
        unitPrice: 1000,
        currency: "EUR",
        stock: 2,
      })
      .go();
    const place = async () => {
      const response = await fetch(`${apiUrl}/orders`, {
        method: "POST",
        headers: jsonHeaders,
        body: json({ ...valid(), lines: [{ sku: readSku, quantity: 1 }] }),
      });
      expect(response.status).toBe(201);
      return response.json();
    };
    target = await place();
    other = await place();
    const unknown = await fetch(`${apiUrl}/orders/01M91EYGKF81V19ENWCG4T1ZZZ`, {
      headers: { authorization: `Bearer ${target.accessToken}` },
    });
    unknownOrderAnswer = await unknown.text();
  });

  it.each<[string, () => string | undefined]>([
    ["the token of another order", () => `Bearer ${other.accessToken}`],
    ["no Authorization header", () => undefined],
    ["an empty Authorization header", () => ""],
    ["the scheme without a token", () => "Bearer "],
    ["the token without a scheme", () => target.accessToken],
    ["Basic credentials", () => `Basic ${Buffer.from("ada:secret").toString("base64")}`],
    ["two bearer tokens", () => `Bearer ${other.accessToken}, Bearer ${target.accessToken}`],
    ["the token with one character more", () => `Bearer ${target.accessToken}x`],
    ["the token with one character less", () => `Bearer ${target.accessToken.slice(0, -1)}`],
    ["the stored hash of a token as the token", () => `Bearer ${"0".repeat(64)}`],
    ["a token of 8 KB", () => `Bearer ${"A".repeat(8 * 1024)}`],
  ])("answers %s like an unknown order", async (_name, authorization) => {
    // Prepare
    const value = authorization();

    // Act
    const response = await fetch(`${apiUrl}/orders/${target.orderId}`, {
      headers: value === undefined ? {} : { authorization: value },
    });
    const text = await response.text();

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(text).toBe(unknownOrderAnswer);
  });

  it.each<[string, (orderId: string) => string]>([
    ["an encoded slash after the id", (orderId) => `${orderId}%2F..%2F..`],
    ["an encoded traversal before the id", (orderId) => `..%2F${orderId}`],
    ["a NUL after the id", (orderId) => `${orderId}%00`],
    ["the id in lower case", (orderId) => orderId.toLowerCase()],
    ["an invalid escape", () => "%ZZ"],
    ["an id of 8,000 characters", () => "A".repeat(8_000)],
  ])("answers 404 for %s without the order", async (_name, path) => {
    // Act
    const response = await fetch(`${apiUrl}/orders/${path(target.orderId)}`, {
      headers: { authorization: `Bearer ${target.accessToken}` },
    });
    const text = await response.text();

    // Assess
    expect(response.status).toBe(404);
    expect(text).not.toContain("Ada Lovelace");
    expect(text).not.toMatch(internalDetail);
  });
});

describe("routes under other methods", () => {
  const orderPath = "/orders/01M91EYGKF81V19ENWCG4T1ZZZ";
  const requests = ["/products", "/orders", "/quotes", orderPath].flatMap((path) =>
    ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"].map((method) => [method, path] as const),
  );

  it.each(requests)("answers %s %s with API Gateway's 404", async (method, path) => {
    // Act
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { ...jsonHeaders, "idempotency-key": randomUUID() },
      ...(method === "HEAD" ? {} : { body: json(valid()) }),
    });
    const text = await response.text();

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(text).toBe(method === "HEAD" ? "" : '{"message":"Not Found"}');
  });
});
