/**
 * The order API through the offline stack: real HTTP to the local API Gateway, the workflow on
 * the local Step Functions endpoint, and DynamoDB Local. Each test writes its own product so the
 * stock it checks is not shared with other test files.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { createStore, type Store } from "@orderflow/core/db/table";
import { idempotencyRecordId } from "@orderflow/core/idempotency/idempotency";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

let apiUrl: string;
let client: DynamoDBClient;
let store: Store;

beforeAll(() => {
  apiUrl = inject("apiUrl");
  client = new DynamoDBClient({
    endpoint: inject("dynamodbUrl"),
    region: "eu-central-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  store = createStore({ tableName: inject("tableName"), client });
});

afterAll(() => {
  client?.destroy();
});

let productNumber = 0;

/** Writes a product only this test uses and returns its SKU. */
async function productWithStock(stock: number): Promise<string> {
  productNumber += 1;
  const sku = `TEST-${Date.now().toString(36).toUpperCase()}-${productNumber}`;
  await store.product
    .put({
      sku,
      name: "Test mug",
      description: "For tests",
      unitPrice: 1000,
      currency: "EUR",
      stock,
    })
    .go();
  return sku;
}

async function stockOf(sku: string): Promise<number | undefined> {
  return (await store.product.get({ sku }).go({ consistent: true })).data?.stock;
}

async function ordersFor(sku: string): Promise<number> {
  const orders = await store.order.scan.go({ pages: "all", consistent: true });
  return orders.data.filter((order) => order.lines.some((line) => line.sku === sku)).length;
}

/** Reads the idempotency record of `key` as DynamoDB stores it, as JSON text, or undefined. */
async function rawIdempotencyItem(key: string): Promise<string | undefined> {
  // ElectroDB builds the key in document form; GetItem takes attribute values.
  const { Key } = store.idempotency.get({ recordId: idempotencyRecordId(key) }).params();
  const result = await client.send(
    new GetItemCommand({
      TableName: inject("tableName"),
      Key: { pk: { S: Key.pk }, sk: { S: Key.sk } },
      ConsistentRead: true,
    }),
  );
  return result.Item === undefined ? undefined : JSON.stringify(result.Item);
}

function orderBody(sku: string, quantity = 1) {
  return {
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
    shippingAddress: {
      line1: "12 Analytical Street",
      city: "Berlin",
      postalCode: "10115",
      country: "DE",
    },
    lines: [{ sku, quantity }],
  };
}

/**
 * Requests in flight at once against the offline stack.
 *
 * NOTE: the offline Lambda runner starts a new instance for each concurrent request, and on a
 * machine with two CPUs dozens of instances loading at once take many seconds. With 200 requests
 * sent at once, most waited past API Gateway's 30-second integration timeout and got 503. Lambda
 * on AWS scales out instead. These tests therefore keep 4 requests racing at any time, and core's
 * integration tests race 200 orders on the table itself.
 */
const offlineConcurrency = 4;

/** Grows each function's pool of warm instances to `offlineConcurrency`, a step at a time. */
async function warmUp(): Promise<void> {
  const sku = await productWithStock(1_000);
  for (const concurrency of [1, 2, 2, offlineConcurrency, offlineConcurrency]) {
    const responses = await Promise.all(
      Array.from({ length: concurrency }, () => placeOrder(orderBody(sku), randomUUID())),
    );
    await Promise.all(responses.map((response) => response.arrayBuffer()));
  }
}

/** Runs `count` calls of `task` with at most `limit` running at once; results keep call order. */
async function mapConcurrently<T>(
  count: number,
  limit: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

function placeOrder(body: unknown, key?: string): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== undefined) {
    headers["idempotency-key"] = key;
  }
  return fetch(`${apiUrl}/orders`, { method: "POST", headers, body: JSON.stringify(body) });
}

beforeAll(async () => {
  await warmUp();
}, 120_000);

