import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
} from "../../src/errors/domain-errors.ts";
import {
  claimIdempotencyKey,
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_RETENTION_SECONDS,
  releaseIdempotencyKey,
  storeIdempotentResponse,
} from "../../src/idempotency/idempotency.ts";
import { newOrderId } from "../../src/order/order-id.ts";
import { createTestTable, type TestTable } from "../helpers/table.ts";

let table: TestTable;
let keyNumber = 0;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table?.drop();
});

const hashA = "a".repeat(64);
const hashB = "b".repeat(64);

function freshKey(): string {
  keyNumber += 1;
  return `key-${keyNumber}-${Date.now()}`;
}

/** Marks the key completed by its owner, as the order transaction does. */
async function complete(key: string, orderId: string): Promise<void> {
  await table.store.idempotency
    .patch({ key })
    .set({ status: "completed", responseStatus: 201 })
    .where(({ orderId: owner }, { eq }) => eq(owner, orderId))
    .go();
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("claimIdempotencyKey", () => {
  it("claims a new key with a TTL", async () => {
    const key = freshKey();
    const now = new Date();

    const result = await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashA,
      orderId: newOrderId(),
      now,
    });

    expect(result).toEqual({ kind: "claimed" });
    const record = (await table.store.idempotency.get({ key }).go()).data;
    expect(record?.status).toBe("in_progress");
    expect(record?.expiresAt).toBe(
      Math.floor(now.getTime() / 1000) + IDEMPOTENCY_RETENTION_SECONDS,
    );
  });

  it("rejects a second request while the first runs", async () => {
    const key = freshKey();
    await claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId: newOrderId() });

    const error = await caught(
      claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId: newOrderId() }),
    );

    expect(error).toBeInstanceOf(IdempotencyKeyInUseError);
  });

  it("rejects the key with another body", async () => {
    const key = freshKey();
    await claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId: newOrderId() });

    const error = await caught(
      claimIdempotencyKey(table.store, { key, requestHash: hashB, orderId: newOrderId() }),
    );

    expect(error).toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it("replays the stored answer once the order is placed", async () => {
    // Prepare
    const key = freshKey();
    const orderId = newOrderId();
    await claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId });
    await complete(key, orderId);
    await storeIdempotentResponse(table.store, { key, orderId, status: 201, body: '{"x":1}' });

    // Act
    const result = await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashA,
      orderId: newOrderId(),
    });

    // Assess
    expect(result).toEqual({
      kind: "replay",
      response: { status: 201, body: '{"x":1}', orderId },
    });
  });

  it("lets the key be claimed again after a release", async () => {
    const key = freshKey();
    const first = newOrderId();
    await claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId: first });
    await releaseIdempotencyKey(table.store, { key, orderId: first });

    const result = await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashB,
      orderId: newOrderId(),
    });

    expect(result).toEqual({ kind: "claimed" });
  });

  it("keeps a completed key when its request releases it", async () => {
    const key = freshKey();
    const orderId = newOrderId();
    await claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId });
    await complete(key, orderId);

    await releaseIdempotencyKey(table.store, { key, orderId });

    expect((await table.store.idempotency.get({ key }).go()).data?.status).toBe("completed");
  });

  it("ignores a release by a request that does not own the key", async () => {
    const key = freshKey();
    const owner = newOrderId();
    await claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId: owner });

    await releaseIdempotencyKey(table.store, { key, orderId: newOrderId() });

    expect((await table.store.idempotency.get({ key }).go()).data?.orderId).toBe(owner);
  });

  it("takes over a claim whose lease ran out", async () => {
    // Prepare
    const key = freshKey();
    const start = new Date();
    await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashA,
      orderId: newOrderId(),
      now: start,
    });
    const later = new Date(start.getTime() + IDEMPOTENCY_LEASE_MS + 1);
    const successor = newOrderId();

    // Act
    const result = await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashA,
      orderId: successor,
      now: later,
    });

    // Assess
    expect(result).toEqual({ kind: "claimed" });
    expect((await table.store.idempotency.get({ key }).go()).data?.orderId).toBe(successor);
  });

  it("treats a record past its TTL as absent", async () => {
    const key = freshKey();
    const start = new Date();
    await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashA,
      orderId: newOrderId(),
      now: start,
    });
    const afterRetention = new Date(start.getTime() + (IDEMPOTENCY_RETENTION_SECONDS + 1) * 1000);

    const result = await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashB,
      orderId: newOrderId(),
      now: afterRetention,
    });

    expect(result).toEqual({ kind: "claimed" });
  });

  it("lets one of 20 concurrent requests claim the key", async () => {
    const key = freshKey();

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId: newOrderId() }),
      ),
    );

    const claimed = results.filter((result) => result.status === "fulfilled");
    const inUse = results.filter(
      (result) => result.status === "rejected" && result.reason instanceof IdempotencyKeyInUseError,
    );
    expect(claimed).toHaveLength(1);
    expect(inUse).toHaveLength(19);
  });
});
