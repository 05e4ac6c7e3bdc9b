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

interface HostileCase {
  body: string | undefined;
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
};

describe("POST /orders rejects hostile input", () => {
  it("covers at least 40 cases", () => {
    expect(Object.keys(cases).length).toBeGreaterThanOrEqual(40);
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
      const problem = await response.json();

      // Assess
      expect(response.status).toBe(hostile.status);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(problem.code).toBe(hostile.code);
      expect(problem.status).toBe(hostile.status);
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