describe("POST /orders with an Idempotency-Key", () => {
  it("replays the first answer for the same key and body", async () => {
    // Prepare
    const sku = await productWithStock(5);
    const key = randomUUID();

    // Act
    const first = await placeOrder(orderBody(sku), key);
    const firstBody = await first.text();
    const second = await placeOrder(orderBody(sku), key);
    const secondBody = await second.text();

    // Assess
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(secondBody).toBe(firstBody);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect(await stockOf(sku)).toBe(4);
    expect(await ordersFor(sku)).toBe(1);
  });

  it("stores neither the key, the access token nor the e-mail, and still replays", async () => {
    // Prepare
    const sku = await productWithStock(5);
    const key = `Checkout-${randomUUID()}`;

    // Act
    const first = await placeOrder(orderBody(sku), key);
    const firstBody = await first.text();
    const raw = await rawIdempotencyItem(key);
    const second = await placeOrder(orderBody(sku), key);

    // Assess
    const { accessToken, orderId } = JSON.parse(firstBody);
    expect(first.status).toBe(201);
    expect(accessToken).toEqual(expect.any(String));
    expect(raw).toContain(orderId);
    expect(raw).toContain("sealedResponse");
    expect(raw?.toLowerCase()).not.toContain(key.toLowerCase());
    expect(raw).not.toContain(accessToken);
    expect(raw).not.toContain("ada@example.com");
    expect(raw).not.toContain("Analytical");
    expect(second.status).toBe(201);
    expect(await second.text()).toBe(firstBody);
  });

  it("keeps keys that differ only in letter case apart", async () => {
    const sku = await productWithStock(5);
    const suffix = randomUUID();

    const upper = await placeOrder(orderBody(sku, 1), `Key-A-${suffix}`);
    const lower = await placeOrder(orderBody(sku, 2), `key-a-${suffix}`);

    expect(upper.status).toBe(201);
    expect(lower.status).toBe(201);
    expect((await upper.json()).orderId).not.toBe((await lower.json()).orderId);
    expect(await stockOf(sku)).toBe(2);
  });

  it("rejects the key with another body", async () => {
    const sku = await productWithStock(5);
    const key = randomUUID();
    await placeOrder(orderBody(sku, 1), key);

    const response = await placeOrder(orderBody(sku, 2), key);

    expect(response.status).toBe(422);
    expect((await response.json()).code).toBe("idempotency_key_reused");
    expect(await stockOf(sku)).toBe(4);
  });

  it("stores nothing for an invalid request, so the corrected one succeeds", async () => {
    // Prepare
    const sku = await productWithStock(5);
    const key = randomUUID();
    const invalid = { ...orderBody(sku), lines: [{ sku, quantity: 0 }] };

    // Act
    const rejected = await placeOrder(invalid, key);
    const storedAfterRejection = await rawIdempotencyItem(key);
    const corrected = await placeOrder(orderBody(sku), key);

    // Assess
    expect(rejected.status).toBe(422);
    expect(storedAfterRejection).toBeUndefined();
    expect(corrected.status).toBe(201);
    expect(await stockOf(sku)).toBe(4);
  });

  it("frees the key after an out-of-stock answer", async () => {
    const sku = await productWithStock(1);
    const key = randomUUID();

    const rejected = await placeOrder(orderBody(sku, 2), key);
    const retried = await placeOrder(orderBody(sku, 2), key);

    expect(rejected.status).toBe(409);
    expect(retried.status).toBe(409);
    expect((await retried.json()).items).toEqual([{ sku, requested: 2, available: 1 }]);
  });

  it("makes one order and one decrement for 20 competing requests", async () => {
    // Prepare
    const sku = await productWithStock(10);
    const key = randomUUID();

    // Act
    const answers = await mapConcurrently(20, offlineConcurrency, async () => {
      const response = await placeOrder(orderBody(sku), key);
      return { status: response.status, body: await response.json() };
    });
    const responses = answers.map((answer) => ({ status: answer.status }));
    const bodies = answers.map((answer) => answer.body);

    // Assess
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const orderIds = new Set(
      bodies.filter((_, index) => statuses[index] === 201).map((body) => body.orderId),
    );
    expect(orderIds.size).toBe(1);
    expect(await stockOf(sku)).toBe(9);
    expect(await ordersFor(sku)).toBe(1);
  });
});

describe("POST /orders under contention", () => {
  it("confirms exactly the stock for 200 competing orders", async () => {
    // Prepare
    const sku = await productWithStock(50);

    // Act
    const answers = await mapConcurrently(200, offlineConcurrency, async () => {
      const response = await placeOrder(orderBody(sku), randomUUID());
      return { status: response.status, body: await response.json() };
    });
    const responses = answers.map((answer) => ({ status: answer.status }));
    const bodies = answers.map((answer) => answer.body);

    // Assess
    const statuses = responses.map((response) => response.status);
    const created = statuses.filter((status) => status === 201).length;
    const codes = bodies.filter((_, index) => statuses[index] !== 201).map((body) => body.code);
    expect(new Set(codes)).toEqual(new Set(["out_of_stock"]));
    expect(created).toBe(50);
    expect(await stockOf(sku)).toBe(0);
    expect(await ordersFor(sku)).toBe(created);
  }, 180_000);
});

describe("GET /orders/{orderId}", () => {
  it("returns the placed order without its token to the token holder", async () => {
    // Prepare
    const sku = await productWithStock(3);
    const placed = await (await placeOrder(orderBody(sku), randomUUID())).json();

    // Act
    const response = await fetch(`${apiUrl}/orders/${placed.orderId}`, {
      headers: { authorization: `Bearer ${placed.accessToken}` },
    });
    const order = await response.json();

    // Assess
    expect(response.status).toBe(200);
    const { accessToken: _token, ...withoutToken } = placed;
    expect(order).toEqual(withoutToken);
  });

  it.each([
    ["a wrong token", "Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["no token", undefined],
  ])("answers 404 for %s", async (_case, authorization) => {
    const sku = await productWithStock(3);
    const placed = await (await placeOrder(orderBody(sku), randomUUID())).json();

    const response = await fetch(`${apiUrl}/orders/${placed.orderId}`, {
      headers: authorization === undefined ? {} : { authorization },
    });

    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("POST /quotes", () => {
  it("prices the cart and writes nothing", async () => {
    const sku = await productWithStock(3);

    const response = await fetch(`${apiUrl}/quotes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...orderBody(sku, 2), promotionCode: "WELCOME10" }),
    });
    const quote = await response.json();

    expect(response.status).toBe(200);
    expect(quote.totals).toEqual({
      subtotal: 2000,
      discount: 200,
      shipping: 490,
      tax: 342,
      total: 2632,
    });
    expect(await stockOf(sku)).toBe(3);
    expect(await ordersFor(sku)).toBe(0);
  });
});
