import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  IdempotencyKeyInUseError,
  InvalidPromotionError,
  OutOfStockError,
} from "../../src/errors/domain-errors.ts";
import { claimIdempotencyKey, idempotencyRecordId } from "../../src/idempotency/idempotency.ts";
import { newOrderId } from "../../src/order/order-id.ts";
import { type PersistOrderInput, persistOrder } from "../../src/order/persist.ts";
import type { OrderRequest } from "../../src/order/request.ts";
import { priceOrder } from "../../src/pricing/price.ts";
import {
  countOrders,
  createTestTable,
  putProduct,
  readStock,
  type TestTable,
} from "../helpers/table.ts";

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table?.drop();
});

function orderInput(
  lines: { sku: string; quantity: number }[],
  overrides: Partial<PersistOrderInput> = {},
): PersistOrderInput {
  const request: OrderRequest = {
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
    shippingAddress: {
      line1: "12 Analytical Street",
      city: "Berlin",
      postalCode: "10115",
      country: "DE",
    },
    lines,
  };
  const pricing = priceOrder({
    lines: lines.map((line) => ({ ...line, name: `Product ${line.sku}`, unitPrice: 1000 })),
    country: "DE",
    now: new Date(),
  });
  return {
    orderId: newOrderId(),
    accessTokenHash: "0".repeat(64),
    idempotencyRecordId: null,
    request,
    pricing,
    executionArn: "arn:aws:states:eu-central-1:123456789012:express:orderflow:test:1",
    steps: [],
    ...overrides,
  };
}

describe("persistOrder", () => {
  it("writes the order and decrements stock", async () => {
    // Prepare
    await putProduct(table.store, { sku: "PLAIN-1", stock: 5 });
    const input = orderInput([{ sku: "PLAIN-1", quantity: 2 }]);

    // Act
    const result = await persistOrder(table.store, input);

    // Assess
    expect(result.created).toBe(true);
    expect(result.order.orderId).toBe(input.orderId);
    expect(result.order.status).toBe("confirmed");
    expect(result.order.notification.status).toBe("owed");
    expect(await readStock(table.store, "PLAIN-1")).toBe(3);
  });

  it("confirms exactly the stock under 200 concurrent orders", async () => {
    // Prepare
    await putProduct(table.store, { sku: "HOT-50", stock: 50 });
    const before = await countOrders(table.store);
    const inputs = Array.from({ length: 200 }, () => orderInput([{ sku: "HOT-50", quantity: 1 }]));

    // Act
    const results = await Promise.allSettled(
      inputs.map((input) => persistOrder(table.store, input)),
    );

    // Assess
    const confirmed = results.filter((result) => result.status === "fulfilled");
    const rejected = results.filter((result) => result.status === "rejected");
    const otherErrors = rejected.filter((result) => !(result.reason instanceof OutOfStockError));
    expect(otherErrors.map((result) => String(result.reason))).toEqual([]);
    expect(confirmed).toHaveLength(50);
    expect(rejected).toHaveLength(150);
    expect(await readStock(table.store, "HOT-50")).toBe(0);
    expect((await countOrders(table.store)) - before).toBe(50);
  }, 120_000);

  it("writes once under 20 concurrent runs for one order id", async () => {
    // Prepare
    await putProduct(table.store, { sku: "ONCE-1", stock: 10 });
    const before = await countOrders(table.store);
    const input = orderInput([{ sku: "ONCE-1", quantity: 3 }]);

    // Act
    const results = await Promise.all(
      Array.from({ length: 20 }, () => persistOrder(table.store, input)),
    );

    // Assess
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.order.orderId))).toEqual(
      new Set([input.orderId]),
    );
    expect(await readStock(table.store, "ONCE-1")).toBe(7);
    expect((await countOrders(table.store)) - before).toBe(1);
  });

  it("returns the stored order when run again after committing", async () => {
    await putProduct(table.store, { sku: "AGAIN-1", stock: 4 });
    const input = orderInput([{ sku: "AGAIN-1", quantity: 1 }]);
    const first = await persistOrder(table.store, input);

    const second = await persistOrder(table.store, { ...input, steps: [] });

    expect(second.created).toBe(false);
    expect(second.order).toEqual(first.order);
    expect(await readStock(table.store, "AGAIN-1")).toBe(3);
  });

  it("names every short SKU with what is left", async () => {
    // Prepare
    await putProduct(table.store, { sku: "SHORT-A", stock: 1 });
    await putProduct(table.store, { sku: "SHORT-B", stock: 0 });
    await putProduct(table.store, { sku: "ENOUGH-C", stock: 9 });
    const input = orderInput([
      { sku: "SHORT-A", quantity: 2 },
      { sku: "ENOUGH-C", quantity: 1 },
      { sku: "SHORT-B", quantity: 1 },
    ]);

    // Act
    const error = await persistOrder(table.store, input).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(OutOfStockError);
    expect((error as OutOfStockError).items).toEqual([
      { sku: "SHORT-A", requested: 2, available: 1 },
      { sku: "SHORT-B", requested: 1, available: 0 },
    ]);
    expect(await readStock(table.store, "ENOUGH-C")).toBe(9);
    expect((await table.store.order.get({ orderId: input.orderId }).go()).data).toBeNull();
  });

  it("rejects a promotion used up by an earlier order", async () => {
    // Prepare
    await putProduct(table.store, { sku: "PROMO-1", stock: 10 });
    const promoted = (input: PersistOrderInput): PersistOrderInput => ({
      ...input,
      pricing: { ...input.pricing, promotionCode: "CAPPED1" },
      promotionMaxRedemptions: 1,
    });
    await persistOrder(table.store, promoted(orderInput([{ sku: "PROMO-1", quantity: 1 }])));

    // Act
    const error = await persistOrder(
      table.store,
      promoted(orderInput([{ sku: "PROMO-1", quantity: 1 }])),
    ).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(InvalidPromotionError);
    expect((error as InvalidPromotionError).reason).toBe("used_up");
    expect(await readStock(table.store, "PROMO-1")).toBe(9);
  });

  it("completes the idempotency record it owns", async () => {
    // Prepare
    await putProduct(table.store, { sku: "KEYED-1", stock: 3 });
    const input = orderInput([{ sku: "KEYED-1", quantity: 1 }], {
      idempotencyRecordId: idempotencyRecordId("key-owned"),
    });
    await claimIdempotencyKey(table.store, {
      key: "key-owned",
      requestHash: "a".repeat(64),
      orderId: input.orderId,
    });

    // Act
    await persistOrder(table.store, input);

    // Assess
    const record = (
      await table.store.idempotency.get({ recordId: idempotencyRecordId("key-owned") }).go()
    ).data;
    expect(record?.status).toBe("completed");
    expect(record?.orderId).toBe(input.orderId);
    expect(record?.responseStatus).toBe(201);
  });

  it("writes nothing when another order owns the key", async () => {
    // Prepare
    await putProduct(table.store, { sku: "KEYED-2", stock: 3 });
    await claimIdempotencyKey(table.store, {
      key: "key-taken",
      requestHash: "b".repeat(64),
      orderId: newOrderId(),
    });
    const input = orderInput([{ sku: "KEYED-2", quantity: 1 }], {
      idempotencyRecordId: idempotencyRecordId("key-taken"),
    });

    // Act
    const error = await persistOrder(table.store, input).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(IdempotencyKeyInUseError);
    expect(await readStock(table.store, "KEYED-2")).toBe(3);
    expect((await table.store.order.get({ orderId: input.orderId }).go()).data).toBeNull();
  });
});
